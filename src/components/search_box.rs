//! The full-text search box above the timeline: the query goes into the URL
//! (`q=`) as it is typed, the timeline shows the matching events, and a
//! status line says how many, in whose words, or why there are none.

use leptos::prelude::*;

use crate::logic::filter::event_matches;
use crate::logic::text::plural;
use crate::logic::url_state::MAX_QUERY_CHARS;
use crate::search_state::{use_search, SearchStatus};
use crate::state::{push_url, replace_url, use_corpus, use_filter, use_view};

#[component]
pub fn SearchBox() -> impl IntoView {
    let corpus = use_corpus();
    let ctx = use_view();
    let view = ctx.view;
    let search = use_search();
    let filter = use_filter();
    let available = corpus.search().is_some();
    let text = Memo::new(move |_| view.with(|v| v.query.clone()));
    // The first keystroke of a search pushes a history entry (Back returns
    // to before it); the following ones replace it, so Back does not step
    // through every letter. Leaving the box (or Enter) ends the session.
    let typing = StoredValue::new(false);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        ctx.flush_pending_push();
        view.update(|v| v.query = value);
        if typing.get_value() {
            replace_url(&view.get_untracked());
        } else {
            typing.set_value(true);
            push_url(&view.get_untracked());
        }
    };
    let commit = move || typing.set_value(false);
    let warm = {
        let corpus = corpus.clone();
        move |_| search.warm_up(corpus.clone())
    };
    let clear = move |_| {
        ctx.flush_pending_push();
        view.update(|v| v.query.clear());
        push_url(&view.get_untracked());
    };
    // What the timeline shows: the hits that pass the other filters too.
    let shown = {
        let corpus = corpus.clone();
        Memo::new(move |_| {
            // Only the hit rows are checked, not every event.
            filter.with(|f| {
                f.search.as_ref().map(|hits| {
                    hits.0
                        .rows
                        .iter()
                        .filter_map(|&row| corpus.event_at_row(row))
                        .filter(|e| event_matches(e, f))
                        .count()
                })
            })
        })
    };
    let scope = {
        let corpus = corpus.clone();
        move || {
            view.with(|v| {
                let names: Vec<String> = v
                    .speakers
                    .iter()
                    .chain(v.person.iter())
                    .map(|id| corpus.speaker_name(id).to_string())
                    .collect();
                (!names.is_empty()).then(|| names.join(", "))
            })
        }
    };
    let phrases = move || {
        search
            .result
            .with(|r| r.as_ref().is_some_and(|r| r.query.has_phrases()))
    };
    let status = move || {
        let status = search.status.get();
        if text.with(|t| t.trim().is_empty()) {
            return String::new();
        }
        match status {
            SearchStatus::Idle => "Type a word to search.".to_string(),
            SearchStatus::Loading => "Searching…".to_string(),
            SearchStatus::Unavailable => "This site was built without a search index.".to_string(),
            SearchStatus::Failed(e) => format!("Search failed: {e}."),
            SearchStatus::Ready => {
                let n = shown.get().unwrap_or(0);
                let mut s = format!("{} with these words", plural(n, "event", "events"));
                if let Some(names) = scope() {
                    s.push_str(&format!(" in the words of {names}"));
                }
                if phrases() {
                    s.push_str(" (exact phrases are checked as transcripts load)");
                }
                s
            }
        }
    };
    view! {
        <section class="search" role="search" aria-label="Search the transcripts">
            <label class="search-label" for="text-search">"Search what was said"</label>
            <div class="search-row">
                <input
                    id="text-search"
                    class="text-search"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=r#"e.g. sanctions "climate change" -Ukraine"#
                    aria-describedby="text-search-status text-search-help"
                    data-testid="text-search"
                    disabled=!available
                    maxlength=MAX_QUERY_CHARS
                    prop:value=move || text.get()
                    on:input=on_input
                    on:focus=warm
                    on:change=move |_| commit()
                />
                <Show when=move || text.with(|t| !t.is_empty())>
                    <button type="button" class="search-clear" on:click=clear>"Clear search"</button>
                </Show>
            </div>
            // `data-state` and `data-for` (the text whose results are shown)
            // let tests and the benchmark see when results are on screen.
            <p
                id="text-search-status"
                class="search-status"
                role="status"
                data-testid="search-status"
                data-state=move || match search.status.get() {
                    SearchStatus::Idle => "idle",
                    SearchStatus::Loading => "loading",
                    SearchStatus::Ready => "ready",
                    SearchStatus::Unavailable => "unavailable",
                    SearchStatus::Failed(_) => "failed",
                }
                data-for=move || search.result.with(|r| r.as_ref().map(|r| r.text.clone()).unwrap_or_default())
            >
                {status}
                <Show when=move || matches!(search.status.get(), SearchStatus::Failed(_))>
                    <button type="button" class="search-retry" on:click=move |_| search.retry()>"Retry"</button>
                </Show>
            </p>
            <details id="text-search-help" class="search-help">
                <summary>"How to search"</summary>
                <ul>
                    <li>"Words match their forms: " <code>"sanction"</code> " finds “sanctions” and “sanctioned”; the last word also matches as you type it."</li>
                    <li><code>"\"climate change\""</code> " finds the exact phrase, said by one speaker."</li>
                    <li><code>"-Ukraine"</code> " leaves out events where the word occurs; " <code>"-\"cold war\""</code> " those where one speaker says both words."</li>
                    <li>"With speakers picked, only their words are searched: pick Sergei Lavrov and type " <code>"sanctions"</code> "."</li>
                </ul>
            </details>
        </section>
    }
}
