//! The control panel, built from the same parameter specs the CLI validates against: one native
//! range input per parameter (id = parameter name) with a label, a live readout and a tooltip,
//! the model select and the buttons.

use super::elements::{button, element, fieldset, labelled_row};
use crate::config::{self, Config};
use crate::model::ModelKind;
use crate::system::ParamSpec;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, HtmlInputElement, HtmlSelectElement};

pub use crate::config::STEPS_PER_FRAME;

/// The learning-rate slider moves log10(lr) between these.
const LR_LOG_RANGE: (f64, f64) = (-4.0, 0.0);

pub struct Slider {
    pub spec: &'static ParamSpec,
    pub input: HtmlInputElement,
    readout: HtmlElement,
    /// The exact value last set by the program (a link, a preset). A range input snaps to its
    /// step (lr = 0.02 would read back as 10^−1.7 = 0.01995), so until the user moves this
    /// slider, its value is this one, not the snapped position.
    exact: Cell<Option<f64>>,
}

impl Slider {
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

    pub fn show(&self, value: f64) {
        let decimals = (-self.spec.step.log10()).ceil().max(0.0) as usize;
        let text = if self.is_log() {
            format!("{value:.4}")
        } else {
            format!("{value:.decimals$}")
        };
        self.readout.set_text_content(Some(&text));
    }
}

pub struct Controls {
    pub panel: HtmlElement,
    pub sliders: Vec<Slider>,
    pub model: HtmlSelectElement,
    pub play: HtmlElement,
    pub step: HtmlElement,
    pub reset: HtmlElement,
    pub new_noise: HtmlElement,
}

impl Controls {
    pub fn new(
        document: &Document,
        config: &Config,
        steps_per_frame: usize,
    ) -> Result<Self, JsValue> {
        let panel: HtmlElement = element(document, "section", "")?;
        panel.set_class_name("controls");
        panel.set_attribute("aria-label", "Controls")?;

        let buttons: HtmlElement = element(document, "div", "")?;
        buttons.set_class_name("buttons");
        let play = button(document, "play", "Pause", "Play or pause training (Space)")?;
        play.set_attribute("aria-pressed", "true")?;
        let step = button(
            document,
            "step",
            "Step",
            "Run one frame's worth of optimizer steps (S)",
        )?;
        let reset = button(
            document,
            "reset",
            "Reset model",
            "Restart the model from uniform attention; the data stay (R)",
        )?;
        let new_noise = button(
            document,
            "new-noise",
            "New noise",
            "Draw a new noise seed: same orbit, new observations",
        )?;
        for b in [&play, &step, &reset, &new_noise] {
            buttons.append_child(b)?;
        }
        panel.append_child(&buttons)?;

        let model: HtmlSelectElement = element(document, "select", "")?;
        model.set_id("model");
        model.set_title("Which attention model to train");
        for kind in ModelKind::ALL {
            let option: web_sys::HtmlOptionElement = element(document, "option", "")?;
            option.set_value(kind.name());
            option.set_text_content(Some(kind.name()));
            option.set_title(kind.description());
            model.append_child(&option)?;
        }
        model.set_value(config.model.name());
        let row = labelled_row(document, "model", "model", "Which attention model to train")?;
        row.append_child(&model)?;
        panel.append_child(&row)?;

        let groups: [(&str, Vec<&'static ParamSpec>); 3] = [
            (
                "Noise and data",
                ["sigma", "seed", "n", "t_end"]
                    .iter()
                    .filter_map(|n| config::parameter(n))
                    .collect(),
            ),
            (
                "Training",
                vec![config::parameter("lr").expect("lr spec"), &STEPS_PER_FRAME],
            ),
            (
                "Predator–prey system",
                ["alpha", "beta", "gamma", "delta", "x0", "y0"]
                    .iter()
                    .filter_map(|n| config::parameter(n))
                    .collect(),
            ),
        ];
        let mut sliders = Vec::new();
        for (title, specs) in groups {
            let group = fieldset(document, title)?;
            for spec in specs {
                let row = labelled_row(document, spec.name, spec.label, spec.help)?;
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
                group.append_child(&row)?;
                let slider = Slider {
                    spec,
                    input,
                    readout,
                    exact: Cell::new(None),
                };
                let value = if spec.name == "steps_per_frame" {
                    steps_per_frame as f64
                } else {
                    config.get(spec.name).unwrap_or(spec.default)
                };
                slider.set_value(value);
                sliders.push(slider);
            }
            panel.append_child(&group)?;
        }
        Ok(Controls {
            panel,
            sliders,
            model,
            play,
            step,
            reset,
            new_noise,
        })
    }

    /// The config the controls describe, starting from `base` (for fields without a control).
    pub fn read(&self, base: &Config) -> Result<(Config, usize), String> {
        let mut config = base.clone();
        let mut steps_per_frame = STEPS_PER_FRAME.default as usize;
        for s in &self.sliders {
            let v = s.value();
            if s.spec.name == "steps_per_frame" {
                steps_per_frame =
                    v.round().clamp(STEPS_PER_FRAME.min, STEPS_PER_FRAME.max) as usize;
            } else {
                config.set(s.spec.name, v).map_err(|e| e.to_string())?;
            }
        }
        config.model = self.model.value().parse()?;
        Ok((config, steps_per_frame))
    }

    /// Moves every control to `config` (after a rejected change, or a new seed).
    pub fn show(&self, config: &Config, steps_per_frame: usize) {
        for s in &self.sliders {
            let v = if s.spec.name == "steps_per_frame" {
                steps_per_frame as f64
            } else {
                config.get(s.spec.name).unwrap_or(s.spec.default)
            };
            s.set_value(v);
        }
        self.model.set_value(config.model.name());
    }

    pub fn slider(&self, name: &str) -> Option<&Slider> {
        self.sliders.iter().find(|s| s.spec.name == name)
    }

    pub fn set_playing(&self, playing: bool) {
        self.play
            .set_text_content(Some(if playing { "Pause" } else { "Play" }));
        let _ = self
            .play
            .set_attribute("aria-pressed", if playing { "true" } else { "false" });
    }
}
