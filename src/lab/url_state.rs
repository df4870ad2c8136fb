//! The page's whole state in the URL hash, for links a teacher can hand out:
//! `#system=lotka-volterra&alpha=1&beta=0.1&…&sigma=2&seed=0&lr=0.01&steps_per_frame=20&model=paper-linear&measure=dv-dn&playing=1`,
//! plus `preset=ID`, `hide=sigma,lr` (controls to hide), `big=1` (large text), `projection=0,2`
//! (which coordinates a 3-D system plots) and `head=H` (one self-attention head).
//! `system=` is applied first (after a preset): it decides which parameter keys exist.
//! The observations are named apart from the config ([`parse_data_keys`], [`data_keys`]):
//! `data=lynx-hare` (the built-in series; `simulated` is the default, `file` a visitor's file,
//! which a link cannot carry) and `fit=1` (fit the system to those data when the page opens) or
//! `fit=attention` (then weight the residuals by attention, to a fixed point).
//!
//! Parsing never fails. A malformed value (a fraction for a whole-number key, anything but 1 or
//! 0 for a flag) falls back to its default, an out-of-range one is clamped to the slider's range
//! (σ's is the system's and the noise model's: [`sigma_range`]),
//! an unknown key is ignored, and of a key given more than once the first value is used; each is
//! reported in a notice (values echoed at most [`ECHO_CHARS`] characters long), and the rest of
//! the hash still applies. Numbers are written in shortest round-trip form, so
//! a link restores the exact state: the same seed, the same data, the same numbers after the
//! same steps.

use crate::lab::config::{self, Config, STEPS_PER_FRAME};
use crate::lab::embed_link::EMBED_KEYS;
pub use crate::lab::link_text::{echo, ECHO_CHARS};
use crate::lab::link_text::{hash_pairs, parse_name, DATA_KEYS};
use crate::lab::presets;
use crate::lab::run_parameters::sigma_range;
use crate::measures::measure::{Measure, MeasureAt};
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;

/// Everything the page shows that a link can carry.
#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    pub config: Config,
    pub steps_per_frame: usize,
    pub playing: bool,
    pub preset: Option<&'static str>,
    /// Controls hidden from students, by name.
    pub hidden: Vec<String>,
    /// Large-text mode for projectors.
    pub big: bool,
    /// The state coordinates the phase portrait plots (x axis, y axis).
    pub projection: (usize, usize),
    /// Which self-attention head colours the portrait: 0 for all heads together, h for head h.
    pub head: usize,
}

impl Default for PageState {
    fn default() -> Self {
        PageState {
            config: Config::default(),
            steps_per_frame: STEPS_PER_FRAME.default as usize,
            playing: true,
            preset: None,
            hidden: Vec::new(),
            big: false,
            projection: SystemKind::default().run_defaults().projection,
            head: 0,
        }
    }
}

/// Names `hide=` accepts: every control's id, for every system.
pub fn control_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = SystemKind::ALL
        .iter()
        .flat_map(|k| k.parameters().map(|p| p.name))
        .chain(config::RUN_PARAMETERS.iter().map(|p| p.name))
        .chain([
            "steps_per_frame",
            "model",
            "system",
            "measure",
            "measure_at",
            "noise",
            "projection",
            "head",
        ])
        .collect();
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(*n));
    names
}

/// Whether a projection (x-axis coordinate, y-axis coordinate) can be drawn for a
/// `dim`-variable state: two different coordinates that exist.
pub fn projection_fits((a, b): (usize, usize), dim: usize) -> bool {
    a < dim && b < dim && a != b
}

/// Parses `i,j` (two distinct state indices below `dim`).
fn parse_projection(value: &str, dim: usize) -> Option<(usize, usize)> {
    let (a, b) = value.split_once(',')?;
    let p = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    projection_fits(p, dim).then_some(p)
}

/// Whole-number keys: a fraction is refused, not rounded.
const WHOLE_NUMBER_KEYS: [&str; 5] = ["n", "seed", "heads", "window", "steps_per_frame"];

crate::named_kind! {
    /// The observations a link names (the page's data select), apart from the config.
    pub enum LinkedData ("data") {
        /// The config's orbit plus noise.
        #[default]
        Simulated => "simulated",
        /// The built-in Hudson's Bay Company lynx and hare series, 1900–1920.
        LynxHare => "lynx-hare",
        /// A file the visitor chose: a link names it but cannot carry it.
        File => "file",
    }
}

/// Whether a link fits the system to its data, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkedFit {
    /// No fit (`fit=0`, or no `fit=`).
    #[default]
    None,
    /// `fit=1`: the multistart fit.
    Plain,
    /// `fit=attention`: the fit, then refits with each residual weighted by the attention learned
    /// against the current fit, to a fixed point (as `fit --weights attention`).
    Attention,
}

impl LinkedFit {
    /// The value of `fit=`.
    pub fn name(self) -> &'static str {
        match self {
            LinkedFit::None => "0",
            LinkedFit::Plain => "1",
            LinkedFit::Attention => "attention",
        }
    }
}

/// The `data=` and `fit=` keys of a hash: which observations, and whether and how the system is
/// fitted to them, with one notice per value that was changed or ignored. A fit needs
/// observations other than the simulated ones.
pub fn parse_data_keys(hash: &str) -> (LinkedData, LinkedFit, Vec<String>) {
    let mut data = LinkedData::default();
    let mut fit = LinkedFit::None;
    let mut notices = Vec::new();
    for (key, value) in hash_pairs(hash, true, &mut notices) {
        match key.as_str() {
            "data" => match parse_name::<LinkedData>(&value) {
                Ok(d) => data = d,
                Err(e) => notices.push(format!("data: {e}; using {data}")),
            },
            "fit" => match value.as_str() {
                "1" | "true" | "yes" | "" => fit = LinkedFit::Plain,
                "0" | "false" | "no" => fit = LinkedFit::None,
                "attention" => fit = LinkedFit::Attention,
                _ => notices.push(format!(
                    "fit: '{}' is not 1, 0 or attention; using {}",
                    echo(&value),
                    fit.name()
                )),
            },
            _ => {}
        }
    }
    if fit != LinkedFit::None && data == LinkedData::Simulated {
        notices.push(format!(
            "fit={} needs data=lynx-hare (or a file); not fitting",
            fit.name()
        ));
        fit = LinkedFit::None;
    }
    (data, fit, notices)
}

/// The hash keys of the data and the fit, to append to [`to_hash`]'s: `&data=lynx-hare&fit=1`,
/// nothing for simulated data.
pub fn data_keys(data: LinkedData, fit: LinkedFit) -> String {
    match (data, fit) {
        (LinkedData::Simulated, _) => String::new(),
        (d, LinkedFit::None) => format!("&data={d}"),
        (d, f) => format!("&data={d}&fit={}", f.name()),
    }
}

/// Parses a hash (with or without the leading `#`) into a state, with one notice per value that
/// was changed or ignored. The data keys are read by [`parse_data_keys`].
pub fn parse_hash(hash: &str) -> (PageState, Vec<String>) {
    let mut state = PageState::default();
    let mut notices = Vec::new();
    let mut pairs = hash_pairs(hash, false, &mut notices);
    pairs.retain(|(k, _)| !DATA_KEYS.contains(&k.as_str()) && !EMBED_KEYS.contains(&k.as_str()));
    // A preset sets every control first; explicit keys then override it.
    if let Some((_, id)) = pairs.iter().find(|(k, _)| k == "preset") {
        apply_preset(&mut state, id, &mut notices);
    }
    // The system comes next: it decides which parameters exist.
    if let Some((_, name)) = pairs.iter().find(|(k, _)| k == "system") {
        apply_system(&mut state, name, &mut notices);
    }
    for (key, value) in &pairs {
        apply_setting(&mut state, key, value, &mut notices);
    }
    // σ's slider range depends on the system and the noise model, known once every key is read.
    let (min, max, _) = sigma_range(state.config.system, state.config.noise);
    let sigma = state.config.sigma;
    if !(min..=max).contains(&sigma) {
        state.config.sigma = sigma.clamp(min, max);
        let used = state.config.sigma;
        notices.push(format!(
            "sigma: {sigma} is outside {min}–{max}; using {used}"
        ));
    }
    // A preset is named only while the setting is the preset's (`preset=lorenz&sigma=3` is not).
    if let Some(p) = state.preset.and_then(presets::find) {
        if p.settings() != (state.config.clone(), state.steps_per_frame) {
            state.preset = None;
        }
    }
    (state, notices)
}

fn apply_preset(state: &mut PageState, id: &str, notices: &mut Vec<String>) {
    match presets::find(id) {
        Some(p) => {
            let (config, spf) = p.settings();
            state.projection = config.system.run_defaults().projection;
            state.config = config;
            state.steps_per_frame = spf;
            state.preset = Some(p.id);
        }
        None => notices.push(format!(
            "preset '{}' does not exist; no preset applied",
            echo(id)
        )),
    }
}

fn apply_system(state: &mut PageState, name: &str, notices: &mut Vec<String>) {
    match parse_name::<SystemKind>(name) {
        Ok(system) if system != state.config.system => {
            state.config = state.config.switch_system(system);
            state.projection = system.run_defaults().projection;
            state.preset = None;
        }
        Ok(_) => {}
        Err(e) => notices.push(format!("system: {e}; using {}", state.config.system)),
    }
}

/// One `key=value` of the hash, other than the preset and the system (applied first).
fn apply_setting(state: &mut PageState, key: &str, value: &str, notices: &mut Vec<String>) {
    let system = state.config.system;
    match key {
        "preset" | "system" => {}
        "noise" => match parse_name::<NoiseModel>(value) {
            Ok(m) => match m.check(system) {
                Ok(()) => state.config.noise = m,
                Err(e) => notices.push(format!("noise: {e}; using {}", state.config.noise)),
            },
            Err(e) => notices.push(format!("noise: {e}; using {}", state.config.noise)),
        },
        "measure_at" => match parse_name::<MeasureAt>(value) {
            Ok(m) => state.config.measure_at = m,
            Err(e) => notices.push(format!(
                "measure_at: {e}; using {}",
                state.config.measure_at
            )),
        },
        "measure" => match parse_name::<Measure>(value) {
            Ok(m) => match m.check(system) {
                Ok(()) => state.config.measure = m,
                Err(e) => notices.push(format!("measure: {e}; using {}", state.config.measure)),
            },
            Err(e) => notices.push(format!("measure: {e}; using {}", state.config.measure)),
        },
        "projection" => match parse_projection(value, system.dim()) {
            Some(p) => state.projection = p,
            None => notices.push(format!(
                "projection: '{}' is not two different coordinates 0–{} like 0,2; using {},{}",
                echo(value),
                system.dim() - 1,
                state.projection.0,
                state.projection.1
            )),
        },
        "head" => match value.trim().parse::<usize>() {
            Ok(h) if h <= 4 => state.head = h,
            _ => notices.push(format!(
                "head: '{}' is not 0 (all heads) to 4; showing all heads",
                echo(value)
            )),
        },
        "model" => match parse_name::<ModelKind>(value) {
            Ok(m) => match m.check(system) {
                Ok(()) => state.config.model = m,
                Err(e) => notices.push(format!("model: {e}; using {}", state.config.model)),
            },
            Err(e) => notices.push(format!("model: {e}; using {}", state.config.model)),
        },
        "playing" => apply_flag(&mut state.playing, key, value, notices),
        "big" => apply_flag(&mut state.big, key, value, notices),
        "hide" => apply_hidden(state, value, notices),
        _ => apply_number(state, key, value, notices),
    }
}

fn apply_flag(target: &mut bool, key: &str, value: &str, notices: &mut Vec<String>) {
    // 1 or 0, as links write them; a bare key (`&big`) is on. Nothing else (yes, true, 2).
    let flag = match value {
        "1" | "" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    match flag {
        Some(f) => *target = f,
        None => notices.push(format!(
            "{key}: '{}' is not 1 or 0; using {}",
            echo(value),
            u8::from(*target)
        )),
    }
}

fn apply_hidden(state: &mut PageState, value: &str, notices: &mut Vec<String>) {
    let known = control_names();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if known.contains(&name) {
            state.hidden.push(name.to_string());
        } else {
            notices.push(format!("hide: there is no control '{}'", echo(name)));
        }
    }
}

/// A numeric control: clamped into its slider's range, or ignored with a notice.
fn apply_number(state: &mut PageState, key: &str, value: &str, notices: &mut Vec<String>) {
    let system = state.config.system;
    let spec = if key == STEPS_PER_FRAME.name {
        Some(&STEPS_PER_FRAME)
    } else {
        state.config.parameter(key)
    };
    let Some(spec) = spec else {
        if control_names().contains(&key) {
            notices.push(format!("'{key}' is not a parameter of {system}; ignored"));
        } else {
            notices.push(format!("unknown setting '{}' ignored", echo(key)));
        }
        return;
    };
    let current = if key == STEPS_PER_FRAME.name {
        state.steps_per_frame as f64
    } else {
        state.config.get(key).unwrap_or(spec.default)
    };
    let value = match value.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v.fract() != 0.0 && WHOLE_NUMBER_KEYS.contains(&key) => {
            notices.push(format!(
                "{key}: {} is not a whole number; using {current}",
                echo(value.trim())
            ));
            current
        }
        Ok(v) if v.is_finite() => {
            let clamped = v.clamp(spec.min, spec.max);
            if clamped != v {
                notices.push(format!(
                    "{key}: {} is outside {}–{}; using {clamped}",
                    echo(value.trim()),
                    spec.min,
                    spec.max
                ));
            }
            clamped
        }
        _ => {
            let value = echo(value);
            notices.push(format!("{key}: '{value}' is not a number; using {current}"));
            current
        }
    };
    if key == STEPS_PER_FRAME.name {
        state.steps_per_frame = value.round() as usize;
    } else {
        // Every name here is a known numeric parameter with a finite value.
        let _ = state.config.set(key, value);
    }
}

/// The hash for a state, every control by name, in a fixed order.
pub fn to_hash(state: &PageState) -> String {
    let c = &state.config;
    let mut parts = vec![format!("system={}", c.system)];
    parts.extend(
        c.parameters()
            .map(|p| format!("{}={}", p.name, c.get(p.name).unwrap_or(p.default))),
    );
    parts.push(format!("steps_per_frame={}", state.steps_per_frame));
    parts.push(format!("model={}", c.model));
    parts.push(format!("measure={}", c.measure));
    // Keys written only when they differ from what `parse_hash` starts from: the preset's
    // settings when there is one (the counts preset has lognormal noise), else the defaults.
    let base = state
        .preset
        .and_then(presets::find)
        .map_or_else(|| Config::for_system(c.system), |p| p.settings().0);
    if c.measure_at != base.measure_at {
        parts.push(format!("measure_at={}", c.measure_at));
    }
    if c.noise != base.noise {
        parts.push(format!("noise={}", c.noise));
    }
    if state.projection != c.system.run_defaults().projection {
        parts.push(format!(
            "projection={},{}",
            state.projection.0, state.projection.1
        ));
    }
    if state.head != 0 {
        parts.push(format!("head={}", state.head));
    }
    if let Some(p) = state.preset {
        parts.push(format!("preset={p}"));
    }
    parts.push(format!("playing={}", u8::from(state.playing)));
    if !state.hidden.is_empty() {
        parts.push(format!("hide={}", state.hidden.join(",")));
    }
    if state.big {
        parts.push("big=1".into());
    }
    format!("#{}", parts.join("&"))
}
