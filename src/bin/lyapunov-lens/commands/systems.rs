//! `lyapunov-lens systems`: the dynamical systems with their parameters, defaults and measures,
//! as text or JSON.

use crate::error::{failed, CliError};
use crate::output::{write_json_pretty, write_output};
use clap::{Args, ValueEnum};
use lyapunov_lens::measures::measure::Measure;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::systems::system::ParamSpec;
use std::io::Write;

#[derive(Args)]
pub struct SystemsArgs {
    /// text: a readable list. json: every system with its parameter specs.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

pub fn execute(args: &SystemsArgs) -> Result<(), CliError> {
    write_output(None, |w| match args.format {
        ListFormat::Json => write_json_pretty(w, &systems_json()),
        ListFormat::Text => SystemKind::ALL
            .into_iter()
            .try_for_each(|k| write_system_text(w, k)),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))
}

/// Parameter specs as JSON objects.
fn specs_json(specs: &[ParamSpec]) -> Vec<serde_json::Value> {
    specs
        .iter()
        .map(|p| {
            serde_json::json!({
                "name": p.name, "label": p.label, "min": p.min, "max": p.max,
                "default": p.default, "help": p.help,
            })
        })
        .collect()
}

/// Every system with its parameter specs, measures, models and run defaults.
fn systems_json() -> Vec<serde_json::Value> {
    SystemKind::ALL
        .iter()
        .map(|&k| {
            let d = k.run_defaults();
            serde_json::json!({
                "name": k.name(),
                "title": k.title(),
                "description": k.description(),
                "dim": k.dim(),
                "conserved_v": k.has_lyapunov(),
                "measures": Measure::available(k).map(|m| m.name()).collect::<Vec<_>>(),
                "models": ModelKind::available(k).map(|m| m.name()).collect::<Vec<_>>(),
                "rates": specs_json(k.rates()),
                "initial_state": specs_json(k.initial_state()),
                "defaults": {"t_end": d.t_end, "sigma": d.sigma, "tau": d.tau},
            })
        })
        .collect()
}

/// One system as a readable block, its parameters spelled as flags.
fn write_system_text(w: &mut dyn Write, k: SystemKind) -> std::io::Result<()> {
    let d = k.run_defaults();
    let flags = |list: &[ParamSpec]| {
        list.iter()
            .map(|p| format!("--{} {}", p.name.replace('_', "-"), p.default))
            .collect::<Vec<_>>()
            .join(" ")
    };
    writeln!(w, "{}  ({}-D) {}", k.name(), k.dim(), k.title())?;
    writeln!(w, "    {}", k.description())?;
    writeln!(w, "    rates:    {}", flags(k.rates()))?;
    writeln!(w, "    initial:  {}", flags(k.initial_state()))?;
    writeln!(
        w,
        "    run:      --t-end {} --sigma {} --tau {}",
        d.t_end, d.sigma, d.tau
    )?;
    writeln!(
        w,
        "    measures: {}",
        Measure::available(k)
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(w)
}
