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

    let best_of = |mut round: Box<dyn FnMut()>| {
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                round();
                start.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };

    let parse = best_of(Box::new(|| {
        for (name, b) in &inputs {
            std::hint::black_box(parse_file(name, b).events.len());
        }
    }));
    let events: Vec<_> = inputs
        .iter()
        .flat_map(|(name, b)| parse_file(name, b).events)
        .collect();
    println!(
        "parse: {} events, {mb:.1} MB in {parse:.3} s (best of {rounds}): {:.1} MB/s",
        events.len(),
        mb / parse
    );

    // One local slot per turn, numbered by label as the site writer does.
    let slots: Vec<Vec<u32>> = events
        .iter()
        .map(|e| {
            let mut labels: Vec<&str> = Vec::new();
            e.turns()
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
    let terms = best_of(Box::new(|| {
        let vocab = Vocab::default();
        for _ in 0..PASSES {
            for (e, s) in events.iter().zip(&slots) {
                std::hint::black_box(event_terms(&vocab, e, s));
            }
        }
    }));
    println!(
        "tokenise: {mb:.1} MB x {PASSES} in {terms:.3} s (best of {rounds}): {:.1} MB/s",
        mb * PASSES as f64 / terms
    );
}
