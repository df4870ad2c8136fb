//! Sweeps: the same run over a grid of models × noise levels × seeds, each row with the alignment
//! metrics and the perturbation check, plus per-(model, σ) summaries with 95% t-intervals.
//! A [`GridSpec`]: pure and sequential here; the CLI runs the grid in parallel (rayon, native
//! only). Every run is deterministic, so a sweep's numbers are reproducible from its arguments.

use crate::experiments::grid::{GridReport, GridSpec};
use crate::experiments::perturbation::attention_perturbation;
use crate::lab::config::Config;
use crate::lab::session::Session;
use crate::models::kind::ModelKind;
use crate::training::budget::Budget;
use serde::{Deserialize, Serialize};

/// What to sweep. Everything in `base` except σ, seed and model is held fixed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub base: Config,
    pub models: Vec<ModelKind>,
    pub sigmas: Vec<f64>,
    pub seeds: Vec<u64>,
    /// How long each run trains.
    pub budget: Budget,
    /// Kick size of the perturbation check; its horizon is one measured period.
    pub epsilon: f64,
}

crate::grid_row! {
    /// One run's results.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct SweepRow {
        keys {
            model: ModelKind,
            sigma: f64,
            seed: u64,
            steps: u64,
        }
        metrics {
            pearson: Option<f64>,
            spearman: Option<f64>,
            peak_offset_periods: Option<f64>,
            ess: f64,
            max_over_min: Option<f64>,
            loss: f64,
            /// Final deviation after a kick at the lowest- over the highest-attention point;
            /// `None` when attention is uniform or the kick failed.
            perturbation_ratio: Option<f64>,
        }
        /// Why training stopped early, if it did.
        diverged: Option<String>,
    }
}

crate::grid_key! {
    /// The runs one summary line is taken over: one model at one σ, every seed.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct SweepGroup {
        model: ModelKind,
        sigma: f64,
    }
}

/// A whole sweep: its spec, every run, and the summaries.
pub type SweepReport = GridReport<SweepSpec>;

impl GridSpec for SweepSpec {
    type Cell = Config;
    type Row = SweepRow;
    type Group = SweepGroup;

    /// Every run's config, in (model, σ, seed) order.
    fn grid(&self) -> Vec<Config> {
        let mut out = Vec::with_capacity(self.models.len() * self.sigmas.len() * self.seeds.len());
        for &model in &self.models {
            for &sigma in &self.sigmas {
                for &seed in &self.seeds {
                    let mut config = self.base.clone();
                    (config.model, config.sigma, config.seed) = (model, sigma, seed);
                    out.push(config);
                }
            }
        }
        out
    }

    /// Trains one config for `steps` and measures it, perturbation check included.
    fn run_cell(&self, config: &Config) -> Result<Vec<SweepRow>, String> {
        let mut session = Session::new(config.clone()).map_err(|e| e.to_string())?;
        let training = session.train(self.budget);
        let m = session.metrics();
        let perturbation_ratio = attention_perturbation(&session, self.epsilon, None)
            .ok()
            .map(|e| e.ratio_low_over_high);
        Ok(vec![SweepRow {
            model: config.model,
            sigma: config.sigma,
            seed: config.seed,
            steps: session.steps(),
            pearson: m.pearson,
            spearman: m.spearman,
            peak_offset_periods: m.peak_offset_periods,
            ess: m.ess,
            max_over_min: m.max_over_min,
            loss: m.loss,
            perturbation_ratio,
            diverged: session.diverged().map(str::to_owned),
        }])
    }

    /// One group per (model, σ), in spec order.
    fn groups(&self) -> Vec<SweepGroup> {
        let mut out = Vec::with_capacity(self.models.len() * self.sigmas.len());
        for &model in &self.models {
            for &sigma in &self.sigmas {
                out.push(SweepGroup { model, sigma });
            }
        }
        out
    }

    fn group_of(row: &SweepRow) -> SweepGroup {
        SweepGroup {
            model: row.model,
            sigma: row.sigma,
        }
    }
}
