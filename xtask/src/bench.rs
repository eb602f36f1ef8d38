//! `cargo xtask bench`: how the site scales with the corpus.
//!
//! For each corpus (the embedded seed, the 1,094-record dev set, a generated
//! scale corpus of `--events N` events):
//!
//! 1. preprocessing: `stenogram-corpus bundle --out DATA_DIR PATH`, built
//!    with profile-guided optimisation ([`crate::pgo`]; `--no-pgo`: the
//!    plain `prep` build), is run as a child process and timed (wall clock
//!    and CPU), its peak RSS taken from `wait4`'s rusage; throughput is the
//!    raw `.txt` input bytes over that time;
//! 2. the release app, built once (`--public-url /stenogram/`), is copied
//!    with that `data/` folder in place of its own;
//! 3. `tests/browser/bench/run.mjs` serves the copy on 127.0.0.1 with gzip
//!    (as GitHub Pages does) and drives headless Chromium through it: cold
//!    loads to first paint, bytes before first paint, the speaker filter,
//!    opening transcripts, memory after load, a scroll through the timeline,
//!    full-text search (bytes and requests per query, cold and warm;
//!    keystroke to results). The search index's size on disk comes from the
//!    index (`search.bytes`), per MB of raw input text.
//!
//! Progress goes to stderr (this process's stdout is pointed at stderr while
//! it works, so that tool installs and child processes print there too); the
//! report is printed on stdout and written to `target/bench/report.json`.
//! BENCHMARKS.md documents every key and the latest figures.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;

use crate::cmd::{self, cargo_target_dir, probe, root, section, StdoutToStderr};
use crate::pgo;
use crate::site::{self, Site};
use crate::tools::{self, Needs};

/// The sub-path the benchmarked site is served under, as on GitHub Pages.
const PREFIX: &str = "/stenogram/";
/// Prefix of a previous run's folder, moved aside until the bench ends.
const OLD_RUN: &str = ".old-";
/// Marker written into a generated corpus folder once generation finished.
const COMPLETE: &str = ".bench-complete";

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Events in the generated scale corpus.
    #[arg(long, default_value_t = 35_000)]
    pub events: u32,
    /// Corpora to run, in this order (repeatable) [default: seed, dev, scale].
    #[arg(long = "corpus", value_enum)]
    pub corpora: Vec<Corpus>,
    /// Reuse the app built by an earlier run (target/bench/site) if there is one.
    #[arg(long)]
    pub skip_build: bool,
    /// Cold loads measured for first paint.
    #[arg(long, default_value_t = 5)]
    pub paint_samples: u32,
    /// Samples for each filter and each open-transcript figure.
    #[arg(long, default_value_t = 20)]
    pub samples: u32,
    /// Only preprocess: no app build, no browser (the browser keys are null).
    #[arg(long)]
    pub prep_only: bool,
    /// Times each corpus is preprocessed: `prep_seconds` is the median
    /// (this machine's speed drifts by a third from one run to the next).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub prep_runs: u32,
    /// Measure the plain `--profile prep` build of the corpus CLI instead of
    /// the profile-guided one (`cargo xtask preprocessor`).
    #[arg(long)]
    pub no_pgo: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Corpus {
    /// The embedded sample in data/.
    Seed,
    /// ../shared/corpus/kremlin-dev (its .txt files).
    Dev,
    /// `stenogram-corpus generate --events N` from the dev set.
    Scale,
}

impl Corpus {
    fn name(self) -> &'static str {
        match self {
            Corpus::Seed => "seed",
            Corpus::Dev => "dev",
            Corpus::Scale => "scale",
        }
    }
}

/// The whole report: `runs` has one entry per corpus.
#[derive(Serialize)]
struct Report {
    generated_at: String,
    commit: String,
    machine: Machine,
    chromium: Option<String>,
    /// How the corpus CLI was built: "pgo (trained on data/)" or "plain".
    preprocessor: &'static str,
    targets: Targets,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Machine {
    cpu: String,
    cores: usize,
    memory_gb: f64,
    os: String,
}

/// The targets, for the reader of the report.
#[derive(Serialize)]
struct Targets {
    prep_mb_per_s_min: f64,
    first_paint_ms_max: f64,
    first_paint_bytes_gz_max: u64,
    filter_ms_median_max: f64,
    open_transcript_ms_median_max: f64,
    memory_mb_max: f64,
    scroll_long_tasks_max: u64,
    /// Checked on the median over the single-word queries of the list.
    search_cold_single_word_bytes_median_max: f64,
    search_keystroke_ms_median_max: f64,
}

const TARGETS: Targets = Targets {
    prep_mb_per_s_min: 100.0,
    first_paint_ms_max: 1000.0,
    first_paint_bytes_gz_max: 1_500_000,
    filter_ms_median_max: 16.0,
    open_transcript_ms_median_max: 50.0,
    memory_mb_max: 150.0,
    scroll_long_tasks_max: 0,
    search_cold_single_word_bytes_median_max: 150_000.0,
    search_keystroke_ms_median_max: 50.0,
};

/// One corpus: the keys first, then the details.
#[derive(Serialize)]
struct Run {
    corpus: &'static str,
    events: Option<u64>,
    /// 1-minute load average before the run (other work on the machine).
    load_average: Option<f64>,
    input_files: usize,
    input_bytes: u64,
    prep_seconds: f64,
    prep_mb_per_s: f64,
    prep_peak_rss_mb: f64,
    /// Every run's wall clock, in order (`prep_seconds` is their median).
    prep_runs_seconds: Vec<f64>,
    /// Every run's CPU time (user + system), in order: the same work takes
    /// up to half as much again in this machine's slow moments.
    prep_runs_cpu_seconds: Vec<f64>,
    first_paint_ms: Option<f64>,
    first_paint_bytes_gz: Option<u64>,
    app_bytes_gz: Option<u64>,
    filter_ms_median: Option<f64>,
    filter_ms_p95: Option<f64>,
    open_transcript_ms_median: Option<f64>,
    open_transcript_ms_p95: Option<f64>,
    memory_mb: Option<f64>,
    scroll_long_tasks: Option<u64>,
    /// The search index on disk (meta + chunks, uncompressed), as the
    /// index states it; null when the site was built without one.
    search_index_bytes: Option<u64>,
    /// `search_index_bytes` per MB (10^6 bytes) of raw input text.
    search_index_bytes_per_mb: Option<f64>,
    search_cold_query_bytes_median: Option<f64>,
    search_cold_query_requests_median: Option<f64>,
    search_keystroke_ms_median: Option<f64>,
    search_keystroke_ms_p95: Option<f64>,
    /// Which of the targets this run meets.
    meets_targets: serde_json::Map<String, Value>,
    /// Everything else the browser driver measured (see BENCHMARKS.md).
    browser: Value,
}

pub fn run(args: &BenchArgs) -> Result<()> {
    let report = {
        // Tools, builds and children print on stdout: send it all to stderr
        // until the report is ready.
        let _redirect = StdoutToStderr::new()?;
        collect(args)
    };
    // The runs moved aside go once the report is written (or the bench
    // failed), not before the measurements (see `remove_old_runs`).
    let written = report.and_then(|report| {
        let json = serde_json::to_string_pretty(&report)?;
        let path = bench_dir().join("report.json");
        fs::write(&path, format!("{json}\n"))
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("\nreport written to {}", path.display());
        println!("{json}");
        Ok(())
    });
    remove_old_runs(&bench_dir().join("runs"));
    written
}

fn bench_dir() -> PathBuf {
    root().join("target").join("bench")
}

fn collect(args: &BenchArgs) -> Result<Report> {
    let corpora = if args.corpora.is_empty() {
        vec![Corpus::Seed, Corpus::Dev, Corpus::Scale]
    } else {
        args.corpora.clone()
    };
    if !args.prep_only {
        tools::ensure(Needs { browser: true })?;
    }

    let cli = if args.no_pgo {
        pgo::build_plain(&cargo_target_dir())?
    } else {
        pgo::build_preprocessor(&cargo_target_dir())?
    };

    let bench = bench_dir();
    fs::create_dir_all(&bench)?;
    let app = bench.join("site");
    if args.prep_only {
        section("no app build, no browser (--prep-only)");
    } else if args.skip_build && app.join("index.html").is_file() {
        section("release build: reusing target/bench/site (--skip-build)");
    } else {
        site::build_site(&Site {
            corpus: vec![root().join("data")],
            public_url: PREFIX.to_string(),
            strict: false,
            dist: app.clone(),
        })?;
    }

    let mut runs = Vec::new();
    let mut chromium = None;
    for corpus in corpora {
        let input = corpus_input(corpus, &cli, args.events)?;
        section(&format!(
            "bench: {} corpus ({})",
            corpus.name(),
            input.display()
        ));
        let work = bench.join("runs").join(corpus.name());
        if work.exists() {
            // A name no other folder has: the same corpus can be named
            // twice, and an interrupted run's may still be there.
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let old = bench
                .join("runs")
                .join(format!("{OLD_RUN}{}-{stamp}", corpus.name()));
            fs::rename(&work, &old).with_context(|| format!("moving {} aside", work.display()))?;
        }
        let site_dir = work.join("site");
        if args.prep_only {
            fs::create_dir_all(&site_dir)?;
        } else {
            copy_site(&app, &site_dir)?;
        }
        let prep = preprocess(&cli, &input, &site_dir.join("data"), &work, args.prep_runs)?;
        eprintln!(
            "prep: {} files, {:.1} MB in {:.2} s (median of {:.2?}) = {:.1} MB/s, peak RSS {:.1} MB",
            prep.files,
            prep.input_bytes as f64 / 1e6,
            prep.seconds,
            prep.runs_seconds,
            prep.mb_per_s(),
            prep.peak_rss_kb as f64 / 1024.0
        );
        match prep.search_bytes {
            Some(bytes) => eprintln!(
                "search index: {:.1} MB ({:.0} bytes per MB of text)",
                bytes as f64 / 1e6,
                bytes as f64 / (prep.input_bytes.max(1) as f64 / 1e6)
            ),
            None => eprintln!("search index: none (index.json: search is null)"),
        }
        let browser = if args.prep_only {
            Value::Object(serde_json::Map::new())
        } else {
            drive_browser(&site_dir, &work, args)?
        };
        if chromium.is_none() {
            chromium = browser
                .get("chromium")
                .and_then(Value::as_str)
                .map(String::from);
        }
        runs.push(make_run(corpus, &prep, browser));
    }

    Ok(Report {
        generated_at: probe("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]).unwrap_or_default(),
        commit: commit(),
        machine: machine(),
        chromium,
        preprocessor: if args.no_pgo {
            "plain"
        } else {
            "pgo (trained on data/)"
        },
        targets: TARGETS,
        runs,
    })
}

/// Removes the runs moved aside by [`collect`] (also those of a run that
/// was interrupted), once the report is written or the bench has failed.
/// Why not before preprocessing: on ext4 without a journal (this machine's
/// disk) creating a file skips every inode freed in the last minute (up to
/// six while the inode table is not yet written back), checking each in
/// the page cache, so writing the scale run's ~4,000 files right after
/// deleting the previous ones cost ~1 s more (4.6-5.1 s instead of
/// 3.5-3.8 s; perf: `recently_deleted`), a cost of the benchmark, not of
/// the preprocessor.
fn remove_old_runs(runs: &Path) {
    let Ok(entries) = fs::read_dir(runs) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(OLD_RUN) {
            if let Err(e) = fs::remove_dir_all(entry.path()) {
                eprintln!("warning: could not remove {}: {e}", entry.path().display());
            }
        }
    }
}

/// The folder (or file) to preprocess for a corpus, generating the scale
/// corpus when it is not there yet.
fn corpus_input(corpus: Corpus, cli: &Path, events: u32) -> Result<PathBuf> {
    match corpus {
        Corpus::Seed => Ok(root().join("data")),
        Corpus::Dev => dev_set(),
        Corpus::Scale => {
            let out = bench_dir().join(format!("corpus-{events}"));
            let marker = out.join(COMPLETE);
            if fs::read_to_string(&marker).is_ok_and(|n| n.trim() == events.to_string()) {
                eprintln!("reusing the generated corpus in {}", out.display());
                return Ok(out);
            }
            section(&format!("generating a corpus of {events} events"));
            if out.exists() {
                fs::remove_dir_all(&out)?;
            }
            let dev = dev_set()?;
            cmd::run(
                Command::new(cli)
                    .args(["generate", "--events", &events.to_string(), "--from"])
                    .arg(&dev)
                    .arg("--out")
                    .arg(&out),
            )
            .context("generating the scale corpus (does stenogram-corpus have `generate`?)")?;
            fs::write(&marker, format!("{events}\n"))?;
            Ok(out)
        }
    }
}

/// The dev set beside the checkout (`../shared/corpus/kremlin-dev`).
fn dev_set() -> Result<PathBuf> {
    let dev = root()
        .join("..")
        .join("shared")
        .join("corpus")
        .join("kremlin-dev");
    let dev = fs::canonicalize(&dev).with_context(|| {
        format!(
            "the dev set {} is missing (needed for the dev and scale corpora; \
             run `cargo xtask bench --corpus seed` without it)",
            dev.display()
        )
    })?;
    Ok(dev)
}

/// Copies the built site except its `data/` folder.
fn copy_site(from: &Path, to: &Path) -> Result<()> {
    fn copy_dir(from: &Path, to: &Path, skip_data: bool) -> Result<()> {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            let path = entry.path();
            if skip_data && entry.file_name() == "data" {
                continue;
            }
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy_dir(&path, &target, false)?;
            } else {
                fs::copy(&path, &target).with_context(|| {
                    format!("copying {} to {}", path.display(), target.display())
                })?;
            }
        }
        Ok(())
    }
    copy_dir(from, to, true)
}

/// Every `.txt` file under `path` (a file counts if it is one), as the
/// corpus CLI reads them.
struct Prep {
    /// Records written, from the index's summary.
    events: Option<u64>,
    /// The 1-minute load average when preprocessing started.
    load_average: Option<f64>,
    files: usize,
    input_bytes: u64,
    /// The median of `runs_seconds`.
    seconds: f64,
    runs_seconds: Vec<f64>,
    /// User + system time of each run.
    runs_cpu_seconds: Vec<f64>,
    /// The largest over the runs.
    peak_rss_kb: u64,
    /// The index's `search.bytes`; None when it has no search index.
    search_bytes: Option<u64>,
}

impl Prep {
    fn mb_per_s(&self) -> f64 {
        self.input_bytes as f64 / 1e6 / self.seconds
    }
}

/// Runs `stenogram-corpus bundle --out DIR INPUT` `runs` times, timed,
/// each into a folder of its own (a folder emptied just before would slow
/// the next run down: see BENCHMARKS.md), the last into `data_dir`; run
/// `k`'s output is in `work/bundle-k.log`. Every run must write the same
/// `index.json`, byte for byte. The other runs' folders are removed after
/// the last run.
fn preprocess(cli: &Path, input: &Path, data_dir: &Path, work: &Path, runs: u32) -> Result<Prep> {
    // The files the CLI reads, found as it finds them.
    let (files, _) = stenogram_corpus::bundle::collect_inputs(&[input.to_path_buf()]);
    let mut input_bytes = 0;
    for file in &files {
        input_bytes += fs::metadata(file)?.len();
    }
    let load_average = load_average();
    let (mut runs_seconds, mut runs_cpu_seconds, mut peak_rss_kb) = (Vec::new(), Vec::new(), 0);
    let mut first_index: Option<Vec<u8>> = None;
    for k in 1..=runs {
        let out = if k == runs {
            data_dir.to_path_buf()
        } else {
            work.join(format!("prep-{k}")).join("data")
        };
        let log_path = work.join(format!("bundle-{k}.log"));
        let log = fs::File::create(&log_path)?;
        let mut command = Command::new(cli);
        command
            .arg("bundle")
            .arg("--out")
            .arg(&out)
            .arg(input)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        println!(
            "$ {}   (run {k} of {runs}, output in {})",
            cmd::display(&command),
            log_path.display()
        );
        let Timed {
            seconds,
            cpu_seconds,
            rss_kb,
            ok,
        } = timed(&mut command)?;
        if !ok {
            bail!("stenogram-corpus bundle failed: see {}", log_path.display());
        }
        eprintln!("  {seconds:.2} s ({cpu_seconds:.2} s of CPU)");
        runs_seconds.push(seconds);
        runs_cpu_seconds.push(cpu_seconds);
        peak_rss_kb = peak_rss_kb.max(rss_kb);
        let index = fs::read(out.join("index.json"))
            .with_context(|| format!("reading {}", out.join("index.json").display()))?;
        match &first_index {
            None => first_index = Some(index),
            Some(first) if *first != index => bail!(
                "preprocessing is not deterministic: run {k}'s index.json differs from run 1's"
            ),
            Some(_) => {}
        }
        if k == runs {
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(3).collect();
            for line in tail.into_iter().rev() {
                eprintln!("  {line}");
            }
        }
    }
    // The extra runs' output (~330 MB for 35,000 events) goes once they are
    // compared; no run of this corpus is timed after it.
    for k in 1..runs {
        let extra = work.join(format!("prep-{k}"));
        fs::remove_dir_all(&extra).with_context(|| format!("removing {}", extra.display()))?;
    }
    let index = first_index
        .as_deref()
        .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok());
    let events = index
        .as_ref()
        .and_then(|index| index.pointer("/summary/records_written")?.as_u64());
    let search_bytes = index
        .as_ref()
        .and_then(|index| index.pointer("/search/bytes")?.as_u64());
    Ok(Prep {
        events,
        search_bytes,
        load_average,
        files: files.len(),
        input_bytes,
        seconds: median(&runs_seconds),
        runs_seconds,
        runs_cpu_seconds,
        peak_rss_kb,
    })
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// What [`timed`] measured of one child process.
struct Timed {
    /// Wall clock, spawn to exit.
    seconds: f64,
    /// User + system time.
    cpu_seconds: f64,
    /// Peak resident set, KiB.
    rss_kb: u64,
    /// It exited with status 0.
    ok: bool,
}

/// Runs a command to completion and measures it: times and peak RSS from
/// `wait4`'s rusage, so only this child counts.
fn timed(command: &mut Command) -> Result<Timed> {
    let start = Instant::now();
    let child = command.spawn().with_context(|| {
        format!(
            "could not start {}",
            command.get_program().to_string_lossy()
        )
    })?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; wait4 fills it in for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; the child is ours and not yet reaped.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("wait4");
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    // `child` was reaped by wait4: dropping it neither waits nor kills.
    drop(child);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Timed {
        seconds,
        cpu_seconds: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        rss_kb: usage.ru_maxrss.max(0) as u64,
        ok,
    })
}

/// `node tests/browser/bench/run.mjs`: the browser figures as JSON.
fn drive_browser(site_dir: &Path, work: &Path, args: &BenchArgs) -> Result<Value> {
    let out = work.join("browser.json");
    cmd::run(
        Command::new("node")
            .arg(tools::browser_dir().join("bench").join("run.mjs"))
            .arg("--site")
            .arg(site_dir)
            .args(["--prefix", PREFIX])
            .args(["--paint-samples", &args.paint_samples.to_string()])
            .args(["--samples", &args.samples.to_string()])
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .current_dir(root())
            .env("PATH", tools::tool_path()),
    )?;
    let text = fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", out.display()))
}

/// The keys, taken out of the driver's output; the rest stays under `browser`.
fn make_run(corpus: Corpus, prep: &Prep, mut browser: Value) -> Run {
    let mut take = |key: &str| {
        browser
            .as_object_mut()
            .and_then(|object| object.remove(key))
            .filter(|value| !value.is_null())
    };
    let f = |v: Option<Value>| v.and_then(|v| v.as_f64());
    let u = |v: Option<Value>| v.and_then(|v| v.as_u64());
    let round = |x: f64, digits: i32| {
        let scale = 10f64.powi(digits);
        (x * scale).round() / scale
    };
    let mut run = Run {
        corpus: corpus.name(),
        events: u(take("events")).or(prep.events),
        load_average: prep.load_average,
        input_files: prep.files,
        input_bytes: prep.input_bytes,
        prep_seconds: round(prep.seconds, 3),
        prep_mb_per_s: round(prep.mb_per_s(), 1),
        prep_peak_rss_mb: round(prep.peak_rss_kb as f64 * 1024.0 / 1e6, 1),
        prep_runs_seconds: prep.runs_seconds.iter().map(|&s| round(s, 3)).collect(),
        prep_runs_cpu_seconds: prep.runs_cpu_seconds.iter().map(|&s| round(s, 3)).collect(),
        first_paint_ms: f(take("first_paint_ms")),
        first_paint_bytes_gz: u(take("first_paint_bytes_gz")),
        app_bytes_gz: u(take("app_bytes_gz")),
        filter_ms_median: f(take("filter_ms_median")),
        filter_ms_p95: f(take("filter_ms_p95")),
        open_transcript_ms_median: f(take("open_transcript_ms_median")),
        open_transcript_ms_p95: f(take("open_transcript_ms_p95")),
        memory_mb: f(take("memory_mb")),
        scroll_long_tasks: u(take("scroll_long_tasks")),
        search_index_bytes: prep.search_bytes,
        search_index_bytes_per_mb: prep
            .search_bytes
            .filter(|_| prep.input_bytes > 0)
            .map(|b| round(b as f64 / (prep.input_bytes as f64 / 1e6), 0)),
        search_cold_query_bytes_median: f(take("search_cold_query_bytes_median")),
        search_cold_query_requests_median: f(take("search_cold_query_requests_median")),
        search_keystroke_ms_median: f(take("search_keystroke_ms_median")),
        search_keystroke_ms_p95: f(take("search_keystroke_ms_p95")),
        meets_targets: serde_json::Map::new(),
        browser,
    };
    let single_word_bytes = run
        .browser
        .pointer("/search/single_word/cold_bytes_median")
        .and_then(Value::as_f64);
    let t = &TARGETS;
    let checks = [
        (
            "prep_mb_per_s",
            Some(run.prep_mb_per_s >= t.prep_mb_per_s_min),
        ),
        (
            "first_paint_ms",
            run.first_paint_ms.map(|v| v <= t.first_paint_ms_max),
        ),
        (
            "first_paint_bytes_gz",
            run.first_paint_bytes_gz
                .map(|v| v <= t.first_paint_bytes_gz_max),
        ),
        (
            "filter_ms_median",
            run.filter_ms_median.map(|v| v <= t.filter_ms_median_max),
        ),
        (
            "open_transcript_ms_median",
            run.open_transcript_ms_median
                .map(|v| v <= t.open_transcript_ms_median_max),
        ),
        ("memory_mb", run.memory_mb.map(|v| v <= t.memory_mb_max)),
        (
            "scroll_long_tasks",
            run.scroll_long_tasks.map(|v| v <= t.scroll_long_tasks_max),
        ),
        // The target is for a single-word query: the median over
        // those of the list (the key itself is the median over all).
        (
            "search_cold_query_bytes_median",
            single_word_bytes.map(|v| v <= t.search_cold_single_word_bytes_median_max),
        ),
        (
            "search_keystroke_ms_median",
            run.search_keystroke_ms_median
                .map(|v| v <= t.search_keystroke_ms_median_max),
        ),
    ];
    for (key, met) in checks {
        run.meets_targets
            .insert(key.to_string(), met.map_or(Value::Null, Value::Bool));
    }
    run
}

/// The 1-minute load average (`/proc/loadavg`).
fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `git rev-parse --short HEAD`, with `-dirty` when the tree has changes.
fn commit() -> String {
    let dir = root();
    let dir = dir.to_string_lossy();
    let head = probe("git", &["-C", &dir, "rev-parse", "--short", "HEAD"]).unwrap_or_default();
    let dirty = probe(
        "git",
        &["-C", &dir, "status", "--porcelain", "--untracked-files=no"],
    )
    .is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{head}-dirty")
    } else {
        head
    }
}

fn machine() -> Machine {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb: f64 = meminfo
        .lines()
        .find_map(|line| {
            line.strip_prefix("MemTotal:")?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0.0);
    Machine {
        cpu,
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory_gb: (memory_kb * 1024.0 / 1e9 * 10.0).round() / 10.0,
        os: probe("uname", &["-sr"]).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[5.0]), 5.0);
        assert!(median(&[]).is_nan());
    }
}
