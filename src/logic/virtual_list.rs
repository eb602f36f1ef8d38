//! Geometry of a virtualised list: which rows are on screen, and how tall
//! the parts that are not rendered are.
//!
//! Rows have different heights (a card with a long title, an open
//! transcript), so each row starts with an estimate and gets its measured
//! height once it has been on screen; the offsets are prefix sums over
//! these. Only the rows inside the viewport (plus a margin) are mounted;
//! two spacers stand in for the rest. Pure, so it is tested natively.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    heights: Vec<f64>,
    /// `offsets[i]` = top of row `i`; `offsets[n]` = total height.
    offsets: Vec<f64>,
}

impl Default for Layout {
    /// No rows: every offset is 0 (the offsets always hold `len + 1` entries).
    fn default() -> Self {
        Layout::new(Vec::new())
    }
}

impl Layout {
    pub fn new(heights: Vec<f64>) -> Layout {
        let mut layout = Layout {
            heights,
            offsets: Vec::new(),
        };
        layout.recompute();
        layout
    }

    fn recompute(&mut self) {
        self.offsets.clear();
        self.offsets.reserve(self.heights.len() + 1);
        let mut top = 0.0;
        self.offsets.push(top);
        for h in &self.heights {
            top += h;
            self.offsets.push(top);
        }
    }

    pub fn len(&self) -> usize {
        self.heights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// Record measured heights; returns whether anything changed (by more
    /// than half a pixel: sub-pixel jitter must not re-layout forever).
    pub fn set_heights(&mut self, measured: impl IntoIterator<Item = (usize, f64)>) -> bool {
        let mut changed = false;
        for (i, h) in measured {
            if let Some(slot) = self.heights.get_mut(i) {
                if h.is_finite() && h >= 0.0 && (*slot - h).abs() > 0.5 {
                    *slot = h;
                    changed = true;
                }
            }
        }
        if changed {
            self.recompute();
        }
        changed
    }

    pub fn height(&self, i: usize) -> f64 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Top of row `i` (the total height for `i >= len`).
    pub fn offset(&self, i: usize) -> f64 {
        self.offsets[i.min(self.heights.len())]
    }

    pub fn total(&self) -> f64 {
        self.offset(self.heights.len())
    }

    /// The row at vertical position `y` (clamped to the list).
    pub fn row_at(&self, y: f64) -> usize {
        if self.heights.is_empty() {
            return 0;
        }
        // The first row that ends after y (rows of no height are skipped).
        let after = self.offsets[1..].partition_point(|&top| top <= y);
        after.min(self.heights.len() - 1)
    }

    /// Rows that intersect `[top, bottom)`, plus `overscan` pixels on both
    /// sides, so a fast scroll does not show blank space before the next frame.
    pub fn visible(&self, top: f64, bottom: f64, overscan: f64) -> Range<usize> {
        if self.heights.is_empty() || bottom <= top {
            return 0..0;
        }
        let start = self.row_at((top - overscan).max(0.0));
        let end = self.row_at(bottom + overscan) + 1;
        start..end.min(self.heights.len())
    }
}

/// Which rows to mount: the rows on screen, and margins around them,
/// added in a later frame where that frame must be cheap.
///
/// A step that lands where none of the mounted rows are (the scrollbar
/// dragged, a far date, a fast fling) mounts the rows on screen only: the
/// margins would be skipped by the next step too. They come back with the
/// next step that lands among mounted rows.
///
/// A new list (a filter or the order changed, or the first list) mounts
/// the screen only as well, so that the frame answering the click builds
/// as few cards as it can; the margins follow when the timeline calls
/// [`Mounting::widen`] after that frame has been painted (a scroll step
/// before then keeps to the screen). Its screen is taken with a small
/// margin (the list may have moved a little, and the viewport is only
/// measured on scroll), and as the list's last screenful, with the full
/// margin, when the list now ends above the viewport's bottom: the browser
/// clamps the scroll near there (less the footer), and tells us only with
/// the next scroll event. Rows
/// of the new list that were already mounted, and that fall within the
/// margins, stay mounted: the card a reader was on keeps its element (its
/// focused link, its scroll anchor) when a filter keeps it, or when the
/// viewport, measured before the list moved, is off by a little.
///
/// A layout change at the same viewport (the new rows measured) keeps the
/// mode, or it would mount the margins in the same frame after all.
#[derive(Debug, Clone, Default)]
pub struct Mounting {
    /// The viewport and list of the last call, and how it mounted.
    last: Option<((f64, f64), u64, Mode)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// The screen and the margins.
    Margins,
    /// The screen only, after a jump.
    Jumped,
    /// The screen of a new list, until widened.
    NewList,
}

/// Around a new list's screen, in pixels (see [`Mounting`]).
const NEW_LIST_MARGIN_PX: f64 = 48.0;

impl Mounting {
    /// The rows to mount for the viewport `top..bottom` over `layout`,
    /// which lays out list number `list`; `mounted` is what is mounted now
    /// (rows of the previous list if `list` is new), and `was_mounted(row)`
    /// says whether row `row` of this list is among them.
    pub fn range(
        &mut self,
        layout: &Layout,
        (top, bottom): (f64, f64),
        overscan: f64,
        list: u64,
        mounted: Option<&Range<usize>>,
        was_mounted: impl Fn(usize) -> bool,
    ) -> Range<usize> {
        let on_screen = layout.visible(top, bottom, 0.0);
        let mode = match self.last {
            Some((at, was_list, mode)) if was_list == list && at == (top, bottom) => mode,
            Some((_, was_list, mode)) if was_list == list => {
                let jumped =
                    mounted.is_some_and(|m| on_screen.start >= m.end || on_screen.end <= m.start);
                if jumped {
                    Mode::Jumped
                } else if mode == Mode::NewList {
                    // Not painted yet: the first list's viewport is
                    // measured in the frame before its first paint.
                    Mode::NewList
                } else {
                    Mode::Margins
                }
            }
            _ => Mode::NewList,
        };
        self.last = Some(((top, bottom), list, mode));
        match mode {
            Mode::Margins => layout.visible(top, bottom, overscan),
            Mode::Jumped => on_screen,
            Mode::NewList => {
                let total = layout.total();
                // Past the list's end, the browser clamps the scroll to
                // the page's end: the list's last screenful, less what is
                // below the list (the footer); the full margin covers it.
                let screen = if bottom > total {
                    layout.visible((total - (bottom - top)).max(0.0), total, overscan)
                } else {
                    layout.visible(top, bottom, NEW_LIST_MARGIN_PX)
                };
                let mut kept = layout
                    .visible(top, bottom, overscan)
                    .filter(|&row| was_mounted(row));
                let first = kept.next();
                let last = kept.last().or(first);
                match (first, last) {
                    (Some(first), Some(last)) => screen.start.min(first)..screen.end.max(last + 1),
                    _ => screen,
                }
            }
        }
    }

    /// Once list number `list` has been painted: its margins may be
    /// mounted. Returns whether that changed anything (the range may grow:
    /// call [`Mounting::range`] again).
    pub fn widen(&mut self, list: u64) -> bool {
        match &mut self.last {
            Some((_, l, mode)) if *l == list && *mode == Mode::NewList => {
                *mode = Mode::Margins;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_prefix_sums() {
        let l = Layout::new(vec![10.0, 20.0, 30.0]);
        assert_eq!(l.offset(0), 0.0);
        assert_eq!(l.offset(2), 30.0);
        assert_eq!(l.total(), 60.0);
        assert_eq!(l.offset(99), 60.0);
    }

    #[test]
    fn visible_rows_cover_the_viewport() {
        let l = Layout::new(vec![100.0; 100]);
        assert_eq!(l.visible(0.0, 250.0, 0.0), 0..3);
        assert_eq!(l.visible(250.0, 450.0, 0.0), 2..5);
        assert_eq!(l.visible(250.0, 450.0, 100.0), 1..6);
        // Past the end: clamped, never out of range.
        assert_eq!(l.visible(9_950.0, 20_000.0, 0.0), 99..100);
        assert_eq!(l.visible(50_000.0, 60_000.0, 0.0), 99..100);
        assert_eq!(Layout::new(vec![]).visible(0.0, 100.0, 50.0), 0..0);
        // Regression: the default layout panicked on its first offset.
        assert_eq!(Layout::default().offset(0), 0.0);
        assert_eq!(Layout::default().total(), 0.0);
    }

    #[test]
    fn measured_heights_shift_what_follows() {
        let mut l = Layout::new(vec![100.0; 10]);
        assert!(l.set_heights([(0, 300.0), (99, 5.0)]));
        assert_eq!(l.offset(1), 300.0);
        assert_eq!(l.total(), 1200.0);
        assert_eq!(l.row_at(299.0), 0);
        assert_eq!(l.row_at(300.0), 1);
        // Jitter below half a pixel is not a change.
        assert!(!l.set_heights([(0, 300.2)]));
        assert!(!l.set_heights([(1, f64::NAN)]));
    }

    #[test]
    fn zero_height_rows_do_not_trap_the_search() {
        let l = Layout::new(vec![0.0, 0.0, 50.0, 0.0, 50.0]);
        assert_eq!(l.row_at(0.0), 2);
        assert_eq!(l.row_at(60.0), 4);
        assert_eq!(l.visible(0.0, 10.0, 0.0), 2..3);
    }

    #[test]
    fn a_jump_mounts_the_screen_only_until_a_step_lands_among_mounted_rows() {
        let l = Layout::new(vec![100.0; 1000]);
        let mut m = Mounting::default();
        m.range(&l, (0.0, 300.0), 200.0, 1, None, |_| false);
        assert!(m.widen(1));
        let first = m.range(&l, (0.0, 300.0), 200.0, 1, None, |_| false);
        assert_eq!(first, 0..6);
        // A small step: margins.
        let step = m.range(&l, (100.0, 400.0), 200.0, 1, Some(&first), |_| false);
        assert_eq!(step, 0..7);
        // A jump: the screen only, also when its rows are measured (the
        // same viewport, a new layout).
        let jump = m.range(&l, (50_000.0, 50_300.0), 200.0, 1, Some(&step), |_| false);
        assert_eq!(jump, 500..504);
        let measured = Layout::new(vec![90.0; 1000]);
        let same = m.range(
            &measured,
            (50_000.0, 50_300.0),
            200.0,
            1,
            Some(&jump),
            |_| false,
        );
        assert_eq!(same, 555..559);
        // A step among mounted rows brings the margins back.
        let back = m.range(
            &measured,
            (50_050.0, 50_350.0),
            200.0,
            1,
            Some(&same),
            |_| false,
        );
        assert_eq!(back, 553..562);
    }

    #[test]
    fn a_new_list_mounts_its_screen_first_and_the_margins_once_widened() {
        let l = Layout::new(vec![100.0; 1000]);
        let mut m = Mounting::default();
        // The first list: the screen and a small margin (48 px reaches into
        // the next row).
        let first = m.range(&l, (0.0, 300.0), 200.0, 1, None, |_| false);
        assert_eq!(first, 0..4);
        // Its rows measured at the same viewport: still the screen.
        let measured = Layout::new(vec![90.0; 1000]);
        assert_eq!(
            m.range(&measured, (0.0, 300.0), 200.0, 1, Some(&first), |_| false),
            0..4
        );
        // Widening an older list does nothing; this one's brings the margins.
        assert!(!m.widen(0));
        assert!(m.widen(1));
        assert!(!m.widen(1));
        assert_eq!(
            m.range(&measured, (0.0, 300.0), 200.0, 1, Some(&first), |_| false),
            0..6
        );

        // A new list far down: its screen, then its margins.
        let far = m.range(&l, (50_000.0, 50_300.0), 200.0, 2, Some(&(0..6)), |_| false);
        assert_eq!(far, 499..504);
        assert!(m.widen(2));
        assert_eq!(
            m.range(&l, (50_000.0, 50_300.0), 200.0, 2, Some(&far), |_| false),
            498..506
        );
        // A widened list stays widened when its rows are measured.
        assert_eq!(
            m.range(
                &measured,
                (50_000.0, 50_300.0),
                200.0,
                2,
                Some(&far),
                |_| false
            ),
            553..562
        );
    }

    #[test]
    fn a_new_list_keeps_the_rows_already_mounted_within_its_margins() {
        let l = Layout::new(vec![100.0; 1000]);
        let mut m = Mounting::default();
        // Rows 5 and 9 were mounted (in the previous list): 5 is within the
        // 200 px margin below the screen (rows 0..6), so the range grows to
        // keep it; 9 is beyond the margins and is let go.
        let kept = m.range(&l, (0.0, 300.0), 200.0, 1, Some(&(40..50)), |r| {
            r == 5 || r == 9
        });
        assert_eq!(kept, 0..6);
        // Above the screen too.
        let mut m = Mounting::default();
        let above = m.range(&l, (1_000.0, 1_300.0), 200.0, 1, None, |r| r == 8);
        assert_eq!(above, 8..14);
        // Nothing kept: the screen alone.
        let mut m = Mounting::default();
        assert_eq!(
            m.range(&l, (1_000.0, 1_300.0), 200.0, 1, None, |r| r > 900),
            9..14
        );
    }

    #[test]
    fn a_new_list_that_ends_above_the_viewport_mounts_its_last_screenful() {
        // Scrolled to 50,000 px; the new list is 2,000 px long, so the
        // browser will clamp the scroll near its end: its last screenful,
        // with the full margin above (for the footer below the list).
        let short = Layout::new(vec![100.0; 20]);
        let mut m = Mounting::default();
        let far = (50_000.0, 50_300.0);
        assert_eq!(
            m.range(&short, far, 200.0, 1, Some(&(0..5)), |_| false),
            15..20
        );
        // Ending mid-screen: the same (covers the clamp).
        let mut m = Mounting::default();
        let mid = (1_900.0, 2_200.0);
        assert_eq!(m.range(&short, mid, 200.0, 1, None, |_| false), 15..20);
    }

    #[test]
    fn a_new_list_keeps_to_its_screen_through_steps_until_widened() {
        let l = Layout::new(vec![100.0; 1000]);
        let mut m = Mounting::default();
        // The first list laid out before the viewport is measured, then
        // measured (a step): still the screen only.
        let first = m.range(&l, (0.0, 1000.0), 200.0, 1, None, |_| false);
        assert_eq!(first, 0..11);
        let measured = m.range(&l, (0.0, 300.0), 200.0, 1, Some(&first), |_| false);
        assert_eq!(measured, 0..4);
        // A jump before the paint is a jump; widening does not undo it.
        let far = (50_000.0, 50_300.0);
        let jump = m.range(&l, far, 200.0, 1, Some(&measured), |_| false);
        assert_eq!(jump, 500..504);
        assert!(!m.widen(1));
        assert_eq!(m.range(&l, far, 200.0, 1, Some(&jump), |_| false), 500..504);
        // Otherwise widening brings the margins.
        let mut m = Mounting::default();
        let new = m.range(&l, (0.0, 300.0), 200.0, 1, None, |_| false);
        assert!(m.widen(1));
        assert_eq!(
            m.range(&l, (0.0, 300.0), 200.0, 1, Some(&new), |_| false),
            0..6
        );
    }
}
