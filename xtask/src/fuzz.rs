//! `cargo xtask fuzz [--seconds N] [TARGET ...]`: a bounded, coverage-guided
//! fuzzing run of the targets in `fuzz/` (the parser, the URL-state decoder).
//!
//! Why cargo-fuzz with `--sanitizer none`: it is libFuzzer's coverage-guided
//! search, and without a sanitizer it builds on the stable toolchain (the
//! only one this project can rely on). Panics and failed assertions are what
//! the targets check for; Rust's own bounds checks stand in for ASan.
//!
//! The committed seeds (`fuzz/seeds/<target>`) start every run; what a run
//! discovers goes to `target/fuzz-corpus/<target>`, kept between runs but
//! never committed. A crash fails the command and leaves its input in
//! `fuzz/artifacts/<target>/`: turn it into a regression test.

use std::process::Command;

use anyhow::{bail, Result};

use crate::cmd::{self, probe, root, section};

/// Every fuzz target, as named in `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 2] = ["parse", "url_state"];

#[derive(clap::Args)]
pub struct FuzzArgs {
    /// Time budget per target, in seconds.
    #[arg(long, default_value_t = 30)]
    pub seconds: u32,
    /// Targets to run (default: all).
    pub targets: Vec<String>,
}

pub fn run(args: &FuzzArgs) -> Result<()> {
    ensure_cargo_fuzz()?;
    let targets: Vec<String> = if args.targets.is_empty() {
        TARGETS.iter().map(|t| t.to_string()).collect()
    } else {
        args.targets.clone()
    };
    for target in &targets {
        if !TARGETS.contains(&target.as_str()) {
            bail!(
                "unknown fuzz target {target:?}; known: {}",
                TARGETS.join(", ")
            );
        }
        section(&format!("fuzz {target} ({} s)", args.seconds));
        let work = root().join("target").join("fuzz-corpus").join(target);
        std::fs::create_dir_all(&work)?;
        let seeds = root().join("fuzz").join("seeds").join(target);
        cmd::run(
            Command::new("cargo")
                .current_dir(root().join("fuzz"))
                .args(["fuzz", "run", "--sanitizer", "none", target])
                .arg(&work)
                .arg(&seeds)
                .arg("--")
                .arg(format!("-max_total_time={}", args.seconds))
                .arg("-max_len=8192")
                .arg("-print_final_stats=1"),
        )?;
    }
    Ok(())
}

fn ensure_cargo_fuzz() -> Result<()> {
    if let Some(found) = probe("cargo", &["fuzz", "--version"]) {
        println!("ok: {found}");
        return Ok(());
    }
    println!("cargo-fuzz is missing: installing");
    cmd::run(Command::new("cargo").args(["install", "--locked", "cargo-fuzz"]))
}
