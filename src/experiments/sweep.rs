//! Sweeps: the same run over a grid of models × noise levels × seeds, each row with the alignment
//! metrics and the perturbation check, plus per-(model, σ) summaries with 95% t-intervals.
//! A [`GridSpec`]: pure and sequential here; the CLI runs the grid in parallel (rayon, native
//! only). Every run is deterministic, so a sweep's numbers are reproducible from its arguments.

use crate::experiments::grid::{GridReport, GridSpec};
use crate::experiments::kick_response::{by_attention_decile, KickResponse};
use crate::lab::config::Config;
use crate::lab::session::Session;
use crate::measures::measure::MeasureAt;
use crate::models::kind::ModelKind;
use crate::observations::noise_model::{non_physical_share, NoiseModel};
use crate::training::budget::Budget;
use serde::{Deserialize, Serialize};

/// Seeds of the k-th noise level are offset by k times this, so that every (noise model, σ)
/// gets its own, independent noise draws (a σ does not reuse another's noise, rescaled).
pub const SEED_STRIDE: u64 = 10_000;

/// What to sweep. Everything in `base` except the noise model, σ, seed and model is held fixed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub base: Config,
    pub models: Vec<ModelKind>,
    /// σ per noise model (absolute for Gaussian noise, log-scale for lognormal noise).
    pub sigmas: Vec<(NoiseModel, f64)>,
    /// Seed indices: the k-th noise level uses seeds `s + k·SEED_STRIDE`.
    pub seeds: Vec<u64>,
    /// How long each run trains.
    pub budget: Budget,
}

crate::grid_row! {
    /// One run's results. The readings are taken only from converged runs.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct SweepRow {
        keys {
            model: ModelKind,
            noise: NoiseModel,
            sigma: f64,
            /// The noise seed actually used: [`SweepSpec::seed_for`].
            seed: u64,
            /// What training reached: converged, stalled, capped, diverged or training.
            status: String,
            steps: u64,
        }
        metrics {
            /// Spearman ρ(attention, measure): the primary test of the claim.
            spearman: Option<f64> = signed,
            pearson: Option<f64> = signed,
            /// Spearman ρ with the measure taken at the observed states (dv-dn only).
            spearman_observed: Option<f64> = signed,
            peak_offset_periods: Option<f64> = mean,
            ess: f64 = mean,
            max_over_min: Option<f64> = ratio,
            loss: f64 = mean,
            gradient_norm: f64 = not_summarized,
            /// The share of observed values ≤ 0 (impossible for a population).
            non_physical: f64 = mean,
            /// The learned score weight on the first and second coordinate (linear models).
            w1: Option<f64> = signed,
            w2: Option<f64> = signed,
            /// ρ(attention, ln growth of a kick) at the four kick horizons (see
            /// [`crate::experiments::kick_response`]): negative where low attention sits where
            /// kicks grow most.
            kick_rho_1: Option<f64> = signed,
            kick_rho_2: Option<f64> = signed,
            kick_rho_3: Option<f64> = signed,
            kick_rho_4: Option<f64> = signed,
        }
        /// Whether the convergence test passed.
        converged: bool,
    }
}

crate::grid_key! {
    /// The runs one summary line is taken over: one model, noise model and σ, every seed.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct SweepGroup {
        model: ModelKind,
        noise: NoiseModel,
        sigma: f64,
    }
}

/// A whole sweep: its spec, every run, and the summaries.
pub type SweepReport = GridReport<SweepSpec>;

impl SweepSpec {
    /// The noise seed of seed index `seed` at the `level`-th (noise model, σ).
    pub fn seed_for(level: usize, seed: u64) -> u64 {
        seed + level as u64 * SEED_STRIDE
    }

    /// The noise levels, in order: every (noise model, σ) pair.
    pub fn levels(&self) -> Vec<(NoiseModel, f64)> {
        self.sigmas.clone()
    }
}

impl GridSpec for SweepSpec {
    type Cell = Config;
    type Row = SweepRow;
    type Group = SweepGroup;

    /// Every run's config, in (model, noise level, seed) order.
    fn grid(&self) -> Vec<Config> {
        let mut out = Vec::new();
        for &model in &self.models {
            for (level, &(noise, sigma)) in self.sigmas.iter().enumerate() {
                for &seed in &self.seeds {
                    let mut config = self.base.clone();
                    (config.model, config.noise, config.sigma) = (model, noise, sigma);
                    config.seed = SweepSpec::seed_for(level, seed);
                    out.push(config);
                }
            }
        }
        out
    }

    /// Trains one config under the budget and reads it.
    fn run_cell(&self, config: &Config) -> Result<Vec<SweepRow>, String> {
        let mut session = Session::new(config.clone()).map_err(|e| e.to_string())?;
        let training = session.read(self.budget);
        let readings = RunReadings::of(&mut session);
        let m = session.metrics();
        Ok(vec![SweepRow {
            model: config.model,
            noise: config.noise,
            sigma: config.sigma,
            seed: config.seed,
            status: training.status.clone(),
            steps: training.steps,
            spearman: m.spearman,
            pearson: m.pearson,
            spearman_observed: readings.spearman_observed,
            peak_offset_periods: m.peak_offset_periods,
            ess: m.ess,
            max_over_min: m.max_over_min,
            loss: m.loss,
            gradient_norm: training.gradient_norm,
            non_physical: non_physical_share(session.observations()),
            w1: readings.weights.first().copied(),
            w2: readings.weights.get(1).copied(),
            kick_rho_1: readings.kick_rho[0],
            kick_rho_2: readings.kick_rho[1],
            kick_rho_3: readings.kick_rho[2],
            kick_rho_4: readings.kick_rho[3],
            converged: training.converged,
        }])
    }

    /// One group per (model, noise model, σ), in spec order.
    fn groups(&self) -> Vec<SweepGroup> {
        let mut out = Vec::new();
        for &model in &self.models {
            for &(noise, sigma) in &self.sigmas {
                out.push(SweepGroup {
                    model,
                    noise,
                    sigma,
                });
            }
        }
        out
    }

    fn group_of(row: &SweepRow) -> SweepGroup {
        SweepGroup {
            model: row.model,
            noise: row.noise,
            sigma: row.sigma,
        }
    }
}

/// What a run is read for beyond its metrics.
pub struct RunReadings {
    /// Spearman ρ with the measure at the observed states, when the measure allows it.
    pub spearman_observed: Option<f64>,
    /// The learned score weights (linear models; empty otherwise).
    pub weights: Vec<f64>,
    /// ρ(attention, ln kick growth) at the four horizons.
    pub kick_rho: [Option<f64>; 4],
}

impl RunReadings {
    /// Reads a trained session (its measure is switched to the observed states and back).
    pub fn of(session: &mut Session) -> RunReadings {
        let config = session.config().clone();
        let mut spearman_observed = None;
        let mut observed = config.clone();
        observed.measure_at = MeasureAt::Observed;
        if observed.validate().is_ok() && session.set_config(observed).is_ok() {
            spearman_observed = session.metrics().spearman;
            let _ = session.set_config(config.clone());
        }
        let weights = match config.model {
            ModelKind::PaperLinear | ModelKind::PaperLinearUnscaled => {
                session.parameters()[..session.dim()].to_vec()
            }
            _ => Vec::new(),
        };
        let mut kick_rho = [None; 4];
        if let Ok(kicks) = KickResponse::along(
            session.system(),
            session.trajectory(),
            session.period(),
            config.tau,
        ) {
            let table = by_attention_decile(session.attention(), kicks.primary());
            for (slot, rho) in kick_rho.iter_mut().zip(table.spearman) {
                *slot = rho;
            }
        }
        RunReadings {
            spearman_observed,
            weights,
            kick_rho,
        }
    }
}
