//! Drawing a fit: the orbit the fit is at (redrawn as it moves), the data's own target before a
//! fit, the fitted orbit after it, in the Fit panel's plot and over the phase portrait, and the
//! residuals of a finished fit.

use super::Lab;
use crate::estimation::result::{orbit, FitResult};
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;

impl Lab {
    /// Draws the orbit the fit is at now, if it moved since it was last drawn.
    pub(super) fn draw_current(&mut self) {
        let Some(values) = self.fit.run.as_ref().and_then(|r| r.fitter.current()) else {
            return;
        };
        if values == self.fit.drawn {
            return;
        }
        let kind = self.session.config().system;
        self.set_curve(kind, &values);
    }

    /// Computes the orbit of `kind` with `values` at the dense times, and draws it in the fit's
    /// plot and over the phase portrait. An orbit that cannot be computed is not drawn.
    pub(super) fn set_curve(&mut self, kind: SystemKind, values: &[f64]) {
        let fit = &mut self.fit;
        fit.drawn.clear();
        fit.drawn.extend_from_slice(values);
        fit.curve.clear();
        if let Ok(states) = orbit(kind, values, &fit.dense) {
            fit.curve_dim = kind.dim();
            fit.curve.extend(states.iter().flatten());
        }
        self.draw_curve();
    }

    /// Draws the kept curve in the fit's plot and over the phase portrait.
    pub(super) fn draw_curve(&mut self) {
        let fit = &self.fit;
        let observed = fit
            .loaded
            .as_ref()
            .map_or(0, |l| l.series.observations.ncols());
        fit.panel
            .orbit
            .draw_hot(&fit.dense, &fit.curve, fit.curve_dim, observed);
        let phase = &mut self.plots.phase;
        phase.overlay.clear();
        if fit.curve_dim >= 2 {
            let (a, b) = phase.axes(fit.curve_dim);
            let rows = fit.curve.chunks_exact(fit.curve_dim);
            phase.overlay.extend(rows.map(|r| (r[a], r[b])));
        }
        self.dirty.hot = true;
    }

    /// After a stopped or failed fit: the fitted orbit of the fit that is the target, or none.
    pub(super) fn redraw_kept_curve(&mut self) {
        match self.fit.result.as_ref() {
            Some(fit) => {
                let (kind, values) = (fit.system, fit.parameter_values());
                self.set_curve(kind, &values);
            }
            None => {
                // The data's own target is drawn again next frame (see `follow_target`).
                self.fit.curve.clear();
                self.fit.drawn.clear();
                self.draw_curve();
            }
        }
    }

    /// Before a fit, the drawn orbit is the data's target: the orbit through the first
    /// observation with the sliders' rates (none when a file brings its own clean states).
    /// Redrawn when the rates change; the check allocates nothing.
    pub(super) fn follow_target(&mut self) {
        let Some(loaded) = &self.fit.loaded else {
            return;
        };
        if self.fit.result.is_some() || loaded.series.clean.is_some() {
            return;
        }
        let config = self.session.config();
        let k = config.system.rates().len();
        let first = loaded.series.observations.row(0);
        let drawn = &self.fit.drawn;
        let same = drawn.len() == k + first.len()
            && drawn[..k] == config.system_values()[..k]
            && drawn[k..].iter().zip(first.iter()).all(|(a, b)| a == b);
        if same || config.system.dim() != first.len() {
            return;
        }
        let values: Vec<f64> = config.system_values()[..k]
            .iter()
            .chain(first.iter())
            .copied()
            .collect();
        self.set_curve(config.system, &values);
    }

    pub(super) fn draw_residuals(&mut self, fit: &FitResult) {
        let time_label = self
            .fit
            .loaded
            .as_ref()
            .map_or("time", |l| l.time_label.as_str());
        let y_label = match fit.noise {
            NoiseModel::Lognormal => "ln observed − ln fitted",
            NoiseModel::Gaussian => "observed − fitted",
        };
        let drawn = self
            .fit
            .panel
            .residuals
            .draw(&fit.times, &fit.residuals, y_label, time_label);
        if let Err(e) = drawn {
            self.notice.show(&format!("Drawing failed: {e}"));
        }
    }
}
