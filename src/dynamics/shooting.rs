//! Step 3 of [`crate::dynamics::limit_cycle`]: Newton's method on the shooting equations
//! x(T; x₀) − x₀ = 0 with the phase condition f₁(x₀) = 0 (the first variable at its maximum),
//! with `steps` fixed RK4 steps of T/steps; the derivative comes from the variational equations
//! (the monodromy matrix Φ(T) and f(x(T))). It runs [`SHOOTING_CHUNK`] variational steps at a
//! time, so the page can spread it over frames; the same steps in the same order however the
//! work is sliced, so the same bits.

use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::floquet::{solve, FlowRun};
use crate::systems::system::System;
use crate::work_units::in_units;

/// Most Newton iterations.
pub const MAX_NEWTON: usize = 30;
/// Variational RK4 steps per unit of work.
pub const SHOOTING_CHUNK: usize = 128;

/// The result of the shooting Newton iteration.
pub struct Shot {
    pub x0: Vec<f64>,
    pub period: f64,
    /// The monodromy matrix at the converged x₀.
    pub phi: [f64; 9],
    pub iterations: usize,
}

/// The Newton iteration in progress.
pub struct ShootingRun {
    steps: usize,
    x0: Vec<f64>,
    period: f64,
    iteration: usize,
    flow: FlowRun,
    outcome: Option<Result<Shot, CycleError>>,
}

impl ShootingRun {
    /// Starts from `start` and `period` (from the transient); nothing is integrated.
    pub fn new<S: System + ?Sized>(system: &S, start: &[f64], period: f64, steps: usize) -> Self {
        ShootingRun {
            steps,
            x0: start.to_vec(),
            period,
            iteration: 0,
            flow: FlowRun::new(system, start, period / steps as f64, steps),
            outcome: None,
        }
    }

    /// Works until converged (or failed) or until `out_of_time` (asked between units, after at
    /// least one) says to stop. Returns whether it is done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let pending = |run: &Self| run.outcome.is_none();
        in_units(self, pending, out_of_time, |run| {
            match run.flow.advance(system, SHOOTING_CHUNK) {
                Ok(true) => run.outcome = run.newton_step(system),
                Ok(false) => {}
                Err(m) => run.outcome = Some(Err(CycleError::new(CycleErrorKind::Failed, m))),
            }
        })
    }

    /// The share of the work done, 0 to 1 (Newton usually converges in a few iterations: each
    /// halves what is left).
    pub fn progress(&self) -> f64 {
        if self.outcome.is_some() {
            return 1.0;
        }
        1.0 - libm::exp2(-(self.iteration as f64 + self.flow.progress()))
    }

    /// The converged orbit, or why there is none (runs to the end first if needed).
    pub fn finish<S: System + ?Sized>(mut self, system: &S) -> Result<Shot, CycleError> {
        while !self.work(system, &mut || false) {}
        self.outcome.expect("worked to the end above")
    }

    /// The flow of this iteration is done: converged, or the next iterate and its flow.
    fn newton_step<S: System + ?Sized>(&mut self, system: &S) -> Option<Result<Shot, CycleError>> {
        let d = system.dim();
        let n = d + 1;
        let (x_end, phi) = match self.flow.result(system) {
            Ok(r) => r,
            Err(m) => return Some(Err(CycleError::new(CycleErrorKind::Failed, m))),
        };
        let (mut f_start, mut f_end, mut jac) = (vec![0.0; d], vec![0.0; d], [0.0; 9]);
        let x0 = &mut self.x0;
        system.vector_field(x0, &mut f_start);
        system.vector_field(&x_end, &mut f_end);
        system.jacobian(x0, &mut jac[..d * d]);
        let mut r: Vec<f64> = (0..d).map(|i| x_end[i] - x0[i]).collect();
        r.push(f_start[0]);
        let residual = r.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let scale = 1.0 + x0.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if residual <= 1e-11 * scale {
            return Some(Ok(Shot {
                x0: x0.clone(),
                period: self.period,
                phi,
                iterations: self.iteration,
            }));
        }
        let mut a = vec![0.0; n * n];
        for i in 0..d {
            for j in 0..d {
                a[i * n + j] = phi[i * d + j] - if i == j { 1.0 } else { 0.0 };
            }
            a[i * n + d] = f_end[i];
            a[d * n + i] = jac[i];
        }
        let Some(delta) = solve(a, r.iter().map(|v| -v).collect()) else {
            return Some(Err(CycleError::new(
                CycleErrorKind::NoLimitCycle,
                "the shooting equations are singular: the orbit found is not an isolated periodic orbit \
                 (an equilibrium, or a family of closed orbits)",
            )));
        };
        x0.iter_mut().zip(&delta).for_each(|(x, dx)| *x += dx);
        self.period += delta[d];
        self.iteration += 1;
        if !(self.period.is_finite() && self.period > 0.0) || self.iteration >= MAX_NEWTON {
            return Some(Err(CycleError::new(
                CycleErrorKind::Failed,
                format!(
                    "Newton's method on the periodic orbit did not converge in {MAX_NEWTON} iterations (last residual {residual:.2e})"
                ),
            )));
        }
        self.flow = FlowRun::new(
            system,
            &self.x0,
            self.period / self.steps as f64,
            self.steps,
        );
        None
    }
}
