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
use crate::dynamics::phase_event::reference_event_in_step;
use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;

/// Default settling tolerance, in periods.
pub const DEFAULT_TOLERANCE: f64 = 1e-8;
/// Most periods integrated after one kick.
pub const MAX_PERIODS: usize = 400;
/// Most RK4 steps one direct PRC may take, all kicks together: about 25 s of one native core
/// for Goodwin (0.5 µs a step, mostly libm's pow), less for Van der Pol.
pub const MAX_DIRECT_STEPS: f64 = 5e7;

/// RK4 with the arithmetic of [`Rk4::step`] (so the same bits), keeping f at the new state as
/// the next step's first stage: four evaluations of f per step, and dx₁/dt at every step for free.
struct Stepper {
    k1: Vec<f64>,
    k: [Vec<f64>; 3],
    tmp: Vec<f64>,
    /// For the event refinement.
    rk4: Rk4,
}

impl Stepper {
    fn new<S: System + ?Sized>(system: &S, x: &[f64]) -> Self {
        let d = x.len();
        let mut k1 = vec![0.0; d];
        system.vector_field(x, &mut k1);
        Stepper {
            k1,
            k: std::array::from_fn(|_| vec![0.0; d]),
            tmp: vec![0.0; d],
            rk4: Rk4::new(d),
        }
    }

    fn step<S: System + ?Sized>(&mut self, system: &S, state: &mut [f64], h: f64) {
        let [k2, k3, k4] = &mut self.k;
        let stage = |tmp: &mut [f64], k: &[f64], c: f64| {
            for ((t, s), k) in tmp.iter_mut().zip(state.iter()).zip(k) {
                *t = s + c * k;
            }
        };
        stage(&mut self.tmp, &self.k1, 0.5 * h);
        system.vector_field(&self.tmp, k2);
        stage(&mut self.tmp, k2, 0.5 * h);
        system.vector_field(&self.tmp, k3);
        stage(&mut self.tmp, k3, h);
        system.vector_field(&self.tmp, k4);
        for (i, s) in state.iter_mut().enumerate() {
            *s += h / 6.0 * (self.k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
        system.vector_field(state, &mut self.k1);
    }
}

/// The measured phase shift after one kick.
#[derive(Debug, Clone, PartialEq)]
pub struct KickShift {
    /// The phase θ ∈ [0, 1) of the kick.
    pub theta: f64,
    /// The asymptotic phase shift in periods, in (−½, ½]: advance > 0, delay < 0.
    pub shift: f64,
    /// The estimate at each reference event after the kick, in periods (the last is `shift`).
    pub estimates: Vec<f64>,
}

/// `x` wrapped to (−½, ½].
pub fn wrap_phase(x: f64) -> f64 {
    let w = x - libm::round(x);
    if w <= -0.5 {
        w + 1.0
    } else {
        w
    }
}

/// Periods the estimates need to settle from a shift of order 0.1 period down to `tolerance`
/// at the cycle's contraction, plus three (the first event and the two settled steps): the
/// basis of the cost estimate.
pub fn expected_periods(cycle: &LimitCycle, tolerance: f64) -> f64 {
    let c = cycle.contraction().max(1e-300);
    let bound = tolerance * (1.0 - c) / c;
    libm::ceil((libm::log(bound / 0.1) / libm::log(c)).max(1.0)) + 3.0
}

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
/// integrated until the estimates settle to `tolerance` periods (at most [`MAX_PERIODS`]).
pub fn kick_shift<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    index: usize,
    kick: &[f64],
    tolerance: f64,
) -> Result<KickShift, CycleError> {
    let d = cycle.dim;
    let (h, period) = (cycle.step(), cycle.period);
    let start = cycle.time(index);
    let mut x: Vec<f64> = cycle
        .state(index)
        .iter()
        .zip(kick)
        .map(|(a, b)| a + b)
        .collect();
    system.check_state(&x).map_err(|m| {
        CycleError::new(
            CycleErrorKind::InvalidKick,
            format!("the kicked state is not admissible: {m}"),
        )
    })?;
    let c = cycle.contraction();
    let factor = c / (1.0 - c);
    let mut stepper = Stepper::new(system, &x);
    let mut previous = vec![0.0; d];
    let mut estimates: Vec<f64> = Vec::new();
    for s in 0..MAX_PERIODS * cycle.steps {
        previous.copy_from_slice(&x);
        let rate = stepper.k1[0];
        stepper.step(system, &mut x, h);
        system
            .check_state(&x)
            .map_err(|m| CycleError::new(CycleErrorKind::Failed, m))?;
        if rate > 0.0 && stepper.k1[0] <= 0.0 {
            let tau = reference_event_in_step(system, &mut stepper.rk4, &previous, h);
            let event = start + s as f64 * h + tau;
            let estimate = wrap_phase(-event / period);
            estimates.push(estimate);
            // Two small steps in a row: one alone can be a chance crossing of an oscillating
            // approach (complex multipliers).
            let small = |w: &[f64]| wrap_phase(w[1] - w[0]).abs() * factor <= tolerance;
            let n = estimates.len();
            if n >= 3 && small(&estimates[n - 2..]) && small(&estimates[n - 3..n - 1]) {
                return Ok(KickShift {
                    theta: start / period,
                    shift: estimate,
                    estimates,
                });
            }
        }
    }
    Err(CycleError::new(
        CycleErrorKind::Failed,
        format!(
            "the phase after the kick at θ = {:.4} had not settled to {tolerance:.0e} periods after {MAX_PERIODS} periods",
            start / period
        ),
    ))
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
