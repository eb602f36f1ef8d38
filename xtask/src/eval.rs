//! `cargo xtask eval`: parser fidelity against the dev set's ground truth.
//!
//! A thin wrapper so the figures come from the same code the site is built
//! with; the comparison itself lives in `stenogram_corpus::eval`. The report
//! goes to stdout as pretty JSON so it can be piped or diffed.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};

pub fn run(truth: &Path, paths: &[PathBuf]) -> Result<()> {
    let report = stenogram_corpus::eval::evaluate(truth, paths).map_err(|err| anyhow!(err))?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
