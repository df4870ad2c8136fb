//! The ensemble in the background: the current setting over the 20 noise draws of
//! [`SeedEnsemble`] (seeds 0–19, each trained to convergence), computed a little in every
//! frame, so that the verdict speaks for the setting and not for the draw on screen.
//!
//! Budget: training gets [`super::frame::TRAIN_BUDGET_MS`] per frame in all. While an ensemble
//! is incomplete, the run on screen gets at most that minus [`ENSEMBLE_SHARE_MS`], and the
//! ensemble gets whatever the run on screen left (so at least [`ENSEMBLE_SHARE_MS`], unless a
//! Step asked for more). The ensemble's work is sliced by its measured cost per unit; the
//! numbers do not depend on the slicing.
//!
//! A new setting (anything but the seed) starts a new ensemble, after the setting has held for
//! [`SETTLE_MS`]: a slider being dragged would otherwise rebuild a trajectory every frame.
//! Where there is no noise to redraw (imported data, σ = 0) there is no ensemble.

use super::{now_ms, Lab};
use crate::analysis::sign_test::SignEvidence;
use crate::lab::seed_ensemble::{SeedEnsemble, ENSEMBLE_SEEDS};

/// The share of the frame's training budget (ms) kept for the ensemble while it is incomplete.
pub const ENSEMBLE_SHARE_MS: f64 = 2.0;
/// How long (ms) a new setting must hold before its ensemble starts.
const SETTLE_MS: f64 = 300.0;

/// The ensemble of the current setting, and what the page keeps about it.
pub(super) struct Background {
    pub(super) ensemble: Option<SeedEnsemble>,
    /// Why the ensemble stopped, if building or training a seed failed.
    pub(super) failed: Option<String>,
    /// When the setting last changed (frame timestamp, ms).
    changed_ms: f64,
    /// Measured cost of one unit of ensemble work (ms, smoothed); 0 while unknown.
    ms_per_unit: f64,
    /// The sign evidence over the seeds read, and how many seeds it covers: computed once per
    /// seed read, not at every refresh.
    evidence: Option<(usize, SignEvidence)>,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            ensemble: None,
            failed: None,
            changed_ms: f64::NEG_INFINITY,
            ms_per_unit: 0.0,
            evidence: None,
        }
    }
}

impl Background {
    /// Whether an ensemble is still being computed (and so takes its share of the budget).
    pub(super) fn is_working(&self) -> bool {
        self.failed.is_none() && self.ensemble.as_ref().is_some_and(|e| !e.is_done())
    }

    /// The evidence over the seeds read so far (recomputed when another seed has been read).
    pub(super) fn evidence(&mut self) -> Option<(&SignEvidence, usize)> {
        let e = self.ensemble.as_ref()?;
        let runs = e.runs().len();
        if self.evidence.as_ref().is_none_or(|(n, _)| *n != runs) {
            self.evidence = Some((runs, e.evidence()));
        }
        self.evidence.as_ref().map(|(n, ev)| (ev, *n))
    }
}

impl Lab {
    /// Does this frame's ensemble work within `budget_ms`, starting a new ensemble when the
    /// setting changed. Returns whether what the page shows of it changed (a seed was read, a
    /// new ensemble started, or it stopped).
    pub(super) fn work_ensemble(&mut self, stamp_ms: f64, budget_ms: f64) -> bool {
        let bg = &mut self.background;
        if !self.session.has_noise_to_redraw() {
            let had = bg.ensemble.take().is_some();
            bg.failed = None;
            bg.evidence = None;
            return had;
        }
        let config = self.session.config();
        if !bg.ensemble.as_ref().is_some_and(|e| e.is_for(config)) {
            if bg.ensemble.is_some() {
                bg.changed_ms = stamp_ms; // a change: wait until it holds
            }
            bg.ensemble = Some(SeedEnsemble::new(config));
            bg.failed = None;
            bg.evidence = None;
            return true;
        }
        if stamp_ms - bg.changed_ms < SETTLE_MS || budget_ms <= 0.0 || !bg.is_working() {
            return false;
        }
        let Some(ensemble) = bg.ensemble.as_mut() else {
            return false;
        };
        let before = ensemble.runs().len();
        let units = if bg.ms_per_unit > 0.0 {
            ((budget_ms / bg.ms_per_unit).floor() as usize).max(1)
        } else {
            1 // unknown cost (the first unit builds the session): measure it
        };
        let t0 = now_ms();
        match ensemble.work(units) {
            Ok(done) if done > 0 => {
                let per_unit = (now_ms() - t0) / done as f64;
                // Up at once (the frame comes first), down smoothly.
                let ms = bg.ms_per_unit;
                bg.ms_per_unit = if ms > 0.0 && per_unit < ms {
                    0.5 * ms + 0.5 * per_unit
                } else {
                    per_unit
                };
                ensemble.runs().len() != before
            }
            Ok(_) => false,
            Err(e) => {
                bg.failed = Some(e.to_string());
                true
            }
        }
    }

    /// The verdict on the setting: the ensemble's (as [`SeedEnsemble::verdict_for`] gives it,
    /// with the evidence computed once per seed read), the draw's alone where there is no
    /// ensemble, or why training paused.
    pub(super) fn verdict_line(&mut self) -> String {
        if let Some(why) = self.session.diverged() {
            return format!("training paused: {why}");
        }
        let total = ENSEMBLE_SEEDS as usize;
        let line = match self.background.evidence() {
            Some((evidence, runs)) => self.session.verdict(Some((evidence, runs, total))),
            None => self.session.verdict(None),
        };
        match &self.background.failed {
            Some(why) => format!("{line}; the other noise draws could not be computed: {why}"),
            None => line,
        }
    }

    /// Whether the verdict has settled: this draw's training has finished (converged or
    /// stalled) and the ensemble, where there is one, is complete (or has failed).
    pub(super) fn verdict_settled(&self) -> bool {
        self.session.trainer().is_finished()
            && self.session.diverged().is_none()
            && !self.background.is_working()
    }
}
