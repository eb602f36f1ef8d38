//! The loaded bundle plus the lookups every view needs.

use std::collections::HashMap;

use stenogram_corpus::model::{Bundle, Event, Speaker, SpeakerKind, SCHEMA_VERSION};

/// Why a bundle cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// The file is valid JSON but written for another version of the app.
    SchemaVersion { found: u32, expected: u32 },
    /// The file ends in the middle of the JSON: cut off in transfer or on disk.
    Truncated(String),
    /// The file is not a bundle at all (or a broken one).
    Json(String),
}

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BundleError::SchemaVersion { found, expected } => write!(
                f,
                "unsupported schema version {found} (this app reads version {expected})"
            ),
            BundleError::Truncated(e) => {
                write!(f, "the file is incomplete, cut off before its end ({e})")
            }
            BundleError::Json(e) => write!(f, "invalid JSON: {e}"),
        }
    }
}

/// Decode a bundle, refusing one whose schema version this app does not know.
///
/// The version is checked before the full decode, so a newer bundle is
/// reported as "wrong version" rather than as a confusing field error.
pub fn decode_bundle(text: &str) -> Result<Bundle, BundleError> {
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        schema_version: u32,
    }
    let version: VersionOnly = serde_json::from_str(text).map_err(json_error)?;
    if version.schema_version != SCHEMA_VERSION {
        return Err(BundleError::SchemaVersion {
            found: version.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_str(text).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> BundleError {
    if e.classify() == serde_json::error::Category::Eof {
        BundleError::Truncated(e.to_string())
    } else {
        BundleError::Json(e.to_string())
    }
}

/// A bundle with indexes by id. Immutable once loaded.
#[derive(Debug)]
pub struct Corpus {
    pub bundle: Bundle,
    speaker_index: HashMap<String, usize>,
    event_index: HashMap<String, usize>,
}

impl Corpus {
    pub fn new(bundle: Bundle) -> Self {
        let speaker_index = bundle
            .speakers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let event_index = bundle
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Corpus {
            bundle,
            speaker_index,
            event_index,
        }
    }

    pub fn events(&self) -> &[Event] {
        &self.bundle.events
    }

    pub fn speakers(&self) -> &[Speaker] {
        &self.bundle.speakers
    }

    pub fn speaker(&self, id: &str) -> Option<&Speaker> {
        self.speaker_index
            .get(id)
            .map(|&i| &self.bundle.speakers[i])
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.event_index.get(id).map(|&i| &self.bundle.events[i])
    }

    pub fn has_speaker(&self, id: &str) -> bool {
        self.speaker_index.contains_key(id)
    }

    pub fn has_event(&self, id: &str) -> bool {
        self.event_index.contains_key(id)
    }

    /// Display name for a speaker id; falls back to the id itself so that a
    /// turn whose speaker is missing from `speakers` still says who spoke.
    pub fn speaker_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.speaker(id).map(|s| s.name.as_str()).unwrap_or(id)
    }

    pub fn is_person(&self, id: &str) -> bool {
        self.speaker(id)
            .map(|s| s.kind == SpeakerKind::Person)
            .unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture;

    #[test]
    fn decodes_a_current_bundle() {
        let json = serde_json::to_string(&fixture::bundle()).unwrap();
        let bundle = decode_bundle(&json).unwrap();
        assert_eq!(bundle, fixture::bundle());
    }

    #[test]
    fn refuses_another_schema_version() {
        let mut b = fixture::bundle();
        b.schema_version = SCHEMA_VERSION + 1;
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(
            decode_bundle(&json),
            Err(BundleError::SchemaVersion {
                found: SCHEMA_VERSION + 1,
                expected: SCHEMA_VERSION
            })
        );
    }

    #[test]
    fn reports_broken_json() {
        let err = decode_bundle("<html>404</html>").unwrap_err();
        assert!(matches!(err, BundleError::Json(_)));
        assert!(err.to_string().starts_with("invalid JSON"));
    }

    #[test]
    fn reports_a_truncated_file_as_such() {
        let json = serde_json::to_string(&fixture::bundle()).unwrap();
        let err = decode_bundle(&json[..json.len() / 2]).unwrap_err();
        assert!(matches!(err, BundleError::Truncated(_)), "{err:?}");
        assert!(err.to_string().starts_with("the file is incomplete"));
    }

    #[test]
    fn looks_up_by_id() {
        let c = Corpus::new(fixture::bundle());
        assert_eq!(c.speaker_name("sergei-lavrov"), "Sergei Lavrov");
        assert_eq!(c.speaker_name("nobody"), "nobody");
        assert!(c.has_event("2020-11-20-address-to-participants-in-nuremberg-lessons-forum"));
        assert!(!c.is_person("generic-question"));
    }
}
