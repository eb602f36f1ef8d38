//! The speaker list of the filter sidebar: fuzzy type-ahead and ranking.
//!
//! Thousands of speakers, each with a name, printed labels and roles. A
//! query is split into words; every word must match the speaker somewhere
//! (name, a label or a role; in any order, so "putin vladimir" works):
//!
//! - fuzzily, with [`nucleo_matcher`] (the matcher of the Helix editor):
//!   prefixes, inner substrings and initials ("vp"), scored with bonuses
//!   for word starts and runs; a scattered match whose score falls below
//!   [`FLOOR_PER_CHAR`] per character is noise and does not count;
//! - else, for words of five letters or more, as a typo: within one edit
//!   (two from eight letters; an edit is an insertion, deletion,
//!   substitution or swap of neighbours) of the start of one of the
//!   speaker's words, so "Lavorv" and "Shojgu" find their man.
//!
//! Matches rank by score (a whole word of the name beats a prefix of it,
//! any match beats a typo), then by number of events. Haystacks are
//! lower-cased and folded to ASCII once, in [`SpeakerIndex::new`]; one
//! [`nucleo_matcher::Matcher`] (with its buffers) serves every keystroke.

use std::collections::HashMap;

use nucleo_matcher::{Config, Matcher, Utf32String};
use stenogram_corpus::model::{Speaker, SpeakerKind};

/// The list as shown: people first, then generic labels, each best match
/// first (most events first for an empty query).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpeakerList {
    /// Indexes into the bundle's `speakers`.
    pub people: Vec<usize>,
    pub generic: Vec<usize>,
}

/// nucleo's score per matched character; a fuzzy match must average this
/// much, i.e. its word-start and run bonuses must at least make up for its
/// gaps.
pub const FLOOR_PER_CHAR: u32 = 16;
/// Query words shorter than this are never read as typos (too many
/// neighbours).
const TYPO_MIN_LEN: usize = 5;
/// From this length, two edits are forgiven.
const TYPO_TWO_EDITS_LEN: usize = 8;
/// A query word that is a whole word of the speaker's name...
const NAME_WORD_BONUS: u32 = 32;
/// ...or of a label or role.
const LABEL_WORD_BONUS: u32 = 12;
/// The best fuzzy match of a word is in the name (not only in a label).
const NAME_FIELD_BONUS: u32 = 8;

#[derive(Debug)]
struct Entry {
    kind: SpeakerKind,
    event_count: u32,
    /// Folded name first, then every distinct folded label and role, with
    /// the name taken out of labels ("Foreign Minister Sergei Lavrov" ->
    /// "foreign minister"): shorter haystacks, and a label that only
    /// repeats the name or a role is not searched twice.
    fields: Vec<Field>,
    /// Vocabulary ids of the words of the name...
    name_words: Vec<u32>,
    /// ...and of the labels and roles (not repeating the name's).
    other_words: Vec<u32>,
    /// Which characters occur anywhere in `fields` (see [`char_mask`]).
    mask: u64,
}

#[derive(Debug)]
struct Field {
    text: Utf32String,
    /// A query word with a character outside this mask cannot match here.
    mask: u64,
}

/// The speakers prepared for searching, and the matcher's buffers.
#[derive(Debug)]
pub struct SpeakerIndex {
    entries: Vec<Entry>,
    /// Every distinct folded word of every field, as characters...
    vocab: Vec<Box<[char]>>,
    /// ...with its [`char_mask`].
    vocab_masks: Vec<u64>,
    vocab_ids: HashMap<Box<str>, u32>,
    /// Indexes of all speakers, people and generic, by event count: the
    /// answer to an empty query.
    by_events: SpeakerList,
    /// Every speaker's position when all are sorted by events (most
    /// first), then name; and the speaker at each position. Equal scores
    /// are ordered by this rank, so a search sorts plain integers.
    rank: Vec<u32>,
    by_rank: Vec<u32>,
    matcher: Matcher,
    /// Scratch rows of [`typo_rank`].
    rows: [Vec<usize>; 3],
}

/// Lower case, Latin letters folded to ASCII ("Sergeï" -> "sergei"), and
/// every run of anything but letters and digits made one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    if s.is_ascii() {
        // The common case, without Unicode tables.
        s.bytes()
            .for_each(|b| push(char::from(b.to_ascii_lowercase())));
    } else {
        for c in s.chars().flat_map(char::to_lowercase) {
            push(nucleo_matcher::chars::normalize(c).to_ascii_lowercase());
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// One bit per ASCII letter and digit, one for everything else.
fn char_mask(s: &str) -> u64 {
    s.chars().fold(0, |mask, c| {
        mask | match c {
            'a'..='z' => 1 << (c as u32 - 'a' as u32),
            '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
            ' ' => 0,
            _ => 1 << 63,
        }
    })
}

/// How far `a` is from `w`, counting edits (insertions, deletions,
/// substitutions, swaps of neighbours: optimal string alignment), if it is
/// at most `max` edits from `w` or from a prefix of it: `2 * edits` to the
/// whole word, `2 * edits + 1` to a prefix only (so a whole word ranks
/// first). `rows` is scratch space.
fn typo_rank(a: &[char], w: &[char], max: usize, rows: &mut [Vec<usize>; 3]) -> Option<usize> {
    // A prefix longer than a.len() + max is more than max edits away.
    let whole = w.len() <= a.len() + max;
    let w = &w[..w.len().min(a.len() + max)];
    if w.len() + max < a.len() {
        return None;
    }
    let m = w.len();
    for r in rows.iter_mut() {
        r.clear();
        r.resize(m + 1, 0);
    }
    let [prev2, prev, cur] = rows;
    for (j, slot) in prev.iter_mut().enumerate() {
        *slot = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != w[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == w[j - 2] && a[i - 2] == w[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(prev2, prev);
        std::mem::swap(prev, cur);
    }
    // After the last swap, `prev` holds the last row: a against every
    // prefix of w.
    let to_word = if whole { prev[m] } else { usize::MAX };
    let to_prefix = prev.iter().copied().min().unwrap_or(usize::MAX);
    if to_word <= max && to_word <= to_prefix {
        Some(2 * to_word)
    } else {
        (to_prefix <= max).then_some(2 * to_prefix + 1)
    }
}

/// [`Atom::typo`] for a word not compared yet.
const UNKNOWN: u8 = u8::MAX - 1;
/// [`Atom::typo`] for a word too far away.
const FAR: u8 = u8::MAX;

/// One word of the query, prepared once per keystroke.
struct Atom {
    chars: Vec<char>,
    needle: Utf32String,
    mask: u64,
    /// Its vocabulary id, if some speaker has exactly this word.
    word: Option<u32>,
    /// Most edits forgiven (0: the word is too short to be read as a typo).
    max_edits: usize,
    /// [`typo_rank`] against each vocabulary word, filled in as speakers
    /// need it ([`UNKNOWN`], [`FAR`]): most speakers match fuzzily or not
    /// at all, and each word is compared at most once per keystroke.
    typo: Vec<u8>,
}

impl SpeakerIndex {
    pub fn new(speakers: &[Speaker]) -> SpeakerIndex {
        let mut vocab: Vec<Box<[char]>> = Vec::new();
        let mut vocab_masks: Vec<u64> = Vec::new();
        let mut vocab_ids: HashMap<Box<str>, u32> = HashMap::new();
        let mut word_ids = |text: &str, into: &mut Vec<u32>, skip: &[u32]| {
            for word in text.split(' ').filter(|w| !w.is_empty()) {
                let id = match vocab_ids.get(word) {
                    Some(&id) => id,
                    None => {
                        vocab.push(word.chars().collect());
                        vocab_masks.push(char_mask(word));
                        let id = (vocab.len() - 1) as u32;
                        vocab_ids.insert(word.into(), id);
                        id
                    }
                };
                if !into.contains(&id) && !skip.contains(&id) {
                    into.push(id);
                }
            }
        };
        let mut entries = Vec::with_capacity(speakers.len());
        for s in speakers {
            let name = fold(&s.name);
            let mut texts: Vec<String> = Vec::with_capacity(1 + s.labels.len() + s.roles.len());
            texts.push(name.clone());
            for t in s.labels.iter().chain(&s.roles) {
                let t = fold(t);
                let t = match t.find(&name) {
                    Some(at) if !name.is_empty() => {
                        let (before, after) = (t[..at].trim(), t[at + name.len()..].trim());
                        match (before.is_empty(), after.is_empty()) {
                            (_, true) => before.to_string(),
                            (true, false) => after.to_string(),
                            (false, false) => format!("{before} {after}"),
                        }
                    }
                    _ => t,
                };
                if !t.is_empty() && !texts.contains(&t) {
                    texts.push(t);
                }
            }
            let mut name_words = Vec::new();
            word_ids(&texts[0], &mut name_words, &[]);
            let mut other_words = Vec::new();
            for t in &texts[1..] {
                word_ids(t, &mut other_words, &name_words);
            }
            let fields: Vec<Field> = texts
                .into_iter()
                .map(|t| Field {
                    mask: char_mask(&t),
                    text: Utf32String::from(t),
                })
                .collect();
            entries.push(Entry {
                kind: s.kind,
                event_count: s.event_count,
                mask: fields.iter().fold(0, |m, f| m | f.mask),
                fields,
                name_words,
                other_words,
            });
        }
        let mut by_rank: Vec<u32> = (0..speakers.len() as u32).collect();
        by_rank.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            entries[b]
                .event_count
                .cmp(&entries[a].event_count)
                .then_with(|| speakers[a].name.cmp(&speakers[b].name))
                .then_with(|| a.cmp(&b))
        });
        let mut rank = vec![0u32; speakers.len()];
        for (r, &i) in by_rank.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let by_events = split(&entries, by_rank.iter().map(|&i| i as usize));
        // Haystacks are folded already: the matcher compares as is.
        let mut config = Config::DEFAULT;
        config.ignore_case = false;
        config.normalize = false;
        SpeakerIndex {
            entries,
            vocab,
            vocab_masks,
            vocab_ids,
            by_events,
            rank,
            by_rank,
            matcher: Matcher::new(config),
            rows: Default::default(),
        }
    }

    /// The speakers matching `query`, best first (see the module docs);
    /// every speaker, most events first, for an empty query.
    pub fn search(&mut self, speakers: &[Speaker], query: &str) -> SpeakerList {
        let folded = fold(query);
        if folded.is_empty() || speakers.len() != self.entries.len() {
            return self.by_events.clone();
        }
        let mut atoms: Vec<Atom> = folded
            .split(' ')
            .map(|w| {
                let chars: Vec<char> = w.chars().collect();
                let max_edits = match chars.len() {
                    n if n >= TYPO_TWO_EDITS_LEN => 2,
                    n if n >= TYPO_MIN_LEN => 1,
                    _ => 0,
                };
                Atom {
                    needle: Utf32String::from(w),
                    mask: char_mask(w),
                    word: self.vocab_ids.get(w).copied(),
                    max_edits,
                    typo: if max_edits > 0 {
                        vec![UNKNOWN; self.vocab.len()]
                    } else {
                        Vec::new()
                    },
                    chars,
                }
            })
            .collect();
        // The longest word first: it rules most speakers out.
        atoms.sort_by_key(|a| std::cmp::Reverse(a.chars.len()));

        // Best score first, then rank: (MAX - score, rank) packed in a u64.
        let mut hits: Vec<u64> = Vec::new();
        'speakers: for (i, e) in self.entries.iter().enumerate() {
            let mut total = 0;
            for atom in atoms.iter_mut() {
                let score = fuzzy_score(&mut self.matcher, e, atom).or_else(|| {
                    typo_score(e, atom, &self.vocab, &self.vocab_masks, &mut self.rows)
                });
                match score {
                    Some(score) => total = score.saturating_add(total),
                    None => continue 'speakers,
                }
            }
            hits.push((u64::from(u32::MAX - total) << 32) | u64::from(self.rank[i]));
        }
        hits.sort_unstable();
        let by_rank = &self.by_rank;
        split(
            &self.entries,
            hits.into_iter()
                .map(|key| by_rank[(key & 0xffff_ffff) as usize] as usize),
        )
    }
}

/// How well one query word matches one speaker fuzzily, if it does.
fn fuzzy_score(matcher: &mut Matcher, e: &Entry, atom: &Atom) -> Option<u32> {
    if atom.mask & !e.mask != 0 {
        return None;
    }
    let floor = FLOOR_PER_CHAR * atom.chars.len() as u32;
    let needle = atom.needle.slice(..);
    let mut best: Option<u32> = None;
    for (k, field) in e.fields.iter().enumerate() {
        if atom.mask & !field.mask != 0 {
            continue;
        }
        let Some(score) = matcher.fuzzy_match(field.text.slice(..), needle) else {
            continue;
        };
        let score = u32::from(score);
        if score < floor {
            continue;
        }
        let score = score + if k == 0 { NAME_FIELD_BONUS } else { 0 };
        best = best.max(Some(score));
    }
    let bonus = match atom.word {
        Some(w) if e.name_words.contains(&w) => NAME_WORD_BONUS,
        Some(w) if e.other_words.contains(&w) => LABEL_WORD_BONUS,
        _ => 0,
    };
    best.map(|score| score + bonus)
}

/// How well one query word matches one speaker as a typo, if it does:
/// always below a fuzzy match of the same word (which scores at least the
/// floor).
fn typo_score(
    e: &Entry,
    atom: &mut Atom,
    vocab: &[Box<[char]>],
    vocab_masks: &[u64],
    rows: &mut [Vec<usize>; 3],
) -> Option<u32> {
    if atom.max_edits == 0 {
        return None;
    }
    let mut best = FAR;
    for &w in e.name_words.iter().chain(&e.other_words) {
        let w = w as usize;
        if atom.typo[w] == UNKNOWN {
            // Each edit brings in at most one letter the word lacks.
            let missing = (atom.mask & !vocab_masks[w]).count_ones() as usize;
            atom.typo[w] = if missing > atom.max_edits {
                FAR
            } else {
                typo_rank(&atom.chars, &vocab[w], atom.max_edits, rows).map_or(FAR, |r| r as u8)
            };
        }
        best = best.min(atom.typo[w]);
    }
    let floor = FLOOR_PER_CHAR * atom.chars.len() as u32;
    (best != FAR).then(|| floor.saturating_sub(4 * (u32::from(best) + 1)))
}

/// People and generic labels, each in the order given.
fn split(entries: &[Entry], order: impl Iterator<Item = usize>) -> SpeakerList {
    let mut list = SpeakerList::default();
    for i in order {
        match entries[i].kind {
            SpeakerKind::Person => list.people.push(i),
            SpeakerKind::Generic => list.generic.push(i),
        }
    }
    list
}

/// One-off search (builds the index): for tests and small lists.
pub fn speaker_list(speakers: &[Speaker], query: &str) -> SpeakerList {
    SpeakerIndex::new(speakers).search(speakers, query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;

    fn names(speakers: &[Speaker], idx: &[usize]) -> Vec<String> {
        idx.iter().map(|&i| speakers[i].name.clone()).collect()
    }

    fn person(name: &str, labels: &[&str], roles: &[&str], events: u32) -> Speaker {
        Speaker {
            roles: roles.iter().map(|r| r.to_string()).collect(),
            ..fixture::speaker(
                &stenogram_corpus::model::slug(name),
                name,
                SpeakerKind::Person,
                labels,
                events,
            )
        }
    }

    /// The fixture's speakers plus look-alikes that share words with them
    /// and have more events, so that ranking has something to decide.
    fn crowd() -> Vec<Speaker> {
        let mut s = fixture::bundle().speakers;
        s.extend([
            person("Igor Putintsev", &["Deputy Igor Putintsev"], &[], 40),
            person(
                "Dmitry Peskov",
                &["Presidential Press Secretary Dmitry Peskov"],
                &["Press Secretary of the President"],
                60,
            ),
            person("Anna Lavrova", &["Anna Lavrova"], &[], 3),
            person(
                "Sergei Sobyanin",
                &["Moscow Mayor Sergei Sobyanin"],
                &["Mayor of Moscow"],
                5,
            ),
            person("Vladimir Pankov", &["Vladimir Pankov"], &[], 1),
        ]);
        s.push(fixture::speaker(
            "generic-remark",
            "Remark",
            SpeakerKind::Generic,
            &["Remark", "Remark from the audience"],
            7,
        ));
        s
    }

    fn people(speakers: &[Speaker], query: &str) -> Vec<String> {
        names(speakers, &speaker_list(speakers, query).people)
    }

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("  Sergeï LAVROV, Jr. "), "sergei lavrov jr");
        assert_eq!(fold("Jean-Claude  Juncker"), "jean claude juncker");
        assert_eq!(fold("..."), "");
    }

    #[test]
    fn empty_query_is_everyone_by_event_count() {
        let b = fixture::bundle();
        let list = speaker_list(&b.speakers, "");
        assert_eq!(
            names(&b.speakers, &list.people),
            vec!["Vladimir Putin", "Sergei Lavrov", "Sergei Shoigu"]
        );
        assert_eq!(names(&b.speakers, &list.generic), vec!["Question"]);
        let s = crowd();
        let list = speaker_list(&s, "   ");
        assert_eq!(
            names(&s, &list.people),
            vec![
                "Dmitry Peskov",
                "Igor Putintsev",
                "Sergei Sobyanin",
                "Anna Lavrova",
                "Vladimir Putin",
                "Sergei Lavrov",
                "Sergei Shoigu",
                "Vladimir Pankov"
            ]
        );
        assert_eq!(names(&s, &list.generic), vec!["Remark", "Question"]);
    }

    #[test]
    fn putin_ranks_vladimir_putin_first() {
        let s = crowd();
        // Putintsev has far more events, but "putin" is a whole word of
        // Putin's name and only the start of Putintsev's.
        assert_eq!(
            people(&s, "putin")[..2],
            ["Vladimir Putin", "Igor Putintsev"]
        );
        assert_eq!(people(&s, "Putin")[0], "Vladimir Putin");
        // Word order, initials, a first name and an initial.
        assert_eq!(people(&s, "putin vladimir"), vec!["Vladimir Putin"]);
        assert_eq!(people(&s, "vp")[0], "Vladimir Putin");
        assert_eq!(people(&s, "v putin")[0], "Vladimir Putin");
        assert_eq!(people(&s, "V. V. Putin")[0], "Vladimir Putin");
    }

    #[test]
    fn a_typo_still_finds_lavrov() {
        let s = crowd();
        for typo in ["Lavorv", "lavrvo", "Lavrpv", "Lavrof", "Sergey Lavorv"] {
            assert_eq!(
                people(&s, typo).first().map(String::as_str),
                Some("Sergei Lavrov"),
                "{typo}"
            );
        }
        // A typo of the start of a longer word, typed halfway.
        assert_eq!(people(&s, "shojg"), vec!["Sergei Shoigu"]);
        // Short words are not read as typos: "lavo" is a prefix, not "lava".
        assert!(people(&s, "xavr").is_empty());
        // Two typos in a long word.
        assert_eq!(people(&s, "Sobyianon")[0], "Sergei Sobyanin");
    }

    #[test]
    fn equal_matches_tie_by_event_count() {
        let s = crowd();
        // "sergei" is a whole word of three names: most events first.
        assert_eq!(
            people(&s, "sergei"),
            vec!["Sergei Sobyanin", "Sergei Lavrov", "Sergei Shoigu"]
        );
        // "lavrov" is a whole word of Lavrov's name and a prefix of
        // Lavrova's: Lavrov first although Lavrova has more events.
        assert_eq!(people(&s, "lavrov"), vec!["Sergei Lavrov", "Anna Lavrova"]);
        // "lavr" is a prefix of both: most events first.
        assert_eq!(people(&s, "lavr"), vec!["Anna Lavrova", "Sergei Lavrov"]);
    }

    #[test]
    fn searches_labels_and_roles() {
        let s = crowd();
        assert_eq!(people(&s, "defence minister"), vec!["Sergei Shoigu"]);
        assert_eq!(people(&s, "president of russia")[0], "Vladimir Putin");
        assert_eq!(people(&s, "foreign minister lavrov"), vec!["Sergei Lavrov"]);
        assert_eq!(people(&s, "mayor"), vec!["Sergei Sobyanin"]);
        assert_eq!(people(&s, "press secretary")[0], "Dmitry Peskov");
    }

    #[test]
    fn generic_labels_stay_apart() {
        let s = crowd();
        let list = speaker_list(&s, "question");
        assert!(list.people.is_empty());
        assert_eq!(names(&s, &list.generic), vec!["Question"]);
        let list = speaker_list(&s, "audience");
        assert_eq!(names(&s, &list.generic), vec!["Remark"]);
    }

    #[test]
    fn nonsense_matches_nothing() {
        let s = crowd();
        assert_eq!(speaker_list(&s, "zzz"), SpeakerList::default());
        assert_eq!(speaker_list(&s, "qqqqqqq"), SpeakerList::default());
        // Letters of "lavrov" scattered over a long label are not a match.
        assert!(!people(&s, "lvrv").contains(&"Dmitry Peskov".to_string()));
    }

    #[test]
    fn edit_distance_to_a_word_or_its_start() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        let mut rows = Default::default();
        let mut d = |a: &str, w: &str, max| typo_rank(&c(a), &c(w), max, &mut rows);
        // 2 * edits to the whole word...
        assert_eq!(d("lavrov", "lavrov", 1), Some(0));
        assert_eq!(d("lavorv", "lavrov", 1), Some(2), "swap");
        assert_eq!(d("lavrv", "lavrov", 1), Some(2), "deletion");
        assert_eq!(d("lavrrov", "lavrov", 1), Some(2), "insertion");
        assert_eq!(d("lavrof", "lavrov", 1), Some(2), "substitution");
        assert_eq!(d("lovorv", "lavrov", 1), None);
        assert_eq!(d("lovorv", "lavrov", 2), Some(4));
        assert_eq!(d("ab", "", 2), Some(4));
        // ...2 * edits + 1 to its start only.
        assert_eq!(d("lavro", "lavrova", 1), Some(1), "prefix");
        assert_eq!(d("lavorv", "lavrova", 1), Some(3), "prefix with a swap");
        assert_eq!(d("lavor", "lavrovskaya", 1), Some(3));
        assert_eq!(d("abcdefgh", "ab", 2), None);
    }

    /// 5,000 people with three labels and a role each, made up from
    /// syllables (so names share words, as real ones do).
    fn many(n: usize) -> Vec<Speaker> {
        let syl = [
            "ka", "lo", "vin", "ser", "gei", "ma", "rov", "dmi", "tri", "pe", "sko", "an", "na",
            "ol", "ga", "ni", "ko", "lai", "tsev", "shoi",
        ];
        let word = |i: usize, k: usize| {
            let mut w = String::new();
            for j in 0..k {
                w.push_str(syl[(i / 20usize.pow(j as u32) + j * 7) % syl.len()]);
            }
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        };
        let roles = [
            "Minister of Energy",
            "Governor of Tomsk Region",
            "Deputy Prime Minister",
            "Ambassador",
        ];
        (0..n)
            .map(|i| {
                let name = format!("{} {}", word(i * 7 + 3, 2), word(i, 3));
                let role = roles[i % roles.len()];
                person(
                    &name,
                    &[
                        &format!("{role} {name}"),
                        &name,
                        &format!(
                            "{} {}",
                            word(i * 7 + 3, 2).chars().next().unwrap(),
                            word(i, 3)
                        ),
                    ],
                    &[role],
                    (i % 97) as u32,
                )
            })
            .collect()
    }

    #[test]
    fn a_keystroke_over_5000_speakers_is_quick() {
        let s = many(5000);
        let start = std::time::Instant::now();
        let mut index = SpeakerIndex::new(&s);
        let built = start.elapsed();
        let mut slowest = std::time::Duration::ZERO;
        for q in [
            "s",
            "se",
            "ser",
            "serg",
            "sergei",
            "kalo",
            "minister",
            "lavorv",
            "kalovin serge",
            "vp",
        ] {
            let start = std::time::Instant::now();
            let list = index.search(&s, q);
            slowest = slowest.max(start.elapsed());
            assert!(list.people.len() <= s.len());
        }
        eprintln!("5000 speakers: index {built:?}, slowest keystroke {slowest:?}");
        // Debug build, natively: loose bounds (release is several times
        // faster) that still catch an accidental quadratic step.
        assert!(slowest.as_millis() < 400, "{slowest:?}");
    }
}
