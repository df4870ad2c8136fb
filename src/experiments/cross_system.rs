//! The cross-system sweep: systems × models × noise levels × seeds, each trained run measured
//! against every sensitivity measure its system has. Noise levels are multiples of each
//! system's default σ, because the systems' states live on very different scales (Lorenz spans
//! ±20, the Goodwin mRNA 0.01–0.05). Pure and sequential here; the CLI runs the grid in parallel.

use crate::analysis::summary_stats::{summarize, Summary};
use crate::lab::config::Config;
use crate::lab::session::Session;
use crate::measures::measure::Measure;
use crate::models::kind::ModelKind;
use crate::systems::catalogue::SystemKind;
use serde::Serialize;
use std::io::{self, Write};

/// What to sweep. Models that do not apply to a system (the oracle needs a conserved V) are
/// skipped for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossSystemSpec {
    pub systems: Vec<SystemKind>,
    pub models: Vec<ModelKind>,
    /// σ as multiples of each system's default noise level.
    pub noise_levels: Vec<f64>,
    pub seeds: Vec<u64>,
    pub steps: u64,
    pub n: usize,
}

impl CrossSystemSpec {
    /// Every run's config, in (system, model, level, seed) order.
    pub fn grid(&self) -> Vec<(f64, Config)> {
        let mut out = Vec::new();
        for &system in &self.systems {
            for model in self.models_for(system) {
                for &level in &self.noise_levels {
                    for &seed in &self.seeds {
                        let mut config = Config::for_system(system);
                        config.model = model;
                        config.n = self.n;
                        config.seed = seed;
                        config.sigma = level * system.run_defaults().sigma;
                        out.push((level, config));
                    }
                }
            }
        }
        out
    }

    /// The spec's models that apply to `system`, in order.
    pub fn models_for(&self, system: SystemKind) -> impl Iterator<Item = ModelKind> + '_ {
        self.models
            .iter()
            .copied()
            .filter(move |m| m.check(system).is_ok())
    }
}

/// One trained run measured against one sensitivity measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossRow {
    pub system: SystemKind,
    pub model: ModelKind,
    pub noise_level: f64,
    pub sigma: f64,
    pub seed: u64,
    pub measure: Measure,
    pub steps: u64,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub max_over_min: Option<f64>,
    pub ess: f64,
    pub loss: f64,
    pub diverged: bool,
}

/// Trains `config` for `steps`, then measures the final attention against every measure the
/// system has (the model is trained once; only the reference changes).
pub fn run_cross(level: f64, config: &Config, steps: u64) -> Result<Vec<CrossRow>, String> {
    let mut session =
        Session::new(config.clone()).map_err(|e| format!("{}: {e}", config.system))?;
    let mut remaining = steps;
    while remaining > 0 && session.diverged().is_none() {
        let batch = remaining.min(1 << 20);
        session.step(batch as usize);
        remaining -= batch;
    }
    let mut rows = Vec::new();
    for measure in Measure::available(config.system) {
        let mut measured = session.config().clone();
        measured.measure = measure;
        session
            .set_config(measured)
            .map_err(|e| format!("{} {measure}: {e}", config.system))?;
        let m = session.metrics();
        rows.push(CrossRow {
            system: config.system,
            model: config.model,
            noise_level: level,
            sigma: config.sigma,
            seed: config.seed,
            measure,
            steps: session.steps(),
            pearson: m.pearson,
            spearman: m.spearman,
            max_over_min: m.max_over_min,
            ess: m.ess,
            loss: m.loss,
            diverged: session.diverged().is_some(),
        });
    }
    Ok(rows)
}

/// The metrics summarised per (system, model, level, measure).
pub const CROSS_METRICS: [&str; 4] = ["pearson", "spearman", "max_over_min", "loss"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossSummaryRow {
    pub system: SystemKind,
    pub model: ModelKind,
    pub noise_level: f64,
    pub sigma: f64,
    pub measure: Measure,
    pub metric: &'static str,
    #[serde(flatten)]
    pub summary: Summary,
}

fn metric(row: &CrossRow, name: &str) -> Option<f64> {
    match name {
        "pearson" => row.pearson,
        "spearman" => row.spearman,
        "max_over_min" => row.max_over_min,
        "loss" => Some(row.loss),
        _ => None,
    }
}

pub fn summarize_cross(spec: &CrossSystemSpec, rows: &[CrossRow]) -> Vec<CrossSummaryRow> {
    let mut out = Vec::new();
    for &system in &spec.systems {
        for model in spec.models_for(system) {
            for &level in &spec.noise_levels {
                for measure in Measure::available(system) {
                    let group: Vec<&CrossRow> = rows
                        .iter()
                        .filter(|r| {
                            (r.system, r.model, r.noise_level, r.measure)
                                == (system, model, level, measure)
                        })
                        .collect();
                    for name in CROSS_METRICS {
                        let values: Vec<Option<f64>> =
                            group.iter().map(|r| metric(r, name)).collect();
                        out.push(CrossSummaryRow {
                            system,
                            model,
                            noise_level: level,
                            sigma: level * system.run_defaults().sigma,
                            measure,
                            metric: name,
                            summary: summarize(&values),
                        });
                    }
                }
            }
        }
    }
    out
}

/// A whole cross-system sweep.
#[derive(Debug, Clone, Serialize)]
pub struct CrossSystemReport {
    pub spec: CrossSystemSpec,
    pub rows: Vec<CrossRow>,
    pub summary: Vec<CrossSummaryRow>,
}

impl CrossSystemReport {
    /// The summary of one metric for one cell of the table.
    pub fn find(
        &self,
        system: SystemKind,
        model: ModelKind,
        level: f64,
        measure: Measure,
        metric: &str,
    ) -> Option<&Summary> {
        self.summary
            .iter()
            .find(|s| {
                (s.system, s.model, s.noise_level, s.measure) == (system, model, level, measure)
                    && s.metric == metric
            })
            .map(|s| &s.summary)
    }
}

fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// The runs table, a blank line, then the summary table.
pub fn write_cross_csv(
    report: &CrossSystemReport,
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    writeln!(
        out,
        "system,model,noise_level,sigma,seed,measure,steps,pearson,spearman,max_over_min,ess,loss,diverged"
    )?;
    for r in &report.rows {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.system,
            r.model,
            r.noise_level,
            r.sigma,
            r.seed,
            r.measure,
            r.steps,
            cell(r.pearson),
            cell(r.spearman),
            cell(r.max_over_min),
            r.ess,
            r.loss,
            r.diverged
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "system,model,noise_level,sigma,measure,metric,n,missing,mean,sd,ci95_low,ci95_high"
    )?;
    for s in &report.summary {
        let m = &s.summary;
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            s.system,
            s.model,
            s.noise_level,
            s.sigma,
            s.measure,
            s.metric,
            m.n,
            m.missing,
            cell(m.mean),
            cell(m.sd),
            cell(m.ci_low),
            cell(m.ci_high)
        )?;
    }
    Ok(())
}
