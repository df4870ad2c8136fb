//! The whole lab state as a state machine:
//! config → clean trajectory (+ sensitivity measure, period) → noisy observations → model + optimizer → metrics.
//!
//! Changing the config recomputes only what depends on what changed: a new σ or seed keeps the
//! trajectory; a new learning rate keeps the model's weights and the optimizer's moments. New
//! observations restart the model from uniform attention, so that a config and a step count
//! always name one reproducible state.

use crate::analysis::metrics::{Metrics, MetricsWorkspace};
use crate::analysis::sign_test::SignEvidence;
use crate::analysis::verdict::{setting_verdict, VerdictContext};
use crate::dynamics::rk4::Trajectory;
use crate::lab::clean_build::build_clean;
use crate::lab::clean_data::CleanData;
pub use crate::lab::clean_data::DataSource;
use crate::lab::config::Config;
pub use crate::lab::session_error::SessionError;
use crate::measures::measure::MeasureAt;
use crate::models::attention_model::{AttentionModel, TrainingData};
use crate::observations::csv_import::ImportedSeries;
use crate::systems::system::System;
use crate::training::budget::{Budget, TrainingSummary};
use crate::training::trainer::{Status, Trainer};
use ndarray::Array2;

pub use crate::training::trainer::DIVERGENCE_FACTOR;

/// Which layers a reconfiguration rebuilt, so that a front end can redraw only those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recomputed {
    pub trajectory: bool,
    pub observations: bool,
    pub model: bool,
    /// The sensitivity measure alone (a new measure or horizon on the same trajectory).
    pub measure: bool,
}

impl Recomputed {
    /// Every layer: new data.
    pub const EVERYTHING: Recomputed = Recomputed {
        trajectory: true,
        observations: true,
        model: true,
        measure: true,
    };
}

/// The lab state. See the module documentation.
pub struct Session {
    pub(super) config: Config,
    pub(super) source: DataSource,
    pub(super) clean: CleanData,
    pub(super) observations: Array2<f64>,
    pub(super) model: Box<dyn AttentionModel>,
    pub(super) trainer: Trainer,
    /// Scratch for the once-per-refresh loss.
    pub(super) gradient: Vec<f64>,
    pub(super) attention: Vec<f64>,
    pub(super) metrics: Metrics,
    pub(super) workspace: MetricsWorkspace,
    /// Counts the changes of config and data: a
    /// [`SessionChange`](crate::lab::session_change::SessionChange) prepared before the last
    /// one is recomputed when applied.
    pub(super) generation: u64,
}

impl Session {
    pub fn new(config: Config) -> Result<Self, SessionError> {
        config.validate()?;
        let source = DataSource::Simulated;
        let clean = build_clean(&config, &source)?;
        Self::assemble(config, source, clean)
    }

    /// This session's setting with another noise seed: the clean side (the trajectory, the
    /// measure) is copied, not recomputed, so this costs new observations and a fresh model.
    /// The same session as `Session::new` of that config, bit for bit.
    pub fn with_seed(&self, seed: u64) -> Result<Session, SessionError> {
        if !matches!(self.source, DataSource::Simulated) {
            return Err(SessionError::Integration(
                "imported data have no other noise draws".into(),
            ));
        }
        let mut config = self.config.clone();
        config.seed = seed;
        let clean = self.clean.duplicate(&config)?;
        Self::assemble(config, DataSource::Simulated, clean)
    }

    /// A session of `config` on `clean` (built from `config` and `source`): observations,
    /// the measure at them where asked for, and an untrained model.
    fn assemble(
        config: Config,
        source: DataSource,
        clean: CleanData,
    ) -> Result<Self, SessionError> {
        let observations =
            config
                .noise
                .observe(&clean.trajectory.states, config.sigma, config.seed);
        let mut model = config.model.build(&config.model_setup());
        let n_params = model.parameters().len();
        let n = config.n;
        let trainer = Trainer::new(
            config.lr,
            model.as_mut(),
            &TrainingData {
                noisy: &observations,
                clean: &clean.trajectory.states,
            },
        );
        let mut clean = clean;
        if config.measure_at == MeasureAt::Observed {
            clean.sensitivity = clean.measured(&config, Some(&observations))?;
        }
        let mut session = Session {
            trainer,
            gradient: vec![0.0; n_params],
            attention: vec![0.0; n],
            metrics: Metrics {
                pearson: None,
                spearman: None,
                peak_offset: None,
                peak_offset_periods: None,
                period: None,
                ess: 0.0,
                max_over_min: None,
                loss: f64::NAN,
                measure_flat: None,
            },
            workspace: MetricsWorkspace::default(),
            generation: 0,
            config,
            source,
            clean,
            observations,
            model,
        };
        session.reset_model();
        Ok(session)
    }

    /// Applies a new config, recomputing only what depends on what changed. On error the
    /// session is unchanged. The same as [`Session::prepare`] then [`Session::apply`].
    pub fn set_config(&mut self, config: Config) -> Result<Recomputed, SessionError> {
        let change = self.prepare(config)?;
        self.apply(change)
    }

    /// Trains on an imported series from now on. On error (e.g. the first observation is not a
    /// valid starting state for the Lotka–Volterra target) the session is unchanged.
    pub fn import(&mut self, series: ImportedSeries) -> Result<Recomputed, SessionError> {
        if series.observations.ncols() != self.dim() {
            return Err(SessionError::Integration(format!(
                "the file has {} observed variables but {} has {}: choose a {}-D system to import it",
                series.observations.ncols(),
                self.config.system,
                self.dim(),
                series.observations.ncols()
            )));
        }
        let source = DataSource::Imported(Box::new(series));
        let clean = build_clean(&self.config, &source)?;
        if let DataSource::Imported(series) = &source {
            self.observations = series.observations.clone();
        }
        self.set_clean(clean);
        self.source = source;
        self.generation += 1;
        self.remeasure_at_observations();
        self.reset_model();
        Ok(Recomputed::EVERYTHING)
    }

    /// Goes back to simulated data from the current config.
    pub fn clear_import(&mut self) -> Result<Recomputed, SessionError> {
        let clean = build_clean(&self.config, &DataSource::Simulated)?;
        self.observations = self.config.noise.observe(
            &clean.trajectory.states,
            self.config.sigma,
            self.config.seed,
        );
        self.set_clean(clean);
        self.source = DataSource::Simulated;
        self.generation += 1;
        self.remeasure_at_observations();
        self.reset_model();
        Ok(Recomputed::EVERYTHING)
    }

    /// Replaces the clean side; the metrics' cached ranks of ∂V/∂n go with it.
    pub(super) fn set_clean(&mut self, clean: CleanData) {
        self.clean = clean;
        self.workspace.reference_changed();
    }

    /// After new observations: the measure at the observed states follows them.
    fn remeasure_at_observations(&mut self) {
        if self.config.measure_at == MeasureAt::Observed {
            if let Ok(values) = self.clean.measured(&self.config, Some(&self.observations)) {
                self.clean.sensitivity = values;
                self.workspace.reference_changed();
            }
        }
    }

    /// Where the observations come from.
    pub fn source(&self) -> &DataSource {
        &self.source
    }

    /// Restarts the model from its initial (uniform-attention) parameters with a fresh optimizer.
    pub fn reset_model(&mut self) {
        self.rebuild_model(false);
    }

    /// Restarts the model for a reading: the fastest way to the optimum
    /// ([`Trainer::for_reading`]) instead of the Adam steps a student watches.
    pub fn begin_reading(&mut self) {
        self.rebuild_model(true);
    }

    fn rebuild_model(&mut self, reading: bool) {
        self.model = self.config.model.build(&self.config.model_setup());
        let data = TrainingData {
            noisy: &self.observations,
            clean: &self.clean.trajectory.states,
        };
        let start = if reading {
            Trainer::for_reading
        } else {
            Trainer::new
        };
        self.trainer = start(self.config.lr, self.model.as_mut(), &data);
        self.gradient = vec![0.0; self.model.parameters().len()];
        self.attention.resize(self.observations.nrows(), 0.0);
        self.refresh();
    }

    /// Does up to `k` units of training work (see [`Trainer`]: a unit is an optimizer step or
    /// one column of the convergence test) and returns how many were done: fewer once training
    /// has converged, stalled or diverged. Then refreshes attention and the metrics.
    pub fn step(&mut self, k: usize) -> usize {
        let data = TrainingData {
            noisy: &self.observations,
            clean: &self.clean.trajectory.states,
        };
        let mut done = 0;
        while done < k && !self.trainer.is_finished() {
            self.trainer.work(self.model.as_mut(), &data);
            done += 1;
        }
        self.refresh();
        done
    }

    /// Trains until `steps` optimizer steps have been taken in all, or training has finished.
    pub fn train_to_step(&mut self, steps: u64) {
        let data = TrainingData {
            noisy: &self.observations,
            clean: &self.clean.trajectory.states,
        };
        self.trainer.run_to_step(self.model.as_mut(), &data, steps);
        self.refresh();
    }

    /// Trains under `budget` (see [`Budget`]) the way the page's live view does (Adam first),
    /// and says what it reached: the CLI's single runs use it, so that they give the page's
    /// numbers bit for bit.
    pub fn train(&mut self, budget: Budget) -> TrainingSummary {
        self.train_to_step(budget.max_steps());
        self.training_summary(budget)
    }

    /// A reading under `budget`: from an untrained model, training to convergence takes the
    /// fastest way ([`Session::begin_reading`]: Newton steps where the model has an analytic
    /// Hessian); otherwise as [`Session::train`]. Sweeps, FINDINGS.md and the ensembles use it.
    pub fn read(&mut self, budget: Budget) -> TrainingSummary {
        if matches!(budget, Budget::Converge { .. }) && self.trainer.steps() == 0 {
            self.begin_reading();
        }
        self.train(budget)
    }

    /// What training has reached, judged against `budget`; computes the gradient once.
    pub fn training_summary(&mut self, budget: Budget) -> TrainingSummary {
        let data = TrainingData {
            noisy: &self.observations,
            clean: &self.clean.trajectory.states,
        };
        self.model.loss_and_gradient(&data, &mut self.gradient);
        let norm = self.gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
        TrainingSummary::of(&self.trainer, budget, norm)
    }

    /// Where training is: Adam, finishing, testing, converged, stalled or diverged.
    pub fn training_status(&self) -> &Status {
        self.trainer.status()
    }

    /// The trainer: its status, its last convergence test and its loss history.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// Recomputes attention, loss and metrics for the current parameters.
    pub(super) fn refresh(&mut self) {
        let data = TrainingData {
            noisy: &self.observations,
            clean: &self.clean.trajectory.states,
        };
        let loss = self
            .model
            .loss_and_attention(&data, &mut self.gradient, &mut self.attention);
        self.metrics = self.workspace.compute(
            &self.attention,
            Some(&self.clean.sensitivity),
            &self.clean.trajectory.times,
            self.clean.period,
            loss,
        );
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn system(&self) -> &dyn System {
        self.clean.system.as_ref()
    }
    pub fn dim(&self) -> usize {
        self.clean.trajectory.states.ncols()
    }
    /// The clean trajectory (times and states).
    pub fn trajectory(&self) -> &Trajectory {
        &self.clean.trajectory
    }
    pub fn times(&self) -> &[f64] {
        &self.clean.trajectory.times
    }
    /// Clean states, N×d.
    pub fn clean(&self) -> &Array2<f64> {
        &self.clean.trajectory.states
    }
    /// Noisy observations, N×d.
    pub fn observations(&self) -> &Array2<f64> {
        &self.observations
    }
    /// ∂V/∂n along the clean trajectory, if the system has a V.
    pub fn dv_dn(&self) -> Option<&[f64]> {
        self.clean.dv_dn.as_deref()
    }
    /// The config's sensitivity measure along the clean trajectory: what the metrics compare
    /// attention against.
    pub fn sensitivity(&self) -> &[f64] {
        &self.clean.sensitivity
    }
    /// Points where the sensitivity measure is defined (all, unless it is taken at the observed
    /// states and some fall outside V's domain).
    pub fn measured_points(&self) -> usize {
        self.clean
            .sensitivity
            .iter()
            .filter(|v| v.is_finite())
            .count()
    }
    /// Whether new noise draws make sense: simulated data with σ > 0.
    pub fn has_noise_to_redraw(&self) -> bool {
        matches!(self.source, DataSource::Simulated) && self.config.sigma > 0.0
    }
    /// The verdict on the setting (see [`crate::analysis::verdict::setting_verdict`]), with an
    /// ensemble's evidence (evidence, seeds read, seeds in all) when there is one.
    pub fn verdict(&self, ensemble: Option<(&SignEvidence, usize, usize)>) -> String {
        let ctx = VerdictContext {
            measure: self.config.measure,
            at_observed: self.config.measure_at == MeasureAt::Observed,
            target: match &self.source {
                DataSource::Imported(series) => Some(series.target.clone().unwrap_or_else(|| {
                    format!(
                        "the {} orbit through the first observation, with the current rates (fit the system to the data for a better one)",
                        self.config.system.title()
                    )
                })),
                DataSource::Simulated => None,
            },
            converged: self.training_status().is_converged(),
            n: self.attention.len(),
            measured_points: self.measured_points(),
            ensemble,
        };
        setting_verdict(&self.metrics, &ctx)
    }
    /// Measured orbit period.
    pub fn period(&self) -> Option<f64> {
        self.clean.period
    }
    pub fn attention(&self) -> &[f64] {
        &self.attention
    }
    /// Attention heads of the current model.
    pub fn heads(&self) -> usize {
        self.model.heads()
    }
    /// The attention of one head (1-based; 0 or out of range gives the model's attention) into
    /// `out`, resized to N.
    pub fn head_attention(&mut self, head: usize, out: &mut Vec<f64>) {
        out.resize(self.observations.nrows(), 0.0);
        if head == 0 || head > self.model.heads() {
            out.copy_from_slice(&self.attention);
        } else {
            self.model.head_attention(&self.observations, head - 1, out);
        }
    }
    pub fn reconstruction(&self) -> Array2<f64> {
        self.model.reconstruct(&self.observations, &self.attention)
    }
    pub fn parameters(&self) -> &[f64] {
        self.model.parameters()
    }
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    /// Optimizer steps taken since the model was (re)started.
    pub fn steps(&self) -> u64 {
        self.trainer.steps()
    }
    /// (step, loss before that step), thinned to a bounded length.
    pub fn loss_history(&self) -> &[(u64, f64)] {
        self.trainer.loss_history()
    }
    /// Why training stopped, if it diverged.
    pub fn diverged(&self) -> Option<&str> {
        match self.trainer.status() {
            Status::Diverged(why) => Some(why),
            _ => None,
        }
    }
}
