//! A grid of runs for `sweep`, `figure --kind sweep` and `findings`: models × σ × seeds, and
//! its conversion into a validated [`SweepSpec`].

use crate::error::{usage_error, CliError};
use clap::Args;
use lyapunov_lens::experiments::sweep::{SweepSpec, SEED_STRIDE};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::training::budget::Budget;

/// A grid of runs for sweeps.
#[derive(Args)]
pub struct GridArgs {
    /// Gaussian noise levels σ, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [0.5, 1.0, 2.0, 4.0])]
    sigmas: Vec<f64>,
    /// Lognormal noise levels (log-scale σ), comma-separated; none by default. Each level gets
    /// its own noise draws.
    #[arg(long, value_delimiter = ',')]
    lognormal_sigmas: Vec<f64>,
    /// Number of seeds per (model, σ): seeds 0 .. K−1.
    #[arg(long, default_value_t = 20, conflicts_with = "seed_list")]
    seeds: u64,
    /// Explicit seeds, comma-separated (instead of --seeds).
    #[arg(long, value_delimiter = ',')]
    seed_list: Option<Vec<u64>>,
    /// Models, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::PaperLinear])]
    models: Vec<ModelKind>,
}

impl GridArgs {
    /// The sweep of `base` over this grid, each run trained under `budget`.
    pub fn to_spec(&self, base: Config, budget: Budget) -> Result<SweepSpec, CliError> {
        let seeds: Vec<u64> = match &self.seed_list {
            Some(list) => list.clone(),
            None => (0..self.seeds).collect(),
        };
        let levels: Vec<(NoiseModel, f64)> = self
            .sigmas
            .iter()
            .map(|&s| (NoiseModel::Gaussian, s))
            .chain(
                self.lognormal_sigmas
                    .iter()
                    .map(|&s| (NoiseModel::Lognormal, s)),
            )
            .collect();
        if seeds.is_empty() || levels.is_empty() || self.models.is_empty() {
            return Err(usage_error(
                "a sweep needs at least one σ, one seed and one model".into(),
            ));
        }
        if let Some(e) = self.models.iter().find_map(|m| m.check(base.system).err()) {
            return Err(usage_error(format!("invalid value in --models: {e}")));
        }
        for &(noise, sigma) in &levels {
            let mut config = base.clone();
            (config.noise, config.sigma) = (noise, sigma);
            let flag = match noise {
                NoiseModel::Gaussian => "--sigmas",
                NoiseModel::Lognormal => "--lognormal-sigmas",
            };
            config
                .validate()
                .map_err(|e| usage_error(format!("invalid value in {flag}: {}", e.message)))?;
        }
        if let Some(&seed) = seeds.iter().find(|&&s| s >= SEED_STRIDE) {
            return Err(usage_error(format!(
                "invalid value in --seed-list: {seed} is not below {SEED_STRIDE} (the k-th noise level uses seeds s + k·{SEED_STRIDE})"
            )));
        }
        Ok(SweepSpec {
            base,
            models: self.models.clone(),
            sigmas: levels,
            seeds,
            budget,
        })
    }
}
