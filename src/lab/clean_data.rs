//! The clean side of a session: everything that depends only on the system and the initial
//! condition (or an imported series): the trajectory, ∂V/∂n, the sensitivity measure and the
//! period.

use crate::dynamics::orbit_period::measure_period;
use crate::dynamics::rk4::{integrate, Trajectory};
use crate::lab::config::Config;
use crate::lab::session_error::SessionError;
use crate::measures::measure::{normal_derivative_at_observed, Measure, MeasureAt};
use crate::observations::csv_import::ImportedSeries;
use crate::systems::system::System;
use ndarray::Array2;

/// The clean side: everything that depends only on the system and the initial condition.
pub(crate) struct CleanData {
    pub(crate) system: Box<dyn System>,
    pub(crate) trajectory: Trajectory,
    pub(crate) dv_dn: Option<Vec<f64>>,
    /// The config's sensitivity measure along the trajectory.
    pub(crate) sensitivity: Vec<f64>,
    pub(crate) period: Option<f64>,
}

impl CleanData {
    /// A copy (the system rebuilt from `config`, which must be the config this was built from
    /// up to the noise).
    pub(crate) fn duplicate(&self, config: &Config) -> Result<Self, SessionError> {
        Ok(CleanData {
            system: config
                .system
                .build(config.system_values())
                .map_err(SessionError::Integration)?,
            trajectory: self.trajectory.clone(),
            dv_dn: self.dv_dn.clone(),
            sensitivity: self.sensitivity.clone(),
            period: self.period,
        })
    }

    /// The config's sensitivity measure along the trajectory, or at `observations` when the
    /// config measures at the observed states.
    pub(crate) fn measured(
        &self,
        config: &Config,
        observations: Option<&Array2<f64>>,
    ) -> Result<Vec<f64>, SessionError> {
        if let (MeasureAt::Observed, Some(observed)) = (config.measure_at, observations) {
            return normal_derivative_at_observed(self.system.as_ref(), observed)
                .map_err(SessionError::Integration);
        }
        Ok(match (config.measure, &self.dv_dn) {
            (Measure::NormalDerivative, Some(dv_dn)) => dv_dn.clone(),
            (measure, _) => measure
                .along(self.system.as_ref(), &self.trajectory, config.tau)
                .map_err(SessionError::Integration)?,
        })
    }
}

/// Where the observations come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum DataSource {
    /// The config's trajectory, plus seeded Gaussian noise.
    #[default]
    Simulated,
    /// A series imported from a file. The observations are the file's. The training target and
    /// the curve on which sensitivity is measured are the file's clean states if it has them,
    /// and otherwise the config's system, with its current rates, through the first
    /// observation, sampled at the file's times.
    Imported(Box<ImportedSeries>),
}

/// The state at t = 0 of the window: the initial state carried through the burn-in.
pub fn window_start<S: System + ?Sized>(system: &S, config: &Config) -> Result<Vec<f64>, String> {
    if config.burn_in <= 0.0 {
        return Ok(config.initial_state().to_vec());
    }
    let through = integrate(system, config.initial_state(), &[0.0, config.burn_in])
        .map_err(|e| format!("the transient (burn_in = {}): {e}", config.burn_in))?;
    Ok(through.states.row(1).to_vec())
}

/// `config` with t_end set to `k` whole periods of its orbit, so that no part of the orbit is
/// sampled twice and weighs double in the correlations. An error when the orbit has no
/// measurable period (chaos, a rotating pendulum, an equilibrium).
pub fn with_whole_periods(config: &Config, k: u32) -> Result<Config, String> {
    let system = config.system.build(config.system_values())?;
    let start = window_start(system.as_ref(), config)?;
    let period = measure_period(system.as_ref(), &start, config.t_end)
        .ok_or_else(|| format!("the orbit of {} has no measurable period", config.system))?;
    let mut next = config.clone();
    next.t_end = f64::from(k.max(1)) * period;
    Ok(next)
}
