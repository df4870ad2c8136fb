//! Sweeps: the same run over a grid of models × noise levels × seeds, each row with the alignment
//! metrics and the perturbation check, plus per-(model, σ) summaries with 95% t-intervals.
//! Pure and sequential here; the CLI runs the grid in parallel (rayon, native only). Every run is
//! deterministic, so a sweep's numbers are reproducible from its arguments.

use crate::analysis::summary_stats::{summarize, Summary};
use crate::experiments::perturbation::attention_perturbation;
use crate::lab::config::Config;
use crate::lab::session::Session;
use crate::models::kind::ModelKind;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// What to sweep. Everything in `base` except σ, seed and model is held fixed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub base: Config,
    pub models: Vec<ModelKind>,
    pub sigmas: Vec<f64>,
    pub seeds: Vec<u64>,
    pub steps: u64,
    /// Kick size of the perturbation check; its horizon is one measured period.
    pub epsilon: f64,
}

impl SweepSpec {
    /// Every run's config, in (model, σ, seed) order.
    pub fn grid(&self) -> Vec<Config> {
        let mut out = Vec::with_capacity(self.models.len() * self.sigmas.len() * self.seeds.len());
        for &model in &self.models {
            for &sigma in &self.sigmas {
                for &seed in &self.seeds {
                    let mut config = self.base.clone();
                    (config.model, config.sigma, config.seed) = (model, sigma, seed);
                    out.push(config);
                }
            }
        }
        out
    }
}

/// One run's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    pub model: ModelKind,
    pub sigma: f64,
    pub seed: u64,
    pub steps: u64,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub peak_offset_periods: Option<f64>,
    pub ess: f64,
    pub max_over_min: Option<f64>,
    pub loss: f64,
    /// Final deviation after a kick at the lowest- over the highest-attention point; `None` when
    /// attention is uniform or the kick failed.
    pub perturbation_ratio: Option<f64>,
    /// Why training stopped early, if it did.
    pub diverged: Option<String>,
}

/// Metrics summarised per (model, σ), in output order.
pub const METRICS: [&str; 7] = [
    "pearson",
    "spearman",
    "peak_offset_periods",
    "ess",
    "max_over_min",
    "loss",
    "perturbation_ratio",
];

impl SweepRow {
    pub fn metric(&self, name: &str) -> Option<f64> {
        match name {
            "pearson" => self.pearson,
            "spearman" => self.spearman,
            "peak_offset_periods" => self.peak_offset_periods,
            "ess" => Some(self.ess),
            "max_over_min" => self.max_over_min,
            "loss" => Some(self.loss),
            "perturbation_ratio" => self.perturbation_ratio,
            _ => None,
        }
    }
}

/// Trains one config for `steps` and measures it.
pub fn run_one(config: &Config, steps: u64, epsilon: f64) -> Result<SweepRow, String> {
    let mut session = Session::new(config.clone()).map_err(|e| e.to_string())?;
    let mut remaining = steps;
    while remaining > 0 && session.diverged().is_none() {
        let batch = remaining.min(1 << 20);
        session.step(batch as usize);
        remaining -= batch;
    }
    let m = session.metrics();
    let perturbation_ratio = attention_perturbation(&session, epsilon, None)
        .ok()
        .map(|e| e.ratio_low_over_high);
    Ok(SweepRow {
        model: config.model,
        sigma: config.sigma,
        seed: config.seed,
        steps: session.steps(),
        pearson: m.pearson,
        spearman: m.spearman,
        peak_offset_periods: m.peak_offset_periods,
        ess: m.ess,
        max_over_min: m.max_over_min,
        loss: m.loss,
        perturbation_ratio,
        diverged: session.diverged().map(str::to_owned),
    })
}

/// One metric summarised over the seeds of one (model, σ).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow {
    pub model: ModelKind,
    pub sigma: f64,
    pub metric: &'static str,
    #[serde(flatten)]
    pub summary: Summary,
}

pub fn summarize_rows(spec: &SweepSpec, rows: &[SweepRow]) -> Vec<SummaryRow> {
    let mut out = Vec::new();
    for &model in &spec.models {
        for &sigma in &spec.sigmas {
            let group: Vec<&SweepRow> = rows
                .iter()
                .filter(|r| r.model == model && r.sigma == sigma)
                .collect();
            for metric in METRICS {
                let values: Vec<Option<f64>> = group.iter().map(|r| r.metric(metric)).collect();
                out.push(SummaryRow {
                    model,
                    sigma,
                    metric,
                    summary: summarize(&values),
                });
            }
        }
    }
    out
}

/// A whole sweep: its spec, every run, and the summaries.
#[derive(Debug, Clone, Serialize)]
pub struct SweepReport {
    pub spec: SweepSpec,
    pub rows: Vec<SweepRow>,
    pub summary: Vec<SummaryRow>,
}

fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// The runs table, a blank line, then the summary table (one row per model, σ and metric;
/// the interval is mean ± t₀.₉₇₅(n−1)·sd/√n).
pub fn write_csv(report: &SweepReport, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    writeln!(
        out,
        "model,sigma,seed,steps,pearson,spearman,peak_offset_periods,ess,max_over_min,loss,perturbation_ratio,diverged"
    )?;
    for r in &report.rows {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            r.model,
            r.sigma,
            r.seed,
            r.steps,
            cell(r.pearson),
            cell(r.spearman),
            cell(r.peak_offset_periods),
            r.ess,
            cell(r.max_over_min),
            r.loss,
            cell(r.perturbation_ratio),
            r.diverged.is_some()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "model,sigma,metric,n,missing,mean,sd,ci95_low,ci95_high"
    )?;
    for s in &report.summary {
        let m = &s.summary;
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            s.model,
            s.sigma,
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
