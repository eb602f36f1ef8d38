//! A shard event's JSON, written by hand: the same bytes as
//! `serde_json::to_vec(&ShardEvent)`, about three times faster (string
//! escaping skips eight plain bytes at a time). The site writer spends much
//! of its time serialising transcripts; everything else uses serde.
//!
//! Structs are destructured field by field and enums matched without a
//! wildcard, so a change to the model does not compile until this follows;
//! the tests compare with serde_json over the dev set and arbitrary strings.

use crate::model::{Block, ShardEvent, SourceRef, Turn};

/// Appends the JSON of `e` to `out`, exactly as serde_json writes it.
pub fn write_shard_event(out: &mut Vec<u8>, e: &ShardEvent) {
    let ShardEvent {
        id,
        lead,
        participants,
        blocks,
        persons,
        sections,
        publication_date,
        source,
    } = e;
    out.extend_from_slice(b"{\"id\":");
    string(out, id);
    out.extend_from_slice(b",\"lead\":");
    strings(out, lead);
    out.extend_from_slice(b",\"participants\":");
    strings(out, participants);
    out.extend_from_slice(b",\"blocks\":[");
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        block(out, b);
    }
    out.extend_from_slice(b"],\"persons\":");
    strings(out, persons);
    out.extend_from_slice(b",\"sections\":");
    strings(out, sections);
    out.extend_from_slice(b",\"publication_date\":");
    option(out, publication_date.as_deref());
    let SourceRef { file, line } = source;
    out.extend_from_slice(b",\"source\":{\"file\":");
    string(out, file);
    out.extend_from_slice(b",\"line\":");
    out.extend_from_slice(line.to_string().as_bytes());
    out.extend_from_slice(b"}}");
}

fn block(out: &mut Vec<u8>, b: &Block) {
    let text_block = |out: &mut Vec<u8>, kind: &str, text: &str| {
        out.extend_from_slice(b"{\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\",\"text\":");
        string(out, text);
        out.push(b'}');
    };
    match b {
        Block::Turn(Turn {
            speaker,
            label,
            annotation,
            continued,
            paragraphs,
        }) => {
            out.extend_from_slice(b"{\"type\":\"turn\"");
            if !speaker.is_empty() {
                out.extend_from_slice(b",\"speaker\":");
                string(out, speaker);
            }
            out.extend_from_slice(b",\"label\":");
            string(out, label);
            out.extend_from_slice(b",\"annotation\":");
            option(out, annotation.as_deref());
            if *continued {
                out.extend_from_slice(b",\"continued\":true");
            }
            out.extend_from_slice(b",\"paragraphs\":");
            strings(out, paragraphs);
            out.push(b'}');
        }
        Block::Paragraph { text } => text_block(out, "paragraph", text),
        Block::Slider { counter, caption } => {
            out.extend_from_slice(b"{\"type\":\"slider\",\"counter\":");
            string(out, counter);
            out.extend_from_slice(b",\"caption\":");
            option(out, caption.as_deref());
            out.push(b'}');
        }
        Block::PhotoCaption { text } => text_block(out, "photo_caption", text),
        Block::Separator { text } => text_block(out, "separator", text),
        Block::SeeAlso { lines } => {
            out.extend_from_slice(b"{\"type\":\"see_also\",\"lines\":");
            strings(out, lines);
            out.push(b'}');
        }
        Block::Heading { text } => text_block(out, "heading", text),
    }
}

fn strings(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (k, s) in items.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        string(out, s);
    }
    out.push(b']');
}

fn option(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Eight bytes of `w` need no escape: none is below 0x20, a quote or a backslash.
#[inline]
fn plain(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A zero byte in `x` sets its high bit here (lanes above the first zero
    // may be wrong, which only makes the test fail, never pass wrongly).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    below_space | zero(w ^ (ONES * b'"' as u64)) | zero(w ^ (ONES * b'\\' as u64)) == 0
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00xx`, everything else as is.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            if plain(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]))) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0x00..=0x1F => b"",
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&b[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(c >> 4) as usize]);
            out.push(HEX[(c & 0xF) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xA0, 0x2028, 0x2029, 0xFEFF, 0x1F600]) {
            all.push(char::from_u32(c).unwrap());
        }
        let cases = [
            "",
            "plain text, longer than eight bytes",
            "\"quoted\" and \\back\\slashed\\",
            "tab\there\nnew line\r\u{1}\u{1f}\u{7f}",
            "Путин: «Спасибо» — “quotes” … 😀",
            all.as_str(),
        ];
        for s in cases {
            // Every offset, so escapes fall at every place in a chunk.
            for start in 0..s.len() {
                let Some(s) = s.get(start..) else { continue };
                let mut out = Vec::new();
                string(&mut out, s);
                assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
            }
        }
    }
}
