//! Phase-plane aids: the type of a planar equilibrium from its Jacobian, and the direction of the
//! flow on a grid.

use crate::systems::system::System;

/// The linear type of an equilibrium with Jacobian trace `tr` and determinant `det`.
pub fn equilibrium_type(tr: f64, det: f64) -> &'static str {
    let disc = tr * tr - 4.0 * det;
    let flat = 1e-12 * (tr.abs() + det.abs()).max(1e-300);
    if det < -flat {
        "a saddle"
    } else if det.abs() <= flat {
        "degenerate"
    } else if tr.abs() <= flat {
        "a centre"
    } else if disc < 0.0 {
        if tr < 0.0 {
            "a stable spiral"
        } else {
            "an unstable spiral"
        }
    } else if tr < 0.0 {
        "a stable node"
    } else {
        "an unstable node"
    }
}

/// The type of the equilibrium at `state` of a planar system.
pub fn classify<S: System + ?Sized>(system: &S, state: [f64; 2]) -> &'static str {
    let mut j = [0.0; 4];
    system.jacobian(&state, &mut j);
    equilibrium_type(j[0] + j[3], j[0] * j[3] - j[1] * j[2])
}

/// Unit flow directions on a `cols`×`rows` grid over the ranges, cell centres first by row:
/// (x, y, dx, dy) with (dx, dy) = f/|f| (zero at an equilibrium).
pub fn direction_field<S: System + ?Sized>(
    system: &S,
    x: (f64, f64),
    y: (f64, f64),
    cols: usize,
    rows: usize,
) -> Vec<[f64; 4]> {
    let mut out = Vec::with_capacity(cols * rows);
    let mut f = [0.0; 2];
    for r in 0..rows {
        for c in 0..cols {
            let px = x.0 + (x.1 - x.0) * (c as f64 + 0.5) / cols as f64;
            let py = y.0 + (y.1 - y.0) * (r as f64 + 0.5) / rows as f64;
            system.vector_field(&[px, py], &mut f);
            let norm = libm::hypot(f[0], f[1]);
            let (dx, dy) = if norm > 0.0 && norm.is_finite() {
                (f[0] / norm, f[1] / norm)
            } else {
                (0.0, 0.0)
            };
            out.push([px, py, dx, dy]);
        }
    }
    out
}
