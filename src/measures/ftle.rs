//! A ground-truth sensitivity measure for any system: the finite-time Lyapunov exponent
//! FTLE(t) = (1/τ) ln σ_max(Φ(t, t + τ)), where Φ solves the variational (tangent-linear)
//! equations Φ' = J(x(s))·Φ, Φ(t) = I, along the trajectory. And the largest Lyapunov exponent
//! of a long run, by Benettin's renormalised tangent vector.

use crate::dynamics::rk4::{IntegrationError, Rk4, Trajectory};
use crate::systems::system::System;

pub use crate::measures::propagators::{
    continuation, continuation_intervals, sub_intervals, PropagatorRun, Propagators,
    MAX_CONTINUATION, MAX_SUB_INTERVALS,
};
use crate::measures::tangent::advance;
pub use crate::measures::tangent::Tangent;

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
