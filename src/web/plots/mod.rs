//! The four plots of the page, each drawn on a layered canvas (a cold layer redrawn only when its
//! inputs change, a hot layer redrawn every frame): the phase portrait, the sensitivity plot (the
//! paper's Figure 5), the training loss and the perturbation experiment.

pub mod layered_canvas;
pub mod loss_plot;
pub mod perturbation_plot;
pub mod phase_aids;
pub mod phase_portrait;
pub mod sensitivity_plot;

use crate::web::elements::element;
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
    /// Numbers of the observation under the pointer, inside the phase portrait's wrapper.
    pub tooltip: HtmlElement,
}

impl Plots {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let phase = PhasePortrait::new(document)?;
        let fig5 = SensitivityPlot::new(document)?;
        let loss = LossPlot::new(document)?;
        let perturbation = PerturbationPlot::new(document)?;
        let tooltip: HtmlElement = element(document, "div", "tooltip")?;
        tooltip.set_hidden(true);
        phase.canvas.wrapper.append_child(&tooltip)?;
        Ok(Plots {
            phase,
            fig5,
            loss,
            perturbation,
            tooltip,
        })
    }

    /// The canvases of all four plots (for resizing and the text scale).
    pub fn canvases_mut(&mut self) -> [&mut LayeredCanvas; 4] {
        [
            &mut self.phase.canvas,
            &mut self.fig5.canvas,
            &mut self.loss.canvas,
            &mut self.perturbation.canvas,
        ]
    }
}
