//! The noise and the model of one run: the argument group of `run`, `perturb` and `figure`.

use crate::system_args::{help, with_default};
use clap::Args;
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::models::kind::ModelKind;

/// The noise and the model of one run.
#[derive(Args)]
pub struct NoiseArgs {
    #[arg(long, allow_negative_numbers = true, help = with_default("sigma", "the system's"))]
    pub sigma: Option<f64>,
    #[arg(long, default_value_t = Config::default().seed, help = help("seed"))]
    pub seed: u64,
    /// Attention model: paper-linear (r = N·a·x̃), paper-linear-unscaled (r = a·x̃),
    /// self-attention (multi-head, local window), or the oracle-inverse-variance reference
    /// (a ∝ 1/|∇V|², not learned; systems with a conserved V only).
    #[arg(long, default_value_t = ModelKind::PaperLinear)]
    pub model: ModelKind,
}
