//! Figures as `scripts/bench.sh` collects them: each measurement is a set of samples
//! (at least five runs), printed as one tab-separated `figure` line with its median, min
//! and max and, when it has a baseline, the ratio of the two medians. Shared by every bench
//! binary (`#[path]`-included), so the table has one shape.

/// Median, min and max of `samples` (at least one).
pub fn stats(samples: &[f64]) -> (f64, f64, f64) {
    assert!(!samples.is_empty(), "a figure needs at least one sample");
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    (s[s.len() / 2], s[0], s[s.len() - 1])
}

/// A number with as many decimals as its size deserves.
pub fn num(x: f64) -> String {
    match x.abs() {
        a if a >= 100.0 => format!("{x:.0}"),
        a if a >= 10.0 => format!("{x:.1}"),
        a if a >= 1.0 => format!("{x:.2}"),
        _ => format!("{x:.3}"),
    }
}

/// Prints one figure line: `figure`, what, median, min, max, unit, runs, versus (the ratio
/// of this median to the baseline's, with the baseline's name; empty without one).
pub fn figure(what: &str, unit: &str, samples: &[f64], baseline: Option<(&str, &[f64])>) {
    let (median, min, max) = stats(samples);
    let versus = baseline
        .map(|(name, base)| format!("{:.2}× {name}", median / stats(base).0))
        .unwrap_or_default();
    println!(
        "figure\t{what}\t{}\t{}\t{}\t{unit}\t{}\t{versus}",
        num(median),
        num(min),
        num(max),
        samples.len()
    );
}
