//! Does attention weighting help parameter estimation? (The paper's open question 2.) Synthetic
//! Lotka–Volterra data from known parameters, fitted twice: unweighted, and with each residual
//! weighted by N·a_t from the attention `paper-linear` learns against the current fit, refitted
//! to a fixed point ([`crate::estimation::weighted`]). Over seeds, noise models and levels, and
//! one contaminated setting (a share of the points with ten times the noise, where a learned
//! weighting has a fair chance to help), it measures the relative parameter error and whether
//! the 95% intervals cover the truth. A [`GridSpec`], so the CLI runs it in parallel and it is
//! summarised by the same honest rules as every other table.

use crate::dynamics::rk4::{integrate, uniform_times};
use crate::estimation::problem::{FitData, FitSettings};
use crate::estimation::result::{fit, FitResult};
use crate::estimation::weighted::fit_attention_weighted;
use crate::experiments::grid::{GridReport, GridSpec};
use crate::lab::fitted_target::attention_against_fit;
use crate::models::kind::ModelKind;
use crate::observations::csv_import::ImportedSeries;
use crate::observations::gaussian_noise::StandardNormal;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::training::budget::Budget;
use serde::Serialize;

/// One way of making noisy data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecoverySetting {
    pub noise: NoiseModel,
    pub sigma: f64,
    /// Share of the points whose noise is `factor` times larger (0: none).
    pub contaminated: f64,
    pub factor: f64,
}

/// The study: settings × seeds, each fitted without and with attention weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecoverySpec {
    pub settings: Vec<RecoverySetting>,
    pub seeds: Vec<u64>,
    /// Observations per data set, on t ∈ [0, t_end].
    pub points: usize,
    pub t_end: f64,
    /// Starting points of the unweighted fit.
    pub starts: usize,
    /// Most rounds of reweighting.
    pub rounds: usize,
}

impl RecoverySpec {
    /// The study in FINDINGS.md: 21 points on [0, 15] (the size of the lynx–hare series),
    /// lognormal σ ∈ {0.1, 0.2}, Gaussian σ ∈ {0.5, 1}, and lognormal σ = 0.1 with 5% of the
    /// points at 10× the noise.
    pub fn standard(seeds: u64) -> RecoverySpec {
        let clean = |noise, sigma| RecoverySetting {
            noise,
            sigma,
            contaminated: 0.0,
            factor: 1.0,
        };
        RecoverySpec {
            settings: vec![
                clean(NoiseModel::Lognormal, 0.1),
                clean(NoiseModel::Lognormal, 0.2),
                clean(NoiseModel::Gaussian, 0.5),
                clean(NoiseModel::Gaussian, 1.0),
                RecoverySetting {
                    noise: NoiseModel::Lognormal,
                    sigma: 0.1,
                    contaminated: 0.05,
                    factor: 10.0,
                },
            ],
            seeds: (0..seeds).collect(),
            points: 21,
            t_end: 15.0,
            starts: 4,
            rounds: 5,
        }
    }

    /// The true rates then initial state (Lotka–Volterra's defaults).
    pub fn truth() -> Vec<f64> {
        SystemKind::LotkaVolterra.default_values()
    }

    /// The data set of `setting` at `seed`: the true orbit, observed under the setting's noise;
    /// the contaminated points are the first `share·n` of a seeded shuffle.
    pub fn data(&self, setting: &RecoverySetting, seed: u64) -> Result<ImportedSeries, String> {
        let kind = SystemKind::LotkaVolterra;
        let truth = RecoverySpec::truth();
        let system = kind.build(&truth)?;
        let times = uniform_times(self.t_end, self.points);
        let orbit = integrate(system.as_ref(), &truth[kind.rates().len()..], &times)
            .map_err(|e| e.to_string())?;
        let mut observations = setting.noise.observe(&orbit.states, setting.sigma, seed);
        let bad = (setting.contaminated * self.points as f64).round() as usize;
        if bad > 0 {
            let mut normal = StandardNormal::new(seed ^ 0xc0_17a4);
            let mut order: Vec<(f64, usize)> =
                (0..self.points).map(|i| (normal.sample(), i)).collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0));
            let wide =
                setting
                    .noise
                    .observe(&orbit.states, setting.sigma * setting.factor, seed + 1);
            for &(_, i) in order.iter().take(bad) {
                observations.row_mut(i).assign(&wide.row(i));
            }
        }
        Ok(ImportedSeries {
            times,
            observations,
            clean: None,
            description: format!("synthetic, seed {seed}"),
            target: None,
        })
    }
}

crate::grid_row! {
    /// One data set fitted one way.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct RecoveryRow {
        keys {
            noise: NoiseModel,
            sigma: f64,
            contaminated: f64,
            seed: u64,
            /// "none" or "attention".
            weighting: String,
        }
        metrics {
            /// Median over the four rates of |estimate/truth − 1|.
            median_error: f64 = mean,
            /// Largest over the four rates.
            max_error: f64 = mean,
            /// Share of the six rates and initial states whose 95% interval covers the truth.
            coverage: f64 = mean,
            /// ln(weighted median error / unweighted), on the weighted row: below 0, weighting
            /// helped.
            log_error_ratio: Option<f64> = signed,
        }
        converged: bool,
    }
}

crate::grid_key! {
    /// One setting fitted one way, every seed.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct RecoveryGroup {
        noise: NoiseModel,
        sigma: f64,
        contaminated: f64,
        weighting: String,
    }
}

/// The whole study.
pub type RecoveryReport = GridReport<RecoverySpec>;

/// (median, max) relative error of the rates, and the coverage of rates and initial state.
fn score(fit: &FitResult, truth: &[f64]) -> (f64, f64, f64) {
    let values = fit.parameter_values();
    let mut errors: Vec<f64> = (0..4).map(|k| (values[k] / truth[k] - 1.0).abs()).collect();
    errors.sort_by(f64::total_cmp);
    let covered = fit
        .estimates
        .iter()
        .zip(truth)
        .filter(|(e, t)| e.contains(**t))
        .count();
    (
        0.5 * (errors[1] + errors[2]),
        errors[3],
        covered as f64 / truth.len() as f64,
    )
}

impl GridSpec for RecoverySpec {
    type Cell = (RecoverySetting, u64);
    type Row = RecoveryRow;
    type Group = RecoveryGroup;

    fn grid(&self) -> Vec<(RecoverySetting, u64)> {
        self.settings
            .iter()
            .flat_map(|s| self.seeds.iter().map(move |&seed| (*s, seed)))
            .collect()
    }

    fn run_cell(
        &self,
        (setting, seed): &(RecoverySetting, u64),
    ) -> Result<Vec<RecoveryRow>, String> {
        let series = self.data(setting, *seed)?;
        let data = FitData::from_series(&series, "synthetic");
        let settings = FitSettings {
            noise: setting.noise,
            starts: self.starts,
            ..FitSettings::new(SystemKind::LotkaVolterra)
        };
        let truth = RecoverySpec::truth();
        let attention = |f: &FitResult| {
            attention_against_fit(&series, f, ModelKind::PaperLinear, Budget::default())
        };
        let row = |fit: &FitResult, weighting: &str, ratio: Option<f64>| {
            let (median_error, max_error, coverage) = score(fit, &truth);
            RecoveryRow {
                noise: setting.noise,
                sigma: setting.sigma,
                contaminated: setting.contaminated,
                seed: *seed,
                weighting: weighting.to_string(),
                median_error,
                max_error,
                coverage,
                log_error_ratio: ratio,
                converged: fit.converged,
            }
        };
        match fit_attention_weighted(settings.clone(), data.clone(), attention, self.rounds, 1e-4) {
            Ok(w) => {
                let plain = row(&w.unweighted, "none", None);
                let ratio = libm::log(score(&w.weighted, &truth).0 / plain.median_error);
                let weighted = row(&w.weighted, "attention", Some(ratio));
                Ok(vec![plain, weighted])
            }
            // The unweighted fit alone, when weighting fails (the row says it did not converge).
            Err(_) => {
                let plain = fit(settings, data).map_err(|e| e.to_string())?;
                let mut failed = row(&plain, "attention", None);
                failed.converged = false;
                Ok(vec![row(&plain, "none", None), failed])
            }
        }
    }

    fn groups(&self) -> Vec<RecoveryGroup> {
        self.settings
            .iter()
            .flat_map(|s| {
                ["none", "attention"].map(|w| RecoveryGroup {
                    noise: s.noise,
                    sigma: s.sigma,
                    contaminated: s.contaminated,
                    weighting: w.to_string(),
                })
            })
            .collect()
    }

    fn group_of(row: &RecoveryRow) -> RecoveryGroup {
        RecoveryGroup {
            noise: row.noise,
            sigma: row.sigma,
            contaminated: row.contaminated,
            weighting: row.weighting.clone(),
        }
    }
}
