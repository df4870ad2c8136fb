//! One file per subcommand: its arguments and `execute`.

pub mod figure;
pub mod findings;
pub mod fit;
pub mod merge;
pub mod perturb;
pub mod prc;
pub mod run;
pub mod sweep;
pub mod systems;
