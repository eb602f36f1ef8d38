//! The view state shared by all components, and its mirror in the URL.
//!
//! One `RwSignal<ViewState>` is the source of truth. User actions go through
//! [`ViewCtx::act`], which updates the signal and pushes a history entry;
//! back/forward (`popstate`) set the signal from the URL without pushing.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::after_paint::after_next_paint;
use crate::api::{fetch_shard, LoadError, ShardData};
use crate::logic::corpus::Corpus;
use crate::logic::filter::{Filter, SearchRows};
use crate::logic::url_state::{decode, encode, url_for_state, Decoded, ViewState};
use crate::search_state::SearchCtx;

/// Provided as context by the viewer.
#[derive(Clone, Copy)]
pub struct ViewCtx {
    pub view: RwSignal<ViewState>,
}

impl ViewCtx {
    /// Apply a user action and record it as a new history entry.
    ///
    /// The entry is pushed once the frame showing the action's result has
    /// been painted: `history.pushState` costs Chromium milliseconds (up to
    /// 8 ms measured), which would otherwise hold back that frame. Actions
    /// within one frame make one entry, of the latest state.
    pub fn act(&self, f: impl FnOnce(&mut ViewState)) {
        self.view.update(f);
        let view = self.view;
        if PUSH_PENDING.replace(true) {
            return;
        }
        let generation = PUSH_GENERATION.get();
        after_next_paint(move || {
            if PUSH_GENERATION.get() != generation {
                return;
            }
            PUSH_PENDING.set(false);
            push_url(&view.get_untracked());
        });
    }

    /// Pushes now the entry [`ViewCtx::act`] scheduled, before a change
    /// that records itself (the search box): typing right after a click
    /// must not put the click's entry after the search's.
    pub fn flush_pending_push(&self) {
        if PUSH_PENDING.get() {
            cancel_pending_push();
            push_url(&self.view.get_untracked());
        }
    }
}

thread_local! {
    /// A history entry is scheduled by [`ViewCtx::act`].
    static PUSH_PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Bumped to drop a scheduled entry.
    static PUSH_GENERATION: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Drops the history entry an action scheduled and has not pushed yet:
/// back or forward went elsewhere meanwhile, and that entry would undo it.
pub fn cancel_pending_push() {
    PUSH_GENERATION.set(PUSH_GENERATION.get().wrapping_add(1));
    PUSH_PENDING.set(false);
}

/// The view's filter resolved against the corpus, computed once per change
/// of the view and shared (timeline, density strip, facets, speaker page):
/// a memo, so opening a transcript or sorting does not notify its readers.
#[derive(Clone, Copy)]
pub struct FilterCtx {
    pub filter: Memo<Filter>,
}

impl FilterCtx {
    /// The filter of the view and, when there is a query, its search hits.
    pub fn new(view: RwSignal<ViewState>, corpus: Arc<Corpus>, search: SearchCtx) -> Self {
        FilterCtx {
            filter: Memo::new(move |_| {
                let mut filter = view.with(|v| Filter::from_state(v, &corpus));
                filter.search = search
                    .result
                    .with(|r| r.as_ref().map(|r| SearchRows(r.hits.clone())));
                filter
            }),
        }
    }
}

pub fn use_filter() -> Memo<Filter> {
    expect_context::<FilterCtx>().filter
}

/// Where the transcript of one shard is.
#[derive(Clone, Debug)]
pub enum ShardLoad {
    Loading,
    Ready(ShardData),
    Failed(LoadError),
}

/// Loaded shards compare by identity: the same fetch is the same data.
impl PartialEq for ShardLoad {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ShardLoad::Loading, ShardLoad::Loading) => true,
            (ShardLoad::Ready(a), ShardLoad::Ready(b)) => Arc::ptr_eq(a, b),
            (ShardLoad::Failed(a), ShardLoad::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// Transcript shards fetched so far, provided as context by the viewer.
/// Each shard is fetched once however many of its events are opened; a
/// failed fetch stays failed until [`Shards::request`] is called again
/// (the Retry button).
#[derive(Clone, Copy)]
pub struct Shards {
    loads: RwSignal<HashMap<u32, ShardLoad>>,
}

impl Shards {
    pub fn new() -> Self {
        Shards {
            loads: RwSignal::new(HashMap::new()),
        }
    }

    /// Start fetching shard `k` unless it is loaded or on its way.
    pub fn request(&self, corpus: Arc<Corpus>, k: u32) {
        let busy = self.loads.with_untracked(|l| {
            matches!(l.get(&k), Some(ShardLoad::Loading | ShardLoad::Ready(_)))
        });
        if busy {
            return;
        }
        self.loads.update(|l| {
            l.insert(k, ShardLoad::Loading);
        });
        let loads = self.loads;
        leptos::task::spawn_local(async move {
            let result = match fetch_shard(corpus, k).await {
                Ok(data) => ShardLoad::Ready(data),
                Err(e) => ShardLoad::Failed(e),
            };
            loads.update(|l| {
                l.insert(k, result);
            });
        });
    }

    /// The state of shard `k` (tracked).
    pub fn get(&self, k: u32) -> Option<ShardLoad> {
        self.loads.with(|l| l.get(&k).cloned())
    }
}

impl Default for Shards {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_shards() -> Shards {
    expect_context::<Shards>()
}

/// The loaded corpus, as context.
pub fn use_corpus() -> Arc<Corpus> {
    expect_context::<Arc<Corpus>>()
}

pub fn use_view() -> ViewCtx {
    expect_context::<ViewCtx>()
}

/// The state in the current URL, with ids the corpus does not know dropped;
/// `ignored` says what was left out, for the notice.
pub fn state_from_location(corpus: &Corpus) -> Decoded {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let Decoded {
        mut state,
        mut ignored,
    } = decode(&search);
    ignored.extend(state.retain_known(|id| corpus.has_speaker(id), |id| corpus.has_event(id)));
    ignored.extend(
        state.retain_known_facets(|facet, key| corpus.facet_table(facet).pos(key).is_some()),
    );
    Decoded { state, ignored }
}

/// `pathname?query` (plus the current `#fragment` when `keep_hash`): an
/// absolute path on the current origin, so the sub-path the site is served
/// under is kept whatever `<base>` says. `None` if the query is unchanged.
fn url_for(state: &ViewState, keep_hash: bool) -> Option<String> {
    let location = web_sys::window()?.location();
    let path = location.pathname().ok()?;
    let search = location.search().ok().unwrap_or_default();
    let hash = location.hash().ok().unwrap_or_default();
    url_for_state(&path, &search, &hash, keep_hash, state)
}

/// Record a user action as a new history entry (unless the URL is unchanged).
pub fn push_url(state: &ViewState) {
    if let Some(url) = url_for(state, false) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// Normalise the current entry (e.g. after dropping unknown ids) without
/// adding to the history. The `#fragment` of a turn permalink is kept.
pub fn replace_url(state: &ViewState) {
    if let Some(url) = url_for(state, true) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// Scroll to the element named by `location.hash`, if there is one.
pub fn scroll_to_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    let id = hash.trim_start_matches('#');
    if id.is_empty() {
        return;
    }
    let id = crate::logic::url_state::decode_component(id);
    if let Some(el) = window.document().and_then(|d| d.get_element_by_id(&id)) {
        el.scroll_into_view();
    }
}

thread_local! {
    /// `location.pathname`, read once: the app only ever changes the query
    /// and the fragment.
    static PAGE_PATH: String = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
}

/// A link on this page that opens just `event_id`, scrolled to `anchor`
/// when given (see [`crate::logic::url_state::permalink`]).
pub fn permalink(event_id: &str, anchor: Option<&str>) -> String {
    PAGE_PATH.with(|path| crate::logic::url_state::permalink(path, event_id, anchor))
}

/// A link within the app: the address of the current state changed by
/// `change` (`?person=...` keeping the other filters). A real `href`, so
/// that open-in-new-tab and copy-link work; [`follow_link`] handles a
/// plain click without reloading.
pub fn state_link(view: &ViewState, change: impl FnOnce(&mut ViewState)) -> String {
    let mut next = view.clone();
    change(&mut next);
    let query = encode(&next);
    PAGE_PATH.with(|path| {
        if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{query}")
        }
    })
}

/// A plain left click on a link (no modifier, not handled yet) is taken
/// over by the app: its default is prevented and true returned. Anything
/// else (new tab, new window, download) is left to the browser.
pub fn take_plain_click(ev: &web_sys::MouseEvent) -> bool {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return false;
    }
    ev.prevent_default();
    true
}

/// A [`state_link`] for an element that many rows show (names on cards, in
/// the speaker list): its `href` is the state's at mount, and is brought up
/// to date when the pointer or keyboard focus reaches it (call from
/// `mouseenter` and `focus`; a card's names, from its list's `mouseover`
/// and `focusin` through [`refresh_link_of`]), not on every change of the
/// view: a filter click must not re-encode hundreds of links.
/// Open-in-new-tab and copy-link both come after the pointer or focus is
/// there.
pub fn refresh_link(ctx: ViewCtx, ev: &web_sys::Event, change: impl FnOnce(&mut ViewState)) {
    use wasm_bindgen::JsCast;
    if let Some(el) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        refresh_link_of(ctx, &el, change);
    }
}

/// [`refresh_link`] for a link found by a listener on its list.
pub fn refresh_link_of(ctx: ViewCtx, link: &web_sys::Element, change: impl FnOnce(&mut ViewState)) {
    let href = ctx.view.with_untracked(|v| state_link(v, change));
    let _ = link.set_attribute("href", &href);
}

/// On a click on a [`state_link`]: a plain left click applies `change` as
/// a user action (a history entry, no reload) and scrolls to the top; a
/// click with a modifier or another button is left to the browser (new
/// tab, new window, download).
pub fn follow_link(ctx: ViewCtx, ev: &web_sys::MouseEvent, change: impl FnOnce(&mut ViewState)) {
    if !take_plain_click(ev) {
        return;
    }
    ctx.act(change);
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
