//! The lab's configuration: every parameter by name, with ranges, defaults and validation.
//! The same names are CLI flags (`t_end` is `--t-end`), JSON keys, URL-hash keys and DOM ids.

pub use crate::lab::run_parameters::{run_parameter, RUN_PARAMETERS, STEPS_PER_FRAME};
use crate::measures::ftle::{continuation_intervals, MAX_CONTINUATION};
use crate::measures::measure::{Measure, MeasureAt};
use crate::models::kind::ModelKind;
use crate::models::registry::ModelSetup;
use crate::models::self_attention;
use crate::observations::gaussian_noise::MAX_SEED;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::systems::system::ParamSpec;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Everything that determines a run, except how many steps it trains for.
///
/// The system's rates and initial state live in `system_values`, in the order of
/// [`SystemKind::parameters`]; they are read and written by name through [`Config::get`] and
/// [`Config::set`]. Serialised flat: `{"system": "lotka-volterra", "alpha": 1, …, "t_end": 15, …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub system: SystemKind,
    /// Rates then initial state, in the order of [`SystemKind::parameters`]; prefer
    /// [`Config::get`]/[`Config::set`]. [`Config::validate`] checks the length.
    pub system_values: Vec<f64>,
    pub t_end: f64,
    /// Time integrated and discarded before the window [0, t_end] starts.
    pub burn_in: f64,
    pub n: usize,
    pub sigma: f64,
    pub seed: u64,
    pub model: ModelKind,
    pub lr: f64,
    /// Heads of the self-attention model.
    pub heads: usize,
    /// Half-width W of the self-attention model's local window, in samples.
    pub window: usize,
    /// How noise enters the observations (σ is its spread: absolute for Gaussian noise, on the
    /// log scale for lognormal noise).
    pub noise: NoiseModel,
    /// The sensitivity measure attention is compared against.
    pub measure: Measure,
    /// Whether the measure is taken at the clean or at the observed states.
    pub measure_at: MeasureAt,
    /// Horizon τ of the FTLE and normal-growth measures.
    pub tau: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config::for_system(SystemKind::LotkaVolterra)
    }
}

/// A parameter with an unusable value.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub parameter: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Largest N accepted: the model is O(N) per step but the page and the JSON are not.
pub const MAX_N: usize = 1_000_000;

impl Config {
    /// A system's defaults: its rates, initial state, time window, noise and horizon.
    pub fn for_system(system: SystemKind) -> Self {
        let run = system.run_defaults();
        let spec = |name| run_parameter(name).expect("a run parameter").default;
        Config {
            system,
            system_values: system.default_values(),
            t_end: run.t_end,
            burn_in: run.burn_in,
            n: spec("n") as usize,
            sigma: run.sigma,
            seed: 0,
            model: ModelKind::PaperLinear,
            lr: spec("lr"),
            heads: spec("heads") as usize,
            window: spec("window") as usize,
            noise: NoiseModel::default(),
            measure: Measure::default_for(system),
            measure_at: MeasureAt::default(),
            tau: run.tau,
        }
    }

    /// The same config with one numeric parameter changed: for tests and presets.
    ///
    /// # Panics
    /// If `name` is not a parameter of this config's system or a run parameter, or `value` is
    /// not finite.
    pub fn with(mut self, name: &str, value: f64) -> Self {
        if let Err(e) = self.set(name, value) {
            panic!("Config::with: {e}");
        }
        self
    }

    /// The system's rates then its initial state, in the order of [`SystemKind::parameters`].
    pub fn system_values(&self) -> &[f64] {
        &self.system_values
    }

    /// What the config's model is built for (see [`ModelKind::build`]).
    pub fn model_setup(&self) -> ModelSetup<'_> {
        ModelSetup {
            system: self.system,
            system_values: &self.system_values,
            heads: self.heads,
            window: self.window,
        }
    }

    /// The initial state.
    pub fn initial_state(&self) -> &[f64] {
        &self.system_values[self.system.rates().len()..]
    }

    /// Whether `other` has the same system and rates (the same vector field).
    pub fn same_system(&self, other: &Config) -> bool {
        let k = self.system.rates().len();
        self.system == other.system && self.system_values[..k] == other.system_values[..k]
    }

    /// Every numeric parameter of this config: the system's, then the run parameters.
    pub fn parameters(&self) -> impl Iterator<Item = &'static ParamSpec> {
        self.system.parameters().chain(RUN_PARAMETERS.iter())
    }

    /// The spec of a numeric parameter by name.
    pub fn parameter(&self, name: &str) -> Option<&'static ParamSpec> {
        self.parameters().find(|p| p.name == name)
    }

    /// A numeric parameter's value by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        if let Some(i) = self.system.parameters().position(|p| p.name == name) {
            return Some(self.system_values[i]);
        }
        Some(match name {
            "t_end" => self.t_end,
            "burn_in" => self.burn_in,
            "n" => self.n as f64,
            "sigma" => self.sigma,
            "seed" => self.seed as f64,
            "lr" => self.lr,
            "tau" => self.tau,
            "heads" => self.heads as f64,
            "window" => self.window as f64,
            _ => return None,
        })
    }

    /// Sets a numeric parameter by name. Integer parameters take the nearest integer; the value
    /// is not validated here (see [`Config::validate`]).
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), ConfigError> {
        let spec = self.parameter(name).ok_or_else(|| ConfigError {
            parameter: "parameter",
            message: format!("'{name}' is not a parameter of {}", self.system),
        })?;
        if !value.is_finite() {
            return Err(ConfigError {
                parameter: spec.name,
                message: format!("{value} is not a finite number"),
            });
        }
        if let Some(i) = self.system.parameters().position(|p| p.name == name) {
            self.system_values[i] = value;
            return Ok(());
        }
        let count = |v: f64| v.round().max(0.0);
        match name {
            "t_end" => self.t_end = value,
            "burn_in" => self.burn_in = value,
            "n" => self.n = count(value) as usize,
            "sigma" => self.sigma = value,
            "seed" => self.seed = count(value) as u64,
            "lr" => self.lr = value,
            "tau" => self.tau = value,
            "heads" => self.heads = count(value) as usize,
            "window" => self.window = count(value) as usize,
            _ => unreachable!("every run spec has a field"),
        }
        Ok(())
    }

    /// Switches to another system with its defaults, keeping the seed, model, learning rate and
    /// the self-attention settings (and the model only if it applies to the new system).
    pub fn switch_system(&self, system: SystemKind) -> Config {
        let mut next = Config::for_system(system);
        next.seed = self.seed;
        next.lr = self.lr;
        next.heads = self.heads;
        next.window = self.window;
        next.n = self.n;
        if self.model.check(system).is_ok() {
            next.model = self.model;
        }
        next
    }

    /// Checks that every parameter is usable, naming the first one that is not.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_system()?;
        self.validate_run()
    }

    /// The system's rates and initial state.
    fn validate_system(&self) -> Result<(), ConfigError> {
        let err =
            |parameter: &'static str, message: String| Err(ConfigError { parameter, message });
        if self.system_values.len() != self.system.parameters().count() {
            return err(
                "system",
                format!(
                    "{} needs {} values, got {}",
                    self.system,
                    self.system.parameters().count(),
                    self.system_values.len()
                ),
            );
        }
        for (spec, &v) in self.system.rates().iter().zip(&self.system_values) {
            if !(v.is_finite() && v > 0.0) {
                return err(
                    spec.name,
                    format!("must be a positive finite number, got {v}"),
                );
            }
        }
        for (spec, &v) in self.system.initial_state().iter().zip(self.initial_state()) {
            if !v.is_finite() {
                return err(spec.name, format!("must be a finite number, got {v}"));
            }
        }
        let system = match self.system.build(&self.system_values) {
            Ok(system) => system,
            Err(e) => return err("system", e),
        };
        // Name the coordinate: check each one against the defaults for the others.
        let defaults = self.system.default_values();
        let start = self.system.rates().len();
        for (i, spec) in self.system.initial_state().iter().enumerate() {
            let mut probe = defaults[start..].to_vec();
            probe[i] = self.initial_state()[i];
            if let Err(e) = system.check_state(&probe) {
                return err(spec.name, format!("not a valid initial state: {e}"));
            }
        }
        if let Err(e) = system.check_state(self.initial_state()) {
            return err("system", format!("not a valid initial state: {e}"));
        }
        Ok(())
    }

    /// The run parameters, and the measure and model against the system.
    fn validate_run(&self) -> Result<(), ConfigError> {
        let err =
            |parameter: &'static str, message: String| Err(ConfigError { parameter, message });
        for (name, v) in [("t_end", self.t_end), ("lr", self.lr), ("tau", self.tau)] {
            if !(v.is_finite() && v > 0.0) {
                return err(name, format!("must be a positive finite number, got {v}"));
            }
        }
        if !(self.sigma.is_finite() && self.sigma >= 0.0) {
            return err(
                "sigma",
                format!("must be a finite number ≥ 0, got {}", self.sigma),
            );
        }
        if !(2..=MAX_N).contains(&self.n) {
            return err(
                "n",
                format!("must be between 2 and {MAX_N}, got {}", self.n),
            );
        }
        if self.seed > MAX_SEED {
            return err(
                "seed",
                format!("must be at most 2^53 − 1 = {MAX_SEED}, got {}", self.seed),
            );
        }
        if !(self.burn_in.is_finite() && (0.0..=1e4).contains(&self.burn_in)) {
            return err(
                "burn_in",
                format!("must be between 0 and 10000, got {}", self.burn_in),
            );
        }
        if self.t_end > 1e4 {
            return err(
                "t_end",
                format!("must be at most 10000, got {}", self.t_end),
            );
        }
        if self.tau > 1e3 {
            return err("tau", format!("must be at most 1000, got {}", self.tau));
        }
        if !(1..=4).contains(&self.heads) {
            return err("heads", format!("must be 1 to 4, got {}", self.heads));
        }
        if !(1..=1000).contains(&self.window) {
            return err("window", format!("must be 1 to 1000, got {}", self.window));
        }
        // The FTLE windows at the end of the run need the orbit continued τ further, counted
        // as the continuation counts them (its spacing is never below t_end/(N − 1)).
        let intervals = continuation_intervals(self.tau, self.t_end / (self.n - 1) as f64);
        if self.measure.uses_horizon()
            && !(intervals.is_finite() && intervals <= MAX_CONTINUATION as f64)
        {
            return err(
                "tau",
                format!(
                    "τ = {} spans {intervals:.0} sampling intervals of t_end/(N − 1); at most {MAX_CONTINUATION} are allowed",
                    self.tau,
                ),
            );
        }
        if let Err(e) = self.measure.check(self.system) {
            return err("measure", e);
        }
        if let Err(e) = self.measure_at.check(self.measure) {
            return err("measure_at", e);
        }
        if let Err(e) = self.noise.check(self.system) {
            return err("noise", e);
        }
        if let Err(e) = self.model.check(self.system) {
            return err("model", e);
        }
        self.validate_workspace()
    }

    /// The self-attention workspace must fit in its cap before anything is allocated.
    fn validate_workspace(&self) -> Result<(), ConfigError> {
        let err =
            |parameter: &'static str, message: String| Err(ConfigError { parameter, message });
        if self.model == ModelKind::SelfAttention {
            let bytes =
                self_attention::workspace_bytes(self.system.dim(), self.heads, self.window, self.n);
            if bytes > self_attention::MAX_WORKSPACE_BYTES {
                return err(
                    "window",
                    format!(
                        "self-attention with N = {}, W = {} and {} heads needs {} MiB for its H·N·(2W + 1) attention weights; at most {} MiB: lower N, the window or the heads",
                        self.n,
                        self.window,
                        self.heads,
                        bytes >> 20,
                        self_attention::MAX_WORKSPACE_BYTES >> 20
                    ),
                );
            }
        }
        Ok(())
    }

    /// Whether `other` needs a new clean trajectory.
    pub fn trajectory_differs(&self, other: &Config) -> bool {
        self.system != other.system
            || self.system_values != other.system_values
            || (self.t_end, self.n, self.burn_in) != (other.t_end, other.n, other.burn_in)
    }

    /// Whether `other` needs a new sensitivity measure along the same trajectory.
    pub fn measure_differs(&self, other: &Config) -> bool {
        self.measure != other.measure
            || self.measure_at != other.measure_at
            || (self.measure.uses_horizon() && self.tau != other.tau)
    }

    /// Whether `other` needs new noisy observations.
    pub fn observations_differ(&self, other: &Config) -> bool {
        self.trajectory_differs(other)
            || (self.sigma, self.seed, self.noise) != (other.sigma, other.seed, other.noise)
    }

    /// Whether `other` needs a new model (the model's own shape changed).
    pub fn model_differs(&self, other: &Config) -> bool {
        self.model != other.model
            || (self.model.uses_heads_and_window()
                && (self.heads, self.window) != (other.heads, other.window))
    }
}

impl Serialize for Config {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("system", &self.system)?;
        for (spec, v) in self.system.parameters().zip(&self.system_values) {
            map.serialize_entry(spec.name, v)?;
        }
        map.serialize_entry("t_end", &self.t_end)?;
        map.serialize_entry("burn_in", &self.burn_in)?;
        map.serialize_entry("n", &self.n)?;
        map.serialize_entry("sigma", &self.sigma)?;
        map.serialize_entry("seed", &self.seed)?;
        map.serialize_entry("model", &self.model)?;
        map.serialize_entry("lr", &self.lr)?;
        map.serialize_entry("heads", &self.heads)?;
        map.serialize_entry("window", &self.window)?;
        map.serialize_entry("noise", &self.noise)?;
        map.serialize_entry("measure", &self.measure)?;
        map.serialize_entry("measure_at", &self.measure_at)?;
        map.serialize_entry("tau", &self.tau)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Config {
    /// Missing keys take the system's defaults; unknown keys are an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = BTreeMap::<String, serde_json::Value>::deserialize(deserializer)?;
        let system = match raw.get("system") {
            Some(v) => SystemKind::deserialize(v).map_err(D::Error::custom)?,
            None => SystemKind::default(),
        };
        let mut config = Config::for_system(system);
        for (key, value) in &raw {
            match key.as_str() {
                "system" => {}
                "model" => {
                    config.model = ModelKind::deserialize(value).map_err(D::Error::custom)?
                }
                "measure" => {
                    config.measure = Measure::deserialize(value).map_err(D::Error::custom)?
                }
                "measure_at" => {
                    config.measure_at = MeasureAt::deserialize(value).map_err(D::Error::custom)?
                }
                "noise" => {
                    config.noise = NoiseModel::deserialize(value).map_err(D::Error::custom)?
                }
                name => {
                    let v = value
                        .as_f64()
                        .ok_or_else(|| D::Error::custom(format!("{name}: not a number")))?;
                    config.set(name, v).map_err(D::Error::custom)?;
                }
            }
        }
        Ok(config)
    }
}
