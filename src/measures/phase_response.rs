//! The infinitesimal phase response curve Z(θ) of a limit cycle by the adjoint method
//! (Ermentrout's, as in XPPAUT; Brown, Moehlis & Holmes 2004, Neural Comput. 16:673).
//!
//! Z is the gradient of the asymptotic phase on the cycle: a small kick δx at phase θ shifts the
//! phase for good by Z(θ)·δx. It solves the adjoint equation dZ/dt = −Df(x(t))ᵀ Z, periodic,
//! normalised so that Z·f(x(t)) = 1 (a conserved quantity of the pair). Here it is integrated
//! backward in time along one stored period (RK4 with the cycle's fixed step, the midpoints of
//! the steps by cubic Hermite interpolation of the stored states), started from the monodromy
//! matrix's left eigenvector for the multiplier 1, normalised, and the sweep repeated from its
//! own Z(0) until Z stops changing (relative change ≤ [`SWEEP_TOLERANCE`]). Backward in time the adjoint contracts onto its
//! periodic solution by the cycle's non-trivial Floquet multipliers per sweep.
//!
//! Units: Z is in time units per unit of each state variable (the phase measured in time,
//! ψ ∈ [0, T)); per unit phase (θ = ψ/T ∈ [0, 1)) it is Z/T. The phase origin is the
//! reference event of [`crate::dynamics::limit_cycle::REFERENCE_EVENT`]. A positive Z·δx is an
//! advance: the kicked oscillation reaches its events earlier.

use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::floquet::left_eigenvector_for_one;
use crate::dynamics::limit_cycle::LimitCycle;
use crate::systems::system::System;

/// Sweeps stop when the largest change of Z over the grid is at most this times max |Z|.
pub const SWEEP_TOLERANCE: f64 = 1e-12;
/// Most backward sweeps.
pub const MAX_SWEEPS: usize = 1000;

/// Z on a grid of phases θ_j = j/points, j = 0..points.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseResponse {
    pub dim: usize,
    /// The cycle's period T.
    pub period: f64,
    /// θ_j = j / points.
    pub theta: Vec<f64>,
    /// The cycle's state at θ_j.
    pub states: Vec<Vec<f64>>,
    /// Z(θ_j), time units per unit of each state variable.
    pub z: Vec<Vec<f64>>,
    /// Backward sweeps taken.
    pub sweeps: usize,
    /// The relative change of Z in the last sweep.
    pub sweep_change: f64,
    /// max |Z·f − 1| over every adjoint step along the cycle: the normalisation, checked along
    /// the orbit (it is imposed at θ = 0 only).
    pub normalisation_error: f64,
}

impl PhaseResponse {
    /// Z(θ_j) per unit phase: Z/T, in periods per unit of each state variable.
    pub fn z_per_phase(&self, j: usize) -> Vec<f64> {
        self.z[j].iter().map(|v| v / self.period).collect()
    }

    /// Z at any phase θ (taken mod 1), linearly interpolated on the grid.
    pub fn z_at(&self, theta: f64) -> Vec<f64> {
        let n = self.theta.len();
        let position = (theta - libm::floor(theta)) * n as f64;
        let j = (position as usize).min(n - 1);
        let w = position - j as f64;
        let next = (j + 1) % n;
        (0..self.dim)
            .map(|i| (1.0 - w) * self.z[j][i] + w * self.z[next][i])
            .collect()
    }
}

/// The transpose of the Jacobian, row-major d×d.
fn transposed_jacobian<S: System + ?Sized>(system: &S, x: &[f64]) -> [f64; 9] {
    let d = x.len();
    let mut jac = [0.0; 9];
    system.jacobian(x, &mut jac[..d * d]);
    let mut t = [0.0; 9];
    for r in 0..d {
        for c in 0..d {
            t[r * d + c] = jac[c * d + r];
        }
    }
    t
}

/// Jᵀ at every stored state of the cycle, and at the midpoint of every step. The midpoints are
/// cubic Hermite interpolants (x_a + x_b)/2 + h(f_a − f_b)/8, accurate to O(h⁴) like the stored
/// states, so the adjoint can take the cycle's own step.
fn transposed_jacobians<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
) -> (Vec<[f64; 9]>, Vec<[f64; 9]>) {
    let d = cycle.dim;
    let h = cycle.step();
    let at_states = (0..=cycle.steps)
        .map(|i| transposed_jacobian(system, cycle.state(i)))
        .collect();
    let (mut fa, mut fb, mut mid) = ([0.0; 3], [0.0; 3], [0.0; 3]);
    let at_midpoints = (0..cycle.steps)
        .map(|i| {
            let (a, b) = (cycle.state(i), cycle.state(i + 1));
            system.vector_field(a, &mut fa[..d]);
            system.vector_field(b, &mut fb[..d]);
            for k in 0..d {
                mid[k] = 0.5 * (a[k] + b[k]) + h / 8.0 * (fa[k] - fb[k]);
            }
            transposed_jacobian(system, &mid[..d])
        })
        .collect();
    (at_states, at_midpoints)
}

/// One backward RK4 step of dZ/dt = −A(t)ᵀZ over [t − H, t]: `a` holds Jᵀ at t, t − H/2 and
/// t − H.
fn backward_step(a: [&[f64; 9]; 3], z: &[f64; 3], big_h: f64, d: usize) -> [f64; 3] {
    let apply = |m: &[f64; 9], v: &[f64; 3]| -> [f64; 3] {
        let mut out = [0.0; 3];
        for (r, o) in out.iter_mut().enumerate().take(d) {
            *o = (0..d).map(|c| m[r * d + c] * v[c]).sum();
        }
        out
    };
    let shifted = |k: &[f64; 3], s: f64| -> [f64; 3] { std::array::from_fn(|i| z[i] + s * k[i]) };
    let k1 = apply(a[0], z);
    let k2 = apply(a[1], &shifted(&k1, 0.5 * big_h));
    let k3 = apply(a[1], &shifted(&k2, 0.5 * big_h));
    let k4 = apply(a[2], &shifted(&k3, big_h));
    std::array::from_fn(|i| z[i] + big_h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
}

/// Z·f at a cycle state.
fn dot_field<S: System + ?Sized>(system: &S, x: &[f64], z: &[f64; 3]) -> f64 {
    let mut f = [0.0; 3];
    system.vector_field(x, &mut f[..x.len()]);
    z.iter().zip(&f).map(|(a, b)| a * b).sum()
}

/// The starting Z(T): the left eigenvector of the monodromy matrix for the multiplier 1,
/// normalised so that Z·f = 1 at the reference point.
fn initial_adjoint<S: System + ?Sized>(system: &S, cycle: &LimitCycle) -> [f64; 3] {
    let d = cycle.dim;
    let x0 = cycle.state(0);
    let mut z = [0.0; 3];
    z[..d].copy_from_slice(&left_eigenvector_for_one(&cycle.monodromy, d));
    let mut along = dot_field(system, x0, &z);
    if !(along.is_finite() && along.abs() > 1e-300) {
        // Degenerate eigenvector: start from f/|f|², which has Z·f = 1.
        system.vector_field(x0, &mut z[..d]);
        along = z.iter().map(|v| v * v).sum();
    }
    z.map(|v| v / along)
}

/// Z at every step of the cycle: backward sweeps from Z(T), each normalised so that
/// Z(0)·f = 1 and restarted from its own Z(0), until the relative change is at most
/// [`SWEEP_TOLERANCE`]. Returns the grid, the sweeps taken and the last change.
fn sweep<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
) -> Result<(Vec<[f64; 3]>, usize, f64), CycleError> {
    let (steps, h, d) = (cycle.steps, cycle.step(), cycle.dim);
    let (a, mid) = transposed_jacobians(system, cycle);
    let mut grid = vec![[0.0; 3]; steps + 1];
    let mut next = grid.clone();
    grid[steps] = initial_adjoint(system, cycle);
    let (mut change, mut sweeps) = (f64::INFINITY, 0);
    while sweeps < MAX_SWEEPS && change > SWEEP_TOLERANCE {
        sweeps += 1;
        next[steps] = grid[steps];
        for k in (0..steps).rev() {
            next[k] = backward_step([&a[k + 1], &mid[k], &a[k]], &next[k + 1], h, d);
        }
        let scale = dot_field(system, cycle.state(0), &next[0]);
        next.iter_mut().flatten().for_each(|v| *v /= scale);
        next[steps] = next[0];
        let size = next.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
        change = next
            .iter()
            .flatten()
            .zip(grid.iter().flatten())
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()))
            / size;
        std::mem::swap(&mut grid, &mut next);
    }
    if change > SWEEP_TOLERANCE {
        return Err(CycleError::new(
            CycleErrorKind::Failed,
            format!("the adjoint did not converge in {MAX_SWEEPS} sweeps (last relative change {change:.2e})"),
        ));
    }
    Ok((grid, sweeps, change))
}

/// The adjoint PRC of `cycle` at θ_j = j/points. The cycle's steps must be a multiple of
/// `points` (locate it with `grid_multiple = points`). Cost: at most [`MAX_SWEEPS`] sweeps of
/// one RK4 step of a d-vector per cycle step, refused up front if the cycle attracts so weakly
/// that the sweeps would not converge within the cap.
pub fn adjoint_prc<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    points: usize,
) -> Result<PhaseResponse, CycleError> {
    let d = cycle.dim;
    if points == 0 || !cycle.steps.is_multiple_of(points) {
        return Err(CycleError::new(
            CycleErrorKind::Failed,
            format!(
                "the cycle's grid ({} steps) is not a multiple of {points} points: locate it for these points",
                cycle.steps
            ),
        ));
    }
    let contraction = cycle.contraction();
    // From the eigenvector start (assumed off by 1e-9 at worst) down to the tolerance.
    let needed = libm::log(SWEEP_TOLERANCE / 1e-9) / libm::log(contraction.max(1e-300));
    if needed > MAX_SWEEPS as f64 {
        return Err(CycleError::new(
            CycleErrorKind::OverBudget,
            format!(
                "the cycle attracts too weakly (Floquet multiplier modulus {contraction:.6}) for the adjoint sweeps to \
                 converge within {MAX_SWEEPS} sweeps (about {needed:.0} needed)"
            ),
        ));
    }
    let (grid, sweeps, sweep_change) = sweep(system, cycle)?;
    let normalisation_error = (0..=cycle.steps)
        .map(|k| (dot_field(system, cycle.state(k), &grid[k]) - 1.0).abs())
        .fold(0.0, f64::max);
    let stride = cycle.steps / points;
    Ok(PhaseResponse {
        dim: d,
        period: cycle.period,
        theta: (0..points).map(|j| j as f64 / points as f64).collect(),
        states: (0..points)
            .map(|j| cycle.state(j * stride).to_vec())
            .collect(),
        z: (0..points)
            .map(|j| grid[j * stride][..d].to_vec())
            .collect(),
        sweeps,
        sweep_change,
        normalisation_error,
    })
}
