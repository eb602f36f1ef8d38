//! Builds the full-text search index (the format is [`crate::search`]'s)
//! while the site writer streams the corpus.
//!
//! Why this shape: the corpus is never in memory, and stemming is the slow
//! part of tokenising. So each parser task tokenises its event at once
//! ([`event_terms`]): words are split by a scanner that agrees with
//! [`crate::search::words`] (tested) and reads plain ASCII 64 bytes at a
//! time, as bit masks, without lower-casing words into new strings; words
//! are stemmed through a per-thread cache (word -> term id, and the
//! current event's slots) and terms are interned in one shared [`Vocab`]
//! (u32 ids, in whatever order the tasks meet them), and the event's
//! postings travel as one slot mask per term (words that stem alike are
//! merged in a per-thread array indexed by term id, so no per-event sort),
//! or, for the rare event with 64 or more labels, as sorted `term << 32 |
//! slot` keys. The writer's thread folds them into an
//! [`Accumulator`]: one compact varint list per term, in input order, with
//! the event's local slots (0 for narration, `k + 1` for its `k`-th
//! distinct turn label), since neither rows (date order) nor speakers are
//! known before the last file is read. [`Accumulator::write`] then remaps
//! events to rows and label slots to speaker slots, re-sorts each list by
//! row, and packs the terms, in byte order, into content-addressed chunks.
//! Term ids never reach the output, so the bytes do not depend on thread
//! timing: the same input gives the same files.
//!
//! Sizes measured on the 35,000-event scale corpus: see
//! [`DEFAULT_CHUNK_BYTES`].

use std::cell::RefCell;
use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::file_writer::FileWriter;
use crate::model::{Block, Event, SearchRef};
use crate::search::{
    read_varint, words, write_entry, write_varint, ChunkRef, PostingsWriter, SearchMeta, Stemmer,
    CHUNK_MAGIC, NARRATION_SLOT, SEARCH_FORMAT,
};

/// Default target size of a search chunk. A cold single-word query fetches
/// the meta JSON (one entry per chunk: smaller chunks make it bigger) and one
/// chunk. Measured on the 35,000-event scale corpus (323 MB of text, an
/// index of 30.8 MB, 95 kB per MB of text), meta gzip + chunk:
///
/// | target | chunks | meta gz | chunk gz median / max | chunk raw median / max |
/// |-------:|-------:|--------:|----------------------:|-----------------------:|
/// | 16 KiB |  1,833 |   36 kB |          3.0 / 10 kB  |          15 / 74 kB    |
/// | 32 KiB |  1,073 |   21 kB |          5.3 / 10 kB  |          30 / 74 kB    |
/// | 48 KiB |    728 |   15 kB |          8.0 / 11 kB  |          45 / 74 kB    |
/// | 64 KiB |    544 |   11 kB |           11 / 14 kB  |          61 / 74 kB    |
///
/// (74 kB: a word in every event is a chunk of its own.) 32 KiB keeps a
/// cold query near 30 kB gzipped, and near 50 kB (at most 95 kB) when the
/// `.bin` chunks are served uncompressed, as hosts do for
/// `application/octet-stream`; a prefix that spans two chunks stays small.
pub const DEFAULT_CHUNK_BYTES: usize = 32 * 1024;

/// The search index's folder in the data folder.
pub const SEARCH_DIR: &str = "search";

/// Marks "this word is not indexed" in the per-thread cache.
const NOT_INDEXED: u32 = u32::MAX;

/// Per-thread cache entries beyond which it is emptied (hostile input with
/// millions of distinct words must not grow it without bound). A short
/// word counts twice (its term id in [`Cache::short`], its slot in
/// [`Cache::words`]): at most ~500,000 words, ~50 MB per thread.
const CACHE_MAX: usize = 1 << 20;

/// The terms of one corpus, interned: ids in order of first sight (which
/// depends on thread timing; only [`Accumulator::write`] looks at strings).
pub struct Vocab {
    /// Tells the per-thread caches of two builds apart.
    generation: u64,
    inner: Mutex<VocabInner>,
}

#[derive(Default)]
struct VocabInner {
    ids: FxHashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
}

impl Default for Vocab {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Vocab {
            generation: NEXT.fetch_add(1, Ordering::Relaxed),
            inner: Mutex::new(VocabInner::default()),
        }
    }
}

impl Vocab {
    fn intern(&self, term: &str) -> u32 {
        // A poisoned lock only means another task panicked mid-insert,
        // which leaves the map itself whole.
        let mut v = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = v.ids.get(term) {
            return id;
        }
        let id = v.terms.len() as u32;
        v.terms.push(term.into());
        v.ids.insert(term.into(), id);
        id
    }

    /// The terms by id, taken out (the vocabulary is done with).
    fn take_terms(&self) -> Vec<Box<str>> {
        let mut v = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        v.ids = FxHashMap::default();
        std::mem::take(&mut v.terms)
    }
}

/// What one thread knows: lower-cased word -> term id of the current
/// [`Vocab`] (or [`NOT_INDEXED`]), its stemmer, every short word met with
/// its slots in the current event, and the event's terms.
struct Cache {
    generation: u64,
    /// Words of at most 16 bytes packed into a `u128` (zero-padded: a word
    /// holds no NUL): a lookup follows no pointer. Most words are short.
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    stemmer: Stemmer,
    /// Every short word met (slots below 64), with its term id once
    /// looked up in the tables above, and its slots in the current event:
    /// one probe per word of the corpus, and each word's term is looked
    /// up once per thread, not once per event.
    words: WordTables,
    /// The current event's terms: slot mask by term id (all zero between
    /// events), and the ids whose mask is not zero. Words that stem alike
    /// meet here, so an event's postings need no sort.
    term_masks: Vec<u64>,
    touched: Vec<u32>,
}

/// The words a thread has met ([`pack`]ed, at most 16 bytes), with their
/// term ids once known and the current event's slot masks, in two
/// [`WordTable`]s: words of at most eight bytes (nine in ten words of the
/// corpus) by a `u64`, longer ones by a `u128`.
#[derive(Default)]
struct WordTables {
    short: WordTable<u64>,
    long: WordTable<u128>,
}

impl WordTables {
    /// Adds slots `bit` to word `k` (not 0) for the current event.
    #[inline(always)]
    fn add(&mut self, k: u128, bit: u64) {
        match u64::try_from(k) {
            Ok(k) => self.short.add(k, bit),
            Err(_) => self.long.add(k, bit),
        }
    }

    /// The current event's words: key, slots, and the word's term id
    /// ([`UNRESOLVED`] until set here).
    fn for_each(&mut self, mut f: impl FnMut(u128, u64, &mut u32)) {
        self.short
            .for_each(|k, mask, id| f(u128::from(k), mask, id));
        self.long.for_each(f);
    }

    /// Starts an event; `forget`: the words too (another vocabulary, or too
    /// many words).
    fn start(&mut self, forget: bool) {
        self.short.start(forget);
        self.long.start(forget);
    }

    fn len(&self) -> usize {
        self.short.filled + self.long.filled
    }
}

/// A word whose term id is not known yet.
const UNRESOLVED: u32 = u32::MAX - 1;

/// A packed word as a [`WordTable`] key.
trait WordKey: Copy + Eq + Default {
    /// Its home slot in a table of `1 << bits` slots.
    fn home(self, bits: u32) -> usize;
}

impl WordKey for u64 {
    #[inline(always)]
    fn home(self, bits: u32) -> usize {
        // Fibonacci hashing: the product's top bits, as many as needed.
        (self.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }
}

impl WordKey for u128 {
    #[inline(always)]
    fn home(self, bits: u32) -> usize {
        ((self as u64) ^ ((self >> 64) as u64).rotate_left(23)).home(bits)
    }
}

#[derive(Clone, Copy, Default)]
struct Slot<K> {
    key: K,
    /// The slots of the word in the event of `stamp`.
    mask: u64,
    id: u32,
    stamp: u32,
}

/// Words, their term ids and their slot masks in the current event: an
/// open-addressing table with linear probing, looked up once per word of
/// the corpus, so it is kept to a few instructions: one multiply to hash,
/// and the empty key 0 (a word is never empty, so its packing is never
/// 0). A slot's mask counts only if its stamp is the current event's, so
/// starting an event costs nothing, and the words stay with their ids.
/// At most half full.
#[derive(Default)]
struct WordTable<K> {
    slots: Vec<Slot<K>>,
    /// Indices of the current event's slots, in order of first use: the
    /// first `used` of them (its length is fixed: one more than the table
    /// may hold).
    order: Vec<u32>,
    used: usize,
    /// Slots with a key.
    filled: usize,
    stamp: u32,
}

impl<K: WordKey> WordTable<K> {
    /// The size it starts with (2,048 slots: 1,024 words).
    const SMALL: usize = 1 << 11;

    /// Adds slots `bit` to word `k` (not 0). Whether the word is new to
    /// the event is as good as random, so that is not a branch.
    #[inline(always)]
    fn add(&mut self, k: K, bit: u64) {
        if self.slots.is_empty() {
            self.grow();
        }
        let i = Self::probe(&self.slots, k);
        let stamp = self.stamp;
        let Some(slot) = self.slots.get_mut(i) else {
            return;
        };
        if slot.key != k {
            *slot = Slot {
                key: k,
                mask: 0,
                id: UNRESOLVED,
                stamp: 0,
            };
            self.filled += 1;
        }
        let seen = slot.stamp == stamp;
        slot.mask = slot.mask & u64::from(seen).wrapping_neg() | bit;
        slot.stamp = stamp;
        if let Some(o) = self.order.get_mut(self.used) {
            *o = i as u32;
        }
        self.used += usize::from(!seen);
        if self.filled * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// The slot of `k` in `slots` (not empty), or the empty one where it
    /// goes. Never endless: the table is at most half full.
    #[inline(always)]
    fn probe(slots: &[Slot<K>], k: K) -> usize {
        let last = slots.len() - 1;
        let mut i = k.home(slots.len().trailing_zeros());
        while slots
            .get(i)
            .is_some_and(|s| s.key != k && s.key != K::default())
        {
            i = (i + 1) & last;
        }
        i
    }

    /// Doubles the table; the current event's slots keep their order.
    #[cold]
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(Self::SMALL);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); len]);
        // Old slot -> new slot.
        let mut moved = vec![0u32; old.len()];
        for (j, s) in old
            .iter()
            .enumerate()
            .filter(|(_, s)| s.key != K::default())
        {
            let i = Self::probe(&self.slots, s.key);
            if let Some(slot) = self.slots.get_mut(i) {
                *slot = *s;
            }
            moved[j] = i as u32;
        }
        let mut order = vec![0; len / 2 + 1];
        for (o, &i) in order.iter_mut().zip(self.order.iter().take(self.used)) {
            *o = moved.get(i as usize).copied().unwrap_or(0);
        }
        self.order = order;
    }

    fn for_each(&mut self, mut f: impl FnMut(K, u64, &mut u32)) {
        for &i in self.order.iter().take(self.used) {
            if let Some(s) = self.slots.get_mut(i as usize) {
                f(s.key, s.mask, &mut s.id);
            }
        }
    }

    fn start(&mut self, forget: bool) {
        self.used = 0;
        self.stamp = self.stamp.wrapping_add(1);
        if forget || self.stamp == 0 {
            *self = WordTable {
                stamp: 1,
                ..WordTable::default()
            };
        }
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache {
        generation: 0,
        short: FxHashMap::default(),
        long: FxHashMap::default(),
        stemmer: Stemmer::default(),
        words: WordTables::default(),
        term_masks: Vec::new(),
        touched: Vec::new(),
    });
}

/// A word of at most 16 bytes as a number: its bytes, little-endian,
/// zero-padded. Read with (overlapping) fixed-size loads rather than copied
/// into a buffer, whose reload stalls the CPU (this runs once per word).
fn pack(word: &str) -> Option<u128> {
    pack_bytes(word.as_bytes())
}

/// [`pack`] of a word's bytes. Inlined: it is a handful of loads (and
/// so are its helpers, which the size-optimised release profile would
/// otherwise call).
#[inline(always)]
fn pack_bytes(b: &[u8]) -> Option<u128> {
    #[inline(always)]
    fn u32_at(b: &[u8], i: usize) -> u128 {
        b.get(i..i + 4)
            .and_then(|x| x.try_into().ok())
            .map_or(0, |x| u128::from(u32::from_le_bytes(x)))
    }
    #[inline(always)]
    fn u64_at(b: &[u8], i: usize) -> u64 {
        b.get(i..i + 8)
            .and_then(|x| x.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    }
    #[inline(always)]
    fn byte(b: &[u8], i: usize) -> u128 {
        u128::from(b.get(i).copied().unwrap_or(0))
    }
    let n = b.len();
    Some(match n {
        0 => 0,
        1..=3 => byte(b, 0) | byte(b, 1) << 8 | byte(b, 2) << 16,
        // The two loads overlap on equal bytes: OR-ing them is exact.
        4..=7 => u32_at(b, 0) | u32_at(b, n - 4) << (8 * (n - 4)),
        8..=16 => {
            let tail = u64_at(b, n - 8)
                .checked_shr(8 * (16 - n) as u32)
                .unwrap_or(0);
            u128::from(u64_at(b, 0)) | u128::from(tail) << 64
        }
        _ => return None,
    })
}

/// How [`Scanner`] sees a byte: bit flags.
const SEP: u8 = 0;
/// A letter or a digit.
const ALNUM: u8 = 1;
/// A lower-case letter or a digit.
const LOW: u8 = ALNUM;
/// An upper-case letter.
const UP: u8 = ALNUM | 2;
/// `'`: inside a word only between two letters or digits.
const APOS: u8 = 4;
/// Not ASCII: the char decides.
const HIGH: u8 = 8;

const CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOW,
            b'A'..=b'Z' => UP,
            b'\'' => APOS,
            0x80..=0xFF => HIGH,
            _ => SEP,
        };
        b += 1;
    }
    t
};

/// One word as [`Scanner`] hands it over.
enum Token<'a> {
    /// ASCII letters and digits, at most eight, lower-cased and [`pack`]ed.
    Short(u64),
    /// All ASCII: its bytes as printed (upper case included).
    Ascii(&'a [u8]),
    /// Anything else, lower-cased by [`words`].
    Other(std::borrow::Cow<'a, str>),
}

/// The words of a text exactly as [`words`] splits and lower-cases them
/// (the tests compare), for the builder's hot loop. Nine in ten 64-byte
/// blocks of the corpus are plain ASCII without `'`: their words are found
/// from one bit mask of letters and digits (no branch per byte, whose
/// outcome the CPU would guess wrong at the end of every word), and a word
/// of up to eight bytes is handed over packed and lower-cased. Other
/// blocks, and words that run into the next block, are classified by a
/// table, byte by byte, and a word is handed over as its bytes, not
/// lower-cased into a new string. A word that holds any other character
/// is left to [`words`] itself (a
/// word's extent depends only on what follows its start, so [`words`] run
/// from there finds the same word). Not an `Iterator` closure: the release
/// profile optimises for size, and this must inline into its loop.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
    /// The 64-byte block being read (it starts at a multiple of 64):
    /// where, which of its bytes are ASCII letters or digits (bit `j` for
    /// byte `block + j`), and whether it holds no `'` and no byte above
    /// 0x7F (then its words are read from `alnum` alone).
    block: usize,
    alnum: u64,
    clean: bool,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        let mut scanner = Scanner {
            text,
            at: 0,
            block: 0,
            alnum: 0,
            clean: false,
        };
        scanner.read_block(0);
        scanner
    }

    /// Classifies the 64 bytes from `block` (fewer at the end of the text),
    /// eight at a time.
    #[inline(always)]
    fn read_block(&mut self, block: usize) {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const APOS: u64 = 0x2727_2727_2727_2727;
        let b = self.text.as_bytes();
        let (mut alnum, mut dirty) = (0u64, 0u64);
        for k in 0..8 {
            let at = block + 8 * k;
            let x = match b.get(at..at + 8) {
                Some(x) => u64::from_le_bytes(x.try_into().unwrap_or_default()),
                None => {
                    // The end of the text: zero bytes are not letters.
                    let mut pad = [0u8; 8];
                    let rest = b.get(at..).unwrap_or_default();
                    pad[..rest.len()].copy_from_slice(rest);
                    u64::from_le_bytes(pad)
                }
            };
            let letters = !not_alnum8(x) & HIGH;
            // The high bit of each byte, gathered into eight bits.
            alnum |= ((letters >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
            let apos = x ^ APOS;
            // A zero byte of `apos` (a `'`) borrows, or a byte above 0x7F.
            dirty |= (apos.wrapping_sub(0x0101_0101_0101_0101) & !apos | x) & HIGH;
        }
        self.block = block;
        self.alnum = alnum;
        self.clean = dirty == 0;
    }

    #[inline(always)]
    fn next_word(&mut self) -> Option<Token<'a>> {
        // The common case: a word of letters and digits inside a block
        // that holds no `'` nor byte above 0x7F, found from the block's
        // bits. Anything else (such a block, a word that reaches the end
        // of its block) is read byte by byte.
        loop {
            let rel = self.at - self.block;
            if rel >= 64 {
                if self.at >= self.text.len() {
                    return None;
                }
                self.read_block(self.at & !63);
                continue;
            }
            if !self.clean {
                return self.next_word_bytewise();
            }
            let ahead = self.alnum >> rel;
            if ahead == 0 {
                self.at = self.block + 64;
                continue;
            }
            let start = rel + ahead.trailing_zeros() as usize;
            let len = (!(self.alnum >> start)).trailing_zeros() as usize;
            self.at = self.block + start;
            if start + len >= 64 {
                // Its end is in the next block, which may hold a `'`.
                return self.next_word_bytewise();
            }
            let b = self.text.as_bytes();
            let from = self.at;
            self.at += len;
            if len <= 8 {
                if let Some(x) = b.get(from..from + 8) {
                    let x = u64::from_le_bytes(x.try_into().unwrap_or_default());
                    let ones = u64::MAX >> (64 - 8 * len);
                    // Bit 5 lower-cases a letter and leaves a digit as it is.
                    return Some(Token::Short((x | 0x2020_2020_2020_2020) & ones));
                }
            }
            return Some(Token::Ascii(b.get(from..from + len).unwrap_or_default()));
        }
    }

    /// [`Self::next_word`], a byte at a time.
    #[inline(always)]
    fn next_word_bytewise(&mut self) -> Option<Token<'a>> {
        let text = self.text;
        let b = text.as_bytes();
        let mut i = self.at;
        loop {
            // Skip to the next letter or digit.
            let c = CLASS[*b.get(i)? as usize];
            if c == SEP || c == APOS {
                i += 1;
                continue;
            }
            let start = i;
            if c == HIGH {
                let rest = text.get(start..).unwrap_or_default();
                match rest.chars().next() {
                    Some(ch) if ch.is_alphanumeric() => return self.other(start),
                    Some(ch) => i += ch.len_utf8(),
                    None => return None,
                }
                continue;
            }
            loop {
                // ASCII letters and digits: the common case, eight bytes
                // at a time, then one table load a byte near the end.
                while let Some(x) = b
                    .get(i..i + 8)
                    .and_then(|x| x.try_into().ok())
                    .map(u64::from_le_bytes)
                {
                    let stop = not_alnum8(x);
                    if stop != 0 {
                        i += (stop.trailing_zeros() / 8) as usize;
                        break;
                    }
                    i += 8;
                }
                while b.get(i).is_some_and(|&x| CLASS[x as usize] & ALNUM != 0) {
                    i += 1;
                }
                match b.get(i).map(|&x| CLASS[x as usize]) {
                    // Inside the word only before a letter or digit.
                    Some(APOS) => match b.get(i + 1).map(|&n| CLASS[n as usize] & (ALNUM | HIGH)) {
                        Some(ALNUM) => i += 1,
                        // A letter or digit after it may still follow.
                        Some(HIGH) => return self.other(start),
                        _ => break,
                    },
                    Some(HIGH) => return self.other(start),
                    _ => break,
                }
            }
            self.at = i;
            return Some(Token::Ascii(&b[start..i]));
        }
    }

    /// The word starting at `start` (a letter or digit), by [`words`].
    #[inline(never)]
    fn other(&mut self, start: usize) -> Option<Token<'a>> {
        let rest = self.text.get(start..).unwrap_or_default();
        match words(rest).next() {
            Some(w) => {
                self.at = start + w.end.max(1);
                Some(Token::Other(w.lower))
            }
            // Cannot happen: a word starts at a letter or digit.
            None => {
                self.at = self.text.len();
                None
            }
        }
    }
}

/// The high bit of each of the eight bytes of `x` (little-endian) that is
/// not an ASCII letter or digit, all others clear. No byte's arithmetic
/// borrows from its neighbour: each subtraction starts from a byte with its
/// high bit set and takes at most 0x7F.
#[inline(always)]
fn not_alnum8(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn rep(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    let low7 = x & !HIGH;
    let within = |v: u64, lo: u8, hi: u8| {
        let at_least = (v | HIGH).wrapping_sub(rep(lo));
        let at_most = (rep(hi) | HIGH).wrapping_sub(v);
        at_least & at_most & HIGH
    };
    let digit = within(low7, b'0', b'9');
    // Upper case folded onto lower case (bit 5 set): only letters land in a..=z.
    let letter = within(low7 | rep(0x20), b'a', b'z');
    // Bytes above 0x7F are not ASCII.
    !((digit | letter) & !x) & HIGH
}

/// [`pack`] of the lower case of an ASCII word ([`Token::Ascii`]: letters,
/// digits and `'`) of `len` bytes, from its packing: setting bit 5 of each
/// of its bytes lower-cases a letter and leaves a digit (0x30..0x39) and
/// `'` (0x27) as they are: one OR, not a test of which bytes are upper case.
#[inline(always)]
fn word_lower(k: u128, len: usize) -> u128 {
    let ones = u128::MAX
        .checked_shr(8 * (16 - len.min(16)) as u32)
        .unwrap_or(0);
    k | (0x2020_2020_2020_2020_2020_2020_2020_2020 & ones)
}

/// The set bits of `mask`, ascending.
fn bits(mut mask: u64) -> impl Iterator<Item = u32> + Clone {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let b = mask.trailing_zeros();
            mask &= mask - 1;
            b
        })
    })
}

impl Cache {
    /// Starts an event of `vocab`'s build.
    fn start(&mut self, vocab: &Vocab) {
        let forget = self.generation != vocab.generation
            || self.short.len() + self.long.len() + self.words.len() > CACHE_MAX;
        if forget {
            self.generation = vocab.generation;
            self.short.clear();
            self.long.clear();
        }
        self.words.start(forget);
        for t in self.touched.drain(..) {
            if let Some(m) = self.term_masks.get_mut(t as usize) {
                *m = 0;
            }
        }
    }

    /// Notes slots `mask` (below 64) of term `id` for the current event.
    #[inline]
    fn add_mask(&mut self, id: u32, mask: u64) {
        let t = id as usize;
        if t >= self.term_masks.len() {
            self.term_masks.resize((t + 1).next_power_of_two(), 0);
        }
        let m = &mut self.term_masks[t];
        if *m == 0 {
            self.touched.push(id);
        }
        *m |= mask;
    }

    /// The term id of a word known by its packing only ([`pack`] of its
    /// lower case); `None` if the packed bytes are not UTF-8 (they always
    /// are: they came from a `str`, cut at its end).
    fn packed_id(&mut self, vocab: &Vocab, k: u128) -> Option<u32> {
        if let Some(&id) = self.short.get(&k) {
            return Some(id);
        }
        let bytes = k.to_le_bytes();
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
        let lower = std::str::from_utf8(&bytes[..len]).ok()?;
        Some(self.id(vocab, lower, Some(k)))
    }

    /// The term id of a lower-cased word (`packed` = [`pack`] of it).
    fn id(&mut self, vocab: &Vocab, lower: &str, packed: Option<u128>) -> u32 {
        let hit = match packed {
            Some(k) => self.short.get(&k),
            None => self.long.get(lower),
        };
        if let Some(&id) = hit {
            return id;
        }
        let id = self
            .stemmer
            .term(lower)
            .map_or(NOT_INDEXED, |t| vocab.intern(&t));
        match packed {
            Some(k) => self.short.insert(k, id),
            None => self.long.insert(lower.into(), id),
        };
        id
    }
}

/// One event's postings and word counts, as a parser task hands them back.
#[derive(Debug, Default)]
pub struct EventTerms {
    /// `(term id, local slots as a mask)`, each term of the event once, in
    /// no particular order; used when every slot of the event is below 64
    /// (then `keys` is empty). Local slots: 0 for narration, `k + 1` for the
    /// `k`-th distinct turn label of the event.
    pub masks: Vec<(u32, u64)>,
    /// `term id << 32 | local slot`, sorted, distinct: used instead of
    /// `masks` when a slot is 64 or more (an event with 64 or more labels).
    pub keys: Vec<u64>,
    /// Words of each turn, in order ([`crate::search::word_count`]).
    pub turn_words: Vec<u32>,
}

/// Tokenises and stems one event: the title, lead and every block that is
/// not a turn go to slot 0 (slider counters and separators, which are not
/// words, are left out), each turn to `turn_slots[k]` (its label's local
/// slot, one per turn in order).
pub fn event_terms(vocab: &Vocab, event: &Event, turn_slots: &[u32]) -> EventTerms {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let cache = &mut *cache;
        cache.start(vocab);
        let mut out = EventTerms::default();
        let mut long = String::new();
        let mut add = |text: &str, slot: u32| -> u32 {
            let mut n = 0;
            let bit = 1u64.checked_shl(slot);
            let mut scanner = Scanner::new(text);
            while let Some(token) = scanner.next_word() {
                n += 1;
                let (lower, packed) = match &token {
                    // Lower-casing the packed form costs less than telling
                    // whether it is needed.
                    Token::Ascii(raw) => match pack_bytes(raw) {
                        Some(k) => ("", Some(word_lower(k, raw.len()))),
                        None => {
                            long.clear();
                            // ASCII: always UTF-8.
                            long.push_str(std::str::from_utf8(raw).unwrap_or_default());
                            long.make_ascii_lowercase();
                            (long.as_str(), None)
                        }
                    },
                    Token::Other(lower) => (lower.as_ref(), pack(lower)),
                    Token::Short(k) => ("", Some(u128::from(*k))),
                };
                // Short words in low slots: noted for the end of the event.
                if let (Some(k), Some(bit)) = (packed, bit) {
                    cache.words.add(k, bit);
                    continue;
                }
                let id = match packed {
                    // Only for slots from 64 on.
                    Some(k) => cache.packed_id(vocab, k),
                    None => Some(cache.id(vocab, lower, None)),
                };
                if let Some(id) = id.filter(|&id| id != NOT_INDEXED) {
                    match bit {
                        Some(bit) => cache.add_mask(id, bit),
                        None => out.keys.push(u64::from(id) << 32 | u64::from(slot)),
                    }
                }
            }
            n
        };
        add(&event.title, NARRATION_SLOT);
        for l in &event.lead {
            add(l, NARRATION_SLOT);
        }
        let mut turn = 0;
        for b in &event.blocks {
            match b {
                Block::Turn(t) => {
                    // A turn without a slot (cannot happen: one per turn)
                    // still counts its words.
                    let slot = turn_slots.get(turn).copied();
                    let mut n = 0;
                    for p in &t.paragraphs {
                        n += match slot {
                            Some(s) => add(p, s),
                            None => crate::search::word_count(p),
                        };
                    }
                    out.turn_words.push(n);
                    turn += 1;
                }
                Block::Slider { caption, .. } => {
                    if let Some(c) = caption {
                        add(c, NARRATION_SLOT);
                    }
                }
                Block::Separator { .. } => {}
                Block::Paragraph { text }
                | Block::PhotoCaption { text }
                | Block::Heading { text } => {
                    add(text, NARRATION_SLOT);
                }
                Block::SeeAlso { lines } => {
                    for l in lines {
                        add(l, NARRATION_SLOT);
                    }
                }
            }
        }
        let mut met = std::mem::take(&mut cache.words);
        met.for_each(|k, mask, id| {
            if *id == UNRESOLVED {
                *id = cache.packed_id(vocab, k).unwrap_or(NOT_INDEXED);
            }
            if *id != NOT_INDEXED {
                cache.add_mask(*id, mask);
            }
        });
        cache.words = met;
        let touched = std::mem::take(&mut cache.touched);
        let masks = touched.iter().map(|&t| {
            let m = cache
                .term_masks
                .get_mut(t as usize)
                .map_or(0, std::mem::take);
            (t, m)
        });
        if out.keys.is_empty() {
            // The common case: no slot from 64 on, one entry per term.
            out.masks = masks.collect();
        } else {
            for (t, m) in masks {
                let term = u64::from(t) << 32;
                out.keys.extend(bits(m).map(|s| term | u64::from(s)));
            }
            out.keys.sort_unstable();
            out.keys.dedup();
            out.keys.shrink_to_fit();
        }
        cache.touched = touched;
        cache.touched.clear();
        out
    })
}

/// Postings per term, in input order, as varint bytes: per event
/// `varint(event - previous event)` then its local slots, either
/// `varint(mask << 1)` (all below 63) or `varint(n << 1 | 1)` and `n` slots.
#[derive(Default)]
pub struct Accumulator {
    terms: Vec<TermAcc>,
    events: u32,
}

#[derive(Default)]
struct TermAcc {
    bytes: Vec<u8>,
    /// The last event added (0 before any: deltas start from 0).
    last: u32,
}

impl TermAcc {
    /// Appends `event` with its local `slots` (ascending, distinct): the
    /// delta from the last event, then the slots as a mask shifted left by
    /// one, or, when a slot is 63 or more (it would not fit), `count << 1 |
    /// 1` and the slots.
    #[inline]
    fn push(&mut self, event: u32, slots: impl Iterator<Item = u32> + Clone) {
        write_varint(&mut self.bytes, u64::from(event - self.last));
        self.last = event;
        if slots.clone().any(|s| s >= 63) {
            write_varint(&mut self.bytes, (slots.clone().count() as u64) << 1 | 1);
            for s in slots {
                write_varint(&mut self.bytes, u64::from(s));
            }
        } else {
            write_varint(&mut self.bytes, slots.fold(0u64, |m, s| m | 1 << s) << 1);
        }
    }

    /// [`Self::push`] of the slots of a mask: written as it is when its
    /// slots are all below 63 (all but the rare event with 63 or more
    /// distinct turn labels).
    #[inline]
    fn push_mask(&mut self, event: u32, mask: u64) {
        if mask >> 63 != 0 {
            return self.push(event, bits(mask));
        }
        write_varint(&mut self.bytes, u64::from(event - self.last));
        self.last = event;
        write_varint(&mut self.bytes, mask << 1);
    }
}

impl Accumulator {
    /// Adds the next event in input order.
    pub fn add_event_terms(&mut self, terms: &EventTerms) {
        if terms.keys.is_empty() {
            let event = self.events;
            self.events += 1;
            for &(term, mask) in &terms.masks {
                self.term(term).push_mask(event, mask);
            }
        } else {
            self.add_event(&terms.keys);
        }
    }

    /// The list of `term`, made on first use.
    #[inline]
    fn term(&mut self, term: u32) -> &mut TermAcc {
        if self.terms.len() <= term as usize {
            self.terms.resize_with(term as usize + 1, TermAcc::default);
        }
        &mut self.terms[term as usize]
    }

    /// Adds the next event in input order (its [`EventTerms::keys`]).
    pub fn add_event(&mut self, keys: &[u64]) {
        let event = self.events;
        self.events += 1;
        let mut at = 0;
        while at < keys.len() {
            let term = (keys[at] >> 32) as u32;
            // Keys are sorted: the term's slots follow (mostly one or two).
            let end = at
                + keys[at..]
                    .iter()
                    .take_while(|&&k| (k >> 32) as u32 == term)
                    .count();
            let slots = keys[at..end].iter().map(|&k| k as u32);
            self.term(term).push(event, slots);
            at = end;
        }
    }

    /// Events added so far.
    pub fn events(&self) -> u32 {
        self.events
    }

    /// Writes the index into `dir` (the site's `data/search/`): chunks of
    /// consecutive terms up to `chunk_bytes` each (a bigger term is a chunk
    /// of its own), then the [`SearchMeta`], and removes the index files of
    /// earlier builds. `row_of[e]` is the row of input event `e`; its local
    /// slot `l` becomes `slot_map[e][l]` (`None`: dropped). Returns the
    /// index's reference and its meta as written.
    pub fn write(
        self,
        vocab: &Vocab,
        row_of: &[u32],
        slot_map: &SlotMap,
        dir: &Path,
        chunk_bytes: usize,
    ) -> io::Result<(SearchRef, SearchMeta)> {
        std::fs::create_dir_all(dir)?;
        let terms = vocab.take_terms();
        let mut accs = self.terms;
        accs.resize_with(terms.len(), TermAcc::default);
        let mut order: Vec<u32> = (0..terms.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| terms[a as usize].cmp(&terms[b as usize]));

        let mut meta = SearchMeta {
            format: SEARCH_FORMAT,
            rows: row_of.len() as u32,
            terms: 0,
            chunks: Vec::new(),
        };
        let mut written = HashSet::new();
        let mut total: u64 = 0;
        // Chunks are created on a thread of their own while the next
        // batch of terms is encoded.
        let files = FileWriter::start()?;
        let mut chunk = CHUNK_MAGIC.to_vec();
        let mut first: Option<&str> = None;
        let mut flush = |chunk: &mut Vec<u8>, first: &mut Option<&str>| -> io::Result<()> {
            let Some(term) = first.take() else {
                return Ok(());
            };
            let name = format!("{:016x}.bin", xxh3_64(chunk));
            files.write(dir.join(&name), chunk[..].to_vec())?;
            total += chunk.len() as u64;
            meta.chunks.push(ChunkRef {
                first: term.to_string(),
                path: format!("data/{SEARCH_DIR}/{name}"),
                bytes: chunk.len() as u64,
            });
            written.insert(name);
            chunk.truncate(CHUNK_MAGIC.len());
            Ok(())
        };
        // Terms are encoded in parallel a batch at a time (each list freed
        // as it is encoded), and packed in order.
        let mut packed = Ok(());
        'batches: for batch in order.chunks(4096) {
            let lists: Vec<(u32, Vec<u8>)> = batch
                .iter()
                .map(|&t| (t, std::mem::take(&mut accs[t as usize].bytes)))
                .collect();
            let entries: Vec<Option<Vec<u8>>> = lists
                .into_par_iter()
                .map(|(t, bytes)| {
                    let postings = remap(&bytes, row_of, slot_map);
                    (postings.events > 0).then(|| {
                        let mut entry = Vec::with_capacity(postings.bytes.len() + 48);
                        write_entry(&mut entry, &terms[t as usize], &postings);
                        entry
                    })
                })
                .collect();
            for (&t, entry) in batch.iter().zip(entries) {
                let Some(entry) = entry else { continue };
                if first.is_some() && chunk.len() + entry.len() > chunk_bytes {
                    packed = flush(&mut chunk, &mut first);
                    if packed.is_err() {
                        break 'batches;
                    }
                }
                first.get_or_insert(&terms[t as usize]);
                chunk.extend_from_slice(&entry);
                meta.terms += 1;
            }
        }
        if packed.is_ok() {
            packed = flush(&mut chunk, &mut first);
        }
        // The writer's own error first (a failed write ends its queue).
        files.finish()?;
        packed?;

        let json = serde_json::to_vec(&meta).map_err(io::Error::other)?;
        let name = format!("{:016x}.json", xxh3_64(&json));
        std::fs::write(dir.join(&name), &json)?;
        written.insert(name.clone());
        remove_stale(dir, &written)?;
        let reference = SearchRef {
            meta: format!("data/{SEARCH_DIR}/{name}"),
            bytes: total + json.len() as u64,
        };
        Ok((reference, meta))
    }
}

/// Local slots of each input event -> speaker slots of its row.
#[derive(Debug, Default)]
pub struct SlotMap {
    /// Event `e`'s map is `slots[starts[e]..starts[e + 1]]`.
    starts: Vec<u32>,
    slots: Vec<u32>,
    /// Whether event `e`'s map is `l -> l` (most are: each label is a
    /// speaker of its own, in the row's order), so that a slot mask stays
    /// as it is.
    identity: Vec<bool>,
}

/// A local slot that maps to no speaker slot.
const DROPPED: u32 = u32::MAX;

impl SlotMap {
    /// Adds the next event's map: local slot `l` -> `map[l]`.
    pub fn push(&mut self, map: impl IntoIterator<Item = Option<u32>>) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let start = self.slots.len();
        self.slots
            .extend(map.into_iter().map(|s| s.unwrap_or(DROPPED)));
        self.starts.push(self.slots.len() as u32);
        let map = &self.slots[start..];
        self.identity
            .push(map.iter().enumerate().all(|(l, &s)| s == l as u32));
    }

    /// Whether event `e`'s map leaves every slot as it is.
    fn is_identity(&self, event: usize) -> bool {
        self.identity.get(event).copied().unwrap_or(false)
    }

    /// Event `e`'s map ([`DROPPED`] for a dropped slot).
    fn of(&self, event: usize) -> Option<&[u32]> {
        let start = *self.starts.get(event)? as usize;
        let end = *self.starts.get(event + 1)? as usize;
        self.slots.get(start..end)
    }
}

/// One term's input-order list -> its posting list in row order, speaker
/// slots. The bytes are the accumulator's own: a malformed list cannot
/// occur, and would only end the list early.
fn remap(bytes: &[u8], row_of: &[u32], slot_map: &SlotMap) -> PostingsWriter {
    // (row, mask) for postings whose slots are all below 63, else
    // (row, index into `big`) with the top bit set.
    let mut rows: Vec<(u32, u64)> = Vec::new();
    let mut big: Vec<Vec<u32>> = Vec::new();
    let mut local: Vec<u32> = Vec::new();
    let (mut at, mut event) = (0, 0u64);
    while at < bytes.len() {
        let Ok(delta) = read_varint(bytes, &mut at) else {
            break;
        };
        event += delta;
        let Ok(head) = read_varint(bytes, &mut at) else {
            break;
        };
        local.clear();
        if head & 1 == 1 {
            for _ in 0..head >> 1 {
                match read_varint(bytes, &mut at) {
                    Ok(s) => local.push(s as u32),
                    Err(_) => break,
                }
            }
        }
        let e = usize::try_from(event).unwrap_or(usize::MAX);
        let (Some(&row), Some(map)) = (row_of.get(e), slot_map.of(e)) else {
            continue;
        };
        let mask = head >> 1;
        if head & 1 == 0
            && mask != 0
            && mask.checked_shr(map.len() as u32).unwrap_or(0) == 0
            && slot_map.is_identity(e)
        {
            // The common case: the mask as it is (its slots are below 63,
            // and all in the map).
            rows.push((row, mask));
            continue;
        }
        let slot = |l: u32| map.get(l as usize).copied().filter(|&s| s != DROPPED);
        if head & 1 == 0 {
            // The common case: a mask in, a mask out, no list.
            let mut mask = 0u64;
            let mut wide = false;
            for s in bits(head >> 1).filter_map(slot) {
                if s < 63 {
                    mask |= 1 << s;
                } else {
                    wide = true;
                }
            }
            if !wide {
                if mask != 0 {
                    rows.push((row, mask));
                }
                continue;
            }
            local.extend(bits(head >> 1));
        }
        let mut mapped: Vec<u32> = local.iter().filter_map(|&l| slot(l)).collect();
        mapped.sort_unstable();
        mapped.dedup();
        if mapped.is_empty() {
            continue;
        }
        if mapped.iter().all(|&s| s < 63) {
            rows.push((row, mapped.iter().fold(0u64, |m, &s| m | 1 << s)));
        } else {
            rows.push((row, 1 << 63 | big.len() as u64));
            big.push(mapped);
        }
    }
    sort_by_row(&mut rows);
    let mut w = PostingsWriter::default();
    for (row, v) in rows {
        if v >> 63 == 0 {
            w.push_mask(row, v);
        } else {
            w.push(row, &big[(v & !(1 << 63)) as usize]);
        }
    }
    w
}

/// Sorts `(row, value)` pairs by row. A term's list is in input order, and
/// the lists of common words hold most events: those are sorted by a radix
/// sort on the row's bytes (linear, the bulk of the work), short lists by
/// the standard sort. Rows within a list are distinct, so the order is the
/// same either way.
fn sort_by_row(rows: &mut Vec<(u32, u64)>) {
    const RADIX_FROM: usize = 256;
    if rows.len() < RADIX_FROM {
        rows.sort_unstable_by_key(|&(row, _)| row);
        return;
    }
    let max = rows.iter().map(|&(row, _)| row).max().unwrap_or(0);
    let mut other = vec![(0u32, 0u64); rows.len()];
    let mut shift = 0;
    // One stable counting pass per byte of the largest row, lowest first.
    while shift < 32 && max >> shift != 0 {
        let mut at = [0usize; 256];
        for &(row, _) in rows.iter() {
            at[(row >> shift & 0xFF) as usize] += 1;
        }
        let mut sum = 0;
        for a in at.iter_mut() {
            let n = *a;
            *a = sum;
            sum += n;
        }
        for &(row, v) in rows.iter() {
            let digit = (row >> shift & 0xFF) as usize;
            other[at[digit]] = (row, v);
            at[digit] += 1;
        }
        std::mem::swap(rows, &mut other);
        shift += 8;
    }
}

/// Removes `<16 hex>.bin` and `<16 hex>.json` files in `dir` that this
/// build did not write.
fn remove_stale(dir: &Path, keep: &HashSet<String>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name
            .strip_suffix(".bin")
            .or_else(|| name.strip_suffix(".json"))
            .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if ours && !keep.contains(name) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::search::{decode_chunk, postings};

    /// [`Scanner`]'s words, lower-cased, against [`words`]'.
    fn scanned(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut scanner = Scanner::new(text);
        while let Some(t) = scanner.next_word() {
            out.push(match t {
                Token::Ascii(raw) => String::from_utf8(raw.to_ascii_lowercase()).unwrap(),
                Token::Other(lower) => lower.into_owned(),
                Token::Short(k) => {
                    let b = k.to_le_bytes();
                    let len = b.iter().position(|&x| x == 0).unwrap_or(8);
                    String::from_utf8(b[..len].to_vec()).unwrap()
                }
            })
        }
        out
    }

    fn reference(text: &str) -> Vec<String> {
        words(text).map(|w| w.lower.into_owned()).collect()
    }

    proptest::proptest! {
        #[test]
        fn scanned_words_are_the_tokenizers(
            text in "([a-zA-Z0-9 '’ʼ.,;:!?\u{0}-]|\\PC){0,60}"
        ) {
            proptest::prop_assert_eq!(scanned(&text), reference(&text));
        }

        #[test]
        fn scanned_words_of_long_texts_are_the_tokenizers(
            text in "([a-zA-Z0-9]{1,12}[ ,.]{1,2}){0,60}([a-zA-Z0-9 '’.,]|\\PC){0,3}([a-zA-Z0-9]{1,12}[ ,.']{1,2}){0,60}"
        ) {
            proptest::prop_assert_eq!(scanned(&text), reference(&text));
        }

        #[test]
        fn word_lower_case_is_the_lower_cased_packing(word in "[a-zA-Z0-9']{0,16}") {
            let lower = word.to_ascii_lowercase();
            proptest::prop_assert_eq!(pack(&word).map(|k| word_lower(k, word.len())), pack(&lower));
        }

    }

    proptest::proptest! {
        #[test]
        fn radix_sorted_rows_are_sorted(
            rows in proptest::collection::hash_set(proptest::prelude::any::<u32>(), 0..2000),
            small in proptest::prelude::any::<bool>(),
        ) {
            // Distinct rows, as in a term's list; small ones take fewer passes.
            let mut rows: Vec<(u32, u64)> = rows
                .into_iter()
                .map(|r| if small { r & 0xFFFF } else { r })
                .collect::<HashSet<u32>>()
                .into_iter()
                .map(|r| (r, u64::from(r) * 3))
                .collect();
            let mut want = rows.clone();
            want.sort_unstable();
            sort_by_row(&mut rows);
            proptest::prop_assert_eq!(rows, want);
        }
    }

    #[test]
    fn eight_bytes_at_a_time_find_every_non_alphanumeric_byte() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = *b"aZ09zA9m";
                bytes[pos] = b;
                let want = if b.is_ascii_alphanumeric() {
                    0
                } else {
                    0x80 << (8 * pos)
                };
                assert_eq!(
                    not_alnum8(u64::from_le_bytes(bytes)),
                    want,
                    "{b:#x} at {pos}"
                );
            }
        }
    }

    #[test]
    fn scanned_words_agree_on_edge_cases() {
        for text in [
            "",
            "'",
            "a'",
            "'a",
            "a''b",
            "a'b'c",
            "A’B",
            "a’",
            "a'’b",
            "a'é",
            "a'—b",
            "é'a",
            "Ünïcödé ÀB'c İstanbul ǅemal ﬁne",
            "x'\u{0301}y",
            "ab\u{0301}c d—e «Да» “quoted”",
            "2,000.5 -- well-known\u{00a0}word",
            "日本語のテキスト русский Текст",
            "ABCDEFGHIJKLMNOPQ ABCDEFGHIJKLMNOP Russia's DON'T",
        ] {
            assert_eq!(scanned(text), reference(text), "{text:?}");
        }
    }

    /// What [`event_terms`] should give: every word of the event by
    /// [`words`], stemmed, with the slots it occurs in.
    fn reference_terms(e: &Event, turn_slots: &[u32]) -> BTreeMap<String, u64> {
        let stemmer = Stemmer::default();
        let mut out = BTreeMap::new();
        let mut add = |text: &str, slot: u32| {
            for w in words(text) {
                if let Some(t) = stemmer.term(&w.lower) {
                    *out.entry(t.into_owned()).or_insert(0) |= 1 << slot;
                }
            }
        };
        add(&e.title, NARRATION_SLOT);
        e.lead.iter().for_each(|l| add(l, NARRATION_SLOT));
        let mut turn = 0;
        for b in &e.blocks {
            match b {
                Block::Turn(t) => {
                    t.paragraphs.iter().for_each(|p| add(p, turn_slots[turn]));
                    turn += 1;
                }
                Block::Slider { caption, .. } => caption.iter().for_each(|c| add(c, 0)),
                Block::Separator { .. } => {}
                Block::Paragraph { text }
                | Block::PhotoCaption { text }
                | Block::Heading { text } => add(text, 0),
                Block::SeeAlso { lines } => lines.iter().for_each(|l| add(l, 0)),
            }
        }
        out
    }

    /// The seed's events and a long one (thousands of distinct words of up
    /// to 8, 9 to 16 and more bytes, so that both of the thread's word
    /// tables grow in the middle of it), one after the other twice with
    /// one vocabulary, then with another: each gives the reference's terms
    /// and slots.
    #[test]
    fn event_terms_are_the_reference_across_events() {
        let seed = crate::bundle::parse_file(
            "seed",
            include_bytes!("../../data/000_38e382155a809f8a.txt"),
        );
        let mut events = seed.events.clone();
        let mut long = events[0].clone();
        let many: Vec<String> = (0..6000)
            .map(|k| format!("w{k} Term{} lw{k}abcdef longword{k}abcdefgh", k % 7))
            .collect();
        for b in &mut long.blocks {
            if let Block::Turn(t) = b {
                t.paragraphs.push(many.join(" "));
            }
        }
        events.push(long);
        // A second vocabulary on the same thread: its ids are not the first's.
        let (first, second) = (Vocab::default(), Vocab::default());
        let rounds = [&first, &first, &second];
        for (vocab, e) in rounds
            .iter()
            .flat_map(|v| events.iter().map(move |e| (*v, e)))
        {
            let slots: Vec<u32> = e.turn_labels().1.iter().map(|k| k + 1).collect();
            let got = event_terms(vocab, e, &slots);
            assert!(got.keys.is_empty());
            let terms = vocab.inner.lock().unwrap().terms.clone();
            let got: BTreeMap<String, u64> = got
                .masks
                .iter()
                .map(|&(t, m)| (terms[t as usize].to_string(), m))
                .collect();
            assert_eq!(got, reference_terms(e, &slots), "{}", e.title);
        }
    }

    #[test]
    fn packed_words_are_their_zero_padded_bytes() {
        let all = "abcdefghijklmnop";
        for w in (0..=16).map(|n| &all[..n]).chain(["russia's"]) {
            let mut b = [0u8; 16];
            b[..w.len()].copy_from_slice(w.as_bytes());
            assert_eq!(pack(w), Some(u128::from_le_bytes(b)), "{w}");
        }
        let w = "émile-0123456789";
        assert_eq!(w.len(), 17);
        assert_eq!(
            pack(&w[..16]).map(u128::to_le_bytes),
            Some(*b"\xc3\xa9mile-012345678")
        );
        assert_eq!(pack(w), None);
        assert_eq!(bits(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
        assert_eq!(bits(1 << 63).collect::<Vec<_>>(), [63]);
    }

    #[test]
    fn slots_of_any_size_survive_the_round_trip() {
        let vocab = Vocab::default();
        let a = vocab.intern("a");
        let b = vocab.intern("b");
        let mut acc = Accumulator::default();
        // Event 0: "a" in local slots 0 and 70, "b" in 1; event 1: "a" in 2.
        let key = |t: u32, s: u32| u64::from(t) << 32 | u64::from(s);
        acc.add_event(&[key(a, 0), key(a, 70), key(b, 1)]);
        acc.add_event(&[key(a, 2)]);
        // Event 2: "a" in local slot 1, which its map leaves as it is.
        acc.add_event_terms(&EventTerms {
            masks: vec![(a, 1 << 1)],
            ..EventTerms::default()
        });
        assert_eq!(acc.events(), 3);
        let mut map = SlotMap::default();
        // Event 0 (row 2): slot 70 -> 100, 1 -> dropped. Event 1 (row 0):
        // 2 -> 63 (the one slot below 64 that a mask cannot tell apart).
        map.push((0..=70).map(|l| match l {
            0 => Some(0),
            70 => Some(100),
            _ => None,
        }));
        map.push([Some(0), Some(1), Some(63)]);
        map.push([Some(0), Some(1)]);
        let dir = tempfile::tempdir().unwrap();
        let (r, written) = acc.write(&vocab, &[2, 0, 1], &map, dir.path(), 0).unwrap();
        let meta: SearchMeta =
            serde_json::from_slice(&std::fs::read(dir.path().join(&r.meta[12..])).unwrap())
                .unwrap();
        assert_eq!(meta, written);
        // "b" lost its only slot: not indexed at all.
        assert_eq!(meta.terms, 1);
        assert_eq!(meta.rows, 3);
        let bytes = std::fs::read(dir.path().join(&meta.chunks[0].path[12..])).unwrap();
        let terms = decode_chunk(&bytes).unwrap();
        let got: Vec<_> = postings(terms[0].postings)
            .map(|p| {
                let p = p.unwrap();
                (p.row, p.slots.to_vec())
            })
            .collect();
        assert_eq!(got, [(0, vec![63]), (1, vec![1]), (2, vec![0, 100])]);
    }
}
