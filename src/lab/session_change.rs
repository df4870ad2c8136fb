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
