//! The speaker list of the filter sidebar: search and grouping.

use stenogram_corpus::model::{Speaker, SpeakerKind};

/// Case-insensitive substring search on the canonical name and on every
/// printed label (so "foreign minister" finds Lavrov). An empty or blank
/// query matches everyone.
pub fn speaker_matches(speaker: &Speaker, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    speaker.name.to_lowercase().contains(&q)
        || speaker.labels.iter().any(|l| l.to_lowercase().contains(&q))
        || speaker.roles.iter().any(|r| r.to_lowercase().contains(&q))
}

/// The list as shown: people first, then generic labels, each sorted by the
/// number of events (most first), then by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpeakerList {
    /// Indexes into the bundle's `speakers`.
    pub people: Vec<usize>,
    pub generic: Vec<usize>,
}

pub fn speaker_list(speakers: &[Speaker], query: &str) -> SpeakerList {
    let mut list = SpeakerList::default();
    for (i, s) in speakers.iter().enumerate() {
        if !speaker_matches(s, query) {
            continue;
        }
        match s.kind {
            SpeakerKind::Person => list.people.push(i),
            SpeakerKind::Generic => list.generic.push(i),
        }
    }
    let by_count_then_name = |&a: &usize, &b: &usize| {
        let (sa, sb) = (&speakers[a], &speakers[b]);
        sb.event_count
            .cmp(&sa.event_count)
            .then_with(|| sa.name.cmp(&sb.name))
    };
    list.people.sort_by(by_count_then_name);
    list.generic.sort_by(by_count_then_name);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;

    fn names(speakers: &[Speaker], idx: &[usize]) -> Vec<String> {
        idx.iter().map(|&i| speakers[i].name.clone()).collect()
    }

    #[test]
    fn people_before_generic_most_events_first() {
        let b = fixture::bundle();
        let list = speaker_list(&b.speakers, "");
        assert_eq!(
            names(&b.speakers, &list.people),
            vec!["Vladimir Putin", "Sergei Lavrov", "Sergei Shoigu"]
        );
        assert_eq!(names(&b.speakers, &list.generic), vec!["Question"]);
    }

    #[test]
    fn searches_name_case_insensitively() {
        let b = fixture::bundle();
        let list = speaker_list(&b.speakers, "  LAVR ");
        assert_eq!(names(&b.speakers, &list.people), vec!["Sergei Lavrov"]);
        assert!(list.generic.is_empty());
    }

    #[test]
    fn searches_labels() {
        let b = fixture::bundle();
        let list = speaker_list(&b.speakers, "defence minister");
        assert_eq!(names(&b.speakers, &list.people), vec!["Sergei Shoigu"]);
        let list = speaker_list(&b.speakers, "president of russia");
        assert_eq!(names(&b.speakers, &list.people), vec!["Vladimir Putin"]);
    }

    #[test]
    fn no_match_gives_empty_lists() {
        let b = fixture::bundle();
        assert_eq!(speaker_list(&b.speakers, "zzz"), SpeakerList::default());
    }
}
