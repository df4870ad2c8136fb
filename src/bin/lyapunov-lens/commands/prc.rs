//! `lyapunov-lens prc`: the phase response curve of a limit cycle, by the adjoint method (the
//! infinitesimal PRC Z(θ)) or the direct method (kicks of a finite ε, timed until the phase
//! settles). Centres and chaotic systems are refused with the reason (exit 2).

use crate::error::{failed, positive_finite, usage_error, CliError};
use crate::output::{write_json, write_output, Format};
use crate::system_args::SystemParams;
use clap::{Args, ValueEnum};
use lyapunov_lens::dynamics::limit_cycle::{
    locate_limit_cycle, CycleError, CycleErrorKind, LimitCycle, REFERENCE_EVENT,
};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::measures::direct_prc::{direct_cost, kick_shift, KickShift, DEFAULT_TOLERANCE};
use lyapunov_lens::measures::phase_response::{adjoint_prc, PhaseResponse};
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::systems::system::System;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;

/// What the signs mean, for the output.
const SIGN_CONVENTION: &str = "advance > 0, delay < 0: a positive shift means the kicked oscillation reaches its reference events earlier; \
    z is the shift in time units per unit kick of each variable (so a kick δx shifts by z·δx time units), z_per_phase = z / period in periods";

/// Most phases.
const MAX_POINTS: i64 = 100_000;

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Method {
    /// The infinitesimal PRC Z(θ) by the adjoint equation (XPPAUT's method).
    Adjoint,
    /// Kicks of --epsilon along --variable, integrated until the phase settles.
    Direct,
}

#[derive(Args)]
pub struct PrcArgs {
    /// A system with a limit cycle (van-der-pol, goodwin); centres (lotka-volterra, pendulum) and
    /// chaotic systems (lorenz, rossler) are refused with the reason.
    #[arg(long, default_value_t = SystemKind::Goodwin)]
    system: SystemKind,
    #[command(flatten)]
    params: SystemParams,
    /// adjoint: Z(θ), the phase shift per unit kick. direct: the phase shift after kicks of
    /// --epsilon along --variable, with the adjoint's prediction ε·Z beside it.
    #[arg(long, value_enum, default_value_t = Method::Adjoint)]
    method: Method,
    /// The variable kicked (direct): its index from 0 or its name (x, y, z as in --x0, --y0, --z0).
    #[arg(long, default_value = "0")]
    variable: String,
    /// The kick (direct), in the variable's units [default: 1% of its range on the cycle].
    #[arg(long, allow_negative_numbers = true)]
    epsilon: Option<f64>,
    /// Phases θ_j = j/M, j = 0..M [default: 100 (adjoint), 50 (direct)].
    #[arg(long, allow_negative_numbers = true)]
    points: Option<i64>,
    /// The direct method's settling tolerance, in periods.
    #[arg(long, default_value_t = DEFAULT_TOLERANCE)]
    tolerance: f64,
    /// json: the cycle, the conventions and one object per phase. csv: one row per phase.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// A refusal (no limit cycle, over budget, a bad kick) is a usage error; a numerical failure is
/// a failed run.
fn cycle_error(e: CycleError) -> CliError {
    match e.kind {
        CycleErrorKind::Failed => failed(e),
        _ => usage_error(e.message),
    }
}

/// The variable named by `--variable`: an index, or the name of its initial-state flag
/// without the trailing 0.
fn parse_variable(system: SystemKind, text: &str) -> Result<usize, CliError> {
    let names: Vec<String> = system
        .initial_state()
        .iter()
        .map(|p| p.name.trim_end_matches('0').to_string())
        .collect();
    text.parse::<usize>()
        .ok()
        .filter(|&i| i < names.len())
        .or_else(|| names.iter().position(|n| n == text))
        .ok_or_else(|| {
            let listed: Vec<String> = names
                .iter()
                .zip(system.state_names())
                .enumerate()
                .map(|(i, (n, full))| format!("{i} or {n} ({full})"))
                .collect();
            usage_error(format!(
                "invalid value for --variable: '{text}' is not a state variable of {system} (one of: {})",
                listed.join(", ")
            ))
        })
}

/// The kicks of the direct method, with what they were.
struct Kicks {
    variable: usize,
    epsilon: f64,
    shifts: Vec<KickShift>,
}

pub fn execute(args: &PrcArgs) -> Result<(), CliError> {
    let points = args.points.unwrap_or(if args.method == Method::Adjoint {
        100
    } else {
        50
    });
    if !(1..=MAX_POINTS).contains(&points) {
        return Err(usage_error(format!(
            "invalid value for --points: must be an integer from 1 to {MAX_POINTS}, got {points}"
        )));
    }
    positive_finite("tolerance", args.tolerance)?;
    let variable = parse_variable(args.system, &args.variable)?;
    if let Some(e) = args.epsilon {
        if !(e.is_finite() && e != 0.0) {
            return Err(usage_error(format!(
                "invalid value for --epsilon: must be a finite non-zero number, got {e}"
            )));
        }
    }
    let mut config = Config::for_system(args.system);
    args.params.apply(args.system, &mut config)?;
    let values = config.system_values().to_vec();
    let system = args.system.build(&values).map_err(usage_error)?;
    let initial = &values[args.system.rates().len()..];
    let points = points as usize;
    let cycle = locate_limit_cycle(system.as_ref(), initial, points).map_err(cycle_error)?;
    let prc = adjoint_prc(system.as_ref(), &cycle, points).map_err(cycle_error)?;
    let kicks = match args.method {
        Method::Adjoint => None,
        Method::Direct => {
            let epsilon = args
                .epsilon
                .unwrap_or_else(|| 0.01 * variable_range(&cycle, variable));
            let shifts = direct_kicks(args, &values, &cycle, &[variable, points], epsilon)?;
            Some(Kicks {
                variable,
                epsilon,
                shifts,
            })
        }
    };
    write_output(args.out.as_ref(), |w| match args.format {
        Format::Json => write_json(
            w,
            &report(args.system, &config, &cycle, &prc, kicks.as_ref()),
        ),
        Format::Csv => write_csv(w, args.system, &prc, kicks.as_ref()),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))
}

/// The range of `variable` over the cycle.
fn variable_range(cycle: &LimitCycle, variable: usize) -> f64 {
    let values = (0..=cycle.steps).map(|i| cycle.state(i)[variable]);
    values.clone().fold(f64::MIN, f64::max) - values.fold(f64::MAX, f64::min)
}

/// The kicks at every phase, on all cores (one system per worker: systems are not `Sync`).
fn direct_kicks(
    args: &PrcArgs,
    values: &[f64],
    cycle: &LimitCycle,
    &[variable, points]: &[usize; 2],
    epsilon: f64,
) -> Result<Vec<KickShift>, CliError> {
    direct_cost(cycle, points, args.tolerance).map_err(cycle_error)?;
    let mut kick = vec![0.0; cycle.dim];
    kick[variable] = epsilon;
    (0..points)
        .into_par_iter()
        .map_init(
            || args.system.build(values).expect("built once already"),
            |system: &mut Box<dyn System>, j| {
                let index = j * cycle.steps / points;
                kick_shift(system.as_ref(), cycle, index, &kick, args.tolerance)
            },
        )
        .collect::<Result<Vec<_>, _>>()
        .map_err(cycle_error)
}

/// The JSON report: the system, the conventions, the cycle, and one object per phase.
fn report(
    system: SystemKind,
    config: &Config,
    cycle: &LimitCycle,
    prc: &PhaseResponse,
    kicks: Option<&Kicks>,
) -> Value {
    let parameters: serde_json::Map<String, Value> = system
        .parameters()
        .map(|p| (p.name.to_string(), json!(config.get(p.name))))
        .collect();
    let mut report = json!({
        "system": system.name(),
        "method": if kicks.is_some() { "direct" } else { "adjoint" },
        "parameters": parameters,
        "state_names": system.state_names(),
        "phase_reference": REFERENCE_EVENT,
        "sign_convention": SIGN_CONVENTION,
        "period": cycle.period,
        "floquet_multipliers": cycle.multipliers.iter().map(|(re, im)| [re, im]).collect::<Vec<_>>(),
        "steps_per_period": cycle.steps,
        "closure_error": cycle.closure_error,
        "adjoint_sweeps": prc.sweeps,
        "normalisation_error": prc.normalisation_error,
    });
    report["points"] = match kicks {
        None => adjoint_rows(prc),
        Some(k) => {
            report["variable"] = json!(system.state_names()[k.variable]);
            report["epsilon"] = json!(k.epsilon);
            direct_rows(prc, k)
        }
    }
    .into();
    report
}

/// One object per phase: θ, t, the state, Z and Z per unit phase.
fn adjoint_rows(prc: &PhaseResponse) -> Vec<Value> {
    (0..prc.theta.len())
        .map(|j| {
            json!({
                "theta": prc.theta[j],
                "t": prc.theta[j] * prc.period,
                "state": prc.states[j],
                "z": prc.z[j],
                "z_per_phase": prc.z_per_phase(j),
            })
        })
        .collect()
}

/// One object per phase: θ, t, the state, the measured shift (periods and time units), the
/// adjoint's prediction ε·Z_k/T and the periods followed.
fn direct_rows(prc: &PhaseResponse, kicks: &Kicks) -> Vec<Value> {
    kicks
        .shifts
        .iter()
        .enumerate()
        .map(|(j, k)| {
            json!({
                "theta": k.theta,
                "t": k.theta * prc.period,
                "state": prc.states[j],
                "shift": k.shift,
                "shift_time": k.shift * prc.period,
                "predicted_shift": predicted(prc, kicks, j),
                "periods": k.estimates.len(),
            })
        })
        .collect()
}

/// The adjoint's prediction ε·Z_k(θ_j)/T of the shift, in periods.
fn predicted(prc: &PhaseResponse, kicks: &Kicks, j: usize) -> f64 {
    kicks.epsilon * prc.z[j][kicks.variable] / prc.period
}

/// One row per phase. adjoint: theta, t, the state, z (time units) per variable. direct: theta,
/// t, the state, shift (periods), shift_time, predicted_shift (periods), periods followed.
fn write_csv(
    w: &mut dyn Write,
    system: SystemKind,
    prc: &PhaseResponse,
    kicks: Option<&Kicks>,
) -> std::io::Result<()> {
    let names: Vec<&str> = system
        .initial_state()
        .iter()
        .map(|p| p.name.trim_end_matches('0'))
        .collect();
    let join = |v: &[f64]| v.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
    let mut header = vec!["theta".to_string(), "t".to_string()];
    header.extend(names.iter().map(|n| n.to_string()));
    match kicks {
        None => header.extend(names.iter().map(|n| format!("z_{n}"))),
        Some(_) => {
            header.extend(["shift", "shift_time", "predicted_shift", "periods"].map(String::from))
        }
    }
    writeln!(w, "{}", header.join(","))?;
    for j in 0..prc.theta.len() {
        let mut row = vec![prc.theta[j], prc.theta[j] * prc.period];
        row.extend(&prc.states[j]);
        match kicks {
            None => row.extend(&prc.z[j]),
            Some(k) => {
                let shift = k.shifts[j].shift;
                let periods = k.shifts[j].estimates.len() as f64;
                row.extend([shift, shift * prc.period, predicted(prc, k, j), periods]);
            }
        }
        writeln!(w, "{}", join(&row))?;
    }
    Ok(())
}
