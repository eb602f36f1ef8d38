//! Which events match the filters: picked speakers, a date range, the
//! speaker page's person, and picked topics, geography and places.
//!
//! [`event_matches`] is the one test of every filter, [`matching_events`]
//! its pass over all events, and [`matching_in`] the same answer from the
//! few events that can match; [`Filter::base_matches`] is everything but
//! the facets, which
//! [`crate::logic::facets::count`] needs apart. A new row restriction
//! (search) goes into `base_matches`.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::logic::corpus::{Corpus, EventSummary};
use crate::logic::search::eval::Hits;
use crate::logic::url_state::{Facet, ViewState};

/// How several picked speakers combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchMode {
    /// An event matches when at least one picked speaker speaks in it.
    #[default]
    Any,
    /// An event matches only when every picked speaker speaks in it.
    All,
}

/// The filters of a view, resolved against the corpus: speakers as
/// positions in its speaker table (rows refer to speakers that way).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub speakers: Vec<u32>,
    pub mode: MatchMode,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The speaker page's person: only the events they speak in.
    pub person: Option<u32>,
    /// Picked facet values, as positions in the index's tables: an event
    /// matches a facet when it has any of its picked values.
    pub topics: Vec<u32>,
    pub geography: Vec<u32>,
    pub places: Vec<u32>,
    /// The rows a full-text search matched, when there is a query.
    pub search: Option<SearchRows>,
}

/// Rows of a search result; compared by identity (one evaluation, one value).
#[derive(Debug, Clone)]
pub struct SearchRows(pub Arc<Hits>);

impl PartialEq for SearchRows {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SearchRows {}

impl Filter {
    /// The filter a view state asks for. A speaker id the corpus does not
    /// know matches nothing (the URL decoder has already dropped and
    /// reported such ids; this is the safe reading if one slips through).
    pub fn from_state(state: &ViewState, corpus: &Corpus) -> Filter {
        Filter {
            speakers: state
                .speakers
                .iter()
                .map(|id| corpus.speaker_pos(id).unwrap_or(u32::MAX))
                .collect(),
            mode: state.match_mode,
            from: state.from,
            to: state.to,
            person: state
                .person
                .as_ref()
                .map(|id| corpus.speaker_pos(id).unwrap_or(u32::MAX)),
            topics: facet_positions(state, corpus, Facet::Topic),
            geography: facet_positions(state, corpus, Facet::Geography),
            places: facet_positions(state, corpus, Facet::Place),
            search: None,
        }
    }

    /// The picked values of one facet.
    pub fn facet(&self, facet: Facet) -> &[u32] {
        match facet {
            Facet::Topic => &self.topics,
            Facet::Geography => &self.geography,
            Facet::Place => &self.places,
        }
    }

    /// Every filter but the facets: date range, person, speakers.
    pub fn base_matches(&self, event: &EventSummary) -> bool {
        self.from.is_none_or(|from| event.date >= from)
            && self.to.is_none_or(|to| event.date <= to)
            && self.person.is_none_or(|p| event.speakers.contains(&p))
            && speakers_match(&event.speakers, &self.speakers, self.mode)
            && self.search.as_ref().is_none_or(|s| s.0.contains(event.row))
    }

    /// Does `event` have any picked value of `facet` (true when none is picked)?
    pub fn facet_matches(&self, facet: Facet, event: &EventSummary) -> bool {
        let picked = self.facet(facet);
        if picked.is_empty() {
            return true;
        }
        match facet {
            Facet::Topic => event.topics.iter().any(|t| picked.contains(t)),
            Facet::Geography => event.geography.iter().any(|g| picked.contains(g)),
            Facet::Place => event.place.is_some_and(|p| picked.contains(&p)),
        }
    }

    /// The filter without its date range (what the density strip counts).
    pub fn without_range(&self) -> Filter {
        Filter {
            from: None,
            to: None,
            ..self.clone()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.speakers.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.person.is_none()
            && self.topics.is_empty()
            && self.geography.is_empty()
            && self.places.is_empty()
            && self.search.is_none()
    }
}

/// Positions of the picked keys of `facet`; an unknown key matches nothing
/// (the URL decoder has already dropped and reported such keys).
fn facet_positions(state: &ViewState, corpus: &Corpus, facet: Facet) -> Vec<u32> {
    let table = corpus.facet_table(facet);
    state
        .facet(facet)
        .iter()
        .map(|key| table.pos(key).unwrap_or(u32::MAX))
        .collect()
}

/// Does an event whose speakers are `event_speakers` match the selection?
/// An empty selection is "no filter": everything matches.
pub fn speakers_match(event_speakers: &[u32], selected: &[u32], mode: MatchMode) -> bool {
    if selected.is_empty() {
        return true;
    }
    let speaks = |id: &u32| event_speakers.contains(id);
    match mode {
        MatchMode::Any => selected.iter().any(speaks),
        MatchMode::All => selected.iter().all(speaks),
    }
}

/// Does the event pass every filter?
pub fn event_matches(event: &EventSummary, filter: &Filter) -> bool {
    filter.base_matches(event) && Facet::ALL.iter().all(|&f| filter.facet_matches(f, event))
}

/// Indexes (into `events`) of the events that match, in corpus order.
pub fn matching_events(events: &[EventSummary], filter: &Filter) -> Vec<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| event_matches(e, filter))
        .map(|(i, _)| i)
        .collect()
}

/// The same as [`matching_events`] over the corpus' events, visiting fewer
/// of them: only the events of the rarest speaker every match must have
/// (the person, a speaker under "all", the one speaker under "any"), and
/// only the days of the date range (events are in date order). A lone
/// speaker (or person) with nothing else picked needs no check at all:
/// their list, cut to the range, is the answer.
pub fn matching_in(corpus: &Corpus, filter: &Filter) -> Vec<usize> {
    let events = corpus.events();
    let in_range = corpus.rows_between(filter.from, filter.to);
    let required: &[u32] = match filter.mode {
        MatchMode::All => &filter.speakers,
        MatchMode::Any if filter.speakers.len() == 1 => &filter.speakers,
        MatchMode::Any => &[],
    };
    // The rarest list, cut to the range (both are in event order).
    let listed = filter
        .person
        .iter()
        .chain(required)
        .map(|&s| corpus.speaker_events(s))
        .min_by_key(|list| list.len())
        .map(|list| {
            let lo = list.partition_point(|&i| (i as usize) < in_range.start);
            let hi = list.partition_point(|&i| (i as usize) < in_range.end);
            &list[lo..hi]
        });
    let keep = |i: &usize| event_matches(&events[*i], filter);
    match listed {
        // One speaker (or one person) and nothing else: the list is the
        // answer, with no event to look at (a heavy speaker's 34,000).
        Some(list) if decided_by_one_list(filter) => list.iter().map(|&i| i as usize).collect(),
        Some(list) if list.len() < in_range.len() => {
            list.iter().map(|&i| i as usize).filter(keep).collect()
        }
        _ => in_range.filter(keep).collect(),
    }
}

/// Whether a speaker's posting list cut to the range is all of `filter`:
/// every speaker it names is one and the same (mode does not matter then),
/// and it has no facet or search.
fn decided_by_one_list(filter: &Filter) -> bool {
    let mut named = filter.person.iter().chain(&filter.speakers);
    let Some(first) = named.next() else {
        return false;
    };
    named.all(|s| s == first)
        && filter.search.is_none()
        && filter.topics.is_empty()
        && filter.geography.is_empty()
        && filter.places.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;

    fn filter(c: &Corpus, ids: &[&str], mode: MatchMode) -> Filter {
        let state = ViewState {
            speakers: ids.iter().map(|s| s.to_string()).collect(),
            match_mode: mode,
            ..ViewState::default()
        };
        Filter::from_state(&state, c)
    }

    fn matching(c: &Corpus, f: &Filter) -> Vec<String> {
        matching_events(c.events(), f)
            .into_iter()
            .map(|i| c.events()[i].id().to_string())
            .collect()
    }

    /// The fixture's index grown to `n` rows over ten years, each with
    /// one to three of its speakers and a place, in date order.
    fn grown(n: usize) -> Corpus {
        let mut index = fixture::site().0;
        let speakers = index.speakers.len() as u32;
        let e = &mut index.events;
        *e = Default::default();
        let mut x = 12345u64;
        let mut next = move |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let first = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        for row in 0..n {
            // Three events a day, every 27th day.
            e.date
                .push(first + chrono::Days::new((row / 3 * 27) as u64));
            e.time.push(None);
            e.title.push(format!("Event {row}"));
            e.place.push(Some(next(2) as u32));
            let mut who: Vec<u32> = (0..1 + next(3))
                .map(|_| next(u64::from(speakers)) as u32)
                .collect();
            who.dedup();
            e.words.push(vec![1; who.len()]);
            e.speakers.push(who);
            e.topics.push(vec![next(3) as u32]);
            e.geography.push(vec![]);
            e.turns.push(1);
        }
        index.shards.truncate(1);
        index.shards[0].first = 0;
        index.shards[0].count = n as u32;
        Corpus::new(index).unwrap()
    }

    #[test]
    fn matching_in_agrees_with_a_pass_over_every_event() {
        let c = grown(400);
        let n = c.speakers().len() as u32;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        // An unknown speaker alone (its list is empty).
        let mut filters = vec![
            Filter::default(),
            Filter {
                speakers: vec![u32::MAX],
                ..Filter::default()
            },
        ];
        for person in 0..n {
            filters.push(Filter {
                person: Some(person),
                topics: vec![person % 3],
                ..Filter::default()
            });
            // A person alone: the list is the answer.
            filters.push(Filter {
                person: Some(person),
                ..Filter::default()
            });
        }
        for a in 0..n {
            // Some(a): a speaker named twice.
            for b in [None, Some((a + 1) % n), Some(a), Some(u32::MAX)] {
                for mode in [MatchMode::Any, MatchMode::All] {
                    for person in [None, Some(a), Some((a + 2) % n)] {
                        // Ranges ending on a day with events too.
                        let on = |k: usize| Some(c.events()[k].date);
                        for (from, to) in [
                            (on(100), on(200)),
                            (on(3), on(3)),
                            (None, None),
                            (day(2012, 3, 1), None),
                            (None, day(2014, 1, 31)),
                            (day(2013, 1, 1), day(2013, 12, 31)),
                            (day(2016, 1, 1), day(2015, 1, 1)),
                        ] {
                            filters.push(Filter {
                                speakers: std::iter::once(a).chain(b).collect(),
                                mode,
                                person,
                                from,
                                to,
                                places: if a % 2 == 0 { vec![1] } else { vec![] },
                                ..Filter::default()
                            });
                        }
                    }
                }
            }
        }
        let mut narrowed = 0;
        for f in &filters {
            let expected = matching_events(c.events(), f);
            assert_eq!(matching_in(&c, f), expected, "{f:?}");
            narrowed += usize::from(!expected.is_empty() && expected.len() < 100);
        }
        // The cases a posting list or a range narrows are among them.
        assert!(narrowed > 50, "{narrowed}");
    }

    #[test]
    fn a_speaker_posting_lists_their_events_in_order() {
        let c = grown(200);
        for s in 0..c.speakers().len() as u32 {
            let expected: Vec<u32> = (0..c.events().len() as u32)
                .filter(|&i| c.events()[i as usize].speakers.contains(&s))
                .collect();
            assert_eq!(c.speaker_events(s), expected);
        }
        assert!(c.speaker_events(u32::MAX).is_empty());
    }

    #[test]
    fn empty_selection_matches_everything() {
        let c = fixture::corpus();
        assert_eq!(matching_events(c.events(), &Filter::default()), vec![0, 1]);
        let all = filter(&c, &[], MatchMode::All);
        assert!(all.is_empty());
        assert_eq!(matching_events(c.events(), &all), vec![0, 1]);
    }

    #[test]
    fn single_speaker() {
        let c = fixture::corpus();
        assert_eq!(
            matching(&c, &filter(&c, &["sergei-lavrov"], MatchMode::Any)),
            vec![fixture::PEACEKEEPING]
        );
        assert_eq!(
            matching(&c, &filter(&c, &["vladimir-putin"], MatchMode::Any)),
            vec![fixture::NUREMBERG, fixture::PEACEKEEPING]
        );
    }

    #[test]
    fn any_versus_all() {
        let ev = [0, 2];
        assert!(speakers_match(&ev, &[2, 1], MatchMode::Any));
        assert!(!speakers_match(&ev, &[2, 1], MatchMode::All));
        assert!(speakers_match(&ev, &[2, 0], MatchMode::All));

        let c = fixture::corpus();
        let picked = ["vladimir-putin", "sergei-lavrov"];
        assert_eq!(matching(&c, &filter(&c, &picked, MatchMode::Any)).len(), 2);
        assert_eq!(
            matching(&c, &filter(&c, &picked, MatchMode::All)),
            vec![fixture::PEACEKEEPING]
        );
    }

    #[test]
    fn nobody_matches_an_absent_speaker() {
        let c = fixture::corpus();
        assert!(matching(&c, &filter(&c, &["nobody"], MatchMode::Any)).is_empty());
    }

    #[test]
    fn date_range_is_inclusive_and_open_ended() {
        let c = fixture::corpus();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let range = |from, to| Filter {
            from,
            to,
            ..Filter::default()
        };
        assert_eq!(
            matching(&c, &range(d(2020, 11, 20), d(2020, 11, 20))).len(),
            2
        );
        assert_eq!(matching(&c, &range(d(2020, 11, 21), None)).len(), 0);
        assert_eq!(matching(&c, &range(None, d(2020, 11, 19))).len(), 0);
        assert_eq!(matching(&c, &range(None, d(2020, 12, 1))).len(), 2);
        let with_speaker = Filter {
            from: d(2020, 1, 1),
            ..filter(&c, &["sergei-lavrov"], MatchMode::Any)
        };
        assert_eq!(matching(&c, &with_speaker), vec![fixture::PEACEKEEPING]);
        assert!(with_speaker.without_range().from.is_none());
    }

    #[test]
    fn facets_combine_any_within_all_across() {
        let c = fixture::corpus();
        let state = |topics: &[&str], geo: &[&str]| ViewState {
            topics: topics.iter().map(|s| s.to_string()).collect(),
            geography: geo.iter().map(|s| s.to_string()).collect(),
            ..ViewState::default()
        };
        let f = |st: &ViewState| matching(&c, &Filter::from_state(st, &c));
        assert_eq!(
            f(&state(&["armed-forces"], &[])),
            vec![fixture::PEACEKEEPING]
        );
        assert_eq!(
            f(&state(&["armed-forces", "great-patriotic-war"], &[])).len(),
            2
        );
        assert_eq!(
            f(&state(&["great-patriotic-war"], &["armenia"])),
            Vec::<String>::new()
        );
        assert_eq!(
            f(&state(&["armed-forces"], &["azerbaijan"])),
            vec![fixture::PEACEKEEPING]
        );
        assert!(f(&state(&["ghost"], &[])).is_empty());
        assert!(!Filter::from_state(&state(&["ghost"], &[]), &c).is_empty());
    }

    #[test]
    fn places_match_their_one_value() {
        let c = fixture::corpus();
        let mut e = c.events()[0].clone();
        let f = Filter {
            places: vec![4],
            ..Filter::default()
        };
        e.place = None;
        assert!(!event_matches(&e, &f));
        e.place = Some(4);
        assert!(event_matches(&e, &f));
        e.place = Some(3);
        assert!(!event_matches(&e, &f));
    }

    #[test]
    fn the_person_page_shows_their_events_with_the_other_filters() {
        let c = fixture::corpus();
        let st = ViewState {
            person: Some("sergei-lavrov".into()),
            ..ViewState::default()
        };
        let f = Filter::from_state(&st, &c);
        assert_eq!(matching(&c, &f), vec![fixture::PEACEKEEPING]);
        // Combined with a speaker filter: events where both hold.
        let st = ViewState {
            speakers: vec!["vladimir-putin".into()],
            person: Some("sergei-lavrov".into()),
            ..ViewState::default()
        };
        assert_eq!(
            matching(&c, &Filter::from_state(&st, &c)),
            vec![fixture::PEACEKEEPING]
        );
        let ghost = ViewState {
            person: Some("ghost".into()),
            ..ViewState::default()
        };
        assert!(matching(&c, &Filter::from_state(&ghost, &c)).is_empty());
    }
}
