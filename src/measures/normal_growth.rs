//! Normal growth: (1/τ) ln |n(t+τ)·Φ(t, t+τ) n(t)|, the growth rate of a small kick along the
//! orbit normal n = Jf/|f|, measured along the normal where it lands (2-D systems only).
//!
//! It is not independent of the other measures. For any planar system, Liouville's formula for
//! the area spanned by f and the kick gives (1/τ)[∫ div f dt + ln(|f(t)|/|f(t+τ)|)], and for
//! Lotka–Volterra, where Jf = xy∇V, this is exactly (1/τ) ln(|∇V(t)|/|∇V(t+τ)|): a function of
//! ∂V/∂n = |∇V| along the orbit. FINDINGS.md therefore counts it only where there is no V.

use crate::dynamics::rk4::Trajectory;
use crate::measures::ftle::Propagators;
use crate::measures::normal_derivative::orbit_normal;
use crate::systems::system::System;

/// (1/τ) ln |n_j·Φ(t_i, t_j) n_i| at every sample, with t_j the first time at least τ later.
pub fn normal_growth_series<S: System + ?Sized>(
    system: &S,
    trajectory: &Trajectory,
    tau: f64,
) -> Result<Vec<f64>, String> {
    if system.dim() != 2 {
        return Err("normal growth is defined for 2-D systems only".into());
    }
    let propagators = Propagators::along(system, trajectory, tau)
        .map_err(|e| format!("normal growth over τ = {tau}: {e}"))?;
    normal_growth_from(system, &propagators, trajectory, tau)
}

/// [`normal_growth_series`] from the trajectory's propagators (computed in one go or by a
/// [`PropagatorRun`](crate::measures::ftle::PropagatorRun)).
pub fn normal_growth_from<S: System + ?Sized>(
    system: &S,
    propagators: &Propagators,
    trajectory: &Trajectory,
    tau: f64,
) -> Result<Vec<f64>, String> {
    let normal_at = |k: usize| {
        let mut f = [0.0; 2];
        system.vector_field(&propagators.states[2 * k..2 * k + 2], &mut f);
        orbit_normal(f)
    };
    let mut out = vec![0.0; trajectory.len()];
    let mut missing = None;
    propagators.windows(trajectory.len(), tau, |i, j, phi| {
        match (normal_at(i), normal_at(j)) {
            (Some(a), Some(b)) => {
                let kicked = [phi[0] * a[0] + phi[1] * a[1], phi[2] * a[0] + phi[3] * a[1]];
                let along = (b[0] * kicked[0] + b[1] * kicked[1]).abs().max(1e-300);
                let span = propagators.times[j] - propagators.times[i];
                out[i] = libm::log(along) / span;
            }
            _ => {
                missing.get_or_insert(propagators.times[i]);
            }
        }
    });
    match missing {
        Some(t) => Err(format!(
            "normal growth is undefined at t = {t:.4}: the trajectory sits on an equilibrium (f = 0, no orbit normal)"
        )),
        None if out.iter().any(|v| !v.is_finite()) => Err(format!(
            "normal growth over τ = {tau}: the kicked perturbation grew beyond the range of f64: shorten τ"
        )),
        None => Ok(out),
    }
}
