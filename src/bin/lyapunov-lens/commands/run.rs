//! `lyapunov-lens run`: simulate (or import), add noise, train, and print the per-point table
//! and the metrics.

use crate::error::{failed, CliError};
use crate::noise_args::NoiseArgs;
use crate::output::{write_json, write_output, Format};
use crate::system_args::SystemArgs;
use crate::training::trained_on;
use crate::training_args::TrainingArgs;
use clap::Args;
use lyapunov_lens::experiments::report::{run_report, write_points_csv};
use lyapunov_lens::lab::seed_ensemble::SeedEnsemble;
use std::path::PathBuf;

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    system: SystemArgs,
    #[command(flatten)]
    noise: NoiseArgs,
    #[command(flatten)]
    training: TrainingArgs,
    /// Train on observations from a CSV file (t, prey, predator; header and delimiter are
    /// detected) instead of simulating. ∂V/∂n uses --alpha..--delta.
    #[arg(long)]
    input: Option<PathBuf>,
    /// json: one object with config, points (t, x, y, x_obs, y_obs, attention, dv_dn) and
    /// metrics. csv: the per-point table.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Skip the ensemble over 20 noise draws that the verdict reads (it is skipped anyway for
    /// imported data and σ = 0).
    #[arg(long)]
    no_ensemble: bool,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn execute(args: &RunArgs) -> Result<(), CliError> {
    let (session, training) = trained_on(
        args.system.to_config(Some(&args.noise))?,
        args.input.as_ref(),
        args.training.budget(),
    )?;
    let ensemble = if args.no_ensemble || !session.has_noise_to_redraw() {
        None
    } else {
        let mut e = SeedEnsemble::new(session.config());
        e.complete().map_err(failed)?;
        Some(e)
    };
    write_output(args.out.as_ref(), |w| match args.format {
        Format::Json => write_json(w, &run_report(&session, &training, ensemble.as_ref())),
        Format::Csv => write_points_csv(&session, w),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))
}
