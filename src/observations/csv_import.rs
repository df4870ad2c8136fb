//! Observations from a CSV file: time, prey, predator.
//!
//! - Comments start with `#` (whole lines or the rest of a line); blank lines are skipped, and so
//!   is a byte-order mark.
//! - The delimiter is sniffed from the first lines: comma, semicolon, tab, or runs of whitespace.
//! - A first line with any non-numeric field is a header. Columns are then found by name
//!   (`t`/`time`/`year`, `prey`/`x`/`hare`/`x_obs`, `predator`/`y`/`lynx`/`y_obs`, in any
//!   order and case: the Hudson's Bay file's `Year, Lynx, Hare` puts the predator first); unknown
//!   names mean the first three columns in that order. The page's own export
//!   (`t,x,y,x_obs,y_obs,…`) imports as observations `x_obs, y_obs` with clean states `x, y`.
//! - Or the caller names the columns ([`parse_observations_csv_with`], the CLI's `--columns`):
//!   time, prey, predator, each a header name or a 1-based column number.
//! - The description says which column became what.
//! - Times must increase strictly; the steps may be uneven.
//!
//! Every error names the line (1-based, as an editor shows it), the column where it applies, and
//! what was expected.

use ndarray::Array2;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(c) => write!(f, "line {}, column {}: {}", self.line, c, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for CsvError {}

/// A parsed series.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSeries {
    pub times: Vec<f64>,
    /// Observed (prey, predator), N×2.
    pub observations: Array2<f64>,
    /// Clean states, when the file has them (the page's own export).
    pub clean: Option<Array2<f64>>,
    /// How the file was read, for the page to report: e.g. "comma-separated, with header".
    pub description: String,
    /// What the clean states are, when there are any: e.g. "the file's clean columns" or "the
    /// orbit fitted to the data". Verdicts name it as the target.
    pub target: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Delimiter {
    Char(char),
    Whitespace,
}

impl Delimiter {
    fn split<'a>(&self, line: &'a str) -> Vec<&'a str> {
        match self {
            Delimiter::Char(c) => line.split(*c).map(str::trim).collect(),
            Delimiter::Whitespace => line.split_whitespace().collect(),
        }
    }
    fn name(&self) -> &'static str {
        match self {
            Delimiter::Char(',') => "comma",
            Delimiter::Char(';') => "semicolon",
            Delimiter::Char('\t') => "tab",
            Delimiter::Char(_) => "character",
            Delimiter::Whitespace => "whitespace",
        }
    }
}

/// (line number, content) of every non-blank, non-comment line, after any byte-order mark (a
/// spreadsheet's UTF-8 export starts with one: it would make the first field non-numeric, so a
/// header, or hide the name of the first column).
fn content_lines(text: &str) -> Vec<(usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            (
                i + 1,
                l.split('#')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('\r')
                    .trim(),
            )
        })
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

/// The delimiter that splits the first line into at least 3 fields and agrees with the most of
/// the first 5 lines (ties go to comma, semicolon, tab, whitespace, in that order). A line that
/// disagrees is then reported by the row check, with its number.
fn sniff(lines: &[(usize, &str)]) -> Option<Delimiter> {
    let sample = &lines[..lines.len().min(5)];
    let mut best: Option<(Delimiter, usize)> = None;
    for d in [
        Delimiter::Char(','),
        Delimiter::Char(';'),
        Delimiter::Char('\t'),
        Delimiter::Whitespace,
    ] {
        let width = d.split(sample[0].1).len();
        if width < 3 {
            continue;
        }
        let agree = sample
            .iter()
            .filter(|(_, l)| d.split(l).len() == width)
            .count();
        if best.is_none_or(|(_, b)| agree > b) {
            best = Some((d, agree));
        }
    }
    best.map(|(d, _)| d)
}

fn column_of(names: &[String], wanted: &[&str]) -> Option<usize> {
    names.iter().position(|n| wanted.contains(&n.as_str()))
}

pub fn parse_observations_csv(text: &str) -> Result<ImportedSeries, CsvError> {
    parse_observations_csv_with(text, None)
}

/// What the first line says about a file: its content lines, delimiter, first line's fields,
/// whether they are a header, and their lower-case names.
struct Shape<'a> {
    lines: Vec<(usize, &'a str)>,
    first_line: usize,
    delimiter: Delimiter,
    header_fields: Vec<&'a str>,
    has_header: bool,
    names: Vec<String>,
}

impl<'a> Shape<'a> {
    /// An error when the file has no data or no consistent delimiter.
    fn of(text: &'a str) -> Result<Shape<'a>, CsvError> {
        let lines = content_lines(text);
        let Some(&(first_line, first)) = lines.first() else {
            return Err(CsvError {
                line: 1,
                column: None,
                message: "the file has no data: expected lines of time, prey, predator".into(),
            });
        };
        let delimiter = sniff(&lines).ok_or_else(|| CsvError {
            line: first_line,
            column: None,
            message: "expected at least 3 columns (time, prey, predator) separated consistently by commas, semicolons, tabs or spaces".into(),
        })?;
        let header_fields = delimiter.split(first);
        let has_header = header_fields.iter().any(|f| f.parse::<f64>().is_err());
        let names = header_fields
            .iter()
            .map(|f| f.trim_matches('"').to_ascii_lowercase())
            .collect();
        Ok(Shape {
            lines,
            first_line,
            delimiter,
            header_fields,
            has_header,
            names,
        })
    }
}

/// [`parse_observations_csv`] with the columns named by the caller: `[time, prey, predator]`,
/// each a header name (any case) or a 1-based column number; `None` finds them as the module
/// doc says.
pub fn parse_observations_csv_with(
    text: &str,
    chosen: Option<&[String; 3]>,
) -> Result<ImportedSeries, CsvError> {
    let Shape {
        lines,
        first_line,
        delimiter,
        header_fields,
        has_header,
        names,
    } = Shape::of(text)?;
    let columns = match chosen {
        Some(chosen) => Columns::chosen(chosen, &names, has_header, first_line)?,
        None if has_header => Columns::from_header(&names),
        None => Columns::POSITIONAL,
    };
    let rows = if has_header { &lines[1..] } else { &lines[..] };
    let mut table = Table::default();
    for &(line, text) in rows {
        table.push_row(
            line,
            &delimiter.split(text),
            header_fields.len(),
            delimiter,
            &columns,
        )?;
    }
    if table.times.len() < 2 {
        let line = rows.first().map_or(first_line, |r| r.0);
        return Err(CsvError {
            line,
            column: None,
            message: format!("expected at least 2 data rows, found {}", table.times.len()),
        });
    }
    let n = table.times.len();
    let observations = Array2::from_shape_vec((n, 2), table.obs).expect("two values per row");
    let clean = columns
        .clean
        .map(|_| Array2::from_shape_vec((n, 2), table.clean).expect("two values per row"));
    let mapping = if has_header {
        let [t, x, y] = columns.observed.map(|c| header_fields[c].trim_matches('"'));
        format!(", columns: time = {t}, prey = {x}, predator = {y}")
    } else {
        String::new()
    };
    let description = format!(
        "{n} rows, {}-separated, {}{}{mapping}",
        delimiter.name(),
        if has_header {
            "with a header"
        } else {
            "no header"
        },
        if clean.is_some() {
            ", with clean states"
        } else {
            ""
        }
    );
    let target = clean
        .as_ref()
        .map(|_| "the file's clean states".to_string());
    Ok(ImportedSeries {
        times: table.times,
        observations,
        clean,
        description,
        target,
    })
}

/// How [`parse_observations_csv`] would read a file's columns, for a page to show the choice and
/// offer another ([`parse_observations_csv_with`] with 1-based numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnLayout {
    /// One name per column: the header's as written, or "column k" without a header.
    pub names: Vec<String>,
    pub has_header: bool,
    /// The columns (0-based) taken as time, prey and predator.
    pub observed: [usize; 3],
}

/// The file's columns and the ones read as time, prey and predator by default; an error when
/// the file has no data or no consistent delimiter (as [`parse_observations_csv`] says it).
pub fn column_layout(text: &str) -> Result<ColumnLayout, CsvError> {
    let Shape {
        header_fields: fields,
        has_header,
        names: lower,
        ..
    } = Shape::of(text)?;
    let columns = if has_header {
        Columns::from_header(&lower)
    } else {
        Columns::POSITIONAL
    };
    let names = fields
        .iter()
        .enumerate()
        .map(|(i, f)| match has_header {
            true => f.trim_matches('"').to_string(),
            false => format!("column {}", i + 1),
        })
        .collect();
    Ok(ColumnLayout {
        names,
        has_header,
        observed: columns.observed,
    })
}

/// Column indices: time, observed prey, observed predator, and optional clean prey/predator.
struct Columns {
    observed: [usize; 3],
    clean: Option<(usize, usize)>,
}

impl Columns {
    /// Without a header: time, prey, predator.
    const POSITIONAL: Columns = Columns {
        observed: [0, 1, 2],
        clean: None,
    };

    /// The caller's choice: header names (any case) or 1-based numbers.
    fn chosen(
        chosen: &[String; 3],
        names: &[String],
        has_header: bool,
        line: usize,
    ) -> Result<Columns, CsvError> {
        let mut observed = [0; 3];
        for (slot, wanted) in observed.iter_mut().zip(chosen) {
            let by_name = names
                .iter()
                .position(|n| has_header && *n == wanted.trim().to_ascii_lowercase());
            let by_number = wanted
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&c| (1..=names.len()).contains(&c))
                .map(|c| c - 1);
            *slot =
                by_name.or(by_number).ok_or_else(|| CsvError {
                    line,
                    column: None,
                    message: format!(
                    "no column '{wanted}': expected a header name ({}) or a number from 1 to {}",
                    if has_header { names.join(", ") } else { "the file has no header".into() },
                    names.len()
                ),
                })?;
        }
        Ok(Columns {
            observed,
            clean: None,
        })
    }

    fn from_header(names: &[String]) -> Columns {
        let t = column_of(names, &["t", "time", "year", "years"]);
        let (ox, oy) = (
            column_of(names, &["x_obs", "prey_obs"]),
            column_of(names, &["y_obs", "predator_obs"]),
        );
        let (x, y) = (
            column_of(names, &["x", "prey", "hare", "hares"]),
            column_of(names, &["y", "predator", "lynx", "lynxes"]),
        );
        match (t, ox, oy, x, y) {
            (Some(t), Some(ox), Some(oy), x, y) => Columns {
                observed: [t, ox, oy],
                clean: x.zip(y),
            },
            (Some(t), _, _, Some(x), Some(y)) => Columns {
                observed: [t, x, y],
                clean: None,
            },
            _ => Columns::POSITIONAL,
        }
    }
}

/// The values read so far.
#[derive(Default)]
struct Table {
    times: Vec<f64>,
    obs: Vec<f64>,
    clean: Vec<f64>,
}

impl Table {
    /// Reads one data row; times must increase.
    fn push_row(
        &mut self,
        line: usize,
        fields: &[&str],
        width: usize,
        delimiter: Delimiter,
        columns: &Columns,
    ) -> Result<(), CsvError> {
        if fields.len() != width {
            return Err(CsvError {
                line,
                column: None,
                message: format!(
                    "expected {width} {}-separated fields, found {}",
                    delimiter.name(),
                    fields.len()
                ),
            });
        }
        let number = |c: usize| -> Result<f64, CsvError> {
            let raw = fields[c].trim_matches('"');
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(CsvError {
                    line,
                    column: Some(c + 1),
                    message: format!("expected a finite number, found '{raw}'"),
                }),
            }
        };
        let cols = columns.observed;
        let t = number(cols[0])?;
        if let Some(&prev) = self.times.last() {
            if t <= prev {
                return Err(CsvError {
                    line,
                    column: Some(cols[0] + 1),
                    message: format!(
                        "time {t} is not after the previous time {prev}: times must increase"
                    ),
                });
            }
        }
        self.times.push(t);
        self.obs.push(number(cols[1])?);
        self.obs.push(number(cols[2])?);
        if let Some((x, y)) = columns.clean {
            self.clean.push(number(x)?);
            self.clean.push(number(y)?);
        }
        Ok(())
    }
}
