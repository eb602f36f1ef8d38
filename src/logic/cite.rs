//! "Copy quote": a selected passage of a turn plus its citation, as plain
//! text and as a BibTeX entry.
//!
//! Every field comes from the corpus (speaker names, titles, places are
//! transcript data): nothing here trusts them. Plain text is cleaned
//! (whitespace runs become one space, control characters go), BibTeX
//! fields are escaped so that no field can end early or run TeX code.
//!
//! The kremlin.ru page of an event is not cited: the raw export carries no
//! kremlin.ru numeric id (it is only in the dev set's `truth.jsonl`), and a
//! URL must not be guessed. [`Quote::source_url`] is there for a future
//! record that has one; until then the source is named as "en.kremlin.ru".

use chrono::{Datelike, NaiveDate};

/// What a citation is made of. `text` is the selection as the browser gave
/// it; every field is cleaned when the citation is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote<'a> {
    pub text: &'a str,
    /// The speaker's canonical name ("Sergei Lavrov").
    pub speaker: &'a str,
    pub title: &'a str,
    pub date: NaiveDate,
    /// "19:00", as printed.
    pub time: Option<&'a str>,
    pub place: Option<&'a str>,
    /// The Stenogram permalink of the turn (absolute URL).
    pub url: &'a str,
    /// The event's page on kremlin.ru. Always `None` today: see the module
    /// documentation.
    pub source_url: Option<&'a str>,
    /// When the reader copied the quote.
    pub accessed: NaiveDate,
}

/// Whitespace runs (newlines, tabs, no-break spaces ...) become one space,
/// control characters are dropped, the ends are trimmed. Applied to the
/// selection and to every field, so a citation is always two lines.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else if c.is_control() {
            continue;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// "12 March 2019"
fn day_month_year(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The quote in typographic quotes, then one citation line:
///
/// ```text
/// “Good afternoon, colleagues.”
/// — Vladimir Putin, "Meeting ...", Novo-Ogaryovo, 20 November 2020, 19:00. Stenogram: <url> (accessed 2026-11-28). Text: en.kremlin.ru, CC BY 4.0.
/// ```
pub fn plain_text(q: &Quote) -> String {
    let mut line = format!("— {}, \"{}\"", clean(q.speaker), clean(q.title));
    if let Some(place) = q.place.map(clean).filter(|p| !p.is_empty()) {
        line.push_str(", ");
        line.push_str(&place);
    }
    line.push_str(", ");
    line.push_str(&day_month_year(q.date));
    if let Some(time) = q.time.map(clean).filter(|t| !t.is_empty()) {
        line.push_str(", ");
        line.push_str(&time);
    }
    line.push_str(&format!(
        ". Stenogram: {} (accessed {}). Text: {}, CC BY 4.0.",
        clean(q.url),
        q.accessed.format("%Y-%m-%d"),
        q.source_url
            .map(clean)
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "en.kremlin.ru".to_string())
    ));
    format!("“{}”\n{line}", clean(q.text))
}

/// Escape text for a braced BibTeX field: the characters TeX treats
/// specially become their escaped forms, so a field can neither close
/// early (`}`), nor comment out the rest (`%`), nor run a macro (`\`).
pub fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in clean(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '%' => out.push_str("\\%"),
            '&' => out.push_str("\\&"),
            '$' => out.push_str("\\$"),
            '#' => out.push_str("\\#"),
            '_' => out.push_str("\\_"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

/// A URL for `\url{...}` inside a BibTeX field: characters a URL never
/// needs raw (braces, backslash, spaces) are percent-encoded, and `%` and
/// `#` are escaped, as `\url` requires inside another command's argument.
pub fn bibtex_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    for c in clean(url).chars() {
        match c {
            '\\' => out.push_str("%5C"),
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            ' ' => out.push_str("%20"),
            '%' => out.push_str("\\%"),
            '#' => out.push_str("\\#"),
            c => out.push(c),
        }
    }
    out
}

/// ASCII letters and digits of `s`, lower-cased (a key must be plain).
fn key_part(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A stable key: the speaker's surname (last word of the name), the year,
/// the first word of the title: `lavrov2019meeting`. Letters outside ASCII
/// are left out; a name with none left gives `anon`.
pub fn bibtex_key(speaker: &str, date: NaiveDate, title: &str) -> String {
    let surname = clean(speaker)
        .split(' ')
        .rev()
        .map(key_part)
        .find(|w| !w.is_empty())
        .unwrap_or_else(|| "anon".to_string());
    let first_word = clean(title)
        .split(' ')
        .map(key_part)
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    format!("{surname}{}{first_word}", date.year())
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A `@misc` entry: author, title, date, the Stenogram link, and the quote
/// with place and source in `note`.
pub fn bibtex(q: &Quote) -> String {
    let mut note = format!("``{}''", bibtex_escape(q.text));
    if let Some(place) = q.place.map(bibtex_escape).filter(|p| !p.is_empty()) {
        note.push_str(&format!(". {place}"));
    }
    note.push_str(&format!(
        ". Text: {}, CC BY 4.0",
        q.source_url
            .map(bibtex_escape)
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "en.kremlin.ru".to_string())
    ));
    let month = MONTHS[q.date.month0() as usize % 12];
    format!(
        "@misc{{{key},\n  author = {{{author}}},\n  title = {{{title}}},\n  year = {{{year}}},\n  month = {month},\n  date = {{{date}}},\n  howpublished = {{\\url{{{url}}}}},\n  urldate = {{{accessed}}},\n  note = {{{note}}}\n}}\n",
        key = bibtex_key(q.speaker, q.date, q.title),
        author = bibtex_escape(q.speaker),
        title = bibtex_escape(q.title),
        year = q.date.year(),
        date = q.date.format("%Y-%m-%d"),
        url = bibtex_url(q.url),
        accessed = q.accessed.format("%Y-%m-%d"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn lavrov<'a>(text: &'a str, title: &'a str) -> Quote<'a> {
        Quote {
            text,
            speaker: "Sergei Lavrov",
            title,
            date: date(2019, 3, 12),
            time: None,
            place: Some("Moscow"),
            url: "https://example.org/stenogram/?open=2019-03-12-talks#2019-03-12-talks--4",
            source_url: None,
            accessed: date(2026, 11, 28),
        }
    }

    #[test]
    fn plain_text_is_the_quote_then_one_citation_line() {
        let q = lavrov("  We are\n ready\tto talk.  ", "Talks with Ministers");
        assert_eq!(
            plain_text(&q),
            "“We are ready to talk.”\n— Sergei Lavrov, \"Talks with Ministers\", Moscow, 12 March 2019. \
             Stenogram: https://example.org/stenogram/?open=2019-03-12-talks#2019-03-12-talks--4 \
             (accessed 2026-11-28). Text: en.kremlin.ru, CC BY 4.0."
        );
    }

    #[test]
    fn time_is_given_and_a_missing_place_left_out() {
        let q = Quote {
            time: Some("19:00"),
            place: None,
            ..lavrov("Yes.", "T")
        };
        assert!(plain_text(&q).contains("\"T\", 12 March 2019, 19:00. Stenogram:"));
        let q = Quote {
            place: Some("  "),
            ..lavrov("Yes.", "T")
        };
        assert!(plain_text(&q).contains("\"T\", 12 March 2019. Stenogram:"));
    }

    #[test]
    fn a_kremlin_url_is_cited_only_when_the_record_has_one() {
        let q = Quote {
            source_url: Some("http://en.kremlin.ru/events/president/news/64461"),
            ..lavrov("Yes.", "T")
        };
        assert!(plain_text(&q)
            .ends_with("Text: http://en.kremlin.ru/events/president/news/64461, CC BY 4.0."));
        assert!(bibtex(&q).contains("Text: http://en.kremlin.ru/events/president/news/64461"));
        assert!(!plain_text(&lavrov("Yes.", "T")).contains("/events/"));
    }

    #[test]
    fn hostile_fields_cannot_break_the_two_lines() {
        let q = Quote {
            speaker: "Evil\nName\u{0}\u{7}",
            title: "A\r\nB\u{1b}[31m",
            place: Some("\u{2028}X\u{a0}\u{a0}Y"),
            ..lavrov("\n\n\u{0}quote\r\n", "")
        };
        let text = plain_text(&q);
        assert_eq!(text.lines().count(), 2, "{text:?}");
        assert!(text.starts_with("“quote”\n— Evil Name, \"A B[31m\", X Y, 12 March 2019."));
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn clean_collapses_whitespace_and_drops_controls() {
        assert_eq!(clean(""), "");
        assert_eq!(clean(" \n\t "), "");
        assert_eq!(clean("a\u{0}b"), "ab");
        assert_eq!(clean("a \u{3000} b\u{200b}"), "a b\u{200b}");
        // Text is data: markup stays literal.
        assert_eq!(clean("<b>x</b>"), "<b>x</b>");
    }

    #[test]
    fn bibtex_escapes_every_special_character() {
        assert_eq!(
            bibtex_escape(r"a{b}c%d&e$f#g_h\i~j^k"),
            r"a\{b\}c\%d\&e\$f\#g\_h\textbackslash{}i\textasciitilde{}j\textasciicircum{}k"
        );
        // A field cannot be closed early: braces stay balanced.
        let hostile = r"}}, title = {pwned} \input{/etc/passwd} %";
        let escaped = bibtex_escape(hostile);
        assert!(!escaped.contains("\\input"));
        let unescaped_braces = escaped.replace("\\{", "").replace("\\}", "");
        let opens = unescaped_braces.matches('{').count();
        let closes = unescaped_braces.matches('}').count();
        assert_eq!(opens, closes, "{escaped}");
    }

    #[test]
    fn bibtex_entry_layout() {
        let q = lavrov("We are 100% sure & ready_now.", "Talks with Ministers");
        assert_eq!(
            bibtex(&q),
            "@misc{lavrov2019talks,\n  author = {Sergei Lavrov},\n  title = {Talks with Ministers},\n  \
             year = {2019},\n  month = mar,\n  date = {2019-03-12},\n  \
             howpublished = {\\url{https://example.org/stenogram/?open=2019-03-12-talks\\#2019-03-12-talks--4}},\n  \
             urldate = {2026-11-28},\n  \
             note = {``We are 100\\% sure \\& ready\\_now.''. Moscow. Text: en.kremlin.ru, CC BY 4.0}\n}\n"
        );
    }

    #[test]
    fn hostile_bibtex_fields_stay_inside_their_braces() {
        let q = Quote {
            speaker: "}\n@misc{x,",
            title: "{\\csname}",
            place: Some("%"),
            url: "http://a/{b}\\c d%20#e",
            ..lavrov("}}}", "")
        };
        let entry = bibtex(&q);
        // Exactly one entry: fields stay on their line (an `@` inside
        // braces is text to BibTeX).
        assert_eq!(entry.lines().filter(|l| l.starts_with('@')).count(), 1);
        assert_eq!(entry.lines().count(), 10, "{entry}");
        assert!(entry.contains("howpublished = {\\url{http://a/%7Bb%7D%5Cc%20d\\%20\\#e}}"));
        assert!(entry.contains("author = {\\} @misc\\{x,}"));
        assert!(entry.contains("note = {``\\}\\}\\}''. \\%. Text"));
        let body = entry.replace("\\{", "").replace("\\}", "");
        assert_eq!(body.matches('{').count(), body.matches('}').count());
    }

    #[test]
    fn keys_are_stable_and_plain() {
        let d = date(2020, 11, 20);
        assert_eq!(
            bibtex_key("Vladimir Putin", d, "Meeting on Russian peacekeeping"),
            "putin2020meeting"
        );
        assert_eq!(
            bibtex_key("Question", d, "“Direct Line”"),
            "question2020direct"
        );
        assert_eq!(bibtex_key("", d, ""), "anon2020");
        assert_eq!(bibtex_key("Жанна Ж.", d, "ÉÉ !!"), "anon2020");
        assert_eq!(bibtex_key("Ed O'Neil Jr.", d, "2nd try"), "jr20202nd");
        assert_eq!(bibtex_key("Li }{%", d, "x"), "li2020x");
    }

    #[test]
    fn months_of_every_date() {
        for m in 1..=12 {
            let q = Quote {
                date: date(2000, m, 1),
                ..lavrov("x", "t")
            };
            assert!(bibtex(&q).contains(&format!("month = {},", MONTHS[m as usize - 1])));
        }
    }
}
