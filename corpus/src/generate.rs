//! A deterministic scale corpus in the raw export format, for benchmarks.
//!
//! The records of a set of raw files (the dev set) are cut out byte for
//! byte, and cycled until there are `N` events. Copy `k` (0-based) gets a
//! date spread evenly over 2000-01-01 ..= 2026-12-31, written into the
//! record's date line, and its publication date moved by the same number of
//! days; copies after the first pass get " (copy c)" appended to the title
//! (c = 2, 3, ...), so that titles, and with them ids, differ. Every other
//! byte of a record is kept. Records are concatenated as in the export (each
//! boundary reads `Text versionEvents`) into one file per year,
//! `kremlin_scale_YYYY.txt`.
//!
//! The same input gives the same output, byte for byte: no clock, no
//! randomness, no hash-map order.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};

use crate::bundle::collect_inputs;
use crate::parse::{parse_date, parse_record, split_records, unglue};
use crate::text::decode_lines;

/// The span the generated dates cover.
pub const FIRST_DAY: (i32, u32, u32) = (2000, 1, 1);
pub const LAST_DAY: (i32, u32, u32) = (2026, 12, 31);

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Events written.
    pub events: usize,
    /// Records found in the source (the cycle's length).
    pub source_records: usize,
    /// Files written, in year order.
    pub files: Vec<PathBuf>,
    /// Bytes written over all files.
    pub bytes: u64,
}

/// One source record: its raw bytes cut into physical lines, and which of
/// them to rewrite.
struct Record {
    /// Physical lines without their line break; the first starts at
    /// `Events`, the last ends with `Text version`.
    lines: Vec<Vec<u8>>,
    /// Line (index into `lines`) holding the title.
    title: usize,
    /// Line holding the date, and the date.
    date_line: usize,
    date: NaiveDate,
    /// Line holding "Publication date: ...", and the date printed there.
    publication: Option<(usize, NaiveDate)>,
}

/// Reads the records of every `.txt` file under `from` (files in path
/// order): only records that parse cleanly, so the copies parse back.
fn source_records(from: &Path) -> io::Result<Vec<Record>> {
    let (files, diagnostics) = collect_inputs(&[from.to_path_buf()]);
    if files.is_empty() {
        let why = diagnostics
            .first()
            .map_or_else(|| "no input".to_string(), ToString::to_string);
        return Err(io::Error::new(io::ErrorKind::NotFound, why));
    }
    let mut records = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f)?;
        // Physical lines, as byte ranges (numbered from 1 like `Line::no`).
        let mut raw: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        if raw.last().is_some_and(|l| l.is_empty()) {
            raw.pop();
        }
        let lines = unglue(decode_lines(&bytes));
        let split = split_records(&lines);
        for rec in &split.records {
            if parse_record("", rec).is_err() {
                continue;
            }
            let (Some(first), Some(last)) = (rec.lines.first(), rec.lines.last()) else {
                continue;
            };
            let (a, b) = (first.no as usize, last.no as usize);
            if a == 0 || b > raw.len() || a >= b {
                continue;
            }
            let mut out: Vec<Vec<u8>> = raw[a - 1..b].iter().map(|l| l.to_vec()).collect();
            // Glued boundaries: keep only this record's half of the line.
            let head = &out[0];
            let Some(start) = find(head, b"Events") else {
                continue;
            };
            out[0] = head[start..].to_vec();
            let tail = &out[out.len() - 1];
            let Some(end) = find(tail, b"Text version") else {
                continue;
            };
            let n = out.len();
            out[n - 1] = tail[..end + "Text version".len()].to_vec();
            let at = |no: u32| no as usize - a;
            let Some((date_line, date)) = rec
                .lines
                .iter()
                .skip(2)
                .find_map(|l| parse_date(&l.text).map(|d| (at(l.no), d)))
            else {
                continue;
            };
            let publication = rec.lines.iter().rev().find_map(|l| {
                let printed = l.text.trim().strip_prefix("Publication date:")?.trim();
                let day = printed.rsplit_once(", ").map_or(printed, |(d, _)| d);
                parse_date(day).map(|d| (at(l.no), d))
            });
            records.push(Record {
                title: at(rec.lines[1].no),
                lines: out,
                date_line,
                date,
                publication,
            });
        }
    }
    Ok(records)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn printed(date: NaiveDate) -> String {
    date.format("%B %-d, %Y").to_string()
}

/// Date of event `k` of `n`: spread evenly over [`FIRST_DAY`] ..= [`LAST_DAY`].
pub fn date_of(k: usize, n: usize) -> NaiveDate {
    let day = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let (first, last) = (day(FIRST_DAY), day(LAST_DAY));
    let span = (last - first).num_days() as u128;
    let offset = if n <= 1 {
        0
    } else {
        (k as u128 * span / (n as u128 - 1)) as i64
    };
    first + Duration::days(offset)
}

/// Writes copy `k` (of `n`) of `rec` to `out`, without a final line break.
fn write_copy(
    out: &mut impl Write,
    rec: &Record,
    k: usize,
    n: usize,
    cycle: usize,
) -> io::Result<()> {
    let date = date_of(k, n);
    let shift = date - rec.date;
    let copy = k / cycle;
    for (i, line) in rec.lines.iter().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        // Trailing white space (a CR) stays where it was.
        let text = String::from_utf8_lossy(line);
        let body = text.trim_end();
        let trail = &line[body.len().min(line.len())..];
        if i == rec.title && copy > 0 {
            out.write_all(body.as_bytes())?;
            write!(out, " (copy {})", copy + 1)?;
            out.write_all(trail)?;
        } else if i == rec.date_line {
            // The date line is the date alone (else it would not be one).
            out.write_all(printed(date).as_bytes())?;
            out.write_all(trail)?;
        } else if let Some((_, old)) = rec.publication.filter(|&(p, _)| p == i) {
            let old_text = printed(old);
            let new = old.checked_add_signed(shift).map(printed);
            match (find(line, old_text.as_bytes()), new) {
                (Some(at), Some(new)) => {
                    out.write_all(&line[..at])?;
                    out.write_all(new.as_bytes())?;
                    out.write_all(&line[at + old_text.len()..])?;
                }
                _ => out.write_all(line)?,
            }
        } else {
            out.write_all(line)?;
        }
    }
    Ok(())
}

/// Writes `n` events copied from the raw files under `from` into `out`
/// (created if needed), one `kremlin_scale_YYYY.txt` per year.
pub fn generate(from: &Path, n: usize, out: &Path) -> io::Result<Generated> {
    let records = source_records(from)?;
    if records.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: no record that parses cleanly", from.display()),
        ));
    }
    std::fs::create_dir_all(out)?;
    let cycle = records.len();
    let mut files = Vec::new();
    let mut bytes = 0;
    let mut k = 0;
    while k < n {
        let year = date_of(k, n).format("%Y").to_string();
        let path = out.join(format!("kremlin_scale_{year}.txt"));
        let mut w = Counting::new(BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&path)?,
        ));
        while k < n && date_of(k, n).format("%Y").to_string() == year {
            write_copy(&mut w, &records[k % cycle], k, n, cycle)?;
            k += 1;
        }
        w.write_all(b"\n")?;
        w.flush()?;
        bytes += w.count;
        files.push(path);
    }
    // Files of an earlier, longer run would otherwise join this corpus.
    for entry in std::fs::read_dir(out)?.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("kremlin_scale_") && name.ends_with(".txt") && !files.contains(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(Generated {
        events: n,
        source_records: cycle,
        files,
        bytes,
    })
}

/// A writer that counts what passes through it.
struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W> Counting<W> {
    fn new(inner: W) -> Self {
        Counting { inner, count: 0 }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_spread_over_the_span() {
        assert_eq!(date_of(0, 10), NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        assert_eq!(
            date_of(9, 10),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert_eq!(date_of(0, 1), NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        let d: Vec<_> = (0..1000).map(|k| date_of(k, 1000)).collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
    }
}
