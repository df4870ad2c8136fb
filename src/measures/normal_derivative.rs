//! Lyapunov geometry along an orbit: the unit normal n = Jf/|f| with J(a, b) = (b, −a), and the
//! normal derivative ∂V/∂n = ∇V·n.
//!
//! For Lotka–Volterra, Jf = xy∇V, so n = ∇V/|∇V| and ∂V/∂n = |∇V|: the normal derivative measures
//! how steep V is across the orbit. Small ∂V/∂n means V is flat there.

use crate::dynamics::rk4::Trajectory;
use crate::systems::system::System;

/// The unit normal Jf/|f| of a planar vector f, or `None` where f = 0 (an equilibrium).
pub fn orbit_normal(f: [f64; 2]) -> Option<[f64; 2]> {
    let norm = libm::hypot(f[0], f[1]); // not f64::hypot: that calls the platform libm, whose bits differ in wasm
    (norm > 0.0).then(|| [f[1] / norm, -f[0] / norm])
}

/// ∂V/∂n at one planar state, or `None` if the system has no V or is not planar. At an
/// equilibrium (f = 0) the normal is undefined; there ∂V/∂n is taken as 0, the value of |∇V|
/// that it tends to for Lotka–Volterra.
pub fn normal_derivative<S: System + ?Sized>(system: &S, state: &[f64]) -> Option<f64> {
    let v = system.lyapunov()?;
    if system.dim() != 2 {
        return None;
    }
    let mut f = [0.0; 2];
    let mut grad = [0.0; 2];
    system.vector_field(state, &mut f);
    v.gradient(state, &mut grad);
    Some(orbit_normal(f).map_or(0.0, |n| grad[0] * n[0] + grad[1] * n[1]))
}

/// ∂V/∂n at every sample of a (clean) trajectory, or `None` if the system has no V or is not
/// planar.
pub fn normal_derivative_along<S: System + ?Sized>(
    system: &S,
    trajectory: &Trajectory,
) -> Option<Vec<f64>> {
    trajectory
        .states
        .rows()
        .into_iter()
        .map(|row| normal_derivative(system, row.as_slice().expect("rows are contiguous")))
        .collect()
}
