//! The same setting over many noise draws, computed a little at a time, so that a verdict speaks
//! for the setting and not for one lucky draw. One session is kept and only its seed changes:
//! the clean trajectory and the measure are built once, each seed costs new observations and a
//! training run to convergence (capped). The page spreads [`SeedEnsemble::work`] over frames;
//! the CLI runs it to the end. Both give the same numbers, however the work is sliced.

use crate::analysis::sign_test::SignEvidence;
use crate::lab::config::Config;
use crate::lab::session::{Session, SessionError};
use crate::training::budget::Budget;
use serde::Serialize;

/// Seeds in an ensemble: 0 .. ENSEMBLE_SEEDS − 1.
pub const ENSEMBLE_SEEDS: u64 = 20;
/// Most optimizer steps per ensemble seed.
pub const ENSEMBLE_MAX_STEPS: u64 = 3000;

/// One seed's reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnsembleRun {
    pub seed: u64,
    pub converged: bool,
    pub spearman: Option<f64>,
    pub pearson: Option<f64>,
}

/// A setting over [`ENSEMBLE_SEEDS`] seeds.
pub struct SeedEnsemble {
    config: Config,
    session: Option<Session>,
    /// The seed being trained, if one is.
    training: Option<u64>,
    next_seed: u64,
    runs: Vec<EnsembleRun>,
}

impl SeedEnsemble {
    /// An ensemble of `config` (its seed is replaced by 0, 1, …); nothing is computed yet.
    pub fn new(config: &Config) -> SeedEnsemble {
        SeedEnsemble {
            config: config.clone(),
            session: None,
            training: None,
            next_seed: 0,
            runs: Vec::new(),
        }
    }

    /// An ensemble of `session`'s setting that copies its clean side (the trajectory, the
    /// measure) instead of recomputing it: the page's way, where a long orbit's FTLE would
    /// otherwise be computed again in one frame. The same numbers as [`SeedEnsemble::new`].
    pub fn for_session(session: &Session) -> Result<SeedEnsemble, SessionError> {
        let mut first = session.with_seed(0)?;
        first.begin_reading();
        Ok(SeedEnsemble {
            config: session.config().clone(),
            session: Some(first),
            training: Some(0),
            next_seed: 1,
            runs: Vec::new(),
        })
    }

    /// Whether `config` is the setting this ensemble summarises (everything but the seed).
    pub fn is_for(&self, config: &Config) -> bool {
        let mut c = config.clone();
        c.seed = self.config.seed;
        c == self.config
    }

    /// Does up to `units` units of work: building the session (once), then training steps or
    /// convergence-test columns, seed after seed. Returns the units done (fewer once finished).
    /// An error (the setting cannot be built) ends the ensemble.
    pub fn work(&mut self, units: usize) -> Result<usize, SessionError> {
        let mut done = 0;
        while done < units && !self.is_done() {
            if self.session.is_none() {
                let mut c = self.config.clone();
                c.seed = 0;
                let mut session = Session::new(c)?;
                session.begin_reading();
                self.session = Some(session);
                self.training = Some(0);
                self.next_seed = 1;
                done += 1;
                continue;
            }
            let session = self.session.as_mut().expect("built above");
            let Some(seed) = self.training else {
                let seed = self.next_seed;
                self.next_seed += 1;
                let mut c = session.config().clone();
                c.seed = seed;
                session.set_config(c)?;
                session.begin_reading();
                self.training = Some(seed);
                done += 1;
                continue;
            };
            let finished = session.trainer().is_finished() || session.steps() >= ENSEMBLE_MAX_STEPS;
            if finished {
                let m = session.metrics();
                self.runs.push(EnsembleRun {
                    seed,
                    converged: session.training_status().is_converged(),
                    spearman: m.spearman,
                    pearson: m.pearson,
                });
                self.training = None;
                done += 1;
            } else {
                // One refresh of the metrics per chunk, not per step.
                let cap = (ENSEMBLE_MAX_STEPS - session.steps()) as usize;
                let chunk = (units - done).min(cap).max(1);
                done += session.step(chunk).max(1);
            }
        }
        Ok(done)
    }

    /// Runs to the end.
    pub fn complete(&mut self) -> Result<(), SessionError> {
        while !self.is_done() {
            self.work(4096)?;
        }
        Ok(())
    }

    pub fn is_done(&self) -> bool {
        self.runs.len() as u64 >= ENSEMBLE_SEEDS
    }

    /// The seeds read so far, in order.
    pub fn runs(&self) -> &[EnsembleRun] {
        &self.runs
    }

    /// The sign evidence of ρ over the converged seeds read so far.
    pub fn evidence(&self) -> SignEvidence {
        let values: Vec<Option<f64>> = self
            .runs
            .iter()
            .filter(|r| r.converged)
            .map(|r| r.spearman)
            .collect();
        SignEvidence::from_values(&values, 0x5eed)
    }

    /// The verdict for `session` (the draw on screen), with this ensemble's evidence.
    pub fn verdict_for(&self, session: &Session) -> String {
        let evidence = self.evidence();
        session.verdict(Some((&evidence, self.runs.len(), ENSEMBLE_SEEDS as usize)))
    }

    /// How the ensemble's seeds were trained.
    pub fn budget() -> Budget {
        Budget::Converge {
            max_steps: ENSEMBLE_MAX_STEPS,
        }
    }
}
