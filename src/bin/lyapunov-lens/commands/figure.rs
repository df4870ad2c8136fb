//! `lyapunov-lens figure`: the paper's Figure 5, the attention-coloured phase portrait, or
//! Pearson r against σ from a sweep, as SVG or PNG.

use crate::error::{failed, usage_error, CliError};
use crate::grid_args::GridArgs;
use crate::noise_args::NoiseArgs;
use crate::parallel_grid::run_grid;
use crate::system_args::SystemArgs;
use crate::training::trained;
use crate::training_args::TrainingArgs;
use clap::{Args, ValueEnum};
use lyapunov_lens::experiments::figures;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
enum FigureKind {
    /// Attention and ∂V/∂n against time, min–max normalised (the paper's Figure 5).
    Fig5,
    /// The attention-coloured phase portrait with a colorbar.
    Phase,
    /// Pearson r against σ with 95% intervals, one line per model (runs a sweep).
    Sweep,
}

#[derive(Args)]
pub struct FigureArgs {
    #[arg(long, value_enum)]
    kind: FigureKind,
    #[command(flatten)]
    system: SystemArgs,
    #[command(flatten)]
    noise: NoiseArgs,
    #[command(flatten)]
    grid: GridArgs,
    #[command(flatten)]
    training: TrainingArgs,
    /// Output file: .svg or .png.
    #[arg(long)]
    out: PathBuf,
    /// For --kind phase: the two state coordinates to plot, e.g. 0,2 for x against z
    /// [default: the system's].
    #[arg(long)]
    projection: Option<String>,
}

pub fn execute(args: &FigureArgs) -> Result<(), CliError> {
    if !figures::supported(&args.out) {
        return Err(usage_error(format!(
            "invalid value for --out: {} must end in .svg or .png",
            args.out.display()
        )));
    }
    match args.kind {
        FigureKind::Fig5 => {
            let (session, _) = trained(
                args.system.to_config(Some(&args.noise))?,
                args.training.budget(),
            )?;
            figures::fig5(&session, &args.out).map_err(failed)
        }
        FigureKind::Phase => {
            let (session, _) = trained(
                args.system.to_config(Some(&args.noise))?,
                args.training.budget(),
            )?;
            let projection = match &args.projection {
                Some(p) => parse_projection(p, session.dim())?,
                None => session.config().system.run_defaults().projection,
            };
            figures::phase(&session, projection, &args.out).map_err(failed)
        }
        FigureKind::Sweep => {
            let spec = args
                .grid
                .to_spec(args.system.to_config(None)?, args.training.budget())?;
            figures::sweep(&run_grid(spec)?, &args.out).map_err(failed)
        }
    }
}

/// "a,b": two different state coordinates below `dim`.
fn parse_projection(value: &str, dim: usize) -> Result<(usize, usize), CliError> {
    let bad = || {
        usage_error(format!(
            "invalid value for --projection: '{value}' is not two different coordinates 0–{} like 0,2",
            dim - 1
        ))
    };
    let (a, b) = value.split_once(',').ok_or_else(bad)?;
    let (a, b): (usize, usize) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a >= dim || b >= dim || a == b {
        return Err(bad());
    }
    Ok((a, b))
}
