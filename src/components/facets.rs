//! Topics, places and geography in the sidebar: one checkbox list per
//! facet with counts that follow the other filters (see `logic::facets`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::after_paint::{after_paint, painted};
use crate::logic::facets::{count, rows, FacetCounts, FacetRow};
use crate::logic::text::plural;
use crate::logic::url_state::Facet;
use crate::state::{use_corpus, use_filter, use_view};

/// Values shown before "Show all".
const TOP: usize = 10;
/// A list longer than this gets a text box to narrow it once expanded.
const FILTER_FROM: usize = 15;
/// At most this many rows in the DOM when expanded (thousands of places):
/// the text box finds the rest.
const MAX_SHOWN: usize = 200;

/// The three facet groups, fed by one count pass per filter change.
#[component]
pub fn Facets() -> impl IntoView {
    let corpus = use_corpus();
    // The counts follow the filter one frame after the timeline (and first
    // appear after the timeline's first paint): the count pass and the
    // lists it reorders must not delay the frame that shows the new results.
    let filter = after_paint(use_filter());
    let counts =
        Memo::new(move |_| filter.with(|f| count(corpus.events(), f, corpus.facet_sizes())));
    let painted = painted();
    view! {
        <section class="facets" aria-label="Topics, places and geography">
            <Show when=move || painted.get()>
                <FacetGroup facet=Facet::Topic title="Topics" counts />
                <FacetGroup facet=Facet::Place title="Places" counts />
                <FacetGroup facet=Facet::Geography title="Geography" counts />
            </Show>
        </section>
    }
}

fn dom_id(facet: Facet, key: &str) -> String {
    format!("facet-{}-{key}", facet.key())
}

/// One facet: picked values first, then the others by count.
#[component]
fn FacetGroup(facet: Facet, title: &'static str, counts: Memo<FacetCounts>) -> impl IntoView {
    let corpus = use_corpus();
    if corpus.facet_table(facet).is_empty() {
        return ().into_any();
    }
    // The picks follow at once (a ticked box moves to the top in the same
    // frame, and keeps the focus); only this facet's picks, so another
    // filter's change waits for the counts.
    let filter = use_filter();
    let picks = Memo::new(move |_| filter.with(|f| f.facet(facet).to_vec()));
    let expanded = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let all_rows = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            counts.with(|c| picks.with(|p| rows(c.of(facet), p, corpus.facet_table(facet))))
        })
    };
    let shown = {
        let corpus = corpus.clone();
        move || {
            let needle = text.with(|t| t.trim().to_lowercase());
            all_rows.with(|rows| {
                if !expanded.get() {
                    let picked = rows.iter().filter(|r| r.picked).count();
                    return rows.iter().take(TOP.max(picked)).copied().collect();
                }
                rows.iter()
                    .filter(|r| {
                        r.picked
                            || needle.is_empty()
                            || corpus
                                .facet_name(facet, r.pos)
                                .to_lowercase()
                                .contains(&needle)
                    })
                    .take(MAX_SHOWN)
                    .copied()
                    .collect::<Vec<FacetRow>>()
            })
        }
    };
    let total = move || all_rows.with(Vec::len);
    let picked_count = move || picks.with(Vec::len);
    let testid = format!("facet-{}", facet.key());
    let lower = title.to_lowercase();
    let filter_label = format!("Narrow the {lower} list");
    let none_text = format!("No {lower} with these filters.");
    view! {
        <fieldset class="facet" data-testid=testid>
            <legend>
                {title}
                <Show when=move || { picked_count() > 0 }>
                    <span class="facet-picked">{move || format!(" · {} picked", picked_count())}</span>
                </Show>
            </legend>
            <Show when=move || { expanded.get() && total() > FILTER_FROM }>
                <input
                    type="search"
                    class="facet-filter"
                    autocomplete="off"
                    aria-label=filter_label.clone()
                    placeholder="Filter…"
                    bind:value=text
                />
            </Show>
            <Show when=move || { total() == 0 }>
                <p class="muted small">{none_text.clone()}</p>
            </Show>
            <ul class="facet-list">
                // Keyed by value and pick, not count: a filter change updates
                // the counts in place instead of rebuilding every row.
                <For
                    each=shown
                    key=|row| (row.pos, row.picked)
                    children=move |row| view! { <FacetOption facet row counts /> }
                />
            </ul>
            <Show when=move || { total() > TOP }>
                <button
                    type="button"
                    class="link-button show-more"
                    aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| {
                        expanded.update(|e| *e = !*e);
                        text.set(String::new());
                    }
                >
                    {move || {
                        if expanded.get() {
                            "Show fewer".to_string()
                        } else {
                            format!("Show all {}", total())
                        }
                    }}
                </button>
            </Show>
        </fieldset>
    }
    .into_any()
}

/// One checkbox: name and count. Picking moves the row to the top (it is
/// rebuilt there), so focus is put back on it.
#[component]
fn FacetOption(facet: Facet, row: FacetRow, counts: Memo<FacetCounts>) -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let key = corpus.facet_table(facet).key(row.pos).to_string();
    let name = corpus.facet_name(facet, row.pos).to_string();
    let id = dom_id(facet, &key);
    let pos = row.pos as usize;
    let count = Memo::new(move |_| counts.with(|c| c.of(facet).get(pos).copied().unwrap_or(0)));
    let events = move || format!(", {}", plural(count.get() as usize, "event", "events"));
    let refocus = id.clone();
    view! {
        <li class="facet-option" class:picked=row.picked>
            <input
                type="checkbox"
                id=id.clone()
                data-key=key.clone()
                prop:checked=row.picked
                on:change=move |_| {
                    ctx.act(|v| v.toggle_facet(facet, &key));
                    let refocus = refocus.clone();
                    request_animation_frame(move || {
                        if let Some(el) = document()
                            .get_element_by_id(&refocus)
                            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = el.focus();
                        }
                    });
                }
            />
            <label for=id>
                <span class="facet-name">{name}</span>
                <span class="count" aria-hidden="true">{move || count.get()}</span>
                <span class="sr-only">{events}</span>
            </label>
        </li>
    }
}
