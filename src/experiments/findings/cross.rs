//! The "Across systems" section and its line in "In short", from a cross-system sweep.

use super::intervals::{ci, reading, short};
use crate::analysis::verdict::NEARLY_UNIFORM;
use crate::experiments::cross_system::{CrossGroup, CrossSystemReport};
use crate::measures::measure::Measure;
use crate::models::kind::ModelKind;
use crate::systems::catalogue::SystemKind;
use std::fmt::Write;

/// How many cells read each way, in the order the readings first appear.
type Tally = Vec<(&'static str, usize)>;

/// The "Across systems" section: one row per (system, model, σ, measure), and where the
/// alignment holds, in words derived from the same rule as the rest of the report.
pub fn render_cross(report: &CrossSystemReport) -> String {
    let mut md = String::new();
    let w = &mut md;
    introduction(w, report);
    writeln!(
        w,
        "| system | model | σ | measure | Pearson r | Spearman ρ | max/min | reading |"
    )
    .unwrap();
    writeln!(w, "|---|---|---|---|---|---|---|---|").unwrap();
    let mut tally = Tally::new();
    let statements: Vec<String> = report
        .spec
        .systems
        .iter()
        .map(|&system| system_rows(w, report, system, &mut tally))
        .collect();
    writeln!(w, "\n### Where the alignment holds\n").unwrap();
    for s in statements {
        writeln!(w, "{s}").unwrap();
    }
    let total: usize = tally.iter().map(|(_, n)| n).sum();
    let counts: Vec<String> = tally.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    writeln!(
        w,
        "\nOver all {total} (system, model, σ, measure) cells: {}. Every one of these sentences is computed from the table above.\n",
        counts.join(", ")
    )
    .unwrap();
    md
}

/// The section's heading and the two paragraphs on what it compares and how a cell reads.
fn introduction(w: &mut String, report: &CrossSystemReport) {
    let spec = &report.spec;
    writeln!(w, "## Across systems\n").unwrap();
    writeln!(
        w,
        "The paper's open questions: does the alignment survive in systems that are not separable, have no conserved V, or are chaotic? Each system below runs at its own defaults (`lyapunov-lens systems` lists them) with N = {}, {} and {} seeds, at σ = {} × the system's default σ (the systems live on very different scales). Every trained run is compared with every sensitivity measure its system has: ∂V/∂n where a conserved V exists, the FTLE over the system's default horizon τ, and the normal growth for 2-D systems. For all three, negative r and ρ mean attention is higher where the measure is low: where V is flat, or where the dynamics are calm.\n",
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
    writeln!(
        w,
        "A cell is *aligned* when both 95% intervals (r and ρ) lie below 0, *reversed* when both lie above, and *undecided* when neither excludes 0. `oracle-inverse-variance` is not learned (weights ∝ 1/|∇V|²): it is the ceiling for ∂V/∂n, shown where V exists.\n"
    )
    .unwrap();
}

/// The table rows of one system, counted into `tally`; returns its statement for "Where the
/// alignment holds".
fn system_rows(
    w: &mut String,
    report: &CrossSystemReport,
    system: SystemKind,
    tally: &mut Tally,
) -> String {
    let mut parts = Vec::new();
    for model in report.spec.models_for(system) {
        let (mut aligned, mut reversed) = (Vec::new(), Vec::new());
        for &level in &report.spec.noise_levels {
            for measure in Measure::available(system) {
                let group = CrossGroup::new(system, model, level, measure);
                let read = cell_row(w, report, &group, tally);
                let label = format!("σ = {} ({})", short(group.sigma), measure.symbol());
                // The statements follow the rule: both r and ρ, not one of them.
                if read == "aligned" {
                    aligned.push(label);
                } else if read == "reversed" {
                    reversed.push(label);
                }
            }
        }
        let list = |what: &str, v: &[String]| {
            if v.is_empty() {
                format!("{what} nowhere")
            } else {
                format!("{what} at {}", v.join(", "))
            }
        };
        parts.push(format!(
            "`{model}` {}; {}",
            list("aligned", &aligned),
            list("reversed", &reversed)
        ));
    }
    format!("- **{system}**: {}.", parts.join(". "))
}

/// One row of the table, counted into `tally`; returns the cell's reading.
fn cell_row(
    w: &mut String,
    report: &CrossSystemReport,
    group: &CrossGroup,
    tally: &mut Tally,
) -> &'static str {
    let f = |metric: &str| report.summary_of(group, metric);
    let read = reading(f("pearson"), f("spearman"));
    match tally.iter_mut().find(|(k, _)| *k == read) {
        Some((_, n)) => *n += 1,
        None => tally.push((read, 1)),
    }
    let uniform = f("max_over_min")
        .and_then(|s| s.mean)
        .is_some_and(|r| r < NEARLY_UNIFORM);
    writeln!(
        w,
        "| {} | `{}` | {} | {} | {} | {} | {} | {read}{} |",
        group.system,
        group.model,
        short(group.sigma),
        group.measure.symbol(),
        ci(f("pearson"), 3),
        ci(f("spearman"), 3),
        ci(f("max_over_min"), 4),
        if uniform { "; nearly uniform" } else { "" },
    )
    .unwrap();
    read
}

/// One paragraph for "In short": how the cross-system cells read, per model.
pub(super) fn cross_in_short(report: &CrossSystemReport) -> String {
    let spec = &report.spec;
    let per_model: Vec<String> = spec
        .models
        .iter()
        .map(|&model| {
            let (aligned, reversed, total) = model_counts(report, model);
            format!(
                "`{model}` is aligned in {aligned} and reversed in {reversed} of its {total} cells"
            )
        })
        .collect();
    format!(
        "Across {} systems (section *Across systems* below), counting a cell as aligned or reversed only when both r and ρ agree with 95% confidence: {}. Whether attention sits where the dynamics are calm depends on the system and the model; the table says where.",
        spec.systems.len(),
        per_model.join("; ")
    )
}

/// (aligned, reversed, all) cells of `model`, over the systems it applies to.
fn model_counts(report: &CrossSystemReport, model: ModelKind) -> (usize, usize, usize) {
    let spec = &report.spec;
    let (mut aligned, mut reversed, mut total) = (0, 0, 0);
    for &system in spec.systems.iter().filter(|&&s| model.check(s).is_ok()) {
        for &level in &spec.noise_levels {
            for measure in Measure::available(system) {
                let group = CrossGroup::new(system, model, level, measure);
                let f = |metric: &str| report.summary_of(&group, metric);
                match reading(f("pearson"), f("spearman")) {
                    "aligned" => aligned += 1,
                    "reversed" => reversed += 1,
                    _ => {}
                }
                total += 1;
            }
        }
    }
    (aligned, reversed, total)
}
