//! Numbers about speakers: a speaker page's summary (events per year,
//! share of words, first and last appearance, roles over time) and one
//! event's "who spoke how much".

use chrono::{Datelike, NaiveDate};
use stenogram_corpus::model::{Speaker, SpeakerKind};

use crate::logic::corpus::EventSummary;

/// What a speaker page shows, computed in one pass over the rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpeakerStats {
    /// Events they speak in.
    pub events: u32,
    /// Every year from their first to their last event, with the number
    /// of events (zero for a gap year, so the chart keeps its time axis).
    pub per_year: Vec<(i32, u32)>,
    /// Words they spoke, and all words spoken in the events they speak in.
    pub words: u64,
    pub words_in_their_events: u64,
    /// Positions (in the corpus's rows) of their first and last event.
    pub first: Option<usize>,
    pub last: Option<usize>,
}

impl SpeakerStats {
    /// Their share of the words in their events, in percent (0 when no
    /// words were counted).
    pub fn share_percent(&self) -> f64 {
        if self.words_in_their_events == 0 {
            0.0
        } else {
            self.words as f64 * 100.0 / self.words_in_their_events as f64
        }
    }
}

/// The stats of the speaker at position `pos` of the speaker table, over
/// `events` (oldest first); `words_of(e)` is the row's words per speaker
/// (same order as `e.speakers`; a shorter list counts the rest as zero).
pub fn speaker_stats<'a>(
    events: &'a [EventSummary],
    words_of: impl Fn(&'a EventSummary) -> &'a [u32],
    pos: u32,
) -> SpeakerStats {
    let mut stats = SpeakerStats::default();
    let mut years: Vec<(i32, u32)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let Some(k) = e.speakers.iter().position(|&s| s == pos) else {
            continue;
        };
        stats.events += 1;
        stats.first.get_or_insert(i);
        stats.last = Some(i);
        let words = words_of(e);
        stats.words += u64::from(words.get(k).copied().unwrap_or(0));
        stats.words_in_their_events += words.iter().map(|&w| u64::from(w)).sum::<u64>();
        let year = e.date.year();
        match years.last_mut() {
            Some((y, n)) if *y == year => *n += 1,
            _ => years.push((year, 1)),
        }
    }
    // Rows are oldest first; an index sorted otherwise still gets one bar
    // per year.
    years.sort_by_key(|&(y, _)| y);
    let mut per_year: Vec<(i32, u32)> = Vec::new();
    for (y, n) in years {
        match per_year.last_mut() {
            Some((last, count)) if *last == y => *count += n,
            Some(&mut (last, _)) => {
                // Gap years as zero bars; a hostile date span is capped.
                per_year.extend(((last + 1)..y).take(MAX_GAP_YEARS).map(|g| (g, 0)));
                per_year.push((y, n));
            }
            None => per_year.push((y, n)),
        }
    }
    stats.per_year = per_year;
    stats
}

/// Zero-bars filled in between two years, at most: real corpora span a
/// few decades; dates thousands of years apart must not make a huge chart.
const MAX_GAP_YEARS: usize = 200;

/// One role with the dates it was printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLine {
    pub role: String,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// Roles over time: from `role_spans` (ordered by first date) when the
/// index has them, else the plain roles without dates.
pub fn roles_over_time(speaker: &Speaker) -> Vec<RoleLine> {
    if speaker.role_spans.is_empty() {
        return speaker
            .roles
            .iter()
            .map(|r| RoleLine {
                role: r.clone(),
                first: None,
                last: None,
            })
            .collect();
    }
    speaker
        .role_spans
        .iter()
        .map(|r| RoleLine {
            role: r.role.clone(),
            first: Some(r.first),
            last: Some(r.last),
        })
        .collect()
}

/// One part of an event's "who spoke how much" bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    pub kind: SliceKind,
    pub label: String,
    pub words: u64,
    /// Share of the event's words, 0..=100.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SliceKind {
    /// A named speaker, with their id; `rank` 0..5 picks the colour.
    Person { id: String, rank: usize },
    /// The people beyond the top ones, together.
    Others,
    /// Generic labels (Question, Remark ...), together: not people.
    Generic,
}

/// People shown by name in the bar; the rest are "others".
pub const TOP_SPEAKERS: usize = 5;

/// The bar of one event: its top [`TOP_SPEAKERS`] people by words (ties in
/// order of appearance), the other people as one slice, generic labels as
/// one slice; slices without words are left out. Empty when no words were
/// counted. `speaker_at` looks a speaker up by position.
pub fn word_shares<'a>(
    speakers: &[u32],
    words: &[u32],
    speaker_at: impl Fn(u32) -> Option<&'a Speaker>,
) -> Vec<Slice> {
    let mut people: Vec<(&Speaker, u64)> = Vec::new();
    let mut generic_words = 0u64;
    let mut generic_names: Vec<&str> = Vec::new();
    for (&pos, &w) in speakers.iter().zip(words) {
        let Some(s) = speaker_at(pos) else {
            continue;
        };
        match s.kind {
            SpeakerKind::Person => people.push((s, u64::from(w))),
            SpeakerKind::Generic => {
                generic_words += u64::from(w);
                if w > 0 && !generic_names.contains(&s.name.as_str()) {
                    generic_names.push(&s.name);
                }
            }
        }
    }
    let total: u64 = people.iter().map(|(_, w)| w).sum::<u64>() + generic_words;
    if total == 0 {
        return Vec::new();
    }
    // Stable: equal counts keep the order of appearance.
    people.sort_by_key(|&(_, w)| std::cmp::Reverse(w));
    let percent = |w: u64| w as f64 * 100.0 / total as f64;
    let mut slices: Vec<Slice> = people
        .iter()
        .take(TOP_SPEAKERS)
        .filter(|(_, w)| *w > 0)
        .enumerate()
        .map(|(rank, (s, w))| Slice {
            kind: SliceKind::Person {
                id: s.id.clone(),
                rank,
            },
            label: s.name.clone(),
            words: *w,
            percent: percent(*w),
        })
        .collect();
    let others: u64 = people.iter().skip(TOP_SPEAKERS).map(|(_, w)| w).sum();
    if others > 0 {
        let n = people
            .iter()
            .skip(TOP_SPEAKERS)
            .filter(|(_, w)| *w > 0)
            .count();
        slices.push(Slice {
            kind: SliceKind::Others,
            label: format!("{n} other{}", if n == 1 { "" } else { "s" }),
            words: others,
            percent: percent(others),
        });
    }
    if generic_words > 0 {
        slices.push(Slice {
            kind: SliceKind::Generic,
            label: generic_label(&generic_names),
            words: generic_words,
            percent: percent(generic_words),
        });
    }
    slices
}

/// "Question, Remark" (at most three names, then "…").
fn generic_label(names: &[&str]) -> String {
    let mut label = names.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    if names.len() > 3 {
        label.push_str(", …");
    }
    label
}

/// A share as the reader sees it: whole percent, "<1 %" for a small one
/// that is not zero.
pub fn percent_text(percent: f64) -> String {
    if percent > 0.0 && percent < 0.5 {
        "<1 %".to_string()
    } else {
        format!("{:.0} %", percent)
    }
}

/// The bar as one sentence for screen readers and the tooltip:
/// "Vladimir Putin 62 %, Sergei Lavrov 20 %, 3 others 5 %, Question 13 %".
pub fn shares_text(slices: &[Slice]) -> String {
    slices
        .iter()
        .map(|s| format!("{} {}", s.label, percent_text(s.percent)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;
    use stenogram_corpus::model::RoleSpan;

    fn table() -> Vec<Speaker> {
        let p = |i: usize| {
            fixture::speaker(
                &format!("p{i}"),
                &format!("Person {i}"),
                SpeakerKind::Person,
                &[],
                1,
            )
        };
        let mut t: Vec<Speaker> = (0..8).map(p).collect();
        t.push(fixture::speaker(
            "generic-question",
            "Question",
            SpeakerKind::Generic,
            &[],
            1,
        ));
        t.push(fixture::speaker(
            "generic-remark",
            "Remark",
            SpeakerKind::Generic,
            &[],
            1,
        ));
        t
    }

    #[test]
    fn shares_top_five_then_others_then_generic() {
        let t = table();
        let at = |p: u32| t.get(p as usize);
        let speakers = [0, 1, 2, 3, 4, 5, 6, 8, 9, 7, 99];
        let words = [10, 500, 30, 30, 20, 5, 5, 100, 50, 0, 1000];
        let s = word_shares(&speakers, &words, at);
        let labels: Vec<&str> = s.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "Person 1",
                "Person 2",
                "Person 3",
                "Person 4",
                "Person 0",
                "2 others",
                "Question, Remark"
            ]
        );
        let total: f64 = s.iter().map(|s| s.percent).sum();
        assert!((total - 100.0).abs() < 1e-9);
        assert_eq!(s[0].words, 500);
        assert_eq!(s[5].words, 10);
        assert_eq!(s[6].kind, SliceKind::Generic);
        assert_eq!(
            s[0].kind,
            SliceKind::Person {
                id: "p1".into(),
                rank: 0
            }
        );
        assert_eq!(
            shares_text(&s[..2]),
            format!(
                "Person 1 {}, Person 2 {}",
                percent_text(s[0].percent),
                percent_text(s[1].percent)
            )
        );
    }

    #[test]
    fn shares_of_nothing_are_no_bar() {
        let t = table();
        let at = |p: u32| t.get(p as usize);
        assert!(word_shares(&[], &[], at).is_empty());
        assert!(word_shares(&[0, 1], &[0, 0], at).is_empty());
        // Mismatched columns (a hostile index): only the pairs that exist.
        let s = word_shares(&[0, 1, 2], &[5], at);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].percent, 100.0);
    }

    #[test]
    fn percent_text_rounds_and_keeps_small_shares_visible() {
        assert_eq!(percent_text(0.0), "0 %");
        assert_eq!(percent_text(0.2), "<1 %");
        assert_eq!(percent_text(61.6), "62 %");
        assert_eq!(percent_text(100.0), "100 %");
    }

    #[test]
    fn stats_over_the_fixture() {
        let c = fixture::corpus();
        let lavrov = c.speaker_pos("sergei-lavrov").unwrap();
        let st = speaker_stats(c.events(), |e| c.words(e), lavrov);
        assert_eq!(st.events, 1);
        assert_eq!(st.per_year, vec![(2020, 1)]);
        let pos = c.event_pos(fixture::PEACEKEEPING).unwrap();
        assert_eq!((st.first, st.last), (Some(pos), Some(pos)));
        assert!(st.words > 0 && st.words < st.words_in_their_events);
        assert!(st.share_percent() > 0.0 && st.share_percent() < 100.0);
        let putin = c.speaker_pos("vladimir-putin").unwrap();
        let st = speaker_stats(c.events(), |e| c.words(e), putin);
        assert_eq!(st.events, 2);
        assert_eq!((st.first, st.last), (Some(0), Some(1)));
        let nobody = speaker_stats(c.events(), |e| c.words(e), u32::MAX);
        assert_eq!(nobody, SpeakerStats::default());
        assert_eq!(nobody.share_percent(), 0.0);
    }

    #[test]
    fn years_fill_gaps_and_stay_bounded() {
        let mk = |y: i32| {
            let mut e = fixture::summary("e", (y, 6, 1), None);
            e.speakers = vec![3];
            e
        };
        let events = vec![mk(2001), mk(2001), mk(2004), mk(1999)];
        let st = speaker_stats(&events, |_| &[7], 3);
        assert_eq!(
            st.per_year,
            vec![
                (1999, 1),
                (2000, 0),
                (2001, 2),
                (2002, 0),
                (2003, 0),
                (2004, 1)
            ]
        );
        assert_eq!(st.words, 28);
        let far = vec![mk(1), mk(9000)];
        let st = speaker_stats(&far, |_| &[], 3);
        assert_eq!(st.per_year.len(), MAX_GAP_YEARS + 2);
    }

    #[test]
    fn roles_from_spans_or_plain() {
        let mut s = fixture::speaker("a", "A", SpeakerKind::Person, &[], 1);
        s.roles = vec!["Minister".into()];
        assert_eq!(
            roles_over_time(&s),
            vec![RoleLine {
                role: "Minister".into(),
                first: None,
                last: None
            }]
        );
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        s.role_spans = vec![RoleSpan {
            role: "Minister".into(),
            first: d(2004),
            last: d(2020),
        }];
        assert_eq!(roles_over_time(&s)[0].first, Some(d(2004)));
    }
}
