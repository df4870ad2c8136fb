//! "Across noise levels and noise models": the primary test at every (noise model, σ), and the
//! summary lines that compare them.

use super::format::{cell, converged, p_values, share_negative, verdict};
use super::paper_setting::{at, paper_sigma};
use crate::experiments::sweep::SweepReport;
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use std::fmt::Write;

/// The section: one table per model.
pub(super) fn section(w: &mut String, sweep: &SweepReport) {
    writeln!(w, "## Across noise levels and noise models\n").unwrap();
    writeln!(
        w,
        "Gaussian noise is the paper's: x̃ = x + σε, which can make a population zero or negative (the share of such observations is in the table). Lognormal noise, x̃ = x·exp(σε), is the usual error model for counts and always positive; its σ is a spread on the log scale (σ = 0.1 is about ±10%).\n"
    )
    .unwrap();
    for &model in &sweep.spec.models {
        writeln!(w, "### `{model}`\n").unwrap();
        writeln!(w, "| noise | σ | converged | ρ (primary) | seeds with ρ < 0 | sign test p (Holm) | verdict | Pearson r | max/min | observations ≤ 0 |").unwrap();
        writeln!(w, "|---|---|---|---|---|---|---|---|---|---|").unwrap();
        for &(noise, sigma) in &sweep.spec.sigmas {
            let get = |metric: &str| at(sweep, model, noise, sigma, metric);
            let rho = get("spearman");
            let non_physical = get("non_physical")
                .and_then(|s| s.estimate)
                .map_or("–".into(), |i| format!("{:.1}%", 100.0 * i.estimate));
            writeln!(
                w,
                "| {noise} | {sigma} | {} | {} | {} | {} | {} | {} | {} | {non_physical} |",
                converged(rho),
                cell(rho, 3),
                share_negative(rho),
                p_values(rho),
                verdict(rho),
                cell(get("pearson"), 3),
                cell(get("max_over_min"), 4),
            )
            .unwrap();
        }
        writeln!(w).unwrap();
    }
}

/// How many levels of `noise` the claim holds, is reversed, or is undecided at, for `model`.
fn tally(sweep: &SweepReport, model: ModelKind, noise: NoiseModel) -> Option<String> {
    let levels: Vec<f64> = sweep
        .spec
        .sigmas
        .iter()
        .filter(|(n, _)| *n == noise)
        .map(|(_, s)| *s)
        .collect();
    if levels.is_empty() {
        return None;
    }
    let (mut holds, mut reversed) = (0, 0);
    for &sigma in &levels {
        match at(sweep, model, noise, sigma, "spearman").and_then(|s| s.decided()) {
            Some(false) => holds += 1,
            Some(true) => reversed += 1,
            None => {}
        }
    }
    Some(format!(
        "{noise} noise: holds at {holds}, reversed at {reversed}, undecided at {} of {} levels",
        levels.len() - holds - reversed,
        levels.len()
    ))
}

/// "In short" lines: each model's tally under each noise model, and clean against observed.
pub(super) fn in_short(w: &mut String, sweep: &SweepReport) {
    for &model in &sweep.spec.models {
        let parts: Vec<String> = [NoiseModel::Gaussian, NoiseModel::Lognormal]
            .into_iter()
            .filter_map(|noise| tally(sweep, model, noise))
            .collect();
        if !parts.is_empty() {
            writeln!(
                w,
                "- `{model}` across noise levels, by the primary test: {}.",
                parts.join("; ")
            )
            .unwrap();
        }
    }
    let Some(sigma) = paper_sigma(sweep) else {
        return;
    };
    for &model in &sweep.spec.models {
        let clean = at(sweep, model, NoiseModel::Gaussian, sigma, "spearman");
        let observed = at(
            sweep,
            model,
            NoiseModel::Gaussian,
            sigma,
            "spearman_observed",
        );
        if observed.is_some_and(|s| s.n > 0) {
            writeln!(
                w,
                "- Clean or observed states, `{model}` at σ = {sigma}: mean ρ = {} with the measure along the clean orbit (the default; {}), {} with it at the observed states ({}).",
                cell(clean, 3),
                verdict(clean),
                cell(observed, 3),
                verdict(observed)
            )
            .unwrap();
        }
    }
}
