//! How a model's parameters are fitted, and for how long ([`budget`]): [`adam`] (the paper's optimizer, a few steps per frame),
//! the L-BFGS finish ([`lbfgs_finish`]), the convergence test ([`certificate`], with the
//! [`symmetric_eigen`] decomposition it needs) and the schedule that runs them ([`trainer`]).

pub mod adam;
pub mod budget;
pub mod certificate;
pub mod lbfgs_finish;
pub mod symmetric_eigen;
pub mod trainer;
