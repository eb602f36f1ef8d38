//! The page frame (header, main, footer) and the three load states.

use leptos::prelude::*;

use crate::api;
use crate::components::load_error::LoadErrorView;
use crate::components::loading::Loading;
use crate::components::viewer::Viewer;
use crate::focus::skip_to;

#[component]
pub fn App() -> impl IntoView {
    let corpus = LocalResource::new(api::fetch_corpus);
    let retry = Callback::new(move |_: ()| corpus.refetch());

    view! {
        <a class="skip-link" href="#main" on:click=|ev| skip_to(&ev, "main")>"Skip to content"</a>
        <header class="site-header">
            <h1>"Stenogram"</h1>
            <p class="tagline">"Who said what, and when: transcripts of events, searchable by speaker."</p>
        </header>
        <main id="main" tabindex="-1">
            {move || match corpus.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <LoadErrorView error retry /> }.into_any(),
                Some(Ok(corpus)) => view! { <Viewer corpus /> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>
                "Texts: "
                <a href="http://en.kremlin.ru/">"en.kremlin.ru"</a>
                ", "
                <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">"CC BY 4.0"</a>
                ". Quotes are shown exactly as published; speaker names are normalised, the labels as printed are kept next to them."
            </p>
        </footer>
    }
}
