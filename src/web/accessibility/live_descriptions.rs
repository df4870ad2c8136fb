//! The canvases' text: per-system captions under the phase portrait and the time plot, and a
//! visually hidden description for every canvas (`aria-describedby` on the canvas) with the
//! run's current key facts. The descriptions are rewritten at most once a second, and only
//! when their text changed; the perturbation and kick-decile canvases are described by their
//! result lines.

use crate::lab::canvas_descriptions::{phase_caption, phase_label, time_plot_caption};
use crate::measures::measure::Measure;
use crate::systems::catalogue::SystemKind;
use crate::web::elements::element;
use crate::web::plots::layered_canvas::LayeredCanvas;
use crate::web::plots::Plots;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

/// Descriptions are rewritten at most this often (ms).
pub const DESCRIPTION_INTERVAL_MS: f64 = 1000.0;

/// What the captions depend on.
#[derive(Clone, Copy, PartialEq)]
struct CaptionKey {
    system: SystemKind,
    measure: Measure,
    tau: f64,
    axes: (usize, usize),
}

/// One canvas's hidden description and the text it shows.
struct Description {
    element: HtmlElement,
    shown: String,
}

impl Description {
    /// A hidden paragraph `#{canvas id}-description` in the canvas's figure, describing it.
    fn attach(document: &Document, canvas: &LayeredCanvas) -> Result<Self, JsValue> {
        let element: HtmlElement = element(document, "p", "sr-only")?;
        let id = format!("{}-description", canvas.hot.id());
        element.set_id(&id);
        canvas.hot.set_attribute("aria-describedby", &id)?;
        match canvas.wrapper.parent_element() {
            Some(figure) => figure.append_child(&element)?,
            None => canvas.wrapper.append_child(&element)?,
        };
        Ok(Description {
            element,
            shown: String::new(),
        })
    }

    fn show(&mut self, text: String) {
        if text != self.shown {
            self.element.set_text_content(Some(&text));
            self.shown = text;
        }
    }
}

pub struct LiveDescriptions {
    phase_caption: Option<HtmlElement>,
    time_caption: Option<HtmlElement>,
    phase_canvas: HtmlElement,
    caption_key: Option<CaptionKey>,
    phase: Description,
    time: Description,
    loss: Description,
    /// When the descriptions were last computed (ms).
    last_ms: f64,
    /// Something they describe changed since.
    pub stale: bool,
}

/// The figcaption after a plot's wrapper, if the page put one there.
fn caption_of(canvas: &LayeredCanvas) -> Option<HtmlElement> {
    canvas
        .wrapper
        .next_element_sibling()
        .filter(|e| e.tag_name() == "FIGCAPTION")
        .and_then(|e| e.dyn_into().ok())
}

impl LiveDescriptions {
    /// Attaches to the plots (inside their figures).
    pub fn attach(document: &Document, plots: &Plots) -> Result<Self, JsValue> {
        let _ = plots
            .perturbation
            .canvas
            .hot
            .set_attribute("aria-describedby", &plots.perturbation.result.id());
        let _ = plots
            .deciles
            .canvas
            .hot
            .set_attribute("aria-describedby", &plots.deciles.result.id());
        Ok(LiveDescriptions {
            phase_caption: caption_of(&plots.phase.canvas),
            time_caption: caption_of(&plots.fig5.canvas),
            phase_canvas: plots.phase.canvas.hot.clone().into(),
            caption_key: None,
            phase: Description::attach(document, &plots.phase.canvas)?,
            time: Description::attach(document, &plots.fig5.canvas)?,
            loss: Description::attach(document, &plots.loss.canvas)?,
            last_ms: f64::NEG_INFINITY,
            stale: true,
        })
    }

    /// Rewrites the captions and the portrait's name when the system, the measure, τ or the
    /// plotted pair changed.
    pub fn show_captions(
        &mut self,
        system: SystemKind,
        measure: Measure,
        tau: f64,
        axes: (usize, usize),
    ) {
        let key = CaptionKey {
            system,
            measure,
            tau,
            axes,
        };
        if self.caption_key == Some(key) {
            return;
        }
        self.caption_key = Some(key);
        if let Some(c) = &self.phase_caption {
            c.set_text_content(Some(&phase_caption(system, axes)));
        }
        if let Some(c) = &self.time_caption {
            c.set_text_content(Some(&time_plot_caption(measure, tau)));
        }
        let _ = self
            .phase_canvas
            .set_attribute("aria-label", &phase_label(system));
        self.stale = true;
    }

    /// Whether the descriptions are out of date and may be rewritten at `now_ms`.
    pub fn due(&self, now_ms: f64) -> bool {
        self.stale && now_ms - self.last_ms >= DESCRIPTION_INTERVAL_MS
    }

    /// Shows the descriptions (computed by the caller when [`LiveDescriptions::due`]).
    pub fn show(&mut self, now_ms: f64, phase: String, time: String, loss: String) {
        self.phase.show(phase);
        self.time.show(time);
        self.loss.show(loss);
        self.last_ms = now_ms;
        self.stale = false;
    }
}
