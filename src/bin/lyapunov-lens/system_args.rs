//! The system, the sampling, the sensitivity measure and the optimizer: the argument group
//! every command that builds a [`Config`] shares, and its conversion into one.

use crate::error::{invalid, usage_error, CliError};
use crate::noise_args::NoiseArgs;
use clap::Args;
use lyapunov_lens::lab::clean_data::with_whole_periods;
use lyapunov_lens::lab::config::{self, Config};
use lyapunov_lens::measures::measure::{Measure, MeasureAt};
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;

/// The system, the sampling, the sensitivity measure and the optimizer. Names match the
/// page's controls.
#[derive(Args)]
pub struct SystemArgs {
    /// Dynamical system; `lyapunov-lens systems` lists them with their parameters.
    #[arg(long, default_value_t = SystemKind::LotkaVolterra)]
    system: SystemKind,
    #[command(flatten)]
    params: SystemParams,
    #[arg(long = "t-end", allow_negative_numbers = true, help = with_default("t_end", "the system's"))]
    t_end: Option<f64>,
    /// Instead of --t-end: this many whole periods of the orbit (measured), so that no part of
    /// it is sampled twice. Periodic orbits only.
    #[arg(long, conflicts_with = "t_end")]
    whole_periods: Option<u32>,
    #[arg(long = "burn-in", allow_negative_numbers = true, help = with_default("burn_in", "the system's"))]
    burn_in: Option<f64>,
    #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().n as i64, help = help("n"))]
    n: i64,
    #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().lr, help = help("lr"))]
    lr: f64,
    /// What attention is compared with: dv-dn (∂V/∂n, where a conserved V exists), ftle, or
    /// normal-growth (2-D systems) [default: dv-dn where V exists, else ftle].
    #[arg(long)]
    measure: Option<Measure>,
    /// Where the measure is taken: clean (the clean states, the default) or observed (the noisy
    /// observations; dv-dn only, undefined where V is).
    #[arg(long = "measure-at", default_value_t = MeasureAt::Clean)]
    measure_at: MeasureAt,
    /// Observation noise: gaussian (x̃ = x + σε, the paper's) or lognormal (x̃ = x·exp(σε),
    /// always positive; systems with non-negative states only; σ is then a log-scale spread).
    #[arg(long, default_value_t = NoiseModel::Gaussian)]
    noise: NoiseModel,
    #[arg(long, allow_negative_numbers = true, help = with_default("tau", "the system's"))]
    tau: Option<f64>,
    #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().heads as i64, help = help("heads"))]
    heads: i64,
    #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().window as i64, help = help("window"))]
    window: i64,
}

/// The help text of a run parameter, as the page shows it.
pub fn help(name: &str) -> &'static str {
    config::run_parameter(name).map_or("", |p| p.help)
}

/// [`help`], then "[default: `default`]".
pub fn with_default(name: &str, default: &str) -> String {
    format!("{} [default: {default}]", help(name))
}

/// The rates and initial state of every system, as optional flags (`--alpha`, `--rho`,
/// `--theta0`, …). Only the chosen system's may be given.
pub struct SystemParams {
    given: Vec<(&'static str, f64)>,
}

/// Every system parameter name once, with the systems it belongs to.
fn system_parameter_names() -> Vec<(&'static str, Vec<SystemKind>)> {
    let mut names: Vec<(&'static str, Vec<SystemKind>)> = Vec::new();
    for kind in SystemKind::ALL {
        for spec in kind.parameters() {
            match names.iter_mut().find(|(n, _)| *n == spec.name) {
                Some((_, kinds)) => kinds.push(kind),
                None => names.push((spec.name, vec![kind])),
            }
        }
    }
    names
}

impl clap::FromArgMatches for SystemParams {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let given = system_parameter_names()
            .into_iter()
            .filter_map(|(name, _)| m.get_one::<f64>(name).map(|v| (name, *v)))
            .collect();
        Ok(SystemParams { given })
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for SystemParams {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for (name, kinds) in system_parameter_names() {
            let owners: Vec<String> = kinds
                .iter()
                .map(|k| {
                    let spec = k.parameters().find(|p| p.name == name).expect("listed");
                    format!("{k}: {} [default: {}]", spec.help, spec.default)
                })
                .collect();
            cmd = cmd.arg(
                clap::Arg::new(name)
                    .long(name.replace('_', "-"))
                    .value_name("VALUE")
                    .value_parser(clap::value_parser!(f64))
                    .allow_negative_numbers(true)
                    .help(owners.join(" | ")),
            );
        }
        cmd
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl SystemArgs {
    /// The config these arguments (and `noise`, for a single run) describe, validated.
    pub fn to_config(&self, noise: Option<&NoiseArgs>) -> Result<Config, CliError> {
        let mut config = Config::for_system(self.system);
        self.set_system_parameters(&mut config)?;
        for (name, value) in [
            ("n", self.n),
            ("heads", self.heads),
            ("window", self.window),
        ] {
            if value < 1 {
                return Err(usage_error(format!(
                    "invalid value for --{name}: must be a positive integer, got {value}"
                )));
            }
            config.set(name, value as f64).map_err(invalid)?;
        }
        let optional = [
            ("t_end", self.t_end),
            ("burn_in", self.burn_in),
            ("tau", self.tau),
            ("sigma", noise.and_then(|a| a.sigma)),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                config.set(name, v).map_err(invalid)?;
            }
        }
        config.lr = self.lr;
        if let Some(m) = self.measure {
            config.measure = m;
        }
        config.measure_at = self.measure_at;
        config.noise = self.noise;
        if let Some(noise) = noise {
            config.seed = noise.seed;
            config.model = noise.model;
        }
        config.validate().map_err(invalid)?;
        if let Some(k) = self.whole_periods {
            config = with_whole_periods(&config, k)
                .map_err(|e| usage_error(format!("invalid value for --whole-periods: {e}")))?;
            config.validate().map_err(invalid)?;
        }
        Ok(config)
    }

    /// The given rates and initial state; a parameter of another system is a usage error.
    fn set_system_parameters(&self, config: &mut Config) -> Result<(), CliError> {
        self.params.apply(self.system, config)
    }
}

impl SystemParams {
    /// Sets the given rates and initial state on `config` (a config of `system`); a parameter
    /// of another system is a usage error.
    pub fn apply(&self, system: SystemKind, config: &mut Config) -> Result<(), CliError> {
        for &(name, value) in &self.given {
            if config.parameter(name).is_none() {
                let own: Vec<String> = system
                    .parameters()
                    .map(|p| format!("--{}", p.name.replace('_', "-")))
                    .collect();
                return Err(usage_error(format!(
                    "--{} is not a parameter of {} (its parameters: {})",
                    name.replace('_', "-"),
                    system,
                    own.join(", ")
                )));
            }
            config.set(name, value).map_err(invalid)?;
        }
        Ok(())
    }
}
