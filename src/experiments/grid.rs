//! The shared grid behind [`sweep`](super::sweep) and [`cross_system`](super::cross_system): a
//! spec names its cells, runs one cell into rows whose metrics are named columns, and groups
//! rows for the summaries. [`summarize`] and [`write_csv`] are written once over [`GridSpec`].
//! Pure and sequential here; the CLI runs the cells in parallel.
//!
//! A row type is declared with [`grid_row!`](crate::grid_row), which lists each metric column
//! once: the struct field, its CSV column, its JSON key and its summary all follow from that
//! line.

use crate::analysis::summary_stats::{self, Summary};
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

/// One metric column of the row type `R`.
pub struct Metric<R> {
    /// The column name in the CSV, the JSON key and the summary's `metric`.
    pub name: &'static str,
    /// The row's value; `None` when the metric is undefined for that run.
    pub value: fn(&R) -> Option<f64>,
    /// Whether the summary has a row for it.
    pub summarized: bool,
}

/// A row of a grid: its key columns, then [`MetricRow::METRICS`], then `diverged`.
pub trait MetricRow: Key + Sized + 'static {
    /// The metric columns, in CSV order.
    const METRICS: &'static [Metric<Self>];
    /// Whether training stopped early.
    fn diverged(&self) -> bool;
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

/// One metric summarised over the runs of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow<G> {
    #[serde(flatten)]
    pub group: G,
    pub metric: &'static str,
    #[serde(flatten)]
    pub summary: Summary,
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
    pub fn summary_of(&self, group: &S::Group, metric: &str) -> Option<&Summary> {
        self.summary
            .iter()
            .find(|s| s.group == *group && s.metric == metric)
            .map(|s| &s.summary)
    }
}

/// Every summarised metric of every group, group by group in [`GridSpec::groups`] order.
pub fn summarize<S: GridSpec>(spec: &S, rows: &[S::Row]) -> Vec<SummaryRow<S::Group>> {
    let mut out = Vec::new();
    for group in spec.groups() {
        let members: Vec<&S::Row> = rows.iter().filter(|r| S::group_of(r) == group).collect();
        for metric in S::Row::METRICS.iter().filter(|m| m.summarized) {
            let values: Vec<Option<f64>> = members.iter().map(|r| (metric.value)(r)).collect();
            out.push(SummaryRow {
                group: group.clone(),
                metric: metric.name,
                summary: summary_stats::summarize(&values),
            });
        }
    }
    out
}

/// The runs table, a blank line, then the summary table (one row per group and metric; the
/// interval is mean ± t₀.₉₇₅(n−1)·sd/√n).
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
    header.push("diverged");
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let mut cells = row.cells();
        cells.extend(R::METRICS.iter().map(|m| cell((m.value)(row))));
        cells.push(row.diverged().to_string());
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
        "n",
        "missing",
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
    ]);
    writeln!(out, "{}", header.join(","))?;
    for s in summary {
        let m = &s.summary;
        let mut cells = s.group.cells();
        cells.extend([s.metric.to_string(), m.n.to_string(), m.missing.to_string()]);
        cells.extend([m.mean, m.sd, m.ci_low, m.ci_high].map(cell));
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// A metric field's value as an optional number: `f64` fields are always defined.
pub trait MetricValue {
    fn metric(&self) -> Option<f64>;
}

impl MetricValue for f64 {
    fn metric(&self) -> Option<f64> {
        Some(*self)
    }
}

impl MetricValue for Option<f64> {
    fn metric(&self) -> Option<f64> {
        *self
    }
}

/// The `diverged` field as a flag: a `bool`, or the reason training stopped, if it did.
pub trait DivergedFlag {
    fn is_set(&self) -> bool;
}

impl DivergedFlag for bool {
    fn is_set(&self) -> bool {
        *self
    }
}

impl DivergedFlag for Option<String> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

/// Declares a grid's row type from one list of its columns: the `keys` (written with
/// `Display`), the `metrics` (`f64` or `Option<f64>`), then `diverged` (`bool` or
/// `Option<String>`). Every field is `pub`, in that order, so serde writes the JSON keys in CSV
/// order. Implements [`Key`](crate::experiments::grid::Key) and
/// [`MetricRow`](crate::experiments::grid::MetricRow); a metric marked `= not_summarized` is
/// written but gets no summary row.
///
/// ```
/// use lyapunov_lens::experiments::grid::{Key, MetricRow};
/// lyapunov_lens::grid_row! {
///     /// One run.
///     pub struct Row {
///         keys { seed: u64, }
///         metrics { pearson: Option<f64>, loss: f64 = not_summarized, }
///         diverged: bool,
///     }
/// }
/// let row = Row { seed: 3, pearson: None, loss: 0.5, diverged: false };
/// assert_eq!(Row::COLUMNS, ["seed"]);
/// assert_eq!(row.cells(), ["3"]);
/// let names: Vec<_> = Row::METRICS.iter().map(|m| (m.name, m.summarized)).collect();
/// assert_eq!(names, [("pearson", true), ("loss", false)]);
/// assert_eq!((Row::METRICS[1].value)(&row), Some(0.5));
/// ```
#[macro_export]
macro_rules! grid_row {
    (
        $(#[$meta:meta])*
        pub struct $row:ident {
            keys { $($(#[$kmeta:meta])* $key:ident: $kty:ty,)+ }
            metrics { $($(#[$mmeta:meta])* $metric:ident: $mty:ty $(= $not:ident)?,)+ }
            $(#[$dmeta:meta])*
            diverged: $dty:ty $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $row {
            $($(#[$kmeta])* pub $key: $kty,)+
            $($(#[$mmeta])* pub $metric: $mty,)+
            $(#[$dmeta])*
            pub diverged: $dty,
        }

        $crate::grid_key!(@impl $row { $($key)+ });

        impl $crate::experiments::grid::MetricRow for $row {
            const METRICS: &'static [$crate::experiments::grid::Metric<Self>] = &[$(
                $crate::experiments::grid::Metric {
                    name: stringify!($metric),
                    value: |row| $crate::experiments::grid::MetricValue::metric(&row.$metric),
                    summarized: $crate::grid_row!(@summarized $($not)?),
                },
            )+];
            fn diverged(&self) -> bool {
                $crate::experiments::grid::DivergedFlag::is_set(&self.diverged)
            }
        }
    };
    (@summarized) => { true };
    (@summarized not_summarized) => { false };
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
