//! How a small kick grows, at every sample of the clean orbit, at several horizons, and how that
//! growth sorts by attention: the perturbation test of the paper's claim ("low attention where
//! a perturbation matters most"), measured on every point instead of two.
//!
//! The kicks are infinitesimal: the tangent-linear map Φ(t_i, t_i + h) carries a kick v to Φv,
//! so the growth factor is |Φv|/|v| whatever the kick size, as long as it is small (the `perturb`
//! command and the page's click-to-kick check a finite ε against it). Two kinds of kick:
//!
//! - along the orbit normal n = Jf/|f| (2-D systems): ln |Φn|;
//! - in a random direction, averaged exactly over all of them: E|Φv|² = ‖Φ‖²_F/d for v uniform
//!   on the unit sphere, so the root-mean-square growth is ‖Φ‖_F/√d, with no sampling noise.
//!
//! Horizons are fractions of the measured period for periodic orbits (¼, ½, 1, 2) and multiples
//! of the measure's horizon τ otherwise (½, 1, 2, 4).
//!
//! Period shear: on a centre (Lotka–Volterra, the frictionless pendulum) a kick across the
//! orbit moves the state to a neighbouring orbit with a different period, so the kicked and the
//! unkicked states drift apart along the orbit by an amount that grows linearly in time. The
//! growth at horizon h is then dominated by h·|T′(V)|·(how far the kick moved V), which is
//! geometry, not sensitivity in the chaotic sense. [`KickResponse::log_log_slope`] measures it: a
//! slope near 1 of the median growth against the horizon on log–log axes.

use crate::analysis::metrics::spearman;
use crate::dynamics::rk4::Trajectory;
use crate::measures::ftle::Propagators;
use crate::measures::normal_derivative::orbit_normal;
use crate::systems::system::System;
use serde::Serialize;

/// The horizons, as multiples of the period (periodic orbits).
pub const PERIOD_FRACTIONS: [f64; 4] = [0.25, 0.5, 1.0, 2.0];
/// The horizons, as multiples of τ (orbits without a period).
pub const TAU_MULTIPLES: [f64; 4] = [0.5, 1.0, 2.0, 4.0];

/// Log growth factors of kicks at every sample and horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KickResponse {
    /// The horizons, in time units.
    pub horizons: Vec<f64>,
    /// What the horizons are multiples of: "period" or "τ", and the unit's length.
    pub unit: (&'static str, f64),
    /// The multiples of the unit.
    pub multiples: Vec<f64>,
    /// ln |Φn| per horizon, per sample (2-D systems; NaN at an equilibrium). Empty in 3-D.
    pub normal: Vec<Vec<f64>>,
    /// ln (‖Φ‖_F/√d) per horizon, per sample: the root-mean-square growth over random kicks.
    pub random: Vec<Vec<f64>>,
}

impl KickResponse {
    /// The response along `trajectory` at the standard horizons: fractions of `period` when
    /// there is one, else multiples of `tau`.
    pub fn along<S: System + ?Sized>(
        system: &S,
        trajectory: &Trajectory,
        period: Option<f64>,
        tau: f64,
    ) -> Result<KickResponse, String> {
        let (unit, multiples): ((&'static str, f64), &[f64]) = match period {
            Some(p) => (("period", p), &PERIOD_FRACTIONS),
            None => (("τ", tau), &TAU_MULTIPLES),
        };
        let horizons: Vec<f64> = multiples.iter().map(|m| m * unit.1).collect();
        let longest = horizons.iter().copied().fold(0.0, f64::max);
        let propagators = Propagators::along(system, trajectory, longest)
            .map_err(|e| format!("kicks over {longest:.3}: {e}"))?;
        let (n, d) = (trajectory.len(), system.dim());
        let mut normal = Vec::new();
        let mut random = Vec::new();
        for &h in &horizons {
            let mut along_normal = vec![f64::NAN; n];
            let mut rms = vec![f64::NAN; n];
            propagators.windows(n, h, |i, _, phi| {
                let frobenius: f64 = phi[..d * d].iter().map(|x| x * x).sum();
                rms[i] = 0.5 * libm::log(frobenius / d as f64);
                if d == 2 {
                    let mut f = [0.0; 2];
                    system.vector_field(&propagators.states[2 * i..2 * i + 2], &mut f);
                    if let Some(v) = orbit_normal(f) {
                        let kicked = [phi[0] * v[0] + phi[1] * v[1], phi[2] * v[0] + phi[3] * v[1]];
                        along_normal[i] = 0.5 * libm::log(kicked[0].powi(2) + kicked[1].powi(2));
                    }
                }
            });
            if d == 2 {
                normal.push(along_normal);
            }
            random.push(rms);
        }
        Ok(KickResponse {
            horizons,
            unit,
            multiples: multiples.to_vec(),
            normal,
            random,
        })
    }

    /// The growth the summaries read: along the normal in 2-D, the random-kick RMS otherwise.
    pub fn primary(&self) -> &[Vec<f64>] {
        if self.normal.is_empty() {
            &self.random
        } else {
            &self.normal
        }
    }

    /// Which kick [`KickResponse::primary`] is.
    pub fn primary_kind(&self) -> &'static str {
        if self.normal.is_empty() {
            "random"
        } else {
            "normal"
        }
    }

    /// The slope of the median log growth against the log horizon (least squares over the
    /// horizons): about 1 for period shear on a centre, larger for exponential growth.
    pub fn log_log_slope(&self) -> Option<f64> {
        let points: Vec<(f64, f64)> = self
            .horizons
            .iter()
            .zip(self.primary())
            .filter_map(|(&h, g)| median(g).map(|m| (libm::log(h), m)))
            .collect();
        if points.len() < 2 {
            return None;
        }
        let n = points.len() as f64;
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
        let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| {
            (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
        });
        (sxx > 0.0).then(|| sxy / sxx)
    }
}

/// The median of the finite values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len();
    Some(if k % 2 == 1 {
        v[k / 2]
    } else {
        0.5 * (v[k / 2 - 1] + v[k / 2])
    })
}

/// The growth sorted by attention: per horizon, the median log growth in each attention decile
/// (1 = lowest attention), and Spearman ρ(attention, log growth) over every sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecileTable {
    /// `medians[h][k]`: median log growth at horizon h in decile k + 1.
    pub medians: Vec<Vec<Option<f64>>>,
    /// ρ(attention, log growth) per horizon (negative: low attention where kicks grow most,
    /// the paper's claim).
    pub spearman: Vec<Option<f64>>,
}

/// Deciles of attention (ties broken by time order, so uniform attention still fills ten
/// equal bins), and the growth in each.
pub fn by_attention_decile(attention: &[f64], growth: &[Vec<f64>]) -> DecileTable {
    let n = attention.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| attention[a].total_cmp(&attention[b]).then(a.cmp(&b)));
    let decile_of = |rank: usize| (rank * 10 / n.max(1)).min(9);
    let medians = growth
        .iter()
        .map(|g| {
            let mut bins: Vec<Vec<f64>> = vec![Vec::new(); 10];
            for (rank, &i) in order.iter().enumerate() {
                bins[decile_of(rank)].push(g[i]);
            }
            bins.iter().map(|b| median(b)).collect()
        })
        .collect();
    let spearman = growth
        .iter()
        .map(|g| {
            let (a, b): (Vec<f64>, Vec<f64>) = attention
                .iter()
                .zip(g)
                .filter(|(_, v)| v.is_finite())
                .map(|(a, v)| (*a, *v))
                .unzip();
            spearman(&a, &b)
        })
        .collect();
    DecileTable { medians, spearman }
}
