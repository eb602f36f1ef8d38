//! Files and folders in, the site's data folder out: `index.json` plus
//! content-addressed shards (the layout of [`crate::model::Index`]).
//!
//! The writer streams. Files are parsed as rayon tasks, a bounded window
//! of them at a time (each file's lines and records in parallel too), and
//! taken in input order: of every event the writer keeps in memory only
//! what the index needs (`Row`: date, time, title, interned place, tags
//! and turn labels; names are learnt from labels and "Persons" tags on
//! arrival), and the rest, the transcript, goes straight to a spill file
//! next to the output as the shard JSON of that event (its `id` left for
//! later; turns without speakers). After the last file, ids are issued
//! and speakers resolved exactly as for the in-memory [`crate::bundle`]
//! (the same [`IdIssuer`], [`Names`] and [`Resolver`], in input order),
//! rows are sorted (date, then time with no time first, then input order)
//! and packed into shards of consecutive rows up to a target size (an
//! event is never split), each named by the xxh3 hash of its bytes. The
//! shards hold no speaker, so they are written while the speakers are
//! resolved; the spill file is then deleted. The full-text search index is
//! built on the way ([`crate::search_build`]): each parser task tokenises
//! its event, this thread keeps compact postings per term, and
//! `data/search/` is written once the speakers are known, side by side
//! with the shards. Each folder's files are created on a thread of their
//! own (`file_writer.rs`) while the next ones are put together: creating a
//! file costs more than writing its bytes. Memory holds the window of
//! input files, the rows and the postings,
//! never the corpus (240-270 MB at peak for 320 MB of input with the CLI on
//! mimalloc, which keeps what is freed; about 45 MB are the postings).
//!
//! Diagnostics and counts are those of [`crate::bundle::bundle_paths`] on
//! the same input: `records_read = records_written + records_rejected`, and
//! bad input is reported, never a panic.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use xxhash_rust::xxh3::xxh3_64;

use crate::bundle::{
    collect_inputs, display_name, file_diag, parse_lines_map, Diagnostic, FileParse, IdIssuer,
};
use crate::file_writer::FileWriter;
use crate::model::{
    event_id, Block, Event, Index, IndexEvents, MonthCounts, Shard, ShardEvent, ShardRef,
    SpeakerId, Summary, Turn, SCHEMA_VERSION,
};
use crate::search::SearchMeta;
use crate::search_build::{
    event_terms, Accumulator, EventTerms, SlotMap, Vocab, DEFAULT_CHUNK_BYTES, SEARCH_DIR,
};
use crate::shard_json::write_shard_event;
use crate::speakers::{Names, Resolver};
use crate::text::decode_lines_par;

/// Default target size of a shard: 128 KiB of JSON.
pub const DEFAULT_SHARD_BYTES: usize = 128 * 1024;

/// Input files parsed side by side: at most this many, and this many bytes
/// (but always one, however big). Each file's lines and records are parsed
/// in parallel too, so one big file still keeps every core busy, and memory
/// holds about three times the window (bytes, lines, spilled JSON).
const WINDOW_FILES: usize = 4;
const WINDOW_BYTES: u64 = 8 << 20;

/// How the site is written.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// A shard closes before the event that would take it past this many
    /// bytes (a single larger event is a shard of its own). 0 or 1: one
    /// event per shard.
    pub shard_bytes: usize,
    /// Target size of a search index chunk (see
    /// [`crate::search_build::DEFAULT_CHUNK_BYTES`]); 0: one term per chunk.
    pub search_chunk_bytes: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            shard_bytes: DEFAULT_SHARD_BYTES,
            search_chunk_bytes: DEFAULT_CHUNK_BYTES,
            progress: false,
        }
    }
}

impl SiteOptions {
    /// A progress bar when stderr is a terminal and `CI` is not set.
    pub fn with_terminal_progress(mut self) -> Self {
        use std::io::IsTerminal;
        self.progress = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        self
    }
}

/// What [`write_site`] wrote and what went wrong on the way.
#[derive(Debug, Clone)]
pub struct SiteOutcome {
    /// The index as written to `index.json` (speakers, summary, shards).
    pub index: Index,
    pub diagnostics: Vec<Diagnostic>,
    /// Size of `index.json` in bytes.
    pub index_bytes: u64,
    /// The search index's directory as written (its size is in
    /// [`Index::search`]).
    pub search: SearchMeta,
    /// Bytes of input read (the size of the index per MB of text).
    pub input_bytes: u64,
}

/// Where the site's index lives in its data folder.
pub const INDEX_FILE: &str = "index.json";
/// The shards' folder in the data folder.
pub const SHARDS_DIR: &str = "shards";

/// What the index needs of one event, kept in memory until all files are
/// read. Strings that repeat across events are interned (positions in the
/// writer's tables); the "Persons" tags are only learnt from, not kept.
#[derive(Debug)]
struct Row {
    date: NaiveDate,
    time: Option<String>,
    title: String,
    place: Option<u32>,
    topics: Vec<u32>,
    geography: Vec<u32>,
    /// Distinct turn labels (positions in the label table), in order of first appearance.
    labels: Vec<u32>,
    /// Per turn: its label's position in `labels`, [`CONTINUED`] set for a continuation.
    turns: Vec<u32>,
    /// Per turn: its words ([`crate::search::word_count`]).
    turn_words: Vec<u32>,
    /// The event's shard JSON after `{"id":""` in the spill file.
    spill_at: u64,
    spill_len: u64,
}

/// What a parser task hands back for one event: the row's data as strings,
/// and the event's shard JSON without [`ID_PREFIX`].
struct Parsed {
    date: NaiveDate,
    time: Option<String>,
    title: String,
    place: Option<String>,
    topics: Vec<String>,
    geography: Vec<String>,
    persons: Vec<String>,
    /// Distinct turn labels, in order of first appearance.
    labels: Vec<String>,
    turns: Vec<u32>,
    turn_words: Vec<u32>,
    /// The event's search postings.
    search: EventTerms,
    tail: Vec<u8>,
}

const CONTINUED: u32 = 1 << 31;

/// The start of an event's shard JSON serialised with an empty id; the id
/// is put in when the shard is written.
const ID_PREFIX: &[u8] = br#"{"id":"""#;

fn split_event(vocab: &Vocab, e: Event) -> Parsed {
    let (distinct, label_of) = e.turn_labels();
    let labels: Vec<String> = distinct.into_iter().map(String::from).collect();
    let turns: Vec<u32> = e
        .turns()
        .zip(&label_of)
        .map(|(t, &k)| k | if t.continued { CONTINUED } else { 0 })
        .collect();
    // Tokenised here, in the parser task: stemming is the slow part. Local
    // slot `k + 1` is the event's `k`-th label; the words per turn come
    // from the same pass.
    let turn_slots: Vec<u32> = label_of.iter().map(|k| k + 1).collect();
    let mut terms = event_terms(vocab, &e, &turn_slots);
    let shard_event = ShardEvent {
        id: String::new(),
        lead: e.lead,
        participants: e.participants,
        blocks: e.blocks,
        persons: e.persons.clone(),
        sections: e.sections,
        publication_date: e.publication_date,
        source: e.source,
    };
    thread_local! {
        // One serialisation buffer per thread: it grows to the largest
        // event once, and each event is copied out at its exact size.
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let tail = BUF.with(|buf| {
        let mut json = buf.borrow_mut();
        json.clear();
        write_shard_event(&mut json, &shard_event);
        // The id is empty: the JSON opens with exactly `{"id":""`.
        json[ID_PREFIX.len()..].to_vec()
    });
    Parsed {
        date: e.date,
        time: e.time,
        title: e.title,
        place: e.place,
        topics: e.topics,
        geography: e.geography,
        persons: e.persons,
        labels,
        turns,
        turn_words: std::mem::take(&mut terms.turn_words),
        search: terms,
        tail,
    }
}

/// Deletes the spill file however the writer ends.
struct Spill {
    path: PathBuf,
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Parses every input file and writes the site's data folder `out_dir`
/// (the site's `data/`): `out_dir/index.json`, `out_dir/shards/<hash>.json`
/// and the search index in `out_dir/search/`. Shards and search files of
/// earlier runs that the new index does not name are removed.
///
/// Errors are only about writing the output; bad input becomes diagnostics.
pub fn write_site(
    paths: &[PathBuf],
    out_dir: &Path,
    options: &SiteOptions,
) -> io::Result<SiteOutcome> {
    let (files, mut diagnostics) = collect_inputs(paths);
    let shards_dir = out_dir.join(SHARDS_DIR);
    std::fs::create_dir_all(&shards_dir)?;

    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .collect();
    let input_bytes: u64 = sizes.iter().sum();
    let progress = progress_bar(options.progress, input_bytes);

    // 1. Parse, keep the rows, spill the transcripts.
    let spill = Spill {
        path: out_dir.join(format!(".spill-{}.tmp", std::process::id())),
    };
    let mut spill_out = BufWriter::with_capacity(1 << 20, File::create(&spill.path)?);
    let mut spilled: u64 = 0;
    let mut rows: Vec<Row> = Vec::new();
    let mut summary = Summary::default();
    let mut read_errors = Vec::new();
    let mut parse_diagnostics = Vec::new();
    let mut names = Names::default();
    // Interned in input order (first appearance).
    let mut places = Interner::default();
    let mut topics = Interner::default();
    let mut geography = Interner::default();
    let mut labels = Interner::default();
    let vocab = std::sync::Arc::new(Vocab::default());
    let mut postings = Accumulator::default();
    // Files are parsed as rayon tasks, a bounded window of them at a time;
    // this thread takes the results in input order and spills them while
    // the next files are being parsed.
    let (tx, rx) = std::sync::mpsc::channel::<(usize, io::Result<FileParse<Parsed>>)>();
    let mut waiting: BTreeMap<usize, io::Result<FileParse<Parsed>>> = BTreeMap::new();
    let (mut next_spawn, mut next_write) = (0, 0);
    // Files being parsed, and their bytes.
    let (mut running, mut running_bytes): (usize, u64) = (0, 0);
    while next_write < files.len() {
        // Start files while the window has room: always one, and more while
        // few files and bytes are being parsed and few wait to be spilled.
        while next_spawn < files.len()
            && (running == 0
                || running < WINDOW_FILES
                    && next_spawn - next_write <= WINDOW_FILES
                    && running_bytes + sizes[next_spawn] <= WINDOW_BYTES)
        {
            let (k, file, tx) = (next_spawn, files[next_spawn].clone(), tx.clone());
            let vocab = vocab.clone();
            rayon::spawn(move || {
                let result = std::fs::read(&file).map(|bytes| {
                    // The bytes go as soon as they are lines.
                    let lines = decode_lines_par(&bytes, 1 << 20);
                    drop(bytes);
                    parse_lines_map(&display_name(&file), lines, true, |e| {
                        split_event(&vocab, e)
                    })
                });
                let _ = tx.send((k, result));
            });
            running += 1;
            running_bytes += sizes[next_spawn];
            next_spawn += 1;
        }
        // Wait for a result; spill the next file's once it is there (the
        // loop above starts the following files first).
        if !waiting.contains_key(&next_write) {
            let (k, result) = rx
                .recv()
                .map_err(|_| io::Error::other("a parser task ended without a result"))?;
            running -= 1;
            running_bytes -= sizes[k];
            waiting.insert(k, result);
            continue;
        }
        let Some(result) = waiting.remove(&next_write) else {
            continue;
        };
        let file = &files[next_write];
        match result {
            Err(e) => read_errors.push(file_diag(file, &format!("cannot read file: {e}"))),
            Ok(fp) => {
                summary.files_read += 1;
                summary.records_read += fp.records_read;
                summary.records_rejected += fp.diagnostics.len() as u32;
                parse_diagnostics.extend(fp.diagnostics);
                for p in fp.events {
                    spill_out.write_all(&p.tail)?;
                    // Names are learnt as events arrive (learning is a set
                    // union: order does not matter).
                    names.learn_event(p.labels.iter().map(String::as_str), &p.persons);
                    postings.add_event_terms(&p.search);
                    rows.push(Row {
                        date: p.date,
                        time: p.time,
                        title: p.title,
                        place: p.place.as_deref().map(|x| places.intern(x)),
                        topics: p.topics.iter().map(|x| topics.intern(x)).collect(),
                        geography: p.geography.iter().map(|x| geography.intern(x)).collect(),
                        labels: p.labels.iter().map(|x| labels.intern(x)).collect(),
                        turns: p.turns,
                        turn_words: p.turn_words,
                        spill_at: spilled,
                        spill_len: p.tail.len() as u64,
                    });
                    spilled += p.tail.len() as u64;
                }
            }
        }
        progress.inc(sizes[next_write]);
        next_write += 1;
    }
    spill_out.flush()?;
    drop(spill_out);
    diagnostics.append(&mut read_errors);
    diagnostics.append(&mut parse_diagnostics);
    summary.records_written = rows.len() as u32;
    progress.set_message("writing shards and the search index");

    // 2. Ids, in input order (as the in-memory bundle), and rows in date
    // order: date, then time (none first), then input order.
    let (ids, suffixes): (Vec<String>, Vec<u32>) = {
        let mut ids = IdIssuer::default();
        rows.iter().map(|r| ids.issue(r.date, &r.title)).unzip()
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| (rows[a].date, &rows[a].time).cmp(&(rows[b].date, &rows[b].time)));
    let mut row_of = vec![0u32; rows.len()];
    for (row, &i) in order.iter().enumerate() {
        row_of[i] = row as u32;
    }

    // 3. Shards: consecutive rows up to the target size. They hold no
    // speaker, so they are written while the speakers are resolved.
    // The ids issued above (not derived again), as JSON strings, on the
    // pool: the shards cannot start before they are known.
    let id_json: Vec<String> = {
        use rayon::prelude::*;
        order
            .par_iter()
            .map(|&i| serde_json::to_string(&ids[i]).unwrap_or_else(|_| "\"\"".into()))
            .collect()
    };
    drop(ids);
    let event_bytes: Vec<u64> = order
        .iter()
        .zip(&id_json)
        .map(|(&i, id)| (ID_PREFIX.len() - 2 + id.len()) as u64 + rows[i].spill_len)
        .collect();
    let plan = pack(&event_bytes, options.shard_bytes as u64);
    // Both branches are mostly files to create, which the kernel
    // serialises per folder: each folder's files are created on a thread
    // of their own while the next ones' bytes are put together.
    let shard_files = FileWriter::start()?;
    let (shards, resolved) = std::thread::scope(|scope| {
        // The shards are put together one after the other on a thread of
        // their own (reading the spill file and hashing is quick next to
        // creating the files): rayon's threads stay free for the search
        // index instead of waiting for the writer's queue.
        let shards = std::thread::Builder::new()
            .name("shards".into())
            .spawn_scoped(scope, || -> io::Result<Vec<ShardRef>> {
                let mut refs = Vec::with_capacity(plan.len());
                let mut spill_file = SpillReader {
                    file: File::open(&spill.path)?,
                    at: 0,
                };
                for &(first, count) in &plan {
                    let rows_of = &order[first..first + count];
                    let sizes = &event_bytes[first..first + count];
                    let bytes = shard_bytes(
                        &mut spill_file,
                        first,
                        rows_of,
                        sizes,
                        &rows,
                        &id_json[first..],
                    )?;
                    let name = format!("{:016x}.json", xxh3_64(&bytes));
                    let len = bytes.len() as u64;
                    shard_files.write(shards_dir.join(&name), bytes)?;
                    refs.push(ShardRef {
                        path: format!("data/{SHARDS_DIR}/{name}"),
                        first: first as u32,
                        count: count as u32,
                        bytes: len,
                    });
                }
                Ok(refs)
            });
        // 4. Speakers, in input order (as the in-memory bundle).
        let resolved = resolve_speakers(&rows, &names, &labels.table);
        // 5. The search index (its slots are the rows' speakers).
        let search = postings.write(
            &vocab,
            &row_of,
            &resolved.slot_map,
            &out_dir.join(SEARCH_DIR),
            options.search_chunk_bytes,
        );
        let shards = match shards {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the shard thread panicked"))),
            Err(e) => Err(e),
        };
        (shards, search.map(|search| (resolved, search)))
    });
    // The writer's own error first: a failed write ends its queue, which
    // the tasks above only see as "writer gone".
    shard_files.finish()?;
    let shards = shards?;
    drop(spill);
    remove_stale_shards(&shards_dir, &shards)?;
    let (resolved, (search, search_meta)) = resolved?;
    let Resolved {
        speakers,
        row_speakers,
        row_words,
        row_turns,
        ..
    } = resolved;
    let speaker_pos: HashMap<&str, u32> = speakers
        .iter()
        .enumerate()
        .map(|(k, s)| (s.id.as_str(), k as u32))
        .collect();
    let mut cols = IndexEvents::default();
    for (row, &i) in order.iter().enumerate() {
        let r = &rows[i];
        cols.date.push(r.date);
        cols.time.push(r.time.clone());
        cols.title.push(r.title.clone());
        cols.place.push(r.place);
        let (speakers, words): (Vec<u32>, Vec<u32>) = row_speakers[i]
            .iter()
            .zip(&row_words[i])
            .filter_map(|(id, &w)| Some((*speaker_pos.get(id.as_str())?, w)))
            .unzip();
        cols.speakers.push(speakers);
        cols.words.push(words);
        cols.topics.push(r.topics.clone());
        cols.geography.push(r.geography.clone());
        cols.turns.push(row_turns[i]);
        if suffixes[i] > 1 {
            cols.id_suffixes.push((row as u32, suffixes[i]));
        }
    }
    let months = month_counts(&cols.date);

    // 6. The index, its version a hash of its own content.
    let mut index = Index {
        search: Some(search),
        schema_version: SCHEMA_VERSION,
        version: String::new(),
        summary,
        speakers,
        places: places.table,
        topics: topics.table,
        geography: geography.table,
        events: cols,
        shards,
        months,
    };
    let unversioned = serde_json::to_vec(&index).map_err(io::Error::other)?;
    index.version = format!("{:016x}", xxh3_64(&unversioned));
    let json = with_version(unversioned, &index)?;
    let tmp = out_dir.join(format!(".{INDEX_FILE}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, &json)?;
    std::fs::rename(&tmp, out_dir.join(INDEX_FILE))?;
    progress.finish_and_clear();
    Ok(SiteOutcome {
        index,
        diagnostics,
        index_bytes: json.len() as u64,
        search: search_meta,
        input_bytes,
    })
}

/// The index's JSON with its version, from its JSON with an empty version:
/// the version is the second field, right after the schema version, so it
/// is put in place instead of serialising the whole index again (the last
/// step of a run, on one thread). Anything else is serialised again.
fn with_version(mut unversioned: Vec<u8>, index: &Index) -> io::Result<Vec<u8>> {
    let head = format!(r#"{{"schema_version":{},"version":""#, index.schema_version);
    let plain = index.version.bytes().all(|b| b.is_ascii_alphanumeric());
    let at = head.len();
    // `..."version":""`: the version it was serialised with is empty.
    if plain && unversioned.starts_with(head.as_bytes()) && unversioned.get(at) == Some(&b'"') {
        unversioned.splice(at..at, index.version.bytes());
        return Ok(unversioned);
    }
    serde_json::to_vec(index).map_err(io::Error::other)
}

/// The speakers of every row, resolved in input order.
struct Resolved {
    /// The corpus's speakers ([`Resolver::speakers`]).
    speakers: Vec<crate::model::Speaker>,
    /// Per row (input order): its speakers, in order of first turn.
    row_speakers: Vec<Vec<SpeakerId>>,
    /// Per row: the words of each of its speakers.
    row_words: Vec<Vec<u32>>,
    /// Per row: its turns (continuations not counted).
    row_turns: Vec<u32>,
    /// Per row: its local search slots -> speaker slots.
    slot_map: SlotMap,
}

/// Resolves every row's turn labels to speakers, in input order, exactly
/// as the in-memory bundle does.
fn resolve_speakers(rows: &[Row], names: &Names, labels: &[String]) -> Resolved {
    let mut resolver = Resolver::new(names);
    let mut row_speakers: Vec<Vec<SpeakerId>> = Vec::with_capacity(rows.len());
    let mut row_turns: Vec<u32> = Vec::with_capacity(rows.len());
    let mut row_words: Vec<Vec<u32>> = Vec::with_capacity(rows.len());
    let mut slot_map = SlotMap::default();
    for r in rows {
        let mut event = resolver.event(r.date);
        let mut turns = 0;
        // Words per speaker, in order of first appearance (as `finish`).
        let mut words: Vec<(SpeakerId, u32)> = Vec::new();
        // The speaker of each of the row's labels (its local search slot).
        let mut label_speaker: Vec<Option<usize>> = vec![None; r.labels.len()];
        for (&t, &n) in r.turns.iter().zip(&r.turn_words) {
            let continued = t & CONTINUED != 0;
            let local = (t & !CONTINUED) as usize;
            let label = r.labels[local];
            let id = event.turn(&labels[label as usize], continued);
            let k = match words.iter().position(|(s, _)| s == id) {
                Some(k) => k,
                None => {
                    words.push((id.to_string(), 0));
                    words.len() - 1
                }
            };
            words[k].1 += n;
            label_speaker[local] = Some(k);
            turns += u32::from(!continued);
        }
        let speakers = event.finish();
        // Search slots: 0 narration, then the label's speaker's place in
        // the row's speakers, plus one (several labels may share one).
        slot_map.push(
            std::iter::once(Some(0)).chain(label_speaker.iter().map(|k| {
                let id = &words[(*k)?].0;
                speakers.iter().position(|s| s == id).map(|p| p as u32 + 1)
            })),
        );
        row_words.push(
            speakers
                .iter()
                .map(|id| words.iter().find(|(s, _)| s == id).map_or(0, |(_, w)| *w))
                .collect(),
        );
        row_speakers.push(speakers);
        row_turns.push(turns);
    }
    Resolved {
        speakers: resolver.speakers(),
        row_speakers,
        row_words,
        row_turns,
        slot_map,
    }
}

fn progress_bar(show: bool, total: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
    ) {
        bar.set_style(style);
    }
    bar.set_message("parsing");
    bar
}

/// Strings by position, in order of first appearance.
#[derive(Default)]
struct Interner {
    table: Vec<String>,
    pos: HashMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&k) = self.pos.get(s) {
            return k;
        }
        let k = self.table.len() as u32;
        self.table.push(s.to_string());
        self.pos.insert(s.to_string(), k);
        k
    }
}

/// The bytes of a shard, `{"schema_version":..,"first":..,"events":[` and `]}`
/// around its events, for a shard starting at `first`.
fn shard_frame(first: usize) -> (String, &'static str) {
    (
        format!(r#"{{"schema_version":{SCHEMA_VERSION},"first":{first},"events":["#),
        "]}",
    )
}

/// Cuts rows into shards `(first, count)`: each takes events while its JSON
/// stays within `target` bytes, and at least one.
fn pack(event_bytes: &[u64], target: u64) -> Vec<(usize, usize)> {
    let mut plan = Vec::new();
    let mut first = 0;
    while first < event_bytes.len() {
        let (head, foot) = shard_frame(first);
        let mut size = (head.len() + foot.len()) as u64 + event_bytes[first];
        let mut end = first + 1;
        while end < event_bytes.len() && size + 1 + event_bytes[end] <= target {
            size += 1 + event_bytes[end];
            end += 1;
        }
        plan.push((first, end - first));
        first = end;
    }
    plan
}

/// The spill file, read where asked: rows in date order are mostly in
/// input order too, so most reads follow the last one without a seek.
struct SpillReader {
    file: File,
    /// The file's position.
    at: u64,
}

impl SpillReader {
    fn read_at(&mut self, buf: &mut [u8], at: u64) -> io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        if at != self.at {
            self.file.seek(SeekFrom::Start(at))?;
        }
        // Unknown if the read fails part-way: seek next time.
        self.at = u64::MAX;
        self.file.read_exact(buf)?;
        self.at = at + buf.len() as u64;
        Ok(())
    }
}

/// Assembles one shard's JSON from the spill file (exactly what serde_json
/// writes for the [`Shard`]); `sizes` are its events' sizes as packed.
fn shard_bytes(
    spill: &mut SpillReader,
    first: usize,
    rows_of: &[usize],
    sizes: &[u64],
    rows: &[Row],
    id_json: &[String],
) -> io::Result<Vec<u8>> {
    let (head, foot) = shard_frame(first);
    // The exact size (events and the commas between them), so that the
    // buffer is never grown (and copied).
    let events = sizes.iter().sum::<u64>() as usize + rows_of.len().saturating_sub(1);
    let mut out = Vec::with_capacity(head.len() + events + foot.len());
    out.extend_from_slice(head.as_bytes());
    for (k, &i) in rows_of.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&ID_PREFIX[..ID_PREFIX.len() - 2]);
        out.extend_from_slice(id_json[k].as_bytes());
        let r = &rows[i];
        let at = out.len();
        out.resize(at + r.spill_len as usize, 0);
        spill.read_at(&mut out[at..], r.spill_at)?;
    }
    out.extend_from_slice(foot.as_bytes());
    Ok(out)
}

/// Removes `<16 hex>.json` files in the shards folder that the index does not name.
fn remove_stale_shards(dir: &Path, keep: &[ShardRef]) -> io::Result<()> {
    let keep: HashSet<&str> = keep
        .iter()
        .filter_map(|s| s.path.rsplit('/').next())
        .collect();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name
            .strip_suffix(".json")
            .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if ours && !keep.contains(name) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Events per month from the first event's month to the last one's.
pub fn month_counts(dates: &[NaiveDate]) -> MonthCounts {
    let month = |d: &NaiveDate| d.year() * 12 + d.month0() as i32;
    let (Some(lo), Some(hi)) = (dates.iter().map(month).min(), dates.iter().map(month).max())
    else {
        return MonthCounts::default();
    };
    let mut counts = vec![0u32; (hi - lo + 1) as usize];
    for d in dates {
        counts[(month(d) - lo) as usize] += 1;
    }
    MonthCounts {
        first: NaiveDate::from_ymd_opt(lo.div_euclid(12), lo.rem_euclid(12) as u32 + 1, 1),
        counts,
    }
}

/// Reads a written data folder back: the index and its shards, in order.
pub fn read_site(out_dir: &Path) -> io::Result<(Index, Vec<Shard>)> {
    let index: Index = serde_json::from_slice(&std::fs::read(out_dir.join(INDEX_FILE))?)
        .map_err(io::Error::other)?;
    let mut shards = Vec::with_capacity(index.shards.len());
    for s in &index.shards {
        let rel = s.path.strip_prefix("data/").unwrap_or(&s.path);
        let shard: Shard =
            serde_json::from_slice(&std::fs::read(out_dir.join(rel))?).map_err(io::Error::other)?;
        shards.push(shard);
    }
    Ok((index, shards))
}

/// Puts the events back together from an index and its shards, as the app
/// does: speakers from the labels, ids derived from date and title. Events
/// come in row order. Fails on any inconsistency between index and shards.
pub fn reassemble(index: &Index, shards: &[Shard]) -> Result<Vec<Event>, String> {
    let cols = &index.events;
    if !cols.is_consistent() || shards.len() != index.shards.len() {
        return Err("index columns or shard list inconsistent".into());
    }
    let mut by_label: HashMap<&str, &str> = HashMap::new();
    for s in &index.speakers {
        for l in &s.labels {
            if by_label.insert(l, &s.id).is_some_and(|other| other != s.id) {
                return Err(format!("label {l:?} names two speakers"));
            }
        }
    }
    let suffix: HashMap<u32, u32> = cols.id_suffixes.iter().copied().collect();
    let lookup = |table: &[String], k: u32| {
        table
            .get(k as usize)
            .cloned()
            .ok_or_else(|| format!("no entry {k}"))
    };
    let mut events = Vec::with_capacity(cols.len());
    for (meta, shard) in index.shards.iter().zip(shards) {
        if shard.first != meta.first
            || shard.events.len() != meta.count as usize
            || shard.first as usize != events.len()
        {
            return Err(format!("shard {} does not hold its rows", meta.path));
        }
        for se in &shard.events {
            let row = events.len();
            let id = event_id(
                cols.date[row],
                &cols.title[row],
                suffix.get(&(row as u32)).copied().unwrap_or(1),
            );
            if id != se.id {
                return Err(format!("row {row}: shard has {}, index says {id}", se.id));
            }
            let mut blocks = se.blocks.clone();
            for b in &mut blocks {
                if let Block::Turn(Turn { speaker, label, .. }) = b {
                    *speaker = by_label
                        .get(label.as_str())
                        .ok_or_else(|| format!("row {row}: unknown label {label:?}"))?
                        .to_string();
                }
            }
            events.push(Event {
                id,
                title: cols.title[row].clone(),
                lead: se.lead.clone(),
                date: cols.date[row],
                time: cols.time[row].clone(),
                place: cols.place[row]
                    .map(|p| lookup(&index.places, p))
                    .transpose()?,
                participants: se.participants.clone(),
                blocks,
                speakers: cols.speakers[row]
                    .iter()
                    .map(|&k| {
                        index
                            .speakers
                            .get(k as usize)
                            .map(|s| s.id.clone())
                            .ok_or_else(|| format!("no speaker {k}"))
                    })
                    .collect::<Result<_, _>>()?,
                geography: cols.geography[row]
                    .iter()
                    .map(|&k| lookup(&index.geography, k))
                    .collect::<Result<_, _>>()?,
                topics: cols.topics[row]
                    .iter()
                    .map(|&k| lookup(&index.topics, k))
                    .collect::<Result<_, _>>()?,
                persons: se.persons.clone(),
                sections: se.sections.clone(),
                publication_date: se.publication_date.clone(),
                source: se.source.clone(),
            });
        }
    }
    if events.len() != cols.len() {
        return Err(format!("{} rows, shards hold {}", cols.len(), events.len()));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_events_whole_and_within_target() {
        assert_eq!(pack(&[], 100), vec![]);
        // Frame for first = 0 is 42 bytes: `{"schema_version":2,"first":0,"events":[` + `]}`.
        let (h, f) = shard_frame(0);
        assert_eq!(h.len() + f.len(), 42);
        assert_eq!(pack(&[10, 10, 10], 0), vec![(0, 1), (1, 1), (2, 1)]);
        assert_eq!(pack(&[10, 10, 10], 42 + 21), vec![(0, 2), (2, 1)]);
        assert_eq!(pack(&[500, 10], 100), vec![(0, 1), (1, 1)]);
    }

    #[test]
    fn the_version_is_put_where_serde_json_writes_it() {
        let mut index = Index {
            search: None,
            schema_version: SCHEMA_VERSION,
            version: String::new(),
            summary: Summary::default(),
            speakers: Vec::new(),
            places: vec!["Moscow".into()],
            topics: Vec::new(),
            geography: Vec::new(),
            events: IndexEvents::default(),
            shards: Vec::new(),
            months: MonthCounts::default(),
        };
        let unversioned = serde_json::to_vec(&index).unwrap();
        index.version = "0123456789abcdef".into();
        assert_eq!(
            with_version(unversioned.clone(), &index).unwrap(),
            serde_json::to_vec(&index).unwrap()
        );
        // A version that would need escaping is serialised again.
        index.version = "a\"b".into();
        assert_eq!(
            with_version(unversioned, &index).unwrap(),
            serde_json::to_vec(&index).unwrap()
        );
    }

    #[test]
    fn months_span_first_to_last() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let m = month_counts(&[d(2020, 11, 20), d(2021, 2, 1), d(2020, 11, 3)]);
        assert_eq!(m.first, Some(d(2020, 11, 1)));
        assert_eq!(m.counts, vec![2, 0, 0, 1]);
        assert_eq!(month_counts(&[]), MonthCounts::default());
    }
}
