//! `lyapunov-lens fit`: fit a system's rates, initial state and noise scales to observations (a
//! CSV file, or the built-in Hudson's Bay lynx–hare series) and print the estimates with 95%
//! intervals, the log-likelihood, convergence, the starts that agreed and the fitted trajectory.
//!
//! Exit status: 0 converged; 2 bad input (zeros under lognormal noise, too few points, a file
//! whose columns do not match the system, …) with one line on stderr; 1 when no start
//! converged, after writing the output (with `converged: false`) so that it can be inspected.

use crate::error::{failed, usage_error, CliError};
use crate::output::{write_json_pretty, write_output, Format};
use clap::{Args, ValueEnum};
use lyapunov_lens::estimation::fitter::Fitter;
use lyapunov_lens::estimation::problem::{FitData, FitError, FitSettings, Prior};
use lyapunov_lens::estimation::result::{column_name, finish, FitResult};
use lyapunov_lens::estimation::weighted::fit_attention_weighted;
use lyapunov_lens::lab::fitted_target::attention_against_fit;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::csv_import::{parse_observations_csv_with, ImportedSeries};
use lyapunov_lens::observations::lynx_hare;
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::training::budget::Budget;
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;

/// Most rounds of attention-weighted refitting from the CLI.
const ATTENTION_ROUNDS: usize = 10;

#[derive(Clone, Copy, ValueEnum)]
enum BuiltIn {
    /// Hudson's Bay Company lynx and hare pelts, 1900–1920 (thousands): hare = prey, lynx =
    /// predator.
    LynxHare,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Weights {
    /// Every residual weighs 1.
    None,
    /// The paper's open question 2: weigh each residual by N·a_t, with a the attention that
    /// `paper-linear` learns against the current fitted orbit (trained to convergence), and refit
    /// until the fit stops moving (at most 10 rounds).
    Attention,
}

#[derive(Args)]
pub struct FitArgs {
    /// Observations from a CSV file: time, prey, predator (header and delimiter are detected;
    /// a header such as "Year, Lynx, Hare" is mapped by name; --columns chooses explicitly).
    #[arg(long)]
    input: Option<PathBuf>,
    /// A built-in series instead of --input.
    #[arg(long, value_enum, conflicts_with = "input")]
    data: Option<BuiltIn>,
    /// The system to fit; its state dimension must match the file's two observed columns.
    #[arg(long, default_value_t = SystemKind::LotkaVolterra)]
    system: SystemKind,
    /// lognormal (ln y = ln x + ε, σ on the log scale) or gaussian (y = x + ε) [default:
    /// lognormal where the system's states are positive, gaussian otherwise].
    #[arg(long)]
    noise: Option<NoiseModel>,
    /// weak: MAP with ln r ~ normal(ln slider default, 3²) for every rate and positive initial
    /// state (normal(default, (3·slider width)²) for the others), noise scales flat in ln σ.
    /// none: maximum likelihood.
    #[arg(long, default_value_t = Prior::Weak)]
    prior: Prior,
    /// Starting points: the best distinct ones of 128 seeded candidates (1 to 64).
    #[arg(long, allow_negative_numbers = true, default_value_t = 8)]
    starts: i64,
    /// Seed of the starting candidates.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Trust-region iterations per start (1 to 5000).
    #[arg(
        long = "max-iterations",
        allow_negative_numbers = true,
        default_value_t = 100
    )]
    max_iterations: i64,
    /// Residual weights: none, or attention (see the values).
    #[arg(long, value_enum, default_value_t = Weights::None)]
    weights: Weights,
    /// Which file columns are time, prey and predator: three header names or 1-based numbers,
    /// comma-separated, e.g. "Year,Hare,Lynx" or "1,3,2".
    #[arg(long)]
    columns: Option<String>,
    /// json: data, estimates (value, std_error, lower, upper, log_scale), log_likelihood,
    /// converged, starts, correlation, weak_directions and points (t, observed, fitted,
    /// residuals). csv: the fit summarised in '#' comment lines, then the points table
    /// (t,x_obs,y_obs,x,y,…), which `run --input` reads back with the fit as clean states.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn execute(args: &FitArgs) -> Result<(), CliError> {
    let (series, source) = read_data(args)?;
    let kind = args.system;
    if kind.dim() != series.observations.ncols() {
        return Err(usage_error(format!(
            "{kind} has {} state variables ({}), but the data have {} observed columns: fit a 2-D system ({})",
            kind.dim(),
            kind.state_names().join(", "),
            series.observations.ncols(),
            two_dimensional().join(", ")
        )));
    }
    let settings = settings(args)?;
    let data = FitData::from_series(&series, &source);
    let as_cli_error = |e: FitError| match e {
        FitError::NotConverged(_) => failed(e),
        _ => usage_error(e.to_string()),
    };
    let (result, weighted) = match args.weights {
        Weights::None => {
            let result = Fitter::new(settings, data)
                .and_then(|mut fitter| {
                    fitter.run_to_end();
                    finish(fitter)
                })
                .map_err(as_cli_error)?;
            (result, None)
        }
        Weights::Attention => {
            let attention = |fit: &FitResult| {
                attention_against_fit(&series, fit, ModelKind::PaperLinear, Budget::default())
            };
            let w = fit_attention_weighted(settings, data, attention, ATTENTION_ROUNDS, 1e-4)
                .map_err(as_cli_error)?;
            (w.weighted.clone(), Some(w))
        }
    };
    let mut report = report(&result, &source, &series.description);
    if let Some(w) = &weighted {
        report.as_object_mut().expect("an object").insert(
            "attention_weighting".into(),
            json!({
                "rounds": w.rounds,
                "fixed_point": w.fixed_point,
                "weights": w.weights,
                "unweighted_estimates": w.unweighted.estimates,
            }),
        );
    }
    write_output(args.out.as_ref(), |w| match args.format {
        Format::Json => write_json_pretty(w, &report),
        Format::Csv => write_csv(w, &result, &source),
    })
    .map_err(|e| failed(format!("cannot write output: {e}")))?;
    if !result.converged {
        return Err(failed(format!(
            "the fit did not converge ({}); the output has converged: false",
            result.convergence
        )));
    }
    Ok(())
}

fn two_dimensional() -> Vec<&'static str> {
    SystemKind::ALL
        .into_iter()
        .filter(|k| k.dim() == 2)
        .map(|k| k.name())
        .collect()
}

/// The series and a line naming its source.
fn read_data(args: &FitArgs) -> Result<(ImportedSeries, String), CliError> {
    match (&args.input, args.data) {
        (_, Some(BuiltIn::LynxHare)) => {
            if args.columns.is_some() {
                return Err(usage_error(
                    "--columns applies to --input files, not to --data".into(),
                ));
            }
            Ok((lynx_hare::series(), lynx_hare::SOURCE.to_string()))
        }
        (Some(path), None) => {
            let bad = |e: String| usage_error(format!("--input {}: {e}", path.display()));
            let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
            let columns = args.columns.as_deref().map(parse_columns).transpose()?;
            let series = parse_observations_csv_with(&text, columns.as_ref())
                .map_err(|e| bad(e.to_string()))?;
            Ok((series, path.display().to_string()))
        }
        (None, None) => Err(usage_error(
            "give the observations: --input FILE.csv or --data lynx-hare".into(),
        )),
    }
}

/// "Year,Hare,Lynx" → three column choices.
fn parse_columns(text: &str) -> Result<[String; 3], CliError> {
    let parts: Vec<String> = text.split(',').map(|s| s.trim().to_string()).collect();
    <[String; 3]>::try_from(parts).map_err(|p| {
        usage_error(format!(
            "invalid value for --columns: expected three comma-separated columns (time, prey, predator), got {}",
            p.len()
        ))
    })
}

fn settings(args: &FitArgs) -> Result<FitSettings, CliError> {
    let defaults = FitSettings::new(args.system);
    let count = |flag: &str, v: i64| {
        usize::try_from(v).ok().filter(|&v| v >= 1).ok_or_else(|| {
            usage_error(format!(
                "invalid value for --{flag}: must be a positive integer, got {v}"
            ))
        })
    };
    Ok(FitSettings {
        noise: args.noise.unwrap_or(defaults.noise),
        prior: args.prior,
        starts: count("starts", args.starts)?,
        seed: args.seed,
        max_iterations: count("max-iterations", args.max_iterations)?,
        ..defaults
    })
}

/// The JSON report: the result with the points as objects instead of parallel arrays.
fn report(result: &FitResult, source: &str, description: &str) -> Value {
    let mut value = serde_json::to_value(result).expect("a fit result serialises");
    let object = value.as_object_mut().expect("an object");
    for key in [
        "times",
        "variables",
        "observations",
        "fitted",
        "residuals",
        "data_source",
        "points",
    ] {
        object.remove(key);
    }
    object.insert(
        "data".into(),
        json!({"source": source, "description": description, "points": result.points}),
    );
    let names = columns(result);
    let points: Vec<Value> = rows(result)
        .into_iter()
        .map(|row| {
            Value::Object(
                names
                    .iter()
                    .cloned()
                    .zip(row.into_iter().map(Value::from))
                    .collect(),
            )
        })
        .collect();
    object.insert("points".into(), Value::Array(points));
    value
}

/// The points table's columns: t, the observed values, the fitted states, the residuals.
fn columns(result: &FitResult) -> Vec<String> {
    let kind = result.system;
    let observed: Vec<String> = result
        .variables
        .iter()
        .map(|&v| column_name(kind, v))
        .collect();
    let mut names = vec!["t".to_string()];
    names.extend(observed.iter().map(|c| format!("{c}_obs")));
    names.extend((0..kind.dim()).map(|i| column_name(kind, i)));
    names.extend(observed.iter().map(|c| format!("residual_{c}")));
    names
}

/// One row per data time, in the order of [`columns`].
fn rows(result: &FitResult) -> Vec<Vec<f64>> {
    (0..result.points)
        .map(|t| {
            std::iter::once(result.times[t])
                .chain(result.observations[t].iter().copied())
                .chain(result.fitted[t].iter().copied())
                .chain(result.residuals[t].iter().copied())
                .collect()
        })
        .collect()
}

fn write_csv(w: &mut dyn Write, result: &FitResult, source: &str) -> std::io::Result<()> {
    writeln!(
        w,
        "# lyapunov-lens fit: {}, {} noise; {}",
        result.system, result.noise, result.prior_statement
    )?;
    writeln!(w, "# data: {source}")?;
    writeln!(
        w,
        "# converged: {} ({}); starts agreeing: {} of {}",
        result.converged,
        result.convergence,
        result.starts_agreeing,
        result.starts.len()
    )?;
    writeln!(w, "# log-likelihood: {:.6}", result.log_likelihood)?;
    writeln!(
        w,
        "# parameter, estimate, lower_95, upper_95, std_error, scale"
    )?;
    for e in &result.estimates {
        let scale = if e.log_scale { "log" } else { "linear" };
        writeln!(
            w,
            "# {}, {}, {}, {}, {}, {scale}",
            e.name, e.value, e.lower, e.upper, e.std_error
        )?;
    }
    for d in &result.weak_directions {
        writeln!(w, "# weak direction: {}", d.description)?;
    }
    writeln!(w, "{}", columns(result).join(","))?;
    for row in rows(result) {
        let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        writeln!(w, "{}", cells.join(","))?;
    }
    Ok(())
}
