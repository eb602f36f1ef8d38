//! The timeline: the filtered events in time order under year, month and
//! day headers, virtualised. Only the rows near the viewport are in the
//! DOM; two spacers stand in for the others, sized from measured heights
//! (estimates until a row has been seen). See `logic::virtual_list`.

use chrono::Datelike;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::after_paint::after_next_paint;
use crate::components::event_card::EventCard;
use crate::logic::filter::MatchMode;
use crate::logic::text::{group_digits, long_date, month_year, plural};
use crate::logic::timeline::{filtered_rows, items, month_position, Item, RowHeights, SortOrder};
use crate::logic::url_state::decode_component;
use crate::logic::virtual_list::{Layout, Mounting};
use crate::state::{scroll_to_fragment, use_corpus, use_filter, use_shards, use_view};

/// Rendered beyond the viewport on each side, in pixels: a fast scroll
/// shows rows, not blank space, before the next frame catches up.
const OVERSCAN_PX: f64 = 600.0;

/// The list must be still this long before the transcripts on screen are
/// fetched ahead of a click.
const PREFETCH_AFTER_MS: u32 = 150;

/// At most this many shards (~40 KB gzip each) are fetched ahead per stop.
const PREFETCH_MAX_SHARDS: usize = 4;

/// Shards bigger than this (one huge transcript) are not fetched ahead.
const PREFETCH_MAX_SHARD_BYTES: u64 = 512 * 1024;

/// Heights before a row has been measured (close to the CSS, so that the
/// scrollbar barely moves as rows are measured).
fn estimate(item: &Item) -> f64 {
    match item {
        Item::Year(_) => 46.0,
        Item::Month { .. } => 40.0,
        Item::Day(_) => 38.0,
        Item::Event(_) => 178.0,
    }
}

#[component]
pub fn Timeline() -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let view = ctx.view;

    // Only the filter and the order change the list; opening a transcript
    // must not rebuild it (both are memos).
    let filter = use_filter();
    let sort = Memo::new(move |_| view.with(|v| v.sort));
    let list = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            let sort = sort.get();
            filter.with(|filter| {
                let rows = filtered_rows(&corpus, filter, sort);
                (rows.len(), items(corpus.events(), &rows))
            })
        })
    };
    let total = corpus.events().len();
    let count = move || list.with(|(n, _)| *n);

    let measured = StoredValue::new(RowHeights::new(total));
    let layout = RwSignal::new(Layout::default());
    // Bumped for each new list (a filter or the order changed), not when
    // rows of the same list are measured.
    let list_generation = StoredValue::new(0u64);
    // On screen plus margins; after a jump or for a new list, on screen
    // only, the new list's margins once its first frame is painted (see
    // `Mounting`).
    let mounting = StoredValue::new(Mounting::default());
    let widened = Trigger::new();
    Effect::new(move |_| {
        let heights = list.with(|(_, items)| measured.with_value(|m| m.for_rows(items, estimate)));
        list_generation.update_value(|g| *g += 1);
        let generation = list_generation.get_value();
        layout.set(Layout::new(heights));
        after_next_paint(move || {
            if mounting
                .try_update_value(|m| m.widen(generation))
                .unwrap_or(false)
            {
                widened.notify();
            }
        });
    });

    // The part of the list on screen, relative to the list's top. At first,
    // the window's height from the list's top (see the first measurement
    // below).
    let window_height = || {
        window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(1000.0)
    };
    let viewport = RwSignal::new((0.0f64, window_height()));
    let list_ref = NodeRef::<leptos::html::Div>::new();
    let measure_viewport = move || {
        let Some(el) = list_ref.get_untracked() else {
            return;
        };
        let top = -el.get_bounding_client_rect().top();
        let height = window_height();
        if viewport.get_untracked() != (top, top + height) {
            viewport.set((top, top + height));
        }
    };
    // Scroll and resize: at most one measurement per frame.
    let frame_pending = StoredValue::new(false);
    let on_scroll = move || {
        if frame_pending.get_value() {
            return;
        }
        frame_pending.set_value(true);
        request_animation_frame(move || {
            frame_pending.set_value(false);
            measure_viewport();
        });
    };
    let scroll_handle = window_event_listener(leptos::ev::scroll, move |_| on_scroll());
    let resize_handle = window_event_listener(leptos::ev::resize, move |_| on_scroll());
    on_cleanup(move || {
        scroll_handle.remove();
        resize_handle.remove();
    });
    // The first measurement. At the top of the page the list starts on
    // screen or below it, so the first rows up to the window's height are
    // all that can show: they are mounted without measuring, and measured
    // once the first frame is painted. Measuring before it forced a layout
    // of the whole page that the frame then did again, with the rows the
    // measurement changed (the first paint at 35,000 events came ~100 ms
    // later). A page opened scrolled (a reload) is measured before its
    // first frame, as every scroll is.
    if window().scroll_y().unwrap_or(0.0) > 0.0 {
        request_animation_frame(measure_viewport);
    } else {
        after_next_paint(measure_viewport);
    }

    // The rows mounted now: a new list keeps those it shares near the
    // screen (see `Mounting`).
    let mounted_items = StoredValue::new(Vec::<Item>::new());
    // The rows to mount, with the number of the list they index. The list
    // is read untracked: a new list reaches the range through its layout
    // (the effect above), so the rows shown change once, with both.
    let mounted_rows = Memo::new(move |was: Option<&(u64, std::ops::Range<usize>)>| {
        widened.track();
        let viewport = viewport.get();
        let generation = list_generation.get_value();
        let mounted = was.map(|(_, rows)| rows);
        let rows = list.with_untracked(|(_, items)| {
            mounted_items.with_value(|was| {
                let was_mounted = |row: usize| items.get(row).is_some_and(|i| was.contains(i));
                layout.with(|l| {
                    mounting
                        .try_update_value(|m| {
                            m.range(l, viewport, OVERSCAN_PX, generation, mounted, was_mounted)
                        })
                        .unwrap_or_default()
                })
            })
        });
        (generation, rows)
    });
    let range = move || mounted_rows.with(|(_, rows)| rows.clone());

    // Once the list has been still for a moment, fetch the transcripts of
    // the events on screen (a shard or two: neighbours in time share one),
    // so that opening one shows its text at once. Never while scrolling.
    let shards = use_shards();
    let prefetch_timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    {
        let corpus = corpus.clone();
        Effect::new(move |_| {
            let (top, bottom) = viewport.get();
            // On screen first, then the next screenful below (the cards a
            // reader reaches with a short scroll, or that sit just under the
            // fold on a short day).
            let (on_screen, below) = layout.with(|l| {
                (
                    l.visible(top, bottom, 0.0),
                    l.visible(bottom, bottom + OVERSCAN_PX, 0.0),
                )
            });
            let wanted: Vec<u32> = list.with(|(_, items)| {
                let mut wanted = Vec::new();
                let rows = items.get(on_screen).unwrap_or_default().iter();
                for item in rows.chain(items.get(below).unwrap_or_default()) {
                    if let Item::Event(i) = item {
                        let k = corpus.events()[*i].shard;
                        // A giant transcript is fetched when asked for only.
                        let small = corpus
                            .shards()
                            .get(k as usize)
                            .is_some_and(|s| s.bytes <= PREFETCH_MAX_SHARD_BYTES);
                        if small && !wanted.contains(&k) {
                            wanted.push(k);
                        }
                    }
                }
                wanted
            });
            let corpus = corpus.clone();
            let timer = gloo_timers::callback::Timeout::new(PREFETCH_AFTER_MS, move || {
                for k in wanted.into_iter().take(PREFETCH_MAX_SHARDS) {
                    shards.request(corpus.clone(), k);
                }
            });
            // Replacing the timer cancels the previous one.
            prefetch_timer.set_value(Some(timer));
        });
    }
    let shown = move || {
        let r = range();
        // Clamped all the same: a list is never indexed out of bounds.
        let rows = list.with_untracked(|(_, items)| {
            let end = r.end.min(items.len());
            items[r.start.min(end)..end].to_vec()
        });
        mounted_items.set_value(rows.clone());
        rows
    };
    // The year, month and day headings above the first mounted row are not
    // in the DOM when scrolled past: name them for screen readers (and keep
    // the heading levels in order) in a visually hidden block.
    let context = {
        let corpus = corpus.clone();
        move || {
            let first = list.with(|(_, items)| items.get(range().start).copied())?;
            // (year, the month if its header is not mounted, the day likewise)
            Some(match first {
                Item::Year(_) => return None,
                Item::Month { year, .. } => (year, None, None),
                Item::Day(d) => (d.year(), Some(d.month()), None),
                Item::Event(i) => {
                    let d = corpus.events().get(i)?.date;
                    (d.year(), Some(d.month()), Some(d))
                }
            })
        }
    };
    let context_view = move || {
        context().map(|(year, month, day)| {
            view! {
                <div class="sr-only" data-testid="timeline-context">
                    <h2>{year}</h2>
                    {month.map(|m| view! { <h3>{month_year(year, m)}</h3> })}
                    {day.map(|d| view! { <h4>{long_date(d)}</h4> })}
                </div>
            }
        })
    };
    let top_space = move || layout.with(|l| format!("{}px", l.offset(range().start)));
    let bottom_space =
        move || layout.with(|l| format!("{}px", (l.total() - l.offset(range().end)).max(0.0)));

    // One observer for every mounted row: a row that changes height (it
    // was measured for the first time, a transcript opened, the window
    // narrowed) updates the layout.
    let observer = {
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let mut changes: Vec<(Item, f64)> = Vec::new();
            {
                for entry in entries.iter() {
                    let Ok(entry) = entry.dyn_into::<web_sys::ResizeObserverEntry>() else {
                        continue;
                    };
                    let target = entry.target();
                    // A row being removed reports 0: not its height.
                    if !target.is_connected() {
                        continue;
                    }
                    let Some(key) = target.get_attribute("data-row") else {
                        continue;
                    };
                    // The entry carries the size: asking the element would
                    // force a layout per row.
                    let height = entry
                        .border_box_size()
                        .get(0)
                        .dyn_into::<web_sys::ResizeObserverSize>()
                        .map(|size| size.block_size())
                        .unwrap_or_else(|_| target.get_bounding_client_rect().height());
                    // No row is empty: 0 means hidden (print, "only what is
                    // open"), which must not reshape the list underneath.
                    if height < 1.0 {
                        continue;
                    }
                    if let Some(item) = Item::from_key(&key) {
                        changes.push((item, height));
                    }
                }
            }
            if changes.is_empty() {
                return;
            }
            measured.update_value(|m| {
                for (item, h) in &changes {
                    m.set(item, *h);
                }
            });
            let mounted = mounted_rows.with_untracked(|(_, rows)| rows.clone());
            let positions: Vec<(usize, f64)> = list.with_untracked(|(_, items)| {
                changes
                    .iter()
                    .filter_map(|(item, h)| {
                        let pos = mounted.clone().find(|&p| items.get(p) == Some(item))?;
                        Some((pos, *h))
                    })
                    .collect()
            });
            let mut changed = false;
            layout.update_untracked(|l| changed = l.set_heights(positions));
            if changed {
                layout.notify();
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref())
            .expect("ResizeObserver is available in every supported browser");
        callback.forget();
        SendWrapper::new(observer)
    };
    let observer = StoredValue::new(observer);

    // "Jump to": scroll so that row `pos` is at the top. The first scroll
    // goes by the layout, whose rows above may still be estimates; once the
    // row is mounted (next frames), it is scrolled to where it really is,
    // until it stays put.
    let jump_to_row = move |pos: usize| {
        let Some(el) = list_ref.get_untracked() else {
            return;
        };
        // Settle on the first event at or after the row: headers are sticky,
        // and a stuck header does not say where it would be.
        let Some(key) = list.with_untracked(|(_, items)| {
            items
                .get(pos..)
                .and_then(|rest| rest.iter().find(|i| matches!(i, Item::Event(_))))
                .map(Item::key)
        }) else {
            return;
        };
        let list_top = el.get_bounding_client_rect().top() + window().scroll_y().unwrap_or(0.0);
        let y = list_top + layout.with_untracked(|l| l.offset(pos));
        window().scroll_to_with_x_and_y(0.0, y);
        measure_viewport();
        settle_on_row(key, 8);
    };
    let jump_to_month = {
        let corpus = corpus.clone();
        move |year: i32, month: u32| {
            let sort = view.with_untracked(|v| v.sort);
            let pos = list.with_untracked(|(_, items)| {
                month_position(items, corpus.events(), sort, year, month)
            });
            if let Some(pos) = pos {
                jump_to_row(pos);
            }
        }
    };
    // A link that opens an event: bring its card on screen once laid out.
    {
        let corpus = corpus.clone();
        let first_open = view.with_untracked(|v| v.open.first().cloned());
        if let Some(row) = first_open.and_then(|id| corpus.event_pos(&id)) {
            request_animation_frame(move || {
                let pos = list
                    .with_untracked(|(_, items)| items.iter().position(|i| *i == Item::Event(row)));
                if let Some(pos) = pos {
                    jump_to_row(pos);
                }
            });
        }
    }

    // The month at the top of the screen, for the bar.
    let current_month = {
        let corpus = corpus.clone();
        move || {
            // What is read: the first row below the sticky headers.
            let (top, _) = viewport.get();
            let pos = layout.with(|l| l.row_at((top + BELOW_STICKY_HEADERS_PX).max(0.0)));
            // A year header names no month: take the row after it.
            list.with(|(_, items)| {
                items
                    .get(pos..)
                    .and_then(|rest| rest.iter().find(|i| !matches!(i, Item::Year(_))))
                    .map(|i| i.month(corpus.events()))
                    .map(|(y, m)| month_year(y, m))
            })
        }
    };

    let corpus_for_summary = corpus.clone();
    let summary = move || {
        let n = count();
        view.with(|v| {
            let mut parts = Vec::new();
            if !v.speakers.is_empty() {
                let how = match v.match_mode {
                    MatchMode::Any => "any",
                    MatchMode::All => "all",
                };
                parts.push(format!("with {how} of the picked speakers"));
            }
            if v.from.is_some() || v.to.is_some() {
                parts.push("in the date range".to_string());
            }
            if !v.query.trim().is_empty() {
                parts.push("matching the search".to_string());
            }
            if let Some(person) = &v.person {
                parts.push(format!(
                    "where {} speaks",
                    corpus_for_summary.speaker_name(person)
                ));
            }
            for (picked, what) in [
                (&v.topics, "topics"),
                (&v.places, "places"),
                (&v.geography, "geography"),
            ] {
                if !picked.is_empty() {
                    parts.push(format!("with the picked {what}"));
                }
            }
            if parts.is_empty() {
                plural(n, "event", "events")
            } else {
                format!(
                    "{} of {} {}",
                    plural(n, "event", "events"),
                    group_digits(total),
                    parts.join(", ")
                )
            }
        })
    };

    let jump_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some((y, m)) = value.split_once('-') {
            if let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>()) {
                jump_to_month(y, m);
            }
        }
    };

    view! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <div class="timeline-bar">
                <h2 id="timeline-heading" class="sr-only">"Timeline"</h2>
                <p class="result-count" role="status" data-testid="result-count">{summary}</p>
                <p class="current-month muted" aria-hidden="true" data-testid="current-month">
                    {current_month}
                </p>
                <label class="jump">
                    "Jump to "
                    <input type="month" data-testid="jump-to" on:change=jump_input />
                </label>
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
            <div class="timeline-list" node_ref=list_ref>
                <div class="spacer" aria-hidden="true" style:height=top_space></div>
                {context_view}
                <For
                    each=shown
                    key=|item| *item
                    children=move |item: Item| view! { <Row item observer /> }
                />
                <div class="spacer" aria-hidden="true" style:height=bottom_space></div>
            </div>
        </section>
    }
}

/// Where a jumped-to event card should end up: below the sticky year,
/// month and day headers (their heights are set in style/main.css).
const BELOW_STICKY_HEADERS_PX: f64 = 112.0;

/// After a jump: bring the event row `key` just below the sticky headers
/// once it is mounted, and again while measuring rows above it moves it, at
/// most `tries` frames.
fn settle_on_row(key: String, tries: u32) {
    request_animation_frame(move || {
        // A link to a turn: once the turn is mounted, it is what the reader
        // asked for; the transcript scrolls to it (see transcript.rs).
        if fragment_target_is_mounted() {
            scroll_to_fragment();
            return;
        }
        let top = document()
            .query_selector(&format!("[data-row=\"{key}\"]"))
            .ok()
            .flatten()
            .map(|row| row.get_bounding_client_rect().top());
        match top {
            Some(top) if (top - BELOW_STICKY_HEADERS_PX).abs() < 1.0 => {}
            Some(top) => {
                window().scroll_by_with_x_and_y(0.0, top - BELOW_STICKY_HEADERS_PX);
                if tries > 1 {
                    settle_on_row(key, tries - 1);
                }
            }
            None if tries > 1 => settle_on_row(key, tries - 1),
            None => {}
        }
    });
}

/// The URL names a turn (`#<event>--<block>`) and that turn is in the DOM.
fn fragment_target_is_mounted() -> bool {
    let hash = window().location().hash().unwrap_or_default();
    let id = decode_component(hash.trim_start_matches('#'));
    !id.is_empty() && document().get_element_by_id(&id).is_some()
}

/// One row: a header or an event card, observed for its height while mounted.
#[component]
fn Row(item: Item, observer: StoredValue<SendWrapper<web_sys::ResizeObserver>>) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            observer.with_value(|o| o.observe(&el));
            let el = SendWrapper::new(el);
            on_cleanup(move || observer.with_value(|o| o.unobserve(&el)));
        }
    });
    let key = item.key();
    // A header row is itself sticky (a direct child of the list: then
    // `position: sticky` holds it for the whole list, each new one covering
    // the last), with the real heading inside it.
    match item {
        Item::Year(y) => view! {
            <div class="vrow sticky sticky-year" data-row=key node_ref=node>
                <h2>{y}</h2>
            </div>
        }
        .into_any(),
        Item::Month { year, month } => view! {
            <div class="vrow sticky sticky-month" data-row=key node_ref=node>
                <h3>{month_year(year, month)}</h3>
            </div>
        }
        .into_any(),
        Item::Day(d) => view! {
            <div class="vrow sticky sticky-day" data-row=key node_ref=node>
                <h4><time datetime=d.to_string()>{long_date(d)}</time></h4>
            </div>
        }
        .into_any(),
        Item::Event(i) => view! {
            <div class="vrow vrow-event" data-row=key node_ref=node>
                <EventCard index=i />
            </div>
        }
        .into_any(),
    }
}

/// Nothing matches the filter: say so and offer the way out.
#[component]
fn EmptyState() -> impl IntoView {
    let ctx = use_view();
    view! {
        <div class="state state-empty" data-testid="empty-state">
            <p>"No events match the filters."</p>
            <button
                type="button"
                on:click=move |_| {
                    ctx.act(|v| v.clear_all())
                }
            >
                "Clear filters"
            </button>
        </div>
    }
}
