//! The search index the site writer builds, against a brute force over the
//! in-memory bundle of the same input: every term's postings (rows and
//! slots) exactly, chunks in order and covering every term, files named by
//! their hash, byte-identical reruns, stale files removed, and a valid
//! empty index for an empty corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use stenogram_corpus::bundle::bundle_paths;
use stenogram_corpus::model::{Block, Event, Index};
use stenogram_corpus::search::{
    decode_chunk, postings, words, SearchMeta, Stemmer, CHUNK_MAGIC, NARRATION_SLOT, SEARCH_FORMAT,
};
use stenogram_corpus::search_build::DEFAULT_CHUNK_BYTES;
use stenogram_corpus::site::{write_site, SiteOptions};
use xxhash_rust::xxh3::xxh3_64;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn options(search_chunk_bytes: usize) -> SiteOptions {
    SiteOptions {
        search_chunk_bytes,
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

/// term -> row -> slots.
type Postings = BTreeMap<String, BTreeMap<u32, BTreeSet<u32>>>;

/// The postings the index should hold, from the events in row order.
fn brute_force(events: &[Event]) -> Postings {
    let stemmer = Stemmer::default();
    let mut out = Postings::new();
    for (row, e) in events.iter().enumerate() {
        let mut add = |text: &str, slot: u32| {
            for w in words(text) {
                if let Some(term) = stemmer.term(&w.lower) {
                    out.entry(term.into_owned())
                        .or_default()
                        .entry(row as u32)
                        .or_default()
                        .insert(slot);
                }
            }
        };
        add(&e.title, NARRATION_SLOT);
        for l in &e.lead {
            add(l, NARRATION_SLOT);
        }
        for b in &e.blocks {
            match b {
                Block::Turn(t) => {
                    // The speaker's place in the row's speakers, plus one.
                    let Some(k) = e.speakers.iter().position(|s| *s == t.speaker) else {
                        continue;
                    };
                    for p in &t.paragraphs {
                        add(p, k as u32 + 1);
                    }
                }
                Block::Paragraph { text }
                | Block::PhotoCaption { text }
                | Block::Heading { text } => add(text, NARRATION_SLOT),
                Block::Slider { caption, .. } => {
                    if let Some(c) = caption {
                        add(c, NARRATION_SLOT);
                    }
                }
                Block::SeeAlso { lines } => {
                    for l in lines {
                        add(l, NARRATION_SLOT);
                    }
                }
                Block::Separator { .. } => {}
            }
        }
    }
    out
}

/// Reads the index back from the data folder, checking the files on the
/// way: chunk names, sizes, order, ranges and targets.
fn read_index(out: &Path, index: &Index, chunk_bytes: usize) -> (SearchMeta, Postings) {
    let files = tree(out);
    let search = index.search.as_ref().expect("a search index");
    let rel = |p: &str| p.strip_prefix("data/").unwrap().to_string();
    let meta_bytes = &files[&rel(&search.meta)];
    assert_eq!(
        search.meta,
        format!("data/search/{:016x}.json", xxh3_64(meta_bytes))
    );
    let meta: SearchMeta = serde_json::from_slice(meta_bytes).unwrap();
    assert_eq!(meta.format, SEARCH_FORMAT);
    assert_eq!(meta.rows as usize, index.events.len());

    let mut got = Postings::new();
    let mut total = meta_bytes.len() as u64;
    let mut last: Option<String> = None;
    for (k, c) in meta.chunks.iter().enumerate() {
        let bytes = &files[&rel(&c.path)];
        assert_eq!(c.path, format!("data/search/{:016x}.bin", xxh3_64(bytes)));
        assert_eq!(c.bytes, bytes.len() as u64);
        assert!(bytes.starts_with(CHUNK_MAGIC));
        total += c.bytes;
        let terms = decode_chunk(bytes).unwrap();
        assert!(!terms.is_empty(), "chunk {k} is empty");
        assert!(
            terms.len() == 1 || bytes.len() <= chunk_bytes.max(CHUNK_MAGIC.len()),
            "chunk {k}: {} bytes, {} terms",
            bytes.len(),
            terms.len()
        );
        // The chunk's range: from its first term to the next chunk's.
        assert_eq!(terms[0].term, c.first);
        if let Some(next) = meta.chunks.get(k + 1) {
            assert!(terms.last().unwrap().term < next.first.as_str());
        }
        for t in &terms {
            assert!(last.as_deref() < Some(t.term), "terms out of order");
            last = Some(t.term.to_string());
            assert_eq!(meta.chunk_for(t.term), Some(k), "{}", t.term);
            let list: Vec<_> = postings(t.postings).collect::<Result<_, _>>().unwrap();
            assert_eq!(list.len() as u32, t.events, "{}", t.term);
            let rows = got.entry(t.term.to_string()).or_default();
            for p in list {
                assert!((p.row as usize) < index.events.len());
                let slots = p.slots.to_vec();
                // Slot s >= 1 is a speaker of the row.
                let speakers = index.events.speakers[p.row as usize].len() as u32;
                assert!(slots.iter().all(|&s| s <= speakers), "{}", t.term);
                rows.insert(p.row, slots.into_iter().collect());
            }
        }
    }
    assert_eq!(meta.terms, got.len() as u64);
    assert_eq!(search.bytes, total);
    // The folder holds this index and nothing else of ours.
    let ours: BTreeSet<String> = files
        .keys()
        .filter(|f| f.starts_with("search/"))
        .cloned()
        .collect();
    let named: BTreeSet<String> = meta
        .chunks
        .iter()
        .map(|c| rel(&c.path))
        .chain([rel(&search.meta)])
        .collect();
    assert_eq!(ours, named);
    (meta, got)
}

/// Writes the site for `paths` and checks its search index term by term
/// against the brute force over the bundle of the same input.
fn index_matches_brute_force(paths: &[PathBuf], chunk_bytes: usize) -> SearchMeta {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("data");
    let site = write_site(paths, &out, &options(chunk_bytes)).unwrap();
    let (meta, got) = read_index(&out, &site.index, chunk_bytes);

    // Rows: date, then time (none first), then input order (as the site).
    let mut events = bundle_paths(paths).bundle.events;
    events.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
    assert_eq!(events.len(), site.index.events.len());
    let want = brute_force(&events);
    assert_eq!(got.len(), want.len(), "number of terms");
    for (term, rows) in &want {
        assert_eq!(got.get(term), Some(rows), "postings of {term:?}");
    }

    // The words per speaker come from the same pass.
    for (row, e) in events.iter().enumerate() {
        let per: Vec<u32> = e
            .speakers
            .iter()
            .map(|s| {
                e.turns()
                    .filter(|t| t.speaker == *s)
                    .flat_map(|t| &t.paragraphs)
                    .map(|p| stenogram_corpus::search::word_count(p))
                    .sum()
            })
            .collect();
        assert_eq!(site.index.events.words[row], per, "words of row {row}");
    }
    meta
}

#[test]
fn the_seed_index_matches_the_brute_force() {
    let paths = [repo().join("data")];
    for target in [0, 300, 4096, DEFAULT_CHUNK_BYTES] {
        let meta = index_matches_brute_force(&paths, target);
        assert!(meta.terms > 100, "{}", meta.terms);
        if target == 0 {
            assert_eq!(meta.chunks.len() as u64, meta.terms);
        }
    }
}

#[test]
fn hostile_and_fuzz_inputs_index_exactly() {
    let mut paths = vec![repo().join("tests/fixtures/hostile")];
    paths.extend(
        std::fs::read_dir(repo().join("fuzz/seeds/parse"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    paths.sort();
    for target in [0, 1024, DEFAULT_CHUNK_BYTES] {
        index_matches_brute_force(&paths, target);
    }
}

/// A record with many speakers (slots past 63 are lists, not masks), one
/// speaker under several labels, a caption inside a speech, odd words
/// (apostrophes, non-Latin letters, digits, a word past the length limit),
/// and a long line.
fn crowd_fixture(dir: &Path) -> PathBuf {
    let mut body = String::new();
    body.push_str("President of Russia Vladimir Putin: Sanctions, sanctioned; Russia’s “peace”.\n");
    for k in 0..80 {
        // Distinct surnames so that each is a speaker of its own.
        let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
        let name = format!("Ivan Petrov{}{}", letter(k / 26), letter(k));
        body.push_str(&format!(
            "{name}: common word{k} Émile Да don't {}\n",
            k * 7
        ));
    }
    body.push_str("Vladimir Putin: Again the sanctions.\nA photo caption.\n");
    body.push_str("Heading of a part\n");
    body.push_str(&format!(
        "Remark: {} {}\n",
        "x".repeat(41),
        "long line of words ".repeat(20_000)
    ));
    body.push_str("2 of 6\nSlider caption words.\n* * *\nSee also\nAll news\nJanuary 28, 2013\n");
    let record = format!(
        "Events\nA crowded meeting\nA lead paragraph.\nMay 9, 2019\n10:00\nThe Kremlin, Moscow\n{body}Persons\nPutin Vladimir\nPublication status\nPublished in sections: News\nText version"
    );
    let other = "Events\nAn earlier talk\nMay 1, 2019\nVladimir Putin: Peace, and sanctions.\nPublication status\nPublished in sections: News\nText version";
    let path = dir.join("crowd.txt");
    std::fs::write(&path, format!("{record}{other}")).unwrap();
    path
}

#[test]
fn many_speakers_and_odd_words_index_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = [crowd_fixture(tmp.path()), repo().join("data")];
    for target in [0, 2048, DEFAULT_CHUNK_BYTES] {
        let meta = index_matches_brute_force(&paths, target);
        assert!(meta.terms > 80);
    }
    // The long word is left out; the apostrophe and non-Latin words are in.
    let out = tmp.path().join("out");
    let site = write_site(&paths, &out, &options(DEFAULT_CHUNK_BYTES)).unwrap();
    let (_, got) = read_index(&out, &site.index, DEFAULT_CHUNK_BYTES);
    assert!(!got.contains_key(&"x".repeat(41)));
    for term in ["да", "émile", "don't", "sanction", "russia"] {
        assert!(got.contains_key(term), "{term}");
    }
    // "sanctions" in the earlier talk (row 0) by Putin, slot 1.
    assert_eq!(got["sanction"][&0], BTreeSet::from([1]));
    // Word k is spoken by the (k + 2)-th speaker of the crowded row.
    let row = 1;
    assert_eq!(got["word79"][&row], BTreeSet::from([81]));
}

#[test]
fn the_dev_set_index_matches_the_brute_force() {
    let dev = repo().join("../shared/corpus/kremlin-dev");
    if !dev.is_dir() {
        eprintln!("skipped: no dev set at {}", dev.display());
        return;
    }
    let meta = index_matches_brute_force(&[dev], DEFAULT_CHUNK_BYTES);
    assert!(meta.chunks.len() > 1);
}

#[test]
fn two_runs_write_the_same_bytes_and_reruns_drop_stale_files() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = [crowd_fixture(tmp.path()), repo().join("data")];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_site(&paths, &a, &options(1024)).unwrap();
    write_site(&paths, &b, &options(1024)).unwrap();
    assert_eq!(tree(&a), tree(&b));
    // Another chunk size into the same folder: the old files go, other
    // files stay.
    std::fs::write(a.join("search/README"), "keep").unwrap();
    let again = write_site(&paths, &a, &options(DEFAULT_CHUNK_BYTES)).unwrap();
    let (meta, _) = {
        std::fs::remove_file(a.join("search/README")).unwrap();
        read_index(&a, &again.index, DEFAULT_CHUNK_BYTES)
    };
    assert!(meta.chunks.len() < tree(&b).keys().filter(|k| k.ends_with(".bin")).count());
}

#[test]
fn an_empty_corpus_has_a_valid_empty_index() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("data");
    let site = write_site(&[], &out, &options(DEFAULT_CHUNK_BYTES)).unwrap();
    let (meta, got) = read_index(&out, &site.index, DEFAULT_CHUNK_BYTES);
    assert!(got.is_empty());
    assert_eq!((meta.rows, meta.terms, meta.chunks.len()), (0, 0, 0));
    assert_eq!(meta.chunk_for("anything"), None);
    assert_eq!(meta.chunks_for_prefix("a"), 0..0);
}
