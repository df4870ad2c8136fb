//! The frictionless pendulum θ'' = −(g/L) sin θ, as (θ, ω). Its energy per unit mass,
//! H = ½ω² − (g/L) cos θ, is conserved and plays the role of V.

use crate::systems::system::{LyapunovFunction, ParamSpec, RunDefaults, System, SystemFacts};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pendulum {
    pub g: f64,
    pub length: f64,
}

pub const DESCRIPTION: &str = "Frictionless pendulum: θ'' = −(g/L) sin θ. The energy H = ½ω² − (g/L) cos θ is conserved; small swings have period 2π√(L/g).";

pub const PARAMETERS: [ParamSpec; 2] = [
    ParamSpec {
        name: "g",
        label: "g gravity",
        min: 1.0,
        max: 20.0,
        default: 9.81,
        step: 0.01,
        help: "Gravitational acceleration g.",
    },
    ParamSpec {
        name: "length",
        label: "L length",
        min: 0.1,
        max: 5.0,
        default: 1.0,
        step: 0.01,
        help: "Pendulum length L.",
    },
];

/// The initial state, as sliders, one per state variable.
pub const INITIAL_STATE: [ParamSpec; 2] = [
    ParamSpec::new(
        "theta0",
        "θ₀ initial angle",
        (-3.1, 3.1, 2.0, 0.05),
        "Initial angle in radians: small angles swing almost sinusoidally, near ±π the swing slows at the top.",
    ),
    ParamSpec::new(
        "omega0",
        "ω₀ initial angular velocity",
        (-8.0, 8.0, 0.0, 0.05),
        "Initial angular velocity. Enough energy (H > g/L) makes the pendulum rotate instead of swing.",
    ),
];

/// Everything the catalogue shows of this system.
pub const FACTS: SystemFacts = SystemFacts {
    title: "Frictionless pendulum",
    description: DESCRIPTION,
    rates: &PARAMETERS,
    initial_state: &INITIAL_STATE,
    run_defaults: RunDefaults {
        t_end: 10.0,
        sigma: 0.2,
        tau: 0.5,
        projection: (0, 1),
        burn_in: 0.0,
    },
    build,
};

/// The system with the given rates (validated positive by the catalogue).
fn build(rates: &[f64]) -> Result<Box<dyn System>, String> {
    Ok(Box::new(Pendulum {
        g: rates[0],
        length: rates[1],
    }))
}

impl Default for Pendulum {
    fn default() -> Self {
        Pendulum {
            g: 9.81,
            length: 1.0,
        }
    }
}

impl Pendulum {
    fn k(&self) -> f64 {
        self.g / self.length
    }
}

/// Largest |θ| accepted, in radians. Beyond about 1.6e6 sin and cos need their slow exact
/// argument reduction, and a huge θ cannot move (θ = 1e308 has no digits below 1e292): a θ₀ of
/// 1e308 took 15 s to be searched for a period that never comes. A rotating pendulum reaches
/// 1e6 only after some 10⁵ turns.
pub const MAX_ANGLE: f64 = 1e6;

impl System for Pendulum {
    fn check_state(&self, state: &[f64]) -> Result<(), String> {
        if let Some(i) = state.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "{} became non-finite ({})",
                self.state_names()[i],
                state[i]
            ));
        }
        if state[0].abs() > MAX_ANGLE {
            return Err(format!(
                "the angle θ = {:e} rad is beyond ±{MAX_ANGLE:e} rad: give it modulo 2π",
                state[0]
            ));
        }
        Ok(())
    }
    fn step_scale(&self, state: &[f64], i: usize) -> f64 {
        if i == 0 {
            1.0 // θ is an angle: rotating makes it grow, not move faster
        } else {
            state[i].abs().max(1.0)
        }
    }
    fn name(&self) -> &'static str {
        "pendulum"
    }
    fn equilibrium_point(&self) -> Option<Vec<f64>> {
        Some(vec![0.0, 0.0])
    }
    fn dim(&self) -> usize {
        2
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["angle θ", "angular velocity ω"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        out[0] = s[1];
        out[1] = -self.k() * libm::sin(s[0]);
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&[0.0, 1.0, -self.k() * libm::cos(s[0]), 0.0]);
    }
    fn rate_jacobian(&self, s: &[f64], out: &mut [f64]) -> bool {
        // Rates (g, L); only g/L enters f, so the two columns are parallel.
        let sin = libm::sin(s[0]);
        let l = self.length;
        out.copy_from_slice(&[0.0, 0.0, -sin / l, self.g * sin / (l * l)]);
        true
    }
    fn lyapunov(&self) -> Option<&dyn LyapunovFunction> {
        Some(self)
    }
    fn poincare_section(&self, initial: &[f64]) -> Option<(usize, f64)> {
        // A swinging (librating) pendulum crosses ω = 0 upwards once a swing, at its lowest θ.
        // With H ≥ g/L it goes over the top (or creeps towards it forever): ω never changes
        // sign, and θ grows without bound, so there is no period to measure this way.
        (self.value(initial) < self.k()).then_some((1, 0.0))
    }
}

impl LyapunovFunction for Pendulum {
    fn value(&self, s: &[f64]) -> f64 {
        0.5 * s[1] * s[1] - self.k() * libm::cos(s[0])
    }
    fn gradient(&self, s: &[f64], out: &mut [f64]) {
        out[0] = self.k() * libm::sin(s[0]);
        out[1] = s[1];
    }
}
