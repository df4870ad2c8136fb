//! The forward sensitivity equations: the state x and its derivatives S = ∂x/∂p with respect to
//! the parameters p = (rates, initial state), integrated together along the trajectory:
//!
//! x' = f(x; r),  S' = J(x)·S + [∂f/∂r | 0],  x(t₀) = x₀,  S(t₀) = [0 | I].
//!
//! RK4 applied to this augmented system gives exactly the derivative of the RK4 solution for x
//! (differentiation commutes with the explicit Runge–Kutta stages when the step sizes are held
//! fixed), so the gradient of the fit's objective is that of the objective the optimizer sees,
//! not an approximation of it. The steps are sized from J on the x block only, so the x part is
//! bit-identical to a plain solve (`with_sensitivities = false`).
//!
//! Each output interval is cut into pieces of at most 1/[`PIECES_PER_SPAN`] of the whole time
//! span, and the RK4 substeps are re-sized from the local Jacobian at every piece: the data's
//! own spacing (yearly counts, say) may be far coarser than the dynamics.

use crate::dynamics::rk4::{IntegrationError, Rk4};
use crate::systems::system::System;
use std::cell::Cell;

/// The time span is cut into at least this many pieces (see the module doc).
pub const PIECES_PER_SPAN: usize = 200;
/// Largest state dimension and number of rates the sensitivity equations are written for.
pub const MAX_DIM: usize = 3;
pub const MAX_RATES: usize = 8;
/// One solve may take at most this many RK4 substeps; a parameter guess that needs more
/// (an orbit blowing up, or dynamics far faster than the data) is refused rather than followed.
/// The fit lowers the cap further to a multiple of what its current point needs.
pub const MAX_STEPS_PER_SOLVE: usize = 200_000;

/// A solution sampled at the data times, with its sensitivities when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// State dimension d.
    pub dim: usize,
    /// Parameters P = rates + d (0 without sensitivities).
    pub params: usize,
    /// n × d states, row-major.
    pub states: Vec<f64>,
    /// n × d × P sensitivities ∂x_i(t)/∂p_k, row-major (empty without sensitivities).
    pub sensitivities: Vec<f64>,
    /// RK4 substeps taken.
    pub steps: usize,
}

impl Solution {
    /// State `i` at time index `t`.
    pub fn state(&self, t: usize, i: usize) -> f64 {
        self.states[t * self.dim + i]
    }

    /// ∂x_i(t)/∂p_k for all k, at time index `t`.
    pub fn sensitivity(&self, t: usize, i: usize) -> &[f64] {
        let start = (t * self.dim + i) * self.params;
        &self.sensitivities[start..start + self.params]
    }
}

/// The augmented system (x, S), or x alone when `params` is 0. It counts its substeps and
/// refuses to go past [`MAX_STEPS_PER_SOLVE`].
struct Augmented<'a> {
    system: &'a dyn System,
    dim: usize,
    rates: usize,
    params: usize,
    /// Vector-field evaluations so far (four per RK4 substep).
    evaluations: Cell<usize>,
    max_steps: usize,
}

impl System for Augmented<'_> {
    fn name(&self) -> &'static str {
        "sensitivities"
    }
    fn dim(&self) -> usize {
        self.dim + self.dim * self.params
    }
    fn state_names(&self) -> &'static [&'static str] {
        self.system.state_names()
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        self.evaluations.set(self.evaluations.get() + 1);
        let (d, r, p) = (self.dim, self.rates, self.params);
        let (x, sens) = s.split_at(d);
        self.system.vector_field(x, &mut out[..d]);
        if p == 0 {
            return;
        }
        let mut j = [0.0; MAX_DIM * MAX_DIM];
        let mut fr = [0.0; MAX_DIM * MAX_RATES];
        self.system.jacobian(x, &mut j[..d * d]);
        self.system.rate_jacobian(x, &mut fr[..d * r]);
        for i in 0..d {
            for k in 0..p {
                let mut acc = if k < r { fr[i * r + k] } else { 0.0 };
                for m in 0..d {
                    acc += j[i * d + m] * sens[m * p + k];
                }
                out[d + i * p + k] = acc;
            }
        }
    }
    /// For step sizing only: J on the x block, zero elsewhere (as the FTLE's tangent system),
    /// so that the substeps, and with them the x part, are those of a plain solve.
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let d = self.dim;
        let n = self.dim();
        out.iter_mut().for_each(|v| *v = 0.0);
        let mut j = [0.0; MAX_DIM * MAX_DIM];
        self.system.jacobian(&s[..d], &mut j[..d * d]);
        for r in 0..d {
            out[r * n..r * n + d].copy_from_slice(&j[r * d..r * d + d]);
        }
    }
    fn check_state(&self, s: &[f64]) -> Result<(), String> {
        let steps = self.evaluations.get() / 4;
        if steps > self.max_steps {
            return Err(format!(
                "the orbit needs more than {} RK4 steps at these parameters",
                self.max_steps
            ));
        }
        self.system.check_state(&s[..self.dim])?;
        match s[self.dim..].iter().all(|v| v.is_finite()) {
            true => Ok(()),
            false => Err("the sensitivities overflowed".into()),
        }
    }
}

/// Solves from `initial` at `times[0]` (strictly increasing times) and samples at every time;
/// with `with_sensitivities`, also S = ∂x/∂(rates, initial state). `rates` is the number of
/// rates the system's [`System::rate_jacobian`] reports. More than `max_steps` RK4 substeps
/// (at most [`MAX_STEPS_PER_SOLVE`]) is an error.
///
/// # Panics
/// If the system is larger than [`MAX_DIM`] or has more than [`MAX_RATES`] rates, or the
/// initial state has the wrong length (the fit problem checks all three first).
pub fn solve(
    system: &dyn System,
    rates: usize,
    initial: &[f64],
    times: &[f64],
    with_sensitivities: bool,
    max_steps: usize,
) -> Result<Solution, IntegrationError> {
    let d = system.dim();
    assert!(d <= MAX_DIM && rates <= MAX_RATES && initial.len() == d);
    let params = if with_sensitivities { rates + d } else { 0 };
    let augmented = Augmented {
        system,
        dim: d,
        rates,
        params,
        evaluations: Cell::new(0),
        max_steps: max_steps.min(MAX_STEPS_PER_SOLVE),
    };
    let t0 = times.first().copied().unwrap_or(0.0);
    let mut state = vec![0.0; augmented.dim()];
    state[..d].copy_from_slice(initial);
    for i in 0..d {
        if params > 0 {
            state[d + i * params + rates + i] = 1.0;
        }
    }
    augmented
        .check_state(&state)
        .map_err(|message| IntegrationError { t: t0, message })?;
    let span = times.last().map_or(0.0, |t| t - t0);
    let piece = span / PIECES_PER_SPAN as f64;
    let mut rk4 = Rk4::new(augmented.dim());
    let mut states = Vec::with_capacity(times.len() * d);
    let mut sensitivities = Vec::with_capacity(times.len() * d * params);
    for (k, &t) in times.iter().enumerate() {
        if k > 0 {
            let a = times[k - 1];
            let pieces = ((t - a) / piece).ceil().max(1.0) as usize;
            for q in 0..pieces {
                let from = a + (t - a) * q as f64 / pieces as f64;
                let to = if q + 1 == pieces {
                    t
                } else {
                    a + (t - a) * (q + 1) as f64 / pieces as f64
                };
                rk4.advance(&augmented, &mut state, from, to)?;
            }
        }
        states.extend_from_slice(&state[..d]);
        sensitivities.extend_from_slice(&state[d..]);
    }
    Ok(Solution {
        dim: d,
        params,
        states,
        sensitivities,
        steps: augmented.evaluations.get() / 4,
    })
}
