//! The Fit panel's plots. [`FitOrbitPlot`]: the observations against time as given (years for
//! the lynx–hare series) on the cold layer, and the orbit of the fit on the hot layer, redrawn
//! as the fit moves. [`ResidualPlot`]: the residuals of the finished fit against time, on the
//! cold layer only.

use super::layered_canvas::{padded, polyline, LayeredCanvas, PlotArea};
use ndarray::Array2;
use std::ops::Range;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, Document};

/// Okabe–Ito vermillion and blue: the prey's and the predator's colours (points and curves).
pub const VARIABLE_COLORS: [&str; 2] = ["#d55e00", "#0072b2"];

/// The observations and how to label them.
pub struct Observed<'a> {
    pub times: &'a [f64],
    /// n × m (m ≤ 2 are drawn).
    pub values: &'a Array2<f64>,
    /// A name per column, e.g. "hare (prey, x)".
    pub names: [&'a str; 2],
    pub time_label: &'a str,
}

/// Min and max of the finite values of `values`.
fn extent<'a>(values: impl IntoIterator<Item = &'a f64>) -> (f64, f64) {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// The time axis: the data's times as given, padded a little.
fn time_range(times: &[f64]) -> Range<f64> {
    let (lo, hi) = extent(times);
    padded(lo, hi, 0.02)
}

/// Filled dots at `points` (data coordinates) in `color`.
fn dots(
    ctx: &CanvasRenderingContext2d,
    area: &PlotArea,
    points: impl Iterator<Item = (f64, f64)>,
    r: f64,
    color: &str,
) {
    ctx.set_fill_style_str(color);
    ctx.begin_path();
    for (x, y) in points {
        let (px, py) = area.to_px(x, y);
        ctx.move_to(px + r, py);
        let _ = ctx.arc(px, py, r, 0.0, std::f64::consts::TAU);
    }
    ctx.fill();
}

/// A legend in the plot's top left corner: a swatch and a name per variable.
fn legend(canvas: &LayeredCanvas, area: &PlotArea, names: &[&str]) -> Result<(), String> {
    let ctx = canvas.cold_context()?;
    let dpr = canvas.dpr;
    let mut x = area.px.start as f64 + 8.0 * dpr;
    let y = area.py.start as f64 + 14.0 * dpr;
    for (name, color) in names.iter().zip(VARIABLE_COLORS) {
        ctx.set_fill_style_str(color);
        ctx.fill_rect(x, y - 6.0 * dpr, 14.0 * dpr, 4.0 * dpr);
        ctx.set_fill_style_str("#1e1e23");
        let _ = ctx.fill_text(name, x + 18.0 * dpr, y);
        x += 30.0 * dpr + ctx.measure_text(name).map_or(80.0, |m| m.width());
    }
    Ok(())
}

/// Observations and the fit's orbit against time.
pub struct FitOrbitPlot {
    pub canvas: LayeredCanvas,
    area: Option<PlotArea>,
}

impl FitOrbitPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "fit-orbit",
            0.5,
            "The observations against time (dots) and the orbit of the fit (lines)",
        )?;
        canvas
            .hot
            .set_attribute("data-prey-color", VARIABLE_COLORS[0])?;
        canvas
            .hot
            .set_attribute("data-predator-color", VARIABLE_COLORS[1])?;
        Ok(FitOrbitPlot { canvas, area: None })
    }

    /// Axes that fit the observations, and the observations as dots.
    pub fn draw_cold(&mut self, data: &Observed) -> Result<(), String> {
        let (lo, hi) = extent(data.values.iter());
        let lo = if lo >= 0.0 { 0.0 } else { lo };
        let y = padded(lo, hi, 0.06);
        let y = if lo == 0.0 { 0.0..y.end } else { y };
        let area = self.canvas.draw_axes(
            time_range(data.times),
            y,
            data.time_label,
            "observed and fitted",
            10.0,
            &|v| format!("{v}"),
        )?;
        let ctx = self.canvas.cold_context()?;
        let r = 3.0 * self.canvas.dpr;
        for (j, color) in VARIABLE_COLORS.iter().enumerate().take(data.values.ncols()) {
            let points = data.times.iter().zip(data.values.column(j));
            dots(&ctx, &area, points.map(|(&t, &v)| (t, v)), r, color);
        }
        legend(&self.canvas, &area, &data.names)?;
        self.canvas.publish_area(&area);
        self.area = Some(area);
        Ok(())
    }

    /// The orbit `curve` (n × `dim`, row-major) at `times`, one line per observed variable
    /// (the first `observed` states), clipped to the plot; nothing when `curve` is empty.
    pub fn draw_hot(&self, times: &[f64], curve: &[f64], dim: usize, observed: usize) {
        self.canvas.clear_hot();
        let Some(area) = &self.area else { return };
        if dim == 0 || curve.len() != times.len() * dim {
            return;
        }
        let ctx = &self.canvas.hot_ctx;
        ctx.save();
        ctx.begin_path();
        ctx.rect(
            area.px.start as f64,
            area.py.start as f64,
            area.width(),
            area.height(),
        );
        ctx.clip();
        ctx.set_line_width(2.0 * self.canvas.dpr);
        for (j, color) in VARIABLE_COLORS.iter().enumerate().take(observed.min(dim)) {
            let points = times
                .iter()
                .zip(curve.chunks_exact(dim))
                .map(|(&t, row)| (t, row[j]));
            polyline(ctx, area, points, color);
        }
        ctx.restore();
    }
}

/// Residuals of the fit against time.
pub struct ResidualPlot {
    pub canvas: LayeredCanvas,
}

impl ResidualPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "fit-residuals",
            0.42,
            "Residuals of the fit against time",
        )?;
        Ok(ResidualPlot { canvas })
    }

    /// `residuals` (one row per time, one value per observed variable) against `times`, with
    /// the zero line; `y_label` names the scale (log or linear).
    pub fn draw(
        &mut self,
        times: &[f64],
        residuals: &[Vec<f64>],
        y_label: &str,
        time_label: &str,
    ) -> Result<(), String> {
        self.canvas.fit(); // its figure may just have been shown
        let (lo, hi) = extent(residuals.iter().flatten());
        let m = lo.abs().max(hi.abs()).max(1e-12) * 1.15;
        let area =
            self.canvas
                .draw_axes(time_range(times), -m..m, time_label, y_label, 10.0, &|v| {
                    format!("{v:.2}")
                })?;
        self.canvas.clear_hot();
        let ctx = self.canvas.cold_context()?;
        let dpr = self.canvas.dpr;
        ctx.set_line_width(dpr);
        polyline(
            &ctx,
            &area,
            [(area.x.start, 0.0), (area.x.end, 0.0)],
            "#9a9aa3",
        );
        let columns = residuals.first().map_or(0, Vec::len);
        for (j, color) in VARIABLE_COLORS.iter().enumerate().take(columns) {
            let points = || times.iter().zip(residuals).map(move |(&t, r)| (t, r[j]));
            ctx.set_line_width(dpr);
            polyline(&ctx, &area, points(), color);
            dots(&ctx, &area, points(), 2.6 * dpr, color);
        }
        self.canvas.publish_area(&area);
        Ok(())
    }

    /// Clears the plot (no fit).
    pub fn clear(&self) {
        let (w, h) = self.canvas.size();
        if let Ok(ctx) = self.canvas.cold_context() {
            ctx.clear_rect(0.0, 0.0, w, h);
        }
        self.canvas.clear_hot();
    }
}
