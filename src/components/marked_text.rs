//! Text with some ranges marked (search matches), as text nodes and
//! `<mark>` elements: never as markup, whatever the text holds.

use std::ops::Range;
use std::sync::Arc;

use leptos::prelude::*;

use crate::logic::search::snippet::{pieces, Highlighter};

#[component]
pub fn MarkedText(text: String, marks: Vec<Range<usize>>) -> impl IntoView {
    if marks.is_empty() {
        return view! { {text} }.into_any();
    }
    pieces(&text, &marks)
        .into_iter()
        .map(|(piece, marked)| {
            let piece = piece.to_string();
            if marked {
                view! { <mark class="hit">{piece}</mark> }.into_any()
            } else {
                view! { {piece} }.into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// The current search's highlighter, compared by identity: one value per
/// evaluated query, `None` without a query. A transcript takes it once per
/// query for all its blocks (not one subscription per paragraph: a long
/// transcript has thousands).
#[derive(Clone, Default)]
pub struct Marks(pub Option<Arc<Highlighter>>);

impl PartialEq for Marks {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl Marks {
    /// A number that changes with the value (for keys of rebuilt rows).
    pub fn epoch(&self) -> usize {
        self.0.as_ref().map_or(0, |h| Arc::as_ptr(h) as usize)
    }

    /// The current search's marks, as a memo.
    pub fn current() -> Memo<Marks> {
        let search = use_context::<crate::search_state::SearchCtx>();
        Memo::new(move |_| {
            Marks(search.and_then(|s| s.result.with(|r| r.as_ref().map(|r| r.highlighter.clone()))))
        })
    }
}

/// Transcript text with `marks`' matches marked (plain text without).
#[component]
pub fn Marked(text: String, marks: Marks) -> impl IntoView {
    let ranges = marks
        .0
        .as_ref()
        .map(|h| h.ranges(&text))
        .unwrap_or_default();
    view! { <MarkedText text marks=ranges /> }
}
