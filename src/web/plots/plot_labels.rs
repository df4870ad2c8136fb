//! Text labels that sit over a plot's data (the equilibrium and the nullclines of the phase
//! portrait): each is placed once, when the cold layer is drawn, at the first corner of its
//! anchor where it lies inside the plotting area and clear of the labels placed before it
//! (wrapped onto two lines when one line does not fit), and drawn on the hot layer over the
//! dots on a white backing, so that neither dots nor the colour bar hide or clip it.

use super::layered_canvas::PlotArea;
use web_sys::CanvasRenderingContext2d;

/// Where a label goes relative to its anchor point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Corner {
    AboveRight,
    BelowRight,
    AboveLeft,
    BelowLeft,
}

/// A placed label: its lines and box (device pixels; `x`, `y` the top-left corner).
#[derive(Debug, Clone, PartialEq)]
pub struct PlotLabel {
    pub lines: Vec<String>,
    pub color: &'static str,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Places labels over one plotting area, measuring text with `ctx`'s current font.
pub struct LabelPlacer<'a> {
    ctx: &'a CanvasRenderingContext2d,
    bounds: (f64, f64, f64, f64),
    /// Height of a line and the padding around the text (device pixels).
    line: f64,
    pad: f64,
    pub placed: Vec<PlotLabel>,
}

impl<'a> LabelPlacer<'a> {
    /// A placer for `area` with text of `font_px` device pixels (the font set on `ctx`).
    pub fn new(ctx: &'a CanvasRenderingContext2d, area: &PlotArea, font_px: f64) -> Self {
        LabelPlacer {
            ctx,
            bounds: (
                area.px.start as f64,
                area.py.start as f64,
                area.px.end as f64,
                area.py.end as f64,
            ),
            line: (font_px * 1.25).ceil(),
            pad: (font_px * 0.25).ceil(),
            placed: Vec::new(),
        }
    }

    fn size(&self, lines: &[&str]) -> (f64, f64) {
        let w = lines
            .iter()
            .map(|l| self.ctx.measure_text(l).map_or(0.0, |m| m.width()))
            .fold(0.0, f64::max);
        (
            w + 2.0 * self.pad,
            self.line * lines.len() as f64 + self.pad,
        )
    }

    fn fits(&self, (x, y, w, h): (f64, f64, f64, f64)) -> bool {
        let (x0, y0, x1, y1) = self.bounds;
        let inside = x >= x0 && y >= y0 && x + w <= x1 && y + h <= y1;
        inside
            && !self
                .placed
                .iter()
                .any(|p| x < p.x + p.w && p.x < x + w && y < p.y + p.h && p.y < y + h)
    }

    /// Places `text` near `anchor` (device pixels), `gap` away, at the first of `corners` where
    /// it fits; else as two lines (split at its last ", "), else three (the first line split
    /// again before " ("), where that fits; at worst in its shortest form at the first corner,
    /// moved inside the area.
    pub fn place(
        &mut self,
        text: &str,
        anchor: (f64, f64),
        gap: f64,
        corners: &[Corner],
        color: &'static str,
    ) {
        let one = [text];
        // Never split inside parentheses: "(2.00, 10.00)" stays whole.
        let two: Option<[&str; 2]> = text
            .rsplit_once(", ")
            .filter(|(_, b)| !b.contains(')'))
            .map(|(a, b)| [a, b]);
        let three: Option<[&str; 3]> = two.and_then(|[a, b]| {
            a.split_once(" (")
                .map(|(head, _)| [head, &a[head.len() + 1..], b])
        });
        let mut options: Vec<&[&str]> = vec![&one];
        if let Some(two) = &two {
            options.push(two);
        }
        if let Some(three) = &three {
            options.push(three);
        }
        let boxed = |lines: &[&str], corner: Corner| {
            let (w, h) = self.size(lines);
            let (ax, ay) = anchor;
            let x = match corner {
                Corner::AboveRight | Corner::BelowRight => ax + gap,
                Corner::AboveLeft | Corner::BelowLeft => ax - gap - w,
            };
            let y = match corner {
                Corner::AboveRight | Corner::AboveLeft => ay - gap - h,
                Corner::BelowRight | Corner::BelowLeft => ay + gap,
            };
            (x, y, w, h)
        };
        let found = options.iter().find_map(|lines| {
            corners
                .iter()
                .map(|&c| boxed(lines, c))
                .find(|&b| self.fits(b))
                .map(|b| (*lines, b))
        });
        let (lines, (x, y, w, h)) = found.unwrap_or_else(|| {
            // Nowhere clear: the shortest form at the first corner, kept inside the area.
            let lines = *options.last().expect("one option at least");
            let (x, y, w, h) = boxed(lines, corners[0]);
            let (x0, y0, x1, y1) = self.bounds;
            (lines, (x.min(x1 - w).max(x0), y.min(y1 - h).max(y0), w, h))
        });
        self.placed.push(PlotLabel {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            color,
            x,
            y,
            w,
            h,
        });
    }
}

/// Draws `labels` on a white backing with `ctx`'s current font (no allocation).
pub fn draw_labels(ctx: &CanvasRenderingContext2d, labels: &[PlotLabel], font_px: f64) {
    let line = (font_px * 1.25).ceil();
    let pad = (font_px * 0.25).ceil();
    ctx.set_text_align("left");
    ctx.set_text_baseline("alphabetic");
    for label in labels {
        ctx.set_fill_style_str("rgba(255, 255, 255, 0.88)");
        ctx.fill_rect(label.x, label.y, label.w, label.h);
        ctx.set_fill_style_str(label.color);
        for (k, text) in label.lines.iter().enumerate() {
            let baseline = label.y + pad + line * (k as f64 + 1.0) - 0.3 * font_px;
            let _ = ctx.fill_text(text, label.x + pad, baseline);
        }
    }
}
