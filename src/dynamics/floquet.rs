//! The linear algebra of a periodic orbit in 2 or 3 dimensions: the flow with its derivative
//! (the variational equations Φ' = J(x)·Φ, Φ(0) = I, integrated with fixed RK4 steps), the
//! Floquet multipliers of the monodromy matrix Φ(T), its left eigenvector for the multiplier 1,
//! and a small dense solver for the shooting Newton step.

use crate::dynamics::rk4::Rk4;
use crate::systems::system::System;

/// The variational system of `system`: the state is (x, Φ) with Φ a d×d matrix (row-major),
/// x' = f(x) and Φ' = J(x)·Φ.
struct Variational<'a, S: System + ?Sized> {
    system: &'a S,
}

impl<S: System + ?Sized> System for Variational<'_, S> {
    fn name(&self) -> &'static str {
        "variational"
    }
    fn dim(&self) -> usize {
        let d = self.system.dim();
        d + d * d
    }
    fn state_names(&self) -> &'static [&'static str] {
        self.system.state_names()
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        let d = self.system.dim();
        let (x, phi) = s.split_at(d);
        self.system.vector_field(x, &mut out[..d]);
        let mut j = [0.0; 9];
        self.system.jacobian(x, &mut j[..d * d]);
        for r in 0..d {
            for c in 0..d {
                out[d + r * d + c] = (0..d).map(|m| j[r * d + m] * phi[m * d + c]).sum();
            }
        }
    }
    /// Not used: the steps are fixed by the caller.
    fn jacobian(&self, _s: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
    }
}

/// The state after `steps` fixed RK4 steps of size `h` from `x0`, and the derivative Φ of that
/// map with respect to `x0` (row-major d×d, d ≤ 3), or the first inadmissible state's message:
/// [`FlowRun`] in one go.
pub fn flow_with_derivative<S: System + ?Sized>(
    system: &S,
    x0: &[f64],
    h: f64,
    steps: usize,
) -> Result<(Vec<f64>, [f64; 9]), String> {
    let mut run = FlowRun::new(system, x0, h, steps);
    run.advance(system, steps)?;
    run.result(system)
}

/// [`flow_with_derivative`] a bounded number of steps at a time (the same steps, so the same
/// bits however it is sliced).
pub struct FlowRun {
    aug: Vec<f64>,
    rk4: Rk4,
    h: f64,
    steps: usize,
    done: usize,
}

impl FlowRun {
    /// (x0, Φ = I) before any step.
    pub fn new<S: System + ?Sized>(system: &S, x0: &[f64], h: f64, steps: usize) -> Self {
        let d = system.dim();
        let mut aug = vec![0.0; d + d * d];
        aug[..d].copy_from_slice(x0);
        for r in 0..d {
            aug[d + r * d + r] = 1.0;
        }
        FlowRun {
            rk4: Rk4::new(aug.len()),
            aug,
            h,
            steps,
            done: 0,
        }
    }

    /// Takes at most `n` more steps; returns whether all `steps` are done, or the first
    /// inadmissible state's message.
    pub fn advance<S: System + ?Sized>(&mut self, system: &S, n: usize) -> Result<bool, String> {
        let d = system.dim();
        let variational = Variational { system };
        let end = self.steps.min(self.done.saturating_add(n));
        for _ in self.done..end {
            self.rk4.step(&variational, &mut self.aug, self.h);
            system.check_state(&self.aug[..d])?;
        }
        self.done = end;
        Ok(self.done >= self.steps)
    }

    /// The share of the steps taken, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.steps == 0 {
            1.0
        } else {
            self.done as f64 / self.steps as f64
        }
    }

    /// x after the steps and Φ (call once [`FlowRun::advance`] has returned `true`).
    pub fn result<S: System + ?Sized>(&self, system: &S) -> Result<(Vec<f64>, [f64; 9]), String> {
        let d = system.dim();
        if self.aug[d..].iter().any(|v| !v.is_finite()) {
            return Err("the variational equations overflowed".into());
        }
        let mut phi = [0.0; 9];
        phi[..d * d].copy_from_slice(&self.aug[d..]);
        Ok((self.aug[..d].to_vec(), phi))
    }
}

/// Solves A·x = b for a small dense n×n system (row-major) by Gaussian elimination with
/// partial pivoting; `None` if A is singular to working precision.
pub fn solve(mut a: Vec<f64>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    let scale = a.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    for col in 0..n {
        let pivot =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if a[pivot * n + col].abs() <= 1e-14 * scale {
            return None;
        }
        for k in 0..n {
            a.swap(col * n + k, pivot * n + k);
        }
        b.swap(col, pivot);
        for row in col + 1..n {
            let factor = a[row * n + col] / a[col * n + col];
            for k in col..n {
                a[row * n + k] -= factor * a[col * n + k];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[row * n + k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row * n + row];
    }
    Some(x)
}

/// The eigenvalues of a d×d monodromy matrix (d = 2 or 3) as (re, im): the real one nearest 1
/// first (the trivial multiplier along the flow), then the others.
pub fn multipliers(m: &[f64; 9], d: usize) -> Vec<(f64, f64)> {
    let at = |r: usize, c: usize| m[r * d + c];
    // Characteristic polynomial λ^d − c1·λ^(d−1) + c2·λ^(d−2) − … with c1 = tr, c_d = det.
    let (trace, minors, det) = match d {
        2 => (
            at(0, 0) + at(1, 1),
            0.0,
            at(0, 0) * at(1, 1) - at(0, 1) * at(1, 0),
        ),
        _ => {
            let minor = |a: usize, b: usize| at(a, a) * at(b, b) - at(a, b) * at(b, a);
            let det = at(0, 0) * (at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1))
                - at(0, 1) * (at(1, 0) * at(2, 2) - at(1, 2) * at(2, 0))
                + at(0, 2) * (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0));
            (
                at(0, 0) + at(1, 1) + at(2, 2),
                minor(0, 1) + minor(0, 2) + minor(1, 2),
                det,
            )
        }
    };
    let quadratic = |b: f64, c: f64| -> [(f64, f64); 2] {
        // λ² − bλ + c = 0
        let disc = b * b - 4.0 * c;
        if disc >= 0.0 {
            let root = disc.sqrt();
            let big = 0.5 * (b + b.signum() * root);
            let small = if big == 0.0 { 0.0 } else { c / big };
            [(big, 0.0), (small, 0.0)]
        } else {
            let im = 0.5 * (-disc).sqrt();
            [(0.5 * b, im), (0.5 * b, -im)]
        }
    };
    if d == 2 {
        let mut roots = quadratic(trace, det).to_vec();
        roots.sort_by(|a, b| libm::hypot(a.0 - 1.0, a.1).total_cmp(&libm::hypot(b.0 - 1.0, b.1)));
        return roots;
    }
    // The real root nearest 1 by Newton from 1, then deflate to a quadratic.
    let p = |l: f64| ((l - trace) * l + minors) * l - det;
    let dp = |l: f64| (3.0 * l - 2.0 * trace) * l + minors;
    let mut l = 1.0;
    for _ in 0..100 {
        let step = p(l) / dp(l);
        l -= step;
        if step.abs() <= 1e-15 * l.abs().max(1.0) {
            break;
        }
    }
    // λ³ − tλ² + sλ − det = (λ − l)(λ² − bλ + c): b = t − l, c = det / l.
    let [a, b] = quadratic(trace - l, if l == 0.0 { 0.0 } else { det / l });
    vec![(l, 0.0), a, b]
}

/// A non-zero z with zᵀ·M = zᵀ, for a monodromy matrix M (d = 2 or 3) whose multiplier 1 is
/// simple: a null vector of Mᵀ − I, from the cross product (d = 3) or the perpendicular
/// (d = 2) of the rows of M − I transposed that span the most.
pub fn left_eigenvector_for_one(m: &[f64; 9], d: usize) -> Vec<f64> {
    // Rows of A = Mᵀ − I are the columns of M − I.
    let row = |i: usize| -> [f64; 3] {
        let mut r = [0.0; 3];
        for (j, v) in r.iter_mut().enumerate().take(d) {
            *v = m[j * d + i] - if i == j { 1.0 } else { 0.0 };
        }
        r
    };
    if d == 2 {
        let candidates = [row(0), row(1)];
        let best = candidates
            .iter()
            .max_by(|a, b| libm::hypot(a[0], a[1]).total_cmp(&libm::hypot(b[0], b[1])))
            .expect("two rows");
        return vec![-best[1], best[0]];
    }
    let cross = |a: [f64; 3], b: [f64; 3]| {
        [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ]
    };
    let norm = |v: &[f64; 3]| v.iter().map(|x| x * x).sum::<f64>();
    [(0, 1), (0, 2), (1, 2)]
        .into_iter()
        .map(|(i, j)| cross(row(i), row(j)))
        .max_by(|a, b| norm(a).total_cmp(&norm(b)))
        .expect("three pairs")
        .to_vec()
}
