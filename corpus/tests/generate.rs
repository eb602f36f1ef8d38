//! The scale corpus generator: what it writes parses back with no rejected
//! record and exactly N events, differs from its source only in the title,
//! date and publication-date lines, and is the same on every run. Needs the
//! dev set (`../shared` beside the checkout); skipped with a message without it.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use stenogram_corpus::bundle::{bundle_paths, parse_file};
use stenogram_corpus::generate::{date_of, generate};
use stenogram_corpus::parse::{split_records, unglue};
use stenogram_corpus::text::decode_lines;

fn dev_set() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/kremlin-dev");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: the dev set is expected at {} (a checkout with ../shared beside it)",
            dir.display()
        );
        None
    }
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// The normalised lines of every record of `bytes`, record by record.
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let lines = unglue(decode_lines(bytes));
    split_records(&lines)
        .records
        .iter()
        .map(|r| r.lines.iter().map(|l| l.text.clone()).collect())
        .collect()
}

#[test]
fn three_hundred_events_from_the_dev_set_parse_back_and_repeat() {
    let Some(dev) = dev_set() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let g = generate(&dev, 300, &a).unwrap();
    assert_eq!((g.events, g.source_records), (300, 1094));
    generate(&dev, 300, &b).unwrap();
    assert_eq!(files(&a), files(&b), "two runs differ");
    assert_eq!(files(&a).len(), 27, "one file per year 2000..=2026");
    assert_eq!(
        g.bytes,
        files(&a).values().map(|v| v.len() as u64).sum::<u64>()
    );

    let outcome = bundle_paths(&[a]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let s = &outcome.bundle.summary;
    assert_eq!((s.records_read, s.records_written), (300, 300));
    let dates: Vec<_> = outcome.bundle.events.iter().map(|e| e.date).collect();
    assert_eq!(dates, (0..300).map(|k| date_of(k, 300)).collect::<Vec<_>>());
}

#[test]
fn copies_differ_from_their_source_in_title_date_and_publication_date_only() {
    let Some(dev) = dev_set() else { return };
    let source = dev.join("kremlin_en_2010.txt");
    let src_bytes = std::fs::read(&source).unwrap();
    let src = records(&src_bytes);
    let cycle = src.len();
    assert!(cycle > 1);
    let n = cycle * 4 + 3;
    let tmp = tempfile::tempdir().unwrap();
    let g = generate(&source, n, tmp.path()).unwrap();
    assert_eq!(g.source_records, cycle);

    let mut generated = Vec::new();
    let mut ids = HashSet::new();
    for (name, bytes) in files(tmp.path()) {
        let fp = parse_file(&name, &bytes);
        assert!(fp.diagnostics.is_empty(), "{:?}", fp.diagnostics);
        generated.extend(records(&bytes).into_iter().zip(fp.events));
    }
    assert_eq!(generated.len(), n);
    let src_events = parse_file("src", &src_bytes).events;
    for (k, (lines, event)) in generated.iter().enumerate() {
        let original = &src[k % cycle];
        let copy = k / cycle;
        assert_eq!(lines.len(), original.len(), "copy {k}");
        let changed: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i] != original[i])
            .collect();
        assert!(changed.len() <= 3, "copy {k}: lines {changed:?} changed");
        let title = &src_events[k % cycle].title;
        if copy == 0 {
            assert_eq!(&event.title, title);
        } else {
            assert_eq!(event.title, format!("{title} (copy {})", copy + 1));
        }
        assert_eq!(event.date, date_of(k, n));
        // The publication date moved with the event's date.
        let shift = event.date - src_events[k % cycle].date;
        let printed = |p: &Option<String>| {
            p.as_deref()
                .map(|p| p.split(", ").take(2).collect::<Vec<_>>().join(", "))
        };
        let (Some(old), Some(new)) = (
            printed(&src_events[k % cycle].publication_date),
            printed(&event.publication_date),
        ) else {
            continue;
        };
        let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%B %d, %Y").unwrap();
        assert_eq!(parse(&new) - parse(&old), shift, "copy {k}");
        ids.insert((event.date, event.title.clone()));
    }
    assert!(ids.len() > cycle, "copies got distinct titles and dates");
}
