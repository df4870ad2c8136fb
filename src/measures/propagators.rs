//! The one-interval propagators Φ(t_i, t_{i+1}) of the tangent-linear system along a
//! trajectory, computed in one go or a slice at a time ([`PropagatorRun`]), their products over
//! windows of length τ, and how far a trajectory is continued past its end for the last windows.

use crate::dynamics::rk4::{IntegrationError, Rk4, Trajectory};
use crate::measures::tangent::{advance, Tangent, SUB_INTERVAL};
use crate::systems::system::System;
use crate::work_units::try_in_units;

/// Most sub-intervals one set of propagators may take: a series with a huge time gap (an
/// imported file) is refused at once instead of being cut into 0.05 pieces for hours.
pub const MAX_SUB_INTERVALS: f64 = 2_000_000.0;

/// The one-interval propagators Φ(t_i, t_{i+1}) along a trajectory, continued past its end.
pub struct Propagators {
    pub dim: usize,
    /// The trajectory's times, then `extra` more at the last spacing.
    pub times: Vec<f64>,
    /// Row-major states at those times (the trajectory's own, then the continuation).
    pub states: Vec<f64>,
    /// Φ(t_i, t_{i+1}) row-major d×d, one per interval: `times.len() − 1` of them.
    pub steps: Vec<[f64; 9]>,
}

impl Propagators {
    /// Integrates the tangent-linear system over every sampling interval, each from the
    /// trajectory's own state with Φ = I, and continues past the end far enough for windows of
    /// length `tau` (see [`continuation`]).
    pub fn along<S: System + ?Sized>(
        system: &S,
        trajectory: &Trajectory,
        tau: f64,
    ) -> Result<Self, IntegrationError> {
        let mut run = PropagatorRun::new(system, trajectory, tau)?;
        run.work(system, &mut || false)?;
        Ok(run.finish())
    }

    /// For every trajectory sample i < `count`, Φ(t_i, t_j) with j the first sample at least
    /// `tau` later, passed to `visit(i, j, Φ)`. The window products come from a two-stack queue,
    /// so the cost is a few d×d products per sample whatever τ is.
    pub fn windows(&self, count: usize, tau: f64, mut visit: impl FnMut(usize, usize, &[f64; 9])) {
        let d = self.dim;
        let mut queue = ProductQueue::new(d);
        let mut j = 0;
        for i in 0..count.min(self.times.len()) {
            while j < self.steps.len()
                && (j <= i || self.times[j] - self.times[i] < tau * (1.0 - 1e-12))
            {
                queue.push(&self.steps[j]);
                j += 1;
            }
            let phi = queue.product();
            visit(i, j, &phi);
            queue.pop();
        }
    }
}

/// [`Propagators::along`] a slice at a time: one unit of work is one sampling interval, in the
/// same order with the same substeps, so the propagators are bit-identical however the work is
/// sliced. The page computes the FTLE of a long orbit over several animation frames with it.
pub struct PropagatorRun {
    propagators: Propagators,
    /// Samples of the trajectory itself (the rest of `times` is the continuation).
    n: usize,
    rk4: Rk4,
    aug: Vec<f64>,
}

impl PropagatorRun {
    /// Checks the work against [`MAX_SUB_INTERVALS`] (refused at once, before any is done) and
    /// sets up the continuation past the end; nothing is integrated yet.
    pub fn new<S: System + ?Sized>(
        system: &S,
        trajectory: &Trajectory,
        tau: f64,
    ) -> Result<Self, IntegrationError> {
        let d = system.dim();
        assert!(
            d <= 3,
            "propagators are implemented for up to 3 state variables"
        );
        let n = trajectory.len();
        let mut times = trajectory.times.clone();
        let (extra, dt) = continuation(trajectory, tau)?;
        let span = times[n - 1] - times[0] + extra as f64 * dt;
        let pieces = sub_intervals(&times, extra, dt);
        if pieces.is_nan() || pieces > MAX_SUB_INTERVALS {
            return Err(IntegrationError {
                t: times[0],
                message: format!(
                    "the series spans {span:.3e} time units: following perturbations along it would take {pieces:.2e} sub-intervals, more than {MAX_SUB_INTERVALS:.0e} (a time gap that large needs the dv-dn measure, or a shorter series)"
                ),
            });
        }
        let last = times[n - 1];
        times.extend((1..=extra).map(|k| last + dt * k as f64));
        let mut states: Vec<f64> = trajectory.states.iter().copied().collect();
        states.reserve(extra * d);
        let steps = Vec::with_capacity(times.len().saturating_sub(1));
        Ok(PropagatorRun {
            propagators: Propagators {
                dim: d,
                times,
                states,
                steps,
            },
            n,
            rk4: Rk4::new(d + d * d),
            aug: vec![0.0; d + d * d],
        })
    }

    /// Integrates interval after interval until the end or until `out_of_time` (asked between
    /// intervals, after at least one) says to stop. Returns whether it is done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<bool, IntegrationError> {
        let pending = |run: &Self| run.propagators.steps.len() + 1 < run.propagators.times.len();
        try_in_units(self, pending, out_of_time, |run| run.interval(system))
    }

    /// The propagator over the next sampling interval.
    fn interval<S: System + ?Sized>(&mut self, system: &S) -> Result<(), IntegrationError> {
        let p = &mut self.propagators;
        let d = p.dim;
        let tangent = Tangent { system, k: d };
        let aug = &mut self.aug;
        let i = p.steps.len();
        aug[..d].copy_from_slice(&p.states[i * d..(i + 1) * d]);
        aug[d..].iter_mut().for_each(|v| *v = 0.0);
        for r in 0..d {
            aug[d + r * d + r] = 1.0;
        }
        advance(&mut self.rk4, &tangent, aug, p.times[i], p.times[i + 1])?;
        let mut phi = [0.0; 9];
        phi[..d * d].copy_from_slice(&aug[d..]);
        p.steps.push(phi);
        if i + 1 >= self.n {
            p.states.extend_from_slice(&aug[..d]);
        }
        Ok(())
    }

    /// The share of the intervals integrated, 0 to 1.
    pub fn progress(&self) -> f64 {
        let total = self.propagators.times.len().saturating_sub(1);
        match total {
            0 => 1.0,
            _ => self.propagators.steps.len() as f64 / total as f64,
        }
    }

    /// The propagators (call once [`PropagatorRun::work`] has returned `true`).
    pub fn finish(self) -> Propagators {
        self.propagators
    }
}

/// C = A·B for d×d row-major matrices.
fn mat_mul(a: &[f64; 9], b: &[f64; 9], d: usize) -> [f64; 9] {
    let mut c = [0.0; 9];
    for r in 0..d {
        for k in 0..d {
            let a_rk = a[r * d + k];
            for col in 0..d {
                c[r * d + col] += a_rk * b[k * d + col];
            }
        }
    }
    c
}

fn identity(d: usize) -> [f64; 9] {
    let mut m = [0.0; 9];
    for r in 0..d {
        m[r * d + r] = 1.0;
    }
    m
}

/// A FIFO of matrices whose ordered product P_newest···P_oldest is available in O(1), with
/// amortised O(1) products per push and pop: the back stack keeps a running product, the front
/// stack keeps each entry's product with everything newer below it.
struct ProductQueue {
    d: usize,
    back: Vec<[f64; 9]>,
    back_product: [f64; 9],
    /// (matrix, product of all front entries from the bottom up to this one)
    front: Vec<([f64; 9], [f64; 9])>,
}

impl ProductQueue {
    fn new(d: usize) -> Self {
        ProductQueue {
            d,
            back: Vec::new(),
            back_product: identity(d),
            front: Vec::new(),
        }
    }
    fn push(&mut self, m: &[f64; 9]) {
        self.back_product = mat_mul(m, &self.back_product, self.d);
        self.back.push(*m);
    }
    fn pop(&mut self) {
        if self.front.is_empty() {
            // Newest first, so each entry's running product covers it and everything newer.
            while let Some(m) = self.back.pop() {
                let below = self.front.last().map_or(identity(self.d), |(_, p)| *p);
                self.front.push((m, mat_mul(&below, &m, self.d)));
            }
            self.back_product = identity(self.d);
        }
        self.front.pop();
    }
    fn product(&self) -> [f64; 9] {
        match self.front.last() {
            Some((_, p)) => mat_mul(&self.back_product, p, self.d),
            None => self.back_product,
        }
    }
}

/// The sub-intervals (of at most 0.05 time units, at least one per sampling interval) that one
/// set of [`Propagators`] takes along `times` continued by `extra` intervals of `dt` (see
/// [`continuation`]): the work [`Propagators::along`] checks against [`MAX_SUB_INTERVALS`]
/// before it starts.
pub fn sub_intervals(times: &[f64], extra: usize, dt: f64) -> f64 {
    let (first, last) = (times.first(), times.last());
    let span = last.zip(first).map_or(0.0, |(l, f)| l - f) + extra as f64 * dt;
    span / SUB_INTERVAL + times.len() as f64
}

/// Most intervals the trajectory is continued past its end for the last windows.
pub const MAX_CONTINUATION: usize = 100_000;

/// The sampling intervals of `dt` a horizon `tau` spans, as [`continuation`] counts them
/// against [`MAX_CONTINUATION`] (a hair more than τ/dt, so that rounding never gives one too
/// few); config validation asks the same.
pub fn continuation_intervals(tau: f64, dt: f64) -> f64 {
    (tau / dt) * (1.0 + 1e-12)
}

/// How far past its end a trajectory is continued for windows of length τ: (intervals, spacing).
/// The spacing is the larger of the last and the mean sampling interval, so that an uneven
/// imported series with a tiny last step does not ask for millions of intervals. A τ that
/// would need more than [`MAX_CONTINUATION`] intervals is an error.
pub fn continuation(trajectory: &Trajectory, tau: f64) -> Result<(usize, f64), IntegrationError> {
    let n = trajectory.len();
    let t_last = trajectory.times.last().copied().unwrap_or(0.0);
    let dt = if n >= 2 {
        let last = trajectory.times[n - 1] - trajectory.times[n - 2];
        let mean = (t_last - trajectory.times[0]) / (n - 1) as f64;
        last.max(mean)
    } else {
        1.0
    };
    let intervals = continuation_intervals(tau, dt);
    if !(intervals.is_finite() && intervals <= MAX_CONTINUATION as f64) {
        return Err(IntegrationError {
            t: t_last,
            message: format!(
                "a horizon τ = {tau} spans {intervals:.3e} sampling intervals of {dt:.3e}; at most {MAX_CONTINUATION} are allowed: shorten τ or sample more coarsely"
            ),
        });
    }
    Ok((intervals.ceil().max(1.0) as usize + 1, dt))
}
