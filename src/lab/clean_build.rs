//! Building the clean side of a session (`CleanData`) a slice at a time, so that the page can
//! spread a long orbit and its FTLE over animation frames: the transient and the start, the
//! trajectory (one output interval per unit), ∂V/∂n (one unit), the period (one grid interval of
//! its scan per unit), then the sensitivity measure (one sampling interval per unit for the FTLE
//! and normal growth). The result is bit-identical however the work is sliced: `build_clean`
//! is this build run in one go.

use crate::dynamics::orbit_period::PeriodScan;
use crate::dynamics::resumable_integration::IntegrationRun;
use crate::dynamics::rk4::{uniform_times, Trajectory};
use crate::lab::clean_data::{window_start, CleanData, DataSource};
use crate::lab::config::Config;
use crate::lab::session_error::SessionError;
use crate::measures::measure::Measure;
use crate::measures::measure_run::MeasureRun;
use crate::systems::system::System;

/// A [`CleanData`] in the making. See the module documentation.
pub(crate) struct CleanBuild {
    config: Config,
    system: Box<dyn System>,
    stage: Stage,
}

enum Stage {
    /// The simulated orbit's start is not known yet (the burn-in is one unit of work).
    Start {
        times: Vec<f64>,
    },
    /// Integrating the trajectory; `first` is the imported series' first observation when the
    /// target runs through it (for the error message).
    Integrating {
        run: IntegrationRun,
        first: Option<Vec<f64>>,
    },
    /// The trajectory is known: ∂V/∂n (one unit) is next.
    Integrated(Trajectory),
    /// Scanning for the period (one grid interval per unit).
    Period {
        trajectory: Trajectory,
        dv_dn: Option<Vec<f64>>,
        scan: PeriodScan,
    },
    Measuring {
        clean: CleanData,
        run: MeasureRun,
    },
    Done(CleanData),
    Failed(SessionError),
}

impl CleanBuild {
    /// Sets up the build of `config`'s clean side from `source`; the checks that need no
    /// integration are done here.
    pub(crate) fn new(config: &Config, source: &DataSource) -> Result<Self, SessionError> {
        let system = build_system(config)?;
        let stage = match source {
            DataSource::Simulated => Stage::Start {
                times: uniform_times(config.t_end, config.n),
            },
            DataSource::Imported(series) => match &series.clean {
                Some(clean) => Stage::Integrated(Trajectory {
                    times: series.times.clone(),
                    states: clean.clone(),
                }),
                None => {
                    let first = series.observations.row(0).to_vec();
                    match IntegrationRun::new(system.as_ref(), &first, &series.times) {
                        Ok(run) => Stage::Integrating {
                            run,
                            first: Some(first),
                        },
                        Err(e) => Stage::Failed(through_first_error(config, &first, e)),
                    }
                }
            },
        };
        Ok(CleanBuild {
            config: config.clone(),
            system,
            stage,
        })
    }

    /// A new sensitivity measure (`config`'s) on an existing clean side: only the measure is
    /// computed; the trajectory, ∂V/∂n and the period are `clean`'s.
    pub(crate) fn remeasure(config: &Config, clean: &CleanData) -> Result<Self, SessionError> {
        let mut build = CleanBuild {
            config: config.clone(),
            system: build_system(config)?,
            stage: Stage::Integrated(empty()),
        };
        let copy = CleanData {
            system: build_system(config)?,
            trajectory: clean.trajectory.clone(),
            dv_dn: clean.dv_dn.clone(),
            sensitivity: Vec::new(),
            period: clean.period,
        };
        build.stage = build.measuring(copy);
        Ok(build)
    }

    /// The measure stage for `clean` (its trajectory, ∂V/∂n and period known). Measured at
    /// the observations, the sensitivity is the session's to compute (cheap); here it is the
    /// value along the clean states, as [`CleanData::measured`] gives it without observations.
    fn measuring(&self, mut clean: CleanData) -> Stage {
        match (self.config.measure, &clean.dv_dn) {
            (Measure::NormalDerivative, Some(dv_dn)) => {
                clean.sensitivity = dv_dn.clone();
                Stage::Done(clean)
            }
            (measure, _) => {
                let run = MeasureRun::new(
                    measure,
                    self.system.as_ref(),
                    &clean.trajectory,
                    self.config.tau,
                );
                Stage::Measuring { clean, run }
            }
        }
    }

    /// Works until done or until `out_of_time` (asked between units, after at least one) says
    /// to stop. Returns whether it is done (a failure is done too; [`CleanBuild::finish`] says
    /// why).
    pub(crate) fn work(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        let mut first = true;
        loop {
            if matches!(self.stage, Stage::Done(_) | Stage::Failed(_)) {
                return true;
            }
            if !first && out_of_time() {
                return false;
            }
            first = false;
            let stage = std::mem::replace(&mut self.stage, Stage::Integrated(empty()));
            let (next, completed) = self.advance(stage, out_of_time);
            self.stage = next;
            if !completed {
                return false;
            }
        }
    }

    /// Works on `stage`: returns the next stage and `true`, or the same stage part done and
    /// `false` when `out_of_time` stopped it.
    fn advance(&self, stage: Stage, out_of_time: &mut dyn FnMut() -> bool) -> (Stage, bool) {
        let next = match stage {
            Stage::Start { times } => match window_start(self.system.as_ref(), &self.config) {
                Ok(start) => match IntegrationRun::new(self.system.as_ref(), &start, &times) {
                    Ok(run) => Stage::Integrating { run, first: None },
                    Err(e) => Stage::Failed(SessionError::Integration(e.to_string())),
                },
                Err(e) => Stage::Failed(SessionError::Integration(e)),
            },
            Stage::Integrating { mut run, first } => {
                match run.work(self.system.as_ref(), out_of_time) {
                    Ok(true) => Stage::Integrated(run.finish()),
                    Ok(false) => {
                        return (Stage::Integrating { run, first }, false);
                    }
                    Err(e) => Stage::Failed(match first {
                        Some(first) => through_first_error(&self.config, &first, e),
                        None => SessionError::Integration(e.to_string()),
                    }),
                }
            }
            Stage::Integrated(trajectory) => {
                let system = self.system.as_ref();
                // |∂V/∂n| where V exists: the same values as the dv-dn measure.
                let dv_dn = Measure::NormalDerivative
                    .along(system, &trajectory, self.config.tau)
                    .ok();
                let initial = trajectory.states.row(0).to_vec();
                let span = trajectory.times.last().unwrap_or(&1.0) - trajectory.times[0];
                let scan = PeriodScan::new(system, &initial, span);
                Stage::Period {
                    trajectory,
                    dv_dn,
                    scan,
                }
            }
            Stage::Period {
                trajectory,
                dv_dn,
                mut scan,
            } => {
                if !scan.work(self.system.as_ref(), out_of_time) {
                    return (
                        Stage::Period {
                            trajectory,
                            dv_dn,
                            scan,
                        },
                        false,
                    );
                }
                let clean = CleanData {
                    system: build_system(&self.config).expect("built once already"),
                    trajectory,
                    dv_dn,
                    sensitivity: Vec::new(),
                    period: scan.period(),
                };
                self.measuring(clean)
            }
            Stage::Measuring { mut clean, mut run } => {
                let system = self.system.as_ref();
                if run.work(system, &clean.trajectory, out_of_time) {
                    match run.finish(system, &clean.trajectory) {
                        Ok(values) => {
                            clean.sensitivity = values;
                            Stage::Done(clean)
                        }
                        Err(e) => Stage::Failed(SessionError::Integration(e)),
                    }
                } else {
                    return (Stage::Measuring { clean, run }, false);
                }
            }
            done @ (Stage::Done(_) | Stage::Failed(_)) => done,
        };
        (next, true)
    }

    /// The share of the work done, 0 to 1: the trajectory is the first tenth, the period scan
    /// the second, the measure the rest.
    pub(crate) fn progress(&self) -> f64 {
        match &self.stage {
            Stage::Start { .. } => 0.0,
            Stage::Integrating { run, .. } => 0.1 * run.progress(),
            Stage::Integrated(_) => 0.1,
            Stage::Period { scan, .. } => 0.1 + 0.1 * scan.progress(),
            Stage::Measuring { run, .. } => 0.2 + 0.8 * run.progress(),
            Stage::Done(_) | Stage::Failed(_) => 1.0,
        }
    }

    /// What is being computed, for a progress message: "the orbit" or the measure's name.
    pub(crate) fn doing(&self) -> &'static str {
        match &self.stage {
            Stage::Measuring { .. } => self.config.measure.symbol(),
            _ => "the orbit",
        }
    }

    /// The clean side, doing whatever work is left first.
    pub(crate) fn finish(mut self) -> Result<CleanData, SessionError> {
        while !self.work(&mut || false) {}
        match self.stage {
            Stage::Done(clean) => Ok(clean),
            Stage::Failed(e) => Err(e),
            _ => unreachable!("worked to the end above"),
        }
    }
}

fn empty() -> Trajectory {
    Trajectory {
        times: Vec::new(),
        states: ndarray::Array2::zeros((0, 0)),
    }
}

fn through_first_error(config: &Config, first: &[f64], e: impl std::fmt::Display) -> SessionError {
    SessionError::Integration(format!(
        "the {} target through the first observation {first:?} cannot be computed: {e}",
        config.system
    ))
}

fn build_system(config: &Config) -> Result<Box<dyn System>, SessionError> {
    config
        .system
        .build(config.system_values())
        .map_err(SessionError::Integration)
}

/// Builds `config`'s clean side from `source` in one go ([`CleanBuild`] sliced over frames gives
/// the same bits).
pub(crate) fn build_clean(config: &Config, source: &DataSource) -> Result<CleanData, SessionError> {
    CleanBuild::new(config, source)?.finish()
}
