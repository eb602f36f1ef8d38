//! `cargo xtask test`: every test the project has, in one command.
//!
//! 1. native: `cargo test --workspace` (the app's pure logic, the corpus
//!    parser and bundle writer, this crate);
//! 2. a release build with public URL `/stenogram/`, as on GitHub Pages, so
//!    the browser tests catch base-path mistakes;
//! 3. the browser tests (`tests/browser/*.test.mjs`, node's test runner,
//!    playwright-core driving Debian's Chromium) against that build, served
//!    by `tests/browser/server.mjs` on 127.0.0.1.
//!
//! It fails rather than passes vacuously: no spec file, or a run that
//! executed no test, is an error. The static server is stopped on every exit
//! path (a guard kills it on drop, and it also exits when its stdin closes,
//! should this process die without unwinding).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::cmd::{self, root, section};
use crate::site::{self, Site};
use crate::tools::{self, Needs};

/// The URL prefix the site is tested under, as on GitHub Pages.
const PREFIX: &str = "/stenogram/";

pub fn run() -> Result<()> {
    tools::ensure(Needs { browser: true })?;

    section("native tests: cargo test --workspace");
    cmd::run(
        Command::new("cargo")
            .args(["test", "--workspace"])
            .current_dir(root()),
    )?;

    let work = root().join("target").join("xtask");
    let dist = work.join("site");
    site::build_site(&Site {
        corpus: vec![root().join("data")],
        public_url: PREFIX.to_string(),
        strict: false,
        dist: dist.clone(),
    })?;

    section("browser tests: node --test tests/browser/");
    let specs = browser_specs()?;
    let server = StaticServer::start(&dist, PREFIX)?;
    println!("serving {} at {}", dist.display(), server.url);
    let tap = work.join("browser-tests.tap");
    let _ = std::fs::remove_file(&tap);
    // Two reporters: the readable one on stdout, TAP to a file to count tests.
    let mut reporter_destination = std::ffi::OsString::from("--test-reporter-destination=");
    reporter_destination.push(&tap);
    let mut node = Command::new("node");
    node.arg("--test")
        .args(["--test-reporter=spec", "--test-reporter-destination=stdout"])
        .arg("--test-reporter=tap")
        .arg(reporter_destination)
        .args(&specs)
        .current_dir(root())
        .env("PATH", tools::tool_path())
        .env("STENOGRAM_BASE_URL", &server.url)
        // For tests that serve the site themselves (offline, redeploy).
        .env("STENOGRAM_SITE_DIR", &dist);
    let result = cmd::run(&mut node);
    drop(server);
    result?;
    let count = tests_run(&tap)?;
    if count == 0 {
        bail!("the browser tests ran no test");
    }
    println!("\nall tests passed ({count} browser tests)");
    Ok(())
}

/// The spec files, relative to the workspace root; none is an error.
fn browser_specs() -> Result<Vec<PathBuf>> {
    let dir = tools::browser_dir();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with(".test.mjs") || name.ends_with(".test.js"))
        })
        .map(|path| {
            path.strip_prefix(root())
                .map(Path::to_path_buf)
                .unwrap_or(path)
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        bail!("no browser spec (*.test.mjs) in {}", dir.display());
    }
    Ok(specs)
}

/// The number of tests node's TAP reporter counted (`# tests N`).
fn tests_run(tap: &Path) -> Result<u64> {
    let text =
        std::fs::read_to_string(tap).with_context(|| format!("reading {}", tap.display()))?;
    text.lines()
        .rev()
        .find_map(|line| line.strip_prefix("# tests "))
        .and_then(|n| n.trim().parse().ok())
        .context("the TAP report has no `# tests N` line")
}

/// `node tests/browser/server.mjs` on a free port of 127.0.0.1, killed on drop.
struct StaticServer {
    child: Child,
    url: String,
}

impl StaticServer {
    fn start(dist: &Path, prefix: &str) -> Result<Self> {
        let mut command = Command::new("node");
        command
            .arg(tools::browser_dir().join("server.mjs"))
            .arg("--root")
            .arg(dist)
            .args(["--prefix", prefix, "--port", "0", "--exit-on-stdin-close"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        println!("$ {}", cmd::display(&command));
        let mut child = command
            .spawn()
            .context("could not start the static server")?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first = String::new();
        stdout.read_line(&mut first)?;
        // The server prints `listening URL` once ready; pass the rest through.
        std::thread::spawn(move || {
            let mut rest = String::new();
            while let Ok(n) = stdout.read_to_string(&mut rest) {
                if n == 0 {
                    break;
                }
                print!("{rest}");
                rest.clear();
            }
        });
        let mut server = Self {
            child,
            url: String::new(),
        };
        match first.trim().strip_prefix("listening ") {
            Some(url) => server.url = url.to_string(),
            None => bail!("the static server did not start (it printed {first:?})"),
        }
        Ok(server)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
