//! Any bytes into the parser: no panic, the counts add up, and every record
//! that comes through is lossless (re-emitted, it equals its input lines
//! once whitespace is removed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stenogram_corpus::bundle::bundle_bytes;
use stenogram_corpus::parse::{parse_record, split_records, unglue};
use stenogram_corpus::reconstruct::{record_lines, without_whitespace};
use stenogram_corpus::text::decode_lines;

fuzz_target!(|data: &[u8]| {
    let lines = unglue(decode_lines(data));
    for raw in split_records(&lines).records {
        if let Ok(event) = parse_record("fuzz.txt", &raw) {
            let input = without_whitespace(raw.lines.iter().map(|l| l.text.as_str()));
            let output = without_whitespace(record_lines(&event).iter().map(String::as_str));
            assert_eq!(
                input, output,
                "record at line {} is not lossless",
                event.source.line
            );
        }
    }

    let outcome = bundle_bytes(&[("fuzz.txt".into(), data.to_vec())]);
    let s = &outcome.bundle.summary;
    assert_eq!(s.records_read, s.records_written + s.records_rejected);
});
