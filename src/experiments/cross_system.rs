//! The cross-system sweep: systems × models × noise levels × seeds, each trained run measured
//! against every sensitivity measure its system has. Noise levels are multiples of each
//! system's default σ, because the systems' states live on very different scales (Lorenz spans
//! ±20, the Goodwin mRNA 0.01–0.05). A [`GridSpec`]: pure and sequential here; the CLI runs the
//! grid in parallel.

use crate::experiments::grid::{GridReport, GridSpec};
use crate::experiments::sweep::SweepSpec;
use crate::lab::config::Config;
use crate::lab::session::Session;
use crate::measures::measure::Measure;
use crate::models::kind::ModelKind;
use crate::systems::catalogue::SystemKind;
use crate::training::budget::Budget;
use serde::Serialize;

/// What to sweep. Models that do not apply to a system (the oracle needs a conserved V) are
/// skipped for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossSystemSpec {
    pub systems: Vec<SystemKind>,
    pub models: Vec<ModelKind>,
    /// σ as multiples of each system's default noise level.
    pub noise_levels: Vec<f64>,
    pub seeds: Vec<u64>,
    /// How long each run trains.
    pub budget: Budget,
    pub n: usize,
}

impl CrossSystemSpec {
    /// The spec's models that apply to `system`, in order.
    pub fn models_for(&self, system: SystemKind) -> impl Iterator<Item = ModelKind> + '_ {
        self.models
            .iter()
            .copied()
            .filter(move |m| m.check(system).is_ok())
    }
}

crate::grid_row! {
    /// One trained run measured against one sensitivity measure.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CrossRow {
        keys {
            system: SystemKind,
            model: ModelKind,
            noise_level: f64,
            sigma: f64,
            /// The noise seed actually used (independent per level).
            seed: u64,
            measure: Measure,
            status: String,
            steps: u64,
        }
        metrics {
            /// The primary test of the claim.
            spearman: Option<f64> = signed,
            pearson: Option<f64> = signed,
            max_over_min: Option<f64> = ratio,
            ess: f64 = mean,
            loss: f64 = mean,
        }
        converged: bool,
    }
}

crate::grid_key! {
    /// The runs one summary line is taken over: one system, model, noise level and measure,
    /// every seed.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CrossGroup {
        system: SystemKind,
        model: ModelKind,
        noise_level: f64,
        /// `noise_level` × the system's default σ.
        sigma: f64,
        measure: Measure,
    }
}

impl CrossGroup {
    /// The group of `system`, `model` and `measure` at `level` × the system's default σ.
    pub fn new(system: SystemKind, model: ModelKind, level: f64, measure: Measure) -> Self {
        CrossGroup {
            system,
            model,
            noise_level: level,
            sigma: level * system.run_defaults().sigma,
            measure,
        }
    }
}

/// A whole cross-system sweep.
pub type CrossSystemReport = GridReport<CrossSystemSpec>;

impl GridSpec for CrossSystemSpec {
    /// The noise level and the run's config.
    type Cell = (f64, Config);
    type Row = CrossRow;
    type Group = CrossGroup;

    /// Every run's config, in (system, model, level, seed) order.
    fn grid(&self) -> Vec<(f64, Config)> {
        let mut out = Vec::new();
        for &system in &self.systems {
            for model in self.models_for(system) {
                for (k, &level) in self.noise_levels.iter().enumerate() {
                    for &seed in &self.seeds {
                        let mut config = Config::for_system(system);
                        config.model = model;
                        config.n = self.n;
                        config.seed = SweepSpec::seed_for(k, seed);
                        config.sigma = level * system.run_defaults().sigma;
                        out.push((level, config));
                    }
                }
            }
        }
        out
    }

    /// Trains the config for `steps`, then measures the final attention against every measure
    /// the system has (the model is trained once; only the reference changes).
    fn run_cell(&self, (level, config): &(f64, Config)) -> Result<Vec<CrossRow>, String> {
        let mut session =
            Session::new(config.clone()).map_err(|e| format!("{}: {e}", config.system))?;
        let training = session.read(self.budget);
        let mut rows = Vec::new();
        for measure in Measure::available(config.system) {
            let mut measured = session.config().clone();
            measured.measure = measure;
            session
                .set_config(measured)
                .map_err(|e| format!("{} {measure}: {e}", config.system))?;
            let m = session.metrics();
            rows.push(CrossRow {
                system: config.system,
                model: config.model,
                noise_level: *level,
                sigma: config.sigma,
                seed: config.seed,
                measure,
                status: training.status.clone(),
                steps: training.steps,
                pearson: m.pearson,
                spearman: m.spearman,
                max_over_min: m.max_over_min,
                ess: m.ess,
                loss: m.loss,
                converged: training.converged,
            });
        }
        Ok(rows)
    }

    /// One group per (system, model, level, measure), in spec order.
    fn groups(&self) -> Vec<CrossGroup> {
        let mut out = Vec::new();
        for &system in &self.systems {
            for model in self.models_for(system) {
                for &level in &self.noise_levels {
                    for measure in Measure::available(system) {
                        out.push(CrossGroup::new(system, model, level, measure));
                    }
                }
            }
        }
        out
    }

    fn group_of(row: &CrossRow) -> CrossGroup {
        CrossGroup {
            system: row.system,
            model: row.model,
            noise_level: row.noise_level,
            sigma: row.sigma,
            measure: row.measure,
        }
    }
}
