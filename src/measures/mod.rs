//! The ground-truth sensitivity measures that attention is compared against along the clean
//! trajectory: ∂V/∂n ([`normal_derivative`]), the FTLE ([`ftle`]) and the growth of kicks along
//! the orbit normal, chosen by [`measure::Measure`].

pub mod ftle;
pub mod measure;
pub mod normal_derivative;

pub use measure::Measure;
