//! `lyapunov-lens sweep`: a grid of models × σ × seeds on all cores, one row per run plus the
//! summaries, as CSV or JSON; or, with `--shard K/N`, one shard of it for `merge`.

use crate::error::{failed, CliError};
use crate::grid_args::GridArgs;
use crate::grid_source::GridSource;
use crate::output::{write_json_pretty, write_output, Format};
use crate::shard_args::ShardArgs;
use crate::shard_run::ShardRun;
use crate::system_args::SystemArgs;
use crate::training_args::TrainingArgs;
use clap::Args;
use lyapunov_lens::experiments::grid::write_csv;
use lyapunov_lens::experiments::sweep::SweepSpec;
use std::path::PathBuf;

#[derive(Args)]
pub struct SweepArgs {
    #[command(flatten)]
    system: SystemArgs,
    #[command(flatten)]
    grid: GridArgs,
    #[command(flatten)]
    training: TrainingArgs,
    /// csv: the runs table, a blank line, the summary table. json: spec, rows, summary.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    pub shard: ShardArgs,
}

pub fn execute(args: &SweepArgs) -> Result<(), CliError> {
    let spec = sweep_spec(args)?;
    if let Some(shard) = args.shard.shard {
        let mut run = ShardRun::new(shard);
        run.run("sweep", &spec)?;
        return run.write(args.shard.shard_out.as_ref());
    }
    write_sweep(args, spec, &GridSource::Here)
}

/// The grid of the arguments, validated.
fn sweep_spec(args: &SweepArgs) -> Result<SweepSpec, CliError> {
    args.grid
        .to_spec(args.system.to_config(None)?, args.training.budget())
}

/// The sweep's table or JSON, from rows run here or read from shards.
fn write_sweep(args: &SweepArgs, spec: SweepSpec, source: &GridSource) -> Result<(), CliError> {
    let report = source.report("sweep", spec)?;
    write_output(args.out.as_ref(), |w| match args.format {
        Format::Json => write_json_pretty(w, &report),
        Format::Csv => write_csv(&report, w),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))
}

/// The output of the single run `args`, from the shards' rows.
pub fn merge(args: &SweepArgs, source: &GridSource) -> Result<(), CliError> {
    write_sweep(args, sweep_spec(args)?, source)
}
