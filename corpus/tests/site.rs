//! The site writer (index + shards) against the in-memory bundle: the same
//! events, ids, speakers and counts, content-addressed shards, byte-identical
//! reruns, and bad or empty input without a panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stenogram_corpus::bundle::{bundle_paths, BundleOutcome};
use stenogram_corpus::model::{Event, Index, Shard};
use stenogram_corpus::site::{read_site, reassemble, write_site, SiteOptions, SiteOutcome};
use xxhash_rust::xxh3::xxh3_64;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn options(shard_bytes: usize) -> SiteOptions {
    SiteOptions {
        shard_bytes,
        ..SiteOptions::default()
    }
}

/// Every file under `dir` (relative path -> bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Writes the site for `paths` and checks it against `bundle_paths`.
fn site_matches_bundle(paths: &[PathBuf], shard_bytes: usize) -> (SiteOutcome, BundleOutcome) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("data");
    let site = write_site(paths, &out, &options(shard_bytes)).unwrap();
    let expected = bundle_paths(paths);

    let shown = |d: &[stenogram_corpus::bundle::Diagnostic]| -> Vec<String> {
        d.iter().map(ToString::to_string).collect()
    };
    assert_eq!(shown(&site.diagnostics), shown(&expected.diagnostics));

    let (index, shards) = read_site(&out).unwrap();
    assert_eq!(index, site.index);
    assert_eq!(index.summary, expected.bundle.summary);
    assert_eq!(index.speakers, expected.bundle.speakers);
    assert!(index.events.is_consistent());
    let s = &index.summary;
    assert_eq!(s.records_read, s.records_written + s.records_rejected);

    // Rows: date, then time (none first), then input order.
    let mut want: Vec<Event> = expected.bundle.events.clone();
    want.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
    let got = reassemble(&index, &shards).unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "event {}", w.id);
    }
    assert_eq!(index.events.turns.iter().sum::<u32>(), {
        want.iter()
            .map(|e| e.turns().filter(|t| !t.continued).count() as u32)
            .sum::<u32>()
    });

    // Shards: named by the hash of their bytes, sized as the index says,
    // within the target unless a single event, exactly serde's JSON.
    let files = tree(&out);
    // The search index's files are checked by tests/search.rs.
    let search = files.keys().filter(|f| f.starts_with("search/")).count();
    assert!(search >= 1 && index.search.is_some());
    assert_eq!(
        files.len(),
        1 + index.shards.len() + search,
        "{:?}",
        files.keys()
    );
    for (meta, shard) in index.shards.iter().zip(&shards) {
        let rel = meta.path.strip_prefix("data/").unwrap();
        let bytes = &files[rel];
        assert_eq!(
            meta.path,
            format!("data/shards/{:016x}.json", xxh3_64(bytes))
        );
        assert_eq!(meta.bytes, bytes.len() as u64);
        assert!(meta.count == 1 || bytes.len() <= shard_bytes.max(1));
        assert_eq!(&serde_json::to_vec(shard).unwrap(), bytes);
        assert!(!String::from_utf8_lossy(bytes).contains("\"speaker\""));
    }
    assert_eq!(
        serde_json::to_vec(&index).unwrap(),
        files["index.json"],
        "index.json is compact serde JSON"
    );

    // Months cover every row.
    assert_eq!(
        index.months.counts.iter().sum::<u32>() as usize,
        index.events.len()
    );
    (site, expected)
}

/// A file of records covering the layout variants, out of date order, with
/// duplicate titles, continued turns and no-time events.
fn variants_fixture(dir: &Path) -> PathBuf {
    let rec = |title: &str, header: &str, body: &str, footer: &str| {
        format!("Events\n{title}\n{header}\n{body}\n{footer}Publication status\nPublished in sections: News, Transcripts\nPublication date: May 9, 2019, 10:00\nText version")
    };
    let records = [
        rec(
            "Meeting with Government members",
            "First lead.\nSecond lead.\nMay 9, 2019\n10:00\nRed Square, Moscow",
            "President of Russia Vladimir Putin: Good afternoon.\nAt the meeting.\nThe speech goes on.\nDefence Minister Sergei Shoigu: Comrade Supreme Commander-in-Chief,\n2 of 6\nA caption.\n* * *\nSee also\nAll news\nJanuary 28, 2013\nQuestion: And?\nVLADIMIR PUTIN: Yes.\nV.Putin: Fine.",
            "Geography\nFrance\nTopics\nForeign policy\nCulture\nPersons\nPutin Vladimir\nShoigu Sergei\n",
        ),
        rec(
            "Meeting with Government members",
            "May 9, 2019",
            "Vladimir Putin: Again.\nPresident of Armenia Serzh Sargsyan\n: Mr Putin, thank you.",
            "Topics\nCulture\n",
        ),
        rec(
            "Meeting with Government members",
            "May 9, 2019\n09:00",
            "Opening remarks\nVladimir Putin (retranslated): Early.\nRemark: Yes.",
            "",
        ),
        rec(
            "Telephone conversation with Emmanuel Macron",
            "March 1, 2017\n12:30\nThe Kremlin, Moscow",
            "The conversation was attended by Foreign Minister Sergei Lavrov\nand Defence Minister Sergei Shoigu.\nEmmanuel Macron:Merci.",
            "Geography\nFrance\n",
        ),
        rec(
            "A trip",
            "December 31, 2020",
            "Narration only.",
            "Geography\nRussia\n",
        ),
    ];
    let path = dir.join("variants.txt");
    std::fs::write(&path, records.join("")).unwrap();
    path
}

#[test]
fn the_seed_site_matches_the_bundle() {
    let paths = [repo().join("data")];
    for target in [0, 1024, 128 * 1024] {
        let (site, bundle) = site_matches_bundle(&paths, target);
        assert_eq!(site.index.events.len(), bundle.bundle.events.len());
        assert!(!site.index.shards.is_empty());
    }
    let (site, _) = site_matches_bundle(&paths, 0);
    assert_eq!(site.index.shards.len(), site.index.events.len());
}

#[test]
fn the_variants_site_matches_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = [variants_fixture(tmp.path())];
    for target in [0, 600, 128 * 1024] {
        let (site, bundle) = site_matches_bundle(&paths, target);
        assert!(bundle.diagnostics.is_empty(), "{:?}", bundle.diagnostics);
        let idx = &site.index;
        assert_eq!(idx.events.len(), 5);
        // Sorted: 2017, then 9 May 2019 with no time, 09:00, 10:00, then 2020.
        assert_eq!(idx.events.date[0].to_string(), "2017-03-01");
        assert_eq!(
            idx.events.time[1..4],
            [None, Some("09:00".into()), Some("10:00".into())]
        );
        // Three "Meeting with Government members" on one day: suffixes 2 and 3
        // in input order, whatever the rows' order.
        let mut suffixes = idx.events.id_suffixes.clone();
        suffixes.sort();
        assert_eq!(suffixes, vec![(1, 2), (2, 3)]);
        // "Opening remarks" after a time reads as a place, as in the bundle.
        assert_eq!(idx.places.len(), 3);
        assert_eq!(idx.geography, ["France", "Russia"]);
        assert_eq!(idx.months.counts.len(), 46);
        // Roles over time: dated by the events whose labels print them.
        let span = |id: &str| {
            let s = idx.speakers.iter().find(|s| s.id == id).unwrap();
            s.role_spans
                .iter()
                .map(|r| (r.role.clone(), r.first.to_string(), r.last.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            span("vladimir-putin"),
            [(
                "President of Russia".to_string(),
                "2019-05-09".to_string(),
                "2019-05-09".to_string()
            )]
        );
        assert_eq!(span("emmanuel-macron"), []);
    }
    let (small, _) = site_matches_bundle(&paths, 0);
    assert_eq!(small.index.shards.len(), 5);
}

#[test]
fn the_dev_set_site_matches_the_bundle() {
    let dev = repo().join("../shared/corpus/kremlin-dev");
    if !dev.is_dir() {
        eprintln!("skipped: no dev set at {}", dev.display());
        return;
    }
    let (site, _) = site_matches_bundle(&[dev], 128 * 1024);
    assert_eq!(site.index.events.len(), 1094);
}

#[test]
fn two_runs_write_the_same_bytes_and_reruns_drop_stale_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = variants_fixture(tmp.path());
    let paths = [fixture.clone(), repo().join("data")];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let first = write_site(&paths, &a, &options(2048)).unwrap();
    write_site(&paths, &b, &options(2048)).unwrap();
    assert_eq!(tree(&a), tree(&b));
    // Another shard size into the same folder: the old shards go, the
    // version changes.
    let again = write_site(&paths, &a, &options(0)).unwrap();
    assert_ne!(again.index.version, first.index.version);
    let shard_files = tree(&a).keys().filter(|f| f.starts_with("shards/")).count();
    assert_eq!(shard_files, again.index.shards.len());
    // Other files in the folder are left alone.
    std::fs::write(a.join("shards/README"), "keep").unwrap();
    write_site(&paths, &a, &options(2048)).unwrap();
    assert_eq!(tree(&a), {
        let mut t = tree(&b);
        t.insert("shards/README".into(), b"keep".to_vec());
        t
    });
}

#[test]
fn bad_input_counts_add_up_and_diagnostics_survive() {
    let tmp = tempfile::tempdir().unwrap();
    let good = |t: &str| {
        format!("Events\n{t}\nMay 9, 2019\nVladimir Putin: Hello.\nPublication status\nPublished in sections: News\nText version")
    };
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"stray text before\n");
    bytes.extend_from_slice(good("One").as_bytes());
    bytes.extend_from_slice(b"Events\nNo date here\nVladimir Putin: Hello.\nText version");
    bytes.extend_from_slice(good("Two").as_bytes());
    bytes.extend_from_slice(b"Events\nBad \xFF bytes\nMay 9, 2019\nText text.\nText version");
    bytes.extend_from_slice(good("Three").as_bytes());
    bytes.extend_from_slice(b"Events\nTruncated\nMay 9, 2019\nVladimir Putin: cut");
    std::fs::write(tmp.path().join("bad.txt"), &bytes).unwrap();
    std::fs::write(tmp.path().join("junk.txt"), "not an export at all\n").unwrap();
    let paths = [tmp.path().to_path_buf(), tmp.path().join("missing.txt")];
    let (site, _) = site_matches_bundle(&paths, 128 * 1024);
    let s = &site.index.summary;
    assert_eq!(s.records_written, 3);
    assert_eq!(s.records_read, s.records_written + s.records_rejected);
    assert!(s.records_rejected >= 5, "{s:?}");
    let text: Vec<String> = site.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|d| d.starts_with("bad.txt:1: text outside")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|d| d.contains("missing.txt:0: no such file")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|d| d.starts_with("junk.txt:1: not a kremlin.ru")),
        "{text:?}"
    );
}

#[test]
fn empty_and_all_rejected_input_write_an_empty_index() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (site, _) = site_matches_bundle(&[empty], 128 * 1024);
    assert!(site.index.events.is_empty());
    assert!(site.index.shards.is_empty());
    assert_eq!(site.index.months.first, None);
    assert_eq!(site.diagnostics.len(), 1);

    let junk = tmp.path().join("junk.txt");
    std::fs::write(&junk, b"\xFF\xFE nothing\nEvents\n").unwrap();
    let (site, _) = site_matches_bundle(&[junk], 128 * 1024);
    let s = &site.index.summary;
    assert_eq!((s.files_read, s.records_written), (1, 0));
    assert_eq!(s.records_read, s.records_rejected);
    assert!(s.records_rejected > 0);

    let (site, _) = site_matches_bundle(&[], 0);
    assert_eq!(site.index.summary, Default::default());
    let out = tmp.path().join("nothing/data");
    write_site(&[], &out, &options(0)).unwrap();
    let (index, shards): (Index, Vec<Shard>) = read_site(&out).unwrap();
    assert!(index.events.is_empty() && shards.is_empty());
}
