//! Reading a trained model: alignment [`metrics`] between attention and a measure, [`summary_stats`]
//! over seeds, and the plain-words [`verdict`].

pub mod metrics;
pub mod summary_stats;
pub mod verdict;
