//! `stenogram-corpus`: a thin CLI over the corpus library.
//!
//! - `stenogram-corpus bundle [--strict] --out FILE PATH...` parses raw
//!   files and folders into the app's JSON bundle. Bad records are reported
//!   (`file:line: reason`) and skipped; the run still succeeds unless
//!   `--strict` is given.
//! - `stenogram-corpus eval --truth FILE PATH...` prints fidelity figures.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stenogram_corpus::{bundle, eval};

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
    /// Parse raw files or folders into a bundle.
    Bundle {
        /// Where to write the bundle JSON.
        #[arg(long)]
        out: PathBuf,
        /// Fail when any record is rejected.
        #[arg(long)]
        strict: bool,
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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Bundle { out, strict, paths } => {
            let outcome = bundle::bundle_paths(&paths);
            let ok = bundle::report(&outcome, strict, &mut std::io::stderr());
            if let Err(e) = bundle::write_bundle(&outcome.bundle, &out) {
                eprintln!("error: {}: cannot write bundle: {e}", out.display());
                return ExitCode::FAILURE;
            }
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
    }
}
