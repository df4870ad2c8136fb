//! Named starting points for a class, each setting every control, with a short commentary on
//! what the setting is and what to look at. The commentary never announces a result: the
//! page shows the live verdict beside it.

use crate::lab::config::{Config, STEPS_PER_FRAME};
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;

pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub commentary: &'static str,
    pub system: SystemKind,
    /// Overrides of the system's defaults, by parameter name; every other control is reset to
    /// its default.
    overrides: &'static [(&'static str, f64)],
    model: ModelKind,
    noise: NoiseModel,
}

impl Preset {
    /// The full config and steps per frame this preset sets.
    pub fn settings(&self) -> (Config, usize) {
        let mut config = Config::for_system(self.system);
        config.model = self.model;
        config.noise = self.noise;
        for &(name, value) in self.overrides {
            config = config.with(name, value);
        }
        (config, STEPS_PER_FRAME.default as usize)
    }
}

pub const PRESETS: [Preset; 10] = [
    Preset {
        id: "paper",
        title: "Paper setup (σ = 2)",
        commentary: "The SciPy-cookbook system the paper uses: α = 1, β = 0.1, γ = 1.5, δ = 0.75, starting from 10 prey and 5 predators, observed with noise σ = 2, over t ∈ [0, 15] (a little less than two periods, so part of the orbit is sampled twice). Compare where the bright dots sit with where ∂V/∂n dips, and read the verdict. Then press New noise a few times: does the sign of r stay the same from one noise draw to the next?",
        system: SystemKind::LotkaVolterra,
        overrides: &[("x0", 10.0), ("y0", 5.0), ("t_end", 15.0), ("sigma", 2.0)],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "noise-ablation",
        title: "Noise ablation (σ = 0)",
        commentary: "The observations are the clean orbit itself. For paper-linear, uniform attention then rebuilds every state exactly (r_t = N·(1/N)·x_t = x_t), so the loss starts at zero. Watch whether the attention moves away from uniform at all, and what the verdict can say when it does not.",
        system: SystemKind::LotkaVolterra,
        overrides: &[("x0", 10.0), ("y0", 5.0), ("t_end", 15.0), ("sigma", 0.0)],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "low-noise",
        title: "Low noise (σ = 0.5)",
        commentary: "The paper's system with a quarter of the noise. Compare r, the peak offset and the colour range of the attention with the σ = 2 setup: does less noise make the attention follow the geometry of V more or less?",
        system: SystemKind::LotkaVolterra,
        overrides: &[("x0", 10.0), ("y0", 5.0), ("t_end", 15.0), ("sigma", 0.5)],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "counts",
        title: "Counted populations (lognormal noise)",
        commentary: "The paper's system observed the way population counts usually are: with multiplicative, lognormal noise, x̃ = x·exp(σε) with σ = 0.2 (about ±20%), so no observation is ever zero or negative. Compare the verdict over the twenty noise draws with the paper setup's: does the sign of the alignment survive a realistic error model?",
        system: SystemKind::LotkaVolterra,
        overrides: &[("x0", 10.0), ("y0", 5.0), ("t_end", 15.0), ("sigma", 0.2)],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Lognormal,
    },
    Preset {
        id: "near-extinction",
        title: "Near extinction",
        commentary: "30 prey and 1 predator put the system on a large orbit that passes within a few millionths of both axes; one period lasts about 19 time units, so the window is 40 long. The orbit moves slowly near the axes, so most samples crowd there, and there V is extremely steep (∂V/∂n is huge). Where does the attention go?",
        system: SystemKind::LotkaVolterra,
        overrides: &[("x0", 30.0), ("y0", 1.0), ("t_end", 40.0), ("sigma", 2.0)],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "small-orbit",
        title: "Small orbit near equilibrium",
        commentary: "Starting at (2.5, 11), close to the equilibrium (2, 10), the orbit is a small near-ellipse with period close to 2π/√(αγ) ≈ 5.1. Here the noise (σ = 0.5) is comparable to the orbit's width, and ∂V/∂n varies much less around this orbit than around the paper's. Is there still anything for the attention to align with?",
        system: SystemKind::LotkaVolterra,
        overrides: &[("x0", 2.5), ("y0", 11.0), ("t_end", 15.0), ("sigma", 0.5)],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "pendulum",
        title: "Pendulum, large swing",
        commentary: "A frictionless pendulum released from θ = 2 rad (115°). Its energy H plays the role of V, so ∂V/∂n is defined here too. Near the top of the swing the pendulum slows and the samples crowd; at the bottom it is fastest. Switch the measure between ∂V/∂n and FTLE: do they tell the same story about where the orbit is sensitive?",
        system: SystemKind::Pendulum,
        overrides: &[],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "circadian",
        title: "Circadian clock (Goodwin)",
        commentary: "The Goodwin loop, a classic model of a circadian clock: mRNA makes protein makes repressor, which shuts off the mRNA. There is no conserved V, so attention is compared with the finite-time Lyapunov exponent. The portrait shows the repressor against the protein (change the plotted pair with the plot menu); the run starts on the limit cycle, whose period is about 40 time units. The mRNA level is tiny (0.006–0.05), so even σ = 0.02 hides it in noise: which coordinates can the model still use?",
        system: SystemKind::Goodwin,
        overrides: &[],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "lorenz",
        title: "Chaos: the Lorenz attractor",
        commentary: "Lorenz at σ = 10, ρ = 28, β = 8/3, drawn as x against z. The first 10 time units are integrated and discarded, so the window starts on the attractor. The FTLE over τ = 0.5 says how fast nearby states separate along the way: read its range on the right-hand plot. Does a model that only sees noisy states put its attention where the dynamics are predictable?",
        system: SystemKind::Lorenz,
        overrides: &[],
        model: ModelKind::PaperLinear,
        noise: NoiseModel::Gaussian,
    },
    Preset {
        id: "oracle",
        title: "Reference: the oracle",
        commentary: "Not a learned model: each observation is weighted by 1/|∇V|² at its observed position, a first-order inverse-variance weighting for estimating the conserved V. It ignores that strong noise can push a point out of V's domain (such points get weight 0), so it is a reference for what geometry-aware weights look like, not an optimum. Compare its ρ and its effective sample size with paper-linear's on the same data (switch the model back and forth).",
        system: SystemKind::LotkaVolterra,
        overrides: &[],
        model: ModelKind::OracleInverseVariance,
        noise: NoiseModel::Gaussian,
    },
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
