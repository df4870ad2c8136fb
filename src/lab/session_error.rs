//! Why a session could not be built or reconfigured.

use crate::lab::config::ConfigError;
use std::fmt;

/// Why a session could not be built or reconfigured. The session, if any, is left unchanged.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionError {
    Config(ConfigError),
    Integration(String),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Config(e) => write!(f, "invalid {e}"),
            SessionError::Integration(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for SessionError {}

impl From<ConfigError> for SessionError {
    fn from(e: ConfigError) -> Self {
        SessionError::Config(e)
    }
}
