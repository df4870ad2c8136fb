//! Measures the period of a periodic orbit from upward crossings of a Poincaré section.

use crate::rk4::{integrate, uniform_times};
use crate::system::System;

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

/// The period of the orbit through `initial`, measured by integrating on a fine grid until the
/// orbit has crossed the system's Poincaré section upwards at least twice. `time_hint` is the
/// first horizon tried (doubled up to 64 times over); `None` if the system has no section or the
/// orbit does not return.
pub fn measure_period<S: System + ?Sized>(
    system: &S,
    initial: &[f64],
    time_hint: f64,
) -> Option<f64> {
    let (coordinate, level) = system.poincare_section()?;
    let mut horizon = time_hint.max(1e-3);
    for _ in 0..7 {
        let times = uniform_times(horizon, 8001);
        let trajectory = integrate(system, initial, &times).ok()?;
        let values: Vec<f64> = trajectory.states.column(coordinate).to_vec();
        let crossings = upward_crossings(&times, &values, level);
        if let Some(p) = period_from_crossings(&crossings) {
            return Some(p);
        }
        horizon *= 2.0;
    }
    None
}
