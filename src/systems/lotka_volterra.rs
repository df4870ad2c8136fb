//! The Lotka–Volterra predator–prey system and its conserved quantity.
//!
//! dx/dt = αx − βxy, dy/dt = δxy − γy, with V(x, y) = δx − γ ln x + βy − α ln y constant
//! along every orbit in the open positive quadrant.

use crate::systems::system::{LyapunovFunction, ParamSpec, RunDefaults, System, SystemFacts};

/// Parameters α, β, γ, δ. Construct with [`LotkaVolterra::new`], which validates them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LotkaVolterra {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub delta: f64,
}

/// Slider ranges and defaults (the SciPy-cookbook setup).
/// Below this a population is numerically extinct: the smallest normal double (2.2e-308).
/// Below it doubles turn subnormal, every operation on them is about a hundred times slower and
/// loses digits, and an orbit that dipped there (δ = 3915, say) took 13 s to integrate before
/// this check. (Orbits inside the slider box dip to 1e-280 and below, legitimately.)
pub const SMALLEST_POPULATION: f64 = f64::MIN_POSITIVE;

pub const PARAMETERS: [ParamSpec; 4] = [
    ParamSpec {
        name: "alpha",
        label: "α prey growth",
        min: 0.2,
        max: 3.0,
        default: 1.0,
        step: 0.05,
        help: "Prey growth rate α: how fast prey multiply with no predators.",
    },
    ParamSpec {
        name: "beta",
        label: "β predation",
        min: 0.02,
        max: 0.5,
        default: 0.1,
        step: 0.005,
        help: "Predation rate β: how fast predators eat prey per encounter.",
    },
    ParamSpec {
        name: "gamma",
        label: "γ predator death",
        min: 0.2,
        max: 3.0,
        default: 1.5,
        step: 0.05,
        help: "Predator death rate γ: how fast predators die with no prey.",
    },
    ParamSpec {
        name: "delta",
        label: "δ predator growth",
        min: 0.05,
        max: 2.0,
        default: 0.75,
        step: 0.01,
        help: "Predator growth rate δ: how fast predators multiply per prey eaten.",
    },
];

/// The initial state, as sliders, one per state variable.
pub const INITIAL_STATE: [ParamSpec; 2] = [
    ParamSpec::new(
        "x0",
        "x₀ initial prey",
        (0.5, 60.0, 10.0, 0.5),
        "Initial prey population: picks which closed orbit the system follows.",
    ),
    ParamSpec::new(
        "y0",
        "y₀ initial predators",
        (0.5, 60.0, 5.0, 0.5),
        "Initial predator population: picks which closed orbit the system follows.",
    ),
];

/// Everything the catalogue shows of this system.
pub const FACTS: SystemFacts = SystemFacts {
    title: "Lotka–Volterra predator–prey",
    description: "Predator–prey cycles: dx/dt = αx − βxy, dy/dt = δxy − γy. V = δx − γ ln x + βy − α ln y is conserved, so every orbit is closed.",
    rates: &PARAMETERS,
    initial_state: &INITIAL_STATE,
    run_defaults: RunDefaults {
        t_end: 15.0,
        sigma: 2.0,
        tau: 1.0,
        projection: (0, 1),
        burn_in: 0.0,
    },
    build,
};

/// The system with the given rates (validated positive by the catalogue).
fn build(rates: &[f64]) -> Result<Box<dyn System>, String> {
    Ok(Box::new(LotkaVolterra::new(
        rates[0], rates[1], rates[2], rates[3],
    )?))
}

impl Default for LotkaVolterra {
    fn default() -> Self {
        LotkaVolterra {
            alpha: 1.0,
            beta: 0.1,
            gamma: 1.5,
            delta: 0.75,
        }
    }
}

impl LotkaVolterra {
    /// All four rates must be finite and positive.
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> Result<Self, String> {
        for (spec, v) in PARAMETERS.iter().zip([alpha, beta, gamma, delta]) {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!(
                    "{} must be a positive finite number, got {v}",
                    spec.name
                ));
            }
        }
        Ok(LotkaVolterra {
            alpha,
            beta,
            gamma,
            delta,
        })
    }

    /// The non-trivial equilibrium (γ/δ, α/β), a centre.
    pub fn equilibrium(&self) -> [f64; 2] {
        [self.gamma / self.delta, self.alpha / self.beta]
    }
}

impl System for LotkaVolterra {
    fn name(&self) -> &'static str {
        "lotka-volterra"
    }
    fn equilibrium_point(&self) -> Option<Vec<f64>> {
        Some(self.equilibrium().to_vec())
    }
    fn dim(&self) -> usize {
        2
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["prey x", "predator y"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        let (x, y) = (s[0], s[1]);
        out[0] = x * (self.alpha - self.beta * y);
        out[1] = y * (self.delta * x - self.gamma);
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let (x, y) = (s[0], s[1]);
        out[0] = self.alpha - self.beta * y;
        out[1] = -self.beta * x;
        out[2] = self.delta * y;
        out[3] = self.delta * x - self.gamma;
    }
    fn rate_jacobian(&self, s: &[f64], out: &mut [f64]) -> bool {
        // Rates (α, β, γ, δ).
        let (x, y) = (s[0], s[1]);
        out.copy_from_slice(&[x, -x * y, 0.0, 0.0, 0.0, 0.0, -y, x * y]);
        true
    }
    fn check_state(&self, s: &[f64]) -> Result<(), String> {
        for (name, &v) in self.state_names().iter().zip(s) {
            if !v.is_finite() {
                return Err(format!(
                    "{name} became non-finite ({v}): the integration blew up"
                ));
            }
            if v <= 0.0 {
                return Err(format!(
                    "{name} reached {v:.3e} ≤ 0: populations must stay positive (numerical extinction)"
                ));
            }
            if v < SMALLEST_POPULATION {
                return Err(format!(
                    "{name} fell to {v:.3e}, below {SMALLEST_POPULATION:.1e}, the smallest normal double: below it doubles turn subnormal (inexact, and a hundred times slower): the orbit is numerically extinct, so lower the rates or start nearer the equilibrium"
                ));
            }
        }
        Ok(())
    }
    fn lyapunov(&self) -> Option<&dyn LyapunovFunction> {
        Some(self)
    }
    fn poincare_section(&self, _initial: &[f64]) -> Option<(usize, f64)> {
        // Every orbit winds around the equilibrium, so it crosses x = γ/δ upwards once a period.
        Some((0, self.gamma / self.delta))
    }
}

impl LyapunovFunction for LotkaVolterra {
    fn value(&self, s: &[f64]) -> f64 {
        let (x, y) = (s[0], s[1]);
        self.delta * x - self.gamma * libm::log(x) + self.beta * y - self.alpha * libm::log(y)
    }
    fn gradient(&self, s: &[f64], out: &mut [f64]) {
        let (x, y) = (s[0], s[1]);
        out[0] = self.delta - self.gamma / x;
        out[1] = self.beta - self.alpha / y;
    }
}
