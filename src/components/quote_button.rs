//! "Copy quote": select text inside a turn and a small toolbar offers the
//! passage with its citation, as plain text or as BibTeX (see
//! `logic::cite`). Mounted once by the viewer; it reads the selection, the
//! turn's `data-*` attributes and the event's row in the corpus.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::logic::cite::{bibtex, clean, plain_text, Quote};
use crate::logic::corpus::Corpus;
use crate::state::{permalink, use_corpus};

/// Pixels between the selection and the toolbar, and from the window's edges.
const GAP_PX: f64 = 8.0;
/// About the toolbar's size, to place it above the selection and in view.
const TOOLBAR_H_PX: f64 = 44.0;
const TOOLBAR_W_PX: f64 = 300.0;

/// The citation of the current selection, and where to show the toolbar.
#[derive(Debug, Clone, PartialEq)]
struct Picked {
    plain: String,
    bibtex: String,
    top: f64,
    left: f64,
}

#[component]
pub fn QuoteButton() -> impl IntoView {
    let corpus = use_corpus();
    let picked = RwSignal::new(None::<Picked>);
    let status = RwSignal::new(String::new());
    let toolbar = NodeRef::<leptos::html::Div>::new();

    // Keyboard focus on a toolbar button: the selection is what it cites,
    // whatever the selection does meanwhile.
    let focus_inside = move || {
        let active = document().active_element();
        toolbar
            .get_untracked()
            .is_some_and(|t| active.is_some_and(|a| t.contains(Some(&a))))
    };
    let inside = move |target: Option<web_sys::EventTarget>| {
        let node = target.and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        toolbar
            .get_untracked()
            .is_some_and(|t| node.is_some_and(|n| t.contains(Some(&n))))
    };
    let update = move || {
        let next = selected_quote(&corpus);
        if next.is_none() && focus_inside() {
            return;
        }
        if next.is_some() {
            status.set(String::new());
        }
        picked.set(next);
    };
    // After the button is released (or a key that extends a selection):
    // the selection is final then. A frame later, so that a click that
    // collapses a selection has done so.
    let later = move || request_animation_frame(update.clone());
    let later_mouse = later.clone();
    let mouseup = window_event_listener(leptos::ev::mouseup, move |ev| {
        if !inside(ev.target()) {
            later_mouse();
        }
    });
    let later_key = later.clone();
    let keyup = window_event_listener(leptos::ev::keyup, move |ev| {
        if ev.key() == "Escape" {
            picked.set(None);
        } else if !inside(ev.target()) {
            later_key();
        }
    });
    // The toolbar follows its selection when the page scrolls.
    let scroll = window_event_listener(leptos::ev::scroll, move |_| {
        if picked.with_untracked(Option::is_some) {
            later();
        }
    });
    // A selection that goes away (a click elsewhere, typing) takes the
    // toolbar with it. `selectionchange` fires on the document only.
    let on_change = Closure::<dyn Fn()>::new(move || {
        let collapsed = window()
            .get_selection()
            .ok()
            .flatten()
            .is_none_or(|s| s.is_collapsed());
        if collapsed && !focus_inside() && picked.with_untracked(Option::is_some) {
            picked.set(None);
        }
    });
    let _ = document()
        .add_event_listener_with_callback("selectionchange", on_change.as_ref().unchecked_ref());
    let on_change = SendWrapper::new(on_change);
    on_cleanup(move || {
        mouseup.remove();
        keyup.remove();
        scroll.remove();
        let _ = document().remove_event_listener_with_callback(
            "selectionchange",
            on_change.as_ref().unchecked_ref(),
        );
    });

    let copy_with = move |bib: bool| {
        let Some(p) = picked.get_untracked() else {
            return;
        };
        let (text, done) = if bib {
            (p.bibtex, "BibTeX copied")
        } else {
            (p.plain, "Quote copied")
        };
        copy_text(text, status, done);
    };

    view! {
        <div
            class="quote-toolbar"
            role="toolbar"
            aria-label="Quote the selected text"
            data-testid="quote-toolbar"
            node_ref=toolbar
            hidden=move || picked.with(Option::is_none)
            style:top=move || picked.with(|p| p.as_ref().map(|p| format!("{}px", p.top)))
            style:left=move || picked.with(|p| p.as_ref().map(|p| format!("{}px", p.left)))
            // A click here must not collapse the selection being quoted.
            on:mousedown=|ev| ev.prevent_default()
        >
            <button type="button" data-testid="copy-quote" on:click=move |_| copy_with(false)>
                "Copy quote"
            </button>
            <button type="button" data-testid="copy-bibtex" on:click=move |_| copy_with(true)>
                "Copy BibTeX"
            </button>
            <span class="quote-status" role="status" aria-live="polite" data-testid="quote-status">
                {move || status.get()}
            </span>
        </div>
    }
}

/// The selection as a citation, if it starts inside a turn and holds text
/// there. A selection that runs on into later turns is cut at the end of
/// the turn where it starts; the speaker's name line is not quoted.
fn selected_quote(corpus: &Arc<Corpus>) -> Option<Picked> {
    let selection = window().get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let start = range.start_container().ok()?;
    let start_el = match start.dyn_ref::<web_sys::Element>() {
        Some(el) => el.clone(),
        None => start.parent_element()?,
    };
    let turn = start_el.closest(".turn").ok()??;

    // Paragraph by paragraph: a range's own text runs paragraphs together
    // without a space.
    let end = range.end_container().ok()?;
    let paragraphs = turn.query_selector_all("p:not(.turn-speaker)").ok()?;
    let mut parts = Vec::new();
    for i in 0..paragraphs.length() {
        let Some(p) = paragraphs.item(i) else {
            continue;
        };
        if !range.intersects_node(&p).unwrap_or(false) {
            continue;
        }
        let part = document().create_range().ok()?;
        part.select_node_contents(&p).ok()?;
        if p.contains(Some(&start)) {
            part.set_start(&start, range.start_offset().ok()?).ok()?;
        }
        if p.contains(Some(&end)) {
            part.set_end(&end, range.end_offset().ok()?).ok()?;
        }
        parts.push(String::from(part.to_string()));
    }
    let text = clean(&parts.join(" "));
    if text.is_empty() {
        return None;
    }

    let event_id = turn.get_attribute("data-event-id")?;
    let speaker_id = turn.get_attribute("data-speaker").unwrap_or_default();
    let event = corpus.event(&event_id)?;
    let url = absolute_url(&permalink(&event_id, Some(&turn.id())));
    let quote = Quote {
        text: &text,
        speaker: corpus.speaker_name(&speaker_id),
        title: &event.title,
        date: event.date,
        time: event.time.as_deref(),
        place: event.place.map(|p| corpus.place(p)),
        url: &url,
        // The raw export has no kremlin.ru id, so no kremlin.ru URL: see
        // logic::cite. A record that carries one would pass it here.
        source_url: None,
        accessed: today(),
    };

    // Above the start of the selection, or below it near the window's top;
    // always inside the window.
    let rect = range.get_bounding_client_rect();
    let size = |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(1000.0);
    let width = size(window().inner_width());
    let height = size(window().inner_height());
    let above = rect.top() - TOOLBAR_H_PX - GAP_PX;
    let top = if above >= GAP_PX {
        above
    } else {
        rect.bottom() + GAP_PX
    }
    // A selection scrolled out of view keeps its toolbar at the edge.
    .min(height - TOOLBAR_H_PX - GAP_PX)
    .max(GAP_PX);
    let left = rect.left().min(width - TOOLBAR_W_PX - GAP_PX).max(GAP_PX);
    Some(Picked {
        plain: plain_text(&quote),
        bibtex: bibtex(&quote),
        top,
        left,
    })
}

/// Today in the reader's time zone (the "accessed" date, file names).
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// A path on this site as an absolute URL (citations leave the page).
pub fn absolute_url(path: &str) -> String {
    window()
        .location()
        .href()
        .ok()
        .and_then(|base| web_sys::Url::new_with_base(path, &base).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| path.to_string())
}

/// Put `text` on the clipboard and say how it went in `status`: the
/// asynchronous Clipboard API first; where it is missing (an insecure
/// page, an old browser) or refuses, the older `execCommand('copy')`.
fn copy_text(text: String, status: RwSignal<String>, done: &'static str) {
    let navigator = window().navigator();
    let has_api = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_api {
        report(status, exec_copy(&text), done);
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    let ok = Closure::<dyn FnMut(JsValue)>::once(move |_: JsValue| {
        status.try_set(done.to_string());
    });
    let failed = Closure::<dyn FnMut(JsValue)>::once(move |_: JsValue| {
        report(status, exec_copy(&text), done);
    });
    let _ = promise.then2(&ok, &failed);
    // Called at most once each, when the promise settles: left to the JS
    // side (two small closures per copy).
    ok.forget();
    failed.forget();
}

fn report(status: RwSignal<String>, copied: bool, done: &'static str) {
    let message = if copied {
        done.to_string()
    } else {
        "Copying failed: the browser blocked the clipboard. Select the text and press Ctrl+C."
            .to_string()
    };
    status.try_set(message);
}

/// The fallback copy: a hidden text area, selected, `execCommand('copy')`.
/// The reader's selection and focus are put back afterwards.
fn exec_copy(text: &str) -> bool {
    let document = document();
    let selection = window().get_selection().ok().flatten();
    let saved: Vec<web_sys::Range> = selection
        .as_ref()
        .map(|s| {
            (0..s.range_count())
                .filter_map(|i| s.get_range_at(i).ok())
                .collect()
        })
        .unwrap_or_default();
    let focused = document
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(area) = document
        .create_element("textarea")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    area.set_class_name("clipboard-fallback");
    let Some(body) = document.body() else {
        return false;
    };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let copied = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    if let Some(s) = selection {
        let _ = s.remove_all_ranges();
        for r in &saved {
            let _ = s.add_range(r);
        }
    }
    if let Some(f) = focused {
        let _ = f.focus();
    }
    copied
}

/// A permalink was opened (or reloaded): mark its turn once it is mounted,
/// so the reader sees where the link points (`style/cite.css`). `:target`
/// alone does not do: the turn is created after the browser looked for it.
pub fn mark_linked_turn() {
    let hash = window().location().hash().unwrap_or_default();
    let id = crate::logic::url_state::decode_component(hash.trim_start_matches('#'));
    if id.is_empty() {
        return;
    }
    let document = document();
    if let Ok(old) = document.query_selector_all(".turn.linked") {
        for i in 0..old.length() {
            if let Some(el) = old
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.class_list().remove_1("linked");
                let _ = el.remove_attribute("aria-current");
            }
        }
    }
    if let Some(turn) = document.get_element_by_id(&id) {
        let _ = turn.class_list().add_1("linked");
        let _ = turn.set_attribute("aria-current", "location");
    }
}
