//! The per-point table and the run summary, as the CLI prints them and the page exports them.

use crate::analysis::metrics::Metrics;
use crate::lab::config::Config;
use crate::lab::seed_ensemble::{EnsembleRun, SeedEnsemble};
use crate::lab::session::Session;
use crate::measures::measure::Measure;
use crate::training::budget::TrainingSummary;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::io::{self, Write};

/// One sample: time, clean state, observation, attention, ∂V/∂n where V exists, and the
/// config's sensitivity measure when it is not ∂V/∂n.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    pub t: f64,
    pub state: Vec<f64>,
    pub observed: Vec<f64>,
    pub attention: f64,
    pub dv_dn: Option<f64>,
    /// (column name, value) of the measure, when it is not ∂V/∂n.
    pub measure: Option<(&'static str, f64)>,
}

/// Names of the state coordinates in the tables, by index.
pub const COORDINATES: [&str; 3] = ["x", "y", "z"];
const OBSERVED: [&str; 3] = ["x_obs", "y_obs", "z_obs"];

/// The column a measure gets in the per-point table.
pub fn measure_column(measure: Measure) -> Option<&'static str> {
    match measure {
        Measure::NormalDerivative => None,
        Measure::Ftle => Some("ftle"),
        Measure::NormalGrowth => Some("normal_growth"),
        Measure::PhaseResponse => Some("phase_response"),
    }
}

/// Column names of the per-point table for a session, in order:
/// `t, x, y[, z], x_obs, y_obs[, z_obs], attention, dv_dn[, ftle | normal_growth]`.
pub fn point_columns(session: &Session) -> Vec<&'static str> {
    let d = session.dim();
    let mut columns = vec!["t"];
    columns.extend(&COORDINATES[..d]);
    columns.extend(&OBSERVED[..d]);
    columns.extend(["attention", "dv_dn"]);
    columns.extend(measure_column(session.config().measure));
    columns
}

impl Serialize for PointRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("t", &self.t)?;
        for (name, v) in COORDINATES.iter().zip(&self.state) {
            map.serialize_entry(name, v)?;
        }
        for (name, v) in OBSERVED.iter().zip(&self.observed) {
            map.serialize_entry(name, v)?;
        }
        map.serialize_entry("attention", &self.attention)?;
        map.serialize_entry("dv_dn", &self.dv_dn)?;
        if let Some((name, v)) = self.measure {
            map.serialize_entry(name, &v)?;
        }
        map.end()
    }
}

/// The config plus the number of training steps taken.
#[derive(Debug, Clone, Serialize)]
pub struct RunConfig<'a> {
    #[serde(flatten)]
    pub config: &'a Config,
    pub steps: u64,
}

/// What `lyapunov-lens run --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport<'a> {
    pub config: RunConfig<'a>,
    /// Whether training converged, the steps it used and the final gradient norm.
    pub training: &'a TrainingSummary,
    /// The verdict on the setting, as the page shows it.
    pub verdict: String,
    /// The same setting over other noise draws, when computed.
    pub ensemble: Option<&'a [EnsembleRun]>,
    pub points: Vec<PointRow>,
    pub metrics: &'a Metrics,
}

pub fn point_rows(session: &Session) -> Vec<PointRow> {
    let (clean, obs) = (session.clean(), session.observations());
    let column = measure_column(session.config().measure);
    (0..session.times().len())
        .map(|i| PointRow {
            t: session.times()[i],
            state: clean.row(i).to_vec(),
            observed: obs.row(i).to_vec(),
            attention: session.attention()[i],
            dv_dn: session.dv_dn().map(|d| d[i]),
            measure: column.map(|c| (c, session.sensitivity()[i])),
        })
        .collect()
}

/// The report of a trained session, what its training reached and, when given, the ensemble
/// over noise draws that its verdict reads.
pub fn run_report<'a>(
    session: &'a Session,
    training: &'a TrainingSummary,
    ensemble: Option<&'a SeedEnsemble>,
) -> RunReport<'a> {
    RunReport {
        config: RunConfig {
            config: session.config(),
            steps: session.steps(),
        },
        training,
        verdict: match ensemble {
            Some(e) => e.verdict_for(session),
            None => session.verdict(None),
        },
        ensemble: ensemble.map(|e| e.runs()),
        points: point_rows(session),
        metrics: session.metrics(),
    }
}

/// The per-point table as CSV with a header. Numbers are written in Rust's shortest
/// round-trip form, so reading them back gives the same f64 bits.
pub fn write_points_csv(session: &Session, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    writeln!(out, "{}", point_columns(session).join(","))?;
    for p in point_rows(session) {
        write!(out, "{}", p.t)?;
        for v in p.state.iter().chain(&p.observed) {
            write!(out, ",{v}")?;
        }
        write!(out, ",{},", p.attention)?;
        if let Some(v) = p.dv_dn {
            write!(out, "{v}")?;
        }
        if let Some((_, v)) = p.measure {
            write!(out, ",{v}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
