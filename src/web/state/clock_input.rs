//! "Kick the clock", the user's side: opening the panel (which starts the computation), fitting
//! its canvases, a click or keys on the PRC (choosing the phase, kicking), the Kick button, and
//! the kick's variable, size and direction. The kicks themselves wait for the next frames
//! (`clock_kick`), so that their status is on screen first.

use super::clock_kick::{Stage, POINTS};
use super::Lab;
use web_sys::{KeyboardEvent, MouseEvent};

impl Lab {
    /// The panel was opened or closed: fit and draw it, and start the computation if needed.
    pub fn clock_toggled(&mut self) {
        self.clock.open = self.clock.panel.details.open();
        if !self.clock.open {
            return;
        }
        self.fit_clock();
        if matches!(self.clock.stage, Stage::Idle) && self.clock.system.is_some() {
            self.clock.start();
        }
    }

    /// Fits the panel's canvases (on opening, a resize or a text-size change) and redraws.
    pub(super) fn fit_clock(&mut self) {
        if !self.clock.open {
            return;
        }
        let scale = self.plots.phase.canvas.text_scale;
        let panel = &mut self.clock.panel;
        for canvas in [&mut panel.prc.canvas, &mut panel.orbit.canvas] {
            canvas.text_scale = scale;
            canvas.fit();
        }
        self.draw_clock();
    }

    /// A click on the PRC: choose the phase under the pointer and kick there.
    pub fn clock_click(&mut self, event: &MouseEvent) {
        if self.clock.computed().is_none() {
            return;
        }
        if let Some(theta) = self.clock.panel.prc.theta_at(event.offset_x() as f64) {
            self.select_phase((theta * POINTS as f64).round() as usize);
            self.queue_clock_kick();
        }
    }

    /// Keys on the focused PRC: arrows move the phase by one grid step, Page Up/Down by ten,
    /// Home and End to the ends, Enter or space kicks. Returns whether the key was used.
    pub fn clock_key(&mut self, event: &KeyboardEvent) -> bool {
        if self.clock.computed().is_none() {
            return false;
        }
        let j = self.clock.panel.prc.selected;
        let moved = match event.key().as_str() {
            "ArrowRight" | "ArrowUp" => j + 1,
            "ArrowLeft" | "ArrowDown" => j + POINTS - 1,
            "PageUp" => j + 10,
            "PageDown" => j + POINTS - 10,
            "Home" => 0,
            "End" => POINTS - 1,
            "Enter" | " " => {
                self.queue_clock_kick();
                return true;
            }
            _ => return false,
        };
        self.select_phase(moved);
        true
    }

    /// The Kick button, or Enter on the curve: kick at the chosen phase after the status shows.
    pub fn queue_clock_kick(&mut self) {
        let clock = &mut self.clock;
        let Some(c) = clock.computed() else {
            return;
        };
        let theta = c.prc.theta[clock.panel.prc.selected];
        clock.pending_kick = true;
        clock.armed = false;
        clock.panel.set_status(
            "kicking",
            &format!("Kicking at θ = {theta:.2} and following the orbit until its phase settles…"),
        );
    }

    /// The variable, the size or the direction changed: the curve of that variable, and the
    /// measured points start over (they are shift/ε for one kick).
    pub fn clock_inputs_changed(&mut self) {
        self.clock.panel.prc.dots.clear();
        self.clock.panel.show_readout(None);
        self.show_prc();
    }
}
