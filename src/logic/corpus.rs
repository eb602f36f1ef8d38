//! The loaded index plus the lookups every view needs, and the check of a
//! shard against it.
//!
//! The index is columnar on the wire (it compresses far better); here it is
//! turned once into one [`EventSummary`] per row, because every view reads
//! events row by row. Transcripts are not here: they arrive per shard
//! ([`Corpus::attach_shard`]) when an event is opened.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use crate::logic::facets::{FacetSizes, FacetTable};
use crate::logic::url_state::Facet;
use stenogram_corpus::model::{
    event_id, Block, Index, MonthCounts, Shard, ShardEvent, ShardRef, Speaker, SpeakerKind,
    SCHEMA_VERSION,
};

/// Why an index or a shard cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// The file is valid JSON but written for another version of the app.
    SchemaVersion { found: u32, expected: u32 },
    /// The file ends in the middle of the JSON: cut off in transfer or on disk.
    Truncated(String),
    /// The file is not an index or shard at all (or a broken one).
    Json(String),
    /// The JSON is well-formed but contradicts itself or the index (columns
    /// of different lengths, a shard for other events): mixed deployments.
    Inconsistent(String),
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BundleError::SchemaVersion { found, expected } => write!(
                f,
                "unsupported schema version {found} (this app reads version {expected})"
            ),
            BundleError::Truncated(e) => {
                write!(f, "the file is incomplete, cut off before its end ({e})")
            }
            BundleError::Json(e) => write!(f, "invalid JSON: {e}"),
            BundleError::Inconsistent(e) => write!(
                f,
                "the data does not fit together ({e}); the site may have been updated: reload the page"
            ),
        }
    }
}

/// Decode JSON that starts with a `schema_version`, refusing a version this
/// app does not know before the full decode, so a newer file is reported as
/// "wrong version" rather than as a confusing field error.
fn decode_versioned<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, BundleError> {
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        schema_version: u32,
    }
    let version: VersionOnly = serde_json::from_slice(bytes).map_err(json_error)?;
    if version.schema_version != SCHEMA_VERSION {
        return Err(BundleError::SchemaVersion {
            found: version.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_slice(bytes).map_err(json_error)
}

/// Decode `data/index.json`.
pub fn decode_index(bytes: &[u8]) -> Result<Index, BundleError> {
    let index: Index = decode_versioned(bytes)?;
    if !index.events.is_consistent() {
        return Err(BundleError::Inconsistent(
            "the index's columns differ in length".into(),
        ));
    }
    Ok(index)
}

/// Decode one shard file.
pub fn decode_shard(bytes: &[u8]) -> Result<Shard, BundleError> {
    decode_versioned(bytes)
}

fn json_error(e: serde_json::Error) -> BundleError {
    if e.classify() == serde_json::error::Category::Eof {
        BundleError::Truncated(e.to_string())
    } else {
        BundleError::Json(e.to_string())
    }
}

/// One row of the index: what the timeline shows of an event without its
/// transcript. Places, topics, geography and speakers are positions in the
/// index's tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSummary {
    /// Derived on first use ([`EventSummary::id`]): slugging 35,000 titles
    /// at load would delay the first paint for ids few events ever need.
    pub id: LazyId,
    /// The `n` of [`event_id`] (1 unless the same date and title repeat).
    pub id_suffix: u32,
    pub date: NaiveDate,
    pub time: Option<String>,
    pub title: String,
    pub place: Option<u32>,
    pub speakers: Vec<u32>,
    pub topics: Vec<u32>,
    pub geography: Vec<u32>,
    pub turns: u32,
    /// Which shard holds the transcript.
    pub shard: u32,
    /// Row in the index as written (shards count rows this way).
    pub row: u32,
}

impl EventSummary {
    /// The event's id ([`event_id`]), derived once.
    pub fn id(&self) -> &str {
        self.id
            .0
            .get_or_init(|| event_id(self.date, &self.title, self.id_suffix))
    }
}

/// An event id, derived when first asked for (or given, in tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LazyId(std::sync::OnceLock<String>);

impl From<&str> for LazyId {
    fn from(id: &str) -> Self {
        LazyId(std::sync::OnceLock::from(id.to_string()))
    }
}

/// The index with lookups by id. Immutable once loaded; rows are in
/// time order (oldest first), which the timeline relies on.
#[derive(Debug)]
pub struct Corpus {
    index: Index,
    events: Vec<EventSummary>,
    speaker_pos: HashMap<String, u32>,
    /// Every printed label -> its speaker (shards leave turns' speakers out).
    label_speaker: HashMap<String, u32>,
    /// Index row (as written) -> position in `events`.
    by_row: Vec<usize>,
    /// Words spoken per speaker of each row (as written), in the order of
    /// the row's speakers. Kept apart from [`EventSummary`]: only the
    /// "who spoke how much" bar and speaker pages read it.
    words: Vec<Vec<u32>>,
    /// Each speaker's events (positions in `events`, ascending): a filter
    /// on a rare speaker visits their few events, not all of them.
    speaker_events: Vec<Vec<u32>>,
    /// URL keys of topics, geography and places.
    topic_table: FacetTable,
    geography_table: FacetTable,
    place_table: FacetTable,
}

impl Corpus {
    /// Builds the rows and lookups. An index whose rows are not in time order
    /// (written by something else than our preprocessor) is sorted here.
    pub fn new(mut index: Index) -> Result<Self, BundleError> {
        let cols = std::mem::take(&mut index.events);
        if !cols.is_consistent() {
            return Err(BundleError::Inconsistent(
                "the index's columns differ in length".into(),
            ));
        }
        let n = cols.len();
        let shard_of = shard_of_rows(&index.shards, n)?;
        let mut suffix = vec![1u32; n];
        for &(row, k) in &cols.id_suffixes {
            suffix[row as usize] = k;
        }
        let mut events = Vec::with_capacity(n);
        let words = cols.words;
        let columns = cols
            .date
            .into_iter()
            .zip(cols.time)
            .zip(cols.title)
            .zip(cols.place)
            .zip(cols.speakers)
            .zip(cols.topics)
            .zip(cols.geography)
            .zip(cols.turns);
        for (row, (((((((date, time), title), place), speakers), topics), geography), turns)) in
            columns.enumerate()
        {
            events.push(EventSummary {
                id: LazyId::default(),
                id_suffix: suffix[row],
                date,
                time,
                title,
                place,
                speakers,
                topics,
                geography,
                turns,
                shard: shard_of[row],
                row: row as u32,
            });
        }
        let sorted = events
            .windows(2)
            .all(|w| (w[0].date, &w[0].time) <= (w[1].date, &w[1].time));
        if !sorted {
            events.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
        }
        let speaker_pos = index
            .speakers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i as u32))
            .collect();
        let label_speaker = index
            .speakers
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.labels.iter().map(move |l| (l.clone(), i as u32)))
            .collect();
        let mut by_row = vec![0; events.len()];
        let mut speaker_events = vec![Vec::new(); index.speakers.len()];
        for (pos, e) in events.iter().enumerate() {
            by_row[e.row as usize] = pos;
            for &s in &e.speakers {
                // A row naming a speaker the index lacks matches no filter
                // on it either way; one naming a speaker twice is listed once.
                if let Some(list) = speaker_events.get_mut(s as usize) {
                    if list.last() != Some(&(pos as u32)) {
                        list.push(pos as u32);
                    }
                }
            }
        }
        let topic_table = FacetTable::new(&index.topics);
        let geography_table = FacetTable::new(&index.geography);
        let place_table = FacetTable::new(&index.places);
        Ok(Corpus {
            index,
            events,
            speaker_pos,
            label_speaker,
            by_row,
            words,
            speaker_events,
            topic_table,
            geography_table,
            place_table,
        })
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[EventSummary] {
        &self.events
    }

    pub fn speakers(&self) -> &[Speaker] {
        &self.index.speakers
    }

    /// Data version (a content hash), for cache keys and the footer.
    pub fn version(&self) -> &str {
        &self.index.version
    }

    pub fn months(&self) -> &MonthCounts {
        &self.index.months
    }

    pub fn shards(&self) -> &[ShardRef] {
        &self.index.shards
    }

    /// The event of an index row (as written: search hits refer to rows).
    pub fn event_at_row(&self, row: u32) -> Option<&EventSummary> {
        self.by_row
            .get(row as usize)
            .and_then(|&pos| self.events.get(pos))
    }

    /// The full-text search index, if the site has one.
    pub fn search(&self) -> Option<&stenogram_corpus::model::SearchRef> {
        self.index.search.as_ref()
    }

    pub fn speaker(&self, id: &str) -> Option<&Speaker> {
        self.speaker_pos
            .get(id)
            .map(|&i| &self.index.speakers[i as usize])
    }

    /// Position of a speaker in [`Corpus::speakers`] (what rows refer to).
    pub fn speaker_pos(&self, id: &str) -> Option<u32> {
        self.speaker_pos.get(id).copied()
    }

    /// The events a speaker speaks at (positions in [`Corpus::events`],
    /// ascending); none for a position the corpus lacks.
    pub fn speaker_events(&self, pos: u32) -> &[u32] {
        self.speaker_events
            .get(pos as usize)
            .map_or(&[], Vec::as_slice)
    }

    pub fn speaker_at(&self, pos: u32) -> Option<&Speaker> {
        self.index.speakers.get(pos as usize)
    }

    pub fn event(&self, id: &str) -> Option<&EventSummary> {
        self.event_pos(id).map(|i| &self.events[i])
    }

    /// Position of an event in [`Corpus::events`]. An id starts with its
    /// event's date ([`event_id`]): only that day's events are compared
    /// (rows are in date order), so a lookup derives a day's ids at most.
    pub fn event_pos(&self, id: &str) -> Option<usize> {
        let day = id
            .get(..10)
            .and_then(|d| stenogram_corpus::model::parse_iso_date(d).ok());
        let Some(day) = day else {
            // Only a year outside 0..=9999 is written otherwise (`+12020-`).
            let odd_years = [self.events.first(), self.events.last()]
                .into_iter()
                .flatten()
                .any(|e| !(0..=9999).contains(&e.date.year()));
            return odd_years
                .then(|| self.events.iter().position(|e| e.id() == id))
                .flatten();
        };
        self.rows_between(Some(day), Some(day))
            .find(|&i| self.events[i].id() == id)
    }

    /// Positions of the events from `from` to `to` (inclusive; open ends
    /// unbounded), by binary search: rows are in date order.
    pub fn rows_between(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Range<usize> {
        let start = from.map_or(0, |from| self.events.partition_point(|e| e.date < from));
        let end = to.map_or(self.events.len(), |to| {
            self.events.partition_point(|e| e.date <= to)
        });
        start..end.max(start)
    }

    /// Where the event at `pos` (in [`Corpus::events`]) sits in its shard.
    pub fn position_in_shard(&self, pos: usize) -> Option<usize> {
        let e = self.events.get(pos)?;
        let first = self.index.shards.get(e.shard as usize)?.first;
        e.row.checked_sub(first).map(|i| i as usize)
    }

    /// Words spoken by each of `event`'s speakers (same order as
    /// `event.speakers`); empty if the index has no such row.
    pub fn words(&self, event: &EventSummary) -> &[u32] {
        self.words
            .get(event.row as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// The URL keys of one facet's values.
    pub fn facet_table(&self, facet: Facet) -> &FacetTable {
        match facet {
            Facet::Topic => &self.topic_table,
            Facet::Geography => &self.geography_table,
            Facet::Place => &self.place_table,
        }
    }

    /// Display name of a facet value.
    pub fn facet_name(&self, facet: Facet, pos: u32) -> &str {
        match facet {
            Facet::Topic => self.topic(pos),
            Facet::Geography => self.geography(pos),
            Facet::Place => self.place(pos),
        }
    }

    pub fn facet_sizes(&self) -> FacetSizes {
        FacetSizes {
            topics: self.index.topics.len(),
            geography: self.index.geography.len(),
            places: self.index.places.len(),
        }
    }

    pub fn has_speaker(&self, id: &str) -> bool {
        self.speaker_pos.contains_key(id)
    }

    pub fn has_event(&self, id: &str) -> bool {
        self.event_pos(id).is_some()
    }

    pub fn place(&self, pos: u32) -> &str {
        self.index
            .places
            .get(pos as usize)
            .map_or("", String::as_str)
    }

    pub fn topic(&self, pos: u32) -> &str {
        self.index
            .topics
            .get(pos as usize)
            .map_or("", String::as_str)
    }

    pub fn geography(&self, pos: u32) -> &str {
        self.index
            .geography
            .get(pos as usize)
            .map_or("", String::as_str)
    }

    /// Display name for a speaker id; falls back to the id itself so that a
    /// turn whose speaker is missing from `speakers` still says who spoke.
    pub fn speaker_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.speaker(id).map(|s| s.name.as_str()).unwrap_or(id)
    }

    pub fn is_person(&self, id: &str) -> bool {
        self.speaker(id)
            .map(|s| s.kind == SpeakerKind::Person)
            .unwrap_or(true)
    }

    /// Checks that `shard` is the shard `k` of this index (same rows, same
    /// ids) and fills in every turn's speaker from its label. A label the
    /// index does not know keeps the label as speaker id, so the turn still
    /// says who spoke.
    pub fn attach_shard(&self, k: u32, shard: Shard) -> Result<Vec<ShardEvent>, BundleError> {
        let Some(meta) = self.index.shards.get(k as usize) else {
            return Err(BundleError::Inconsistent(format!("no shard {k}")));
        };
        if shard.first != meta.first || shard.events.len() != meta.count as usize {
            return Err(BundleError::Inconsistent(format!(
                "shard {} holds rows {}..+{}, the index expects {}..+{}",
                meta.path,
                shard.first,
                shard.events.len(),
                meta.first,
                meta.count
            )));
        }
        let mut events = shard.events;
        for (i, e) in events.iter_mut().enumerate() {
            // The event of each row, not just some event of the index.
            let expected = self
                .by_row
                .get(meta.first as usize + i)
                .map(|&pos| self.events[pos].id());
            if expected != Some(e.id.as_str()) {
                return Err(BundleError::Inconsistent(format!(
                    "shard {} holds {} at row {}, the index has {}",
                    meta.path,
                    e.id,
                    meta.first as usize + i,
                    expected.unwrap_or("no such row")
                )));
            }
            for b in e.blocks.iter_mut() {
                if let Block::Turn(t) = b {
                    if t.speaker.is_empty() {
                        t.speaker = match self.label_speaker.get(&t.label) {
                            Some(&i) => self.index.speakers[i as usize].id.clone(),
                            None => t.label.clone(),
                        };
                    }
                }
            }
        }
        Ok(events)
    }
}

/// Shard number of every row, from the shards' `first`/`count`; every row
/// must be in exactly one shard.
fn shard_of_rows(shards: &[ShardRef], rows: usize) -> Result<Vec<u32>, BundleError> {
    const NONE: u32 = u32::MAX;
    let mut of = vec![NONE; rows];
    for (k, s) in shards.iter().enumerate() {
        // In u64: on wasm32 a usize sum of two hostile u32s wraps.
        let end = u64::from(s.first) + u64::from(s.count);
        if end > rows as u64 {
            return Err(BundleError::Inconsistent(format!(
                "shard {} ends at row {end}, beyond the {rows} rows",
                s.path
            )));
        }
        for slot in &mut of[s.first as usize..end as usize] {
            *slot = k as u32;
        }
    }
    if let Some(row) = of.iter().position(|&k| k == NONE) {
        return Err(BundleError::Inconsistent(format!(
            "row {row} is in no shard"
        )));
    }
    Ok(of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;

    #[test]
    fn decodes_a_current_index() {
        let (index, _) = fixture::site();
        let json = serde_json::to_string(&index).unwrap();
        assert_eq!(decode_index(json.as_bytes()).unwrap(), index);
    }

    #[test]
    fn refuses_another_schema_version() {
        let (mut index, _) = fixture::site();
        index.schema_version = SCHEMA_VERSION + 1;
        let json = serde_json::to_string(&index).unwrap();
        assert_eq!(
            decode_index(json.as_bytes()),
            Err(BundleError::SchemaVersion {
                found: SCHEMA_VERSION + 1,
                expected: SCHEMA_VERSION
            })
        );
    }

    #[test]
    fn reports_broken_json() {
        let err = decode_index(b"<html>404</html>").unwrap_err();
        assert!(matches!(err, BundleError::Json(_)));
        assert!(err.to_string().starts_with("invalid JSON"));
    }

    #[test]
    fn reports_a_truncated_file_as_such() {
        let json = serde_json::to_string(&fixture::site().0).unwrap();
        let err = decode_index(&json.as_bytes()[..json.len() / 2]).unwrap_err();
        assert!(matches!(err, BundleError::Truncated(_)), "{err:?}");
        assert!(err.to_string().starts_with("the file is incomplete"));
    }

    #[test]
    fn refuses_columns_of_different_lengths() {
        let (mut index, _) = fixture::site();
        index.events.title.pop();
        let json = serde_json::to_string(&index).unwrap();
        assert!(matches!(
            decode_index(json.as_bytes()),
            Err(BundleError::Inconsistent(_))
        ));
        assert!(Corpus::new(index).is_err());
    }

    #[test]
    fn refuses_rows_outside_every_shard() {
        let (mut index, _) = fixture::site();
        index.shards[0].count -= 1;
        assert!(matches!(
            Corpus::new(index),
            Err(BundleError::Inconsistent(_))
        ));
    }

    #[test]
    fn looks_up_by_id() {
        let c = fixture::corpus();
        assert_eq!(c.speaker_name("sergei-lavrov"), "Sergei Lavrov");
        assert_eq!(c.speaker_name("nobody"), "nobody");
        assert!(c.has_event(fixture::NUREMBERG));
        assert!(!c.is_person("generic-question"));
        // Rows are oldest first whatever the input order.
        assert_eq!(c.events()[0].id(), fixture::NUREMBERG);
    }

    #[test]
    fn words_and_facet_keys() {
        let c = fixture::corpus();
        let e = c.event(fixture::PEACEKEEPING).unwrap();
        assert_eq!(c.words(e).len(), e.speakers.len());
        assert!(c.words(e).iter().all(|&w| w > 0));
        let t = c.facet_table(Facet::Topic);
        let pos = t.pos("armed-forces").unwrap();
        assert_eq!(c.facet_name(Facet::Topic, pos), "Armed Forces");
        assert_eq!(c.facet_sizes().topics, 2);
    }

    #[test]
    fn events_are_found_by_their_derived_ids() {
        let c = Corpus::new(fixture::site().0).unwrap();
        for (i, e) in c.events().iter().enumerate() {
            assert_eq!(c.event_pos(e.id()), Some(i), "{}", e.id());
            assert!(c.has_event(e.id()));
        }
        let first = c.events()[0].id().to_string();
        assert_eq!(c.event_pos(&format!("{first}-2")), None);
        assert_eq!(c.event_pos("2020-02-30-no-such-day"), None);
        assert_eq!(c.event_pos("no date"), None);
        assert_eq!(c.event_pos(""), None);
    }

    #[test]
    fn a_shard_gets_its_speakers_back_from_the_labels() {
        let (index, shards) = fixture::site();
        let c = Corpus::new(index).unwrap();
        let events = c.attach_shard(0, shards[0].clone()).unwrap();
        let bundle = fixture::bundle();
        for e in &events {
            let original = bundle.events.iter().find(|o| o.id == e.id).unwrap();
            assert_eq!(e.blocks, original.blocks);
        }
    }

    #[test]
    fn a_hostile_shard_range_is_refused_not_a_panic() {
        let (mut index, _) = fixture::site();
        index.shards[0].first = u32::MAX;
        index.shards[0].count = 2;
        assert!(matches!(
            Corpus::new(index),
            Err(BundleError::Inconsistent(_))
        ));
    }

    #[test]
    fn a_shard_with_its_events_swapped_is_refused() {
        let (index, shards) = fixture::site();
        let c = Corpus::new(index).unwrap();
        let mut swapped = shards[0].clone();
        swapped.events.swap(0, 1);
        assert!(c.attach_shard(0, swapped).is_err());
        assert_eq!(c.position_in_shard(1), Some(1));
    }

    #[test]
    fn a_shard_from_another_deployment_is_refused() {
        let (index, shards) = fixture::site();
        let c = Corpus::new(index).unwrap();
        let mut other = shards[0].clone();
        other.events[0].id = "2001-01-01-elsewhere".into();
        let err = c.attach_shard(0, other).unwrap_err();
        assert!(err.to_string().contains("reload"), "{err}");
        assert!(c.attach_shard(7, shards[0].clone()).is_err());
    }
}
