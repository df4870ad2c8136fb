//! "Why": what a linear score can reach, and where the learned one lands, computed from the
//! paper-setting study and the sweep's weight columns.

use super::format::{cell, interval, num, share_negative};
use super::paper_setting::{at, paper_sigma};
use crate::analysis::intervals::bootstrap_bca;
use crate::experiments::paper_study::PaperStudy;
use crate::experiments::sweep::SweepReport;
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use std::fmt::Write;

/// The study's state names, e.g. "prey x".
fn coordinate_names(study: &PaperStudy) -> &'static [&'static str] {
    study.config.system.state_names()
}

/// The mean of the reachable range's ends over converged seeds, with BCa intervals.
fn reachable(study: &PaperStudy) -> (Option<f64>, Option<f64>, String, String) {
    let mins: Vec<f64> = study
        .converged()
        .filter_map(|s| s.mechanism.as_ref().map(|m| m.reachable_min.0))
        .collect();
    let maxs: Vec<f64> = study
        .converged()
        .filter_map(|s| s.mechanism.as_ref().map(|m| m.reachable_max.0))
        .collect();
    let lo = bootstrap_bca(&mins, 11);
    let hi = bootstrap_bca(&maxs, 12);
    (
        lo.map(|i| i.estimate),
        hi.map(|i| i.estimate),
        interval(lo.as_ref(), 3),
        interval(hi.as_ref(), 3),
    )
}

/// "## Why the sign is what it is" for the first linear model of the study.
pub(super) fn section(w: &mut String, sweep: &SweepReport, study: &PaperStudy) {
    let model = study.config.model;
    if !matches!(
        model,
        ModelKind::PaperLinear | ModelKind::PaperLinearUnscaled
    ) {
        return;
    }
    let Some(sigma) = paper_sigma(sweep) else {
        return;
    };
    let Some(first) = study.converged().find_map(|s| s.mechanism.as_ref()) else {
        return;
    };
    let names = coordinate_names(study);
    let symbol = study.config.measure.symbol();
    writeln!(w, "## Why the sign is what it is\n").unwrap();
    writeln!(
        w,
        "`{model}` scores each observation with w·x̃ + b, and a softmax is monotone, so its Spearman ρ with any measure is the ρ of the score w·x̃ alone: which ρ the model can reach depends only on the data and the direction of w. Computed at the paper's setting (Gaussian σ = {sigma}, {} seeds):\n",
        study.seeds.len()
    )
    .unwrap();
    let coords: Vec<String> = names
        .iter()
        .zip(&first.measure_vs_coordinate)
        .map(|(name, rho)| match rho {
            Some(r) => format!("{name}: ρ = {}", num(*r, 2)),
            None => format!("{name}: –"),
        })
        .collect();
    writeln!(
        w,
        "- Along the clean orbit, |{symbol}| is tied to the coordinates ({}).",
        coords.join("; ")
    )
    .unwrap();
    let (lo, hi, lo_text, hi_text) = reachable(study);
    writeln!(
        w,
        "- Scanning every direction of w, a linear score reaches ρ from {lo_text} to {hi_text} (mean over seeds, 95% BCa): no linear score can align attention with flat V beyond that, in either direction."
    )
    .unwrap();
    for (k, name) in names.iter().enumerate().take(2) {
        let column = if k == 0 { "w1" } else { "w2" };
        let s = at(sweep, model, NoiseModel::Gaussian, sigma, column);
        writeln!(
            w,
            "- The learned weight on {name}: mean {}; negative in {}.",
            cell(s, 4),
            share_negative(s)
        )
        .unwrap();
    }
    let rho = at(sweep, model, NoiseModel::Gaussian, sigma, "spearman").and_then(|s| s.estimate);
    if let (Some(rho), Some(lo), Some(hi)) = (rho, lo, hi) {
        writeln!(
            w,
            "- The trained model sits at mean ρ = {}, {:.0}% of the way from the most aligned score ({}) to the most reversed ({}).",
            num(rho.estimate, 3),
            100.0 * (rho.estimate - lo) / (hi - lo),
            num(lo, 3),
            num(hi, 3)
        )
        .unwrap();
    }
    mechanism_sentence(
        w,
        sweep,
        model,
        sigma,
        names,
        first.measure_vs_coordinate.first().copied().flatten(),
    );
    writeln!(w).unwrap();
}

/// The reading of the weight's sign, written only when the sign test decides it.
fn mechanism_sentence(
    w: &mut String,
    sweep: &SweepReport,
    model: ModelKind,
    sigma: f64,
    names: &[&str],
    measure_vs_first: Option<f64>,
) {
    let w1 = at(sweep, model, NoiseModel::Gaussian, sigma, "w1");
    let Some(negative) = w1.and_then(|s| s.decided()).map(|positive| !positive) else {
        writeln!(
            w,
            "- The sign of the weight on {} is not decided by the sign test, so neither is the mechanism.",
            names[0]
        )
        .unwrap();
        return;
    };
    let direction = if negative { "small" } else { "large" };
    let mut text = format!(
        "- Mechanism: the score up-weights observations with {direction} {}.",
        names[0]
    );
    if negative {
        text.push_str(" With r_t = N·a_t·x̃_t, that shrinks the reconstruction of large observations, whose noise is more often positive, and enlarges small ones: regression to the mean, which lowers the squared error whatever V does.");
    }
    if let Some(m) = measure_vs_first {
        let follows = if (m < 0.0) == negative {
            "higher where the measure is high (the claim reversed)"
        } else {
            "higher where the measure is low (the claim)"
        };
        text.push_str(&format!(
            " Because the measure {} as {} grows (ρ = {}), attention ends up {follows}.",
            if m < 0.0 { "falls" } else { "rises" },
            names[0],
            num(m, 2)
        ));
    }
    writeln!(w, "{text}").unwrap();
}
