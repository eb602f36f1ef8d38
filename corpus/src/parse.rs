//! The kremlin.ru "text version" export parser.
//!
//! Layout of one record (see `../shared/corpus/kremlin-dev/README.md`):
//!
//! ```text
//! Events                      <- opens a record (often glued: "Text versionEvents")
//! Title
//! Lead paragraph(s)           <- zero or more
//! November 20, 2020           <- date
//! 19:00                       <- time (optional)
//! Novo-Ogaryovo, Moscow Region<- place (optional)
//! body ...                    <- turns, narration, sliders, captions, separators, "See also"
//! Geography / Topics / Persons<- tag columns, any of them or none
//! Publication status
//! Published in sections: News, Transcripts
//! Publication date: November 20, 2020, 19:00
//! Text version                <- closes the record
//! ```
//!
//! The parser works in two steps: [`split_records`] cuts a file into records
//! (a truncated record is rejected without taking its neighbour down), and
//! [`parse_record`] turns one record's lines into an [`Event`]. Turns carry
//! their label as printed; speaker ids are assigned later, corpus-wide, by
//! [`crate::speakers`], because identity must hold across events.
//!
//! Every body line ends up in exactly one block, in order: text that is not
//! a speaker turn becomes its own block and is never glued into a speech.

use chrono::NaiveDate;

use crate::bundle::Diagnostic;
use crate::labels::{match_label, LabelMatch};
use crate::model::{Block, Event, SourceRef, Turn};
use crate::text::Line;

/// How many lead lines may stand between the title and the date.
const MAX_LEAD_LINES: usize = 25;

/// One record's lines, as cut from a file.
#[derive(Debug, Clone)]
pub struct RawRecord<'a> {
    pub lines: &'a [Line],
    /// The record was closed by a "Text version" line.
    pub closed: bool,
}

/// Result of cutting a file into records.
#[derive(Debug, Default)]
pub struct Split<'a> {
    pub records: Vec<RawRecord<'a>>,
    /// Non-empty text outside any record, as (first line, last line): each
    /// such chunk counts as one rejected record.
    pub strays: Vec<(u32, u32)>,
}

/// Expands glued boundaries: a line "Text versionEvents" becomes the two
/// lines "Text version" and "Events" (same line number).
pub fn unglue(lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len() + lines.len() / 20);
    for line in lines {
        if let Some(rest) = line.text.strip_prefix("Text version") {
            let rest = rest.trim();
            if !rest.is_empty()
                && rest.starts_with("Events")
                && rest["Events".len()..].trim().is_empty()
            {
                out.push(Line {
                    text: "Text version".into(),
                    ..line.clone()
                });
                out.push(Line {
                    text: "Events".into(),
                    ..line
                });
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// Cuts a file's lines into records. A record opens at an `Events` line that
/// is followed by a header (a date within the next lines); it closes at
/// `Text version`. A record not closed before the next one opens (or before
/// the end of the file) is returned with `closed == false`.
pub fn split_records(lines: &[Line]) -> Split<'_> {
    let mut split = Split::default();
    let opens: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].text.trim() == "Events" && opens_record(lines, i))
        .collect();
    let mut pos = 0;
    for (k, &start) in opens.iter().enumerate() {
        note_stray(lines, pos, start, &mut split.strays);
        let limit = opens.get(k + 1).copied().unwrap_or(lines.len());
        match (start..limit).find(|&i| lines[i].text.trim() == "Text version") {
            Some(end) => {
                split.records.push(RawRecord {
                    lines: &lines[start..=end],
                    closed: true,
                });
                pos = end + 1;
            }
            None => {
                split.records.push(RawRecord {
                    lines: &lines[start..limit],
                    closed: false,
                });
                pos = limit;
            }
        }
    }
    note_stray(lines, pos, lines.len(), &mut split.strays);
    split
}

fn opens_record(lines: &[Line], i: usize) -> bool {
    // Right at the start of the file, or right after "Text version", an
    // `Events` line always opens a record (even if its header is broken, so
    // that the error is reported on the right record).
    if i == 0 || lines[i - 1].text.trim() == "Text version" {
        return true;
    }
    lines
        .iter()
        .skip(i + 2)
        .take(MAX_LEAD_LINES + 1)
        .any(|l| parse_date(&l.text).is_some())
}

fn note_stray(lines: &[Line], from: usize, to: usize, strays: &mut Vec<(u32, u32)>) {
    let chunk = &lines[from..to];
    let first = chunk.iter().position(|l| !l.text.trim().is_empty());
    let last = chunk.iter().rposition(|l| !l.text.trim().is_empty());
    if let (Some(a), Some(b)) = (first, last) {
        strays.push((chunk[a].no, chunk[b].no));
    }
}

/// Parses "November 20, 2020" (the only date form of the export).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() > 20 || !s.as_bytes().first()?.is_ascii_uppercase() {
        return None;
    }
    // Only the canonical form is a date: "May 9, 20" (year 20) or
    // "May 09, 2019" would not read back as printed.
    let date = NaiveDate::parse_from_str(s, "%B %d, %Y").ok()?;
    (date.format("%B %-d, %Y").to_string() == s).then_some(date)
}

fn is_time(s: &str) -> bool {
    let s = s.trim();
    let Some((h, m)) = s.split_once(':') else {
        return false;
    };
    // "HH:MM" only: the app sorts times as text.
    h.len() == 2
        && m.len() == 2
        && h.bytes().all(|b| b.is_ascii_digit())
        && m.bytes().all(|b| b.is_ascii_digit())
        && h.parse::<u8>().is_ok_and(|h| h < 24)
        && m.parse::<u8>().is_ok_and(|m| m < 60)
}

/// "2 of 6": a photo slider's counter.
pub fn is_slider_counter(s: &str) -> bool {
    let s = s.trim();
    // At most "dddd of dddd".
    if s.len() > 12 {
        return false;
    }
    let mut parts = s.split(' ');
    let (Some(a), Some(of), Some(b), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    of == "of"
        && !a.is_empty()
        && !b.is_empty()
        && a.len() <= 4
        && b.len() <= 4
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

/// "* * *", "***". (A line of only spaces is empty once normalised, and an
/// empty line carries nothing: the body skips it.)
pub fn is_separator(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| c == '*' || c == ' ')
}

/// A place line: short, no sentence punctuation at the end, not body noise.
fn looks_like_place(s: &str) -> bool {
    let t = s.trim();
    let words = t.split_whitespace().take(13).count();
    !t.is_empty()
        && t.chars().count() <= 90
        && words <= 12
        && !t.ends_with(['.', '!', '?', ':', ';', ',', '…', '”', '"'])
        && !t.contains(':')
        && t.chars().next().is_some_and(|c| c.is_uppercase())
        && !is_slider_counter(t)
        && !is_separator(s)
        && t != "See also"
        && parse_date(t).is_none()
}

/// A line that continues the previous paragraph: the export broke it after a
/// linked name or term. It opens with a comma, full stop, colon, semicolon,
/// closing bracket or a lower-case word.
pub fn is_continuation(s: &str) -> bool {
    match s.chars().next() {
        Some(c) => matches!(c, ',' | '.' | ';' | ':' | ')' | ']' | '’' | '»') || c.is_lowercase(),
        None => false,
    }
}

/// Joins a continuation line onto its paragraph: no space before
/// punctuation, one space before a word.
pub fn join_continuation(paragraph: &mut String, line: &str) {
    let line = line.trim();
    let glue = line.starts_with([',', '.', ';', ':', ')', ']', '’', '»']);
    if !glue && !paragraph.is_empty() && !paragraph.ends_with(' ') {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// Lines of the footer, recognised by their exact text.
const TAG_HEADERS: [&str; 3] = ["Geography", "Topics", "Persons"];

/// The footer of a record: tag columns and publication lines.
#[derive(Debug, Default)]
struct Footer {
    /// Index (into the record's lines) where the footer starts.
    start: usize,
    geography: Vec<String>,
    topics: Vec<String>,
    persons: Vec<String>,
    sections: Vec<String>,
    publication_date: Option<String>,
}

fn is_tag_item(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 80 && !t.ends_with(['.', ':', '!', '?'])
}

/// Reads the footer backwards from the closing "Text version" line.
fn parse_footer(lines: &[Line], body_start: usize) -> Footer {
    let mut f = Footer {
        start: lines.len(),
        ..Footer::default()
    };
    let mut end = lines.len();
    if end > body_start && lines[end - 1].text.trim() == "Text version" {
        end -= 1;
    }
    let mut i = end;
    // The publication block directly above "Text version", in the export's
    // order: "Publication status", then optionally "Published in sections:"
    // and "Publication date:". Without its status line it is not a footer
    // (the lines stay body text, so nothing is lost or invented); nor is a
    // status line with nothing under it.
    let mut j = i;
    let mut date = None;
    let mut sections = None;
    if j > body_start {
        if let Some(d) = lines[j - 1].text.trim().strip_prefix("Publication date:") {
            date = Some(d.trim().to_string());
            j -= 1;
        }
    }
    if j > body_start {
        if let Some(s) = lines[j - 1]
            .text
            .trim()
            .strip_prefix("Published in sections:")
        {
            sections = Some(s.split(',').map(|x| x.trim().to_string()).collect());
            j -= 1;
        }
    }
    let has_status = j > body_start && lines[j - 1].text.trim() == "Publication status";
    if has_status && (date.is_some() || sections.is_some()) {
        f.publication_date = date;
        f.sections = sections.unwrap_or_default();
        i = j - 1;
    }
    // Tag columns, bottom-up: Persons, then Topics, then Geography.
    let mut bottom = i;
    for (k, header) in TAG_HEADERS.iter().enumerate().rev() {
        let mut j = bottom;
        while j > body_start
            && is_tag_item(&lines[j - 1].text)
            && !TAG_HEADERS.contains(&lines[j - 1].text.trim())
        {
            j -= 1;
        }
        // A column header with no items under it is not a column (it stays text).
        if j > body_start && j < bottom && lines[j - 1].text.trim() == *header {
            let items: Vec<String> = lines[j..bottom]
                .iter()
                .map(|l| l.text.trim().to_string())
                .collect();
            match k {
                0 => f.geography = items,
                1 => f.topics = items,
                _ => f.persons = items,
            }
            bottom = j - 1;
        }
    }
    f.start = bottom;
    f
}

/// Parses one record. Turns get an empty speaker id (assigned corpus-wide
/// later) and the event an empty id (assigned by the bundle writer).
pub fn parse_record(file: &str, record: &RawRecord<'_>) -> Result<Event, Diagnostic> {
    let lines = record.lines;
    let first = lines.first().map_or(0, |l| l.no);
    let err = |line: u32, reason: String| Diagnostic {
        file: file.to_string(),
        line,
        reason,
    };
    if let Some(bad) = lines.iter().find(|l| l.invalid_utf8) {
        return Err(err(
            bad.no,
            format!("invalid UTF-8 in record starting at line {first}; record skipped"),
        ));
    }
    if !record.closed {
        let last = lines.last().map_or(first, |l| l.no);
        return Err(err(
            first,
            format!(
                "truncated record: no closing 'Text version' line (record runs to line {last})"
            ),
        ));
    }
    let title_line = lines
        .get(1)
        .filter(|l| !l.text.trim().is_empty() && l.text.trim() != "Text version");
    let Some(title_line) = title_line else {
        return Err(err(first, "record has no title line after 'Events'".into()));
    };
    let title = title_line.text.trim().to_string();
    let search_end = lines.len().saturating_sub(1).min(2 + MAX_LEAD_LINES + 1);
    let Some((date_idx, date)) =
        (2..search_end).find_map(|i| parse_date(&lines[i].text).map(|d| (i, d)))
    else {
        return Err(err(
            title_line.no,
            format!("record '{}' has no date line (expected e.g. 'November 20, 2020' after the title and lead)", clip(&title)),
        ));
    };
    let lead = join_paragraphs(&lines[2..date_idx]);
    let mut i = date_idx + 1;
    let time = match lines.get(i) {
        Some(l) if is_time(&l.text) => {
            i += 1;
            Some(l.text.trim().to_string())
        }
        _ => None,
    };
    let footer = parse_footer(lines, i);
    let place = match lines.get(i) {
        Some(l) if i < footer.start && looks_like_place(&l.text) && !starts_body(lines, i) => {
            i += 1;
            Some(l.text.trim().to_string())
        }
        _ => None,
    };
    let body = &lines[i..footer.start.max(i)];
    let blocks = parse_body(body, &title);
    let participants = participants(&blocks);
    Ok(Event {
        id: String::new(),
        title,
        lead,
        date,
        time,
        place,
        participants,
        blocks,
        speakers: Vec::new(),
        geography: footer.geography,
        topics: footer.topics,
        persons: footer.persons,
        sections: footer.sections,
        publication_date: footer.publication_date,
        source: SourceRef {
            file: file.to_string(),
            line: first,
        },
    })
}

/// A place-like line that is really the start of the body: a speaker label
/// split from its colon.
fn starts_body(lines: &[Line], i: usize) -> bool {
    lines
        .get(i + 1)
        .is_some_and(|n| n.text.trim_start().starts_with(':'))
}

fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(60).collect::<String>())
    }
}

/// Lead lines -> paragraphs, joining continuation lines.
fn join_paragraphs(lines: &[Line]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(p) if is_continuation(&l.text) => join_continuation(p, &l.text),
            _ => out.push(l.text.trim().to_string()),
        }
    }
    out
}

/// Builds the body's blocks from its lines.
struct BodyBuilder {
    blocks: Vec<Block>,
    /// Label of the speaker whose turn is running, if any: a speech goes on
    /// after a photo caption or slider inside it, and ends at a separator.
    open_label: Option<String>,
    /// The last block can take a continuation line.
    joinable: bool,
}

impl BodyBuilder {
    fn close_turn(&mut self) {
        self.open_label = None;
    }

    fn push_noise(&mut self, block: Block) {
        self.blocks.push(block);
        self.joinable = false;
    }

    fn start_turn(&mut self, m: LabelMatch, first: String) {
        self.open_label = Some(m.label.clone());
        self.blocks.push(Block::Turn(Turn {
            speaker: String::new(),
            label: m.label,
            annotation: m.annotation,
            continued: false,
            paragraphs: vec![first],
        }));
        self.joinable = true;
    }

    fn push_paragraph(&mut self, text: String) {
        self.joinable = true;
        let Some(label) = &self.open_label else {
            self.blocks.push(Block::Paragraph { text });
            return;
        };
        if let Some(Block::Turn(t)) = self.blocks.last_mut() {
            t.paragraphs.push(text);
            return;
        }
        // The speech goes on after a caption or slider: same speaker, no label printed.
        self.blocks.push(Block::Turn(Turn {
            speaker: String::new(),
            label: label.clone(),
            annotation: None,
            continued: true,
            paragraphs: vec![text],
        }));
    }

    /// Appends a continuation line to the last paragraph, if there is one.
    fn join(&mut self, line: &str) -> bool {
        if !self.joinable {
            return false;
        }
        let last = match self.blocks.last_mut() {
            Some(Block::Turn(t)) => t.paragraphs.last_mut(),
            Some(Block::Paragraph { text }) => Some(text),
            _ => None,
        };
        match last {
            Some(p) => {
                join_continuation(p, line);
                true
            }
            None => false,
        }
    }
}

/// Parses the body lines into blocks. `title` helps recognise the photo
/// caption that often opens the body (it repeats the title).
pub fn parse_body(lines: &[Line], title: &str) -> Vec<Block> {
    let mut b = BodyBuilder {
        blocks: Vec::new(),
        open_label: None,
        joinable: false,
    };
    let mut i = 0;
    while i < lines.len() {
        let raw = &lines[i].text;
        let t = raw.trim();
        let next = lines.get(i + 1).map(|l| l.text.as_str());
        if t.is_empty() {
            // Empty lines carry nothing (whitespace-only lines are empty once normalised).
            i += 1;
            continue;
        }
        if is_separator(raw) {
            b.close_turn();
            b.push_noise(Block::Separator { text: raw.clone() });
            i += 1;
            continue;
        }
        if is_slider_counter(t) {
            let caption = next
                .filter(|n| is_slider_caption(n))
                .map(|n| n.trim().to_string());
            i += 1 + usize::from(caption.is_some());
            b.push_noise(Block::Slider {
                counter: t.to_string(),
                caption,
            });
            continue;
        }
        if t == "See also" {
            let mut see = Vec::new();
            if let Some(title) = next.filter(|n| !n.trim().is_empty()) {
                see.push(title.trim().to_string());
                if let Some(when) = lines
                    .get(i + 2)
                    .map(|l| l.text.trim())
                    .filter(|w| looks_like_date_range(w))
                {
                    see.push(when.to_string());
                }
            }
            i += 1 + see.len();
            b.close_turn();
            b.push_noise(Block::SeeAlso { lines: see });
            continue;
        }
        // A label split from its colon: "...Serzh Sargsyan" / ": Mr Putin, ..."
        // (or "(retranslated): Mr Putin, ...").
        if let Some((annotation, rest)) = next.and_then(colon_line) {
            // The whole line must be the label: "Name: text" followed by a
            // line starting with a colon is an ordinary turn. An annotation on
            // both lines has no place in one label: keep both lines as text.
            let split = match_label(&format!("{t}:"))
                .filter(|m| m.rest.is_empty() && !(m.annotation.is_some() && annotation.is_some()));
            if let Some(mut m) = split {
                m.annotation = annotation.or(m.annotation);
                b.start_turn(m, rest);
                i += 2;
                continue;
            }
        }
        // A label may open in lower case ("chairman of the Board ... Nikolai
        // Tokarev: ..."); a role word tells it from a continuation line.
        if t.starts_with(char::is_lowercase) && opens_with_role(t) {
            if let Some(mut m) = match_label(t) {
                // Moved, not copied: the paragraph is the turn's first.
                let first = std::mem::take(&mut m.rest);
                b.start_turn(m, first);
                i += 1;
                continue;
            }
        }
        if is_continuation(t) && b.join(t) {
            i += 1;
            continue;
        }
        if let Some(mut m) = match_label(t) {
            let first = std::mem::take(&mut m.rest);
            b.start_turn(m, first);
            i += 1;
            continue;
        }
        let opening = b.blocks.is_empty();
        if is_photo_caption(t) || opening && is_opening_caption(t, title) {
            b.push_noise(Block::PhotoCaption {
                text: t.to_string(),
            });
            i += 1;
            continue;
        }
        // Outside a speech, a short title-like line is a sub-heading. Inside
        // one it stays text: a wrong guess there would cut the speech.
        if b.open_label.is_none()
            && looks_like_heading(t)
            && next.is_some_and(|n| !is_continuation(n.trim_start()))
        {
            b.push_noise(Block::Heading {
                text: t.to_string(),
            });
            i += 1;
            continue;
        }
        b.push_paragraph(t.to_string());
        i += 1;
    }
    b.blocks
}

/// "Opening remarks", "Statements for the press": short, capitalised, no
/// sentence punctuation at the end.
fn looks_like_heading(t: &str) -> bool {
    // Word counts stop one past the limit: long paragraphs are the rule.
    let words = t.split_whitespace().take(11).count();
    (1..=10).contains(&words)
        && t.starts_with(char::is_uppercase)
        && !t.ends_with(['.', ',', ':', ';', '!', '?', '…', '"', '”', ')', '>'])
        && !t.contains(": ")
        && parse_date(t).is_none()
}

/// The second half of a label split from its colon: ": text" or
/// "(annotation): text". Returns the annotation and the text.
fn colon_line(s: &str) -> Option<(Option<String>, String)> {
    let t = s.trim_start();
    if let Some(rest) = t.strip_prefix(':') {
        return Some((None, rest.trim().to_string()));
    }
    let inner = t.strip_prefix('(')?;
    let (ann, after) = inner.split_once(')')?;
    let rest = after.trim_start().strip_prefix(':')?;
    (!ann.trim().is_empty() && ann.len() < 80)
        .then(|| (Some(ann.trim().to_string()), rest.trim().to_string()))
}

fn opens_with_role(s: &str) -> bool {
    let first = s.split_whitespace().next().unwrap_or("").to_lowercase();
    crate::speakers::ROLE_WORDS.contains(&first.as_str()) || first == "first"
}

/// The line after a slider counter is its caption unless it is clearly
/// something else.
fn is_slider_caption(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && !is_slider_counter(t)
        && !is_separator(s)
        && match_label(t).is_none()
        && t != "See also"
}

/// "January 28, 2013" or "June 10 − 11, 2010": the date line of a "See also" box.
fn looks_like_date_range(s: &str) -> bool {
    let t = s.trim();
    t.chars().count() <= 40
        && t.split_whitespace()
            .last()
            .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        && t.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Inline photo captions: short noun phrases such as "At the plenary
/// session." or "With King Abdullah II of Jordan." Only clear cases are
/// taken; anything doubtful stays a paragraph, and no text is lost either way.
pub fn is_photo_caption(s: &str) -> bool {
    const OPENERS: [&str; 7] = [
        "At ",
        "With ",
        "During ",
        "Before ",
        "After ",
        "Meeting with ",
        "Direct Line with ",
    ];
    let t = s.trim();
    // "Presentation of letters of credence. Photo: TASS"
    let credit = t.contains("Photo") && (t.contains("Photo:") || t.contains("Photo by"));
    // The cheap tests first: most lines are long paragraphs.
    if !credit && (!t.ends_with('.') || !OPENERS.iter().any(|o| t.starts_with(o))) {
        return false;
    }
    // More than 30 words (counting stops at the 31st).
    if t.split_whitespace().nth(30).is_some() {
        return false;
    }
    if credit {
        return true;
    }
    // A caption has no speaker's voice in it.
    let lower = format!(
        " {} ",
        t.to_lowercase().replace([',', '.', ';', '?', '!'], " ")
    );
    !has_voice(&lower) && !t.contains(':')
}

/// The first body line is a photo caption when it is a short phrase ending
/// with a full stop, in no speaker's voice, or the title repeated.
fn is_opening_caption(s: &str, title: &str) -> bool {
    let t = s.trim();
    if t.trim_end_matches('.') == title.trim() {
        return true;
    }
    let words = t.split_whitespace().take(31).count();
    let lower = format!(
        " {} ",
        t.to_lowercase().replace([',', '.', ';', '?', '!'], " ")
    );
    t.ends_with('.')
        && (3..=30).contains(&words)
        && !has_voice(&lower)
        && !t.contains(':')
        && t.matches(". ").count() <= 1
}

/// First- and second-person words, or verbs of a sentence: the marks of
/// speech or narration rather than a caption. `lower` is padded with spaces.
fn has_voice(lower: &str) -> bool {
    const VOICE: [&str; 14] = [
        " i ", " we ", " you ", " our ", " my ", " us ", " your ", " will ", " would ", " is ",
        " are ", " was ", " were ", " have ",
    ];
    VOICE.iter().any(|w| lower.contains(w))
}

/// People listed in the header sentence ("The meeting was attended by A, B
/// and C."), one entry per person as printed.
fn participants(blocks: &[Block]) -> Vec<String> {
    const OPENERS: [&str; 6] = [
        " attended by ",
        "Taking part in the meeting were ",
        "Taking part in the meeting was ",
        "Also taking part in the meeting were ",
        "Among those taking part in the meeting were ",
        "Participants included ",
    ];
    // Searchers built once, not per call (`str::find` sets one up for each
    // search): the same first match.
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| OPENERS.iter().map(memchr::memmem::Finder::new).collect());
    for block in blocks.iter().take(8) {
        let Block::Paragraph { text } = block else {
            continue;
        };
        for (o, finder) in OPENERS.iter().zip(finders) {
            if let Some(pos) = finder.find(text.as_bytes()) {
                return split_list(text.get(pos + o.len()..).unwrap_or_default());
            }
        }
    }
    Vec::new()
}

/// Splits "A, B, and C." on top-level commas and " and ".
fn split_list(s: &str) -> Vec<String> {
    let s = s.trim().trim_end_matches('.');
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth <= 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let mut out = Vec::new();
    for p in parts {
        let p = p.trim();
        let p = p.strip_prefix("and ").unwrap_or(p);
        // "A and B": split only between a name's end and a capitalised
        // role, not inside a role ("conflict zone and Deputy Commander").
        let mut rest = p;
        while let Some(k) = rest.find(" and ").filter(|&k| {
            let before = rest[..k].split_whitespace().last().unwrap_or("");
            let after = rest[k + 5..].chars().next().unwrap_or(' ');
            before.starts_with(char::is_uppercase) && after.is_uppercase()
        }) {
            out.push(rest[..k].trim().to_string());
            rest = &rest[k + 5..];
        }
        if !rest.trim().is_empty() {
            out.push(rest.trim().to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::decode_lines;

    fn lines(s: &str) -> Vec<Line> {
        unglue(decode_lines(s.as_bytes()))
    }

    #[test]
    fn dates_times_and_counters() {
        assert_eq!(
            parse_date("November 20, 2020"),
            NaiveDate::from_ymd_opt(2020, 11, 20)
        );
        assert_eq!(parse_date("November 31, 2020"), None);
        assert!(
            is_time("19:00")
                && is_time("09:05")
                && !is_time("9:05")
                && !is_time("25:00")
                && !is_time("ab:cd")
        );
        assert!(is_slider_counter("2 of 6") && !is_slider_counter("2 of six"));
        assert!(
            is_separator("* * *")
                && is_separator("***")
                && !is_separator(" ")
                && !is_separator("a*")
        );
    }

    #[test]
    fn glued_boundary_is_split() {
        let l = lines("Text versionEvents\nx");
        assert_eq!(
            l.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["Text version", "Events", "x"]
        );
        assert_eq!(l[0].no, 1);
        assert_eq!(l[1].no, 1);
    }

    #[test]
    fn continuation_lines_join_their_paragraph() {
        let body = lines("The meeting was attended by Deputy Prime Minister Alexander Novak\n, Emergencies Minister Yevgeny Zinichev\nand Defence Minister Sergei Shoigu.\nArmy General Sergei Shoigu\nreviewed the parade.");
        let blocks = parse_body(&body, "");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph {
                    text: "The meeting was attended by Deputy Prime Minister Alexander Novak, Emergencies Minister Yevgeny Zinichev and Defence Minister Sergei Shoigu.".into()
                },
                Block::Paragraph { text: "Army General Sergei Shoigu reviewed the parade.".into() },
            ]
        );
        assert_eq!(
            participants(&blocks),
            [
                "Deputy Prime Minister Alexander Novak",
                "Emergencies Minister Yevgeny Zinichev",
                "Defence Minister Sergei Shoigu"
            ]
        );
    }
}
