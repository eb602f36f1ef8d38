//! The shareable view state and its query-string form, e.g.
//! `speakers=sergei-lavrov,vladimir-putin&match=all&sort=oldest&open=<id>,<id>&only=1`.
//! Defaults are omitted, so the plain page has an empty query.

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

    /// Clear the speaker filter (picked speakers, match mode, "only") but keep
    /// the sort order and open transcripts.
    pub fn clear_filter(&mut self) {
        self.speakers.clear();
        self.match_mode = MatchMode::Any;
        self.only_theirs = false;
    }

    /// Drop ids the corpus does not know (a stale or mistyped link must not
    /// break the page) and duplicates.
    pub fn retain_known(
        &mut self,
        known_speaker: impl Fn(&str) -> bool,
        known_event: impl Fn(&str) -> bool,
    ) {
        dedup_retain(&mut self.speakers, known_speaker);
        dedup_retain(&mut self.open, known_event);
    }
}

fn toggle(list: &mut Vec<String>, id: &str) {
    if let Some(pos) = list.iter().position(|x| x == id) {
        list.remove(pos);
    } else {
        list.push(id.to_string());
    }
}

fn dedup_retain(list: &mut Vec<String>, keep: impl Fn(&str) -> bool) {
    let mut seen: Vec<String> = Vec::new();
    list.retain(|id| {
        if keep(id) && !seen.contains(id) {
            seen.push(id.clone());
            true
        } else {
            false
        }
    });
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
    if !state.open.is_empty() {
        parts.push(format!("open={}", encode_list(&state.open)));
    }
    if state.only_theirs {
        parts.push("only=1".into());
    }
    parts.join("&")
}

/// Parse a query string (with or without the leading `?`). Unknown keys and
/// unknown values fall back to the defaults; it never fails.
pub fn decode(query: &str) -> ViewState {
    let mut state = ViewState::default();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match percent_decode(key).as_str() {
            "speakers" => state.speakers.extend(decode_list(value)),
            "match" => {
                state.match_mode = match percent_decode(value).as_str() {
                    "all" => MatchMode::All,
                    _ => MatchMode::Any,
                }
            }
            "sort" => {
                state.sort = match percent_decode(value).as_str() {
                    "oldest" => SortOrder::OldestFirst,
                    _ => SortOrder::NewestFirst,
                }
            }
            "open" => state.open.extend(decode_list(value)),
            "only" => state.only_theirs = matches!(percent_decode(value).as_str(), "1" | "true"),
            _ => {}
        }
    }
    state
}

fn encode_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| percent_encode(s))
        .collect::<Vec<_>>()
        .join(",")
}

fn decode_list(value: &str) -> Vec<String> {
    // Split before decoding: an encoded comma (%2C) inside an id stays in it.
    value
        .split(',')
        .map(percent_decode)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Percent-encode everything but RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode one percent-encoded component (a URL fragment, say).
pub fn decode_component(s: &str) -> String {
    percent_decode(s)
}

/// Decode `%XX` escapes and `+` (space, as forms write it). Invalid escapes
/// are kept literally; invalid UTF-8 is replaced rather than rejected.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
        }
    }

    #[test]
    fn default_state_is_an_empty_query() {
        assert_eq!(encode(&ViewState::default()), "");
        assert_eq!(decode(""), ViewState::default());
        assert_eq!(decode("?"), ViewState::default());
    }

    #[test]
    fn encodes_the_documented_form() {
        assert_eq!(
            encode(&full()),
            "speakers=sergei-lavrov,vladimir-putin&match=all&sort=oldest&open=2020-11-20-a,2020-11-20-b&only=1"
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
            assert_eq!(decode(&encode(&state)), state);
            assert_eq!(decode(&format!("?{}", encode(&state))), state);
        }
    }

    #[test]
    fn tolerates_junk() {
        let st =
            decode("?speakers=,a,,b&match=maybe&sort=sideways&only=yes&utm_source=x&open&%zz=1");
        assert_eq!(st.speakers, s(&["a", "b"]));
        assert_eq!(st.match_mode, MatchMode::Any);
        assert_eq!(st.sort, SortOrder::NewestFirst);
        assert!(!st.only_theirs);
        assert!(st.open.is_empty());
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a+b%2Cc"), "a b,c");
    }

    #[test]
    fn unknown_ids_are_dropped() {
        let mut st = decode("speakers=sergei-lavrov,ghost,sergei-lavrov&open=e1,nope");
        st.retain_known(|id| id.starts_with("sergei"), |id| id == "e1");
        assert_eq!(st.speakers, s(&["sergei-lavrov"]));
        assert_eq!(st.open, s(&["e1"]));
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
}
