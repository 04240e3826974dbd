//! What the native benches share: a best-of timer and the full CDNOW log that `lifetimes` ships, read
//! from `CDNOW_MASTER` and rewritten as CSV (it is whitespace-separated) with its summary options.

use clvlab::data::{DateFormat, Options, TimeUnit};
use std::time::Instant;

/// Best of `runs` wall-clock times of `f`, in milliseconds.
pub fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

/// The CDNOW master file named by `CDNOW_MASTER` as CSV, or why there is none.
pub fn cdnow_master_csv() -> Result<String, String> {
    let path = std::env::var("CDNOW_MASTER").map_err(|_| "CDNOW_MASTER not set".to_owned())?;
    let master = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    Ok(master
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(",") + "\n")
        .collect())
}

/// The summary options of Fader, Hardie & Lee (2005) for CDNOW: calibration ending 1997-09-30, weeks.
pub fn cdnow_options() -> Options {
    Options {
        value_column: Some("dollar_value".to_owned()),
        date_format: DateFormat::Compact,
        calibration_end: Some("1997-09-30".to_owned()),
        time_unit: TimeUnit::Week,
        ..Options::new("customer_id", "date")
    }
}
