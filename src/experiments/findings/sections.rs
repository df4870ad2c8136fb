//! The sweep's sections of the report, in order: "In short", "Setup", the table at the paper's
//! σ, the tables across noise levels, and the figures.

use super::find;
use super::intervals::{ci, side};
use crate::analysis::summary_stats::Summary;
use crate::analysis::verdict::NEARLY_UNIFORM;
use crate::experiments::sweep::SweepReport;
use crate::models::kind::ModelKind;
use std::fmt::Write;

/// The plain-words summary at the top: the paper's claim for each model at σ = 2 (or the
/// largest σ), and how much the attention actually varies there.
pub(super) fn in_short(w: &mut String, report: &SweepReport) {
    let spec = &report.spec;
    let Some(sigma) = spec
        .sigmas
        .iter()
        .copied()
        .find(|s| *s == 2.0)
        .or_else(|| spec.sigmas.iter().copied().reduce(f64::max))
    else {
        return;
    };
    writeln!(w, "## In short\n").unwrap();
    for &m in &spec.models {
        in_short_model(w, report, m, sigma);
    }
    writeln!(
        w,
        "\nA single noise draw can show either sign: compare the per-seed rows in `sweep.csv`, or press \"New noise\" in the lab.\n"
    )
    .unwrap();
}

/// One model's line of "In short", at `sigma`.
fn in_short_model(w: &mut String, report: &SweepReport, m: ModelKind, sigma: f64) {
    let r = find(report, m, sigma, "pearson");
    let spread = find(report, m, sigma, "max_over_min").and_then(|s| s.mean);
    let ess = find(report, m, sigma, "ess").and_then(|s| s.mean);
    let rho = find(report, m, sigma, "spearman");
    let claim = claim_in_short(r, rho);
    let size = match (spread, ess) {
        (Some(ratio), _) if ratio < NEARLY_UNIFORM => format!(
            "The effect is tiny: the attention is nearly uniform (the largest weight is {:.1}% above the smallest)",
            (ratio - 1.0) * 100.0
        ),
        (_, Some(ess)) => format!("The attention is concentrated: its effective sample size is {ess:.1} of {}", report.spec.base.n),
        _ => String::new(),
    };
    let reference = if m.is_learned() {
        ""
    } else {
        " This model is a reference, not learned: weights ∝ 1/|∇V|² at the observations."
    };
    writeln!(
        w,
        "- `{m}` at σ = {sigma} ({} seeds): {claim} (Pearson r = {}; Spearman ρ = {}). {size}.{reference}",
        report.spec.seeds.len(),
        ci(r, 3),
        ci(rho, 3)
    )
    .unwrap();
}

/// The paper's claim in words, from the intervals of Pearson r and Spearman ρ. Pearson sees
/// linear association, Spearman any monotone one: say so when they disagree.
fn claim_in_short(r: Option<&Summary>, rho: Option<&Summary>) -> String {
    match (side(r, 0.0), side(rho, 0.0)) {
        (Some(true), Some(true)) => "the paper's claim holds in sign: attention is higher where V is flat".to_string(),
        (Some(false), Some(false)) => "the paper's claim does **not** hold: attention is higher where V is *steep*".to_string(),
        (Some(a), Some(b)) if a != b => format!(
            "the two correlations disagree: Pearson r says attention is higher where V is {}, Spearman ρ where it is {} (a monotone but nonlinear relation shows in ρ, not in r)",
            if a { "flat" } else { "steep" },
            if b { "flat" } else { "steep" }
        ),
        (Some(a), None) | (None, Some(a)) => format!(
            "only one of the two correlations is distinguishable from 0, and it says attention is higher where V is {}",
            if a { "flat" } else { "steep" }
        ),
        _ => "the data cannot tell whether attention sits where V is flat: both intervals contain 0".to_string(),
    }
}

/// "Setup": the system, the models and optimizer, the noise grid, and how to read the tables.
pub(super) fn setup(w: &mut String, report: &SweepReport) {
    let spec = &report.spec;
    let b = &spec.base;
    writeln!(w, "## Setup\n").unwrap();
    writeln!(
        w,
        "- {} ({}), t ∈ [0, {}], N = {} samples; attention is compared with {}.",
        b.system.title(),
        b.parameters()
            .take(b.system.parameters().count())
            .map(|p| format!("{} = {}", p.name, b.get(p.name).unwrap_or(p.default)))
            .collect::<Vec<_>>()
            .join(", "),
        b.t_end,
        b.n,
        b.measure.symbol()
    )
    .unwrap();
    writeln!(
        w,
        "- Models: {}. Adam, lr = {}, then L-BFGS, from uniform attention, {}.",
        spec.models
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", "),
        b.lr,
        spec.budget
    )
    .unwrap();
    writeln!(
        w,
        "- Noise σ ∈ {{{}}}, {} seeds each ({}…{}): {} runs.",
        spec.sigmas
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        spec.seeds.len(),
        spec.seeds.first().unwrap_or(&0),
        spec.seeds.last().unwrap_or(&0),
        report.rows.len()
    )
    .unwrap();
    writeln!(
        w,
        "- Intervals are 95% Student-t intervals of the mean over seeds, mean ± t₀.₉₇₅(n−1)·sd/√n. Seeds differ only in the noise, so this is the spread a student sees by pressing \"New noise\".\n- Pearson r and Spearman ρ correlate attention with ∂V/∂n along the orbit (negative: attention high where V is flat). ESS = 1/Σa² (N is uniform). max/min is the largest attention weight over the smallest. The perturbation ratio is the deviation, one period after a kick of ε = {} along the orbit normal, at the lowest-attention point over that at the highest-attention point (above 1: low-attention points are more sensitive).\n",
        spec.epsilon
    )
    .unwrap();
}

/// Every metric of every model at the paper's σ = 2, when the sweep has it.
pub(super) fn at_paper_sigma(w: &mut String, report: &SweepReport) {
    let sigma = 2.0;
    if !report.spec.sigmas.contains(&sigma) {
        return;
    }
    writeln!(w, "## At the paper's setting (σ = {sigma})\n").unwrap();
    writeln!(w, "| model | Pearson r | Spearman ρ | peak offset (periods) | ESS | max/min | loss | perturbation ratio |").unwrap();
    writeln!(w, "|---|---|---|---|---|---|---|---|").unwrap();
    for &m in &report.spec.models {
        let f = |metric: &str, d: usize| ci(find(report, m, sigma, metric), d);
        writeln!(
            w,
            "| `{m}` | {} | {} | {} | {} | {} | {} | {} |",
            f("pearson", 3),
            f("spearman", 3),
            f("peak_offset_periods", 3),
            f("ess", 2),
            f("max_over_min", 4),
            f("loss", 4),
            f("perturbation_ratio", 3)
        )
        .unwrap();
    }
    writeln!(w).unwrap();
}

/// One table per model: the main metrics at every σ.
pub(super) fn across_noise_levels(w: &mut String, report: &SweepReport) {
    writeln!(w, "## Across noise levels\n").unwrap();
    for &m in &report.spec.models {
        writeln!(w, "### `{m}`\n").unwrap();
        writeln!(
            w,
            "| σ | Pearson r | Spearman ρ | ESS | max/min | perturbation ratio |"
        )
        .unwrap();
        writeln!(w, "|---|---|---|---|---|---|").unwrap();
        for &sigma in &report.spec.sigmas {
            let f = |metric: &str, d: usize| ci(find(report, m, sigma, metric), d);
            writeln!(
                w,
                "| {sigma} | {} | {} | {} | {} | {} |",
                f("pearson", 3),
                f("spearman", 3),
                f("ess", 2),
                f("max_over_min", 4),
                f("perturbation_ratio", 3)
            )
            .unwrap();
        }
        writeln!(w).unwrap();
    }
}

/// "Figures": each (caption, relative path), when there are any.
pub(super) fn figures(w: &mut String, figures: &[(&str, String)]) {
    if figures.is_empty() {
        return;
    }
    writeln!(w, "## Figures\n").unwrap();
    for (caption, path) in figures {
        writeln!(w, "**{caption}**\n\n![{caption}]({path})\n").unwrap();
    }
}
