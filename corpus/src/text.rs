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
    let mut out = Vec::new();
    let mut pieces = bytes.split(|&b| b == b'\n').peekable();
    let mut no: u32 = 0;
    while let Some(raw) = pieces.next() {
        // A trailing newline yields one empty last piece: that is not a line.
        if raw.is_empty() && pieces.peek().is_none() {
            break;
        }
        no = no.saturating_add(1);
        let (text, invalid_utf8) = match std::str::from_utf8(raw) {
            Ok(s) => (normalise(s), false),
            Err(_) => (normalise(&String::from_utf8_lossy(raw)), true),
        };
        out.push(Line {
            no,
            text,
            invalid_utf8,
        });
    }
    out
}

/// Removes CR, zero-width characters and BOMs, turns non-breaking and other
/// exotic spaces into plain spaces, and trims the end of the line.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' | '\u{2009}' | '\u{200A}' => out.push(' '),
            _ => out.push(c),
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
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
