//! `lyapunov-lens findings`: run a sweep (and the cross-system table and the fitting study),
//! draw the figures, and write FINDINGS.md with a statement of which claims hold. With
//! `--shard K/N` it runs only its share of the three grids' cells and writes them for `merge`,
//! which does the rest: the closer study of the paper's setting, the convergence probes and the
//! example run (fixed in size, not sharded), the figures and the report.

use crate::error::{failed, usage_error, CliError};
use crate::grid_args::GridArgs;
use crate::grid_source::GridSource;
use crate::output::write_output;
use crate::shard_args::{typed_command, ShardArgs};
use crate::shard_run::ShardRun;
use crate::system_args::SystemArgs;
use crate::training::trained;
use crate::training_args::TrainingArgs;
use clap::Args;
use lyapunov_lens::experiments::cross_system::CrossSystemSpec;
use lyapunov_lens::experiments::findings::FindingsInputs;
use lyapunov_lens::experiments::grid::{write_csv, GridReport, GridSpec};
use lyapunov_lens::experiments::paper_study::{ConvergenceProbe, PaperStudy};
use lyapunov_lens::experiments::recovery_study::RecoverySpec;
use lyapunov_lens::experiments::sweep::{SweepReport, SweepSpec};
use lyapunov_lens::experiments::{figures, findings};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::noise_model::NoiseModel;
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
    #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::PaperLinear, ModelKind::OracleInverseVariance])]
    cross_models: Vec<ModelKind>,
    /// Noise levels of the cross-system table, as multiples of each system's default σ.
    #[arg(long, value_delimiter = ',', default_values_t = [0.5, 1.0, 2.0])]
    cross_levels: Vec<f64>,
    /// Seeds per cell of the cross-system table (0 leaves the table out).
    #[arg(long, default_value_t = 20)]
    cross_seeds: u64,
    /// Most optimizer steps per run of the cross-system table (each trains to convergence).
    #[arg(long, default_value_t = DEFAULT_MAX_STEPS)]
    cross_max_steps: u64,
    /// Models only probed for convergence at the paper's setting (not swept).
    #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::SelfAttention])]
    probe_models: Vec<ModelKind>,
    /// Seeds of each convergence probe.
    #[arg(long, default_value_t = 4)]
    probe_seeds: usize,
    /// Most optimizer steps per probe run.
    #[arg(long, default_value_t = 3000)]
    probe_max_steps: u64,
    /// Data sets per setting of the attention-weighted fitting study (0 leaves it out).
    #[arg(long, default_value_t = 20)]
    recovery_seeds: u64,
    /// Samples per run of the cross-system table.
    #[arg(long, default_value_t = 500)]
    cross_n: usize,
    #[command(flatten)]
    pub shard: ShardArgs,
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

/// The grids of a findings run, validated before anything runs.
struct FindingsGrids {
    sweep: SweepSpec,
    /// Unless --cross-seeds is 0.
    cross: Option<CrossSystemSpec>,
    /// Unless --recovery-seeds is 0.
    recovery: Option<RecoverySpec>,
}

impl FindingsGrids {
    fn of(args: &FindingsArgs) -> Result<FindingsGrids, CliError> {
        let base = args.system.to_config(None)?;
        Ok(FindingsGrids {
            sweep: args.grid.to_spec(base, args.training.budget())?,
            cross: match args.cross_seeds {
                0 => None,
                _ => Some(cross_system_spec(args)?),
            },
            recovery: (args.recovery_seeds > 0)
                .then(|| RecoverySpec::standard(args.recovery_seeds)),
        })
    }
}

pub fn execute(args: &FindingsArgs) -> Result<(), CliError> {
    let grids = FindingsGrids::of(args)?;
    let Some(shard) = args.shard.shard else {
        return write_findings(args, grids, &GridSource::Here, &typed_command());
    };
    let mut run = ShardRun::new(shard);
    run.run("sweep", &grids.sweep)?;
    if let Some(cross) = &grids.cross {
        run.run("cross_system", cross)?;
    }
    if let Some(recovery) = &grids.recovery {
        run.run("recovery", recovery)?;
    }
    run.write(args.shard.shard_out.as_ref())
}

/// FINDINGS.md and findings/ of the single run `command` (= `args`), from the shards' rows.
pub fn merge(args: &FindingsArgs, source: &GridSource, command: &[String]) -> Result<(), CliError> {
    write_findings(args, FindingsGrids::of(args)?, source, command)
}

/// Everything a findings run writes, with the grids' rows from `source`; `command` is the
/// command line the report quotes (the program name left out).
fn write_findings(
    args: &FindingsArgs,
    grids: FindingsGrids,
    source: &GridSource,
    command: &[String],
) -> Result<(), CliError> {
    let base = args.system.to_config(None)?;
    let report = source.report("sweep", grids.sweep)?;
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| failed(format!("cannot create {}: {e}", args.out_dir.display())))?;
    write_output(Some(&args.out("sweep.csv")), |w| write_csv(&report, w)).map_err(failed)?;
    figures::sweep(&report, &args.out("sweep.svg")).map_err(failed)?;
    let study = paper_study(args, &base, &report)?;
    figures::kick_deciles(&study, &args.out("kick_deciles.svg")).map_err(failed)?;
    let captions = draw_example_run(args, &study)?;
    let probes = convergence_probes(args, &study)?;
    let figs = vec![
        (
            "Kick growth by attention decile".to_string(),
            args.link("kick_deciles.svg"),
        ),
        (
            "Spearman ρ against Gaussian σ: mean and 95% BCa interval over the converged seeds, per model".to_string(),
            args.link("sweep.svg"),
        ),
        (captions[0].clone(), args.link("fig5.svg")),
        (captions[1].clone(), args.link("phase.svg")),
    ];
    let cross = match grids.cross {
        Some(spec) => Some(grid_table(args, source, "cross_system", spec)?),
        None => None,
    };
    let table = args.link("cross_system.csv");
    let recovery = match grids.recovery {
        Some(spec) => Some(grid_table(args, source, "recovery", spec)?),
        None => None,
    };
    let recovery_table = args.link("recovery.csv");
    let sweep_table = args.link("sweep.csv");
    let text = findings::render(&FindingsInputs {
        sweep: &report,
        study: &study,
        probes: &probes,
        cross: cross.as_ref().map(|c| (c, table.as_str())),
        command: &command_line(command),
        figures: &figs,
        sweep_table: &sweep_table,
        recovery: recovery.as_ref().map(|r| (r, recovery_table.as_str())),
    });
    std::fs::write(&args.report, text)
        .map_err(|e| failed(format!("cannot write {}: {e}", args.report.display())))?;
    eprintln!(
        "wrote {} and {}/",
        args.report.display(),
        args.out_dir.display()
    );
    Ok(())
}

/// The report of the grid `spec` (named `grid`) from `source`, written to `<grid>.csv` in the
/// output folder.
fn grid_table<S>(
    args: &FindingsArgs,
    source: &GridSource,
    grid: &str,
    spec: S,
) -> Result<GridReport<S>, CliError>
where
    S: GridSpec + Sync,
    S::Cell: Sync,
    S::Row: Send,
{
    let report = source.report(grid, spec)?;
    write_output(Some(&args.out(&format!("{grid}.csv"))), |w| {
        write_csv(&report, w)
    })
    .map_err(failed)?;
    Ok(report)
}

/// The closer study at the paper's setting: the first model, Gaussian noise at σ = 2 (or the
/// sweep's largest Gaussian σ), the sweep's seeds (at that level's noise seeds).
fn paper_study(
    args: &FindingsArgs,
    base: &Config,
    report: &SweepReport,
) -> Result<PaperStudy, CliError> {
    let levels = &report.spec.sigmas;
    let level = levels
        .iter()
        .position(|&(n, s)| n == NoiseModel::Gaussian && s == 2.0)
        .or_else(|| levels.iter().position(|&(n, _)| n == NoiseModel::Gaussian))
        .unwrap_or(0);
    let mut config = base.clone();
    (config.noise, config.sigma) = levels[level];
    config.model = report.spec.models[0];
    let seeds: Vec<u64> = report
        .spec
        .seeds
        .iter()
        .map(|&s| SweepSpec::seed_for(level, s))
        .collect();
    PaperStudy::run(&config, &seeds, args.training.budget()).map_err(failed)
}

/// The --probe-models at the study's setting, at its first --probe-seeds seeds, capped at
/// --probe-max-steps.
fn convergence_probes(
    args: &FindingsArgs,
    study: &PaperStudy,
) -> Result<Vec<ConvergenceProbe>, CliError> {
    let seeds: Vec<u64> = study
        .seeds
        .iter()
        .take(args.probe_seeds)
        .map(|s| s.seed)
        .collect();
    args.probe_models
        .iter()
        .map(|&model| {
            let mut config = study.config.clone();
            config.model = model;
            let budget = Budget::Converge {
                max_steps: args.probe_max_steps,
            };
            ConvergenceProbe::run(&config, &seeds, budget).map_err(failed)
        })
        .collect()
}

/// Trains one draw of the study's setting (its first seed), draws its fig5.svg and phase.svg and
/// returns their captions, which say it is one draw.
fn draw_example_run(args: &FindingsArgs, study: &PaperStudy) -> Result<[String; 2], CliError> {
    let mut example = study.config.clone();
    example.seed = study.seeds[0].seed;
    let symbol = example.measure.symbol();
    let (sigma, seed, n) = (example.sigma, example.seed, study.seeds.len());
    let (session, _) = trained(example, args.training.budget())?;
    figures::fig5(&session, &args.out("fig5.svg")).map_err(failed)?;
    let projection = session.config().system.run_defaults().projection;
    figures::phase(&session, projection, &args.out("phase.svg")).map_err(failed)?;
    Ok([
        format!(
            "Attention and {symbol} against time, σ = {sigma}: one noise draw (seed {seed}) of the {n} the tables summarise (the paper's Figure 5)"
        ),
        format!("Observations coloured by attention, σ = {sigma}: the same single draw (seed {seed})"),
    ])
}

/// The command line `command`, with the program spelled `lyapunov-lens`.
fn command_line(command: &[String]) -> String {
    std::iter::once("lyapunov-lens")
        .chain(command.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
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
