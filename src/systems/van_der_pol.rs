//! The Van der Pol oscillator x'' − μ(1 − x²)x' + x = 0, as (x, y = x'): every orbit but the
//! origin winds onto one limit cycle. No closed-form V.

use crate::systems::system::{ParamSpec, RunDefaults, System, SystemFacts};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VanDerPol {
    pub mu: f64,
}

pub const DESCRIPTION: &str = "Van der Pol oscillator: negative damping at small amplitude, positive at large; all orbits approach one limit cycle (relaxation oscillations for large μ).";

pub const PARAMETERS: [ParamSpec; 1] = [ParamSpec {
    name: "mu",
    label: "μ nonlinearity",
    min: 0.05,
    max: 5.0,
    default: 1.0,
    step: 0.05,
    help: "Strength of the nonlinear damping μ.",
}];

/// The initial state, as sliders, one per state variable.
pub const INITIAL_STATE: [ParamSpec; 2] = [
    ParamSpec::new(
        "x0",
        "x₀ initial position",
        (-4.0, 4.0, 0.5, 0.05),
        "Initial position: every start except the origin spirals onto the same limit cycle.",
    ),
    ParamSpec::new(
        "y0",
        "y₀ initial velocity",
        (-4.0, 4.0, 0.0, 0.05),
        "Initial velocity dx/dt.",
    ),
];

/// Everything the catalogue shows of this system.
pub const FACTS: SystemFacts = SystemFacts {
    title: "Van der Pol oscillator",
    description: DESCRIPTION,
    rates: &PARAMETERS,
    initial_state: &INITIAL_STATE,
    run_defaults: RunDefaults {
        t_end: 20.0,
        sigma: 0.3,
        tau: 1.0,
        projection: (0, 1),
        burn_in: 40.0,
    },
    build,
};

/// The system with the given rates (validated positive by the catalogue).
fn build(rates: &[f64]) -> Result<Box<dyn System>, String> {
    Ok(Box::new(VanDerPol { mu: rates[0] }))
}

impl Default for VanDerPol {
    fn default() -> Self {
        VanDerPol { mu: 1.0 }
    }
}

impl System for VanDerPol {
    fn name(&self) -> &'static str {
        "van-der-pol"
    }
    fn equilibrium_point(&self) -> Option<Vec<f64>> {
        Some(vec![0.0, 0.0])
    }
    fn dim(&self) -> usize {
        2
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["x", "y = dx/dt"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        out[0] = s[1];
        out[1] = self.mu * (1.0 - s[0] * s[0]) * s[1] - s[0];
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&[
            0.0,
            1.0,
            -2.0 * self.mu * s[0] * s[1] - 1.0,
            self.mu * (1.0 - s[0] * s[0]),
        ]);
    }
    fn rate_jacobian(&self, s: &[f64], out: &mut [f64]) -> bool {
        // Rate (μ).
        out.copy_from_slice(&[0.0, (1.0 - s[0] * s[0]) * s[1]]);
        true
    }
    fn poincare_section(&self, _initial: &[f64]) -> Option<(usize, f64)> {
        Some((0, 0.0))
    }
}
