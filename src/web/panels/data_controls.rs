//! The controls of the "Noise and data" group beyond its sliders: the noise model select, σ's
//! range for that model, the "Whole periods" button, and the share of observations that no
//! population can have. Each control that does not apply is disabled with its reason, shown
//! under it and read as its description.

use super::selects::{fit_options, NoiseSelect};
use super::slider::Slider;
use crate::lab::config::run_parameter;
use crate::lab::run_parameters;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::web::elements::{button, disable_with_reason, element, reason_hint};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, HtmlSelectElement};

/// σ when switching to lognormal noise from a σ beyond its range: about ±20%.
pub const LOGNORMAL_SIGMA: f64 = 0.2;
const LOGNORMAL_SIGMA_HELP: &str = "Spread of the multiplicative noise on the log scale: x̃ = x·exp(σε), so σ = 0.1 is about ±10%. Observations stay positive.";

/// The σ slider's (min, max, step) for the system and noise model, and its help.
pub fn sigma_range(system: SystemKind, noise: NoiseModel) -> ((f64, f64, f64), &'static str) {
    let help = match noise {
        NoiseModel::Gaussian => run_parameter("sigma").expect("a sigma spec").help,
        NoiseModel::Lognormal => LOGNORMAL_SIGMA_HELP,
    };
    (run_parameters::sigma_range(system, noise), help)
}

/// The noise select, the Whole periods button and the non-physical share, in the data group.
pub struct DataControls {
    pub noise: HtmlSelectElement,
    noise_why: HtmlElement,
    pub whole_periods: HtmlElement,
    whole_periods_why: HtmlElement,
    /// "x% of the observations are ≤ 0", hidden when none are (or the states can be negative).
    pub non_physical: HtmlElement,
}

impl DataControls {
    /// Builds the controls into `group` (the "Noise and data" fieldset, already holding its
    /// sliders): the noise select first, the button after the t_end row, the share last.
    pub fn new(document: &Document, group: &HtmlElement) -> Result<Self, JsValue> {
        let noise = NoiseSelect::new(document)?;
        let legend = group.first_element_child();
        let first = legend.as_ref().and_then(|l| l.next_element_sibling());
        group.insert_before(&noise.row, first.as_ref().map(|e| e.as_ref()))?;
        group.insert_before(&noise.why, first.as_ref().map(|e| e.as_ref()))?;

        let whole_periods = button(
            document,
            "whole-periods",
            "Whole periods",
            "Set t_end to whole periods of the orbit",
        )?;
        let row: HtmlElement = element(document, "div", "buttons")?;
        row.append_child(&whole_periods)?;
        let whole_periods_why = reason_hint(document, &whole_periods)?;
        let t_end_row = document
            .get_element_by_id("t_end")
            .and_then(|e| e.parent_element());
        let after_t_end = t_end_row.and_then(|r| r.next_element_sibling());
        group.insert_before(&row, after_t_end.as_ref().map(|e| e.as_ref()))?;
        group.insert_before(&whole_periods_why, after_t_end.as_ref().map(|e| e.as_ref()))?;

        let non_physical: HtmlElement = element(document, "p", "hint")?;
        non_physical.set_id("non-physical");
        non_physical.set_hidden(true);
        group.append_child(&non_physical)?;
        Ok(DataControls {
            noise: noise.select,
            noise_why: noise.why,
            whole_periods,
            whole_periods_why,
            non_physical,
        })
    }

    /// Enables the noise models that apply to `system`.
    pub fn fit_system(&self, system: SystemKind) {
        fit_options(
            &self.noise,
            &self.noise_why,
            &NoiseModel::ALL,
            |m| m.check(system),
            |m| m.formula().to_string(),
        );
    }

    /// Shows `noise` in the select and fits σ's slider to it (range, step and help).
    pub fn show_noise(&self, system: SystemKind, noise: NoiseModel, sigma: Option<&Slider>) {
        self.noise.set_value(noise.name());
        if let Some(s) = sigma {
            let ((min, max, step), help) = sigma_range(system, noise);
            s.set_range(min, max, step);
            s.set_help(help);
        }
    }

    /// The Whole periods button: enabled with what it will do (`Ok`), or disabled with why not.
    pub fn fit_whole_periods(&self, what: Result<String, String>) {
        match what {
            Ok(title) => {
                disable_with_reason(&self.whole_periods, &self.whole_periods_why, None, &title)
            }
            Err(why) => {
                disable_with_reason(&self.whole_periods, &self.whole_periods_why, Some(&why), "")
            }
        }
    }

    /// Shows the share of observed values ≤ 0 when there are any (`None`: the states can be
    /// negative, so no value is impossible).
    pub fn show_non_physical(&self, share: Option<f64>, noise: NoiseModel) {
        let share = share.filter(|s| *s > 0.0);
        let _ = self
            .non_physical
            .set_attribute("data-share", &share.unwrap_or(0.0).to_string());
        match share {
            Some(s) => {
                let cause = match noise {
                    NoiseModel::Gaussian => {
                        "added Gaussian noise makes them. Lognormal noise keeps every observation positive."
                    }
                    NoiseModel::Lognormal => "the noise makes them.",
                };
                self.non_physical.set_text_content(Some(&format!(
                    "{:.1}% of the observed values are ≤ 0, which no population can be: {cause}",
                    100.0 * s
                )));
                self.non_physical.set_hidden(false);
            }
            None => self.non_physical.set_hidden(true),
        }
    }
}
