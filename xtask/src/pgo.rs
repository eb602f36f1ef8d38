//! The corpus CLI built with profile-guided optimisation: the build the
//! bench measures, and the one to use on a large corpus
//! (`cargo xtask preprocessor` prints its path).
//!
//! Why: preprocessing is branchy code (a line parser, a word scanner, hash
//! tables) that keeps both cores busy, and telling the compiler which
//! branches are taken and which functions are hot cut its CPU time by
//! 8-10 % on the 35,000-event corpus (BENCHMARKS.md). The profile comes
//! from the project's own sample, `data/` (the bench's seed), never from
//! the dev set or the corpus generated from it, so the large figures are
//! not measured on the profile's own training set.
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

use crate::cmd::{self, cargo_target_dir, probe, root, section, StdoutToStderr};

/// Builds the profile-guided corpus CLI and returns its path.
pub fn build_preprocessor(target_dir: &Path) -> Result<PathBuf> {
    let profdata = ensure_llvm_profdata()?;
    let work = target_dir.join("pgo");
    let raw = work.join("raw");

    section("corpus CLI, instrumented (-Cprofile-generate)");
    let generate_dir = work.join("generate");
    cmd::run(&mut cargo_build(
        &generate_dir,
        &flag("-Cprofile-generate=", &raw)?,
    ))?;

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
        println!("ok: profile {} (same CLI, same sample)", profile.display());
    } else {
        section("training run over data/ (the embedded sample)");
        // Build scripts ran instrumented too: only the training run counts.
        if raw.exists() {
            fs::remove_dir_all(&raw).with_context(|| format!("emptying {}", raw.display()))?;
        }
        fs::create_dir_all(&raw).with_context(|| format!("creating {}", raw.display()))?;
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
        // Older profiles and the raw counts go: only this one is used now.
        let _ = fs::remove_dir_all(&raw);
        for entry in fs::read_dir(&work)
            .with_context(|| format!("reading {}", work.display()))?
            .flatten()
        {
            if entry.path().extension().is_some_and(|x| x == "profdata") && entry.path() != merged {
                let _ = fs::remove_file(entry.path());
            }
        }
        fs::rename(&merged, &profile)
            .with_context(|| format!("renaming {} to {}", merged.display(), profile.display()))?;
    }

    section("corpus CLI, optimised with the profile (-Cprofile-use)");
    let use_dir = work.join("use");
    cmd::run(&mut cargo_build(
        &use_dir,
        &flag("-Cprofile-use=", &profile)?,
    ))?;
    built(&use_dir)
}

/// The plain `prep` build (what `cargo xtask bench --no-pgo` measures),
/// with no flags from the environment either, as for the PGO build.
pub fn build_plain(target_dir: &Path) -> Result<PathBuf> {
    section("corpus CLI: cargo build --profile prep -p stenogram-corpus (--no-pgo)");
    cmd::run(&mut cargo_build(target_dir, ""))?;
    built(target_dir)
}

/// The CLI a build into `target_dir` made, which must be there.
fn built(target_dir: &Path) -> Result<PathBuf> {
    let cli = cli_in(target_dir);
    if !cli.is_file() {
        bail!("{} is missing after the build", cli.display());
    }
    Ok(cli)
}

/// A hash of the instrumented CLI's bytes and of the sample's input files
/// (the `.txt` files the CLI reads, found as it finds them: paths and
/// bytes, in path order).
fn content_hash(cli: &Path, sample: &Path) -> Result<u64> {
    let mut hasher = DefaultHasher::new();
    fs::read(cli)
        .with_context(|| format!("reading {}", cli.display()))?
        .hash(&mut hasher);
    let (files, problems) = stenogram_corpus::bundle::collect_inputs(&[sample.to_path_buf()]);
    if let Some(problem) = problems.first() {
        bail!("the training sample: {problem}");
    }
    for file in files {
        file.hash(&mut hasher);
        fs::read(&file)
            .with_context(|| format!("reading {}", file.display()))?
            .hash(&mut hasher);
    }
    Ok(hasher.finish())
}

/// `cargo xtask preprocessor`: builds it and prints its path, the only
/// line on stdout (the builds' output goes to stderr), so that
/// `CLI=$(cargo xtask preprocessor)` works.
pub fn run() -> Result<()> {
    let cli = {
        let _redirect = StdoutToStderr::new()?;
        build_preprocessor(&cargo_target_dir())?
    };
    println!("{}", cli.display());
    Ok(())
}

/// `cargo build --profile prep -p stenogram-corpus` into `target_dir`,
/// with `rustflags` (one flag) and none from the environment.
fn cargo_build(target_dir: &Path, rustflags: &str) -> Command {
    let mut command = Command::new("cargo");
    command
        .args(["build", "--profile", "prep", "-p", "stenogram-corpus"])
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(root())
        // Cargo takes it before RUSTFLAGS and never splits it at spaces
        // (a path may hold one); its separator is 0x1F.
        .env("CARGO_ENCODED_RUSTFLAGS", rustflags)
        .env_remove("RUSTFLAGS");
    command
}

/// A rustc flag ending in a path, which must be UTF-8 to go into
/// `CARGO_ENCODED_RUSTFLAGS`.
fn flag(prefix: &str, path: &Path) -> Result<String> {
    let path = path
        .to_str()
        .with_context(|| format!("{} is not UTF-8", path.display()))?;
    Ok(format!("{prefix}{path}"))
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
    cmd::run(Command::new("rustup").args(["component", "add", "llvm-tools"])).context(
        "installing llvm-tools for the profile-guided build (`cargo xtask bench --no-pgo` measures the plain build)",
    )?;
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
