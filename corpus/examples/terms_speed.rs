//! Single-threaded tokenising and stemming throughput (the search index's
//! share of the preprocessor) over a folder of raw files:
//! `cargo run --profile prep -p stenogram-corpus --example terms_speed -- DIR [ROUNDS]`.
//! Each round indexes every event `PASSES` times with one vocabulary, as
//! the 35,000-event corpus revisits the dev set's words.

use std::path::PathBuf;
use std::time::Instant;

use stenogram_corpus::bundle::{collect_inputs, parse_file};
use stenogram_corpus::model::Block;
use stenogram_corpus::search_build::{event_terms, Vocab};

const PASSES: usize = 4;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/corpus/kremlin-dev".into()),
    );
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let (files, _) = collect_inputs(&[dir]);
    let mut events = Vec::new();
    let mut bytes = 0;
    for f in &files {
        let b = std::fs::read(f).unwrap();
        bytes += b.len();
        events.extend(parse_file(&f.display().to_string(), &b).events);
    }
    // One local slot per turn, as the site writer numbers labels.
    let slots: Vec<Vec<u32>> = events
        .iter()
        .map(|e| {
            let mut labels: Vec<&str> = Vec::new();
            e.blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Turn(t) => Some(t),
                    _ => None,
                })
                .map(|t| {
                    let k = labels
                        .iter()
                        .position(|l| *l == t.label)
                        .unwrap_or_else(|| {
                            labels.push(&t.label);
                            labels.len() - 1
                        });
                    k as u32 + 1
                })
                .collect()
        })
        .collect();
    let mut best = f64::MAX;
    let mut terms = 0;
    for _ in 0..rounds {
        let vocab = Vocab::default();
        let start = Instant::now();
        terms = 0;
        for _ in 0..PASSES {
            for (e, s) in events.iter().zip(&slots) {
                let t = event_terms(&vocab, e, s);
                terms += t.masks.len() + t.keys.len();
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = (bytes * PASSES) as f64 / 1e6;
    println!(
        "{} events x {PASSES}, {mb:.1} MB of raw input, {terms} event terms, in {best:.3} s (best of {rounds}): {:.1} MB/s",
        events.len(),
        mb / best
    );
}
