//! Property: parse -> bundle -> JSON -> load preserves every body line.
//!
//! Records are generated from the export's own vocabulary (labels split from
//! their colon, continuation lines, sliders, captions, separators, "See
//! also" boxes, sentences with colons, HTML, bidi controls), bundled,
//! serialised, read back as the app reads them, and re-emitted: the result
//! must equal the input once whitespace is removed.

use proptest::prelude::*;
use stenogram_corpus::bundle::bundle_bytes;
use stenogram_corpus::model::Bundle;
use stenogram_corpus::reconstruct::{record_lines, without_whitespace};
use stenogram_corpus::text::normalise;

fn body_line() -> impl Strategy<Value = Vec<String>> {
    let word = "[A-Za-z<>&\u{202E}\u{00A0}]{1,8}";
    prop_oneof![
        // A sentence, possibly with a colon in it.
        proptest::collection::vec(word, 1..12).prop_map(|w| vec![format!("{}.", w.join(" "))]),
        proptest::collection::vec(word, 1..6)
            .prop_map(|w| vec![format!("I repeat: {}.", w.join(" "))]),
        Just(vec![
            "President of Russia Vladimir Putin: Good afternoon, colleagues.".to_string()
        ]),
        Just(vec!["Vladimir Putin: Fine.".to_string()]),
        Just(vec![
            "Foreign Minister Sergei Lavrov".to_string(),
            ": Mr President,".to_string()
        ]),
        Just(vec![
            "King Abdullah II of Jordan".to_string(),
            "(retranslated): Thank you.".to_string()
        ]),
        Just(vec!["Question: <script>alert(1)</script>?".to_string()]),
        Just(vec![
            "I met Alexander Novak".to_string(),
            ", Deputy Prime Minister, today.".to_string()
        ]),
        Just(vec![
            "Army General Sergei Shoigu".to_string(),
            "reviewed the parade.".to_string()
        ]),
        Just(vec!["2 of 6".to_string(), "At the meeting.".to_string()]),
        Just(vec!["With Defence Minister Sergei Shoigu.".to_string()]),
        Just(vec!["* * *".to_string()]),
        Just(vec![
            "See also".to_string(),
            "Meeting with Government members".to_string(),
            "May 8, 2019".to_string()
        ]),
        Just(vec!["Remarks at the reception".to_string()]),
    ]
}

fn record() -> impl Strategy<Value = Vec<String>> {
    (
        proptest::collection::vec(body_line(), 0..25),
        proptest::bool::ANY,
        proptest::bool::ANY,
    )
        .prop_map(|(body, place, topics)| {
            let mut lines = vec![
                "Events".to_string(),
                "A title".to_string(),
                "A lead.".to_string(),
                "May 9, 2019".to_string(),
                "10:00".to_string(),
            ];
            if place {
                lines.push("Red Square, Moscow".to_string());
            }
            lines.extend(body.into_iter().flatten());
            if topics {
                lines.extend(["Topics".to_string(), "Armed Forces".to_string()]);
            }
            lines.extend(
                [
                    "Publication status",
                    "Published in sections: News, Transcripts",
                    "Publication date: May 9, 2019, 10:00",
                    "Text version",
                ]
                .map(str::to_string),
            );
            lines
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parse_bundle_load_preserves_every_line(records in proptest::collection::vec(record(), 1..4)) {
        let text: String = records.iter().map(|r| r.join("\n")).collect::<Vec<_>>().join("");
        let outcome = bundle_bytes(&[("r.txt".into(), text.into_bytes())]);
        prop_assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
        let json = serde_json::to_string(&outcome.bundle).unwrap();
        let loaded: Bundle = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(loaded.events.len(), records.len());
        for (input, event) in records.iter().zip(&loaded.events) {
            let input: Vec<String> = input.iter().map(|l| normalise(l)).collect();
            let want = without_whitespace(input.iter().map(String::as_str));
            let got = without_whitespace(record_lines(event).iter().map(String::as_str));
            prop_assert_eq!(got, want);
        }
    }
}
