//! Export and import: the figure as PNG, the run as CSV or JSON (as the CLI prints them; for
//! real data, with the data and the fit: see `fit_export`), and training on an uploaded file's
//! observations until the user goes back to simulated data (see `data_choice`).

use super::Lab;
use crate::experiments::report::{run_report, write_points_csv};
use crate::training::budget::Budget;
use crate::web::file_io;
use wasm_bindgen::prelude::*;

/// Run controls that do not apply to imported data (they shape the simulation); the system's
/// initial-state sliders and the noise model do not apply either.
const SIMULATION_ONLY: [&str; 5] = ["sigma", "seed", "n", "t_end", "burn_in"];

impl Lab {
    /// Offers a download: `what` is "csv", "json", "png-phase", "png-fig5", or the whole figure
    /// as PNG otherwise. A failure is shown as a notice. The JSON carries the ensemble over
    /// noise draws once it is complete, as the CLI's does.
    pub fn export(&mut self, what: &str) {
        if self.fit.loaded.is_some() {
            if let Some(result) = self.export_analysed(what) {
                if let Err(e) = result {
                    self.notice.show(&format!("Export failed: {e:?}"));
                }
                return;
            }
        }
        let training = self.session.training_summary(Budget::default());
        let ensemble = self.background.ensemble.as_ref().filter(|e| e.is_done());
        let result = match what {
            "csv" => self.export_csv(),
            "json" => serde_json::to_string(&run_report(&self.session, &training, ensemble))
                .map_err(|e| JsValue::from_str(&e.to_string()))
                .and_then(|text| {
                    file_io::download_text(
                        &self.document,
                        &text,
                        "lyapunov-lens-run.json",
                        "application/json",
                    )
                }),
            "png-phase" => file_io::download_png(
                &self.document,
                &[&self.plots.phase.canvas],
                "lyapunov-lens-phase-portrait.png",
            ),
            "png-fig5" => file_io::download_png(
                &self.document,
                &[&self.plots.fig5.canvas],
                "lyapunov-lens-normal-derivative.png",
            ),
            _ => file_io::download_png(
                &self.document,
                &[
                    &self.plots.phase.canvas,
                    &self.plots.fig5.canvas,
                    &self.plots.loss.canvas,
                ],
                "lyapunov-lens-figure.png",
            ),
        };
        if let Err(e) = result {
            self.notice.show(&format!("Export failed: {e:?}"));
        }
    }

    /// The per-point table, as the CLI prints it.
    fn export_csv(&self) -> Result<(), JsValue> {
        let mut bytes = Vec::new();
        write_points_csv(&self.session, &mut bytes)
            .map_err(|e| JsValue::from_str(&e.to_string()))
            .and_then(|_| {
                file_io::download_text(
                    &self.document,
                    &String::from_utf8_lossy(&bytes),
                    "lyapunov-lens-points.csv",
                    "text/csv",
                )
            })
    }

    /// Trains on an uploaded file's observations, or says why not and keeps the current data.
    pub fn import_text(&mut self, name: &str, text: Result<String, String>) {
        match text.and_then(|t| self.load_file(name, t)) {
            Ok(description) => {
                self.notice.show(&format!(
                    "Imported {name}: {description}. The target and {} use the current {} parameters until you fit the system to the data.",
                    self.session.config().measure.symbol(),
                    self.session.config().system
                ));
            }
            Err(e) => self.notice.show(&format!(
                "Could not import {name}: {e}. The previous data are kept."
            )),
        }
        self.tools.import_csv.set_value("");
    }

    /// Back to simulated data (the button shown while data are imported).
    pub fn clear_import(&mut self) {
        match self.use_simulated() {
            Ok(()) => self.notice.hide(),
            Err(e) => self
                .notice
                .show(&format!("Could not return to simulated data: {e}")),
        }
    }

    /// With imported data, the simulation's controls do not apply: disable them. With a fit
    /// as the target, the rates are the fit's: disable them too.
    pub(super) fn set_imported_mode(&self, imported: bool) {
        let system = self.session.config().system;
        let initial = system.initial_state().iter();
        for name in SIMULATION_ONLY.into_iter().chain(initial.map(|p| p.name)) {
            if let Some(s) = self.controls.slider(name) {
                s.input.set_disabled(imported);
            }
        }
        let fitted = self.fit.result.is_some();
        for spec in system.rates() {
            if let Some(s) = self.controls.slider(spec.name) {
                s.input.set_disabled(fitted);
            }
        }
        self.controls.data.noise.set_disabled(imported);
        self.tools.clear_import.set_hidden(!imported);
    }
}
