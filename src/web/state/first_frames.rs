//! The first frames after the page loads. Each plot's first draw costs far more than the later
//! ones (the page's first layout, the canvases' buffers, the fonts): done in one frame they took
//! 70–150 ms in headless Chromium. Instead, the frame that fits the canvases (the first layout)
//! draws nothing else, and each following frame draws one layer, in reading order: the phase
//! portrait's axes, then its orbit, the right-hand plot's, the loss, the plots below, the clock
//! panel. Training, a change computed over frames and the clock's work wait for these few frames
//! (under 10 at 60 fps; the stats are written meanwhile); the plots appear one after the other
//! where their canvases already stand, so nothing moves.

use super::Lab;

/// The steps of the first draw, one per frame; the frame after the last is an ordinary one.
const LAST_STEP: u8 = 8;

impl Lab {
    /// This frame's step of the first draw; returns whether the first draw is still under way
    /// (then the rest of the frame waits).
    pub(super) fn draw_first_frames(&mut self) -> bool {
        let Some(step) = self.dirty.first_draw else {
            return false;
        };
        if step > LAST_STEP {
            self.dirty.first_draw = None;
            // Whatever changed meanwhile (a change applied, a head chosen) is drawn now.
            self.dirty.hot = true;
            return false;
        }
        self.dirty.first_draw = Some(step + 1);
        if step == 2 && self.view.head > 0 {
            self.session
                .head_attention(self.view.head, &mut self.view.head_attention);
        }
        let plots = &mut self.plots;
        let session = &self.session;
        let result = match step {
            // This frame fitted the canvases: the page's first layout.
            0 => Ok(()),
            1 if std::mem::take(&mut self.dirty.phase_cold) => {
                plots.phase.head = self.view.head;
                plots.phase.draw_cold(session)
            }
            2 => {
                plots
                    .phase
                    .draw_hot(session, self.view.shown_attention(session));
                Ok(())
            }
            3 if std::mem::take(&mut self.dirty.fig5_cold) => plots.fig5.draw_cold(session),
            4 => {
                plots.fig5.draw_hot(session, session.attention());
                Ok(())
            }
            5 if std::mem::take(&mut self.dirty.loss_cold) => {
                let drawn = plots.loss.draw_cold(session);
                plots.loss.draw_hot(session);
                drawn
            }
            // The plots below: one each (their own axes and text are the costly part).
            6 if self.dirty.side_plots => {
                plots.perturbation.redraw();
                Ok(())
            }
            7 if std::mem::take(&mut self.dirty.side_plots) => {
                plots.deciles.redraw();
                Ok(())
            }
            // "Kick the clock": its controls and empty plots for this setting.
            8 => {
                self.follow_clock_setting();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.notice.show(&format!("Drawing failed: {e}"));
        }
        true
    }
}
