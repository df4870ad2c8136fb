//! What the page says about the run beyond the stats line: where training is (the status line),
//! the verdict and its settled announcement, where the draw sits among the ensemble's, why the
//! sign is what it is (in the explanations), and the data controls that do not apply with
//! their reasons (New noise, Whole periods, the non-physical share).

use super::Lab;
use crate::lab::seed_ensemble::ENSEMBLE_SEEDS;
use crate::lab::session::DataSource;
use crate::observations::noise_model::non_physical_share;
use crate::web::explanations::why_text;
use crate::web::plots::ensemble_strip::{summary_text, CurrentDraw};

impl Lab {
    /// Rewrites the status line, the verdict and the ensemble strip (with the stats, at their
    /// pace), and announces the verdict once it has settled.
    pub(super) fn refresh_readings(&mut self) {
        if self.pending.is_none() {
            self.status.update(&self.session); // else it shows the change's progress
        }
        let line = self.verdict_line();
        let settled = self.verdict_settled();
        self.stats.show_verdict(&line, settled);
        if settled {
            let (_, status) = crate::web::panels::status_line::describe(
                self.session.training_status(),
                self.session.steps(),
            );
            self.stats
                .announce(&format!("Training {status}. Verdict: {line}."));
        }
        self.draw_ensemble();
    }

    /// Draws the ensemble strip and its sentence.
    pub(super) fn draw_ensemble(&mut self) {
        self.dirty.ensemble = false;
        let m = self.session.metrics();
        let current = CurrentDraw {
            seed: self.session.config().seed,
            spearman: m.spearman,
            pearson: m.pearson,
        };
        let why_none = self.no_ensemble_reason();
        let runs = self
            .background
            .ensemble
            .as_ref()
            .map_or(&[][..], |e| e.runs());
        let total = ENSEMBLE_SEEDS as usize;
        let strip = &self.plots.ensemble;
        strip.draw(runs, total, &current, why_none);
        let text = summary_text(runs, total, &current, why_none);
        strip.summary.set_text_content(Some(&text));
        let _ = strip.canvas.set_attribute("aria-label", &text);
    }

    /// Why the setting has no other noise draws, if it has none.
    fn no_ensemble_reason(&self) -> Option<&'static str> {
        if matches!(self.session.source(), DataSource::Imported(_)) {
            Some("the observations are imported, so there is no noise to redraw")
        } else if self.session.config().sigma == 0.0 {
            Some("σ = 0, so the observations are the clean orbit and there is no noise to redraw")
        } else {
            None
        }
    }

    /// Marks the "why" paragraph out of date when training has just converged (or stopped
    /// being converged). Cheap: called every frame.
    pub(super) fn notice_convergence(&mut self) {
        let converged = self.session.training_status().is_converged();
        if converged != self.view.converged {
            self.view.converged = converged;
            self.dirty.why = true;
            self.dirty.stats_now = true;
        }
    }

    /// Recomputes the "why" paragraph if it is out of date and the explanations are open (it
    /// scans every direction of the score: not for every frame, nor for a closed panel).
    pub(super) fn refresh_why(&mut self) {
        if self.dirty.why && self.view.explain_open {
            self.dirty.why = false;
            self.explain
                .why
                .set_text_content(Some(&why_text(&self.session)));
        }
    }

    /// The explanations were opened or closed: the paragraph is computed (next frame) when
    /// they are open.
    pub fn explain_toggled(&mut self) {
        self.view.explain_open = self.explain.details.open();
    }

    /// Fits the data controls to the session: New noise and Whole periods (enabled, or
    /// disabled with their reason), and the share of observations no population can have.
    pub(super) fn fit_to_session(&mut self) {
        let s = &self.session;
        let config = s.config();
        let imported = matches!(s.source(), DataSource::Imported(_));
        self.controls.fit_new_noise(if s.has_noise_to_redraw() {
            None
        } else if imported {
            Some("No noise to redraw: the observations come from the imported file.")
        } else {
            Some("No noise to redraw: σ = 0, so the observations are the clean orbit.")
        });
        let whole = match (imported, s.period()) {
            (true, _) => Err("Imported data keep their own times: t_end does not apply.".to_string()),
            (false, None) => Err("No whole periods: the orbit has no measurable period in this window (chaos, a rotating pendulum or an equilibrium).".to_string()),
            (false, Some(period)) => {
                let k = whole_periods(config.t_end, period);
                Ok(format!(
                    "Set t_end to {k} whole period{} of the orbit, {k} × {period:.3} = {:.3}, so that no part of it is sampled twice and weighs double in the correlations",
                    if k > 1 { "s" } else { "" },
                    f64::from(k) * period
                ))
            }
        };
        self.controls.data.fit_whole_periods(whole);
        let share = config
            .system
            .has_positive_states()
            .then(|| non_physical_share(s.observations()));
        self.controls.data.show_non_physical(share, config.noise);
    }
}

/// The whole number of periods nearest to `t_end` (at least one).
pub(super) fn whole_periods(t_end: f64, period: f64) -> u32 {
    (t_end / period).round().max(1.0) as u32
}
