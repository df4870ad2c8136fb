//! The control panel, built from the same parameter specs the CLI validates against: one native
//! range input per parameter (id = parameter name) with a label, a live readout and a tooltip,
//! the system, model, measure (and where it is taken), noise, projection and head selects, and
//! the buttons. The system's own sliders are rebuilt when the system changes. A control that
//! does not apply is disabled with its reason.

use super::data_controls::DataControls;
use super::selects::{fill, fit_options, Selects};
use super::slider::Slider;
use crate::lab::config::{self, Config};
use crate::measures::measure::{Measure, MeasureAt};
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::systems::system::ParamSpec;
use crate::web::elements::{button, disable_with_reason, element, fieldset, reason_hint};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlOptionElement, HtmlSelectElement};

pub use crate::lab::config::STEPS_PER_FRAME;

pub struct Controls {
    pub panel: HtmlElement,
    pub sliders: Vec<Slider>,
    pub model: HtmlSelectElement,
    pub system: HtmlSelectElement,
    pub measure: HtmlSelectElement,
    pub measure_at: HtmlSelectElement,
    measure_at_why: HtmlElement,
    /// The noise select, Whole periods and the non-physical share (with the noise sliders).
    pub data: DataControls,
    /// Which two state coordinates the phase portrait plots (options rebuilt per system).
    pub projection: HtmlSelectElement,
    /// All heads together, or one self-attention head.
    pub head: HtmlSelectElement,
    head_why: HtmlElement,
    pub play: HtmlElement,
    pub step: HtmlElement,
    pub reset: HtmlElement,
    pub new_noise: HtmlElement,
    new_noise_why: HtmlElement,
    /// The fieldset holding the current system's sliders, rebuilt when the system changes.
    system_group: HtmlElement,
    description: HtmlElement,
    /// The system the system sliders belong to.
    shown_system: SystemKind,
}

/// Value "i,j" and text "x – z" for every ordered pair of coordinates a system can plot.
const PROJECTIONS: [(&str, usize, usize); 6] = [
    ("0,1", 0, 1),
    ("0,2", 0, 2),
    ("1,2", 1, 2),
    ("1,0", 1, 0),
    ("2,0", 2, 0),
    ("2,1", 2, 1),
];

/// The run buttons above the selects.
struct RunButtons {
    play: HtmlElement,
    step: HtmlElement,
    reset: HtmlElement,
    new_noise: HtmlElement,
    new_noise_why: HtmlElement,
}

/// New noise's tooltip when it applies.
const NEW_NOISE_TITLE: &str = "Draw a new noise seed: same orbit, new observations";

impl RunButtons {
    /// Builds the buttons into a `.buttons` row appended to `panel`.
    fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let buttons: HtmlElement = element(document, "div", "")?;
        buttons.set_class_name("buttons");
        let play = button(document, "play", "Pause", "Play or pause training (Space)")?;
        play.set_attribute("aria-pressed", "true")?;
        let step = button(
            document,
            "step",
            "Step",
            "Run one frame's worth of training work (S): optimizer steps, or columns of the convergence test; nothing once training has converged",
        )?;
        let reset = button(
            document,
            "reset",
            "Reset model",
            "Restart the model from uniform attention; the data stay (R)",
        )?;
        let new_noise = button(document, "new-noise", "New noise", NEW_NOISE_TITLE)?;
        for b in [&play, &step, &reset, &new_noise] {
            buttons.append_child(b)?;
        }
        panel.append_child(&buttons)?;
        let new_noise_why = reason_hint(document, &new_noise)?;
        panel.append_child(&new_noise_why)?;
        Ok(RunButtons {
            play,
            step,
            reset,
            new_noise,
            new_noise_why,
        })
    }
}

/// The run's sliders in their fieldsets (noise and data, training, sensitivity), appended to
/// `panel` and set to `config` and `steps_per_frame`; also returns the noise and data fieldset.
fn run_sliders(
    document: &Document,
    panel: &HtmlElement,
    config: &Config,
    steps_per_frame: usize,
) -> Result<(Vec<Slider>, HtmlElement), JsValue> {
    let groups: [(&str, Vec<&'static ParamSpec>); 3] = [
        (
            "Noise and data",
            ["sigma", "seed", "n", "t_end", "burn_in"]
                .iter()
                .filter_map(|n| config::run_parameter(n))
                .collect(),
        ),
        (
            "Training",
            ["lr", "heads", "window"]
                .iter()
                .filter_map(|n| config::run_parameter(n))
                .chain([&STEPS_PER_FRAME])
                .collect(),
        ),
        (
            "Sensitivity",
            vec![config::run_parameter("tau").expect("tau spec")],
        ),
    ];
    let mut sliders = Vec::new();
    let mut data_group = None;
    for (title, specs) in groups {
        let group = fieldset(document, title)?;
        for spec in specs {
            let slider = Slider::new(document, spec, &group)?;
            let value = if spec.name == "steps_per_frame" {
                steps_per_frame as f64
            } else {
                config.get(spec.name).unwrap_or(spec.default)
            };
            slider.set_value(value);
            sliders.push(slider);
        }
        panel.append_child(&group)?;
        data_group.get_or_insert(group);
    }
    Ok((sliders, data_group.expect("three groups")))
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
        let buttons = RunButtons::new(document, &panel)?;
        let selects = Selects::new(document, &panel)?;
        let (sliders, data_group) = run_sliders(document, &panel, config, steps_per_frame)?;
        let data = DataControls::new(document, &data_group)?;
        let system_group = fieldset(document, "System")?;
        panel.append_child(&system_group)?;
        let mut controls = Controls {
            panel,
            sliders,
            model: selects.model,
            system: selects.system,
            measure: selects.measure,
            measure_at: selects.measure_at,
            measure_at_why: selects.measure_at_why,
            data,
            projection: selects.projection,
            head: selects.head,
            head_why: selects.head_why,
            play: buttons.play,
            step: buttons.step,
            reset: buttons.reset,
            new_noise: buttons.new_noise,
            new_noise_why: buttons.new_noise_why,
            system_group,
            description: selects.description,
            shown_system: config.system,
        };
        controls.build_system(document, config)?;
        controls.show(
            document,
            config,
            steps_per_frame,
            config.system.run_defaults().projection,
            0,
        );
        Ok(controls)
    }

    /// Rebuilds the system sliders, and the options that depend on the system.
    fn build_system(&mut self, document: &Document, config: &Config) -> Result<(), JsValue> {
        let old = self.shown_system;
        self.sliders
            .retain(|s| !old.parameters().any(|p| p.name == s.spec.name));
        let legend = self.system_group.first_element_child();
        self.system_group.set_inner_html("");
        if let Some(legend) = legend {
            self.system_group.append_child(&legend)?;
        }
        for spec in config.system.parameters() {
            let slider = Slider::new(document, spec, &self.system_group)?;
            slider.set_value(config.get(spec.name).unwrap_or(spec.default));
            self.sliders.push(slider);
        }
        self.description
            .set_text_content(Some(config.system.description()));
        let names = config.system.state_names();
        let dim = config.system.dim();
        fill(
            document,
            &self.projection,
            PROJECTIONS
                .iter()
                .filter(|(_, a, b)| *a < dim && *b < dim)
                .map(|&(v, a, b)| (v, format!("{} against {}", names[b], names[a]), "")),
        )?;
        for (i, kind) in ModelKind::ALL.into_iter().enumerate() {
            if let Some(option) = self.model.item(i as u32) {
                let ok = kind.check(config.system);
                let _ = option.set_attribute(
                    "title",
                    &ok.clone().err().unwrap_or(kind.description().into()),
                );
                if let Some(o) = option.dyn_ref::<HtmlOptionElement>() {
                    o.set_disabled(ok.is_err());
                }
            }
        }
        for (i, m) in Measure::ALL.into_iter().enumerate() {
            if let Some(option) = self.measure.item(i as u32) {
                let ok = m.check(config.system);
                let _ = option
                    .set_attribute("title", &ok.clone().err().unwrap_or(m.description().into()));
                if let Some(o) = option.dyn_ref::<HtmlOptionElement>() {
                    o.set_disabled(ok.is_err());
                }
            }
        }
        self.data.fit_system(config.system);
        self.shown_system = config.system;
        Ok(())
    }

    /// The system whose sliders are shown.
    pub fn shown_system(&self) -> SystemKind {
        self.shown_system
    }

    /// The config the controls describe, starting from `base` (for fields without a control).
    /// A system just picked in the select gives that system's defaults (keeping the seed, model
    /// and training settings), since its sliders are not built yet.
    pub fn read(&self, base: &Config) -> Result<(Config, usize), String> {
        let mut steps_per_frame = STEPS_PER_FRAME.default as usize;
        let system: SystemKind = self.system.value().parse()?;
        if system != self.shown_system {
            // The user picked another system: its defaults, before its sliders exist.
            for s in &self.sliders {
                if s.spec.name == "steps_per_frame" {
                    steps_per_frame = s.value().round() as usize;
                }
            }
            return Ok((base.switch_system(system), steps_per_frame));
        }
        // The sliders are this system's (perhaps set by a link or a preset): read them all.
        let mut config = if base.system == system {
            base.clone()
        } else {
            base.switch_system(system)
        };
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
        config.measure = self.measure.value().parse()?;
        // An option that does not apply is disabled; one left chosen by another change (the
        // measure moved away from dv-dn) falls back to the default.
        config.measure_at = self.measure_at.value().parse()?;
        if config.measure_at.check(config.measure).is_err() {
            config.measure_at = MeasureAt::Clean;
        }
        config.noise = self.data.noise.value().parse()?;
        if config.noise.check(system).is_err() {
            config.noise = NoiseModel::Gaussian;
        }
        Ok((config, steps_per_frame))
    }

    /// The projection the select shows.
    pub fn projection(&self) -> (usize, usize) {
        let value = self.projection.value();
        PROJECTIONS
            .iter()
            .find(|(v, _, _)| *v == value)
            .map_or((0, 1), |&(_, a, b)| (a, b))
    }

    /// The head the select shows (0 = all).
    pub fn head(&self) -> usize {
        self.head.value().parse().unwrap_or(0)
    }

    /// Moves every control to `config` (after a rejected change, a new seed, a link or a
    /// preset), rebuilding the system sliders when the system differs.
    pub fn show(
        &mut self,
        document: &Document,
        config: &Config,
        steps_per_frame: usize,
        projection: (usize, usize),
        head: usize,
    ) {
        if config.system != self.shown_system {
            let _ = self.build_system(document, config);
        }
        // σ's range first: the browser clamps a slider's position to its range.
        self.data
            .show_noise(config.system, config.noise, self.slider("sigma"));
        for s in &self.sliders {
            let v = if s.spec.name == "steps_per_frame" {
                steps_per_frame as f64
            } else {
                config.get(s.spec.name).unwrap_or(s.spec.default)
            };
            s.set_value(v);
        }
        self.system.set_value(config.system.name());
        self.model.set_value(config.model.name());
        self.measure.set_value(config.measure.name());
        self.measure_at.set_value(config.measure_at.name());
        fit_options(
            &self.measure_at,
            &self.measure_at_why,
            &MeasureAt::ALL,
            |m| m.check(config.measure),
            |_| String::new(),
        );
        self.projection
            .set_value(&format!("{},{}", projection.0, projection.1));
        self.head.set_value(&head.to_string());
        let attention_heads = config.model.uses_heads_and_window();
        for name in ["heads", "window"] {
            if let Some(s) = self.slider(name) {
                s.input.set_disabled(!attention_heads);
            }
        }
        self.fit_heads(attention_heads.then_some(config.heads), config.model);
        if let Some(row) = self.projection.parent_element() {
            let _ = row
                .dyn_ref::<HtmlElement>()
                .map(|r| r.set_hidden(config.system.dim() < 3));
        }
        if let Some(s) = self.slider("tau") {
            s.input.set_disabled(!config.measure.uses_horizon());
        }
    }

    /// The head select and its options for a model with `heads` heads (`None`: a model without
    /// heads): a head the model does not have is disabled with its reason, as the option's
    /// tooltip and in the hint under the select.
    fn fit_heads(&self, heads: Option<usize>, model: ModelKind) {
        self.head.set_disabled(heads.is_none());
        let reason_for = |h: usize| match heads {
            None => Some(format!(
                "only the self-attention model has heads, and {model} has none"
            )),
            Some(k) if h > k => Some(format!(
                "the model has {k} head{} (the \"heads\" slider sets how many)",
                if k == 1 { "" } else { "s" }
            )),
            Some(_) => None,
        };
        for h in 1..=4usize {
            if let Some(o) = self
                .head
                .item(h as u32)
                .and_then(|o| o.dyn_into::<HtmlOptionElement>().ok())
            {
                let reason = reason_for(h);
                o.set_disabled(reason.is_some());
                o.set_title(
                    &reason.unwrap_or_else(|| "attention received from this head alone".into()),
                );
            }
        }
        let why = match heads {
            None => reason_for(1).map(|r| format!("Colour by one head: {r}.")),
            Some(k) if k < 4 => Some(format!(
                "Head {} to 4: the model has {k} head{}; the \"heads\" slider sets how many.",
                k + 1,
                if k == 1 { "" } else { "s" }
            )),
            Some(_) => None,
        };
        self.head_why.set_text_content(why.as_deref());
        self.head_why.set_hidden(why.is_none());
        let title = why.unwrap_or_else(|| {
            "Colour the phase portrait by all heads together or by one head (self-attention)".into()
        });
        self.head.set_title(&title);
    }

    /// New noise: enabled, or disabled with the reason there is no noise to redraw.
    pub fn fit_new_noise(&self, reason: Option<&str>) {
        disable_with_reason(
            &self.new_noise,
            &self.new_noise_why,
            reason,
            NEW_NOISE_TITLE,
        );
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
