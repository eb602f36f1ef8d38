use leptos::prelude::*;

use crate::components::event_card::EventCard;
use crate::logic::filter::{matching_events, MatchMode};
use crate::logic::text::{long_date, month_year, plural};
use crate::logic::timeline::{group_by_day, sort_events, SortOrder, YearGroup};
use crate::state::{use_corpus, use_view};

/// The filtered events in time order, grouped by year, month and day under
/// sticky headers.
#[component]
pub fn Timeline() -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let view = ctx.view;

    // Only the filter and the order change the list; opening a transcript
    // must not rebuild it.
    let filter = Memo::new(move |_| view.with(|v| (v.speakers.clone(), v.match_mode, v.sort)));
    let groups = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            filter.with(|(speakers, mode, sort)| {
                let mut idx = matching_events(corpus.events(), speakers, *mode);
                sort_events(corpus.events(), &mut idx, *sort);
                (idx.len(), group_by_day(corpus.events(), &idx))
            })
        })
    };
    let total = corpus.events().len();
    let count = move || groups.with(|(n, _)| *n);

    let summary = move || {
        let n = count();
        view.with(|v| {
            if v.speakers.is_empty() {
                plural(n, "event", "events")
            } else {
                let how = match v.match_mode {
                    MatchMode::Any => "any",
                    MatchMode::All => "all",
                };
                format!(
                    "{} of {total} with {how} of the picked speakers",
                    plural(n, "event", "events")
                )
            }
        })
    };

    view! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <div class="timeline-bar">
                <h2 id="timeline-heading" class="sr-only">"Timeline"</h2>
                <p class="result-count" role="status" data-testid="result-count">{summary}</p>
                <button
                    type="button"
                    class="sort-toggle"
                    data-testid="sort-toggle"
                    on:click=move |_| ctx.act(|v| v.sort = v.sort.toggled())
                >
                    {move || match view.with(|v| v.sort) {
                        SortOrder::NewestFirst => "Newest first ↓",
                        SortOrder::OldestFirst => "Oldest first ↑",
                    }}
                    <span class="sr-only">" (change order)"</span>
                </button>
            </div>
            <Show when=move || count() == 0>
                <EmptyState />
            </Show>
            <For
                each=move || groups.get().1
                // Keyed by content: a year whose events did not change keeps its DOM.
                key=|y| y.clone()
                children=move |year: YearGroup| view! { <Year year /> }
            />
        </section>
    }
}

#[component]
fn Year(year: YearGroup) -> impl IntoView {
    view! {
        <section class="year">
            <h2 class="sticky sticky-year">{year.year}</h2>
            {year
                .months
                .into_iter()
                .map(|month| {
                    view! {
                        <section class="month">
                            <h3 class="sticky sticky-month">{month_year(month.year, month.month)}</h3>
                            {month
                                .days
                                .into_iter()
                                .map(|day| {
                                    view! {
                                        <section class="day">
                                            <h4 class="sticky sticky-day">
                                                <time datetime=day.date.to_string()>{long_date(day.date)}</time>
                                            </h4>
                                            <ol class="events">
                                                {day
                                                    .events
                                                    .into_iter()
                                                    .map(|i| view! { <li><EventCard index=i /></li> })
                                                    .collect_view()}
                                            </ol>
                                        </section>
                                    }
                                })
                                .collect_view()}
                        </section>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// Nothing matches the filter: say so and offer the way out.
#[component]
fn EmptyState() -> impl IntoView {
    let ctx = use_view();
    view! {
        <div class="state state-empty" data-testid="empty-state">
            <p>"No events match the picked speakers."</p>
            <button type="button" on:click=move |_| ctx.act(|v| v.clear_filter())>
                "Clear filter"
            </button>
        </div>
    }
}
