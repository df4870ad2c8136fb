//! The variational (tangent-linear) system x' = f(x), V' = J(x)·V that the FTLE, normal growth
//! and kick growth integrate, and the sub-interval stepping they share.

use crate::dynamics::rk4::{IntegrationError, Rk4};
use crate::systems::system::System;

/// Integration sub-interval: substeps are re-sized from the Jacobian at least this often.
pub(crate) const SUB_INTERVAL: f64 = 0.05;

/// The variational system of `system` with `k` tangent vectors: the state is (x, V) with V a
/// d×k matrix (row-major), and x' = f(x), V' = J(x)·V.
pub struct Tangent<'a, S: System + ?Sized> {
    pub system: &'a S,
    pub k: usize,
}

impl<S: System + ?Sized> Tangent<'_, S> {
    fn base_jacobian(&self, x: &[f64]) -> [f64; 9] {
        let mut j = [0.0; 9];
        let d = self.system.dim();
        self.system.jacobian(x, &mut j[..d * d]);
        j
    }
}

impl<S: System + ?Sized> System for Tangent<'_, S> {
    fn name(&self) -> &'static str {
        "tangent"
    }
    fn dim(&self) -> usize {
        let d = self.system.dim();
        d + d * self.k
    }
    fn state_names(&self) -> &'static [&'static str] {
        self.system.state_names()
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        let d = self.system.dim();
        let (x, v) = s.split_at(d);
        self.system.vector_field(x, &mut out[..d]);
        let j = self.base_jacobian(x);
        for r in 0..d {
            for c in 0..self.k {
                out[d + r * self.k + c] = (0..d).map(|m| j[r * d + m] * v[m * self.k + c]).sum();
            }
        }
    }
    /// For step sizing only: J on the x block, zero elsewhere. The tangent vectors evolve on
    /// the timescales of J itself, while their entries span many orders of magnitude (Φ grows
    /// like e^{λt}), which would distort the state-scaled norm that sizes the steps.
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let d = self.system.dim();
        let n = self.dim();
        out.iter_mut().for_each(|v| *v = 0.0);
        let j = self.base_jacobian(&s[..d]);
        for r in 0..d {
            out[r * n..r * n + d].copy_from_slice(&j[r * d..r * d + d]);
        }
    }
    fn step_scale(&self, s: &[f64], i: usize) -> f64 {
        let d = self.system.dim();
        if i < d {
            self.system.step_scale(&s[..d], i)
        } else {
            s[i].abs().max(1.0)
        }
    }
    fn check_state(&self, s: &[f64]) -> Result<(), String> {
        let d = self.system.dim();
        self.system.check_state(&s[..d])?;
        match s[d..].iter().all(|v| v.is_finite()) {
            true => Ok(()),
            false => Err("the tangent vectors overflowed: shorten the horizon".into()),
        }
    }
}

pub(crate) fn advance<S: System + ?Sized>(
    rk4: &mut Rk4,
    system: &S,
    state: &mut [f64],
    t0: f64,
    t1: f64,
) -> Result<(), IntegrationError> {
    let pieces = ((t1 - t0) / SUB_INTERVAL).ceil().max(1.0) as usize;
    for i in 0..pieces {
        let a = t0 + (t1 - t0) * i as f64 / pieces as f64;
        let b = t0 + (t1 - t0) * (i + 1) as f64 / pieces as f64;
        rk4.advance(system, state, a, b)?;
    }
    Ok(())
}
