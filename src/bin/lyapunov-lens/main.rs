//! The `lyapunov-lens` command line: the science core, headless, for numbers and tables. This
//! file holds the parser and the exit codes; each subcommand is one file in `commands/`, and the
//! argument groups they share have a file each.
//!
//! The CLI is native only (clap, rayon, plotters): for wasm32 this target is an empty `main`.

#[cfg(not(target_arch = "wasm32"))]
mod commands;
#[cfg(not(target_arch = "wasm32"))]
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod grid_args;
#[cfg(not(target_arch = "wasm32"))]
mod grid_source;
#[cfg(not(target_arch = "wasm32"))]
mod noise_args;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod parallel_grid;
#[cfg(not(target_arch = "wasm32"))]
mod shard_args;
#[cfg(not(target_arch = "wasm32"))]
mod shard_run;
#[cfg(not(target_arch = "wasm32"))]
mod system_args;
#[cfg(not(target_arch = "wasm32"))]
mod training;
#[cfg(not(target_arch = "wasm32"))]
mod training_args;

#[cfg(not(target_arch = "wasm32"))]
use clap::{Parser, Subcommand};
#[cfg(not(target_arch = "wasm32"))]
use commands::{figure, findings, fit, merge, perturb, prc, run, sweep, systems};
#[cfg(not(target_arch = "wasm32"))]
use error::CliError;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(exit_code());
}

#[cfg(not(target_arch = "wasm32"))]
const ABOUT: &str =
    "See what an attention model learns about a dynamical system (arXiv 2505.06503).";
#[cfg(not(target_arch = "wasm32"))]
const LONG_ABOUT: &str = "\
Simulates a dynamical system (Lotka–Volterra by default; `lyapunov-lens systems` lists all six),
adds seeded noise (Gaussian or lognormal), trains an attention model to the optimum of its loss
(Adam, then L-BFGS, until a convergence test passes), and reports how attention lines up with a
sensitivity measure: the normal derivative ∂V/∂n of a conserved V where one exists (the
paper's measure), the finite-time Lyapunov exponent, or the growth of kicks along the orbit normal.";

#[cfg(not(target_arch = "wasm32"))]
#[derive(Parser)]
#[command(name = "lyapunov-lens", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Subcommand)]
enum Command {
    /// List the dynamical systems with their parameters, defaults and measures.
    Systems(systems::SystemsArgs),
    /// Simulate, add noise, train (to convergence, or for --steps), and print the per-point
    /// table, the metrics and the verdict.
    Run(run::RunArgs),
    /// Kick the clean state by ε along the orbit normal at the highest- and lowest-attention
    /// points, integrate over a horizon, and compare the deviations.
    Perturb(perturb::PerturbArgs),
    /// The phase response curve of a limit cycle (van-der-pol, goodwin): the infinitesimal PRC
    /// by the adjoint method, or the shifts after finite kicks by the direct method.
    Prc(prc::PrcArgs),
    /// Run a grid of models × noise levels × seeds in parallel: one row per run, plus
    /// summaries per (model, noise, σ) with intervals that stay in their domain and sign tests.
    Sweep(sweep::SweepArgs),
    /// Draw a figure (SVG or PNG, by the extension of --out).
    Figure(figure::FigureArgs),
    /// Fit the system's rates, initial state and noise scales to observations (--input FILE.csv
    /// or --data lynx-hare): estimates with 95% intervals, log-likelihood, convergence, the
    /// starts that agreed and the fitted trajectory.
    Fit(fit::FitArgs),
    /// Run a sweep and write FINDINGS.md with its tables, figures and a statement of which
    /// claims hold.
    Findings(findings::FindingsArgs),
    /// Put the N shard files of a `sweep` or `findings` run (`--shard K/N`) back together: the
    /// same output, byte for byte, as the run on one machine, written where it would write it.
    Merge(merge::MergeArgs),
}

/// Parses the arguments and runs the command. Exit status: 0 ok, 1 the run failed, 2 bad
/// arguments.
#[cfg(not(target_arch = "wasm32"))]
fn exit_code() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                // --help and --version
                let _ = e.print();
                return 0;
            }
            if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // No command at all: the usage, so that a first try shows what to type.
                eprintln!("{}", <Cli as clap::CommandFactory>::command().render_help());
                return 2;
            }
            let text = e.to_string();
            // One line; a missing argument is named on the lines after the first.
            let lines = text.lines().take_while(|l| !l.trim().is_empty());
            let line = match e.kind() {
                clap::error::ErrorKind::MissingRequiredArgument => {
                    lines.map(str::trim).collect::<Vec<_>>().join(" ")
                }
                _ => text.lines().next().unwrap_or("error: bad arguments").into(),
            };
            eprintln!("{line}");
            return 2;
        }
    };
    let result = match cli.command {
        Command::Systems(args) => systems::execute(&args),
        Command::Run(args) => run::execute(&args),
        Command::Perturb(args) => perturb::execute(&args),
        Command::Prc(args) => prc::execute(&args),
        Command::Sweep(args) => sweep::execute(&args),
        Command::Figure(args) => figure::execute(&args),
        Command::Findings(args) => findings::execute(&args),
        Command::Fit(args) => fit::execute(&args),
        Command::Merge(args) => merge::execute(&args),
    };
    match result {
        Ok(()) => 0,
        Err(CliError::Usage(m)) => {
            eprintln!("error: {m}");
            2
        }
        Err(CliError::Failed(m)) => {
            eprintln!("error: {m}");
            1
        }
    }
}
