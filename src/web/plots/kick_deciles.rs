//! Kick growth by attention decile (`#kick-deciles`): every sample of the clean orbit is kicked
//! (infinitesimally, through the tangent-linear map: along the orbit normal in 2-D, in a random
//! direction in 3-D), and the plot shows the median ln growth in each attention decile
//! (1 = lowest attention), one line per horizon. The result line (`#kick-deciles-result`) gives
//! Spearman ρ(attention, growth) per horizon and the log–log slope of the median growth against
//! the horizon, which tells period shear (slope ≈ 1) from other growth. Drawn once per
//! experiment, not per frame.

use super::layered_canvas::{polyline, LayeredCanvas, FONT};
use crate::experiments::kick_response::{DecileTable, KickResponse};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

/// One colour per horizon, shortest first (Okabe–Ito).
pub const HORIZON_COLORS: [&str; 4] = ["#56b4e9", "#0072b2", "#e69f00", "#cc79a7"];
/// A log–log slope this close to 1 reads as growth linear in time.
const LINEAR_SLOPE: f64 = 0.2;

/// What the plot shows of one experiment.
pub struct DecileReading {
    /// The horizons in words ("½ period", "2 τ").
    pub labels: Vec<String>,
    /// Median ln growth per horizon, per decile.
    pub medians: Vec<Vec<Option<f64>>>,
    /// ρ(attention, ln growth) per horizon.
    pub spearman: Vec<Option<f64>>,
    pub slope: Option<f64>,
    /// "normal" (2-D) or "random" (3-D) kicks.
    pub kind: &'static str,
    /// Whether the orbit is a closed orbit of a centre (a conserved V and a period), where
    /// linear growth is period shear.
    pub centre: bool,
}

impl DecileReading {
    /// The reading of `table`, the deciles of `response`; `conserved`: the system has a V.
    pub fn new(response: &KickResponse, table: DecileTable, conserved: bool) -> Self {
        let (unit, _) = response.unit;
        let labels = response
            .multiples
            .iter()
            .map(|&m| horizon_label(m, unit))
            .collect();
        DecileReading {
            labels,
            medians: table.medians,
            spearman: table.spearman,
            slope: response.log_log_slope(),
            kind: response.primary_kind(),
            centre: conserved && unit == "period",
        }
    }
}

/// "¼ period", "2 periods", "0.5 τ".
fn horizon_label(multiple: f64, unit: &str) -> String {
    let number = if multiple == 0.25 {
        "¼".to_string()
    } else if multiple == 0.5 && unit == "period" {
        "½".to_string()
    } else {
        format!("{multiple}")
    };
    if unit == "period" {
        let plural = if multiple > 1.0 { "s" } else { "" };
        format!("{number} period{plural}")
    } else {
        format!("{number} {unit}")
    }
}

fn signed(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| crate::number_text::signed(v, 2))
}

/// What the result line says before an experiment.
const INVITATION: &str = "Press \"Kick every point\" to kick every sample of the orbit and sort the growth by attention.";

pub struct KickDecilesPlot {
    pub canvas: LayeredCanvas,
    pub result: HtmlElement,
    reading: Option<DecileReading>,
}

impl KickDecilesPlot {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "kick-deciles",
            0.42,
            "Median log growth of small kicks in each attention decile, one line per horizon",
        )?;
        for (k, c) in HORIZON_COLORS.iter().enumerate() {
            canvas
                .hot
                .set_attribute(&format!("data-horizon-{k}-color"), c)?;
        }
        let result: HtmlElement = document.create_element("p")?.dyn_into()?;
        result.set_id("kick-deciles-result");
        result.set_class_name("result");
        result.set_text_content(Some(INVITATION));
        Ok(KickDecilesPlot {
            canvas,
            result,
            reading: None,
        })
    }

    /// Forgets the experiment (its orbit is gone: a new system or new data).
    pub fn clear(&mut self) {
        if self.reading.is_none() {
            return;
        }
        for k in ["data-slope", "data-spearman", "data-kind"] {
            let _ = self.result.remove_attribute(k);
        }
        self.result.set_text_content(Some(INVITATION));
        self.reading = None;
        self.redraw();
    }

    /// Shows a new experiment, or why there is none.
    pub fn show(&mut self, reading: Result<DecileReading, String>) {
        match reading {
            Ok(r) => {
                let set = |k: &str, v: String| {
                    let _ = self.result.set_attribute(k, &v);
                };
                set(
                    "data-slope",
                    r.slope.map_or(String::new(), |v| v.to_string()),
                );
                let rho: Vec<String> = r
                    .spearman
                    .iter()
                    .map(|v| v.map_or(String::new(), |v| v.to_string()))
                    .collect();
                set("data-spearman", rho.join(","));
                set("data-kind", r.kind.to_string());
                self.result.set_text_content(Some(&result_text(&r)));
                self.reading = Some(r);
            }
            Err(why) => {
                for k in ["data-slope", "data-spearman", "data-kind"] {
                    let _ = self.result.remove_attribute(k);
                }
                self.result
                    .set_text_content(Some(&format!("No kicks by decile: {why}.")));
                self.reading = None;
            }
        }
        self.redraw();
    }

    /// Axes and lines (after a new experiment or a resize).
    pub fn redraw(&mut self) {
        self.canvas.clear_hot();
        let values = self
            .reading
            .iter()
            .flat_map(|r| r.medians.iter().flatten().flatten().copied());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
        let (y_lo, y_hi) = if lo.is_finite() {
            let pad = ((hi - lo) * 0.08).max(0.1);
            (lo - pad, hi + pad + (hi - lo) * 0.25) // room for the legend
        } else {
            (-1.0, 1.0)
        };
        let y_desc = self
            .canvas
            .fitting_y_desc(&["median ln growth", "ln growth"], 10.0);
        let x_desc = self.canvas.fitting_x_desc(
            &[
                "attention decile (1 = lowest attention)",
                "attention decile (1 = lowest)",
                "attention decile",
            ],
            10.0,
        );
        let Ok(area) = self
            .canvas
            .draw_axes(0.5..10.5, y_lo..y_hi, x_desc, y_desc, 10.0, &|v| {
                format!("{v:.1}")
            })
        else {
            return;
        };
        let Some(r) = &self.reading else {
            return;
        };
        let ctx = &self.canvas.hot_ctx;
        let dpr = self.canvas.dpr;
        ctx.set_line_width(2.0 * dpr);
        ctx.set_font(&format!("{}px {FONT}", self.canvas.font(12.0)));
        ctx.set_text_baseline("middle");
        ctx.set_text_align("left");
        for (k, (medians, label)) in r.medians.iter().zip(&r.labels).enumerate() {
            let color = HORIZON_COLORS[k % HORIZON_COLORS.len()];
            let points = medians
                .iter()
                .enumerate()
                .map(|(d, m)| ((d + 1) as f64, m.unwrap_or(f64::NAN)));
            polyline(ctx, &area, points, color);
            // The legend, across the top of the plotting area.
            let x = area.px.start as f64 + 8.0 * dpr + k as f64 * area.width() / 4.0;
            let y = area.py.start as f64 + 10.0 * dpr;
            ctx.set_fill_style_str(color);
            ctx.fill_rect(x, y - 1.5 * dpr, 14.0 * dpr, 3.0 * dpr);
            ctx.set_fill_style_str("#3c3c43");
            let _ = ctx.fill_text(label, x + 18.0 * dpr, y);
        }
    }
}

/// The result line: ρ per horizon, and the log–log slope in words.
fn result_text(r: &DecileReading) -> String {
    let kick = if r.kind == "normal" {
        "along the orbit normal"
    } else {
        "in a random direction (the root-mean-square over all directions)"
    };
    let rho: Vec<String> = r
        .labels
        .iter()
        .zip(&r.spearman)
        .map(|(l, v)| format!("{} at {l}", signed(*v)))
        .collect();
    let mut text = format!(
        "Every sample kicked {kick}, infinitesimally (the tangent-linear map; ε does not matter). Spearman ρ(attention, ln growth): {}. Negative would mean that kicks grow most where attention is low, the paper's expectation.",
        rho.join(", ")
    );
    if let Some(s) = r.slope {
        let linear = (s - 1.0).abs() <= LINEAR_SLOPE;
        let reading = if linear && r.centre {
            "about linear in time: period shear. A kick moves the state to a neighbouring orbit with another period, and the two drift apart along the orbit at a steady rate: geometry, the same wherever attention is"
        } else if linear {
            "about linear in time"
        } else if s > 1.0 {
            "faster than linear in time"
        } else if s > 0.0 {
            "slower than linear in time"
        } else {
            "the median growth falls as the horizon grows: kicks shrink back toward the orbit"
        };
        text.push_str(&format!(
            " The median growth against the horizon has a log–log slope of {}: {reading}.",
            crate::number_text::fixed(s, 2)
        ));
    }
    text
}
