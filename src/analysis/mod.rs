//! Reading a trained model: alignment [`metrics`] between attention and a measure, the
//! statistics every report uses ([`distributions`], [`intervals`], [`sign_test`],
//! [`multiplicity`], and the older [`summary_stats`]), why a linear score lands where it does
//! ([`mechanism`]), and the plain-words [`verdict`].

pub mod distributions;
pub mod intervals;
pub mod mechanism;
pub mod metrics;
pub mod multiplicity;
pub mod sign_test;
pub mod summary_stats;
pub mod verdict;
