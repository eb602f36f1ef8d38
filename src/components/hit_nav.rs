//! Inside an open transcript, while a search is on: how many matches it
//! holds, and Previous / Next to walk through them (the marks themselves
//! come from `marked_text::SearchMarked`). A long transcript is mounted in
//! windows; stepping past the last mounted match shows more first.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_corpus::model::ShardEvent;
use wasm_bindgen::JsCast;

use crate::logic::search::snippet::Highlighter;
use crate::logic::text::plural;
use crate::search_state::use_search;

/// Matches of the query in the whole transcript (lead and every block).
fn count_matches(h: &Highlighter, detail: &ShardEvent) -> usize {
    detail
        .lead
        .iter()
        .map(|p| h.ranges(p).len())
        .chain(
            detail
                .blocks
                .iter()
                .flat_map(|b| b.texts())
                .map(|t| h.ranges(t).len()),
        )
        .sum()
}

#[component]
pub fn HitNav(
    detail: Arc<ShardEvent>,
    /// The transcript's element id.
    container: String,
    /// Mounts more of the transcript; false when all of it is mounted.
    show_more: Callback<(), bool>,
) -> impl IntoView {
    let search = use_search();
    let total = Memo::new(move |_| {
        search.result.with(|r| {
            r.as_ref()
                .map_or(0, |r| count_matches(&r.highlighter, &detail))
        })
    });
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
        go_to(container.clone(), next, show_more);
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
                <button type="button" on:click={
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

/// Scrolls to the `k`-th mark in the container, mounting more of the
/// transcript first while it is not there yet.
fn go_to(container: String, k: usize, show_more: Callback<(), bool>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(marks) = doc.query_selector_all(&format!("#{} mark.hit", css_escape(&container))) else {
        return;
    };
    if (k as u32) < marks.length() {
        for i in 0..marks.length() {
            if let Some(el) = marks
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.class_list().toggle_with_force("current", i == k as u32);
                if i == k as u32 {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Center);
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        }
    } else if show_more.run(()) {
        request_animation_frame(move || go_to(container, k, show_more));
    }
}

/// An element id for a CSS selector (ids come from event ids: letters,
/// digits and hyphens, but a leading digit needs escaping).
fn css_escape(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_alphabetic() || c == '-' || c == '_' || (i > 0 && c.is_ascii_digit()) {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out
}
