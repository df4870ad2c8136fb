//! The shared grid behind [`sweep`](super::sweep) and [`cross_system`](super::cross_system): a
//! spec names its cells, runs one cell into rows whose metrics are named columns, and groups
//! rows for the summaries. [`summarize`] and [`write_csv`] are written once over [`GridSpec`].
//! Pure and sequential here; the CLI runs the cells in parallel.
//!
//! A row type is declared with [`grid_row!`](crate::grid_row), which lists each metric column
//! once with how it is read: the struct field, its CSV column, its JSON key and its summary all
//! follow from that line.
//!
//! The summaries follow one rule, stated in FINDINGS.md:
//! - only runs whose training converged enter a summary; the others are counted as excluded;
//! - a correlation ([`Reading::Signed`]) is summarised by its mean with a BCa bootstrap
//!   interval (which stays in [−1, 1]), the share of seeds below zero with a Clopper–Pearson
//!   interval, and the exact two-sided sign test, Holm-adjusted across every group of the
//!   report for that metric (one family per metric);
//! - a positive ratio ([`Reading::Ratio`]) by its geometric mean with a log-scale t interval;
//! - anything else ([`Reading::Mean`]) by its mean with a BCa interval.

use crate::analysis::intervals::{bootstrap_bca, geometric_interval, Interval};
use crate::analysis::multiplicity::holm;
use crate::analysis::sign_test::SignEvidence;
use serde::Serialize;
use std::fmt::Debug;
use std::io::{self, Write};

/// Identifying columns, written before anything else: a row's (model, σ, seed, …) or a summary
/// group's (model, σ).
pub trait Key {
    /// Column names, in CSV order.
    const COLUMNS: &'static [&'static str];
    /// The values of [`Key::COLUMNS`], as the CSV writes them.
    fn cells(&self) -> Vec<String>;
}

/// How a metric is summarised over seeds (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    /// A signed quantity whose sign is the question (a correlation, a score weight): BCa mean,
    /// share below zero, sign test with Holm's correction.
    Signed,
    /// A positive ratio: geometric mean, log-scale interval.
    Ratio,
    /// A number: BCa mean.
    Mean,
    /// Written in the rows only.
    NotSummarized,
}

/// One metric column of the row type `R`.
pub struct Metric<R> {
    /// The column name in the CSV, the JSON key and the summary's `metric`.
    pub name: &'static str,
    /// The row's value; `None` when the metric is undefined for that run.
    pub value: fn(&R) -> Option<f64>,
    /// How the summary reads it.
    pub reading: Reading,
}

/// A row of a grid: its key columns, then [`MetricRow::METRICS`], then `converged`.
pub trait MetricRow: Key + Sized + 'static {
    /// The metric columns, in CSV order.
    const METRICS: &'static [Metric<Self>];
    /// Whether training reached the convergence test: only such rows enter the summaries.
    fn converged(&self) -> bool;
    /// The row with these key cells (as [`Key::cells`] writes them), metric values (in
    /// [`MetricRow::METRICS`] order) and `converged`: the inverse of reading a row out, for rows
    /// read back from a shard file ([`crate::experiments::sharding`]).
    fn from_parts(
        keys: &[String],
        metrics: &[Option<f64>],
        converged: bool,
    ) -> Result<Self, String>;
}

/// A grid of independent runs.
pub trait GridSpec: Serialize + Clone + Debug {
    /// What one run needs.
    type Cell;
    /// What one run gives: one row, or one per measure.
    type Row: MetricRow + Serialize + Clone + Debug;
    /// The rows one summary line is taken over.
    type Group: Key + Serialize + Clone + Debug + PartialEq;

    /// Every cell, in output order.
    fn grid(&self) -> Vec<Self::Cell>;
    /// Trains and measures one cell.
    fn run_cell(&self, cell: &Self::Cell) -> Result<Vec<Self::Row>, String>;
    /// Every summary group, in output order.
    fn groups(&self) -> Vec<Self::Group>;
    /// The group `row` is summarised in.
    fn group_of(row: &Self::Row) -> Self::Group;
}

/// The sign evidence of a signed quantity over seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignColumns {
    pub negative: usize,
    pub positive: usize,
    /// Share of the non-zero values below zero, with its Clopper–Pearson interval.
    pub share_negative: Option<Interval>,
    /// Exact two-sided sign-test p-value.
    pub p_value: f64,
    /// Holm-adjusted across the report's groups for this metric.
    pub p_holm: f64,
}

/// One metric summarised over the converged runs of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow<G> {
    #[serde(flatten)]
    pub group: G,
    pub metric: &'static str,
    /// How it was read.
    pub reading: Reading,
    /// Converged runs with a value.
    pub n: usize,
    /// Converged runs where the metric is undefined.
    pub missing: usize,
    /// Runs left out because training did not converge.
    pub excluded: usize,
    /// The mean (geometric for ratios) with its 95% interval; `None` below two values.
    pub estimate: Option<Interval>,
    /// Signed quantities only.
    pub sign: Option<SignColumns>,
}

impl<G> SummaryRow<G> {
    /// Whether the Holm-adjusted sign test rejects "no effect" at 5%, and on which side:
    /// `Some(true)` for a majority above zero, `Some(false)` below.
    pub fn decided(&self) -> Option<bool> {
        let sign = self.sign.as_ref()?;
        (sign.p_holm <= 0.05).then_some(sign.positive > sign.negative)
    }
}

/// A whole grid: its spec, every row in grid order, and the summaries.
#[derive(Debug, Clone, Serialize)]
pub struct GridReport<S: GridSpec> {
    pub spec: S,
    pub rows: Vec<S::Row>,
    pub summary: Vec<SummaryRow<S::Group>>,
}

impl<S: GridSpec> GridReport<S> {
    /// The report of `rows` (in grid order), with its summaries.
    pub fn new(spec: S, rows: Vec<S::Row>) -> Self {
        let summary = summarize(&spec, &rows);
        GridReport {
            spec,
            rows,
            summary,
        }
    }

    /// The summary of `metric` over `group`.
    pub fn summary_of(&self, group: &S::Group, metric: &str) -> Option<&SummaryRow<S::Group>> {
        self.summary
            .iter()
            .find(|s| s.group == *group && s.metric == metric)
    }

    /// The rows of `group`.
    pub fn rows_of<'a>(&'a self, group: &'a S::Group) -> impl Iterator<Item = &'a S::Row> + 'a {
        self.rows.iter().filter(move |r| S::group_of(r) == *group)
    }
}

/// A reproducible bootstrap seed for one summary: FNV-1a over its group's cells and the metric.
fn bootstrap_seed(cells: &[String], metric: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in cells
        .iter()
        .flat_map(|c| c.bytes().chain([0]))
        .chain(metric.bytes())
    {
        h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Every summarised metric of every group, group by group in [`GridSpec::groups`] order, with
/// Holm's correction across the groups of each signed metric.
pub fn summarize<S: GridSpec>(spec: &S, rows: &[S::Row]) -> Vec<SummaryRow<S::Group>> {
    let mut out = Vec::new();
    for group in spec.groups() {
        let members: Vec<&S::Row> = rows.iter().filter(|r| S::group_of(r) == group).collect();
        let converged: Vec<&&S::Row> = members.iter().filter(|r| r.converged()).collect();
        for metric in S::Row::METRICS {
            if metric.reading == Reading::NotSummarized {
                continue;
            }
            let values: Vec<Option<f64>> = converged.iter().map(|r| (metric.value)(r)).collect();
            let present: Vec<f64> = values
                .iter()
                .flatten()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            let seed = bootstrap_seed(&group.cells(), metric.name);
            let (estimate, sign) = match metric.reading {
                Reading::Signed => {
                    let e = SignEvidence::from_values(&values, seed);
                    let sign = SignColumns {
                        negative: e.negative,
                        positive: e.positive,
                        share_negative: e.share_negative,
                        p_value: e.p_value,
                        p_holm: f64::NAN,
                    };
                    (e.mean, Some(sign))
                }
                Reading::Ratio => (geometric_interval(&present), None),
                _ => (bootstrap_bca(&present, seed), None),
            };
            out.push(SummaryRow {
                group: group.clone(),
                metric: metric.name,
                reading: metric.reading,
                n: present.len(),
                missing: values.len() - present.len(),
                excluded: members.len() - converged.len(),
                estimate,
                sign,
            });
        }
    }
    for metric in S::Row::METRICS
        .iter()
        .filter(|m| m.reading == Reading::Signed)
    {
        let family: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].metric == metric.name)
            .collect();
        let p: Vec<f64> = family
            .iter()
            .map(|&i| out[i].sign.as_ref().map_or(1.0, |s| s.p_value))
            .collect();
        for (&i, adjusted) in family.iter().zip(holm(&p)) {
            if let Some(sign) = &mut out[i].sign {
                sign.p_holm = adjusted;
            }
        }
    }
    out
}

/// The runs table, a blank line, then the summary table (one row per group and metric).
pub fn write_csv<S: GridSpec>(
    report: &GridReport<S>,
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    write_rows(&report.rows, out)?;
    writeln!(out)?;
    write_summary(&report.summary, out)
}

/// An empty cell for an undefined value, else the shortest round-trip form.
fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

fn write_rows<R: MetricRow>(rows: &[R], out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let mut header: Vec<&str> = R::COLUMNS.to_vec();
    header.extend(R::METRICS.iter().map(|m| m.name));
    header.push("converged");
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let mut cells = row.cells();
        cells.extend(R::METRICS.iter().map(|m| cell((m.value)(row))));
        cells.push(row.converged().to_string());
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

fn write_summary<G: Key>(
    summary: &[SummaryRow<G>],
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    let mut header: Vec<&str> = G::COLUMNS.to_vec();
    header.extend([
        "metric",
        "reading",
        "n",
        "missing",
        "excluded",
        "estimate",
        "ci95_low",
        "ci95_high",
        "negative",
        "positive",
        "share_negative",
        "share_ci95_low",
        "share_ci95_high",
        "p_sign_test",
        "p_holm",
    ]);
    writeln!(out, "{}", header.join(","))?;
    for s in summary {
        let mut cells = s.group.cells();
        let reading = serde_json::to_value(s.reading).map_or(String::new(), |v| {
            v.as_str().unwrap_or_default().to_string()
        });
        cells.extend([
            s.metric.to_string(),
            reading,
            s.n.to_string(),
            s.missing.to_string(),
            s.excluded.to_string(),
        ]);
        let e = s.estimate.as_ref();
        cells.extend([e.map(|e| e.estimate), e.map(|e| e.low), e.map(|e| e.high)].map(cell));
        match &s.sign {
            Some(sign) => {
                let share = sign.share_negative.as_ref();
                cells.extend([sign.negative.to_string(), sign.positive.to_string()]);
                cells.extend(
                    [
                        share.map(|i| i.estimate),
                        share.map(|i| i.low),
                        share.map(|i| i.high),
                        Some(sign.p_value),
                        Some(sign.p_holm),
                    ]
                    .map(cell),
                );
            }
            None => cells.extend(std::iter::repeat_n(String::new(), 7)),
        }
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// A metric field's value as an optional number: `f64` fields are always defined.
pub trait MetricValue: Sized {
    fn metric(&self) -> Option<f64>;
    /// The field holding `value`; an error naming `column` if an `f64` field is given none.
    fn from_metric(value: Option<f64>, column: &str) -> Result<Self, String>;
}

impl MetricValue for f64 {
    fn metric(&self) -> Option<f64> {
        Some(*self)
    }
    fn from_metric(value: Option<f64>, column: &str) -> Result<Self, String> {
        value.ok_or_else(|| format!("{column} is always defined, but has no value"))
    }
}

impl MetricValue for Option<f64> {
    fn metric(&self) -> Option<f64> {
        *self
    }
    fn from_metric(value: Option<f64>, _column: &str) -> Result<Self, String> {
        Ok(value)
    }
}

/// A key field from its cell, as [`Key::cells`] wrote it with `Display`.
pub fn parse_key<T: std::str::FromStr>(cell: &str, column: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    cell.parse()
        .map_err(|e| format!("column {column}: cannot read '{cell}': {e}"))
}

/// Declares a grid's row type from one list of its columns: the `keys` (written with
/// `Display`), the `metrics` (`f64` or `Option<f64>`, each `= signed`, `= ratio`, `= mean`
/// or `= not_summarized`: see [`Reading`](crate::experiments::grid::Reading)), then
/// `converged: bool`. Every field is `pub`, in that order, so serde writes the JSON keys in CSV
/// order. Implements [`Key`](crate::experiments::grid::Key) and
/// [`MetricRow`](crate::experiments::grid::MetricRow).
///
/// ```
/// use lyapunov_lens::experiments::grid::{Key, MetricRow};
/// lyapunov_lens::grid_row! {
///     /// One run.
///     pub struct Row {
///         keys { seed: u64, }
///         metrics { pearson: Option<f64> = signed, loss: f64 = not_summarized, }
///         converged: bool,
///     }
/// }
/// let row = Row { seed: 3, pearson: None, loss: 0.5, converged: true };
/// assert_eq!(Row::COLUMNS, ["seed"]);
/// assert_eq!(row.cells(), ["3"]);
/// use lyapunov_lens::experiments::grid::Reading;
/// let names: Vec<_> = Row::METRICS.iter().map(|m| (m.name, m.reading)).collect();
/// assert_eq!(names, [("pearson", Reading::Signed), ("loss", Reading::NotSummarized)]);
/// assert_eq!((Row::METRICS[1].value)(&row), Some(0.5));
/// // And back, as `merge` reads a row from a shard file:
/// let back = Row::from_parts(&row.cells(), &[None, Some(0.5)], true).unwrap();
/// assert_eq!((back.seed, back.pearson, back.loss, back.converged), (3, None, 0.5, true));
/// ```
#[macro_export]
macro_rules! grid_row {
    (
        $(#[$meta:meta])*
        pub struct $row:ident {
            keys { $($(#[$kmeta:meta])* $key:ident: $kty:ty,)+ }
            metrics { $($(#[$mmeta:meta])* $metric:ident: $mty:ty = $reading:ident,)+ }
            $(#[$dmeta:meta])*
            converged: bool $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $row {
            $($(#[$kmeta])* pub $key: $kty,)+
            $($(#[$mmeta])* pub $metric: $mty,)+
            $(#[$dmeta])*
            pub converged: bool,
        }

        $crate::grid_key!(@impl $row { $($key)+ });

        impl $crate::experiments::grid::MetricRow for $row {
            const METRICS: &'static [$crate::experiments::grid::Metric<Self>] = &[$(
                $crate::experiments::grid::Metric {
                    name: stringify!($metric),
                    value: |row| $crate::experiments::grid::MetricValue::metric(&row.$metric),
                    reading: $crate::grid_row!(@reading $reading),
                },
            )+];
            fn converged(&self) -> bool {
                self.converged
            }
            fn from_parts(
                keys: &[String],
                metrics: &[Option<f64>],
                converged: bool,
            ) -> Result<Self, String> {
                use $crate::experiments::grid::{parse_key, Key, MetricValue};
                if keys.len() != Self::COLUMNS.len() || metrics.len() != Self::METRICS.len() {
                    return Err(format!(
                        "a row has {} keys and {} metrics, not {} and {}",
                        keys.len(), metrics.len(), Self::COLUMNS.len(), Self::METRICS.len()
                    ));
                }
                let (mut keys, mut metrics) = (keys.iter(), metrics.iter().copied());
                Ok($row {
                    $($key: parse_key(keys.next().map_or("", |k| k.as_str()), stringify!($key))?,)+
                    $($metric: MetricValue::from_metric(metrics.next().flatten(), stringify!($metric))?,)+
                    converged,
                })
            }
        }
    };
    (@reading signed) => { $crate::experiments::grid::Reading::Signed };
    (@reading ratio) => { $crate::experiments::grid::Reading::Ratio };
    (@reading mean) => { $crate::experiments::grid::Reading::Mean };
    (@reading not_summarized) => { $crate::experiments::grid::Reading::NotSummarized };
}

/// Declares a summary group (or any key) from its columns, written with `Display`: a struct
/// with those `pub` fields, in order, and its [`Key`](crate::experiments::grid::Key) impl.
#[macro_export]
macro_rules! grid_key {
    (
        $(#[$meta:meta])*
        pub struct $key:ident { $($(#[$fmeta:meta])* $field:ident: $fty:ty,)+ }
    ) => {
        $(#[$meta])*
        pub struct $key {
            $($(#[$fmeta])* pub $field: $fty,)+
        }

        $crate::grid_key!(@impl $key { $($field)+ });
    };
    (@impl $name:ident { $($field:ident)+ }) => {
        impl $crate::experiments::grid::Key for $name {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];
            fn cells(&self) -> Vec<String> {
                vec![$(self.$field.to_string()),+]
            }
        }
    };
}
