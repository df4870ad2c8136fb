//! Adam (Kingma & Ba, 2015) with the usual defaults β1 = 0.9, β2 = 0.999, ε = 1e-8.

#[derive(Debug, Clone, PartialEq)]
pub struct Adam {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    m: Vec<f64>,
    v: Vec<f64>,
    t: u64,
    /// β1^t and β2^t, kept as running products (plain multiplications are bit-identical on
    /// every target; `powi` goes through a compiler intrinsic).
    beta1_t: f64,
    beta2_t: f64,
}

impl Adam {
    pub fn new(lr: f64, n_params: usize) -> Self {
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            m: vec![0.0; n_params],
            v: vec![0.0; n_params],
            t: 0,
            beta1_t: 1.0,
            beta2_t: 1.0,
        }
    }

    /// Number of updates applied so far.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// θ ← θ − lr·m̂/(√v̂ + ε).
    pub fn update(&mut self, params: &mut [f64], gradient: &[f64]) {
        self.t += 1;
        self.beta1_t *= self.beta1;
        self.beta2_t *= self.beta2;
        let bias1 = 1.0 - self.beta1_t;
        let bias2 = 1.0 - self.beta2_t;
        for (((p, g), m), v) in params
            .iter_mut()
            .zip(gradient)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            *m = self.beta1 * *m + (1.0 - self.beta1) * g;
            *v = self.beta2 * *v + (1.0 - self.beta2) * g * g;
            *p -= self.lr * (*m / bias1) / ((*v / bias2).sqrt() + self.eps);
        }
    }
}
