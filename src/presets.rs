//! Named starting points for a class, each setting every control, with a short commentary on
//! what the setting is and what to look at. The commentary never announces a result: the
//! page shows the live verdict beside it.

use crate::config::{Config, STEPS_PER_FRAME};
use crate::model::ModelKind;

pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub commentary: &'static str,
    /// Overrides of the defaults; every other control is reset to its default.
    alpha: f64,
    beta: f64,
    gamma: f64,
    delta: f64,
    x0: f64,
    y0: f64,
    t_end: f64,
    sigma: f64,
}

impl Preset {
    /// The full config and steps per frame this preset sets.
    pub fn settings(&self) -> (Config, usize) {
        let config = Config {
            alpha: self.alpha,
            beta: self.beta,
            gamma: self.gamma,
            delta: self.delta,
            x0: self.x0,
            y0: self.y0,
            t_end: self.t_end,
            sigma: self.sigma,
            n: 1000,
            seed: 0,
            model: ModelKind::PaperLinear,
            lr: 0.01,
        };
        (config, STEPS_PER_FRAME.default as usize)
    }
}

const PAPER: (f64, f64, f64, f64) = (1.0, 0.1, 1.5, 0.75);

pub const PRESETS: [Preset; 5] = [
    Preset {
        id: "paper",
        title: "Paper setup (σ = 2)",
        commentary: "The SciPy-cookbook system the paper uses: α = 1, β = 0.1, γ = 1.5, δ = 0.75, starting from 10 prey and 5 predators, observed with noise σ = 2. Compare where the bright dots sit with where ∂V/∂n dips, and read the verdict. Then press New noise a few times: does the sign of r stay the same from one noise draw to the next?",
        alpha: PAPER.0,
        beta: PAPER.1,
        gamma: PAPER.2,
        delta: PAPER.3,
        x0: 10.0,
        y0: 5.0,
        t_end: 15.0,
        sigma: 2.0,
    },
    Preset {
        id: "noise-ablation",
        title: "Noise ablation (σ = 0)",
        commentary: "The observations are the clean orbit itself. For paper-linear, uniform attention then rebuilds every state exactly (r_t = N·(1/N)·x_t = x_t), so the loss starts at zero. Watch whether the attention moves away from uniform at all, and what the verdict can say when it does not.",
        alpha: PAPER.0,
        beta: PAPER.1,
        gamma: PAPER.2,
        delta: PAPER.3,
        x0: 10.0,
        y0: 5.0,
        t_end: 15.0,
        sigma: 0.0,
    },
    Preset {
        id: "low-noise",
        title: "Low noise (σ = 0.5)",
        commentary: "The paper's system with a quarter of the noise. Compare r, the peak offset and the colour range of the attention with the σ = 2 setup: does less noise make the attention follow the geometry of V more or less?",
        alpha: PAPER.0,
        beta: PAPER.1,
        gamma: PAPER.2,
        delta: PAPER.3,
        x0: 10.0,
        y0: 5.0,
        t_end: 15.0,
        sigma: 0.5,
    },
    Preset {
        id: "near-extinction",
        title: "Near extinction",
        commentary: "30 prey and 1 predator put the system on a large orbit that passes within a few millionths of both axes; one period lasts about 19 time units, so the window is 40 long. The orbit moves slowly near the axes, so most samples crowd there, and there V is extremely steep (∂V/∂n is huge). Where does the attention go?",
        alpha: PAPER.0,
        beta: PAPER.1,
        gamma: PAPER.2,
        delta: PAPER.3,
        x0: 30.0,
        y0: 1.0,
        t_end: 40.0,
        sigma: 2.0,
    },
    Preset {
        id: "small-orbit",
        title: "Small orbit near equilibrium",
        commentary: "Starting at (2.5, 11), close to the equilibrium (2, 10), the orbit is a small near-ellipse with period close to 2π/√(αγ) ≈ 5.1. Here the noise (σ = 0.5) is comparable to the orbit's width, and ∂V/∂n varies much less around this orbit than around the paper's. Is there still anything for the attention to align with?",
        alpha: PAPER.0,
        beta: PAPER.1,
        gamma: PAPER.2,
        delta: PAPER.3,
        x0: 2.5,
        y0: 11.0,
        t_end: 15.0,
        sigma: 0.5,
    },
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
