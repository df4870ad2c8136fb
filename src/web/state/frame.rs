//! The frame loop: each animation frame does what events asked for, trains within a time
//! budget (the run on screen first, then the ensemble over noise draws in what is left),
//! redraws the layers that changed, and refreshes the stats and the URL hash at their own pace.
//! Nothing here allocates per frame unless something changed.

use super::background::ENSEMBLE_SHARE_MS;
use super::{now_ms, Lab};

/// Stats are rewritten at most this often (ms): readable, and no DOM churn every frame.
const STATS_INTERVAL_MS: f64 = 200.0;
/// The URL hash is rewritten at most this often (ms) while controls move.
const HASH_INTERVAL_MS: f64 = 300.0;
/// Most milliseconds of training per animation frame, the run on screen and the ensemble
/// together (the rest is drawing and the browser).
pub const TRAIN_BUDGET_MS: f64 = 10.0;

impl Lab {
    /// One animation frame, with `stamp_ms` as its timestamp.
    pub fn frame(&mut self, stamp_ms: f64) {
        let start = now_ms();
        self.do_requests();
        let fitted = std::mem::take(&mut self.dirty.resize);
        if fitted {
            self.fit_canvases();
        }
        // A link too expensive to build before the first frame opened on a stand-in session:
        // the frames compute the link's setting, with its progress in the status line, and draw
        // nothing until it is applied (then the first frames below draw it).
        if self.opening_on_stand_in() {
            if !fitted {
                self.work_pending_change(start); // the page's first layout is enough for a frame
            }
            self.describe_link_being_opened();
            self.write_hash_when_due(stamp_ms);
            self.timing.record(stamp_ms, now_ms() - start, 0);
            return;
        }
        // The first frames after load draw a layer each, and nothing else.
        if self.draw_first_frames() {
            self.refresh_stats(stamp_ms);
            self.write_hash_when_due(stamp_ms);
            self.timing.record(stamp_ms, now_ms() - start, 0);
            return;
        }
        // A change being computed over frames takes the frame; training waits for it.
        let changing = self.work_pending_change(start);
        let train_start = now_ms();
        // A fit of the system to the data takes the training budget while it runs.
        let (queued, taken) = if changing || self.fit_frame(TRAIN_BUDGET_MS) {
            (0, 0)
        } else {
            self.train()
        };
        if taken > 0 {
            self.dirty.hot = true;
        }
        if taken > 0 || self.training.playing {
            self.dirty.stats = true; // fps and frame work too, at the stats' pace
        }
        self.pause_if_diverged(queued + usize::from(self.training.playing));
        let left = TRAIN_BUDGET_MS - (now_ms() - train_start);
        if !changing && self.work_ensemble(stamp_ms, left) {
            self.dirty.ensemble = true;
            self.dirty.stats = true;
        }
        self.notice_convergence();
        let held = self.hold_hot_redraw(stamp_ms); // reduced motion: fewer redraws
        self.draw();
        self.dirty.hot |= held;
        self.record_frame();
        self.work_clock(start);
        self.refresh_stats(stamp_ms);
        self.refresh_why();
        self.refresh_accessibility(stamp_ms);
        self.write_hash_when_due(stamp_ms);
        self.timing.record(stamp_ms, now_ms() - start, taken as u64);
    }

    /// The address bar follows the state, at most every [`HASH_INTERVAL_MS`] (also while a
    /// link opens and during the first frames: the state is the link's or a hash edit's).
    fn write_hash_when_due(&mut self, stamp_ms: f64) {
        if self.dirty.hash && stamp_ms - self.link.last_hash_ms >= HASH_INTERVAL_MS {
            self.write_hash();
            self.link.last_hash_ms = stamp_ms;
        }
    }

    /// The window was resized: fit the canvases next frame.
    pub fn resized(&mut self) {
        self.dirty.resize = true;
    }

    /// Applies moved controls and a requested reset; any request refreshes the stats now.
    fn do_requests(&mut self) {
        if std::mem::take(&mut self.requests.controls_changed) {
            self.apply_controls();
            self.dirty.stats_now = true;
        }
        if std::mem::take(&mut self.requests.reset) {
            self.session.reset_model();
            self.notice.hide_offer();
            self.dirty.loss_cold = true;
            self.dirty.hot = true;
            self.dirty.stats_now = true;
            self.dirty.why = true;
        }
        if self.requests.steps > 0 {
            self.dirty.stats_now = true;
        }
    }

    /// Fits every canvas to its wrapper after a resize (or a text-size change) and redraws.
    fn fit_canvases(&mut self) {
        for canvas in self.plots.canvases_mut() {
            canvas.fit();
        }
        self.dirty.phase_cold = true;
        self.dirty.fig5_cold = true;
        self.dirty.loss_cold = true;
        self.dirty.side_plots = true;
        self.plots.ensemble.fit();
        self.dirty.ensemble = true;
        self.fit_clock();
        self.layout_fit_plots();
    }

    /// Runs the training work of this frame; returns (units asked for, units done). A unit is
    /// an optimizer step or a column of the convergence test; once training has converged,
    /// stalled or diverged there is none left to do.
    ///
    /// Units asked for with the Step button (or the S key) all run: a deliberate action.
    /// While playing, training takes at most TRAIN_BUDGET_MS of the frame (less
    /// ENSEMBLE_SHARE_MS while the ensemble is computed), from the measured cost of a unit, so
    /// slow models (self-attention costs ~100× paper-linear) keep the page responsive; an
    /// unknown cost (new model or data) is measured with one unit first.
    fn train(&mut self) -> (usize, usize) {
        let queued = std::mem::take(&mut self.requests.steps);
        let mut taken = self.timed_step(queued);
        if self.training.playing && !self.session.trainer().is_finished() {
            let mut left = self.training.steps_per_frame;
            if self.training.ms_per_step == 0.0 {
                taken += self.timed_step(1);
                left -= 1;
            }
            let budget = if self.background.is_working() {
                TRAIN_BUDGET_MS - ENSEMBLE_SHARE_MS
            } else {
                TRAIN_BUDGET_MS
            };
            let cap = ((budget / self.training.ms_per_step.max(1e-6)).floor() as usize).max(1);
            taken += self.timed_step(left.min(cap));
        }
        (queued, taken)
    }

    /// Runs `k` optimizer steps, updating the measured cost of one; returns how many ran.
    fn timed_step(&mut self, k: usize) -> usize {
        if k == 0 {
            return 0;
        }
        let t0 = now_ms();
        let done = self.session.step(k);
        if done > 0 {
            let per_step = (now_ms() - t0) / done as f64;
            // Up at once (a slower model, a larger N), down smoothly.
            let ms = self.training.ms_per_step;
            self.training.ms_per_step = if ms > 0.0 && per_step < ms {
                0.8 * ms + 0.2 * per_step
            } else {
                per_step
            };
        }
        done
    }

    /// Pauses with a notice when training diverged while it ran (`run` > 0) or was playing.
    fn pause_if_diverged(&mut self, run: usize) {
        if let Some(why) = self.session.diverged().map(str::to_owned) {
            if self.training.playing || run > 0 {
                self.set_playing(false);
                self.notice.show_with_action(
                    &format!("Training paused: {why}. Lower the learning rate, or reset the model to start again from uniform attention."),
                    "Reset model",
                );
            }
        }
    }

    /// Redraws the cold layers that are out of date, then the hot layers if anything changed.
    fn draw(&mut self) {
        let mut errors = Vec::new();
        let plots = &mut self.plots;
        if self.view.head > 0 && (self.dirty.hot || self.dirty.phase_cold) {
            self.session
                .head_attention(self.view.head, &mut self.view.head_attention);
        }
        if std::mem::take(&mut self.dirty.side_plots) {
            plots.perturbation.redraw();
            plots.deciles.redraw();
        }
        if std::mem::take(&mut self.dirty.phase_cold) {
            plots.phase.head = self.view.head;
            errors.extend(plots.phase.draw_cold(&self.session).err());
            self.dirty.hot = true;
        }
        if std::mem::take(&mut self.dirty.fig5_cold) {
            errors.extend(plots.fig5.draw_cold(&self.session).err());
            self.dirty.hot = true;
        }
        if std::mem::take(&mut self.dirty.loss_cold)
            || (self.dirty.hot && plots.loss.needs_cold(&self.session))
        {
            errors.extend(plots.loss.draw_cold(&self.session).err());
            self.dirty.hot = true;
        }
        if std::mem::take(&mut self.dirty.hot) {
            let attention = self.view.shown_attention(&self.session);
            plots.phase.draw_hot(&self.session, attention);
            // The right-hand plot shows what the metrics measure: all heads together.
            plots.fig5.draw_hot(&self.session, self.session.attention());
            plots.loss.draw_hot(&self.session);
        }
        if let Some(e) = errors.first() {
            self.notice.show(&format!("Drawing failed: {e}"));
        }
    }

    /// Rewrites the stats after a deliberate action at once, and after
    /// training at most every STATS_INTERVAL_MS while playing.
    fn refresh_stats(&mut self, stamp_ms: f64) {
        let due = stamp_ms - self.last_stats_ms >= STATS_INTERVAL_MS;
        if std::mem::take(&mut self.dirty.stats_now)
            || (self.dirty.stats && (!self.training.playing || due))
        {
            let (fps, frame_ms, steps_per_second) = self.timing.summary();
            self.stats
                .update(&self.session, fps, frame_ms, steps_per_second);
            self.refresh_readings();
            self.last_stats_ms = stamp_ms;
            self.dirty.stats = false;
        } else if self.dirty.ensemble {
            self.draw_ensemble();
        }
    }
}
