use std::sync::Arc;

use leptos::prelude::*;

use crate::components::density_strip::DensityStrip;
use crate::components::export_menu::ExportMenu;
use crate::components::facets::Facets;
use crate::components::link_notice::LinkNotice;
use crate::components::quote_button::QuoteButton;
use crate::components::search_box::SearchBox;
use crate::components::speaker_filter::SpeakerFilter;
use crate::components::speaker_page::SpeakerPage;
use crate::components::timeline::Timeline;
use crate::focus::skip_to;
use crate::logic::corpus::Corpus;
use crate::logic::url_state::{notice_items, Decoded};
use crate::search_state::SearchCtx;
use crate::state::{
    cancel_pending_push, replace_url, state_from_location, FilterCtx, Shards, ViewCtx,
};

/// The loaded app: filter sidebar + timeline. Owns the view state, keeps it
/// in sync with the URL, and provides it (and the corpus) as context.
#[component]
pub fn Viewer(corpus: Arc<Corpus>) -> impl IntoView {
    let Decoded { state, ignored } = state_from_location(&corpus);
    // Unknown ids and bad values were dropped: make the address bar say
    // what is shown, and the notice what was left out.
    replace_url(&state);
    let notice = notice_items(&ignored);
    let view = RwSignal::new(state);
    provide_context(ViewCtx { view });
    // One filter for every view that reads it, derived once per change.
    let search = SearchCtx::new(view, corpus.clone());
    provide_context(search);
    provide_context(FilterCtx::new(view, corpus.clone(), search));
    provide_context(corpus.clone());
    provide_context(Shards::new());

    // Back/forward: take the state from the URL, do not push a new entry.
    let for_popstate = corpus.clone();
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        // Entries we pushed ourselves: nothing to report.
        cancel_pending_push();
        view.set(state_from_location(&for_popstate).state);
    });
    on_cleanup(move || handle.remove());

    // A link to a turn (`?open=<event>#<event>--<block>`) is scrolled to by
    // the transcript once its shard has arrived (see `transcript.rs`).

    view! {
        <LinkNotice items=notice />
        // Above both columns: on a phone the sidebar comes first, and the
        // search must not sit below the whole speaker list.
        <SearchBox />
        <div class="layout">
            // First in the page, so that on a phone (one column) a speaker's
            // page is above the speaker list; on a wide screen the grid puts
            // it above the timeline (style/main.css).
            <SpeakerPage />
            <aside class="sidebar" aria-label="Filters">
                // On a phone the filters fill the first screens and the
                // results start far below them; with a keyboard, the
                // filters are many stops. Visible on a phone, on focus
                // elsewhere.
                <a class="skip-filters" href="#results" data-testid="skip-filters"
                    on:click=|ev| skip_to(&ev, "results")>
                    "Skip to the results"
                </a>
                <SpeakerFilter />
                <Facets />
            </aside>
            <div class="content" id="results" tabindex="-1">
                <DensityStrip />
                <ExportMenu />
                <Timeline />
            </div>
        </div>
        <QuoteButton />
    }
}
