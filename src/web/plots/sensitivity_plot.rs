//! The paper's Figure 5, live and generalised: attention and the chosen sensitivity measure
//! (∂V/∂n, FTLE or normal growth) against time, each min–max normalised, with argmax attention
//! and argmin of the measure marked. Cold layer: axes and legend. Hot layer: both curves and the
//! markers. The canvas keeps the id `normal-derivative` (and `data-dvdn-color`) from the paper's
//! figure, whatever the measure.

use super::layered_canvas::{polyline, LayeredCanvas, PlotArea};
use crate::analysis::metrics::flat_to_rounding;
use crate::analysis::metrics::{argmax, argmin, is_constant};
use crate::lab::canvas_descriptions::measure_legend;
use crate::lab::colormap::normalise_min_max;
use crate::lab::session::Session;
use wasm_bindgen::prelude::*;
use web_sys::Document;

/// Okabe–Ito orange and blue: distinguishable with every common colour-vision deficiency.
pub const ATTENTION_COLOR: &str = "#e69f00";
pub const DVDN_COLOR: &str = "#0072b2";

pub struct SensitivityPlot {
    pub canvas: LayeredCanvas,
    area: Option<PlotArea>,
    dvdn_normalised: Vec<f64>,
    attention_normalised: Vec<f64>,
    /// The measure is constant along the run up to rounding: it has no minimum to mark.
    measure_flat: bool,
    dash: js_sys::Array,
    /// The sample under the keyboard cursor, marked with a line and two dots.
    pub cursor: Option<usize>,
}

impl SensitivityPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "normal-derivative",
            0.78,
            "Attention and the sensitivity measure against time, each min-max normalised",
        )?;
        canvas
            .hot
            .set_attribute("data-attention-color", ATTENTION_COLOR)?;
        canvas.hot.set_attribute("data-dvdn-color", DVDN_COLOR)?;
        Ok(SensitivityPlot {
            canvas,
            area: None,
            dvdn_normalised: Vec::new(),
            attention_normalised: Vec::new(),
            measure_flat: false,
            dash: js_sys::Array::new(),
            cursor: None,
        })
    }

    pub fn draw_cold(&mut self, session: &Session) -> Result<(), String> {
        // The times as given: 0 to t_end simulated, the data's own (1900–1920) imported.
        let t_start = session.times().first().copied().unwrap_or(0.0);
        let t_end = session.times().last().copied().unwrap_or(1.0);
        let y_desc = self.canvas.fitting_y_desc(
            &[
                "min–max normalised: (v − min)/(max − min)",
                "(v − min)/(max − min)",
                "normalised",
            ],
            14.0,
        );
        let measure = session.config().measure;
        let legend = measure_legend(measure, session.config().tau);
        // A measure constant up to rounding is drawn flat at 0.5, and says so.
        let flat = flat_to_rounding(session.sensitivity()).is_some();
        self.measure_flat = flat;
        let legend = if flat {
            format!("{legend}: constant, cannot be measured")
        } else {
            legend
        };
        let _ = self
            .canvas
            .hot
            .set_attribute("data-measure-flat", if flat { "true" } else { "false" });
        let entries = [
            (ATTENTION_COLOR, "attention a_t"),
            (DVDN_COLOR, legend.as_str()),
        ];
        let ctx = self.canvas.cold_context()?;
        let dpr = self.canvas.dpr;
        let width = |text: &str| 22.0 * dpr + ctx.measure_text(text).map_or(80.0, |m| m.width());
        let one_line: f64 = entries.iter().map(|(_, t)| width(t) + 16.0 * dpr).sum();
        // On a narrow plot the legend takes two lines, in more headroom above 1.
        let two_lines = one_line > self.canvas.data_width(14.0);
        let area = self.canvas.draw_axes(
            t_start..t_end,
            -0.05..if two_lines { 1.45 } else { 1.25 },
            "time t",
            y_desc,
            14.0,
            &|v| {
                if *v > 1.001 {
                    String::new()
                } else {
                    format!("{v:.1}")
                }
            },
        )?;
        normalise_min_max(session.sensitivity(), &mut self.dvdn_normalised);
        let label = format!("Attention and {legend} against time, each min-max normalised");
        let _ = self.canvas.hot.set_attribute("aria-label", &label);
        // Legend, in the headroom above 1 (plotters left its own text state on the context).
        let ctx = self.canvas.cold_context()?;
        let line = self.canvas.font(16.0);
        let (x0, mut y0) = area.to_px(t_start, 1.16);
        if two_lines {
            y0 = area.py.start as f64 + 0.9 * line;
        }
        let mut x = x0 + 8.0 * dpr;
        for (k, (color, text)) in entries.into_iter().enumerate() {
            if two_lines && k > 0 {
                x = x0 + 8.0 * dpr;
                y0 += line;
            }
            ctx.set_stroke_style_str(color);
            ctx.set_line_width(2.5 * dpr);
            ctx.begin_path();
            ctx.move_to(x, y0);
            ctx.line_to(x + 18.0 * dpr, y0);
            ctx.stroke();
            ctx.set_fill_style_str("#1e1e23");
            let _ = ctx.fill_text(text, x + 22.0 * dpr, y0 + 4.0 * dpr);
            x += 22.0 * dpr + ctx.measure_text(text).map_or(80.0, |m| m.width()) + 16.0 * dpr;
        }
        self.canvas.publish_area(&area);
        self.area = Some(area);
        Ok(())
    }

    pub fn draw_hot(&mut self, session: &Session, attention: &[f64]) {
        self.canvas.clear_hot();
        let Some(area) = &self.area else { return };
        let ctx = &self.canvas.hot_ctx;
        let times = session.times();
        let dpr = self.canvas.dpr;
        normalise_min_max(attention, &mut self.attention_normalised);
        ctx.set_line_width(1.8 * dpr);
        // Attention first: it is jagged, and the smooth reference curve must stay readable on top.
        polyline(
            ctx,
            area,
            times
                .iter()
                .copied()
                .zip(self.attention_normalised.iter().copied()),
            ATTENTION_COLOR,
        );
        polyline(
            ctx,
            area,
            times
                .iter()
                .copied()
                .zip(self.dvdn_normalised.iter().copied()),
            DVDN_COLOR,
        );
        // Markers: dashed verticals at argmax attention and argmin of the measure (none for a
        // measure constant up to rounding).
        let uniform = is_constant(attention);
        let marks = [
            (
                if uniform { None } else { argmax(attention) },
                ATTENTION_COLOR,
            ),
            (
                if self.measure_flat {
                    None
                } else {
                    argmin(session.sensitivity())
                },
                DVDN_COLOR,
            ),
        ];
        if self.dash.length() == 0 {
            self.dash.push(&JsValue::from_f64(5.0 * dpr));
            self.dash.push(&JsValue::from_f64(4.0 * dpr));
        }
        let _ = ctx.set_line_dash(&self.dash);
        for (index, color) in marks {
            if let Some(i) = index {
                let (x, _) = area.to_px(times[i], 0.0);
                ctx.set_stroke_style_str(color);
                ctx.begin_path();
                // From just above 1, under the legend.
                ctx.move_to(x, area.to_px(0.0, 1.08).1);
                ctx.line_to(x, area.py.end as f64);
                ctx.stroke();
            }
        }
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        self.draw_cursor(times);
    }

    /// The keyboard cursor: a solid line at its time and a dot on each curve.
    fn draw_cursor(&self, times: &[f64]) {
        let (Some(area), Some(i)) = (&self.area, self.cursor) else {
            return;
        };
        if i >= times.len() {
            return;
        }
        let ctx = &self.canvas.hot_ctx;
        let dpr = self.canvas.dpr;
        let (x, _) = area.to_px(times[i], 0.0);
        ctx.set_stroke_style_str("#1d1d1f");
        ctx.set_line_width(1.5 * dpr);
        ctx.begin_path();
        ctx.move_to(x, area.py.start as f64);
        ctx.line_to(x, area.py.end as f64);
        ctx.stroke();
        for (values, color) in [
            (&self.attention_normalised, ATTENTION_COLOR),
            (&self.dvdn_normalised, DVDN_COLOR),
        ] {
            if let Some(v) = values.get(i).filter(|v| v.is_finite()) {
                let (_, y) = area.to_px(times[i], *v);
                ctx.set_fill_style_str(color);
                ctx.begin_path();
                let _ = ctx.arc(x, y, 4.0 * dpr, 0.0, std::f64::consts::TAU);
                ctx.fill();
                ctx.stroke();
            }
        }
    }
}
