//! "Who spoke how much" on an event card: a thin stacked bar of words per
//! speaker (top five people, the other people, generic labels), with a
//! legend shown while the card is hovered or has focus. The whole is one
//! image to assistive technology, named by a sentence with the shares.

use leptos::prelude::*;

use crate::logic::speaker_stats::{percent_text, shares_text, word_shares, SliceKind};
use crate::logic::text::group_digits;
use crate::state::use_corpus;

/// The bar of the event at `index` (in the corpus's rows); nothing when
/// the index counted no words for it.
#[component]
pub fn WordShare(index: usize) -> impl IntoView {
    let corpus = use_corpus();
    let Some(event) = corpus.events().get(index) else {
        return ().into_any();
    };
    let slices = word_shares(&event.speakers, corpus.words(event), |p| {
        corpus.speaker_at(p)
    });
    if slices.is_empty() {
        return ().into_any();
    }
    let label = format!("Share of words: {}", shares_text(&slices));
    let class_of = |kind: &SliceKind| match kind {
        SliceKind::Person { rank, .. } => format!("share share-{rank}"),
        SliceKind::Others => "share share-others".to_string(),
        SliceKind::Generic => "share share-generic".to_string(),
    };
    let bar = slices
        .iter()
        .map(|s| {
            let title = format!(
                "{}: {} ({} words)",
                s.label,
                percent_text(s.percent),
                group_digits(usize::try_from(s.words).unwrap_or(usize::MAX))
            );
            view! {
                <span class=class_of(&s.kind) title=title style:width=format!("{:.3}%", s.percent)></span>
            }
        })
        .collect_view();
    let legend = slices
        .iter()
        .map(|s| {
            view! {
                <li>
                    <span class=format!("swatch {}", class_of(&s.kind))></span>
                    {format!("{} {}", s.label, percent_text(s.percent))}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="word-share" role="img" aria-label=label data-testid="word-share">
            <div class="share-bar">{bar}</div>
            <ul class="share-legend">{legend}</ul>
        </div>
    }
    .into_any()
}
