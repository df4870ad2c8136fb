//! How a command fails: bad arguments (exit 2) or a failed run (exit 1), each with one line for
//! standard error.

use lyapunov_lens::lab::config::ConfigError;

pub enum CliError {
    /// Bad arguments: exit 2.
    Usage(String),
    /// The run failed: exit 1.
    Failed(String),
}

pub fn usage_error(message: String) -> CliError {
    CliError::Usage(message)
}

pub fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::Failed(e.to_string())
}

/// A config value out of range, named by its flag.
pub fn invalid(e: ConfigError) -> CliError {
    usage_error(format!(
        "invalid value for --{}: {}",
        e.parameter.replace('_', "-"),
        e.message
    ))
}

/// A positive finite number, or a usage error naming `flag`.
pub fn positive_finite(flag: &str, value: f64) -> Result<(), CliError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(usage_error(format!(
            "invalid value for --{flag}: must be a positive finite number, got {value}"
        )))
    }
}
