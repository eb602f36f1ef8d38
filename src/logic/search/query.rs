//! What the user typed in the search box, as index terms.
//!
//! `sanctions "climate change" -ukraine`: bare words must all occur (in the
//! same speaker's words when speakers are picked), a quoted phrase must
//! occur as such, a word or phrase after `-` must not. The last bare word,
//! while the user is still typing it (no space after it), also matches as a
//! prefix ("sanc" finds "sanctions"). Words are tokenised and stemmed by the
//! very code that built the index ([`stenogram_corpus::search`]).

use stenogram_corpus::search::{words, Stemmer};

/// A word of the query: its index term, and the prefix it may also match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Lower-cased as typed (for highlighting whole words in text).
    pub lower: String,
    /// The index term (the stem).
    pub term: String,
    /// While typed: terms starting with this also match.
    pub prefix: Option<String>,
}

/// One condition of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Every word here must occur in one slot (one speaker's words, or the
    /// narration); more than one word = a phrase, in this order, checked
    /// exactly against the text once it is loaded.
    Must(Vec<QueryWord>),
    /// Events where these words occur (together, in one slot) are left out.
    Not(Vec<QueryWord>),
}

impl Clause {
    pub fn words(&self) -> &[QueryWord] {
        match self {
            Clause::Must(w) | Clause::Not(w) => w,
        }
    }
}

/// A parsed query; empty when nothing searchable was typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

/// Prefixes shorter than this are not expanded (two letters would pull in
/// a large part of the index for little use).
pub const MIN_PREFIX_CHARS: usize = 3;

/// A typed prefix matches a stem that it extends by at most this many
/// bytes, if the stem has at least [`MIN_STEM_BYTES`] ("ward" must not
/// match "war").
pub const STEM_SLACK: usize = 3;
pub const MIN_STEM_BYTES: usize = 4;

fn stem_of_prefix(term: &str, prefix: &str) -> bool {
    term.len() >= MIN_STEM_BYTES
        && term.len() < prefix.len()
        && prefix.len() - term.len() <= STEM_SLACK
        && prefix.starts_with(term)
}

/// At most this many clauses are read; the rest of a pasted essay is ignored.
pub const MAX_CLAUSES: usize = 12;

impl Query {
    pub fn parse(input: &str) -> Query {
        let stemmer = Stemmer::default();
        let to_words = |text: &str| -> Vec<QueryWord> {
            words(text)
                .filter_map(|w| {
                    let term = stemmer.term(&w.lower)?.into_owned();
                    Some(QueryWord {
                        lower: w.lower.into_owned(),
                        term,
                        prefix: None,
                    })
                })
                .collect()
        };
        let mut clauses = Vec::new();
        let mut rest = input;
        // The bare word at the very end, still being typed.
        let mut last_bare: Option<usize> = None;
        while !rest.is_empty() && clauses.len() < MAX_CLAUSES {
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                break;
            }
            let (negated, body) = match trimmed.strip_prefix('-') {
                Some(b) if b.starts_with(|c: char| !c.is_whitespace()) => (true, b),
                _ => (false, trimmed),
            };
            let (text, after, quoted) = if let Some(q) = body.strip_prefix('"') {
                // A phrase runs to the closing quote, or to the end while typed.
                match q.find('"') {
                    Some(end) => (&q[..end], &q[end + 1..], true),
                    None => (q, "", true),
                }
            } else {
                let end = body.find(char::is_whitespace).unwrap_or(body.len());
                (&body[..end], &body[end..], false)
            };
            rest = after;
            let ws = to_words(text);
            if ws.is_empty() {
                continue;
            }
            if quoted || negated {
                clauses.push(if negated {
                    Clause::Not(ws)
                } else {
                    Clause::Must(ws)
                });
                last_bare = None;
            } else {
                // "well-known" typed bare is one word to the user: a phrase.
                let at_end = after.is_empty();
                clauses.push(Clause::Must(ws));
                last_bare = at_end.then_some(clauses.len() - 1);
            }
        }
        if let Some(k) = last_bare {
            if let Clause::Must(ws) = &mut clauses[k] {
                if let Some(w) = ws.last_mut() {
                    if w.lower.chars().count() >= MIN_PREFIX_CHARS {
                        w.prefix = Some(w.lower.clone());
                    }
                }
            }
        }
        Query { clauses }
    }

    pub fn is_empty(&self) -> bool {
        !self.clauses.iter().any(|c| matches!(c, Clause::Must(_)))
    }

    /// Clauses that need the text to be checked (phrases).
    pub fn has_phrases(&self) -> bool {
        self.clauses
            .iter()
            .any(|c| matches!(c, Clause::Must(w) if w.len() > 1))
    }

    /// Does a text word (lower-cased, with its term) match a word of a
    /// clause that must occur? For highlighting.
    pub fn highlights(&self, lower: &str, term: &str) -> bool {
        self.clauses.iter().any(|c| match c {
            Clause::Must(ws) => ws.iter().any(|w| w.matches(lower, term)),
            Clause::Not(_) => false,
        })
    }
}

impl QueryWord {
    /// Does a word of the text (lower-cased, and its term) match this one?
    pub fn matches(&self, lower: &str, term: &str) -> bool {
        term == self.term || self.prefix.as_deref().is_some_and(|p| lower.starts_with(p))
    }

    /// Does an index term match (the term itself, or a term under the
    /// prefix)? Index terms are stems, often shorter than the words they
    /// come from ("president" is indexed as "presid"), so a prefix being
    /// typed also matches a stem it runs past by a few letters ("presiden").
    pub fn matches_term(&self, term: &str) -> bool {
        term == self.term
            || self
                .prefix
                .as_deref()
                .is_some_and(|p| term.starts_with(p) || stem_of_prefix(term, p))
    }

    /// The shorter index terms [`Self::matches_term`] accepts for the
    /// prefix: its first `len - k` characters, `k` in `1..=STEM_SLACK`.
    pub fn stem_candidates(&self) -> Vec<&str> {
        let Some(p) = self.prefix.as_deref() else {
            return Vec::new();
        };
        p.char_indices()
            .map(|(i, _)| &p[..i])
            .filter(|c| stem_of_prefix(c, p))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(c: &Clause) -> Vec<&str> {
        c.words().iter().map(|w| w.term.as_str()).collect()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = Query::parse(r#"Sanctions "climate change" -Ukraine -"cold war" "#);
        assert_eq!(q.clauses.len(), 4);
        assert!(matches!(&q.clauses[0], Clause::Must(w) if w.len() == 1));
        assert_eq!(terms(&q.clauses[0]), ["sanction"]);
        assert_eq!(terms(&q.clauses[1]), ["climat", "chang"]);
        assert!(matches!(&q.clauses[2], Clause::Not(_)));
        assert_eq!(terms(&q.clauses[3]), ["cold", "war"]);
        assert!(q.has_phrases());
        // Nothing is typed at the end: no prefix anywhere.
        assert!(q
            .clauses
            .iter()
            .all(|c| c.words().iter().all(|w| w.prefix.is_none())));
    }

    #[test]
    fn the_last_word_being_typed_is_a_prefix() {
        let q = Query::parse("energy sanc");
        assert_eq!(q.clauses[1].words()[0].prefix.as_deref(), Some("sanc"));
        assert!(q.clauses[1].words()[0].matches_term("sanction"));
        assert!(q.clauses[0].words()[0].prefix.is_none());
        // Typed in full, it still finds its own stem.
        let q = Query::parse("sanctions");
        assert!(q.clauses[0].words()[0].matches_term("sanction"));
        // Part-way through a word whose stem is shorter than the word.
        let q = Query::parse("presiden");
        let w = &q.clauses[0].words()[0];
        assert!(w.matches_term("presid") && w.matches_term("presidenti"));
        assert!(!w.matches_term("pres") && !w.matches_term("press"));
        assert_eq!(w.stem_candidates(), ["presi", "presid", "preside"]);
        assert!(!Query::parse("ward").clauses[0].words()[0].matches_term("war"));
        // Too short to expand; a trailing space ends the word.
        assert!(Query::parse("sa").clauses[0].words()[0].prefix.is_none());
        assert!(Query::parse("sanc ").clauses[0].words()[0].prefix.is_none());
    }

    #[test]
    fn odd_input_never_panics_and_means_nothing() {
        for s in [
            "", "   ", "-", "--", "\"", "\"\"", "- -\"", "-\"", "«»", "🙂",
        ] {
            assert!(Query::parse(s).is_empty(), "{s:?}");
        }
        // Only exclusions: nothing to find.
        assert!(Query::parse("-putin").is_empty());
        // An unclosed phrase runs to the end.
        let q = Query::parse("\"climate cha");
        assert_eq!(terms(&q.clauses[0]), ["climat", "cha"]);
        let long = "word ".repeat(1000);
        assert_eq!(Query::parse(&long).clauses.len(), MAX_CLAUSES);
    }

    #[test]
    fn hyphenated_words_are_a_phrase() {
        let q = Query::parse("well-known ");
        assert_eq!(q.clauses.len(), 1);
        assert_eq!(terms(&q.clauses[0]), ["well", "known"]);
    }
}
