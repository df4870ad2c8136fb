//! One grid's rows in one shard file, written so that they read back bit for bit: each row is a
//! JSON array in the order of `columns` — the key cells as text (exactly as the CSV writes them,
//! `Display`, which every key type parses back), each metric as a JSON number (serde_json writes
//! the shortest form that round-trips, and reads it back exactly with its `float_roundtrip`
//! feature), `null` when undefined, or the text `NaN`, `inf` or `-inf` (JSON has no such
//! numbers; a NaN's payload bits are not kept, and no output shows them), then `converged`.

use crate::experiments::grid::{GridSpec, MetricRow};
use crate::experiments::sharding::shard::Shard;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Cells that ran, each by its index in [`GridSpec::grid`] order, with its rows.
pub type CellRuns<R> = Vec<(usize, Vec<R>)>;

/// The cells one shard ran of one grid, with their rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridPart {
    /// The grid's name in its run: `sweep`, `cross_system` or `recovery`.
    pub grid: String,
    /// The grid's spec as JSON: `merge` checks it against the spec its arguments give.
    pub spec: Value,
    /// Cells in the whole grid.
    pub cells: usize,
    /// The position of the grid's first cell in the run's cell order (the grids of a run are
    /// numbered one after another): the grid's cell i is shard K's when
    /// (first_cell + i) mod N = K − 1.
    pub first_cell: usize,
    /// The row columns: keys, metrics, `converged`.
    pub columns: Vec<String>,
    /// This shard's cells, in grid order.
    pub runs: Vec<CellRows>,
}

/// One cell's rows (one, or one per measure or weighting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellRows {
    /// The cell's index in [`GridSpec::grid`] order.
    pub cell: usize,
    pub rows: Vec<Vec<Value>>,
}

impl GridPart {
    /// The cells of a grid of `cells` cells starting at `first_cell` that `shard` runs, as
    /// indices into [`GridSpec::grid`].
    pub fn owned_cells(shard: Shard, first_cell: usize, cells: usize) -> Vec<usize> {
        (0..cells).filter(|i| shard.owns(first_cell + i)).collect()
    }

    /// The part of `spec` named `grid` whose cells ran into `runs` (cell index, rows).
    pub fn new<S: GridSpec>(
        grid: &str,
        spec: &S,
        first_cell: usize,
        runs: CellRuns<S::Row>,
    ) -> Result<GridPart, String> {
        Ok(GridPart {
            grid: grid.to_string(),
            spec: serde_json::to_value(spec).map_err(|e| e.to_string())?,
            cells: spec.grid().len(),
            first_cell,
            columns: columns::<S::Row>(),
            runs: runs
                .into_iter()
                .map(|(cell, rows)| CellRows {
                    cell,
                    rows: rows.iter().map(encode_row).collect(),
                })
                .collect(),
        })
    }

    /// Every row of the grid `spec` from its parts in all the shards, in grid order: each cell
    /// must be in exactly one part, and every part must be of this spec.
    pub fn merge<S: GridSpec>(parts: &[&GridPart], spec: &S) -> Result<Vec<S::Row>, String> {
        let expected = serde_json::to_value(spec).map_err(|e| e.to_string())?;
        let cells = spec.grid().len();
        let mut by_cell: Vec<Option<&CellRows>> = vec![None; cells];
        for part in parts {
            let name = &part.grid;
            if part.spec != expected || part.cells != cells {
                return Err(format!(
                    "the {name} grid in the shards is not the one their arguments give here (written by a different build?)"
                ));
            }
            if part.columns != columns::<S::Row>() {
                return Err(format!("the {name} rows in the shards have other columns"));
            }
            for run in &part.runs {
                let slot = by_cell
                    .get_mut(run.cell)
                    .ok_or_else(|| format!("{name} has no cell {}", run.cell))?;
                if slot.replace(run).is_some() {
                    return Err(format!("{name} cell {} is in two shards", run.cell));
                }
            }
        }
        let mut rows = Vec::new();
        for (cell, run) in by_cell.into_iter().enumerate() {
            let run = run.ok_or_else(|| format!("cell {cell} of a grid is in no shard"))?;
            for row in &run.rows {
                rows.push(decode_row(row)?);
            }
        }
        Ok(rows)
    }
}

/// The columns of a row: keys, metrics, `converged`.
pub fn columns<R: MetricRow>() -> Vec<String> {
    R::COLUMNS
        .iter()
        .copied()
        .chain(R::METRICS.iter().map(|m| m.name))
        .chain(["converged"])
        .map(str::to_string)
        .collect()
}

/// A row as a shard file stores it (see the module documentation).
pub fn encode_row<R: MetricRow>(row: &R) -> Vec<Value> {
    let keys = row.cells().into_iter().map(Value::String);
    let metrics = R::METRICS.iter().map(|m| encode_metric((m.value)(row)));
    keys.chain(metrics)
        .chain([Value::Bool(row.converged())])
        .collect()
}

/// The row [`encode_row`] wrote.
pub fn decode_row<R: MetricRow>(cells: &[Value]) -> Result<R, String> {
    let (n_keys, n_metrics) = (R::COLUMNS.len(), R::METRICS.len());
    if cells.len() != n_keys + n_metrics + 1 {
        return Err(format!(
            "a row has {} cells, not {}",
            cells.len(),
            n_keys + n_metrics + 1
        ));
    }
    let keys = cells[..n_keys]
        .iter()
        .zip(R::COLUMNS)
        .map(|(v, column)| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("column {column}: expected text, got {v}"))
        })
        .collect::<Result<Vec<String>, String>>()?;
    let metrics = cells[n_keys..n_keys + n_metrics]
        .iter()
        .zip(R::METRICS)
        .map(|(v, m)| decode_metric(v, m.name))
        .collect::<Result<Vec<Option<f64>>, String>>()?;
    let converged = cells[n_keys + n_metrics]
        .as_bool()
        .ok_or("column converged: expected true or false")?;
    R::from_parts(&keys, &metrics, converged)
}

/// A number, `null` for none, or `NaN`, `inf`, `-inf` as text.
fn encode_metric(value: Option<f64>) -> Value {
    match value {
        None => Value::Null,
        Some(v) if v.is_finite() => Value::from(v),
        Some(v) => Value::String(v.to_string()),
    }
}

fn decode_metric(value: &Value, column: &str) -> Result<Option<f64>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("column {column}: {n} is not a number")),
        Value::String(s) if matches!(s.as_str(), "NaN" | "inf" | "-inf") => {
            Ok(s.parse::<f64>().ok())
        }
        v => Err(format!("column {column}: expected a number, got {v}")),
    }
}
