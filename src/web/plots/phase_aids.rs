//! The phase-plane aids the phase portrait can draw on its cold layer, each toggled from the
//! tools panel: a direction field, the Lotka–Volterra nullclines, and the equilibrium with its
//! type.

use super::layered_canvas::PlotArea;
use crate::dynamics::phase_plane::{classify, direction_field};
use crate::systems::system::System;
use web_sys::CanvasRenderingContext2d;

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

/// The Lotka–Volterra nullclines through the equilibrium `eq`, dashed and labelled.
pub fn draw_nullclines(ctx: &CanvasRenderingContext2d, area: &PlotArea, eq: [f64; 2], dpr: f64) {
    let dash = js_sys::Array::of2(&(6.0 * dpr).into(), &(4.0 * dpr).into());
    let _ = ctx.set_line_dash(&dash);
    ctx.set_line_width(1.5 * dpr);
    ctx.set_stroke_style_str("#7a5195");
    ctx.set_fill_style_str("#7a5195");
    let (nx, _) = area.to_px(eq[0], 0.0);
    let (_, ny) = area.to_px(0.0, eq[1]);
    ctx.begin_path();
    ctx.move_to(nx, area.py.start as f64);
    ctx.line_to(nx, area.py.end as f64);
    ctx.move_to(area.px.start as f64, ny);
    ctx.line_to(area.px.end as f64, ny);
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    let _ = ctx.fill_text(
        "x = γ/δ: dy/dt = 0",
        nx + 4.0 * dpr,
        area.py.start as f64 + 14.0 * dpr,
    );
    ctx.set_text_align("right");
    let _ = ctx.fill_text(
        "y = α/β: dx/dt = 0",
        area.px.end as f64 - 4.0 * dpr,
        ny - 4.0 * dpr,
    );
    ctx.set_text_align("left");
}

/// A cross at the equilibrium `eq`, labelled with its coordinates and, on the phase plane of a
/// 2-D system (`planar`), its type.
pub fn draw_equilibrium(
    ctx: &CanvasRenderingContext2d,
    area: &PlotArea,
    system: &dyn System,
    (eq, planar): ([f64; 2], bool),
    dpr: f64,
) {
    let (ex, ey) = area.to_px(eq[0], eq[1]);
    let r = 6.0 * dpr;
    ctx.set_stroke_style_str("#b4003c");
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
    ctx.set_stroke_style_str("rgba(255, 255, 255, 0.85)");
    ctx.set_line_width(3.0 * dpr);
    let _ = ctx.stroke_text(&label, ex + r + 3.0 * dpr, ey - r);
    ctx.set_fill_style_str("#b4003c");
    let _ = ctx.fill_text(&label, ex + r + 3.0 * dpr, ey - r);
}
