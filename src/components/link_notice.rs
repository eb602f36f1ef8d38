use leptos::prelude::*;

use crate::logic::url_state::{NoticeItem, NOTICE_LEAD};

/// "Ignored from the link: unknown speaker “foo”; sort “sideways”", with a
/// button to dismiss it. Shown once, when a link held something the app
/// could not use; the page works on without it.
#[component]
pub fn LinkNotice(items: Vec<NoticeItem>) -> impl IntoView {
    let shown = RwSignal::new(!items.is_empty());
    let last = items.len().saturating_sub(1);
    let items_view = items
        .into_iter()
        .enumerate()
        .map(|(n, item)| {
            view! {
                {item.what}
                // The value comes from the link: isolated, so that bidi
                // controls in it cannot reorder the rest of the sentence.
                {item.value.map(|v| view! { " “" <bdi>{v}</bdi> "”" })}
                {(n < last).then_some("; ")}
            }
        })
        .collect_view();
    view! {
        <Show when=move || shown.get()>
            <div class="notice" role="status" data-testid="link-notice">
                <p class="notice-text">{NOTICE_LEAD} {items_view.clone()}</p>
                <button
                    type="button"
                    class="notice-dismiss"
                    data-testid="dismiss-notice"
                    on:click=move |_| {
                        shown.set(false);
                        focus_main();
                    }
                >
                    "Dismiss"
                    <span class="sr-only">" this notice"</span>
                </button>
            </div>
        </Show>
    }
}

/// The dismissed notice took the focused button with it: give focus to the
/// content rather than losing it to the document.
fn focus_main() {
    use wasm_bindgen::JsCast;
    if let Some(main) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
