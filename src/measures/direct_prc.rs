//! The finite-kick phase response curve by the direct method: at phase θ, kick the state on
//! the cycle by ε along one variable, integrate with the cycle's own fixed RK4 step, and time
//! every later reference event (the maximum of the first variable, refined within its step).
//! An event at time t after the cycle's θ = 0 gives the phase-shift estimate −t/T wrapped to
//! (−½, ½]: unkicked, the events fall on whole periods, so an event reached δ earlier than a
//! whole period is an advance of δ/T. The estimates converge geometrically, by the cycle's
//! largest non-trivial Floquet multiplier c per period; integration stops when the remaining
//! error bound |Δθ_e − Δθ_{e−1}|·c/(1 − c) is at most the tolerance at two events in a row.
//!
//! Sign convention: advance > 0 (the kicked oscillation runs ahead), delay < 0. The shift is
//! in periods (fraction of a cycle); times T for time units. For small ε it approaches
//! ε·Z_k(θ) (time units), Z from [`crate::measures::phase_response`].

use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::limit_cycle::LimitCycle;
use crate::measures::kick_run::KickRun;
pub use crate::measures::kick_run::{expected_periods, wrap_phase, KickShift, MAX_PERIODS};
use crate::systems::system::System;

/// Default settling tolerance, in periods.
pub const DEFAULT_TOLERANCE: f64 = 1e-8;
/// Most RK4 steps one direct PRC may take, all kicks together: about 25 s of one native core
/// for Goodwin (0.5 µs a step, mostly libm's pow), less for Van der Pol.
pub const MAX_DIRECT_STEPS: f64 = 5e7;

/// The RK4 steps a direct PRC at `points` phases is expected to take, or an error if a kick
/// would need more than [`MAX_PERIODS`] periods to settle or all of them more than
/// [`MAX_DIRECT_STEPS`] steps.
pub fn direct_cost(cycle: &LimitCycle, points: usize, tolerance: f64) -> Result<f64, CycleError> {
    let periods = expected_periods(cycle, tolerance);
    if periods.is_nan() || periods > MAX_PERIODS as f64 {
        return Err(CycleError::new(
            CycleErrorKind::OverBudget,
            format!(
                "the cycle attracts too weakly (Floquet multiplier modulus {:.4}) for a kick's phase to settle to \
                 {tolerance:.0e} periods within {MAX_PERIODS} periods (about {periods:.0} needed): loosen the tolerance",
                cycle.contraction()
            ),
        ));
    }
    let steps = points as f64 * periods * cycle.steps as f64;
    if steps > MAX_DIRECT_STEPS {
        return Err(CycleError::new(
            CycleErrorKind::OverBudget,
            format!(
                "{points} kicks, each followed for about {periods:.0} periods of {} steps, would take {steps:.2e} RK4 \
                 steps; at most {MAX_DIRECT_STEPS:.0e} are allowed: ask for fewer points or a looser tolerance",
                cycle.steps
            ),
        ));
    }
    Ok(steps)
}

/// The phase shift after kicking the cycle's state at grid index `index` by `kick`,
/// integrated until the estimates settle to `tolerance` periods (at most [`MAX_PERIODS`]):
/// [`KickRun`] in one go.
pub fn kick_shift<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    index: usize,
    kick: &[f64],
    tolerance: f64,
) -> Result<KickShift, CycleError> {
    KickRun::new(system, cycle, index, kick, tolerance)?.finish(system)
}

/// The direct PRC at θ_j = j/points: the shift after a kick of `epsilon` along `variable`.
/// The cycle's steps must be a multiple of `points` (locate it with `grid_multiple = points`).
/// The cost is checked against [`MAX_DIRECT_STEPS`] before any kick.
pub fn direct_prc<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    points: usize,
    variable: usize,
    epsilon: f64,
    tolerance: f64,
) -> Result<Vec<KickShift>, CycleError> {
    if variable >= cycle.dim || !epsilon.is_finite() || epsilon == 0.0 {
        return Err(CycleError::new(
            CycleErrorKind::InvalidKick,
            format!(
                "a kick needs a variable index below {} and a finite non-zero ε (got {variable} and {epsilon})",
                cycle.dim
            ),
        ));
    }
    if points == 0 || !cycle.steps.is_multiple_of(points) {
        return Err(CycleError::new(
            CycleErrorKind::Failed,
            format!(
                "the cycle's grid ({} steps) is not a multiple of {points} points: locate it for these points",
                cycle.steps
            ),
        ));
    }
    direct_cost(cycle, points, tolerance)?;
    let mut kick = vec![0.0; cycle.dim];
    kick[variable] = epsilon;
    (0..points)
        .map(|j| kick_shift(system, cycle, j * cycle.steps / points, &kick, tolerance))
        .collect()
}
