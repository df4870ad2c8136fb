//! [`Measure::along`] a slice at a time. The FTLE and normal growth integrate the tangent-linear
//! equations over every sampling interval ([`PropagatorRun`]), which for a long chaotic orbit
//! takes far longer than an animation frame; the page spreads that over frames. The values are
//! bit-identical however the work is sliced, and `Measure::along` is this run done in one go.
//! The phase response locates the limit cycle and integrates its adjoint in bounded units too
//! ([`PhaseResponseRun`]); ∂V/∂n is computed in one unit (the first call to `work`).

use crate::dynamics::rk4::Trajectory;
use crate::measures::ftle::{ftle_from, PropagatorRun};
use crate::measures::measure::Measure;
use crate::measures::normal_growth::normal_growth_from;
use crate::measures::phase_response_along::PhaseResponseRun;
use crate::systems::system::System;

/// A measure along a trajectory, in progress.
pub struct MeasureRun {
    measure: Measure,
    tau: f64,
    stage: Stage,
}

enum Stage {
    /// Nothing computed yet: the one-unit measure (∂V/∂n) waits for the first call to `work`.
    Waiting,
    /// The phase response's cycle and adjoint, in progress.
    Phase(Box<PhaseResponseRun>),
    Propagating(PropagatorRun),
    /// The propagators are done; the values follow in `finish`.
    Integrated(PropagatorRun),
    Done(Result<Vec<f64>, String>),
}

impl MeasureRun {
    /// Sets the measure up along `trajectory`; a refusal known before any work (a horizon or
    /// a series too long to follow) is kept and returned by [`MeasureRun::finish`].
    pub fn new<S: System + ?Sized>(
        measure: Measure,
        system: &S,
        trajectory: &Trajectory,
        tau: f64,
    ) -> MeasureRun {
        let stage = match measure {
            Measure::NormalGrowth if system.dim() != 2 => {
                Stage::Done(Err("normal growth is defined for 2-D systems only".into()))
            }
            Measure::Ftle | Measure::NormalGrowth => {
                match PropagatorRun::new(system, trajectory, tau) {
                    Ok(run) => Stage::Propagating(run),
                    Err(e) => Stage::Done(Err(measure.horizon_error(tau, e))),
                }
            }
            Measure::PhaseResponse => {
                Stage::Phase(Box::new(PhaseResponseRun::new(system, trajectory)))
            }
            Measure::NormalDerivative => Stage::Waiting,
        };
        MeasureRun {
            measure,
            tau,
            stage,
        }
    }

    /// Works until done or until `out_of_time` (asked between units, after at least one) says
    /// to stop. Returns whether it is done (an error is done too: [`MeasureRun::finish`] says it).
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        trajectory: &Trajectory,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let stage = std::mem::replace(&mut self.stage, Stage::Waiting);
        self.stage = match stage {
            Stage::Waiting => Stage::Done(
                self.measure
                    .at_once(system, trajectory)
                    .expect("set up with its propagators otherwise"),
            ),
            Stage::Phase(mut run) => {
                if run.work(system, out_of_time) {
                    Stage::Done(run.finish(system, trajectory))
                } else {
                    Stage::Phase(run)
                }
            }
            Stage::Propagating(mut run) => match run.work(system, out_of_time) {
                Ok(true) => Stage::Integrated(run),
                Ok(false) => Stage::Propagating(run),
                Err(e) => Stage::Done(Err(self.measure.horizon_error(self.tau, e))),
            },
            done => done,
        };
        !matches!(self.stage, Stage::Propagating(_) | Stage::Phase(_))
    }

    /// The share of the work done, 0 to 1.
    pub fn progress(&self) -> f64 {
        match &self.stage {
            Stage::Waiting => 0.0,
            Stage::Propagating(run) => run.progress(),
            Stage::Phase(run) => run.progress(),
            Stage::Integrated(_) | Stage::Done(_) => 1.0,
        }
    }

    /// The values at every sample of `trajectory` (the one given to `new`), doing whatever work
    /// is left first.
    pub fn finish<S: System + ?Sized>(
        mut self,
        system: &S,
        trajectory: &Trajectory,
    ) -> Result<Vec<f64>, String> {
        while !self.work(system, trajectory, &mut || false) {}
        match self.stage {
            Stage::Done(result) => result,
            Stage::Integrated(run) => {
                let propagators = run.finish();
                match self.measure {
                    Measure::Ftle => ftle_from(&propagators, trajectory, self.tau)
                        .map_err(|e| self.measure.horizon_error(self.tau, e)),
                    _ => normal_growth_from(system, &propagators, trajectory, self.tau),
                }
            }
            Stage::Waiting | Stage::Phase(_) | Stage::Propagating(_) => {
                unreachable!("worked to the end above")
            }
        }
    }
}
