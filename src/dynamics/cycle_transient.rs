//! Step 2 of [`crate::dynamics::limit_cycle`]: integrate onto the cycle. The orbit is sampled
//! at steps sized by the Jacobian until the upward crossings of the system's Poincaré section
//! repeat: the return time and the crossing point both change by at most [`SETTLE`] of the
//! period and of the orbit's size. Refused: an orbit that comes to rest (an equilibrium), and one
//! whose changes, at their trend over the last returns, would not settle within [`MAX_RETURNS`].

use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;

/// The transient is sampled every SAMPLE_SCALE / ‖D⁻¹JD‖∞ time units.
const SAMPLE_SCALE: f64 = 0.05;
/// Relative change of the return time and of the crossing point (against the orbit's size)
/// below which the transient counts as settled.
pub const SETTLE: f64 = 1e-4;
/// Most returns to the section the transient may take.
pub const MAX_RETURNS: usize = 1000;
/// Most samples the transient may take (each a few RK4 steps).
pub const MAX_TRANSIENT_SAMPLES: usize = 500_000;

/// ‖D⁻¹JD‖∞ with D = diag(max(|x_i|, 1)), as in [`crate::dynamics::rk4`].
pub fn scaled_jacobian_norm<S: System + ?Sized>(system: &S, x: &[f64]) -> f64 {
    let d = x.len();
    let mut jac = [0.0; 9];
    system.jacobian(x, &mut jac[..d * d]);
    let scale = |i: usize| x[i].abs().max(1.0);
    (0..d)
        .map(|i| {
            (0..d)
                .map(|j| (jac[i * d + j] * scale(j) / scale(i)).abs())
                .sum::<f64>()
        })
        .fold(0.0_f64, f64::max)
}

/// What the transient hands to Newton.
pub struct Settled {
    /// The last return time: the period, to about [`SETTLE`].
    pub period: f64,
    /// The sample with the highest first variable during the last return.
    pub start: Vec<f64>,
    /// The largest ‖D⁻¹JD‖∞ seen during the last return.
    pub max_norm: f64,
    /// Returns to the section taken.
    pub returns: usize,
}

/// Running statistics of the samples since the last crossing.
struct Window {
    max_norm: f64,
    best: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
}

impl Window {
    fn new(x: &[f64]) -> Self {
        Window {
            max_norm: 0.0,
            best: x.to_vec(),
            low: x.to_vec(),
            high: x.to_vec(),
        }
    }
    fn add(&mut self, x: &[f64], norm: f64) {
        self.max_norm = self.max_norm.max(norm);
        if x[0] > self.best[0] {
            self.best.copy_from_slice(x);
        }
        for (i, &v) in x.iter().enumerate() {
            self.low[i] = self.low[i].min(v);
            self.high[i] = self.high[i].max(v);
        }
    }
    /// The orbit's size over the window: the largest range of any coordinate.
    fn size(&self) -> f64 {
        self.low
            .iter()
            .zip(&self.high)
            .map(|(l, h)| h - l)
            .fold(0.0, f64::max)
    }
}

/// The refusal for an orbit that comes to rest.
fn at_rest<S: System + ?Sized>(system: &S, t: f64) -> CycleError {
    CycleError::new(
        CycleErrorKind::NoLimitCycle,
        format!(
            "{} settles onto an equilibrium (by t = {t:.4}), not onto a limit cycle: there is no oscillation whose \
             phase a kick could shift",
            system.name()
        ),
    )
}

/// Whether the orbit has come to rest: it moved by at most 1e-13 of its magnitude in one sample,
/// or its size over the last return is at most 1e-9 of its magnitude.
fn resting(previous: &[f64], x: &[f64], window_size: Option<f64>) -> bool {
    let magnitude = 1.0 + x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let moved = (0..x.len())
        .map(|i| (x[i] - previous[i]).abs())
        .fold(0.0, f64::max);
    moved <= 1e-13 * magnitude || window_size.is_some_and(|s| s <= 1e-9 * magnitude)
}

/// Integrates from `initial` until the upward crossings of the section (`coordinate` at
/// `level`) repeat.
pub fn transient<S: System + ?Sized>(
    system: &S,
    initial: &[f64],
    coordinate: usize,
    level: f64,
) -> Result<Settled, CycleError> {
    let failed = |e: crate::dynamics::rk4::IntegrationError| {
        CycleError::new(CycleErrorKind::Failed, e.to_string())
    };
    let mut rk4 = Rk4::new(system.dim());
    let (mut x, mut previous) = (initial.to_vec(), initial.to_vec());
    let mut t = 0.0;
    let mut last: Option<(f64, Vec<f64>)> = None;
    let mut last_period: Option<f64> = None;
    let mut window = Window::new(&x);
    let (mut returns, mut change) = (0, f64::INFINITY);
    let (mut changes, mut sizes) = (Vec::new(), Vec::new());
    for _ in 0..MAX_TRANSIENT_SAMPLES {
        let norm = scaled_jacobian_norm(system, &x);
        let dt = SAMPLE_SCALE / norm.max(1e-12);
        previous.copy_from_slice(&x);
        rk4.advance(system, &mut x, t, t + dt).map_err(failed)?;
        window.add(&x, norm);
        let (before, after) = (previous[coordinate] - level, x[coordinate] - level);
        t += dt;
        let crossed = before < 0.0 && after >= 0.0;
        if resting(&previous, &x, crossed.then(|| window.size())) {
            return Err(at_rest(system, t));
        }
        if !crossed {
            continue;
        }
        let frac = before / (before - after);
        let crossing_time = t - dt + frac * dt;
        let point: Vec<f64> = (0..x.len())
            .map(|i| previous[i] + frac * (x[i] - previous[i]))
            .collect();
        if let Some((t_prev, p_prev)) = &last {
            returns += 1;
            let period = crossing_time - t_prev;
            let moved = (0..x.len())
                .map(|i| (point[i] - p_prev[i]).abs())
                .fold(0.0, f64::max);
            if let Some(lp) = last_period {
                change = ((period - lp).abs() / period).max(moved / window.size());
                if change <= SETTLE {
                    return Ok(Settled {
                        period,
                        start: window.best.clone(),
                        max_norm: window.max_norm,
                        returns,
                    });
                }
            }
            last_period = Some(period);
            changes.push(change);
            sizes.push(window.size());
            if returns >= MAX_RETURNS
                || returns_needed(&changes).is_some_and(|n| n > (MAX_RETURNS - returns) as f64)
            {
                break;
            }
        }
        last = Some((crossing_time, point));
        window = Window::new(&x);
    }
    if let Some(ratio) = spiralling(&sizes) {
        return Err(CycleError::new(
            CycleErrorKind::NoLimitCycle,
            format!(
                "{} spirals into an equilibrium (its oscillation shrinks by a factor {ratio:.3} per turn), \
                 not onto a limit cycle: there is no lasting oscillation whose phase a kick could shift",
                system.name()
            ),
        ));
    }
    Err(CycleError::new(
        CycleErrorKind::NoLimitCycle,
        format!(
            "{} did not settle onto a periodic orbit: after {returns} returns to its Poincaré section (t = {t:.4}) \
             the return time or the crossing point still changed by {change:.2e} of the period or of the orbit's \
             size per return (settled means ≤ {SETTLE:.0e}), and at its trend it would not settle within \
             {MAX_RETURNS} returns. It may be chaotic, or attracted too slowly (near a Hopf bifurcation)",
            system.name()
        ),
    ))
}

/// The factor by which the orbit's size shrank per return over the last [`TREND`] returns, if
/// it at least halved over them: the orbit spirals into an equilibrium.
fn spiralling(sizes: &[f64]) -> Option<f64> {
    let n = sizes.len();
    (n > TREND && sizes[n - 1] < 0.5 * sizes[n - 1 - TREND])
        .then(|| libm::pow(sizes[n - 1] / sizes[n - 1 - TREND], 1.0 / TREND as f64))
}

/// Returns over which the trend of the changes is measured.
const TREND: usize = 10;

/// The returns still needed to settle, extrapolated from the geometric decay of the changes
/// over the last [`TREND`] returns (infinite if they do not decay); `None` before 2·TREND.
fn returns_needed(changes: &[f64]) -> Option<f64> {
    let n = changes.len();
    if n < 2 * TREND {
        return None;
    }
    let ratio = libm::pow(changes[n - 1] / changes[n - 1 - TREND], 1.0 / TREND as f64);
    Some(if ratio < 1.0 {
        libm::log(SETTLE / changes[n - 1]) / libm::log(ratio)
    } else {
        f64::INFINITY
    })
}
