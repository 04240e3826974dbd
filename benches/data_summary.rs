//! Native speed of the transaction summary: a synthetic log of 1,000,000 rows (50,000 customers over
//! two years, ISO dates, values) and, when `CDNOW_MASTER` names the file, the full CDNOW log that
//! `lifetimes` ships (whitespace-separated, rewritten as CSV first). `cargo bench --bench data_summary`.
//! The wasm timings and the ratios to `lifetimes` come from `scripts/bench.sh`.

use clvlab::data::{format_iso, summarize, DateFormat, Options, TimeUnit};
use std::time::Instant;

/// A deterministic log of `rows` purchases (xorshift-generated ids, days and cents).
fn synthetic_log(rows: usize) -> String {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = 10_227; // 1998-01-01
    let mut text = String::with_capacity(rows * 32);
    text.push_str("customer_id,date,spend\n");
    for _ in 0..rows {
        let id = next() % 50_000;
        let day = start + (next() % 730) as i32;
        let cents = next() % 20_000;
        text.push_str(&format!(
            "C{id:06},{},{}.{:02}\n",
            format_iso(day),
            cents / 100,
            cents % 100
        ));
    }
    text
}

/// Best of `runs` wall-clock times of `f`, in milliseconds.
fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let options = Options {
        value_column: Some("spend".to_owned()),
        calibration_end: Some("1999-06-30".to_owned()),
        time_unit: TimeUnit::Week,
        ..Options::new("customer_id", "date")
    };
    let log = synthetic_log(1_000_000);
    let ms = best_ms(5, || {
        summarize(&log, &options).unwrap();
    });
    println!(
        "summarize, 1,000,000 synthetic rows ({} MB): {ms:.1} ms",
        log.len() / 1_000_000
    );

    let Ok(path) = std::env::var("CDNOW_MASTER") else {
        println!("CDNOW_MASTER not set: full CDNOW skipped");
        return;
    };
    let Ok(master) = std::fs::read_to_string(&path) else {
        println!("{path}: not readable, full CDNOW skipped");
        return;
    };
    let csv: String = master
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(",") + "\n")
        .collect();
    let options = Options {
        value_column: Some("dollar_value".to_owned()),
        date_format: DateFormat::Compact,
        calibration_end: Some("1997-09-30".to_owned()),
        ..Options::new("customer_id", "date")
    };
    let customers = summarize(&csv, &options).unwrap().customer_ids.len();
    let ms = best_ms(20, || {
        summarize(&csv, &options).unwrap();
    });
    println!("summarize, full CDNOW ({customers} customers): {ms:.2} ms");
}
