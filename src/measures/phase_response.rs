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
use crate::work_units::in_units;

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

/// Jᵀ at the stored state `i` of the cycle and, for i < steps, at the midpoint of step i. The
/// midpoints are cubic Hermite interpolants (x_a + x_b)/2 + h(f_a − f_b)/8, accurate to O(h⁴)
/// like the stored states, so the adjoint can take the cycle's own step.
fn transposed_jacobians_at<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    i: usize,
) -> ([f64; 9], Option<[f64; 9]>) {
    let d = cycle.dim;
    let h = cycle.step();
    let at_state = transposed_jacobian(system, cycle.state(i));
    if i >= cycle.steps {
        return (at_state, None);
    }
    let (mut fa, mut fb, mut mid) = ([0.0; 3], [0.0; 3], [0.0; 3]);
    let (a, b) = (cycle.state(i), cycle.state(i + 1));
    system.vector_field(a, &mut fa[..d]);
    system.vector_field(b, &mut fb[..d]);
    for k in 0..d {
        mid[k] = 0.5 * (a[k] + b[k]) + h / 8.0 * (fa[k] - fb[k]);
    }
    (at_state, Some(transposed_jacobian(system, &mid[..d])))
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

/// The adjoint PRC of `cycle` at θ_j = j/points. The cycle's steps must be a multiple of
/// `points` (locate it with `grid_multiple = points`). Cost: at most [`MAX_SWEEPS`] sweeps of
/// one RK4 step of a d-vector per cycle step, refused up front if the cycle attracts so weakly
/// that the sweeps would not converge within the cap. [`AdjointRun`] in one go.
pub fn adjoint_prc<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    points: usize,
) -> Result<PhaseResponse, CycleError> {
    AdjointRun::new(system, cycle, points)?.finish(system, cycle)
}

/// Cycle steps per unit of work (Jacobians, or backward adjoint steps).
pub const ADJOINT_CHUNK: usize = 256;

/// [`adjoint_prc`] a bounded unit at a time: the Jacobians along the cycle, then the backward
/// sweeps, [`ADJOINT_CHUNK`] cycle steps per unit, so the page can spread it over frames. Z at
/// every step of the cycle comes from backward sweeps from Z(T), each normalised so that
/// Z(0)·f = 1 and restarted from its own Z(0), until the relative change is at most
/// [`SWEEP_TOLERANCE`]. The same arithmetic in the same order however it is sliced, so the
/// same bits.
pub struct AdjointRun {
    points: usize,
    /// The sweeps expected (for the progress).
    expected_sweeps: f64,
    /// Jᵀ at the cycle's states and at the midpoints of its steps.
    a: Vec<[f64; 9]>,
    mid: Vec<[f64; 9]>,
    grid: Vec<[f64; 3]>,
    next: Vec<[f64; 3]>,
    /// The next backward step of the current sweep is over [k − 1, k] (0: a sweep ends).
    k: usize,
    sweeps: usize,
    change: f64,
    outcome: Option<Result<(), CycleError>>,
}

impl AdjointRun {
    /// Checks the grid and that the sweeps can converge within [`MAX_SWEEPS`]; nothing is
    /// integrated yet.
    pub fn new<S: System + ?Sized>(
        system: &S,
        cycle: &LimitCycle,
        points: usize,
    ) -> Result<Self, CycleError> {
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
        let steps = cycle.steps;
        let mut grid = vec![[0.0; 3]; steps + 1];
        grid[steps] = initial_adjoint(system, cycle);
        Ok(AdjointRun {
            points,
            expected_sweeps: needed.max(0.0) + 2.0,
            a: Vec::with_capacity(steps + 1),
            mid: Vec::with_capacity(steps),
            next: grid.clone(),
            grid,
            k: 0,
            sweeps: 0,
            change: f64::INFINITY,
            outcome: None,
        })
    }

    /// Works until done or until `out_of_time` (asked between units, after at least one) says
    /// to stop. Returns whether it is done (a failure too: [`AdjointRun::finish`] says it).
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        cycle: &LimitCycle,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let pending = |run: &Self| run.outcome.is_none();
        in_units(self, pending, out_of_time, |run| {
            if run.a.len() <= cycle.steps {
                let end = (run.a.len() + ADJOINT_CHUNK).min(cycle.steps + 1);
                for i in run.a.len()..end {
                    let (at_state, at_mid) = transposed_jacobians_at(system, cycle, i);
                    run.a.push(at_state);
                    run.mid.extend(at_mid);
                }
            } else {
                run.sweep_chunk(system, cycle);
            }
        })
    }

    /// Up to [`ADJOINT_CHUNK`] backward steps of the current sweep (starting one when none is
    /// under way, ending it at step 0).
    fn sweep_chunk<S: System + ?Sized>(&mut self, system: &S, cycle: &LimitCycle) {
        let (steps, h, d) = (cycle.steps, cycle.step(), cycle.dim);
        if self.k == 0 {
            if !(self.sweeps < MAX_SWEEPS && self.change > SWEEP_TOLERANCE) {
                self.outcome = Some(if self.change > SWEEP_TOLERANCE {
                    Err(CycleError::new(
                        CycleErrorKind::Failed,
                        format!(
                            "the adjoint did not converge in {MAX_SWEEPS} sweeps (last relative change {:.2e})",
                            self.change
                        ),
                    ))
                } else {
                    Ok(())
                });
                return;
            }
            self.sweeps += 1;
            self.next[steps] = self.grid[steps];
            self.k = steps;
        }
        let (a, mid, next) = (&self.a, &self.mid, &mut self.next);
        let end = self.k.saturating_sub(ADJOINT_CHUNK);
        for k in (end..self.k).rev() {
            next[k] = backward_step([&a[k + 1], &mid[k], &a[k]], &next[k + 1], h, d);
        }
        self.k = end;
        if end > 0 {
            return;
        }
        let scale = dot_field(system, cycle.state(0), &next[0]);
        next.iter_mut().flatten().for_each(|v| *v /= scale);
        next[steps] = next[0];
        let size = next.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
        self.change = next
            .iter()
            .flatten()
            .zip(self.grid.iter().flatten())
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()))
            / size;
        std::mem::swap(&mut self.grid, &mut self.next);
    }

    /// The share of the work done, 0 to 1: the Jacobians are the first fifth, the sweeps (as
    /// many as the cycle's contraction suggests) the rest.
    pub fn progress(&self, cycle: &LimitCycle) -> f64 {
        if self.outcome.is_some() {
            return 1.0;
        }
        let jacobians = self.a.len() as f64 / (cycle.steps + 1) as f64;
        let in_sweep = if self.k == 0 {
            0.0
        } else {
            1.0 - self.k as f64 / cycle.steps as f64
        };
        let sweeps = ((self.sweeps as f64 - 1.0).max(0.0) + in_sweep) / self.expected_sweeps;
        0.2 * jacobians + 0.8 * sweeps.min(0.99)
    }

    /// The PRC, or why there is none (runs to the end first if needed).
    pub fn finish<S: System + ?Sized>(
        mut self,
        system: &S,
        cycle: &LimitCycle,
    ) -> Result<PhaseResponse, CycleError> {
        while !self.work(system, cycle, &mut || false) {}
        self.outcome.take().expect("worked to the end above")?;
        let (d, points, grid) = (cycle.dim, self.points, &self.grid);
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
            sweeps: self.sweeps,
            sweep_change: self.change,
            normalisation_error,
        })
    }
}
