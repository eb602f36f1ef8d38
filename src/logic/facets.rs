//! Topic, geography and place facets: the keys that name their values in
//! the URL, and counts that follow the other filters.
//!
//! Standard faceted search: a value's count is the number of events that
//! match every filter *except the picks of its own facet*, so picking one
//! topic does not hide the other topics one could add (within a facet the
//! picks combine with "any"), while picking a place narrows the topics.

use std::collections::{HashMap, HashSet};

use crate::logic::corpus::EventSummary;
use crate::logic::filter::Filter;
use crate::logic::url_state::Facet;

/// A stable, readable key per name, for the URL: the slug of the name
/// (`Armed Forces` -> `armed-forces`); a name that slugs to nothing
/// becomes `x`; when two names slug alike, the later gets `-2`, `-3` ...
pub fn facet_keys(names: &[String]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::with_capacity(names.len());
    names
        .iter()
        .map(|name| {
            let mut base = stenogram_corpus::model::slug(name);
            if base.is_empty() {
                base = "x".into();
            }
            let mut key = base.clone();
            let mut n = 2;
            while taken.contains(&key) {
                key = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(key.clone());
            key
        })
        .collect()
}

/// One facet's table: names, their URL keys and the way back.
#[derive(Debug, Clone, Default)]
pub struct FacetTable {
    keys: Vec<String>,
    pos: HashMap<String, u32>,
    /// Position of each value when sorted by name (ties: table order), so
    /// sorting by count then name compares numbers, not strings.
    name_rank: Vec<u32>,
}

impl FacetTable {
    pub fn new(names: &[String]) -> Self {
        let keys = facet_keys(names);
        let pos = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
        let mut by_name: Vec<usize> = (0..names.len()).collect();
        by_name.sort_by(|&a, &b| {
            names[a]
                .to_lowercase()
                .cmp(&names[b].to_lowercase())
                .then(a.cmp(&b))
        });
        let mut name_rank = vec![0; names.len()];
        for (rank, &i) in by_name.iter().enumerate() {
            name_rank[i] = rank as u32;
        }
        FacetTable {
            keys,
            pos,
            name_rank,
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn key(&self, pos: u32) -> &str {
        self.keys.get(pos as usize).map_or("", String::as_str)
    }

    pub fn pos(&self, key: &str) -> Option<u32> {
        self.pos.get(key).copied()
    }

    fn rank(&self, pos: u32) -> u32 {
        self.name_rank
            .get(pos as usize)
            .copied()
            .unwrap_or(u32::MAX)
    }
}

/// Events per value of each facet (indexed by position in its table).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FacetCounts {
    pub topics: Vec<u32>,
    pub geography: Vec<u32>,
    pub places: Vec<u32>,
}

impl FacetCounts {
    pub fn of(&self, facet: Facet) -> &[u32] {
        match facet {
            Facet::Topic => &self.topics,
            Facet::Geography => &self.geography,
            Facet::Place => &self.places,
        }
    }
}

/// Table sizes of the three facets, so that the counts cover every value.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacetSizes {
    pub topics: usize,
    pub geography: usize,
    pub places: usize,
}

/// Count every facet value in one pass over the rows: an event adds to a
/// facet's counts when it passes every filter but that facet's own picks.
/// Values out of range (a hostile index) are skipped.
pub fn count(events: &[EventSummary], filter: &Filter, sizes: FacetSizes) -> FacetCounts {
    let mut counts = FacetCounts {
        topics: vec![0; sizes.topics],
        geography: vec![0; sizes.geography],
        places: vec![0; sizes.places],
    };
    let add = |counts: &mut Vec<u32>, values: &mut dyn Iterator<Item = u32>| {
        for v in values {
            if let Some(c) = counts.get_mut(v as usize) {
                *c += 1;
            }
        }
    };
    for e in events {
        if !filter.base_matches(e) {
            continue;
        }
        let topic = filter.facet_matches(Facet::Topic, e);
        let geo = filter.facet_matches(Facet::Geography, e);
        let place = filter.facet_matches(Facet::Place, e);
        if geo && place {
            add(&mut counts.topics, &mut e.topics.iter().copied());
        }
        if topic && place {
            add(&mut counts.geography, &mut e.geography.iter().copied());
        }
        if topic && geo {
            add(&mut counts.places, &mut e.place.into_iter());
        }
    }
    counts
}

/// One row of a facet's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FacetRow {
    pub pos: u32,
    pub count: u32,
    pub picked: bool,
}

/// A facet's list: the picked values first (in the order picked, whatever
/// their count), then every other value with a count above zero, most
/// events first, then by name.
pub fn rows(counts: &[u32], picked: &[u32], table: &FacetTable) -> Vec<FacetRow> {
    let count_of = |pos: u32| counts.get(pos as usize).copied().unwrap_or(0);
    let mut out: Vec<FacetRow> = Vec::new();
    for &pos in picked {
        if (pos as usize) < table.len() && !out.iter().any(|r| r.pos == pos) {
            out.push(FacetRow {
                pos,
                count: count_of(pos),
                picked: true,
            });
        }
    }
    let n_picked = out.len();
    out.extend(
        counts
            .iter()
            .enumerate()
            .filter(|&(pos, &c)| c > 0 && !picked.contains(&(pos as u32)))
            .map(|(pos, &count)| FacetRow {
                pos: pos as u32,
                count,
                picked: false,
            }),
    );
    out[n_picked..].sort_unstable_by_key(|r| (std::cmp::Reverse(r.count), table.rank(r.pos)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::filter::matching_events;
    use crate::logic::fixture;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn keys_are_slugs_made_unique() {
        assert_eq!(
            facet_keys(&s(&[
                "Armed Forces",
                "armed forces",
                "—",
                "",
                "Armed-Forces",
                "Ürümqi"
            ])),
            s(&[
                "armed-forces",
                "armed-forces-2",
                "x",
                "x-2",
                "armed-forces-3",
                "ürümqi"
            ])
        );
        let t = FacetTable::new(&s(&["B", "a", "C"]));
        assert_eq!(t.pos("a"), Some(1));
        assert_eq!(t.key(2), "c");
        assert_eq!(t.key(9), "");
        assert_eq!(t.pos("nope"), None);
        assert_eq!((t.rank(0), t.rank(1), t.rank(2)), (1, 0, 2));
    }

    fn row(topics: &[u32], geo: &[u32], place: Option<u32>, speakers: &[u32]) -> EventSummary {
        let mut e = fixture::summary("e", (2020, 1, 1), None);
        e.topics = topics.to_vec();
        e.geography = geo.to_vec();
        e.place = place;
        e.speakers = speakers.to_vec();
        e
    }

    const SIZES: FacetSizes = FacetSizes {
        topics: 3,
        geography: 2,
        places: 2,
    };

    fn events() -> Vec<EventSummary> {
        vec![
            row(&[0, 1], &[0], Some(0), &[0]),
            row(&[0], &[1], Some(1), &[1]),
            row(&[2], &[0], None, &[0, 1]),
            row(&[1], &[], Some(0), &[1]),
        ]
    }

    #[test]
    fn counts_without_filters_are_plain_counts() {
        let c = count(&events(), &Filter::default(), SIZES);
        assert_eq!(c.topics, vec![2, 2, 1]);
        assert_eq!(c.geography, vec![2, 1]);
        assert_eq!(c.places, vec![2, 1]);
    }

    #[test]
    fn a_facet_own_picks_do_not_shrink_its_counts() {
        let f = Filter {
            topics: vec![0],
            ..Filter::default()
        };
        let c = count(&events(), &f, SIZES);
        // Topics: as if nothing were picked.
        assert_eq!(c.topics, vec![2, 2, 1]);
        // The others: only events with topic 0 (rows 0 and 1).
        assert_eq!(c.geography, vec![1, 1]);
        assert_eq!(c.places, vec![1, 1]);
        // The counts agree with what picking one more value would show.
        let more = Filter {
            places: vec![1],
            ..f.clone()
        };
        assert_eq!(
            matching_events(&events(), &more).len(),
            c.places[1] as usize
        );
    }

    #[test]
    fn counts_follow_the_other_filters() {
        let f = Filter {
            speakers: vec![1],
            places: vec![0],
            ..Filter::default()
        };
        let c = count(&events(), &f, SIZES);
        // Speaker 1 speaks in rows 1, 2, 3; place 0 is row 3 only.
        assert_eq!(c.topics, vec![0, 1, 0]);
        assert_eq!(c.geography, vec![0, 0]);
        // Places ignore their own pick: rows 1, 3 have places.
        assert_eq!(c.places, vec![1, 1]);
    }

    #[test]
    fn hostile_positions_are_skipped() {
        let ev = vec![row(&[7, u32::MAX], &[9], Some(5), &[])];
        let c = count(&ev, &Filter::default(), SIZES);
        assert_eq!(c, count(&[], &Filter::default(), SIZES));
    }

    #[test]
    fn rows_put_picked_first_then_by_count_then_name() {
        let t = FacetTable::new(&s(&["Zeta", "alpha", "Beta", "Gamma"]));
        let r = rows(&[3, 0, 3, 5], &[1, 2, 1, 99], &t);
        let got: Vec<(u32, u32, bool)> = r.iter().map(|r| (r.pos, r.count, r.picked)).collect();
        assert_eq!(
            got,
            vec![(1, 0, true), (2, 3, true), (3, 5, false), (0, 3, false)]
        );
        // Ties by name, case-insensitively.
        let r = rows(&[1, 1, 1, 0], &[], &t);
        assert_eq!(r.iter().map(|r| r.pos).collect::<Vec<_>>(), vec![1, 2, 0]);
    }

    #[test]
    fn the_fixture_corpus() {
        let c = fixture::corpus();
        let counts = count(c.events(), &Filter::default(), c.facet_sizes());
        let armed = c.facet_table(Facet::Topic).pos("armed-forces").unwrap();
        assert_eq!(counts.topics[armed as usize], 1);
        assert_eq!(counts.topics.iter().sum::<u32>(), 2);
    }

    #[test]
    fn one_pass_is_fast_enough_for_35000_events() {
        let ev: Vec<EventSummary> = (0..35_000u32)
            .map(|i| {
                row(
                    &[i % 90, (i * 7) % 90],
                    &[i % 200],
                    Some(i % 1000),
                    &[i % 50, 3],
                )
            })
            .collect();
        let sizes = FacetSizes {
            topics: 90,
            geography: 200,
            places: 1000,
        };
        let f = Filter {
            speakers: vec![3],
            topics: vec![1, 2],
            ..Filter::default()
        };
        let start = std::time::Instant::now();
        let c = count(&ev, &f, sizes);
        let took = start.elapsed();
        assert_eq!(c.topics.iter().sum::<u32>(), 70_000);
        // Generous: a debug build on a busy machine.
        assert!(took.as_millis() < 200, "{took:?}");
    }
}
