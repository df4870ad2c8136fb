//! The Lorenz system, chaotic at the classic parameters σ = 10, ρ = 28, β = 8/3:
//! dx/dt = σ(y − x), dy/dt = x(ρ − z) − y, dz/dt = xy − βz. No conserved V.

use crate::systems::system::{ParamSpec, System};

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
}
