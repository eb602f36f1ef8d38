//! Events per month over the whole span, as a strip of thin bars; drag
//! across it (or use the keyboard, or the two month fields) to set the
//! date range. The range lives in the URL like every other filter.

use std::sync::Arc;

use leptos::prelude::*;

use crate::after_paint::after_paint;
use crate::logic::density::{
    bar_height, bar_title, bucket_at, bucket_left, drag_range, filtered_counts, max_count,
    month_value, parse_month, range_text, selected_buckets, with_from_month, with_to_month,
    year_ticks, Span,
};
use crate::logic::filter::Filter;
use crate::state::{use_corpus, use_filter, use_view};

/// Height of the bars' area, and of the whole SVG (year labels below).
const CHART_H: f64 = 44.0;
const SVG_H: f64 = 60.0;
/// At most this many year labels along the strip.
const MAX_YEAR_LABELS: usize = 10;
/// A year label further right than this (percent) would be cut off.
const LAST_LABEL_LEFT: f64 = 95.0;

/// One SVG path of bars, one unit wide per month, `height` pixels tall at
/// `max`: `M x,y h1 v.. h-1 z` per month with a count.
fn bars_path(counts: &[u32], max: u32, height: f64) -> String {
    let mut d = String::with_capacity(counts.len() * 24);
    for (i, &c) in counts.iter().enumerate() {
        let h = bar_height(c, max, height);
        if h > 0.0 {
            d.push_str(&format!("M{i},{:.2}h1v{h:.2}h-1z", height - h));
        }
    }
    d
}

fn pct(v: f64) -> String {
    format!("{v:.4}%")
}

#[component]
pub fn DensityStrip() -> impl IntoView {
    let corpus = use_corpus();
    let Some(span) = Span::of(corpus.months()) else {
        // No events (or no usable month counts): nothing to draw.
        return ().into_any();
    };
    let ctx = use_view();
    let view = ctx.view;
    let n = span.len();
    let totals: Arc<[u32]> = corpus.months().counts.clone().into();
    let max = max_count(&totals);

    // Counts matching the filters (speakers, facets, search hits) without
    // the date range: recomputed when those change, not when the range does.
    let filter = use_filter();
    // A frame after the timeline: the overlay's pass over every event must
    // not delay the frame that shows the new results (see `after_paint`).
    let speaker_filter = after_paint(Memo::new(move |_| filter.with(Filter::without_range)));
    let picked: Memo<Option<Arc<[u32]>>> = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            speaker_filter.with(|f| {
                (!f.is_empty()).then(|| filtered_counts(&span, corpus.events(), f).into())
            })
        })
    };

    let range = Memo::new(move |_| view.with(|v| (v.from, v.to)));
    let applied = Memo::new(move |_| range.with(|(from, to)| selected_buckets(&span, *from, *to)));

    // A pointer drag in progress: (where it started, where it is).
    let drag: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    // Keyboard: the month under the cursor, and the other end of a
    // selection being extended with Shift (applied by Enter).
    let cursor = RwSignal::new(n - 1);
    let anchor: RwSignal<Option<usize>> = RwSignal::new(None);
    let focused = RwSignal::new(false);
    // The month under the mouse, named in a tooltip.
    let hover: RwSignal<Option<usize>> = RwSignal::new(None);

    // What to shade: the drag, else the keyboard selection, else the range.
    let shaded = move || {
        drag.get()
            .or_else(|| anchor.get().map(|a| (a, cursor.get())))
            .map(|(a, b)| (a.min(b), a.max(b)))
            .or_else(|| applied.get())
    };

    let apply = move |a: usize, b: usize| {
        let (from, to) = drag_range(&span, a, b);
        ctx.act(|v| v.set_range(Some(from), Some(to)));
    };
    let clear = move || ctx.act(|v| v.set_range(None, None));

    let plot = NodeRef::<leptos::html::Div>::new();
    let bucket_of = move |ev: &web_sys::PointerEvent| -> Option<usize> {
        let el = plot.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        Some(bucket_at(
            f64::from(ev.client_x()) - rect.left(),
            rect.width(),
            n,
        ))
    };

    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(b) = bucket_of(&ev) else {
            return;
        };
        if let Some(el) = plot.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
            let _ = el.focus();
        }
        ev.prevent_default();
        anchor.set(None);
        cursor.set(b);
        drag.set(Some((b, b)));
    };
    let on_pointermove = move |ev: web_sys::PointerEvent| {
        let b = bucket_of(&ev);
        if hover.get_untracked() != b {
            hover.set(b);
        }
        if drag.with_untracked(Option::is_none) {
            return;
        }
        if let Some(b) = b {
            drag.update(|d| {
                if let Some((_, end)) = d {
                    *end = b;
                }
            });
        }
    };
    let on_pointerup = move |ev: web_sys::PointerEvent| {
        if let Some((a, _)) = drag.get_untracked() {
            let b = bucket_of(&ev).unwrap_or(a);
            drag.set(None);
            cursor.set(b);
            // One history entry per drag; a click is that month alone.
            apply(a, b);
        }
    };
    let on_cancel = move |_: web_sys::PointerEvent| drag.set(None);

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let here = cursor.get_untracked();
        let to = match ev.key().as_str() {
            "ArrowLeft" | "ArrowDown" => here.saturating_sub(1),
            "ArrowRight" | "ArrowUp" => (here + 1).min(n - 1),
            "PageDown" => here.saturating_sub(12),
            "PageUp" => (here + 12).min(n - 1),
            "Home" => 0,
            "End" => n - 1,
            "Enter" => {
                ev.prevent_default();
                apply(anchor.get_untracked().unwrap_or(here), here);
                anchor.set(None);
                return;
            }
            "Escape" => {
                ev.prevent_default();
                if anchor.get_untracked().is_some() {
                    anchor.set(None);
                } else if range.with_untracked(|(f, t)| f.is_some() || t.is_some()) {
                    clear();
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        if ev.shift_key() {
            if anchor.get_untracked().is_none() {
                anchor.set(Some(here));
            }
        } else {
            anchor.set(None);
        }
        cursor.set(to);
    };

    // Start the keyboard cursor where the range starts, when there is one.
    let on_focus = move |_| {
        focused.set(true);
        if let Some((a, _)) = applied.get_untracked() {
            if drag.with_untracked(Option::is_none) {
                cursor.set(a);
            }
        }
    };

    let value_text = {
        let totals = totals.clone();
        move || {
            let c = cursor.get();
            let mut text = bar_title(
                &span,
                c,
                totals[c],
                picked.with(|p| p.as_ref().map(|p| p[c])),
            );
            if let Some(a) = anchor.get() {
                let (from, to) = drag_range(&span, a, c);
                if let Some(r) = range_text(Some(from), Some(to)) {
                    text.push_str(&format!(". Selecting {r}: Enter applies, Escape cancels"));
                }
            }
            text
        }
    };

    // Each set of bars is one path in a nested SVG measured in months (x)
    // and pixels (y): all events' bars never change and are drawn once; the
    // picked speakers' change with every pick, which rewrites one
    // attribute, not hundreds of elements. (Hundreds of elements, one per
    // month, held back the first paint.) The month under the mouse is
    // named by one tooltip.
    let all_path = bars_path(&totals, max, CHART_H);
    let picked_path = move || {
        picked.with(|p| {
            p.as_ref()
                // On their own scale: a speaker in a few events a month
                // would otherwise be a row of 1-pixel bars under the totals.
                .map(|counts| bars_path(counts, max_count(counts), CHART_H))
                .unwrap_or_default()
        })
    };
    let tooltip = {
        let totals = totals.clone();
        move || {
            hover.get().filter(|&i| i < n).map(|i| {
                let text = bar_title(
                    &span,
                    i,
                    totals[i],
                    picked.with(|p| p.as_ref().map(|p| p[i])),
                );
                let left = bucket_left(i, n) + bucket_left(1, n) / 2.0;
                view! {
                    <div
                        class="density-tip"
                        aria-hidden="true"
                        data-testid="density-tip"
                        style:left=format!("clamp(6rem, {left:.3}%, calc(100% - 6rem))")
                    >
                        {text}
                    </div>
                }
            })
        }
    };

    let ticks = year_ticks(&span, MAX_YEAR_LABELS)
        .into_iter()
        .map(|(i, year)| {
            let left = bucket_left(i, n);
            let x = pct(left);
            view! {
                <line class="tick" x1=x.clone() x2=x.clone() y1=CHART_H y2=CHART_H + 4.0 />
                {(left <= LAST_LABEL_LEFT).then(|| view! {
                    <text class="tick-label" x=x y=SVG_H - 3.0>{year.to_string()}</text>
                })}
            }
        })
        .collect_view();

    let first_month = month_value(span.month_start(0));
    let last_month = month_value(span.month_end(n - 1));
    let from_value = move || range.with(|(f, _)| f.map(month_value).unwrap_or_default());
    let to_value = move || range.with(|(_, t)| t.map(month_value).unwrap_or_default());
    let has_range = move || range.with(|(f, t)| f.is_some() || t.is_some());

    view! {
        <section class="density" aria-labelledby="density-heading">
            <h2 id="density-heading" class="density-heading">
                "Events per month"
                <Show when=move || picked.with(Option::is_some)>
                    <span class="density-legend">
                        <span class="swatch swatch-all" aria-hidden="true"></span>
                        " all "
                        <span class="swatch swatch-picked" aria-hidden="true"></span>
                        " matching the filters (scaled to their busiest month)"
                    </span>
                </Show>
            </h2>
            <div
                class="density-plot"
                class:dragging=move || drag.with(Option::is_some)
                node_ref=plot
                tabindex="0"
                role="slider"
                aria-label="Date range by month. Drag across, or use the arrow keys: Shift extends, Enter applies, Escape clears."
                aria-valuemin="0"
                aria-valuemax=(n - 1).to_string()
                aria-valuenow=move || cursor.get().to_string()
                aria-valuetext=value_text
                data-testid="density-strip"
                on:pointerdown=on_pointerdown
                on:pointermove=on_pointermove
                on:pointerup=on_pointerup
                on:pointercancel=on_cancel
                on:pointerleave=move |_| hover.set(None)
                on:keydown=on_keydown
                on:focus=on_focus
                on:blur=move |_| {
                    focused.set(false);
                    anchor.set(None);
                }
            >
                <svg class="density-svg" width="100%" height=SVG_H aria-hidden="true" focusable="false">
                    {move || shaded().map(|(a, b)| view! {
                        <rect
                            class="shade"
                            x=pct(bucket_left(a, n))
                            y="0"
                            width=pct(bucket_left(b + 1 - a, n))
                            height=CHART_H
                        />
                    })}
                    <svg
                        class="density-all"
                        width="100%"
                        height=CHART_H
                        viewBox=format!("0 0 {n} {CHART_H}")
                        preserveAspectRatio="none"
                    >
                        <path class="bar" d=all_path />
                    </svg>
                    <svg
                        class="density-picked"
                        width="100%"
                        height=CHART_H
                        viewBox=format!("0 0 {n} {CHART_H}")
                        preserveAspectRatio="none"
                    >
                        <path class="bar-picked" d=picked_path />
                    </svg>
                    <line class="baseline" x1="0" x2="100%" y1=CHART_H y2=CHART_H />
                    {ticks}
                    {move || focused.get().then(|| {
                        let c = cursor.get();
                        view! {
                            <rect
                                class="cursor"
                                x=pct(bucket_left(c, n))
                                y="0.5"
                                width=pct(bucket_left(1, n))
                                height=CHART_H - 1.0
                            />
                        }
                    })}
                </svg>
                {tooltip}
            </div>
            <div class="density-controls">
                <label class="month-field">
                    "From "
                    <input
                        type="month"
                        data-testid="range-from"
                        min=first_month.clone()
                        max=last_month.clone()
                        placeholder="YYYY-MM"
                        prop:value=from_value
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            let month = parse_month(&value);
                            if month.is_none() && !value.trim().is_empty() {
                                return;
                            }
                            let to = range.get_untracked().1;
                            let (from, to) = with_from_month(month, to);
                            ctx.act(|v| v.set_range(from, to));
                        }
                    />
                </label>
                <label class="month-field">
                    "To "
                    <input
                        type="month"
                        data-testid="range-to"
                        min=first_month
                        max=last_month
                        placeholder="YYYY-MM"
                        prop:value=to_value
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            let month = parse_month(&value);
                            if month.is_none() && !value.trim().is_empty() {
                                return;
                            }
                            let from = range.get_untracked().0;
                            let (from, to) = with_to_month(from, month);
                            ctx.act(|v| v.set_range(from, to));
                        }
                    />
                </label>
                <p class="range-text" role="status" aria-live="polite" data-testid="range-text">
                    {move || {
                        range.with(|(f, t)| range_text(*f, *t))
                            .map(|r| format!("Dates: {r}"))
                            .unwrap_or_else(|| "All dates".to_string())
                    }}
                </p>
                <Show when=has_range>
                    <button
                        type="button"
                        class="link-button"
                        data-testid="clear-range"
                        on:click=move |_| clear()
                    >
                        "Clear dates"
                    </button>
                </Show>
            </div>
        </section>
    }
    .into_any()
}
