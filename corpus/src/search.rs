//! Full-text search: the one tokenizer and the one index format, shared by
//! the preprocessor (which builds the index, see `search_build`) and the
//! app (which fetches only the chunks a query needs and decodes them).
//!
//! Why this shape: the site has no server, and a cold query must cost well
//! under 150 kB over the wire on 35,000 events. So the index is cut into
//! chunks of consecutive terms (Pagefind's chunk-by-prefix idea): a small
//! directory ([`SearchMeta`]) names the first term of each chunk, a word or
//! a prefix is looked up in the one or two chunks whose range holds it.
//!
//! Terms are English Snowball stems of lower-cased words (`pagefind_stem`,
//! the stemmers Pagefind ships, with only English compiled: the app is
//! wasm), so "sanctions" finds "sanctioned". A posting
//! is not a position but an (event row, slots) pair: slot 0 is the text that
//! nobody speaks (title, lead, narration, headings, captions), slot `s >= 1`
//! the words of the `s`-th speaker of the row (the order of
//! [`crate::model::IndexEvents::speakers`]). That is what the questions
//! need ("what did Lavrov say about sanctions" = the term in Lavrov's slot)
//! at a fraction of a positional index's size; exact phrases are checked
//! against the transcript text once its shard is loaded.
//!
//! Everything here decodes untrusted bytes: it returns errors, never panics.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Version of the tokenizer and chunk format; the app refuses a meta file
/// with another one (a query would silently miss terms otherwise).
pub const SEARCH_FORMAT: u32 = 1;

/// The first bytes of every chunk file.
pub const CHUNK_MAGIC: &[u8; 4] = b"SGC1";

/// Words longer than this (in bytes) are not indexed (URLs run together,
/// hostile input); the app ignores them in queries too.
pub const MAX_WORD_BYTES: usize = 40;

/// Slot of the words nobody speaks (title, lead, narration, captions).
pub const NARRATION_SLOT: u32 = 0;

/// The directory of the index: `data/search/<hash>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchMeta {
    /// [`SEARCH_FORMAT`] of the builder.
    pub format: u32,
    /// Number of index rows the postings refer to (a check against the index).
    pub rows: u32,
    /// Distinct terms over all chunks.
    pub terms: u64,
    /// Chunks in term order: chunk `k` holds the terms from `chunks[k].first`
    /// (inclusive) to `chunks[k + 1].first` (exclusive); the first chunk's
    /// `first` is the smallest term.
    pub chunks: Vec<ChunkRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkRef {
    /// The chunk's smallest term.
    pub first: String,
    /// `data/search/<hash>.bin`, named by a hash of its bytes.
    pub path: String,
    /// Size in bytes (uncompressed).
    pub bytes: u64,
}

impl SearchMeta {
    /// The chunk whose range holds `term`, if any chunk could.
    pub fn chunk_for(&self, term: &str) -> Option<usize> {
        let after = self.chunks.partition_point(|c| c.first.as_str() <= term);
        after.checked_sub(1)
    }

    /// The chunks that may hold terms starting with `prefix`, in order.
    pub fn chunks_for_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.chunk_for(prefix).unwrap_or(0);
        // Chunks that start with the prefix follow the one holding it.
        let end = start
            + 1
            + self.chunks[(start + 1).min(self.chunks.len())..]
                .iter()
                .take_while(|c| c.first.starts_with(prefix))
                .count();
        start..end.min(self.chunks.len())
    }
}

// ---------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------

/// A word of a text: its byte range in the text and its lower-cased form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    /// Lower case; typographic apostrophes become `'`.
    pub lower: Cow<'a, str>,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// The words of `text`, in order: runs of letters and digits, with an
/// apostrophe inside a word kept ("Russia's", "don't"); everything else
/// (hyphens included: "well-known" is two words) separates words.
///
/// ASCII bytes are classified without decoding a `char` (the preprocessor
/// runs this over every word of the corpus); other characters are decoded
/// and classified as Unicode letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    let bytes = text.as_bytes();
    // The char at byte `i` (a char boundary) and its length.
    let char_at = move |i: usize| -> (char, usize) {
        let c = text[i..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        (c, c.len_utf8())
    };
    let alnum_at = move |i: usize| -> bool {
        match bytes.get(i) {
            None => false,
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => char_at(i).0.is_alphanumeric(),
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip to the next letter or digit.
        loop {
            let &b = bytes.get(at)?;
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                at += 1;
            } else {
                let (c, n) = char_at(at);
                if c.is_alphanumeric() {
                    break;
                }
                at += n;
            }
        }
        let start = at;
        // Plain: ASCII lower-case letters, digits and `'` only (borrowed as is).
        let mut plain = true;
        while let Some(&b) = bytes.get(at) {
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    plain &= !b.is_ascii_uppercase();
                    at += 1;
                } else if b == b'\'' && alnum_at(at + 1) {
                    // Part of the word only between two letters or digits.
                    at += 1;
                } else {
                    break;
                }
            } else {
                let (c, n) = char_at(at);
                if c.is_alphanumeric() || is_apostrophe(c) && alnum_at(at + n) {
                    plain = false;
                    at += n;
                } else {
                    break;
                }
            }
        }
        let raw = &text[start..at];
        let lower = if plain {
            Cow::Borrowed(raw)
        } else if raw.is_ascii() {
            Cow::Owned(raw.to_ascii_lowercase())
        } else {
            Cow::Owned(
                raw.chars()
                    .flat_map(char::to_lowercase)
                    .map(|c| if is_apostrophe(c) { '\'' } else { c })
                    .collect(),
            )
        };
        Some(Word {
            start,
            end: at,
            lower,
        })
    })
}

/// Number of words in `text`, as [`words`] splits them (the share-of-words
/// figures count these).
pub fn word_count(text: &str) -> u32 {
    words(text).count() as u32
}

/// Lower-cased words to index terms: the English Snowball stem.
pub struct Stemmer(pagefind_stem::Stemmer);

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer(pagefind_stem::Stemmer::create(
            pagefind_stem::Algorithm::English,
        ))
    }
}

impl Stemmer {
    /// The term of a lower-cased word, or `None` for a word that is not
    /// indexed (too long).
    pub fn term<'w>(&self, lower: &'w str) -> Option<Cow<'w, str>> {
        if lower.len() > MAX_WORD_BYTES {
            return None;
        }
        // The stemmer's apostrophe rules expect ASCII `'` (done by `words`).
        Some(self.0.stem(lower))
    }
}

// ---------------------------------------------------------------------------
// Chunk format
// ---------------------------------------------------------------------------
//
// chunk   = "SGC1" entry*
// entry   = varint(term length) term-bytes(UTF-8) varint(events)
//           varint(postings length) postings
// postings = posting*   (rows strictly increasing)
// posting = varint(row - previous row, the first one absolute)
//           ( varint(mask != 0)            slots < 64 as a bit mask
//           | 0 varint(n) varint(slot)*n ) otherwise, ascending, each the
//                                          difference from the previous

/// Why a chunk or posting list could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub &'static str);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad search data: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

pub fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*at`, advancing it.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> Result<u64, FormatError> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at).ok_or(FormatError("truncated number"))?;
        *at += 1;
        v |= u64::from(b & 0x7f)
            .checked_shl(shift)
            .ok_or(FormatError("number too long"))?;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(FormatError("number too long"))
}

fn read_len(bytes: &[u8], at: &mut usize) -> Result<usize, FormatError> {
    let n = read_varint(bytes, at)?;
    let n = usize::try_from(n).map_err(|_| FormatError("length too large"))?;
    if n > bytes.len().saturating_sub(*at) {
        return Err(FormatError("length past the end"));
    }
    Ok(n)
}

/// Appends one posting list for a term, built row by row.
#[derive(Debug, Default)]
pub struct PostingsWriter {
    pub bytes: Vec<u8>,
    pub events: u32,
    last_row: Option<u32>,
}

impl PostingsWriter {
    /// Adds `row` with its `slots` (ascending, distinct, non-empty). Rows
    /// must come in increasing order; a row not after the last one, or no
    /// slot, is ignored.
    pub fn push(&mut self, row: u32, slots: &[u32]) {
        if slots.is_empty() || self.last_row.is_some_and(|last| row <= last) {
            return;
        }
        let delta = row - self.last_row.unwrap_or(0);
        write_varint(&mut self.bytes, u64::from(delta));
        if slots.iter().all(|&s| s < 64) {
            let mask = slots.iter().fold(0u64, |m, &s| m | 1 << s);
            write_varint(&mut self.bytes, mask);
        } else {
            write_varint(&mut self.bytes, 0);
            write_varint(&mut self.bytes, slots.len() as u64);
            let mut prev = 0;
            for (k, &s) in slots.iter().enumerate() {
                let d = if k == 0 { s } else { s.saturating_sub(prev) };
                write_varint(&mut self.bytes, u64::from(d));
                prev = s;
            }
        }
        self.last_row = Some(row);
        self.events += 1;
    }
}

impl PostingsWriter {
    /// [`PostingsWriter::push`] for slots given as a mask (bit `s` = slot
    /// `s`): the same bytes, without a list.
    pub fn push_mask(&mut self, row: u32, mask: u64) {
        if mask == 0 || self.last_row.is_some_and(|last| row <= last) {
            return;
        }
        write_varint(&mut self.bytes, u64::from(row - self.last_row.unwrap_or(0)));
        write_varint(&mut self.bytes, mask);
        self.last_row = Some(row);
        self.events += 1;
    }
}

/// Appends one term's entry to a chunk being written.
pub fn write_entry(chunk: &mut Vec<u8>, term: &str, postings: &PostingsWriter) {
    write_varint(chunk, term.len() as u64);
    chunk.extend_from_slice(term.as_bytes());
    write_varint(chunk, u64::from(postings.events));
    write_varint(chunk, postings.bytes.len() as u64);
    chunk.extend_from_slice(&postings.bytes);
}

/// One term of a decoded chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkTerm<'a> {
    pub term: &'a str,
    /// Number of events (postings) in `postings`.
    pub events: u32,
    /// The encoded posting list; read it with [`postings`].
    pub postings: &'a [u8],
}

/// The terms of a chunk file, in order. Checks the magic, the lengths, the
/// UTF-8 and the term order; posting lists are checked when read.
pub fn decode_chunk(bytes: &[u8]) -> Result<Vec<ChunkTerm<'_>>, FormatError> {
    let body = bytes
        .strip_prefix(CHUNK_MAGIC.as_slice())
        .ok_or(FormatError("not a search chunk"))?;
    let mut at = 0;
    let mut out: Vec<ChunkTerm<'_>> = Vec::new();
    while at < body.len() {
        let n = read_len(body, &mut at)?;
        let term =
            std::str::from_utf8(&body[at..at + n]).map_err(|_| FormatError("term is not UTF-8"))?;
        at += n;
        if out.last().is_some_and(|last| last.term >= term) {
            return Err(FormatError("terms out of order"));
        }
        let events = u32::try_from(read_varint(body, &mut at)?)
            .map_err(|_| FormatError("event count too large"))?;
        let len = read_len(body, &mut at)?;
        out.push(ChunkTerm {
            term,
            events,
            postings: &body[at..at + len],
        });
        at += len;
    }
    Ok(out)
}

/// The slots of one posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slots {
    /// Bit `s` set for slot `s` (all slots below 64).
    Mask(u64),
    /// Ascending slots.
    List(Vec<u32>),
}

impl Slots {
    pub fn contains(&self, slot: u32) -> bool {
        match self {
            Slots::Mask(m) => slot < 64 && m & (1 << slot) != 0,
            Slots::List(l) => l.binary_search(&slot).is_ok(),
        }
    }

    /// The slots, ascending.
    pub fn to_vec(&self) -> Vec<u32> {
        match self {
            Slots::Mask(m) => (0..64).filter(|s| m & (1u64 << s) != 0).collect(),
            Slots::List(l) => l.clone(),
        }
    }
}

/// One event of a posting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub row: u32,
    pub slots: Slots,
}

/// Reads a posting list (from [`ChunkTerm::postings`]). Stops at the first
/// error, which it yields; rows are strictly increasing.
pub fn postings(bytes: &[u8]) -> impl Iterator<Item = Result<Posting, FormatError>> + '_ {
    let mut at = 0;
    let mut row: Option<u32> = None;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || at >= bytes.len() {
            return None;
        }
        let next = (|| {
            let delta = u32::try_from(read_varint(bytes, &mut at)?)
                .map_err(|_| FormatError("row too large"))?;
            let r = match row {
                None => delta,
                Some(prev) if delta > 0 => prev
                    .checked_add(delta)
                    .ok_or(FormatError("row too large"))?,
                Some(_) => return Err(FormatError("rows out of order")),
            };
            row = Some(r);
            let mask = read_varint(bytes, &mut at)?;
            let slots = if mask != 0 {
                Slots::Mask(mask)
            } else {
                let n = read_len(bytes, &mut at)?;
                let mut list = Vec::with_capacity(n.min(1024));
                let mut prev: u32 = 0;
                for k in 0..n {
                    let d = u32::try_from(read_varint(bytes, &mut at)?)
                        .map_err(|_| FormatError("slot too large"))?;
                    let s = if k == 0 {
                        d
                    } else {
                        prev.checked_add(d)
                            .filter(|_| d > 0)
                            .ok_or(FormatError("slots out of order"))?
                    };
                    list.push(s);
                    prev = s;
                }
                if list.is_empty() {
                    return Err(FormatError("posting without a slot"));
                }
                Slots::List(list)
            };
            Ok(Posting { row: r, slots })
        })();
        failed = next.is_err();
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first implementation of [`words`], char by char: the reference
    /// the byte-classifying one must agree with.
    fn words_by_char(text: &str) -> Vec<Word<'_>> {
        let mut chars = text.char_indices().peekable();
        std::iter::from_fn(move || loop {
            let (start, c) = chars.next()?;
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = start + c.len_utf8();
            let mut plain = c.is_ascii_lowercase() || c.is_ascii_digit();
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphanumeric() {
                    plain &= c.is_ascii_lowercase() || c.is_ascii_digit();
                    end = i + c.len_utf8();
                    chars.next();
                } else if is_apostrophe(c) {
                    let mut ahead = chars.clone();
                    ahead.next();
                    match ahead.peek() {
                        Some(&(_, n)) if n.is_alphanumeric() => {
                            plain &= c == '\'';
                            chars.next();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            let raw = &text[start..end];
            let lower = if plain {
                Cow::Borrowed(raw)
            } else {
                Cow::Owned(
                    raw.chars()
                        .flat_map(char::to_lowercase)
                        .map(|c| if is_apostrophe(c) { '\'' } else { c })
                        .collect(),
                )
            };
            return Some(Word { start, end, lower });
        })
        .collect()
    }

    proptest::proptest! {
        #[test]
        fn words_agree_with_the_char_by_char_reference(
            text in "([a-zA-Z0-9 '’ʼ.,;:!?-]|\\PC){0,60}"
        ) {
            let got: Vec<_> = words(&text).collect();
            proptest::prop_assert_eq!(got, words_by_char(&text));
        }
    }

    #[test]
    fn words_agree_with_the_reference_on_edge_cases() {
        for text in [
            "",
            "'",
            "a'",
            "'a",
            "a''b",
            "a'b'c",
            "A’B",
            "a’",
            "Ünïcödé ÀB'c İstanbul ǅemal ﬁne",
            "x'\u{0301}y",
            "2,000.5 -- well-known\u{00a0}word",
            "日本語のテキスト русский Текст",
        ] {
            let got: Vec<_> = words(text).collect();
            assert_eq!(got, words_by_char(text), "{text:?}");
        }
    }

    fn lowers(text: &str) -> Vec<String> {
        words(text).map(|w| w.lower.into_owned()).collect()
    }

    #[test]
    fn words_split_on_punctuation_and_keep_inner_apostrophes() {
        assert_eq!(
            lowers("Russia’s well-known “sanctions”: don't 'quote' 2,000 Émile"),
            [
                "russia's",
                "well",
                "known",
                "sanctions",
                "don't",
                "quote",
                "2",
                "000",
                "émile"
            ]
        );
        let text = "Mr Putin: «Да»";
        let w: Vec<_> = words(text).map(|w| &text[w.start..w.end]).collect();
        assert_eq!(w, ["Mr", "Putin", "Да"]);
        assert_eq!(word_count("  one, two;three  "), 3);
        assert_eq!(word_count(""), 0);
    }

    #[test]
    fn stems_conflate_inflections() {
        let s = Stemmer::default();
        let t = |w: &str| s.term(w).unwrap().into_owned();
        assert_eq!(t("sanctions"), t("sanctioned"));
        assert_eq!(t("russia's"), t("russia"));
        assert_eq!(t("negotiations"), t("negotiation"));
        assert!(s.term(&"x".repeat(MAX_WORD_BYTES + 1)).is_none());
    }

    #[test]
    fn postings_round_trip_with_small_and_large_slots() {
        let mut w = PostingsWriter::default();
        w.push(3, &[0, 2]);
        w.push(3, &[1]); // not after the last row: ignored
        w.push(10, &[1, 70, 200]);
        w.push(11, &[]); // no slot: ignored
        w.push(4_000_000, &[63]);
        assert_eq!(w.events, 3);
        let got: Vec<_> = postings(&w.bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            got[0],
            Posting {
                row: 3,
                slots: Slots::Mask(0b101)
            }
        );
        assert_eq!(got[1].slots.to_vec(), [1, 70, 200]);
        assert!(got[1].slots.contains(70) && !got[1].slots.contains(71));
        assert_eq!(got[2].row, 4_000_000);
        assert!(got[2].slots.contains(63));
        // A mask writes what its list would.
        let mut m = PostingsWriter::default();
        m.push_mask(3, 0b101);
        m.push_mask(3, 0b10); // not after the last row: ignored
        m.push_mask(9, 0); // no slot: ignored
        m.push_mask(4_000_000, 1 << 63);
        let mut l = PostingsWriter::default();
        l.push(3, &[0, 2]);
        l.push(4_000_000, &[63]);
        assert_eq!((m.bytes, m.events), (l.bytes, l.events));
    }

    #[test]
    fn chunks_round_trip_and_bad_bytes_are_errors() {
        let mut chunk = CHUNK_MAGIC.to_vec();
        let mut p = PostingsWriter::default();
        p.push(1, &[1]);
        write_entry(&mut chunk, "peac", &p);
        write_entry(&mut chunk, "sanction", &p);
        let terms = decode_chunk(&chunk).unwrap();
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[1].term, "sanction");
        assert_eq!(terms[1].events, 1);
        // Every truncation and a few corruptions: errors, never panics.
        for n in 0..chunk.len() {
            let _ = decode_chunk(&chunk[..n]);
        }
        assert!(decode_chunk(b"nope").is_err());
        let mut swapped = CHUNK_MAGIC.to_vec();
        write_entry(&mut swapped, "b", &p);
        write_entry(&mut swapped, "a", &p);
        assert!(decode_chunk(&swapped).is_err());
        for bad in [&[0x80u8; 12][..], &[5, 0], &[1, 0, 0], &[1, 1, 0, 1]] {
            assert!(postings(bad).any(|p| p.is_err()), "{bad:?}");
        }
    }

    #[test]
    fn meta_finds_the_chunks_of_a_term_and_a_prefix() {
        let chunk = |first: &str| ChunkRef {
            first: first.into(),
            path: String::new(),
            bytes: 0,
        };
        let meta = SearchMeta {
            format: SEARCH_FORMAT,
            rows: 0,
            terms: 0,
            chunks: vec![chunk("a"), chunk("sanct"), chunk("sanctz"), chunk("t")],
        };
        assert_eq!(meta.chunk_for("0"), None);
        assert_eq!(meta.chunk_for("peace"), Some(0));
        assert_eq!(meta.chunk_for("sanction"), Some(1));
        assert_eq!(meta.chunk_for("zebra"), Some(3));
        assert_eq!(meta.chunks_for_prefix("sanc"), 0..3);
        assert_eq!(meta.chunks_for_prefix("sanction"), 1..2);
        assert_eq!(meta.chunks_for_prefix("zz"), 3..4);
    }
}
