//! Under a card that a search matched: the first passages where the query's
//! words occur, each with its speaker and a link to the turn, the matches
//! marked. The passages need the transcript, so the card's shard is fetched
//! (cards are virtualised: only those near the screen ask). A phrase whose
//! words the index found in one speaker's words but not side by side is
//! said to be missing here, rather than shown as a hit.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::block::turn_anchor;
use crate::components::marked_text::MarkedText;
use crate::logic::search::snippet::{event_matches, EventMatches};
use crate::logic::text::plural;
use crate::logic::url_state::ViewState;
use crate::search_state::use_search;
use crate::state::{
    scroll_to_fragment, state_link, take_plain_click, use_corpus, use_shards, use_view, ShardLoad,
    ViewCtx,
};

/// Passages shown per card.
const PASSAGES: usize = 3;

#[component]
pub fn SearchPassages(index: usize) -> impl IntoView {
    let corpus = use_corpus();
    let search = use_search();
    let shards = use_shards();
    let event = corpus.events()[index].clone();
    let (row, k) = (event.row, event.shard);
    // This card's slots in the current result; None: not a hit (no query).
    let hit = Memo::new(move |_| {
        search.result.with(|r| {
            r.as_ref()
                .and_then(|r| r.hits.slots_of(row).cloned().map(|s| (r.clone(), s)))
        })
    });
    Effect::new({
        let corpus = corpus.clone();
        move |_| {
            if hit.with(Option::is_some) {
                shards.request(corpus.clone(), k);
            }
        }
    });
    let load = Memo::new(move |_| hit.with(Option::is_some).then(|| shards.get(k)).flatten());
    let matches = {
        let corpus = corpus.clone();
        move || -> Option<Result<EventMatches, String>> {
            let (result, slots) = hit.get()?;
            match load.get()? {
                ShardLoad::Loading => None,
                ShardLoad::Failed(e) => Some(Err(e.reason.to_string())),
                ShardLoad::Ready(data) => {
                    let detail = corpus
                        .position_in_shard(index)
                        .and_then(|i| data.get(i).cloned())?;
                    let speakers: Vec<&str> = event
                        .speakers
                        .iter()
                        .filter_map(|&p| corpus.speaker_at(p).map(|s| s.id.as_str()))
                        .collect();
                    Some(Ok(event_matches(
                        &result.highlighter,
                        &event.title,
                        &detail,
                        &speakers,
                        &slots,
                        PASSAGES,
                    )))
                }
            }
        }
    };
    let id = corpus.events()[index].id().to_string();
    view! {
        <Show when=move || hit.with(Option::is_some)>
            {
                let matches = matches.clone();
                let corpus = corpus.clone();
                let id = id.clone();
                move || match matches() {
                    None => view! {
                        <p class="passages-loading muted small" data-testid="passages-loading">"Finding the passages…"</p>
                    }
                    .into_any(),
                    Some(Err(e)) => view! {
                        <p class="passages-error small" role="alert">"The passages could not be loaded: " {e}</p>
                    }
                    .into_any(),
                    Some(Ok(m)) => view! { <Passages m corpus=corpus.clone() id=id.clone() /> }.into_any(),
                }
            }
        </Show>
    }
}

#[component]
fn Passages(
    m: EventMatches,
    corpus: Arc<crate::logic::corpus::Corpus>,
    id: String,
) -> impl IntoView {
    let ctx = use_view();
    let more = m
        .count
        .saturating_sub(m.passages.iter().map(|p| p.marks.len()).sum());
    let items = m
        .passages
        .into_iter()
        .map(|p| {
            let who = p
                .speaker
                .as_deref()
                .map(|s| corpus.speaker_name(s).to_string());
            // A turn's passage links to the turn in the open transcript,
            // keeping the search and the filters (a real href: new tabs work).
            let link = p.block.map(|b| {
                let anchor = turn_anchor(&id, b);
                let href = ctx.view.with_untracked(|v| {
                    format!("{}#{anchor}", state_link(v, |v| open(v, &id)))
                });
                let id = id.clone();
                let on_click = move |ev: leptos::ev::MouseEvent| {
                    follow_turn_link(ctx, &ev, &id, &anchor);
                };
                view! {
                    <a class="passage-link" href=href on:click=on_click title="Open the transcript at this turn">
                        "→ turn"
                    </a>
                }
            });
            view! {
                <li class="passage" data-testid="passage">
                    {who.map(|w| view! { <span class="passage-speaker">{w} ": "</span> })}
                    <MarkedText text=p.text marks=p.marks />
                    {link}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="passages" data-testid="passages">
            {(!m.phrases_ok).then(|| view! {
                <p class="phrase-missing small" data-testid="phrase-missing">
                    "The words occur in one speaker's words here, but not as the exact phrase."
                </p>
            })}
            <ul class="passage-list">{items}</ul>
            {(more > 0).then(|| view! {
                <p class="muted small">{format!("{} more in this transcript", plural(more, "match", "matches"))}</p>
            })}
        </div>
    }
}

fn open(v: &mut ViewState, id: &str) {
    if !v.is_open(id) {
        v.toggle_open(id);
    }
}

/// A plain click on a passage's link: open the transcript (a history
/// entry), put the turn in the fragment without another, and scroll to it
/// (at once when the transcript is already open; else the transcript does
/// when its text arrives, as for a permalink).
fn follow_turn_link(ctx: ViewCtx, ev: &leptos::ev::MouseEvent, id: &str, anchor: &str) {
    if !take_plain_click(ev) {
        return;
    }
    ctx.act(|v| open(v, id));
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}#{anchor}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    request_animation_frame(scroll_to_fragment);
}
