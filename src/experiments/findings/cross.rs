//! The "Across systems" section and its line in "In short", from a cross-system sweep, read by
//! the same rule as the rest of the report: the sign test on ρ, Holm-adjusted across every cell
//! of the table.
//!
//! Normal growth is not an independent measure where V exists: for Lotka–Volterra it equals
//! (1/τ) ln(|∇V(t)|/|∇V(t+τ)|) exactly, a function of ∂V/∂n = |∇V| along the orbit, and for any
//! 2-D system it is (1/τ)[∫ div f dt + ln(|f(t)|/|f(t+τ)|)]. So the counts below take ∂V/∂n and
//! the FTLE everywhere and normal growth only where there is no V; the table shows every cell.

use super::format::{cell, converged, num, p_values, share_negative, verdict};
use crate::experiments::cross_system::{CrossGroup, CrossSystemReport};
use crate::measures::measure::Measure;
use crate::models::kind::ModelKind;
use crate::systems::catalogue::SystemKind;
use std::fmt::Write;

/// Whether a cell counts in the statements (see the module documentation).
fn counted(group: &CrossGroup) -> bool {
    group.measure != Measure::NormalGrowth || !group.system.has_lyapunov()
}

/// Every group of the report, in table order.
fn groups(report: &CrossSystemReport) -> Vec<CrossGroup> {
    let spec = &report.spec;
    let mut out = Vec::new();
    for &system in &spec.systems {
        for model in spec.models_for(system) {
            for &level in &spec.noise_levels {
                for measure in Measure::available(system) {
                    out.push(CrossGroup::new(system, model, level, measure));
                }
            }
        }
    }
    out
}

/// The "Across systems" section.
pub fn render_cross(report: &CrossSystemReport) -> String {
    let mut md = String::new();
    let w = &mut md;
    introduction(w, report);
    writeln!(w, "| system | model | σ | measure | converged | ρ (primary) | seeds with ρ < 0 | sign test p (Holm) | verdict | Pearson r | max/min |").unwrap();
    writeln!(w, "|---|---|---|---|---|---|---|---|---|---|---|").unwrap();
    for group in groups(report) {
        let f = |metric: &str| report.summary_of(&group, metric);
        let rho = f("spearman");
        writeln!(
            w,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {}{} | {} | {} |",
            group.system,
            group.model,
            num(group.sigma, 3),
            group.measure.symbol(),
            converged(rho),
            cell(rho, 3),
            share_negative(rho),
            p_values(rho),
            verdict(rho),
            if counted(&group) {
                ""
            } else {
                " (not counted)"
            },
            cell(f("pearson"), 3),
            cell(f("max_over_min"), 4),
        )
        .unwrap();
    }
    writeln!(w, "\n### Where the claim holds\n").unwrap();
    for &system in &report.spec.systems {
        writeln!(w, "{}", system_statement(report, system)).unwrap();
    }
    writeln!(w).unwrap();
    md
}

fn introduction(w: &mut String, report: &CrossSystemReport) {
    let spec = &report.spec;
    writeln!(w, "## Across systems\n").unwrap();
    writeln!(
        w,
        "The paper's open questions: does the alignment survive in systems that are not separable, have no conserved V, or are chaotic? Each system runs at its own defaults (`lyapunov-lens systems` lists them) with N = {}, {}, {} seeds per cell, at σ = {} × the system's default σ (the systems live on very different scales), with Gaussian noise. Every trained run is compared with every measure its system has: ∂V/∂n where a conserved V exists, the FTLE over the system's default horizon τ, the normal growth for 2-D systems, and the phase response |Z| on limit cycles. For all of them, ρ < 0 means attention is higher where the measure is low: where V is flat, or where the dynamics are calm.\n",
        spec.n,
        spec.budget,
        spec.seeds.len(),
        spec.noise_levels
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    )
    .unwrap();
    let family = report
        .summary
        .iter()
        .filter(|s| s.metric == "spearman")
        .count();
    writeln!(
        w,
        "The primary test is the sign test on ρ, Holm-adjusted across all {family} cells. Normal growth repeats ∂V/∂n where V exists (for Lotka–Volterra it is exactly (1/τ) ln(|∇V(t)|/|∇V(t+τ)|)), so those cells are shown but not counted. `oracle-inverse-variance` is a first-order reference, not learned (weights ∝ 1/|∇V|² at the observations), shown where V exists.\n"
    )
    .unwrap();
}

/// The counted cells of `model` in `system` that hold and that are reversed, as labels.
fn decided_cells(
    report: &CrossSystemReport,
    system: SystemKind,
    model: ModelKind,
) -> (Vec<String>, Vec<String>) {
    let (mut holds, mut reversed) = (Vec::new(), Vec::new());
    for group in groups(report)
        .into_iter()
        .filter(|g| g.system == system && g.model == model && counted(g))
    {
        let label = format!("σ = {} ({})", num(group.sigma, 3), group.measure.symbol());
        match report
            .summary_of(&group, "spearman")
            .and_then(|s| s.decided())
        {
            Some(false) => holds.push(label),
            Some(true) => reversed.push(label),
            None => {}
        }
    }
    (holds, reversed)
}

fn system_statement(report: &CrossSystemReport, system: SystemKind) -> String {
    let parts: Vec<String> = report
        .spec
        .models_for(system)
        .map(|model| {
            let (holds, reversed) = decided_cells(report, system, model);
            let list = |what: &str, v: &[String]| {
                if v.is_empty() {
                    format!("{what} nowhere")
                } else {
                    format!("{what} at {}", v.join(", "))
                }
            };
            format!(
                "`{model}` {}; {}",
                list("holds", &holds),
                list("reversed", &reversed)
            )
        })
        .collect();
    format!("- **{system}**: {}.", parts.join(". "))
}

/// (holds, reversed, counted) cells of `model` over the systems it applies to.
fn model_counts(report: &CrossSystemReport, model: ModelKind) -> (usize, usize, usize) {
    let (mut holds, mut reversed, mut total) = (0, 0, 0);
    for group in groups(report)
        .into_iter()
        .filter(|g| g.model == model && counted(g))
    {
        match report
            .summary_of(&group, "spearman")
            .and_then(|s| s.decided())
        {
            Some(false) => holds += 1,
            Some(true) => reversed += 1,
            None => {}
        }
        total += 1;
    }
    (holds, reversed, total)
}

/// One line for "In short".
pub(super) fn cross_in_short(report: &CrossSystemReport) -> String {
    let per_model: Vec<String> = report
        .spec
        .models
        .iter()
        .map(|&model| {
            let (holds, reversed, total) = model_counts(report, model);
            format!("`{model}` holds in {holds} and is reversed in {reversed} of its {total} counted cells")
        })
        .collect();
    format!(
        "- Across {} systems (section *Across systems*), by the primary test with Holm's correction over the whole table, each independent measure counted once: {}.",
        report.spec.systems.len(),
        per_model.join("; ")
    )
}
