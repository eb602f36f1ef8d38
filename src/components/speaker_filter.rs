use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use stenogram_corpus::model::SpeakerKind;
use wasm_bindgen::JsCast;

use crate::logic::filter::MatchMode;
use crate::logic::speakers::{SpeakerIndex, SpeakerList};
use crate::logic::text::plural;
use crate::state::{follow_link, refresh_link, state_link, use_corpus, use_view};

/// Rows shown at first, and added by each "Show more": the DOM never holds
/// thousands of speakers.
const PAGE: usize = 50;

/// The sidebar: search the speakers, pick some, choose any/all and
/// "only their turns".
#[component]
pub fn SpeakerFilter() -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let view = ctx.view;
    // The search text is not part of the shareable state: it only narrows
    // the list, not the timeline.
    let query = RwSignal::new(String::new());
    let shown_people = RwSignal::new(PAGE);
    let shown_generic = RwSignal::new(PAGE);

    // Folded haystacks and the matcher are built once and reused by every
    // keystroke (a Mutex only to be Send; wasm has one thread).
    let index = Arc::new(Mutex::new(SpeakerIndex::new(corpus.speakers())));
    let list = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            query.with(|q| match index.lock() {
                Ok(mut index) => index.search(corpus.speakers(), q),
                Err(_) => SpeakerList::default(),
            })
        })
    };
    let has_selection = move || view.with(|v| !v.speakers.is_empty());
    let section = NodeRef::<leptos::html::Section>::new();

    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "ArrowDown" {
            if let Some(first) = section
                .get_untracked()
                .and_then(|s| s.query_selector("input.speaker-check").ok().flatten())
            {
                ev.prevent_default();
                focus(&first);
            }
        }
    };

    view! {
        <section class="filter" aria-labelledby="filter-heading" node_ref=section>
            <h2 id="filter-heading">"Speakers"</h2>
            <label class="search-label" for="speaker-search">"Find a speaker by name or role"</label>
            <input
                id="speaker-search"
                class="speaker-search"
                type="search"
                autocomplete="off"
                spellcheck="false"
                placeholder="e.g. Lavrov, Foreign Minister"
                aria-describedby="speaker-search-hint"
                data-testid="speaker-search"
                bind:value=query
                on:input=move |_| {
                    shown_people.set(PAGE);
                    shown_generic.set(PAGE);
                }
                on:keydown=on_search_key
            />
            <p id="speaker-search-hint" class="hint">
                "Typos and word order are forgiven; ↓ moves into the list, Enter or Space ticks."
            </p>

            <SelectedSpeakers />

            <fieldset class="filter-options" prop:disabled=move || !has_selection()>
                <legend>"Show events where"</legend>
                <MatchModeOption mode=MatchMode::Any testid="match-any" label=" any of them speaks" />
                <MatchModeOption mode=MatchMode::All testid="match-all" label=" all of them speak" />
                <label class="only-toggle">
                    <input
                        type="checkbox"
                        data-testid="only-their-turns"
                        prop:checked=move || view.with(|v| v.only_theirs)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            ctx.act(|v| v.only_theirs = on)
                        }
                    />
                    " Only their turns"
                    <span class="hint">" (in open transcripts, hide what others say)"</span>
                </label>
            </fieldset>

            <h3 class="list-heading">"People"</h3>
            <p class="muted small match-count" role="status" data-testid="people-count">
                {move || {
                    let n = list.with(|l| l.people.len());
                    if query.with(|q| q.trim().is_empty()) {
                        format!("{}, most events first", plural(n, "person", "people"))
                    } else if n == 0 {
                        "No person matches.".to_string()
                    } else {
                        format!("{} match, best first", plural(n, "person", "people"))
                    }
                }}
            </p>
            <ul class="speaker-list" data-testid="people">
                <For
                    each=move || list.with(|l| l.people.iter().take(shown_people.get()).copied().collect::<Vec<_>>())
                    key=|i| *i
                    children=move |i| view! { <SpeakerOption index=i section=section /> }
                />
            </ul>
            <ShowMore total=Signal::derive(move || list.with(|l| l.people.len())) shown=shown_people testid="people-more" />

            <Show when=move || list.with(|l| !l.generic.is_empty())>
                <h3 class="list-heading">"Generic labels — not people"</h3>
                <p class="muted small">"Turns printed under a role rather than a name (Question, Remark …)."</p>
                <ul class="speaker-list generic" data-testid="generic">
                    <For
                        each=move || list.with(|l| l.generic.iter().take(shown_generic.get()).copied().collect::<Vec<_>>())
                        key=|i| *i
                        children=move |i| view! { <SpeakerOption index=i section=section /> }
                    />
                </ul>
                <ShowMore total=Signal::derive(move || list.with(|l| l.generic.len())) shown=shown_generic testid="generic-more" />
            </Show>
        </section>
    }
}

/// One of the two "any / all" radio buttons.
#[component]
fn MatchModeOption(mode: MatchMode, testid: &'static str, label: &'static str) -> impl IntoView {
    let ctx = use_view();
    view! {
        <label>
            <input
                type="radio"
                name="match"
                data-testid=testid
                prop:checked=move || ctx.view.with(|v| v.match_mode == mode)
                on:change=move |_| ctx.act(|v| v.match_mode = mode)
            />
            {label}
        </label>
    }
}

/// "Show 50 more" under a list cut at `shown` rows.
#[component]
fn ShowMore(total: Signal<usize>, shown: RwSignal<usize>, testid: &'static str) -> impl IntoView {
    let hidden = move || total.get().saturating_sub(shown.get());
    view! {
        <Show when=move || { hidden() > 0 }>
            <button
                type="button"
                class="link-button show-more"
                data-testid=testid
                on:click=move |_| shown.update(|n| *n += PAGE)
            >
                {move || format!("Show {} more ({} not shown)", hidden().min(PAGE), hidden())}
            </button>
        </Show>
    }
}

fn focus(el: &web_sys::Element) {
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// ArrowDown / ArrowUp from a speaker checkbox: the next or previous one,
/// across the people and generic lists; up from the first goes back to the
/// search box.
fn move_focus(section: &web_sys::Element, from: &web_sys::Element, down: bool) {
    let Some(li) = from.parent_element() else {
        return;
    };
    let sibling = if down {
        li.next_element_sibling()
    } else {
        li.previous_element_sibling()
    };
    let in_generic = li
        .parent_element()
        .is_some_and(|ul| ul.class_list().contains("generic"));
    let target = match sibling {
        Some(li) => li.query_selector("input.speaker-check").ok().flatten(),
        None if down && !in_generic => section
            .query_selector("ul.generic input.speaker-check")
            .ok()
            .flatten(),
        None if !down && in_generic => section
            .query_selector("ul[data-testid=people] > li:last-child input.speaker-check")
            .ok()
            .flatten(),
        None if !down => section.query_selector("#speaker-search").ok().flatten(),
        None => None,
    };
    if let Some(target) = target {
        focus(&target);
    }
}

/// The picked speakers as removable chips, with "Clear".
#[component]
fn SelectedSpeakers() -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let view = ctx.view;
    view! {
        <Show
            when=move || view.with(|v| !v.speakers.is_empty())
            fallback=|| view! { <p class="muted selected-none">"All speakers. Tick names below to filter."</p> }
        >
            <div class="selected">
                <ul class="chips" aria-label="Picked speakers">
                    {
                        let corpus = corpus.clone();
                        move || {
                            view.with(|v| v.speakers.clone())
                                .into_iter()
                                .map(|id| {
                                    let name = corpus.speaker_name(&id).to_string();
                                    let label = format!("Remove {name}");
                                    view! {
                                        <li class="chip">
                                            <span>{name}</span>
                                            <button
                                                type="button"
                                                class="chip-remove"
                                                aria-label=label
                                                on:click=move |_| ctx.act(|v| v.toggle_speaker(&id))
                                            >
                                                "×"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }
                    }
                </ul>
                <button
                    type="button"
                    class="link-button"
                    data-testid="clear-filter"
                    on:click=move |_| ctx.act(|v| v.clear_filter())
                >
                    "Clear filter"
                </button>
            </div>
        </Show>
    }
}

/// One checkbox row: name, roles, number of events. Enter toggles it like
/// Space; the arrow keys move between rows.
#[component]
fn SpeakerOption(index: usize, section: NodeRef<leptos::html::Section>) -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let speaker = &corpus.speakers()[index];
    let id = speaker.id.clone();
    let input_id = format!("speaker-{}", speaker.id);
    let events = plural(speaker.event_count as usize, "event", "events");
    let roles = speaker.roles.join("; ");
    let picked = {
        let id = id.clone();
        move || ctx.view.with(|v| v.is_picked(&id))
    };
    let picked_class = picked.clone();
    let person = speaker.kind == SpeakerKind::Person;
    let (href_id, click_id) = (id.clone(), id.clone());
    let page_label = format!("Page of {}", speaker.name);
    let page_title = page_label.clone();
    let toggle_id = id.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let down = match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                ctx.act(|v| v.toggle_speaker(&toggle_id));
                return;
            }
            "ArrowDown" => true,
            "ArrowUp" => false,
            _ => return,
        };
        let (Some(section), Some(from)) = (
            section.get_untracked(),
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok()),
        ) else {
            return;
        };
        ev.prevent_default();
        move_focus(&section, &from, down);
    };
    view! {
        <li class="speaker-option" class:picked=picked_class>
            <input
                type="checkbox"
                class="speaker-check"
                id=input_id.clone()
                data-testid=format!("speaker-option-{}", speaker.id)
                prop:checked=picked
                on:change=move |_| ctx.act(|v| v.toggle_speaker(&id))
                on:keydown=on_key
            />
            <label for=input_id>
                <span class="speaker-name">{speaker.name.clone()}</span>
                <span class="count" title=events.clone() aria-hidden="true">
                    {speaker.event_count}
                </span>
                <span class="sr-only">{format!(", {events}")}</span>
                {(!roles.is_empty()).then(|| view! { <span class="roles">{roles}</span> })}
            </label>
            // The page of a person: next to the checkbox's label, not
            // inside it (a click on the name ticks the box).
            {person.then(|| view! {
                <a
                    class="person-link"
                    href=ctx.view.with_untracked(|v| state_link(v, |v| v.set_person(Some(&href_id))))
                    on:mouseenter={
                        let id = click_id.clone();
                        move |ev| refresh_link(ctx, &ev, |v| v.set_person(Some(&id)))
                    }
                    on:focus={
                        let id = click_id.clone();
                        move |ev| refresh_link(ctx, &ev, |v| v.set_person(Some(&id)))
                    }
                    on:click=move |ev| follow_link(ctx, &ev, |v| v.set_person(Some(&click_id)))
                    aria-label=page_label
                    title=page_title
                >
                    "Page"
                </a>
            })}
        </li>
    }
}
