use leptos::prelude::*;

use crate::components::block::BlockView;
use crate::logic::turns::{
    hidden_label, linked_block, plan, show_earlier_label, show_more_label, Segment, Window,
    FIRST_WINDOW, WINDOW_STEP,
};
use crate::logic::url_state::decode_component;
use crate::state::{use_corpus, use_view};

/// An opened transcript. Only mounted while its event is open, so a long
/// corpus costs nothing until someone reads it; and only the first
/// [`FIRST_WINDOW`](crate::logic::turns::FIRST_WINDOW) segments are mounted
/// at first, more on "Show more", so a huge one opens at once.
#[component]
pub fn Transcript(index: usize, dom_id: String) -> impl IntoView {
    let corpus = use_corpus();
    let view = use_view().view;
    let event = &corpus.events()[index];

    // Only the picked speakers and "only" change the plan; opening another
    // transcript must not re-plan this one.
    let picks = Memo::new(move |_| view.with(|v| (v.speakers.clone(), v.only_theirs)));
    let segments = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            picks.with(|(speakers, only)| plan(&corpus.events()[index].blocks, speakers, *only))
        })
    };
    // A permalink to a turn beyond the first window renders a window around
    // it; "Show earlier" and "Show more" extend the window either way. The
    // window is kept around a block, not at positions in the plan, so it
    // stays in place (and in range) when picking a speaker re-plans.
    let linked = linked_block(&current_fragment(), &event.id);
    let window = RwSignal::new(segments.with_untracked(|s| Window::initial(s, linked)));
    let range = Memo::new(move |_| segments.with(|s| window.get().range(s)));
    let first = move || range.with(|r| r.start);
    let limit = move || range.with(|r| r.end);
    let total = move || segments.with(|s| s.len());
    let shown = move || {
        let range = range.get();
        segments.with(|s| s[range].to_vec())
    };

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
    let is_empty = event.blocks.is_empty();

    view! {
        <div class="transcript" id=dom_id data-testid="transcript">
            {is_empty.then(|| view! {
                <p class="no-text" data-testid="no-transcript">"This record has no transcript text."</p>
            })}
            <Show when=move || { first() > 0 }>
                <button
                    type="button"
                    class="show-more"
                    data-testid="show-earlier"
                    on:click=move |_| {
                        segments.with_untracked(|s| window.update(|w| w.show_earlier(s)))
                    }
                >
                    {move || show_earlier_label(first())}
                </button>
            </Show>
            <For
                each=shown
                key=|s| s.clone()
                children=move |segment| match segment {
                    Segment::Block(i) => view! { <BlockView event=index block=i /> }.into_any(),
                    Segment::Hidden { start, end, turns } => {
                        view! { <HiddenRun event=index start end turns /> }.into_any()
                    }
                }
            />
            <Show when=move || { limit() < total() }>
                <button
                    type="button"
                    class="show-more"
                    data-testid="show-more"
                    on:click=move |_| {
                        segments.with_untracked(|s| window.update(|w| w.show_more(s)))
                    }
                >
                    {move || show_more_label(limit(), total())}
                </button>
            </Show>
            <p class="transcript-source muted small">{source}</p>
        </div>
    }
}

/// The decoded fragment of the current URL, without `#`.
fn current_fragment() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    decode_component(hash.trim_start_matches('#'))
}

/// A collapsed run of other speakers' turns; click to show it in place.
#[component]
fn HiddenRun(event: usize, start: usize, end: usize, turns: usize) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let label = hidden_label(start, end, turns);
    // The run may be most of a huge transcript: mount it in windows too.
    let limit = RwSignal::new(FIRST_WINDOW);
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
                <For
                    each=move || (start..end).take(limit.get())
                    key=|i| *i
                    children=move |i| view! { <BlockView event block=i /> }
                />
                <Show when=move || { limit.get() < end - start }>
                    <button
                        type="button"
                        class="show-more"
                        on:click=move |_| limit.update(|l| *l += WINDOW_STEP)
                    >
                        {move || show_more_label(limit.get(), end - start)}
                    </button>
                </Show>
            </div>
        </Show>
    }
}
