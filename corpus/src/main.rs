//! `stenogram-corpus`: a thin CLI over the corpus library.
//!
//! - `stenogram-corpus bundle --out DIR [--strict] [--shard-kib N] PATH...`
//!   parses raw files and folders into the site's data folder `DIR` (the
//!   site's `data/`): `DIR/index.json`, `DIR/shards/<hash>.json` and the
//!   search index `DIR/search/` (`--search-chunk-kib N`). Bad
//!   records are reported (`file:line: reason`) and skipped; the run still
//!   succeeds unless `--strict` is given.
//! - `stenogram-corpus eval --truth FILE PATH...` prints fidelity figures.
//! - `stenogram-corpus generate --events N --from DIR --out DIR` writes a
//!   deterministic scale corpus in the raw export format (see
//!   [`stenogram_corpus::generate`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stenogram_corpus::search_build::DEFAULT_CHUNK_BYTES;
use stenogram_corpus::site::{write_site, SiteOptions, DEFAULT_SHARD_BYTES};
use stenogram_corpus::{bundle, eval, generate};

#[derive(Parser)]
#[command(
    version,
    about = "Parse kremlin.ru text exports into Stenogram's JSON bundle"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse raw files or folders into the site's data folder (index + shards).
    Bundle {
        /// The site's data folder: index.json and shards/ are written here.
        #[arg(long)]
        out: PathBuf,
        /// Fail when any record is rejected.
        #[arg(long)]
        strict: bool,
        /// Target size of a shard in KiB (an event is never split; 0: one event per shard).
        #[arg(long, default_value_t = DEFAULT_SHARD_BYTES / 1024)]
        shard_kib: usize,
        /// Target size of a search index chunk in KiB (a bigger term is a chunk of its own; 0: one term per chunk).
        #[arg(long, default_value_t = DEFAULT_CHUNK_BYTES / 1024)]
        search_chunk_kib: usize,
        /// Raw `.txt` files or folders holding them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Compare the parser's output with a truth file (kremlin-dev's truth.jsonl).
    Eval {
        #[arg(long)]
        truth: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write a deterministic scale corpus built from a folder of raw files.
    Generate {
        /// Number of events to write.
        #[arg(long)]
        events: usize,
        /// Folder (or file) of raw `.txt` exports to copy records from.
        #[arg(long)]
        from: PathBuf,
        /// Folder for the generated `kremlin_scale_YYYY.txt` files.
        #[arg(long)]
        out: PathBuf,
    },
}

/// The parser allocates many small strings on both cores: mimalloc's
/// per-thread heaps do that without lock contention. Measured on the
/// 35,000-event corpus (323 MB): 3.3-3.6 s instead of 5.6-6.1 s with
/// glibc limited to one arena (one arena per thread kept more memory), at
/// a higher but still bounded peak (165-200 MB instead of 74 MB; 240-270
/// MB since freed memory is kept, below).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's `mi_option_purge_delay` (its `include/mimalloc.h`; the
/// sys crate names no constant for it). A test checks the number.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory stays with the process instead of going back to the OS
/// (mimalloc's "purge"): each input file's bytes, lines and events are
/// freed when it is done, and the next file's would otherwise fault in
/// fresh, zeroed pages (13,000 page faults for 320 MB of input instead of
/// 300). Peak RSS grows by ~30-40 MB. Measured on the 35,000-event corpus,
/// alternating, 8 runs each: 10 % less CPU time and wall clock. An explicit
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn keep_freed_memory() {
    // SAFETY: sets an integer option; no pointer is involved, and mimalloc
    // ignores an option number it does not know.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_memory();
    match Cli::parse().command {
        Command::Bundle {
            out,
            strict,
            shard_kib,
            search_chunk_kib,
            paths,
        } => {
            let options = SiteOptions {
                shard_bytes: shard_kib.saturating_mul(1024),
                search_chunk_bytes: search_chunk_kib.saturating_mul(1024),
                ..SiteOptions::default()
            }
            .with_terminal_progress();
            let outcome = match write_site(&paths, &out, &options) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("error: {}: cannot write the site data: {e}", out.display());
                    return ExitCode::FAILURE;
                }
            };
            let ok = bundle::report_counts(
                &outcome.index.summary,
                outcome.index.speakers.len(),
                &outcome.diagnostics,
                strict,
                &mut std::io::stderr(),
            );
            let search_bytes = outcome.index.search.as_ref().map_or(0, |s| s.bytes);
            let mb = outcome.input_bytes as f64 / 1e6;
            eprintln!(
                "stenogram: search index: {} term(s) in {} chunk(s), {} bytes ({:.0} bytes per MB of input)",
                outcome.search.terms,
                outcome.search.chunks.len(),
                search_bytes,
                if mb > 0.0 { search_bytes as f64 / mb } else { 0.0 },
            );
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Eval { truth, paths } => match eval::evaluate(&truth, &paths) {
            Ok(report) => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Generate { events, from, out } => match generate::generate(&from, events, &out) {
            Ok(g) => {
                eprintln!(
                    "stenogram: {} event(s) from {} record(s) in {} file(s), {} bytes, under {}",
                    g.events,
                    g.source_records,
                    g.files.len(),
                    g.bytes,
                    out.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purge_delay() -> std::ffi::c_long {
        // SAFETY: reads an integer option.
        unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    /// [`MI_OPTION_PURGE_DELAY`] is the option `MIMALLOC_PURGE_DELAY` sets
    /// (the test runs itself again with it in the environment), and the
    /// environment wins over [`keep_freed_memory`].
    #[test]
    fn purge_delay_is_mimallocs_and_the_environment_wins() {
        const CHILD: &str = "STENOGRAM_TEST_PURGE_DELAY_CHILD";
        keep_freed_memory();
        if std::env::var_os(CHILD).is_some() {
            assert_eq!(purge_delay(), 4321);
            return;
        }
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge_delay(), -1);
        }
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::purge_delay_is_mimallocs_and_the_environment_wins",
            ])
            .env("MIMALLOC_PURGE_DELAY", "4321")
            .env(CHILD, "1")
            .output()
            .unwrap();
        assert!(
            child.status.success(),
            "{}",
            String::from_utf8_lossy(&child.stdout)
        );
    }
}
