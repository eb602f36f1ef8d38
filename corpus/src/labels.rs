//! Recognising speaker labels: "President of Russia Vladimir Putin: text".
//!
//! A label is the text before the first colon of a paragraph when it reads
//! like "\[role\] Name" or a generic label ("Question"). Ordinary sentences
//! with a colon ("I repeat: the party supports ...") must stay text, so a
//! candidate is rejected when it carries the marks of a sentence: words such
//! as "I", "is" or "said", sentence punctuation, or no name at its end.

/// A recognised label and what follows its colon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatch {
    /// The label as printed, without annotation ("President of Russia Vladimir Putin").
    pub label: String,
    /// Bracketed annotation before the colon, without brackets ("retranslated").
    pub annotation: Option<String>,
    /// The paragraph text after the colon.
    pub rest: String,
}

/// Labels that are not people. Compared case-insensitively with the whole
/// label, or with its first word when the label is short ("Question from the audience").
pub const GENERIC_LABELS: [&str; 30] = [
    "question",
    "questions",
    "remark",
    "remarks",
    "reply",
    "response",
    "answer",
    "operator",
    "presenter",
    "audience",
    "moderator",
    "voice",
    "voices",
    "comment",
    "host",
    "interpreter",
    "interviewer",
    "correspondent",
    "journalist",
    "participant",
    "participants",
    "student",
    "students",
    "speaker",
    "anchor",
    "reporter",
    "audience member",
    "voice from the audience",
    "question from the audience",
    "all",
];

/// Words that never occur in a label but are common in sentences, in byte
/// order (binary-searched; a test checks the order).
const SENTENCE_WORDS: [&str; 58] = [
    "are", "be", "because", "been", "but", "can", "could", "did", "do", "does", "had", "has",
    "have", "he", "here", "him", "his", "i", "if", "is", "its", "let", "may", "me", "must", "my",
    "not", "now", "our", "said", "say", "says", "she", "should", "so", "tell", "that", "their",
    "them", "then", "there", "these", "they", "this", "those", "told", "us", "was", "we", "were",
    "what", "when", "which", "will", "would", "yes", "you", "your",
];

/// First words of sentences that can look like labels ("Before the meeting, ...: ...").
const SENTENCE_OPENERS: [&str; 16] = [
    "Before", "After", "During", "In", "At", "On", "For", "With", "As", "When", "While", "Since",
    "Then", "And", "But", "Here",
];

/// Is `bare` one of [`SENTENCE_WORDS`], in any case? One lower-cased copy
/// on the stack and a binary search, not a comparison with each.
fn is_sentence_word(bare: &str) -> bool {
    let mut buf = [0u8; 7];
    let Some(lower) = buf.get_mut(..bare.len()) else {
        return false;
    };
    lower.copy_from_slice(bare.as_bytes());
    lower.make_ascii_lowercase();
    SENTENCE_WORDS
        .binary_search_by(|s| s.as_bytes().cmp(lower))
        .is_ok()
}

/// Titles that precede a name and a country ("King Abdullah II of Jordan").
const SOVEREIGN_TITLES: [&str; 10] = [
    "King", "Queen", "Emir", "Sultan", "Prince", "Crown", "Sheikh", "Grand", "Pope", "Amir",
];

/// Words that may stand lower-case inside a role ("Minister of Foreign Affairs").
fn is_small_word(w: &str) -> bool {
    w.chars().next().is_some_and(|c| !c.is_uppercase())
}

/// Is `label` (no annotation) a generic label such as "Question"?
pub fn is_generic(label: &str) -> bool {
    // Every generic label's first word is a generic label itself: an ASCII
    // first word that is none of them settles it without lower-casing.
    let first = label.split_whitespace().next().unwrap_or("");
    if first.is_ascii() && !GENERIC_LABELS.iter().any(|g| g.eq_ignore_ascii_case(first)) {
        return false;
    }
    let l = label.trim().to_lowercase();
    if GENERIC_LABELS.contains(&l.as_str()) {
        return true;
    }
    let mut words = l.split_whitespace();
    let first = words.next().unwrap_or("");
    let n = 1 + words.count();
    n <= 5
        && GENERIC_LABELS.contains(&first)
        && (l.contains(" from ") || l.contains(" of the audience") || n == 1)
}

/// Splits a trailing "(annotation)" off a label candidate.
pub fn split_annotation(candidate: &str) -> (&str, Option<&str>) {
    let c = candidate.trim_end();
    if c.ends_with(')') {
        if let Some(open) = c.rfind('(') {
            let ann = c[open + 1..c.len() - 1].trim();
            let label = c[..open].trim_end();
            if !label.is_empty() && !ann.is_empty() {
                return (label, Some(ann));
            }
        }
    }
    (c, None)
}

/// Recognises a label at the start of `line` ("Label: text", "Label (ann): text",
/// "Label:text"). Returns `None` for anything that may be an ordinary sentence.
pub fn match_label(line: &str) -> Option<LabelMatch> {
    let line = line.trim();
    // Only the first 401 bytes can hold the label's colon: most lines are
    // long paragraphs, and are not searched further.
    let head = line.as_bytes().get(..401).unwrap_or(line.as_bytes());
    let colon = memchr::memchr(b':', head)?;
    if colon == 0 {
        return None;
    }
    let rest = line[colon + 1..].trim();
    // "10:30" and the like: a colon between digits is a time, not a label.
    if line[..colon].ends_with(|c: char| c.is_ascii_digit())
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let (label, annotation) = split_annotation(&line[..colon]);
    if !is_label(label) {
        return None;
    }
    Some(LabelMatch {
        label: label.to_string(),
        annotation: annotation.map(str::to_string),
        rest: rest.to_string(),
    })
}

/// Does `label` read like "\[role\] Name" or a generic label?
pub fn is_label(label: &str) -> bool {
    let label = label.trim();
    if label.is_empty() || label.len() > 300 && label.chars().count() > 300 {
        return false;
    }
    if is_generic(label) {
        return true;
    }
    // Sentence punctuation: '!', '?', ';', '"', ':' and '“', '”', '…'
    // (all three start with the byte 0xE2).
    if label
        .bytes()
        .any(|b| matches!(b, b'!' | b'?' | b';' | b'"' | b':'))
        || label.as_bytes().contains(&0xE2) && label.contains(['“', '”', '…'])
        || label.starts_with('(')
    {
        return false;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    // "Before the meeting, the President viewed ...": a sentence opening with a preposition.
    if SENTENCE_OPENERS.contains(&words[0]) {
        return false;
    }
    if words.len() > 35 {
        return false;
    }
    // A full stop ends a sentence unless it closes an initial or abbreviation ("V.Putin", "Mr.").
    if words
        .iter()
        .any(|w| w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() > 3)
    {
        return false;
    }
    // Compared without allocating: the sentence words are ASCII, and a word
    // with other characters never lower-cases to one of them.
    if words
        .iter()
        .any(|w| is_sentence_word(w.trim_matches(|c: char| !c.is_alphanumeric())))
    {
        return false;
    }
    // "Yevgeny Rozhkov, reporter at VGTRK": a name, then the role in lower case.
    if let Some((name, role)) = label.split_once(", ") {
        if role.starts_with(char::is_lowercase) && ends_with_name(name) {
            return true;
        }
    }
    // "King Abdullah II of Jordan": a sovereign's title, name and country.
    if words.len() <= 7
        && SOVEREIGN_TITLES.contains(&words[0])
        && words
            .iter()
            .skip(1)
            .any(|w| w.starts_with(char::is_uppercase))
    {
        return true;
    }
    ends_with_name(label)
}

/// Does the label end with a name: "[role] Given Surname"?
fn ends_with_name(label: &str) -> bool {
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.is_empty() {
        return false;
    }
    // The label ends with a name: its last word is capitalised and has no digits.
    let last = words[words.len() - 1].trim_end_matches([',', ')', ']']);
    let name_like = |w: &str| {
        w.chars().next().is_some_and(|c| c.is_uppercase())
            && !w.chars().any(|c| c.is_ascii_digit())
            && !w.ends_with(',')
    };
    if !name_like(last) {
        return false;
    }
    // A single word is a name only if it looks like one ("Putin", "V.Putin",
    // "VladimirPutin"), not a heading word like "Note".
    if words.len() == 1 {
        return last.chars().filter(|c| c.is_uppercase()).count() >= 2 || last.contains('.');
    }
    // Most of a short label's words are capitalised; a long one is a role plus a name.
    let capitalised = words.iter().filter(|w| !is_small_word(w)).count();
    if words.len() <= 3 {
        return capitalised == words.len();
    }
    // The two last words form a name.
    name_like(words[words.len() - 2].trim_end_matches(','))
        || words[words.len() - 2]
            .chars()
            .all(|c| c.is_uppercase() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn label_of(line: &str) -> Option<(String, Option<String>, String)> {
        match_label(line).map(|m| (m.label, m.annotation, m.rest))
    }

    #[test]
    fn role_and_name_labels() {
        for (line, label) in [
            ("President of Russia Vladimir Putin: Good afternoon, colleagues.", "President of Russia Vladimir Putin"),
            ("Vladimir Putin: Fine.", "Vladimir Putin"),
            ("VLADIMIR PUTIN: Fine.", "VLADIMIR PUTIN"),
            ("VladimirPutin:Fine.", "VladimirPutin"),
            ("V.Putin: Fine.", "V.Putin"),
            ("PRESIDENT OF RUSSIA DMITRY MEDVEDEV: Colleagues,", "PRESIDENT OF RUSSIA DMITRY MEDVEDEV"),
            ("Emergencies Minster Yevgeny Zinichev: Mr President,", "Emergencies Minster Yevgeny Zinichev"),
            (
                "Commander of the Russian peacekeeping contingent Lieutenant General Rustam Muradov: Comrade",
                "Commander of the Russian peacekeeping contingent Lieutenant General Rustam Muradov",
            ),
            (
                "Minister of Civil Defence, Emergencies and Natural Disasters Relief Vladimir Puchkov: Mr President",
                "Minister of Civil Defence, Emergencies and Natural Disasters Relief Vladimir Puchkov",
            ),
            ("Question: What about it?", "Question"),
            ("Remark: Yes.", "Remark"),
        ] {
            assert_eq!(label_of(line).map(|l| l.0), Some(label.to_string()), "{line}");
        }
    }

    #[test]
    fn sentence_words_are_sorted_and_found_in_any_case() {
        assert!(SENTENCE_WORDS.windows(2).all(|w| w[0] < w[1]));
        for w in SENTENCE_WORDS {
            assert!(is_sentence_word(w) && is_sentence_word(&w.to_ascii_uppercase()));
        }
        for w in [
            "", "a", "Putin", "wills", "becausee", "yours", "é", "I\u{301}",
        ] {
            assert!(!is_sentence_word(w), "{w}");
        }
    }

    #[test]
    fn annotations_are_split_off() {
        assert_eq!(
            label_of("Vladimir Putin (retranslated): Thank you."),
            Some((
                "Vladimir Putin".into(),
                Some("retranslated".into()),
                "Thank you.".into()
            ))
        );
    }

    #[test]
    fn sentences_with_a_colon_stay_text() {
        for line in [
            "I repeat: the party supports the President.",
            "The main thing is this: we must act.",
            "Let me say to Mr Putin: thank you.",
            "There are three points: first, second, third.",
            "At 10:30 the meeting began.",
            "Note: this is important.",
            "In 2019: growth.",
            "He said: “Let us go.”",
        ] {
            assert_eq!(label_of(line), None, "{line}");
        }
    }
}
