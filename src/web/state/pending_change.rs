//! A change of setting too expensive for one frame (a long orbit, its FTLE), computed over
//! frames: each frame gives it [`CHANGE_BUDGET_MS`], the status line shows how far it is, and the
//! plots keep the previous setting until the change is applied (a link that opened on a
//! stand-in session draws nothing until then). Training and the ensemble wait
//! (they would only work on the setting being replaced). A control moved meanwhile replaces the
//! change with a new one. The session gets the same bits however the work is sliced (see
//! [`crate::lab::session_change`]).

use super::{now_ms, Lab};
use crate::lab::session_change::SessionChange;

/// Most milliseconds of a frame spent computing a pending change (the rest is drawing and the
/// browser, well inside a 50 ms frame).
pub const CHANGE_BUDGET_MS: f64 = 15.0;
/// The clock is read every this many units of a change. A unit is one output or sampling
/// interval, or a bounded chunk of a limit cycle's steps: small, but a long orbit's FTLE
/// interval takes a few milliseconds in a loaded browser, so reading the clock only every 8
/// units let a frame run 15 ms past its budget; reading it costs well under a microsecond.
const CLOCK_EVERY_UNITS: u32 = 2;

/// A change being computed over frames, and where it came from.
pub(super) struct PendingChange {
    pub(super) change: SessionChange,
    /// The link the page opened with: its notices (what in the link was changed) stay up when
    /// it is applied, where a control's change clears old notices.
    pub(super) from_link: bool,
    /// The session is a stand-in for the link's setting (see
    /// [`session_for_link`](super::session_for_link)): the frames draw nothing until a change
    /// is applied. A change that replaces this one inherits it.
    pub(super) stand_in: bool,
}

impl Lab {
    /// Starts computing `change` over the next frames, or applies it now when it is cheap.
    /// `stand_in`: the session is a stand-in for it (a link opening); a change that replaces a
    /// stand-in's change is one too.
    pub(super) fn begin_change(&mut self, change: SessionChange, from_link: bool, stand_in: bool) {
        let stand_in = stand_in || self.opening_on_stand_in();
        if change.is_quick() {
            self.pending = None;
            self.finish_change(change, from_link);
        } else {
            self.status
                .computing(change.doing(), change.progress(), stand_in);
            self.pending = Some(PendingChange {
                change,
                from_link,
                stand_in,
            });
        }
    }

    /// While the session is a stand-in: the captions and the explanation describe the link's
    /// setting, not the stand-in's (a screen reader reads them before anything is drawn).
    pub(super) fn describe_link_being_opened(&mut self) {
        if let Some(p) = self.pending.as_ref().filter(|p| p.stand_in) {
            let config = p.change.config();
            let (system, measure, tau) = (config.system, config.measure, config.tau);
            self.follow_setting_in_words(system, measure, tau);
        }
    }

    /// Whether the session is still a stand-in for the link the page opened with (nothing is
    /// drawn until its setting is applied).
    pub(super) fn opening_on_stand_in(&self) -> bool {
        self.pending.as_ref().is_some_and(|p| p.stand_in)
    }

    /// This frame's share of the pending change, if there is one; applies it once done.
    /// Returns whether this frame worked on a change (then training and the ensemble wait:
    /// the frame that applies a change also redraws every layer).
    pub(super) fn work_pending_change(&mut self, frame_start_ms: f64) -> bool {
        let Some(PendingChange {
            change, stand_in, ..
        }) = self.pending.as_mut()
        else {
            return false;
        };
        let deadline = frame_start_ms + CHANGE_BUDGET_MS;
        let mut units = 0u32;
        let done = change.work(&mut || {
            units += 1;
            units.is_multiple_of(CLOCK_EVERY_UNITS) && now_ms() >= deadline
        });
        if !done {
            self.status
                .computing(change.doing(), change.progress(), *stand_in);
            return true;
        }
        if let Some(pending) = self.pending.take() {
            self.finish_change(pending.change, pending.from_link);
        }
        true
    }
}
