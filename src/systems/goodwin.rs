//! The Goodwin oscillator, a classic model of a circadian clock: an mRNA X makes a protein Y,
//! which makes a repressor Z, which shuts off X.
//! dX/dt = a/(1 + Zⁿ) − bX, dY/dt = cX − dY, dZ/dt = eY − fZ. Oscillates for a steep enough
//! repression (n large; n > 8 when the degradation rates are equal).

use crate::systems::system::{ParamSpec, RunDefaults, System, SystemFacts};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goodwin {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
    pub n: f64,
}

pub const DESCRIPTION: &str = "Goodwin (1965) negative-feedback loop, a classic circadian-clock model: mRNA → protein → repressor ⊣ mRNA. Sustained oscillations need steep repression (Hill coefficient n > 8 with equal degradation rates).";

pub const PARAMETERS: [ParamSpec; 3] = [
    ParamSpec {
        name: "hill_n",
        label: "n Hill coefficient",
        min: 4.0,
        max: 20.0,
        default: 10.0,
        step: 0.5,
        help: "Steepness of the repression; oscillations need n > 8 here.",
    },
    ParamSpec {
        name: "synthesis",
        label: "a synthesis",
        min: 0.2,
        max: 5.0,
        default: 1.0,
        step: 0.05,
        help: "Maximal mRNA synthesis rate a.",
    },
    ParamSpec {
        name: "degradation",
        label: "b = d = f degradation",
        min: 0.05,
        max: 0.5,
        default: 0.1,
        step: 0.005,
        help: "Degradation rate shared by mRNA, protein and repressor.",
    },
];

/// The initial state, as sliders, one per state variable.
/// A point on the default Goodwin limit cycle (near its lowest repressor level, reached after a
/// long transient from (0.1, 0.2, 2.5)), so that the window shows the oscillation rather than
/// the slow approach to it.
pub const INITIAL_STATE: [ParamSpec; 3] = [
    ParamSpec::new(
        "x0",
        "X₀ initial mRNA",
        (0.0, 1.0, 0.0404, 0.0001),
        "Initial mRNA concentration.",
    ),
    ParamSpec::new(
        "y0",
        "Y₀ initial protein",
        (0.0, 5.0, 0.168, 0.001),
        "Initial protein concentration.",
    ),
    ParamSpec::new(
        "z0",
        "Z₀ initial repressor",
        (0.0, 10.0, 1.573, 0.001),
        "Initial repressor concentration.",
    ),
];

/// Everything the catalogue shows of this system.
pub const FACTS: SystemFacts = SystemFacts {
    title: "Goodwin circadian oscillator (3-D)",
    description: DESCRIPTION,
    rates: &PARAMETERS,
    initial_state: &INITIAL_STATE,
    run_defaults: RunDefaults {
        t_end: 150.0,
        sigma: 0.02,
        tau: 5.0,
        projection: (1, 2),
        burn_in: 0.0,
    },
    build,
};

/// The system with the given rates (validated positive by the catalogue).
fn build(rates: &[f64]) -> Result<Box<dyn System>, String> {
    Ok(Box::new(Goodwin {
        n: rates[0],
        a: rates[1],
        b: rates[2],
        d: rates[2],
        f: rates[2],
        ..Goodwin::default()
    }))
}

impl Default for Goodwin {
    fn default() -> Self {
        Goodwin {
            a: 1.0,
            b: 0.1,
            c: 1.0,
            d: 0.1,
            e: 1.0,
            f: 0.1,
            n: 10.0,
        }
    }
}

impl Goodwin {
    /// The repressor level Z* at the unique equilibrium: the root of
    /// a/(1 + Zⁿ) = (b·d·f / (c·e))·Z, whose left side falls and right side rises in Z.
    pub fn equilibrium_repressor(&self) -> f64 {
        let k = self.b * self.d * self.f / (self.c * self.e);
        let h = |z: f64| self.a / (1.0 + libm::pow(z, self.n)) - k * z;
        let (mut lo, mut hi) = (0.0, self.a / k);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if h(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

impl System for Goodwin {
    fn name(&self) -> &'static str {
        "goodwin"
    }
    fn dim(&self) -> usize {
        3
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["mRNA X", "protein Y", "repressor Z"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        let zn = libm::pow(s[2].max(0.0), self.n);
        out[0] = self.a / (1.0 + zn) - self.b * s[0];
        out[1] = self.c * s[0] - self.d * s[1];
        out[2] = self.e * s[1] - self.f * s[2];
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let z = s[2].max(0.0);
        let zn1 = libm::pow(z, self.n - 1.0);
        let denom = 1.0 + zn1 * z;
        let dx_dz = -self.a * self.n * zn1 / (denom * denom);
        out.copy_from_slice(&[
            -self.b, 0.0, dx_dz, self.c, -self.d, 0.0, 0.0, self.e, -self.f,
        ]);
    }
    fn rate_jacobian(&self, s: &[f64], out: &mut [f64]) -> bool {
        // Rates (n, a, b = d = f), as `build` maps them: ∂/∂n of a/(1 + zⁿ) is
        // −a·zⁿ·ln z/(1 + zⁿ)², which vanishes at z = 0.
        let z = s[2].max(0.0);
        let zn = libm::pow(z, self.n);
        let denom = 1.0 + zn;
        let d_n = if z > 0.0 {
            -self.a * zn * libm::log(z) / (denom * denom)
        } else {
            0.0
        };
        out.copy_from_slice(&[d_n, 1.0 / denom, -s[0], 0.0, 0.0, -s[1], 0.0, 0.0, -s[2]]);
        true
    }
    fn poincare_section(&self, _initial: &[f64]) -> Option<(usize, f64)> {
        // The orbit winds around the equilibrium: the repressor crosses Z* upwards once a cycle.
        Some((2, self.equilibrium_repressor()))
    }
    fn equilibrium_point(&self) -> Option<Vec<f64>> {
        let z = self.equilibrium_repressor();
        let y = self.f * z / self.e;
        Some(vec![self.d * y / self.c, y, z])
    }
    fn check_state(&self, s: &[f64]) -> Result<(), String> {
        for (name, &v) in self.state_names().iter().zip(s) {
            if !v.is_finite() || v < 0.0 {
                return Err(format!(
                    "{name} became {v}: concentrations must stay finite and non-negative"
                ));
            }
        }
        Ok(())
    }
}
