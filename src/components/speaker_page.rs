//! A speaker's page (`?person=<id>`): a panel above the timeline with the
//! canonical name, roles over time, events per year, share of words,
//! first and last appearance. The timeline below shows their events
//! (the filter's `person`), combined with the other filters.

use leptos::prelude::*;
use stenogram_corpus::model::SpeakerKind;

use crate::focus::{focus_is_lost, focus_without_scrolling, focused_element};
use crate::logic::speaker_stats::{percent_text, roles_over_time, speaker_stats, SpeakerStats};
use crate::logic::text::{group_digits, plural};
use crate::logic::url_state::ViewState;
use crate::state::{state_link, use_corpus, use_view};

/// The chart's size in SVG units (it scales with the panel's width).
const CHART_W: f64 = 300.0;
const CHART_H: f64 = 60.0;

/// The page of the person in the URL, if any.
#[component]
pub fn SpeakerPage() -> impl IntoView {
    let corpus = use_corpus();
    let view = use_view().view;
    let person = Memo::new(move |_| view.with(|v| v.person.clone()));
    move || {
        person
            .get()
            .and_then(|id| corpus.speaker_pos(&id))
            .map(|pos| view! { <SpeakerPanel pos /> })
    }
}

/// The panel of the speaker at `pos` in the speaker table; its numbers are
/// computed once, when it opens (one pass over the rows).
#[component]
fn SpeakerPanel(pos: u32) -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let Some(speaker) = corpus.speaker_at(pos) else {
        return ().into_any();
    };
    let stats = speaker_stats(corpus.events(), |e| corpus.words(e), pos);
    let name = speaker.name.clone();
    let kind = match speaker.kind {
        SpeakerKind::Person => "Person",
        SpeakerKind::Generic => "Generic label, not a person",
    };
    let roles = roles_over_time(speaker)
        .into_iter()
        .map(|r| {
            let when = match (r.first, r.last) {
                (Some(a), Some(b)) if a == b => format!(" ({})", a.format("%-d %b %Y")),
                (Some(a), Some(b)) => {
                    format!(" ({} – {})", a.format("%b %Y"), b.format("%b %Y"))
                }
                _ => String::new(),
            };
            view! { <li>{r.role}<span class="muted">{when}</span></li> }
        })
        .collect_view();
    let has_roles = !speaker.roles.is_empty() || !speaker.role_spans.is_empty();
    let share = share_text(&stats);
    let appearance = |label: &'static str, row: Option<usize>| {
        let e = row.and_then(|i| corpus.events().get(i))?;
        let id = e.id().to_string();
        // A real address that opens the event (first in `open`, so the
        // timeline scrolls to it when the page loads it).
        // Follows the view, so filters picked later are kept.
        let href = move || ctx.view.with(|v| state_link(v, |v| open_first(v, &id)));
        Some(view! {
            <div>
                <dt>{label}</dt>
                <dd>
                    <a href=href data-testid=format!("person-{}", label.to_lowercase())>
                        <time datetime=e.date.to_string()>{e.date.format("%-d %b %Y").to_string()}</time>
                        {format!(": {}", e.title)}
                    </a>
                </dd>
            </div>
        })
    };
    let first = appearance("First", stats.first);
    let last = appearance("Last", stats.last);
    let events = plural(stats.events as usize, "event", "events");
    let heading = focus_handling();
    view! {
        <section class="speaker-page" aria-labelledby="person-heading" data-testid="speaker-page">
            <div class="speaker-page-head">
                <h2 id="person-heading" data-testid="person-name" tabindex="-1" node_ref=heading>
                    {name.clone()}
                </h2>
                <button
                    type="button"
                    class="speaker-page-close"
                    data-testid="person-close"
                    aria-label=format!("Close the page of {name}")
                    on:click=move |_| ctx.act(|v| v.set_person(None))
                >
                    "×"
                </button>
            </div>
            <p class="muted speaker-kind">{kind}{format!(" · speaks in {events}")}</p>
            {has_roles.then(|| view! {
                <h3 class="list-heading">"Roles"</h3>
                <ul class="roles-over-time">{roles}</ul>
            })}
            <h3 class="list-heading">"Events per year"</h3>
            <YearChart per_year=stats.per_year.clone() />
            <dl class="speaker-facts">
                <div>
                    <dt>"Share of words"</dt>
                    <dd data-testid="person-share">{share}</dd>
                </div>
                {first}
                {last}
            </dl>
            <p class="muted small">"The timeline below shows their events, with the other filters."</p>
        </section>
    }
    .into_any()
}

/// Where the keyboard focus goes. Opened while something has the focus (a
/// name link, a button, or Back/Forward from such a page), the page takes
/// it on its heading: a screen reader announces the page, and Tab goes on
/// inside it instead of in the card below. Opened by a load, the focus
/// stays where it is. When the page goes (its close button, Back, another
/// person) and the focus went with it to the body, it is given back to
/// what opened the page if that is still there, else to the main region.
fn focus_handling() -> NodeRef<leptos::html::H2> {
    let heading = NodeRef::<leptos::html::H2>::new();
    let opener = focused_element();
    let take_focus = opener.is_some();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            if take_focus {
                let _ = h.focus();
            }
        }
    });
    let opener = send_wrapper::SendWrapper::new(opener);
    on_cleanup(move || {
        let opener = opener.take();
        // In the next frame: the timeline below has been rebuilt by then
        // (the opener, a name on a card, may have gone with it).
        request_animation_frame(move || {
            if !focus_is_lost() {
                return;
            }
            let back = opener
                .filter(|el| el.is_connected())
                .or_else(|| document().get_element_by_id("main"));
            if let Some(el) = back {
                focus_without_scrolling(&el);
            }
        });
    });
    heading
}

/// "38 % (12,345 of 32,100 words spoken in their events)".
fn share_text(stats: &SpeakerStats) -> String {
    let n = |w: u64| group_digits(usize::try_from(w).unwrap_or(usize::MAX));
    if stats.words_in_their_events == 0 {
        return "no words counted".to_string();
    }
    format!(
        "{} ({} of {} words spoken in their events)",
        percent_text(stats.share_percent()),
        n(stats.words),
        n(stats.words_in_their_events)
    )
}

/// Open `id` (first in the list) keeping the rest of the view.
fn open_first(v: &mut ViewState, id: &str) {
    v.open.retain(|o| o != id);
    v.open.insert(0, id.to_string());
}

/// Events per year as bars, with every number in its accessible name and
/// in each bar's tooltip.
#[component]
fn YearChart(per_year: Vec<(i32, u32)>) -> impl IntoView {
    let n = per_year.len().max(1);
    let max = per_year.iter().map(|&(_, c)| c).max().unwrap_or(0).max(1);
    let slot = CHART_W / n as f64;
    let label = format!(
        "Events per year: {}",
        per_year
            .iter()
            .map(|(y, c)| format!("{y}: {c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bars = per_year
        .iter()
        .enumerate()
        .map(|(i, &(year, count))| {
            let h = if count == 0 {
                0.0
            } else {
                (f64::from(count) / f64::from(max) * CHART_H).max(1.0)
            };
            view! {
                <g>
                    <title>{format!("{year}: {}", plural(count as usize, "event", "events"))}</title>
                    <rect class="hit" x=i as f64 * slot y="0" width=slot height=CHART_H />
                    <rect
                        class="year-bar"
                        x=i as f64 * slot + slot * 0.1
                        y=CHART_H - h
                        width=slot * 0.8
                        height=h
                    />
                </g>
            }
        })
        .collect_view();
    let first_year = per_year
        .first()
        .map(|(y, _)| y.to_string())
        .unwrap_or_default();
    let last_year = per_year
        .last()
        .map(|(y, _)| y.to_string())
        .unwrap_or_default();
    view! {
        <figure class="year-chart" data-testid="person-years">
            <svg
                viewBox=format!("0 0 {CHART_W} {CHART_H}")
                preserveAspectRatio="none"
                role="img"
                aria-label=label
                focusable="false"
            >
                {bars}
            </svg>
            <figcaption class="year-axis muted small" aria-hidden="true">
                <span>{first_year}</span>
                <span>{format!("max {max} a year")}</span>
                <span>{last_year}</span>
            </figcaption>
        </figure>
    }
}
