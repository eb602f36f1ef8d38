//! The words of a loaded transcript that a query matches: highlight ranges,
//! passages to show under a result, and the exact check of phrases (the
//! index only knows that a phrase's words occur in one speaker's words).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use stenogram_corpus::model::{Block, ShardEvent};
use stenogram_corpus::search::{words, Stemmer};

use super::eval::SlotSet;
use super::query::{Clause, Query};

/// Words to index terms, remembered: a transcript repeats its words, and
/// stemming is the costly part. Shared by every query of a session, so a
/// new keystroke does not stem an open transcript's words again.
#[derive(Default)]
pub struct Stems {
    stemmer: Stemmer,
    /// A Mutex, not a RefCell, so results can sit in signals (one thread
    /// in wasm: never contended).
    cache: Mutex<HashMap<String, String>>,
}

/// Words remembered at most (a few MB); past that, stems are recomputed.
const MAX_CACHED_STEMS: usize = 100_000;

impl Stems {
    /// The index term of a lower-cased word ("" for one that is not indexed).
    pub fn term(&self, lower: &str) -> String {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = cache.get(lower) {
            return t.clone();
        }
        let t = self
            .stemmer
            .term(lower)
            .map(|t| t.into_owned())
            .unwrap_or_default();
        if cache.len() < MAX_CACHED_STEMS {
            cache.insert(lower.to_string(), t.clone());
        }
        t
    }
}

/// Finds the query's words in text.
pub struct Highlighter {
    query: Query,
    stems: Arc<Stems>,
}

/// One word of a text with whether it is highlighted.
struct Scanned {
    range: Range<usize>,
    lower: String,
    term: String,
}

impl Highlighter {
    pub fn new(query: Query) -> Highlighter {
        Highlighter::with_stems(query, Arc::new(Stems::default()))
    }

    pub fn with_stems(query: Query, stems: Arc<Stems>) -> Highlighter {
        Highlighter { query, stems }
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    fn scan(&self, text: &str) -> Vec<Scanned> {
        words(text)
            .map(|w| {
                let term = self.stems.term(&w.lower);
                Scanned {
                    range: w.start..w.end,
                    lower: w.lower.into_owned(),
                    term,
                }
            })
            .collect()
    }

    /// Byte ranges to highlight in `text`: each word of the query wherever
    /// it occurs, and a phrase as one range where the whole phrase does.
    /// Ascending, not overlapping.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let scanned = self.scan(text);
        let mut out: Vec<Range<usize>> = Vec::new();
        for clause in &self.query.clauses {
            let Clause::Must(ws) = clause else { continue };
            if ws.len() == 1 {
                out.extend(
                    scanned
                        .iter()
                        .filter(|s| ws[0].matches(&s.lower, &s.term))
                        .map(|s| s.range.clone()),
                );
            } else {
                for start in 0..scanned.len().saturating_sub(ws.len() - 1) {
                    let all = ws
                        .iter()
                        .zip(&scanned[start..])
                        .all(|(w, s)| w.matches(&s.lower, &s.term));
                    if all {
                        out.push(
                            scanned[start].range.start..scanned[start + ws.len() - 1].range.end,
                        );
                    }
                }
            }
        }
        // Clauses overlap ("climate" and "climate change"): merge.
        out.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
        for r in out {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// Does every phrase of the query occur in `text` as such?
    fn phrases_found(&self, texts: &[&str]) -> bool {
        let phrases: Vec<_> = self
            .query
            .clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Must(ws) if ws.len() > 1 => Some(ws),
                _ => None,
            })
            .collect();
        phrases.iter().all(|ws| {
            texts.iter().any(|t| {
                let scanned = self.scan(t);
                (0..scanned.len().saturating_sub(ws.len() - 1)).any(|start| {
                    ws.iter()
                        .zip(&scanned[start..])
                        .all(|(w, s)| w.matches(&s.lower, &s.term))
                })
            })
        })
    }
}

/// Text split into plain and highlighted pieces, for rendering as text nodes.
pub fn pieces<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<(&'t str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        if r.start > at {
            out.push((&text[at..r.start], false));
        }
        out.push((&text[r.start..r.end], true));
        at = r.end;
    }
    if at < text.len() {
        out.push((&text[at..], false));
    }
    out
}

/// A matching passage of an event, to show under its card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The turn's block in the transcript (for its link); `None` for text
    /// that is not a turn (no anchor to link to).
    pub block: Option<usize>,
    /// Speaker id for a turn, `None` for narration.
    pub speaker: Option<String>,
    /// The excerpt, cut at word boundaries, with "…" where it was cut.
    pub text: String,
    /// Highlight ranges in `text`.
    pub marks: Vec<Range<usize>>,
}

/// What a loaded transcript says about a hit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventMatches {
    /// The first few passages in reading order.
    pub passages: Vec<Passage>,
    /// Highlighted words in the searched slots of the whole transcript.
    pub count: usize,
    /// False when the query has a phrase that the text does not contain as
    /// such (its words occur, but apart): not a real hit.
    pub phrases_ok: bool,
}

/// Characters of context kept around the first match of a long paragraph.
const BEFORE: usize = 90;
const AFTER: usize = 200;

/// The slot of each block (0 = not speech, s = the s-th speaker of
/// `row_speakers`, an unknown speaker: none).
fn block_slot(block: &Block, row_speakers: &[&str]) -> Option<u32> {
    match block {
        Block::Turn(t) => row_speakers
            .iter()
            .position(|s| *s == t.speaker)
            .map(|k| k as u32 + 1),
        _ => Some(0),
    }
}

/// The passages of `event` (speakers filled in) in the slots `slots`, at
/// most `max_passages`, the count of highlighted words there, and whether
/// every phrase occurs as such in those slots.
pub fn event_matches(
    h: &Highlighter,
    title: &str,
    event: &ShardEvent,
    row_speakers: &[&str],
    slots: &SlotSet,
    max_passages: usize,
) -> EventMatches {
    let mut out = EventMatches::default();
    let mut texts: Vec<&str> = Vec::new();
    let mut visit = |block: Option<usize>, speaker: Option<&str>, text: &str| {
        let marks = h.ranges(text);
        if marks.is_empty() {
            return;
        }
        out.count += marks.len();
        if out.passages.len() < max_passages {
            let (text, marks) = excerpt(text, &marks);
            out.passages.push(Passage {
                block,
                speaker: speaker.map(str::to_string),
                text,
                marks,
            });
        }
    };
    if slots.contains(0) {
        texts.push(title);
        for p in &event.lead {
            texts.push(p);
            visit(None, None, p);
        }
    }
    for (k, block) in event.blocks.iter().enumerate() {
        let Some(slot) = block_slot(block, row_speakers) else {
            continue;
        };
        if !slots.contains(slot) {
            continue;
        }
        let (speaker, turn) = match block {
            Block::Turn(t) => (Some(t.speaker.as_str()), Some(k)),
            _ => (None, None),
        };
        for text in block.texts() {
            texts.push(text);
            visit(turn, speaker, text);
        }
    }
    out.phrases_ok = h.phrases_found(&texts);
    out
}

/// A long paragraph cut around its first mark, at word boundaries.
fn excerpt(text: &str, marks: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let first = marks[0].start;
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut start = if first > BEFORE {
        floor(first - BEFORE)
    } else {
        0
    };
    if start > 0 {
        // Start after a space, so no word is cut.
        start = text[start..first]
            .find(' ')
            .map_or(first, |i| start + i + 1);
    }
    let mut end = floor((first + AFTER).min(text.len()));
    if end < text.len() {
        end = text[first..end].rfind(' ').map_or(end, |i| first + i);
        end = end.max(marks[0].end);
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let shift = lead.len();
    let body = format!("{lead}{}{tail}", &text[start..end]);
    let marks = marks
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| m.start - start + shift..m.end - start + shift)
        .collect();
    (body, marks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stenogram_corpus::model::{SourceRef, Turn};

    fn marked<'t>(h: &Highlighter, text: &'t str) -> Vec<&'t str> {
        h.ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn words_stems_prefixes_and_phrases_are_marked() {
        let h = Highlighter::new(Query::parse("sanctions \"climate change\" ener"));
        assert_eq!(
            marked(
                &h,
                "Sanctioned! Climate and change; climate change. Energy, energetic."
            ),
            ["Sanctioned", "climate change", "Energy", "energetic"]
        );
        // Overlapping clauses merge; exclusions are never marked.
        let h = Highlighter::new(Query::parse("\"cold war\" war "));
        assert_eq!(marked(&h, "the cold war, a war"), ["cold war", "war"]);
        let h = Highlighter::new(Query::parse("peace -war "));
        assert_eq!(marked(&h, "war and peace"), ["peace"]);
    }

    #[test]
    fn pieces_cover_the_text_once() {
        let text = "a Sanctions b";
        let h = Highlighter::new(Query::parse("sanctions "));
        let p = pieces(text, &h.ranges(text));
        assert_eq!(p, [("a ", false), ("Sanctions", true), (" b", false)]);
        assert_eq!(
            pieces("abc", std::slice::from_ref(&(5..9))),
            [("abc", false)]
        );
    }

    fn turn(speaker: &str, text: &str) -> Block {
        Block::Turn(Turn {
            speaker: speaker.into(),
            label: speaker.into(),
            annotation: None,
            continued: false,
            paragraphs: vec![text.into()],
        })
    }

    fn event() -> ShardEvent {
        ShardEvent {
            id: "e".into(),
            lead: vec!["Talks on sanctions.".into()],
            participants: vec![],
            blocks: vec![
                turn(
                    "putin",
                    "Climate is one thing, change another. Sanctions hurt.",
                ),
                turn(
                    "lavrov",
                    "We spoke of climate change and sanctions at length.",
                ),
                Block::Paragraph {
                    text: "Sanctions were on the agenda".into(),
                },
            ],
            persons: vec![],
            sections: vec![],
            publication_date: None,
            source: SourceRef {
                file: "f".into(),
                line: 1,
            },
        }
    }

    #[test]
    fn passages_follow_the_slots_and_phrases_are_checked() {
        let ev = event();
        let speakers = ["putin", "lavrov"];
        let mut only_putin = SlotSet::default();
        only_putin.insert(1);
        let h = Highlighter::new(Query::parse("\"climate change\""));
        let m = event_matches(&h, "T", &ev, &speakers, &only_putin, 3);
        assert!(!m.phrases_ok, "Putin says the words apart");
        let mut lavrov = SlotSet::default();
        lavrov.insert(2);
        let m = event_matches(&h, "T", &ev, &speakers, &lavrov, 3);
        assert!(m.phrases_ok);
        assert_eq!(m.passages[0].block, Some(1));
        assert_eq!(m.passages[0].speaker.as_deref(), Some("lavrov"));
        let p = &m.passages[0];
        let words: Vec<_> = p.marks.iter().map(|r| &p.text[r.clone()]).collect();
        assert_eq!(words, ["climate change"]);

        let h = Highlighter::new(Query::parse("sanctions "));
        let mut all = SlotSet::default();
        for s in 0..3 {
            all.insert(s);
        }
        let m = event_matches(&h, "T", &ev, &speakers, &all, 2);
        assert_eq!(m.count, 4);
        assert_eq!(m.passages.len(), 2);
        assert_eq!(m.passages[0].block, None);
    }

    #[test]
    fn long_paragraphs_are_cut_around_the_match_at_word_boundaries() {
        let text = format!("{} Sanctions {}", "word ".repeat(100), "тест ".repeat(100));
        let h = Highlighter::new(Query::parse("sanctions "));
        let (body, marks) = excerpt(&text, &h.ranges(&text));
        assert!(body.starts_with("…word") && body.ends_with('…'), "{body}");
        assert_eq!(&body[marks[0].clone()], "Sanctions");
        assert!(body.len() < 400);
    }
}
