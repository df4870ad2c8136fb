//! The fit as a resumable state machine, so that the page can run a few steps per animation
//! frame and the CLI all of them: [`Fitter::step`] does at most [`SCREEN_CHUNK`] plain solves
//! (screening the starting candidates) or one trust-region iteration (at most two solves, one of
//! them with sensitivities), each solve capped at what the data can resolve and, while
//! optimizing, at a small multiple of the current point's RK4 steps ([`STEP_CAP_FACTOR`]).
//!
//! The optimizer is argmin's trust region with the Steihaug–CG subproblem, fed the Gauss–Newton
//! Hessian: for a sum of squares this is Levenberg–Marquardt in its trust-region form (Moré),
//! scale-free in log coordinates, and robust where a parameter guess makes the orbit blow up:
//! such a point costs +∞, the step is rejected and the region shrinks. argmin's `Solver` trait
//! steps it one iteration at a time; its solver and state are kept between calls, and the
//! problem (which borrows the fit problem) is rebuilt for each one, as in the L-BFGS finish.
//!
//! A start has converged when the Gauss–Newton model predicts less than [`TOLERANCE`] further
//! decrease of the objective (half the Newton decrement, ½gᵀH⁻¹g, in log-likelihood units).

use crate::estimation::objective::Evaluation;
use crate::estimation::problem::{FitData, FitError, FitProblem, FitSettings};
use crate::estimation::sensitivity::PIECES_PER_SPAN;
use crate::estimation::starts::{candidates, choose, SCREENING};
use crate::training::symmetric_eigen::SymmetricEigen;
use argmin::core::{CostFunction, Error, Gradient, Hessian, IterState, Problem, Solver, State};
use argmin::solver::trustregion::{Steihaug, TrustRegion};
use serde::Serialize;
use std::cell::{Cell, RefCell};

/// Candidates screened per step.
pub const SCREEN_CHUNK: usize = 2;
/// An optimizer's trial point may take this many times the RK4 substeps of its current point
/// (see [`FitProblem::set_step_cap`]): one step costs a small multiple of an ordinary solve.
pub const STEP_CAP_FACTOR: usize = 8;
/// Converged when ½gᵀH⁻¹g falls below this (log-likelihood units).
pub const TOLERANCE: f64 = 1e-8;
/// A start stops after this many rejected steps in a row.
const MAX_REJECTIONS: usize = 25;
/// A start is abandoned after [`ABANDON_AFTER`] iterations when its objective is more than
/// [`ABANDON_GAP`] above the best converged start's and the model predicts less than
/// [`ABANDON_GAIN`] further decrease: it is settling into a worse local optimum.
pub const ABANDON_AFTER: usize = 10;
pub const ABANDON_GAP: f64 = 10.0;
pub const ABANDON_GAIN: f64 = 1.0;
/// The most work a fit may plan, in solves × (points + pieces) × integrated dimension.
pub const WORK_CAP: f64 = 2e9;

type Tr = TrustRegion<Steihaug<Vec<f64>, f64>, f64>;
type TrState = IterState<Vec<f64>, Vec<f64>, (), Vec<Vec<f64>>, (), f64>;

/// The objective as argmin sees it, with the last evaluation with derivatives cached (the
/// gradient and the Hessian come from one sensitivity solve).
struct Objective<'p> {
    problem: &'p FitProblem,
    cache: RefCell<Option<(Vec<f64>, Evaluation)>>,
    solves: Cell<usize>,
}

impl Objective<'_> {
    fn new(problem: &FitProblem) -> Objective<'_> {
        Objective {
            problem,
            cache: RefCell::new(None),
            solves: Cell::new(0),
        }
    }

    fn with_derivatives<T>(&self, u: &[f64], read: impl Fn(&Evaluation) -> T) -> Result<T, Error> {
        let mut cache = self.cache.borrow_mut();
        if cache.as_ref().is_none_or(|(at, _)| at != u) {
            self.solves.set(self.solves.get() + 1);
            let evaluation = self.problem.evaluate(u, true).map_err(Error::msg)?;
            *cache = Some((u.to_vec(), evaluation));
        }
        Ok(read(&cache.as_ref().expect("just filled").1))
    }
}

impl CostFunction for Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, u: &Vec<f64>) -> Result<f64, Error> {
        if let Some((at, e)) = self.cache.borrow().as_ref() {
            if at == u {
                return Ok(e.objective);
            }
        }
        self.solves.set(self.solves.get() + 1);
        Ok(self.problem.objective(u))
    }
}

impl Gradient for Objective<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, u: &Vec<f64>) -> Result<Vec<f64>, Error> {
        self.with_derivatives(u, |e| e.gradient.clone())
    }
}

impl Hessian for Objective<'_> {
    type Param = Vec<f64>;
    type Hessian = Vec<Vec<f64>>;
    fn hessian(&self, u: &Vec<f64>) -> Result<Vec<Vec<f64>>, Error> {
        let p = self.problem.len();
        self.with_derivatives(u, |e| {
            e.hessian(self.problem)
                .chunks(p)
                .map(<[f64]>::to_vec)
                .collect()
        })
    }
}

/// How one start ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartOutcome {
    pub start: usize,
    /// Rates then initial state where it started and where it stopped.
    pub from: Vec<f64>,
    pub to: Vec<f64>,
    pub objective: f64,
    pub converged: bool,
    pub iterations: usize,
    /// Why it stopped, in words.
    pub stop: String,
    /// Whether it reached the same optimum as the best start (set when the fit finishes).
    pub agrees: bool,
    /// The stopping point in fit coordinates.
    #[serde(skip)]
    pub coordinates: Vec<f64>,
}

/// What one [`Fitter::step`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum FitStep {
    /// Screened `done` of `of` starting candidates.
    Screened { done: usize, of: usize },
    /// One trust-region iteration of start `start`.
    Iterated {
        start: usize,
        iteration: usize,
        objective: f64,
    },
    /// Start `start` stopped.
    StartFinished(StartOutcome),
    /// Every start has stopped: call [`crate::estimation::result::finish`].
    Finished,
}

enum Phase {
    Screening {
        candidates: Vec<Vec<f64>>,
        scored: Vec<(Vec<f64>, f64)>,
    },
    Optimizing {
        starts: Vec<Vec<f64>>,
    },
    Done,
}

/// One start's trust region, kept between steps.
struct Run {
    solver: Tr,
    state: Option<TrState>,
    from: Vec<f64>,
    iterations: usize,
    rejections: usize,
}

/// A fit in progress (see the module doc).
pub struct Fitter {
    problem: FitProblem,
    plan: FitPlan,
    phase: Phase,
    run: Option<Run>,
    outcomes: Vec<StartOutcome>,
    solves: usize,
    /// Why screening candidates failed, the first such message (for the report).
    first_failure: Option<String>,
}

impl Fitter {
    /// Checks the problem (see [`FitProblem::new`]) and prepares the screening; no solve yet.
    pub fn new(settings: FitSettings, data: FitData) -> Result<Fitter, FitError> {
        let first = settings.start_from.clone();
        let problem = FitProblem::new(settings, data)?;
        let count = if first.is_some() && problem.settings.starts == 1 {
            1
        } else {
            SCREENING.max(problem.settings.starts)
        };
        let candidates = candidates(&problem, first.as_deref(), count);
        let plan = plan(&problem, candidates.len());
        if plan.work > WORK_CAP {
            return Err(FitError::TooExpensive(format!(
                "this fit could take up to {} solves of {} points each ({:.1e} units of work, cap {WORK_CAP:.0e}): use fewer starts or iterations, or thin the series",
                plan.max_solves,
                problem.data.len(),
                plan.work
            )));
        }
        Ok(Fitter {
            plan,
            problem,
            phase: Phase::Screening {
                candidates,
                scored: Vec::new(),
            },
            run: None,
            outcomes: Vec::new(),
            solves: 0,
            first_failure: None,
        })
    }

    pub fn problem(&self) -> &FitProblem {
        &self.problem
    }

    /// The most the fit can cost, known before it starts.
    pub fn plan(&self) -> &FitPlan {
        &self.plan
    }

    /// Whether every start has stopped.
    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }

    /// Solves so far (each one integration of the orbit, with or without sensitivities).
    pub fn solves(&self) -> usize {
        self.solves
    }

    /// The starts that have stopped so far.
    pub fn outcomes(&self) -> &[StartOutcome] {
        &self.outcomes
    }

    /// The rates and initial state the fit is at now (the current start's iterate, else the
    /// best so far), for drawing the orbit as it moves onto the data.
    pub fn current(&self) -> Option<Vec<f64>> {
        let running = self
            .run
            .as_ref()
            .and_then(|r| r.state.as_ref())
            .and_then(|s| s.get_param());
        let best = self
            .outcomes
            .iter()
            .min_by(|a, b| a.objective.total_cmp(&b.objective))
            .map(|o| &o.coordinates);
        running.or(best).map(|u| self.problem.values(u))
    }

    /// One step (see the module doc).
    pub fn step(&mut self) -> FitStep {
        match &mut self.phase {
            Phase::Screening { candidates, scored } => {
                let from = scored.len();
                let to = (from + SCREEN_CHUNK).min(candidates.len());
                for u in &candidates[from..to] {
                    self.solves += 1;
                    let objective = match self.problem.evaluate(u, false) {
                        Ok(e) => e.objective,
                        Err(why) => {
                            self.first_failure.get_or_insert(why);
                            f64::INFINITY
                        }
                    };
                    scored.push((u.clone(), objective));
                }
                let of = candidates.len();
                if to == of {
                    let starts = choose(scored, self.problem.settings.starts);
                    self.phase = match starts.is_empty() {
                        true => Phase::Done,
                        false => Phase::Optimizing { starts },
                    };
                }
                FitStep::Screened { done: to, of }
            }
            Phase::Optimizing { .. } => self.iterate(),
            Phase::Done => FitStep::Finished,
        }
    }

    /// Steps until every start has stopped.
    pub fn run_to_end(&mut self) {
        while !matches!(self.step(), FitStep::Finished) {}
    }

    /// One trust-region iteration of the current start (its initialisation on the first call).
    fn iterate(&mut self) -> FitStep {
        let Phase::Optimizing { starts } = &self.phase else {
            return FitStep::Finished;
        };
        let index = self.outcomes.len();
        let start = starts[index].clone();
        let total = starts.len();
        let objective = Objective::new(&self.problem);
        let mut problem = Problem::new(objective);
        if self.run.is_none() {
            // A new start: its own orbit may be slower than the last start's.
            self.problem.reset_step_cap();
        }
        let mut run = self.run.take().unwrap_or_else(|| Run {
            solver: TrustRegion::new(Steihaug::new().with_max_iters(50))
                .with_radius(0.5)
                .and_then(|t| t.with_max_radius(5.0))
                .expect("valid radii"),
            state: None,
            from: start.clone(),
            iterations: 0,
            rejections: 0,
        });
        let result = match run.state.take() {
            None => run
                .solver
                .init(&mut problem, IterState::new().param(start))
                .map(|(s, _)| (s, true)),
            Some(state) => {
                let before = state.get_cost();
                run.solver.next_iter(&mut problem, state).map(|(s, _)| {
                    let accepted = s.get_cost() < before;
                    (s, accepted)
                })
            }
        };
        if let Some(objective) = problem.take_problem() {
            self.solves += objective.solves.get();
            if let Some((_, e)) = objective.cache.into_inner() {
                self.problem.set_step_cap(e.solution.steps, STEP_CAP_FACTOR);
            }
        }
        let stop = match result {
            Ok((state, accepted)) => {
                if accepted {
                    run.rejections = 0;
                } else {
                    run.rejections += 1;
                }
                let cost = state.get_cost();
                let verdict = self.stopping(&state, &run);
                run.state = Some(state);
                match verdict {
                    None => {
                        run.iterations += 1;
                        let iteration = run.iterations;
                        self.run = Some(run);
                        return FitStep::Iterated {
                            start: index,
                            iteration,
                            objective: cost,
                        };
                    }
                    Some(v) => v,
                }
            }
            Err(e) => (false, format!("failed: {e}")),
        };
        let outcome = self.outcome(index, run, stop);
        self.outcomes.push(outcome.clone());
        if self.outcomes.len() == total {
            self.phase = Phase::Done;
        }
        FitStep::StartFinished(outcome)
    }

    /// Whether to stop the run here: (converged, why), or `None` to go on.
    fn stopping(&self, state: &TrState, run: &Run) -> Option<(bool, String)> {
        let (Some(g), Some(h)) = (state.get_gradient(), state.get_hessian()) else {
            return Some((false, "failed: no gradient".into()));
        };
        let gain = predicted_gain(g, h);
        let n = run.iterations;
        if gain < TOLERANCE {
            return Some((
                true,
                format!("converged after {n} iterations (predicted further gain {gain:.1e})"),
            ));
        }
        let best = self
            .outcomes
            .iter()
            .filter(|o| o.converged)
            .fold(f64::INFINITY, |a, o| a.min(o.objective));
        let gap = state.get_cost() - best;
        if n >= ABANDON_AFTER && gap > ABANDON_GAP && gain < ABANDON_GAIN {
            return Some((
                false,
                format!("abandoned after {n} iterations: settling {gap:.1} above the best start's objective (predicted further gain {gain:.1e})"),
            ));
        }
        if run.rejections >= MAX_REJECTIONS {
            return Some((
                false,
                format!("stalled after {n} iterations: {MAX_REJECTIONS} steps in a row made no progress (predicted further gain {gain:.1e})"),
            ));
        }
        if n + 1 >= self.problem.settings.max_iterations {
            return Some((
                false,
                format!(
                    "stopped at the cap of {} iterations (predicted further gain {gain:.1e})",
                    self.problem.settings.max_iterations
                ),
            ));
        }
        None
    }

    fn outcome(&self, index: usize, run: Run, (converged, stop): (bool, String)) -> StartOutcome {
        let (coordinates, objective) = match &run.state {
            Some(s) => (
                s.get_param().cloned().unwrap_or_else(|| run.from.clone()),
                s.get_cost(),
            ),
            None => (run.from.clone(), f64::INFINITY),
        };
        StartOutcome {
            start: index,
            from: self.problem.values(&run.from),
            to: self.problem.values(&coordinates),
            objective,
            converged,
            iterations: run.iterations,
            stop,
            agrees: false,
            coordinates,
        }
    }

    /// Why no start could be run, when screening found no usable candidate.
    pub fn failure(&self) -> Option<&str> {
        self.first_failure.as_deref()
    }

    /// Splits the fitter into what the result needs.
    pub(crate) fn into_parts(self) -> (FitProblem, Vec<StartOutcome>, usize, Option<String>) {
        (self.problem, self.outcomes, self.solves, self.first_failure)
    }
}

/// What a fit can cost at most, known before it starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitPlan {
    /// Starting candidates screened (one plain solve each).
    pub candidates: usize,
    /// The most solves: the screening plus two per iteration of every start.
    pub max_solves: usize,
    /// max_solves × (points + pieces) × integrated dimension (state and sensitivities).
    pub work: f64,
}

fn plan(problem: &FitProblem, candidates: usize) -> FitPlan {
    let s = &problem.settings;
    let max_solves = candidates + s.starts * (s.max_iterations + 1) * 2;
    let d = problem.dim;
    let per_solve = (problem.data.len() + PIECES_PER_SPAN) * (d + d * problem.len());
    FitPlan {
        candidates,
        max_solves,
        work: max_solves as f64 * per_solve as f64,
    }
}

/// ½gᵀ(H + εI)⁻¹g: the decrease of the objective the Gauss–Newton model still predicts, with a
/// tiny ridge ε (10⁻¹² of H's largest eigenvalue) for a direction the data leave flat.
pub fn predicted_gain(g: &[f64], h: &[Vec<f64>]) -> f64 {
    let p = g.len();
    let flat: Vec<f64> = h.iter().flatten().copied().collect();
    let eigen = SymmetricEigen::new(&flat);
    let largest = eigen.values.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let ridge = 1e-12 * largest.max(1e-300);
    (0..p)
        .map(|l| {
            let projection: f64 = (0..p).map(|k| eigen.vectors[k * p + l] * g[k]).sum();
            projection * projection / (eigen.values[l].max(0.0) + ridge)
        })
        .sum::<f64>()
        * 0.5
}
