//! The section that states how every number in the report is read. Its numbers (resamples,
//! tolerances, family sizes) come from the code and the run, so the rules cannot drift from
//! what was done.

use super::format::MIN_SEEDS;
use crate::analysis::intervals::BOOTSTRAP_RESAMPLES;
use crate::experiments::grid::MetricRow;
use crate::experiments::grid::Reading;
use crate::experiments::sweep::{SweepReport, SweepRow, SEED_STRIDE};
use crate::training::certificate::tolerance;
use crate::training::trainer::ADAM_STEPS;
use std::fmt::Write;

/// "## How to read this report".
pub(super) fn how_to_read(w: &mut String, sweep: &SweepReport) {
    let spec = &sweep.spec;
    let n = spec.base.n;
    let family = sweep
        .summary
        .iter()
        .filter(|s| s.metric == "spearman")
        .count();
    let signed: Vec<&str> = SweepRow::METRICS
        .iter()
        .filter(|m| m.reading == Reading::Signed)
        .map(|m| m.name)
        .collect();
    writeln!(w, "## How to read this report\n").unwrap();
    let rules = [
        format!(
            "**Trained to the optimum.** Every run trains with Adam for {ADAM_STEPS} steps, then with L-BFGS until a convergence test passes: at the final parameters, a Hessian from central differences of the analytic gradient predicts that the loss could fall by at most {:.0e} of itself more (the Newton decrement, at N = {n}), and no direction curves down. Only converged runs enter a summary; the tables say how many did.",
            tolerance(n)
        ),
        "**One primary test per claim.** The claim \"attention is high where V is flat\" is read from Spearman ρ between attention and the measure along the clean orbit (attention is a monotone function of a linear score, so ρ is the natural statistic); the primary test is the exact two-sided sign test on the per-seed ρ: are more seeds below zero than chance allows? Pearson r is secondary.".to_string(),
        format!(
            "**Multiplicity.** Holm's correction, within each family: one family per statistic per table ({family} test{} of ρ in the sweep below). A claim **holds** when its Holm-adjusted p ≤ 0.05 and most seeds have ρ < 0, is **reversed** when p ≤ 0.05 and most have ρ > 0, and is otherwise not distinguishable from no effect. Fewer than {MIN_SEEDS} converged seeds give no verdict.",
            if family == 1 { "" } else { "s" }
        ),
        format!(
            "**Intervals stay in their domain.** Means of correlations and other bounded or skewed quantities get a 95% BCa bootstrap interval ({BOOTSTRAP_RESAMPLES} resamples, seeded, so the report is reproducible); shares of seeds get the exact Clopper–Pearson interval; positive ratios (max/min) get a geometric mean with a log-scale t interval. Signed quantities read this way: {}.",
            signed.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ),
        format!(
            "**Independent noise.** Seed s at the k-th noise level uses noise seed s + k·{SEED_STRIDE}, so no level reuses another's noise, rescaled. One draw is never the answer: the tables summarise {} seeds per cell.",
            spec.seeds.len()
        ),
    ];
    for rule in rules {
        writeln!(w, "- {rule}").unwrap();
    }
    writeln!(w).unwrap();
}
