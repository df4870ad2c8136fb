//! What the lab needs to know about a dynamical system: its state dimension, its parameters,
//! the vector field f and its Jacobian, and optionally a conserved (Lyapunov) function V.

/// A named, bounded parameter, as shown on a slider. `min..=max` is the range a student can
/// explore; the physics may allow more (the CLI accepts any physically valid value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Identifier used everywhere: CLI flag, config key, URL hash key, DOM id.
    pub name: &'static str,
    /// Short label for the UI, e.g. "α (prey growth)".
    pub label: &'static str,
    pub min: f64,
    pub max: f64,
    pub default: f64,
    /// Slider increment.
    pub step: f64,
    /// One-sentence explanation, used for tooltips and `--help`.
    pub help: &'static str,
}

impl ParamSpec {
    /// A spec from its name, label, (min, max, default, step) and help text.
    pub const fn new(
        name: &'static str,
        label: &'static str,
        (min, max, default, step): (f64, f64, f64, f64),
        help: &'static str,
    ) -> ParamSpec {
        ParamSpec {
            name,
            label,
            min,
            max,
            default,
            step,
            help,
        }
    }
}

/// Run settings that suit a system: the time window, the noise level and the FTLE horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunDefaults {
    pub t_end: f64,
    pub sigma: f64,
    pub tau: f64,
    /// The state coordinates the phase portrait plots by default (x axis, y axis).
    pub projection: (usize, usize),
    /// Time integrated and discarded before the window starts (the transient onto a chaotic
    /// attractor).
    pub burn_in: f64,
}

/// Builds a system from its rates.
pub type BuildSystem = fn(&[f64]) -> Result<Box<dyn System>, String>;

/// Everything the lab shows of one system besides its vector field, kept in the system's own
/// file as its `FACTS`. What it can do (dimension, a conserved V) is asked of the built system.
#[derive(Debug, Clone, Copy)]
pub struct SystemFacts {
    /// A title for menus.
    pub title: &'static str,
    pub description: &'static str,
    /// The rates, as sliders.
    pub rates: &'static [ParamSpec],
    /// The initial state, as sliders, one per state variable.
    pub initial_state: &'static [ParamSpec],
    pub run_defaults: RunDefaults,
    /// The system from its rates (already checked to be positive and finite).
    pub build: BuildSystem,
}

/// A smooth autonomous ODE dx/dt = f(x).
///
/// All methods write into caller-provided slices so that integration allocates nothing per step.
pub trait System {
    /// Kebab-case identifier, e.g. `lotka-volterra`.
    fn name(&self) -> &'static str;
    /// State dimension d.
    fn dim(&self) -> usize;
    /// Names of the state variables, e.g. `["prey x", "predator y"]`.
    fn state_names(&self) -> &'static [&'static str];
    /// f(state) into `out` (length d).
    fn vector_field(&self, state: &[f64], out: &mut [f64]);
    /// ∂f_i/∂x_j into `out`, row-major d×d.
    fn jacobian(&self, state: &[f64], out: &mut [f64]);
    /// Whether `state` is admissible. The default accepts any finite state.
    fn check_state(&self, state: &[f64]) -> Result<(), String> {
        match state.iter().position(|v| !v.is_finite()) {
            Some(i) => Err(format!(
                "{} became non-finite ({})",
                self.state_names()[i],
                state[i]
            )),
            None => Ok(()),
        }
    }
    /// The size of coordinate `i` at `state` for sizing integration steps (the integrator
    /// keeps h times the fastest *relative* rate of change small). The default is
    /// max(|x_i|, 1); an angle returns 1, because it is periodic: a pendulum that rotates has a
    /// growing θ but does not move any faster.
    fn step_scale(&self, state: &[f64], i: usize) -> f64 {
        state[i].abs().max(1.0)
    }
    /// ∂f_i/∂r_k into `out`, row-major d×R, with r the rates in the order of the system's
    /// `FACTS.rates` (as its `build` takes them), for the forward sensitivity equations of
    /// parameter estimation. Returns false when the system does not supply it (the default).
    fn rate_jacobian(&self, state: &[f64], out: &mut [f64]) -> bool {
        let _ = (state, out);
        false
    }
    /// A conserved or Lyapunov function, if the system has one.
    fn lyapunov(&self) -> Option<&dyn LyapunovFunction> {
        None
    }
    /// An equilibrium worth marking on the phase portrait (a centre or the point the orbits
    /// wind around), if the system has one.
    fn equilibrium_point(&self) -> Option<Vec<f64>> {
        None
    }
    /// A Poincaré section (coordinate index, level) that the orbit through `initial` crosses once
    /// per period in the upward direction, used to measure the period. `None` when that orbit
    /// has no such section (no periodic orbits, or, for the pendulum, a rotation).
    fn poincare_section(&self, initial: &[f64]) -> Option<(usize, f64)> {
        let _ = initial;
        None
    }
}

/// A scalar function V of the state with its gradient.
pub trait LyapunovFunction {
    fn value(&self, state: &[f64]) -> f64;
    /// ∇V(state) into `out` (length d).
    fn gradient(&self, state: &[f64], out: &mut [f64]);
}
