//! Building and serving the site with Trunk.
//!
//! Trunk compiles the app to wasm and, through the pre_build hook in
//! `Trunk.toml` (`cargo xtask bundle-hook`, see [`crate::hook`]), writes the
//! site's data (`data/index.json` and `data/shards/`) next to it. Which transcripts go in is
//! passed to the hook in `STENOGRAM_CORPUS` (absolute paths joined like PATH),
//! since Trunk has no way to forward arguments to a hook.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use clap::Args;

use crate::cmd::{self, root, section};
use crate::release;
use crate::tools::{self, Needs};

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Raw transcript files or folders of `.txt` files [default: data/].
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// The URL path the site is served under, e.g. `/stenogram/`.
    #[arg(long, default_value = "/")]
    pub public_url: String,
    /// Fail if any record of the corpus is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Output folder [default: dist/].
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,
}

/// A release build of the site.
pub struct Site {
    pub corpus: Vec<PathBuf>,
    pub public_url: String,
    pub strict: bool,
    pub dist: PathBuf,
}

/// `cargo xtask build`.
pub fn build(args: &BuildArgs) -> Result<()> {
    tools::ensure(Needs { browser: false })?;
    let site = Site {
        corpus: if args.corpus.is_empty() {
            vec![root().join("data")]
        } else {
            args.corpus.clone()
        },
        public_url: args.public_url.clone(),
        strict: args.strict,
        dist: args.dist.clone().unwrap_or_else(|| root().join("dist")),
    };
    build_site(&site)
}

/// Runs `trunk build --release`, adds the CSP and stamps the build version
/// ([`release::finish`]), and checks that the result has a page, a service
/// worker and a corpus bundle.
pub fn build_site(site: &Site) -> Result<()> {
    section(&format!("release build (public URL {})", site.public_url));
    fetch_crates()?;
    let dist = absolute(&site.dist)?;
    let mut trunk = Command::new("trunk");
    trunk
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            &site.public_url,
        ])
        .arg("--dist")
        .arg(&dist)
        .current_dir(root())
        .env("PATH", tools::tool_path())
        .env("STENOGRAM_CORPUS", corpus_env(&site.corpus)?);
    if site.strict {
        trunk.env("STENOGRAM_STRICT", "1");
    } else {
        trunk.env_remove("STENOGRAM_STRICT");
    }
    quiet_backtraces(&mut trunk);
    cmd::run(&mut trunk)?;

    // Content-Security-Policy and the service worker's build version (see
    // crate::release): only here, never in `trunk serve`.
    let finished = release::finish(&dist)?;
    println!("content security policy: {}", finished.csp);
    println!("build version (service worker cache): {}", finished.version);

    for file in ["index.html", "sw.js", "register-sw.js", "data/index.json"] {
        let path = dist.join(file);
        let len = std::fs::metadata(&path)
            .with_context(|| format!("the build has no {}", path.display()))?
            .len();
        println!("built {} ({len} bytes)", path.display());
    }
    let wasm = std::fs::read_dir(&dist)?
        .filter_map(|entry| entry.ok())
        .find(|entry| entry.path().extension().is_some_and(|ext| ext == "wasm"))
        .context("the build has no .wasm file")?;
    println!(
        "built {} ({} bytes)",
        wasm.path().display(),
        wasm.metadata()?.len()
    );
    Ok(())
}

/// `cargo xtask serve`: a debug build with live reload on 127.0.0.1:8080.
///
/// Deliberately without [`release::finish`]: no Content-Security-Policy
/// (Trunk's live-reload script is inline and would be blocked) and no build
/// version, so `register-sw.js` registers no service worker and nothing is
/// served from a stale cache while developing.
pub fn serve() -> Result<()> {
    tools::ensure(Needs { browser: false })?;
    section("trunk serve on http://127.0.0.1:8080/");
    fetch_crates()?;
    // Trunk refuses to start when a [watch] ignore path does not exist.
    for dir in ["dist", "target", "tests/browser/node_modules"] {
        std::fs::create_dir_all(root().join(dir))?;
    }
    let corpus = match std::env::var_os("STENOGRAM_CORPUS") {
        Some(corpus) => corpus,
        None => corpus_env(&[root().join("data")])?,
    };
    let mut trunk = Command::new("trunk");
    trunk
        .args([
            "serve",
            "--offline",
            "--address",
            "127.0.0.1",
            "--port",
            "8080",
        ])
        .current_dir(root())
        .env("PATH", tools::tool_path())
        .env("STENOGRAM_CORPUS", corpus);
    quiet_backtraces(&mut trunk);
    cmd::run(&mut trunk)
}

/// With RUST_BACKTRACE=1 in the environment, Trunk prints a stack trace of
/// its own for a failed hook, burying the hook's message: keep its errors to
/// the message unless RUST_LIB_BACKTRACE asks otherwise.
fn quiet_backtraces(trunk: &mut Command) {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        trunk.env("RUST_LIB_BACKTRACE", "0");
    }
}

/// Downloads every crate in Cargo.lock, for every target: Trunk runs
/// `cargo build --offline`, and on a fresh machine the wasm-only dependencies
/// would otherwise be missing (a native `cargo test` does not fetch them).
fn fetch_crates() -> Result<()> {
    cmd::run(Command::new("cargo").arg("fetch").current_dir(root()))
}

/// The corpus paths, made absolute and checked, joined for `STENOGRAM_CORPUS`.
fn corpus_env(paths: &[PathBuf]) -> Result<OsString> {
    let mut absolute_paths = Vec::new();
    for path in paths {
        let path = std::fs::canonicalize(path)
            .with_context(|| format!("corpus path {} does not exist", path.display()))?;
        absolute_paths.push(path);
    }
    std::env::join_paths(&absolute_paths).context("a corpus path contains the path separator ':'")
}

/// `path` made absolute against the current directory (it need not exist).
fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))
}
