//! The Lorenz system, chaotic at the classic parameters σ = 10, ρ = 28, β = 8/3:
//! dx/dt = σ(y − x), dy/dt = x(ρ − z) − y, dz/dt = xy − βz. No conserved V.

use crate::systems::system::{ParamSpec, RunDefaults, System, SystemFacts};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lorenz {
    pub sigma: f64,
    pub rho: f64,
    pub beta: f64,
}

pub const DESCRIPTION: &str = "Lorenz (1963): convection rolls reduced to three variables; chaotic at σ = 10, ρ = 28, β = 8/3, with largest Lyapunov exponent ≈ 0.906.";

pub const PARAMETERS: [ParamSpec; 3] = [
    ParamSpec {
        name: "sigma_l",
        label: "σ Prandtl",
        min: 1.0,
        max: 20.0,
        default: 10.0,
        step: 0.1,
        help: "Prandtl number σ.",
    },
    ParamSpec {
        name: "rho",
        label: "ρ Rayleigh",
        min: 0.5,
        max: 60.0,
        default: 28.0,
        step: 0.1,
        help: "Rayleigh number ρ; chaos above ≈ 24.74.",
    },
    ParamSpec {
        name: "beta_l",
        label: "β geometry",
        min: 0.5,
        max: 5.0,
        default: 8.0 / 3.0,
        step: 0.01,
        help: "Geometric factor β.",
    },
];

/// The initial state, as sliders, one per state variable.
pub const INITIAL_STATE: [ParamSpec; 3] = [
    ParamSpec::new(
        "x0",
        "x₀",
        (-30.0, 30.0, 1.0, 0.1),
        "Initial x. Nearby starts separate exponentially on the attractor.",
    ),
    ParamSpec::new("y0", "y₀", (-30.0, 30.0, 1.0, 0.1), "Initial y."),
    ParamSpec::new("z0", "z₀", (0.0, 60.0, 20.0, 0.1), "Initial z."),
];

/// Everything the catalogue shows of this system.
pub const FACTS: SystemFacts = SystemFacts {
    title: "Lorenz attractor (3-D, chaotic)",
    description: DESCRIPTION,
    rates: &PARAMETERS,
    initial_state: &INITIAL_STATE,
    run_defaults: RunDefaults {
        t_end: 20.0,
        sigma: 1.0,
        tau: 0.5,
        projection: (0, 2),
        burn_in: 10.0,
    },
    build,
};

/// The system with the given rates (validated positive by the catalogue).
fn build(rates: &[f64]) -> Result<Box<dyn System>, String> {
    Ok(Box::new(Lorenz {
        sigma: rates[0],
        rho: rates[1],
        beta: rates[2],
    }))
}

impl Default for Lorenz {
    fn default() -> Self {
        Lorenz {
            sigma: 10.0,
            rho: 28.0,
            beta: 8.0 / 3.0,
        }
    }
}

impl System for Lorenz {
    fn name(&self) -> &'static str {
        "lorenz"
    }
    fn dim(&self) -> usize {
        3
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["x", "y", "z"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        out[0] = self.sigma * (s[1] - s[0]);
        out[1] = s[0] * (self.rho - s[2]) - s[1];
        out[2] = s[0] * s[1] - self.beta * s[2];
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&[
            -self.sigma,
            self.sigma,
            0.0,
            self.rho - s[2],
            -1.0,
            -s[0],
            s[1],
            s[0],
            -self.beta,
        ]);
    }
    fn rate_jacobian(&self, s: &[f64], out: &mut [f64]) -> bool {
        // Rates (σ, ρ, β).
        out.copy_from_slice(&[s[1] - s[0], 0.0, 0.0, 0.0, s[0], 0.0, 0.0, 0.0, -s[2]]);
        true
    }
}
