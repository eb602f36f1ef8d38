//! Ordering events in time and grouping them by year, month and day.

use chrono::{Datelike, NaiveDate};
use stenogram_corpus::model::Event;

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

/// Sort event indexes by date, then time ("HH:MM" compares as text; an
/// event without a time counts as the start of its day), then corpus order
/// so that the result is deterministic. Newest first is the exact reverse of
/// oldest first.
pub fn sort_events(events: &[Event], indexes: &mut [usize], order: SortOrder) {
    indexes.sort_by(|&a, &b| {
        let (ea, eb) = (&events[a], &events[b]);
        let oldest_first = ea
            .date
            .cmp(&eb.date)
            .then_with(|| ea.time.cmp(&eb.time))
            .then_with(|| a.cmp(&b));
        match order {
            SortOrder::OldestFirst => oldest_first,
            SortOrder::NewestFirst => oldest_first.reverse(),
        }
    });
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DayGroup {
    pub date: NaiveDate,
    /// Event indexes, already in display order.
    pub events: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MonthGroup {
    pub year: i32,
    pub month: u32,
    pub days: Vec<DayGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct YearGroup {
    pub year: i32,
    pub months: Vec<MonthGroup>,
}

/// Group already sorted event indexes into years, months and days, keeping
/// their order (so the groups come out newest or oldest first as sorted).
pub fn group_by_day(events: &[Event], sorted: &[usize]) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for &i in sorted {
        let date = events[i].date;
        if years.last().map(|y| y.year) != Some(date.year()) {
            years.push(YearGroup {
                year: date.year(),
                months: Vec::new(),
            });
        }
        let year = years.last_mut().expect("pushed above");
        if year.months.last().map(|m| m.month) != Some(date.month()) {
            year.months.push(MonthGroup {
                year: date.year(),
                month: date.month(),
                days: Vec::new(),
            });
        }
        let month = year.months.last_mut().expect("pushed above");
        if month.days.last().map(|d| d.date) != Some(date) {
            month.days.push(DayGroup {
                date,
                events: Vec::new(),
            });
        }
        month.days.last_mut().expect("pushed above").events.push(i);
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture::{self, event};

    fn corpus() -> Vec<Event> {
        vec![
            event("a", "A", (2020, 11, 20), Some("11:00"), vec![]),
            event("b", "B", (2019, 3, 1), Some("09:00"), vec![]),
            event("c", "C", (2020, 11, 20), Some("19:00"), vec![]),
            event("d", "D", (2020, 12, 1), None, vec![]),
            event("e", "E", (2020, 11, 2), None, vec![]),
        ]
    }

    fn sorted(events: &[Event], order: SortOrder) -> Vec<&str> {
        let mut idx: Vec<usize> = (0..events.len()).collect();
        sort_events(events, &mut idx, order);
        idx.iter().map(|&i| events[i].id.as_str()).collect()
    }

    #[test]
    fn newest_first_puts_the_evening_event_above_the_morning_one() {
        let b = fixture::bundle();
        let ids = sorted(&b.events, SortOrder::NewestFirst);
        assert_eq!(ids, vec![fixture::PEACEKEEPING, fixture::NUREMBERG]);
        let ids = sorted(&b.events, SortOrder::OldestFirst);
        assert_eq!(ids, vec![fixture::NUREMBERG, fixture::PEACEKEEPING]);
    }

    #[test]
    fn sorts_by_date_then_time() {
        let ev = corpus();
        assert_eq!(
            sorted(&ev, SortOrder::OldestFirst),
            vec!["b", "e", "a", "c", "d"]
        );
        assert_eq!(
            sorted(&ev, SortOrder::NewestFirst),
            vec!["d", "c", "a", "e", "b"]
        );
    }

    #[test]
    fn groups_by_year_month_day_in_sorted_order() {
        let ev = corpus();
        let mut idx: Vec<usize> = (0..ev.len()).collect();
        sort_events(&ev, &mut idx, SortOrder::NewestFirst);
        let years = group_by_day(&ev, &idx);
        assert_eq!(
            years.iter().map(|y| y.year).collect::<Vec<_>>(),
            vec![2020, 2019]
        );
        let months: Vec<u32> = years[0].months.iter().map(|m| m.month).collect();
        assert_eq!(months, vec![12, 11]);
        let nov = &years[0].months[1];
        assert_eq!(nov.days.len(), 2);
        assert_eq!(
            nov.days[0].date,
            NaiveDate::from_ymd_opt(2020, 11, 20).unwrap()
        );
        assert_eq!(nov.days[0].events, vec![2, 0]);
        assert_eq!(nov.days[1].events, vec![4]);
        // Every event lands in exactly one day.
        let total: usize = years
            .iter()
            .flat_map(|y| &y.months)
            .flat_map(|m| &m.days)
            .map(|d| d.events.len())
            .sum();
        assert_eq!(total, ev.len());
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
    fn empty_input_gives_no_groups() {
        assert!(group_by_day(&corpus(), &[]).is_empty());
    }
}
