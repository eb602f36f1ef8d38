//! Single-threaded throughput of the preprocessor's two costliest parts
//! over a folder of raw files: parsing, then tokenising and stemming every
//! event for the search index:
//! `cargo run --profile prep -p stenogram-corpus --example parse_speed -- DIR [ROUNDS]`.
//! Each tokenising round indexes every event `PASSES` times with one
//! vocabulary, as the 35,000-event corpus revisits the dev set's words.

use std::path::PathBuf;
use std::time::Instant;

use stenogram_corpus::bundle::{collect_inputs, parse_file};
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
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read(f).unwrap()))
        .collect();
    let mb = inputs.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6;

    let parse = best_of(rounds, || {
        for (name, b) in &inputs {
            std::hint::black_box(parse_file(name, b).events.len());
        }
    });
    let events: Vec<_> = inputs
        .iter()
        .flat_map(|(name, b)| parse_file(name, b).events)
        .collect();
    println!(
        "parse: {} events, {mb:.1} MB in {parse:.3} s (best of {rounds}): {:.1} MB/s",
        events.len(),
        mb / parse
    );

    // Each turn's local slot, as the site writer numbers them.
    let slots: Vec<Vec<u32>> = events
        .iter()
        .map(|e| e.turn_labels().1.iter().map(|k| k + 1).collect())
        .collect();
    let terms = best_of(rounds, || {
        let vocab = Vocab::default();
        for _ in 0..PASSES {
            for (e, s) in events.iter().zip(&slots) {
                std::hint::black_box(event_terms(&vocab, e, s));
            }
        }
    });
    println!(
        "tokenise: {mb:.1} MB x {PASSES} in {terms:.3} s (best of {rounds}): {:.1} MB/s",
        mb * PASSES as f64 / terms
    );
}

/// The shortest of `rounds` timed runs of `round`, in seconds.
fn best_of(rounds: usize, mut round: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            round();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}
