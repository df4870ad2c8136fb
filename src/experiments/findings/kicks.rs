//! "Kicks by attention decile": how fast small kicks grow at every sample of the orbit, sorted
//! by attention, and whether low attention sits where they grow most.

use super::format::{cell, num, p_values, share_negative, verdict};
use super::paper_setting::{at, paper_sigma};
use crate::experiments::paper_study::PaperStudy;
use crate::experiments::sweep::SweepReport;
use crate::observations::noise_model::NoiseModel;
use std::fmt::Write;

/// "¼ period (2.009)".
fn horizon_label(multiple: f64, unit: &str, length: f64) -> String {
    let m = if multiple == 0.25 {
        "¼".to_string()
    } else if multiple == 0.5 {
        "½".to_string()
    } else {
        num(multiple, 0)
    };
    format!("{m} {unit} ({})", num(multiple * length, 3))
}

/// The section.
pub(super) fn section(w: &mut String, sweep: &SweepReport, study: &PaperStudy, figure: &str) {
    let Some(sigma) = paper_sigma(sweep) else {
        return;
    };
    let kicks = &study.kicks;
    let model = study.config.model;
    let kind = match kicks.primary_kind() {
        "normal" => "along the orbit normal n = Jf/|f|",
        _ => "in a random direction (root mean square over all directions)",
    };
    writeln!(w, "## Kicks by attention decile\n").unwrap();
    writeln!(
        w,
        "The paper's perturbation argument says a kick matters most where attention is low. Here every sample of the clean orbit is kicked {kind}, infinitesimally (the tangent-linear map Φ carries a kick v to Φv), and the log growth ln |Φv|/|v| is read at four horizons. Samples are sorted into attention deciles of the trained `{model}` (1 = lowest attention) at Gaussian σ = {sigma}; each cell is the median log growth in that decile, averaged over the {} converged seeds.\n",
        study.converged().count()
    )
    .unwrap();
    write!(w, "| horizon |").unwrap();
    for k in 1..=10 {
        write!(w, " {k} |").unwrap();
    }
    writeln!(
        w,
        " ρ(attention, growth) | seeds with ρ < 0 | p (Holm) | verdict |"
    )
    .unwrap();
    writeln!(w, "|---|{}---|---|---|---|", "---|".repeat(10)).unwrap();
    let medians = study.mean_decile_medians();
    for (h, row) in medians.iter().enumerate() {
        let label = horizon_label(kicks.multiples[h], kicks.unit.0, kicks.unit.1);
        write!(w, "| {label} |").unwrap();
        for v in row {
            write!(w, " {} |", v.map_or("–".into(), |v| num(v, 2))).unwrap();
        }
        let metric = format!("kick_rho_{}", h + 1);
        let s = at(sweep, model, NoiseModel::Gaussian, sigma, &metric);
        writeln!(
            w,
            " {} | {} | {} | {} |",
            cell(s, 3),
            share_negative(s),
            p_values(s),
            verdict(s)
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    shear(w, study);
    writeln!(w, "![Kick growth by attention decile]({figure})\n").unwrap();
}

/// What the growth's dependence on the horizon says: period shear or exponential separation.
fn shear(w: &mut String, study: &PaperStudy) {
    let Some(slope) = study.kicks.log_log_slope() else {
        return;
    };
    let reading = if (0.7..=1.3).contains(&slope) {
        "about linearly in time: the signature of period shear. On a centre a kick across the orbit lands on a neighbouring orbit with another period, so the kicked and unkicked states drift apart along the orbit by an amount that grows linearly with time. How large that drift gets at a sample is set by the geometry there (how far the kick moves V, and how fast the period changes with V), not by any chaotic sensitivity, and it is what a single-kick comparison of two points mostly measures"
    } else if slope > 1.3 {
        "faster than linearly in time, as separation on a chaotic or unstable orbit does"
    } else {
        "slower than linearly in time: kicks are damped back toward the orbit"
    };
    writeln!(
        w,
        "The median growth over all samples rises with the horizon with slope {} on log–log axes: kicks grow {reading}.\n",
        num(slope, 2)
    )
    .unwrap();
}
