//! How long a command trains: `--steps K` (exactly K optimizer steps) or, by default, to
//! convergence with at most `--max-steps` steps.

use clap::Args;
use lyapunov_lens::training::budget::{Budget, DEFAULT_MAX_STEPS};
use lyapunov_lens::training::trainer::ADAM_STEPS;

#[derive(Args)]
pub struct TrainingArgs {
    /// Train exactly K optimizer steps (Adam for the first 200, then L-BFGS) instead of to
    /// convergence; fewer only if training converges or diverges first.
    #[arg(long)]
    steps: Option<u64>,
    /// Without --steps: the most optimizer steps training to convergence may take.
    #[arg(long, default_value_t = DEFAULT_MAX_STEPS, conflicts_with = "steps")]
    max_steps: u64,
}

impl TrainingArgs {
    pub fn budget(&self) -> Budget {
        const _: () = assert!(ADAM_STEPS == 200, "the --steps help text says 200");
        match self.steps {
            Some(k) => Budget::Steps(k),
            None => Budget::Converge {
                max_steps: self.max_steps,
            },
        }
    }
}
