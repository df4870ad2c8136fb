//! How long to train: exactly K optimizer steps, or to convergence with a cap. And what training
//! reached, as every report states it.

use crate::training::trainer::{Status, Trainer};
use serde::{Deserialize, Serialize};

/// The default cap on optimizer steps when training to convergence.
pub const DEFAULT_MAX_STEPS: u64 = 20_000;

/// How long to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Budget {
    /// Exactly this many optimizer steps (fewer only if training converges or diverges first).
    Steps(u64),
    /// Until the convergence test passes, at most `max_steps` optimizer steps.
    Converge { max_steps: u64 },
}

impl Budget {
    /// The step count training stops at.
    pub fn max_steps(self) -> u64 {
        match self {
            Budget::Steps(k) => k,
            Budget::Converge { max_steps } => max_steps,
        }
    }
}

impl std::fmt::Display for Budget {
    /// "trained to convergence (at most 20000 steps)" or "trained for 3000 steps".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Budget::Steps(k) => write!(f, "trained for {k} steps"),
            Budget::Converge { max_steps } => {
                write!(f, "trained to convergence (at most {max_steps} steps)")
            }
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::Converge {
            max_steps: DEFAULT_MAX_STEPS,
        }
    }
}

/// What training reached: the fields every JSON report and CSV row carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Whether the convergence test passed: only then is a reading a reading at the optimum.
    pub converged: bool,
    /// `converged`, `stalled`, `diverged`, `capped` (the step budget ran out first) or
    /// `training` (stopped by a fixed step count).
    pub status: String,
    /// Optimizer steps taken.
    pub steps: u64,
    /// ‖∇L‖₂ at the reported parameters.
    pub gradient_norm: f64,
    /// The last convergence test's predicted remaining decrease over the loss, if one ran.
    pub relative_decrement: Option<f64>,
}

impl TrainingSummary {
    /// The summary of a trainer that stopped under `budget`, with the final gradient norm.
    pub fn of(trainer: &Trainer, budget: Budget, gradient_norm: f64) -> TrainingSummary {
        let status = match trainer.status() {
            Status::Converged { .. } => "converged",
            Status::Stalled(_) => "stalled",
            Status::Diverged(_) => "diverged",
            _ if matches!(budget, Budget::Converge { .. }) => "capped",
            _ => "training",
        };
        TrainingSummary {
            converged: trainer.status().is_converged(),
            status: status.to_string(),
            steps: trainer.steps(),
            gradient_norm,
            relative_decrement: trainer.certificate().map(|c| c.relative_decrement),
        }
    }
}
