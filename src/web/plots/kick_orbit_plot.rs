//! The kicked and the unkicked oscillation of "Kick the clock" (`canvas#clock-orbit`): the first
//! state variable against time over several periods, both curves, the moment of the kick, and
//! where the next peaks fall for good after the kick (the unkicked peak and the peak shifted by
//! the measured phase shift). Drawn once per kick (and on resize), not per frame.

use super::layered_canvas::{polyline, LayeredCanvas, PlotArea, FONT};
use crate::web::clock_text::{num, tick};
use wasm_bindgen::prelude::*;
use web_sys::Document;

/// Grey for the unkicked orbit, vermillion for the kicked one (as the kicks on the PRC).
pub const UNKICKED_COLOR: &str = "#7a7a85";
pub const KICKED_COLOR: &str = "#d55e00";

/// The first variable along the unkicked cycle and after a kick, on one time grid.
pub struct KickOrbit {
    /// Times since the cycle's θ = 0.
    pub times: Vec<f64>,
    pub unkicked: Vec<f64>,
    pub kicked: Vec<f64>,
    pub kick_time: f64,
    pub period: f64,
    /// The measured asymptotic shift, in periods (advance > 0).
    pub shift: f64,
    /// The first variable's name.
    pub name: String,
}

pub struct KickOrbitPlot {
    pub canvas: LayeredCanvas,
    shown: Option<KickOrbit>,
    dash: js_sys::Array,
}

impl KickOrbitPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "clock-orbit",
            0.62,
            "The first variable against time, kicked and unkicked, over several periods",
        )?;
        canvas
            .hot
            .set_attribute("data-unkicked-color", UNKICKED_COLOR)?;
        canvas
            .hot
            .set_attribute("data-kicked-color", KICKED_COLOR)?;
        Ok(KickOrbitPlot {
            canvas,
            shown: None,
            dash: js_sys::Array::new(),
        })
    }

    /// Shows a new kick (or none).
    pub fn show(&mut self, orbit: Option<KickOrbit>) {
        self.shown = orbit;
        self.redraw();
    }

    /// Axes and curves (after a kick or a resize).
    pub fn redraw(&mut self) {
        self.canvas.clear_hot();
        let Some(o) = &self.shown else {
            self.draw_empty();
            return;
        };
        let t_end = o.times.last().copied().unwrap_or(1.0);
        let (lo, hi) = o
            .unkicked
            .iter()
            .chain(&o.kicked)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(*v), h.max(*v))
            });
        // Headroom above the peaks for the legend.
        let span = (hi - lo).max(1e-300);
        let y = (lo - 0.08 * span)..(hi + 0.3 * span);
        let x_desc = format!(
            "time t since a peak of {} (T = {})",
            o.name,
            num(o.period, 4)
        );
        let Ok(area) = self
            .canvas
            .draw_axes(0.0..t_end, y.clone(), &x_desc, &o.name, 10.0, &|v| {
                tick(*v, 1.38 * span)
            })
        else {
            return;
        };
        let ctx = &self.canvas.hot_ctx;
        let dpr = self.canvas.dpr;
        if self.dash.length() == 0 {
            self.dash.push(&JsValue::from_f64(5.0 * dpr));
            self.dash.push(&JsValue::from_f64(4.0 * dpr));
        }
        ctx.set_line_width(1.5 * dpr);
        let _ = ctx.set_line_dash(&self.dash);
        let (kx, _) = area.to_px(o.kick_time, y.start);
        ctx.set_stroke_style_str("#1e1e23");
        ctx.begin_path();
        ctx.move_to(kx, area.py.start as f64);
        ctx.line_to(kx, area.py.end as f64);
        ctx.stroke();
        // The last whole period in the window: the unkicked peak there, and where the kicked
        // orbit's peaks fall for good (earlier by the shift for an advance).
        let last = (t_end / o.period).floor() * o.period;
        for (t, color) in [
            (last, UNKICKED_COLOR),
            (last - o.shift * o.period, KICKED_COLOR),
        ] {
            let (x, _) = area.to_px(t, y.start);
            ctx.set_stroke_style_str(color);
            ctx.begin_path();
            ctx.move_to(x, area.py.start as f64);
            ctx.line_to(x, area.py.end as f64);
            ctx.stroke();
        }
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        ctx.set_line_width(2.0 * dpr);
        let times = o.times.iter().copied();
        polyline(
            ctx,
            &area,
            times.clone().zip(o.unkicked.iter().copied()),
            UNKICKED_COLOR,
        );
        polyline(
            ctx,
            &area,
            times.zip(o.kicked.iter().copied()),
            KICKED_COLOR,
        );
        self.legend(&area, o.shift);
    }

    /// Empty axes with a hint, before the first kick.
    fn draw_empty(&self) {
        let area = self.canvas.draw_axes(
            0.0..1.0,
            0.0..1.0,
            "time since a peak",
            "first variable",
            10.0,
            &|v| tick(*v, 1.0),
        );
        if let (Ok(area), Ok(ctx)) = (area, self.canvas.cold_context()) {
            let (x, y) = area.to_px(0.05, 0.5);
            ctx.set_fill_style_str("#5b5b66");
            let _ = ctx.fill_text(
                "After a kick: the kicked and the unkicked oscillation.",
                x,
                y,
            );
        }
    }

    /// The legend along the top of the plotting area.
    fn legend(&self, area: &PlotArea, shift: f64) {
        let ctx = &self.canvas.hot_ctx;
        let dpr = self.canvas.dpr;
        ctx.set_font(&format!("{}px {FONT}", self.canvas.font(12.0)));
        let (start, end) = (area.px.start as f64 + 8.0 * dpr, area.px.end as f64);
        let mut x = start;
        let mut y = area.py.start as f64 + 14.0 * dpr;
        let kicked = format!(
            "kicked ({} {} periods)",
            if shift >= 0.0 { "advanced" } else { "delayed" },
            num(shift.abs(), 2)
        );
        for (color, text) in [
            (UNKICKED_COLOR, "unkicked"),
            (KICKED_COLOR, kicked.as_str()),
        ] {
            let width = 22.0 * dpr + ctx.measure_text(text).map_or(80.0, |m| m.width());
            if x > start && x + width > end {
                // Too wide for one line (large text): this entry goes on a line of its own.
                x = start;
                y += self.canvas.font(16.0);
            }
            ctx.set_stroke_style_str(color);
            ctx.begin_path();
            ctx.move_to(x, y - 4.0 * dpr);
            ctx.line_to(x + 18.0 * dpr, y - 4.0 * dpr);
            ctx.stroke();
            ctx.set_fill_style_str("#1e1e23");
            let _ = ctx.fill_text(text, x + 22.0 * dpr, y);
            x += width + 14.0 * dpr;
        }
    }
}
