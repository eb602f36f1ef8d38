//! A parsed [`Query`] against the index chunks: which chunks it needs, and
//! which events (and in them which slots: speakers, or the narration) match.
//!
//! Semantics (documented in the search box's help too):
//! - every "must" clause matches in some slot of the event: a bare word in
//!   any, a phrase's words all in one (one speaker's words);
//! - with speakers picked, only those speakers' slots count ("what did
//!   Lavrov say about sanctions"), never the narration or the title;
//! - an event where a "not" clause matches (within the same slots) is left out;
//! - phrases are exact only once the text is checked ([`super::snippet`]):
//!   the index knows words per speaker, not word positions.

use std::collections::HashMap;

use stenogram_corpus::search::{decode_chunk, postings, FormatError, SearchMeta, Slots};

use super::query::{Clause, Query, QueryWord};

/// A set of slots (0 = narration, s = the s-th speaker of the row).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotSet {
    low: u64,
    /// Slots from 64 on, ascending (only the largest press conferences).
    high: Vec<u32>,
}

impl SlotSet {
    fn from_slots(s: Slots) -> SlotSet {
        match s {
            Slots::Mask(low) => SlotSet {
                low,
                high: Vec::new(),
            },
            Slots::List(list) => {
                let mut set = SlotSet::default();
                for s in list {
                    set.insert(s);
                }
                set
            }
        }
    }

    pub fn insert(&mut self, slot: u32) {
        if slot < 64 {
            self.low |= 1 << slot;
        } else if let Err(at) = self.high.binary_search(&slot) {
            self.high.insert(at, slot);
        }
    }

    pub fn contains(&self, slot: u32) -> bool {
        if slot < 64 {
            self.low & (1 << slot) != 0
        } else {
            self.high.binary_search(&slot).is_ok()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.low == 0 && self.high.is_empty()
    }

    fn union(&mut self, other: &SlotSet) {
        self.low |= other.low;
        for &s in &other.high {
            self.insert(s);
        }
    }

    fn intersect(&self, other: &SlotSet) -> SlotSet {
        SlotSet {
            low: self.low & other.low,
            high: self
                .high
                .iter()
                .copied()
                .filter(|s| other.high.binary_search(s).is_ok())
                .collect(),
        }
    }

    /// The slots, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..64u32)
            .filter(|&s| self.low & (1u64 << s) != 0)
            .chain(self.high.iter().copied())
    }
}

/// Events that match, in row order, with the slots that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    pub rows: Vec<u32>,
    /// Per row of `rows`: the slots where a "must" clause matched.
    pub slots: Vec<SlotSet>,
}

impl Hits {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn contains(&self, row: u32) -> bool {
        self.rows.binary_search(&row).is_ok()
    }

    pub fn slots_of(&self, row: u32) -> Option<&SlotSet> {
        self.rows.binary_search(&row).ok().map(|k| &self.slots[k])
    }
}

/// Which slots of a row count: all, or those of the picked speakers.
pub trait Scope {
    /// `None`: every slot counts. Otherwise the slots that do.
    fn allowed(&self, row: u32) -> Option<SlotSet>;
}

/// No speakers picked: every slot counts.
pub struct AnySlot;

impl Scope for AnySlot {
    fn allowed(&self, _row: u32) -> Option<SlotSet> {
        None
    }
}

/// Only the picked speakers' slots count.
pub struct SpeakerSlots<'a, F: Fn(u32) -> &'a [u32]> {
    /// Positions of the picked speakers in the corpus's speaker table.
    pub picked: &'a [u32],
    /// The speakers of a row, in slot order (slot = index + 1).
    pub row_speakers: F,
}

impl<'a, F: Fn(u32) -> &'a [u32]> Scope for SpeakerSlots<'a, F> {
    fn allowed(&self, row: u32) -> Option<SlotSet> {
        let mut set = SlotSet::default();
        for (k, s) in (self.row_speakers)(row).iter().enumerate() {
            if self.picked.contains(s) {
                set.insert(k as u32 + 1);
            }
        }
        Some(set)
    }
}

/// The chunks a query needs, in order, without repeats.
pub fn needed_chunks(meta: &SearchMeta, query: &Query) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for w in query.clauses.iter().flat_map(|c| c.words()) {
        out.extend(word_chunks(meta, w));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The chunks that may hold terms one word matches, ascending.
fn word_chunks(meta: &SearchMeta, w: &QueryWord) -> Vec<usize> {
    let mut out: Vec<usize> = meta.chunk_for(&w.term).into_iter().collect();
    if let Some(p) = &w.prefix {
        out.extend(meta.chunks_for_prefix(p));
        out.extend(
            w.stem_candidates()
                .into_iter()
                .filter_map(|t| meta.chunk_for(t)),
        );
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Loaded chunk files, by position in [`SearchMeta::chunks`].
pub type LoadedChunks = HashMap<usize, std::sync::Arc<[u8]>>;

/// Rows (ascending) with their slots where one word occurs: the union over
/// every index term the word matches (itself, or under its prefix).
fn word_rows(
    meta: &SearchMeta,
    chunks: &LoadedChunks,
    w: &QueryWord,
) -> Result<Vec<(u32, SlotSet)>, FormatError> {
    let wanted = word_chunks(meta, w);
    let mut lists: Vec<Vec<(u32, SlotSet)>> = Vec::new();
    for k in wanted {
        let Some(bytes) = chunks.get(&k) else {
            return Err(FormatError("a chunk the query needs is not loaded"));
        };
        for t in decode_chunk(bytes)? {
            if w.matches_term(t.term) {
                let list = postings(t.postings)
                    .map(|p| p.map(|p| (p.row, SlotSet::from_slots(p.slots))))
                    .collect::<Result<Vec<_>, _>>()?;
                lists.push(list);
            }
        }
    }
    Ok(merge_union(lists))
}

/// The union of row-sorted lists, slots of one row united.
fn merge_union(mut lists: Vec<Vec<(u32, SlotSet)>>) -> Vec<(u32, SlotSet)> {
    match lists.len() {
        0 => return Vec::new(),
        1 => return lists.pop().unwrap_or_default(),
        _ => {}
    }
    let mut all: Vec<(u32, SlotSet)> = lists.into_iter().flatten().collect();
    all.sort_by_key(|(row, _)| *row);
    let mut out: Vec<(u32, SlotSet)> = Vec::with_capacity(all.len());
    for (row, slots) in all {
        match out.last_mut() {
            Some((r, s)) if *r == row => s.union(&slots),
            _ => out.push((row, slots)),
        }
    }
    out
}

/// Rows where every word of a clause occurs in one slot that the scope
/// allows, with those slots.
fn clause_rows(
    meta: &SearchMeta,
    chunks: &LoadedChunks,
    words: &[QueryWord],
    scope: &dyn Scope,
) -> Result<Vec<(u32, SlotSet)>, FormatError> {
    let mut acc: Option<Vec<(u32, SlotSet)>> = None;
    for w in words {
        let rows = word_rows(meta, chunks, w)?;
        acc = Some(match acc {
            None => rows,
            Some(prev) => intersect(&prev, &rows),
        });
    }
    let mut rows = acc.unwrap_or_default();
    rows.retain_mut(|(row, slots)| {
        if let Some(allowed) = scope.allowed(*row) {
            *slots = slots.intersect(&allowed);
        }
        !slots.is_empty()
    });
    Ok(rows)
}

/// Rows in both lists whose slots overlap, with the common slots.
fn intersect(a: &[(u32, SlotSet)], b: &[(u32, SlotSet)]) -> Vec<(u32, SlotSet)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let common = a[i].1.intersect(&b[j].1);
                if !common.is_empty() {
                    out.push((a[i].0, common));
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The events matching `query`, given the chunks it needs
/// ([`needed_chunks`]; a missing one is an error, as is a corrupt one).
pub fn evaluate(
    meta: &SearchMeta,
    chunks: &LoadedChunks,
    query: &Query,
    scope: &dyn Scope,
) -> Result<Hits, FormatError> {
    let mut acc: Option<Vec<(u32, SlotSet)>> = None;
    let mut excluded: Vec<u32> = Vec::new();
    for clause in &query.clauses {
        match clause {
            Clause::Must(words) => {
                let rows = clause_rows(meta, chunks, words, scope)?;
                acc = Some(match acc {
                    None => rows,
                    // Each clause in a slot of its own: rows in both, slots united.
                    Some(prev) => {
                        let (mut i, mut j) = (0, 0);
                        let mut out = Vec::new();
                        while i < prev.len() && j < rows.len() {
                            match prev[i].0.cmp(&rows[j].0) {
                                std::cmp::Ordering::Less => i += 1,
                                std::cmp::Ordering::Greater => j += 1,
                                std::cmp::Ordering::Equal => {
                                    let mut s = prev[i].1.clone();
                                    s.union(&rows[j].1);
                                    out.push((prev[i].0, s));
                                    i += 1;
                                    j += 1;
                                }
                            }
                        }
                        out
                    }
                });
            }
            Clause::Not(words) => {
                excluded.extend(
                    clause_rows(meta, chunks, words, scope)?
                        .into_iter()
                        .map(|r| r.0),
                );
            }
        }
    }
    excluded.sort_unstable();
    let mut hits = Hits::default();
    for (row, slots) in acc.unwrap_or_default() {
        if excluded.binary_search(&row).is_err() {
            hits.rows.push(row);
            hits.slots.push(slots);
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use stenogram_corpus::search::{
        write_entry, ChunkRef, PostingsWriter, Stemmer, CHUNK_MAGIC, SEARCH_FORMAT,
    };

    /// An index of (row, slot, text) built the way the preprocessor does,
    /// cut into chunks of two terms.
    fn index(docs: &[(u32, u32, &str)]) -> (SearchMeta, LoadedChunks) {
        let stemmer = Stemmer::default();
        let mut map: std::collections::BTreeMap<String, std::collections::BTreeMap<u32, Vec<u32>>> =
            Default::default();
        for &(row, slot, text) in docs {
            for w in stenogram_corpus::search::words(text) {
                let t = stemmer.term(&w.lower).unwrap().into_owned();
                let slots = map.entry(t).or_default().entry(row).or_default();
                if !slots.contains(&slot) {
                    slots.push(slot);
                    slots.sort();
                }
            }
        }
        let terms: Vec<_> = map.into_iter().collect();
        let mut meta = SearchMeta {
            format: SEARCH_FORMAT,
            rows: 10,
            terms: terms.len() as u64,
            chunks: vec![],
        };
        let mut chunks = LoadedChunks::new();
        for (k, pair) in terms.chunks(2).enumerate() {
            let mut bytes = CHUNK_MAGIC.to_vec();
            for (term, rows) in pair {
                let mut p = PostingsWriter::default();
                for (row, slots) in rows {
                    p.push(*row, slots);
                }
                write_entry(&mut bytes, term, &p);
            }
            meta.chunks.push(ChunkRef {
                first: pair[0].0.clone(),
                path: format!("c{k}"),
                bytes: bytes.len() as u64,
            });
            chunks.insert(k, Arc::from(bytes));
        }
        (meta, chunks)
    }

    fn docs() -> Vec<(u32, u32, &'static str)> {
        vec![
            (0, 0, "Talks on sanctions"),
            (0, 1, "We discussed climate change and sanctions."),
            (0, 2, "Sanctioned goods, the climate."),
            (1, 1, "Change the climate of the talks."),
            (2, 2, "New sanctions against Ukraine"),
            (3, 1, "Nothing relevant here"),
            (4, 1, "sanctuary"),
            (4, 70, "climate"),
        ]
    }

    fn run(q: &str, scope: &dyn Scope) -> Vec<u32> {
        let (meta, chunks) = index(&docs());
        let query = Query::parse(q);
        for k in needed_chunks(&meta, &query) {
            assert!(chunks.contains_key(&k));
        }
        evaluate(&meta, &chunks, &query, scope).unwrap().rows
    }

    #[test]
    fn words_stems_and_prefixes() {
        assert_eq!(run("sanctions ", &AnySlot), [0, 2]);
        assert_eq!(run("sanc", &AnySlot), [0, 2, 4]); // prefix: "sanctuary"
        assert_eq!(run("sanctions", &AnySlot), [0, 2]);
        assert_eq!(run("clim", &AnySlot), [0, 1, 4]);
        // Typed past the stem ("climat"): still found while typing.
        assert_eq!(run("climate", &AnySlot), [0, 1, 4]);
        assert_eq!(run("climat", &AnySlot), [0, 1, 4]);
        assert_eq!(run("sanctions climate ", &AnySlot), [0]);
        assert_eq!(run("nonexistent ", &AnySlot), Vec::<u32>::new());
    }

    #[test]
    fn phrases_need_one_slot_and_exclusions_remove() {
        // Row 1 has both words in one slot; row 0 in slot 1 too.
        assert_eq!(run("\"climate change\"", &AnySlot), [0, 1]);
        assert_eq!(run("sanctions -ukraine ", &AnySlot), [0]);
        assert_eq!(run("climate -\"climate change\" ", &AnySlot), [4]);
    }

    #[test]
    fn speakers_narrow_the_slots() {
        // Row r's speakers are positions 10 + slot - 1 except row 4 (slot 70 = speaker 99).
        let speakers: Vec<Vec<u32>> = (0..5)
            .map(|r| {
                if r == 4 {
                    let mut v: Vec<u32> = (0..70).map(|k| 10 + k).collect();
                    v[69] = 99;
                    v
                } else {
                    vec![10, 11]
                }
            })
            .collect();
        let speakers: &'static [Vec<u32>] = Box::leak(speakers.into_boxed_slice());
        let scope = |picked: &'static [u32]| SpeakerSlots {
            picked,
            row_speakers: move |row: u32| speakers[row as usize].as_slice(),
        };
        let s10 = scope(&[10]);
        // Speaker 10 = slot 1: says "sanctions" in row 0 only.
        assert_eq!(run("sanctions ", &s10), [0]);
        let s11 = scope(&[11]);
        assert_eq!(run("sanctions ", &s11), [0, 2]);
        // The title (slot 0) never counts for a speaker.
        assert_eq!(run("talks ", &s10), [1]);
        let s99 = scope(&[99]);
        assert_eq!(run("climate ", &s99), [4]);
    }

    #[test]
    fn a_missing_or_corrupt_chunk_is_an_error() {
        let (meta, mut chunks) = index(&docs());
        let q = Query::parse("sanctions ");
        let k = needed_chunks(&meta, &q)[0];
        chunks.insert(k, Arc::from(&b"SGC1\x05ab"[..]));
        assert!(evaluate(&meta, &chunks, &q, &AnySlot).is_err());
        chunks.remove(&k);
        assert!(evaluate(&meta, &chunks, &q, &AnySlot).is_err());
    }
}
