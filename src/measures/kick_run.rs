//! One kick of the direct PRC ([`crate::measures::direct_prc`]) followed a bounded number of
//! steps at a time ([`KICK_CHUNK`] RK4 steps per unit of work), so the page can spread a kick
//! over frames and show how far it is. The same steps in the same order however the work is
//! sliced, so the same bits: [`kick_shift`](crate::measures::direct_prc::kick_shift) is this
//! run done in one go.

use crate::dynamics::cycle_error::{CycleError, CycleErrorKind};
use crate::dynamics::limit_cycle::LimitCycle;
use crate::dynamics::phase_event::reference_event_in_step;
use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;
use crate::work_units::in_units;

/// RK4 steps per unit of work.
pub const KICK_CHUNK: usize = 64;
/// Most periods integrated after one kick.
pub const MAX_PERIODS: usize = 400;

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

/// A kicked state followed until its phase settles, in progress.
pub struct KickRun {
    x: Vec<f64>,
    previous: Vec<f64>,
    stepper: Stepper,
    estimates: Vec<f64>,
    /// The next step's index.
    step: usize,
    /// Steps allowed ([`MAX_PERIODS`] periods) and expected (for the progress).
    max_steps: usize,
    expected_steps: f64,
    h: f64,
    period: f64,
    /// The kick's time after the cycle's θ = 0.
    start: f64,
    /// c/(1 − c), with c the cycle's contraction per period.
    factor: f64,
    tolerance: f64,
    outcome: Option<Result<KickShift, CycleError>>,
}

impl KickRun {
    /// Kicks the cycle's state at grid index `index` by `kick`; refuses an inadmissible kicked
    /// state. Nothing is integrated yet.
    pub fn new<S: System + ?Sized>(
        system: &S,
        cycle: &LimitCycle,
        index: usize,
        kick: &[f64],
        tolerance: f64,
    ) -> Result<Self, CycleError> {
        let x: Vec<f64> = cycle
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
        Ok(KickRun {
            stepper: Stepper::new(system, &x),
            previous: vec![0.0; cycle.dim],
            x,
            estimates: Vec::new(),
            step: 0,
            max_steps: MAX_PERIODS * cycle.steps,
            expected_steps: expected_periods(cycle, tolerance) * cycle.steps as f64,
            h: cycle.step(),
            period: cycle.period,
            start: cycle.time(index),
            factor: c / (1.0 - c),
            tolerance,
            outcome: None,
        })
    }

    /// Follows the kicked state until its phase settles (or fails) or until `out_of_time`
    /// (asked between units, after at least one) says to stop. Returns whether it is done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let pending = |run: &Self| run.outcome.is_none();
        in_units(self, pending, out_of_time, |run| run.chunk(system))
    }

    /// Up to [`KICK_CHUNK`] steps, and the failure when the last allowed step is taken unsettled.
    fn chunk<S: System + ?Sized>(&mut self, system: &S) {
        let end = self.max_steps.min(self.step + KICK_CHUNK);
        while self.outcome.is_none() && self.step < end {
            self.outcome = self.one_step(system);
            self.step += 1;
        }
        if self.outcome.is_none() && self.step >= self.max_steps {
            self.outcome = Some(Err(CycleError::new(
                CycleErrorKind::Failed,
                format!(
                    "the phase after the kick at θ = {:.4} had not settled to {:.0e} periods after {MAX_PERIODS} periods",
                    self.start / self.period,
                    self.tolerance
                ),
            )));
        }
    }

    /// The share of the work done, 0 to 1 (against the periods the cycle's contraction
    /// suggests; below 1 until done).
    pub fn progress(&self) -> f64 {
        if self.outcome.is_some() {
            return 1.0;
        }
        (self.step as f64 / self.expected_steps.max(1.0)).min(0.99)
    }

    /// Reference events after the kick so far.
    pub fn events(&self) -> usize {
        self.estimates.len()
    }

    /// The measured shift, or why there is none (runs to the end first if needed).
    pub fn finish<S: System + ?Sized>(mut self, system: &S) -> Result<KickShift, CycleError> {
        while !self.work(system, &mut || false) {}
        self.outcome.expect("worked to the end above")
    }

    /// Step number `self.step`; `Some` when the phase has settled or the state left the domain.
    fn one_step<S: System + ?Sized>(
        &mut self,
        system: &S,
    ) -> Option<Result<KickShift, CycleError>> {
        let (h, s) = (self.h, self.step);
        self.previous.copy_from_slice(&self.x);
        let rate = self.stepper.k1[0];
        self.stepper.step(system, &mut self.x, h);
        if let Err(m) = system.check_state(&self.x) {
            return Some(Err(CycleError::new(CycleErrorKind::Failed, m)));
        }
        if !(rate > 0.0 && self.stepper.k1[0] <= 0.0) {
            return None;
        }
        let tau = reference_event_in_step(system, &mut self.stepper.rk4, &self.previous, h);
        let event = self.start + s as f64 * h + tau;
        let estimate = wrap_phase(-event / self.period);
        let estimates = &mut self.estimates;
        estimates.push(estimate);
        // Two small steps in a row: one alone can be a chance crossing of an oscillating
        // approach (complex multipliers).
        let (factor, tolerance) = (self.factor, self.tolerance);
        let small = |w: &[f64]| wrap_phase(w[1] - w[0]).abs() * factor <= tolerance;
        let n = estimates.len();
        (n >= 3 && small(&estimates[n - 2..]) && small(&estimates[n - 3..n - 1])).then(|| {
            Ok(KickShift {
                theta: self.start / self.period,
                shift: estimate,
                estimates: std::mem::take(estimates),
            })
        })
    }
}
