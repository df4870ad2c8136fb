//! One slider of the control panel: a labelled native range input for one parameter (id =
//! parameter name) with a live readout and a tooltip. The learning rate moves on a log scale.

use crate::systems::system::ParamSpec;
use crate::web::elements::{element, labelled_row};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlInputElement};

/// The learning-rate slider moves log10(lr) between these.
const LR_LOG_RANGE: (f64, f64) = (-4.0, 0.0);

pub struct Slider {
    pub spec: &'static ParamSpec,
    pub input: HtmlInputElement,
    label: HtmlElement,
    readout: HtmlElement,
    /// The step the input moves by now (the spec's, unless [`Slider::set_range`] changed it):
    /// the readout shows this many decimals.
    step: Cell<f64>,
    /// The exact value last set by the program (a link, a preset). A range input snaps to its
    /// step (lr = 0.02 would read back as 10^−1.7 = 0.01995), so until the user moves this
    /// slider, its value is this one, not the snapped position.
    exact: Cell<Option<f64>>,
}

impl Slider {
    /// A labelled range input for `spec`, appended to `parent`.
    pub fn new(
        document: &Document,
        spec: &'static ParamSpec,
        parent: &HtmlElement,
    ) -> Result<Self, JsValue> {
        let row = labelled_row(document, spec.name, spec.label, spec.help)?;
        let label: HtmlElement = row
            .first_element_child()
            .ok_or("a labelled row has its label")?
            .dyn_into()?;
        let input: HtmlInputElement = element(document, "input", "")?;
        input.set_type("range");
        input.set_id(spec.name);
        input.set_title(spec.help);
        let (min, max, step) = if spec.name == "lr" {
            (LR_LOG_RANGE.0, LR_LOG_RANGE.1, 0.05)
        } else {
            (spec.min, spec.max, spec.step)
        };
        input.set_min(&min.to_string());
        input.set_max(&max.to_string());
        input.set_step(&step.to_string());
        let readout: HtmlElement = element(document, "output", "")?;
        readout.set_attribute("for", spec.name)?;
        readout.set_class_name("readout");
        row.append_child(&input)?;
        row.append_child(&readout)?;
        parent.append_child(&row)?;
        Ok(Slider {
            spec,
            input,
            label,
            readout,
            step: Cell::new(spec.step),
            exact: Cell::new(None),
        })
    }

    fn is_log(&self) -> bool {
        self.spec.name == "lr"
    }

    /// The value in the parameter's own units.
    pub fn value(&self) -> f64 {
        if let Some(v) = self.exact.get() {
            return v;
        }
        let raw = self.input.value_as_number();
        if self.is_log() {
            10f64.powf(raw)
        } else {
            raw
        }
    }

    pub fn set_value(&self, value: f64) {
        let raw = if self.is_log() { value.log10() } else { value };
        self.input.set_value_as_number(raw);
        self.exact.set(Some(value));
        self.show(value);
    }

    /// The user moved this slider: from now on its position is its value.
    pub fn user_moved(&self) {
        self.exact.set(None);
    }

    /// Moves the input over `min..=max` in steps of `step` (e.g. σ of lognormal noise, a
    /// log-scale spread, needs a finer and shorter range than Gaussian σ). Call before
    /// [`Slider::set_value`]: the browser clamps the position to the range, not the exact value.
    pub fn set_range(&self, min: f64, max: f64, step: f64) {
        if self.is_log() {
            return;
        }
        self.input.set_min(&min.to_string());
        self.input.set_max(&max.to_string());
        self.input.set_step(&step.to_string());
        self.step.set(step);
    }

    /// The tooltip of the label and the input.
    pub fn set_help(&self, help: &str) {
        self.input.set_title(help);
        self.label.set_title(help);
    }

    pub fn show(&self, value: f64) {
        let decimals = (-self.step.get().log10()).ceil().max(0.0) as usize;
        let text = if self.is_log() {
            // The input holds log10(lr): screen readers would announce "−2" without this.
            let _ = self
                .input
                .set_attribute("aria-valuetext", &plain_number(value, 3));
            format!("{value:.4}")
        } else {
            format!("{value:.decimals$}")
        };
        self.readout.set_text_content(Some(&text));
    }
}

/// `value` in plain decimals with `significant` significant digits and no trailing zeros
/// (0.01 for 10^−2, 0.0126 for 10^−1.9): what a log-scale slider announces as its value.
pub fn plain_number(value: f64, significant: usize) -> String {
    if !value.is_finite() || value == 0.0 {
        return value.to_string();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (significant as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}
