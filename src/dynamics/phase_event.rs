//! The phase reference event of a limit cycle, θ = 0: the maximum of the first state variable,
//! where dx₁/dt changes sign from positive to negative. [`crate::dynamics::limit_cycle`] puts the
//! stored cycle's origin there; the direct phase-response method times the kicked orbit's
//! events with [`reference_event_in_step`].

use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;

/// The phase reference event, in words.
pub const REFERENCE_EVENT: &str =
    "θ = 0 at the maximum of the first state variable on the cycle; θ = t/T mod 1, in [0, 1)";

/// dx₁/dt, the first component of f: positive before the reference event, negative after.
pub fn reference_rate<S: System + ?Sized>(system: &S, x: &[f64], f: &mut [f64]) -> f64 {
    system.vector_field(x, f);
    f[0]
}

/// Within one fixed step of size `h` from `x` over which dx₁/dt goes from positive to
/// non-positive: the time τ ∈ (0, h] at which it is zero (the reference event), by safeguarded
/// Newton on one RK4 step of size τ (the same accuracy as a full step).
pub fn reference_event_in_step<S: System + ?Sized>(
    system: &S,
    rk4: &mut Rk4,
    x: &[f64],
    h: f64,
) -> f64 {
    let d = x.len();
    let (mut f, mut jac, mut y) = (vec![0.0; d], [0.0; 9], vec![0.0; d]);
    let (mut lo, mut hi) = (0.0, h);
    let g0 = reference_rate(system, x, &mut f);
    y.copy_from_slice(x);
    rk4.step(system, &mut y, h);
    let g1 = reference_rate(system, &y, &mut f);
    let mut tau = if g0 - g1 > 0.0 { h * g0 / (g0 - g1) } else { h };
    for _ in 0..50 {
        y.copy_from_slice(x);
        rk4.step(system, &mut y, tau);
        let g = reference_rate(system, &y, &mut f);
        if g > 0.0 {
            lo = tau;
        } else {
            hi = tau;
        }
        system.jacobian(&y, &mut jac[..d * d]);
        let slope: f64 = (0..d).map(|j| jac[j] * f[j]).sum();
        let mut next = tau - g / slope;
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        let done = (next - tau).abs() <= 1e-15 * h.max(tau.abs());
        tau = next;
        if done || hi - lo <= 1e-15 * h {
            break;
        }
    }
    tau
}
