use leptos::prelude::*;

use crate::api::LoadError;

/// The data failed to load: say which URL and why, and offer to retry.
#[component]
pub fn LoadErrorView(error: LoadError, retry: Callback<()>) -> impl IntoView {
    let reason = error.reason.to_string();
    // The resource keeps showing this error until the retry settles; say
    // that something is happening. A new failure mounts a fresh view.
    let retrying = RwSignal::new(false);
    view! {
        <section class="state state-error" role="alert" data-testid="error-state">
            <h2>"The transcripts could not be loaded"</h2>
            <p>
                "Tried to load " <code class="url">{error.url}</code> " but got: "
                <strong data-testid="error-reason">{reason}</strong>
            </p>
            <button
                type="button"
                data-testid="retry"
                prop:disabled=move || retrying.get()
                on:click=move |_| {
                    retrying.set(true);
                    retry.run(());
                }
            >
                {move || if retrying.get() { "Retrying…" } else { "Retry" }}
            </button>
        </section>
    }
}
