//! Which events match the filters: picked speakers and a date range.

use chrono::NaiveDate;

use crate::logic::corpus::{Corpus, EventSummary};
use crate::logic::url_state::ViewState;

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
}

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
        self.speakers.is_empty() && self.from.is_none() && self.to.is_none()
    }
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

pub fn event_matches(event: &EventSummary, filter: &Filter) -> bool {
    filter.from.is_none_or(|from| event.date >= from)
        && filter.to.is_none_or(|to| event.date <= to)
        && speakers_match(&event.speakers, &filter.speakers, filter.mode)
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
            .map(|i| c.events()[i].id.clone())
            .collect()
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
}
