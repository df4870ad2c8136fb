//! The headline: each model at the paper's setting, the primary test's verdict, and the table.

use super::format::{
    cell, converged, interval, p_phrase, p_values, share_negative, verdict, verdict_sentence,
};
use crate::analysis::verdict::NEARLY_UNIFORM;
use crate::experiments::grid::SummaryRow;
use crate::experiments::sweep::{SweepGroup, SweepReport};
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use std::fmt::Write;

/// The paper's noise level: Gaussian σ = 2 if the sweep has it, else its largest Gaussian σ.
pub(super) fn paper_sigma(sweep: &SweepReport) -> Option<f64> {
    let gaussian = sweep
        .spec
        .sigmas
        .iter()
        .filter(|(n, _)| *n == NoiseModel::Gaussian)
        .map(|(_, s)| *s);
    if gaussian.clone().any(|s| s == 2.0) {
        Some(2.0)
    } else {
        gaussian.fold(None, |m, s| Some(m.map_or(s, |m: f64| m.max(s))))
    }
}

/// The summary of `metric` for `model` under Gaussian noise `sigma`.
pub(super) fn at<'a>(
    sweep: &'a SweepReport,
    model: ModelKind,
    noise: NoiseModel,
    sigma: f64,
    metric: &str,
) -> Option<&'a SummaryRow<SweepGroup>> {
    sweep.summary_of(
        &SweepGroup {
            model,
            noise,
            sigma,
        },
        metric,
    )
}

/// One "In short" line per model at the paper's setting.
pub(super) fn in_short(w: &mut String, sweep: &SweepReport) {
    let Some(sigma) = paper_sigma(sweep) else {
        return;
    };
    for &model in &sweep.spec.models {
        let get = |metric: &str| at(sweep, model, NoiseModel::Gaussian, sigma, metric);
        let rho = get("spearman");
        let mut line = format!(
            "- `{model}` at σ = {sigma} (Gaussian noise; {} runs converged): the claim {} by the primary test. ρ < 0 in {}; sign test {}; mean ρ = {}.",
            converged(rho),
            verdict_sentence(rho),
            share_negative(rho),
            p_phrase(rho),
            cell(rho, 3)
        );
        line.push_str(&spread(sweep, model, sigma));
        if model == ModelKind::OracleInverseVariance {
            line.push_str(" This model is a first-order reference, not learned: weights ∝ 1/|∇V|² at the observations, zero where V is undefined.");
        }
        writeln!(w, "{line}").unwrap();
    }
}

/// A sentence on how concentrated the attention is: nearly uniform, or collapsed.
fn spread(sweep: &SweepReport, model: ModelKind, sigma: f64) -> String {
    let get = |metric: &str| at(sweep, model, NoiseModel::Gaussian, sigma, metric);
    let n = sweep.spec.base.n as f64;
    let ratio = get("max_over_min").and_then(|s| s.estimate);
    let ess = get("ess").and_then(|s| s.estimate);
    match (ratio, ess) {
        (_, Some(e)) if e.estimate < 0.05 * n => format!(
            " The attention has collapsed onto a few points: its effective sample size is {} of {n} (a correlation over so few effective points says little).",
            interval(Some(&e), 1)
        ),
        (Some(r), _) if r.estimate < NEARLY_UNIFORM => format!(
            " The attention is nearly uniform: the largest weight is {} times the smallest (geometric mean over seeds), so the effect, whatever its sign, is tiny.",
            interval(Some(&r), 4)
        ),
        _ => String::new(),
    }
}

/// "## At the paper's setting".
pub(super) fn table(w: &mut String, sweep: &SweepReport) {
    let Some(sigma) = paper_sigma(sweep) else {
        return;
    };
    writeln!(
        w,
        "## At the paper's setting (Gaussian σ = {sigma})\n\nThe primary test is the sign test on ρ; everything else is secondary. ρ at the observed states measures ∂V/∂n at the noisy points the model scores (where V is defined) instead of the clean orbit.\n"
    )
    .unwrap();
    writeln!(w, "| model | converged | ρ (primary) | seeds with ρ < 0 | sign test p (Holm) | verdict | Pearson r | ρ at the observed states | ESS | max/min |").unwrap();
    writeln!(w, "|---|---|---|---|---|---|---|---|---|---|").unwrap();
    for &model in &sweep.spec.models {
        let get = |metric: &str| at(sweep, model, NoiseModel::Gaussian, sigma, metric);
        let rho = get("spearman");
        writeln!(
            w,
            "| `{model}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            converged(rho),
            cell(rho, 3),
            share_negative(rho),
            p_values(rho),
            verdict(rho),
            cell(get("pearson"), 3),
            cell(get("spearman_observed"), 3),
            cell(get("ess"), 1),
            cell(get("max_over_min"), 4),
        )
        .unwrap();
    }
    writeln!(w).unwrap();
}
