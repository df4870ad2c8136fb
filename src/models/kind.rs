//! The models the lab knows, by name, and what each needs. It imports no model: the
//! [`registry`](crate::models::registry) builds them.

use crate::systems::catalogue::SystemKind;

crate::named_kind! {
    /// The models the lab knows, by their CLI/URL names.
    pub enum ModelKind ("model") {
        /// The paper's model with r_t = N·a_t·x̃_t.
        #[default]
        PaperLinear => "paper-linear",
        /// The literal reading r_t = a_t·x̃_t.
        PaperLinearUnscaled => "paper-linear-unscaled",
        /// Not learned: a_t ∝ 1/|∇V(x̃_t)|², the reference "attention that knows the geometry".
        OracleInverseVariance => "oracle-inverse-variance",
        /// Multi-head self-attention over a local time window: a learned denoiser.
        SelfAttention => "self-attention",
    }
}

impl ModelKind {
    pub fn description(self) -> &'static str {
        match self {
            ModelKind::PaperLinear => {
                "score s_t = w·x̃_t + b, a = softmax(s), r_t = N·a_t·x̃_t (uniform attention reproduces the data)"
            }
            ModelKind::PaperLinearUnscaled => {
                "as paper-linear but r_t = a_t·x̃_t, the literal reading: r is N times too small for any a"
            }
            ModelKind::OracleInverseVariance => {
                "not learned: a_t ∝ 1/|∇V(x̃_t)|², first-order inverse-variance weights for estimating V (zero where V is undefined); a reference, not an optimum"
            }
            ModelKind::SelfAttention => {
                "z_t = (x̃_t − μ)/s, A^h_t· = softmax over |s−t| ≤ W of (W_Q^h z_t)·(W_K^h z_s)/√d_k + b^h_{s−t}, r_t = μ + s⊙(Σ_h W_O^h Σ_s A^h_ts W_V^h z_s + c); a_s = attention received, mean over heads and t of A^h_ts"
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
