//! Text with some ranges marked (search matches), as text nodes and
//! `<mark>` elements: never as markup, whatever the text holds.

use std::ops::Range;

use leptos::prelude::*;

use crate::logic::search::snippet::pieces;

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

/// Transcript text with the current search query's matches marked; plain
/// text when there is no query.
#[component]
pub fn SearchMarked(text: String) -> impl IntoView {
    let Some(search) = use_context::<crate::search_state::SearchCtx>() else {
        return view! { {text} }.into_any();
    };
    (move || {
        let marks = search.result.with(|r| {
            r.as_ref()
                .map(|r| r.highlighter.ranges(&text))
                .unwrap_or_default()
        });
        view! { <MarkedText text=text.clone() marks /> }
    })
    .into_any()
}
