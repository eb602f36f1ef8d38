use std::sync::Arc;

use leptos::prelude::*;
use stenogram_corpus::model::ShardEvent;

use crate::components::block::BlockView;
use crate::components::hit_nav::HitNav;
use crate::components::marked_text::{Marked, Marks};
use crate::logic::turns::{
    hidden_label, linked_block, mounted_after, plan, show_earlier_label, show_more_label, Segment,
    Window, FIRST_WINDOW, WINDOW_STEP,
};
use crate::logic::url_state::decode_component;
use crate::state::{scroll_to_fragment, use_corpus, use_shards, use_view, ShardLoad};

/// An opened transcript: fetches its shard (once; other events of the same
/// shard share it), says so while it loads, offers Retry when it fails.
#[component]
pub fn Transcript(index: usize, dom_id: String) -> impl IntoView {
    let corpus = use_corpus();
    let shards = use_shards();
    let k = corpus.events()[index].shard;
    shards.request(corpus.clone(), k);
    // Only this shard's state matters here: another shard arriving must
    // not rebuild this transcript.
    let load = Memo::new(move |_| shards.get(k));
    let retry = {
        let corpus = corpus.clone();
        move |_| shards.request(corpus.clone(), k)
    };
    view! {
        <div class="transcript" id=dom_id data-testid="transcript">
            {move || match load.get() {
                None | Some(ShardLoad::Loading) => view! {
                    <p class="muted transcript-loading" role="status" data-testid="transcript-loading">
                        "Loading the transcript…"
                    </p>
                }
                .into_any(),
                Some(ShardLoad::Failed(error)) => {
                    let retry = retry.clone();
                    view! {
                        <div class="state state-error" role="alert" data-testid="transcript-error">
                            <p>"The transcript could not be loaded: " {error.reason.to_string()}</p>
                            <p class="url">{error.url}</p>
                            <button type="button" on:click=retry>"Retry"</button>
                        </div>
                    }
                    .into_any()
                }
                // From this shard's data, untracked: another shard arriving
                // must not rebuild this transcript.
                Some(ShardLoad::Ready(data)) => match corpus
                    .position_in_shard(index)
                    .and_then(|i| data.get(i).cloned())
                {
                    Some(detail) => view! { <TranscriptBody detail /> }.into_any(),
                    None => view! {
                        <p class="state state-error" role="alert">
                            "This transcript is missing from its data file; the site may have been updated: reload the page."
                        </p>
                    }
                    .into_any(),
                },
            }}
        </div>
    }
}

/// The loaded transcript. Only the first [`FIRST_WINDOW`] segments are
/// mounted at first, more on "Show more", so a huge one opens at once.
#[component]
fn TranscriptBody(detail: Arc<ShardEvent>) -> impl IntoView {
    let view = use_view().view;

    // Only the picked speakers and "only" change the plan; opening another
    // transcript must not re-plan this one.
    let picks = Memo::new(move |_| view.with(|v| (v.speakers.clone(), v.only_theirs)));
    let segments = {
        let detail = detail.clone();
        Memo::new(move |_| picks.with(|(speakers, only)| plan(&detail.blocks, speakers, *only)))
    };
    // A permalink to a turn beyond the first window renders a window around
    // it; "Show earlier" and "Show more" extend the window either way. The
    // window is kept around a block, not at positions in the plan, so it
    // stays in place (and in range) when picking a speaker re-plans.
    let linked = linked_block(&current_fragment(), &detail.id);
    let window = RwSignal::new(segments.with_untracked(|s| Window::initial(s, linked)));
    if linked.is_some() {
        // The browser looked for the fragment long before this shard
        // arrived: scroll to the turn now that it is mounted, and mark it.
        request_animation_frame(|| {
            scroll_to_fragment();
            crate::components::quote_button::mark_linked_turn();
        });
    }
    let range = Memo::new(move |_| segments.with(|s| window.get().range(s)));
    let first = move || range.with(|r| r.start);
    let limit = move || range.with(|r| r.end);
    let total = move || segments.with(|s| s.len());
    // The first window mounts over a few frames (see MOUNT_PER_FRAME),
    // unless it fits in the first frame, or a link points into it: then
    // the linked turn must be there at once to be scrolled to.
    let grows = linked.is_none() && range.with_untracked(|r| mounted_after(0, r.len()) < r.len());
    let frames = RwSignal::new(if grows { 0 } else { usize::MAX });
    let shown = move || {
        let range = range.get();
        let len = mounted_after(frames.get(), range.len());
        segments.with(|s| s[range.start..range.start + len].to_vec())
    };
    // Runs from animation frames, which may come after this transcript was
    // closed or scrolled away: then its signals are gone, and so is the work.
    let grow = move || {
        let (Some(len), Some(done)) = (
            range.try_with_untracked(|r| r.len()),
            frames.try_get_untracked(),
        ) else {
            return false;
        };
        if mounted_after(done, len) < len {
            frames.update(|f| *f += 1);
            true
        } else {
            // Done: later windows ("Show more") mount whole.
            frames.set(usize::MAX);
            false
        }
    };
    if grows {
        mount_progressively(grow);
    }

    let source = format!(
        "Source: {}{}, line {}",
        detail
            .publication_date
            .as_ref()
            .map(|d| format!("published {d}; "))
            .unwrap_or_default(),
        detail.source.file,
        detail.source.line
    );
    let is_empty = detail.blocks.is_empty();
    // The search's marks: blocks are rebuilt when they change (keyed by
    // them), so no paragraph watches the search on its own.
    let marks = Marks::current();
    let lead = {
        let detail = detail.clone();
        move || {
            let m = marks.get();
            detail
                .lead
                .iter()
                .map(|p| view! { <p class="lead"><Marked text=p.clone() marks=m.clone() /></p> })
                .collect_view()
        }
    };
    let for_blocks = detail.clone();
    // Match navigation moves the window onto a block that is not mounted,
    // as a permalink to it would.
    let reveal = Callback::new(move |block: usize| {
        segments.with_untracked(|s| window.set(Window::initial(s, Some(block))));
        frames.set(usize::MAX);
    });
    let container = format!("transcript-{}", detail.id);

    view! {
        <HitNav detail=detail.clone() container reveal />
        {lead}
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
            each=move || {
                let epoch = marks.with(Marks::epoch);
                shown().into_iter().map(move |s| (s, epoch))
            }
            key=|s| s.clone()
            children=move |(segment, _)| {
                let detail = for_blocks.clone();
                let marks = marks.get_untracked();
                match segment {
                    Segment::Block(i) => view! { <BlockView detail block=i marks /> }.into_any(),
                    Segment::Hidden { start, end, turns } => {
                        view! { <HiddenRun detail start end turns marks /> }.into_any()
                    }
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
    }
}

/// Calls `step` once per animation frame until it returns false, from the
/// frame after the next one: the next frame shows the first segments
/// alone. (Growing in the next frame's own callback put 52 segments into
/// the first frame instead of 12: its layout took 6-10 ms, not 2.)
fn mount_progressively(step: impl Fn() -> bool + Clone + 'static) {
    request_animation_frame(move || grow_each_frame(step));
}

fn grow_each_frame(step: impl Fn() -> bool + Clone + 'static) {
    request_animation_frame(move || {
        if step() {
            grow_each_frame(step);
        }
    });
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
fn HiddenRun(
    detail: Arc<ShardEvent>,
    start: usize,
    end: usize,
    turns: usize,
    marks: Marks,
) -> impl IntoView {
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
                    children={
                        let detail = detail.clone();
                        let marks = marks.clone();
                        move |i| view! { <BlockView detail=detail.clone() block=i marks=marks.clone() /> }
                    }
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
