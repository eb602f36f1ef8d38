//! Data access, in one module: fetch `data/index.json` into a [`Corpus`],
//! and a transcript shard when an event is opened.
//!
//! URLs are resolved against the document's base URI, which Trunk sets
//! from `--public-url` via `<base data-trunk-public-url />`, so the site
//! also works under a sub-path such as `/stenogram/`. `index.html` preloads
//! the index, so its download overlaps the wasm's; the fetch here then
//! takes the preloaded response.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use stenogram_corpus::model::{ShardEvent, INDEX_PATH};
use stenogram_corpus::search::{SearchMeta, SEARCH_FORMAT};

use crate::logic::corpus::{decode_index, decode_shard, BundleError, Corpus};

/// Give up on a request that has not completed (headers and body) by then:
/// a stalled connection must end in a message with Retry, not a spinner
/// forever.
pub const FETCH_TIMEOUT_SECONDS: u32 = 15;

/// Why loading failed, with the URL that was tried, for the error state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub url: String,
    pub reason: LoadFailure,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadFailure {
    /// The request itself failed (offline, blocked, DNS ...).
    Network(String),
    /// No complete answer within this many seconds; the request was aborted.
    Timeout { seconds: u32 },
    /// The server answered with a non-2xx status.
    Http { status: u16, status_text: String },
    /// The body could not be read as text.
    Body(String),
    /// The body is not a bundle this app can read.
    Bundle(BundleError),
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadFailure::Network(e) => write!(f, "network error: {e}"),
            LoadFailure::Timeout { seconds } => write!(
                f,
                "no complete answer within {seconds} seconds (timed out; the connection may be slow or offline)"
            ),
            LoadFailure::Http {
                status,
                status_text,
            } => {
                write!(f, "HTTP {status}")?;
                if !status_text.is_empty() {
                    write!(f, " {status_text}")?;
                }
                Ok(())
            }
            LoadFailure::Body(e) => write!(f, "could not read the response: {e}"),
            LoadFailure::Bundle(e) => write!(f, "{e}"),
        }
    }
}

/// `path` (relative to the site) as an absolute URL, resolved against
/// `document.baseURI`.
pub fn site_url(path: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten());
    match base {
        Some(base) => web_sys::Url::new_with_base(path, &base)
            .map(|u| u.href())
            .unwrap_or_else(|_| path.to_string()),
        None => path.to_string(),
    }
}

/// Fetch and decode the index, aborting after [`FETCH_TIMEOUT_SECONDS`].
pub async fn fetch_corpus() -> Result<Arc<Corpus>, LoadError> {
    let url = site_url(INDEX_PATH);
    let bytes = fetch_bytes(&url).await.map_err(|reason| LoadError {
        url: url.clone(),
        reason,
    })?;
    let corpus = decode_index(&bytes)
        .and_then(Corpus::new)
        .map_err(|e| LoadError {
            url,
            reason: LoadFailure::Bundle(e),
        })?;
    Ok(Arc::new(corpus))
}

/// Fetch shard `k` of the corpus, check it against the index and give its
/// turns their speakers back.
pub async fn fetch_shard(corpus: Arc<Corpus>, k: u32) -> Result<ShardData, LoadError> {
    let path = corpus
        .shards()
        .get(k as usize)
        .map(|s| s.path.clone())
        .unwrap_or_default();
    let url = site_url(&path);
    let fail = |reason| LoadError {
        url: url.clone(),
        reason,
    };
    let bytes = fetch_bytes(&url).await.map_err(fail)?;
    let shard = decode_shard(&bytes).map_err(|e| fail(LoadFailure::Bundle(e)))?;
    let events = corpus
        .attach_shard(k, shard)
        .map_err(|e| fail(LoadFailure::Bundle(e)))?;
    Ok(Arc::new(events.into_iter().map(Arc::new).collect()))
}

/// Fetch the search index's directory named by the index, and check that
/// it was built for these rows with the tokenizer this app uses.
pub async fn fetch_search_meta(corpus: &Corpus) -> Result<Arc<SearchMeta>, LoadError> {
    let path = corpus.search().map(|s| s.meta.clone()).unwrap_or_default();
    let url = site_url(&path);
    let fail = |reason| LoadError {
        url: url.clone(),
        reason,
    };
    let bytes = fetch_bytes(&url).await.map_err(fail)?;
    let meta: SearchMeta = serde_json::from_slice(&bytes)
        .map_err(|e| fail(LoadFailure::Bundle(BundleError::Json(e.to_string()))))?;
    if meta.format != SEARCH_FORMAT || meta.rows as usize != corpus.events().len() {
        return Err(fail(LoadFailure::Bundle(BundleError::Inconsistent(
            "the search index was built for other data".into(),
        ))));
    }
    Ok(Arc::new(meta))
}

/// Fetch one chunk of the search index (checked when decoded).
pub async fn fetch_search_chunk(path: &str) -> Result<Arc<[u8]>, LoadError> {
    let url = site_url(path);
    let bytes = fetch_bytes(&url).await.map_err(|reason| LoadError {
        url: url.clone(),
        reason,
    })?;
    Ok(Arc::from(bytes))
}

/// A loaded shard: its events' transcripts in row order.
pub type ShardData = Arc<Vec<Arc<ShardEvent>>>;

/// GET `url` as bytes (JSON is decoded from them directly: no detour
/// through a JS string, which costs a UTF-16 copy of megabytes). An `AbortController` fired by a timer bounds the
/// whole exchange, body included; the timer is cancelled when this returns.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadFailure> {
    let controller = web_sys::AbortController::new().ok();
    let timed_out = Rc::new(Cell::new(false));
    let _timer = controller.clone().map(|controller| {
        let timed_out = timed_out.clone();
        gloo_timers::callback::Timeout::new(FETCH_TIMEOUT_SECONDS * 1000, move || {
            timed_out.set(true);
            controller.abort();
        })
    });
    // An aborted request fails with an AbortError: report it as the timeout
    // it was.
    let or_timeout = |failure: LoadFailure| {
        if timed_out.get() {
            LoadFailure::Timeout {
                seconds: FETCH_TIMEOUT_SECONDS,
            }
        } else {
            failure
        }
    };
    let response = gloo_net::http::Request::get(url)
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
        .send()
        .await
        .map_err(|e| or_timeout(LoadFailure::Network(e.to_string())))?;
    if !response.ok() {
        return Err(LoadFailure::Http {
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    response
        .binary()
        .await
        .map_err(|e| or_timeout(LoadFailure::Body(e.to_string())))
}
