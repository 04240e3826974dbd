//! Rough native timings of the fits (not a benchmark): `cargo run --release --example fit_timing`.
//!
//! Uses the CDNOW sample summary (2,357 customers) and a 23,570-customer set made of ten copies of it
//! with every recency and T nudged by a different 1e-4 weeks, so that no rows merge (the worst case for
//! the row grouping; the real full CDNOW data merge much more).

use std::time::Instant;

use clvlab::models::{bgnbd, customer_value, gammagamma, paretonbd, Model, Summary, ValueOptions};

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/cdnow_sample_summary.csv"
    );
    let text = std::fs::read_to_string(path).expect("CDNOW sample summary");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap_or(0.0)).collect())
        .collect();
    let sample = Summary {
        frequency: rows.iter().map(|r| r[1]).collect(),
        recency: rows.iter().map(|r| r[2]).collect(),
        t: rows.iter().map(|r| r[3]).collect(),
        weights: None,
    };
    let mut large = Summary::default();
    for copy in 0..10 {
        for (i, r) in rows.iter().enumerate() {
            let nudge = 1e-4 * (copy * rows.len() + i) as f64 / rows.len() as f64;
            large.frequency.push(r[1]);
            large
                .recency
                .push(if r[1] > 0.0 { r[2] + nudge } else { 0.0 });
            large.t.push(r[3] + nudge + 1e-3);
        }
    }
    for (name, summary) in [("sample (2,357)", &sample), ("10x nudged (23,570)", &large)] {
        time(name, "bgnbd", || {
            bgnbd::fit(summary).map(|f| (f.model, f.iterations))
        });
        time(name, "paretonbd", || {
            paretonbd::fit(summary).map(|f| (f.model, f.iterations))
        });
        let fit = bgnbd::fit(summary).expect("fit");
        let start = Instant::now();
        let predictions = fit.model.predict(summary, 39.0).expect("predict");
        println!(
            "{name:>22} predict bgnbd: {:>8.2} ms ({} customers)",
            start.elapsed().as_secs_f64() * 1e3,
            predictions.prob_alive.len()
        );
        let pareto = paretonbd::fit(summary).expect("fit").model;
        for (label, model) in [("bgnbd", fit.model), ("paretonbd", pareto)] {
            time_value(name, label, &model, summary, &rows);
        }
    }
}

/// Median times of `customer_value` over 12 months and of 12 calls of `predict` (the cost of the
/// month-by-month formula), and their ratio.
fn time_value(name: &str, label: &str, model: &Model, summary: &Summary, rows: &[Vec<f64>]) {
    let spend = gammagamma::GammaGamma {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };
    let monetary: Vec<f64> = (0..summary.frequency.len())
        .map(|i| rows[i % rows.len()][4])
        .collect();
    let options = ValueOptions {
        months: 12.0,
        monthly_discount_rate: 0.01,
        units_per_month: 4.345,
    };
    let median = |run: &dyn Fn()| {
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[3]
    };
    let value = median(&|| {
        customer_value(model, &spend, summary, &monetary, &options).expect("value");
    });
    let months = median(&|| {
        for month in 1..=12 {
            model
                .predict(summary, 4.345 * f64::from(month))
                .expect("predict");
        }
    });
    println!(
        "{name:>22} customer value {label}: {value:>8.2} ms, 12 × predict {months:>8.2} ms, ratio {:.3}",
        value / months
    );
}

/// Runs `fit` five times and prints the median time.
fn time<E: std::fmt::Debug>(name: &str, model: &str, fit: impl Fn() -> Result<(Model, usize), E>) {
    let mut times = Vec::new();
    let mut result = fit();
    for _ in 0..5 {
        let start = Instant::now();
        result = fit();
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let ms = times[2];
    match result {
        Ok((params, iterations)) => {
            println!("{name:>22} {model}: {ms:>8.2} ms (median of 5), {iterations} iterations, {params:?}")
        }
        Err(e) => println!("{name:>22} {model}: {ms:>8.2} ms (median of 5), error {e:?}"),
    }
}
