//! `lyapunov-lens findings`: run a sweep (and the cross-system table), draw the figures, and
//! write FINDINGS.md with a statement of which claims hold.

use crate::error::{failed, usage_error, CliError};
use crate::grid_args::GridArgs;
use crate::output::write_output;
use crate::parallel_grid::run_grid;
use crate::system_args::SystemArgs;
use crate::training::trained;
use crate::training_args::TrainingArgs;
use clap::Args;
use lyapunov_lens::experiments::cross_system::{CrossSystemReport, CrossSystemSpec};
use lyapunov_lens::experiments::grid::write_csv;
use lyapunov_lens::experiments::sweep::SweepReport;
use lyapunov_lens::experiments::{figures, findings};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::training::budget::{Budget, DEFAULT_MAX_STEPS};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    system: SystemArgs,
    #[command(flatten)]
    grid: GridArgs,
    #[command(flatten)]
    training: TrainingArgs,
    /// Folder for the sweep tables and figures.
    #[arg(long, default_value = "findings")]
    out_dir: PathBuf,
    /// The report to write.
    #[arg(long, default_value = "FINDINGS.md")]
    report: PathBuf,
    /// Systems of the cross-system table, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = SystemKind::ALL)]
    cross_systems: Vec<SystemKind>,
    /// Models of the cross-system table (each where it applies), comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::PaperLinear, ModelKind::SelfAttention, ModelKind::OracleInverseVariance])]
    cross_models: Vec<ModelKind>,
    /// Noise levels of the cross-system table, as multiples of each system's default σ.
    #[arg(long, value_delimiter = ',', default_values_t = [0.5, 1.0, 2.0])]
    cross_levels: Vec<f64>,
    /// Seeds per cell of the cross-system table (0 leaves the table out).
    #[arg(long, default_value_t = 8)]
    cross_seeds: u64,
    /// Most optimizer steps per run of the cross-system table (each trains to convergence).
    #[arg(long, default_value_t = DEFAULT_MAX_STEPS)]
    cross_max_steps: u64,
    /// Samples per run of the cross-system table.
    #[arg(long, default_value_t = 500)]
    cross_n: usize,
}

impl FindingsArgs {
    /// `name` in the output folder.
    fn out(&self, name: &str) -> PathBuf {
        self.out_dir.join(name)
    }

    /// `name` in the output folder, relative to the report's folder (for links).
    fn link(&self, name: &str) -> String {
        let base_dir = self.report.parent().unwrap_or(Path::new(""));
        let p = self.out(name);
        p.strip_prefix(base_dir)
            .unwrap_or(&p)
            .to_string_lossy()
            .into_owned()
    }
}

pub fn execute(args: &FindingsArgs) -> Result<(), CliError> {
    let base = args.system.to_config(None)?;
    let spec = args.grid.to_spec(base.clone(), args.training.budget())?;
    let report = run_grid(spec)?;
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| failed(format!("cannot create {}: {e}", args.out_dir.display())))?;
    write_output(Some(&args.out("sweep.csv")), |w| write_csv(&report, w)).map_err(failed)?;
    figures::sweep(&report, &args.out("sweep.svg")).map_err(failed)?;
    let captions = draw_example_run(args, base, &report)?;
    let figs = [
        (
            "Pearson r against σ, mean and 95% interval per model",
            args.link("sweep.svg"),
        ),
        (captions[0].as_str(), args.link("fig5.svg")),
        (captions[1].as_str(), args.link("phase.svg")),
    ];
    let cross = cross_system_table(args)?;
    let table = args.link("cross_system.csv");
    let text = findings::render(
        &report,
        cross.as_ref().map(|c| (c, table.as_str())),
        &command_line(),
        &figs,
    );
    std::fs::write(&args.report, text)
        .map_err(|e| failed(format!("cannot write {}: {e}", args.report.display())))?;
    eprintln!(
        "wrote {} and {}/",
        args.report.display(),
        args.out_dir.display()
    );
    Ok(())
}

/// Trains one representative run, seed 0, with the first model: at the paper's σ = 2 for
/// Lotka–Volterra, else at the sweep's largest σ. Draws its fig5.svg and phase.svg and returns
/// their captions.
fn draw_example_run(
    args: &FindingsArgs,
    base: Config,
    report: &SweepReport,
) -> Result<[String; 2], CliError> {
    let example_sigma =
        if base.system == SystemKind::LotkaVolterra || report.spec.sigmas.contains(&2.0) {
            2.0
        } else {
            report
                .spec
                .sigmas
                .iter()
                .copied()
                .fold(base.sigma, f64::max)
        };
    let symbol = base.measure.symbol();
    let mut example = base;
    (example.sigma, example.seed, example.model) = (example_sigma, 0, report.spec.models[0]);
    let (session, _) = trained(example, args.training.budget())?;
    figures::fig5(&session, &args.out("fig5.svg")).map_err(failed)?;
    let projection = session.config().system.run_defaults().projection;
    figures::phase(&session, projection, &args.out("phase.svg")).map_err(failed)?;
    Ok([
        format!(
            "Attention and {symbol} against time, σ = {example_sigma}, seed 0 (the paper's Figure 5)"
        ),
        format!("Observations coloured by attention, σ = {example_sigma}, seed 0"),
    ])
}

/// The command line as typed, with the program spelled `lyapunov-lens`.
fn command_line() -> String {
    std::iter::once("lyapunov-lens".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the cross-system grid and writes cross_system.csv, unless --cross-seeds is 0.
fn cross_system_table(args: &FindingsArgs) -> Result<Option<CrossSystemReport>, CliError> {
    if args.cross_seeds == 0 {
        return Ok(None);
    }
    let cross = run_grid(cross_system_spec(args)?)?;
    write_output(Some(&args.out("cross_system.csv")), |w| {
        write_csv(&cross, w)
    })
    .map_err(failed)?;
    Ok(Some(cross))
}

/// The cross-system grid of the --cross-* arguments, validated.
fn cross_system_spec(args: &FindingsArgs) -> Result<CrossSystemSpec, CliError> {
    if args
        .cross_levels
        .iter()
        .any(|l| !(l.is_finite() && *l >= 0.0))
    {
        return Err(usage_error(
            "invalid value in --cross-levels: levels must be finite and ≥ 0".into(),
        ));
    }
    if args.cross_n < 2 {
        return Err(usage_error(
            "invalid value for --cross-n: must be at least 2".into(),
        ));
    }
    Ok(CrossSystemSpec {
        systems: args.cross_systems.clone(),
        models: args.cross_models.clone(),
        noise_levels: args.cross_levels.clone(),
        seeds: (0..args.cross_seeds).collect(),
        budget: Budget::Converge {
            max_steps: args.cross_max_steps,
        },
        n: args.cross_n,
    })
}
