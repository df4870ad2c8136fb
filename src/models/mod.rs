//! The attention models: the [`attention_model::AttentionModel`] trait (which imports no model),
//! one file per model, the [`kind::ModelKind`] names, and the [`registry`] that builds a model
//! from its kind. How they are trained is in [`crate::training`].

pub mod attention_model;
pub mod exp2_table;
pub mod kind;
pub mod oracle_inverse_variance;
pub mod paper_linear;
pub mod paper_linear_passes;
pub mod registry;
pub mod self_attention;
pub mod softmax_exp;

pub use attention_model::{AttentionModel, TrainingData};
pub use kind::ModelKind;
pub use registry::ModelSetup;
