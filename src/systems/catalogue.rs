//! The catalogue of dynamical systems the lab can run: for each, its parameters and initial
//! state as slider specs, defaults that show its typical behaviour, a short description, and a
//! constructor from parameter values.

use crate::systems::goodwin::{self, Goodwin};
use crate::systems::lorenz::{self, Lorenz};
use crate::systems::lotka_volterra::{self, LotkaVolterra};
use crate::systems::pendulum::{self, Pendulum};
use crate::systems::rossler::{self, Rossler};
use crate::systems::system::{ParamSpec, System};
use crate::systems::van_der_pol::{self, VanDerPol};

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

/// Run settings that suit a system: the time window, the noise level and the FTLE horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunDefaults {
    pub t_end: f64,
    pub sigma: f64,
    pub tau: f64,
    /// The state coordinates the phase portrait plots by default (x axis, y axis).
    pub projection: (usize, usize),
}

const fn spec(
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

const LV_INITIAL: [ParamSpec; 2] = [
    spec(
        "x0",
        "x₀ initial prey",
        (0.5, 60.0, 10.0, 0.5),
        "Initial prey population: picks which closed orbit the system follows.",
    ),
    spec(
        "y0",
        "y₀ initial predators",
        (0.5, 60.0, 5.0, 0.5),
        "Initial predator population: picks which closed orbit the system follows.",
    ),
];

const PENDULUM_INITIAL: [ParamSpec; 2] = [
    spec(
        "theta0",
        "θ₀ initial angle",
        (-3.1, 3.1, 2.0, 0.05),
        "Initial angle in radians: small angles swing almost sinusoidally, near ±π the swing slows at the top.",
    ),
    spec(
        "omega0",
        "ω₀ initial angular velocity",
        (-8.0, 8.0, 0.0, 0.05),
        "Initial angular velocity. Enough energy (H > g/L) makes the pendulum rotate instead of swing.",
    ),
];

const VAN_DER_POL_INITIAL: [ParamSpec; 2] = [
    spec(
        "x0",
        "x₀ initial position",
        (-4.0, 4.0, 0.5, 0.05),
        "Initial position: every start except the origin spirals onto the same limit cycle.",
    ),
    spec(
        "y0",
        "y₀ initial velocity",
        (-4.0, 4.0, 0.0, 0.05),
        "Initial velocity dx/dt.",
    ),
];

/// A point on the default Goodwin limit cycle (near its lowest repressor level, reached after a
/// long transient from (0.1, 0.2, 2.5)), so that the window shows the oscillation rather than
/// the slow approach to it.
const GOODWIN_INITIAL: [ParamSpec; 3] = [
    spec(
        "x0",
        "X₀ initial mRNA",
        (0.0, 1.0, 0.0404, 0.0001),
        "Initial mRNA concentration.",
    ),
    spec(
        "y0",
        "Y₀ initial protein",
        (0.0, 5.0, 0.168, 0.001),
        "Initial protein concentration.",
    ),
    spec(
        "z0",
        "Z₀ initial repressor",
        (0.0, 10.0, 1.573, 0.001),
        "Initial repressor concentration.",
    ),
];

const LORENZ_INITIAL: [ParamSpec; 3] = [
    spec(
        "x0",
        "x₀",
        (-30.0, 30.0, 1.0, 0.1),
        "Initial x. Nearby starts separate exponentially on the attractor.",
    ),
    spec("y0", "y₀", (-30.0, 30.0, 1.0, 0.1), "Initial y."),
    spec("z0", "z₀", (0.0, 60.0, 20.0, 0.1), "Initial z."),
];

const ROSSLER_INITIAL: [ParamSpec; 3] = [
    spec("x0", "x₀", (-15.0, 15.0, 1.0, 0.1), "Initial x."),
    spec("y0", "y₀", (-15.0, 15.0, 1.0, 0.1), "Initial y."),
    spec("z0", "z₀", (0.0, 30.0, 0.0, 0.1), "Initial z."),
];

impl SystemKind {
    /// A title for menus.
    pub fn title(self) -> &'static str {
        match self {
            SystemKind::LotkaVolterra => "Lotka–Volterra predator–prey",
            SystemKind::Pendulum => "Frictionless pendulum",
            SystemKind::VanDerPol => "Van der Pol oscillator",
            SystemKind::Goodwin => "Goodwin circadian oscillator (3-D)",
            SystemKind::Lorenz => "Lorenz attractor (3-D, chaotic)",
            SystemKind::Rossler => "Rössler attractor (3-D, chaotic)",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            SystemKind::LotkaVolterra => "Predator–prey cycles: dx/dt = αx − βxy, dy/dt = δxy − γy. V = δx − γ ln x + βy − α ln y is conserved, so every orbit is closed.",
            SystemKind::Pendulum => pendulum::DESCRIPTION,
            SystemKind::VanDerPol => van_der_pol::DESCRIPTION,
            SystemKind::Goodwin => goodwin::DESCRIPTION,
            SystemKind::Lorenz => lorenz::DESCRIPTION,
            SystemKind::Rossler => rossler::DESCRIPTION,
        }
    }

    /// The system's rates, as sliders.
    pub fn rates(self) -> &'static [ParamSpec] {
        match self {
            SystemKind::LotkaVolterra => &lotka_volterra::PARAMETERS,
            SystemKind::Pendulum => &pendulum::PARAMETERS,
            SystemKind::VanDerPol => &van_der_pol::PARAMETERS,
            SystemKind::Goodwin => &goodwin::PARAMETERS,
            SystemKind::Lorenz => &lorenz::PARAMETERS,
            SystemKind::Rossler => &rossler::PARAMETERS,
        }
    }

    /// The initial state, as sliders, one per state variable.
    pub fn initial_state(self) -> &'static [ParamSpec] {
        match self {
            SystemKind::LotkaVolterra => &LV_INITIAL,
            SystemKind::Pendulum => &PENDULUM_INITIAL,
            SystemKind::VanDerPol => &VAN_DER_POL_INITIAL,
            SystemKind::Goodwin => &GOODWIN_INITIAL,
            SystemKind::Lorenz => &LORENZ_INITIAL,
            SystemKind::Rossler => &ROSSLER_INITIAL,
        }
    }

    /// Rates then initial state: the order of [`crate::lab::config::Config::system_values`].
    pub fn parameters(self) -> impl Iterator<Item = &'static ParamSpec> {
        self.rates().iter().chain(self.initial_state())
    }

    /// Names of the state variables, e.g. `["prey x", "predator y"]`.
    pub fn state_names(self) -> &'static [&'static str] {
        self.build(&self.default_values())
            .expect("the defaults are valid")
            .state_names()
    }

    pub fn dim(self) -> usize {
        self.initial_state().len()
    }

    pub fn run_defaults(self) -> RunDefaults {
        let (t_end, sigma, tau, projection) = match self {
            SystemKind::LotkaVolterra => (15.0, 2.0, 1.0, (0, 1)),
            SystemKind::Pendulum => (10.0, 0.2, 0.5, (0, 1)),
            SystemKind::VanDerPol => (20.0, 0.3, 1.0, (0, 1)),
            SystemKind::Goodwin => (150.0, 0.02, 5.0, (1, 2)),
            SystemKind::Lorenz => (20.0, 1.0, 0.5, (0, 2)),
            SystemKind::Rossler => (60.0, 0.5, 2.0, (0, 1)),
        };
        RunDefaults {
            t_end,
            sigma,
            tau,
            projection,
        }
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
        Ok(match self {
            SystemKind::LotkaVolterra => {
                Box::new(LotkaVolterra::new(rates[0], rates[1], rates[2], rates[3])?)
            }
            SystemKind::Pendulum => Box::new(Pendulum {
                g: rates[0],
                length: rates[1],
            }),
            SystemKind::VanDerPol => Box::new(VanDerPol { mu: rates[0] }),
            SystemKind::Goodwin => Box::new(Goodwin {
                n: rates[0],
                a: rates[1],
                b: rates[2],
                d: rates[2],
                f: rates[2],
                ..Goodwin::default()
            }),
            SystemKind::Lorenz => Box::new(Lorenz {
                sigma: rates[0],
                rho: rates[1],
                beta: rates[2],
            }),
            SystemKind::Rossler => Box::new(Rossler {
                a: rates[0],
                b: rates[1],
                c: rates[2],
            }),
        })
    }

    /// Whether the system has a conserved V (so ∂V/∂n and the oracle apply).
    pub fn has_lyapunov(self) -> bool {
        matches!(self, SystemKind::LotkaVolterra | SystemKind::Pendulum)
    }
}
