//! CSV files: any text, any bytes and structured hostile tables (missing or extra columns, NaN,
//! inf, 1e308, negative, unsorted, duplicate or hugely spaced times, mixed delimiters, blank
//! lines, a byte-order mark) either parse into a usable series or are refused with a message
//! that names a line of the file; the column layout agrees with the parser; and a well-formed
//! table reads back exactly the numbers written, whatever its delimiter, column order, header
//! spelling, line endings, comments and byte-order mark.

use super::{cases, hostile_number};
use lyapunov_lens::observations::csv_import::{
    column_layout, parse_observations_csv, parse_observations_csv_with, CsvError, ImportedSeries,
};
use proptest::prelude::*;

/// A parsed series is usable: two or more rows, strictly increasing finite times, finite values.
fn check_series(s: &ImportedSeries) -> Result<(), TestCaseError> {
    let n = s.times.len();
    prop_assert!(n >= 2, "{n} rows");
    prop_assert_eq!(s.observations.dim(), (n, 2));
    prop_assert!(s.times.iter().all(|t| t.is_finite()), "{:?}", s.times);
    prop_assert!(s.times.windows(2).all(|w| w[0] < w[1]), "{:?}", s.times);
    prop_assert!(s.observations.iter().all(|v| v.is_finite()));
    if let Some(clean) = &s.clean {
        prop_assert_eq!(clean.dim(), (n, 2));
        prop_assert!(clean.iter().all(|v| v.is_finite()));
    }
    prop_assert!(!s.description.is_empty());
    Ok(())
}

/// A refusal says what is wrong, at a line of the file (1 for an empty file).
fn check_error(e: &CsvError, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(!e.message.trim().is_empty(), "{e:?}");
    prop_assert!(
        (1..=text.lines().count().max(1)).contains(&e.line),
        "line {} of {}: {e}",
        e.line,
        text.lines().count()
    );
    prop_assert!(e.column.is_none_or(|c| c >= 1), "{e:?}");
    Ok(())
}

/// Parses `text` by itself and with the caller's columns, and reads its layout; checks each.
fn check_file(text: &str, chosen: &[String; 3]) -> Result<(), TestCaseError> {
    let parsed = parse_observations_csv(text);
    match &parsed {
        Ok(s) => check_series(s)?,
        Err(e) => check_error(e, text)?,
    }
    match parse_observations_csv_with(text, Some(chosen)) {
        Ok(s) => check_series(&s)?,
        Err(e) => check_error(&e, text)?,
    }
    match column_layout(text) {
        Ok(layout) => {
            prop_assert!(layout.observed.iter().all(|&c| c < layout.names.len()));
        }
        Err(e) => {
            check_error(&e, text)?;
            prop_assert!(parsed.is_err(), "a file that parses has a layout");
        }
    }
    Ok(())
}

/// Columns a caller may name: header names, 1-based numbers in and out of range, or anything.
fn chosen_columns() -> impl Strategy<Value = [String; 3]> {
    let one = prop_oneof![
        prop::sample::select(vec![
            "t", "Time", "prey", "LYNX", "hare", "x_obs", "0", "1", "3", "99"
        ])
        .prop_map(String::from),
        any::<String>(),
    ];
    [one.clone(), one.clone(), one]
}

/// One cell of a hostile table.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => hostile_number(),
        2 => (-1e3..1e3_f64).prop_map(|v| v.to_string()),
        1 => prop::sample::select(vec!["t", "prey", "predator", "x_obs", "y_obs", "\"1\"", "\"", "#"])
            .prop_map(String::from),
        1 => Just("1e12".to_string()),
    ]
}

/// A table of hostile cells in rows of uneven width, joined by one delimiter or by a mixture,
/// with blank lines, comments, CRLF endings and a byte-order mark thrown in.
fn hostile_csv() -> impl Strategy<Value = String> {
    let row = prop::collection::vec(cell(), 0..7);
    let delimiter = prop::sample::select(vec![",", ";", "\t", " ", "   ", ", ", "|"]);
    let line = (row, delimiter, 0..8_u8).prop_map(|(cells, d, extra)| match extra {
        0 => String::new(),
        1 => format!("# {}", cells.join(d)),
        2 => format!("{} # note", cells.join(d)),
        _ => cells.join(d),
    });
    (
        prop::collection::vec(line, 0..12),
        any::<bool>(),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
    )
        .prop_map(|(lines, bom, end)| {
            format!("{}{}", if bom { "\u{feff}" } else { "" }, lines.join(end))
        })
}

/// How a well-formed table is written.
#[derive(Debug, Clone)]
struct Layout {
    /// Header names of time, prey, predator (any alias, any case); `None`: no header, the
    /// columns in that order.
    header: Option<[String; 3]>,
    /// The column each of time, prey, predator is written to.
    order: [usize; 3],
    delimiter: &'static str,
    line_end: &'static str,
    bom: bool,
    comments: bool,
}

fn alias(names: &'static [&'static str]) -> impl Strategy<Value = String> {
    (prop::sample::select(names), any::<bool>(), any::<bool>()).prop_map(|(n, upper, quoted)| {
        let n = if upper {
            n.to_uppercase()
        } else {
            n.to_string()
        };
        if quoted {
            format!("\"{n}\"")
        } else {
            n
        }
    })
}

fn layout() -> impl Strategy<Value = Layout> {
    let header = [
        alias(&["t", "time", "year", "years"]),
        alias(&["prey", "x", "hare", "hares"]),
        alias(&["predator", "y", "lynx", "lynxes"]),
    ];
    let order = Just([0, 1, 2])
        .prop_shuffle()
        .prop_map(|v| [v[0], v[1], v[2]]);
    (
        prop::option::of(header),
        order,
        prop::sample::select(vec![",", ";", "\t", " ", "  "]),
        prop::sample::select(vec!["\n", "\r\n"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(header, order, delimiter, line_end, bom, comments)| Layout {
                // Without a header the columns are time, prey, predator.
                order: if header.is_some() { order } else { [0, 1, 2] },
                header,
                delimiter,
                line_end,
                bom,
                comments,
            },
        )
}

/// Rows of (time, prey, predator): strictly increasing times with steps from 1e-3 to a 1e12
/// gap, and any finite values.
fn rows() -> impl Strategy<Value = Vec<[f64; 3]>> {
    let step = prop_oneof![8 => 1e-3..10.0_f64, 1 => Just(1e12), 1 => 10.0..1e4_f64];
    let value = prop_oneof![
        4 => -1e6..1e6_f64,
        1 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        1 => Just(1e308),
        1 => Just(-1e308),
    ];
    (
        -1e6..1e6_f64,
        prop::collection::vec((step, value.clone(), value), 2..40),
    )
        .prop_map(|(start, steps)| {
            let mut t = start;
            let mut rows = Vec::new();
            for (dt, x, y) in steps {
                if rows.last().is_none_or(|r: &[f64; 3]| t > r[0]) {
                    rows.push([t, x, y]);
                }
                t += dt;
            }
            rows
        })
}

fn write(layout: &Layout, rows: &[[f64; 3]]) -> String {
    let line = |fields: [String; 3]| {
        let mut cells = vec![String::new(); 3];
        for (field, &column) in fields.into_iter().zip(&layout.order) {
            cells[column] = field;
        }
        cells.join(layout.delimiter)
    };
    let mut lines = Vec::new();
    if layout.comments {
        lines.push("# exported by hand".to_string());
    }
    if let Some(header) = &layout.header {
        lines.push(line(header.clone()));
    }
    for (i, r) in rows.iter().enumerate() {
        lines.push(line(r.map(|v| v.to_string())));
        if layout.comments && i % 3 == 0 {
            lines.push(String::new());
            lines.push(format!("# after row {i}"));
        }
    }
    let bom = if layout.bom { "\u{feff}" } else { "" };
    format!("{bom}{}{}", lines.join(layout.line_end), layout.line_end)
}

fn bits(values: impl IntoIterator<Item = f64>) -> Vec<u64> {
    values.into_iter().map(f64::to_bits).collect()
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn any_text_parses_or_is_refused_at_a_line(text in any::<String>(), chosen in chosen_columns()) {
        check_file(&text, &chosen)?;
    }

    #[test]
    fn any_bytes_parse_or_are_refused_at_a_line(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        chosen in chosen_columns(),
    ) {
        check_file(&String::from_utf8_lossy(&bytes), &chosen)?;
    }

    #[test]
    fn hostile_tables_parse_or_are_refused_at_a_line(text in hostile_csv(), chosen in chosen_columns()) {
        check_file(&text, &chosen)?;
    }

    #[test]
    fn a_well_formed_table_reads_back_exactly(layout in layout(), rows in rows()) {
        prop_assume!(rows.len() >= 2);
        let text = write(&layout, &rows);
        let s = parse_observations_csv(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(bits(s.times.iter().copied()), bits(rows.iter().map(|r| r[0])), "{}", text);
        let observed = rows.iter().flat_map(|r| [r[1], r[2]]);
        prop_assert_eq!(bits(s.observations.iter().copied()), bits(observed), "{}", text);
        prop_assert!(s.clean.is_none());
    }
}
