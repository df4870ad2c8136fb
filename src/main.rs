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
    use indicatif::{ProgressBar, ProgressStyle};
    use lyapunov_lens::experiments::cross_system::{
        run_cross, summarize_cross, write_cross_csv, CrossRow, CrossSystemReport, CrossSystemSpec,
    };
    use lyapunov_lens::experiments::perturbation::{attention_perturbation, DEFAULT_EPSILON};
    use lyapunov_lens::experiments::report::{run_report, write_points_csv};
    use lyapunov_lens::experiments::sweep::{
        run_one, summarize_rows, write_csv, SweepReport, SweepRow, SweepSpec,
    };
    use lyapunov_lens::experiments::{figures, findings};
    use lyapunov_lens::lab::config::{self, Config, ConfigError};
    use lyapunov_lens::lab::session::{Session, SessionError};
    use lyapunov_lens::measures::measure::Measure;
    use lyapunov_lens::models::kind::ModelKind;
    use lyapunov_lens::observations::csv_import::parse_observations_csv;
    use lyapunov_lens::observations::gaussian_noise::MAX_SEED;
    use lyapunov_lens::systems::catalogue::SystemKind;
    use lyapunov_lens::systems::system::ParamSpec;
    use rayon::prelude::*;
    use std::io::Write;
    use std::path::PathBuf;

    const ABOUT: &str =
        "See what an attention model learns about a dynamical system (arXiv 2505.06503).";
    const LONG_ABOUT: &str = "\
Simulates a dynamical system (Lotka–Volterra by default; `lyapunov-lens systems` lists all six),
adds seeded Gaussian noise, trains an attention model with Adam, and reports how attention lines
up with a sensitivity measure: the normal derivative ∂V/∂n of a conserved V where one exists (the
paper's measure), the finite-time Lyapunov exponent, or the growth of kicks along the orbit normal.";

    #[derive(Parser)]
    #[command(name = "lyapunov-lens", version, about = ABOUT, long_about = LONG_ABOUT)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// List the dynamical systems with their parameters, defaults and measures.
        Systems(SystemsArgs),
        /// Simulate, add noise, train for --steps, and print the per-point table and metrics.
        Run(RunArgs),
        /// Kick the clean state by ε along the orbit normal at the highest- and lowest-attention
        /// points, integrate over a horizon, and compare the deviations.
        Perturb(PerturbArgs),
        /// Run a grid of models × σ × seeds in parallel: one row per run, plus summaries with
        /// 95% t-intervals per (model, σ).
        Sweep(SweepArgs),
        /// Draw a figure (SVG or PNG, by the extension of --out).
        Figure(FigureArgs),
        /// Run a sweep and write FINDINGS.md with its tables, figures and a statement of which
        /// claims hold.
        Findings(FindingsArgs),
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        /// JSON.
        Json,
        /// CSV with a header row.
        Csv,
    }

    /// The system, the sampling, the sensitivity measure and the optimizer. Names match the
    /// page's controls.
    #[derive(Args)]
    struct SystemArgs {
        /// Dynamical system; `lyapunov-lens systems` lists them with their parameters.
        #[arg(long, default_value_t = SystemKind::LotkaVolterra)]
        system: SystemKind,
        #[command(flatten)]
        params: SystemParams,
        #[arg(long = "t-end", allow_negative_numbers = true, help = with_default("t_end", "the system's"))]
        t_end: Option<f64>,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().n as i64, help = help("n"))]
        n: i64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().lr, help = help("lr"))]
        lr: f64,
        /// What attention is compared with: dv-dn (∂V/∂n, where a conserved V exists), ftle, or
        /// normal-growth (2-D systems) [default: dv-dn where V exists, else ftle].
        #[arg(long)]
        measure: Option<Measure>,
        #[arg(long, allow_negative_numbers = true, help = with_default("tau", "the system's"))]
        tau: Option<f64>,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().heads as i64, help = help("heads"))]
        heads: i64,
        #[arg(long, allow_negative_numbers = true, default_value_t = Config::default().window as i64, help = help("window"))]
        window: i64,
    }

    /// The rates and initial state of every system, as optional flags (`--alpha`, `--rho`,
    /// `--theta0`, …). Only the chosen system's may be given.
    struct SystemParams {
        given: Vec<(&'static str, f64)>,
    }

    /// Every system parameter name once, with the systems it belongs to.
    fn system_parameter_names() -> Vec<(&'static str, Vec<SystemKind>)> {
        let mut names: Vec<(&'static str, Vec<SystemKind>)> = Vec::new();
        for kind in SystemKind::ALL {
            for spec in kind.parameters() {
                match names.iter_mut().find(|(n, _)| *n == spec.name) {
                    Some((_, kinds)) => kinds.push(kind),
                    None => names.push((spec.name, vec![kind])),
                }
            }
        }
        names
    }

    impl clap::FromArgMatches for SystemParams {
        fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
            let given = system_parameter_names()
                .into_iter()
                .filter_map(|(name, _)| m.get_one::<f64>(name).map(|v| (name, *v)))
                .collect();
            Ok(SystemParams { given })
        }
        fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
            *self = Self::from_arg_matches(m)?;
            Ok(())
        }
    }

    impl Args for SystemParams {
        fn augment_args(mut cmd: clap::Command) -> clap::Command {
            for (name, kinds) in system_parameter_names() {
                let owners: Vec<String> = kinds
                    .iter()
                    .map(|k| {
                        let spec = k.parameters().find(|p| p.name == name).expect("listed");
                        format!("{k}: {} [default: {}]", spec.help, spec.default)
                    })
                    .collect();
                cmd = cmd.arg(
                    clap::Arg::new(name)
                        .long(name.replace('_', "-"))
                        .value_name("VALUE")
                        .value_parser(clap::value_parser!(f64))
                        .allow_negative_numbers(true)
                        .help(owners.join(" | ")),
                );
            }
            cmd
        }
        fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
            Self::augment_args(cmd)
        }
    }

    /// The noise and the model of one run.
    #[derive(Args)]
    struct NoiseArgs {
        #[arg(long, allow_negative_numbers = true, help = with_default("sigma", "the system's"))]
        sigma: Option<f64>,
        #[arg(long, default_value_t = Config::default().seed, help = help("seed"))]
        seed: u64,
        /// Attention model: paper-linear (r = N·a·x̃), paper-linear-unscaled (r = a·x̃),
        /// self-attention (multi-head, local window), or the oracle-inverse-variance reference
        /// (a ∝ 1/|∇V|², not learned; systems with a conserved V only).
        #[arg(long, default_value_t = ModelKind::PaperLinear)]
        model: ModelKind,
    }

    /// A grid of runs for sweeps.
    #[derive(Args)]
    struct GridArgs {
        /// Noise levels, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [0.0, 0.5, 1.0, 2.0, 4.0])]
        sigmas: Vec<f64>,
        /// Number of seeds per (model, σ): seeds 0 .. K−1.
        #[arg(long, default_value_t = 20, conflicts_with = "seed_list")]
        seeds: u64,
        /// Explicit seeds, comma-separated (instead of --seeds).
        #[arg(long, value_delimiter = ',')]
        seed_list: Option<Vec<u64>>,
        /// Models, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::PaperLinear])]
        models: Vec<ModelKind>,
        /// Kick size of the perturbation check (horizon: one measured period).
        #[arg(long, default_value_t = DEFAULT_EPSILON)]
        epsilon: f64,
    }

    fn help(name: &str) -> &'static str {
        config::run_parameter(name).map_or("", |p| p.help)
    }

    fn with_default(name: &str, default: &str) -> String {
        format!("{} [default: {default}]", help(name))
    }

    fn usage_error(message: String) -> CliError {
        CliError::Usage(message)
    }

    enum CliError {
        /// Bad arguments: exit 2.
        Usage(String),
        /// The run failed: exit 1.
        Failed(String),
    }

    impl SystemArgs {
        fn to_config(&self, noise: Option<&NoiseArgs>) -> Result<Config, CliError> {
            let mut config = Config::for_system(self.system);
            for &(name, value) in &self.params.given {
                if config.parameter(name).is_none() {
                    let own: Vec<String> = self
                        .system
                        .parameters()
                        .map(|p| format!("--{}", p.name.replace('_', "-")))
                        .collect();
                    return Err(usage_error(format!(
                        "--{} is not a parameter of {} (its parameters: {})",
                        name.replace('_', "-"),
                        self.system,
                        own.join(", ")
                    )));
                }
                config.set(name, value).map_err(invalid)?;
            }
            for (name, value) in [
                ("n", self.n),
                ("heads", self.heads),
                ("window", self.window),
            ] {
                if value < 1 {
                    return Err(usage_error(format!(
                        "invalid value for --{name}: must be a positive integer, got {value}"
                    )));
                }
                config.set(name, value as f64).map_err(invalid)?;
            }
            let optional = [
                ("t_end", self.t_end),
                ("tau", self.tau),
                ("sigma", noise.and_then(|a| a.sigma)),
            ];
            for (name, value) in optional {
                if let Some(v) = value {
                    config.set(name, v).map_err(invalid)?;
                }
            }
            config.lr = self.lr;
            if let Some(m) = self.measure {
                config.measure = m;
            }
            if let Some(noise) = noise {
                config.seed = noise.seed;
                config.model = noise.model;
            }
            config.validate().map_err(invalid)?;
            Ok(config)
        }
    }

    fn invalid(e: ConfigError) -> CliError {
        usage_error(format!(
            "invalid value for --{}: {}",
            e.parameter.replace('_', "-"),
            e.message
        ))
    }

    impl GridArgs {
        fn to_spec(&self, base: Config, steps: u64) -> Result<SweepSpec, CliError> {
            let seeds: Vec<u64> = match &self.seed_list {
                Some(list) => list.clone(),
                None => (0..self.seeds).collect(),
            };
            if seeds.is_empty() || self.sigmas.is_empty() || self.models.is_empty() {
                return Err(usage_error(
                    "a sweep needs at least one σ, one seed and one model".into(),
                ));
            }
            if let Some(e) = self.models.iter().find_map(|m| m.check(base.system).err()) {
                return Err(usage_error(format!("invalid value in --models: {e}")));
            }
            for &sigma in &self.sigmas {
                let mut config = base.clone();
                config.sigma = sigma;
                config.validate().map_err(|e| {
                    usage_error(format!("invalid value in --sigmas: {}", e.message))
                })?;
            }
            if let Some(&seed) = seeds.iter().find(|&&s| s > MAX_SEED) {
                return Err(usage_error(format!(
                    "invalid value in --seed-list: {seed} is above 2^53 − 1"
                )));
            }
            if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
                return Err(usage_error(format!(
                    "invalid value for --epsilon: must be a positive finite number, got {}",
                    self.epsilon
                )));
            }
            Ok(SweepSpec {
                base,
                models: self.models.clone(),
                sigmas: self.sigmas.clone(),
                seeds,
                steps,
                epsilon: self.epsilon,
            })
        }
    }

    #[derive(Args)]
    struct SystemsArgs {
        /// text: a readable list. json: every system with its parameter specs.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum ListFormat {
        Text,
        Json,
    }

    #[derive(Args)]
    struct RunArgs {
        #[command(flatten)]
        system: SystemArgs,
        #[command(flatten)]
        noise: NoiseArgs,
        /// Number of Adam steps to train before reporting.
        #[arg(long, default_value_t = 0)]
        steps: u64,
        /// Train on observations from a CSV file (t, prey, predator; header and delimiter are
        /// detected) instead of simulating. ∂V/∂n uses --alpha..--delta.
        #[arg(long)]
        input: Option<PathBuf>,
        /// json: one object with config, points (t, x, y, x_obs, y_obs, attention, dv_dn) and
        /// metrics. csv: the per-point table.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    }

    #[derive(Args)]
    struct PerturbArgs {
        #[command(flatten)]
        system: SystemArgs,
        #[command(flatten)]
        noise: NoiseArgs,
        /// Adam steps to train before perturbing (attention must not be uniform).
        #[arg(long, default_value_t = 3000)]
        steps: u64,
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

    #[derive(Args)]
    struct SweepArgs {
        #[command(flatten)]
        system: SystemArgs,
        #[command(flatten)]
        grid: GridArgs,
        /// Adam steps per run.
        #[arg(long, default_value_t = 3000)]
        steps: u64,
        /// csv: the runs table, a blank line, the summary table. json: spec, rows, summary.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    }

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
    struct FigureArgs {
        #[arg(long, value_enum)]
        kind: FigureKind,
        #[command(flatten)]
        system: SystemArgs,
        #[command(flatten)]
        noise: NoiseArgs,
        #[command(flatten)]
        grid: GridArgs,
        /// Adam steps (per run, for a sweep).
        #[arg(long, default_value_t = 3000)]
        steps: u64,
        /// Output file: .svg or .png.
        #[arg(long)]
        out: PathBuf,
        /// For --kind phase: the two state coordinates to plot, e.g. 0,2 for x against z
        /// [default: the system's].
        #[arg(long)]
        projection: Option<String>,
    }

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

    #[derive(Args)]
    struct FindingsArgs {
        #[command(flatten)]
        system: SystemArgs,
        #[command(flatten)]
        grid: GridArgs,
        #[arg(long, default_value_t = 3000)]
        steps: u64,
        /// Folder for the sweep tables and figures.
        #[arg(long, default_value = "findings")]
        out_dir: PathBuf,
        /// The report to write.
        #[arg(long, default_value = "FINDINGS.md")]
        report: PathBuf,
        /// Systems of the cross-system table, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = SystemKind::ALL)]
        cross_systems: Vec<SystemKind>,
        /// Models of the cross-system table (each where it applies), comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = [ModelKind::PaperLinear, ModelKind::SelfAttention, ModelKind::OracleInverseVariance])]
        cross_models: Vec<ModelKind>,
        /// Noise levels of the cross-system table, as multiples of each system's default σ.
        #[arg(long, value_delimiter = ',', default_values_t = [0.5, 1.0, 2.0])]
        cross_levels: Vec<f64>,
        /// Seeds per cell of the cross-system table (0 leaves the table out).
        #[arg(long, default_value_t = 8)]
        cross_seeds: u64,
        /// Adam steps per run of the cross-system table.
        #[arg(long, default_value_t = 1000)]
        cross_steps: u64,
        /// Samples per run of the cross-system table.
        #[arg(long, default_value_t = 500)]
        cross_n: usize,
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
        let result = match cli.command {
            Command::Systems(args) => systems(&args),
            Command::Run(args) => run(&args),
            Command::Perturb(args) => perturb(&args),
            Command::Sweep(args) => sweep(&args),
            Command::Figure(args) => figure(&args),
            Command::Findings(args) => findings(&args),
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

    /// A session trained for `steps` (stopping early, with a warning, if training diverges).
    fn trained(config: Config, steps: u64) -> Result<Session, CliError> {
        trained_on(config, None, steps)
    }

    /// As [`trained`], on the observations in `input` when given.
    fn trained_on(
        config: Config,
        input: Option<&PathBuf>,
        steps: u64,
    ) -> Result<Session, CliError> {
        let mut session = Session::new(config).map_err(|e| match e {
            SessionError::Config(e) => invalid(e),
            e => CliError::Failed(e.to_string()),
        })?;
        if let Some(path) = input {
            let text = std::fs::read_to_string(path)
                .map_err(|e| usage_error(format!("--input {}: {e}", path.display())))?;
            let series = parse_observations_csv(&text)
                .map_err(|e| usage_error(format!("--input {}: {e}", path.display())))?;
            session
                .import(series)
                .map_err(|e| usage_error(format!("--input {}: {e}", path.display())))?;
        }
        let mut remaining = steps;
        while remaining > 0 && session.diverged().is_none() {
            let batch = remaining.min(1 << 20);
            session.step(batch as usize);
            remaining -= batch;
        }
        if let Some(why) = session.diverged() {
            eprintln!("warning: {why}; reporting the last finite parameters");
        }
        Ok(session)
    }

    fn failed(e: impl std::fmt::Display) -> CliError {
        CliError::Failed(e.to_string())
    }

    fn systems(args: &SystemsArgs) -> Result<(), CliError> {
        let specs = |specs: &mut dyn Iterator<Item = &ParamSpec>| -> Vec<serde_json::Value> {
            specs
                .map(|p| {
                    serde_json::json!({
                        "name": p.name, "label": p.label, "min": p.min, "max": p.max,
                        "default": p.default, "help": p.help,
                    })
                })
                .collect()
        };
        write_output(None, |w| match args.format {
            ListFormat::Json => {
                let list: Vec<serde_json::Value> = SystemKind::ALL
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
                            "rates": specs(&mut k.rates().iter()),
                            "initial_state": specs(&mut k.initial_state().iter()),
                            "defaults": {"t_end": d.t_end, "sigma": d.sigma, "tau": d.tau},
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *w, &list).map_err(std::io::Error::other)?;
                writeln!(w)
            }
            ListFormat::Text => {
                for k in SystemKind::ALL {
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
                    writeln!(w)?;
                }
                Ok(())
            }
        })
        .map_err(|e| failed(format!("cannot write output: {e}")))
    }

    fn run(args: &RunArgs) -> Result<(), CliError> {
        let session = trained_on(
            args.system.to_config(Some(&args.noise))?,
            args.input.as_ref(),
            args.steps,
        )?;
        write_output(args.out.as_ref(), |w| match args.format {
            Format::Json => {
                serde_json::to_writer(&mut *w, &run_report(&session))
                    .map_err(std::io::Error::other)?;
                writeln!(w)
            }
            Format::Csv => write_points_csv(&session, w),
        })
        .map_err(|e| failed(format!("cannot write output: {e}")))
    }

    fn perturb(args: &PerturbArgs) -> Result<(), CliError> {
        if !(args.epsilon.is_finite() && args.epsilon > 0.0) {
            return Err(usage_error(format!(
                "invalid value for --epsilon: must be a positive finite number, got {}",
                args.epsilon
            )));
        }
        if let Some(h) = args.horizon.filter(|h| !(h.is_finite() && *h > 0.0)) {
            return Err(usage_error(format!(
                "invalid value for --horizon: must be a positive finite number, got {h}"
            )));
        }
        let session = trained(args.system.to_config(Some(&args.noise))?, args.steps)?;
        let experiment =
            attention_perturbation(&session, args.epsilon, args.horizon).map_err(failed)?;
        write_output(args.out.as_ref(), |w| match args.format {
            Format::Json => {
                serde_json::to_writer(&mut *w, &experiment).map_err(std::io::Error::other)?;
                writeln!(w)
            }
            Format::Csv => {
                writeln!(w, "t,deviation_high_attention,deviation_low_attention")?;
                let (hi, lo) = (&experiment.high_attention, &experiment.low_attention);
                for i in 0..hi.times.len() {
                    writeln!(w, "{},{},{}", hi.times[i], hi.deviation[i], lo.deviation[i])?;
                }
                Ok(())
            }
        })
        .map_err(|e| failed(format!("cannot write output: {e}")))
    }

    /// Runs the grid on all cores with a progress bar on stderr (hidden when stderr is not a
    /// terminal). Rows come back in grid order, so the output does not depend on scheduling.
    fn run_sweep(spec: SweepSpec) -> Result<SweepReport, CliError> {
        let grid = spec.grid();
        let bar = ProgressBar::new(grid.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ~{eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let rows: Result<Vec<SweepRow>, String> = grid
            .par_iter()
            .map(|config| {
                let row = run_one(config, spec.steps, spec.epsilon);
                bar.inc(1);
                row
            })
            .collect();
        bar.finish();
        let rows = rows.map_err(failed)?;
        let summary = summarize_rows(&spec, &rows);
        Ok(SweepReport {
            spec,
            rows,
            summary,
        })
    }

    /// The cross-system grid on all cores, rows in grid order.
    fn run_cross_sweep(spec: CrossSystemSpec) -> Result<CrossSystemReport, CliError> {
        if spec
            .noise_levels
            .iter()
            .any(|l| !(l.is_finite() && *l >= 0.0))
        {
            return Err(usage_error(
                "invalid value in --cross-levels: levels must be finite and ≥ 0".into(),
            ));
        }
        if spec.n < 2 {
            return Err(usage_error(
                "invalid value for --cross-n: must be at least 2".into(),
            ));
        }
        let grid = spec.grid();
        let bar = ProgressBar::new(grid.len() as u64);
        let rows: Result<Vec<Vec<CrossRow>>, String> = grid
            .par_iter()
            .map(|(level, config)| {
                let rows = run_cross(*level, config, spec.steps);
                bar.inc(1);
                rows
            })
            .collect();
        bar.finish();
        let rows: Vec<CrossRow> = rows.map_err(failed)?.into_iter().flatten().collect();
        let summary = summarize_cross(&spec, &rows);
        Ok(CrossSystemReport {
            spec,
            rows,
            summary,
        })
    }

    fn sweep(args: &SweepArgs) -> Result<(), CliError> {
        let spec = args
            .grid
            .to_spec(args.system.to_config(None)?, args.steps)?;
        let report = run_sweep(spec)?;
        write_output(args.out.as_ref(), |w| match args.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut *w, &report).map_err(std::io::Error::other)?;
                writeln!(w)
            }
            Format::Csv => write_csv(&report, w),
        })
        .map_err(|e| failed(format!("cannot write output: {e}")))
    }

    fn figure(args: &FigureArgs) -> Result<(), CliError> {
        if !figures::supported(&args.out) {
            return Err(usage_error(format!(
                "invalid value for --out: {} must end in .svg or .png",
                args.out.display()
            )));
        }
        match args.kind {
            FigureKind::Fig5 | FigureKind::Phase => {
                let session = trained(args.system.to_config(Some(&args.noise))?, args.steps)?;
                if matches!(args.kind, FigureKind::Fig5) {
                    figures::fig5(&session, &args.out).map_err(failed)
                } else {
                    let projection = match &args.projection {
                        Some(p) => parse_projection(p, session.dim())?,
                        None => session.config().system.run_defaults().projection,
                    };
                    figures::phase(&session, projection, &args.out).map_err(failed)
                }
            }
            FigureKind::Sweep => {
                let spec = args
                    .grid
                    .to_spec(args.system.to_config(None)?, args.steps)?;
                figures::sweep(&run_sweep(spec)?, &args.out).map_err(failed)
            }
        }
    }

    fn findings(args: &FindingsArgs) -> Result<(), CliError> {
        let base = args.system.to_config(None)?;
        let spec = args.grid.to_spec(base.clone(), args.steps)?;
        let report = run_sweep(spec)?;
        std::fs::create_dir_all(&args.out_dir)
            .map_err(|e| failed(format!("cannot create {}: {e}", args.out_dir.display())))?;
        let out = |name: &str| args.out_dir.join(name);
        write_output(Some(&out("sweep.csv")), |w| write_csv(&report, w)).map_err(failed)?;
        figures::sweep(&report, &out("sweep.svg")).map_err(failed)?;
        // One representative run, seed 0, with the first model: at the paper's σ = 2 for
        // Lotka–Volterra, else at the sweep's largest σ.
        let example_sigma =
            if base.system == SystemKind::LotkaVolterra || report.spec.sigmas.contains(&2.0) {
                2.0
            } else {
                report
                    .spec
                    .sigmas
                    .iter()
                    .copied()
                    .fold(base.sigma, f64::max)
            };
        let symbol = base.measure.symbol();
        let mut example = base;
        (example.sigma, example.seed, example.model) = (example_sigma, 0, report.spec.models[0]);
        let session = trained(example, args.steps)?;
        figures::fig5(&session, &out("fig5.svg")).map_err(failed)?;
        let projection = session.config().system.run_defaults().projection;
        figures::phase(&session, projection, &out("phase.svg")).map_err(failed)?;
        // Links relative to the report's folder.
        let base_dir = args.report.parent().unwrap_or(std::path::Path::new(""));
        let rel = |name: &str| {
            let p = out(name);
            p.strip_prefix(base_dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned()
        };
        let fig5_caption = format!(
            "Attention and {symbol} against time, σ = {example_sigma}, seed 0 (the paper's Figure 5)"
        );
        let phase_caption =
            format!("Observations coloured by attention, σ = {example_sigma}, seed 0");
        let figs = [
            (
                "Pearson r against σ, mean and 95% interval per model",
                rel("sweep.svg"),
            ),
            (fig5_caption.as_str(), rel("fig5.svg")),
            (phase_caption.as_str(), rel("phase.svg")),
        ];
        let command = std::iter::once("lyapunov-lens".to_string())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" ");
        let cross = if args.cross_seeds > 0 {
            let cross = run_cross_sweep(CrossSystemSpec {
                systems: args.cross_systems.clone(),
                models: args.cross_models.clone(),
                noise_levels: args.cross_levels.clone(),
                seeds: (0..args.cross_seeds).collect(),
                steps: args.cross_steps,
                n: args.cross_n,
            })?;
            write_output(Some(&out("cross_system.csv")), |w| {
                write_cross_csv(&cross, w)
            })
            .map_err(failed)?;
            Some(cross)
        } else {
            None
        };
        let table = rel("cross_system.csv");
        let text = findings::render(
            &report,
            cross.as_ref().map(|c| (c, table.as_str())),
            &command,
            &figs,
        );
        std::fs::write(&args.report, text)
            .map_err(|e| failed(format!("cannot write {}: {e}", args.report.display())))?;
        eprintln!(
            "wrote {} and {}/",
            args.report.display(),
            args.out_dir.display()
        );
        Ok(())
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
