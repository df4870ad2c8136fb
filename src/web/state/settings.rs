//! The controls and the session: applying moved controls to the session (or putting them back
//! when a change is rejected), showing the session's config on the controls, the view selects,
//! play and pause, steps and resets asked for, new noise, the noise model and whole periods.

use super::readings::whole_periods;
use super::Lab;
use crate::lab::clean_data::with_whole_periods;
use crate::lab::session::{DataSource, Recomputed};
use crate::lab::url_state::projection_fits;
use crate::observations::gaussian_noise::fresh_seed;
use crate::observations::noise_model::NoiseModel;
use crate::web::panels::data_controls::{sigma_range, LOGNORMAL_SIGMA};

impl Lab {
    /// Marks which layers a session change invalidated.
    pub(super) fn recomputed(&mut self, done: Recomputed) {
        self.dirty.phase_cold |= done.trajectory || done.observations;
        self.dirty.fig5_cold |= done.trajectory || done.observations || done.measure;
        self.dirty.loss_cold |= done.model;
        if done.model || done.trajectory {
            self.training.ms_per_step = 0.0; // re-measure: the cost of a step may have changed
        }
        if done.trajectory || done.measure {
            self.kicks = None; // kick growth follows the orbit and the horizon
        }
        if done.trajectory || done.observations {
            self.forget_experiments();
            self.reset_cursor();
        }
        self.dirty.hot = true;
        self.dirty.stats_now = true;
        self.dirty.hash = true;
        self.dirty.why = true;
        self.dirty.ensemble = true;
        self.background.setting_changed = true;
        self.fit_to_session();
    }

    /// Applies the controls to the session (over the next frames when the change is expensive:
    /// see `pending_change`); a rejected change puts the controls back.
    pub(super) fn apply_controls(&mut self) {
        let result = self
            .controls
            .read(self.session.config())
            .and_then(|(config, spf)| {
                self.training.steps_per_frame = spf;
                self.session.prepare(config).map_err(|e| e.to_string())
            });
        match result {
            Ok(change) => self.begin_change(change, false, false),
            Err(message) => {
                self.pending = None;
                self.controls_rejected(&message)
            }
        }
    }

    /// Applies a prepared change (its expensive work done) to the session; a change from a
    /// control clears the notices of earlier ones, the link's (`from_link`) keeps its own.
    pub(super) fn finish_change(
        &mut self,
        change: crate::lab::session_change::SessionChange,
        from_link: bool,
    ) {
        let before = self.session.config().system;
        match self.session.apply(change).map_err(|e| e.to_string()) {
            Ok(done) => {
                if self.view.head > self.session.heads() {
                    self.view.head = 0; // that head no longer exists: show all
                    self.dirty.phase_cold = true;
                }
                self.controls_applied(self.session.config().system != before);
                self.recomputed(done);
                if from_link {
                    // the link's notices stay
                } else if self.notice.has_no_action() {
                    self.notice.hide();
                } else if self.session.diverged().is_none() {
                    self.notice.hide_offer();
                }
            }
            Err(message) => self.controls_rejected(&message),
        }
    }

    /// The session took the controls' config: fits the view and the controls to it (`switched`:
    /// to a new system).
    fn controls_applied(&mut self, switched: bool) {
        let system = self.session.config().system;
        let linked = self.link.linked_projection.take();
        let phase = &mut self.plots.phase;
        if switched {
            // New axes for the new system: the link's projection if it came with one,
            // else the system's default.
            phase.projection = linked
                .filter(|&p| projection_fits(p, system.dim()))
                .unwrap_or(system.run_defaults().projection);
            phase.hovered = None;
        }
        // Rebuilds the system's sliders and options when the system changed.
        self.show_controls();
        if switched {
            self.set_imported_mode(matches!(self.session.source(), DataSource::Imported(_)));
            self.apply_hidden();
        }
    }

    /// The session refused the controls' config: says why and puts the controls back.
    fn controls_rejected(&mut self, message: &str) {
        self.notice.show(&format!(
            "That setting was not applied: {message}. The previous settings are kept."
        ));
        // The view must fit the session's system, whatever the rejected link asked for.
        self.link.linked_projection = None;
        self.dirty.hash = true; // the address bar may show the refused setting
        let phase = &mut self.plots.phase;
        if !projection_fits(phase.projection, self.session.dim()) {
            phase.projection = self.session.config().system.run_defaults().projection;
            self.dirty.phase_cold = true;
        }
        self.show_controls();
    }

    /// Moves the controls to the session's config and the page's view settings.
    fn show_controls(&mut self) {
        self.tools.fit_system(self.session.config().system);
        self.controls.show(
            &self.document,
            self.session.config(),
            self.training.steps_per_frame,
            self.plots.phase.projection,
            self.view.head,
        );
    }

    /// The projection or head select changed: a view change, the session is untouched.
    pub fn view_changed(&mut self) {
        let projection = self.controls.projection();
        let phase = &mut self.plots.phase;
        if projection != phase.projection {
            phase.projection = projection;
            phase.hovered = None;
            self.dirty.phase_cold = true;
        }
        let head = self.controls.head();
        if head != self.view.head {
            self.view.head = head;
            self.dirty.phase_cold = true;
        }
        self.dirty.hot = true;
        self.dirty.hash = true;
    }

    pub(super) fn set_playing(&mut self, playing: bool) {
        self.training.playing = playing;
        self.controls.set_playing(playing);
        self.dirty.stats_now = true;
        self.dirty.hash = true;
    }

    /// Play or pause (the Play button, the space bar); a diverged model does not play.
    pub fn toggle_play(&mut self) {
        if self.session.diverged().is_some() && !self.training.playing {
            self.notice.show_with_action(
                "Training diverged. Lower the learning rate or reset the model, then play.",
                "Reset model",
            );
            return;
        }
        self.set_playing(!self.training.playing);
    }

    /// One frame's worth of optimizer steps, run next frame (the Step button, the S key).
    pub fn queue_step(&mut self) {
        self.requests.steps += self.training.steps_per_frame;
    }

    /// Restarts the model from uniform attention next frame (Reset, the R key).
    pub fn request_reset(&mut self) {
        self.requests.reset = true;
    }

    /// A new noise seed (never the current one): same orbit, new observations. Nothing where
    /// there is no noise to redraw (the button is then disabled).
    pub fn new_noise(&mut self) {
        if !self.session.has_noise_to_redraw() {
            return;
        }
        if let Some(seed) = self.controls.slider("seed") {
            let next = loop {
                let s = (fresh_seed() % 1000) as f64;
                if s != seed.value() {
                    break s;
                }
            };
            seed.set_value(next);
        }
        self.user_changed_controls();
    }

    /// The noise model select changed: σ's slider takes that model's range, and a σ beyond it
    /// (Gaussian σ = 2 is a factor e^±2 as a lognormal spread) becomes a moderate one.
    pub fn noise_changed(&mut self) {
        if let Ok(noise) = self.controls.data.noise.value().parse::<NoiseModel>() {
            let system = self.controls.shown_system();
            let sigma = self.controls.slider("sigma");
            self.controls.data.show_noise(system, noise, sigma);
            let ((_, max, _), _) = sigma_range(system, noise);
            if let Some(s) = sigma.filter(|s| s.value() > max) {
                s.set_value(LOGNORMAL_SIGMA.min(max));
            }
        }
        self.user_changed_controls();
    }

    /// The Whole periods button: t_end becomes the whole number of measured periods nearest to
    /// it (at least one), as `lyapunov-lens run --whole-periods K` sets it.
    pub fn whole_periods(&mut self) {
        let Some(period) = self.session.period() else {
            return;
        };
        let k = whole_periods(self.session.config().t_end, period);
        match with_whole_periods(self.session.config(), k) {
            Ok(config) => {
                if let Some(s) = self.controls.slider("t_end") {
                    s.set_value(config.t_end);
                }
                self.user_changed_controls();
            }
            Err(e) => self.notice.show(&format!("No whole periods: {e}.")),
        }
    }

    /// A control moved by hand: apply it next frame; the state no longer is a preset.
    pub fn user_changed_controls(&mut self) {
        self.requests.controls_changed = true;
        if self.link.preset.take().is_some() {
            self.tools.preset.set_value("");
            self.show_commentary();
        }
    }
}
