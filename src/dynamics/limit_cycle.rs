//! Locates the attracting periodic orbit (limit cycle) of a 2-D or 3-D system and stores one
//! period of it on a uniform grid, with its phase origin at a stated reference event.
//!
//! 1. Refuse what has no limit cycle: a system with a conserved V (every orbit around a centre
//!    is closed, so a kick lands on another closed orbit with another period and the phase drifts
//!    forever), and a system that states no Poincaré section (no periodic orbit to follow, e.g.
//!    the chaotic Lorenz and Rössler systems).
//! 2. Integrate onto the cycle ([`crate::dynamics::cycle_transient`]): sample the orbit at
//!    steps sized by the Jacobian and wait until the upward crossings of the system's Poincaré
//!    section repeat (return time and crossing point both settle to
//!    [`SETTLE`](crate::dynamics::cycle_transient::SETTLE) of the period and of the orbit's
//!    size).
//! 3. Refine by Newton's method on the shooting equations x(T; x₀) − x₀ = 0 with the phase
//!    condition f₁(x₀) = 0 (the first variable at its maximum): unknowns x₀ and T, derivative
//!    from the variational equations (the monodromy matrix Φ(T) and f(x(T))).
//! 4. Check the result: a Floquet multiplier 1 along the flow, every other multiplier inside the
//!    unit circle by at least [`NEUTRAL_MARGIN`] (an attracting, isolated cycle), a non-zero
//!    amplitude, and x₀ the highest point of the first variable on the stored orbit.
//!
//! Everything after step 2 uses fixed RK4 steps h = T/N with N sized so that h·‖D⁻¹JD‖∞ ≤
//! [`STEP_SCALE`] at every sample of the transient's last turn (the scaling of
//! [`crate::dynamics::rk4`]), so the stored orbit is a fixed point of the same discrete map that
//! the phase-response code uses.

pub use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::cycle_transient::{Settled, TransientRun};
use crate::dynamics::floquet::multipliers;
pub use crate::dynamics::phase_event::REFERENCE_EVENT;
use crate::dynamics::rk4::Rk4;
use crate::dynamics::shooting::{ShootingRun, Shot};
use crate::systems::system::System;

/// Largest h·‖D⁻¹JD‖∞ of the fixed steps along the cycle.
pub const STEP_SCALE: f64 = 0.01;
/// Most fixed steps per period.
pub const MAX_STEPS_PER_PERIOD: usize = 200_000;
/// A cycle is attracting when every non-trivial Floquet multiplier has modulus ≤ 1 − this.
pub const NEUTRAL_MARGIN: f64 = 1e-4;

/// One period of a limit cycle on a uniform grid: `states` row i (of `steps + 1`) is the state
/// at t = i·T/steps after the reference event; the last row is the return to the first.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitCycle {
    pub dim: usize,
    /// The period T, in the system's time units.
    pub period: f64,
    /// Fixed RK4 steps per period (a multiple of the grid multiple asked for).
    pub steps: usize,
    /// Row-major, (steps + 1) × dim.
    pub states: Vec<f64>,
    /// The monodromy matrix Φ(T) at the reference point (row-major d×d in the first d² slots).
    pub monodromy: [f64; 9],
    /// The Floquet multipliers (eigenvalues of the monodromy matrix) as (re, im): the trivial
    /// one (≈ 1) first.
    pub multipliers: Vec<(f64, f64)>,
    /// max |x(T) − x(0)| of the stored orbit.
    pub closure_error: f64,
    /// Returns to the Poincaré section taken by the transient.
    pub transient_returns: usize,
    pub newton_iterations: usize,
}

impl LimitCycle {
    /// The fixed step h = T / steps.
    pub fn step(&self) -> f64 {
        self.period / self.steps as f64
    }
    /// The state at grid index `i` (0..=steps).
    pub fn state(&self, i: usize) -> &[f64] {
        &self.states[i * self.dim..(i + 1) * self.dim]
    }
    /// The time after the reference event of grid index `i`.
    pub fn time(&self, i: usize) -> f64 {
        self.period * i as f64 / self.steps as f64
    }
    /// The largest modulus of the non-trivial Floquet multipliers: the factor by which a
    /// perturbation off the cycle shrinks per period, at worst.
    pub fn contraction(&self) -> f64 {
        self.multipliers[1..]
            .iter()
            .map(|(re, im)| libm::hypot(*re, *im))
            .fold(0.0, f64::max)
    }
}

/// Locates the limit cycle reached from `initial` (steps 1–4 of the module comment). The number
/// of grid steps per period is a multiple of `grid_multiple`, so that the phases j/grid_multiple
/// fall on the grid. [`CycleRun`] in one go.
pub fn locate_limit_cycle<S: System + ?Sized>(
    system: &S,
    initial: &[f64],
    grid_multiple: usize,
) -> Result<LimitCycle, CycleError> {
    CycleRun::new(system, initial, grid_multiple)?.finish(system)
}

/// Fixed RK4 steps of the stored orbit per unit of work.
const STORE_CHUNK: usize = 512;

/// [`locate_limit_cycle`] a bounded unit at a time (a transient sample, a chunk of Newton's
/// variational steps, a chunk of the stored orbit), so the page can spread it over frames. The
/// same steps in the same order however it is sliced, so the same bits.
pub struct CycleRun {
    grid_multiple: usize,
    stage: Stage,
}

enum Stage {
    Transient(TransientRun),
    Shooting {
        run: ShootingRun,
        steps: usize,
        returns: usize,
    },
    Storing {
        shot: Shot,
        steps: usize,
        returns: usize,
        rk4: Rk4,
        x: Vec<f64>,
        states: Vec<f64>,
    },
    Done(Result<LimitCycle, CycleError>),
}

impl CycleRun {
    /// Refuses a system without a limit cycle (step 1); nothing is integrated yet.
    pub fn new<S: System + ?Sized>(
        system: &S,
        initial: &[f64],
        grid_multiple: usize,
    ) -> Result<Self, CycleError> {
        refuse_without_cycle(system, initial)?;
        let (coordinate, level) = system.poincare_section(initial).expect("checked above");
        Ok(CycleRun {
            grid_multiple: grid_multiple.max(1),
            stage: Stage::Transient(TransientRun::new(system, initial, coordinate, level)),
        })
    }

    /// Works until done or until `out_of_time` (asked between units, after at least one) says
    /// to stop. Returns whether it is done (a failure is done too: [`CycleRun::finish`] says it).
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let mut first = true;
        loop {
            if matches!(self.stage, Stage::Done(_)) {
                return true;
            }
            if !first && out_of_time() {
                return false;
            }
            first = false;
            let stage = std::mem::replace(&mut self.stage, Stage::Done(Err(unfinished())));
            let (next, completed) = self.advance(system, stage, out_of_time);
            self.stage = next;
            if !completed {
                return false;
            }
        }
    }

    /// The share of the work done, 0 to 1 (the transient's length is not known in advance:
    /// its share grows with the returns taken).
    pub fn progress(&self) -> f64 {
        match &self.stage {
            Stage::Transient(run) => {
                let returns = run.returns() as f64;
                0.3 * returns / (returns + 10.0)
            }
            Stage::Shooting { run, .. } => 0.3 + 0.5 * run.progress(),
            Stage::Storing {
                states, steps, x, ..
            } => 0.8 + 0.2 * (states.len() / x.len() - 1) as f64 / *steps as f64,
            Stage::Done(_) => 1.0,
        }
    }

    /// The located cycle, or why there is none (runs to the end first if needed).
    pub fn finish<S: System + ?Sized>(mut self, system: &S) -> Result<LimitCycle, CycleError> {
        while !self.work(system, &mut || false) {}
        match self.stage {
            Stage::Done(result) => result,
            _ => unreachable!("worked to the end above"),
        }
    }

    /// Works on `stage`: the next stage and `true`, or the same stage part done and `false`.
    fn advance<S: System + ?Sized>(
        &self,
        system: &S,
        stage: Stage,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> (Stage, bool) {
        let next = match stage {
            Stage::Transient(mut run) => {
                if !run.work(system, out_of_time) {
                    return (Stage::Transient(run), false);
                }
                match run.finish(system) {
                    Ok(settled) => match self.grid_steps(&settled) {
                        Ok(steps) => Stage::Shooting {
                            run: ShootingRun::new(system, &settled.start, settled.period, steps),
                            steps,
                            returns: settled.returns,
                        },
                        Err(e) => Stage::Done(Err(e)),
                    },
                    Err(e) => Stage::Done(Err(e)),
                }
            }
            Stage::Shooting {
                mut run,
                steps,
                returns,
            } => {
                if !run.work(system, out_of_time) {
                    return (
                        Stage::Shooting {
                            run,
                            steps,
                            returns,
                        },
                        false,
                    );
                }
                match run.finish(system) {
                    Ok(shot) => {
                        let d = system.dim();
                        let mut states = Vec::with_capacity((steps + 1) * d);
                        states.extend_from_slice(&shot.x0);
                        Stage::Storing {
                            x: shot.x0.clone(),
                            shot,
                            steps,
                            returns,
                            rk4: Rk4::new(d),
                            states,
                        }
                    }
                    Err(e) => Stage::Done(Err(e)),
                }
            }
            Stage::Storing {
                shot,
                steps,
                returns,
                mut rk4,
                mut x,
                mut states,
            } => {
                let d = x.len();
                let h = shot.period / steps as f64;
                let taken = states.len() / d - 1;
                for _ in taken..steps.min(taken + STORE_CHUNK) {
                    rk4.step(system, &mut x, h);
                    states.extend_from_slice(&x);
                }
                if states.len() / d - 1 < steps {
                    Stage::Storing {
                        shot,
                        steps,
                        returns,
                        rk4,
                        x,
                        states,
                    }
                } else {
                    Stage::Done(stored_cycle(system, shot, steps, returns, &x, states))
                }
            }
            done @ Stage::Done(_) => done,
        };
        (next, true)
    }

    /// The fixed steps per period from the settled transient, a multiple of the grid multiple.
    fn grid_steps(&self, settled: &Settled) -> Result<usize, CycleError> {
        let multiple = self.grid_multiple;
        let wanted = (settled.period * settled.max_norm / STEP_SCALE).ceil();
        if !(wanted.is_finite() && wanted <= MAX_STEPS_PER_PERIOD as f64) {
            return Err(CycleError::new(
                CycleErrorKind::OverBudget,
                format!(
                    "one period (T ≈ {:.4}) would need {wanted:.3e} RK4 steps; at most {MAX_STEPS_PER_PERIOD} are allowed",
                    settled.period
                ),
            ));
        }
        Ok((wanted as usize).div_ceil(multiple).max(1) * multiple)
    }
}

/// The placeholder while a stage is worked on (never seen outside [`CycleRun::work`]).
fn unfinished() -> CycleError {
    CycleError::new(CycleErrorKind::Failed, "the cycle run was interrupted")
}

/// The cycle from the stored orbit (x is its last state), checked (step 4).
fn stored_cycle<S: System + ?Sized>(
    system: &S,
    shot: Shot,
    steps: usize,
    returns: usize,
    x: &[f64],
    states: Vec<f64>,
) -> Result<LimitCycle, CycleError> {
    let d = x.len();
    let closure_error = (0..d)
        .map(|i| (x[i] - shot.x0[i]).abs())
        .fold(0.0, f64::max);
    let cycle = LimitCycle {
        dim: d,
        period: shot.period,
        steps,
        states,
        monodromy: shot.phi,
        multipliers: multipliers(&shot.phi, d),
        closure_error,
        transient_returns: returns,
        newton_iterations: shot.iterations,
    };
    check_cycle(system, &cycle)?;
    Ok(cycle)
}

/// Step 1: centres, systems without a section, and dimensions other than 2 and 3.
fn refuse_without_cycle<S: System + ?Sized>(system: &S, initial: &[f64]) -> Result<(), CycleError> {
    let name = system.name();
    if system.lyapunov().is_some() {
        return Err(CycleError::new(
            CycleErrorKind::Centre,
            format!(
                "{name} has a conserved quantity V, so every orbit around its centre is closed and none attracts: \
                 a kick moves the state onto another closed orbit with another period, and the phase then drifts \
                 forever instead of settling. There is no asymptotic phase, so no phase response curve \
                 (the period-shear view shows how the period changes from orbit to orbit instead)"
            ),
        ));
    }
    if system.poincare_section(initial).is_none() {
        return Err(CycleError::new(
            CycleErrorKind::NoLimitCycle,
            format!(
                "{name} has no periodic orbit to follow from this state (it states no Poincaré section; \
                 Lorenz and Rössler are chaotic at their defaults, and on a chaotic attractor the returns never \
                 repeat): without a period there is no phase, so no phase response curve"
            ),
        ));
    }
    if !(2..=3).contains(&system.dim()) {
        return Err(CycleError::new(
            CycleErrorKind::NoLimitCycle,
            format!(
                "limit cycles are located for 2-D and 3-D systems only; {name} is {}-D",
                system.dim()
            ),
        ));
    }
    system
        .check_state(initial)
        .map_err(|m| CycleError::new(CycleErrorKind::Failed, m))
}

/// Step 4: the located orbit is an attracting, isolated cycle with x₀ at the highest first
/// variable.
fn check_cycle<S: System + ?Sized>(system: &S, cycle: &LimitCycle) -> Result<(), CycleError> {
    let name = system.name();
    let no_cycle = |m: String| Err(CycleError::new(CycleErrorKind::NoLimitCycle, m));
    let (re, im) = cycle.multipliers[0];
    let x0 = cycle.state(0);
    let size = (0..cycle.dim)
        .map(|c| {
            let column = (0..=cycle.steps).map(|i| cycle.state(i)[c]);
            column.clone().fold(f64::MIN, f64::max) - column.fold(f64::MAX, f64::min)
        })
        .fold(0.0, f64::max);
    if size <= 1e-8 * (1.0 + x0.iter().fold(0.0_f64, |m, v| m.max(v.abs()))) {
        return no_cycle(format!(
            "{name} settles onto an equilibrium, not onto a limit cycle: there is no oscillation to shift"
        ));
    }
    if libm::hypot(re - 1.0, im) > 1e-5 {
        return no_cycle(format!(
            "the orbit found for {name} has no Floquet multiplier 1 (nearest {re:.6} {im:+.6}i): it is not a periodic orbit"
        ));
    }
    let contraction = cycle.contraction();
    if contraction > 1.0 - NEUTRAL_MARGIN {
        return no_cycle(format!(
            "the periodic orbit of {name} does not attract (largest non-trivial Floquet multiplier modulus {contraction:.6}): \
             kicked states do not return to it, so there is no asymptotic phase"
        ));
    }
    let highest = (0..=cycle.steps)
        .map(|i| cycle.state(i)[0])
        .fold(f64::MIN, f64::max);
    if highest - x0[0] > 1e-9 * size {
        return Err(CycleError::new(
            CycleErrorKind::Failed,
            format!(
                "the phase reference of {name} is a local, not the global, maximum of {} ({} < {highest})",
                system.state_names()[0],
                x0[0]
            ),
        ));
    }
    Ok(())
}
