//! `lyapunov-lens perturb`: kick the clean state along the orbit normal at the highest- and
//! lowest-attention points of a trained run, and compare how the deviations grow.

use crate::error::{failed, positive_finite, CliError};
use crate::noise_args::NoiseArgs;
use crate::output::{write_json, write_output, Format};
use crate::system_args::SystemArgs;
use crate::training::trained;
use crate::training_args::TrainingArgs;
use clap::Args;
use lyapunov_lens::experiments::perturbation::{
    attention_perturbation, PerturbationExperiment, DEFAULT_EPSILON,
};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct PerturbArgs {
    #[command(flatten)]
    system: SystemArgs,
    #[command(flatten)]
    noise: NoiseArgs,
    #[command(flatten)]
    training: TrainingArgs,
    /// Kick size along the orbit normal.
    #[arg(long, default_value_t = DEFAULT_EPSILON)]
    epsilon: f64,
    /// Integration horizon after the kick [default: one measured period].
    #[arg(long)]
    horizon: Option<f64>,
    /// json: both deviation curves, ΔV and the ratio. csv: t, deviation_high, deviation_low.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn execute(args: &PerturbArgs) -> Result<(), CliError> {
    positive_finite("epsilon", args.epsilon)?;
    if let Some(h) = args.horizon {
        positive_finite("horizon", h)?;
    }
    let (session, _) = trained(
        args.system.to_config(Some(&args.noise))?,
        args.training.budget(),
    )?;
    let experiment =
        attention_perturbation(&session, args.epsilon, args.horizon).map_err(failed)?;
    for skipped in &experiment.skipped {
        eprintln!(
            "warning: the {} kick at t = {:.3} was skipped: {}",
            skipped.point, skipped.t, skipped.reason
        );
    }
    write_output(args.out.as_ref(), |w| match args.format {
        Format::Json => write_json(w, &experiment),
        Format::Csv => write_deviations_csv(w, &experiment),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))
}

/// Both deviation curves on the shared times: t, high-attention kick, low-attention kick.
fn write_deviations_csv(
    w: &mut dyn Write,
    experiment: &PerturbationExperiment,
) -> std::io::Result<()> {
    writeln!(w, "t,deviation_high_attention,deviation_low_attention")?;
    let (hi, lo) = (&experiment.high_attention, &experiment.low_attention);
    let Some(times) = hi.as_ref().or(lo.as_ref()).map(|p| &p.times) else {
        return Ok(());
    };
    // A skipped kick leaves its column empty.
    let value = |p: &Option<_>, i: usize| {
        p.as_ref().map_or(
            String::new(),
            |p: &lyapunov_lens::experiments::perturbation::Perturbation| p.deviation[i].to_string(),
        )
    };
    for (i, t) in times.iter().enumerate() {
        writeln!(w, "{t},{},{}", value(hi, i), value(lo, i))?;
    }
    Ok(())
}
