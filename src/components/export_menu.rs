//! "Export": the events the timeline shows, or their turns, as a CSV or
//! JSON Lines download (the rows and formats are `logic::export`'s).
//!
//! Events come from the index at once. Turns need the transcripts: their
//! shards are fetched one after the other (shards already loaded are
//! reused), with a progress line and Cancel, and the reader is asked first
//! when the export would fetch many of them.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_corpus::model::Turn;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::fetch_shard;
use crate::components::block::turn_anchor;
use crate::components::quote_button::{absolute_url, today};
use crate::focus::{focus_is_lost, focus_without_scrolling, focused_element};
use crate::logic::corpus::{Corpus, EventSummary};
use crate::logic::export::{
    event_record, file_name, picked_turns, runs_bytes, shard_runs, turn_records, EventRecord,
    Export, Format, TurnRecord,
};
use crate::logic::search::snippet::Highlighter;
use crate::logic::text::{group_digits, plural};
use crate::logic::timeline::filtered_rows;
use crate::search_state::use_search;
use crate::state::{permalink, use_corpus, use_filter, use_shards, use_view, ShardLoad, Shards};

/// Ask before an export fetches more transcript files than this.
const CONFIRM_ABOVE_SHARDS: usize = 50;

/// What the turns export is doing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Job {
    Idle,
    /// Waiting for the reader's go-ahead: this many files, this many bytes.
    Confirm {
        format: Format,
        files: usize,
        bytes: u64,
    },
    /// Fetching: `done` of `total` files.
    Running {
        done: usize,
        total: usize,
    },
}

#[component]
pub fn ExportMenu() -> impl IntoView {
    let corpus = use_corpus();
    let shards = use_shards();
    let view = use_view().view;
    let search = use_search();
    // The timeline's own filter (the shared memo) and order: what it shows.
    let filter = use_filter();
    let shown_rows = {
        let corpus = corpus.clone();
        move || {
            let sort = view.with_untracked(|v| v.sort);
            filter.with_untracked(|f| filtered_rows(&corpus, f, sort))
        }
    };
    let status = RwSignal::new(String::new());
    let job = RwSignal::new(Job::Idle);
    // Bumped by Cancel (and by each new export): a running export checks
    // it between files and stops when it is no longer its own.
    let generation = StoredValue::new(0u64);

    let export_events = {
        let corpus = corpus.clone();
        let shown_rows = shown_rows.clone();
        move |format: Format| {
            let rows = shown_rows();
            let url_of = |id: &str| absolute_url(&permalink(id, None));
            let mut export = Export::new::<EventRecord>(format);
            for &row in &rows {
                if let Some(e) = corpus.events().get(row) {
                    export.push(&event_record(&corpus, e, &url_of));
                }
            }
            let n = export.rows();
            let name = file_name("events", today(), format);
            status.set(match download(&export.finish(), &name, format.mime()) {
                Ok(()) => format!("Exported {} to {name}.", plural(n, "event", "events")),
                Err(()) => "The download could not be started.".to_string(),
            });
        }
    };

    let focus = JobFocus::new();
    let start_turns = {
        let corpus = corpus.clone();
        move |format: Format, confirmed: bool| {
            if !confirmed {
                focus.remember_opener();
            }
            let rows = shown_rows();
            let runs = shard_runs(&corpus, &rows);
            if !confirmed && runs.len() > CONFIRM_ABOVE_SHARDS {
                job.set(Job::Confirm {
                    format,
                    files: runs.len(),
                    bytes: runs_bytes(&corpus, &runs),
                });
                return;
            }
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            let picked = view.with_untracked(|v| v.speakers.clone());
            // With a search on, only the turns where its words occur.
            let highlighter = search
                .result
                .with_untracked(|r| r.as_ref().map(|r| r.highlighter.clone()));
            job.set(Job::Running {
                done: 0,
                total: runs.len(),
            });
            status.set(String::new());
            let corpus = corpus.clone();
            leptos::task::spawn_local(async move {
                let message = export_turns(
                    corpus,
                    shards,
                    format,
                    rows,
                    runs,
                    (picked, highlighter),
                    job,
                    generation,
                    mine,
                )
                .await;
                // Cancelled, or the menu is gone: nothing more to say.
                if generation.try_get_value() == Some(mine) {
                    job.try_set(Job::Idle);
                    status.try_set(message);
                }
            });
        }
    };
    let cancel = move || {
        generation.update_value(|g| *g += 1);
        job.set(Job::Idle);
        status.set("Export cancelled.".to_string());
    };

    let busy = move || job.with(|j| *j != Job::Idle);
    let events_csv = export_events.clone();
    let events_jsonl = export_events;
    let turns_csv = start_turns.clone();
    let turns_jsonl = start_turns.clone();
    let go_ahead = start_turns;

    focus.follow(job);

    view! {
        <div class="export-menu" data-testid="export-menu" node_ref=focus.menu>
            <details class="export-choices">
                <summary>"Export"</summary>
                <div class="export-buttons" role="group" aria-label="Export what the timeline shows">
                    <button type="button" data-testid="export-events-csv" disabled=busy
                        on:click=move |_| events_csv(Format::Csv)>"Events (CSV)"</button>
                    <button type="button" data-testid="export-events-jsonl" disabled=busy
                        on:click=move |_| events_jsonl(Format::JsonLines)>"Events (JSONL)"</button>
                    <button type="button" data-testid="export-turns-csv" disabled=busy
                        on:click=move |_| turns_csv(Format::Csv, false)>"Turns (CSV)"</button>
                    <button type="button" data-testid="export-turns-jsonl" disabled=busy
                        on:click=move |_| turns_jsonl(Format::JsonLines, false)>"Turns (JSONL)"</button>
                </div>
            </details>
            {move || match job.get() {
                Job::Idle => ().into_any(),
                Job::Confirm { format, files, bytes } => {
                    let go_ahead = go_ahead.clone();
                    view! {
                        <div class="export-confirm" role="group" aria-label="Confirm the export">
                            <p>
                                "This export fetches " {group_digits(files)} " transcript files ("
                                {megabytes(bytes)} "). Continue?"
                            </p>
                            <button type="button" data-testid="export-go" node_ref=focus.go
                                on:click=move |_| go_ahead(format, true)>"Export"</button>
                            <button type="button" on:click=move |_| job.set(Job::Idle)>"Cancel"</button>
                        </div>
                    }
                    .into_any()
                }
                Job::Running { done, total } => view! {
                    <div class="export-progress">
                        <progress max=total value=done aria-label="Export progress"></progress>
                        <span>{format!("Fetching transcripts: {} of {}…", group_digits(done), group_digits(total))}</span>
                        <button type="button" data-testid="export-cancel" node_ref=focus.cancel
                            on:click=move |_| cancel()>"Cancel"</button>
                    </div>
                }
                .into_any(),
            }}
            <p class="export-status muted small" role="status" data-testid="export-status">
                {move || status.get()}
            </p>
        </div>
    }
}

/// Where the keyboard focus goes as an export of turns moves on. Each
/// step swaps or disables the control that has the focus (the export
/// buttons are disabled while a job runs, the confirmation and the
/// progress line replace each other), which would drop it to the body. So,
/// if the focus was lost or is still on that button: asking, it goes to
/// "Export"; fetching, to "Cancel"; done or cancelled, back to the button
/// that started it.
#[derive(Clone, Copy)]
struct JobFocus {
    menu: NodeRef<leptos::html::Div>,
    go: NodeRef<leptos::html::Button>,
    cancel: NodeRef<leptos::html::Button>,
    opener: StoredValue<Option<send_wrapper::SendWrapper<web_sys::Element>>>,
}

impl JobFocus {
    fn new() -> Self {
        JobFocus {
            menu: NodeRef::new(),
            go: NodeRef::new(),
            cancel: NodeRef::new(),
            opener: StoredValue::new(None),
        }
    }

    /// The control that has the focus now starts an export.
    fn remember_opener(&self) {
        self.opener
            .set_value(focused_element().map(send_wrapper::SendWrapper::new));
    }

    /// Moves the focus when `job` changes step (not on progress).
    fn follow(self, job: RwSignal<Job>) {
        let step = move |j: &Job| match j {
            Job::Idle => 0u8,
            Job::Confirm { .. } => 1,
            Job::Running { .. } => 2,
        };
        Effect::new(move |was: Option<u8>| {
            let now = job.with(step);
            if was.is_some_and(|w| w != now) {
                // Next frame: the step's controls are mounted (and the
                // export buttons enabled again) by then.
                request_animation_frame(move || self.focus_step(now));
            }
            now
        });
    }

    fn focus_step(self, step: u8) {
        // The menu may be gone by this frame (its owner disposed).
        let Some(menu) = self.menu.try_get_untracked().flatten() else {
            return;
        };
        let opener = self
            .opener
            .try_with_value(|o| o.as_ref().map(|el| (**el).clone()))
            .flatten()
            .filter(|el| el.is_connected() && menu.contains(Some(el)));
        // Only where the last step left it: lost with the control it was
        // on, or still on the button that started the export (disabled).
        // A reader who has moved on is left where they are.
        let on_opener = opener
            .as_ref()
            .is_some_and(|o| focused_element().as_ref() == Some(o));
        if !(focus_is_lost() || on_opener) {
            return;
        }
        let target: Option<web_sys::Element> = match step {
            1 => self.go.get_untracked().map(Into::into),
            2 => self.cancel.get_untracked().map(Into::into),
            _ => opener,
        };
        if let Some(el) = target {
            focus_without_scrolling(&el);
        }
    }
}

/// "3.2 MB"
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Fetch the shards one after the other and write the turns the view
/// keeps (the picked speakers' turns, or all; with a search on, those where
/// its words occur). Returns what to tell the
/// reader. Stops quietly when `generation` moves on (Cancel).
#[allow(clippy::too_many_arguments)]
async fn export_turns(
    corpus: Arc<Corpus>,
    shards: Shards,
    format: Format,
    rows: Vec<usize>,
    runs: Vec<(u32, std::ops::Range<usize>)>,
    (picked, search): (Vec<String>, Option<Arc<Highlighter>>),
    job: RwSignal<Job>,
    generation: StoredValue<u64>,
    mine: u64,
) -> String {
    let by_speaker = picked_turns(&picked);
    let keep = |e: &EventSummary, i: usize, t: &Turn| {
        by_speaker(e, i, t)
            && search
                .as_ref()
                .is_none_or(|h| t.paragraphs.iter().any(|p| !h.ranges(p).is_empty()))
    };
    let url_of =
        |id: &str, block: usize| absolute_url(&permalink(id, Some(&turn_anchor(id, block))));
    let mut export = Export::new::<TurnRecord>(format);
    let total = runs.len();
    for (done, (k, range)) in runs.into_iter().enumerate() {
        if generation.try_get_value() != Some(mine) {
            return String::new();
        }
        job.try_set(Job::Running { done, total });
        let cached = untrack(|| shards.get(k));
        let data = match cached {
            Some(ShardLoad::Ready(data)) => data,
            _ => match fetch_shard(corpus.clone(), k).await {
                Ok(data) => data,
                Err(e) => {
                    return format!(
                        "Export failed: a transcript file could not be loaded ({}: {}).",
                        e.url, e.reason
                    )
                }
            },
        };
        for &row in rows.get(range).unwrap_or_default() {
            let (Some(e), Some(detail)) = (
                corpus.events().get(row),
                corpus.position_in_shard(row).and_then(|i| data.get(i)),
            ) else {
                continue;
            };
            for record in turn_records(&corpus, e, detail, &keep, &url_of) {
                export.push(&record);
            }
        }
    }
    if generation.try_get_value() != Some(mine) {
        return String::new();
    }
    let n = export.rows();
    let name = file_name("turns", today(), format);
    match download(&export.finish(), &name, format.mime()) {
        Ok(()) => format!("Exported {} to {name}.", plural(n, "turn", "turns")),
        Err(()) => "The download could not be started.".to_string(),
    }
}

/// Save `text` as a file: a Blob, an object URL, a click on an
/// `<a download>`; the URL is revoked once the download has started.
fn download(text: &str, name: &str, mime: &str) -> Result<(), ()> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| ())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ())?;
    let link = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or(())?;
    link.set_href(&url);
    link.set_download(name);
    link.set_class_name("sr-only");
    let body = document().body().ok_or(())?;
    body.append_child(&link).map_err(|_| ())?;
    link.click();
    link.remove();
    // Revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
