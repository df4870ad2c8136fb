//! FINDINGS.md from a sweep: tables with 95% intervals and a plain statement of which claims
//! hold. Every sentence about a claim is derived from the numbers by the rules below, so the
//! report can say the opposite of the paper when the numbers do.
//!
//! Rules: an effect "holds" when the 95% t-interval of its mean excludes the null value (0 for a
//! correlation, 1 for a ratio) on the claimed side; "is reversed" when it excludes it on the
//! other side; otherwise "is not distinguishable from no effect".

use crate::analysis::summary_stats::Summary;
use crate::analysis::verdict::NEARLY_UNIFORM;
use crate::experiments::cross_system::CrossSystemReport;
use crate::experiments::sweep::{SummaryRow, SweepReport};
use crate::measures::measure::Measure;
use crate::models::kind::ModelKind;
use std::fmt::Write;

fn find<'a>(
    report: &'a SweepReport,
    model: ModelKind,
    sigma: f64,
    metric: &str,
) -> Option<&'a Summary> {
    report
        .summary
        .iter()
        .find(|s: &&SummaryRow| s.model == model && s.sigma == sigma && s.metric == metric)
        .map(|s| &s.summary)
}

/// A number with `digits` decimals, or in scientific notation when it is huge or tiny.
fn num(v: f64, digits: usize) -> String {
    if v != 0.0 && !(1e-3..1e5).contains(&v.abs()) {
        format!("{v:.2e}")
    } else {
        format!("{v:.digits$}")
    }
}

/// "−0.430 [−0.47, −0.39]" (mean and 95% interval), or "–" when undefined in every run.
fn ci(s: Option<&Summary>, digits: usize) -> String {
    let Some(s) = s else { return "–".into() };
    let Some(mean) = s.mean else {
        return format!("– (undefined in {} of {} runs)", s.missing, s.n + s.missing);
    };
    let mut out = num(mean, digits);
    if let (Some(lo), Some(hi)) = (s.ci_low, s.ci_high) {
        write!(out, " [{}, {}]", num(lo, digits), num(hi, digits)).unwrap();
    }
    if s.missing > 0 {
        write!(out, " ({} undefined)", s.missing).unwrap();
    }
    out.replace('-', "−")
}

/// Where the interval lies relative to `null`: Some(true) entirely below, Some(false) entirely
/// above, None when it contains `null` or is undefined.
fn side(s: Option<&Summary>, null: f64) -> Option<bool> {
    let s = s?;
    match (s.ci_low, s.ci_high) {
        (Some(_), Some(hi)) if hi < null => Some(true),
        (Some(lo), Some(_)) if lo > null => Some(false),
        _ => None,
    }
}

/// The plain-words summary at the top: the paper's claim for each model at σ = 2 (or the
/// largest σ), and how much the attention actually varies there.
fn in_short(w: &mut String, report: &SweepReport) {
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
        let r = find(report, m, sigma, "pearson");
        let spread = find(report, m, sigma, "max_over_min").and_then(|s| s.mean);
        let ess = find(report, m, sigma, "ess").and_then(|s| s.mean);
        let rho = find(report, m, sigma, "spearman");
        // Pearson sees linear association, Spearman any monotone one: say so when they disagree.
        let claim = match (side(r, 0.0), side(rho, 0.0)) {
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
        };
        let size = match (spread, ess) {
            (Some(ratio), _) if ratio < NEARLY_UNIFORM => format!(
                "The effect is tiny: the attention is nearly uniform (the largest weight is {:.1}% above the smallest)",
                (ratio - 1.0) * 100.0
            ),
            (_, Some(ess)) => format!("The attention is concentrated: its effective sample size is {ess:.1} of {}", spec.base.n),
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
            spec.seeds.len(),
            ci(r, 3),
            ci(rho, 3)
        )
        .unwrap();
    }
    writeln!(
        w,
        "\nA single noise draw can show either sign: compare the per-seed rows in `sweep.csv`, or press \"New noise\" in the lab.\n"
    )
    .unwrap();
}

/// The whole report. `command` is the command line that produced `report`; `figures` are
/// (caption, relative path) pairs.
/// `cross`, when given, adds a line to the summary and the "Across systems" section at the end,
/// with a link to its table (`cross_table`, relative to the report).
pub fn render(
    report: &SweepReport,
    cross: Option<(&CrossSystemReport, &str)>,
    command: &str,
    figures: &[(&str, String)],
) -> String {
    let spec = &report.spec;
    let b = &spec.base;
    let mut md = String::new();
    let w = &mut md;
    writeln!(w, "# Findings: does the attention sit where V is flat?\n").unwrap();
    writeln!(
        w,
        "Generated by `make findings`, which runs:\n\n```sh\n{command}\n```\n"
    )
    .unwrap();
    writeln!(
        w,
        "Every number below comes from that sweep. Nothing is edited by hand: change the code or the arguments and run `make findings` again.\n"
    )
    .unwrap();
    in_short(w, report);
    if let Some((cross, _)) = cross {
        writeln!(w, "{}\n", cross_in_short(cross)).unwrap();
    }
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
        "- Models: {}. Adam, lr = {}, {} steps from uniform attention.",
        spec.models
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", "),
        b.lr,
        spec.steps
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

    let paper_sigma = if spec.sigmas.contains(&2.0) {
        Some(2.0)
    } else {
        None
    };
    if let Some(sigma) = paper_sigma {
        writeln!(w, "## At the paper's setting (σ = {sigma})\n").unwrap();
        writeln!(w, "| model | Pearson r | Spearman ρ | peak offset (periods) | ESS | max/min | loss | perturbation ratio |").unwrap();
        writeln!(w, "|---|---|---|---|---|---|---|---|").unwrap();
        for &m in &spec.models {
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

    writeln!(w, "## Across noise levels\n").unwrap();
    for &m in &spec.models {
        writeln!(w, "### `{m}`\n").unwrap();
        writeln!(
            w,
            "| σ | Pearson r | Spearman ρ | ESS | max/min | perturbation ratio |"
        )
        .unwrap();
        writeln!(w, "|---|---|---|---|---|---|").unwrap();
        for &sigma in &spec.sigmas {
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

    if !figures.is_empty() {
        writeln!(w, "## Figures\n").unwrap();
        for (caption, path) in figures {
            writeln!(w, "**{caption}**\n\n![{caption}]({path})\n").unwrap();
        }
    }

    writeln!(w, "## Which claims hold\n").unwrap();
    writeln!(w, "Rule: a claim holds when the 95% interval excludes \"no effect\" on the claimed side. It is reversed when the interval excludes it on the other side, and undecided otherwise.\n").unwrap();
    for &m in &spec.models {
        writeln!(w, "### `{m}`\n").unwrap();
        // Claim 1: attention high where V is flat (Pearson r < 0).
        let mut holds = Vec::new();
        let mut reversed = Vec::new();
        let mut undecided = Vec::new();
        for &sigma in spec.sigmas.iter().filter(|s| **s > 0.0) {
            match side(find(report, m, sigma, "pearson"), 0.0) {
                Some(true) => holds.push(sigma),
                Some(false) => reversed.push(sigma),
                None => undecided.push(sigma),
            }
        }
        let list = |v: &[f64]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.iter()
                    .map(|s| format!("σ = {s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        writeln!(
            w,
            "1. **\"Attention is high where V is flat\"** (Pearson r < 0). Holds at {}. Reversed at {}. Undecided at {}.",
            list(&holds),
            list(&reversed),
            list(&undecided)
        )
        .unwrap();
        let sizes: Vec<String> = spec
            .sigmas
            .iter()
            .filter(|s| **s > 0.0)
            .filter_map(|&s| find(report, m, s, "max_over_min").and_then(|x| x.mean).map(|r| (s, r)))
            .map(|(s, r)| {
                if r < 2.0 {
                    format!("σ = {s}: {:.1}%", (r - 1.0) * 100.0)
                } else {
                    format!("σ = {s}: max/min ≈ {r:.1e}, i.e. attention has collapsed onto a few points")
                }
            })
            .collect();
        let all_tiny = spec.sigmas.iter().filter(|s| **s > 0.0).all(|&s| {
            find(report, m, s, "max_over_min")
                .and_then(|x| x.mean)
                .is_some_and(|r| r < NEARLY_UNIFORM)
        });
        writeln!(
            w,
            "   How much the attention varies (mean max/min − 1): {}.{}",
            sizes.join("; "),
            if all_tiny {
                format!(" At every σ the largest weight is less than {:.0}% above the smallest, so whatever the sign of r, this model's attention is nearly uniform: it barely focuses anywhere.", (NEARLY_UNIFORM - 1.0) * 100.0)
            } else {
                String::new()
            }
        )
        .unwrap();
        // Claim 2: without noise, attention stays uniform.
        if spec.sigmas.contains(&0.0) {
            let ratio = find(report, m, 0.0, "max_over_min");
            // Exactly uniform in every run: all defined, mean 1 and no spread.
            let uniform = ratio.is_some_and(|s| {
                s.n > 0 && s.missing == 0 && s.mean == Some(1.0) && s.sd.is_none_or(|sd| sd == 0.0)
            });
            let text = if uniform {
                "Holds: at σ = 0 every run ends with exactly uniform attention (max/min = 1, so r is undefined)."
                    .to_string()
            } else {
                format!(
                    "Does not hold: at σ = 0 the mean max/min is {}.",
                    ci(ratio, 4)
                )
            };
            writeln!(
                w,
                "2. **\"Without noise, attention stays uniform\"**. {text}"
            )
            .unwrap();
        }
        // Claim 3: perturbations at low-attention points grow more (ratio > 1).
        let mut p_holds = Vec::new();
        let mut p_rev = Vec::new();
        let mut p_und = Vec::new();
        for &sigma in spec.sigmas.iter().filter(|s| **s > 0.0) {
            match side(find(report, m, sigma, "perturbation_ratio"), 1.0) {
                Some(false) => p_holds.push(sigma),
                Some(true) => p_rev.push(sigma),
                None => p_und.push(sigma),
            }
        }
        writeln!(
            w,
            "3. **\"Perturbations at low-attention points grow more\"** (ratio > 1). Holds at {}. Reversed at {}. Undecided at {}.\n",
            list(&p_holds),
            list(&p_rev),
            list(&p_und)
        )
        .unwrap();
    }
    if let Some((cross, table)) = cross {
        md.push_str(&render_cross(cross));
        writeln!(md, "Per-run rows and summaries: [`{table}`]({table}).").unwrap();
    }
    md
}

/// A short decimal: at most 4 decimals, trailing zeros dropped (0.1 × 3 prints as 0.3).
fn short(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// How the two correlations of one cell read, by the interval rule.
fn reading(r: Option<&Summary>, rho: Option<&Summary>) -> &'static str {
    match (side(r, 0.0), side(rho, 0.0)) {
        (Some(true), Some(true)) => "aligned",
        (Some(false), Some(false)) => "reversed",
        (Some(a), Some(b)) if a != b => "r and ρ disagree",
        (Some(true), None) | (None, Some(true)) => "aligned (one of r, ρ)",
        (Some(false), None) | (None, Some(false)) => "reversed (one of r, ρ)",
        _ => "undecided",
    }
}

/// The "Across systems" section: one row per (system, model, σ, measure), and where the
/// alignment holds, in words derived from the same rule as the rest of the report.
pub fn render_cross(report: &CrossSystemReport) -> String {
    let spec = &report.spec;
    let mut md = String::new();
    let w = &mut md;
    writeln!(w, "## Across systems\n").unwrap();
    writeln!(
        w,
        "The paper's open questions: does the alignment survive in systems that are not separable, have no conserved V, or are chaotic? Each system below runs at its own defaults (`lyapunov-lens systems` lists them) with N = {}, {} Adam steps and {} seeds, at σ = {} × the system's default σ (the systems live on very different scales). Every trained run is compared with every sensitivity measure its system has: ∂V/∂n where a conserved V exists, the FTLE over the system's default horizon τ, and the normal growth for 2-D systems. For all three, negative r and ρ mean attention is higher where the measure is low: where V is flat, or where the dynamics are calm.\n",
        spec.n,
        spec.steps,
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
    writeln!(
        w,
        "| system | model | σ | measure | Pearson r | Spearman ρ | max/min | reading |"
    )
    .unwrap();
    writeln!(w, "|---|---|---|---|---|---|---|---|").unwrap();
    let mut tally: Vec<(&'static str, usize)> = Vec::new();
    let mut statements = Vec::new();
    for &system in &spec.systems {
        let mut parts = Vec::new();
        for model in spec.models_for(system) {
            let (mut aligned, mut reversed) = (Vec::new(), Vec::new());
            for &level in &spec.noise_levels {
                let sigma = level * system.run_defaults().sigma;
                for measure in Measure::available(system) {
                    let f = |metric: &str| report.find(system, model, level, measure, metric);
                    let mut read = reading(f("pearson"), f("spearman")).to_string();
                    let uniform = f("max_over_min")
                        .and_then(|s| s.mean)
                        .is_some_and(|r| r < NEARLY_UNIFORM);
                    match tally
                        .iter_mut()
                        .find(|(k, _)| *k == reading(f("pearson"), f("spearman")))
                    {
                        Some((_, n)) => *n += 1,
                        None => tally.push((reading(f("pearson"), f("spearman")), 1)),
                    }
                    let label = format!("σ = {} ({})", short(sigma), measure.symbol());
                    // The statements follow the rule: both r and ρ, not one of them.
                    if read == "aligned" {
                        aligned.push(label);
                    } else if read == "reversed" {
                        reversed.push(label);
                    }
                    if uniform {
                        read.push_str("; nearly uniform");
                    }
                    writeln!(
                        w,
                        "| {system} | `{model}` | {} | {} | {} | {} | {} | {read} |",
                        short(sigma),
                        measure.symbol(),
                        ci(f("pearson"), 3),
                        ci(f("spearman"), 3),
                        ci(f("max_over_min"), 4),
                    )
                    .unwrap();
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
        statements.push(format!("- **{system}**: {}.", parts.join(". ")));
    }
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

/// One paragraph for "In short": how the cross-system cells read, per model.
fn cross_in_short(report: &CrossSystemReport) -> String {
    let spec = &report.spec;
    let mut per_model = Vec::new();
    for &model in &spec.models {
        let (mut aligned, mut reversed, mut total) = (0, 0, 0);
        for &system in &spec.systems {
            if model.check(system).is_err() {
                continue;
            }
            for &level in &spec.noise_levels {
                for measure in Measure::available(system) {
                    let f = |metric: &str| report.find(system, model, level, measure, metric);
                    match reading(f("pearson"), f("spearman")) {
                        "aligned" => aligned += 1,
                        "reversed" => reversed += 1,
                        _ => {}
                    }
                    total += 1;
                }
            }
        }
        per_model.push(format!(
            "`{model}` is aligned in {aligned} and reversed in {reversed} of its {total} cells"
        ));
    }
    format!(
        "Across {} systems (section *Across systems* below), counting a cell as aligned or reversed only when both r and ρ agree with 95% confidence: {}. Whether attention sits where the dynamics are calm depends on the system and the model; the table says where.",
        spec.systems.len(),
        per_model.join("; ")
    )
}
