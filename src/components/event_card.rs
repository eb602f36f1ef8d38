use leptos::prelude::*;
use stenogram_corpus::model::{Speaker, SpeakerKind};

use crate::components::search_passages::SearchPassages;
use crate::components::transcript::Transcript;
use crate::components::word_share::WordShare;
use crate::logic::text::plural;
use crate::state::{
    follow_link, permalink, refresh_link_of, state_link, use_corpus, use_view, ViewCtx,
};

/// One event in the timeline: when, where, what, who spoke, topics, and a
/// button that opens the transcript inline (fetched then, with its lead).
#[component]
pub fn EventCard(index: usize) -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let view = ctx.view;
    let event = &corpus.events()[index];

    let id = event.id().to_string();
    let title_id = format!("title-{id}");
    let transcript_id = format!("transcript-{id}");
    let is_open = {
        let id = id.clone();
        Memo::new(move |_| view.with(|v| v.is_open(&id)))
    };
    let turns = event.turns as usize;

    let meta = [
        event.time.clone(),
        event.place.map(|p| corpus.place(p).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();

    // Who spoke, people first; picked speakers are emphasised.
    let speakers: Vec<_> = event
        .speakers
        .iter()
        .filter_map(|&p| corpus.speaker_at(p))
        .collect();
    let (people, generic): (Vec<_>, Vec<_>) =
        speakers.iter().partition(|s| s.kind == SpeakerKind::Person);
    let has_generic = !generic.is_empty();
    let speaker_chip = |s: &&Speaker| {
        let name = s.name.clone();
        let sid = s.id.clone();
        // People's names link to their page (a real address, so a new tab
        // works); generic labels are not anyone's page.
        if s.kind == SpeakerKind::Person {
            // The list listens for its links (see `PersonLink`).
            let href = view.with_untracked(|v| state_link(v, |v| v.set_person(Some(&sid))));
            view! {
                <li>
                    <a
                        class="speaker-link"
                        class:picked={
                            let sid = sid.clone();
                            move || view.with(|v| v.is_picked(&sid))
                        }
                        href=href
                        data-person=sid
                    >
                        {name}
                    </a>
                </li>
            }
            .into_any()
        } else {
            view! {
                <li><span class:picked=move || view.with(|v| v.is_picked(&sid))>{name}</span></li>
            }
            .into_any()
        }
    };
    let people_view = people.iter().map(speaker_chip).collect_view();
    let generic_view = generic.iter().map(speaker_chip).collect_view();
    let topics = event
        .topics
        .iter()
        .map(|&t| corpus.topic(t).to_string())
        .collect();
    let geography = event
        .geography
        .iter()
        .map(|&g| corpus.geography(g).to_string())
        .collect();

    // A link that opens just this event, for citing.
    let permalink = permalink(&id, None);

    let toggle_id = id.clone();
    let labelled_by = title_id.clone();
    let controls = transcript_id.clone();
    view! {
        <article
            class="event-card"
            class:open=move || is_open.get()
            data-testid="event-card"
            data-event-id=id.clone()
            aria-labelledby=labelled_by
        >
            <p class="event-when">
                <time datetime=event.date.to_string()>{event.date.format("%-d %b %Y").to_string()}</time>
                {meta.into_iter().map(|m| view! { <span class="sep">" · "</span><span>{m}</span> }).collect_view()}
            </p>
            <h5 class="event-title" id=title_id data-testid="event-title">{event.title.clone()}</h5>
            {(!event.speakers.is_empty()).then(|| view! {
                <div class="event-speakers">
                    <span class="field-label">"Speakers: "</span>
                    <ul
                        class="inline-list"
                        data-testid="event-speakers"
                        on:mouseover=move |ev| {
                            if let Some(link) = PersonLink::of(&ev) {
                                link.refresh(ctx);
                            }
                        }
                        on:focusin=move |ev| {
                            if let Some(link) = PersonLink::of(&ev) {
                                link.refresh(ctx);
                            }
                        }
                        on:click=move |ev| {
                            if let Some(link) = PersonLink::of(&ev) {
                                follow_link(ctx, &ev, |v| v.set_person(Some(&link.id)));
                            }
                        }
                    >
                        {people_view}
                    </ul>
                    {has_generic.then(|| view! {
                        <span class="field-label generic-label">" Generic labels: "</span>
                        <ul class="inline-list generic">{generic_view}</ul>
                    })}
                </div>
            })}
            <WordShare index />
            <Tags label="Topics: " items=topics />
            <Tags label="Geography: " items=geography />
            <SearchPassages index />
            <div class="event-actions">
                <button
                    type="button"
                    class="open-toggle"
                    data-testid="toggle-transcript"
                    aria-expanded=move || is_open.get().to_string()
                    aria-controls=controls
                    on:click=move |_| ctx.act(|v| v.toggle_open(&toggle_id))
                >
                    {move || if is_open.get() { "Hide transcript" } else { "Show transcript" }}
                    <span class="muted">{format!(" ({})", plural(turns, "turn", "turns"))}</span>
                </button>
                <a class="permalink" href=permalink>"Link to this event"</a>
            </div>
            <Show when=move || is_open.get()>
                <Transcript index dom_id=transcript_id.clone() />
            </Show>
        </article>
    }
}

/// A labelled list of tags (topics, geography); nothing when empty.
#[component]
fn Tags(label: &'static str, items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <div class="event-tags">
                <span class="field-label">{label}</span>
                <ul class="tags">
                    {items.into_iter().map(|t| view! { <li class="tag">{t}</li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// A person's name on a card, found from an event on the card's list of
/// names: one set of listeners per card, not three per name (an event can
/// name 67 people, each listener a closure made on mount and dropped on
/// unmount). The link carries the person's id in `data-person`, and holds
/// only its text, so `mouseover` comes once each time the pointer enters it.
struct PersonLink {
    el: web_sys::Element,
    id: String,
}

impl PersonLink {
    /// The link the event happened in, if any.
    fn of(ev: &web_sys::Event) -> Option<PersonLink> {
        use wasm_bindgen::JsCast;
        let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
        let el = target.closest("a.speaker-link[data-person]").ok()??;
        let id = el.get_attribute("data-person")?;
        Some(PersonLink { el, id })
    }

    /// Brings its `href` up to date with the view (see `refresh_link`).
    fn refresh(&self, ctx: ViewCtx) {
        refresh_link_of(ctx, &self.el, |v| v.set_person(Some(&self.id)));
    }
}
