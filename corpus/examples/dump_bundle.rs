//! Writes the in-memory bundle of the given paths as JSON (for comparing
//! parser changes against an older build):
//! `cargo run --release -p stenogram-corpus --example dump_bundle -- OUT PATH...`.

use std::path::PathBuf;

use stenogram_corpus::bundle::{bundle_paths, write_bundle};

fn main() {
    let mut args = std::env::args().skip(1).map(PathBuf::from);
    let out = args.next().expect("usage: dump_bundle OUT PATH...");
    let paths: Vec<PathBuf> = args.collect();
    let outcome = bundle_paths(&paths);
    for d in &outcome.diagnostics {
        eprintln!("warning: {d}");
    }
    write_bundle(&outcome.bundle, &out).expect("cannot write the bundle");
}
