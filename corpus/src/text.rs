//! Input decoding and line normalisation.
//!
//! The export comes from browser copies: a BOM, CRLF line ends, non-breaking
//! spaces and zero-width characters all occur. They are normalised here, once,
//! so that the parser only ever sees clean lines, and invalid UTF-8 is
//! confined to the lines that hold it (the record around such a line is
//! rejected, the rest of the file still comes through).

/// One physical line of input, after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the file.
    pub no: u32,
    pub text: String,
    /// The raw bytes of this line were not valid UTF-8.
    pub invalid_utf8: bool,
}

/// Splits raw bytes into normalised lines. Never fails: invalid UTF-8 is
/// replaced (U+FFFD) and the line is flagged.
pub fn decode_lines(bytes: &[u8]) -> Vec<Line> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    decode_from(bytes, 0)
}

/// [`decode_lines`] on rayon's pool: the bytes are cut after line breaks
/// into pieces of about `piece` bytes, decoded side by side, and joined.
/// The result is the same as [`decode_lines`]'s.
pub fn decode_lines_par(bytes: &[u8], piece: usize) -> Vec<Line> {
    use rayon::prelude::*;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Pieces end right after a line break (the last one at the end), so
    // each holds whole lines: as many as it has line breaks, plus a last
    // line without one at the very end.
    let mut pieces: Vec<(&[u8], u32)> = Vec::new();
    let mut rest = bytes;
    let mut before: u32 = 0;
    while !rest.is_empty() {
        let cut = match rest
            .get(piece.max(1)..)
            .and_then(|r| memchr::memchr(b'\n', r))
        {
            Some(i) => piece.max(1) + i + 1,
            None => rest.len(),
        };
        let (head, tail) = rest.split_at(cut);
        pieces.push((head, before));
        let breaks = memchr::memchr_iter(b'\n', head).count();
        before = before.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        rest = tail;
    }
    if pieces.len() <= 1 {
        return decode_from(bytes, 0);
    }
    let decoded: Vec<Vec<Line>> = pieces
        .into_par_iter()
        .map(|(head, before)| decode_from(head, before))
        .collect();
    let mut out = Vec::with_capacity(decoded.iter().map(Vec::len).sum());
    for mut d in decoded {
        out.append(&mut d);
    }
    out
}

/// Decodes lines whose first is line `before + 1` of its file.
fn decode_from(bytes: &[u8], before: u32) -> Vec<Line> {
    let mut out = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut no: u32 = before;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(
        // The last line has no line break; after a final one there is no line.
        (start_of_tail(bytes) < bytes.len()).then_some(bytes.len()),
    );
    // Checked once for the whole piece (nearly always valid), then line by
    // line only if it is not: a line cut at line breaks of valid UTF-8 is
    // valid UTF-8.
    let whole = std::str::from_utf8(bytes).ok();
    for end in ends {
        let raw = &bytes[start..end];
        let valid = match whole {
            Some(w) => w.get(start..end),
            None => std::str::from_utf8(raw).ok(),
        };
        start = end + 1;
        no = no.saturating_add(1);
        let (text, invalid_utf8) = match valid {
            Some(s) => (normalise(s), false),
            None => (normalise(&String::from_utf8_lossy(raw)), true),
        };
        out.push(Line {
            no,
            text,
            invalid_utf8,
        });
    }
    out
}

/// Where the text after the last line break starts.
fn start_of_tail(bytes: &[u8]) -> usize {
    memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1)
}

/// Removes CR, zero-width characters and BOMs, turns non-breaking and other
/// exotic spaces into plain spaces, and trims the end of the line.
///
/// Works on bytes: every character it changes starts with one of the bytes
/// `\r`, `\t`, `0xC2`, `0xE2` or `0xEF`, so a line without them (most lines)
/// is copied in one piece, and other lines are copied run by run.
pub fn normalise(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        // Skip eight bytes at a time while they are plain printable ASCII.
        if let Some(chunk) = b.get(i..i + 8) {
            if plain_ascii(u64::from_le_bytes(chunk.try_into().unwrap_or_default())) {
                i += 8;
                continue;
            }
        }
        // (length of the sequence, replaced by a space?) or not special.
        let hit = match b[i] {
            b'\r' => Some((1, false)),
            b'\t' => Some((1, true)),
            // U+00AD soft hyphen, U+00A0 no-break space.
            0xC2 => match b.get(i + 1) {
                Some(0xAD) => Some((2, false)),
                Some(0xA0) => Some((2, true)),
                _ => None,
            },
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                // U+200B..U+200D zero-width, U+2060 word joiner.
                (Some(0x80), Some(0x8B..=0x8D)) | (Some(0x81), Some(0xA0)) => Some((3, false)),
                // U+2007 figure, U+2009 thin, U+200A hair, U+202F narrow no-break space.
                (Some(0x80), Some(0x87 | 0x89 | 0x8A | 0xAF)) => Some((3, true)),
                _ => None,
            },
            // U+FEFF BOM.
            0xEF if b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) => Some((3, false)),
            _ => None,
        };
        match hit {
            Some((len, space)) => {
                if out.capacity() == 0 {
                    out.reserve(s.len());
                }
                out.push_str(&s[copied..i]);
                if space {
                    out.push(' ');
                }
                i += len;
                copied = i;
            }
            None => i += 1,
        }
    }
    if copied == 0 {
        // Nothing to replace: one copy of the trimmed line.
        return s.trim_end().to_string();
    }
    out.push_str(&s[copied..]);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// All eight bytes of `w` are in `0x0E..0x80`: ASCII and none of `\t`, `\r`.
/// (A byte below 0x0E makes its lane borrow when subtracting, setting its
/// high bit; lanes below it did not borrow, so the test is exact.)
#[inline]
fn plain_ascii(w: u64) -> bool {
    const LOW: u64 = 0x0E0E_0E0E_0E0E_0E0E;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    (w.wrapping_sub(LOW) | w) & HIGH == 0
}

/// Collapses runs of whitespace to one space and trims: the comparison form
/// used by the evaluator and tests.
pub fn squash_ws(s: &str) -> String {
    normalise(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_nbsp_and_zero_width_are_normalised() {
        let lines = decode_lines("\u{FEFF}Events\r\nA\u{00A0}title\u{200B}\r\nx".as_bytes());
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Events", "A title", "x"]);
        assert_eq!(lines[2].no, 3);
    }

    #[test]
    fn normalise_matches_the_char_by_char_definition() {
        fn reference(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '\r' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
                    | '\u{00AD}' => {}
                    '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' | '\u{2009}' | '\u{200A}' => {
                        out.push(' ')
                    }
                    _ => out.push(c),
                }
            }
            out.trim_end().to_string()
        }
        let specials = [
            "\r", "\t", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}",
            "\u{00A0}", "\u{2007}", "\u{202F}", "\u{2009}", "\u{200A}", "\u{2008}", "\u{2028}",
            "\u{200E}", "’", "“", "é", "Ё", "\u{FEFE}", "\u{00A1}", "a", " ", "\u{3000}", "😀",
        ];
        // Every pair and triple of pieces, so sequences meet at every offset.
        for a in specials {
            for b in specials {
                for c in ["", "x", " ", "\u{00A0}", "\u{2009}"] {
                    let s = format!("{a}{c}{b}{c}");
                    assert_eq!(normalise(&s), reference(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn decoding_in_pieces_gives_the_same_lines() {
        let text: &[u8] = b"\xEF\xBB\xBFEvents\r\nA\xC2\xA0title\n\nbad \xFF\n\n\nlast\n";
        for piece in [0, 1, 2, 3, 5, 8, 13, 100] {
            assert_eq!(decode_lines_par(text, piece), decode_lines(text), "{piece}");
            let cut = &text[..text.len() - 1];
            assert_eq!(decode_lines_par(cut, piece), decode_lines(cut), "{piece}");
        }
        assert!(decode_lines_par(b"", 4).is_empty());
    }

    #[test]
    fn trailing_newline_is_not_a_line() {
        assert_eq!(decode_lines(b"a\nb\n").len(), 2);
        assert_eq!(decode_lines(b"a\nb").len(), 2);
        assert_eq!(decode_lines(b"").len(), 0);
    }

    #[test]
    fn invalid_utf8_is_flagged_on_its_line_only() {
        let lines = decode_lines(b"ok\nbad \xFF byte\nok");
        assert!(!lines[0].invalid_utf8);
        assert!(lines[1].invalid_utf8);
        assert!(lines[1].text.contains('\u{FFFD}'));
        assert!(!lines[2].invalid_utf8);
    }
}
