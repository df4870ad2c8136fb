//! The Rössler system, chaotic at a = b = 0.2, c = 5.7:
//! dx/dt = −y − z, dy/dt = x + ay, dz/dt = b + z(x − c). No conserved V.

use crate::systems::system::{ParamSpec, RunDefaults, System, SystemFacts};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rossler {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

pub const DESCRIPTION: &str = "Rössler (1976): a single folded band; chaotic at a = b = 0.2, c = 5.7, with largest Lyapunov exponent ≈ 0.07.";

pub const PARAMETERS: [ParamSpec; 3] = [
    ParamSpec {
        name: "a",
        label: "a",
        min: 0.005,
        max: 0.4,
        default: 0.2,
        step: 0.005,
        help: "Growth of the y oscillation.",
    },
    ParamSpec {
        name: "b",
        label: "b",
        min: 0.01,
        max: 2.0,
        default: 0.2,
        step: 0.01,
        help: "Constant feed of z.",
    },
    ParamSpec {
        name: "c",
        label: "c",
        min: 1.0,
        max: 15.0,
        default: 5.7,
        step: 0.1,
        help: "Threshold of the z spike; chaos at 5.7.",
    },
];

/// The initial state, as sliders, one per state variable.
pub const INITIAL_STATE: [ParamSpec; 3] = [
    ParamSpec::new("x0", "x₀", (-15.0, 15.0, 1.0, 0.1), "Initial x."),
    ParamSpec::new("y0", "y₀", (-15.0, 15.0, 1.0, 0.1), "Initial y."),
    ParamSpec::new("z0", "z₀", (0.0, 30.0, 0.0, 0.1), "Initial z."),
];

/// Everything the catalogue shows of this system.
pub const FACTS: SystemFacts = SystemFacts {
    title: "Rössler attractor (3-D, chaotic)",
    description: DESCRIPTION,
    rates: &PARAMETERS,
    initial_state: &INITIAL_STATE,
    run_defaults: RunDefaults {
        t_end: 60.0,
        sigma: 0.5,
        tau: 2.0,
        projection: (0, 1),
        burn_in: 50.0,
    },
    build,
};

/// The system with the given rates (validated positive by the catalogue).
fn build(rates: &[f64]) -> Result<Box<dyn System>, String> {
    Ok(Box::new(Rossler {
        a: rates[0],
        b: rates[1],
        c: rates[2],
    }))
}

impl Default for Rossler {
    fn default() -> Self {
        Rossler {
            a: 0.2,
            b: 0.2,
            c: 5.7,
        }
    }
}

impl System for Rossler {
    fn name(&self) -> &'static str {
        "rossler"
    }
    fn dim(&self) -> usize {
        3
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["x", "y", "z"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        out[0] = -s[1] - s[2];
        out[1] = s[0] + self.a * s[1];
        out[2] = self.b + s[2] * (s[0] - self.c);
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&[0.0, -1.0, -1.0, 1.0, self.a, 0.0, s[2], 0.0, s[0] - self.c]);
    }
    fn rate_jacobian(&self, s: &[f64], out: &mut [f64]) -> bool {
        // Rates (a, b, c).
        out.copy_from_slice(&[0.0, 0.0, 0.0, s[1], 0.0, 0.0, 0.0, 1.0, -s[2]]);
        true
    }
}
