//! The catalogue of dynamical systems the lab can run, by name. Each system's facts (sliders,
//! run defaults, description, constructor) live in its own file; what a system can do (its
//! dimension, whether it has a conserved V) is asked of the system itself.

use crate::systems::system::{ParamSpec, RunDefaults, System, SystemFacts};
use crate::systems::{goodwin, lorenz, lotka_volterra, pendulum, rossler, van_der_pol};

crate::named_kind! {
    /// The systems, by their CLI/URL names.
    pub enum SystemKind ("system") {
        #[default]
        LotkaVolterra => "lotka-volterra",
        Pendulum => "pendulum",
        VanDerPol => "van-der-pol",
        Goodwin => "goodwin",
        Lorenz => "lorenz",
        Rossler => "rossler",
    }
}

impl SystemKind {
    /// The system's facts, from its own file.
    pub fn facts(self) -> &'static SystemFacts {
        match self {
            SystemKind::LotkaVolterra => &lotka_volterra::FACTS,
            SystemKind::Pendulum => &pendulum::FACTS,
            SystemKind::VanDerPol => &van_der_pol::FACTS,
            SystemKind::Goodwin => &goodwin::FACTS,
            SystemKind::Lorenz => &lorenz::FACTS,
            SystemKind::Rossler => &rossler::FACTS,
        }
    }

    /// A title for menus.
    pub fn title(self) -> &'static str {
        self.facts().title
    }

    pub fn description(self) -> &'static str {
        self.facts().description
    }

    /// The system's rates, as sliders.
    pub fn rates(self) -> &'static [ParamSpec] {
        self.facts().rates
    }

    /// The initial state, as sliders, one per state variable.
    pub fn initial_state(self) -> &'static [ParamSpec] {
        self.facts().initial_state
    }

    /// Rates then initial state: the order of [`crate::lab::config::Config::system_values`].
    pub fn parameters(self) -> impl Iterator<Item = &'static ParamSpec> {
        self.rates().iter().chain(self.initial_state())
    }

    /// The system built with its default rates.
    fn at_defaults(self) -> Box<dyn System> {
        self.build(&self.default_values())
            .expect("the defaults are valid")
    }

    /// Names of the state variables, e.g. `["prey x", "predator y"]`.
    pub fn state_names(self) -> &'static [&'static str] {
        self.at_defaults().state_names()
    }

    /// The state dimension, asked of the system.
    pub fn dim(self) -> usize {
        self.at_defaults().dim()
    }

    pub fn run_defaults(self) -> RunDefaults {
        self.facts().run_defaults
    }

    /// The default rates and initial state.
    pub fn default_values(self) -> Vec<f64> {
        self.parameters().map(|p| p.default).collect()
    }

    /// The system with the given rates (the first `rates().len()` values; the rest, the initial
    /// state, are ignored). Rates that make no physical sense are an error.
    pub fn build(self, values: &[f64]) -> Result<Box<dyn System>, String> {
        let rates = &values[..self.rates().len()];
        for (spec, &v) in self.rates().iter().zip(rates) {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!(
                    "{} must be a positive finite number, got {v}",
                    spec.name
                ));
            }
        }
        (self.facts().build)(rates)
    }

    /// Whether the system's states cannot be negative (populations, concentrations), asked of
    /// the system: it refuses a state with a negative coordinate.
    pub fn has_positive_states(self) -> bool {
        let system = self.at_defaults();
        let mut state: Vec<f64> = self.initial_state().iter().map(|p| p.default).collect();
        state[0] = -1.0;
        system.check_state(&state).is_err()
    }

    /// Whether the system's orbits settle on an attracting limit cycle (so a phase response
    /// exists), asked of the system: it has a Poincaré section for its default start and no
    /// conserved V (a centre's orbits are closed but not attracting; chaotic systems have no
    /// section).
    pub fn has_limit_cycle(self) -> bool {
        let system = self.at_defaults();
        let start: Vec<f64> = self.initial_state().iter().map(|p| p.default).collect();
        system.lyapunov().is_none() && system.poincare_section(&start).is_some()
    }

    /// Whether the system has a conserved V (so ∂V/∂n and the oracle apply), asked of the system.
    pub fn has_lyapunov(self) -> bool {
        self.at_defaults().lyapunov().is_some()
    }
}
