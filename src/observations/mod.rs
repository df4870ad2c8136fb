//! Where observations come from: a [`noise_model`] (Gaussian or lognormal, seeded through
//! [`gaussian_noise`]'s standard-normal stream) on a clean trajectory, or a file ([`csv_import`]).
//! The Hudson's Bay lynx–hare series is built in ([`lynx_hare`]).

pub mod csv_import;
pub mod gaussian_noise;
pub mod lynx_hare;
pub mod noise_model;
