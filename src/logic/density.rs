//! The density strip: events per calendar month over the whole span, the
//! months a date range covers, and the range a drag across the strip means.
//!
//! Totals come precomputed with the index ([`MonthCounts`]); the counts for
//! the picked speakers are one pass over the rows (35,000 of them at scale),
//! with the month found by arithmetic, not by a search.

use chrono::{Datelike, NaiveDate};
use stenogram_corpus::model::MonthCounts;

use crate::logic::corpus::EventSummary;
use crate::logic::filter::{event_matches, Filter};
use crate::logic::text::{month_year, plural};

/// A strip longer than this (two centuries of months) is not data we wrote:
/// it is not drawn rather than flooding the page with bars.
pub const MAX_MONTHS: usize = 2400;

/// The months the strip shows: `len` consecutive calendar months from
/// `first_year`-`first_month0 + 1`. Bucket `i` is the `i`-th month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    first_year: i32,
    /// 0 = January.
    first_month0: u32,
    len: usize,
}

impl Span {
    /// The span of the index's month counts; `None` when there are none (an
    /// empty corpus) or the span is implausible.
    pub fn of(counts: &MonthCounts) -> Option<Span> {
        let first = counts.first?;
        let span = Span {
            first_year: first.year(),
            first_month0: first.month0(),
            len: counts.counts.len(),
        };
        // Every bucket's first and last day must exist (the last day is the
        // day before the next month's first).
        let fits = span.len > 0 && span.len <= MAX_MONTHS && span.first_of(span.len).is_some();
        fits.then_some(span)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Months from the first bucket to `date`'s month; negative before it,
    /// `>= len` after it.
    pub fn offset_of(&self, date: NaiveDate) -> i64 {
        (i64::from(date.year()) - i64::from(self.first_year)) * 12 + i64::from(date.month0())
            - i64::from(self.first_month0)
    }

    /// The bucket of `date`, if it is inside the span.
    pub fn index_of(&self, date: NaiveDate) -> Option<usize> {
        let offset = self.offset_of(date);
        (0..self.len as i64)
            .contains(&offset)
            .then_some(offset as usize)
    }

    /// (year, month 1-12) of bucket `i`.
    pub fn year_month(&self, i: usize) -> (i32, u32) {
        let total = self.first_month0 as usize + i;
        (
            self.first_year + (total / 12) as i32,
            (total % 12) as u32 + 1,
        )
    }

    /// First day of the `i`-th month from the first (`i` may be `len`).
    fn first_of(&self, i: usize) -> Option<NaiveDate> {
        let total = i64::from(self.first_month0) + i as i64;
        let year = i32::try_from(i64::from(self.first_year) + total / 12).ok()?;
        NaiveDate::from_ymd_opt(year, (total % 12) as u32 + 1, 1)
    }

    /// First day of bucket `i` (clamped to the span).
    pub fn month_start(&self, i: usize) -> NaiveDate {
        self.first_of(i.min(self.len - 1))
            .expect("Span::of checked every month of the span")
    }

    /// Last day of bucket `i` (clamped to the span).
    pub fn month_end(&self, i: usize) -> NaiveDate {
        self.first_of(i.min(self.len - 1) + 1)
            .and_then(|next| next.pred_opt())
            .expect("Span::of checked every month of the span")
    }

    /// "June 2016".
    pub fn label(&self, i: usize) -> String {
        let (y, m) = self.year_month(i);
        month_year(y, m)
    }
}

/// Events per month for `filter` without its date range: the strip shows
/// where in time the matching events fall (the picked speakers, facets,
/// search hits), whatever range is selected.
/// One pass over `events`; rows outside the span are not counted.
pub fn filtered_counts(span: &Span, events: &[EventSummary], filter: &Filter) -> Vec<u32> {
    let mut counts = vec![0u32; span.len];
    let filter = &filter.without_range();
    for e in events {
        if !event_matches(e, filter) {
            continue;
        }
        if let Some(i) = span.index_of(e.date) {
            counts[i] += 1;
        }
    }
    counts
}

/// The largest count, at least 1 (so heights can be divided by it).
pub fn max_count(counts: &[u32]) -> u32 {
    counts.iter().copied().max().unwrap_or(0).max(1)
}

/// Height of a bar for `count` in a chart `height` high, scaled to `max`;
/// a month with any event gets at least one pixel, so it stays visible.
pub fn bar_height(count: u32, max: u32, height: f64) -> f64 {
    if count == 0 {
        return 0.0;
    }
    (f64::from(count) / f64::from(max.max(1)) * height).max(1.0)
}

/// The bucket under `x` pixels from the left edge of a strip `width`
/// pixels wide; outside the strip is clamped to its first or last month.
pub fn bucket_at(x: f64, width: f64, len: usize) -> usize {
    if len == 0 || width <= 0.0 || !x.is_finite() {
        return 0;
    }
    let i = (x / width * len as f64).floor();
    if i <= 0.0 {
        0
    } else {
        (i as usize).min(len - 1)
    }
}

/// Left edge of bucket `i` as a percentage of the strip's width.
pub fn bucket_left(i: usize, len: usize) -> f64 {
    if len == 0 {
        0.0
    } else {
        i as f64 * 100.0 / len as f64
    }
}

/// The date range of a drag (or a keyboard selection) from bucket `a` to
/// bucket `b`, in either direction: the first day of the earlier month to
/// the last day of the later one. `a == b` is that one month.
pub fn drag_range(span: &Span, a: usize, b: usize) -> (NaiveDate, NaiveDate) {
    (span.month_start(a.min(b)), span.month_end(a.max(b)))
}

/// The buckets a range covers, first and last inclusive, clamped to the
/// span: `None` without a range, or when the range misses the span.
pub fn selected_buckets(
    span: &Span,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Option<(usize, usize)> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let last = span.len as i64 - 1;
    let lo = from.map_or(0, |d| span.offset_of(d)).max(0);
    let hi = to.map_or(last, |d| span.offset_of(d)).min(last);
    (lo <= hi).then_some((lo as usize, hi as usize))
}

fn is_month_start(d: NaiveDate) -> bool {
    d.day() == 1
}

fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|next| next.day() == 1)
}

fn start_text(d: NaiveDate) -> String {
    if is_month_start(d) {
        d.format("%B %Y").to_string()
    } else {
        d.format("%-d %B %Y").to_string()
    }
}

fn end_text(d: NaiveDate) -> String {
    if is_month_end(d) {
        d.format("%B %Y").to_string()
    } else {
        d.format("%-d %B %Y").to_string()
    }
}

/// The range in words: "March 2014 – June 2016", "June 2016" (one whole
/// month), "From 3 March 2014", "Until June 2016"; days are named only
/// when an end is not a month boundary. `None` without a range.
pub fn range_text(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<String> {
    match (from, to) {
        (None, None) => None,
        (Some(f), None) => Some(format!("From {}", start_text(f))),
        (None, Some(t)) => Some(format!("Until {}", end_text(t))),
        (Some(f), Some(t)) => {
            let same_month = (f.year(), f.month()) == (t.year(), t.month());
            if same_month && is_month_start(f) && is_month_end(t) {
                Some(start_text(f))
            } else if f == t {
                Some(f.format("%-d %B %Y").to_string())
            } else {
                Some(format!("{} – {}", start_text(f), end_text(t)))
            }
        }
    }
}

/// Tooltip of a bar: "June 2016: 123 events", plus how many of them match
/// the picked speakers when some are picked.
pub fn bar_title(span: &Span, i: usize, total: u32, picked: Option<u32>) -> String {
    let mut title = format!(
        "{}: {}",
        span.label(i),
        plural(total as usize, "event", "events")
    );
    if let Some(p) = picked {
        title.push_str(&format!(", {p} matching"));
    }
    title
}

/// Year labels along the strip: (bucket of January, year) for every
/// `step`-th year, `step` (1, 2, 5, 10, ...) chosen so that at most
/// `max_labels` are shown.
pub fn year_ticks(span: &Span, max_labels: usize) -> Vec<(usize, i32)> {
    let januaries: Vec<(usize, i32)> = (0..span.len)
        .filter_map(|i| match span.year_month(i) {
            (y, 1) => Some((i, y)),
            _ => None,
        })
        .collect();
    let max_labels = max_labels.max(1);
    let step: i32 = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|&s| januaries.len().div_ceil(s as usize) <= max_labels)
        .unwrap_or(200);
    januaries
        .into_iter()
        .filter(|&(_, y)| y.rem_euclid(step) == 0)
        .collect()
}

/// `<input type="month">` value of a date's month: "2016-06".
pub fn month_value(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// A month field's value ("2016-06") as its first day; `None` for an empty
/// or malformed value (browsers without a month picker show a text field).
pub fn parse_month(value: &str) -> Option<NaiveDate> {
    let (y, m) = value.trim().split_once('-')?;
    // Four-digit years only: the URL keeps dates as `YYYY-MM-DD`.
    let ok = y.len() == 4
        && !m.is_empty()
        && m.len() <= 2
        && y.bytes().all(|b| b.is_ascii_digit())
        && m.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// Last day of `d`'s month.
pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

fn start_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The range after the "From" month field changed to `month` (its first
/// day; `None` = cleared). If it falls after the current end, the two
/// months swap places: the range runs from the first day of the earlier
/// month to the last day of the later one.
pub fn with_from_month(
    month: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match (month, to) {
        (Some(m), Some(t)) if t < m => (Some(start_of_month(t)), Some(end_of_month(m))),
        (m, t) => (m.map(start_of_month), t),
    }
}

/// The range after the "To" month field changed to `month` (any day of it;
/// `None` = cleared): the end is the month's last day; swapped like
/// [`with_from_month`] if it falls before the start.
pub fn with_to_month(
    from: Option<NaiveDate>,
    month: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match (from, month) {
        (Some(f), Some(m)) if end_of_month(m) < f => {
            (Some(start_of_month(m)), Some(end_of_month(f)))
        }
        (f, m) => (f, m.map(end_of_month)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::filter::MatchMode;
    use crate::logic::fixture;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn span(first: NaiveDate, len: usize) -> Span {
        Span::of(&MonthCounts {
            first: Some(first),
            counts: vec![1; len],
        })
        .unwrap()
    }

    fn row(date: NaiveDate, speakers: &[u32]) -> EventSummary {
        EventSummary {
            date,
            speakers: speakers.to_vec(),
            ..fixture::summary("e", (2000, 1, 1), None)
        }
    }

    #[test]
    fn span_of_the_month_counts() {
        assert_eq!(Span::of(&MonthCounts::default()), None);
        let empty = MonthCounts {
            first: Some(d(2020, 1, 1)),
            counts: vec![],
        };
        assert_eq!(Span::of(&empty), None);
        let too_long = MonthCounts {
            first: Some(d(2020, 1, 1)),
            counts: vec![0; MAX_MONTHS + 1],
        };
        assert_eq!(Span::of(&too_long), None);
        let beyond_chrono = MonthCounts {
            first: Some(NaiveDate::MAX.with_day(1).unwrap()),
            counts: vec![0; 2],
        };
        assert_eq!(Span::of(&beyond_chrono), None);

        // November 1999 .. February 2001: 16 months.
        let s = span(d(1999, 11, 1), 16);
        assert_eq!(s.len(), 16);
        assert_eq!(s.year_month(0), (1999, 11));
        assert_eq!(s.year_month(2), (2000, 1));
        assert_eq!(s.year_month(15), (2001, 2));
        assert_eq!(s.index_of(d(1999, 11, 30)), Some(0));
        assert_eq!(s.index_of(d(2000, 1, 1)), Some(2));
        assert_eq!(s.index_of(d(2001, 2, 28)), Some(15));
        assert_eq!(s.index_of(d(2001, 3, 1)), None);
        assert_eq!(s.index_of(d(1999, 10, 31)), None);
        assert_eq!(s.month_start(3), d(2000, 2, 1));
        assert_eq!(s.month_end(3), d(2000, 2, 29));
        assert_eq!(s.month_end(1), d(1999, 12, 31));
        assert_eq!(s.month_end(99), d(2001, 2, 28), "clamped to the last month");
        assert_eq!(s.label(15), "February 2001");
    }

    #[test]
    fn counts_the_picked_speakers_per_month_ignoring_the_range() {
        let s = span(d(2020, 1, 1), 3);
        let events = [
            row(d(2020, 1, 5), &[0, 1]),
            row(d(2020, 1, 20), &[1]),
            row(d(2020, 3, 31), &[0]),
            row(d(2021, 5, 1), &[0]), // outside the span: not counted
        ];
        let any = Filter {
            speakers: vec![0],
            mode: MatchMode::Any,
            from: Some(d(2020, 3, 1)),
            to: None,
            ..Filter::default()
        };
        assert_eq!(filtered_counts(&s, &events, &any), vec![1, 0, 1]);
        let both = Filter {
            speakers: vec![0, 1],
            mode: MatchMode::All,
            ..Filter::default()
        };
        assert_eq!(filtered_counts(&s, &events, &both), vec![1, 0, 0]);
        let either = Filter {
            speakers: vec![0, 1],
            ..Filter::default()
        };
        assert_eq!(filtered_counts(&s, &events, &either), vec![2, 0, 1]);
    }

    #[test]
    fn counts_the_fixture_corpus() {
        let c = fixture::corpus();
        let s = Span::of(c.months()).unwrap();
        let lavrov = Filter {
            speakers: vec![c.speaker_pos("sergei-lavrov").unwrap()],
            ..Filter::default()
        };
        assert_eq!(filtered_counts(&s, c.events(), &lavrov), vec![1]);
        assert_eq!(filtered_counts(&s, c.events(), &Filter::default()), vec![2]);
    }

    #[test]
    fn one_pass_over_35000_rows_is_fast() {
        // 30 years, ~100 events a month, 5 speakers each.
        let s = span(d(1995, 1, 1), 360);
        let events: Vec<EventSummary> = (0..35_000u32)
            .map(|i| {
                let date = d(1995, 1, 1) + chrono::Days::new(u64::from(i) * 10_950 / 35_000);
                row(date, &[i % 7, i % 13, i % 29, 900 + i % 50, 2000 + i % 700])
            })
            .collect();
        let f = Filter {
            speakers: vec![3, 12],
            ..Filter::default()
        };
        let start = std::time::Instant::now();
        let counts = filtered_counts(&s, &events, &f);
        let took = start.elapsed();
        let expected = crate::logic::filter::matching_events(&events, &f).len();
        assert_eq!(counts.iter().sum::<u32>() as usize, expected);
        // Debug build, natively: a loose bound that still catches a
        // quadratic slip (the release wasm build is well under 5 ms).
        assert!(took.as_millis() < 50, "{took:?}");
    }

    #[test]
    fn bars_scale_to_the_largest_month() {
        assert_eq!(max_count(&[]), 1);
        assert_eq!(max_count(&[0, 0]), 1);
        assert_eq!(max_count(&[3, 9, 4]), 9);
        assert_eq!(bar_height(0, 9, 40.0), 0.0);
        assert_eq!(bar_height(9, 9, 40.0), 40.0);
        assert_eq!(bar_height(1, 1000, 40.0), 1.0, "never thinner than a pixel");
        assert_eq!(bar_height(500, 1000, 40.0), 20.0);
    }

    #[test]
    fn pixels_to_buckets() {
        assert_eq!(bucket_at(0.0, 600.0, 300), 0);
        assert_eq!(bucket_at(1.99, 600.0, 300), 0);
        assert_eq!(bucket_at(2.0, 600.0, 300), 1);
        assert_eq!(bucket_at(599.9, 600.0, 300), 299);
        assert_eq!(bucket_at(600.0, 600.0, 300), 299, "right edge");
        assert_eq!(bucket_at(-40.0, 600.0, 300), 0, "dragged off the left");
        assert_eq!(bucket_at(9000.0, 600.0, 300), 299, "dragged off the right");
        assert_eq!(bucket_at(10.0, 0.0, 300), 0, "not laid out yet");
        assert_eq!(bucket_at(f64::NAN, 600.0, 300), 0);
        assert_eq!(bucket_at(10.0, 600.0, 0), 0);
        assert_eq!(bucket_left(0, 300), 0.0);
        assert_eq!(bucket_left(150, 300), 50.0);
        assert_eq!(bucket_left(3, 0), 0.0);
    }

    #[test]
    fn a_drag_covers_whole_months_in_either_direction() {
        let s = span(d(2014, 1, 1), 36);
        // March 2014 .. June 2016
        assert_eq!(drag_range(&s, 2, 29), (d(2014, 3, 1), d(2016, 6, 30)));
        assert_eq!(drag_range(&s, 29, 2), (d(2014, 3, 1), d(2016, 6, 30)));
        // A click is one month; February of a leap year.
        assert_eq!(drag_range(&s, 25, 25), (d(2016, 2, 1), d(2016, 2, 29)));
    }

    #[test]
    fn the_range_selects_buckets() {
        let s = span(d(2014, 1, 1), 36);
        assert_eq!(selected_buckets(&s, None, None), None);
        let (f, t) = drag_range(&s, 2, 29);
        assert_eq!(selected_buckets(&s, Some(f), Some(t)), Some((2, 29)));
        // Any day of a month selects it.
        assert_eq!(
            selected_buckets(&s, Some(d(2014, 3, 15)), Some(d(2014, 3, 16))),
            Some((2, 2))
        );
        // Open ends run to the span's ends; ends outside it are clamped.
        assert_eq!(
            selected_buckets(&s, Some(d(2015, 1, 1)), None),
            Some((12, 35))
        );
        assert_eq!(
            selected_buckets(&s, None, Some(d(2014, 2, 1))),
            Some((0, 1))
        );
        assert_eq!(
            selected_buckets(&s, Some(d(1990, 1, 1)), Some(d(2090, 1, 1))),
            Some((0, 35))
        );
        // A range that misses the span selects nothing.
        assert_eq!(selected_buckets(&s, Some(d(2020, 1, 1)), None), None);
        assert_eq!(selected_buckets(&s, None, Some(d(2013, 12, 31))), None);
    }

    #[test]
    fn the_range_in_words() {
        assert_eq!(range_text(None, None), None);
        assert_eq!(
            range_text(Some(d(2014, 3, 1)), Some(d(2016, 6, 30))).unwrap(),
            "March 2014 – June 2016"
        );
        assert_eq!(
            range_text(Some(d(2016, 6, 1)), Some(d(2016, 6, 30))).unwrap(),
            "June 2016"
        );
        assert_eq!(
            range_text(Some(d(2014, 3, 3)), Some(d(2016, 6, 12))).unwrap(),
            "3 March 2014 – 12 June 2016"
        );
        assert_eq!(
            range_text(Some(d(2020, 11, 20)), Some(d(2020, 11, 20))).unwrap(),
            "20 November 2020"
        );
        assert_eq!(
            range_text(Some(d(2014, 3, 1)), None).unwrap(),
            "From March 2014"
        );
        assert_eq!(
            range_text(None, Some(d(2016, 2, 29))).unwrap(),
            "Until February 2016"
        );
        assert_eq!(
            range_text(None, Some(d(2016, 2, 28))).unwrap(),
            "Until 28 February 2016"
        );
    }

    #[test]
    fn tooltips() {
        let s = span(d(2016, 6, 1), 2);
        assert_eq!(bar_title(&s, 0, 123, None), "June 2016: 123 events");
        assert_eq!(bar_title(&s, 1, 1, None), "July 2016: 1 event");
        assert_eq!(
            bar_title(&s, 0, 123, Some(4)),
            "June 2016: 123 events, 4 matching"
        );
    }

    #[test]
    fn year_labels_thin_out_on_long_spans() {
        let s = span(d(1999, 11, 1), 16);
        assert_eq!(year_ticks(&s, 10), vec![(2, 2000), (14, 2001)]);
        // 1999-11 .. 2026-10: 27 Januaries; at most 8 labels -> every 5 years.
        let long = span(d(1999, 11, 1), 324);
        assert_eq!(
            year_ticks(&long, 8),
            vec![
                (2, 2000),
                (62, 2005),
                (122, 2010),
                (182, 2015),
                (242, 2020),
                (302, 2025)
            ]
        );
        assert_eq!(year_ticks(&long, 30).len(), 27);
        // A span without a January has no labels.
        assert!(year_ticks(&span(d(2020, 2, 1), 3), 10).is_empty());
    }

    #[test]
    fn month_fields() {
        assert_eq!(month_value(d(2016, 6, 30)), "2016-06");
        assert_eq!(parse_month("2016-06"), Some(d(2016, 6, 1)));
        assert_eq!(parse_month(" 2016-6 "), Some(d(2016, 6, 1)));
        for bad in [
            "",
            "2016",
            "2016-13",
            "2016-00",
            "16-06",
            "2016-06-01",
            "abcd-ef",
            "2016--6",
        ] {
            assert_eq!(parse_month(bad), None, "{bad:?}");
        }
        assert_eq!(end_of_month(d(2016, 2, 3)), d(2016, 2, 29));
        assert_eq!(end_of_month(d(2016, 12, 3)), d(2016, 12, 31));
    }

    #[test]
    fn month_fields_keep_the_range_in_order() {
        let (jun16, dec17) = (d(2016, 6, 1), d(2017, 12, 1));
        // From: first day of the month; the end is kept.
        assert_eq!(
            with_from_month(Some(jun16), Some(d(2017, 12, 31))),
            (Some(jun16), Some(d(2017, 12, 31)))
        );
        assert_eq!(
            with_from_month(None, Some(d(2017, 12, 31))),
            (None, Some(d(2017, 12, 31)))
        );
        // From after To: the months swap.
        assert_eq!(
            with_from_month(Some(dec17), Some(d(2016, 6, 12))),
            (Some(jun16), Some(d(2017, 12, 31)))
        );
        // To: last day of the month.
        assert_eq!(
            with_to_month(Some(jun16), Some(dec17)),
            (Some(jun16), Some(d(2017, 12, 31)))
        );
        assert_eq!(
            with_to_month(None, Some(jun16)),
            (None, Some(d(2016, 6, 30)))
        );
        assert_eq!(with_to_month(Some(jun16), None), (Some(jun16), None));
        // To before From: the months swap.
        assert_eq!(
            with_to_month(Some(d(2017, 12, 5)), Some(jun16)),
            (Some(jun16), Some(d(2017, 12, 31)))
        );
        // The same month either way is that month.
        assert_eq!(
            with_to_month(Some(d(2016, 6, 1)), Some(jun16)),
            (Some(jun16), Some(d(2016, 6, 30)))
        );
    }
}
