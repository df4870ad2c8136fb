//! The radial isochron clock x′ = x(1 − r²) − ωy, y′ = y(1 − r²) + ωx (r² = x² + y²): in polar
//! coordinates r′ = r(1 − r²), φ′ = ω, so the unit circle attracts every orbit but the origin
//! and the isochrons are the rays φ = const. Its asymptotic phase is known in closed form,
//! ψ(x, y) = atan2(y, x)/ω in time units, so its phase response curve is too:
//! Z = ∇ψ = (−y, x)/(ωr²), on the cycle Z(t) = (−sin ωt, cos ωt)/ω with t = 0 at (1, 0), the
//! maximum of x. A test system for the phase-response code: it is not in the catalogue.

use crate::systems::system::System;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadialClock {
    /// Angular frequency ω: the period is 2π/ω.
    pub omega: f64,
}

impl Default for RadialClock {
    fn default() -> Self {
        RadialClock { omega: 1.0 }
    }
}

impl RadialClock {
    /// The analytic phase response on the cycle at time t after the maximum of x:
    /// Z(t) = (−sin ωt, cos ωt)/ω, in time units per unit of x and y.
    pub fn analytic_prc(&self, t: f64) -> [f64; 2] {
        let w = self.omega;
        [-libm::sin(w * t) / w, libm::cos(w * t) / w]
    }
}

impl System for RadialClock {
    fn name(&self) -> &'static str {
        "radial-clock"
    }
    fn dim(&self) -> usize {
        2
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["x", "y"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        let (x, y) = (s[0], s[1]);
        let g = 1.0 - x * x - y * y;
        out[0] = x * g - self.omega * y;
        out[1] = y * g + self.omega * x;
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let (x, y) = (s[0], s[1]);
        let g = 1.0 - x * x - y * y;
        out.copy_from_slice(&[
            g - 2.0 * x * x,
            -2.0 * x * y - self.omega,
            -2.0 * x * y + self.omega,
            g - 2.0 * y * y,
        ]);
    }
    fn equilibrium_point(&self) -> Option<Vec<f64>> {
        Some(vec![0.0, 0.0])
    }
    fn poincare_section(&self, _initial: &[f64]) -> Option<(usize, f64)> {
        // Counter-clockwise rotation: y crosses 0 upwards once a turn, on the positive x axis.
        Some((1, 0.0))
    }
}
