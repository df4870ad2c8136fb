//! The perturbation experiment's canvas (`#perturbation`): ‖deviation(t)‖ after a kick along the
//! orbit normal at the highest- and lowest-attention points (and at a clicked point), log scale,
//! with the ratio and ΔV reported in `#perturbation-result`. Drawn once per experiment, not per
//! frame.

use super::layered_canvas::{polyline, LayeredCanvas};
use crate::experiments::perturbation::{Perturbation, PerturbationExperiment};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

/// Okabe–Ito vermillion and bluish green, plus grey for a clicked point.
pub const HIGH_COLOR: &str = "#d55e00";
pub const LOW_COLOR: &str = "#009e73";
pub const CLICKED_COLOR: &str = "#555555";

pub struct PerturbationPlot {
    pub canvas: LayeredCanvas,
    pub result: HtmlElement,
    experiment: Option<PerturbationExperiment>,
    clicked: Option<Perturbation>,
}

fn sci(v: f64) -> String {
    format!("{v:.3e}")
}

impl PerturbationPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "perturbation",
            0.42,
            "Deviation after a kick along the orbit normal at the highest- and lowest-attention points",
        )?;
        canvas.hot.set_attribute("data-high-color", HIGH_COLOR)?;
        canvas.hot.set_attribute("data-low-color", LOW_COLOR)?;
        let result: HtmlElement = document.create_element("p")?.dyn_into()?;
        result.set_id("perturbation-result");
        result.set_text_content(Some(
            "Press \"Perturb\" to kick the clean state by ε along the orbit normal at the highest- and lowest-attention points, or click a dot on the phase portrait.",
        ));
        Ok(PerturbationPlot {
            canvas,
            result,
            experiment: None,
            clicked: None,
        })
    }

    /// Shows a new experiment (or why there is none), replacing any clicked point.
    pub fn show(&mut self, experiment: Result<PerturbationExperiment, String>) {
        self.clicked = None;
        for k in [
            "data-skipped",
            "data-ratio",
            "data-delta-v-high",
            "data-delta-v-low",
            "data-delta-v-first-order-high",
            "data-delta-v-first-order-low",
        ] {
            let _ = self.result.remove_attribute(k);
        }
        match experiment {
            Ok(e) => {
                let set = |k: &str, v: Option<f64>| {
                    let _ = self
                        .result
                        .set_attribute(k, &v.map_or(String::new(), |v| v.to_string()));
                };
                let (hi, lo) = (e.high_attention.as_ref(), e.low_attention.as_ref());
                set("data-ratio", e.ratio_low_over_high);
                let skipped: Vec<&str> = e.skipped.iter().map(|s| s.point).collect();
                let _ = self
                    .result
                    .set_attribute("data-skipped", &skipped.join(","));
                set("data-delta-v-high", hi.and_then(|p| p.delta_v));
                set("data-delta-v-low", lo.and_then(|p| p.delta_v));
                set(
                    "data-delta-v-first-order-high",
                    hi.and_then(|p| p.delta_v_first_order),
                );
                set(
                    "data-delta-v-first-order-low",
                    lo.and_then(|p| p.delta_v_first_order),
                );
                self.result
                    .set_text_content(Some(&experiment_text(&e, hi, lo)));
                self.experiment = Some(e);
            }
            Err(why) => {
                self.experiment = None;
                self.result
                    .set_text_content(Some(&format!("No perturbation: {why}.")));
            }
        }
        self.redraw();
    }

    /// Adds the curve of a kick at a clicked point; `n` is the number of observations.
    pub fn show_clicked(&mut self, p: Result<Perturbation, String>, n: usize) {
        match p {
            Ok(p) => {
                let dv = p
                    .delta_v
                    .map_or(String::new(), |v| format!(", ΔV = {}", sci(v)));
                self.result.set_text_content(Some(&format!(
                    "Clicked point (t = {:.2}, attention × N = {:.4}): deviation {} after {:.2} time units{dv}.",
                    p.t,
                    p.attention * n as f64,
                    sci(p.final_deviation()),
                    p.times.last().copied().unwrap_or(0.0)
                )));
                self.clicked = Some(p);
            }
            Err(why) => self
                .result
                .set_text_content(Some(&format!("No perturbation at that point: {why}."))),
        }
        self.redraw();
    }

    fn curves(&self) -> Vec<(&Perturbation, &'static str)> {
        let mut out = Vec::new();
        if let Some(e) = &self.experiment {
            out.extend(e.high_attention.as_ref().map(|p| (p, HIGH_COLOR)));
            out.extend(e.low_attention.as_ref().map(|p| (p, LOW_COLOR)));
        }
        if let Some(p) = &self.clicked {
            out.push((p, CLICKED_COLOR));
        }
        out
    }

    /// Axes and curves (after a new experiment or a resize).
    pub fn redraw(&mut self) {
        self.canvas.clear_hot();
        let curves = self.curves();
        let horizon = curves
            .iter()
            .filter_map(|(p, _)| p.times.last().copied())
            .fold(1.0_f64, f64::max);
        let logs = curves
            .iter()
            .flat_map(|(p, _)| p.deviation.iter().filter(|d| **d > 0.0).map(|d| d.log10()));
        let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
        let (y_lo, y_hi) = if lo.is_finite() {
            (lo.floor(), hi.ceil().max(lo.floor() + 1.0))
        } else {
            (-4.0, 0.0)
        };
        let y_desc = self
            .canvas
            .fitting_y_desc(&["‖deviation‖ (log)", "‖deviation‖"], 10.0);
        let area = match self.canvas.draw_axes(
            0.0..horizon,
            y_lo..y_hi,
            "time after the kick",
            y_desc,
            10.0,
            &|v| {
                if (v - v.round()).abs() < 1e-9 {
                    format!("1e{}", v.round())
                } else {
                    String::new()
                }
            },
        ) {
            Ok(a) => a,
            Err(_) => return,
        };
        let ctx = &self.canvas.hot_ctx;
        ctx.set_line_width(2.0 * self.canvas.dpr);
        for (p, color) in curves {
            let log_dev = p
                .deviation
                .iter()
                .map(|&d| if d > 0.0 { d.log10() } else { f64::NAN });
            polyline(ctx, &area, p.times.iter().copied().zip(log_dev), color);
        }
    }
}

/// The result line of an experiment: each kick that was made, each that was skipped and why,
/// and the ratio when both were made.
fn experiment_text(
    e: &PerturbationExperiment,
    hi: Option<&Perturbation>,
    lo: Option<&Perturbation>,
) -> String {
    let dv = |p: &Perturbation| match (p.delta_v, p.delta_v_first_order) {
        (Some(a), Some(b)) => format!(", ΔV = {} (ε·∂V/∂n = {})", sci(a), sci(b)),
        _ => String::new(),
    };
    let mut parts = vec![format!(
        "Kick ε = {} along n, followed for {:.2} time units.",
        e.epsilon, e.horizon
    )];
    for (label, p) in [("Highest attention", hi), ("Lowest attention", lo)] {
        if let Some(p) = p {
            parts.push(format!(
                "{label} (t = {:.2}): deviation {}{}.",
                p.t,
                sci(p.final_deviation()),
                dv(p)
            ));
        }
    }
    for s in &e.skipped {
        let label = match s.point {
            "high-attention" => "Highest attention",
            "low-attention" => "Lowest attention",
            other => other,
        };
        parts.push(format!("{label} (t = {:.2}): skipped, {}.", s.t, s.reason));
    }
    if let Some(ratio) = e.ratio_low_over_high {
        let reading = if ratio > 1.0 {
            "the kick where attention is lowest grew more"
        } else {
            "the kick where attention is highest grew more"
        };
        parts.push(format!("Ratio low/high = {ratio:.3}: {reading}."));
    }
    parts.join(" ")
}
