//! A ground-truth sensitivity measure for any system: the finite-time Lyapunov exponent
//! FTLE(t) = (1/τ) ln σ_max(Φ(t, t + τ)), where Φ solves the variational (tangent-linear)
//! equations Φ' = J(x(s))·Φ, Φ(t) = I, along the trajectory. And the largest Lyapunov exponent
//! of a long run, by Benettin's renormalised tangent vector.

use crate::dynamics::rk4::{IntegrationError, Rk4, Trajectory};
use crate::systems::system::System;

/// Integration sub-interval: substeps are re-sized from the Jacobian at least this often.
const SUB_INTERVAL: f64 = 0.05;
/// Most sub-intervals one set of propagators may take: a series with a huge time gap (an
/// imported file) is refused at once instead of being cut into 0.05 pieces for hours.
pub const MAX_SUB_INTERVALS: f64 = 2_000_000.0;

/// The variational system of `system` with `k` tangent vectors: the state is (x, V) with V a
/// d×k matrix (row-major), and x' = f(x), V' = J(x)·V.
pub struct Tangent<'a, S: System + ?Sized> {
    pub system: &'a S,
    pub k: usize,
}

impl<S: System + ?Sized> Tangent<'_, S> {
    fn base_jacobian(&self, x: &[f64]) -> [f64; 9] {
        let mut j = [0.0; 9];
        let d = self.system.dim();
        self.system.jacobian(x, &mut j[..d * d]);
        j
    }
}

impl<S: System + ?Sized> System for Tangent<'_, S> {
    fn name(&self) -> &'static str {
        "tangent"
    }
    fn dim(&self) -> usize {
        let d = self.system.dim();
        d + d * self.k
    }
    fn state_names(&self) -> &'static [&'static str] {
        self.system.state_names()
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        let d = self.system.dim();
        let (x, v) = s.split_at(d);
        self.system.vector_field(x, &mut out[..d]);
        let j = self.base_jacobian(x);
        for r in 0..d {
            for c in 0..self.k {
                out[d + r * self.k + c] = (0..d).map(|m| j[r * d + m] * v[m * self.k + c]).sum();
            }
        }
    }
    /// For step sizing only: J on the x block, zero elsewhere. The tangent vectors evolve on
    /// the timescales of J itself, while their entries span many orders of magnitude (Φ grows
    /// like e^{λt}), which would distort the state-scaled norm that sizes the steps.
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let d = self.system.dim();
        let n = self.dim();
        out.iter_mut().for_each(|v| *v = 0.0);
        let j = self.base_jacobian(&s[..d]);
        for r in 0..d {
            out[r * n..r * n + d].copy_from_slice(&j[r * d..r * d + d]);
        }
    }
    fn step_scale(&self, s: &[f64], i: usize) -> f64 {
        let d = self.system.dim();
        if i < d {
            self.system.step_scale(&s[..d], i)
        } else {
            s[i].abs().max(1.0)
        }
    }
    fn check_state(&self, s: &[f64]) -> Result<(), String> {
        let d = self.system.dim();
        self.system.check_state(&s[..d])?;
        match s[d..].iter().all(|v| v.is_finite()) {
            true => Ok(()),
            false => Err("the tangent vectors overflowed: shorten the horizon".into()),
        }
    }
}

fn advance<S: System + ?Sized>(
    rk4: &mut Rk4,
    system: &S,
    state: &mut [f64],
    t0: f64,
    t1: f64,
) -> Result<(), IntegrationError> {
    let pieces = ((t1 - t0) / SUB_INTERVAL).ceil().max(1.0) as usize;
    for i in 0..pieces {
        let a = t0 + (t1 - t0) * i as f64 / pieces as f64;
        let b = t0 + (t1 - t0) * (i + 1) as f64 / pieces as f64;
        rk4.advance(system, state, a, b)?;
    }
    Ok(())
}

/// The largest singular value of a d×d matrix (row-major, d ≤ 3): √λ_max(MᵀM) by power
/// iteration on the symmetric MᵀM.
pub fn largest_singular_value(m: &[f64], d: usize) -> f64 {
    let mut mtm = [0.0; 9];
    for r in 0..d {
        for c in 0..d {
            mtm[r * d + c] = (0..d).map(|k| m[k * d + r] * m[k * d + c]).sum();
        }
    }
    let scale = mtm[..d * d].iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    if scale == 0.0 {
        return 0.0;
    }
    let mut v = [1.0, 0.618, 0.382];
    let mut lambda = 0.0;
    for _ in 0..500 {
        let mut w = [0.0; 3];
        for r in 0..d {
            w[r] = (0..d).map(|c| mtm[r * d + c] / scale * v[c]).sum();
        }
        let norm = w[..d].iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        let next = norm * scale;
        v[..d]
            .iter_mut()
            .zip(&w[..d])
            .for_each(|(v, w)| *v = w / norm);
        if (next - lambda).abs() <= 1e-15 * next {
            lambda = next;
            break;
        }
        lambda = next;
    }
    lambda.sqrt()
}

/// FTLE at `state` over the horizon `tau`: (1/τ) ln σ_max(Φ(τ)).
pub fn ftle<S: System + ?Sized>(
    system: &S,
    state: &[f64],
    tau: f64,
) -> Result<f64, IntegrationError> {
    let d = system.dim();
    assert!(d <= 3, "FTLE is implemented for up to 3 state variables");
    let tangent = Tangent { system, k: d };
    let mut aug = vec![0.0; d + d * d];
    aug[..d].copy_from_slice(state);
    for i in 0..d {
        aug[d + i * d + i] = 1.0;
    }
    let mut rk4 = Rk4::new(tangent.dim());
    advance(&mut rk4, &tangent, &mut aug, 0.0, tau)?;
    Ok(libm::log(largest_singular_value(&aug[d..], d)) / tau)
}

/// FTLE(t) over `tau` at every `stride`-th sample of a trajectory (the others are `None`).
pub fn ftle_along<S: System + ?Sized>(
    system: &S,
    trajectory: &Trajectory,
    tau: f64,
    stride: usize,
) -> Result<Vec<Option<f64>>, IntegrationError> {
    let stride = stride.max(1);
    trajectory
        .states
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            if i % stride == 0 {
                ftle(system, row.as_slice().expect("contiguous rows"), tau).map(Some)
            } else {
                Ok(None)
            }
        })
        .collect()
}

/// The largest Lyapunov exponent: after `transient` time units, a tangent vector is carried
/// along for `duration`, renormalised every `interval`, and its mean log-growth rate returned.
pub fn largest_lyapunov_exponent<S: System + ?Sized>(
    system: &S,
    initial: &[f64],
    transient: f64,
    duration: f64,
    interval: f64,
) -> Result<f64, IntegrationError> {
    let d = system.dim();
    let mut rk4 = Rk4::new(d);
    let mut x = initial.to_vec();
    advance(&mut rk4, system, &mut x, 0.0, transient)?;
    let tangent = Tangent { system, k: 1 };
    let mut aug = vec![0.0; 2 * d];
    aug[..d].copy_from_slice(&x);
    aug[d] = 1.0;
    let mut rk4 = Rk4::new(tangent.dim());
    let steps = (duration / interval).round().max(1.0) as usize;
    let mut log_growth = 0.0;
    for i in 0..steps {
        advance(
            &mut rk4,
            &tangent,
            &mut aug,
            i as f64 * interval,
            (i + 1) as f64 * interval,
        )?;
        let norm = aug[d..].iter().map(|v| v * v).sum::<f64>().sqrt();
        log_growth += libm::log(norm);
        aug[d..].iter_mut().for_each(|v| *v /= norm);
    }
    Ok(log_growth / (steps as f64 * interval))
}

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
        let p = &mut self.propagators;
        let d = p.dim;
        let tangent = Tangent { system, k: d };
        let aug = &mut self.aug;
        let mut first = true;
        while p.steps.len() + 1 < p.times.len() {
            if !first && out_of_time() {
                return Ok(false);
            }
            first = false;
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
        }
        Ok(true)
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

/// FTLE(t_i) = ln σ_max(Φ(t_i, t_j)) / (t_j − t_i) at every sample of a trajectory, with t_j the
/// first time at least τ later (the trajectory is continued past its end as needed). On a
/// uniform grid the effective horizon is τ rounded up to whole sampling intervals.
pub fn ftle_series<S: System + ?Sized>(
    system: &S,
    trajectory: &Trajectory,
    tau: f64,
) -> Result<Vec<f64>, IntegrationError> {
    let propagators = Propagators::along(system, trajectory, tau)?;
    ftle_from(&propagators, trajectory, tau)
}

/// [`ftle_series`] from the trajectory's propagators (computed in one go or by a
/// [`PropagatorRun`]).
pub fn ftle_from(
    propagators: &Propagators,
    trajectory: &Trajectory,
    tau: f64,
) -> Result<Vec<f64>, IntegrationError> {
    let d = propagators.dim;
    let mut out = vec![0.0; trajectory.len()];
    propagators.windows(trajectory.len(), tau, |i, j, phi| {
        let span = propagators.times[j] - propagators.times[i];
        out[i] = log_largest_singular_value(&phi[..d * d], d) / span;
    });
    match out.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(IntegrationError {
            t: trajectory.times[i],
            message: format!(
                "over τ = {tau} the tangent vectors grew beyond the range of f64 (or collapsed to 0): shorten τ"
            ),
        }),
        None => Ok(out),
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

/// ln σ_max(M) without overflow for large entries: M is scaled by its largest entry first.
pub fn log_largest_singular_value(m: &[f64], d: usize) -> f64 {
    let scale = m[..d * d].iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return libm::log(scale);
    }
    let mut scaled = [0.0; 9];
    for (s, v) in scaled.iter_mut().zip(&m[..d * d]) {
        *s = v / scale;
    }
    libm::log(scale) + libm::log(largest_singular_value(&scaled[..d * d], d))
}
