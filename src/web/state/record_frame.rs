//! "Record a clip" on the lab's side: which plots are recorded, the system the file is named
//! after, and the recorder's share of each frame.

use super::{now_ms, Lab};

impl Lab {
    /// The Record / Stop button.
    pub fn toggle_recording(&mut self) {
        let system = self.session.config().system.name();
        let plots = [&self.plots.phase.canvas, &self.plots.fig5.canvas];
        self.record.toggle(&self.document, plots, system, now_ms());
    }

    /// Composes the recorded plots after they were drawn this frame (nothing when not recording).
    pub(super) fn record_frame(&mut self) {
        let plots = [&self.plots.phase.canvas, &self.plots.fig5.canvas];
        self.record.frame(plots, now_ms());
    }
}
