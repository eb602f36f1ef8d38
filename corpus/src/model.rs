//! The JSON contract between the preprocessor and the app.
//!
//! These serde types are the one definition of the bundle format: the
//! preprocessor serialises them, the Leptos app deserialises the very same
//! types, so the two cannot drift apart. Any change that an older app could
//! not read bumps [`SCHEMA_VERSION`]; the app refuses a bundle whose version it
//! does not know instead of rendering half of it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the bundle format. Bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the app needs: every event and every speaker of a corpus.
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
}
