//! The timeline as a flat list of rows: year, month and day headers, and
//! events, in display order. Flat, so that the view can render only the
//! rows on screen (see [`crate::logic::virtual_list`]).

use chrono::{Datelike, NaiveDate};

use crate::logic::corpus::{Corpus, EventSummary};
use crate::logic::filter::{matching_in, Filter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    NewestFirst,
    OldestFirst,
}

impl SortOrder {
    pub fn toggled(self) -> Self {
        match self {
            SortOrder::NewestFirst => SortOrder::OldestFirst,
            SortOrder::OldestFirst => SortOrder::NewestFirst,
        }
    }
}

/// Put matching rows in display order. The corpus keeps its rows oldest
/// first (by date, then time, then input order), so newest first is the
/// exact reverse.
pub fn in_order(mut rows: Vec<usize>, order: SortOrder) -> Vec<usize> {
    if order == SortOrder::NewestFirst {
        rows.reverse();
    }
    rows
}

/// The rows the timeline shows (positions in [`Corpus::events`]), in the
/// order it shows them; the export writes the same rows.
pub fn filtered_rows(corpus: &Corpus, filter: &Filter, sort: SortOrder) -> Vec<usize> {
    in_order(matching_in(corpus, filter), sort)
}

/// One row of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Year(i32),
    Month {
        year: i32,
        month: u32,
    },
    Day(NaiveDate),
    /// An event, by position in the corpus' events.
    Event(usize),
}

impl Item {
    /// The month this row belongs to (a year header: its first month shown
    /// is not known here, so January).
    pub fn month(&self, events: &[EventSummary]) -> (i32, u32) {
        match *self {
            Item::Year(y) => (y, 1),
            Item::Month { year, month } => (year, month),
            Item::Day(d) => (d.year(), d.month()),
            Item::Event(i) => (events[i].date.year(), events[i].date.month()),
        }
    }
}

impl Item {
    /// A short text form of the row (`y2020`, `m2020-11`, `d2020-11-20`,
    /// `e123`), for the DOM: the view finds a rendered row's item again
    /// from it without searching the list.
    pub fn key(&self) -> String {
        match self {
            Item::Year(y) => format!("y{y}"),
            Item::Month { year, month } => format!("m{year}-{month}"),
            Item::Day(d) => format!("d{d}"),
            Item::Event(i) => format!("e{i}"),
        }
    }

    /// The inverse of [`Item::key`]; `None` for anything else.
    pub fn from_key(key: &str) -> Option<Item> {
        let (kind, rest) = key.split_at_checked(1)?;
        match kind {
            "y" => rest.parse().ok().map(Item::Year),
            "m" => {
                let (year, month) = rest.rsplit_once('-')?;
                Some(Item::Month {
                    year: year.parse().ok()?,
                    month: month.parse().ok()?,
                })
            }
            "d" => NaiveDate::parse_from_str(rest, "%Y-%m-%d")
                .ok()
                .map(Item::Day),
            "e" => rest.parse().ok().map(Item::Event),
            _ => None,
        }
    }
}

/// Heights of timeline rows as last measured, kept across filter changes
/// (a card is as tall whatever else is shown): one per event, one per kind
/// of header (the stylesheet gives every header of a kind one height). A
/// plain vector, so that laying out 35,000 rows is a pass over an array.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowHeights {
    /// 0 = not measured yet.
    events: Vec<f32>,
    headers: [f32; 3],
}

impl RowHeights {
    pub fn new(events: usize) -> Self {
        RowHeights {
            events: vec![0.0; events],
            headers: [0.0; 3],
        }
    }

    fn slot(&mut self, item: &Item) -> Option<&mut f32> {
        match *item {
            Item::Year(_) => Some(&mut self.headers[0]),
            Item::Month { .. } => Some(&mut self.headers[1]),
            Item::Day(_) => Some(&mut self.headers[2]),
            Item::Event(i) => self.events.get_mut(i),
        }
    }

    pub fn set(&mut self, item: &Item, height: f64) {
        if let Some(slot) = self.slot(item) {
            *slot = height as f32;
        }
    }

    pub fn get(&self, item: &Item) -> Option<f64> {
        let h = match *item {
            Item::Year(_) => self.headers[0],
            Item::Month { .. } => self.headers[1],
            Item::Day(_) => self.headers[2],
            Item::Event(i) => self.events.get(i).copied().unwrap_or(0.0),
        };
        (h > 0.0).then_some(f64::from(h))
    }

    /// The height of every row: measured, else `estimate`.
    pub fn for_rows(&self, items: &[Item], estimate: impl Fn(&Item) -> f64) -> Vec<f64> {
        items
            .iter()
            .map(|i| self.get(i).unwrap_or_else(|| estimate(i)))
            .collect()
    }
}

/// Headers and events for rows already in display order: a year header
/// when the year changes, a month header when the month does, a day header
/// when the day does.
pub fn items(events: &[EventSummary], ordered: &[usize]) -> Vec<Item> {
    let mut out = Vec::with_capacity(ordered.len() * 3 / 2);
    let mut last: Option<NaiveDate> = None;
    for &i in ordered {
        let date = events[i].date;
        let new_year = last.is_none_or(|d| d.year() != date.year());
        let new_month = new_year || last.is_some_and(|d| d.month() != date.month());
        if new_year {
            out.push(Item::Year(date.year()));
        }
        if new_month {
            out.push(Item::Month {
                year: date.year(),
                month: date.month(),
            });
        }
        if last != Some(date) {
            out.push(Item::Day(date));
        }
        out.push(Item::Event(i));
        last = Some(date);
    }
    out
}

/// Position of the first row of the month `(year, month)`, or of the
/// nearest month after it in display order (for "jump to a date" when that
/// month has no events).
pub fn month_position(
    items: &[Item],
    events: &[EventSummary],
    order: SortOrder,
    year: i32,
    month: u32,
) -> Option<usize> {
    let target = (year, month);
    let pos = items.iter().position(|item| {
        let m = item.month(events);
        !matches!(item, Item::Year(_))
            && match order {
                SortOrder::NewestFirst => m <= target,
                SortOrder::OldestFirst => m >= target,
            }
    })?;
    // Land on the year header when the month opens its year.
    Some(if pos > 0 && matches!(items[pos - 1], Item::Year(_)) {
        pos - 1
    } else {
        pos
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture::summary;

    /// Oldest first, as the corpus keeps them.
    fn corpus() -> Vec<EventSummary> {
        vec![
            summary("b", (2019, 3, 1), Some("09:00")),
            summary("e", (2020, 11, 2), None),
            summary("a", (2020, 11, 20), Some("11:00")),
            summary("c", (2020, 11, 20), Some("19:00")),
            summary("d", (2020, 12, 1), None),
        ]
    }

    fn ids(events: &[EventSummary], rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&i| events[i].id().to_string()).collect()
    }

    #[test]
    fn newest_first_is_the_exact_reverse() {
        let ev = corpus();
        let all: Vec<usize> = (0..ev.len()).collect();
        assert_eq!(
            ids(&ev, &in_order(all.clone(), SortOrder::OldestFirst)),
            ["b", "e", "a", "c", "d"]
        );
        assert_eq!(
            ids(&ev, &in_order(all, SortOrder::NewestFirst)),
            ["d", "c", "a", "e", "b"]
        );
    }

    #[test]
    fn headers_open_each_year_month_and_day() {
        let ev = corpus();
        let rows = in_order((0..ev.len()).collect(), SortOrder::NewestFirst);
        let it = items(&ev, &rows);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            it,
            vec![
                Item::Year(2020),
                Item::Month {
                    year: 2020,
                    month: 12
                },
                Item::Day(d(2020, 12, 1)),
                Item::Event(4),
                Item::Month {
                    year: 2020,
                    month: 11
                },
                Item::Day(d(2020, 11, 20)),
                Item::Event(3),
                Item::Event(2),
                Item::Day(d(2020, 11, 2)),
                Item::Event(1),
                Item::Year(2019),
                Item::Month {
                    year: 2019,
                    month: 3
                },
                Item::Day(d(2019, 3, 1)),
                Item::Event(0),
            ]
        );
        // Every event exactly once.
        let events = it.iter().filter(|i| matches!(i, Item::Event(_))).count();
        assert_eq!(events, ev.len());
    }

    #[test]
    fn jumping_to_a_month_lands_on_it_or_the_next_one_shown() {
        let ev = corpus();
        let rows = in_order((0..ev.len()).collect(), SortOrder::NewestFirst);
        let it = items(&ev, &rows);
        assert_eq!(
            month_position(&it, &ev, SortOrder::NewestFirst, 2020, 11),
            Some(4)
        );
        // No events in June 2020: newest first, the next one down is March 2019.
        assert_eq!(
            month_position(&it, &ev, SortOrder::NewestFirst, 2020, 6),
            Some(10)
        );
        assert_eq!(
            month_position(&it, &ev, SortOrder::NewestFirst, 1999, 1),
            None
        );
        let rows = in_order((0..ev.len()).collect(), SortOrder::OldestFirst);
        let it = items(&ev, &rows);
        assert_eq!(
            month_position(&it, &ev, SortOrder::OldestFirst, 2020, 6),
            Some(4)
        );
    }

    #[test]
    fn measured_heights_stand_in_for_estimates() {
        let mut h = RowHeights::new(3);
        let rows = [
            Item::Year(2020),
            Item::Event(1),
            Item::Event(2),
            Item::Year(2019),
        ];
        assert_eq!(h.for_rows(&rows, |_| 10.0), vec![10.0; 4]);
        h.set(&Item::Year(1999), 40.0);
        h.set(&Item::Event(1), 200.0);
        h.set(&Item::Event(99), 1.0); // not an event of this corpus: ignored
        assert_eq!(h.for_rows(&rows, |_| 10.0), vec![40.0, 200.0, 10.0, 40.0]);
    }

    #[test]
    fn row_keys_round_trip() {
        let d = NaiveDate::from_ymd_opt(2020, 11, 2).unwrap();
        for item in [
            Item::Year(2020),
            Item::Year(-44),
            Item::Month {
                year: 2020,
                month: 11,
            },
            Item::Day(d),
            Item::Event(34_999),
        ] {
            assert_eq!(Item::from_key(&item.key()), Some(item));
        }
        for junk in ["", "x1", "e", "e-1", "m2020", "d2020-13-01", "ÿ1"] {
            assert_eq!(Item::from_key(junk), None, "{junk}");
        }
    }

    #[test]
    fn toggling_twice_is_identity() {
        assert_eq!(
            SortOrder::NewestFirst.toggled().toggled(),
            SortOrder::NewestFirst
        );
        assert_eq!(SortOrder::NewestFirst.toggled(), SortOrder::OldestFirst);
    }

    #[test]
    fn empty_input_gives_no_rows() {
        assert!(items(&corpus(), &[]).is_empty());
    }
}
