//! A change of a session's config, computed a slice at a time: [`Session::prepare`] checks it
//! and sets up what must be recomputed, [`SessionChange::work`] does the expensive part (a new
//! trajectory, a new FTLE) in slices, and [`Session::apply`] finishes it. The session keeps its
//! previous state until then, and a change that fails leaves it untouched. The result is
//! bit-identical however the work is sliced: [`Session::set_config`] is prepare and apply in
//! one go.
//!
//! [`Session::prepare`]: crate::lab::session::Session::prepare
//! [`Session::apply`]: crate::lab::session::Session::apply
//! [`Session::set_config`]: crate::lab::session::Session::set_config

use crate::lab::clean_build::CleanBuild;
use crate::lab::config::Config;
use crate::lab::session::{DataSource, Recomputed, Session, SessionError};
use crate::measures::measure::MeasureAt;

/// A checked config on its way into a session. See the module documentation.
pub struct SessionChange {
    pub(crate) config: Config,
    /// The session's generation when the change was prepared: applied to a session that has
    /// changed since (an import, another config), it is recomputed from scratch.
    pub(crate) generation: u64,
    pub(crate) clean: CleanChange,
}

/// What the change recomputes on the clean side.
pub(crate) enum CleanChange {
    /// Nothing: the trajectory and the measure stay.
    Keep,
    /// A new trajectory (and with it everything on the clean side).
    Rebuild(CleanBuild),
    /// The same trajectory, a new measure along it.
    Remeasure(CleanBuild),
    /// The same trajectory, a new measure at the observed states (cheap: done when applied).
    RemeasureAtObservations,
}

impl SessionChange {
    /// The config the change applies.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Works until done or until `out_of_time` (asked between units of work, after at least
    /// one) says to stop. Returns whether all the expensive work is done.
    pub fn work(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        match &mut self.clean {
            CleanChange::Rebuild(build) | CleanChange::Remeasure(build) => build.work(out_of_time),
            CleanChange::Keep | CleanChange::RemeasureAtObservations => true,
        }
    }

    /// Whether nothing expensive is left: applying it now costs little.
    pub fn is_quick(&self) -> bool {
        match &self.clean {
            CleanChange::Rebuild(build) | CleanChange::Remeasure(build) => build.progress() >= 1.0,
            CleanChange::Keep | CleanChange::RemeasureAtObservations => true,
        }
    }

    /// The share of the expensive work done, 0 to 1.
    pub fn progress(&self) -> f64 {
        match &self.clean {
            CleanChange::Rebuild(build) | CleanChange::Remeasure(build) => build.progress(),
            CleanChange::Keep | CleanChange::RemeasureAtObservations => 1.0,
        }
    }

    /// What is being computed, for a progress message ("the orbit", "FTLE", …).
    pub fn doing(&self) -> &'static str {
        match &self.clean {
            CleanChange::Rebuild(build) | CleanChange::Remeasure(build) => build.doing(),
            CleanChange::Keep | CleanChange::RemeasureAtObservations => "the settings",
        }
    }
}

impl Session {
    /// Checks `config` against this session and sets up what it recomputes, without doing the
    /// expensive part yet ([`SessionChange::work`] does it a slice at a time). The session is
    /// unchanged until [`Session::apply`].
    pub fn prepare(&self, config: Config) -> Result<SessionChange, SessionError> {
        config.validate()?;
        let imported = matches!(self.source, DataSource::Imported(_));
        if imported && config.system.dim() != self.observations.ncols() {
            return Err(SessionError::Integration(format!(
                "the imported data have {} variables and {} has {}: clear the import first",
                self.observations.ncols(),
                config.system,
                config.system.dim()
            )));
        }
        // Imported data keep their observations; only the rates change the target.
        let rebuild = if imported {
            !self.config.same_system(&config)
        } else {
            self.config.trajectory_differs(&config)
        };
        let clean = if rebuild {
            CleanChange::Rebuild(CleanBuild::new(&config, &self.source)?)
        } else if self.config.measure_differs(&config) {
            match config.measure_at {
                MeasureAt::Observed => CleanChange::RemeasureAtObservations,
                MeasureAt::Clean => {
                    CleanChange::Remeasure(CleanBuild::remeasure(&config, &self.clean)?)
                }
            }
        } else {
            CleanChange::Keep
        };
        Ok(SessionChange {
            config,
            generation: self.generation,
            clean,
        })
    }

    /// Applies a prepared change, doing whatever work it has left. On error the session is
    /// unchanged. A change prepared before the session last changed is recomputed from scratch.
    pub fn apply(&mut self, change: SessionChange) -> Result<Recomputed, SessionError> {
        if change.generation != self.generation {
            let fresh = self.prepare(change.config)?;
            return self.apply(fresh);
        }
        let SessionChange { config, clean, .. } = change;
        let mut done = Recomputed::default();
        let imported = matches!(self.source, DataSource::Imported(_));
        match clean {
            CleanChange::Rebuild(build) => {
                self.set_clean(build.finish()?);
                done.trajectory = true;
            }
            CleanChange::Remeasure(build) => {
                self.clean.sensitivity = build.finish()?.sensitivity;
                self.workspace.reference_changed();
                done.measure = true;
            }
            CleanChange::RemeasureAtObservations => {
                self.clean.sensitivity = self.clean.measured(&config, Some(&self.observations))?;
                self.workspace.reference_changed();
                done.measure = true;
            }
            CleanChange::Keep => {}
        }
        self.generation += 1;
        if !imported && (done.trajectory || self.config.observations_differ(&config)) {
            self.observations =
                config
                    .noise
                    .observe(&self.clean.trajectory.states, config.sigma, config.seed);
            done.observations = true;
        }
        if imported && done.trajectory {
            done.observations = true; // the same points, but their target moved: retrain
        }
        if config.measure_at == MeasureAt::Observed && done.observations {
            // Validated: ∂V/∂n at the observations cannot fail here.
            self.clean.sensitivity = self.clean.measured(&config, Some(&self.observations))?;
            self.workspace.reference_changed();
            done.measure = true;
        }
        let model_changed = self.config.model_differs(&config);
        // A new learning rate is the suggested way out of a divergence: it allows training again.
        self.trainer.set_lr(config.lr);
        self.config = config;
        if done.observations || model_changed {
            self.reset_model();
            done.model = true;
        } else {
            self.refresh();
        }
        Ok(done)
    }
}
