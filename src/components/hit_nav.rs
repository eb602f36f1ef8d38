//! Inside an open transcript, while a search is on: how many matches it
//! holds, and Previous / Next to walk through them (the marks themselves
//! come from `marked_text::Marked`). Matches are counted in the data,
//! block by block, so a step goes to the right block even when it is not
//! mounted yet (a long transcript is mounted in windows): the window is
//! moved there first, then the mark is scrolled into view.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_corpus::model::ShardEvent;
use wasm_bindgen::JsCast;

use crate::logic::search::snippet::Highlighter;
use crate::logic::text::plural;
use crate::search_state::use_search;

/// Where matches are: `(block, count)` in reading order, `None` for the lead.
fn matches_by_block(h: &Highlighter, detail: &ShardEvent) -> Vec<(Option<usize>, usize)> {
    let lead: usize = detail.lead.iter().map(|p| h.ranges(p).len()).sum();
    let mut out = Vec::new();
    if lead > 0 {
        out.push((None, lead));
    }
    for (b, block) in detail.blocks.iter().enumerate() {
        let n: usize = block.texts().iter().map(|t| h.ranges(t).len()).sum();
        if n > 0 {
            out.push((Some(b), n));
        }
    }
    out
}

/// The block of the `k`-th match and its position among that block's marks.
fn locate(groups: &[(Option<usize>, usize)], mut k: usize) -> Option<(Option<usize>, usize)> {
    for &(block, n) in groups {
        if k < n {
            return Some((block, k));
        }
        k -= n;
    }
    None
}

/// Frames to wait for a block brought into the window to be mounted.
const MOUNT_FRAMES: u32 = 60;

#[component]
pub fn HitNav(
    detail: Arc<ShardEvent>,
    /// The transcript's element id.
    container: String,
    /// Moves the transcript's window onto a block that is not mounted.
    reveal: Callback<usize>,
) -> impl IntoView {
    let search = use_search();
    let groups = Memo::new(move |_| {
        search.result.with(|r| {
            r.as_ref()
                .map(|r| matches_by_block(&r.highlighter, &detail))
                .unwrap_or_default()
        })
    });
    let total = Memo::new(move |_| groups.with(|g| g.iter().map(|(_, n)| n).sum::<usize>()));
    // Position of the current match (0-based); None before the first step.
    let current: RwSignal<Option<usize>> = RwSignal::new(None);
    Effect::new(move |_| {
        total.track();
        current.set(None);
    });
    let step = move |forward: bool| {
        let n = total.get_untracked();
        if n == 0 {
            return;
        }
        let next = match (current.get_untracked(), forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(k), true) => (k + 1) % n,
            (Some(k), false) => (k + n - 1) % n,
        };
        current.set(Some(next));
        if let Some(at) = groups.with_untracked(|g| locate(g, next)) {
            go_to(container.clone(), at, reveal, 0);
        }
    };
    let step_back = step.clone();
    view! {
        <Show when=move || { total.get() > 0 }>
            <div class="hit-nav" role="group" aria-label="Matches in this transcript" data-testid="hit-nav">
                <span class="hit-count" aria-live="polite" data-testid="hit-count">
                    {move || match current.get() {
                        Some(k) => format!("Match {} of {}", k + 1, total.get()),
                        None => plural(total.get(), "match", "matches"),
                    }}
                </span>
                <button type="button" data-testid="previous-hit" on:click={
                    let step_back = step_back.clone();
                    move |_| step_back(false)
                }>"Previous"</button>
                <button type="button" data-testid="next-hit" on:click={
                    let step = step.clone();
                    move |_| step(true)
                }>"Next"</button>
            </div>
        </Show>
    }
}

/// Marks the `j`-th mark of `block` in the container as current and
/// scrolls to it; when the block is not mounted, reveals it and tries again
/// on the next frames (a transcript closed meanwhile ends the attempt).
fn go_to(
    container: String,
    (block, j): (Option<usize>, usize),
    reveal: Callback<usize>,
    frame: u32,
) {
    // Looked up by id, then searched inside: no id in a CSS selector
    // (event ids may start with a digit), and a closed transcript ends it.
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&container))
    else {
        return;
    };
    let selector = match block {
        None => ".lead mark.hit".to_string(),
        Some(b) => format!("[data-block=\"{b}\"] mark.hit"),
    };
    let target = root
        .query_selector_all(&selector)
        .ok()
        .and_then(|marks| marks.item(j as u32))
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok());
    match target {
        Some(el) => {
            if let Ok(old) = root.query_selector_all("mark.hit.current") {
                for i in 0..old.length() {
                    if let Some(o) = old
                        .item(i)
                        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                    {
                        let _ = o.class_list().remove_1("current");
                    }
                }
            }
            let _ = el.class_list().add_1("current");
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
        None if frame < MOUNT_FRAMES => {
            if let (0, Some(b)) = (frame, block) {
                if reveal.try_run(b).is_none() {
                    return;
                }
            }
            request_animation_frame(move || go_to(container, (block, j), reveal, frame + 1));
        }
        // Not mountable (a turn collapsed by "only their turns"): stay put.
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_located_block_by_block() {
        let g = [(None, 2), (Some(3), 1), (Some(7), 4)];
        assert_eq!(locate(&g, 0), Some((None, 0)));
        assert_eq!(locate(&g, 2), Some((Some(3), 0)));
        assert_eq!(locate(&g, 6), Some((Some(7), 3)));
        assert_eq!(locate(&g, 7), None);
    }
}
