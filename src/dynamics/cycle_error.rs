//! Why a limit cycle could not be located or a phase response computed: a refusal with the
//! reason (a centre, no attracting periodic orbit, over a cost cap, an invalid kick) or a
//! numerical failure.

use std::fmt;

/// Why there is no limit cycle to work with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleErrorKind {
    /// A system with a conserved quantity: closed orbits around a centre, no asymptotic phase.
    Centre,
    /// No attracting periodic orbit could be followed (chaos, an equilibrium, a repelling or
    /// neutral cycle, a system without a Poincaré section).
    NoLimitCycle,
    /// The computation would exceed one of its stated caps.
    OverBudget,
    /// A kick that cannot be applied (a variable that does not exist, a zero or non-finite ε,
    /// or a kicked state the system does not admit).
    InvalidKick,
    /// The numerics failed (integration error, Newton did not converge).
    Failed,
}

/// A refusal or failure with a message that says why.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleError {
    pub kind: CycleErrorKind,
    pub message: String,
}

impl CycleError {
    pub fn new(kind: CycleErrorKind, message: impl Into<String>) -> Self {
        CycleError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for CycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CycleError {}
