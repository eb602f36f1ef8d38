//! One small fixture per layout variant listed in the dev set's README.

use stenogram_corpus::bundle::bundle_bytes;
use stenogram_corpus::model::{Block, Bundle, Event, SpeakerKind, Turn};

/// A record with the given header lines (after the title) and body.
fn record(header: &str, body: &str, footer: &str) -> String {
    format!("Events\nA title\n{header}\n{body}\n{footer}Publication status\nPublished in sections: News, Transcripts\nPublication date: May 9, 2019, 10:00\nText version")
}

fn bundle(texts: &[String]) -> Bundle {
    let joined = texts.join("");
    let outcome = bundle_bytes(&[("v.txt".into(), joined.into_bytes())]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    outcome.bundle
}

fn one(body: &str) -> Event {
    bundle(&[record("May 9, 2019\n10:00\nRed Square, Moscow", body, "")])
        .events
        .remove(0)
}

fn turns(e: &Event) -> Vec<&Turn> {
    e.turns().collect()
}

#[test]
fn header_with_leads_or_without_lead_and_place() {
    let b = bundle(&[
        record(
            "First lead.\nSecond lead.\nMay 9, 2019\n10:00\nRed Square, Moscow",
            "Vladimir Putin: Hello.",
            "",
        ),
        record("May 9, 2019\n10:00", "Vladimir Putin: Hello.", ""),
        record("May 9, 2019", "Vladimir Putin: Hello.", ""),
    ]);
    let [a, b2, c] = &b.events[..] else { panic!() };
    assert_eq!(a.lead, ["First lead.", "Second lead."]);
    assert_eq!(a.place.as_deref(), Some("Red Square, Moscow"));
    assert!(b2.lead.is_empty());
    assert_eq!(
        (b2.time.as_deref(), b2.place.as_deref()),
        (Some("10:00"), None)
    );
    assert_eq!((c.time.as_deref(), c.place.as_deref()), (None, None));
    assert_eq!(turns(c).len(), 1);
}

#[test]
fn footer_columns_any_or_none() {
    let b = bundle(&[
        record(
            "May 9, 2019",
            "Text.",
            "Geography\nFrance\nTopics\nForeign policy\nCulture\nPersons\nMacron Emmanuel\n",
        ),
        record("May 9, 2019", "Text.", "Persons\nMacron Emmanuel\n"),
        record("May 9, 2019", "Text.", ""),
    ]);
    let e = &b.events;
    assert_eq!(
        (e[0].geography.len(), e[0].topics.len(), e[0].persons.len()),
        (1, 2, 1)
    );
    assert_eq!(e[0].topics, ["Foreign policy", "Culture"]);
    assert!(e[1].geography.is_empty() && e[1].topics.is_empty());
    assert_eq!(e[1].persons, ["Macron Emmanuel"]);
    assert!(e[2].persons.is_empty() && e[2].topics.is_empty() && e[2].geography.is_empty());
    assert_eq!(e[2].publication_date.as_deref(), Some("May 9, 2019, 10:00"));
}

#[test]
fn slider_counter_and_caption() {
    let e = one("1 of 5\nAt the parade.\nVladimir Putin: Hello.");
    assert_eq!(
        e.blocks[0],
        Block::Slider {
            counter: "1 of 5".into(),
            caption: Some("At the parade.".into())
        }
    );
}

#[test]
fn photo_caption_inside_a_speech_is_its_own_block_and_the_speech_goes_on() {
    let e = one("Vladimir Putin: First paragraph.\nWith Defence Minister Sergei Shoigu.\nSecond paragraph.\nSergei Shoigu: Thank you.");
    assert_eq!(
        e.blocks[1],
        Block::PhotoCaption {
            text: "With Defence Minister Sergei Shoigu.".into()
        }
    );
    let Block::Turn(cont) = &e.blocks[2] else {
        panic!("{:?}", e.blocks[2])
    };
    assert!(cont.continued);
    assert_eq!(cont.speaker, "vladimir-putin");
    assert_eq!(cont.paragraphs, ["Second paragraph."]);
    assert_eq!(e.speakers, ["vladimir-putin", "sergei-shoigu"]);
}

#[test]
fn separators_see_also_and_sub_headings() {
    let e = one("* * *\nVladimir Putin: Hello.\n***\nSee also\nMeeting with Government members\nMay 8, 2019\nRemarks at the reception\nThe President then spoke to veterans.");
    assert_eq!(
        e.blocks[0],
        Block::Separator {
            text: "* * *".into()
        }
    );
    assert_eq!(e.blocks[2], Block::Separator { text: "***".into() });
    assert_eq!(
        e.blocks[3],
        Block::SeeAlso {
            lines: vec![
                "Meeting with Government members".into(),
                "May 8, 2019".into()
            ]
        }
    );
    assert_eq!(
        e.blocks[4],
        Block::Heading {
            text: "Remarks at the reception".into()
        }
    );
    assert_eq!(
        e.blocks[5],
        Block::Paragraph {
            text: "The President then spoke to veterans.".into()
        }
    );
}

#[test]
fn role_then_name_upper_case_glued_and_initials_are_one_speaker() {
    let e = one("President of Russia Vladimir Putin: One.\nVladimir Putin: Two.\nVLADIMIR PUTIN: Three.\nVladimirPutin: Four.\nV.Putin: Five.\nRussian President Vladimir Putin: Six.");
    assert_eq!(turns(&e).len(), 6);
    assert!(
        turns(&e).iter().all(|t| t.speaker == "vladimir-putin"),
        "{:?}",
        turns(&e)
    );
    assert_eq!(turns(&e)[3].label, "VladimirPutin");
}

#[test]
fn upper_case_role_and_name() {
    let b = bundle(&[record(
        "May 9, 2019",
        "PRESIDENT OF RUSSIA DMITRY MEDVEDEV: Colleagues.\nDmitry Medvedev: Next.",
        "",
    )]);
    let s = &b.speakers[0];
    assert_eq!(
        (s.id.as_str(), s.name.as_str(), s.turn_count),
        ("dmitry-medvedev", "Dmitry Medvedev", 2)
    );
    assert_eq!(s.roles, ["PRESIDENT OF RUSSIA"]);
}

#[test]
fn lower_case_start_and_long_labels_with_commas_and_brackets() {
    let e = one("chairman of the Board of Directors and President of Transneft Nikolai Tokarev: Good afternoon.\nMinister of Civil Defence, Emergencies and Natural Disasters Relief Vladimir Puchkov: Mr President.\nChairman of Vnesheconombank (VEB) Vladimir Dmitriev: Thank you.");
    let ids: Vec<_> = turns(&e).iter().map(|t| t.speaker.as_str()).collect();
    assert_eq!(
        ids,
        ["nikolai-tokarev", "vladimir-puchkov", "vladimir-dmitriev"]
    );
}

#[test]
fn annotations_before_the_colon() {
    let e = one("President of Egypt Mohamed Morsi (retranslated): Thank you.\nMohamed Morsi(in English): Yes.");
    let t = turns(&e);
    assert_eq!(
        (t[0].label.as_str(), t[0].annotation.as_deref()),
        ("President of Egypt Mohamed Morsi", Some("retranslated"))
    );
    assert_eq!(t[1].annotation.as_deref(), Some("in English"));
    assert_eq!(t[0].speaker, t[1].speaker);
}

#[test]
fn label_split_from_its_colon_and_no_space_after_colon() {
    let e = one("President of Armenia Serzh Sargsyan\n: Mr Putin, thank you.\nKing Abdullah II of Jordan\n(retranslated): Thank you, Mr President.\nVladimir Putin:Welcome.");
    let t = turns(&e);
    assert_eq!(t.len(), 3);
    assert_eq!(
        (t[0].label.as_str(), t[0].paragraphs[0].as_str()),
        (
            "President of Armenia Serzh Sargsyan",
            "Mr Putin, thank you."
        )
    );
    assert_eq!(
        (t[1].label.as_str(), t[1].annotation.as_deref()),
        ("King Abdullah II of Jordan", Some("retranslated"))
    );
    assert_eq!(t[2].paragraphs[0], "Welcome.");
}

#[test]
fn generic_labels_form_their_own_group() {
    let b = bundle(&[record(
        "May 9, 2019",
        "Question: Will you run?\nVladimir Putin: We will see.\nRemark: Thank you.\nREPLY: Yes.",
        "",
    )]);
    let generic: Vec<_> = b
        .speakers
        .iter()
        .filter(|s| s.kind == SpeakerKind::Generic)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        generic,
        ["generic-question", "generic-remark", "generic-reply"]
    );
    assert_eq!(b.speakers[0].id, "vladimir-putin", "people come first");
}

#[test]
fn sentences_with_a_colon_stay_in_the_speech() {
    let e = one("Vladimir Putin: Colleagues,\nI repeat: the party supports the President.\nThe main thing is this: we must act.");
    let t = turns(&e);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].paragraphs.len(), 3);
}

#[test]
fn lines_broken_after_linked_names_are_joined() {
    let e = one("Vladimir Putin: I met Alexander Novak\n, Deputy Prime Minister, and Army General Sergei Shoigu\nreviewed the parade (with veterans\n).");
    assert_eq!(
        turns(&e)[0].paragraphs,
        ["I met Alexander Novak, Deputy Prime Minister, and Army General Sergei Shoigu reviewed the parade (with veterans)."]
    );
}

#[test]
fn identity_holds_across_events() {
    let b = bundle(&[
        record("May 9, 2019", "Foreign Minister Sergei Lavrov: First.", ""),
        record("May 10, 2019", "Sergei Lavrov: Second.", ""),
    ]);
    let lavrov = b.speakers.iter().find(|s| s.id == "sergei-lavrov").unwrap();
    assert_eq!((lavrov.event_count, lavrov.turn_count), (2, 2));
    assert_eq!(lavrov.roles, ["Foreign Minister"]);
}
