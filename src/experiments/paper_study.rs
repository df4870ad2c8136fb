//! The closer look at one setting (the paper's, in FINDINGS.md) over many seeds: why a linear
//! score lands where it does ([`crate::analysis::mechanism`]) and how kicks grow by attention
//! decile ([`crate::experiments::kick_response`]). Each seed is trained under the same budget as
//! the sweep; only converged runs are read.

use crate::analysis::mechanism::{linear_score_mechanism, LinearScoreMechanism};
use crate::experiments::kick_response::{by_attention_decile, DecileTable, KickResponse};
use crate::lab::config::Config;
use crate::lab::session::Session;
use crate::models::kind::ModelKind;
use crate::training::budget::{Budget, TrainingSummary};
use serde::Serialize;

/// One seed's reading.
#[derive(Debug, Clone, Serialize)]
pub struct SeedStudy {
    pub seed: u64,
    pub converged: bool,
    /// The mechanism (linear models only).
    pub mechanism: Option<LinearScoreMechanism>,
    /// Kick growth by attention decile.
    pub deciles: DecileTable,
}

/// The study of one setting over seeds.
#[derive(Debug, Clone, Serialize)]
pub struct PaperStudy {
    pub config: Config,
    pub budget: Budget,
    /// The kicks along the clean orbit (the same for every seed).
    pub kicks: KickResponse,
    pub seeds: Vec<SeedStudy>,
}

impl PaperStudy {
    /// Trains `config` at each seed under `budget` and reads it.
    pub fn run(config: &Config, seeds: &[u64], budget: Budget) -> Result<PaperStudy, String> {
        let mut studies = Vec::with_capacity(seeds.len());
        let mut kicks = None;
        for &seed in seeds {
            let mut c = config.clone();
            c.seed = seed;
            let mut session = Session::new(c).map_err(|e| e.to_string())?;
            let training = session.read(budget);
            let k = match &kicks {
                Some(k) => k,
                None => kicks.insert(KickResponse::along(
                    session.system(),
                    session.trajectory(),
                    session.period(),
                    config.tau,
                )?),
            };
            let linear = matches!(
                config.model,
                ModelKind::PaperLinear | ModelKind::PaperLinearUnscaled
            );
            let mechanism = linear
                .then(|| {
                    linear_score_mechanism(
                        session.observations(),
                        session.clean(),
                        session.sensitivity(),
                        session.parameters(),
                    )
                })
                .flatten();
            studies.push(SeedStudy {
                seed,
                converged: training.converged,
                mechanism,
                deciles: by_attention_decile(session.attention(), k.primary()),
            });
        }
        Ok(PaperStudy {
            config: config.clone(),
            budget,
            kicks: kicks.ok_or("a study needs at least one seed")?,
            seeds: studies,
        })
    }

    /// The converged seeds.
    pub fn converged(&self) -> impl Iterator<Item = &SeedStudy> {
        self.seeds.iter().filter(|s| s.converged)
    }

    /// Per horizon and decile, the mean over converged seeds of the per-seed median log growth.
    pub fn mean_decile_medians(&self) -> Vec<Vec<Option<f64>>> {
        let horizons = self.kicks.horizons.len();
        (0..horizons)
            .map(|h| {
                (0..10)
                    .map(|k| {
                        let values: Vec<f64> = self
                            .converged()
                            .filter_map(|s| s.deciles.medians[h][k])
                            .collect();
                        (!values.is_empty())
                            .then(|| values.iter().sum::<f64>() / values.len() as f64)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Whether a model reaches the convergence test at a setting: each seed's training summary.
#[derive(Debug, Clone, Serialize)]
pub struct ConvergenceProbe {
    pub config: Config,
    pub budget: Budget,
    pub runs: Vec<TrainingSummary>,
}

impl ConvergenceProbe {
    /// Trains `config` at each seed under `budget`.
    pub fn run(config: &Config, seeds: &[u64], budget: Budget) -> Result<ConvergenceProbe, String> {
        let runs = seeds
            .iter()
            .map(|&seed| {
                let mut c = config.clone();
                c.seed = seed;
                let mut session = Session::new(c).map_err(|e| e.to_string())?;
                Ok(session.read(budget))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(ConvergenceProbe {
            config: config.clone(),
            budget,
            runs,
        })
    }
}
