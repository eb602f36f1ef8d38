//! Over the whole dev set: every input line of every record appears in the
//! output exactly once, in order, and nothing is added (compared without
//! whitespace, since the parser joins broken lines into paragraphs).

use std::path::PathBuf;

use stenogram_corpus::bundle::parse_file;
use stenogram_corpus::parse::{split_records, unglue};
use stenogram_corpus::reconstruct::{record_lines, without_whitespace};
use stenogram_corpus::text::decode_lines;

fn dev_set() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/kremlin-dev");
    assert!(
        dir.is_dir(),
        "the dev set is expected at {} (a checkout of the project with ../shared beside it)",
        dir.display()
    );
    dir
}

#[test]
fn every_line_of_the_dev_set_appears_once_in_order() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dev_set())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    let mut records = 0;
    let mut failures = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let parsed = parse_file(&name, &bytes);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let lines = unglue(decode_lines(&bytes));
        let split = split_records(&lines);
        assert!(split.strays.is_empty());
        assert_eq!(split.records.len(), parsed.events.len());
        for (raw, event) in split.records.iter().zip(&parsed.events) {
            records += 1;
            let input = without_whitespace(raw.lines.iter().map(|l| l.text.as_str()));
            let rebuilt = record_lines(event);
            let output = without_whitespace(rebuilt.iter().map(String::as_str));
            if input != output {
                let at = input
                    .chars()
                    .zip(output.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                let ctx = |s: &str| {
                    s.chars()
                        .skip(at.saturating_sub(30))
                        .take(80)
                        .collect::<String>()
                };
                failures.push(format!(
                    "{name}:{}: differs at char {at}\n  input:  {}\n  output: {}",
                    event.source.line,
                    ctx(&input),
                    ctx(&output)
                ));
            }
        }
    }
    assert_eq!(records, 1094);
    assert!(
        failures.is_empty(),
        "{} of {records} records not lossless:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
