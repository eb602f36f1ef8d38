//! The search as the views see it: the query in the URL (`q=`) evaluated
//! against the index chunks it needs, fetched once and kept.
//!
//! One [`SearchCtx`] is provided by the viewer. It watches the query and
//! the speakers that scope it; a query whose chunks are all here is
//! evaluated at once (the warm path, one keystroke to results), otherwise
//! the missing chunks are fetched first. Results of a query the user has
//! typed past are dropped (a generation counter), so a slow chunk never
//! overwrites newer results.

use std::sync::Arc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use stenogram_corpus::search::SearchMeta;

use crate::api::{fetch_search_chunk, fetch_search_meta};
use crate::logic::corpus::Corpus;
use crate::logic::search::eval::{
    evaluate, needed_chunks, AnySlot, Hits, LoadedChunks, SpeakerSlots,
};
use crate::logic::search::query::Query;
use crate::logic::search::snippet::{Highlighter, Stems};
use crate::logic::url_state::ViewState;

/// The results of one query.
#[derive(Clone)]
pub struct SearchResult {
    /// The text the user typed, as evaluated.
    pub text: String,
    pub query: Arc<Query>,
    pub hits: Arc<Hits>,
    /// Marks the query's words in transcript text (shared: it caches stems).
    pub highlighter: Arc<Highlighter>,
}

/// Results compare by identity: a new evaluation is a new result.
impl PartialEq for SearchResult {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.hits, &other.hits)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchStatus {
    /// No query.
    Idle,
    /// Fetching the index parts the query needs.
    Loading,
    Ready,
    /// The site was built without a search index.
    Unavailable,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct SearchCtx {
    /// The current results; kept while the next query loads, `None` when
    /// there is no query.
    pub result: RwSignal<Option<SearchResult>>,
    pub status: RwSignal<SearchStatus>,
    /// The directory's fetch, shared by every query that waits for it (the
    /// focus warm-up and the first keystrokes must not fetch it twice).
    meta: StoredValue<Option<MetaFetch>, LocalStorage>,
    /// Stems of transcript words, kept across queries.
    stems: StoredValue<Arc<Stems>>,
    /// Bumped by Retry: the same query again.
    attempt: RwSignal<u32>,
    chunks: StoredValue<LoadedChunks>,
    generation: StoredValue<u64>,
}

type MetaFetch = Shared<LocalBoxFuture<'static, Result<Option<Arc<SearchMeta>>, String>>>;

/// What a query is evaluated with: its text and the speakers scoping it.
#[derive(Clone, PartialEq, Eq)]
struct Asked {
    text: String,
    speakers: Vec<String>,
}

impl Asked {
    fn of(v: &ViewState) -> Asked {
        let mut speakers = v.speakers.clone();
        speakers.extend(v.person.iter().cloned());
        Asked {
            text: v.query.clone(),
            speakers,
        }
    }
}

impl SearchCtx {
    /// Creates the context and the effect that keeps it in step with the view.
    pub fn new(view: RwSignal<ViewState>, corpus: Arc<Corpus>) -> SearchCtx {
        let ctx = SearchCtx {
            result: RwSignal::new(None),
            status: RwSignal::new(SearchStatus::Idle),
            meta: StoredValue::new_local(None),
            attempt: RwSignal::new(0),
            stems: StoredValue::new(Arc::new(Stems::default())),
            chunks: StoredValue::new(LoadedChunks::new()),
            generation: StoredValue::new(0),
        };
        let asked = Memo::new(move |_| view.with(Asked::of));
        Effect::new(move |_| {
            ctx.attempt.track();
            let asked = asked.get();
            ctx.run(corpus.clone(), asked);
        });
        ctx
    }

    /// Run the current query again (after a failed fetch).
    pub fn retry(&self) {
        self.attempt.update(|n| *n += 1);
    }

    /// The query failed: say why, and stop filtering by older results
    /// (they would pass for this query's).
    fn fail(&self, why: String) {
        self.result.try_set(None);
        self.status.try_set(SearchStatus::Failed(why));
    }

    /// Fetch the index's directory ahead of the first query (the search box
    /// got focus), so typing costs only the chunks.
    pub fn warm_up(&self, corpus: Arc<Corpus>) {
        let ctx = *self;
        leptos::task::spawn_local(async move {
            let _ = ctx.ensure_meta(&corpus).await;
        });
    }

    /// The directory, fetched once (a failed fetch is tried again by the
    /// next query).
    async fn ensure_meta(&self, corpus: &Arc<Corpus>) -> Result<Option<Arc<SearchMeta>>, String> {
        let fetch = match self.meta.try_get_value().flatten() {
            Some(fetch) => fetch,
            None => {
                let corpus = corpus.clone();
                let fetch = async move {
                    if corpus.search().is_none() {
                        return Ok(None);
                    }
                    fetch_search_meta(&corpus)
                        .await
                        .map(Some)
                        .map_err(|e| format!("{} ({})", e.reason, e.url))
                }
                .boxed_local()
                .shared();
                self.meta.try_set_value(Some(fetch.clone()));
                fetch
            }
        };
        let result = fetch.await;
        if result.is_err() {
            self.meta.try_set_value(None);
        }
        result
    }

    /// The directory if it has arrived.
    fn meta_now(&self) -> Option<Arc<SearchMeta>> {
        self.meta
            .try_with_value(|m| m.as_ref().and_then(|f| f.peek().cloned()))
            .flatten()
            .and_then(Result::ok)
            .flatten()
    }

    fn run(&self, corpus: Arc<Corpus>, asked: Asked) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let query = Query::parse(&asked.text);
        if query.is_empty() {
            self.result.set(None);
            self.status.set(SearchStatus::Idle);
            return;
        }
        // Warm: everything is here, answer in this task.
        if let Some(meta) = self.meta_now() {
            let needed = needed_chunks(&meta, &query);
            if self
                .chunks
                .with_value(|c| needed.iter().all(|k| c.contains_key(k)))
            {
                self.finish(&corpus, &meta, query, &asked);
                return;
            }
        }
        self.status.set(SearchStatus::Loading);
        let ctx = *self;
        leptos::task::spawn_local(async move {
            let current = || ctx.generation.try_get_value() == Some(generation);
            let meta = match ctx.ensure_meta(&corpus).await {
                Ok(Some(meta)) => meta,
                Ok(None) => {
                    ctx.status.try_set(SearchStatus::Unavailable);
                    return;
                }
                Err(e) => {
                    if current() {
                        ctx.fail(e);
                    }
                    return;
                }
            };
            for k in needed_chunks(&meta, &query) {
                match ctx.chunks.try_with_value(|c| c.contains_key(&k)) {
                    Some(true) => continue,
                    Some(false) => {}
                    None => return,
                }
                let Some(path) = meta.chunks.get(k).map(|c| c.path.clone()) else {
                    continue;
                };
                match fetch_search_chunk(&path).await {
                    Ok(bytes) => {
                        // Gone if the viewer was unmounted meanwhile.
                        if ctx
                            .chunks
                            .try_update_value(|c| c.insert(k, bytes))
                            .is_none()
                        {
                            return;
                        }
                    }
                    Err(e) => {
                        if current() {
                            ctx.fail(format!("{} ({})", e.reason, e.url));
                        }
                        return;
                    }
                }
                // Typed past: the newer query fetches what it needs.
                if !current() {
                    return;
                }
            }
            if current() {
                ctx.finish(&corpus, &meta, query, &asked);
            }
        });
    }

    fn finish(&self, corpus: &Corpus, meta: &SearchMeta, query: Query, asked: &Asked) {
        let picked: Vec<u32> = asked
            .speakers
            .iter()
            .map(|id| corpus.speaker_pos(id).unwrap_or(u32::MAX))
            .collect();
        let row_speakers = |row: u32| -> &[u32] {
            corpus
                .event_at_row(row)
                .map_or(&[], |e| e.speakers.as_slice())
        };
        let Some(hits) = self.chunks.try_with_value(|chunks| {
            if picked.is_empty() {
                evaluate(meta, chunks, &query, &AnySlot)
            } else {
                let scope = SpeakerSlots {
                    picked: &picked,
                    row_speakers,
                };
                evaluate(meta, chunks, &query, &scope)
            }
        }) else {
            // The viewer is gone.
            return;
        };
        match hits {
            Ok(hits) => {
                let query = Arc::new(query);
                self.result.try_set(Some(SearchResult {
                    text: asked.text.clone(),
                    highlighter: Arc::new(Highlighter::with_stems(
                        (*query).clone(),
                        self.stems.try_get_value().unwrap_or_default(),
                    )),
                    query,
                    hits: Arc::new(hits),
                }));
                self.status.try_set(SearchStatus::Ready);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }
}

pub fn use_search() -> SearchCtx {
    expect_context::<SearchCtx>()
}
