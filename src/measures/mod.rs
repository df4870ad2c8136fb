//! The ground-truth sensitivity measures that attention is compared against along the clean
//! trajectory: ∂V/∂n ([`normal_derivative`]), the FTLE ([`ftle`]) and the growth of kicks along
//! the orbit normal ([`normal_growth`]), chosen by [`measure::Measure`]. For limit cycles, the
//! phase response: the infinitesimal PRC by the adjoint method ([`phase_response`]) and the
//! finite-kick PRC by the direct method ([`direct_prc`]).

pub mod direct_prc;
pub mod ftle;
pub mod kick_run;
pub mod measure;
pub mod measure_run;
pub mod normal_derivative;
pub mod normal_growth;
pub mod phase_response;
pub mod phase_response_along;
pub mod propagators;
pub mod tangent;

pub use measure::Measure;
