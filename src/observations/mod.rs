//! Where observations come from: seeded noise on a clean trajectory ([`gaussian_noise`]) or a
//! file ([`csv_import`]).

pub mod csv_import;
pub mod gaussian_noise;
