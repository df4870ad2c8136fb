//! Step 2 of [`crate::dynamics::limit_cycle`]: integrate onto the cycle. The orbit is sampled
//! at steps sized by the Jacobian until the upward crossings of the system's Poincaré section
//! repeat: the return time and the crossing point both change by at most [`SETTLE`] of the
//! period and of the orbit's size. Refused: an orbit that comes to rest (an equilibrium), and one
//! whose changes, at their trend over the last returns, would not settle within [`MAX_RETURNS`].

use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;
use crate::work_units::in_units;

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

/// The transient in progress, a sample at a time (a unit of work: a few RK4 steps), so the
/// page can spread it over frames; [`transient`] runs it to the end. The same samples in the
/// same order however the work is sliced, so the same bits.
pub struct TransientRun {
    coordinate: usize,
    level: f64,
    rk4: Rk4,
    x: Vec<f64>,
    previous: Vec<f64>,
    t: f64,
    last: Option<(f64, Vec<f64>)>,
    last_period: Option<f64>,
    window: Window,
    returns: usize,
    change: f64,
    changes: Vec<f64>,
    sizes: Vec<f64>,
    samples: usize,
    outcome: Option<Result<Settled, CycleError>>,
}

impl TransientRun {
    /// Starts at `initial`, watching the section `coordinate` = `level`; nothing is integrated.
    pub fn new<S: System + ?Sized>(
        system: &S,
        initial: &[f64],
        coordinate: usize,
        level: f64,
    ) -> Self {
        TransientRun {
            coordinate,
            level,
            rk4: Rk4::new(system.dim()),
            x: initial.to_vec(),
            previous: initial.to_vec(),
            t: 0.0,
            last: None,
            last_period: None,
            window: Window::new(initial),
            returns: 0,
            change: f64::INFINITY,
            changes: Vec::new(),
            sizes: Vec::new(),
            samples: 0,
            outcome: None,
        }
    }

    /// Samples until settled (or refused) or until `out_of_time` (asked between samples, after
    /// at least one) says to stop. Returns whether it is done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let pending = |run: &Self| run.outcome.is_none();
        in_units(self, pending, out_of_time, |run| {
            run.outcome = if run.samples < MAX_TRANSIENT_SAMPLES {
                run.samples += 1;
                run.sample(system)
            } else {
                Some(Err(run.unsettled(system)))
            };
        })
    }

    /// The returns to the section taken so far.
    pub fn returns(&self) -> usize {
        self.returns
    }

    /// The settled orbit, or why there is none (call once [`TransientRun::work`] returned
    /// `true`; runs to the end otherwise).
    pub fn finish<S: System + ?Sized>(mut self, system: &S) -> Result<Settled, CycleError> {
        while !self.work(system, &mut || false) {}
        self.outcome.expect("worked to the end above")
    }

    /// One sample; `Some` when the transient is over.
    fn sample<S: System + ?Sized>(&mut self, system: &S) -> Option<Result<Settled, CycleError>> {
        let (coordinate, level) = (self.coordinate, self.level);
        let (x, previous) = (&mut self.x, &mut self.previous);
        let norm = scaled_jacobian_norm(system, x);
        let dt = SAMPLE_SCALE / norm.max(1e-12);
        previous.copy_from_slice(x);
        if let Err(e) = self.rk4.advance(system, x, self.t, self.t + dt) {
            return Some(Err(CycleError::new(CycleErrorKind::Failed, e.to_string())));
        }
        self.window.add(x, norm);
        let (before, after) = (previous[coordinate] - level, x[coordinate] - level);
        self.t += dt;
        let t = self.t;
        let crossed = before < 0.0 && after >= 0.0;
        if resting(previous, x, crossed.then(|| self.window.size())) {
            return Some(Err(at_rest(system, t)));
        }
        if !crossed {
            return None;
        }
        let frac = before / (before - after);
        let crossing_time = t - dt + frac * dt;
        let point: Vec<f64> = (0..x.len())
            .map(|i| previous[i] + frac * (x[i] - previous[i]))
            .collect();
        if let Some((t_prev, p_prev)) = &self.last {
            self.returns += 1;
            let period = crossing_time - t_prev;
            let moved = (0..x.len())
                .map(|i| (point[i] - p_prev[i]).abs())
                .fold(0.0, f64::max);
            if let Some(lp) = self.last_period {
                self.change = ((period - lp).abs() / period).max(moved / self.window.size());
                if self.change <= SETTLE {
                    return Some(Ok(Settled {
                        period,
                        start: self.window.best.clone(),
                        max_norm: self.window.max_norm,
                        returns: self.returns,
                    }));
                }
            }
            self.last_period = Some(period);
            self.changes.push(self.change);
            self.sizes.push(self.window.size());
            let returns = self.returns;
            if returns >= MAX_RETURNS
                || returns_needed(&self.changes).is_some_and(|n| n > (MAX_RETURNS - returns) as f64)
            {
                return Some(Err(self.unsettled(system)));
            }
        }
        self.last = Some((crossing_time, point));
        self.window = Window::new(&self.x);
        None
    }

    /// The refusal when the returns do not settle: a spiral into an equilibrium, or no trend
    /// towards settling.
    fn unsettled<S: System + ?Sized>(&self, system: &S) -> CycleError {
        let (returns, change, t) = (self.returns, self.change, self.t);
        if let Some(ratio) = spiralling(&self.sizes) {
            return CycleError::new(
                CycleErrorKind::NoLimitCycle,
                format!(
                    "{} spirals into an equilibrium (its oscillation shrinks by a factor {ratio:.3} per turn), \
                     not onto a limit cycle: there is no lasting oscillation whose phase a kick could shift",
                    system.name()
                ),
            );
        }
        CycleError::new(
            CycleErrorKind::NoLimitCycle,
            format!(
                "{} did not settle onto a periodic orbit: after {returns} returns to its Poincaré section (t = {t:.4}) \
                 the return time or the crossing point still changed by {change:.2e} of the period or of the orbit's \
                 size per return (settled means ≤ {SETTLE:.0e}), and at its trend it would not settle within \
                 {MAX_RETURNS} returns. It may be chaotic, or attracted too slowly (near a Hopf bifurcation)",
                system.name()
            ),
        )
    }
}

/// Integrates from `initial` until the upward crossings of the section (`coordinate` at
/// `level`) repeat: [`TransientRun`] in one go.
pub fn transient<S: System + ?Sized>(
    system: &S,
    initial: &[f64],
    coordinate: usize,
    level: f64,
) -> Result<Settled, CycleError> {
    TransientRun::new(system, initial, coordinate, level).finish(system)
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
