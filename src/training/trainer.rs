//! The training schedule, one unit of work at a time, the same in the page and the CLI:
//!
//! 1. [`ADAM_STEPS`] Adam steps at the config's learning rate, the paper's optimizer: what a
//!    student watches as attention forms;
//! 2. L-BFGS iterations ([`LbfgsFinish`]) until the loss stops falling;
//! 3. the convergence test ([`Certificate`]), one Hessian column per unit of work. If it passes,
//!    training has converged and further work does nothing. If it fails, one Newton step
//!    (with backtracking) and L-BFGS again, then a new test.
//!
//! [`Trainer::for_reading`] skips the first two for models with an analytic Hessian: the test's
//! Newton steps, repeated, reach the optimum in a handful of steps.
//!
//! A step is one update of the parameters (Adam, L-BFGS or Newton); [`Trainer::steps`] counts
//! them. Hessian columns are work but not steps. Training stops, restores the last parameters
//! whose loss was checked, and says why in [`Status::Diverged`] when the loss, the gradient or
//! the weights become non-finite, or when the loss exceeds [`DIVERGENCE_FACTOR`] times its
//! starting scale. (The softmax subtracts its maximum, so a huge learning rate collapses
//! attention onto one point with a finite but exploding loss rather than a NaN.)

use crate::models::attention_model::{AttentionModel, TrainingData};
use crate::training::adam::Adam;
use crate::training::certificate::{Certificate, HessianProbe};
use crate::training::lbfgs_finish::{FinishStep, LbfgsFinish};

/// Adam steps before the L-BFGS finish.
pub const ADAM_STEPS: u64 = 200;

/// Training counts as diverged when the loss exceeds this multiple of the larger of the
/// untrained model's loss and the loss of reconstructing nothing (r = 0), mean ‖x_t‖².
pub const DIVERGENCE_FACTOR: f64 = 100.0;

/// L-BFGS stops and the convergence test starts when one iteration lowers the loss by less
/// than this fraction of it (or when its line search finds no lower point).
const STAGNATION: f64 = 1e-12;

/// During the finish, the convergence test also runs every this many steps, even while the loss
/// still falls: slow, ill-conditioned progress (self-attention) can sit at the optimum to the
/// test's tolerance long before one step gains less than [`STAGNATION`].
const TEST_INTERVAL: u64 = 1000;

/// Loss history is thinned to at most this many points by doubling its stride.
const LOSS_HISTORY_CAPACITY: usize = 2048;

/// Where training is.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Adam steps.
    Adam,
    /// L-BFGS iterations toward the optimum.
    Finishing,
    /// Computing the Hessian for the convergence test: (columns done, columns in all).
    Testing(usize, usize),
    /// The test passed at this step.
    Converged { step: u64 },
    /// The test keeps failing and no step lowers the loss any more (the reason says why).
    Stalled(String),
    /// Training stopped for the reason given.
    Diverged(String),
}

impl Status {
    pub fn is_converged(&self) -> bool {
        matches!(self, Status::Converged { .. })
    }
}

enum Phase {
    Adam,
    Finishing(Box<LbfgsFinish>),
    Testing(HessianProbe),
    /// Nothing more to do.
    Done,
}

/// The optimizer state of one training run (see the module documentation).
pub struct Trainer {
    adam: Adam,
    /// Adam steps before the finish ([`ADAM_STEPS`] unless set by [`Trainer::with_adam_steps`]).
    adam_steps: u64,
    phase: Phase,
    status: Status,
    steps: u64,
    gradient: Vec<f64>,
    last_good: Vec<f64>,
    /// max(untrained loss, mean ‖x_t‖²): the yardstick for divergence.
    reference_loss: f64,
    /// The last convergence test, passed or not.
    certificate: Option<Certificate>,
    loss_history: Vec<(u64, f64)>,
    loss_stride: u64,
    /// Failed convergence tests in a row with no step between them.
    failed_tests: u32,
    /// `steps` at the last failed test.
    steps_at_failed_test: u64,
}

/// Failed tests in a row, with no step in between, before training is called stalled.
const MAX_FAILED_TESTS: u32 = 3;

impl Trainer {
    /// A fresh run for `model` (at its initial parameters) on `data`, Adam at `lr`.
    pub fn new(lr: f64, model: &mut dyn AttentionModel, data: &TrainingData) -> Trainer {
        Trainer::with_adam_steps(lr, ADAM_STEPS, model, data)
    }

    /// As [`Trainer::new`], with `adam_steps` Adam steps before the L-BFGS finish (`u64::MAX`:
    /// Adam only, the paper's optimizer alone, which never runs the convergence test).
    pub fn with_adam_steps(
        lr: f64,
        adam_steps: u64,
        model: &mut dyn AttentionModel,
        data: &TrainingData,
    ) -> Trainer {
        let p = model.parameters().len();
        let mut gradient = vec![0.0; p];
        let untrained = model.loss_and_gradient(data, &mut gradient);
        let clean = data.clean;
        let zero_loss = clean.iter().map(|v| v * v).sum::<f64>() / clean.nrows().max(1) as f64;
        let mut trainer = Trainer {
            adam: Adam::new(lr, p),
            adam_steps,
            phase: Phase::Adam,
            status: Status::Adam,
            steps: 0,
            gradient,
            last_good: model.parameters().to_vec(),
            reference_loss: untrained.max(zero_loss),
            certificate: None,
            loss_history: Vec::new(),
            loss_stride: 1,
            failed_tests: 0,
            steps_at_failed_test: u64::MAX,
        };
        if p == 0 {
            // Nothing to train: the model is at its (only) optimum.
            trainer.phase = Phase::Done;
            trainer.status = Status::Converged { step: 0 };
        }
        trainer
    }

    /// A run for a reading, where only the optimum matters and nobody watches the way there:
    /// for a model with an analytic Hessian, Newton steps from the start (the convergence test
    /// and its Newton step, repeated: quadratic convergence, a handful of steps), with L-BFGS as
    /// the fallback wherever a Newton step fails; for the others, as [`Trainer::new`].
    pub fn for_reading(lr: f64, model: &mut dyn AttentionModel, data: &TrainingData) -> Trainer {
        if !model.has_analytic_hessian() {
            return Trainer::new(lr, model, data);
        }
        let mut trainer = Trainer::with_adam_steps(lr, 0, model, data);
        if !trainer.is_finished() {
            trainer.start_test(model, data);
        }
        trainer
    }

    /// Adam's learning rate from now on. After a divergence, a new rate allows training again.
    pub fn set_lr(&mut self, lr: f64) {
        if lr != self.adam.lr && matches!(self.status, Status::Diverged(_)) {
            self.status = if matches!(self.phase, Phase::Adam) {
                Status::Adam
            } else {
                Status::Finishing
            };
        }
        self.adam.lr = lr;
    }

    pub fn status(&self) -> &Status {
        &self.status
    }
    /// Parameter updates so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }
    /// The last convergence test, if one has run.
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificate.as_ref()
    }
    /// (step, loss before that step), thinned to a bounded length.
    pub fn loss_history(&self) -> &[(u64, f64)] {
        &self.loss_history
    }
    /// Whether more work can change anything.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.status,
            Status::Converged { .. } | Status::Diverged(_) | Status::Stalled(_)
        )
    }

    /// Does one unit of work (a step, or a Hessian column). Returns whether it was a step.
    pub fn work(&mut self, model: &mut dyn AttentionModel, data: &TrainingData) -> bool {
        if self.is_finished() {
            return false;
        }
        match &mut self.phase {
            Phase::Adam => self.adam_step(model, data),
            Phase::Finishing(_) => self.finish_step(model, data),
            Phase::Testing(_) => {
                self.test_column(model, data);
                false
            }
            Phase::Done => false,
        }
    }

    /// Work until `steps` parameter updates have been made in all, or training is finished.
    pub fn run_to_step(&mut self, model: &mut dyn AttentionModel, data: &TrainingData, steps: u64) {
        while self.steps < steps && !self.is_finished() {
            self.work(model, data);
        }
    }

    fn record(&mut self, loss: f64) {
        let step = self.steps;
        if step.is_multiple_of(self.loss_stride) {
            self.loss_history.push((step, loss));
            if self.loss_history.len() >= LOSS_HISTORY_CAPACITY {
                let stride = self.loss_stride * 2;
                self.loss_history.retain(|(s, _)| s.is_multiple_of(stride));
                self.loss_stride = stride;
            }
        }
    }

    fn diverge(&mut self, model: &mut dyn AttentionModel, why: String) {
        model.parameters_mut().copy_from_slice(&self.last_good);
        self.status = Status::Diverged(why);
    }

    fn adam_step(&mut self, model: &mut dyn AttentionModel, data: &TrainingData) -> bool {
        if self.steps >= self.adam_steps {
            self.phase = Phase::Finishing(Box::default());
            self.status = Status::Finishing;
            return self.finish_step(model, data);
        }
        let loss = model.loss_and_gradient(data, &mut self.gradient);
        let step = self.steps;
        if !loss.is_finite() || self.gradient.iter().any(|g| !g.is_finite()) {
            self.diverge(
                model,
                format!("training diverged at step {step}: the loss became {loss}"),
            );
            return false;
        }
        if loss > DIVERGENCE_FACTOR * self.reference_loss {
            self.diverge(model, format!(
                "training diverged at step {step}: the loss grew to {loss:.3e}, over {DIVERGENCE_FACTOR} times its starting scale {:.3e}",
                self.reference_loss
            ));
            return false;
        }
        self.record(loss);
        self.last_good.copy_from_slice(model.parameters());
        self.adam.update(model.parameters_mut(), &self.gradient);
        self.steps += 1;
        if model.parameters().iter().any(|p| !p.is_finite()) {
            let why = format!(
                "training diverged at step {}: the weights became non-finite",
                self.steps
            );
            self.diverge(model, why);
        }
        true
    }

    fn finish_step(&mut self, model: &mut dyn AttentionModel, data: &TrainingData) -> bool {
        let Phase::Finishing(finish) = &mut self.phase else {
            return false;
        };
        match finish.iterate(model, data) {
            FinishStep::Improved { before, after } => {
                self.record(before);
                self.steps += 1;
                self.last_good.copy_from_slice(model.parameters());
                let periodic = (self.steps - self.adam_steps).is_multiple_of(TEST_INTERVAL);
                if (before - after).abs() <= STAGNATION * after.abs() || periodic {
                    self.start_test(model, data);
                }
                true
            }
            FinishStep::Stalled(_) => {
                self.start_test(model, data);
                false
            }
        }
    }

    fn start_test(&mut self, model: &mut dyn AttentionModel, data: &TrainingData) {
        let loss = if model.has_analytic_hessian() {
            // The probe's one call computes the loss and the gradient with the Hessian.
            f64::NAN
        } else {
            model.loss_and_gradient(data, &mut self.gradient)
        };
        let probe = HessianProbe::new(model.parameters(), loss, &self.gradient);
        let (done, total) = probe.progress();
        self.phase = Phase::Testing(probe);
        self.status = Status::Testing(done, total);
    }

    fn test_column(&mut self, model: &mut dyn AttentionModel, data: &TrainingData) {
        let Phase::Testing(probe) = &mut self.phase else {
            return;
        };
        let certificate = probe.advance(model, data);
        let (done, total) = probe.progress();
        self.status = Status::Testing(done, total);
        let Some(certificate) = certificate else {
            return;
        };
        if certificate.passed() {
            // The Hessian is at hand: one last Newton step (kept only if it lowers the loss)
            // removes what is left of the predicted decrease.
            if !certificate.saddle {
                self.newton_step(model, data, &certificate.newton_step, certificate.loss);
            }
            self.phase = Phase::Done;
            self.status = Status::Converged { step: self.steps };
        } else {
            self.failed_tests = if self.steps == self.steps_at_failed_test {
                self.failed_tests + 1
            } else {
                1
            };
            self.steps_at_failed_test = self.steps;
            let newton_worked = !certificate.saddle
                && self.newton_step(model, data, &certificate.newton_step, certificate.loss);
            if newton_worked {
                // A Newton iteration: test again at once (quadratic convergence near a minimum).
                self.failed_tests = 0;
                self.certificate = Some(certificate);
                self.start_test(model, data);
                return;
            }
            if self.failed_tests >= MAX_FAILED_TESTS {
                self.phase = Phase::Done;
                self.status = Status::Stalled(format!(
                    "no step lowers the loss, but the quadratic model predicts it could fall by {:.1e} of itself more (tolerance {:.0e}){}",
                    certificate.relative_decrement,
                    certificate.tolerance,
                    if certificate.saddle { ", and the curvature is negative in some direction" } else { "" }
                ));
            } else {
                self.phase = Phase::Finishing(Box::default());
                self.status = Status::Finishing;
            }
        }
        self.certificate = Some(certificate);
    }

    /// θ ← θ + t·step with t = 1, ½, ¼, … until the loss falls (at most 30 halvings); whether
    /// it did.
    fn newton_step(
        &mut self,
        model: &mut dyn AttentionModel,
        data: &TrainingData,
        step: &[f64],
        loss: f64,
    ) -> bool {
        let start = model.parameters().to_vec();
        let mut t = 1.0;
        for _ in 0..30 {
            for ((p, s), x) in model.parameters_mut().iter_mut().zip(step).zip(&start) {
                *p = x + t * s;
            }
            let trial = model.loss_and_gradient(data, &mut self.gradient);
            if trial.is_finite() && trial < loss {
                self.record(loss);
                self.steps += 1;
                self.last_good.copy_from_slice(model.parameters());
                return true;
            }
            t *= 0.5;
        }
        model.parameters_mut().copy_from_slice(&start);
        false
    }
}
