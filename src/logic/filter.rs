//! Which events match the speaker filter.

use stenogram_corpus::model::Event;

/// How several picked speakers combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchMode {
    /// An event matches when at least one picked speaker speaks in it.
    #[default]
    Any,
    /// An event matches only when every picked speaker speaks in it.
    All,
}

/// Does an event whose speakers are `event_speakers` match the selection?
/// An empty selection is "no filter": everything matches.
pub fn speakers_match(event_speakers: &[String], selected: &[String], mode: MatchMode) -> bool {
    if selected.is_empty() {
        return true;
    }
    let speaks = |id: &String| event_speakers.contains(id);
    match mode {
        MatchMode::Any => selected.iter().any(speaks),
        MatchMode::All => selected.iter().all(speaks),
    }
}

pub fn event_matches(event: &Event, selected: &[String], mode: MatchMode) -> bool {
    speakers_match(&event.speakers, selected, mode)
}

/// Indexes (into `events`) of the events that match, in corpus order.
pub fn matching_events(events: &[Event], selected: &[String], mode: MatchMode) -> Vec<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| event_matches(e, selected, mode))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn empty_selection_matches_everything() {
        let b = fixture::bundle();
        assert_eq!(matching_events(&b.events, &[], MatchMode::Any), vec![0, 1]);
        assert_eq!(matching_events(&b.events, &[], MatchMode::All), vec![0, 1]);
    }

    #[test]
    fn single_speaker() {
        let b = fixture::bundle();
        assert_eq!(
            matching_events(&b.events, &ids(&["sergei-lavrov"]), MatchMode::Any),
            vec![0]
        );
        assert_eq!(
            matching_events(&b.events, &ids(&["vladimir-putin"]), MatchMode::Any),
            vec![0, 1]
        );
    }

    #[test]
    fn any_versus_all() {
        let ev = ids(&["vladimir-putin", "sergei-lavrov"]);
        let picked = ids(&["sergei-lavrov", "sergei-shoigu"]);
        assert!(speakers_match(&ev, &picked, MatchMode::Any));
        assert!(!speakers_match(&ev, &picked, MatchMode::All));
        let picked = ids(&["sergei-lavrov", "vladimir-putin"]);
        assert!(speakers_match(&ev, &picked, MatchMode::All));

        let b = fixture::bundle();
        let picked = ids(&["vladimir-putin", "sergei-lavrov"]);
        assert_eq!(
            matching_events(&b.events, &picked, MatchMode::Any),
            vec![0, 1]
        );
        assert_eq!(matching_events(&b.events, &picked, MatchMode::All), vec![0]);
    }

    #[test]
    fn nobody_matches_an_absent_speaker() {
        let b = fixture::bundle();
        assert!(matching_events(&b.events, &ids(&["nobody"]), MatchMode::Any).is_empty());
    }
}
