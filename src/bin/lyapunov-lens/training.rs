//! A trained session for the single-run commands (`run`, `perturb`, `figure`, and the example
//! run of `findings`), optionally on imported observations.

use crate::error::{failed, invalid, usage_error, CliError};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::{Session, SessionError};
use lyapunov_lens::observations::csv_import::parse_observations_csv;
use std::path::PathBuf;

/// A session trained for `steps` (stopping early, with a warning, if training diverges).
pub fn trained(config: Config, steps: u64) -> Result<Session, CliError> {
    trained_on(config, None, steps)
}

/// As [`trained`], on the observations in `input` when given.
pub fn trained_on(
    config: Config,
    input: Option<&PathBuf>,
    steps: u64,
) -> Result<Session, CliError> {
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
    session.train_to_step(steps);
    if let Some(why) = session.diverged() {
        eprintln!("warning: {why}; reporting the last finite parameters");
    }
    Ok(session)
}
