//! The phase-plane aids the phase portrait can draw on its cold layer, each toggled from the
//! tools panel: a direction field, the Lotka–Volterra nullclines, and the equilibrium with its
//! type.

use super::layered_canvas::PlotArea;
use super::plot_labels::{Corner, LabelPlacer};
use crate::dynamics::phase_plane::{classify, direction_field};
use crate::systems::system::System;
use web_sys::CanvasRenderingContext2d;

/// The nullclines' colour (dashed lines and labels).
const NULLCLINE_COLOR: &str = "#7a5195";
/// The equilibrium's colour (cross and label).
const EQUILIBRIUM_COLOR: &str = "#b4003c";

/// Phase-plane aids drawn on the cold layer, each toggled from the tools panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aids {
    pub direction_field: bool,
    pub nullclines: bool,
    pub equilibrium: bool,
}

impl Default for Aids {
    fn default() -> Self {
        Aids {
            direction_field: false,
            nullclines: false,
            equilibrium: true,
        }
    }
}

/// Arrows along the flow on a grid over the plotting area (2-D systems).
pub fn draw_direction_field(
    ctx: &CanvasRenderingContext2d,
    area: &PlotArea,
    system: &dyn System,
    dpr: f64,
) {
    let cols = 22;
    let rows = ((cols as f64) * area.height() / area.width())
        .round()
        .max(4.0) as usize;
    let cell = area.width() / cols as f64;
    ctx.set_stroke_style_str("rgba(60, 70, 90, 0.45)");
    ctx.set_fill_style_str("rgba(60, 70, 90, 0.45)");
    ctx.set_line_width(1.0 * dpr);
    let field = direction_field(
        system,
        (area.x.start, area.x.end),
        (area.y.start, area.y.end),
        cols,
        rows,
    );
    for [x, y, dx, dy] in field {
        if dx == 0.0 && dy == 0.0 {
            continue;
        }
        let (px, py) = area.to_px(x, y);
        // Arrow along the flow's direction on screen (y grows downward).
        let (ux, uy) = (
            dx * area.width() / (area.x.end - area.x.start),
            -dy * area.height() / (area.y.end - area.y.start),
        );
        let norm = ux.hypot(uy).max(1e-12);
        let (ux, uy) = (ux / norm * cell * 0.32, uy / norm * cell * 0.32);
        ctx.begin_path();
        ctx.move_to(px - ux, py - uy);
        ctx.line_to(px + ux, py + uy);
        ctx.stroke();
        ctx.begin_path();
        ctx.move_to(px + ux, py + uy);
        ctx.line_to(px + ux * 0.45 - uy * 0.35, py + uy * 0.45 + ux * 0.35);
        ctx.line_to(px + ux * 0.45 + uy * 0.35, py + uy * 0.45 - ux * 0.35);
        ctx.fill();
    }
}

/// The Lotka–Volterra nullclines through the equilibrium `eq`, dashed (labelled by
/// [`label_nullclines`]).
pub fn draw_nullclines(ctx: &CanvasRenderingContext2d, area: &PlotArea, eq: [f64; 2], dpr: f64) {
    let dash = js_sys::Array::of2(&(6.0 * dpr).into(), &(4.0 * dpr).into());
    let _ = ctx.set_line_dash(&dash);
    ctx.set_line_width(1.5 * dpr);
    ctx.set_stroke_style_str(NULLCLINE_COLOR);
    let (nx, ny) = area.to_px(eq[0], eq[1]);
    ctx.begin_path();
    ctx.move_to(nx, area.py.start as f64);
    ctx.line_to(nx, area.py.end as f64);
    ctx.move_to(area.px.start as f64, ny);
    ctx.line_to(area.px.end as f64, ny);
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

/// The nullclines' labels: at the top of the vertical one, at the right end of the horizontal
/// one (or the left end where that is taken).
pub fn label_nullclines(placer: &mut LabelPlacer, area: &PlotArea, eq: [f64; 2], dpr: f64) {
    let (nx, ny) = area.to_px(eq[0], eq[1]);
    let gap = 4.0 * dpr;
    let corners = [Corner::BelowRight, Corner::BelowLeft];
    placer.place(
        "x = γ/δ: dy/dt = 0",
        (nx, area.py.start as f64),
        gap,
        &corners,
        NULLCLINE_COLOR,
    );
    placer.place(
        "y = α/β: dx/dt = 0",
        (area.px.end as f64, ny),
        gap,
        &[Corner::AboveLeft, Corner::BelowLeft],
        NULLCLINE_COLOR,
    );
    if placer.placed.last().is_some_and(|l| l.lines.len() > 1) {
        // Crowded at the right end: try the left end of the line.
        placer.placed.pop();
        placer.place(
            "y = α/β: dx/dt = 0",
            (area.px.start as f64, ny),
            gap,
            &[Corner::AboveRight, Corner::BelowRight],
            NULLCLINE_COLOR,
        );
    }
}

/// A cross at the equilibrium `eq`, labelled with its coordinates and, on the phase plane of a
/// 2-D system (`planar`), its type; the label goes where `placer` finds room.
pub fn draw_equilibrium(
    ctx: &CanvasRenderingContext2d,
    area: &PlotArea,
    system: &dyn System,
    (eq, planar): ([f64; 2], bool),
    dpr: f64,
    placer: &mut LabelPlacer,
) {
    let (ex, ey) = area.to_px(eq[0], eq[1]);
    let r = 6.0 * dpr;
    ctx.set_stroke_style_str(EQUILIBRIUM_COLOR);
    ctx.set_line_width(2.0 * dpr);
    ctx.begin_path();
    ctx.move_to(ex - r, ey);
    ctx.line_to(ex + r, ey);
    ctx.move_to(ex, ey - r);
    ctx.line_to(ex, ey + r);
    ctx.stroke();
    let label = if planar {
        format!(
            "equilibrium ({:.2}, {:.2}), {}",
            eq[0],
            eq[1],
            classify(system, eq)
        )
    } else {
        format!("equilibrium ({:.2}, {:.2})", eq[0], eq[1])
    };
    placer.place(
        &label,
        (ex, ey),
        r,
        &[
            Corner::BelowRight,
            Corner::AboveRight,
            Corner::BelowLeft,
            Corner::AboveLeft,
        ],
        EQUILIBRIUM_COLOR,
    );
}
