//! Builds a model from its [`ModelKind`]: the one place that knows every implementation.

use crate::models::attention_model::AttentionModel;
use crate::models::kind::ModelKind;
use crate::models::oracle_inverse_variance::OracleInverseVariance;
use crate::models::paper_linear::PaperLinear;
use crate::models::self_attention::SelfAttention;
use crate::systems::catalogue::SystemKind;

/// What a model is built for: the system it observes (the oracle needs its V) and the shape of
/// the self-attention model.
#[derive(Debug, Clone, Copy)]
pub struct ModelSetup<'a> {
    pub system: SystemKind,
    /// The system's rates then initial state, in the order of [`SystemKind::parameters`].
    pub system_values: &'a [f64],
    pub heads: usize,
    pub window: usize,
}

impl ModelKind {
    /// A fresh, untrained model of this kind for a validated setup (see [`ModelKind::check`]).
    ///
    /// # Panics
    /// If the setup's system cannot be built from its values (a setup from a validated config
    /// always can).
    pub fn build(self, setup: &ModelSetup) -> Box<dyn AttentionModel> {
        let dim = setup.system.dim();
        match self {
            ModelKind::PaperLinear => Box::new(PaperLinear::new(dim, true)),
            ModelKind::PaperLinearUnscaled => Box::new(PaperLinear::new(dim, false)),
            ModelKind::OracleInverseVariance => Box::new(OracleInverseVariance::new(
                setup
                    .system
                    .build(setup.system_values)
                    .expect("the setup was validated"),
            )),
            ModelKind::SelfAttention => {
                Box::new(SelfAttention::new(dim, setup.heads, setup.window))
            }
        }
    }
}
