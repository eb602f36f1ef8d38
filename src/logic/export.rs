//! "Export": the events the timeline shows, or their turns, as CSV or JSON
//! Lines.
//!
//! CSV follows RFC 4180 (fields with commas, quotes or line breaks are
//! quoted, quotes doubled, CRLF between records), starts with a UTF-8 BOM
//! so that Excel reads it as UTF-8, and neutralises cells a spreadsheet
//! would run as a formula (transcript text is data, never code). JSON Lines
//! is one `serde_json` object per line, lists kept as lists.
//!
//! The turns of an event need its shard; the component fetches them shard
//! by shard ([`shard_runs`]) and appends rows as they come, so that an
//! export never holds more than one shard.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;
use stenogram_corpus::model::{Block, ShardEvent, Turn};

use crate::logic::corpus::{Corpus, EventSummary};

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::JsonLines => "jsonl",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::JsonLines => "application/jsonl;charset=utf-8",
        }
    }
}

/// `stenogram-events-2026-11-28.csv`
pub fn file_name(what: &str, today: NaiveDate, format: Format) -> String {
    format!(
        "stenogram-{what}-{}.{}",
        today.format("%Y-%m-%d"),
        format.extension()
    )
}

/// A row of an export: its CSV columns, and its JSON form via serde.
pub trait Record: Serialize {
    const HEADER: &'static [&'static str];
    /// The cells, in the order of [`Record::HEADER`], not yet quoted.
    fn cells(&self) -> Vec<String>;
}

/// One event, as the timeline card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub id: String,
    /// `YYYY-MM-DD`
    pub date: String,
    pub time: Option<String>,
    pub title: String,
    pub place: Option<String>,
    /// Speaker names, in the index's order.
    pub speakers: Vec<String>,
    pub topics: Vec<String>,
    pub geography: Vec<String>,
    pub turns: u32,
    /// The Stenogram link to the event.
    pub url: String,
}

impl Record for EventRecord {
    const HEADER: &'static [&'static str] = &[
        "id",
        "date",
        "time",
        "title",
        "place",
        "speakers",
        "topics",
        "geography",
        "turns",
        "url",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.date.clone(),
            self.time.clone().unwrap_or_default(),
            self.title.clone(),
            self.place.clone().unwrap_or_default(),
            self.speakers.join("; "),
            self.topics.join("; "),
            self.geography.join("; "),
            self.turns.to_string(),
            self.url.clone(),
        ]
    }
}

/// One speaker turn of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TurnRecord {
    pub event_id: String,
    pub date: String,
    pub title: String,
    pub speaker_id: String,
    pub speaker: String,
    /// The label as printed ("Minister of Foreign Affairs Sergei Lavrov").
    pub label: String,
    /// Block index in the transcript (the turn's anchor is `<event>--<block>`).
    pub block: usize,
    /// Paragraphs joined by a blank line.
    pub text: String,
    /// The Stenogram link to the turn.
    pub url: String,
}

impl Record for TurnRecord {
    const HEADER: &'static [&'static str] = &[
        "event_id",
        "date",
        "title",
        "speaker_id",
        "speaker",
        "label",
        "block",
        "text",
        "url",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.event_id.clone(),
            self.date.clone(),
            self.title.clone(),
            self.speaker_id.clone(),
            self.speaker.clone(),
            self.label.clone(),
            self.block.to_string(),
            self.text.clone(),
            self.url.clone(),
        ]
    }
}

/// The record of an event; `url_of(event_id)` is its Stenogram link.
pub fn event_record(
    corpus: &Corpus,
    e: &EventSummary,
    url_of: &dyn Fn(&str) -> String,
) -> EventRecord {
    let names = |ps: &[u32], name: &dyn Fn(u32) -> String| ps.iter().map(|&p| name(p)).collect();
    EventRecord {
        id: e.id().to_string(),
        date: e.date.format("%Y-%m-%d").to_string(),
        time: e.time.clone(),
        title: e.title.clone(),
        place: e.place.map(|p| corpus.place(p).to_string()),
        speakers: e
            .speakers
            .iter()
            .filter_map(|&p| corpus.speaker_at(p))
            .map(|s| s.name.clone())
            .collect(),
        topics: names(&e.topics, &|p| corpus.topic(p).to_string()),
        geography: names(&e.geography, &|p| corpus.geography(p).to_string()),
        turns: e.turns,
        url: url_of(e.id()),
    }
}

/// Which turns a turns export keeps: `(event, block index, turn)`. The
/// default is [`picked_turns`]; a search can pass its own.
pub type TurnFilter<'a> = dyn Fn(&EventSummary, usize, &Turn) -> bool + 'a;

/// Every turn when nobody is picked, else only the picked speakers' turns.
pub fn picked_turns(picked: &[String]) -> impl Fn(&EventSummary, usize, &Turn) -> bool + '_ {
    move |_, _, turn| picked.is_empty() || picked.contains(&turn.speaker)
}

/// The kept turns of one event (`detail` is its transcript, with speakers
/// filled in); `url_of(event_id, block)` is a turn's Stenogram link.
pub fn turn_records(
    corpus: &Corpus,
    e: &EventSummary,
    detail: &ShardEvent,
    keep: &TurnFilter,
    url_of: &dyn Fn(&str, usize) -> String,
) -> Vec<TurnRecord> {
    detail
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Turn(t) if keep(e, i, t) => Some(TurnRecord {
                event_id: e.id().to_string(),
                date: e.date.format("%Y-%m-%d").to_string(),
                title: e.title.clone(),
                speaker_id: t.speaker.clone(),
                speaker: corpus.speaker_name(&t.speaker).to_string(),
                label: t.label.clone(),
                block: i,
                text: t.paragraphs.join("\n\n"),
                url: url_of(e.id(), i),
            }),
            _ => None,
        })
        .collect()
}

/// `rows` cut into runs of consecutive rows in the same shard, in order:
/// `(shard, range of positions in rows)`. Rows in time order share shards
/// in runs, so each shard is fetched once.
pub fn shard_runs(corpus: &Corpus, rows: &[usize]) -> Vec<(u32, Range<usize>)> {
    let mut runs: Vec<(u32, Range<usize>)> = Vec::new();
    for (i, &row) in rows.iter().enumerate() {
        let Some(e) = corpus.events().get(row) else {
            continue;
        };
        match runs.last_mut() {
            Some((k, range)) if *k == e.shard && range.end == i => range.end = i + 1,
            _ => runs.push((e.shard, i..i + 1)),
        }
    }
    runs
}

/// Bytes of the shards the runs fetch (from the index), for the
/// confirmation of a big export.
pub fn runs_bytes(corpus: &Corpus, runs: &[(u32, Range<usize>)]) -> u64 {
    runs.iter()
        .filter_map(|(k, _)| corpus.shards().get(*k as usize))
        .map(|s| s.bytes)
        .sum()
}

/// One CSV cell: a cell a spreadsheet would read as a formula (it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`;
/// a cell with a comma, quote or line break is quoted, quotes doubled.
pub fn csv_cell(s: &str) -> String {
    let neutral = match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

fn csv_line(cells: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let mut line = cells
        .into_iter()
        .map(|c| csv_cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// An export being written, row by row.
#[derive(Debug, Clone)]
pub struct Export {
    format: Format,
    out: String,
    rows: usize,
}

impl Export {
    /// A CSV export starts with the BOM and the header line.
    pub fn new<R: Record>(format: Format) -> Export {
        let out = match format {
            Format::Csv => format!("\u{feff}{}", csv_line(R::HEADER)),
            Format::JsonLines => String::new(),
        };
        Export {
            format,
            out,
            rows: 0,
        }
    }

    pub fn push<R: Record>(&mut self, record: &R) {
        match self.format {
            Format::Csv => self.out.push_str(&csv_line(record.cells())),
            Format::JsonLines => {
                // Plain strings and numbers: serialising cannot fail; if it
                // ever did, the row is left out rather than the page broken.
                let Ok(json) = serde_json::to_string(record) else {
                    return;
                };
                self.out.push_str(&json);
                self.out.push('\n');
            }
        }
        self.rows += 1;
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::filter::Filter;
    use crate::logic::fixture;
    use crate::logic::timeline::{filtered_rows, SortOrder};
    use crate::logic::url_state::ViewState;

    fn rows_of(c: &Corpus, state: &ViewState) -> Vec<usize> {
        filtered_rows(c, &Filter::from_state(state, c), state.sort)
    }

    fn url(id: &str) -> String {
        format!("https://x/?open={id}")
    }

    fn turn_url(id: &str, block: usize) -> String {
        format!("https://x/?open={id}#{id}--{block}")
    }

    /// A minimal RFC 4180 reader, to check what a spreadsheet would see.
    fn parse_csv(s: &str) -> Vec<Vec<String>> {
        let s = s.strip_prefix('\u{feff}').expect("BOM");
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        assert!(cell.is_empty() && row.is_empty(), "ends with CRLF");
        rows
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell(""), "");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(csv_cell("Привет"), "Привет");
    }

    #[test]
    fn csv_neutralises_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\r=1"), "\"'\r=1\"");
        // Only at the start.
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    #[test]
    fn events_export_as_csv() {
        let c = fixture::corpus();
        let rows = rows_of(&c, &ViewState::default());
        let mut export = Export::new::<EventRecord>(Format::Csv);
        for &row in &rows {
            export.push(&event_record(&c, &c.events()[row], &url));
        }
        assert_eq!(export.rows(), 2);
        let text = export.finish();
        assert!(text.starts_with(
            "\u{feff}id,date,time,title,place,speakers,topics,geography,turns,url\r\n"
        ));
        let parsed = parse_csv(&text);
        assert_eq!(parsed.len(), 3);
        // Newest first, as the timeline shows them by default.
        assert_eq!(parsed[1][0], fixture::PEACEKEEPING);
        assert!(parsed.iter().all(|r| r.len() == EventRecord::HEADER.len()));
        assert_eq!(parsed[1][9], url(fixture::PEACEKEEPING));
        assert!(
            parsed[1][5].contains("Vladimir Putin; "),
            "{:?}",
            parsed[1][5]
        );
    }

    #[test]
    fn rows_follow_the_filter_and_the_order() {
        let c = fixture::corpus();
        let state = ViewState {
            speakers: vec!["sergei-lavrov".into()],
            ..ViewState::default()
        };
        let rows = rows_of(&c, &state);
        assert_eq!(rows.len(), 1);
        assert_eq!(c.events()[rows[0]].id(), fixture::PEACEKEEPING);
        let oldest = ViewState {
            sort: SortOrder::OldestFirst,
            ..ViewState::default()
        };
        assert_eq!(c.events()[rows_of(&c, &oldest)[0]].id(), fixture::NUREMBERG);
    }

    #[test]
    fn events_export_as_json_lines() {
        let c = fixture::corpus();
        let mut export = Export::new::<EventRecord>(Format::JsonLines);
        export.push(&event_record(&c, &c.events()[0], &url));
        let text = export.finish();
        assert!(text.ends_with('\n'));
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(v["id"], fixture::NUREMBERG);
        assert_eq!(v["date"], "2020-11-20");
        assert!(v["speakers"].is_array());
        assert_eq!(v["turns"], c.events()[0].turns);
    }

    fn hostile_event() -> (EventSummary, ShardEvent) {
        let e = EventSummary {
            id: "2020-01-01-x".into(),
            id_suffix: 1,
            date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            time: None,
            title: "=cmd|' /C calc'!A0, \"quoted\"".into(),
            place: None,
            speakers: vec![],
            topics: vec![],
            geography: vec![],
            turns: 3,
            shard: 0,
            row: 0,
        };
        let detail = ShardEvent {
            id: e.id().to_string(),
            lead: vec![],
            participants: vec![],
            blocks: vec![
                fixture::turn("sergei-lavrov", "Sergei Lavrov", &["-1", "two,\n\"lines\""]),
                Block::Paragraph {
                    text: "narration".into(),
                },
                fixture::turn("vladimir-putin", "Vladimir Putin", &["@me"]),
                fixture::turn("sergei-lavrov", "Sergei Lavrov", &[]),
            ],
            persons: vec![],
            sections: vec![],
            publication_date: None,
            source: stenogram_corpus::model::SourceRef {
                file: "x.txt".into(),
                line: 1,
            },
        };
        (e, detail)
    }

    #[test]
    fn turns_of_the_picked_speakers_only() {
        let c = fixture::corpus();
        let (e, detail) = hostile_event();
        let picked = vec!["sergei-lavrov".to_string()];
        let rows = turn_records(&c, &e, &detail, &picked_turns(&picked), &turn_url);
        assert_eq!(rows.iter().map(|r| r.block).collect::<Vec<_>>(), vec![0, 3]);
        assert_eq!(rows[0].text, "-1\n\ntwo,\n\"lines\"");
        assert_eq!(rows[0].speaker, "Sergei Lavrov");
        assert_eq!(rows[0].url, "https://x/?open=2020-01-01-x#2020-01-01-x--0");
        let all = turn_records(&c, &e, &detail, &picked_turns(&[]), &turn_url);
        assert_eq!(all.len(), 3);
        // Any predicate: e.g. what a search matched.
        let only_second = |_: &EventSummary, block: usize, _: &Turn| block == 2;
        assert_eq!(
            turn_records(&c, &e, &detail, &only_second, &turn_url).len(),
            1
        );
    }

    #[test]
    fn hostile_turns_round_trip_through_csv_and_json() {
        let c = fixture::corpus();
        let (e, detail) = hostile_event();
        let records = turn_records(&c, &e, &detail, &picked_turns(&[]), &turn_url);
        let mut csv = Export::new::<TurnRecord>(Format::Csv);
        let mut jsonl = Export::new::<TurnRecord>(Format::JsonLines);
        for r in &records {
            csv.push(r);
            jsonl.push(r);
        }
        let parsed = parse_csv(&csv.finish());
        assert_eq!(parsed.len(), 1 + records.len());
        assert_eq!(parsed[0], TurnRecord::HEADER);
        assert_eq!(parsed[1][2], "'=cmd|' /C calc'!A0, \"quoted\"");
        assert_eq!(parsed[1][7], "'-1\n\ntwo,\n\"lines\"");
        assert_eq!(parsed[2][7], "'@me");
        assert_eq!(parsed[3][7], "");
        let jsonl = jsonl.finish();
        assert_eq!(jsonl.lines().count(), records.len());
        let back: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
        // JSON is data: not neutralised.
        assert_eq!(back["text"], "-1\n\ntwo,\n\"lines\"");
        assert_eq!(back["title"], e.title);
    }

    #[test]
    fn shards_are_fetched_once_per_run() {
        let c = fixture::corpus();
        assert_eq!(shard_runs(&c, &[1, 0]), vec![(0, 0..2)]);
        assert_eq!(shard_runs(&c, &[]), vec![]);
        // A row that is not there is skipped, not a panic.
        assert_eq!(shard_runs(&c, &[0, 99]), vec![(0, 0..1)]);
        assert_eq!(runs_bytes(&c, &shard_runs(&c, &[0])), c.shards()[0].bytes);
    }

    #[test]
    fn file_names() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(
            file_name("events", d, Format::Csv),
            "stenogram-events-2026-11-28.csv"
        );
        assert_eq!(
            file_name("turns", d, Format::JsonLines),
            "stenogram-turns-2026-11-28.jsonl"
        );
    }
}
