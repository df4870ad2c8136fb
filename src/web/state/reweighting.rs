//! Attention-weighted fitting in the page, the paper's open question 2, as
//! `lyapunov-lens fit --weights attention` does it: once a fit is the target and attention
//! training against it has finished, refit with each residual weighted by N·a_t (one trust
//! region from the current estimates), make that fit the target, train again, and repeat until
//! no fit coordinate moves by more than [`TOLERANCE`] or after [`ROUNDS`] rounds. Each round's
//! fit runs a few steps per frame like any fit; training runs between rounds (the page plays).

use super::Lab;
use crate::estimation::fitter::Fitter;
use crate::estimation::problem::{FitData, FitSettings};
use crate::estimation::result::FitResult;
use crate::estimation::weighted::{attention_weights, change};

/// Most weighted rounds, and the largest coordinate change (ln units for positive parameters)
/// that counts as the fixed point: the CLI's.
pub const ROUNDS: usize = 10;
pub const TOLERANCE: f64 = 1e-4;

/// Attention-weighted refitting in progress or done.
pub(super) struct Reweighting {
    /// The unweighted fit the rounds started from.
    pub(super) unweighted: FitResult,
    /// The largest coordinate change of each weighted round so far.
    pub(super) changes: Vec<f64>,
    /// Whether the rounds have stopped (at the fixed point or the cap).
    pub(super) done: bool,
    /// Whether a weighted round is fitting now (else the rounds wait for training).
    pub(super) fitting: bool,
}

impl Reweighting {
    pub(super) fn fixed_point(&self) -> bool {
        self.changes.last().is_some_and(|c| *c < TOLERANCE)
    }

    /// What the rounds did, for the status line and the summary.
    pub(super) fn describe(&self) -> String {
        let changes: Vec<String> = self
            .changes
            .iter()
            .map(|c| crate::number_text::sci(*c, 1))
            .collect();
        let state = match (self.done, self.fixed_point()) {
            (true, true) => "the fixed point is reached".to_string(),
            (true, false) => format!("stopped at the cap of {ROUNDS} rounds"),
            (false, _) => "going on".to_string(),
        };
        format!(
            "Weighted by attention (N·a_t from the attention learned against the current fit): {} round{}, largest change of a coordinate per round {}; {state}.",
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            if changes.is_empty() { "–".into() } else { changes.join(", ") },
        )
    }
}

impl Lab {
    /// The "Weight by attention" button: starts the rounds from the fit that is the target, or
    /// stops them.
    pub fn toggle_weighting(&mut self) {
        if self.fit.weighting.as_ref().is_some_and(|w| !w.done) {
            self.fit.weighting = None;
            self.fit.run = None;
            self.show_fit_buttons();
            self.fit.panel.show_status(
                "stopped",
                "Weighting stopped. The fit of the last finished round stays the target.",
            );
            return;
        }
        let Some(fit) = self.fit.result.clone() else {
            self.notice
                .show("Fit the system first: the rounds weigh the residuals of a fit.");
            return;
        };
        self.fit.weighting = Some(Reweighting {
            unweighted: fit,
            changes: Vec::new(),
            done: false,
            fitting: false,
        });
        self.set_playing(true); // the rounds need attention trained against each fit
        self.show_fit_buttons();
        self.fit.panel.show_status(
            "running",
            "Weighting by attention: training attention against the fit…",
        );
    }

    /// Between rounds: once training has finished, starts the next weighted round. Called each
    /// frame while no fit runs.
    pub(super) fn work_weighting(&mut self) {
        let waiting = self
            .fit
            .weighting
            .as_ref()
            .is_some_and(|w| !w.done && !w.fitting);
        if !waiting || !self.session.trainer().is_finished() {
            return;
        }
        if let Some(why) = self.session.diverged().map(str::to_owned) {
            self.stop_weighting(&format!("attention training diverged ({why})"));
            return;
        }
        match self.weighted_fitter() {
            Ok(fitter) => {
                let round = self.fit.weighting.as_ref().map_or(0, |w| w.changes.len()) + 1;
                self.run_fitter(
                    fitter,
                    format!("Weighting by attention: fitting round {round}…"),
                );
                if let Some(w) = self.fit.weighting.as_mut() {
                    w.fitting = true;
                }
            }
            Err(why) => self.stop_weighting(&why),
        }
    }

    /// The next round's fitter: residuals weighted by N·a_t, one start from the current fit.
    fn weighted_fitter(&self) -> Result<Fitter, String> {
        let loaded = self.fit.loaded.as_ref().ok_or("there are no data")?;
        let fit = self.fit.result.as_ref().ok_or("there is no fit")?;
        let weights = attention_weights(self.session.attention()).map_err(|e| e.to_string())?;
        let settings = FitSettings {
            weights: Some(weights),
            start_from: Some(fit.parameter_values()),
            starts: 1,
            ..FitSettings::new(fit.system)
        };
        let data = FitData::from_series(&loaded.series, &loaded.source);
        Fitter::new(settings, data).map_err(|e| e.to_string())
    }

    /// A weighted round's fit became the target: records how far it moved from `previous` and
    /// whether the rounds stop. Returns the status text.
    pub(super) fn weighted_round_done(&mut self, previous: &[f64]) -> Option<String> {
        let fit = self.fit.result.as_ref()?;
        let moved = change(
            &FitSettings::new(fit.system),
            &fit.parameter_values(),
            previous,
        );
        let w = self.fit.weighting.as_mut()?;
        w.fitting = false;
        w.changes.push(moved);
        w.done = moved < TOLERANCE || w.changes.len() >= ROUNDS;
        let text = w.describe();
        let (rounds, done, fixed) = (w.changes.len(), w.done, w.fixed_point());
        self.fit
            .panel
            .show_weighting(Some(&text), rounds, done, fixed);
        if self.fit.weighting.as_ref().is_some_and(|w| w.done) {
            self.show_fit_buttons();
        }
        Some(text)
    }

    /// The rounds stop with `why`; the fit of the last finished round stays the target.
    pub(super) fn stop_weighting(&mut self, why: &str) {
        self.fit.weighting = None;
        self.show_fit_buttons();
        self.notice.show(&format!(
            "Weighting by attention stopped: {why}. The fit of the last finished round stays the target."
        ));
        self.fit
            .panel
            .show_status("failed", &format!("Weighting stopped: {why}."));
    }

    /// The two fit buttons: what they do now, and whether they can.
    pub(super) fn show_fit_buttons(&self) {
        let running = self.fit.run.is_some() && !self.weighting_active();
        let cannot = self.fit.cannot_fit.as_deref();
        self.fit.panel.show_button(running, cannot);
        let why = match (&self.fit.result, self.fit.run.is_some()) {
            (None, _) => Some("Fit the system first: the rounds weigh the residuals of a fit."),
            (Some(_), true) if !self.weighting_active() => Some("Wait for the fit to finish."),
            _ => None,
        };
        self.fit
            .panel
            .show_weight_button(self.weighting_active(), why);
    }

    /// Whether attention-weighted rounds are going on.
    pub(super) fn weighting_active(&self) -> bool {
        self.fit.weighting.as_ref().is_some_and(|w| !w.done)
    }
}
