//! The phase response as a measure along a trajectory on a limit cycle: |Z(θ(t))|, how far a
//! small kick at that moment shifts the clock for good (per unit kick, in time units). This is
//! the sensitivity that matters for the timing question (the paper's open question 4): where
//! |Z| is large, an intervention moves the rhythm most.
//!
//! The trajectory must already be on the cycle (a burn-in takes it there): each sample's phase is
//! θ(t) = θ₀ + t/T, with θ₀ the phase of the nearest point of the cycle to the first sample. A
//! trajectory still more than [`ON_CYCLE`] (relative) away from the cycle is refused, with the
//! advice to raise the burn-in.

use crate::dynamics::limit_cycle::{CycleRun, LimitCycle};
use crate::dynamics::rk4::Trajectory;
use crate::measures::phase_response::{AdjointRun, PhaseResponse};
use crate::systems::system::System;

/// Grid points of Z per period.
pub const PRC_POINTS: usize = 400;
/// Largest distance from the cycle, relative to the cycle's size, for a sample to count as on it.
pub const ON_CYCLE: f64 = 1e-3;

/// The grid index of the cycle point nearest to `x`, and the distance.
fn nearest_on_cycle(cycle: &LimitCycle, x: &[f64]) -> (usize, f64) {
    (0..cycle.steps)
        .map(|i| {
            let d2: f64 = cycle
                .state(i)
                .iter()
                .zip(x)
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            (i, d2.sqrt())
        })
        .fold(
            (0, f64::INFINITY),
            |best, c| if c.1 < best.1 { c } else { best },
        )
}

/// |Z(θ(t_i))| at every sample of `trajectory`: [`PhaseResponseRun`] in one go.
pub fn phase_response_along<S: System + ?Sized>(
    system: &S,
    trajectory: &Trajectory,
) -> Result<Vec<f64>, String> {
    PhaseResponseRun::new(system, trajectory).finish(system, trajectory)
}

/// [`phase_response_along`] a bounded unit at a time: the cycle ([`CycleRun`]), then its
/// adjoint ([`AdjointRun`]), then the values along the trajectory. The same bits however the
/// work is sliced.
pub struct PhaseResponseRun {
    stage: Stage,
}

enum Stage {
    Cycle(CycleRun),
    Adjoint(Box<LimitCycle>, AdjointRun),
    Ready(Result<(LimitCycle, PhaseResponse), String>),
}

impl PhaseResponseRun {
    /// Sets the run up from the trajectory's first state; nothing is integrated yet.
    pub fn new<S: System + ?Sized>(system: &S, trajectory: &Trajectory) -> Self {
        let start = trajectory.states.row(0).to_vec();
        let stage = match CycleRun::new(system, &start, PRC_POINTS) {
            Ok(run) => Stage::Cycle(run),
            Err(e) => Stage::Ready(Err(e.to_string())),
        };
        PhaseResponseRun { stage }
    }

    /// Works until the cycle and its adjoint are done or until `out_of_time` (asked between
    /// units, after at least one) says to stop. Returns whether they are done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        loop {
            let stage = std::mem::replace(&mut self.stage, Stage::Ready(Err(String::new())));
            self.stage = match stage {
                Stage::Cycle(mut run) => {
                    if !run.work(system, out_of_time) {
                        self.stage = Stage::Cycle(run);
                        return false;
                    }
                    match run.finish(system) {
                        Ok(cycle) => match AdjointRun::new(system, &cycle, PRC_POINTS) {
                            Ok(adjoint) => Stage::Adjoint(Box::new(cycle), adjoint),
                            Err(e) => Stage::Ready(Err(e.to_string())),
                        },
                        Err(e) => Stage::Ready(Err(e.to_string())),
                    }
                }
                Stage::Adjoint(cycle, mut run) => {
                    if !run.work(system, &cycle, out_of_time) {
                        self.stage = Stage::Adjoint(cycle, run);
                        return false;
                    }
                    Stage::Ready(
                        run.finish(system, &cycle)
                            .map(|prc| (*cycle, prc))
                            .map_err(|e| e.to_string()),
                    )
                }
                ready @ Stage::Ready(_) => {
                    self.stage = ready;
                    return true;
                }
            };
            if out_of_time() {
                return matches!(self.stage, Stage::Ready(_));
            }
        }
    }

    /// The share of the work done, 0 to 1: the cycle is the first half, the adjoint the rest.
    pub fn progress(&self) -> f64 {
        match &self.stage {
            Stage::Cycle(run) => 0.5 * run.progress(),
            Stage::Adjoint(cycle, run) => 0.5 + 0.5 * run.progress(cycle),
            Stage::Ready(_) => 1.0,
        }
    }

    /// |Z(θ(t_i))| at every sample of `trajectory` (the one given to `new`), doing whatever
    /// work is left first.
    pub fn finish<S: System + ?Sized>(
        mut self,
        system: &S,
        trajectory: &Trajectory,
    ) -> Result<Vec<f64>, String> {
        while !self.work(system, &mut || false) {}
        let Stage::Ready(ready) = self.stage else {
            unreachable!("worked to the end above")
        };
        let (cycle, prc) = ready?;
        values_along(&cycle, &prc, trajectory)
    }
}

/// |Z(θ(t_i))| along `trajectory`, refused when it is not on the cycle.
fn values_along(
    cycle: &LimitCycle,
    prc: &PhaseResponse,
    trajectory: &Trajectory,
) -> Result<Vec<f64>, String> {
    let start = trajectory.states.row(0).to_vec();
    let size = (0..cycle.steps)
        .flat_map(|i| cycle.state(i).iter().map(|v| v.abs()).collect::<Vec<_>>())
        .fold(0.0_f64, f64::max)
        .max(1e-12);
    let check = |x: &[f64]| {
        let (_, distance) = nearest_on_cycle(cycle, x);
        distance / size
    };
    let last = trajectory.states.row(trajectory.len() - 1).to_vec();
    let off = check(&start).max(check(&last));
    if off > ON_CYCLE {
        return Err(format!(
            "the trajectory is not on the limit cycle yet ({off:.1e} of the cycle's size away): raise the burn-in so that the transient is discarded"
        ));
    }
    let (i0, _) = nearest_on_cycle(cycle, &start);
    let theta0 = i0 as f64 / cycle.steps as f64;
    let t0 = trajectory.times[0];
    Ok(trajectory
        .times
        .iter()
        .map(|t| {
            let z = prc.z_at(theta0 + (t - t0) / cycle.period);
            z.iter().map(|v| v * v).sum::<f64>().sqrt()
        })
        .collect())
}
