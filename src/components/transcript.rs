use leptos::prelude::*;

use crate::components::block::BlockView;
use crate::logic::turns::{hidden_label, plan, Segment};
use crate::state::{use_corpus, use_view};

/// An opened transcript. Only mounted while its event is open, so a long
/// corpus costs nothing until someone reads it.
#[component]
pub fn Transcript(index: usize, dom_id: String) -> impl IntoView {
    let corpus = use_corpus();
    let view = use_view().view;
    let event = &corpus.events()[index];
    let blocks = event.blocks.clone();

    let segments = Memo::new(move |_| view.with(|v| plan(&blocks, &v.speakers, v.only_theirs)));

    let source = format!(
        "Source: {}{}, line {}",
        event
            .publication_date
            .as_ref()
            .map(|d| format!("published {d}; "))
            .unwrap_or_default(),
        event.source.file,
        event.source.line
    );

    view! {
        <div class="transcript" id=dom_id data-testid="transcript">
            <For
                each=move || segments.get()
                key=|s| s.clone()
                children=move |segment| match segment {
                    Segment::Block(i) => view! { <BlockView event=index block=i /> }.into_any(),
                    Segment::Hidden { start, end, turns } => {
                        view! { <HiddenRun event=index start end turns /> }.into_any()
                    }
                }
            />
            <p class="transcript-source muted small">{source}</p>
        </div>
    }
}

/// A collapsed run of other speakers' turns; click to show it in place.
#[component]
fn HiddenRun(event: usize, start: usize, end: usize, turns: usize) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let label = hidden_label(start, end, turns);
    // The clicked placeholder disappears; keep keyboard focus in place by
    // moving it to the button that collapses the run again.
    let collapse_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if expanded.get() {
            if let Some(button) = collapse_button.get() {
                let _ = button.focus();
            }
        }
    });
    view! {
        <Show
            when=move || expanded.get()
            fallback=move || {
                let label = label.clone();
                view! {
                    <button
                        type="button"
                        class="hidden-run"
                        data-testid="hidden-run"
                        aria-expanded="false"
                        on:click=move |_| expanded.set(true)
                    >
                        {label}
                        <span class="muted">" — show"</span>
                    </button>
                }
            }
        >
            <div class="expanded-run">
                <button
                    type="button"
                    class="hidden-run"
                    aria-expanded="true"
                    node_ref=collapse_button
                    on:click=move |_| expanded.set(false)
                >
                    "Hide these turns by others again"
                </button>
                {(start..end).map(|i| view! { <BlockView event block=i /> }).collect_view()}
            </div>
        </Show>
    }
}
