//! The ground-truth sensitivity measures that attention is compared against, along the clean
//! trajectory:
//!
//! - `dv-dn`: ∂V/∂n = ∇V·n with n = Jf/|f|, the paper's measure (systems with a conserved V);
//! - `ftle`: the finite-time Lyapunov exponent (1/τ) ln σ_max(Φ(t, t+τ)), for every system;
//! - `normal-growth`: (1/τ) ln |n(t+τ)·Φ(t, t+τ) n(t)|, the growth rate of a small kick along the
//!   orbit normal, measured along the normal where it lands (2-D systems).
//!
//! For all three, a large value means "sensitive here", so the paper's claim (attention is high
//! where V is flat) reads as a negative correlation between attention and the measure.

use crate::dynamics::rk4::Trajectory;
use crate::measures::ftle::{ftle_series, Propagators};
use crate::measures::normal_derivative::{normal_derivative_along, orbit_normal};
use crate::systems::catalogue::SystemKind;
use crate::systems::system::System;

crate::named_kind! {
    /// The sensitivity measures, by their CLI/URL names.
    pub enum Measure ("measure") {
        #[default]
        NormalDerivative => "dv-dn",
        Ftle => "ftle",
        NormalGrowth => "normal-growth",
    }
}

impl Measure {
    /// Short symbol for axes and tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "∂V/∂n",
            Measure::Ftle => "FTLE",
            Measure::NormalGrowth => "normal growth",
        }
    }

    /// A plain-words reading of a high value, for the verdict ("… where V is steep").
    pub fn high_means(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "V is steep",
            Measure::Ftle => "nearby trajectories separate fast",
            Measure::NormalGrowth => "kicks off the orbit grow",
        }
    }

    /// … and of a low value ("… where V is flat").
    pub fn low_means(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "V is flat",
            Measure::Ftle => "nearby trajectories stay close",
            Measure::NormalGrowth => "kicks off the orbit shrink",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "∂V/∂n = ∇V·Jf/|f|: how steeply the conserved V changes across the orbit (the paper's measure; only where V exists)",
            Measure::Ftle => "finite-time Lyapunov exponent (1/τ) ln σ_max Φ(t, t+τ) from the tangent-linear equations: how fast the most-stretched small perturbation grows over the horizon τ",
            Measure::NormalGrowth => "(1/τ) ln |n(t+τ)·Φ(t, t+τ) n(t)|: growth rate of a small kick along the orbit normal, over τ (2-D systems)",
        }
    }

    /// Whether the measure is defined for a system; the error says why not.
    pub fn check(self, system: SystemKind) -> Result<(), String> {
        match self {
            Measure::NormalDerivative if !system.has_lyapunov() => Err(format!(
                "∂V/∂n needs a conserved V, and {system} has none: use ftle{}",
                if system.dim() == 2 {
                    " or normal-growth"
                } else {
                    ""
                }
            )),
            Measure::NormalGrowth if system.dim() != 2 => Err(format!(
                "normal-growth needs a 2-D system (an orbit normal), and {system} is {}-D: use ftle",
                system.dim()
            )),
            _ => Ok(()),
        }
    }

    /// The measures defined for a system.
    pub fn available(system: SystemKind) -> impl Iterator<Item = Measure> {
        Measure::ALL
            .into_iter()
            .filter(move |m| m.check(system).is_ok())
    }

    /// ∂V/∂n where V exists, FTLE otherwise.
    pub fn default_for(system: SystemKind) -> Measure {
        if system.has_lyapunov() {
            Measure::NormalDerivative
        } else {
            Measure::Ftle
        }
    }

    /// Whether the measure depends on the horizon τ.
    pub fn uses_horizon(self) -> bool {
        !matches!(self, Measure::NormalDerivative)
    }

    /// The measure at every sample of `trajectory`.
    pub fn along<S: System + ?Sized>(
        self,
        system: &S,
        trajectory: &Trajectory,
        tau: f64,
    ) -> Result<Vec<f64>, String> {
        match self {
            // |∇V·n|: n = Jf/|f| points to increasing V on counter-clockwise orbits (Lotka–Volterra)
            // and to decreasing V on clockwise ones (the pendulum); the magnitude is the steepness
            // the paper's claim is about, with one orientation for every system.
            Measure::NormalDerivative => normal_derivative_along(system, trajectory)
                .map(|values| values.into_iter().map(f64::abs).collect())
                .ok_or_else(|| "∂V/∂n is not defined for this system".to_string()),
            Measure::Ftle => ftle_series(system, trajectory, tau)
                .map_err(|e| format!("FTLE over τ = {tau}: {e}")),
            Measure::NormalGrowth => normal_growth_series(system, trajectory, tau),
        }
    }
}

/// (1/τ) ln |n_j·Φ(t_i, t_j) n_i| at every sample, with t_j the first time at least τ later.
pub fn normal_growth_series<S: System + ?Sized>(
    system: &S,
    trajectory: &Trajectory,
    tau: f64,
) -> Result<Vec<f64>, String> {
    if system.dim() != 2 {
        return Err("normal growth is defined for 2-D systems only".into());
    }
    let propagators = Propagators::along(system, trajectory, tau)
        .map_err(|e| format!("normal growth over τ = {tau}: {e}"))?;
    let normal_at = |k: usize| {
        let mut f = [0.0; 2];
        system.vector_field(&propagators.states[2 * k..2 * k + 2], &mut f);
        orbit_normal(f)
    };
    let mut out = vec![0.0; trajectory.len()];
    let mut missing = None;
    propagators.windows(trajectory.len(), tau, |i, j, phi| {
        match (normal_at(i), normal_at(j)) {
            (Some(a), Some(b)) => {
                let kicked = [phi[0] * a[0] + phi[1] * a[1], phi[2] * a[0] + phi[3] * a[1]];
                let along = (b[0] * kicked[0] + b[1] * kicked[1]).abs().max(1e-300);
                let span = propagators.times[j] - propagators.times[i];
                out[i] = libm::log(along) / span;
            }
            _ => {
                missing.get_or_insert(propagators.times[i]);
            }
        }
    });
    match missing {
        Some(t) => Err(format!(
            "normal growth is undefined at t = {t:.4}: the trajectory sits on an equilibrium (f = 0, no orbit normal)"
        )),
        None if out.iter().any(|v| !v.is_finite()) => Err(format!(
            "normal growth over τ = {tau}: the kicked perturbation grew beyond the range of f64: shorten τ"
        )),
        None => Ok(out),
    }
}
