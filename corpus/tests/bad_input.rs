//! Bad input: every problem is reported with file, line and reason; the
//! other records still come through; the counts add up; nothing panics.

use proptest::prelude::*;
use stenogram_corpus::bundle::{bundle_bytes, parse_file, report};
use stenogram_corpus::parse::{parse_record, split_records, unglue};
use stenogram_corpus::reconstruct::{record_lines, without_whitespace};
use stenogram_corpus::text::decode_lines;

const GOOD: &str = "Events\nMeeting one\nLead one.\nNovember 20, 2020\n19:00\nThe Kremlin, Moscow\nVladimir Putin: Hello.\nTopics\nArmed Forces\nPublication status\nPublished in sections: News, Transcripts\nPublication date: November 20, 2020, 19:00\nText version";

fn good(title: &str) -> String {
    GOOD.replace("Meeting one", title)
}

fn counts_add_up(name: &str, bytes: &[u8]) -> stenogram_corpus::bundle::FileParse {
    let fp = parse_file(name, bytes);
    assert_eq!(
        fp.records_read as usize,
        fp.events.len() + fp.diagnostics.len(),
        "{:?}",
        fp.diagnostics
    );
    fp
}

#[test]
fn a_record_without_a_date_is_rejected_and_its_neighbours_kept() {
    let text = format!(
        "{}Events\nNo date here\nSome lead.\nVladimir Putin: Hi.\nText version{}",
        good("First"),
        good("Third")
    );
    let fp = counts_add_up("a.txt", text.as_bytes());
    let titles: Vec<_> = fp.events.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["First", "Third"]);
    assert_eq!(fp.diagnostics.len(), 1);
    let d = &fp.diagnostics[0];
    assert_eq!((d.file.as_str(), d.line), ("a.txt", 14));
    assert!(d.reason.contains("no date line"), "{d}");
    assert_eq!(d.to_string(), format!("a.txt:14: {}", d.reason));
}

#[test]
fn a_truncated_record_does_not_swallow_the_next() {
    // The middle record stops before its footer; the next one opens normally.
    let text = format!(
        "{}\nEvents\nCut short\nNovember 21, 2020\nVladimir Putin: I was saying\n{}",
        good("First"),
        good("Third")
    );
    let fp = counts_add_up("b.txt", text.as_bytes());
    let titles: Vec<_> = fp.events.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["First", "Third"]);
    assert_eq!(fp.diagnostics[0].line, 14);
    assert!(
        fp.diagnostics[0].reason.contains("truncated record"),
        "{}",
        fp.diagnostics[0]
    );
}

#[test]
fn a_record_truncated_at_the_end_of_the_file_is_rejected() {
    let text = format!(
        "{}Events\nLast\nNovember 22, 2020\n12:00\nVladimir Putin: And so",
        good("First")
    );
    let fp = counts_add_up("c.txt", text.as_bytes());
    assert_eq!(fp.events.len(), 1);
    assert!(fp.diagnostics[0].reason.contains("truncated"));
}

#[test]
fn a_file_that_is_not_the_format_is_one_rejected_record() {
    let fp = counts_add_up("notes.txt", b"Shopping list\neggs\nmilk\n");
    assert!(fp.events.is_empty());
    assert_eq!(fp.diagnostics.len(), 1);
    assert_eq!(fp.diagnostics[0].line, 1);
    assert!(fp.diagnostics[0]
        .reason
        .contains("not a kremlin.ru text export"));
}

#[test]
fn invalid_utf8_rejects_only_its_record() {
    let mut bytes = good("First").into_bytes();
    bytes.extend_from_slice(b"Events\nBroken \xFF\xFE bytes\nNovember 20, 2020\nText version");
    bytes.extend_from_slice(good("Third").as_bytes());
    let fp = counts_add_up("d.txt", &bytes);
    assert_eq!(fp.events.len(), 2);
    assert_eq!(
        fp.diagnostics[0].line, 14,
        "\"Text versionEvents\" is line 13"
    );
    assert!(fp.diagnostics[0].reason.contains("invalid UTF-8"));
}

#[test]
fn bom_crlf_nbsp_zero_width_and_no_final_newline() {
    let text = format!("\u{FEFF}{}", good("A\u{00A0}title\u{200B}")).replace('\n', "\r\n");
    let fp = counts_add_up("e.txt", text.as_bytes());
    assert!(fp.diagnostics.is_empty(), "{:?}", fp.diagnostics);
    assert_eq!(fp.events[0].title, "A title");
    assert_eq!(fp.events[0].time.as_deref(), Some("19:00"));
    assert_eq!(fp.events[0].topics, ["Armed Forces"]);
}

#[test]
fn strict_mode_fails_on_any_rejected_record_and_lenient_mode_warns() {
    let text = format!("{}Events\nNo date\nText version", good("First"));
    let outcome = bundle_bytes(&[("f.txt".into(), text.into_bytes())]);
    let s = &outcome.bundle.summary;
    assert_eq!(
        (s.records_read, s.records_written, s.records_rejected),
        (2, 1, 1)
    );
    let mut out = Vec::new();
    assert!(report(&outcome, false, &mut out));
    let printed = String::from_utf8(out).unwrap();
    assert!(printed.contains("warning: f.txt:14:"), "{printed}");
    assert!(
        printed.contains("2 record(s) read = 1 written + 1 rejected"),
        "{printed}"
    );
    assert!(!report(&outcome, true, &mut Vec::new()));
}

#[test]
fn duplicate_titles_on_one_day_get_distinct_ids() {
    let text = format!("{}{}", good("Same"), good("Same"));
    let outcome = bundle_bytes(&[("g.txt".into(), text.into_bytes())]);
    let ids: Vec<_> = outcome
        .bundle
        .events
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(ids, ["2020-11-20-same", "2020-11-20-same-2"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic_and_counts_add_up(s in "\\PC*") {
        counts_add_up("p.txt", s.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        counts_add_up("p.bin", &bytes);
    }

    /// Any titles, in any script, make distinct ids, also when a title
    /// repeats or looks like another's suffixed id ("X", "X", "X 2").
    #[test]
    fn arbitrary_titles_make_distinct_ids(titles in proptest::collection::vec("[^\\n]{1,120}", 1..6), repeat in 0usize..6) {
        let mut titles: Vec<String> = titles.into_iter().map(|t| format!("x{t}")).collect();
        let first = titles[0].clone();
        titles.push(first.clone());
        titles.push(format!("{first} 2"));
        let by = repeat % titles.len();
        titles.rotate_left(by);
        let text: String = titles.iter().map(|t| good(t)).collect();
        let outcome = bundle_bytes(&[("t.txt".into(), text.into_bytes())]);
        prop_assert_eq!(outcome.bundle.events.len(), titles.len(), "{:?}", outcome.diagnostics);
        let ids: std::collections::HashSet<&str> = outcome.bundle.events.iter().map(|e| e.id.as_str()).collect();
        prop_assert_eq!(ids.len(), titles.len());
        for e in &outcome.bundle.events {
            prop_assert!(e.id.starts_with("2020-11-20"));
            prop_assert!(!e.id.contains("--") && !e.id.ends_with('-'), "{}", e.id);
        }
    }

    /// Real records with lines dropped, duplicated or garbled: still no panic.
    #[test]
    fn mangled_records_never_panic(ops in proptest::collection::vec((0usize..40, 0u8..4, "\\PC{0,12}"), 0..12)) {
        let mut lines: Vec<String> = format!("{}{}", good("One"), good("Two")).lines().map(str::to_string).collect();
        for (at, op, junk) in ops {
            let at = at % (lines.len() + 1);
            match op {
                0 if at < lines.len() => { lines.remove(at); }
                1 if at < lines.len() => { let l = lines[at].clone(); lines.insert(at, l); }
                2 => lines.insert(at, junk),
                _ if at < lines.len() => lines[at].push_str(&junk),
                _ => {}
            }
        }
        let bytes = lines.join("\n").into_bytes();
        let outcome = bundle_bytes(&[("m.txt".into(), bytes.clone())]);
        let s = &outcome.bundle.summary;
        prop_assert_eq!(s.records_read, s.records_written + s.records_rejected);
        // Whatever comes through is lossless.
        let decoded = unglue(decode_lines(&bytes));
        for raw in split_records(&decoded).records {
            if let Ok(event) = parse_record("m.txt", &raw) {
                let input = without_whitespace(raw.lines.iter().map(|l| l.text.as_str()));
                prop_assert_eq!(without_whitespace(record_lines(&event).iter().map(String::as_str)), input);
            }
        }
    }
}

/// Found by fuzzing: "May 9, 20" was read as the year 20 and re-emitted as
/// "May 9, 0020". A date line must read back exactly as printed.
#[test]
fn fuzz_regression_short_year_is_not_a_date() {
    let fp = counts_add_up(
        "fuzz.txt",
        b"Events\nT\nMay 9, 20\nVldia91n:ents\nT\nMay 9, 20r PuHt: nii.\nText version",
    );
    assert!(fp.events.is_empty());
    assert!(fp.diagnostics[0].reason.contains("no date line"));
    assert_eq!(stenogram_corpus::parse::parse_date("May 09, 2019"), None);
    assert!(stenogram_corpus::parse::parse_date("May 9, 2019").is_some());
}

/// Found by fuzzing: "VHt:s" followed by ":" was taken for a label split
/// from its colon, and the "s:" after the first colon was lost.
#[test]
fn fuzz_regression_split_label_keeps_text_after_an_earlier_colon() {
    let fp = counts_add_up(
        "fuzz.txt",
        b"Events\n:\nMay 9, 2019\nVHt:s\n:\nText version",
    );
    let turns: Vec<_> = fp.events[0].turns().collect();
    assert_eq!(turns[0].label, "VHt");
    let all: Vec<&str> = turns
        .iter()
        .flat_map(|t| t.paragraphs.iter().map(String::as_str))
        .collect();
    assert_eq!(all.concat(), "s:");
}

/// Long non-ASCII titles used to be cut inside a character when making the
/// event id ("byte index 60 is not a char boundary").
#[test]
fn long_cyrillic_titles_make_valid_ids() {
    let title =
        "Совещание по вопросам социально-экономического развития Дальнего Востока и Арктики";
    let outcome = bundle_bytes(&[("ru.txt".into(), good(title).into_bytes())]);
    let id = &outcome.bundle.events[0].id;
    assert!(id.starts_with("2020-11-20-совещание-по-вопросам"), "{id}");
    assert!(id.len() <= 11 + 60, "{id}");
}

/// Found in review: "Same" twice, then "Same 2", gave two events the id
/// `…-same-2`.
#[test]
fn a_suffixed_id_never_collides_with_a_natural_one() {
    let text = format!("{}{}{}", good("Same"), good("Same"), good("Same 2"));
    let outcome = bundle_bytes(&[("h.txt".into(), text.into_bytes())]);
    let ids: Vec<_> = outcome
        .bundle
        .events
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "2020-11-20-same",
            "2020-11-20-same-2",
            "2020-11-20-same-2-2"
        ]
    );
}

/// Found in review: an annotation on both halves of a split label lost the first.
#[test]
fn annotations_on_both_halves_of_a_split_label_are_kept() {
    let text = GOOD.replace(
        "Vladimir Putin: Hello.",
        "Vladimir Putin (retranslated)\n(via interpreter): Hello.",
    );
    let fp = counts_add_up("i.txt", text.as_bytes());
    let body = stenogram_corpus::reconstruct::body_lines(&fp.events[0]).concat();
    assert!(
        body.contains("(retranslated)") && body.contains("(via interpreter)"),
        "{body}"
    );
}
