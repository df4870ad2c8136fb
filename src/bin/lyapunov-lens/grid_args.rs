//! A grid of runs for `sweep`, `figure --kind sweep` and `findings`: models × σ × seeds, and
//! its conversion into a validated [`SweepSpec`].

use crate::error::{positive_finite, usage_error, CliError};
use clap::Args;
use lyapunov_lens::experiments::perturbation::DEFAULT_EPSILON;
use lyapunov_lens::experiments::sweep::SweepSpec;
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::gaussian_noise::MAX_SEED;
use lyapunov_lens::training::budget::Budget;

/// A grid of runs for sweeps.
#[derive(Args)]
pub struct GridArgs {
    /// Noise levels, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.0, 0.5, 1.0, 2.0, 4.0])]
    sigmas: Vec<f64>,
    /// Number of seeds per (model, σ): seeds 0 .. K−1.
    #[arg(long, default_value_t = 20, conflicts_with = "seed_list")]
    seeds: u64,
    /// Explicit seeds, comma-separated (instead of --seeds).
    #[arg(long, value_delimiter = ',')]
    seed_list: Option<Vec<u64>>,
    /// Models, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::PaperLinear])]
    models: Vec<ModelKind>,
    /// Kick size of the perturbation check (horizon: one measured period).
    #[arg(long, default_value_t = DEFAULT_EPSILON)]
    epsilon: f64,
}

impl GridArgs {
    /// The sweep of `base` over this grid, each run trained under `budget`.
    pub fn to_spec(&self, base: Config, budget: Budget) -> Result<SweepSpec, CliError> {
        let seeds: Vec<u64> = match &self.seed_list {
            Some(list) => list.clone(),
            None => (0..self.seeds).collect(),
        };
        if seeds.is_empty() || self.sigmas.is_empty() || self.models.is_empty() {
            return Err(usage_error(
                "a sweep needs at least one σ, one seed and one model".into(),
            ));
        }
        if let Some(e) = self.models.iter().find_map(|m| m.check(base.system).err()) {
            return Err(usage_error(format!("invalid value in --models: {e}")));
        }
        for &sigma in &self.sigmas {
            let mut config = base.clone();
            config.sigma = sigma;
            config
                .validate()
                .map_err(|e| usage_error(format!("invalid value in --sigmas: {}", e.message)))?;
        }
        if let Some(&seed) = seeds.iter().find(|&&s| s > MAX_SEED) {
            return Err(usage_error(format!(
                "invalid value in --seed-list: {seed} is above 2^53 − 1"
            )));
        }
        positive_finite("epsilon", self.epsilon)?;
        Ok(SweepSpec {
            base,
            models: self.models.clone(),
            sigmas: self.sigmas.clone(),
            seeds,
            budget,
            epsilon: self.epsilon,
        })
    }
}
