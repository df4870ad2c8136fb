//! The plots of the page. Five are drawn on a layered canvas (a cold layer redrawn only when its
//! inputs change, a hot layer redrawn when the data do): the phase portrait, the sensitivity
//! plot (the paper's Figure 5), the training loss, the perturbation experiment and the kicks by
//! attention decile. The ensemble strip is one small canvas drawn straight with Canvas 2D.

pub mod ensemble_strip;
pub mod fit_plots;
pub mod kick_deciles;
pub mod kick_orbit_plot;
pub mod layered_canvas;
pub mod loss_plot;
pub mod perturbation_plot;
pub mod phase_aids;
pub mod phase_portrait;
pub mod plot_labels;
pub mod prc_plot;
pub mod sensitivity_plot;

use crate::web::elements::element;
use ensemble_strip::EnsembleStrip;
use kick_deciles::KickDecilesPlot;
use layered_canvas::LayeredCanvas;
use loss_plot::LossPlot;
use perturbation_plot::PerturbationPlot;
use phase_portrait::PhasePortrait;
use sensitivity_plot::SensitivityPlot;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement};

/// Every plot, plus the tooltip shown over the phase portrait.
pub struct Plots {
    pub phase: PhasePortrait,
    pub fig5: SensitivityPlot,
    pub loss: LossPlot,
    pub perturbation: PerturbationPlot,
    pub deciles: KickDecilesPlot,
    /// Where the draw on screen sits among other noise draws of the setting.
    pub ensemble: EnsembleStrip,
    /// Numbers of the observation under the pointer, inside the phase portrait's wrapper.
    pub tooltip: HtmlElement,
}

impl Plots {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let phase = PhasePortrait::new(document)?;
        let fig5 = SensitivityPlot::new(document)?;
        let loss = LossPlot::new(document)?;
        let perturbation = PerturbationPlot::new(document)?;
        let deciles = KickDecilesPlot::new(document)?;
        let ensemble = EnsembleStrip::new(document)?;
        let tooltip: HtmlElement = element(document, "div", "tooltip")?;
        tooltip.set_hidden(true);
        phase.canvas.wrapper.append_child(&tooltip)?;
        Ok(Plots {
            phase,
            fig5,
            loss,
            perturbation,
            deciles,
            ensemble,
            tooltip,
        })
    }

    /// Shows the tooltip (its text already set) near the pointer at (`x`, `y`), CSS pixels in
    /// the phase portrait: below and right of it, or above or left where it would leave the
    /// plot (on a phone it would run off the screen).
    pub fn place_tooltip(&self, x: f64, y: f64) {
        let tooltip = &self.tooltip;
        tooltip.set_hidden(false);
        let (w, h) = (
            tooltip.offset_width() as f64,
            tooltip.offset_height() as f64,
        );
        let wrapper = &self.phase.canvas.wrapper;
        let (room_w, room_h) = (
            wrapper.client_width() as f64,
            wrapper.client_height() as f64,
        );
        let gap = 14.0;
        let left = if x + gap + w <= room_w {
            x + gap
        } else {
            (x - gap - w).max(0.0)
        };
        let top = if y + gap + h <= room_h {
            y + gap
        } else {
            (y - gap - h).max(0.0)
        };
        let style = tooltip.style();
        let _ = style.set_property("left", &format!("{left}px"));
        let _ = style.set_property("top", &format!("{top}px"));
    }

    /// The layered canvases (for resizing and the text scale; the ensemble strip has its own).
    pub fn canvases_mut(&mut self) -> [&mut LayeredCanvas; 5] {
        [
            &mut self.phase.canvas,
            &mut self.fig5.canvas,
            &mut self.loss.canvas,
            &mut self.perturbation.canvas,
            &mut self.deciles.canvas,
        ]
    }
}
