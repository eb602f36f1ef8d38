//! Checks and installs the tools the build and the tests need, installing
//! only what is missing and saying what it does.
//!
//! Why here and not in a README: CI runs `.ci/run` on machines that may have
//! nothing but rustup, cargo, node/npm and apt, and the project must install
//! what it needs itself. Everything comes from crates.io, npm or Debian's
//! packages; nothing is downloaded from anywhere else (Trunk runs offline, so
//! it never fetches its own wasm-bindgen or wasm-opt either).
//!
//! - the `wasm32-unknown-unknown` target (rustup);
//! - trunk, pinned (cargo install --locked);
//! - wasm-bindgen-cli at exactly the `wasm-bindgen` version in Cargo.lock
//!   (Trunk refuses any other in offline mode); not `--locked`, because its
//!   own lock file pins a crate version the registry no longer has;
//! - wasm-opt for release builds, from npm's `binaryen` (Debian's is too
//!   old), a devDependency of `tests/browser` put on PATH;
//! - playwright-core (no browser download) and Debian's Chromium for the
//!   browser tests.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, probe, root, section};

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What a command needs beyond the Rust-to-wasm toolchain.
#[derive(Clone, Copy)]
pub struct Needs {
    /// Chromium and chromedriver, for the browser tests.
    pub browser: bool,
}

/// Makes sure every tool is there, installing what is missing.
pub fn ensure(needs: Needs) -> Result<()> {
    section("tools");
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_node()?;
    ensure_npm_deps()?;
    if needs.browser {
        ensure_chromium()?;
    }
    Ok(())
}

/// The folder of the browser tests, which also holds the npm tools.
pub fn browser_dir() -> PathBuf {
    root().join("tests").join("browser")
}

/// Cargo's bin folder, where `cargo install` puts trunk and wasm-bindgen.
fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// PATH for Trunk and the tests: npm's tools (wasm-opt) and cargo's bin
/// folder first, then the inherited PATH.
pub fn tool_path() -> OsString {
    let mut dirs = vec![browser_dir().join("node_modules").join(".bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// Runs a tool's version probe with [`tool_path`] as PATH.
fn tool_version(program: &str) -> Option<String> {
    let path = which(program)?;
    probe(path, &["--version"])
}

/// Finds a program on [`tool_path`].
pub fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&tool_path())
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = probe("rustup", &["target", "list", "--installed"])
        .context("`rustup target list --installed` failed: is rustup installed?")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("ok: rust target {WASM_TARGET}");
        return Ok(());
    }
    println!("installing rust target {WASM_TARGET}");
    cmd::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    match tool_version("trunk") {
        Some(found) if found == wanted => {
            println!("ok: {found}");
            return Ok(());
        }
        Some(found) => println!("found {found}, need {wanted}: installing (takes ~11 min)"),
        None => println!("trunk is missing: installing {wanted} (takes ~11 min)"),
    }
    cmd::run(Command::new("cargo").args([
        "install",
        "--locked",
        "trunk",
        "--version",
        TRUNK_VERSION,
    ]))
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = wasm_bindgen_version_in_lock()?;
    let wanted = format!("wasm-bindgen {version}");
    match tool_version("wasm-bindgen") {
        Some(found) if found == wanted => {
            println!("ok: {found} (matches Cargo.lock)");
            return Ok(());
        }
        Some(found) => println!("found {found}, Cargo.lock has {version}: installing"),
        None => println!("wasm-bindgen is missing: installing wasm-bindgen-cli {version}"),
    }
    // Not --locked: the CLI's own lock file pins a crate the registry lacks.
    cmd::run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

/// The `wasm-bindgen` version in the workspace's Cargo.lock.
fn wasm_bindgen_version_in_lock() -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("reading {}", lock_path.display()))?;
    wasm_bindgen_version(&lock).context("Cargo.lock has no `wasm-bindgen` package")
}

/// Finds `version` in the `[[package]]` entry whose name is `wasm-bindgen`.
fn wasm_bindgen_version(lock: &str) -> Option<String> {
    lock.split("[[package]]").find_map(|entry| {
        let field = |key: &str| {
            entry.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        (field("name")? == "wasm-bindgen").then(|| field("version"))?
    })
}

fn ensure_node() -> Result<()> {
    if let (Some(node), Some(npm)) = (probe("node", &["--version"]), probe("npm", &["--version"])) {
        println!("ok: node {node}, npm {npm}");
        return Ok(());
    }
    println!("node or npm is missing: installing Debian's nodejs and npm");
    apt_install(&["nodejs", "npm"])
}

/// `npm ci` in tests/browser when node_modules is missing or older than the
/// lock file (npm records what it installed in node_modules/.package-lock.json).
fn ensure_npm_deps() -> Result<()> {
    let dir = browser_dir();
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (
        modified(&installed),
        modified(&lock),
        modified(&dir.join("package.json")),
    ) {
        (Some(installed), Some(lock), Some(manifest)) => installed >= lock && installed >= manifest,
        _ => false,
    };
    if fresh && which("wasm-opt").is_some() {
        println!("ok: npm packages in tests/browser");
    } else {
        println!("npm packages in tests/browser are missing or stale: installing");
        cmd::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                .current_dir(&dir),
        )?;
    }
    // Trunk runs whatever `wasm-opt` is first on PATH: make sure it is npm's.
    let wasm_opt = which("wasm-opt").context("wasm-opt is not on PATH after `npm ci`")?;
    let version = probe(&wasm_opt, &["--version"])
        .with_context(|| format!("`{} --version` failed", wasm_opt.display()))?;
    println!("ok: {version} ({})", wasm_opt.display());
    if !dir.join("node_modules").join("playwright-core").is_dir() {
        bail!("playwright-core is missing from tests/browser/node_modules after `npm ci`");
    }
    Ok(())
}

fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        println!("ok: {CHROMIUM}, {CHROMEDRIVER}");
        return Ok(());
    }
    println!("Chromium is missing: installing Debian's chromium and chromium-driver");
    apt_install(&["chromium", "chromium-driver"])?;
    if !Path::new(CHROMIUM).is_file() {
        bail!("{CHROMIUM} is still missing after apt-get install");
    }
    Ok(())
}

/// `apt-get update` then `apt-get install -y`, through sudo when not root.
fn apt_install(packages: &[&str]) -> Result<()> {
    let is_root = probe("id", &["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if is_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    if !is_root && probe("sudo", &["-n", "true"]).is_none() {
        bail!(
            "not root and no password-less sudo: install {} with apt-get yourself",
            packages.join(" ")
        );
    }
    cmd::run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(packages);
    cmd::run(&mut install)
}

#[cfg(test)]
mod tests {
    use super::wasm_bindgen_version;

    #[test]
    fn finds_wasm_bindgen_not_its_namesakes() {
        let lock = r#"
[[package]]
name = "wasm-bindgen-backend"
version = "0.1.0"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(wasm_bindgen_version(lock).as_deref(), Some("0.2.130"));
        assert_eq!(wasm_bindgen_version("[[package]]\nname = \"x\"\n"), None);
    }
}
