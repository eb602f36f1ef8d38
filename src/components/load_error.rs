use leptos::prelude::*;

use crate::api::LoadError;

/// The data failed to load: say which URL and why, and offer to retry.
#[component]
pub fn LoadErrorView(error: LoadError, retry: Callback<()>) -> impl IntoView {
    let reason = error.reason.to_string();
    view! {
        <section class="state state-error" role="alert" data-testid="error-state">
            <h2>"The transcripts could not be loaded"</h2>
            <p>
                "Tried to load " <code class="url">{error.url}</code> " but got: "
                <strong data-testid="error-reason">{reason}</strong>
            </p>
            <button type="button" data-testid="retry" on:click=move |_| retry.run(())>
                "Retry"
            </button>
        </section>
    }
}
