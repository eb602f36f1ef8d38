//! A small hand-made bundle shaped like the embedded sample (two events of
//! 20 November 2020), for unit tests. Generated data is never committed; run
//! `cargo test -p stenogram write_fixture_json -- --ignored` to write this
//! bundle to `target/fixture-corpus.json` for a dev build.

use chrono::NaiveDate;
use stenogram_corpus::model::{
    Block, Bundle, Event, SourceRef, Speaker, SpeakerKind, Summary, Turn, SCHEMA_VERSION,
};

pub const PEACEKEEPING: &str =
    "2020-11-20-meeting-on-russian-peacekeeping-mission-in-nagorno-karabakh";
pub const NUREMBERG: &str = "2020-11-20-address-to-participants-in-nuremberg-lessons-forum";

pub fn turn(speaker: &str, label: &str, paragraphs: &[&str]) -> Block {
    Block::Turn(Turn {
        speaker: speaker.into(),
        label: label.into(),
        annotation: None,
        continued: false,
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
    })
}

pub fn speaker(id: &str, name: &str, kind: SpeakerKind, labels: &[&str], events: u32) -> Speaker {
    Speaker {
        id: id.into(),
        name: name.into(),
        kind,
        roles: vec![],
        labels: labels.iter().map(|l| l.to_string()).collect(),
        event_count: events,
        turn_count: 1,
    }
}

pub fn event(
    id: &str,
    title: &str,
    date: (i32, u32, u32),
    time: Option<&str>,
    blocks: Vec<Block>,
) -> Event {
    let mut speakers: Vec<String> = Vec::new();
    for b in &blocks {
        if let Block::Turn(t) = b {
            if !speakers.contains(&t.speaker) {
                speakers.push(t.speaker.clone());
            }
        }
    }
    Event {
        id: id.into(),
        title: title.into(),
        lead: vec![],
        date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
        time: time.map(str::to_string),
        place: None,
        participants: vec![],
        blocks,
        speakers,
        geography: vec![],
        topics: vec![],
        persons: vec![],
        sections: vec![],
        publication_date: None,
        source: SourceRef {
            file: "fixture.txt".into(),
            line: 1,
        },
    }
}

pub fn bundle() -> Bundle {
    let mut peace = event(
        PEACEKEEPING,
        "Meeting on Russian peacekeeping mission in Nagorno-Karabakh",
        (2020, 11, 20),
        Some("19:00"),
        vec![
            Block::Slider {
                counter: "2 of 3".into(),
                caption: Some("Meeting on the Russian peacekeeping mission in Nagorno-Karabakh, via videoconference.".into()),
            },
            Block::Paragraph {
                text: "The meeting was attended by Foreign Minister Sergei Lavrov and Defence Minister Sergei Shoigu.".into(),
            },
            Block::Separator { text: "* * *".into() },
            turn(
                "vladimir-putin",
                "President of Russia Vladimir Putin",
                &["Good afternoon, colleagues.", "Mr Shoigu, please."],
            ),
            turn(
                "sergei-shoigu",
                "Defence Minister Sergei Shoigu",
                &["Comrade Supreme Commander-in-Chief,", "The contingent has been deployed."],
            ),
            turn("vladimir-putin", "Vladimir Putin", &["Mr Lavrov, please."]),
            turn(
                "sergei-lavrov",
                "Foreign Minister Sergei Lavrov",
                &["Mr President, colleagues,", "My report is complete. Thank you."],
            ),
            Block::PhotoCaption { text: "Foreign Minister Sergei Lavrov.".into() },
            turn("vladimir-putin", "Vladimir Putin", &["Fine."]),
            turn("generic-question", "Question", &["A question from the floor?"]),
            Block::Heading { text: "Closing remarks".into() },
            Block::SeeAlso { lines: vec!["Telephone conversation with Nikol Pashinyan".into()] },
        ],
    );
    peace.place = Some("Novo-Ogaryovo, Moscow Region".into());
    peace.lead = vec!["The President held a meeting on the Russian peacekeeping mission in Nagorno-Karabakh, via videoconference.".into()];
    peace.topics = vec!["Armed Forces".into()];
    peace.geography = vec!["Armenia".into(), "Azerbaijan".into()];
    peace.publication_date = Some("November 20, 2020, 19:00".into());

    let mut nuremberg = event(
        NUREMBERG,
        "Address to participants in Nuremberg Lessons forum",
        (2020, 11, 20),
        Some("11:00"),
        vec![turn(
            "vladimir-putin",
            "President of Russia Vladimir Putin",
            &["Colleagues, friends,", "Thank you."],
        )],
    );
    nuremberg.topics = vec!["Great Patriotic War".into()];
    nuremberg.source.line = 120;

    Bundle {
        schema_version: SCHEMA_VERSION,
        events: vec![peace, nuremberg],
        speakers: vec![
            speaker(
                "vladimir-putin",
                "Vladimir Putin",
                SpeakerKind::Person,
                &["President of Russia Vladimir Putin", "Vladimir Putin"],
                2,
            ),
            speaker(
                "sergei-shoigu",
                "Sergei Shoigu",
                SpeakerKind::Person,
                &["Defence Minister Sergei Shoigu"],
                1,
            ),
            speaker(
                "sergei-lavrov",
                "Sergei Lavrov",
                SpeakerKind::Person,
                &["Foreign Minister Sergei Lavrov"],
                1,
            ),
            speaker(
                "generic-question",
                "Question",
                SpeakerKind::Generic,
                &["Question"],
                1,
            ),
        ],
        summary: Summary {
            files_read: 1,
            records_read: 2,
            records_written: 2,
            records_rejected: 0,
        },
    }
}

#[test]
#[ignore = "writes target/fixture-corpus.json for a dev build"]
fn write_fixture_json() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/fixture-corpus.json");
    std::fs::write(path, serde_json::to_string_pretty(&bundle()).unwrap()).unwrap();
}
