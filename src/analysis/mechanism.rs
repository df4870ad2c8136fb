//! Why the sign is what it is, for a linear score (the paper's model): attention a_t ∝
//! exp(w·x̃_t + b) is a monotone function of w·x̃_t, so its Spearman ρ with any measure m equals
//! ρ(w·x̃, m). Which ρ a linear score *can* reach therefore depends only on the data and the
//! direction of w, not on training: scanning every direction gives the range [ρ_min, ρ_max]. If
//! the measure is tied to one coordinate (|∇V| falls as the prey x grows along the default
//! Lotka–Volterra orbit), so is the reachable ρ, and the sign the model lands on is decided by
//! what lowers the reconstruction loss, not by V.

use crate::analysis::metrics::{average_ranks, pearson};
use ndarray::Array2;
use serde::Serialize;

/// Directions scanned on the unit circle (2-D) or sphere (higher dimensions).
const DIRECTIONS: usize = 720;

/// The mechanism behind a linear score's alignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinearScoreMechanism {
    /// The learned score direction w (without the bias, which a softmax ignores).
    pub weights: Vec<f64>,
    /// Spearman ρ between the measure and each clean coordinate along the orbit.
    pub measure_vs_coordinate: Vec<Option<f64>>,
    /// The most negative ρ(w·x̃, m) any direction reaches (the claim at its strongest), and that
    /// direction.
    pub reachable_min: (f64, Vec<f64>),
    /// The most positive ρ any direction reaches, and that direction.
    pub reachable_max: (f64, Vec<f64>),
    /// ρ(w·x̃, m) for the learned w (equal to the model's Spearman ρ).
    pub achieved: Option<f64>,
}

/// Unit directions spread over the sphere in `d` dimensions: a uniform angle grid on the
/// half circle for d = 2 (−w gives −ρ), a Fibonacci lattice on the sphere otherwise.
fn directions(d: usize) -> Vec<Vec<f64>> {
    match d {
        1 => vec![vec![1.0]],
        2 => (0..DIRECTIONS)
            .map(|k| {
                let a = std::f64::consts::PI * k as f64 / DIRECTIONS as f64;
                vec![libm::cos(a), libm::sin(a)]
            })
            .collect(),
        _ => {
            let golden = std::f64::consts::PI * (3.0 - 5.0_f64.sqrt());
            (0..DIRECTIONS)
                .map(|k| {
                    let z = 1.0 - 2.0 * (k as f64 + 0.5) / DIRECTIONS as f64;
                    let r = (1.0 - z * z).sqrt();
                    let a = golden * k as f64;
                    let mut v = vec![0.0; d];
                    v[0] = r * libm::cos(a);
                    v[1] = r * libm::sin(a);
                    v[2] = z;
                    v
                })
                .collect()
        }
    }
}

/// The mechanism for `weights` (w, length d; a trailing bias is ignored) scoring `observed`
/// (N×d), against the measure `m` (length N; NaN entries are left out), with the clean states
/// for the coordinate correlations. `None` if fewer than three points have a finite measure.
pub fn linear_score_mechanism(
    observed: &Array2<f64>,
    clean: &Array2<f64>,
    measure: &[f64],
    weights: &[f64],
) -> Option<LinearScoreMechanism> {
    let d = observed.ncols();
    let keep: Vec<usize> = (0..measure.len())
        .filter(|&i| measure[i].is_finite())
        .collect();
    if keep.len() < 3 {
        return None;
    }
    let (mut order, mut measure_ranks, mut ranks) = (Vec::new(), Vec::new(), Vec::new());
    let m: Vec<f64> = keep.iter().map(|&i| measure[i]).collect();
    average_ranks(&m, &mut order, &mut measure_ranks);
    let mut scores = vec![0.0; keep.len()];
    let mut rho_of = |w: &[f64]| {
        for (s, &i) in scores.iter_mut().zip(&keep) {
            *s = (0..d).map(|j| w[j] * observed[[i, j]]).sum();
        }
        average_ranks(&scores, &mut order, &mut ranks);
        pearson(&ranks, &measure_ranks)
    };
    let mut low = (f64::INFINITY, vec![0.0; d]);
    let mut high = (f64::NEG_INFINITY, vec![0.0; d]);
    for w in directions(d) {
        let Some(rho) = rho_of(&w) else { continue };
        // −w gives −ρ: both ends from one scan.
        if rho < low.0 {
            low = (rho, w.clone());
        }
        if -rho < low.0 {
            low = (-rho, w.iter().map(|v| -v).collect());
        }
        if rho > high.0 {
            high = (rho, w.clone());
        }
        if -rho > high.0 {
            high = (-rho, w.iter().map(|v| -v).collect());
        }
    }
    let w = &weights[..d.min(weights.len())];
    let achieved = if w.iter().all(|v| *v == 0.0) {
        None
    } else {
        rho_of(w)
    };
    let measure_vs_coordinate = (0..d)
        .map(|j| {
            let coordinate: Vec<f64> = keep.iter().map(|&i| clean[[i, j]]).collect();
            crate::analysis::metrics::spearman(&coordinate, &m)
        })
        .collect();
    low.0.is_finite().then_some(LinearScoreMechanism {
        weights: w.to_vec(),
        measure_vs_coordinate,
        reachable_min: low,
        reachable_max: high,
        achieved,
    })
}
