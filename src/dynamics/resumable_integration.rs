//! [`integrate`](super::rk4::integrate) a slice at a time: the same substeps in the same order,
//! so the trajectory is bit-identical however the work is sliced. The page builds a long orbit
//! over several animation frames with it; `integrate` runs it to the end in one call.

use super::rk4::{IntegrationError, Rk4, Trajectory};
use crate::systems::system::System;
use crate::work_units::try_in_units;
use ndarray::Array2;

/// An integration through `times` in progress: one unit of work is one output interval.
pub struct IntegrationRun {
    rk4: Rk4,
    state: Vec<f64>,
    times: Vec<f64>,
    states: Array2<f64>,
    /// The next output row to fill.
    next: usize,
}

impl IntegrationRun {
    /// Checks the start and the times (non-decreasing) and fills row 0; nothing is integrated.
    pub fn new<S: System + ?Sized>(
        system: &S,
        initial: &[f64],
        times: &[f64],
    ) -> Result<Self, IntegrationError> {
        let d = system.dim();
        assert_eq!(initial.len(), d, "initial state has the wrong dimension");
        let t_start = times.first().copied().unwrap_or(0.0);
        system
            .check_state(initial)
            .map_err(|message| IntegrationError {
                t: t_start,
                message,
            })?;
        if let Some(w) = times
            .windows(2)
            .find(|w| w[1].partial_cmp(&w[0]).is_none_or(|o| o.is_lt()))
        {
            return Err(IntegrationError {
                t: w[0],
                message: format!("times must be non-decreasing ({} then {})", w[0], w[1]),
            });
        }
        let mut states = Array2::zeros((times.len(), d));
        if let Some(mut row) = states.rows_mut().into_iter().next() {
            row.iter_mut().zip(initial).for_each(|(o, s)| *o = *s);
        }
        Ok(IntegrationRun {
            rk4: Rk4::new(d),
            state: initial.to_vec(),
            times: times.to_vec(),
            states,
            next: 1,
        })
    }

    /// Integrates output interval after output interval until the end or until `out_of_time`
    /// (asked between intervals, after at least one) says to stop. Returns whether it is done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<bool, IntegrationError> {
        let pending = |run: &Self| run.next < run.times.len();
        try_in_units(self, pending, out_of_time, |run| {
            let i = run.next;
            run.rk4
                .advance(system, &mut run.state, run.times[i - 1], run.times[i])?;
            run.states
                .row_mut(i)
                .iter_mut()
                .zip(&run.state)
                .for_each(|(o, s)| *o = *s);
            run.next += 1;
            Ok(())
        })
    }

    /// The share of the output intervals integrated, 0 to 1.
    pub fn progress(&self) -> f64 {
        let total = self.times.len().saturating_sub(1);
        if total == 0 {
            1.0
        } else {
            (self.next - 1) as f64 / total as f64
        }
    }

    /// The trajectory (call once [`IntegrationRun::work`] has returned `true`).
    pub fn finish(self) -> Trajectory {
        debug_assert!(self.next >= self.times.len(), "the integration is not done");
        Trajectory {
            times: self.times,
            states: self.states,
        }
    }
}
