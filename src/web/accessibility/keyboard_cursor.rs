//! The keyboard cursor: the phase portrait and the time plot are focusable (`tabindex=0`,
//! `role=slider` over the samples), and the arrow keys move one cursor along the orbit (Left and
//! Right one sample, Page Up and Page Down a tenth of the run, Home and End to the ends,
//! Escape hides it). Both plots mark the sample, and a polite live region reads the same
//! read-out the mouse tooltip shows (computed by `lab::readout_text`).

use crate::web::elements::element;
use crate::web::plots::Plots;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlCanvasElement, HtmlElement};

pub struct KeyboardCursor {
    /// The sample under the cursor.
    pub index: Option<usize>,
    /// The live region reading the cursor's sample (`#cursor-readout`, visually hidden).
    pub readout: HtmlElement,
    canvases: [HtmlCanvasElement; 2],
}

/// Makes `canvas` a slider over the samples, named `label`.
fn make_focusable(canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
    canvas.set_attribute("tabindex", "0")?;
    canvas.set_attribute("role", "slider")?;
    canvas.set_attribute("aria-valuemin", "1")?;
    canvas.set_attribute("aria-valuemax", "1")?;
    canvas.set_attribute("aria-valuenow", "1")?;
    canvas.set_attribute(
        "aria-valuetext",
        "no sample chosen: use the arrow keys to move along the orbit",
    )?;
    canvas.set_attribute(
        "aria-keyshortcuts",
        "ArrowLeft ArrowRight PageUp PageDown Home End",
    )?;
    Ok(())
}

impl KeyboardCursor {
    /// Makes the phase portrait and the time plot focusable, and adds the live region to
    /// `figures`.
    pub fn new(document: &Document, figures: &HtmlElement, plots: &Plots) -> Result<Self, JsValue> {
        let canvases = [
            plots.phase.canvas.hot.clone(),
            plots.fig5.canvas.hot.clone(),
        ];
        for c in &canvases {
            make_focusable(c)?;
        }
        let readout: HtmlElement = element(document, "p", "sr-only")?;
        readout.set_id("cursor-readout");
        readout.set_attribute("aria-live", "polite")?;
        figures.append_child(&readout)?;
        Ok(KeyboardCursor {
            index: None,
            readout,
            canvases,
        })
    }

    /// The sliders run over `n` samples.
    pub fn set_count(&self, n: usize) {
        for c in &self.canvases {
            let _ = c.set_attribute("aria-valuemax", &n.max(1).to_string());
        }
    }

    /// Shows sample `index` (of `n`), read as `text` (one fact per line) and named `short` on
    /// the sliders; `None` hides the cursor.
    pub fn show(&mut self, index: Option<usize>, n: usize, short: &str, text: &str) {
        self.index = index;
        for c in &self.canvases {
            let _ = c.set_attribute("aria-valuemax", &n.max(1).to_string());
            let _ = c.set_attribute("aria-valuenow", &(index.unwrap_or(0) + 1).to_string());
            let _ = c.set_attribute("aria-valuetext", short);
            let _ = c.set_attribute(
                "data-cursor",
                &index.map_or(String::new(), |i| i.to_string()),
            );
        }
        self.readout
            .set_text_content(Some(&text.replace('\n', "; ")));
    }
}
