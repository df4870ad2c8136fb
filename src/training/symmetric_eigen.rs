//! Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method: plain
//! arithmetic and `sqrt`, so the same bits on every target. Used on Hessians of a few to a
//! hundred parameters, where its O(p³) per sweep is nothing.

/// The eigen-decomposition A = V diag(λ) Vᵀ of a symmetric p×p matrix (row-major), with the
/// eigenvalues ascending and the eigenvectors as the columns of V (row-major p×p).
#[derive(Debug, Clone, PartialEq)]
pub struct SymmetricEigen {
    pub values: Vec<f64>,
    pub vectors: Vec<f64>,
}

/// Sweeps of the cyclic Jacobi method before giving up (it converges quadratically: a handful
/// suffice for any p the lab uses).
const MAX_SWEEPS: usize = 64;

impl SymmetricEigen {
    /// Decomposes the symmetric part ½(A + Aᵀ) of `a` (p×p, row-major).
    ///
    /// # Panics
    /// If `a.len()` is not a square.
    pub fn new(a: &[f64]) -> SymmetricEigen {
        let p = (a.len() as f64).sqrt().round() as usize;
        assert_eq!(p * p, a.len(), "a square matrix");
        let mut m: Vec<f64> = (0..p * p)
            .map(|k| 0.5 * (a[k] + a[(k % p) * p + k / p]))
            .collect();
        let mut v: Vec<f64> = (0..p * p)
            .map(|k| if k / p == k % p { 1.0 } else { 0.0 })
            .collect();
        let scale: f64 = m.iter().map(|x| x * x).sum::<f64>().sqrt();
        for _ in 0..MAX_SWEEPS {
            let off: f64 = (0..p)
                .flat_map(|i| (0..p).filter(move |&j| j != i).map(move |j| (i, j)))
                .map(|(i, j)| m[i * p + j] * m[i * p + j])
                .sum::<f64>()
                .sqrt();
            if off <= 1e-15 * scale || off == 0.0 {
                break;
            }
            for i in 0..p {
                for j in i + 1..p {
                    rotate(&mut m, &mut v, p, i, j);
                }
            }
        }
        let mut order: Vec<usize> = (0..p).collect();
        order.sort_by(|&a, &b| m[a * p + a].total_cmp(&m[b * p + b]));
        SymmetricEigen {
            values: order.iter().map(|&k| m[k * p + k]).collect(),
            vectors: (0..p * p).map(|k| v[(k / p) * p + order[k % p]]).collect(),
        }
    }
}

/// One Jacobi rotation zeroing m[i][j] (Golub & Van Loan, Algorithm 8.5.1).
fn rotate(m: &mut [f64], v: &mut [f64], p: usize, i: usize, j: usize) {
    let aij = m[i * p + j];
    if aij == 0.0 {
        return;
    }
    let tau = (m[j * p + j] - m[i * p + i]) / (2.0 * aij);
    let t = tau.signum() / (tau.abs() + (1.0 + tau * tau).sqrt());
    let t = if tau == 0.0 { 1.0 } else { t };
    let c = 1.0 / (1.0 + t * t).sqrt();
    let s = t * c;
    for k in 0..p {
        let (mki, mkj) = (m[k * p + i], m[k * p + j]);
        m[k * p + i] = c * mki - s * mkj;
        m[k * p + j] = s * mki + c * mkj;
    }
    for k in 0..p {
        let (mik, mjk) = (m[i * p + k], m[j * p + k]);
        m[i * p + k] = c * mik - s * mjk;
        m[j * p + k] = s * mik + c * mjk;
    }
    for k in 0..p {
        let (vki, vkj) = (v[k * p + i], v[k * p + j]);
        v[k * p + i] = c * vki - s * vkj;
        v[k * p + j] = s * vki + c * vkj;
    }
}
