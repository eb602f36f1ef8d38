//! A small hand-made corpus shaped like the embedded sample (two events of
//! 20 November 2020), for unit tests: as a [`Bundle`] of events, and as the
//! site layout (an [`Index`] and its one [`Shard`]) the app loads.

use chrono::NaiveDate;
use stenogram_corpus::model::{
    Block, Bundle, Event, Index, IndexEvents, MonthCounts, Shard, ShardEvent, ShardRef, SourceRef,
    Speaker, SpeakerKind, Summary, Turn, SCHEMA_VERSION,
};
use stenogram_corpus::search::word_count;

use crate::logic::corpus::{Corpus, EventSummary};

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
        role_spans: vec![],
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

/// The fixture bundle in the site layout: rows oldest first, one shard,
/// turns without speakers (as the preprocessor writes them).
pub fn site() -> (Index, Vec<Shard>) {
    let b = bundle();
    let mut events = b.events.clone();
    events.sort_by(|x, y| (x.date, &x.time).cmp(&(y.date, &y.time)));
    let pos = |id: &str| b.speakers.iter().position(|s| s.id == id).unwrap() as u32;
    let mut places: Vec<String> = Vec::new();
    let mut topics: Vec<String> = Vec::new();
    let mut geography: Vec<String> = Vec::new();
    fn intern(table: &mut Vec<String>, s: &str) -> u32 {
        match table.iter().position(|t| t == s) {
            Some(i) => i as u32,
            None => {
                table.push(s.to_string());
                (table.len() - 1) as u32
            }
        }
    }
    let mut cols = IndexEvents::default();
    for e in &events {
        cols.date.push(e.date);
        cols.time.push(e.time.clone());
        cols.title.push(e.title.clone());
        cols.place
            .push(e.place.as_deref().map(|p| intern(&mut places, p)));
        cols.speakers
            .push(e.speakers.iter().map(|s| pos(s)).collect());
        cols.topics
            .push(e.topics.iter().map(|t| intern(&mut topics, t)).collect());
        cols.geography.push(
            e.geography
                .iter()
                .map(|g| intern(&mut geography, g))
                .collect(),
        );
        cols.turns
            .push(e.turns().filter(|t| !t.continued).count() as u32);
        cols.words.push(
            e.speakers
                .iter()
                .map(|s| {
                    e.turns()
                        .filter(|t| t.speaker == *s)
                        .flat_map(|t| &t.paragraphs)
                        .map(|p| word_count(p))
                        .sum()
                })
                .collect(),
        );
    }
    let shard = Shard {
        schema_version: SCHEMA_VERSION,
        first: 0,
        events: events
            .iter()
            .map(|e| ShardEvent {
                id: e.id.clone(),
                lead: e.lead.clone(),
                participants: e.participants.clone(),
                blocks: e
                    .blocks
                    .iter()
                    .map(|b| match b {
                        Block::Turn(t) => Block::Turn(Turn {
                            speaker: String::new(),
                            ..t.clone()
                        }),
                        other => other.clone(),
                    })
                    .collect(),
                persons: e.persons.clone(),
                sections: e.sections.clone(),
                publication_date: e.publication_date.clone(),
                source: e.source.clone(),
            })
            .collect(),
    };
    let index = Index {
        schema_version: SCHEMA_VERSION,
        version: "fixture".into(),
        summary: b.summary.clone(),
        speakers: b.speakers.clone(),
        places,
        topics,
        geography,
        events: cols,
        shards: vec![ShardRef {
            path: "data/shards/fixture.json".into(),
            first: 0,
            count: events.len() as u32,
            bytes: 0,
        }],
        months: MonthCounts {
            first: NaiveDate::from_ymd_opt(2020, 11, 1),
            counts: vec![events.len() as u32],
        },
        search: None,
    };
    (index, vec![shard])
}

/// The fixture as the app holds it.
pub fn corpus() -> Corpus {
    Corpus::new(site().0).unwrap()
}

/// A bare row for tests of ordering and grouping.
pub fn summary(id: &str, date: (i32, u32, u32), time: Option<&str>) -> EventSummary {
    EventSummary {
        id: id.into(),
        id_suffix: 1,
        date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
        time: time.map(str::to_string),
        title: id.to_uppercase(),
        place: None,
        speakers: vec![],
        topics: vec![],
        geography: vec![],
        turns: 0,
        shard: 0,
        row: 0,
    }
}
