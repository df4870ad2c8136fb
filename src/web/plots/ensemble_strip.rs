//! Where the draw on screen sits among the ensemble's (`#ensemble`): one strip per correlation,
//! Spearman ρ (the primary reading) and Pearson r, from −1 to +1, one dot per seed read
//! (filled: converged; hollow: not converged within the cap), and the draw on screen as a
//! vermillion ring. Small enough to draw straight with Canvas 2D whenever it changes.
//!
//! For tests, the canvas carries `data-done`, `data-total`, `data-spearman` and `data-pearson`
//! (the seeds' values in seed order, comma-separated, empty where undefined) and
//! `data-current-seed`.

use super::layered_canvas::{context, FONT};
use crate::lab::seed_ensemble::EnsembleRun;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement, HtmlElement};

/// Okabe–Ito blue for the seeds, vermillion for the draw on screen.
const SEED_COLOR: &str = "#0072b2";
const CURRENT_COLOR: &str = "#d55e00";
/// CSS pixels: the strip's height, the label column on the left, the margin on the right.
const HEIGHT: f64 = 64.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 14.0;

/// One strip: its label, the seed's value it shows, and the draw on screen's.
type Row = (&'static str, fn(&EnsembleRun) -> Option<f64>, Option<f64>);

/// What the strip shows of the draw on screen.
pub struct CurrentDraw {
    pub seed: u64,
    pub spearman: Option<f64>,
    pub pearson: Option<f64>,
}

pub struct EnsembleStrip {
    pub canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    /// The sentence under the strip (`#ensemble-summary`).
    pub summary: HtmlElement,
    dpr: f64,
    /// 1 normally, larger in large-text mode.
    pub text_scale: f64,
}

/// The values of one correlation in seed order, for a `data-*` attribute.
fn listed(runs: &[EnsembleRun], value: impl Fn(&EnsembleRun) -> Option<f64>) -> String {
    let values: Vec<String> = runs
        .iter()
        .map(|r| value(r).map_or(String::new(), |v| v.to_string()))
        .collect();
    values.join(",")
}

impl EnsembleStrip {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        canvas.set_id("ensemble");
        canvas.set_attribute("role", "img")?;
        let ctx = context(&canvas)?;
        let summary: HtmlElement = document.create_element("p")?.dyn_into()?;
        summary.set_id("ensemble-summary");
        summary.set_class_name("hint");
        canvas.set_attribute("aria-describedby", "ensemble-summary")?;
        Ok(EnsembleStrip {
            canvas,
            ctx,
            summary,
            dpr: 1.0,
            text_scale: 1.0,
        })
    }

    /// Sizes the canvas to its parent's width and the device pixel ratio.
    pub fn fit(&mut self) {
        let dpr = web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .max(1.0);
        let css_w = self
            .canvas
            .parent_element()
            .map_or(0.0, |p| p.client_width() as f64)
            .max(240.0)
            - 2.0;
        let css_h = HEIGHT * self.text_scale;
        self.dpr = dpr;
        self.canvas.set_width((css_w * dpr).round() as u32);
        self.canvas.set_height((css_h * dpr).round() as u32);
        let style = self.canvas.style();
        let _ = style.set_property("width", &format!("{css_w}px"));
        let _ = style.set_property("height", &format!("{css_h}px"));
    }

    /// Draws `runs` (of `total` seeds) and the draw on screen; `why_none` says why there is no
    /// ensemble at all.
    pub fn draw(
        &self,
        runs: &[EnsembleRun],
        total: usize,
        current: &CurrentDraw,
        why_none: Option<&str>,
    ) {
        let set = |k: &str, v: &str| {
            let _ = self.canvas.set_attribute(k, v);
        };
        set("data-done", &runs.len().to_string());
        set("data-total", &total.to_string());
        set("data-spearman", &listed(runs, |r| r.spearman));
        set("data-pearson", &listed(runs, |r| r.pearson));
        set("data-current-seed", &current.seed.to_string());
        let (w, h) = (self.canvas.width() as f64, self.canvas.height() as f64);
        let ctx = &self.ctx;
        ctx.clear_rect(0.0, 0.0, w, h);
        let s = self.dpr * self.text_scale;
        let (left, right) = (LEFT * s, w - RIGHT * s);
        let x = |v: f64| left + (v.clamp(-1.0, 1.0) + 1.0) / 2.0 * (right - left);
        ctx.set_font(&format!("{}px {FONT}", 12.0 * s));
        ctx.set_text_baseline("middle");
        let rows: [Row; 2] = [
            ("Spearman ρ", |r| r.spearman, current.spearman),
            ("Pearson r", |r| r.pearson, current.pearson),
        ];
        for (k, (label, value, now)) in rows.into_iter().enumerate() {
            let y = (14.0 + 22.0 * k as f64) * s;
            self.axis(y, left, right, label);
            if why_none.is_none() {
                for run in runs {
                    if let Some(v) = value(run) {
                        // A little vertical spread so that close seeds stay countable.
                        let dy = ((run.seed % 3) as f64 - 1.0) * 2.5 * s;
                        self.dot(x(v), y + dy, 3.5 * s, run.converged);
                    }
                }
            }
            if let Some(v) = now {
                ctx.set_stroke_style_str(CURRENT_COLOR);
                ctx.set_line_width(2.0 * s);
                ctx.begin_path();
                let _ = ctx.arc(x(v), y, 6.5 * s, 0.0, std::f64::consts::TAU);
                ctx.stroke();
            }
        }
        self.ticks((14.0 + 22.0 + 14.0) * s, &x);
    }

    /// A row's axis line with its zero mark and label.
    fn axis(&self, y: f64, left: f64, right: f64, label: &str) {
        let ctx = &self.ctx;
        let s = self.dpr * self.text_scale;
        ctx.set_stroke_style_str("#c8ccd4");
        ctx.set_line_width(self.dpr);
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(right, y);
        let zero = (left + right) / 2.0;
        ctx.move_to(zero, y - 8.0 * s);
        ctx.line_to(zero, y + 8.0 * s);
        ctx.stroke();
        ctx.set_fill_style_str("#3c3c43");
        ctx.set_text_align("right");
        let _ = ctx.fill_text(label, left - 10.0 * s, y);
    }

    /// One seed: filled when it converged, hollow when not.
    fn dot(&self, x: f64, y: f64, r: f64, converged: bool) {
        let ctx = &self.ctx;
        ctx.begin_path();
        let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        if converged {
            ctx.set_fill_style_str(SEED_COLOR);
            ctx.set_global_alpha(0.75);
            ctx.fill();
            ctx.set_global_alpha(1.0);
        } else {
            ctx.set_stroke_style_str(SEED_COLOR);
            ctx.set_line_width(self.dpr);
            ctx.stroke();
        }
    }

    /// Tick labels under the strips.
    fn ticks(&self, y: f64, x: &dyn Fn(f64) -> f64) {
        let ctx = &self.ctx;
        ctx.set_fill_style_str("#5b5b66");
        ctx.set_text_align("center");
        for (v, label) in [
            (-1.0, "−1"),
            (-0.5, "−0.5"),
            (0.0, "0"),
            (0.5, "0.5"),
            (1.0, "1"),
        ] {
            let _ = ctx.fill_text(label, x(v), y);
        }
    }
}

/// A correlation with a sign and a true minus sign, or "undefined".
fn signed(v: Option<f64>) -> String {
    v.map_or("undefined".into(), |v| crate::number_text::signed(v, 2))
}

/// The sentence under the strip: how many seeds are read, how their ρ falls, and which mark is
/// the draw on screen; or why there is no ensemble.
pub fn summary_text(
    runs: &[EnsembleRun],
    total: usize,
    current: &CurrentDraw,
    why_none: Option<&str>,
) -> String {
    if let Some(why) = why_none {
        return format!("No other noise draws: {why}. The verdict reads this draw alone.");
    }
    let ring = format!(
        "Ring: the draw on screen (seed {}, ρ = {}).",
        current.seed,
        signed(current.spearman)
    );
    if runs.len() < total {
        return format!(
            "The same setting over other noise draws (seeds 0–{}, each trained to convergence), computed in the background: {} of {total} read. {ring}",
            total - 1,
            runs.len()
        );
    }
    // As the verdict counts them: converged draws only.
    let converged = || runs.iter().filter(|r| r.converged);
    let below = converged()
        .filter(|r| r.spearman.is_some_and(|v| v < 0.0))
        .count();
    let above = converged()
        .filter(|r| r.spearman.is_some_and(|v| v > 0.0))
        .count();
    let unconverged = runs.iter().filter(|r| !r.converged).count();
    let hollow = if unconverged > 0 {
        format!(" Hollow: {unconverged} not converged within the cap, left out of the verdict.")
    } else {
        String::new()
    };
    format!(
        "The same setting over {total} noise draws (seeds 0–{}, each trained to convergence): ρ < 0 in {below}, ρ > 0 in {above}.{hollow} {ring}",
        total - 1
    )
}
