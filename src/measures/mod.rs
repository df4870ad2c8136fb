//! The ground-truth sensitivity measures that attention is compared against along the clean
//! trajectory: ∂V/∂n ([`normal_derivative`]), the FTLE ([`ftle`]) and the growth of kicks along
//! the orbit normal ([`normal_growth`]), chosen by [`measure::Measure`].

pub mod ftle;
pub mod measure;
pub mod normal_derivative;
pub mod normal_growth;

pub use measure::Measure;
