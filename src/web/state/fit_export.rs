//! Exports of real data describe what was analysed: the observations and their source, the
//! target (the fitted orbit once there is a fit), and the fit itself, not the simulation's N,
//! σ, seed and window. The JSON is the run report with those changes; the CSV is the per-point
//! table (which `run --input` and the page read back) after `#` lines saying the same.

use super::Lab;
use crate::estimation::result::FitResult;
use crate::experiments::report::{run_report, write_points_csv};
use crate::lab::session::DataSource;
use crate::training::budget::Budget;
use crate::web::file_io;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// Config keys that describe the simulation, not imported observations.
const SIMULATION_KEYS: [&str; 6] = ["n", "sigma", "seed", "t_end", "burn_in", "noise"];
/// Fit-result keys the points table already carries.
const POINT_KEYS: [&str; 6] = [
    "times",
    "variables",
    "observations",
    "fitted",
    "residuals",
    "points",
];

/// The fit as the CLI's `fit --format json` reports it, without the per-point arrays.
fn fit_value(fit: &FitResult) -> Value {
    let mut value = serde_json::to_value(fit).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        for key in POINT_KEYS {
            object.remove(key);
        }
    }
    value
}

impl Lab {
    /// What the observations are: their choice, source, how they were read, their times.
    fn data_value(&self) -> Value {
        let Some(loaded) = &self.fit.loaded else {
            return Value::Null;
        };
        let times = &loaded.series.times;
        let target = match self.session.source() {
            DataSource::Imported(series) => series.target.clone(),
            DataSource::Simulated => None,
        };
        json!({
            "choice": self.fit.choice.name(),
            "source": loaded.source,
            "description": loaded.series.description,
            "points": times.len(),
            "t_first": times[0],
            "t_last": times[times.len() - 1],
            "target": target.unwrap_or_else(|| format!(
                "the {} orbit through the first observation, with the rates in config",
                self.session.config().system.title()
            )),
        })
    }

    /// The run report of the analysed data, with the data and the fit.
    pub(super) fn analysed_json(&mut self) -> Result<String, String> {
        let training = self.session.training_summary(Budget::default());
        let mut report = serde_json::to_value(run_report(&self.session, &training, None))
            .map_err(|e| e.to_string())?;
        let object = report
            .as_object_mut()
            .ok_or("the report is not an object")?;
        if let Some(config) = object.get_mut("config").and_then(Value::as_object_mut) {
            for key in SIMULATION_KEYS {
                config.remove(key);
            }
        }
        object.insert("data".into(), self.data_value());
        let fit = self.fit.result.as_ref().map_or(Value::Null, fit_value);
        object.insert("fit".into(), fit);
        serde_json::to_string(&report).map_err(|e| e.to_string())
    }

    /// The per-point table of the analysed data, after `#` lines naming the data and the fit.
    pub(super) fn analysed_csv(&self) -> Result<String, String> {
        let data = self.data_value();
        let mut text = format!(
            "# lyapunov-lens: {} ({} points, t = {} to {})\n# read as: {}\n# clean states x, y, …: {}\n",
            data["source"].as_str().unwrap_or(""),
            data["points"],
            data["t_first"],
            data["t_last"],
            data["description"].as_str().unwrap_or(""),
            data["target"].as_str().unwrap_or("")
        );
        if let Some(fit) = &self.fit.result {
            text.push_str(&format!(
                "# fit: {}, {} noise, {}; log-likelihood {}; {} of {} starts agreeing; {}\n# parameter, estimate, lower_95, upper_95\n",
                fit.system, fit.noise, fit.prior_statement, fit.log_likelihood,
                fit.starts_agreeing, fit.starts.len(), fit.convergence
            ));
            for e in &fit.estimates {
                text.push_str(&format!(
                    "# {}, {}, {}, {}\n",
                    e.name, e.value, e.lower, e.upper
                ));
            }
        }
        let mut bytes = Vec::new();
        write_points_csv(&self.session, &mut bytes).map_err(|e| e.to_string())?;
        text.push_str(&String::from_utf8_lossy(&bytes));
        Ok(text)
    }

    /// Downloads the analysed data's CSV or JSON (`what`); whether `what` was one of those.
    pub(super) fn export_analysed(&mut self, what: &str) -> Option<Result<(), JsValue>> {
        let (text, name, mime) = match what {
            "json" => (
                self.analysed_json(),
                "lyapunov-lens-run.json",
                "application/json",
            ),
            "csv" => (self.analysed_csv(), "lyapunov-lens-points.csv", "text/csv"),
            _ => return None,
        };
        Some(
            text.map_err(|e| JsValue::from_str(&e))
                .and_then(|t| file_io::download_text(&self.document, &t, name, mime)),
        )
    }
}
