//! The stats line (`#stats`, one `data-*` attribute per value, for tests) and the verdict, plus
//! the in-page frame timing that feeds them: fps, p95 per-frame work, units of training work
//! per second. The verdict is shown as it changes, but announced to screen readers (through a
//! visually hidden live region) only once it has settled: training finished and the ensemble
//! over noise draws read.

use crate::lab::session::Session;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

/// Frames kept for the p95 of per-frame work.
const WINDOW: usize = 120;

/// A ring of recent frame timings.
pub struct FrameTiming {
    work_ms: [f64; WINDOW],
    stamps: [f64; WINDOW],
    steps: [u64; WINDOW],
    next: usize,
    filled: usize,
    sorted: Vec<f64>,
}

impl Default for FrameTiming {
    fn default() -> Self {
        FrameTiming {
            work_ms: [0.0; WINDOW],
            stamps: [0.0; WINDOW],
            steps: [0; WINDOW],
            next: 0,
            filled: 0,
            sorted: Vec::with_capacity(WINDOW),
        }
    }
}

impl FrameTiming {
    /// Records one frame: its rAF timestamp, the work it did (ms) and the steps it ran.
    pub fn record(&mut self, stamp_ms: f64, work_ms: f64, steps: u64) {
        self.work_ms[self.next] = work_ms;
        self.stamps[self.next] = stamp_ms;
        self.steps[self.next] = steps;
        self.next = (self.next + 1) % WINDOW;
        self.filled = (self.filled + 1).min(WINDOW);
    }

    fn oldest(&self) -> usize {
        (self.next + WINDOW - self.filled) % WINDOW
    }

    /// (fps, p95 work in ms, steps per second) over the window.
    pub fn summary(&mut self) -> (f64, f64, f64) {
        if self.filled < 2 {
            return (0.0, 0.0, 0.0);
        }
        let newest = (self.next + WINDOW - 1) % WINDOW;
        let span_s = (self.stamps[newest] - self.stamps[self.oldest()]) / 1000.0;
        let frames = (self.filled - 1) as f64;
        let steps: u64 = (1..self.filled)
            .map(|k| self.steps[(self.oldest() + k) % WINDOW])
            .sum();
        self.sorted.clear();
        let oldest = self.oldest();
        let work = &self.work_ms;
        self.sorted
            .extend((0..self.filled).map(|k| work[(oldest + k) % WINDOW]));
        self.sorted.sort_by(f64::total_cmp);
        let p95 =
            self.sorted[((self.filled as f64 * 0.95).ceil() as usize).clamp(1, self.filled) - 1];
        if span_s <= 0.0 {
            return (0.0, p95, 0.0);
        }
        (frames / span_s, p95, steps as f64 / span_s)
    }
}

pub struct StatsPanel {
    pub stats: HtmlElement,
    pub verdict: HtmlElement,
    /// Visually hidden, `aria-live="polite"`: the settled verdict.
    announce: HtmlElement,
    /// What was last announced.
    announced: String,
}

fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

fn shown(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".into(), |v| crate::number_text::signed(v, digits))
}

impl StatsPanel {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let stats: HtmlElement = document.create_element("p")?.dyn_into()?;
        stats.set_id("stats");
        stats.set_attribute("aria-live", "off")?;
        let verdict: HtmlElement = document.create_element("p")?.dyn_into()?;
        verdict.set_id("verdict");
        // Rewritten as training moves: announcing each would be noise (see `announce`).
        verdict.set_attribute("aria-live", "off")?;
        let announce: HtmlElement = document.create_element("p")?.dyn_into()?;
        announce.set_id("verdict-announce");
        announce.set_class_name("sr-only");
        announce.set_attribute("aria-live", "polite")?;
        Ok(StatsPanel {
            stats,
            verdict,
            announce,
            announced: String::new(),
        })
    }

    /// The live region, for the page to place (next to the verdict).
    pub fn announcer(&self) -> &HtmlElement {
        &self.announce
    }

    /// Shows the verdict `line`; `settled`: training has finished and the ensemble (if any) is
    /// read, so `line` will not change until the setting does.
    pub fn show_verdict(&self, line: &str, settled: bool) {
        self.verdict.set_text_content(Some(line));
        let _ = self
            .verdict
            .set_attribute("data-settled", if settled { "true" } else { "false" });
    }

    /// Announces `text` to screen readers, unless it was the last thing announced: call it only
    /// when the verdict has settled, so that each settled change is announced once.
    pub fn announce(&mut self, text: &str) {
        if text != self.announced {
            self.announce.set_text_content(Some(text));
            self.announced = text.to_string();
        }
    }

    /// Writes every value as full-precision `data-*` (empty when undefined) and as text.
    pub fn update(&self, session: &Session, fps: f64, frame_ms: f64, steps_per_second: f64) {
        let m = session.metrics();
        let n = session.attention().len();
        let set = |k: &str, v: String| {
            let _ = self.stats.set_attribute(k, &v);
        };
        set("data-epoch", session.steps().to_string());
        set("data-loss", m.loss.to_string());
        set("data-pearson", opt(m.pearson));
        set("data-spearman", opt(m.spearman));
        set("data-peak-offset", opt(m.peak_offset_periods));
        set("data-ess", m.ess.to_string());
        set("data-fps", format!("{fps:.1}"));
        set("data-frame-ms", format!("{frame_ms:.3}"));
        set("data-steps-per-second", format!("{steps_per_second:.0}"));
        let imported = matches!(
            session.source(),
            crate::lab::session::DataSource::Imported(_)
        );
        set(
            "data-source",
            (if imported { "imported" } else { "simulated" }).to_string(),
        );
        set("data-n", n.to_string());
        set("data-diverged", session.diverged().is_some().to_string());
        let text = format!(
            "step {} · loss {} · Pearson r {} · Spearman ρ {} · peak offset {} periods · ESS {:.1} of {n} · {fps:.0} fps · frame work {frame_ms:.2} ms (p95) · {steps_per_second:.0} training units/s",
            session.steps(),
            crate::number_text::fixed(m.loss, 5),
            shown(m.pearson, 3),
            shown(m.spearman, 3),
            shown(m.peak_offset_periods, 3),
            m.ess,
        );
        self.stats.set_text_content(Some(&text));
    }
}
