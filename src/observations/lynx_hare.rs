//! The Hudson's Bay Company lynx and snowshoe hare pelts, 1900–1920: 21 yearly counts in
//! thousands, the classic predator–prey series.
//!
//! Source: Stan's Lotka–Volterra case study (Carpenter 2018), file
//! `knitr/lotka-volterra/hudson-bay-lynx-hare.csv` in github.com/stan-dev/example-models, itself
//! from P. Howard, *Modeling Basics* (Texas A&M, math.tamu.edu/~phoward/m442/modbasics.pdf).
//! That file's columns are Year, Lynx, Hare: the predator comes first. Here the hare is the prey
//! (the first state, x) and the lynx the predator (y), as Lotka–Volterra has them.

use crate::observations::csv_import::ImportedSeries;
use ndarray::Array2;

/// Where the numbers come from, for reports and the page.
pub const SOURCE: &str = "Hudson's Bay Company lynx and hare pelts, 1900–1920, thousands (Howard 2009, via Stan's Lotka–Volterra case study, stan-dev/example-models knitr/lotka-volterra/hudson-bay-lynx-hare.csv)";

/// The years 1900–1920.
pub const YEARS: [f64; 21] = [
    1900.0, 1901.0, 1902.0, 1903.0, 1904.0, 1905.0, 1906.0, 1907.0, 1908.0, 1909.0, 1910.0, 1911.0,
    1912.0, 1913.0, 1914.0, 1915.0, 1916.0, 1917.0, 1918.0, 1919.0, 1920.0,
];

/// Lynx pelts (thousands), the predator.
pub const LYNX: [f64; 21] = [
    4.0, 6.1, 9.8, 35.2, 59.4, 41.7, 19.0, 13.0, 8.3, 9.1, 7.4, 8.0, 12.3, 19.5, 45.7, 51.1, 29.7,
    15.8, 9.7, 10.1, 8.6,
];

/// Hare pelts (thousands), the prey.
pub const HARE: [f64; 21] = [
    30.0, 47.2, 70.2, 77.4, 36.3, 20.6, 18.1, 21.4, 22.0, 25.4, 27.1, 40.3, 57.0, 76.6, 52.3, 19.5,
    11.2, 7.6, 14.6, 16.2, 24.7,
];

/// The series as an import: times in years, observations (hare, lynx).
pub fn series() -> ImportedSeries {
    let observations = Array2::from_shape_fn((YEARS.len(), 2), |(i, j)| match j {
        0 => HARE[i],
        _ => LYNX[i],
    });
    ImportedSeries {
        times: YEARS.to_vec(),
        observations,
        clean: None,
        description: "21 yearly counts, built in: prey = hare, predator = lynx".into(),
        target: None,
    }
}

/// The series as a CSV file in the source's own layout (Year, Lynx, Hare), for export.
pub fn csv() -> String {
    let mut out = String::from("Year, Lynx, Hare\n");
    for i in 0..YEARS.len() {
        out.push_str(&format!("{}, {}, {}\n", YEARS[i], LYNX[i], HARE[i]));
    }
    out
}
