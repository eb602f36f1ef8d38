//! Moving the keyboard focus when what had it goes away.
//!
//! A control that is removed or disabled under the focus (a page that
//! closes, a button swapped for a progress line) drops the focus to the
//! body: a keyboard user's next Tab then starts from the top of the page,
//! and a screen reader says nothing about where they are. Components that
//! do that put the focus somewhere sensible with these helpers, and only
//! when it was lost or still inside them: a reader who has moved on is
//! left where they are.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// The focus is nowhere in particular: on the body, or on nothing.
pub fn focus_is_lost() -> bool {
    let body = document().body();
    document().active_element().is_none_or(|el| {
        body.as_ref()
            .is_some_and(|b| &el == b.unchecked_ref::<web_sys::Element>())
    })
}

/// The element with the focus, unless the focus is lost.
pub fn focused_element() -> Option<web_sys::Element> {
    (!focus_is_lost())
        .then(|| document().active_element())
        .flatten()
}

/// The focus is on `container` or inside it.
pub fn focus_is_within(container: &web_sys::Element) -> bool {
    document()
        .active_element()
        .is_some_and(|el| container.contains(Some(&el)))
}

/// Focuses `el` without scrolling it into view (where the reader already
/// is, or a region whose top is far away).
pub fn focus_without_scrolling(el: &web_sys::Element) {
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = el.focus_with_options(&options);
    }
}

/// A skip link's click: scrolls the element `id` to the top and gives it
/// the focus, without the `#id` the link would put in the address (an
/// anchor there reads as a link to a turn, and the jump would fire
/// `popstate`).
pub fn skip_to(ev: &web_sys::MouseEvent, id: &str) {
    ev.prevent_default();
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
        focus_without_scrolling(&el);
    }
}
