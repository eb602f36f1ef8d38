use leptos::prelude::*;

/// Shown until the bundle has arrived.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="state state-loading" role="status" data-testid="loading">
            "Loading transcripts…"
        </p>
    }
}
