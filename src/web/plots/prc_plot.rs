//! The phase response curve of "Kick the clock" (`canvas#prc`): Z_k(θ)/T of the kicked variable
//! k against the phase θ, in periods per unit kick, with the advance (Z > 0) and delay (Z < 0)
//! halves shaded and named. The cold layer holds the axes, the shading and the curve (redrawn
//! when the variable, the setting or the measured points change); the hot layer the chosen phase
//! and the kicks measured so far, as shift/ε (on the curve when the kick is small). The canvas
//! is a keyboard slider: its `aria-valuenow` is the chosen θ.

use super::layered_canvas::{padded, polyline, LayeredCanvas, PlotArea};
use crate::measures::phase_response::PhaseResponse;
use crate::web::clock_text::{signed, tick};
use wasm_bindgen::prelude::*;
use web_sys::Document;

/// Okabe–Ito blue (the curve), vermillion (measured kicks) and the shading's green and orange.
pub const CURVE_COLOR: &str = "#0072b2";
pub const KICK_COLOR: &str = "#d55e00";
const ADVANCE_FILL: &str = "rgba(0, 158, 115, 0.10)";
const DELAY_FILL: &str = "rgba(213, 94, 0, 0.08)";
const ADVANCE_INK: &str = "#006b4f";
const DELAY_INK: &str = "#a04000";

pub struct PrcPlot {
    pub canvas: LayeredCanvas,
    area: Option<PlotArea>,
    /// (θ, Z_k/T) on the grid, closed with θ = 1.
    curve: Vec<(f64, f64)>,
    /// Measured kicks at the current variable and size: (θ, shift/ε).
    pub dots: Vec<(f64, f64)>,
    /// The chosen phase index on the grid.
    pub selected: usize,
    /// The kicked variable's name, for the labels.
    name: String,
    /// Why there is no curve, drawn in its place.
    empty: Option<String>,
}

impl PrcPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "prc",
            0.62,
            "Phase response curve: the phase shift per unit kick against the phase of the kick",
        )?;
        let hot = &canvas.hot;
        hot.set_attribute("data-curve-color", CURVE_COLOR)?;
        hot.set_attribute("data-kick-color", KICK_COLOR)?;
        hot.set_attribute("tabindex", "0")?;
        hot.set_attribute("role", "slider")?;
        hot.set_attribute("aria-valuemin", "0")?;
        hot.set_attribute("aria-valuemax", "1")?;
        Ok(PrcPlot {
            canvas,
            area: None,
            curve: Vec::new(),
            dots: Vec::new(),
            selected: 0,
            name: String::new(),
            empty: Some("Open the panel on a limit-cycle system to compute the PRC.".into()),
        })
    }

    /// Shows Z of variable `k` (named `name`) of `prc`.
    pub fn show(&mut self, prc: &PhaseResponse, k: usize, name: &str) {
        self.curve.clear();
        let n = prc.theta.len();
        self.curve
            .extend((0..=n).map(|j| (j as f64 / n as f64, prc.z[j % n][k] / prc.period)));
        self.name = name.to_string();
        self.empty = None;
        let _ = self.canvas.hot.remove_attribute("aria-disabled");
    }

    /// No curve: says `why` on the canvas.
    pub fn show_empty(&mut self, why: &str) {
        self.curve.clear();
        self.dots.clear();
        self.empty = Some(why.to_string());
        let _ = self.canvas.hot.set_attribute("aria-disabled", "true");
        let _ = self.canvas.hot.set_attribute("aria-valuetext", why);
    }

    /// The phase under a CSS-pixel position, if it is over the plotting area's width.
    pub fn theta_at(&self, css_x: f64) -> Option<f64> {
        let area = self.area.as_ref()?;
        let px = css_x * self.canvas.dpr;
        let f = (px - area.px.start as f64) / area.width();
        (-0.02..=1.02).contains(&f).then(|| f.clamp(0.0, 1.0))
    }

    /// Axes, shading, labels and the curve.
    pub fn draw_cold(&mut self) -> Result<(), String> {
        let values = self.curve.iter().chain(&self.dots).map(|p| p.1);
        let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(l, h), v| (l.min(v), h.max(v)));
        // Headroom above and below for the advance and delay labels.
        let y = padded(lo, hi, 0.16);
        let span = y.end - y.start;
        let y_desc = match self.empty {
            Some(_) => "Z/T".to_string(),
            None => format!("Z/T per unit of {}", self.name),
        };
        let area = self.canvas.draw_axes(
            0.0..1.0,
            y.clone(),
            "phase θ of the kick",
            &y_desc,
            10.0,
            &|v| tick(*v, span),
        )?;
        let ctx = self.canvas.cold_context()?;
        let dpr = self.canvas.dpr;
        let (left, zero) = area.to_px(0.0, 0.0f64.clamp(y.start, y.end));
        let (top, bottom) = (area.py.start as f64, area.py.end as f64);
        let width = area.width();
        if let Some(why) = &self.empty {
            ctx.set_fill_style_str("#5b5b66");
            let _ = ctx.fill_text(why, left + 8.0 * dpr, top + 0.5 * (bottom - top));
        } else {
            ctx.set_fill_style_str(ADVANCE_FILL);
            ctx.fill_rect(left, top, width, zero - top);
            ctx.set_fill_style_str(DELAY_FILL);
            ctx.fill_rect(left, zero, width, bottom - zero);
            let labels = [
                (ADVANCE_INK, "advance (Z > 0)", top + 16.0 * dpr),
                (DELAY_INK, "delay (Z < 0)", bottom - 8.0 * dpr),
            ];
            for (ink, text, y_px) in labels {
                ctx.set_fill_style_str(ink);
                let _ = ctx.fill_text(text, left + 8.0 * dpr, y_px);
            }
            ctx.set_stroke_style_str("#9a9aa3");
            ctx.begin_path();
            ctx.move_to(left, zero);
            ctx.line_to(left + width, zero);
            ctx.stroke();
            ctx.set_line_width(2.2 * dpr);
            polyline(&ctx, &area, self.curve.iter().copied(), CURVE_COLOR);
        }
        let css = |px: i32| (px as f64 / dpr).to_string();
        let _ = self
            .canvas
            .hot
            .set_attribute("data-plot-left", &css(area.px.start));
        let _ = self
            .canvas
            .hot
            .set_attribute("data-plot-right", &css(area.px.end));
        self.area = Some(area);
        Ok(())
    }

    /// The chosen phase and the measured kicks.
    pub fn draw_hot(&self) {
        self.canvas.clear_hot();
        let (Some(area), Some(&(theta, z))) = (&self.area, self.curve.get(self.selected)) else {
            return;
        };
        let ctx = &self.canvas.hot_ctx;
        let dpr = self.canvas.dpr;
        let (x, y) = area.to_px(theta, z);
        ctx.set_line_width(1.2 * dpr);
        ctx.set_stroke_style_str("#1e1e23");
        ctx.begin_path();
        ctx.move_to(x, area.py.start as f64);
        ctx.line_to(x, area.py.end as f64);
        ctx.stroke();
        ctx.set_fill_style_str(CURVE_COLOR);
        ctx.begin_path();
        let _ = ctx.arc(x, y, 5.0 * dpr, 0.0, std::f64::consts::TAU);
        ctx.fill();
        ctx.set_fill_style_str(KICK_COLOR);
        for &(t, v) in &self.dots {
            let (px, py) = area.to_px(t, v);
            ctx.begin_path();
            let _ = ctx.arc(px, py, 4.0 * dpr, 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
    }

    /// The slider's value for assistive technology: θ and Z/T there.
    pub fn describe_selection(&self) {
        if let Some(&(theta, z)) = self.curve.get(self.selected) {
            let hot = &self.canvas.hot;
            let _ = hot.set_attribute("aria-valuenow", &format!("{theta:.2}"));
            let _ = hot.set_attribute(
                "aria-valuetext",
                &format!(
                    "θ = {theta:.2}, Z/T = {} periods per unit of {}: {}",
                    signed(z, 3),
                    self.name,
                    if z >= 0.0 { "advance" } else { "delay" }
                ),
            );
        }
    }
}
