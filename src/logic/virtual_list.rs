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

/// Which rows to mount, remembering whether the last scroll step was a
/// jump. A step that lands where none of the mounted rows are (the
/// scrollbar dragged, a far date, a fast fling) mounts the rows on screen
/// only: the margins would be skipped by the next step too. The margins
/// come back with the next step that lands among mounted rows. A layout
/// change at the same viewport (the new rows measured) keeps the jump's
/// range, or it would mount the margins in the same frame after all. A new
/// list is never a jump: its rows are not the mounted ones, and the
/// margins also cover a viewport measured before the list moved.
#[derive(Debug, Clone, Default)]
pub struct Mounting {
    /// The viewport and list of the last call, and whether it was a jump.
    last: Option<((f64, f64), u64, bool)>,
}

impl Mounting {
    /// The rows to mount for the viewport `top..bottom` over `layout`,
    /// which lays out list number `list`; `mounted` is what is mounted now.
    pub fn range(
        &mut self,
        layout: &Layout,
        (top, bottom): (f64, f64),
        overscan: f64,
        list: u64,
        mounted: Option<&Range<usize>>,
    ) -> Range<usize> {
        let on_screen = layout.visible(top, bottom, 0.0);
        let jumped = match self.last {
            Some((_, was_list, _)) if was_list != list => false,
            Some((at, _, jumped)) if at == (top, bottom) => jumped,
            _ => mounted.is_some_and(|m| on_screen.start >= m.end || on_screen.end <= m.start),
        };
        self.last = Some(((top, bottom), list, jumped));
        if jumped {
            on_screen
        } else {
            layout.visible(top, bottom, overscan)
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
        let first = m.range(&l, (0.0, 300.0), 200.0, 1, None);
        assert_eq!(first, 0..6);
        // A small step: margins.
        let step = m.range(&l, (100.0, 400.0), 200.0, 1, Some(&first));
        assert_eq!(step, 0..7);
        // A jump: the screen only, also when its rows are measured (the
        // same viewport, a new layout).
        let jump = m.range(&l, (50_000.0, 50_300.0), 200.0, 1, Some(&step));
        assert_eq!(jump, 500..504);
        let measured = Layout::new(vec![90.0; 1000]);
        let same = m.range(&measured, (50_000.0, 50_300.0), 200.0, 1, Some(&jump));
        assert_eq!(same, 555..559);
        // A step among mounted rows brings the margins back.
        let back = m.range(&measured, (50_050.0, 50_350.0), 200.0, 1, Some(&same));
        assert_eq!(back, 553..562);
        // A new list at the same viewport is never a jump.
        let mut m = Mounting::default();
        let far = m.range(&l, (50_000.0, 50_300.0), 200.0, 1, Some(&(0..5)));
        assert_eq!(far, 500..504);
        assert_eq!(
            m.range(&l, (50_000.0, 50_300.0), 200.0, 2, Some(&far)),
            498..506
        );
    }
}
