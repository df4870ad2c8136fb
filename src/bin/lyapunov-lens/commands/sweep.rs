//! `lyapunov-lens sweep`: a grid of models × σ × seeds on all cores, one row per run plus the
//! summaries, as CSV or JSON.

use crate::error::{failed, CliError};
use crate::grid_args::GridArgs;
use crate::output::{write_json_pretty, write_output, Format};
use crate::parallel_grid::run_grid;
use crate::system_args::SystemArgs;
use crate::training_args::TrainingArgs;
use clap::Args;
use lyapunov_lens::experiments::grid::write_csv;
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
}

pub fn execute(args: &SweepArgs) -> Result<(), CliError> {
    let spec = args
        .grid
        .to_spec(args.system.to_config(None)?, args.training.budget())?;
    let report = run_grid(spec)?;
    write_output(args.out.as_ref(), |w| match args.format {
        Format::Json => write_json_pretty(w, &report),
        Format::Csv => write_csv(&report, w),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))
}
