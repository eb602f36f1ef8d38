//! Re-emits a parsed record in the export's own layout.
//!
//! This is how losslessness is checked: for every record, the text produced
//! here equals the input record once whitespace is removed (line breaks and
//! the spaces around joined continuation lines are the only freedom the
//! parser has). Every input line therefore appears in the output exactly
//! once, in order, and nothing is added.

use crate::model::{Block, Event};

/// The record's lines as the export printed them (modulo line breaks inside
/// paragraphs, which the parser joins).
pub fn record_lines(e: &Event) -> Vec<String> {
    let mut out = vec!["Events".to_string(), e.title.clone()];
    out.extend(e.lead.iter().cloned());
    out.push(e.date.format("%B %-d, %Y").to_string());
    out.extend(e.time.iter().cloned());
    out.extend(e.place.iter().cloned());
    out.extend(body_lines(e));
    for (header, items) in [
        ("Geography", &e.geography),
        ("Topics", &e.topics),
        ("Persons", &e.persons),
    ] {
        if !items.is_empty() {
            out.push(header.to_string());
            out.extend(items.iter().cloned());
        }
    }
    if !e.sections.is_empty() || e.publication_date.is_some() {
        out.push("Publication status".to_string());
    }
    if !e.sections.is_empty() {
        out.push(format!("Published in sections: {}", e.sections.join(", ")));
    }
    if let Some(d) = &e.publication_date {
        out.push(format!("Publication date: {d}"));
    }
    out.push("Text version".to_string());
    out
}

/// The body's lines: a turn's label is printed before its first paragraph.
pub fn body_lines(e: &Event) -> Vec<String> {
    let mut out = Vec::new();
    for b in &e.blocks {
        match b {
            Block::Turn(t) => {
                for (i, p) in t.paragraphs.iter().enumerate() {
                    if i == 0 && !t.continued {
                        let ann = t
                            .annotation
                            .as_ref()
                            .map(|a| format!(" ({a})"))
                            .unwrap_or_default();
                        out.push(format!("{}{}: {}", t.label, ann, p));
                    } else {
                        out.push(p.clone());
                    }
                }
            }
            Block::SeeAlso { lines } => {
                out.push("See also".to_string());
                out.extend(lines.iter().cloned());
            }
            other => out.extend(other.texts().into_iter().map(str::to_string)),
        }
    }
    out
}

/// A text with all whitespace removed: the form in which input and
/// reconstruction must be equal.
pub fn without_whitespace<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    lines
        .into_iter()
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect()
}
