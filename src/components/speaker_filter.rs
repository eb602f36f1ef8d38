use leptos::prelude::*;

use crate::logic::filter::MatchMode;
use crate::logic::speakers::speaker_list;
use crate::logic::text::plural;
use crate::state::{use_corpus, use_view};

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

    let list = {
        let corpus = corpus.clone();
        Memo::new(move |_| query.with(|q| speaker_list(corpus.speakers(), q)))
    };
    let has_selection = move || view.with(|v| !v.speakers.is_empty());

    view! {
        <section class="filter" aria-labelledby="filter-heading">
            <h2 id="filter-heading">"Speakers"</h2>
            <label class="search-label" for="speaker-search">"Find a speaker by name or role"</label>
            <input
                id="speaker-search"
                class="speaker-search"
                type="search"
                autocomplete="off"
                placeholder="e.g. Lavrov, Foreign Minister"
                data-testid="speaker-search"
                bind:value=query
            />

            <SelectedSpeakers />

            <fieldset class="filter-options" prop:disabled=move || !has_selection()>
                <legend>"Show events where"</legend>
                <label>
                    <input
                        type="radio"
                        name="match"
                        data-testid="match-any"
                        prop:checked=move || view.with(|v| v.match_mode == MatchMode::Any)
                        on:change=move |_| ctx.act(|v| v.match_mode = MatchMode::Any)
                    />
                    " any of them speaks"
                </label>
                <label>
                    <input
                        type="radio"
                        name="match"
                        data-testid="match-all"
                        prop:checked=move || view.with(|v| v.match_mode == MatchMode::All)
                        on:change=move |_| ctx.act(|v| v.match_mode = MatchMode::All)
                    />
                    " all of them speak"
                </label>
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
            <ul class="speaker-list" data-testid="people">
                <For
                    each=move || list.get().people
                    key=|i| *i
                    children=move |i| view! { <SpeakerOption index=i /> }
                />
            </ul>
            <Show when=move || list.with(|l| l.people.is_empty())>
                <p class="muted">"No person matches."</p>
            </Show>

            <Show when=move || list.with(|l| !l.generic.is_empty())>
                <h3 class="list-heading">"Generic labels — not people"</h3>
                <p class="muted small">"Turns printed under a role rather than a name (Question, Remark …)."</p>
                <ul class="speaker-list generic" data-testid="generic">
                    <For
                        each=move || list.get().generic
                        key=|i| *i
                        children=move |i| view! { <SpeakerOption index=i /> }
                    />
                </ul>
            </Show>
        </section>
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

/// One checkbox row: name, roles, number of events.
#[component]
fn SpeakerOption(index: usize) -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let speaker = corpus.speakers()[index].clone();
    let id = speaker.id.clone();
    let input_id = format!("speaker-{}", speaker.id);
    let events = plural(speaker.event_count as usize, "event", "events");
    let roles = speaker.roles.join("; ");
    let picked = {
        let id = id.clone();
        move || ctx.view.with(|v| v.is_picked(&id))
    };
    let picked_class = picked.clone();
    view! {
        <li class="speaker-option" class:picked=picked_class>
            <input
                type="checkbox"
                id=input_id.clone()
                data-testid=format!("speaker-option-{}", speaker.id)
                prop:checked=picked
                on:change=move |_| ctx.act(|v| v.toggle_speaker(&id))
            />
            <label for=input_id>
                <span class="speaker-name">{speaker.name.clone()}</span>
                <span class="count" title=events.clone() aria-hidden="true">
                    {speaker.event_count}
                </span>
                <span class="sr-only">{format!(", {events}")}</span>
                {(!roles.is_empty()).then(|| view! { <span class="roles">{roles}</span> })}
            </label>
        </li>
    }
}
