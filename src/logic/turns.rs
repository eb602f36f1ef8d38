//! "Only their turns": which blocks of a transcript stay visible and which
//! runs collapse into a one-line placeholder.

use crate::logic::text::group_digits;
use stenogram_corpus::model::Block;

/// One line of an opened transcript.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Show block `index` of the event.
    Block(usize),
    /// Blocks `start..end` are hidden behind a placeholder; `turns` of them
    /// are turns by speakers who were not picked.
    Hidden {
        start: usize,
        end: usize,
        turns: usize,
    },
}

fn is_picked_turn(block: &Block, selected: &[String]) -> bool {
    matches!(block, Block::Turn(t) if selected.contains(&t.speaker))
}

/// Plan the transcript. Without `only_theirs` (or without a selection)
/// every block is shown. Otherwise each maximal run of blocks that are not
/// turns of a picked speaker collapses into one [`Segment::Hidden`] — but
/// only if the run holds at least one turn by someone else: a photo caption
/// standing inside a picked speaker's speech is not "someone else's turn"
/// and stays visible.
pub fn plan(blocks: &[Block], selected: &[String], only_theirs: bool) -> Vec<Segment> {
    if !only_theirs || selected.is_empty() {
        return (0..blocks.len()).map(Segment::Block).collect();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        if is_picked_turn(&blocks[i], selected) {
            out.push(Segment::Block(i));
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len() && !is_picked_turn(&blocks[i], selected) {
            i += 1;
        }
        let turns = blocks[start..i]
            .iter()
            .filter(|b| matches!(b, Block::Turn(_)))
            .count();
        if turns == 0 {
            out.extend((start..i).map(Segment::Block));
        } else {
            out.push(Segment::Hidden {
                start,
                end: i,
                turns,
            });
        }
    }
    out
}

/// "3 turns by others hidden" (+ how many other blocks go with them).
pub fn hidden_label(start: usize, end: usize, turns: usize) -> String {
    let others = (end - start).saturating_sub(turns);
    let mut s = if turns == 1 {
        "1 turn by others hidden".to_string()
    } else {
        format!("{turns} turns by others hidden")
    };
    if others > 0 {
        s.push_str(&format!(
            " (and {others} non-speech block{})",
            if others == 1 { "" } else { "s" }
        ));
    }
    s
}

/// Blocks rendered when a transcript opens. A transcript may hold 100,000
/// turns: mounting all of them at once would freeze the page.
pub const FIRST_WINDOW: usize = 200;

/// Segments added by each "Show more".
pub const WINDOW_STEP: usize = 500;

/// A transcript opened from its card mounts [`MOUNT_FIRST_FRAME`]
/// segments in the first frame (more than a screenful: the text shows at
/// once) and this many more in each following frame, up to its window: no
/// frame does all the work.
pub const MOUNT_PER_FRAME: usize = 40;
pub const MOUNT_FIRST_FRAME: usize = 12;

/// How many segments of a window of `len` are mounted after `frames`
/// frames of progressive mounting.
pub fn mounted_after(frames: usize, len: usize) -> usize {
    MOUNT_PER_FRAME
        .saturating_mul(frames)
        .saturating_add(MOUNT_FIRST_FRAME)
        .min(len)
}

/// Which segments to render at first: the first [`FIRST_WINDOW`], or, for
/// a turn permalink (block `linked`) beyond them, a window of that size
/// around the segment holding it, so the linked turn is on the page without
/// mounting everything before it. Earlier segments come on "Show earlier".
pub fn initial_window(segments: &[Segment], linked: Option<usize>) -> std::ops::Range<usize> {
    Window::initial(segments, linked).range(segments)
}

/// The mounted part of a transcript, kept in terms of blocks rather than
/// positions in the plan: picking a speaker or "Only their turns" re-plans
/// the transcript (its segments shrink or grow), and the window must stay
/// around the same place instead of pointing past the end of a shorter
/// plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The block the window is around (a permalink's turn); `None`: the
    /// window starts at the top.
    pub anchor: Option<usize>,
    /// Segments shown before the one holding the anchor.
    pub before: usize,
    /// Segments shown from the one holding the anchor on.
    pub after: usize,
}

impl Window {
    /// See [`initial_window`].
    pub fn initial(segments: &[Segment], linked: Option<usize>) -> Window {
        let top = Window {
            anchor: None,
            before: 0,
            after: FIRST_WINDOW,
        };
        match linked.and_then(|block| segment_of(segments, block)) {
            Some(pos) if pos >= FIRST_WINDOW => Window {
                anchor: linked,
                before: FIRST_WINDOW / 2,
                after: FIRST_WINDOW / 2,
            },
            _ => top,
        }
    }

    /// The segments of `segments` (the current plan) to render.
    pub fn range(&self, segments: &[Segment]) -> std::ops::Range<usize> {
        let total = segments.len();
        // An anchor the plan no longer holds (it cannot happen: every plan
        // covers every block) falls back to the top.
        let pos = self
            .anchor
            .and_then(|block| segment_of(segments, block))
            .unwrap_or(0);
        let start = pos.saturating_sub(self.before).min(total);
        let end = pos.saturating_add(self.after).min(total);
        start..end.max(start)
    }

    /// "Show earlier": [`WINDOW_STEP`] more segments above, in `segments`.
    pub fn show_earlier(&mut self, segments: &[Segment]) {
        let shown_before = {
            let range = self.range(segments);
            let pos = self
                .anchor
                .and_then(|block| segment_of(segments, block))
                .unwrap_or(0);
            pos - range.start
        };
        self.before = shown_before + WINDOW_STEP;
    }

    /// "Show more": [`WINDOW_STEP`] more segments below, in `segments`.
    pub fn show_more(&mut self, segments: &[Segment]) {
        let range = self.range(segments);
        let pos = self
            .anchor
            .and_then(|block| segment_of(segments, block))
            .unwrap_or(0);
        self.after = (range.end - pos.min(range.end)) + WINDOW_STEP;
    }
}

/// The position of the segment that shows (or hides) block `block`.
/// Segments cover the blocks in order, so this is a binary search.
pub fn segment_of(segments: &[Segment], block: usize) -> Option<usize> {
    let end = |s: &Segment| match *s {
        Segment::Block(i) => i + 1,
        Segment::Hidden { end, .. } => end,
    };
    let pos = segments.partition_point(|s| end(s) <= block);
    match segments.get(pos)? {
        Segment::Block(i) if *i == block => Some(pos),
        Segment::Hidden { start, end, .. } if (*start..*end).contains(&block) => Some(pos),
        _ => None,
    }
}

/// The block a URL fragment (`#<event id>--<block>`, already decoded)
/// points at, if it points into this event.
pub fn linked_block(fragment: &str, event_id: &str) -> Option<usize> {
    fragment
        .strip_prefix(event_id)?
        .strip_prefix("--")?
        .parse()
        .ok()
}

/// "Show 500 more (99,300 not shown yet)", for the `rest` segments after
/// the window.
pub fn show_more_label(shown: usize, total: usize) -> String {
    let rest = total.saturating_sub(shown);
    format!(
        "Show {} more ({} not shown yet)",
        group_digits(rest.min(WINDOW_STEP)),
        group_digits(rest)
    )
}

/// "Show 500 earlier (49,900 before this)", for the `before` segments
/// above the window.
pub fn show_earlier_label(before: usize) -> String {
    format!(
        "Show {} earlier ({} before this)",
        group_digits(before.min(WINDOW_STEP)),
        group_digits(before)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::fixture::{self, turn};
    use crate::logic::text::group_digits;

    fn sel(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn caption() -> Block {
        Block::PhotoCaption {
            text: "photo".into(),
        }
    }

    #[test]
    fn everything_shown_when_off_or_nobody_picked() {
        let blocks = fixture::bundle().events[0].blocks.clone();
        let all: Vec<Segment> = (0..blocks.len()).map(Segment::Block).collect();
        assert_eq!(plan(&blocks, &sel(&["sergei-lavrov"]), false), all);
        assert_eq!(plan(&blocks, &[], true), all);
    }

    #[test]
    fn collapses_runs_of_other_speakers() {
        let blocks = fixture::bundle().events[0].blocks.clone();
        // 0 slider, 1 paragraph, 2 separator, 3 putin, 4 shoigu, 5 putin,
        // 6 lavrov, 7 caption, 8 putin, 9 question, 10 heading, 11 see also
        let p = plan(&blocks, &sel(&["sergei-lavrov"]), true);
        assert_eq!(
            p,
            vec![
                Segment::Hidden {
                    start: 0,
                    end: 6,
                    turns: 3
                },
                Segment::Block(6),
                Segment::Hidden {
                    start: 7,
                    end: 12,
                    turns: 2
                },
            ]
        );
    }

    #[test]
    fn a_caption_inside_their_speech_stays() {
        let blocks = vec![
            turn("a", "A", &["one"]),
            caption(),
            turn("a", "", &["two"]),
            turn("b", "B", &["other"]),
        ];
        let p = plan(&blocks, &sel(&["a"]), true);
        assert_eq!(
            p,
            vec![
                Segment::Block(0),
                Segment::Block(1),
                Segment::Block(2),
                Segment::Hidden {
                    start: 3,
                    end: 4,
                    turns: 1
                },
            ]
        );
    }

    #[test]
    fn several_picked_speakers_are_all_kept() {
        let blocks = fixture::bundle().events[0].blocks.clone();
        let p = plan(&blocks, &sel(&["sergei-lavrov", "sergei-shoigu"]), true);
        assert_eq!(
            p,
            vec![
                Segment::Hidden {
                    start: 0,
                    end: 4,
                    turns: 1
                },
                Segment::Block(4),
                Segment::Hidden {
                    start: 5,
                    end: 6,
                    turns: 1
                },
                Segment::Block(6),
                Segment::Hidden {
                    start: 7,
                    end: 12,
                    turns: 2
                },
            ]
        );
    }

    #[test]
    fn every_block_is_covered_exactly_once() {
        let blocks = fixture::bundle().events[0].blocks.clone();
        for picked in [
            &["vladimir-putin"][..],
            &["sergei-lavrov"],
            &["nobody"],
            &["generic-question"],
        ] {
            let mut covered = Vec::new();
            for seg in plan(&blocks, &sel(picked), true) {
                match seg {
                    Segment::Block(i) => covered.push(i),
                    Segment::Hidden { start, end, .. } => covered.extend(start..end),
                }
            }
            assert_eq!(covered, (0..blocks.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_window_reaches_a_linked_block() {
        let segs: Vec<Segment> = (0..100_000).map(Segment::Block).collect();
        assert_eq!(initial_window(&segs, None), 0..FIRST_WINDOW);
        assert_eq!(initial_window(&segs, Some(10)), 0..FIRST_WINDOW);
        assert_eq!(initial_window(&segs, Some(50_000)), 49_900..50_100);
        assert_eq!(initial_window(&segs, Some(99_999)), 99_899..100_000);
        assert_eq!(initial_window(&segs, Some(500_000)), 0..FIRST_WINDOW);
        assert_eq!(initial_window(&segs[..50], None), 0..50);
        // A linked block inside a collapsed run: up to its placeholder.
        let mut segs: Vec<Segment> = (0..300).map(Segment::Block).collect();
        segs.push(Segment::Hidden {
            start: 300,
            end: 1000,
            turns: 700,
        });
        assert_eq!(initial_window(&segs, Some(900)), 200..301);
    }

    #[test]
    fn finds_the_segment_of_a_block() {
        let segs = vec![
            Segment::Block(0),
            Segment::Hidden {
                start: 1,
                end: 5,
                turns: 2,
            },
            Segment::Block(5),
        ];
        assert_eq!(segment_of(&segs, 0), Some(0));
        assert_eq!(segment_of(&segs, 1), Some(1));
        assert_eq!(segment_of(&segs, 4), Some(1));
        assert_eq!(segment_of(&segs, 5), Some(2));
        assert_eq!(segment_of(&segs, 6), None);
        assert_eq!(segment_of(&[], 0), None);
    }

    /// 100,000 turns, speaker "a" on even blocks and "b" on odd ones, but
    /// "c" on every 1000th block from 500: picking "c" shrinks the plan to
    /// about 200 segments.
    fn sparse_blocks() -> Vec<Block> {
        (0..100_000)
            .map(|i| {
                let who = if i % 1000 == 500 {
                    "c"
                } else if i % 2 == 0 {
                    "a"
                } else {
                    "b"
                };
                turn(who, who, &["text"])
            })
            .collect()
    }

    #[test]
    fn a_deep_window_follows_its_turn_when_the_plan_shrinks() {
        let blocks = sparse_blocks();
        let all = plan(&blocks, &[], false);
        let win = Window::initial(&all, Some(99_999));
        assert_eq!(win.range(&all), 99_899..100_000);

        // Only "c": 100 turns and 101 placeholders. The old positions
        // (99,899..) would be past the end: a blank transcript.
        let only_c = plan(&blocks, &sel(&["c"]), true);
        assert_eq!(only_c.len(), 201);
        let range = win.range(&only_c);
        assert!(!range.is_empty(), "{range:?}");
        assert_eq!(range, 100..201);
        assert!(only_c[range.clone()].contains(&Segment::Block(99_500)));
        assert_eq!(
            only_c[range.end - 1],
            Segment::Hidden {
                start: 99_501,
                end: 100_000,
                turns: 499
            },
            "the placeholder holding the linked turn is shown"
        );

        // And back: the same window as before.
        assert_eq!(win.range(&all), 99_899..100_000);
    }

    #[test]
    fn show_earlier_and_more_extend_the_window_in_the_current_plan() {
        let blocks = sparse_blocks();
        let all = plan(&blocks, &[], false);
        let mut top = Window::initial(&all, None);
        assert_eq!(top.range(&all), 0..FIRST_WINDOW);
        top.show_more(&all);
        assert_eq!(top.range(&all), 0..FIRST_WINDOW + WINDOW_STEP);
        let only_c = plan(&blocks, &sel(&["c"]), true);
        assert_eq!(top.range(&only_c), 0..201, "clamped to the shorter plan");

        let mut deep = Window::initial(&all, Some(50_000));
        assert_eq!(deep.range(&all), 49_900..50_100);
        deep.show_earlier(&all);
        assert_eq!(deep.range(&all), 49_400..50_100);
        deep.show_more(&all);
        assert_eq!(deep.range(&all), 49_400..50_600);
        // In the short plan the window saturates at the top: extending it
        // there counts from what is shown, not from the saturated request.
        let mut deep = Window::initial(&all, Some(50_000));
        assert_eq!(deep.range(&only_c), 0..200);
        deep.show_more(&only_c);
        assert_eq!(deep.range(&only_c), 0..201);
        deep.show_earlier(&only_c);
        assert_eq!(deep.range(&only_c), 0..201);
    }

    #[test]
    fn progressive_mounting_reaches_the_whole_window() {
        assert_eq!(mounted_after(0, 200), MOUNT_FIRST_FRAME);
        assert_eq!(mounted_after(1, 200), MOUNT_FIRST_FRAME + MOUNT_PER_FRAME);
        assert_eq!(mounted_after(5, 200), 200);
        assert_eq!(mounted_after(99, 200), 200);
        assert_eq!(mounted_after(0, 3), 3);
        assert_eq!(mounted_after(usize::MAX, 7), 7);
    }

    #[test]
    fn reads_the_linked_block_from_the_fragment() {
        assert_eq!(linked_block("2020-11-20-a--42", "2020-11-20-a"), Some(42));
        assert_eq!(linked_block("2020-11-20-a-2--42", "2020-11-20-a"), None);
        assert_eq!(linked_block("2020-11-20-a--x", "2020-11-20-a"), None);
        assert_eq!(linked_block("", "2020-11-20-a"), None);
    }

    #[test]
    fn labels_show_more() {
        assert_eq!(
            show_more_label(200, 100_000),
            "Show 500 more (99,800 not shown yet)"
        );
        assert_eq!(show_more_label(200, 250), "Show 50 more (50 not shown yet)");
        assert_eq!(
            show_earlier_label(49_900),
            "Show 500 earlier (49,900 before this)"
        );
        assert_eq!(group_digits(1_000_000), "1,000,000");
        assert_eq!(group_digits(999), "999");
    }

    #[test]
    fn labels_the_placeholder() {
        assert_eq!(hidden_label(0, 3, 3), "3 turns by others hidden");
        assert_eq!(
            hidden_label(0, 6, 3),
            "3 turns by others hidden (and 3 non-speech blocks)"
        );
        assert_eq!(
            hidden_label(7, 9, 1),
            "1 turn by others hidden (and 1 non-speech block)"
        );
    }
}
