//! Files and folders in, one [`Bundle`] out.
//!
//! The bundle writer never stops at the first bad record: every problem
//! becomes a [`Diagnostic`] naming file, line and reason, and the counts in
//! [`Summary`] always add up (`records_read = records_written + records_rejected`).

use std::fmt;
use std::path::{Path, PathBuf};

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::{event_id, Bundle, Event, Summary, SCHEMA_VERSION};
use crate::parse::{parse_record, split_records, unglue, RawRecord};
use crate::speakers::resolve;
use crate::text::{decode_lines, decode_lines_par, Line};
use rayon::prelude::*;

/// A problem found in the input. Displayed as `file:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: u32,
    pub reason: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// The result of bundling: the bundle and what went wrong on the way.
#[derive(Debug, Clone)]
pub struct BundleOutcome {
    pub bundle: Bundle,
    pub diagnostics: Vec<Diagnostic>,
}

/// Expands the given paths into input files: a file is taken as it is, a
/// folder contributes its `*.txt` files (recursively, sorted by path).
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk_txt(p, &mut found, &mut diags);
            found.sort();
            if found.is_empty() {
                diags.push(file_diag(p, "folder holds no .txt files"));
            }
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            diags.push(file_diag(p, "no such file or folder"));
        }
    }
    (files, diags)
}

fn walk_txt(dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return diags.push(file_diag(dir, &format!("cannot read folder: {e}"))),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk_txt(&path, out, diags);
        } else if path.extension().is_some_and(|x| x == "txt") {
            out.push(path);
        }
    }
}

pub(crate) fn file_diag(p: &Path, reason: &str) -> Diagnostic {
    Diagnostic {
        file: p.display().to_string(),
        line: 0,
        reason: reason.to_string(),
    }
}

/// The records of one file, parsed, and what was wrong in it.
#[derive(Debug)]
pub struct FileParse<T = Event> {
    /// The parsed records, in file order (as events, or whatever
    /// [`parse_file_map`] made of them).
    pub events: Vec<T>,
    pub diagnostics: Vec<Diagnostic>,
    /// Records found (including rejected ones and stray text chunks).
    pub records_read: u32,
}

impl<T> Default for FileParse<T> {
    fn default() -> Self {
        FileParse {
            events: Vec::new(),
            diagnostics: Vec::new(),
            records_read: 0,
        }
    }
}

/// Parses one file's bytes. `name` is used in events' sources and diagnostics.
pub fn parse_file(name: &str, bytes: &[u8]) -> FileParse {
    parse_file_map(name, bytes, false, |e| e)
}

/// Parses one file's bytes and hands each event to `f` as soon as it is
/// parsed (so that a caller that keeps only part of it never holds a whole
/// file's events). With `parallel`, records are parsed on rayon's pool;
/// results and diagnostics come in file order either way.
pub fn parse_file_map<T: Send>(
    name: &str,
    bytes: &[u8],
    parallel: bool,
    f: impl Fn(Event) -> T + Sync + Send,
) -> FileParse<T> {
    let lines = if parallel {
        decode_lines_par(bytes, 1 << 20)
    } else {
        decode_lines(bytes)
    };
    parse_lines_map(name, lines, parallel, f)
}

/// [`parse_file_map`] on lines already decoded (so that the caller can let
/// go of the file's bytes first).
pub fn parse_lines_map<T: Send>(
    name: &str,
    lines: Vec<Line>,
    parallel: bool,
    f: impl Fn(Event) -> T + Sync + Send,
) -> FileParse<T> {
    let lines = unglue(lines);
    let split = split_records(&lines);
    let mut out = FileParse::default();
    for &(first, last) in &split.strays {
        out.records_read += 1;
        let reason = if split.records.is_empty() {
            format!("not a kremlin.ru text export: no record opens with an 'Events' line (lines {first}-{last} skipped)")
        } else {
            format!("text outside any record (lines {first}-{last}): expected 'Events' to open a record; skipped")
        };
        out.diagnostics.push(Diagnostic {
            file: name.to_string(),
            line: first,
            reason,
        });
    }
    let one = |rec: &RawRecord<'_>| parse_record(name, rec).map(&f);
    let results: Vec<Result<T, Diagnostic>> = if parallel {
        split.records.par_iter().map(one).collect()
    } else {
        split.records.iter().map(one).collect()
    };
    for r in results {
        out.records_read += 1;
        match r {
            Ok(e) => out.events.push(e),
            Err(d) => out.diagnostics.push(d),
        }
    }
    out.diagnostics.sort_by_key(|d| d.line);
    out
}

/// Parses every input file and builds the bundle.
pub fn bundle_paths(paths: &[PathBuf]) -> BundleOutcome {
    let (files, mut diagnostics) = collect_inputs(paths);
    let mut inputs = Vec::with_capacity(files.len());
    for f in &files {
        match std::fs::read(f) {
            Ok(bytes) => inputs.push((display_name(f), bytes)),
            Err(e) => diagnostics.push(file_diag(f, &format!("cannot read file: {e}"))),
        }
    }
    let mut outcome = bundle_bytes(&inputs);
    diagnostics.append(&mut outcome.diagnostics);
    outcome.diagnostics = diagnostics;
    outcome
}

/// Builds a bundle from in-memory files `(name, bytes)`.
pub fn bundle_bytes(inputs: &[(String, Vec<u8>)]) -> BundleOutcome {
    let mut events = Vec::new();
    let mut diagnostics = Vec::new();
    let mut summary = Summary::default();
    for (name, bytes) in inputs {
        let mut fp = parse_file(name, bytes);
        summary.files_read += 1;
        summary.records_read += fp.records_read;
        summary.records_rejected += fp.diagnostics.len() as u32;
        events.append(&mut fp.events);
        diagnostics.append(&mut fp.diagnostics);
    }
    summary.records_written = events.len() as u32;
    assign_ids(&mut events);
    let speakers = resolve(&mut events);
    BundleOutcome {
        bundle: Bundle {
            schema_version: SCHEMA_VERSION,
            events,
            speakers,
            summary,
        },
        diagnostics,
    }
}

/// File name without folders: what a reader needs to find the file.
pub(crate) fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Event ids: `YYYY-MM-DD-title-slug`, the slug cut at a word boundary,
/// with `-2`, `-3`, ... on collision, so ids are unique and stable.
pub fn assign_ids(events: &mut [Event]) {
    let mut ids = IdIssuer::default();
    for e in events.iter_mut() {
        e.id = ids.issue(e.date, &e.title).0;
    }
}

/// Issues event ids in corpus order ([`assign_ids`] in memory, the site
/// writer over its rows): the same sequence of dates and titles gets the
/// same ids.
#[derive(Debug, Default)]
pub struct IdIssuer {
    issued: HashSet<String>,
}

impl IdIssuer {
    /// The id of the next event and its collision number `n` (1 when the
    /// natural id was free; see [`event_id`]).
    pub fn issue(&mut self, date: NaiveDate, title: &str) -> (String, u32) {
        // A suffixed id may equal another title's natural id ("Same" twice,
        // then "Same 2"): take the next number that no event holds yet.
        let mut n = 1;
        let mut id = event_id(date, title, n);
        while self.issued.contains(&id) {
            n += 1;
            id = event_id(date, title, n);
        }
        self.issued.insert(id.clone());
        (id, n)
    }
}

/// Writes the bundle as compact JSON, creating parent folders.
pub fn write_bundle(bundle: &Bundle, out: &Path) -> std::io::Result<()> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let json = serde_json::to_vec(bundle).map_err(std::io::Error::other)?;
    std::fs::write(out, json)
}

/// Prints the diagnostics as warnings and the summary; returns whether the
/// run succeeded: at least one record written, and none rejected if `strict`.
pub fn report(outcome: &BundleOutcome, strict: bool, out: &mut dyn std::io::Write) -> bool {
    report_counts(
        &outcome.bundle.summary,
        outcome.bundle.speakers.len(),
        &outcome.diagnostics,
        strict,
        out,
    )
}

/// [`report`] for any run (the in-memory bundle or the site writer): the
/// diagnostics as warnings, the summary, and whether the run succeeded.
pub fn report_counts(
    s: &Summary,
    speakers: usize,
    diagnostics: &[Diagnostic],
    strict: bool,
    out: &mut dyn std::io::Write,
) -> bool {
    for d in diagnostics {
        let _ = writeln!(out, "warning: {d}");
    }
    let _ = writeln!(
        out,
        "stenogram: {} file(s), {} record(s) read = {} written + {} rejected; {} speaker(s)",
        s.files_read, s.records_read, s.records_written, s.records_rejected, speakers
    );
    if s.records_written == 0 {
        let _ = writeln!(out, "error: no record could be read");
        return false;
    }
    if strict && (s.records_rejected > 0 || !diagnostics.is_empty()) {
        let _ = writeln!(
            out,
            "error: --strict: {} problem(s) in the input",
            diagnostics.len()
        );
        return false;
    }
    true
}
