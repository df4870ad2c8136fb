//! The `lyapunov-lens` command line: the science core, headless, for numbers and tables.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Args, Parser, Subcommand, ValueEnum};
    use lyapunov_lens::config::{self, Config};
    use lyapunov_lens::model::ModelKind;
    use lyapunov_lens::report::{run_report, write_points_csv};
    use lyapunov_lens::session::{Session, SessionError};
    use std::io::Write;
    use std::path::PathBuf;

    const ABOUT: &str =
        "See what an attention model learns about a dynamical system (arXiv 2505.06503).";
    const LONG_ABOUT: &str = "\
Simulates the Lotka–Volterra system dx/dt = αx − βxy, dy/dt = δxy − γy, adds seeded Gaussian
noise, trains the paper's attention model with Adam, and reports how attention lines up with the
normal derivative ∂V/∂n of the conserved V = δx − γ ln x + βy − α ln y.";

    #[derive(Parser)]
    #[command(name = "lyapunov-lens", version, about = ABOUT, long_about = LONG_ABOUT)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Simulate, add noise, train for --steps, and print the per-point table and metrics.
        Run(RunArgs),
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        /// One JSON object: config, points (t, x, y, x_obs, y_obs, attention, dv_dn), metrics.
        Json,
        /// The per-point table with a header row.
        Csv,
    }

    /// Every parameter of a run. Names match the page's controls and URL hash.
    #[derive(Args)]
    struct ConfigArgs {
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().alpha, help = help("alpha"))]
        alpha: f64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().beta, help = help("beta"))]
        beta: f64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().gamma, help = help("gamma"))]
        gamma: f64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().delta, help = help("delta"))]
        delta: f64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().x0, help = help("x0"))]
        x0: f64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().y0, help = help("y0"))]
        y0: f64,
        #[arg(long = "t-end", allow_negative_numbers = true, default_value_t = Config::default().t_end, help = help("t_end"))]
        t_end: f64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().n as i64, help = help("n"))]
        n: i64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().sigma, help = help("sigma"))]
        sigma: f64,
        #[arg(long, default_value_t = Config::default().seed, help = help("seed"))]
        seed: u64,
        /// Attention model: paper-linear (r = N·a·x̃) or paper-linear-unscaled (r = a·x̃).
        #[arg(long, default_value_t = ModelKind::PaperLinear)]
        model: ModelKind,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().lr, help = help("lr"))]
        lr: f64,
    }

    fn help(name: &str) -> &'static str {
        config::parameter(name).map_or("", |p| p.help)
    }

    impl ConfigArgs {
        fn to_config(&self) -> Result<Config, String> {
            if self.n < 2 {
                return Err(format!(
                    "invalid value for --n: must be at least 2, got {}",
                    self.n
                ));
            }
            let config = Config {
                alpha: self.alpha,
                beta: self.beta,
                gamma: self.gamma,
                delta: self.delta,
                x0: self.x0,
                y0: self.y0,
                t_end: self.t_end,
                n: self.n as usize,
                sigma: self.sigma,
                seed: self.seed,
                model: self.model,
                lr: self.lr,
            };
            config.validate().map_err(|e| {
                format!(
                    "invalid value for --{}: {}",
                    e.parameter.replace('_', "-"),
                    e.message
                )
            })?;
            Ok(config)
        }
    }

    #[derive(Args)]
    struct RunArgs {
        #[command(flatten)]
        config: ConfigArgs,
        /// Number of Adam steps to train before reporting.
        #[arg(long, default_value_t = 0)]
        steps: u64,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    }

    /// Exit status: 0 ok, 1 the run failed, 2 bad arguments.
    pub fn main() -> i32 {
        let cli = match Cli::try_parse() {
            Ok(cli) => cli,
            Err(e) => {
                if !e.use_stderr() {
                    // --help and --version
                    let _ = e.print();
                    return 0;
                }
                let text = e.to_string();
                eprintln!("{}", text.lines().next().unwrap_or("error: bad arguments"));
                return 2;
            }
        };
        match cli.command {
            Command::Run(args) => run(&args),
        }
    }

    fn run(args: &RunArgs) -> i32 {
        let config = match args.config.to_config() {
            Ok(c) => c,
            Err(message) => {
                eprintln!("error: {message}");
                return 2;
            }
        };
        let mut session = match Session::new(config) {
            Ok(s) => s,
            Err(SessionError::Config(e)) => {
                eprintln!(
                    "error: invalid value for --{}: {}",
                    e.parameter.replace('_', "-"),
                    e.message
                );
                return 2;
            }
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        let mut remaining = args.steps;
        while remaining > 0 {
            let batch = remaining.min(1 << 20) as usize;
            if session.step(batch) < batch {
                break;
            }
            remaining -= batch as u64;
        }
        if let Some(why) = session.diverged() {
            eprintln!("warning: {why}; reporting the last finite parameters");
        }
        let written = write_output(args.out.as_ref(), |w| match args.format {
            Format::Json => {
                serde_json::to_writer(&mut *w, &run_report(&session))
                    .map_err(std::io::Error::other)?;
                writeln!(w)
            }
            Format::Csv => write_points_csv(&session, w),
        });
        match written {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write output: {e}");
                1
            }
        }
    }

    fn write_output(
        path: Option<&PathBuf>,
        body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match path {
            Some(p) => {
                let mut file = std::io::BufWriter::new(std::fs::File::create(p)?);
                body(&mut file)?;
                file.flush()
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = std::io::BufWriter::new(stdout.lock());
                body(&mut lock)?;
                lock.flush()
            }
        }
    }
}
