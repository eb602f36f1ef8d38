//! Parser fidelity against the dev set's ground truth (`truth.jsonl`).
//!
//! Records are matched by date and title; texts are compared after
//! whitespace normalisation (non-breaking spaces included). A speaker turn
//! counts as found when a paragraph with the same label opens a turn with
//! the same text; precision and recall are taken over all such openers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bundle::{collect_inputs, parse_file};
use crate::model::{Block, Event};
use crate::text::squash_ws;

/// One line of `truth.jsonl` (only the fields the evaluation reads).
#[derive(Debug, Deserialize)]
struct TruthRecord {
    title: String,
    #[serde(default)]
    lead: Vec<String>,
    date_iso: String,
    time: Option<String>,
    place: Option<String>,
    #[serde(default)]
    geography: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    persons: Vec<String>,
    #[serde(default)]
    blocks: Vec<TruthBlock>,
}

#[derive(Debug, Deserialize)]
struct TruthBlock {
    #[serde(rename = "type")]
    kind: String,
    lines: Vec<String>,
    speaker: Option<TruthSpeaker>,
}

#[derive(Debug, Deserialize)]
struct TruthSpeaker {
    label: String,
}

/// A share of records on which one field is exact.
#[derive(Debug, Clone, Serialize)]
pub struct FieldScore {
    pub exact: usize,
    pub of: usize,
    pub percent: f64,
}

impl FieldScore {
    fn new(exact: usize, of: usize) -> Self {
        let percent = if of == 0 {
            100.0
        } else {
            (exact as f64 * 10000.0 / of as f64).round() / 100.0
        };
        FieldScore { exact, of, percent }
    }
}

/// Fidelity figures, printed as JSON by `cargo xtask eval`.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub truth_records: usize,
    pub parsed_records: usize,
    pub rejected_records: usize,
    /// Truth records matched by a parsed record with the same date and title.
    pub found: FieldScore,
    /// Per-field exactness over matched records.
    pub fields: HashMap<&'static str, FieldScore>,
    pub turns: TurnScore,
    /// Truth paragraphs reproduced exactly (after whitespace normalisation) as one paragraph.
    pub paragraphs: FieldScore,
    /// Truth photo captions that became caption blocks.
    pub photo_captions: FieldScore,
    /// A few mismatches per field, to guide work on the parser.
    pub examples: HashMap<&'static str, Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TurnScore {
    pub truth: usize,
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
}

const EXAMPLES_PER_FIELD: usize = 5;

/// Parses `inputs` and compares the records with the truth file.
pub fn evaluate(truth: &Path, inputs: &[PathBuf]) -> Result<EvalReport, String> {
    let text = std::fs::read_to_string(truth)
        .map_err(|e| format!("{}: cannot read: {e}", truth.display()))?;
    let mut truths = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let rec: TruthRecord = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: not a truth record: {e}", truth.display(), i + 1))?;
        truths.push(rec);
    }
    let (files, diags) = collect_inputs(inputs);
    if let Some(d) = diags.first() {
        return Err(d.to_string());
    }
    let mut events = Vec::new();
    let mut rejected = 0;
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: cannot read: {e}", f.display()))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut fp = parse_file(&name, &bytes);
        rejected += fp.diagnostics.len();
        events.append(&mut fp.events);
    }
    Ok(compare(&truths, &events, rejected))
}

fn record_key(date: &str, title: &str) -> String {
    format!("{date}|{}", squash_ws(title))
}

fn squash_all(v: &[String]) -> Vec<String> {
    v.iter().map(|s| squash_ws(s)).collect()
}

/// The first characters of a text with all whitespace removed: robust to
/// how broken lines were joined.
fn text_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).take(40).collect()
}

fn compare(truths: &[TruthRecord], events: &[Event], rejected: usize) -> EvalReport {
    let mut by_key: HashMap<String, Vec<&Event>> = HashMap::new();
    for e in events {
        by_key
            .entry(record_key(&e.date.to_string(), &e.title))
            .or_default()
            .push(e);
    }
    let mut examples: HashMap<&'static str, Vec<String>> = HashMap::new();
    let mut note = |field: &'static str, msg: String| {
        let v = examples.entry(field).or_default();
        if v.len() < EXAMPLES_PER_FIELD {
            v.push(msg);
        }
    };
    let mut exact: HashMap<&'static str, usize> = HashMap::new();
    let (mut found, mut t_turns, mut p_turns, mut m_turns) = (0, 0, 0, 0);
    let (mut paras, mut paras_ok, mut caps, mut caps_ok) = (0, 0, 0, 0);
    for t in truths {
        let key = record_key(&t.date_iso, &t.title);
        let Some(e) = by_key
            .get_mut(&key)
            .and_then(|v| (!v.is_empty()).then(|| v.remove(0)))
        else {
            note("found", key);
            continue;
        };
        found += 1;
        // Title and date are the key records are matched on, so they are
        // exact by construction here; `found` is their real measure.
        let checks: [(&'static str, bool, String); 7] = [
            ("title", true, String::new()),
            ("date", true, String::new()),
            (
                "time",
                e.time == t.time,
                format!("{:?} vs truth {:?}", e.time, t.time),
            ),
            (
                "place",
                e.place.as_deref().map(squash_ws) == t.place.as_deref().map(squash_ws),
                format!("{:?} vs truth {:?}", e.place, t.place),
            ),
            (
                "lead",
                squash_all(&e.lead) == squash_all(&t.lead),
                format!("{:?} vs truth {:?}", e.lead, t.lead),
            ),
            (
                "topics",
                squash_all(&e.topics) == squash_all(&t.topics),
                format!("{:?} vs truth {:?}", e.topics, t.topics),
            ),
            (
                "geography",
                squash_all(&e.geography) == squash_all(&t.geography),
                format!("{:?} vs truth {:?}", e.geography, t.geography),
            ),
        ];
        for (field, ok, detail) in checks {
            if ok {
                *exact.entry(field).or_default() += 1;
            } else {
                note(field, format!("{key}: {detail}"));
            }
        }
        if squash_all(&e.persons) == squash_all(&t.persons) {
            *exact.entry("persons").or_default() += 1;
        } else {
            note(
                "persons",
                format!("{key}: {:?} vs truth {:?}", e.persons, t.persons),
            );
        }

        // Speaker turns: (label, opening text) pairs, matched as multisets.
        // A turn's opening text is compared on the shorter of the two keys:
        // how a broken line was joined into the paragraph is not what this measures.
        let mut predicted: Vec<(String, String)> = Vec::new();
        for turn in e.turns().filter(|t| !t.continued) {
            let first = turn.paragraphs.first().map_or("", String::as_str);
            predicted.push((squash_ws(&turn.label), text_key(first)));
            p_turns += 1;
        }
        let paragraphs = stripped_paragraphs(e);
        for b in &t.blocks {
            let joined = b.lines.concat();
            match b.kind.as_str() {
                "p" => {
                    paras += 1;
                    if paragraph_matches(&paragraphs, &joined, &b.lines) {
                        paras_ok += 1;
                    }
                }
                "photo_caption" => {
                    caps += 1;
                    let j = squash_ws(&joined);
                    if e.blocks.iter().any(
                        |blk| matches!(blk, Block::PhotoCaption { text } if squash_ws(text) == j),
                    ) {
                        caps_ok += 1;
                    } else {
                        note("photo_captions", format!("{key}: {j}"));
                    }
                }
                _ => {}
            }
            let Some(s) = &b.speaker else { continue };
            t_turns += 1;
            // The truth's label may carry its annotation ("Question (retranslated)").
            let (label, _) = crate::labels::split_annotation(&s.label);
            let at = joined.find(label).map_or(0, |k| k + label.len());
            let rest = joined.get(at..).unwrap_or("").trim_start();
            let rest = match rest.strip_prefix('(') {
                Some(r) => r.split_once(')').map_or(r, |(_, after)| after),
                None => rest,
            };
            let rest = rest.trim_start().strip_prefix(':').unwrap_or(rest);
            let k = (squash_ws(label), text_key(rest));
            let hit = predicted.iter().position(|(l, t)| {
                *l == k.0
                    && (t.starts_with(&k.1) || k.1.starts_with(t.as_str()))
                    && (t.is_empty() == k.1.is_empty())
            });
            match hit {
                Some(at) => {
                    predicted.swap_remove(at);
                    m_turns += 1;
                }
                None => note(
                    "turns_missed",
                    format!(
                        "{key}: {} | {}",
                        k.0,
                        joined.chars().take(80).collect::<String>()
                    ),
                ),
            }
        }
        for (label, text) in predicted {
            note("turns_spurious", format!("{key}: {label} | {text}"));
        }
    }
    let fields = [
        "title",
        "date",
        "time",
        "place",
        "lead",
        "topics",
        "geography",
        "persons",
    ]
    .into_iter()
    .map(|f| {
        (
            f,
            FieldScore::new(exact.get(f).copied().unwrap_or(0), found),
        )
    })
    .collect();
    let ratio = |a: usize, b: usize| {
        if b == 0 {
            1.0
        } else {
            (a as f64 * 10000.0 / b as f64).round() / 10000.0
        }
    };
    EvalReport {
        truth_records: truths.len(),
        parsed_records: events.len(),
        rejected_records: rejected,
        found: FieldScore::new(found, truths.len()),
        fields,
        turns: TurnScore {
            truth: t_turns,
            predicted: p_turns,
            matched: m_turns,
            precision: ratio(m_turns, p_turns),
            recall: ratio(m_turns, t_turns),
        },
        paragraphs: FieldScore::new(paras_ok, paras),
        photo_captions: FieldScore::new(caps_ok, caps),
        examples,
    }
}

/// An event's paragraphs without whitespace, each flagged when it opens a
/// turn (its label was split off, so it may match the end of a truth line).
/// Computed once per event, not once per truth paragraph.
fn stripped_paragraphs(e: &Event) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for blk in &e.blocks {
        let opens = matches!(blk, Block::Turn(t) if !t.continued);
        for (i, p) in blk.texts().into_iter().enumerate() {
            out.push((
                p.chars().filter(|c| !c.is_whitespace()).collect(),
                opens && i == 0,
            ));
        }
    }
    out
}

/// Is the truth paragraph (joined raw lines) one of the event's paragraphs?
fn paragraph_matches(paragraphs: &[(String, bool)], joined: &str, lines: &[String]) -> bool {
    let want: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
    let first_line = lines.first().map_or("", String::as_str);
    paragraphs.iter().any(|(got, opens_turn)| {
        *got == want
            // The opening paragraph of a turn lost its label to the turn.
            || *opens_turn && want.ends_with(got.as_str()) && first_line.contains(':')
    })
}
