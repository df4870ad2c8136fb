//! The attention-model abstraction and the registry of available models.

use crate::lab::config::Config;
use crate::models::oracle_inverse_variance::OracleInverseVariance;
use crate::models::paper_linear::PaperLinear;
use crate::models::self_attention::SelfAttention;
use crate::systems::catalogue::SystemKind;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a model trains on: noisy observations x̃ (N×d) and the clean states x (N×d).
pub struct TrainingData<'a> {
    pub noisy: &'a Array2<f64>,
    pub clean: &'a Array2<f64>,
}

/// An attention model: attention weights over time, a reconstruction, and an MSE loss against
/// the clean states with an analytic gradient.
pub trait AttentionModel {
    fn kind(&self) -> ModelKind;
    /// The flat parameter vector θ.
    fn parameters(&self) -> &[f64];
    fn parameters_mut(&mut self) -> &mut [f64];
    /// Attention weights a_t (non-negative, summing to 1) into `attention` (length N).
    fn attention(&mut self, noisy: &Array2<f64>, attention: &mut [f64]);
    /// The reconstruction r (N×d) from the observations and given attention.
    fn reconstruct(&self, noisy: &Array2<f64>, attention: &[f64]) -> Array2<f64>;
    /// The loss, mean over t of ‖r_t − x_t‖², with ∂loss/∂θ written into `gradient`.
    fn loss_and_gradient(&mut self, data: &TrainingData, gradient: &mut [f64]) -> f64;
    /// The loss and the attention together, for the once-per-frame refresh: the same numbers,
    /// bit for bit, as [`AttentionModel::loss_and_gradient`]'s loss and
    /// [`AttentionModel::attention`]. `gradient` is scratch space. Models override it to share
    /// one forward pass instead of running two (and a backward pass nobody reads).
    fn loss_and_attention(
        &mut self,
        data: &TrainingData,
        gradient: &mut [f64],
        attention: &mut [f64],
    ) -> f64 {
        let loss = self.loss_and_gradient(data, gradient);
        self.attention(data.noisy, attention);
        loss
    }
    /// Number of attention heads (1 for single-score models).
    fn heads(&self) -> usize {
        1
    }
    /// The attention one head gives each point, into `out` (length N, summing to 1). Models
    /// with one head give [`AttentionModel::attention`].
    fn head_attention(&mut self, noisy: &Array2<f64>, head: usize, out: &mut [f64]) {
        let _ = head;
        self.attention(noisy, out);
    }
    /// The loss alone.
    fn loss(&mut self, data: &TrainingData) -> f64 {
        let mut gradient = vec![0.0; self.parameters().len()];
        self.loss_and_gradient(data, &mut gradient)
    }
}

/// The models the lab knows, by their CLI/URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ModelKind {
    /// The paper's model with r_t = N·a_t·x̃_t.
    #[default]
    #[serde(rename = "paper-linear")]
    PaperLinear,
    /// The literal reading r_t = a_t·x̃_t.
    #[serde(rename = "paper-linear-unscaled")]
    PaperLinearUnscaled,
    /// Not learned: a_t ∝ 1/|∇V(x̃_t)|², the reference "attention that knows the geometry".
    #[serde(rename = "oracle-inverse-variance")]
    OracleInverseVariance,
    /// Multi-head self-attention over a local time window: a learned denoiser.
    #[serde(rename = "self-attention")]
    SelfAttention,
}

impl ModelKind {
    pub const ALL: [ModelKind; 4] = [
        ModelKind::PaperLinear,
        ModelKind::PaperLinearUnscaled,
        ModelKind::OracleInverseVariance,
        ModelKind::SelfAttention,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ModelKind::PaperLinear => "paper-linear",
            ModelKind::PaperLinearUnscaled => "paper-linear-unscaled",
            ModelKind::OracleInverseVariance => "oracle-inverse-variance",
            ModelKind::SelfAttention => "self-attention",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            ModelKind::PaperLinear => {
                "score s_t = w·x̃_t + b, a = softmax(s), r_t = N·a_t·x̃_t (uniform attention reproduces the data)"
            }
            ModelKind::PaperLinearUnscaled => {
                "as paper-linear but r_t = a_t·x̃_t, the literal reading: r is N times too small for any a"
            }
            ModelKind::OracleInverseVariance => {
                "not learned: a_t ∝ 1/|∇V(x̃_t)|², inverse-variance weights for estimating V; a reference ceiling"
            }
            ModelKind::SelfAttention => {
                "z_t = (x̃_t − μ)/s, A^h_t· = softmax over |s−t| ≤ W of (W_Q^h z_t)·(W_K^h z_s)/√d_k + b^h_{s−t}, r_t = μ + s⊙(Σ_h W_O^h Σ_s A^h_ts W_V^h z_s + c); a_s = attention received, mean over heads and t of A^h_ts"
            }
        }
    }

    /// A fresh, untrained model of this kind for a validated config (see [`ModelKind::check`]).
    pub fn build(self, config: &Config) -> Box<dyn AttentionModel> {
        let dim = config.system.dim();
        match self {
            ModelKind::PaperLinear => Box::new(PaperLinear::new(dim, true)),
            ModelKind::PaperLinearUnscaled => Box::new(PaperLinear::new(dim, false)),
            ModelKind::OracleInverseVariance => Box::new(OracleInverseVariance::new(
                config
                    .system
                    .build(config.system_values())
                    .expect("the config was validated"),
            )),
            ModelKind::SelfAttention => {
                Box::new(SelfAttention::new(dim, config.heads, config.window))
            }
        }
    }

    /// Whether the model applies to a system; the error says why not.
    pub fn check(self, system: SystemKind) -> Result<(), String> {
        match self {
            ModelKind::OracleInverseVariance if !system.has_lyapunov() => Err(format!(
                "oracle-inverse-variance weighs by 1/|∇V|², and {system} has no conserved V"
            )),
            _ => Ok(()),
        }
    }

    /// The models that apply to a system.
    pub fn available(system: SystemKind) -> impl Iterator<Item = ModelKind> {
        ModelKind::ALL
            .into_iter()
            .filter(move |m| m.check(system).is_ok())
    }

    /// Whether the config's `heads` and `window` shape this model.
    pub fn uses_heads_and_window(self) -> bool {
        matches!(self, ModelKind::SelfAttention)
    }

    /// Whether the model has parameters to train.
    pub fn is_learned(self) -> bool {
        !matches!(self, ModelKind::OracleInverseVariance)
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ModelKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ModelKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = ModelKind::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "unknown model '{s}' (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}
