//! The shareable view state and its query-string form, e.g.
//! `speakers=sergei-lavrov,vladimir-putin&match=all&sort=oldest&from=2020-01-01&to=2020-12-31&topic=armed-forces&geo=armenia&place=the-kremlin-moscow&q=nuclear+treaty&person=sergei-lavrov&open=<id>,<id>&only=1`.
//! Defaults are omitted, so the plain page has an empty query.
//!
//! Topics, geography and places are named by their key: the slug of the
//! name (`Armed Forces` -> `armed-forces`, see
//! [`crate::logic::facets::facet_keys`]), readable and stable between builds.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use chrono::NaiveDate;

use crate::logic::filter::MatchMode;
use crate::logic::timeline::SortOrder;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewState {
    /// Picked speaker ids, in the order they were picked.
    pub speakers: Vec<String>,
    pub match_mode: MatchMode,
    pub sort: SortOrder,
    /// Ids of events whose transcript is open, in the order they were opened.
    pub open: Vec<String>,
    /// "Only their turns": collapse turns by speakers who were not picked.
    pub only_theirs: bool,
    /// Date range, both ends inclusive; `None` is open-ended.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Picked topics, geography and places, as facet keys, in the order
    /// they were picked. Within a facet any value matches; across facets all.
    pub topics: Vec<String>,
    pub geography: Vec<String>,
    pub places: Vec<String>,
    /// Free-text search, as typed (at most [`MAX_QUERY_CHARS`] characters).
    pub query: String,
    /// The speaker whose page is shown above the timeline (a speaker id).
    pub person: Option<String>,
}

/// Which facet a value belongs to (topics, geography, places).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Topic,
    Geography,
    Place,
}

impl Facet {
    pub const ALL: [Facet; 3] = [Facet::Topic, Facet::Place, Facet::Geography];

    /// The query-string key.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Topic => "topic",
            Facet::Geography => "geo",
            Facet::Place => "place",
        }
    }
}

impl ViewState {
    /// Toggle one speaker in or out of the selection.
    pub fn toggle_speaker(&mut self, id: &str) {
        toggle(&mut self.speakers, id);
    }

    /// Open or close one event's transcript.
    pub fn toggle_open(&mut self, id: &str) {
        toggle(&mut self.open, id);
    }

    pub fn is_open(&self, id: &str) -> bool {
        self.open.iter().any(|o| o == id)
    }

    pub fn is_picked(&self, id: &str) -> bool {
        self.speakers.iter().any(|s| s == id)
    }

    /// Set the date range; the ends are swapped if given backwards.
    pub fn set_range(&mut self, from: Option<NaiveDate>, to: Option<NaiveDate>) {
        (self.from, self.to) = match (from, to) {
            (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
            range => range,
        };
    }

    /// Clear the speaker filter (picked speakers, match mode, "only") but keep
    /// everything else: the sidebar's "Clear filter" under the picked names.
    pub fn clear_filter(&mut self) {
        self.speakers.clear();
        self.match_mode = MatchMode::Any;
        self.only_theirs = false;
    }

    /// Clear the picked topics, geography and places.
    pub fn clear_facets(&mut self) {
        self.topics.clear();
        self.geography.clear();
        self.places.clear();
    }

    /// Clear every filter: speakers (with match mode and "only"), facets,
    /// the date range and the search text: the timeline's "Clear filters".
    /// Kept: the sort order, open transcripts and the speaker page (a page
    /// is where the reader is, not a filter they set; it has a close button).
    pub fn clear_all(&mut self) {
        self.clear_filter();
        self.clear_facets();
        self.set_range(None, None);
        self.query.clear();
    }

    /// Any filter set that [`ViewState::clear_all`] would clear.
    pub fn has_filters(&self) -> bool {
        !self.speakers.is_empty()
            || !self.topics.is_empty()
            || !self.geography.is_empty()
            || !self.places.is_empty()
            || self.from.is_some()
            || self.to.is_some()
            || !self.query.is_empty()
    }

    /// The picked values of one facet.
    pub fn facet(&self, facet: Facet) -> &Vec<String> {
        match facet {
            Facet::Topic => &self.topics,
            Facet::Geography => &self.geography,
            Facet::Place => &self.places,
        }
    }

    pub fn facet_mut(&mut self, facet: Facet) -> &mut Vec<String> {
        match facet {
            Facet::Topic => &mut self.topics,
            Facet::Geography => &mut self.geography,
            Facet::Place => &mut self.places,
        }
    }

    /// Pick or unpick one facet value.
    pub fn toggle_facet(&mut self, facet: Facet, key: &str) {
        toggle(self.facet_mut(facet), key);
    }

    /// Show the page of `person`, or close it (`None`).
    pub fn set_person(&mut self, person: Option<&str>) {
        self.person = person.map(str::to_string);
    }

    /// Drop ids the corpus does not know (a stale or mistyped link must not
    /// break the page) and duplicates; report the unknown ones.
    pub fn retain_known(
        &mut self,
        known_speaker: impl Fn(&str) -> bool,
        known_event: impl Fn(&str) -> bool,
    ) -> Vec<Ignored> {
        let mut ignored = Vec::new();
        for id in dedup_retain(&mut self.speakers, &known_speaker) {
            ignored.push(Ignored::UnknownSpeaker(id));
        }
        for id in dedup_retain(&mut self.open, known_event) {
            ignored.push(Ignored::UnknownEvent(id));
        }
        if let Some(id) = self.person.take() {
            if known_speaker(&id) {
                self.person = Some(id);
            } else {
                ignored.push(Ignored::UnknownSpeaker(id));
            }
        }
        ignored
    }

    /// Drop facet keys the corpus does not know, and duplicates; report
    /// the unknown ones.
    pub fn retain_known_facets(&mut self, known: impl Fn(Facet, &str) -> bool) -> Vec<Ignored> {
        let mut ignored = Vec::new();
        for facet in Facet::ALL {
            for key in dedup_retain(self.facet_mut(facet), |k| known(facet, k)) {
                ignored.push(Ignored::UnknownValue {
                    key: facet.key(),
                    value: key,
                });
            }
        }
        ignored
    }
}

/// Something in a link that the app could not use and left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ignored {
    UnknownSpeaker(String),
    UnknownEvent(String),
    /// A topic, geography or place (`key`) the corpus does not have.
    UnknownValue {
        key: &'static str,
        value: String,
    },
    /// A text longer than `max` characters (`q`): cut there.
    TooLong {
        key: &'static str,
        max: usize,
    },
    /// A value that `key` does not take (`sort=sideways`).
    BadValue {
        key: &'static str,
        value: String,
    },
    /// A list longer than [`MAX_LIST_ITEMS`]: `dropped` items were not read.
    TooMany {
        key: &'static str,
        dropped: usize,
    },
}

/// What [`decode`] made of a query string, and what it had to leave out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    pub state: ViewState,
    pub ignored: Vec<Ignored>,
}

/// More ids than anyone picks or opens by hand; a longer list in a link is
/// junk or an attack, and checking each item costs time.
pub const MAX_LIST_ITEMS: usize = 100;

/// The search text is cut at this many characters: a query is a few
/// words, and a link's text should not cost the search (or the notice) much.
pub const MAX_QUERY_CHARS: usize = 500;

/// Values are quoted in the notice up to this many characters, so a
/// megabyte-long value cannot flood the page.
const MAX_SHOWN_CHARS: usize = 40;

/// How many ignored items the notice lists by name before "and N more".
const MAX_SHOWN_ITEMS: usize = 5;

fn toggle(list: &mut Vec<String>, id: &str) {
    if let Some(pos) = list.iter().position(|x| x == id) {
        list.remove(pos);
    } else {
        list.push(id.to_string());
    }
}

/// Keep the known ids, each once, in order; return the unknown ones (each
/// once). Linear: the list may come from a hostile link.
fn dedup_retain(list: &mut Vec<String>, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut dropped = Vec::new();
    list.retain(|id| {
        if !seen.insert(id.clone()) {
            false
        } else if keep(id) {
            true
        } else {
            dropped.push(id.clone());
            false
        }
    });
    dropped
}

/// Query string without the leading `?`; empty for the default view.
pub fn encode(state: &ViewState) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !state.speakers.is_empty() {
        parts.push(format!("speakers={}", encode_list(&state.speakers)));
    }
    if state.match_mode == MatchMode::All {
        parts.push("match=all".into());
    }
    if state.sort == SortOrder::OldestFirst {
        parts.push("sort=oldest".into());
    }
    if let Some(from) = state.from {
        parts.push(format!("from={from}"));
    }
    if let Some(to) = state.to {
        parts.push(format!("to={to}"));
    }
    for facet in [Facet::Topic, Facet::Geography, Facet::Place] {
        let picked = state.facet(facet);
        if !picked.is_empty() {
            parts.push(format!("{}={}", facet.key(), encode_list(picked)));
        }
    }
    if !state.query.is_empty() {
        // Spaces as `+`: readable, and what a form would write.
        parts.push(format!(
            "q={}",
            percent_encode(&state.query).replace("%20", "+")
        ));
    }
    if let Some(person) = &state.person {
        parts.push(format!("person={}", percent_encode(person)));
    }
    if !state.open.is_empty() {
        parts.push(format!("open={}", encode_list(&state.open)));
    }
    if state.only_theirs {
        parts.push("only=1".into());
    }
    parts.join("&")
}

/// Parse a query string (with or without the leading `?`). It never fails:
/// a value it cannot use falls back to the default and is reported in
/// [`Decoded::ignored`]. Unknown keys (`utm_source` ...) are skipped
/// silently: they are not ours to judge.
pub fn decode(query: &str) -> Decoded {
    let mut state = ViewState::default();
    let mut ignored = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let bad = |key: &'static str| Ignored::BadValue {
            key,
            value: percent_decode(value),
        };
        match percent_decode(key).as_str() {
            "speakers" => decode_list_into(value, "speakers", &mut state.speakers, &mut ignored),
            "match" => match percent_decode(value).as_str() {
                "all" => state.match_mode = MatchMode::All,
                "any" => state.match_mode = MatchMode::Any,
                _ => ignored.push(bad("match")),
            },
            "sort" => match percent_decode(value).as_str() {
                "oldest" => state.sort = SortOrder::OldestFirst,
                "newest" => state.sort = SortOrder::NewestFirst,
                _ => ignored.push(bad("sort")),
            },
            "from" => match decode_date(value) {
                Some(date) => state.from = Some(date),
                None => ignored.push(bad("from")),
            },
            "to" => match decode_date(value) {
                Some(date) => state.to = Some(date),
                None => ignored.push(bad("to")),
            },
            "open" => decode_list_into(value, "open", &mut state.open, &mut ignored),
            "topic" => decode_list_into(value, "topic", &mut state.topics, &mut ignored),
            "geo" => decode_list_into(value, "geo", &mut state.geography, &mut ignored),
            "place" => decode_list_into(value, "place", &mut state.places, &mut ignored),
            "q" => {
                // The last `q` wins, like a form field given twice.
                let text = percent_decode(value);
                state.query = match text.char_indices().nth(MAX_QUERY_CHARS) {
                    Some((cut, _)) => {
                        ignored.retain(|i| !matches!(i, Ignored::TooLong { key: "q", .. }));
                        ignored.push(Ignored::TooLong {
                            key: "q",
                            max: MAX_QUERY_CHARS,
                        });
                        text[..cut].to_string()
                    }
                    None => text,
                };
            }
            "person" => {
                let id = percent_decode(value);
                // `person=` (empty) is no page, not an error.
                state.person = (!id.is_empty()).then_some(id);
            }
            "only" => match percent_decode(value).as_str() {
                "1" | "true" => state.only_theirs = true,
                "0" | "false" => state.only_theirs = false,
                _ => ignored.push(bad("only")),
            },
            _ => {}
        }
    }
    // A range given backwards is the same range.
    let (from, to) = (state.from, state.to);
    state.set_range(from, to);
    Decoded { state, ignored }
}

/// `YYYY-MM-DD`, the only form the app writes.
fn decode_date(value: &str) -> Option<NaiveDate> {
    let value = percent_decode(value);
    // Exactly `dddd-dd-dd`: chrono's %Y also takes a sign and more digits,
    // which the encoder would write back in another form.
    let shape = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape
        .then(|| NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok())
        .flatten()
}

/// One item of the notice: what kind of thing was ignored, and the value
/// as the link had it (shortened). The value is kept apart so that the view
/// can isolate it (`<bdi>`): a link may hold bidi control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeItem {
    pub what: String,
    pub value: Option<String>,
}

impl std::fmt::Display for NoticeItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)?;
        if let Some(v) = &self.value {
            write!(f, " “{v}”")?;
        }
        Ok(())
    }
}

/// Lead of the notice shown for a link that was partly ignored.
pub const NOTICE_LEAD: &str = "Ignored from the link: ";

/// The items of the notice, at most [`MAX_SHOWN_ITEMS`] and then
/// "and N more"; empty when nothing was ignored.
pub fn notice_items(ignored: &[Ignored]) -> Vec<NoticeItem> {
    let item = |what: String, value: Option<&str>| NoticeItem {
        what,
        value: value.map(shorten),
    };
    let mut items: Vec<NoticeItem> = ignored
        .iter()
        .take(MAX_SHOWN_ITEMS)
        .map(|i| match i {
            Ignored::UnknownSpeaker(id) => item("unknown speaker".into(), Some(id)),
            Ignored::UnknownEvent(id) => item("unknown event".into(), Some(id)),
            Ignored::UnknownValue { key, value } => item(
                match *key {
                    "topic" => "unknown topic".into(),
                    "geo" => "unknown geography".into(),
                    "place" => "unknown place".into(),
                    other => format!("unknown {other}"),
                },
                Some(value),
            ),
            Ignored::TooLong { key, max } => item(
                format!("the end of {key} (a link holds at most {max} characters)"),
                None,
            ),
            Ignored::BadValue { key, value } => item(key.to_string(), Some(value)),
            Ignored::TooMany { key, dropped } => item(
                format!(
                    "{dropped} more {key} value{} (a link holds at most {MAX_LIST_ITEMS})",
                    if *dropped == 1 { "" } else { "s" }
                ),
                None,
            ),
        })
        .collect();
    if ignored.len() > MAX_SHOWN_ITEMS {
        items.push(item(
            format!("and {} more", ignored.len() - MAX_SHOWN_ITEMS),
            None,
        ));
    }
    items
}

/// The notice as one line of text, e.g.
/// `Ignored from the link: unknown speaker “foo”; sort “sideways”`;
/// `None` when nothing was ignored.
pub fn ignored_notice(ignored: &[Ignored]) -> Option<String> {
    let items = notice_items(ignored);
    (!items.is_empty()).then(|| {
        let parts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
        format!("{NOTICE_LEAD}{}", parts.join("; "))
    })
}

/// At most [`MAX_SHOWN_CHARS`] characters, with "…" if cut.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

fn encode_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| percent_encode(s))
        .collect::<Vec<_>>()
        .join(",")
}

/// Append the items of a comma-separated list, at most [`MAX_LIST_ITEMS`]
/// in all for `key`; empty items are skipped.
fn decode_list_into(
    value: &str,
    key: &'static str,
    list: &mut Vec<String>,
    ignored: &mut Vec<Ignored>,
) {
    // Split before decoding: an encoded comma (%2C) inside an id stays in it.
    let mut dropped = 0;
    for item in value.split(',').filter(|s| !s.is_empty()) {
        if list.len() < MAX_LIST_ITEMS {
            list.push(percent_decode(item));
        } else {
            dropped += 1;
        }
    }
    if dropped > 0 {
        // A repeated key adds to the same count.
        match ignored.iter_mut().find_map(|i| match i {
            Ignored::TooMany { key: k, dropped } if *k == key => Some(dropped),
            _ => None,
        }) {
            Some(count) => *count += dropped,
            None => ignored.push(Ignored::TooMany { key, dropped }),
        }
    }
}

/// RFC 3986 unreserved characters stay as they are; everything else is
/// percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The address for `state`, if it differs from the current one: `path`
/// (`location.pathname`) with the canonical query, and `hash` (the current
/// `location.hash`, `#` included, or empty) when `keep_hash`. `search` is
/// the current `location.search`. Normalising a turn permalink must keep its
/// `#fragment`: the transcripts read it to mount a window around the turn
/// and the page scrolls to it, both after the URL was normalised.
pub fn url_for_state(
    path: &str,
    search: &str,
    hash: &str,
    keep_hash: bool,
    state: &ViewState,
) -> Option<String> {
    let query = encode(state);
    let wanted = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    if wanted == search {
        return None;
    }
    let hash = if keep_hash { hash } else { "" };
    Some(format!("{path}{wanted}{hash}"))
}

/// A link that opens just `event_id` (`path?open=<event>`), scrolled to
/// the element `anchor` (a turn) when given. `path` is the page's
/// `location.pathname`.
pub fn permalink(path: &str, event_id: &str, anchor: Option<&str>) -> String {
    let state = ViewState {
        open: vec![event_id.to_string()],
        ..Default::default()
    };
    let query = encode(&state);
    match anchor {
        Some(anchor) => format!("{path}?{query}#{anchor}"),
        None => format!("{path}?{query}"),
    }
}

/// Decode one percent-encoded component (a URL fragment, say).
pub fn decode_component(s: &str) -> String {
    percent_decode(s)
}

/// Decode `%XX` escapes and `+` (space, as forms write it). Invalid escapes
/// are kept literally; invalid UTF-8 is replaced rather than rejected.
fn percent_decode(s: &str) -> String {
    // `+` first: an encoded plus (%2B) must stay a plus.
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn full() -> ViewState {
        ViewState {
            speakers: s(&["sergei-lavrov", "vladimir-putin"]),
            match_mode: MatchMode::All,
            sort: SortOrder::OldestFirst,
            open: s(&["2020-11-20-a", "2020-11-20-b"]),
            only_theirs: true,
            from: NaiveDate::from_ymd_opt(2020, 1, 1),
            to: NaiveDate::from_ymd_opt(2020, 12, 31),
            topics: s(&["armed-forces", "great-patriotic-war"]),
            geography: s(&["armenia"]),
            places: s(&["the-kremlin-moscow"]),
            query: "nuclear \"arms treaty\" -usa".into(),
            person: Some("sergei-lavrov".into()),
        }
    }

    #[test]
    fn default_state_is_an_empty_query() {
        assert_eq!(encode(&ViewState::default()), "");
        assert_eq!(decode(""), Decoded::default());
        assert_eq!(decode("?"), Decoded::default());
    }

    #[test]
    fn encodes_the_documented_form() {
        assert_eq!(
            encode(&full()),
            "speakers=sergei-lavrov,vladimir-putin&match=all&sort=oldest&from=2020-01-01&to=2020-12-31\
             &topic=armed-forces,great-patriotic-war&geo=armenia&place=the-kremlin-moscow\
             &q=nuclear+%22arms+treaty%22+-usa&person=sergei-lavrov\
             &open=2020-11-20-a,2020-11-20-b&only=1"
        );
        let one = ViewState {
            speakers: s(&["sergei-lavrov"]),
            ..Default::default()
        };
        assert_eq!(encode(&one), "speakers=sergei-lavrov");
    }

    #[test]
    fn round_trips() {
        for state in [
            ViewState::default(),
            full(),
            ViewState {
                speakers: s(&["odd, id & more", "ünïcode"]),
                open: s(&["a=b", "100%"]),
                ..Default::default()
            },
        ] {
            assert_eq!(decode(&encode(&state)).state, state);
            assert_eq!(decode(&format!("?{}", encode(&state))).state, state);
        }
    }

    #[test]
    fn tolerates_junk_and_reports_it() {
        let d =
            decode("?speakers=,a,,b&match=maybe&sort=sideways&only=yes&utm_source=x&open&%zz=1");
        let st = &d.state;
        assert_eq!(st.speakers, s(&["a", "b"]));
        assert_eq!(st.match_mode, MatchMode::Any);
        assert_eq!(st.sort, SortOrder::NewestFirst);
        assert!(!st.only_theirs);
        assert!(st.open.is_empty());
        // Bad values of our keys are reported; foreign keys are not.
        assert_eq!(
            d.ignored,
            vec![
                Ignored::BadValue {
                    key: "match",
                    value: "maybe".into()
                },
                Ignored::BadValue {
                    key: "sort",
                    value: "sideways".into()
                },
                Ignored::BadValue {
                    key: "only",
                    value: "yes".into()
                },
            ]
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a+b%2Cc%2B"), "a b,c+");
        assert_eq!(percent_decode("%FF%41"), "\u{FFFD}A");
    }

    #[test]
    fn date_range_round_trips_and_bad_dates_are_reported() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let st = decode("from=2020-01-01&to=2020-12-31").state;
        assert_eq!((st.from, st.to), (d(2020, 1, 1), d(2020, 12, 31)));
        assert_eq!(encode(&st), "from=2020-01-01&to=2020-12-31");
        // Backwards is swapped, not refused.
        let st = decode("from=2021-01-01&to=2020-01-01").state;
        assert_eq!((st.from, st.to), (d(2020, 1, 1), d(2021, 1, 1)));
        // Open-ended on either side.
        assert_eq!(decode("to=2020-02-29").state.to, d(2020, 2, 29));
        let bad = decode("from=2020-02-30&to=yesterday");
        assert_eq!((bad.state.from, bad.state.to), (None, None));
        assert_eq!(bad.ignored.len(), 2);
        assert!(decode("from=+2020-01-01").state.from.is_none());
        // Regression (review): a signed year decoded, then encoded in a form
        // the decoder refused.
        assert!(decode("from=-202-01-01").state.from.is_none());
        assert!(decode("to=-001-12-31").state.to.is_none());
    }

    #[test]
    fn explicit_defaults_are_not_junk() {
        let d = decode("match=any&sort=newest&only=0");
        assert_eq!(d, Decoded::default());
    }

    #[test]
    fn unknown_ids_are_dropped_and_reported() {
        let mut st = decode("speakers=sergei-lavrov,ghost,sergei-lavrov,ghost&open=e1,nope").state;
        let ignored = st.retain_known(|id| id.starts_with("sergei"), |id| id == "e1");
        assert_eq!(st.speakers, s(&["sergei-lavrov"]));
        assert_eq!(st.open, s(&["e1"]));
        assert_eq!(
            ignored,
            vec![
                Ignored::UnknownSpeaker("ghost".into()),
                Ignored::UnknownEvent("nope".into())
            ]
        );
    }

    #[test]
    fn absurdly_long_lists_are_cut() {
        let ids: Vec<String> = (0..100_000).map(|i| format!("id{i}")).collect();
        let query = format!("speakers={}&speakers=more,again", ids.join(","));
        let d = decode(&query);
        assert_eq!(d.state.speakers.len(), MAX_LIST_ITEMS);
        assert_eq!(d.state.speakers[0], "id0");
        assert_eq!(
            d.ignored,
            vec![Ignored::TooMany {
                key: "speakers",
                dropped: 100_000 - MAX_LIST_ITEMS + 2
            }]
        );
    }

    #[test]
    fn the_notice_names_what_was_ignored_briefly() {
        assert_eq!(ignored_notice(&[]), None);
        let Decoded {
            mut state,
            mut ignored,
        } = decode("speakers=foo&sort=sideways");
        ignored.extend(state.retain_known(|_| false, |_| false));
        assert_eq!(
            ignored_notice(&ignored).unwrap(),
            "Ignored from the link: sort “sideways”; unknown speaker “foo”"
        );
        // A megabyte-long value is quoted in 40 characters.
        let long = "x".repeat(1_000_000);
        let notice = ignored_notice(&[Ignored::UnknownEvent(long)]).unwrap();
        assert_eq!(
            notice,
            format!("Ignored from the link: unknown event “{}…”", "x".repeat(40))
        );
        // Many items: the first five, then a count.
        let many: Vec<Ignored> = (0..8)
            .map(|i| Ignored::UnknownSpeaker(format!("s{i}")))
            .collect();
        let notice = ignored_notice(&many).unwrap();
        assert!(
            notice.ends_with("unknown speaker “s4”; and 3 more"),
            "{notice}"
        );
        assert_eq!(
            ignored_notice(&[Ignored::TooMany {
                key: "open",
                dropped: 7
            }])
            .unwrap(),
            "Ignored from the link: 7 more open values (a link holds at most 100)"
        );
    }

    #[test]
    fn toggles_and_clears() {
        let mut st = ViewState::default();
        st.toggle_speaker("a");
        st.toggle_speaker("b");
        st.toggle_speaker("a");
        assert_eq!(st.speakers, s(&["b"]));
        st.toggle_open("e");
        assert!(st.is_open("e"));
        st.match_mode = MatchMode::All;
        st.only_theirs = true;
        st.sort = SortOrder::OldestFirst;
        st.clear_filter();
        assert!(st.speakers.is_empty());
        assert_eq!(st.match_mode, MatchMode::Any);
        assert!(!st.only_theirs);
        assert_eq!(st.sort, SortOrder::OldestFirst);
        assert!(st.is_open("e"));
    }
    #[test]
    fn normalising_the_address_keeps_the_fragment() {
        let state = ViewState {
            open: s(&["2020-11-20-a"]),
            ..Default::default()
        };
        let path = "/stenogram/";
        let hash = "#2020-11-20-a--42";
        // Canonical already: nothing to replace (and the hash stays as is).
        assert_eq!(
            url_for_state(path, "?open=2020-11-20-a", hash, true, &state),
            None
        );
        // An extra parameter or a default value: normalised, hash kept.
        for search in [
            "?open=2020-11-20-a&utm_source=x",
            "?only=0&open=2020-11-20-a",
        ] {
            assert_eq!(
                url_for_state(path, search, hash, true, &state).as_deref(),
                Some("/stenogram/?open=2020-11-20-a#2020-11-20-a--42"),
                "{search}"
            );
        }
        // A new history entry (a user action) does not carry it over.
        assert_eq!(
            url_for_state(path, "", hash, false, &state).as_deref(),
            Some("/stenogram/?open=2020-11-20-a")
        );
        // Nothing to say: just the path, and the hash when kept.
        let empty = ViewState::default();
        assert_eq!(
            url_for_state(path, "?utm_source=x", hash, true, &empty).as_deref(),
            Some("/stenogram/#2020-11-20-a--42")
        );
        assert_eq!(url_for_state(path, "", "", true, &empty), None);
    }
    #[test]
    fn permalinks_to_an_event_and_a_turn() {
        assert_eq!(
            permalink("/stenogram/", "2020-11-20-a", None),
            "/stenogram/?open=2020-11-20-a"
        );
        assert_eq!(
            permalink("/stenogram/", "2020-11-20-a", Some("2020-11-20-a--42")),
            "/stenogram/?open=2020-11-20-a#2020-11-20-a--42"
        );
    }

    #[test]
    fn search_text_round_trips_whatever_it_holds() {
        for q in [
            "putin",
            "\"exact phrase\" -minus +plus",
            "a&b=c#d?e%f",
            "спецоперация «мир» 日本 🙂",
            "  spaced  out  ",
            "100% + 1",
            "comma, separated",
            "\u{202E}bidi",
        ] {
            let state = ViewState {
                query: q.into(),
                ..Default::default()
            };
            let query = encode(&state);
            assert!(!query.contains(' ') && !query.contains('#'), "{query}");
            assert_eq!(query.matches('&').count(), 0, "{query}");
            let d = decode(&query);
            assert_eq!(d.state, state, "{query}");
            assert!(d.ignored.is_empty());
        }
        // Spaces are written as `+`, a literal plus as %2B.
        let state = ViewState {
            query: "a b+c".into(),
            ..Default::default()
        };
        assert_eq!(encode(&state), "q=a+b%2Bc");
        // What a form or a hand-typed link writes.
        assert_eq!(decode("q=arms%20treaty").state.query, "arms treaty");
        assert_eq!(decode("q=a&q=b").state.query, "b");
        assert_eq!(decode("q=").state, ViewState::default());
    }

    #[test]
    fn an_overlong_search_text_is_cut_and_reported_once() {
        let long = "é".repeat(MAX_QUERY_CHARS + 10);
        let d = decode(&format!("q={long}&q={long}"));
        assert_eq!(d.state.query.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(
            d.ignored,
            vec![Ignored::TooLong {
                key: "q",
                max: MAX_QUERY_CHARS
            }]
        );
        // Cut text round-trips with nothing left to report.
        let again = decode(&encode(&d.state));
        assert_eq!(again.state, d.state);
        assert!(again.ignored.is_empty());
        assert_eq!(
            ignored_notice(&d.ignored).unwrap(),
            "Ignored from the link: the end of q (a link holds at most 500 characters)"
        );
    }

    #[test]
    fn facets_round_trip_and_unknown_values_are_reported() {
        let d = decode(
            "topic=armed-forces,,ghost,armed-forces&geo=armenia&place=nowhere&place=the-kremlin",
        );
        assert!(d.ignored.is_empty());
        let mut st = d.state;
        assert_eq!(st.topics, s(&["armed-forces", "ghost", "armed-forces"]));
        let ignored = st.retain_known_facets(|facet, key| match facet {
            Facet::Topic => key == "armed-forces",
            Facet::Geography => key == "armenia",
            Facet::Place => key == "the-kremlin",
        });
        assert_eq!(st.topics, s(&["armed-forces"]));
        assert_eq!(st.geography, s(&["armenia"]));
        assert_eq!(st.places, s(&["the-kremlin"]));
        assert_eq!(
            ignored,
            vec![
                Ignored::UnknownValue {
                    key: "topic",
                    value: "ghost".into()
                },
                Ignored::UnknownValue {
                    key: "place",
                    value: "nowhere".into()
                },
            ]
        );
        assert_eq!(
            ignored_notice(&ignored).unwrap(),
            "Ignored from the link: unknown topic “ghost”; unknown place “nowhere”"
        );
        assert_eq!(
            encode(&st),
            "topic=armed-forces&geo=armenia&place=the-kremlin"
        );
        let long: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
        let d = decode(&format!("geo={}", long.join(",")));
        assert_eq!(d.state.geography.len(), MAX_LIST_ITEMS);
        assert_eq!(
            d.ignored,
            vec![Ignored::TooMany {
                key: "geo",
                dropped: 50
            }]
        );
    }

    #[test]
    fn person_page_round_trips_and_an_unknown_person_is_reported() {
        let st = decode("person=sergei-lavrov").state;
        assert_eq!(st.person.as_deref(), Some("sergei-lavrov"));
        assert_eq!(encode(&st), "person=sergei-lavrov");
        assert_eq!(decode("person=").state.person, None);
        let mut st = decode("person=ghost&speakers=ghost").state;
        let ignored = st.retain_known(|_| false, |_| true);
        assert_eq!(st.person, None);
        assert_eq!(
            ignored,
            vec![
                Ignored::UnknownSpeaker("ghost".into()),
                Ignored::UnknownSpeaker("ghost".into())
            ]
        );
        let mut st = ViewState::default();
        st.set_person(Some("a"));
        assert_eq!(st.person.as_deref(), Some("a"));
        st.set_person(None);
        assert_eq!(st, ViewState::default());
    }

    #[test]
    fn clearing_all_filters_keeps_the_place_in_the_reading() {
        let mut st = full();
        assert!(st.has_filters());
        st.clear_all();
        assert!(!st.has_filters());
        assert_eq!(
            st,
            ViewState {
                sort: SortOrder::OldestFirst,
                open: s(&["2020-11-20-a", "2020-11-20-b"]),
                person: Some("sergei-lavrov".into()),
                ..Default::default()
            }
        );
        let mut st = full();
        st.clear_filter();
        assert_eq!(st.topics, full().topics);
        assert_eq!(st.query, full().query);
        st.toggle_facet(Facet::Geography, "armenia");
        st.toggle_facet(Facet::Geography, "azerbaijan");
        assert_eq!(st.geography, s(&["azerbaijan"]));
        st.clear_facets();
        assert!(st.facet(Facet::Geography).is_empty() && st.topics.is_empty());
    }

    #[test]
    fn hostile_queries_decode_to_a_normal_form() {
        for q in [
            "q=%ZZ%&q=+%2B+",
            "topic=%2C,%2C%2C&geo=&place=,",
            "person=%00&q=%E2%80%AE",
            "q=\u{0}\u{FFFF}&&&&=&=",
            "topic=a%26b%3Dc%23d",
        ] {
            let first = decode(q);
            let again = decode(&encode(&first.state));
            assert_eq!(again.state, first.state, "{q}");
            assert!(again.ignored.is_empty(), "{q}");
        }
    }
}
