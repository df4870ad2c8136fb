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
use crate::measures::ftle::ftle_series;
use crate::measures::normal_derivative::{normal_derivative, normal_derivative_along};
use crate::measures::normal_growth::normal_growth_series;
use crate::measures::phase_response_along::phase_response_along;
use crate::systems::catalogue::SystemKind;
use crate::systems::system::System;

crate::named_kind! {
    /// The sensitivity measures, by their CLI/URL names.
    pub enum Measure ("measure") {
        #[default]
        NormalDerivative => "dv-dn",
        Ftle => "ftle",
        NormalGrowth => "normal-growth",
        PhaseResponse => "prc",
    }
}

crate::named_kind! {
    /// Where the measure is taken: at the clean states (the default: the orbit the data come
    /// from) or at the observed, noisy states (what the model actually scores).
    pub enum MeasureAt ("place to measure") {
        #[default]
        Clean => "clean",
        Observed => "observed",
    }
}

impl MeasureAt {
    /// Whether `measure` can be taken here; the error says why not.
    pub fn check(self, measure: Measure) -> Result<(), String> {
        match (self, measure) {
            (MeasureAt::Observed, Measure::Ftle | Measure::NormalGrowth) => Err(format!(
                "{measure} follows the clean orbit for a time τ, so it is defined along the clean states only; at the observed states use dv-dn"
            )),
            (MeasureAt::Observed, Measure::PhaseResponse) => Err(format!(
                "{measure} is defined on the limit cycle, so along the clean states only; at the observed states use dv-dn"
            )),
            _ => Ok(()),
        }
    }
}

impl Measure {
    /// Short symbol for axes and tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "∂V/∂n",
            Measure::Ftle => "FTLE",
            Measure::NormalGrowth => "normal growth",
            Measure::PhaseResponse => "|Z| (phase response)",
        }
    }

    /// A plain-words reading of a high value, for the verdict ("… where V is steep").
    pub fn high_means(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "V is steep",
            Measure::Ftle => "nearby trajectories separate fast",
            Measure::NormalGrowth => "kicks off the orbit grow",
            Measure::PhaseResponse => "a kick shifts the rhythm most",
        }
    }

    /// … and of a low value ("… where V is flat").
    pub fn low_means(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "V is flat",
            Measure::Ftle => "nearby trajectories stay close",
            Measure::NormalGrowth => "kicks off the orbit shrink",
            Measure::PhaseResponse => "a kick barely shifts the rhythm",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Measure::NormalDerivative => "∂V/∂n = ∇V·Jf/|f|: how steeply the conserved V changes across the orbit (the paper's measure; only where V exists)",
            Measure::Ftle => "finite-time Lyapunov exponent (1/τ) ln σ_max Φ(t, t+τ) from the tangent-linear equations: how fast the most-stretched small perturbation grows over the horizon τ",
            Measure::NormalGrowth => "(1/τ) ln |n(t+τ)·Φ(t, t+τ) n(t)|: growth rate of a small kick along the orbit normal, over τ (2-D systems)",
            Measure::PhaseResponse => "|Z(θ)|, the infinitesimal phase response of the limit cycle (adjoint method): how far a small kick at that moment shifts the rhythm for good, per unit kick (limit cycles only)",
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
            Measure::PhaseResponse if !system.has_limit_cycle() => Err(format!(
                "the phase response needs an attracting limit cycle, and {system} has {}: use ftle",
                if system.has_lyapunov() {
                    "a conserved V (a centre: a kick moves the state to an orbit with another period, so the phase drifts forever)"
                } else {
                    "none (its orbits are chaotic)"
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
        matches!(self, Measure::Ftle | Measure::NormalGrowth)
    }

    /// The measure at every sample of `trajectory` (in one go; [`MeasureRun`] computes the same
    /// values a slice at a time).
    ///
    /// [`MeasureRun`]: crate::measures::measure_run::MeasureRun
    pub fn along<S: System + ?Sized>(
        self,
        system: &S,
        trajectory: &Trajectory,
        tau: f64,
    ) -> Result<Vec<f64>, String> {
        match self {
            Measure::Ftle => {
                ftle_series(system, trajectory, tau).map_err(|e| self.horizon_error(tau, e))
            }
            Measure::NormalGrowth => normal_growth_series(system, trajectory, tau),
            Measure::NormalDerivative | Measure::PhaseResponse => self
                .at_once(system, trajectory)
                .expect("a one-pass measure"),
        }
    }

    /// The measures computed in one pass along the trajectory (∂V/∂n, the phase response);
    /// `None` for those that integrate the tangent system over a horizon.
    pub(crate) fn at_once<S: System + ?Sized>(
        self,
        system: &S,
        trajectory: &Trajectory,
    ) -> Option<Result<Vec<f64>, String>> {
        match self {
            // |∇V·n|: n = Jf/|f| points to increasing V on counter-clockwise orbits (Lotka–Volterra)
            // and to decreasing V on clockwise ones (the pendulum); the magnitude is the steepness
            // the paper's claim is about, with one orientation for every system.
            Measure::NormalDerivative => Some(
                normal_derivative_along(system, trajectory)
                    .map(|values| values.into_iter().map(f64::abs).collect())
                    .ok_or_else(|| "∂V/∂n is not defined for this system".to_string()),
            ),
            Measure::PhaseResponse => Some(phase_response_along(system, trajectory)),
            Measure::Ftle | Measure::NormalGrowth => None,
        }
    }

    /// The message for a failure integrating the tangent system over the horizon `tau`.
    pub(crate) fn horizon_error(self, tau: f64, e: impl std::fmt::Display) -> String {
        match self {
            Measure::NormalGrowth => format!("normal growth over τ = {tau}: {e}"),
            _ => format!("FTLE over τ = {tau}: {e}"),
        }
    }
}

/// |∂V/∂n| at each observed state where V is defined (the state is admissible for the system),
/// NaN elsewhere (e.g. a population observed at or below 0).
pub fn normal_derivative_at_observed<S: System + ?Sized>(
    system: &S,
    observations: &ndarray::Array2<f64>,
) -> Result<Vec<f64>, String> {
    if system.lyapunov().is_none() || system.dim() != 2 {
        return Err("∂V/∂n is not defined for this system".into());
    }
    Ok(observations
        .rows()
        .into_iter()
        .map(|row| {
            let state = row.as_slice().expect("rows are contiguous");
            match system.check_state(state) {
                Ok(()) => normal_derivative(system, state).map_or(f64::NAN, f64::abs),
                Err(_) => f64::NAN,
            }
        })
        .collect())
}
