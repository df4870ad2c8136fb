//! Figures of one trained run: the paper's Figure 5 and the phase portrait coloured by attention.

use super::{err, min_max, render, DrawResult, ATTENTION, DVDN, SIZE};
use crate::analysis::metrics::{argmax, argmin, is_constant};
use crate::lab::colormap::{normalise_min_max, viridis};
use crate::lab::session::Session;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// The paper's Figure 5 for one run: attention and the sensitivity measure (∂V/∂n in the paper)
/// against time, min–max normalised.
pub fn fig5(session: &Session, path: &Path) -> DrawResult {
    render_with!(path, |root| draw_fig5(session, root))
}

fn draw_fig5<DB: DrawingBackend>(session: &Session, root: DrawingArea<DB, Shift>) -> DrawResult {
    root.fill(&WHITE).map_err(err)?;
    let times = session.times();
    let t_end = *times.last().unwrap_or(&1.0);
    let (mut a, mut d) = (Vec::new(), Vec::new());
    normalise_min_max(session.attention(), &mut a);
    normalise_min_max(session.sensitivity(), &mut d);
    let m = session.metrics();
    let symbol = session.config().measure.symbol();
    let caption = format!(
        "{}: attention vs {symbol} (σ = {}, {} steps): Pearson r = {}",
        session.config().system,
        session.config().sigma,
        session.steps(),
        m.pearson.map_or("undefined".into(), |r| format!("{r:+.3}"))
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 20))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..t_end, -0.05..1.05)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("time t")
        .y_desc("min–max normalised")
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            times.iter().copied().zip(d.iter().copied()),
            DVDN.stroke_width(2),
        ))
        .map_err(err)?
        .label(symbol)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], DVDN.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            times.iter().copied().zip(a.iter().copied()),
            ATTENTION.stroke_width(1),
        ))
        .map_err(err)?
        .label("attention")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], ATTENTION.stroke_width(2)));
    let uniform = is_constant(session.attention());
    let marks = [
        (
            if uniform {
                None
            } else {
                argmax(session.attention())
            },
            ATTENTION,
        ),
        (argmin(session.sensitivity()), DVDN),
    ];
    for (index, color) in marks {
        if let Some(i) = index {
            chart
                .draw_series(DashedLineSeries::new(
                    [(times[i], -0.05), (times[i], 1.05)],
                    6,
                    4,
                    color.stroke_width(1),
                ))
                .map_err(err)?;
        }
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}

/// The phase portrait of one run: observations coloured by attention (viridis), clean orbit,
/// equilibrium, colorbar.
/// `projection` picks the two state coordinates plotted (x axis, y axis).
pub fn phase(session: &Session, projection: (usize, usize), path: &Path) -> DrawResult {
    render_with!(path, |root| draw_phase(session, projection, root))
}

fn draw_phase<DB: DrawingBackend>(
    session: &Session,
    projection: (usize, usize),
    root: DrawingArea<DB, Shift>,
) -> DrawResult {
    root.fill(&WHITE).map_err(err)?;
    let (main, bar) = root.split_horizontally(SIZE.0 - 110);
    let attention = session.attention();
    let n = attention.len() as f64;
    let (lo, hi) = min_max(attention.iter().copied());
    draw_portrait(session, projection, (lo, hi), &main)?;
    draw_colorbar((lo, hi), n, &bar)?;
    root.present().map_err(err)
}

/// The portrait itself: observations coloured by attention on the viridis scale from `lo` to
/// `hi`, the clean orbit and the equilibrium, with a legend.
fn draw_portrait<DB: DrawingBackend>(
    session: &Session,
    (px, py): (usize, usize),
    (lo, hi): (f64, f64),
    area: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let obs = session.observations();
    let clean = session.clean();
    let range = |c: usize| {
        let (lo, hi) = min_max(obs.column(c).iter().chain(clean.column(c)).copied());
        let pad = 0.04 * (hi - lo).max(1e-9);
        (lo - pad)..(hi + pad)
    };
    let attention = session.attention();
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "Observations coloured by attention (σ = {}, {} steps)",
                session.config().sigma,
                session.steps()
            ),
            ("sans-serif", 20),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(range(px), range(py))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(session.system().state_names()[px])
        .y_desc(session.system().state_names()[py])
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let color = |a: f64| {
        let t = if hi > lo { (a - lo) / (hi - lo) } else { 0.5 };
        let [r, g, b] = viridis(t);
        RGBColor(r, g, b)
    };
    let mut order: Vec<usize> = (0..attention.len()).collect();
    order.sort_by(|&i, &j| attention[i].total_cmp(&attention[j]));
    chart
        .draw_series(order.iter().map(|&i| {
            Circle::new(
                (obs[[i, px]], obs[[i, py]]),
                3,
                color(attention[i]).filled(),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            clean.rows().into_iter().map(|r| (r[px], r[py])),
            BLACK.mix(0.7).stroke_width(1),
        ))
        .map_err(err)?;
    if let Some(eq) = session.system().equilibrium_point() {
        chart
            .draw_series([Cross::new(
                (eq[px], eq[py]),
                7,
                RGBColor(0xb4, 0, 0x3c).stroke_width(2),
            )])
            .map_err(err)?
            .label(format!("equilibrium ({:.2}, {:.2})", eq[px], eq[py]))
            .legend(|(x, y)| Cross::new((x + 8, y), 5, RGBColor(0xb4, 0, 0x3c).stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .draw()
        .map_err(err)
}

/// The colorbar of attention × N, for attention from `lo` to `hi` over `n` points.
fn draw_colorbar<DB: DrawingBackend>(
    (lo, hi): (f64, f64),
    n: f64,
    area: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let mut cb = ChartBuilder::on(area)
        .margin_top(50)
        .margin_bottom(54)
        .margin_right(6)
        .y_label_area_size(58)
        .build_cartesian_2d(0.0..1.0, (lo * n)..(hi * n).max(lo * n + 1e-12))
        .map_err(err)?;
    cb.configure_mesh()
        .disable_x_axis()
        .disable_mesh()
        .y_desc("attention × N")
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .y_label_formatter(&|v| format!("{v:.3}"))
        .draw()
        .map_err(err)?;
    let steps = 64;
    cb.draw_series((0..steps).map(|k| {
        let (y0, y1) = (
            lo * n + (hi - lo) * n * k as f64 / steps as f64,
            lo * n + (hi - lo) * n * (k + 1) as f64 / steps as f64,
        );
        let [r, g, b] = viridis((k as f64 + 0.5) / steps as f64);
        Rectangle::new([(0.0, y0), (1.0, y1)], RGBColor(r, g, b).filled())
    }))
    .map_err(err)?;
    Ok(())
}
