//! The run parameters beyond a system's own (time window, samples, noise, seed, learning rate,
//! horizon, self-attention shape) and the page's steps-per-frame control, as slider specs.

use crate::models::self_attention;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::systems::system::ParamSpec;

/// The run parameters beyond the system's own. `min..=max` are the slider ranges; validation
/// ([`crate::lab::config::Config::validate`]) only enforces what keeps the numbers meaningful.
pub const RUN_PARAMETERS: [ParamSpec; 9] = [
    ParamSpec {
        name: "t_end",
        label: "t_end duration",
        min: 2.0,
        max: 300.0,
        default: 15.0,
        step: 0.5,
        help: "Length of the simulated time window [0, t_end].",
    },
    ParamSpec {
        name: "burn_in",
        label: "transient discarded",
        min: 0.0,
        max: 200.0,
        default: 0.0,
        step: 1.0,
        help: "Time integrated from the initial state and thrown away before the window starts: the transient onto a chaotic attractor (the initial state is then the state this long before t = 0).",
    },
    ParamSpec {
        name: "n",
        label: "N samples",
        min: 50.0,
        max: 5000.0,
        default: 1000.0,
        step: 50.0,
        help: "Number of observations, uniformly spaced in time.",
    },
    ParamSpec {
        name: "sigma",
        label: "σ noise",
        min: 0.0,
        max: 10.0,
        default: 2.0,
        step: 0.05,
        help: "Standard deviation of the Gaussian noise added to each observed coordinate.",
    },
    ParamSpec {
        name: "seed",
        label: "seed",
        min: 0.0,
        max: 999.0,
        default: 0.0,
        step: 1.0,
        help: "Seed of the noise: the same seed gives exactly the same noisy data everywhere.",
    },
    ParamSpec {
        name: "lr",
        label: "learning rate",
        min: 1e-4,
        max: 1.0,
        default: 0.01,
        step: 0.0001,
        help: "Adam learning rate. Changing it keeps what the model has learned.",
    },
    ParamSpec {
        name: "tau",
        label: "τ horizon",
        min: 0.05,
        max: 20.0,
        default: 1.0,
        step: 0.05,
        help: "Horizon of the FTLE and normal-growth measures: how far ahead a perturbation is followed.",
    },
    ParamSpec {
        name: "heads",
        label: "heads",
        min: 1.0,
        max: 4.0,
        default: self_attention::DEFAULT_HEADS as f64,
        step: 1.0,
        help: "Attention heads of the self-attention model (1–4).",
    },
    ParamSpec {
        name: "window",
        label: "W window",
        min: 1.0,
        max: 64.0,
        default: self_attention::DEFAULT_WINDOW as f64,
        step: 1.0,
        help: "The self-attention model attends to the ±W nearest samples in time.",
    },
];

/// The page-only control: optimizer steps per animation frame.
pub const STEPS_PER_FRAME: ParamSpec = ParamSpec {
    name: "steps_per_frame",
    label: "steps per frame",
    min: 1.0,
    max: 200.0,
    default: 20.0,
    step: 1.0,
    help: "Optimizer steps run before each redraw. More trains faster; fewer lets you watch each step.",
};

/// The run parameter specs by name.
pub fn run_parameter(name: &str) -> Option<&'static ParamSpec> {
    RUN_PARAMETERS.iter().find(|p| p.name == name)
}

/// σ for lognormal noise is a spread on the log scale, the same for every system: 0 to 1.5 (a
/// factor e^±1.5 ≈ 4.5), in steps of 0.01.
pub const LOGNORMAL_SIGMA_RANGE: (f64, f64, f64) = (0.0, 1.5, 0.01);

/// The Gaussian σ slider's maximum, as a multiple of the system's default σ.
pub const SIGMA_MAX_PER_DEFAULT: f64 = 5.0;

/// The σ slider's (min, max, step) for `system` under `noise`. Gaussian σ is in the state's
/// units, so its range follows the system's default σ (Goodwin's 0.02, Lotka–Volterra's 2): 0 to
/// [`SIGMA_MAX_PER_DEFAULT`] times the default, in steps of a twentieth of the default's leading
/// decade (0.05 for σ = 2, 0.0005 for σ = 0.02), so the default is a position of the slider.
pub fn sigma_range(system: SystemKind, noise: NoiseModel) -> (f64, f64, f64) {
    match noise {
        NoiseModel::Lognormal => LOGNORMAL_SIGMA_RANGE,
        NoiseModel::Gaussian => {
            let default = system.run_defaults().sigma;
            let decade = 10f64.powf(default.log10().floor());
            let step = decade / 20.0;
            // Rounded to the step's decimals, so 5 × 0.3 reads 1.5, not 1.5000000000000002.
            let digits = 10f64.powf((-step.log10()).ceil() + 1.0);
            let max = (SIGMA_MAX_PER_DEFAULT * default * digits).round() / digits;
            (0.0, max, step)
        }
    }
}
