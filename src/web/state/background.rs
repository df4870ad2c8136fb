//! The ensemble in the background: the current setting over the 20 noise draws of
//! [`SeedEnsemble`] (seeds 0–19, each trained to convergence), computed a little in every
//! frame, so that the verdict speaks for the setting and not for the draw on screen.
//!
//! Budget: training gets [`super::frame::TRAIN_BUDGET_MS`] per frame in all. While an ensemble
//! is incomplete, the run on screen gets at most that minus [`ENSEMBLE_SHARE_MS`], and the
//! ensemble gets whatever the run on screen left (so at least [`ENSEMBLE_SHARE_MS`], unless a
//! Step asked for more). The ensemble works in chunks of units, checking the clock between
//! chunks; a chunk is sized to half of the time left at the measured cost of a unit (up at once
//! when a unit costs more, down smoothly), so a frame rarely overshoots its share. The numbers
//! do not depend on the slicing.
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
/// Most units of ensemble work between two looks at the clock.
const MAX_CHUNK: usize = 256;

/// The ensemble of the current setting, and what the page keeps about it.
pub(super) struct Background {
    pub(super) ensemble: Option<SeedEnsemble>,
    /// Why the ensemble stopped, if building or training a seed failed.
    pub(super) failed: Option<String>,
    /// The session's setting may have changed: compare it with the ensemble's (not every
    /// frame: the comparison clones a config).
    pub(super) setting_changed: bool,
    /// When the setting last changed (frame timestamp, ms).
    changed_ms: f64,
    /// Measured cost of one unit of ensemble work (ms, smoothed); 0 while unknown.
    ms_per_unit: f64,
    /// The sign evidence over the seeds read, and how many seeds it covers: computed once per
    /// seed read, at the start of the next frame's share (a bootstrap: a few ms), not at every
    /// refresh. The verdict reads it with its own count, so it is never ahead of itself.
    evidence: Option<(usize, SignEvidence)>,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            ensemble: None,
            failed: None,
            setting_changed: true,
            changed_ms: f64::NEG_INFINITY,
            ms_per_unit: 0.0,
            evidence: None,
        }
    }
}

impl Background {
    /// Whether an ensemble is still being computed, its seeds or the evidence over them (and so
    /// takes its share of the budget).
    pub(super) fn is_working(&self) -> bool {
        self.failed.is_none()
            && self
                .ensemble
                .as_ref()
                .is_some_and(|e| !e.is_done() || self.evidence_behind(e))
    }

    /// Whether the evidence covers fewer seeds than `e` has read.
    fn evidence_behind(&self, e: &SeedEnsemble) -> bool {
        self.evidence
            .as_ref()
            .is_none_or(|(n, _)| *n != e.runs().len())
    }

    /// The evidence over the seeds read when it was last computed, and how many those are.
    pub(super) fn evidence(&self) -> Option<(&SignEvidence, usize)> {
        self.evidence.as_ref().map(|(n, ev)| (ev, *n))
    }
}

impl Lab {
    /// Does this frame's ensemble work within `budget_ms`, starting a new ensemble when the
    /// setting changed. Returns whether what the page shows of it changed (a seed was read, a
    /// new ensemble started, or it stopped).
    pub(super) fn work_ensemble(&mut self, stamp_ms: f64, budget_ms: f64) -> bool {
        if std::mem::take(&mut self.background.setting_changed) && self.restart_ensemble(stamp_ms) {
            return true;
        }
        let bg = &mut self.background;
        if stamp_ms - bg.changed_ms < SETTLE_MS || budget_ms <= 0.0 || !bg.is_working() {
            return false;
        }
        let Some(ensemble) = bg.ensemble.as_mut() else {
            return false;
        };
        let before = ensemble.runs().len();
        let deadline = now_ms() + budget_ms;
        let evidence_behind = bg.evidence.as_ref().is_none_or(|(n, _)| *n != before);
        if evidence_behind {
            bg.evidence = Some((before, ensemble.evidence()));
        }
        // At least one chunk per frame: an estimate inflated by one costly unit must not stop
        // the ensemble.
        let mut first = true;
        while !ensemble.is_done() && (first || deadline - now_ms() > 2.0 * bg.ms_per_unit) {
            first = false;
            let left = deadline - now_ms();
            let chunk = if bg.ms_per_unit > 0.0 {
                ((0.5 * left / bg.ms_per_unit) as usize).clamp(1, MAX_CHUNK)
            } else {
                1 // unknown cost: measure it
            };
            let start = now_ms();
            let done = match ensemble.work(chunk) {
                Ok(done) => done,
                Err(e) => {
                    bg.failed = Some(e.to_string());
                    return true;
                }
            };
            let per_unit = (now_ms() - start) / done.max(1) as f64;
            let ms = bg.ms_per_unit;
            bg.ms_per_unit = if ms > 0.0 && per_unit < ms {
                0.8 * ms + 0.2 * per_unit
            } else {
                per_unit.max(1e-4)
            };
        }
        evidence_behind || ensemble.runs().len() != before
    }

    /// After a possible change of setting: a new ensemble if the setting is not the current
    /// one's (or none where there is no noise to redraw). Returns whether anything changed.
    fn restart_ensemble(&mut self, stamp_ms: f64) -> bool {
        let bg = &mut self.background;
        if !self.session.has_noise_to_redraw() {
            let had = bg.ensemble.take().is_some();
            bg.failed = None;
            bg.evidence = None;
            return had;
        }
        let config = self.session.config();
        if bg.ensemble.as_ref().is_some_and(|e| e.is_for(config)) {
            return false;
        }
        if bg.ensemble.is_some() {
            bg.changed_ms = stamp_ms; // a change: wait until it holds
        }
        // A copy of the session's clean side: nothing long to compute in this frame.
        match SeedEnsemble::for_session(&self.session) {
            Ok(ensemble) => {
                bg.evidence = Some((0, ensemble.evidence())); // no seed read: cheap
                bg.ensemble = Some(ensemble);
                bg.failed = None;
            }
            Err(e) => {
                bg.ensemble = None;
                bg.evidence = None;
                bg.failed = Some(e.to_string());
            }
        }
        bg.ms_per_unit = 0.0;
        true
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
        self.pending.is_none()
            && self.session.trainer().is_finished()
            && self.session.diverged().is_none()
            && !self.background.is_working()
    }
}
