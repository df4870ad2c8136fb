//! The observation noise models:
//!
//! - `gaussian`: x̃ = x + σ·ε, additive, the paper's setting. For populations it can give zero or
//!   negative counts, which no census reports; [`non_physical_share`] says how many;
//! - `lognormal`: x̃ = x·exp(σ·ε), multiplicative, always positive for a positive state: the
//!   usual error model for ecological counts. σ is then a log-scale spread (σ = 0.1 is about
//!   ±10%). It applies only to systems whose states are positive (Lotka–Volterra, Goodwin).
//!
//! ε is the same seeded standard-normal stream in both ([`StandardNormal`]), so a seed names
//! one draw whatever the model.

use crate::observations::gaussian_noise::StandardNormal;
use crate::systems::catalogue::SystemKind;
use ndarray::Array2;

crate::named_kind! {
    /// How noise enters the observations.
    pub enum NoiseModel ("noise model") {
        #[default]
        Gaussian => "gaussian",
        Lognormal => "lognormal",
    }
}

impl NoiseModel {
    /// A short formula for tables and the page.
    pub fn formula(self) -> &'static str {
        match self {
            NoiseModel::Gaussian => "x̃ = x + σε",
            NoiseModel::Lognormal => "x̃ = x·exp(σε)",
        }
    }

    /// Whether the model applies to a system; the error says why not.
    pub fn check(self, system: SystemKind) -> Result<(), String> {
        match self {
            NoiseModel::Lognormal if !system.has_positive_states() => Err(format!(
                "lognormal noise multiplies the state and needs it positive, but the states of the {} can be negative: use gaussian",
                system.title()
            )),
            _ => Ok(()),
        }
    }

    /// The observations of `clean` under this model with spread σ, seeded. σ = 0 returns
    /// `clean` exactly.
    pub fn observe(self, clean: &Array2<f64>, sigma: f64, seed: u64) -> Array2<f64> {
        if sigma == 0.0 {
            return clean.clone();
        }
        let mut normal = StandardNormal::new(seed);
        match self {
            NoiseModel::Gaussian => clean.mapv(|v| v + sigma * normal.sample()),
            NoiseModel::Lognormal => clean.mapv(|v| v * libm::exp(sigma * normal.sample())),
        }
    }
}

/// The share of observed values that are zero or negative (impossible for a population).
pub fn non_physical_share(observations: &Array2<f64>) -> f64 {
    let n = observations.len().max(1);
    observations.iter().filter(|v| **v <= 0.0).count() as f64 / n as f64
}
