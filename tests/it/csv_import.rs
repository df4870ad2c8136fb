//! Importing observations from a CSV file: delimiter sniffing, headers and comments, the page's
//! own export read back with its clean states, and errors that name the line and column. If it
//! fails, a user's file is misread, or rejected with a message that does not say where.

use lyapunov_lens::observations::csv_import::parse_observations_csv;

#[test]
fn comma_with_header_and_comments() {
    let s = parse_observations_csv(
        "# hares and lynx\nt,prey,predator\n0,10,5\n0.5,11.2,4.9 # noisy\n\n1.7,12,5.5\n",
    )
    .unwrap();
    assert_eq!(s.times, vec![0.0, 0.5, 1.7], "uneven steps are fine");
    assert_eq!(s.observations.row(1).to_vec(), vec![11.2, 4.9]);
    assert!(s.clean.is_none());
    assert!(s.description.contains("comma") && s.description.contains("header"));
}

#[test]
fn delimiters_are_sniffed() {
    for (text, name) in [
        ("0;1;2\n1;3;4\n", "semicolon"),
        ("0\t1\t2\n1\t3\t4\n", "tab"),
        ("0   1 2\n1 3    4\n", "whitespace"),
        ("time,hare,lynx\n0,1,2\n1,3,4\n", "comma"),
    ] {
        let s = parse_observations_csv(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.observations.row(1).to_vec(), vec![3.0, 4.0], "{name}");
        assert!(s.description.contains(name), "{name}: {}", s.description);
    }
}

#[test]
fn the_pages_own_export_imports_with_its_clean_states() {
    let text = "t,x,y,x_obs,y_obs,attention,dv_dn\n0,10,5,11,4,0.5,0.6\n1,9,6,8.5,6.5,0.5,0.7\n";
    let s = parse_observations_csv(text).unwrap();
    assert_eq!(s.observations.row(0).to_vec(), vec![11.0, 4.0]);
    assert_eq!(s.clean.unwrap().row(1).to_vec(), vec![9.0, 6.0]);
}

#[test]
fn errors_name_the_line_and_column() {
    let e = parse_observations_csv("t,prey,predator\n0,1,2\n1,abc,3\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, Some(2)));
    assert_eq!(
        e.to_string(),
        "line 3, column 2: expected a finite number, found 'abc'"
    );
    let e = parse_observations_csv("0,1,2\n1,2,3\n2,3\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, None));
    assert!(
        e.message
            .contains("expected 3 comma-separated fields, found 2"),
        "{e}"
    );
    let e = parse_observations_csv("0,1,2\n# gap\n2,2,3\n1.5,3,4\n").unwrap_err();
    assert_eq!((e.line, e.column), (4, Some(1)));
    assert!(e.message.contains("times must increase"));
    let e = parse_observations_csv("t,prey,predator\n0,1,2\n").unwrap_err();
    assert!(e.message.contains("at least 2 data rows"));
    assert!(parse_observations_csv("# nothing\n\n")
        .unwrap_err()
        .message
        .contains("no data"));
    assert!(parse_observations_csv("1,2\n3,4\n")
        .unwrap_err()
        .message
        .contains("at least 3 columns"));
    let e = parse_observations_csv("0,1,2\n1,inf,3\n").unwrap_err();
    assert_eq!(e.column, Some(2));
}

#[test]
fn a_byte_order_mark_is_skipped() {
    // Found by the property tests (shrunk case "\u{feff}0,0,0\n0.001,0,0\n"): a byte-order mark,
    // which spreadsheets put at the start of a UTF-8 export, made the first data row a header
    // (one row lost, here too few rows), and hid a header's first name, so that the Hudson's Bay
    // `Year, Lynx, Hare` was read positionally with the lynx as prey.
    let s = parse_observations_csv("\u{feff}0,1,2\n1,3,4\n").unwrap();
    assert_eq!(s.times, vec![0.0, 1.0]);
    let s = parse_observations_csv("\u{feff}Year,Lynx,Hare\n1900,4,30\n1901,6,47\n").unwrap();
    assert_eq!(
        s.observations.row(0).to_vec(),
        vec![30.0, 4.0],
        "prey = hare"
    );
    assert!(s.description.contains("time = Year"), "{}", s.description);
}
