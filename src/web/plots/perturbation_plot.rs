//! The perturbation experiment's canvas (`#perturbation`): ‖deviation(t)‖ after a kick along the
//! orbit normal at the highest- and lowest-attention points (and at a clicked point), log scale,
//! with the ratio and ΔV reported in `#perturbation-result`. Drawn once per experiment, not per
//! frame.

use super::layered_canvas::{polyline, LayeredCanvas};
use crate::experiments::perturbation::{Perturbation, PerturbationExperiment};
use crate::number_text::{fixed, readable};
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
    /// The reason shown after [`PerturbationPlot::clear`], if any.
    shown_why: Option<String>,
}

fn sci(v: f64) -> String {
    crate::number_text::sci(v, 3)
}

/// What the result line says before any experiment on a 2-D system.
const INVITATION: &str = "Press \"Perturb\" to kick the clean state by ε along the orbit normal at the highest- and lowest-attention points, or click a dot on the phase portrait.";

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
        result.set_text_content(Some(INVITATION));
        Ok(PerturbationPlot {
            canvas,
            result,
            experiment: None,
            clicked: None,
            shown_why: None,
        })
    }

    /// Forgets the experiment and any clicked point (their orbit is gone: a new system or new
    /// data) and says what applies now: `why_not`, the reason there is no normal kick, or the
    /// invitation to make one.
    pub fn clear(&mut self, why_not: Option<&str>) {
        if self.experiment.is_none()
            && self.clicked.is_none()
            && self.shown_why == why_not.map(str::to_string)
        {
            return;
        }
        self.experiment = None;
        self.clicked = None;
        self.remove_readings();
        self.result
            .set_text_content(Some(why_not.unwrap_or(INVITATION)));
        self.shown_why = why_not.map(str::to_string);
        self.redraw();
    }

    fn remove_readings(&self) {
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
    }

    /// Shows a new experiment (or why there is none), replacing any clicked point.
    pub fn show(&mut self, experiment: Result<PerturbationExperiment, String>) {
        self.clicked = None;
        self.shown_why = None;
        self.remove_readings();
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
        self.shown_why = None;
        match p {
            Ok(p) => {
                let dv = p
                    .delta_v
                    .map_or(String::new(), |v| format!(", ΔV = {}", sci(v)));
                self.result.set_text_content(Some(&format!(
                    "Clicked point (t = {}, attention × N = {}): deviation {} after {} time units{dv}.",
                    fixed(p.t, 2),
                    fixed(p.attention * n as f64, 4),
                    sci(p.final_deviation()),
                    fixed(p.times.last().copied().unwrap_or(0.0), 2)
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
                    crate::number_text::true_minus(format!("1e{}", v.round()))
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
        "Kick ε = {} along n, followed for {} time units.",
        readable(e.epsilon, 4),
        fixed(e.horizon, 2)
    )];
    for (label, p) in [("Highest attention", hi), ("Lowest attention", lo)] {
        if let Some(p) = p {
            parts.push(format!(
                "{label} (t = {}): deviation {}{}.",
                fixed(p.t, 2),
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
        parts.push(format!(
            "{label} (t = {}): skipped, {}.",
            fixed(s.t, 2),
            s.reason
        ));
    }
    if let Some(ratio) = e.ratio_low_over_high {
        let reading = if ratio > 1.0 {
            "the kick where attention is lowest grew more"
        } else {
            "the kick where attention is highest grew more"
        };
        parts.push(format!("Ratio low/high = {}: {reading}.", fixed(ratio, 3)));
    }
    parts.join(" ")
}
