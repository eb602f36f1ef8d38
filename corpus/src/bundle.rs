//! Files and folders in, one [`Bundle`] out.
//!
//! The bundle writer never stops at the first bad record: every problem
//! becomes a [`Diagnostic`] naming file, line and reason, and the counts in
//! [`Summary`] always add up (`records_read = records_written + records_rejected`).

use std::fmt;
use std::path::{Path, PathBuf};

use std::collections::HashSet;

use crate::model::{event_id, Bundle, Event, Summary, SCHEMA_VERSION};
use crate::parse::{parse_record, split_records, unglue};
use crate::speakers::resolve;
use crate::text::decode_lines;

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

fn file_diag(p: &Path, reason: &str) -> Diagnostic {
    Diagnostic {
        file: p.display().to_string(),
        line: 0,
        reason: reason.to_string(),
    }
}

/// The records of one file, parsed, and what was wrong in it.
#[derive(Debug, Default)]
pub struct FileParse {
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
    /// Records found (including rejected ones and stray text chunks).
    pub records_read: u32,
}

/// Parses one file's bytes. `name` is used in events' sources and diagnostics.
pub fn parse_file(name: &str, bytes: &[u8]) -> FileParse {
    let lines = unglue(decode_lines(bytes));
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
    for rec in &split.records {
        out.records_read += 1;
        match parse_record(name, rec) {
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
fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Event ids: `YYYY-MM-DD-title-slug`, the slug cut at a word boundary,
/// with `-2`, `-3`, ... on collision, so ids are unique and stable.
pub fn assign_ids(events: &mut [Event]) {
    let mut issued: HashSet<String> = HashSet::new();
    for e in events.iter_mut() {
        // A suffixed id may equal another title's natural id ("Same" twice,
        // then "Same 2"): take the next number that no event holds yet.
        let mut n = 1;
        let mut id = event_id(e.date, &e.title, n);
        while !issued.insert(id.clone()) {
            n += 1;
            id = event_id(e.date, &e.title, n);
        }
        e.id = id;
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
    let s = &outcome.bundle.summary;
    for d in &outcome.diagnostics {
        let _ = writeln!(out, "warning: {d}");
    }
    let _ = writeln!(
        out,
        "stenogram: {} file(s), {} record(s) read = {} written + {} rejected; {} speaker(s)",
        s.files_read,
        s.records_read,
        s.records_written,
        s.records_rejected,
        outcome.bundle.speakers.len()
    );
    if s.records_written == 0 {
        let _ = writeln!(out, "error: no record could be read");
        return false;
    }
    if strict && (s.records_rejected > 0 || !outcome.diagnostics.is_empty()) {
        let _ = writeln!(
            out,
            "error: --strict: {} problem(s) in the input",
            outcome.diagnostics.len()
        );
        return false;
    }
    true
}
