//! Trunk's pre_build hook: raw transcripts in, the site's data out
//! (`data/index.json` and `data/shards/<hash>.json`).
//!
//! Trunk runs `cargo xtask bundle-hook` before each build with
//! `TRUNK_STAGING_DIR` set; whatever we write there ends up in the dist
//! folder, so the data is generated on every build and never committed.
//! The corpus comes from `STENOGRAM_CORPUS` (paths joined like PATH, set by
//! `cargo xtask build`/`serve`), defaulting to the embedded `data/`.
//!
//! Bad records do not stop the build: each one is a warning naming file and
//! line, and the site is built from the rest. The build fails only when no
//! record survives, or with `STENOGRAM_STRICT=1` when any record was rejected.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use stenogram_corpus::site::{write_site, SiteOptions};

use crate::cmd::root;

pub fn run() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .context("TRUNK_STAGING_DIR is not set: this hook is run by Trunk (see Trunk.toml)")?;
    let paths: Vec<PathBuf> = match std::env::var_os("STENOGRAM_CORPUS") {
        Some(list) if !list.is_empty() => std::env::split_paths(&list)
            .filter(|path| !path.as_os_str().is_empty())
            .collect(),
        _ => vec![root().join("data")],
    };
    let strict = std::env::var("STENOGRAM_STRICT").is_ok_and(|v| !v.is_empty() && v != "0");

    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "bundle-hook: corpus {}{}",
        list.join(", "),
        if strict { " (strict)" } else { "" }
    );

    let out = staging.join("data");
    let options = SiteOptions::default().with_terminal_progress();
    let outcome =
        write_site(&paths, &out, &options).with_context(|| format!("writing {}", out.display()))?;
    for diagnostic in &outcome.diagnostics {
        eprintln!("warning: {diagnostic}");
    }
    let summary = &outcome.index.summary;
    eprintln!(
        "bundle-hook: {} files read, {} records read, {} written, {} rejected",
        summary.files_read, summary.records_read, summary.records_written, summary.records_rejected
    );
    if summary.records_written == 0 {
        bail!("no record was written: the site would be empty");
    }
    if strict && summary.records_rejected > 0 {
        bail!(
            "{} records rejected (strict mode)",
            summary.records_rejected
        );
    }
    eprintln!(
        "bundle-hook: wrote {} ({} bytes) and {} shard(s)",
        out.join("index.json").display(),
        outcome.index_bytes,
        outcome.index.shards.len()
    );
    Ok(())
}
