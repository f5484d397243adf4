//! What the benchmark binaries share: durations as milliseconds, percentiles, one row of the
//! printed table, a store's size on disk.

use std::path::Path;
use std::time::Duration;

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The `p` percentile (0.0–1.0) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn header() {
    println!("| figure                                               |          value | goal               |");
    println!("|------------------------------------------------------|----------------|--------------------|");
}

pub fn row(what: &str, value: String, goal: &str) {
    println!("| {what:<52} | {value:>14} | {goal:<18} |");
}

/// The store file and its write-ahead log, in bytes.
pub fn store_size(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}
