//! The JSON contract between the preprocessor and the app.
//!
//! These serde types are the one definition of the bundle format: the
//! preprocessor serialises them, the Leptos app deserialises the very same
//! types, so the two cannot drift apart. Any change that an older app could
//! not read bumps [`SCHEMA_VERSION`]; the app refuses a bundle whose version it
//! does not know instead of rendering half of it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the data format (index and shards). Bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

/// A whole corpus parsed in memory: every event with its transcript and
/// every speaker. The preprocessor's in-memory result (tests, eval, the
/// lossless check); the site is written as an [`Index`] plus [`Shard`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub schema_version: u32,
    /// Events in corpus order (the app sorts them itself).
    pub events: Vec<Event>,
    /// Every speaker that opens at least one turn, people and generic labels.
    pub speakers: Vec<Speaker>,
    /// What the preprocessor read and what it had to reject.
    pub summary: Summary,
}

/// Counts of one preprocessing run: `records_read = records_written + records_rejected`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub files_read: u32,
    pub records_read: u32,
    pub records_written: u32,
    pub records_rejected: u32,
}

/// A speaker's stable identifier: a slug of the canonical name
/// (`vladimir-putin`), or `generic-<label>` for generic labels
/// (`generic-question`).
pub type SpeakerId = String;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub id: SpeakerId,
    /// Canonical display name ("Vladimir Putin", or "Question" for a generic label).
    pub name: String,
    pub kind: SpeakerKind,
    /// Roles seen in labels, in order of first appearance ("President of Russia").
    pub roles: Vec<String>,
    /// Every label variant printed for this speaker, in order of first appearance.
    pub labels: Vec<String>,
    /// Number of events in which this speaker opens at least one turn.
    pub event_count: u32,
    /// Number of turns this speaker opens over the whole corpus.
    pub turn_count: u32,
    /// Each of [`Speaker::roles`] with the dates of the first and last
    /// event in which a label printed it, ordered by first date (speaker
    /// pages: "roles seen over time").
    #[serde(default)]
    pub role_spans: Vec<RoleSpan>,
}

/// When a role was printed in a speaker's labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSpan {
    /// The role as in [`Speaker::roles`].
    pub role: String,
    /// Date of the first event with a label that prints it.
    pub first: NaiveDate,
    /// Date of the last such event.
    pub last: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerKind {
    /// A named person.
    Person,
    /// A generic label such as "Question", "Remark" or "Presenter": not a person.
    Generic,
}

/// One record of the export: an event with its transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id, unique within the corpus: `YYYY-MM-DD-title-slug`
    /// (with `-2`, `-3`, ... appended on collision).
    pub id: String,
    pub title: String,
    /// Lead paragraphs between the title and the date (may be empty).
    pub lead: Vec<String>,
    pub date: NaiveDate,
    /// Local time as printed, "HH:MM".
    pub time: Option<String>,
    pub place: Option<String>,
    /// People listed in the header sentence ("The meeting was attended by ..."),
    /// one entry per person as printed ("Foreign Minister Sergei Lavrov").
    pub participants: Vec<String>,
    /// The body in order: speaker turns and everything that is not speech.
    pub blocks: Vec<Block>,
    /// Speakers who open at least one turn, in order of first appearance.
    pub speakers: Vec<SpeakerId>,
    pub geography: Vec<String>,
    pub topics: Vec<String>,
    /// The record's "Persons" tags, as printed (surname first: "Shoigu Sergei").
    pub persons: Vec<String>,
    pub sections: Vec<String>,
    /// As printed, e.g. "November 20, 2020, 19:00".
    pub publication_date: Option<String>,
    /// Where the record came from, for citations and error reports.
    pub source: SourceRef,
}

/// A position in the raw input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// File name as given to the preprocessor (no directories).
    pub file: String,
    /// 1-based line on which the record starts (its `Events` line).
    pub line: u32,
}

/// One piece of the body, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Consecutive paragraphs of one speaker.
    Turn(Turn),
    /// A paragraph that belongs to no speaker (narration, the attendance list).
    Paragraph { text: String },
    /// A photo slider: the counter ("2 of 3") and its caption.
    Slider {
        counter: String,
        caption: Option<String>,
    },
    /// A photo caption standing on its own, possibly inside a speaker's turn.
    PhotoCaption { text: String },
    /// "* * *", "***" and similar rules.
    Separator { text: String },
    /// A "See also" box: its lines after the "See also" heading.
    SeeAlso { lines: Vec<String> },
    /// A sub-heading inside the body.
    Heading { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// Resolved speaker. Shards leave it out (a label always resolves to the
    /// same speaker, and [`Speaker::labels`] in the index lists every label
    /// of each speaker), so the app fills it in when a shard arrives.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub speaker: SpeakerId,
    /// The label exactly as printed before the colon, without the annotation
    /// ("President of Russia Vladimir Putin"). When `continued`, the label of
    /// the turn this block continues (not printed again).
    pub label: String,
    /// Annotation printed with the label, without brackets ("retranslated").
    pub annotation: Option<String>,
    /// True when this block continues the previous turn of the same speaker
    /// after a non-speech block (a photo caption inside a speech): no label
    /// was printed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub continued: bool,
    pub paragraphs: Vec<String>,
}

impl Block {
    /// The text of this block as the reader sees it, paragraph by paragraph.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Block::Turn(t) => t.paragraphs.iter().map(String::as_str).collect(),
            Block::Paragraph { text }
            | Block::PhotoCaption { text }
            | Block::Separator { text }
            | Block::Heading { text } => vec![text.as_str()],
            Block::Slider { counter, caption } => {
                let mut v = vec![counter.as_str()];
                v.extend(caption.as_deref());
                v
            }
            Block::SeeAlso { lines } => lines.iter().map(String::as_str).collect(),
        }
    }
}

impl Event {
    /// Turns of this event, in order.
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Turn(t) => Some(t),
            _ => None,
        })
    }

    /// The event's distinct turn labels, in order of first use, and for
    /// each turn the position of its label among them (the search index's
    /// local slot of a turn is that position plus one).
    pub fn turn_labels(&self) -> (Vec<&str>, Vec<u32>) {
        let mut labels: Vec<&str> = Vec::new();
        let of_turn = self
            .turns()
            .map(|t| {
                let k = labels
                    .iter()
                    .position(|l| *l == t.label)
                    .unwrap_or_else(|| {
                        labels.push(&t.label);
                        labels.len() - 1
                    });
                k as u32
            })
            .collect();
        (labels, of_turn)
    }
}

// ---------------------------------------------------------------------------
// The site layout: one small index for the first screen, transcripts in
// content-addressed shards fetched when an event is opened.
// ---------------------------------------------------------------------------

/// Path of the index, relative to the site's base URL. Fixed, so that
/// `index.html` can preload it; everything it points to is content-addressed.
pub const INDEX_PATH: &str = "data/index.json";

/// `data/index.json`: everything the first screen, the filters and the
/// density strip need, and no transcript text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub schema_version: u32,
    /// Content hash of the whole data set (these rows and every shard's
    /// name, which is itself a content hash): changes whenever any data does.
    pub version: String,
    pub summary: Summary,
    /// Every speaker; events refer to them by position in this list.
    pub speakers: Vec<Speaker>,
    /// Interned strings, referred to by position from [`IndexEvents`].
    pub places: Vec<String>,
    pub topics: Vec<String>,
    pub geography: Vec<String>,
    /// The events, column by column, sorted by date, then time, then input
    /// order (columns compress far better than rows of objects).
    pub events: IndexEvents,
    /// Shards in row order: shard `k` holds rows `first .. first + count`.
    pub shards: Vec<ShardRef>,
    /// Events per calendar month over the whole span, for the density strip.
    pub months: MonthCounts,
    /// The full-text search index, when one was built.
    #[serde(default)]
    pub search: Option<SearchRef>,
}

/// Where the full-text search index starts: its directory of chunks
/// (see [`crate::search`]), fetched on the first query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRef {
    /// Path of the [`crate::search::SearchMeta`] JSON, content-addressed
    /// (`data/search/<hash>.json`).
    pub meta: String,
    /// Bytes of the meta file plus every chunk (uncompressed), for the bench.
    pub bytes: u64,
}

/// One column per field; every column has one entry per event (row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexEvents {
    #[serde(deserialize_with = "iso_dates::deserialize")]
    pub date: Vec<NaiveDate>,
    /// "HH:MM" as printed, or null.
    pub time: Vec<Option<String>>,
    pub title: Vec<String>,
    /// Position in [`Index::places`], or null.
    pub place: Vec<Option<u32>>,
    /// Positions in [`Index::speakers`] of the speakers who open a turn, in
    /// order of first appearance.
    pub speakers: Vec<Vec<u32>>,
    /// Positions in [`Index::topics`].
    pub topics: Vec<Vec<u32>>,
    /// Positions in [`Index::geography`].
    pub geography: Vec<Vec<u32>>,
    /// Number of turns (not counting continuations).
    pub turns: Vec<u32>,
    /// Words spoken by each speaker of the row, in the order of
    /// [`IndexEvents::speakers`] (same length): the "who spoke how much" bar
    /// and speaker pages. Counted with [`crate::search::words`].
    #[serde(default)]
    pub words: Vec<Vec<u32>>,
    /// Event ids are derived ([`event_id`]) from date and title; only the
    /// rows whose id needed a collision number are listed, as `(row, n)`.
    pub id_suffixes: Vec<(u32, u32)>,
}

impl IndexEvents {
    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }

    /// Every column has one entry per row: the check the app runs before
    /// trusting an index it downloaded.
    pub fn is_consistent(&self) -> bool {
        let n = self.date.len();
        [
            self.time.len(),
            self.title.len(),
            self.place.len(),
            self.speakers.len(),
            self.topics.len(),
            self.geography.len(),
            self.turns.len(),
        ]
        .iter()
        .all(|&len| len == n)
            && self.id_suffixes.iter().all(|&(row, _)| (row as usize) < n)
            && self.words.len() == n
            && self
                .words
                .iter()
                .zip(&self.speakers)
                .all(|(w, s)| w.len() == s.len())
    }
}

/// Where a shard lives and which rows it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRef {
    /// Path relative to the site's base URL, named by a hash of its bytes
    /// (`data/shards/3f9a0c5e1b7d2a64.json`), so a redeploy never serves an
    /// old shard under a new index or the reverse.
    pub path: String,
    pub first: u32,
    pub count: u32,
    /// Size in bytes (uncompressed), for the app's progress and the bench.
    pub bytes: u64,
}

/// Events per month from `first` (a `YYYY-MM` month) on, one count per month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCounts {
    /// First month, as its first day.
    pub first: Option<NaiveDate>,
    pub counts: Vec<u32>,
}

/// A shard: the transcripts of consecutive index rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub schema_version: u32,
    /// Row of the first event; events follow in row order.
    pub first: u32,
    pub events: Vec<ShardEvent>,
}

/// The part of an [`Event`] that is not in the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardEvent {
    /// The event's id, so a shard can be checked against the index row.
    pub id: String,
    pub lead: Vec<String>,
    pub participants: Vec<String>,
    /// Turns carry their label; the speaker is left out (see [`Turn::speaker`]).
    pub blocks: Vec<Block>,
    pub persons: Vec<String>,
    pub sections: Vec<String>,
    pub publication_date: Option<String>,
    pub source: SourceRef,
}

/// "Vladimir Putin" -> "vladimir-putin": lower case, runs of anything that
/// is not a letter or digit become one hyphen. Used for speaker and event ids.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    };
    for c in s.chars() {
        // ASCII first: the app derives 35,000 ids on load, and the Unicode
        // tables cost ten times the ASCII tests (same result for ASCII).
        if c.is_ascii() {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        } else {
            for c in c.to_lowercase() {
                push(c, &mut out);
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The date column read fast: the app decodes 35,000 dates before its
/// first paint, and chrono's general parser spends ~1 µs on each.
mod iso_dates {
    use chrono::NaiveDate;
    use serde::de::{Deserializer, Error, SeqAccess, Visitor};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        struct Dates;
        impl<'de> Visitor<'de> for Dates {
            type Value = Vec<NaiveDate>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of YYYY-MM-DD dates")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(s) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    out.push(super::parse_iso_date(&s).map_err(A::Error::custom)?);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Dates)
    }
}

/// `YYYY-MM-DD` (four-digit year) directly; anything else as chrono reads
/// a `NaiveDate` (the same result: this is only a faster path).
pub fn parse_iso_date(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    s.parse()
}

/// An event's id: `YYYY-MM-DD-title-slug`, the slug cut at a word boundary
/// near 60 bytes, then `-n` when `n > 1` (the n-th event with that base).
/// The preprocessor and the app both derive ids with this one function.
pub fn event_id(date: NaiveDate, title: &str, n: u32) -> String {
    let mut title = slug(title);
    if title.len() > 60 {
        // Cut at a char boundary (slugs keep non-ASCII letters), then at a word.
        let end = (0..=60)
            .rev()
            .find(|&i| title.is_char_boundary(i))
            .unwrap_or(0);
        let cut = title[..end].rfind('-').unwrap_or(end);
        title.truncate(cut);
    }
    let base = if title.is_empty() {
        date.to_string()
    } else {
        format!("{date}-{title}")
    };
    if n > 1 {
        format!("{base}-{n}")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_read_as_chrono_reads_them() {
        for s in [
            "2024-02-29",
            "2023-02-29",
            "0001-01-01",
            "9999-12-31",
            "2020-13-01",
            "2020-00-10",
            "2020-1-01",
            "2020-01-1",
            "+2020-01-01",
            "20200-01-01",
            "2020-01-01 ",
            "２０２０-01-01",
            "abcd-ef-gh",
            "",
            "2020/01/01",
            "2020-01-32",
        ] {
            let fast = parse_iso_date(s).ok();
            let chrono = s.parse::<NaiveDate>().ok();
            assert_eq!(fast, chrono, "{s:?}");
        }
        let cols: IndexEvents = serde_json::from_str(
            r#"{"date":["2020-01-02","+12020-01-02"],"time":[],"title":[],"place":[],"speakers":[],"topics":[],"geography":[],"turns":[],"words":[],"id_suffixes":[]}"#,
        )
        .unwrap();
        assert_eq!(cols.date[0], NaiveDate::from_ymd_opt(2020, 1, 2).unwrap());
        assert!(serde_json::from_str::<IndexEvents>(r#"{"date":["2020-02-30"]}"#).is_err());
    }

    /// The definition the fast path must agree with.
    fn slug_by_definition(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        out
    }

    #[test]
    fn slug_fast_path_matches_the_definition() {
        for s in [
            "Vladimir Putin",
            "  Meeting -- with  İstanbul's ΣΟΦΙΑ (2020) ",
            "Émile Zola: «Да» 1-2-3",
            "",
            "---",
            "ǅemal DŽ ﬁ ß",
        ] {
            assert_eq!(slug(s), slug_by_definition(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn slug_matches_the_definition_on_any_text(s in "\\PC{0,40}") {
            proptest::prop_assert_eq!(slug(&s), slug_by_definition(&s));
        }
    }
}
