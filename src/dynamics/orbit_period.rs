//! Measures the period of a periodic orbit from upward crossings of a Poincaré section.

use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;

/// Times at which `values` crosses `level` upwards, linearly interpolated between samples.
pub fn upward_crossings(times: &[f64], values: &[f64], level: f64) -> Vec<f64> {
    let mut out = Vec::new();
    for i in 1..values.len().min(times.len()) {
        let (a, b) = (values[i - 1] - level, values[i] - level);
        if a < 0.0 && b >= 0.0 {
            let frac = a / (a - b);
            out.push(times[i - 1] + frac * (times[i] - times[i - 1]));
        }
    }
    out
}

/// The mean gap between consecutive upward crossings, if there are at least two.
pub fn period_from_crossings(crossings: &[f64]) -> Option<f64> {
    (crossings.len() >= 2)
        .then(|| (crossings[crossings.len() - 1] - crossings[0]) / (crossings.len() - 1) as f64)
}

/// Sample intervals per `time_hint` when scanning for section crossings.
const SAMPLES_PER_HINT: usize = 4000;
/// The scan gives up (returns `None`) after this many multiples of `time_hint`: enough for two
/// crossings of the slowest default orbit in the shortest window (t_end = 2, period ≈ 8), and
/// a bounded cost (64 000 intervals) when the orbit never returns.
const MAX_HINTS: usize = 16;

/// The period of the orbit through `initial`: the time between its first two upward crossings of
/// the system's Poincaré section, located by linear interpolation on a grid of
/// `time_hint / 4000`. Integration runs forward once, with no restarts, until the second crossing
/// or `16 × time_hint`. `None` if the system has no section, the orbit does not return in that
/// time, or the integration fails.
pub fn measure_period<S: System + ?Sized>(
    system: &S,
    initial: &[f64],
    time_hint: f64,
) -> Option<f64> {
    let mut scan = PeriodScan::new(system, initial, time_hint);
    scan.work(system, &mut || false);
    scan.period()
}

/// [`measure_period`] a slice at a time (one unit: one grid interval), with the same result
/// however it is sliced: the page scans a long window over several frames.
pub struct PeriodScan {
    section: Option<(usize, f64)>,
    dt: f64,
    rk4: Rk4,
    state: Vec<f64>,
    first: Option<f64>,
    t: f64,
    before: f64,
    /// The next grid interval.
    next: usize,
    /// The result, once known.
    found: Option<Option<f64>>,
}

impl PeriodScan {
    /// Sets up the scan (nothing is integrated yet).
    pub fn new<S: System + ?Sized>(system: &S, initial: &[f64], time_hint: f64) -> Self {
        let section = system.poincare_section(initial);
        let before = section.map_or(0.0, |(c, level)| initial[c] - level);
        PeriodScan {
            section,
            dt: time_hint.max(1e-3) / SAMPLES_PER_HINT as f64,
            rk4: Rk4::new(system.dim()),
            state: initial.to_vec(),
            first: None,
            t: 0.0,
            before,
            next: 1,
            found: section.is_none().then_some(None),
        }
    }

    /// Scans until the period is known or until `out_of_time` (asked between grid intervals,
    /// after at least one) says to stop. Returns whether it is done.
    pub fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let Some((coordinate, level)) = self.section else {
            return true;
        };
        let mut first_unit = true;
        while self.found.is_none() {
            if !first_unit && out_of_time() {
                return false;
            }
            first_unit = false;
            if self.next > SAMPLES_PER_HINT * MAX_HINTS {
                self.found = Some(None);
                break;
            }
            let next_t = self.next as f64 * self.dt;
            if self
                .rk4
                .advance(system, &mut self.state, self.t, next_t)
                .is_err()
            {
                self.found = Some(None);
                break;
            }
            let after = self.state[coordinate] - level;
            if self.before < 0.0 && after >= 0.0 {
                let crossing = self.t + self.dt * self.before / (self.before - after);
                match self.first {
                    None => self.first = Some(crossing),
                    Some(t0) => {
                        self.found = Some(Some(crossing - t0));
                        break;
                    }
                }
            }
            (self.t, self.before) = (next_t, after);
            self.next += 1;
        }
        true
    }

    /// The share of the longest scan done, 0 to 1.
    pub fn progress(&self) -> f64 {
        match self.found {
            Some(_) => 1.0,
            None => (self.next - 1) as f64 / (SAMPLES_PER_HINT * MAX_HINTS) as f64,
        }
    }

    /// The period found (`None` while scanning, or when there is none).
    pub fn period(&self) -> Option<f64> {
        self.found.flatten()
    }
}
