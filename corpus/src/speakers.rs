//! Speaker identity: every label variant of one person -> one speaker.
//!
//! The export prints a person's role and name the first time they speak
//! ("President of Russia Vladimir Putin") and the bare name afterwards
//! ("Vladimir Putin"), sometimes in capitals ("VLADIMIR PUTIN"), without
//! spaces ("VladimirPutin") or with initials ("V.Putin"). Identity must hold
//! across the whole corpus, so names are learnt from all labels and all
//! "Persons" tags first, and each label is then resolved to the longest
//! known name it ends with. The id is a slug of the name (`vladimir-putin`),
//! which makes ids stable from one build to the next.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::labels::is_generic;
use chrono::NaiveDate;

use crate::model::{Block, Event, RoleSpan, Speaker, SpeakerId, SpeakerKind};

/// Words that make a short label a role rather than a name ("President Putin").
pub const ROLE_WORDS: [&str; 40] = [
    "president",
    "minister",
    "chairman",
    "chairwoman",
    "chair",
    "governor",
    "head",
    "director",
    "ceo",
    "deputy",
    "prime",
    "secretary",
    "ambassador",
    "mayor",
    "general",
    "commander",
    "chief",
    "aide",
    "adviser",
    "advisor",
    "spokesman",
    "press",
    "king",
    "queen",
    "emir",
    "prince",
    "chancellor",
    "patriarch",
    "metropolitan",
    "acting",
    "member",
    "senator",
    "speaker",
    "envoy",
    "rector",
    "professor",
    "colonel",
    "captain",
    "lieutenant",
    "major",
];

/// Resolution of one label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub id: SpeakerId,
    /// The name part as printed in this label.
    pub name: String,
    /// The role part as printed (before the name), if any.
    pub role: Option<String>,
    pub kind: SpeakerKind,
}

/// Splits a label into words, separating glued names ("VladimirPutin" ->
/// "Vladimir Putin") and initials ("V.Putin" -> "V." "Putin").
pub fn words(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in label.split_whitespace() {
        let mut cur = String::new();
        let chars: Vec<char> = w.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            let prev = if k > 0 { Some(chars[k - 1]) } else { None };
            let glued =
                prev.is_some_and(|p| p.is_lowercase()) && c.is_uppercase() && !is_name_prefix(&cur);
            let after_initial = prev == Some('.')
                && c.is_uppercase()
                && cur.chars().filter(|c| c.is_alphabetic()).count() <= 2;
            if (glued || after_initial) && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// "McDonald", "MacArthur", "DeLay": lower->upper inside a name that is not a glue error.
fn is_name_prefix(cur: &str) -> bool {
    matches!(
        cur,
        "Mc" | "Mac" | "De" | "Di" | "Du" | "La" | "Le" | "Van" | "Von" | "O'" | "D'"
    )
}

fn key(words: &[String]) -> String {
    slug(&words.join(" "))
}

pub use crate::model::slug;

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

fn is_initial(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    w.ends_with('.') && (1..=2).contains(&letters)
}

/// "OLLI-PEKKA KALLASVUO" -> "Olli-Pekka Kallasvuo"; mixed case is kept.
fn display_case(name: &str) -> String {
    if name.chars().any(|c| c.is_lowercase()) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic() && c != '\'';
    }
    out
}

/// Names learnt from the corpus: labels that are a bare name, and tags.
#[derive(Debug, Default)]
pub struct Names {
    /// slug -> word count of the name.
    known: HashMap<String, usize>,
    /// surname slug -> full-name slugs, for initials ("V.Putin").
    by_surname: HashMap<String, HashSet<String>>,
    /// Labels and tags already learnt from (learning is idempotent: each
    /// string needs looking at once).
    seen_labels: HashSet<String>,
    seen_persons: HashSet<String>,
}

impl Names {
    fn add(&mut self, words: &[String]) {
        if words.len() < 2 || words.len() > 4 {
            return;
        }
        let k = key(words);
        let surname = slug(&words[words.len() - 1]);
        self.by_surname
            .entry(surname)
            .or_default()
            .insert(k.clone());
        self.known.insert(k, words.len());
    }

    /// A bare name: 2-3 capitalised words, no role word, no initials.
    /// (Four capitalised words are more often a role and a name.)
    fn is_bare_name(words: &[String]) -> bool {
        (2..=3).contains(&words.len())
            && words.iter().all(|w| {
                is_capitalised(w) && !is_initial(w) && !w.chars().any(|c| c.is_ascii_digit())
            })
            && !words
                .iter()
                .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
    }

    /// Learns names from every turn label and "Persons" tag of the corpus.
    pub fn learn(events: &[Event]) -> Names {
        let mut names = Names::default();
        for e in events {
            names.learn_event(e.turns().map(|t| t.label.as_str()), &e.persons);
        }
        names
    }

    /// Learns from one event: its turn labels (any order, repeats allowed:
    /// what is learnt is a set) and its "Persons" tags. Both the in-memory
    /// bundle and the streaming site writer learn through this.
    pub fn learn_event<'a>(
        &mut self,
        labels: impl IntoIterator<Item = &'a str>,
        persons: &[String],
    ) {
        for label in labels {
            if self.seen_labels.contains(label) {
                continue;
            }
            self.seen_labels.insert(label.to_string());
            let w = words(label);
            if Self::is_bare_name(&w) {
                self.add(&w);
            }
        }
        for p in persons {
            if self.seen_persons.contains(p) {
                continue;
            }
            self.seen_persons.insert(p.clone());
            // Tags print the surname first: "Shoigu Sergei".
            let mut w: Vec<String> = p.split_whitespace().map(str::to_string).collect();
            if w.len() == 2 {
                w.rotate_left(1);
                self.add(&w);
            }
        }
    }

    /// Resolves one label to a speaker.
    pub fn resolve(&self, label: &str) -> Resolved {
        if is_generic(label) {
            let name = display_case(label.trim());
            let mut chars = name.chars();
            let name = match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => name,
            };
            return Resolved {
                id: format!("generic-{}", slug(label)),
                name,
                role: None,
                kind: SpeakerKind::Generic,
            };
        }
        // "Yevgeny Rozhkov, reporter at VGTRK": the name comes first.
        let (core, trailing_role) = match label.split_once(", ") {
            Some((name, role)) if role.starts_with(char::is_lowercase) => (name, Some(role)),
            _ => (label, None),
        };
        let w = words(core);
        let n = w.len();
        let split = self
            .name_start(&w)
            .unwrap_or_else(|| fallback_name_start(&w));
        let name_words = &w[split..];
        let name = name_words.join(" ");
        let mut role = w[..split]
            .join(" ")
            .trim_end_matches([',', ' '])
            .to_string();
        if let Some(r) = trailing_role {
            role = if role.is_empty() {
                r.to_string()
            } else {
                format!("{role}, {r}")
            };
        }
        let id = if n > 0 && is_initial(&name_words[0]) {
            self.expand_initials(name_words)
                .unwrap_or_else(|| key(name_words))
        } else {
            key(name_words)
        };
        Resolved {
            id: if id.is_empty() { "unknown".into() } else { id },
            name,
            role: (!role.is_empty()).then_some(role),
            kind: SpeakerKind::Person,
        }
    }

    /// Start of the longest known name that ends the label.
    fn name_start(&self, w: &[String]) -> Option<usize> {
        (w.len().saturating_sub(4)..w.len().saturating_sub(1))
            .find(|&s| self.known.contains_key(&key(&w[s..])))
    }

    /// "V. Putin" -> the one known name with surname Putin and first initial V.
    fn expand_initials(&self, name_words: &[String]) -> Option<String> {
        let surname = slug(name_words.last()?);
        let initial = slug(&name_words[0]).chars().next()?;
        let mut hits = self
            .by_surname
            .get(&surname)?
            .iter()
            .filter(|k| k.starts_with(initial));
        let first = hits.next()?;
        hits.next().is_none().then(|| first.clone())
    }
}

/// Without a known name: a short label is all name; otherwise the last two
/// words, or more when they are initials, or the whole label when its end is
/// not a name ("King Abdullah II of Jordan").
fn fallback_name_start(w: &[String]) -> usize {
    let n = w.len();
    if n <= 3 && w.iter().all(|x| is_capitalised(x)) || n < 2 {
        return 0;
    }
    if !is_capitalised(&w[n - 2]) || !is_capitalised(&w[n - 1]) {
        return 0;
    }
    let mut s = n - 2;
    // "V. V. Putin", "Mohammed bin Salman": take initials and particles along.
    while s > 0
        && (is_initial(&w[s - 1])
            || matches!(
                w[s - 1].as_str(),
                "bin" | "al" | "ibn" | "de" | "van" | "von"
            ))
    {
        s -= 1;
    }
    s
}

/// Assigns speaker ids to every turn and event, and returns the speakers,
/// people first by number of events, then generic labels.
pub fn resolve(events: &mut [Event]) -> Vec<Speaker> {
    let names = Names::learn(events);
    let mut resolver = Resolver::new(&names);
    for e in events.iter_mut() {
        let mut event = resolver.event(e.date);
        for b in e.blocks.iter_mut() {
            if let Block::Turn(t) = b {
                t.speaker = event.turn(&t.label, t.continued).to_string();
            }
        }
        e.speakers = event.finish();
    }
    resolver.speakers()
}

/// What is known of one speaker while the events go by.
#[derive(Default)]
struct Acc {
    kind: Option<SpeakerKind>,
    /// name as printed -> count, to pick the display form.
    names: BTreeMap<String, u32>,
    roles: Vec<String>,
    /// Dates of the first and last event printing `roles[k]`.
    spans: Vec<(NaiveDate, NaiveDate)>,
    labels: Vec<String>,
    events: u32,
    turns: u32,
}

/// Resolves turn labels event by event, in corpus order, and counts each
/// speaker's events and turns. A label always resolves to the same speaker
/// (resolutions are cached per label), which lets shards leave turns'
/// speakers out: [`Speaker::labels`] maps every label back.
///
/// [`resolve`] drives it over events in memory; the site writer drives it
/// over the compact rows it keeps, in the same order, with the same result.
pub struct Resolver<'n> {
    names: &'n Names,
    acc: HashMap<SpeakerId, Acc>,
    order: Vec<SpeakerId>,
    cache: HashMap<String, Resolved>,
}

/// One event's turns being resolved (see [`Resolver::event`]).
pub struct EventResolver<'r, 'n> {
    resolver: &'r mut Resolver<'n>,
    date: NaiveDate,
    in_event: Vec<SpeakerId>,
}

impl<'n> Resolver<'n> {
    pub fn new(names: &'n Names) -> Self {
        Resolver {
            names,
            acc: HashMap::new(),
            order: Vec::new(),
            cache: HashMap::new(),
        }
    }

    /// Starts the next event, held on `date` (events must come in corpus
    /// order; the date dates the roles its labels print).
    pub fn event(&mut self, date: NaiveDate) -> EventResolver<'_, 'n> {
        EventResolver {
            resolver: self,
            date,
            in_event: Vec::new(),
        }
    }

    /// The speakers seen, people first by number of events, then generic labels.
    pub fn speakers(mut self) -> Vec<Speaker> {
        let mut speakers: Vec<Speaker> = std::mem::take(&mut self.order)
            .into_iter()
            .filter_map(|id| {
                let a = self.acc.remove(&id)?;
                let mut role_spans: Vec<RoleSpan> = a
                    .roles
                    .iter()
                    .zip(&a.spans)
                    .map(|(role, &(first, last))| RoleSpan {
                        role: role.clone(),
                        first,
                        last,
                    })
                    .collect();
                // Stable: roles first printed on the same day keep their order.
                role_spans.sort_by_key(|r| r.first);
                // The most frequent printed form with lower-case letters wins; all-caps forms are recased.
                let name = a
                    .names
                    .iter()
                    .max_by_key(|(n, c)| {
                        (n.chars().any(|ch| ch.is_lowercase()), n.contains(' '), **c)
                    })
                    .map(|(n, _)| display_case(n))
                    .unwrap_or_else(|| id.clone());
                Some(Speaker {
                    id,
                    name,
                    kind: a.kind.unwrap_or(SpeakerKind::Person),
                    roles: a.roles,
                    labels: a.labels,
                    event_count: a.events,
                    turn_count: a.turns,
                    role_spans,
                })
            })
            .collect();
        speakers.sort_by(|a, b| {
            (a.kind == SpeakerKind::Generic)
                .cmp(&(b.kind == SpeakerKind::Generic))
                .then(b.event_count.cmp(&a.event_count))
                .then(a.name.cmp(&b.name))
        });
        speakers
    }
}

impl EventResolver<'_, '_> {
    /// Resolves the event's next turn and returns its speaker id.
    pub fn turn(&mut self, label: &str, continued: bool) -> &str {
        let r = &mut *self.resolver;
        if !r.cache.contains_key(label) {
            let resolved = r.names.resolve(label);
            r.cache.insert(label.to_string(), resolved);
        }
        let res = &r.cache[label];
        let a = match r.acc.get_mut(&res.id) {
            Some(a) => a,
            None => {
                r.order.push(res.id.clone());
                r.acc.entry(res.id.clone()).or_default()
            }
        };
        a.kind = Some(res.kind);
        if !continued {
            a.turns += 1;
            match a.names.get_mut(&res.name) {
                Some(c) => *c += 1,
                None => {
                    a.names.insert(res.name.clone(), 1);
                }
            }
            if let Some(role) = &res.role {
                let date = self.date;
                match a.roles.iter().position(|x| x.eq_ignore_ascii_case(role)) {
                    Some(k) => {
                        let (first, last) = &mut a.spans[k];
                        *first = (*first).min(date);
                        *last = (*last).max(date);
                    }
                    None => {
                        a.roles.push(role.clone());
                        a.spans.push((date, date));
                    }
                }
            }
            if !a.labels.iter().any(|l| l == label) {
                a.labels.push(label.to_string());
            }
            if !self.in_event.contains(&res.id) {
                self.in_event.push(res.id.clone());
                a.events += 1;
            }
        }
        &res.id
    }

    /// The event's speakers: those who open a turn, in order of first appearance.
    pub fn finish(self) -> Vec<SpeakerId> {
        self.in_event
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bare: &[&str]) -> Names {
        let mut n = Names::default();
        for b in bare {
            n.add(&words(b));
        }
        n
    }

    #[test]
    fn words_split_glued_names_and_initials() {
        assert_eq!(words("VladimirPutin"), ["Vladimir", "Putin"]);
        assert_eq!(words("V.Putin"), ["V.", "Putin"]);
        assert_eq!(words("Mikhail McFaul"), ["Mikhail", "McFaul"]);
        assert_eq!(words("OLLI-PEKKA KALLASVUO"), ["OLLI-PEKKA", "KALLASVUO"]);
    }

    #[test]
    fn label_variants_resolve_to_one_speaker() {
        let n = names(&["Vladimir Putin", "Rustam Muradov"]);
        for label in [
            "President of Russia Vladimir Putin",
            "Vladimir Putin",
            "VLADIMIR PUTIN",
            "VladimirPutin",
            "Russian President Vladimir Putin",
            "V.Putin",
            "PRESIDENT OF RUSSIA VLADIMIR PUTIN",
        ] {
            assert_eq!(n.resolve(label).id, "vladimir-putin", "{label}");
        }
        let r = n.resolve(
            "Commander of the Russian peacekeeping contingent Lieutenant General Rustam Muradov",
        );
        assert_eq!(r.id, "rustam-muradov");
        assert_eq!(
            r.role.as_deref(),
            Some("Commander of the Russian peacekeeping contingent Lieutenant General")
        );
        let z = n.resolve("Emergencies Minster Yevgeny Zinichev");
        assert_eq!(
            (z.id.as_str(), z.role.as_deref()),
            ("yevgeny-zinichev", Some("Emergencies Minster"))
        );
    }

    #[test]
    fn generic_labels_are_not_people() {
        let r = Names::default().resolve("Question");
        assert_eq!(
            (r.id.as_str(), r.kind),
            ("generic-question", SpeakerKind::Generic)
        );
        assert_eq!(Names::default().resolve("REMARK").name, "Remark");
    }

    #[test]
    fn titles_without_a_final_name_keep_the_whole_label() {
        let r = Names::default().resolve("King Abdullah II of Jordan");
        assert_eq!(r.name, "King Abdullah II of Jordan");
    }

    #[test]
    fn role_spans_date_each_role_and_follow_first_dates() {
        let n = names(&["Sergei Lavrov"]);
        let mut r = Resolver::new(&n);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Input order is not date order; a continuation prints no role.
        for (date, label, continued) in [
            (d(2019, 5, 1), "Foreign Minister Sergei Lavrov", false),
            (
                d(2010, 1, 2),
                "Minister of Foreign Affairs Sergei Lavrov",
                false,
            ),
            (d(2021, 3, 4), "FOREIGN MINISTER Sergei Lavrov", false),
            (d(2015, 6, 7), "Sergei Lavrov", false),
            (d(2024, 8, 9), "Foreign Minister Sergei Lavrov", true),
        ] {
            r.event(date).turn(label, continued);
        }
        let s = &r.speakers()[0];
        assert_eq!(s.roles.len(), 2);
        let spans: Vec<_> = s
            .role_spans
            .iter()
            .map(|x| (x.role.as_str(), x.first, x.last))
            .collect();
        assert_eq!(
            spans,
            [
                ("Minister of Foreign Affairs", d(2010, 1, 2), d(2010, 1, 2)),
                ("Foreign Minister", d(2019, 5, 1), d(2021, 3, 4)),
            ]
        );
    }

    #[test]
    fn display_case_recases_capitals_only() {
        assert_eq!(display_case("OLLI-PEKKA KALLASVUO"), "Olli-Pekka Kallasvuo");
        assert_eq!(display_case("Vladimir Putin"), "Vladimir Putin");
    }
}
