//! The phase portrait under the pointer: the tooltip with the hovered observation's numbers (the
//! read-out the keyboard cursor reads too, `lab::readout_text`), a
//! click that sets the initial state or kicks the orbit there, the perturbation experiment of the
//! tools panel, and the phase-plane aids.

use super::Lab;
use crate::experiments::kick_response::{by_attention_decile, KickResponse};
use crate::experiments::perturbation::{attention_perturbation, perturb_at};
use crate::lab::readout_text::sample_readout;
use crate::web::plots::kick_deciles::DecileReading;
use web_sys::MouseEvent;

impl Lab {
    /// The pointer moved over the phase portrait: ring the nearest observation and show its
    /// numbers.
    pub fn hover(&mut self, event: &MouseEvent) {
        let index = self.plots.phase.nearest(
            &self.session,
            event.offset_x() as f64,
            event.offset_y() as f64,
        );
        if index != self.plots.phase.hovered {
            self.plots.phase.hovered = index;
            self.dirty.hot = true;
        }
        let attention = self.view.shown_attention(&self.session);
        match index.and_then(|i| sample_readout(&self.session, i, attention)) {
            Some(text) => {
                self.place_tooltip(event.offset_x() as f64, event.offset_y() as f64, &text);
            }
            None => self.plots.tooltip.set_hidden(true),
        }
    }

    /// Shows `text` in the tooltip next to (`x`, `y`), CSS pixels of the portrait.
    pub(super) fn place_tooltip(&self, x: f64, y: f64, text: &str) {
        self.plots.tooltip.set_text_content(Some(text));
        // Beside (x, y), flipped to the other side where it would leave the plot.
        self.plots.place_tooltip(x, y);
    }

    /// The pointer left the phase portrait.
    pub fn pointer_left(&mut self) {
        self.plots.phase.hovered = self.access.cursor.index;
        self.plots.tooltip.set_hidden(true);
        self.dirty.hot = true;
    }

    /// A click on the phase portrait: set the initial condition there, or kick the nearest point.
    pub fn phase_click(&mut self, event: &MouseEvent) {
        let (cx, cy) = (event.offset_x() as f64, event.offset_y() as f64);
        if self.tools.click_sets_initial.checked() {
            let Some((x, y)) = self.plots.phase.data_at(cx, cy) else {
                return;
            };
            let initial = self.session.config().system.initial_state();
            let (px, py) = self.plots.phase.axes(self.session.dim());
            for (spec, v) in [(&initial[px], x), (&initial[py], y)] {
                if let Some(s) = self.controls.slider(spec.name) {
                    let snapped = (v / spec.step).round() * spec.step;
                    s.set_value(snapped.clamp(spec.min, spec.max));
                }
            }
            self.user_changed_controls();
            return;
        }
        if let Some(i) = self.plots.phase.nearest(&self.session, cx, cy) {
            let n = self.session.attention().len();
            self.plots.perturbation.show_clicked(
                perturb_at(&self.session, i, self.tools.epsilon(), self.horizon()),
                n,
            );
        }
    }

    /// The perturbation horizon: the slider's number of measured periods (of t_end when the
    /// period is unknown).
    fn horizon(&self) -> f64 {
        self.session.period().unwrap_or(self.session.config().t_end) * self.tools.horizon_periods()
    }

    /// The orbit the experiments kicked is gone (a new system, new data): their curves and
    /// results go, and the perturbation line says what applies now (the reason there is no
    /// normal kick on a 3-D system).
    pub(super) fn forget_experiments(&mut self) {
        let system = self.session.config().system;
        let why = (system.dim() != 2).then(|| {
            format!(
                "No normal kick on the {}: it is {}-D, and a kick along the orbit normal needs a 2-D system. Kick every point works here.",
                system.title(),
                system.dim()
            )
        });
        self.plots.perturbation.clear(why.as_deref());
        self.plots.deciles.clear();
    }

    /// The Perturb button: kicks at the highest- and lowest-attention points.
    pub fn perturb(&mut self) {
        let result =
            attention_perturbation(&self.session, self.tools.epsilon(), Some(self.horizon()));
        self.plots.perturbation.show(result);
    }

    /// The Kick every point button: kick growth at every sample, sorted by attention decile.
    pub fn kick_deciles(&mut self) {
        let reading = self.decile_reading();
        self.plots.deciles.show(reading);
    }

    /// Kick growth by attention decile now, computing the growth (which depends on the orbit
    /// only) when the orbit or the horizon changed since the last experiment.
    fn decile_reading(&mut self) -> Result<DecileReading, String> {
        let attention = self.session.attention();
        let (lo, hi) = attention
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &a| {
                (l.min(a), h.max(a))
            });
        if lo >= hi {
            return Err(
                "attention is uniform, so there are no attention deciles yet: train first".into(),
            );
        }
        if self.kicks.is_none() {
            let s = &self.session;
            let response =
                KickResponse::along(s.system(), s.trajectory(), s.period(), s.config().tau)?;
            self.kicks = Some(response);
        }
        let response = self.kicks.as_ref().ok_or("no kick response")?;
        let table = by_attention_decile(self.session.attention(), response.primary());
        let conserved = self.session.config().system.has_lyapunov();
        Ok(DecileReading::new(response, table, conserved))
    }

    /// A phase-plane aid was toggled: redraw the portrait's cold layer with the aids chosen.
    pub fn aids_changed(&mut self) {
        let aids = &mut self.plots.phase.aids;
        aids.direction_field = self.tools.direction_field.checked();
        aids.nullclines = self.tools.nullclines.checked();
        aids.equilibrium = self.tools.equilibrium.checked();
        self.dirty.phase_cold = true;
    }
}
