//! Native speed of the transaction summary: a synthetic log of 1,000,000 rows (50,000 customers over
//! two years, ISO dates, values) and, when `CDNOW_MASTER` names the file, the full CDNOW log that
//! `lifetimes` ships (whitespace-separated, rewritten as CSV first). `cargo bench --bench data_summary`.
//! The wasm timings and the ratios to `lifetimes` come from `benches/run.sh`.

mod common;

use clvlab::data::{format_iso, summarize, Options, TimeUnit};

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

fn main() {
    let options = Options {
        value_column: Some("spend".to_owned()),
        calibration_end: Some("1999-06-30".to_owned()),
        time_unit: TimeUnit::Week,
        ..Options::new("customer_id", "date")
    };
    let log = synthetic_log(1_000_000);
    let ms = common::best_ms(5, || {
        summarize(&log, &options).unwrap();
    });
    println!(
        "summarize, 1,000,000 synthetic rows ({} MB): {ms:.1} ms",
        log.len() / 1_000_000
    );

    let csv = match common::cdnow_master_csv() {
        Ok(csv) => csv,
        Err(why) => {
            println!("{why}: full CDNOW skipped");
            return;
        }
    };
    let options = common::cdnow_options();
    let customers = summarize(&csv, &options).unwrap().customer_ids.len();
    let ms = common::best_ms(20, || {
        summarize(&csv, &options).unwrap();
    });
    println!("summarize, full CDNOW ({customers} customers): {ms:.2} ms");
}
