//! `cargo xtask`: the project's build, serve, test and corpus tooling.
//!
//! Why a Rust binary instead of shell scripts: it runs the same on a developer
//! machine, in CI (`.ci/run`) and in the Pages workflow, it can call the corpus
//! crate directly (bundle hook, eval), and every step prints the command it
//! runs, so a failure can be reproduced by hand.
//!
//! One module per concern:
//! - [`tools`]: check and install what the build needs (wasm target, trunk,
//!   wasm-bindgen-cli, wasm-opt via npm, Chromium), installing only what is missing;
//! - [`site`]: `trunk build` / `trunk serve` with the corpus passed to the hook;
//! - [`release`]: after `trunk build`, the Content-Security-Policy and the
//!   service worker's build version;
//! - [`test`]: every test, native and in the browser;
//! - [`hook`]: Trunk's pre_build hook that writes `data/index.json` and the shards;
//! - [`eval`]: parser fidelity against a ground-truth file;
//! - [`fuzz`]: a bounded fuzzing run of the parser and the URL-state decoder;
//! - [`bench`]: preprocessing and in-browser figures at several corpus sizes;
//! - [`pgo`]: the corpus CLI built with profile-guided optimisation (what
//!   the bench measures);
//! - [`cmd`]: running and printing external commands (and where cargo
//!   builds, and sending stdout to stderr for a report on stdout).

mod bench;
mod cmd;
mod eval;
mod fuzz;
mod hook;
mod pgo;
mod release;
mod site;
mod test;
mod tools;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Stenogram's build, serve and test tooling"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install missing tools, then `trunk serve` with live reload on 127.0.0.1:8080.
    Serve,
    /// Install missing tools, then run every test: native, then the browser
    /// tests against a release build served under /stenogram/.
    Test,
    /// Build the release site.
    Build(site::BuildArgs),
    /// Print parser fidelity figures against a ground-truth file as JSON.
    Eval {
        /// The ground truth (`truth.jsonl`).
        #[arg(long)]
        truth: PathBuf,
        /// Raw transcript files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Fuzz the parser and the URL-state decoder for a bounded time (cargo-fuzz).
    Fuzz(fuzz::FuzzArgs),
    /// Benchmark preprocessing and the site in headless Chromium on the seed,
    /// the dev set and a generated corpus; JSON report on stdout and in
    /// target/bench/report.json (see BENCHMARKS.md).
    Bench(bench::BenchArgs),
    /// Build the corpus CLI with profile-guided optimisation (trained on
    /// data/), as the bench measures it, and print its path.
    Preprocessor,
    /// Internal: Trunk's pre_build hook (reads TRUNK_STAGING_DIR,
    /// STENOGRAM_CORPUS, STENOGRAM_STRICT).
    BundleHook,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve => site::serve(),
        Command::Test => test::run(),
        Command::Build(args) => site::build(&args),
        Command::Eval { truth, paths } => eval::run(&truth, &paths),
        Command::Fuzz(args) => fuzz::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Preprocessor => pgo::run(),
        Command::BundleHook => hook::run(),
    };
    if let Err(err) = result {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
