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
    let (coordinate, level) = system.poincare_section(initial)?;
    let dt = time_hint.max(1e-3) / SAMPLES_PER_HINT as f64;
    let mut rk4 = Rk4::new(system.dim());
    let mut state = initial.to_vec();
    let mut first = None;
    let (mut t, mut before) = (0.0, state[coordinate] - level);
    for i in 1..=SAMPLES_PER_HINT * MAX_HINTS {
        let next_t = i as f64 * dt;
        rk4.advance(system, &mut state, t, next_t).ok()?;
        let after = state[coordinate] - level;
        if before < 0.0 && after >= 0.0 {
            let crossing = t + dt * before / (before - after);
            match first {
                None => first = Some(crossing),
                Some(t0) => return Some(crossing - t0),
            }
        }
        (t, before) = (next_t, after);
    }
    None
}
