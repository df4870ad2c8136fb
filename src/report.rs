//! The per-point table and the run summary, as the CLI prints them and the page exports them.

use crate::config::Config;
use crate::metrics::Metrics;
use crate::session::Session;
use serde::Serialize;
use std::io::{self, Write};

/// One sample: time, clean state, observation, attention and ∂V/∂n.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointRow {
    pub t: f64,
    pub x: f64,
    pub y: f64,
    pub x_obs: f64,
    pub y_obs: f64,
    pub attention: f64,
    pub dv_dn: Option<f64>,
}

/// Column names of the per-point table, in order.
pub const POINT_COLUMNS: [&str; 7] = ["t", "x", "y", "x_obs", "y_obs", "attention", "dv_dn"];

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
    pub points: Vec<PointRow>,
    pub metrics: &'a Metrics,
}

pub fn point_rows(session: &Session) -> Vec<PointRow> {
    let (clean, obs) = (session.clean(), session.observations());
    (0..session.times().len())
        .map(|i| PointRow {
            t: session.times()[i],
            x: clean[[i, 0]],
            y: clean[[i, 1]],
            x_obs: obs[[i, 0]],
            y_obs: obs[[i, 1]],
            attention: session.attention()[i],
            dv_dn: session.dv_dn().map(|d| d[i]),
        })
        .collect()
}

pub fn run_report(session: &Session) -> RunReport<'_> {
    RunReport {
        config: RunConfig {
            config: session.config(),
            steps: session.steps(),
        },
        points: point_rows(session),
        metrics: session.metrics(),
    }
}

/// The per-point table as CSV with a header. Numbers are written in Rust's shortest
/// round-trip form, so reading them back gives the same f64 bits.
pub fn write_points_csv(session: &Session, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    writeln!(out, "{}", POINT_COLUMNS.join(","))?;
    for p in point_rows(session) {
        let dv_dn = p.dv_dn.map_or(String::new(), |v| v.to_string());
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            p.t, p.x, p.y, p.x_obs, p.y_obs, p.attention, dv_dn
        )?;
    }
    Ok(())
}
