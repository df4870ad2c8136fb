//! Loss against optimizer step on a log scale. The axes (cold layer) are redrawn only when the
//! history outgrows them: the step axis doubles, the loss axis spans whole decades.

use super::layered_canvas::{polyline, LayeredCanvas, PlotArea};
use crate::lab::session::Session;
use wasm_bindgen::prelude::*;
use web_sys::Document;

pub struct LossPlot {
    pub canvas: LayeredCanvas,
    area: Option<PlotArea>,
}

/// Axis ranges that hold the history: steps up to a power-of-two multiple of 100, and whole
/// decades of loss (log10).
fn ranges(history: &[(u64, f64)]) -> (f64, f64, f64) {
    let last = history.last().map_or(0, |p| p.0) as f64;
    let mut x_max = 100.0;
    while x_max < last {
        x_max *= 2.0;
    }
    let finite = history
        .iter()
        .map(|p| p.1)
        .filter(|l| l.is_finite() && *l > 0.0);
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), l| {
        (lo.min(l), hi.max(l))
    });
    if !lo.is_finite() {
        return (x_max, -1.0, 1.0);
    }
    let (mut y_lo, mut y_hi) = (lo.log10().floor(), hi.log10().ceil());
    if y_hi <= y_lo {
        y_lo -= 1.0;
        y_hi += 1.0;
    }
    (x_max, y_lo, y_hi)
}

/// Labels whole decades only: 0.01, 0.1, 1, 10, 100, 1000, then 1e4 and beyond.
fn decade_label(v: &f64) -> String {
    let k = v.round();
    if (v - k).abs() > 1e-9 {
        return String::new();
    }
    match k as i32 {
        k @ -2..=3 => format!("{}", 10f64.powi(k)),
        k => format!("1e{k}"),
    }
}

impl LossPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "loss",
            0.26,
            "Training loss against optimizer step, log scale",
        )?;
        Ok(LossPlot { canvas, area: None })
    }

    /// Whether the current axes no longer hold the history.
    pub fn needs_cold(&self, session: &Session) -> bool {
        let Some(area) = &self.area else { return true };
        let (x_max, y_lo, y_hi) = ranges(session.loss_history());
        x_max != area.x.end || y_lo != area.y.start || y_hi != area.y.end
    }

    pub fn draw_cold(&mut self, session: &Session) -> Result<(), String> {
        let (x_max, y_lo, y_hi) = ranges(session.loss_history());
        let area = self.canvas.draw_axes(
            0.0..x_max,
            y_lo..y_hi,
            "optimizer step",
            "loss (log)",
            14.0,
            &decade_label,
        )?;
        self.area = Some(area);
        Ok(())
    }

    pub fn draw_hot(&mut self, session: &Session) {
        self.canvas.clear_hot();
        let Some(area) = &self.area else { return };
        let ctx = &self.canvas.hot_ctx;
        ctx.set_line_width(1.6 * self.canvas.dpr);
        let log_loss = |&(step, loss): &(u64, f64)| {
            (
                step as f64,
                if loss > 0.0 { loss.log10() } else { f64::NAN },
            )
        };
        polyline(
            ctx,
            area,
            session.loss_history().iter().map(log_loss),
            "#5a3e9b",
        );
    }
}
