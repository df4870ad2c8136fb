//! The finish: L-BFGS with a More–Thuente line search (argmin), one iteration per call, so that
//! the page can run a few per frame and the CLI as many as it needs. Adam does the rough work
//! first; from near the optimum, L-BFGS converges superlinearly where Adam keeps jumping around
//! it.
//!
//! argmin's solver and its state are kept between calls; the problem (which borrows the model and
//! the data) is rebuilt for each one. The loss and the gradient come from one
//! [`AttentionModel::loss_and_gradient`] call, cached for the point argmin asks about next.

use crate::models::attention_model::{AttentionModel, TrainingData};
use argmin::core::{CostFunction, Error, Gradient, IterState, Problem, Solver, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use std::cell::RefCell;

/// Pairs of (step, gradient change) L-BFGS remembers.
const MEMORY: usize = 10;

type Lbfgs = LBFGS<MoreThuenteLineSearch<Vec<f64>, Vec<f64>, f64>, Vec<f64>, Vec<f64>, f64>;
type LbfgsState = IterState<Vec<f64>, Vec<f64>, (), (), (), f64>;

/// The loss as argmin sees it: the model's loss and gradient at a parameter vector.
struct Objective<'m, 'd, 'a> {
    model: RefCell<&'m mut dyn AttentionModel>,
    data: &'d TrainingData<'a>,
    /// The last point evaluated, its loss and gradient.
    cache: RefCell<(Vec<f64>, f64, Vec<f64>)>,
}

impl Objective<'_, '_, '_> {
    fn evaluate(&self, theta: &[f64]) -> Result<(f64, Vec<f64>), Error> {
        let mut cache = self.cache.borrow_mut();
        if cache.0 != theta || cache.2.is_empty() {
            let mut model = self.model.borrow_mut();
            model.parameters_mut().copy_from_slice(theta);
            let mut gradient = vec![0.0; theta.len()];
            let loss = model.loss_and_gradient(self.data, &mut gradient);
            *cache = (theta.to_vec(), loss, gradient);
        }
        if !cache.1.is_finite() || cache.2.iter().any(|g| !g.is_finite()) {
            return Err(Error::msg(format!("the loss is {} here", cache.1)));
        }
        Ok((cache.1, cache.2.clone()))
    }
}

impl CostFunction for Objective<'_, '_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, theta: &Vec<f64>) -> Result<f64, Error> {
        self.evaluate(theta).map(|(loss, _)| loss)
    }
}

impl Gradient for Objective<'_, '_, '_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, theta: &Vec<f64>) -> Result<Vec<f64>, Error> {
        self.evaluate(theta).map(|(_, gradient)| gradient)
    }
}

/// What one L-BFGS iteration did.
#[derive(Debug, Clone, PartialEq)]
pub enum FinishStep {
    /// The loss moved from `before` to `after`.
    Improved { before: f64, after: f64 },
    /// No step could lower the loss (the line search gave up): time to test for convergence.
    Stalled(String),
}

/// L-BFGS kept between calls.
pub struct LbfgsFinish {
    solver: Lbfgs,
    state: Option<LbfgsState>,
}

impl Default for LbfgsFinish {
    fn default() -> Self {
        Self::new()
    }
}

impl LbfgsFinish {
    pub fn new() -> LbfgsFinish {
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), MEMORY)
            .with_tolerance_grad(0.0)
            .and_then(|s| s.with_tolerance_cost(0.0))
            .expect("zero tolerances are valid");
        LbfgsFinish {
            solver,
            state: Some(IterState::new()),
        }
    }

    /// One L-BFGS iteration from the model's current parameters (the first call starts the
    /// solver there). The model is left at the new parameters.
    pub fn iterate(&mut self, model: &mut dyn AttentionModel, data: &TrainingData) -> FinishStep {
        let start = model.parameters().to_vec();
        let mut problem = Problem::new(Objective {
            model: RefCell::new(model),
            data,
            cache: RefCell::new((Vec::new(), f64::NAN, Vec::new())),
        });
        let mut state = self.state.take().unwrap_or_default();
        if state.get_iter() == 0 && state.get_param().is_none() {
            match self.solver.init(&mut problem, state.param(start.clone())) {
                Ok((mut s, _)) => {
                    s.update();
                    state = s;
                }
                Err(e) => return self.stall(start, problem, format!("{e}")),
            }
        }
        let before = state.get_cost();
        let result = self.solver.next_iter(&mut problem, state);
        match result {
            Ok((mut s, _)) if !s.terminated() => {
                s.update();
                s.increment_iter();
                let after = s.get_cost();
                let theta = s.get_param().cloned().unwrap_or(start);
                self.state = Some(s);
                set_parameters(problem, &theta);
                FinishStep::Improved { before, after }
            }
            Ok((s, _)) => {
                let reason = s.get_termination_reason().map_or_else(
                    || "the line search stopped".to_string(),
                    |r| r.text().to_string(),
                );
                self.stall(start, problem, reason)
            }
            Err(e) => self.stall(start, problem, format!("{e}")),
        }
    }

    /// Leaves the model where the iteration started and forgets the solver's history.
    fn stall(&mut self, start: Vec<f64>, problem: Problem<Objective>, why: String) -> FinishStep {
        set_parameters(problem, &start);
        *self = LbfgsFinish::new();
        FinishStep::Stalled(why)
    }
}

/// Puts `theta` back into the model the problem borrows.
fn set_parameters(mut problem: Problem<Objective>, theta: &[f64]) {
    if let Some(objective) = problem.take_problem() {
        objective
            .model
            .into_inner()
            .parameters_mut()
            .copy_from_slice(theta);
    }
}
