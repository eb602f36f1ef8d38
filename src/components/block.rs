use std::sync::Arc;

use leptos::prelude::*;
use stenogram_corpus::model::{Block, ShardEvent, Turn};

use crate::components::marked_text::{Marked, Marks};
use crate::state::{permalink, use_corpus, use_view};

/// DOM id of a turn: stable for a given corpus (event id + block index).
pub fn turn_anchor(event_id: &str, block: usize) -> String {
    format!("{event_id}--{block}")
}

/// One block of a transcript. Text is always rendered as text nodes, never
/// as markup: the transcript is data.
#[component]
pub fn BlockView(
    detail: Arc<ShardEvent>,
    block: usize,
    /// The search's marks when the block was built (the transcript
    /// rebuilds its blocks when they change).
    #[prop(optional)]
    marks: Marks,
) -> impl IntoView {
    let Some(b) = detail.blocks.get(block).cloned() else {
        return ().into_any();
    };
    match b {
        Block::Turn(turn) => {
            let anchor = turn_anchor(&detail.id, block);
            view! { <TurnView turn event_id=detail.id.clone() block anchor marks /> }.into_any()
        }
        Block::Paragraph { text } => {
            view! { <p class="narration" data-block=block><Marked text marks=marks.clone() /></p> }.into_any()
        }
        Block::Slider { counter, caption } => view! {
            <p class="caption slider" data-block=block>
                <span class="slider-counter">"Photo " <Marked text=counter marks=marks.clone() /></span>
                {caption.map(|c| view! { <span class="sep">" · "</span><span><Marked text=c marks=marks.clone() /></span> })}
            </p>
        }
        .into_any(),
        Block::PhotoCaption { text } => view! {
            <p class="caption" data-block=block><span class="sr-only">"Photo caption: "</span><Marked text marks=marks.clone() /></p>
        }
        .into_any(),
        Block::Separator { text } => view! { <hr class="separator" title=text /> }.into_any(),
        Block::SeeAlso { lines } => view! {
            <aside class="see-also" data-block=block>
                <h6>"See also"</h6>
                <ul>{lines.into_iter().map(|l| view! { <li><Marked text=l marks=marks.clone() /></li> }).collect_view()}</ul>
            </aside>
        }
        .into_any(),
        Block::Heading { text } => {
            view! { <h6 class="transcript-heading" data-block=block><Marked text marks=marks.clone() /></h6> }.into_any()
        }
    }
}

/// A speaker's turn: canonical name, the label as printed, the annotation,
/// then the paragraphs. Turns of picked speakers are highlighted.
#[component]
fn TurnView(
    turn: Turn,
    event_id: String,
    block: usize,
    anchor: String,
    marks: Marks,
) -> impl IntoView {
    let corpus = use_corpus();
    let view = use_view().view;
    let name = corpus.speaker_name(&turn.speaker).to_string();
    // The printed label repeats the name most of the time ("President of
    // Russia Vladimir Putin"); it is shown as printed, for exact citation,
    // unless it is nothing but the name.
    let label = (!turn.label.is_empty() && turn.label != name).then(|| turn.label.clone());
    let speaker = turn.speaker.clone();
    let picked = move || view.with(|v| v.is_picked(&speaker));
    // A link that reopens this event and scrolls to this turn, for citing.
    let href = permalink(&event_id, Some(&anchor));
    let link_label = format!("Link to this turn by {name}");
    view! {
        <div
            id=anchor
            class="turn"
            class:picked=picked
            class:continued=turn.continued
            data-testid="turn"
            data-speaker=turn.speaker.clone()
            data-event-id=event_id.clone()
            data-block=block
        >
            <p class="turn-speaker">
                <strong class="speaker-name">{name}</strong>
                <a class="turn-link" href=href aria-label=link_label title="Link to this turn">"#"</a>
                {turn.continued.then(|| view! { <span class="muted">" (continued)"</span> })}
                {label.map(|l| view! { <span class="speaker-label">{l}</span> })}
                {turn.annotation.map(|a| view! { <span class="annotation">{format!("({a})")}</span> })}
            </p>
            {turn.paragraphs.into_iter().map(|p| view! { <p><Marked text=p marks=marks.clone() /></p> }).collect_view()}
        </div>
    }
}
