//! The lab for keyboard, screen-reader and listening users: the canvases' captions, the
//! per-system explanation and the throttled descriptions kept current each frame, the keyboard
//! cursor along the orbit, the audio trace, and reduced motion (the page opens paused and
//! redraws the plots at most twice a second while training plays).

use super::{now_ms, Lab};
use crate::lab::canvas_descriptions::{loss_description, phase_description, time_plot_description};
use crate::lab::readout_text::{cursor_step, sample_readout};
use crate::measures::measure::Measure;
use crate::number_text::fixed;
use crate::systems::catalogue::SystemKind;
use crate::web::accessibility::motion_preference::{link_says_playing, REDUCED_MOTION_REDRAW_MS};
use crate::web::explanations::show_system_explanation;
use web_sys::KeyboardEvent;

/// What the notice says when the page opens paused for reduced motion.
const PAUSED_FOR_MOTION: &str = "Training is paused because your system asks for reduced motion. Press Play (or Space) to train; the plots then redraw at most twice a second.";

impl Lab {
    /// The captions and the explanation of `system` with `measure` over `tau` (written only when
    /// they change).
    pub(super) fn follow_setting_in_words(
        &mut self,
        system: SystemKind,
        measure: Measure,
        tau: f64,
    ) {
        let axes = self.plots.phase.axes(system.dim());
        let access = &mut self.access;
        access
            .descriptions
            .show_captions(system, measure, tau, axes);
        let key = (system, measure);
        if access.explained != Some(key) {
            access.explained = Some(key);
            show_system_explanation(&self.document, &self.explain.details, key.0, key.1);
        }
    }

    /// Every frame, after drawing: the captions and the explanation follow the system and the
    /// measure, the descriptions follow the run (at most once a second, when changed), and a
    /// finished audio trace gives its button back.
    pub(super) fn refresh_accessibility(&mut self, stamp_ms: f64) {
        let config = self.session.config();
        self.follow_setting_in_words(config.system, config.measure, config.tau);
        let access = &mut self.access;
        let axes = self.plots.phase.axes(self.session.dim());
        if access.descriptions.due(stamp_ms) {
            let attention = self.view.shown_attention(&self.session);
            let phase = phase_description(&self.session, attention, axes);
            let time = time_plot_description(&self.session);
            let loss = loss_description(&self.session);
            self.access.descriptions.show(stamp_ms, phase, time, loss);
            self.access.cursor.set_count(self.session.attention().len());
        }
        self.access.audio.poll(now_ms());
    }

    /// Under reduced motion while training plays, holds the hot layers' redraw back until
    /// REDUCED_MOTION_REDRAW_MS have passed since the last; returns whether it held one back
    /// (the caller marks it due again after drawing).
    pub(super) fn hold_hot_redraw(&mut self, stamp_ms: f64) -> bool {
        if !self.dirty.hot {
            return false;
        }
        let spaced = self.access.reduced_motion && self.training.playing;
        if spaced && stamp_ms - self.access.last_hot_ms < REDUCED_MOTION_REDRAW_MS {
            self.dirty.hot = false;
            return true;
        }
        self.access.last_hot_ms = stamp_ms;
        self.access.descriptions.stale = true;
        false
    }

    /// On opening: under reduced motion the page does not start training by itself (unless the
    /// link says `playing`). Returns the notice to show, if it paused.
    pub(super) fn pause_for_reduced_motion(&mut self, hash: &str) -> Option<&'static str> {
        if self.access.reduced_motion && self.training.playing && !link_says_playing(hash) {
            self.set_playing(false);
            return Some(PAUSED_FOR_MOTION);
        }
        None
    }

    /// A key on the focused phase portrait or time plot: moves the cursor along the orbit.
    /// Returns whether the key was used.
    pub fn cursor_key(&mut self, event: &KeyboardEvent) -> bool {
        let key = event.key();
        if key == "Escape" {
            let had = self.access.cursor.index.is_some();
            self.show_cursor(None);
            return had;
        }
        let n = self.session.attention().len();
        match cursor_step(self.access.cursor.index, n, &key) {
            Some(i) => {
                self.show_cursor(Some(i));
                true
            }
            None => false,
        }
    }

    /// Marks sample `index` on both plots and reads it out (the live region, the sliders'
    /// value, and the tooltip at the sample on the portrait); `None` hides the cursor.
    pub(super) fn show_cursor(&mut self, index: Option<usize>) {
        let attention = self.view.shown_attention(&self.session);
        let n = attention.len();
        let index = index.filter(|&i| i < n);
        let text = index.and_then(|i| sample_readout(&self.session, i, attention));
        let short = match index {
            Some(i) => format!(
                "sample {} of {n}, t = {}",
                i + 1,
                fixed(self.session.times()[i], 3)
            ),
            None => "no sample chosen: use the arrow keys to move along the orbit".into(),
        };
        self.access
            .cursor
            .show(index, n, &short, text.as_deref().unwrap_or(""));
        self.plots.phase.hovered = index;
        self.plots.fig5.cursor = index;
        self.dirty.hot = true;
        let spot = index.and_then(|i| self.plots.phase.point_css(&self.session, i));
        match (spot, text) {
            (Some((x, y)), Some(text)) => self.place_tooltip(x, y, &text),
            _ => self.plots.tooltip.set_hidden(true),
        }
    }

    /// The data changed under the cursor: it starts over.
    pub(super) fn reset_cursor(&mut self) {
        if self.access.cursor.index.is_some() {
            self.show_cursor(None);
        }
        self.access.descriptions.stale = true;
    }

    /// The audio trace's button: plays the run or stops it.
    pub fn toggle_audio(&mut self) {
        self.access.audio.toggle(&self.session, now_ms());
    }
}
