//! The lab's configuration: every parameter by name, with ranges, defaults and validation.
//! The same names are CLI flags (`t_end` is `--t-end`), JSON keys, URL-hash keys and DOM ids.

use crate::gaussian_noise::MAX_SEED;
use crate::lotka_volterra;
use crate::model::ModelKind;
use crate::system::ParamSpec;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Everything that determines a run, except how many steps it trains for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub delta: f64,
    pub x0: f64,
    pub y0: f64,
    pub t_end: f64,
    pub n: usize,
    pub sigma: f64,
    pub seed: u64,
    pub model: ModelKind,
    pub lr: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            alpha: 1.0,
            beta: 0.1,
            gamma: 1.5,
            delta: 0.75,
            x0: 10.0,
            y0: 5.0,
            t_end: 15.0,
            n: 1000,
            sigma: 2.0,
            seed: 0,
            model: ModelKind::PaperLinear,
            lr: 0.01,
        }
    }
}

/// The run parameters beyond the system's rates. `min..=max` are the slider ranges; validation
/// ([`Config::validate`]) only enforces what keeps the numbers meaningful.
pub const RUN_PARAMETERS: [ParamSpec; 7] = [
    ParamSpec {
        name: "x0",
        label: "x₀ initial prey",
        min: 0.5,
        max: 60.0,
        default: 10.0,
        step: 0.5,
        help: "Initial prey population: picks which closed orbit the system follows.",
    },
    ParamSpec {
        name: "y0",
        label: "y₀ initial predators",
        min: 0.5,
        max: 60.0,
        default: 5.0,
        step: 0.5,
        help: "Initial predator population: picks which closed orbit the system follows.",
    },
    ParamSpec {
        name: "t_end",
        label: "t_end duration",
        min: 2.0,
        max: 60.0,
        default: 15.0,
        step: 0.5,
        help: "Length of the simulated time window [0, t_end].",
    },
    ParamSpec {
        name: "n",
        label: "N samples",
        min: 50.0,
        max: 5000.0,
        default: 1000.0,
        step: 50.0,
        help: "Number of observations, uniformly spaced in time.",
    },
    ParamSpec {
        name: "sigma",
        label: "σ noise",
        min: 0.0,
        max: 10.0,
        default: 2.0,
        step: 0.1,
        help: "Standard deviation of the Gaussian noise added to each observed coordinate.",
    },
    ParamSpec {
        name: "seed",
        label: "seed",
        min: 0.0,
        max: 999.0,
        default: 0.0,
        step: 1.0,
        help: "Seed of the noise: the same seed gives exactly the same noisy data everywhere.",
    },
    ParamSpec {
        name: "lr",
        label: "learning rate",
        min: 1e-4,
        max: 1.0,
        default: 0.01,
        step: 0.0001,
        help: "Adam learning rate. Changing it keeps what the model has learned.",
    },
];

/// The page-only control: optimizer steps per animation frame.
pub const STEPS_PER_FRAME: ParamSpec = ParamSpec {
    name: "steps_per_frame",
    label: "steps per frame",
    min: 1.0,
    max: 200.0,
    default: 20.0,
    step: 1.0,
    help: "Optimizer steps run before each redraw. More trains faster; fewer lets you watch each step.",
};

/// Every numeric parameter: the system's rates, then the run parameters.
pub fn parameters() -> impl Iterator<Item = &'static ParamSpec> {
    lotka_volterra::PARAMETERS
        .iter()
        .chain(RUN_PARAMETERS.iter())
}

/// The spec of a numeric parameter by name.
pub fn parameter(name: &str) -> Option<&'static ParamSpec> {
    parameters().find(|p| p.name == name)
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
    /// A numeric parameter's value by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match name {
            "alpha" => self.alpha,
            "beta" => self.beta,
            "gamma" => self.gamma,
            "delta" => self.delta,
            "x0" => self.x0,
            "y0" => self.y0,
            "t_end" => self.t_end,
            "n" => self.n as f64,
            "sigma" => self.sigma,
            "seed" => self.seed as f64,
            "lr" => self.lr,
            _ => return None,
        })
    }

    /// Sets a numeric parameter by name. Integer parameters take the nearest integer; the value
    /// is not validated here (see [`Config::validate`]).
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), ConfigError> {
        let spec = parameter(name).ok_or_else(|| ConfigError {
            parameter: "parameter",
            message: format!("unknown parameter '{name}'"),
        })?;
        if !value.is_finite() {
            return Err(ConfigError {
                parameter: spec.name,
                message: format!("{value} is not a finite number"),
            });
        }
        match name {
            "alpha" => self.alpha = value,
            "beta" => self.beta = value,
            "gamma" => self.gamma = value,
            "delta" => self.delta = value,
            "x0" => self.x0 = value,
            "y0" => self.y0 = value,
            "t_end" => self.t_end = value,
            "n" => self.n = value.round().max(0.0) as usize,
            "sigma" => self.sigma = value,
            "seed" => self.seed = value.round().max(0.0) as u64,
            "lr" => self.lr = value,
            _ => unreachable!("every spec has a field"),
        }
        Ok(())
    }

    /// Checks that every parameter is usable, naming the first one that is not.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err =
            |parameter: &'static str, message: String| Err(ConfigError { parameter, message });
        let positive = [
            ("alpha", self.alpha),
            ("beta", self.beta),
            ("gamma", self.gamma),
            ("delta", self.delta),
            ("x0", self.x0),
            ("y0", self.y0),
            ("t_end", self.t_end),
            ("lr", self.lr),
        ];
        for (name, v) in positive {
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
        if self.t_end > 1e4 {
            return err(
                "t_end",
                format!("must be at most 10000, got {}", self.t_end),
            );
        }
        Ok(())
    }

    /// Whether `other` needs a new clean trajectory.
    pub fn trajectory_differs(&self, other: &Config) -> bool {
        (
            self.alpha, self.beta, self.gamma, self.delta, self.x0, self.y0, self.t_end, self.n,
        ) != (
            other.alpha,
            other.beta,
            other.gamma,
            other.delta,
            other.x0,
            other.y0,
            other.t_end,
            other.n,
        )
    }

    /// Whether `other` needs new noisy observations.
    pub fn observations_differ(&self, other: &Config) -> bool {
        self.trajectory_differs(other) || (self.sigma, self.seed) != (other.sigma, other.seed)
    }
}
