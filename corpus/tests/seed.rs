//! The embedded sample (data/), pinned field by field: two events of
//! 20 November 2020.

use std::path::PathBuf;

use chrono::NaiveDate;
use stenogram_corpus::bundle::bundle_paths;
use stenogram_corpus::model::{Block, Bundle, SpeakerKind, SCHEMA_VERSION};

fn seed() -> Bundle {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data");
    let outcome = bundle_paths(&[data]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    outcome.bundle
}

#[test]
fn headers() {
    let b = seed();
    assert_eq!(b.summary.records_read, 2);
    assert_eq!(b.summary.records_written, 2);
    assert_eq!(b.summary.records_rejected, 0);
    let [peace, nuremberg] = &b.events[..] else {
        panic!("two events expected")
    };

    assert_eq!(
        peace.id,
        "2020-11-20-meeting-on-russian-peacekeeping-mission-in-nagorno-karabakh"
    );
    assert_eq!(
        peace.title,
        "Meeting on Russian peacekeeping mission in Nagorno-Karabakh"
    );
    assert_eq!(
        peace.lead,
        ["The President held a meeting on the Russian peacekeeping mission in Nagorno-Karabakh, via videoconference."]
    );
    assert_eq!(peace.date, NaiveDate::from_ymd_opt(2020, 11, 20).unwrap());
    assert_eq!(peace.time.as_deref(), Some("19:00"));
    assert_eq!(peace.place.as_deref(), Some("Novo-Ogaryovo, Moscow Region"));
    assert_eq!(peace.geography, ["Armenia", "Azerbaijan"]);
    assert_eq!(peace.topics, ["Armed Forces"]);
    assert!(peace.persons.is_empty());
    assert_eq!(peace.sections, ["News", "Transcripts"]);
    assert_eq!(
        peace.publication_date.as_deref(),
        Some("November 20, 2020, 19:00")
    );
    assert_eq!(peace.source.file, "000_38e382155a809f8a.txt");
    assert_eq!(peace.source.line, 1);
    assert_eq!(
        peace.participants,
        [
            "Deputy Prime Minister Alexander Novak",
            "Emergencies Minister Yevgeny Zinichev",
            "Foreign Minister Sergei Lavrov",
            "Finance Minister Anton Siluanov",
            "Defence Minister Sergei Shoigu",
            "Director of the Federal Security Service Alexander Bortnikov",
            "Commander of the Russian Peacekeeping Contingent in the Nagorno-Karabakh conflict zone and Deputy Commander of the troops in the Southern Military District Lt-Gen Rustam Muradov",
        ]
    );

    assert_eq!(
        nuremberg.title,
        "Address to participants in Nuremberg Lessons forum"
    );
    assert_eq!(
        nuremberg.lead,
        ["Vladimir Putin addressed the participants in Nuremberg Lessons international conference and workshop."]
    );
    assert_eq!(
        nuremberg.date,
        NaiveDate::from_ymd_opt(2020, 11, 20).unwrap()
    );
    assert_eq!(nuremberg.time.as_deref(), Some("11:00"));
    assert_eq!(nuremberg.place, None);
    assert_eq!(nuremberg.topics, ["Great Patriotic War"]);
    assert!(nuremberg.geography.is_empty());
    assert_eq!(nuremberg.speakers, ["vladimir-putin"]);
}

#[test]
fn the_seven_people_who_speak_in_the_peacekeeping_meeting() {
    let b = seed();
    let peace = &b.events[0];
    assert_eq!(
        peace.speakers,
        [
            "vladimir-putin",
            "sergei-shoigu",
            "rustam-muradov",
            "sergei-lavrov",
            "alexander-bortnikov",
            "yevgeny-zinichev",
            "anton-siluanov"
        ]
    );
    let name = |id: &str| {
        b.speakers
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
    };
    assert_eq!(name("yevgeny-zinichev"), Some("Yevgeny Zinichev"));
    assert_eq!(name("rustam-muradov"), Some("Rustam Muradov"));
    let putin = b
        .speakers
        .iter()
        .find(|s| s.id == "vladimir-putin")
        .unwrap();
    assert_eq!((putin.kind, putin.event_count), (SpeakerKind::Person, 2));
    assert_eq!(putin.roles, ["President of Russia"]);
    assert_eq!(
        putin.labels,
        ["President of Russia Vladimir Putin", "Vladimir Putin"]
    );
}

#[test]
fn every_turn_of_the_peacekeeping_meeting() {
    let b = seed();
    let turns: Vec<(&str, &str, &str, usize)> = b.events[0]
        .turns()
        .map(|t| {
            (
                t.speaker.as_str(),
                t.label.as_str(),
                t.paragraphs[0].as_str(),
                t.paragraphs.len(),
            )
        })
        .collect();
    let expected: Vec<(&str, &str, &str)> = vec![
        (
            "vladimir-putin",
            "President of Russia Vladimir Putin",
            "Good afternoon, colleagues.",
        ),
        (
            "sergei-shoigu",
            "Defence Minister Sergei Shoigu",
            "Comrade Supreme Commander-in-Chief,",
        ),
        (
            "vladimir-putin",
            "Vladimir Putin",
            "Please, Mr Muradov, go ahead.",
        ),
        (
            "rustam-muradov",
            "Commander of the Russian peacekeeping contingent Lieutenant General Rustam Muradov",
            "Comrade Supreme Commander-in-Chief, good afternoon.",
        ),
        (
            "vladimir-putin",
            "Vladimir Putin",
            "Mr Muradov, after the Armenian units withdraw",
        ),
        (
            "rustam-muradov",
            "Rustam Muradov",
            "Yes, Comrade Supreme Commander-in-Chief.",
        ),
        (
            "vladimir-putin",
            "Vladimir Putin",
            "The same goes for historical, cultural",
        ),
        (
            "sergei-lavrov",
            "Foreign Minister Sergei Lavrov",
            "Mr President, colleagues,",
        ),
        ("vladimir-putin", "Vladimir Putin", "Fine."),
        (
            "alexander-bortnikov",
            "Director of the Federal Security Service Alexander Bortnikov",
            "Mr President,",
        ),
        ("vladimir-putin", "Vladimir Putin", "Good."),
        (
            "alexander-bortnikov",
            "Alexander Bortnikov",
            "Exactly. We are in contact",
        ),
        ("vladimir-putin", "Vladimir Putin", "Good. Thank you."),
        (
            "yevgeny-zinichev",
            "Emergencies Minster Yevgeny Zinichev",
            "Mr President,",
        ),
        ("vladimir-putin", "Vladimir Putin", "Fine."),
        (
            "anton-siluanov",
            "Finance Minister Anton Siluanov",
            "Yes, indeed, Mr President",
        ),
        (
            "vladimir-putin",
            "Vladimir Putin",
            "Please report to me separately",
        ),
    ];
    assert_eq!(turns.len(), expected.len());
    for (got, want) in turns.iter().zip(expected) {
        assert_eq!((got.0, got.1), (want.0, want.1));
        assert!(
            got.2.starts_with(want.2),
            "{:?} should start with {:?}",
            got.2,
            want.2
        );
    }
    // Lavrov's report ends his turn; Putin's last turn closes the meeting.
    let lavrov = b.events[0]
        .turns()
        .find(|t| t.speaker == "sergei-lavrov")
        .unwrap();
    assert_eq!(
        lavrov.paragraphs.last().unwrap(),
        "My report is complete. Thank you."
    );
    assert_eq!(turns.last().unwrap().3, 4);
}

#[test]
fn non_speech_blocks_stay_apart() {
    let b = seed();
    let blocks = &b.events[0].blocks;
    assert_eq!(
        blocks[0],
        Block::Slider {
            counter: "2 of 3".into(),
            caption: Some("Meeting on the Russian peacekeeping mission in Nagorno-Karabakh, via videoconference.".into())
        }
    );
    assert!(
        matches!(&blocks[1], Block::Paragraph { text } if text.starts_with("The meeting was attended by Deputy Prime Minister Alexander Novak, Emergencies Minister"))
    );
    assert_eq!(
        blocks[2],
        Block::Separator {
            text: "* * *".into()
        }
    );
    // The Nuremberg address opens with its photo caption, not inside the speech.
    assert_eq!(
        b.events[1].blocks[0],
        Block::PhotoCaption {
            text: "Address to participants in Nuremberg Lessons international conference and workshop.".into()
        }
    );
    let turns: Vec<_> = b.events[1].turns().collect();
    assert_eq!(turns.len(), 1);
    assert_eq!(turns[0].paragraphs.first().unwrap(), "Colleagues, friends,");
    assert_eq!(turns[0].paragraphs.last().unwrap(), "Thank you.");
}

#[test]
fn the_bundle_round_trips_through_json() {
    let b = seed();
    let json = serde_json::to_string(&b).unwrap();
    let back: Bundle = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    assert!(json.contains(&format!("\"schema_version\":{SCHEMA_VERSION}")));
}
