//! A trained session for the single-run commands (`run`, `perturb`, `figure`, and the example
//! run of `findings`), optionally on imported observations.

use crate::error::{failed, invalid, usage_error, CliError};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::{Session, SessionError};
use lyapunov_lens::observations::csv_import::parse_observations_csv;
use lyapunov_lens::training::budget::{Budget, TrainingSummary};
use lyapunov_lens::training::trainer::Status;
use std::path::PathBuf;

/// A session trained under `budget`, with what training reached (a warning on stderr if it did
/// not converge).
pub fn trained(config: Config, budget: Budget) -> Result<(Session, TrainingSummary), CliError> {
    trained_on(config, None, budget)
}

/// As [`trained`], on the observations in `input` when given.
pub fn trained_on(
    config: Config,
    input: Option<&PathBuf>,
    budget: Budget,
) -> Result<(Session, TrainingSummary), CliError> {
    let mut session = Session::new(config).map_err(|e| match e {
        SessionError::Config(e) => invalid(e),
        e => failed(e),
    })?;
    if let Some(path) = input {
        let bad_input = |e: String| usage_error(format!("--input {}: {e}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| bad_input(e.to_string()))?;
        let series = parse_observations_csv(&text).map_err(|e| bad_input(e.to_string()))?;
        session
            .import(series)
            .map_err(|e| bad_input(e.to_string()))?;
    }
    let summary = session.train(budget);
    match session.training_status() {
        Status::Diverged(why) => {
            eprintln!("warning: {why}; reporting the last finite parameters")
        }
        Status::Stalled(why) => eprintln!("warning: training stalled: {why}"),
        _ if summary.status == "capped" => eprintln!(
            "warning: not converged within {} steps (raise --max-steps); the numbers are provisional",
            summary.steps
        ),
        _ => {}
    }
    Ok((session, summary))
}
