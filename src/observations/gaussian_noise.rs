//! Seeded additive Gaussian observation noise, bit-identical on every target.
//!
//! The stream is ChaCha8 (specified bit-for-bit), turned into uniforms with 53-bit precision and
//! into standard normals with Marsaglia's polar method using `libm::log` and IEEE `sqrt`. Nothing
//! here calls the platform's libm, so a seed gives the same bits natively and in wasm32.

use ndarray::Array2;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest seed that survives a round trip through a JavaScript number (2^53 − 1).
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// Standard normal deviates from a seeded ChaCha8 stream.
pub struct StandardNormal {
    rng: ChaCha8Rng,
    spare: Option<f64>,
}

impl StandardNormal {
    pub fn new(seed: u64) -> Self {
        StandardNormal {
            rng: ChaCha8Rng::seed_from_u64(seed),
            spare: None,
        }
    }

    /// Uniform on [−1, 1) with 53 random bits.
    fn symmetric_uniform(&mut self) -> f64 {
        let u = (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        2.0 * u - 1.0
    }

    pub fn sample(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = self.symmetric_uniform();
            let v = self.symmetric_uniform();
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * libm::log(s) / s).sqrt();
                self.spare = Some(v * factor);
                return u * factor;
            }
        }
    }
}

/// `clean + σ·Z` with Z standard normal, row by row, seeded. σ = 0 returns `clean` exactly.
pub fn add_gaussian_noise(clean: &Array2<f64>, sigma: f64, seed: u64) -> Array2<f64> {
    if sigma == 0.0 {
        return clean.clone();
    }
    let mut normal = StandardNormal::new(seed);
    clean.mapv(|v| v + sigma * normal.sample())
}

/// A fresh seed from the operating system (or the browser's crypto API), within [`MAX_SEED`].
pub fn fresh_seed() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return 0;
    }
    u64::from_le_bytes(bytes) & MAX_SEED
}
