//! The corpus CLI built with profile-guided optimisation: the build the
//! bench measures, and the one to use on a large corpus
//! (`cargo xtask preprocessor` prints its path).
//!
//! Why: preprocessing is branchy code (a line parser, a word scanner, hash
//! tables) that keeps both cores busy, and telling the compiler which
//! branches are taken and which functions are hot cut its CPU time by
//! 8-10 % on the 35,000-event corpus (BENCHMARKS.md). The profile comes
//! from the project's own sample, `data/`, not from the corpora the bench
//! measures, so the figure is not the profile's own training set.
//!
//! Steps, each an ordinary cargo build with its own target folder (the
//! flags differ, so they would otherwise rebuild each other's
//! dependencies):
//! 1. an instrumented build (`-Cprofile-generate`);
//! 2. a run of it over `data/`, which writes raw counts;
//! 3. `llvm-profdata merge` (rustup's `llvm-tools` component, installed
//!    if missing: it must match rustc's LLVM, which Debian's does not);
//! 4. the optimised build (`-Cprofile-use`).
//!
//! The profile is named by a hash of the instrumented binary and the
//! sample, and steps 2-3 are skipped when that profile is there: the same
//! code and sample give the same build, with nothing rebuilt.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, probe, root, section};

/// Builds the profile-guided corpus CLI and returns its path.
pub fn build_preprocessor(target_dir: &Path) -> Result<PathBuf> {
    let profdata = ensure_llvm_profdata()?;
    let work = target_dir.join("pgo");
    let raw = work.join("raw");

    section("corpus CLI, instrumented (-Cprofile-generate)");
    let generate_dir = work.join("generate");
    cmd::run(
        cargo_build(&generate_dir)
            .env("RUSTFLAGS", format!("-Cprofile-generate={}", raw.display())),
    )?;

    // One profile per instrumented binary and sample: the counts vary a
    // little with thread timing, so training again each time would name a
    // new profile and rebuild everything.
    let generate_cli = cli_in(&generate_dir);
    let sample = root().join("data");
    let profile = work.join(format!(
        "{:016x}.profdata",
        content_hash(&generate_cli, &sample)?
    ));
    if profile.is_file() {
        section(&format!("reusing the profile {}", profile.display()));
    } else {
        section("training run over data/ (the embedded sample)");
        // Build scripts ran instrumented too: only the training run counts.
        if raw.exists() {
            fs::remove_dir_all(&raw).with_context(|| format!("emptying {}", raw.display()))?;
        }
        fs::create_dir_all(&raw)?;
        let out = work.join("train-out");
        cmd::run(
            Command::new(&generate_cli)
                .arg("bundle")
                .arg("--out")
                .arg(&out)
                .arg(&sample)
                .env("LLVM_PROFILE_FILE", raw.join("train-%p.profraw")),
        )?;
        let _ = fs::remove_dir_all(&out);
        let merged = work.join("merged.profdata");
        cmd::run(
            Command::new(&profdata)
                .arg("merge")
                .arg("-o")
                .arg(&merged)
                .arg(&raw),
        )?;
        // Older profiles go: only this one is used from now on.
        for entry in fs::read_dir(&work)?.flatten() {
            if entry.path().extension().is_some_and(|x| x == "profdata") && entry.path() != merged {
                let _ = fs::remove_file(entry.path());
            }
        }
        fs::rename(&merged, &profile)?;
    }

    section("corpus CLI, optimised with the profile (-Cprofile-use)");
    let use_dir = work.join("use");
    cmd::run(
        cargo_build(&use_dir).env("RUSTFLAGS", format!("-Cprofile-use={}", profile.display())),
    )?;
    let cli = cli_in(&use_dir);
    if !cli.is_file() {
        bail!("{} is missing after the build", cli.display());
    }
    Ok(cli)
}

/// A hash of the instrumented CLI's bytes and of the sample's files (names
/// and bytes, in name order).
fn content_hash(cli: &Path, sample: &Path) -> Result<u64> {
    let mut hasher = DefaultHasher::new();
    fs::read(cli)
        .with_context(|| format!("reading {}", cli.display()))?
        .hash(&mut hasher);
    let mut files: Vec<PathBuf> = fs::read_dir(sample)
        .with_context(|| format!("reading {}", sample.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    for file in files {
        file.file_name().hash(&mut hasher);
        fs::read(&file)?.hash(&mut hasher);
    }
    Ok(hasher.finish())
}

/// `cargo xtask preprocessor`: builds it and prints its path.
pub fn run() -> Result<()> {
    let cli = build_preprocessor(&crate::bench::cargo_target_dir())?;
    println!("{}", cli.display());
    Ok(())
}

/// `cargo build --profile prep -p stenogram-corpus` into `target_dir`,
/// with no flags from the environment but those the caller sets.
fn cargo_build(target_dir: &Path) -> Command {
    let mut command = Command::new("cargo");
    command
        .args(["build", "--profile", "prep", "-p", "stenogram-corpus"])
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(root())
        // Cargo prefers it to RUSTFLAGS.
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    command
}

fn cli_in(target_dir: &Path) -> PathBuf {
    target_dir.join("prep").join("stenogram-corpus")
}

/// rustup's `llvm-profdata` for the active toolchain, installing the
/// `llvm-tools` component if it is missing.
fn ensure_llvm_profdata() -> Result<PathBuf> {
    let find = || -> Option<PathBuf> {
        let sysroot = probe("rustc", &["--print", "sysroot"])?;
        let host = host_triple(&probe("rustc", &["-vV"])?)?.to_string();
        let path = Path::new(&sysroot)
            .join("lib")
            .join("rustlib")
            .join(host)
            .join("bin")
            .join("llvm-profdata");
        path.is_file().then_some(path)
    };
    if let Some(path) = find() {
        println!("ok: {}", path.display());
        return Ok(path);
    }
    println!("llvm-profdata is missing: installing rustup's llvm-tools component");
    cmd::run(Command::new("rustup").args(["component", "add", "llvm-tools"]))?;
    find().context("llvm-profdata is still missing after `rustup component add llvm-tools`")
}

/// The `host:` line of `rustc -vV`.
fn host_triple(verbose_version: &str) -> Option<&str> {
    verbose_version
        .lines()
        .find_map(|line| line.strip_prefix("host:"))
        .map(str::trim)
        .filter(|host| !host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_read_from_rustc_verbose_version() {
        let vv = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nLLVM version: 22.1.2\n";
        assert_eq!(host_triple(vv), Some("x86_64-unknown-linux-gnu"));
        assert_eq!(host_triple("rustc 1.95.0\nhost: \n"), None);
        assert_eq!(host_triple(""), None);
    }
}
