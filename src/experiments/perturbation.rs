//! The paper's proposed check (§5): perturb the clean state at the highest- and the
//! lowest-attention time by ε along the orbit normal n = Jf/|f|, integrate both perturbed states
//! and the unperturbed one forward over a horizon, and compare how far they drift apart.
//!
//! For Lotka–Volterra a normal kick moves the state to a neighbouring closed orbit, changing V by
//! ε·∂V/∂n = ε·|∇V| to first order. Neighbouring orbits have different periods, so the deviation
//! grows roughly linearly in time: where V is steep, the same ε lands on an orbit further away.

use crate::analysis::metrics::{argmax, argmin};
use crate::dynamics::rk4::{integrate, uniform_times};
use crate::lab::session::Session;
use crate::measures::normal_derivative::orbit_normal;
use crate::systems::system::System;
use serde::Serialize;

/// Samples of each deviation curve.
pub const CURVE_SAMPLES: usize = 200;

/// Default kick size. Small, because the default orbit passes within 0.06 of the prey axis,
/// where n points at the axis; the deviation is linear in ε for small ε, so the ratio between
/// two points does not depend on it.
pub const DEFAULT_EPSILON: f64 = 1e-3;

/// One perturbation: where, by how much, and what followed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Perturbation {
    /// Sample index and time of the perturbed point.
    pub index: usize,
    pub t: f64,
    pub state: [f64; 2],
    pub attention: f64,
    /// Times after the kick, 0 ..= horizon.
    pub times: Vec<f64>,
    /// ‖perturbed(t) − unperturbed(t)‖.
    pub deviation: Vec<f64>,
    /// V(perturbed) − V(unperturbed), exactly, and its first-order value ε·∂V/∂n.
    pub delta_v: Option<f64>,
    pub delta_v_first_order: Option<f64>,
}

impl Perturbation {
    pub fn final_deviation(&self) -> f64 {
        self.deviation.last().copied().unwrap_or(f64::NAN)
    }
}

/// A kick that could not be made, and why (e.g. it would push a population below 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedKick {
    /// "high-attention" or "low-attention".
    pub point: &'static str,
    pub index: usize,
    pub t: f64,
    pub reason: String,
}

/// Both perturbations and their ratio. A kick that fails (it leaves the state's domain, or the
/// kicked orbit cannot be integrated) is reported in `skipped` and the other is still made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerturbationExperiment {
    pub epsilon: f64,
    pub horizon: f64,
    pub high_attention: Option<Perturbation>,
    pub low_attention: Option<Perturbation>,
    pub skipped: Vec<SkippedKick>,
    /// Final deviation after a kick at the low-attention point over that at the high-attention
    /// point, when both were made. Above 1: perturbations where attention is low grow more (the
    /// paper's expectation).
    pub ratio_low_over_high: Option<f64>,
}

/// What follows a kick along the normal: the deviation curve and the change in V.
#[derive(Debug, Clone, PartialEq)]
pub struct KickCurve {
    pub times: Vec<f64>,
    pub deviation: Vec<f64>,
    pub delta_v: Option<f64>,
    pub delta_v_first_order: Option<f64>,
}

/// Kicks `state` by ε along the orbit normal and integrates kicked and unkicked states over
/// `horizon`.
pub fn perturb_along_normal<S: System + ?Sized>(
    system: &S,
    state: [f64; 2],
    epsilon: f64,
    horizon: f64,
) -> Result<KickCurve, String> {
    let mut f = [0.0; 2];
    system.vector_field(&state, &mut f);
    let n = orbit_normal(f).ok_or("the state is an equilibrium: the orbit normal is undefined")?;
    let kicked = [state[0] + epsilon * n[0], state[1] + epsilon * n[1]];
    system.check_state(&kicked).map_err(|e| {
        format!(
            "the kicked state ({:.4}, {:.4}) leaves the system's domain: {e}",
            kicked[0], kicked[1]
        )
    })?;
    let times = uniform_times(horizon, CURVE_SAMPLES + 1);
    let base = integrate(system, &state, &times).map_err(|e| e.to_string())?;
    let moved =
        integrate(system, &kicked, &times).map_err(|e| format!("the perturbed orbit: {e}"))?;
    let deviation = base
        .states
        .rows()
        .into_iter()
        .zip(moved.states.rows())
        .map(|(a, b)| libm::hypot(a[0] - b[0], a[1] - b[1]))
        .collect();
    let (delta_v, first_order) = match system.lyapunov() {
        Some(v) => {
            let mut grad = [0.0; 2];
            v.gradient(&state, &mut grad);
            let dv_dn = grad[0] * n[0] + grad[1] * n[1];
            (
                Some(v.value(&kicked) - v.value(&state)),
                Some(epsilon * dv_dn),
            )
        }
        None => (None, None),
    };
    Ok(KickCurve {
        times,
        deviation,
        delta_v,
        delta_v_first_order: first_order,
    })
}

/// Perturbation at sample `index` of the session's clean trajectory.
pub fn perturb_at(
    session: &Session,
    index: usize,
    epsilon: f64,
    horizon: f64,
) -> Result<Perturbation, String> {
    let clean = session.clean();
    if clean.ncols() != 2 {
        return Err(format!(
            "the normal-kick experiment needs a 2-D system (an orbit normal); {} is {}-D. The FTLE measure covers it",
            session.config().system,
            clean.ncols()
        ));
    }
    if index >= clean.nrows() {
        return Err(format!(
            "no sample {index}: the trajectory has {}",
            clean.nrows()
        ));
    }
    let state = [clean[[index, 0]], clean[[index, 1]]];
    let t = session.times()[index];
    let KickCurve { times, deviation, delta_v, delta_v_first_order } =
        perturb_along_normal(session.system(), state, epsilon, horizon)
            .map_err(|e| format!("a kick of ε = {epsilon} at t = {t:.3} (x = {:.3}, y = {:.3}) fails: {e}; try a smaller ε", state[0], state[1]))?;
    Ok(Perturbation {
        index,
        t,
        state,
        attention: session.attention()[index],
        times,
        deviation,
        delta_v,
        delta_v_first_order,
    })
}

/// The experiment at the session's argmax and argmin attention. `horizon` defaults to one
/// measured period (or t_end when the period is unknown).
pub fn attention_perturbation(
    session: &Session,
    epsilon: f64,
    horizon: Option<f64>,
) -> Result<PerturbationExperiment, String> {
    if !(epsilon.is_finite() && epsilon > 0.0) {
        return Err(format!(
            "epsilon must be a positive finite number, got {epsilon}"
        ));
    }
    let horizon = horizon
        .or(session.period())
        .unwrap_or(session.config().t_end);
    if !(horizon.is_finite() && horizon > 0.0) {
        return Err(format!(
            "horizon must be a positive finite number, got {horizon}"
        ));
    }
    let attention = session.attention();
    let (hi, lo) = (
        argmax(attention).ok_or("no attention")?,
        argmin(attention).ok_or("no attention")?,
    );
    if hi == lo || attention[hi] == attention[lo] {
        return Err(
            "attention is uniform: there is no highest- or lowest-attention point yet".into(),
        );
    }
    let mut skipped = Vec::new();
    let mut kick =
        |point: &'static str, index: usize| match perturb_at(session, index, epsilon, horizon) {
            Ok(p) => Some(p),
            Err(reason) => {
                skipped.push(SkippedKick {
                    point,
                    index,
                    t: session.times()[index],
                    reason,
                });
                None
            }
        };
    let high_attention = kick("high-attention", hi);
    let low_attention = kick("low-attention", lo);
    let ratio_low_over_high = match (&high_attention, &low_attention) {
        (Some(h), Some(l)) => Some(l.final_deviation() / h.final_deviation()),
        _ => None,
    };
    Ok(PerturbationExperiment {
        epsilon,
        horizon,
        high_attention,
        low_attention,
        skipped,
        ratio_low_over_high,
    })
}
