//! Single-threaded parse throughput over a folder of raw files:
//! `cargo run --release -p stenogram-corpus --example parse_speed -- DIR [ROUNDS]`.

use std::path::PathBuf;
use std::time::Instant;

use stenogram_corpus::bundle::{collect_inputs, parse_file};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/corpus/kremlin-dev".into()),
    );
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let (files, _) = collect_inputs(&[dir]);
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read(f).unwrap()))
        .collect();
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let mut best = f64::MAX;
    let mut events = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        events = 0;
        for (name, b) in &inputs {
            events += parse_file(name, b).events.len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{events} events, {:.1} MB in {:.3} s (best of {rounds}): {:.1} MB/s",
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best
    );
}
