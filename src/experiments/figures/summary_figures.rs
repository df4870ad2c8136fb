//! Figures of many runs: the primary statistic against σ, and kick growth by attention decile.

use super::{err, min_max, render, DrawResult};
use crate::experiments::paper_study::PaperStudy;
use crate::experiments::sweep::SweepReport;
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Spearman ρ, the primary statistic (mean with its 95% BCa interval over the converged seeds),
/// against Gaussian σ, one line per model.
pub fn sweep(report: &SweepReport, path: &Path) -> DrawResult {
    render_with!(path, |root| draw_sweep(report, root))
}

/// One colour per model, in order (Okabe–Ito).
const MODEL_PALETTE: [RGBColor; 4] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
];

fn draw_sweep<DB: DrawingBackend>(
    report: &SweepReport,
    root: DrawingArea<DB, Shift>,
) -> DrawResult {
    root.fill(&WHITE).map_err(err)?;
    let (s_lo, s_hi) = min_max(
        report
            .spec
            .sigmas
            .iter()
            .filter(|(n, _)| *n == NoiseModel::Gaussian)
            .map(|(_, s)| *s),
    );
    let pad = 0.06 * (s_hi - s_lo).max(1.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Spearman ρ(attention, ∂V/∂n) vs Gaussian σ: mean, 95% BCa, {} seeds, {}",
                report.spec.seeds.len(),
                report.spec.budget
            ),
            ("sans-serif", 18),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d((s_lo - pad)..(s_hi + pad), -1.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("noise σ")
        .y_desc("Spearman ρ")
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            [(s_lo - pad, 0.0), (s_hi + pad, 0.0)],
            BLACK.mix(0.4),
        ))
        .map_err(err)?;
    for (k, &model) in report.spec.models.iter().enumerate() {
        let color = MODEL_PALETTE[k % MODEL_PALETTE.len()];
        draw_model_line(&mut chart, &rho_by_sigma(report, model), model, color)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

/// (σ, mean, interval low, interval high) of ρ for `model` under Gaussian noise, where defined.
fn rho_by_sigma(report: &SweepReport, model: ModelKind) -> Vec<(f64, f64, f64, f64)> {
    report
        .summary
        .iter()
        .filter(|s| {
            s.group.model == model
                && s.group.noise == NoiseModel::Gaussian
                && s.metric == "spearman"
        })
        .filter_map(|s| {
            let e = s.estimate?;
            Some((s.group.sigma, e.estimate, e.low, e.high))
        })
        .collect()
}

/// One model's line of means with its interval bars, and its legend entry.
fn draw_model_line<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: &[(f64, f64, f64, f64)],
    model: ModelKind,
    color: RGBColor,
) -> DrawResult {
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.0, p.1)),
            color.stroke_width(2),
        ))
        .map_err(err)?
        .label(model.name())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
    chart
        .draw_series(
            points
                .iter()
                .map(|p| ErrorBar::new_vertical(p.0, p.2, p.1, p.3, color.filled(), 8)),
        )
        .map_err(err)?;
    Ok(())
}

/// Median log growth of kicks by attention decile (mean over converged seeds), one line per
/// horizon.
pub fn kick_deciles(study: &PaperStudy, path: &Path) -> DrawResult {
    render_with!(path, |root| draw_kick_deciles(study, root))
}

fn draw_kick_deciles<DB: DrawingBackend>(
    study: &PaperStudy,
    root: DrawingArea<DB, Shift>,
) -> DrawResult {
    root.fill(&WHITE).map_err(err)?;
    let medians = study.mean_decile_medians();
    let (lo, hi) = min_max(medians.iter().flatten().flatten().copied());
    let pad = 0.08 * (hi - lo).max(1e-3);
    let kicks = &study.kicks;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Kick growth by attention decile ({} kicks), {} at σ = {}",
                kicks.primary_kind(),
                study.config.model,
                study.config.sigma
            ),
            ("sans-serif", 18),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.5..10.5, (lo - pad)..(hi + pad))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("attention decile (1 = lowest attention)")
        .y_desc("median ln growth of a small kick")
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    for (h, row) in medians.iter().enumerate() {
        let color = MODEL_PALETTE[h % MODEL_PALETTE.len()];
        let points: Vec<(f64, f64)> = row
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| (k as f64 + 1.0, v)))
            .collect();
        let label = format!(
            "horizon {} {} ({:.2})",
            kicks.multiples[h], kicks.unit.0, kicks.horizons[h]
        );
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
        chart
            .draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 3, color.filled())),
            )
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}
