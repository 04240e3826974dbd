//! The transaction summary against the published CDNOW sample summary (tests/data; the transactions are the demo page's copy, www/data).

use clvlab::data::{inspect, summarize, DateFormat, Options, TimeUnit};
use std::collections::{HashMap, HashSet};

const TRANSACTIONS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/www/data/cdnow_sample_transactions.csv"
));
const SUMMARY: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/cdnow_sample_summary.csv"
));

/// Half a unit in the second decimal: the published summary is rounded to two decimals.
const ROUNDING: f64 = 0.005 + 1e-9;

fn cdnow_options() -> Options {
    Options {
        value_column: Some("spend".to_owned()),
        calibration_end: Some("1997-09-30".to_owned()),
        time_unit: TimeUnit::Week,
        ..Options::new("customer_id", "date")
    }
}

/// The published rows `customer_id -> (frequency, recency, T, monetary_value)`.
fn published() -> HashMap<&'static str, [f64; 4]> {
    SUMMARY
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let n = |i: usize| f[i].parse::<f64>().unwrap();
            (f[0], [n(1), n(2), n(3), n(4)])
        })
        .collect()
}

#[test]
fn reproduces_the_cdnow_sample_summary() {
    // The CDNOW sample summary as distributed with BTYD and lifetimes, calibration end 1997-09-30, weeks.
    let expected = published();
    let s = summarize(TRANSACTIONS, &cdnow_options()).unwrap();
    assert_eq!(s.customer_ids.len(), 2357);
    assert_eq!(s.customer_ids.len(), expected.len());
    assert_eq!(s.rows, 6919);
    assert_eq!(s.skipped_count, 0);
    assert_eq!(s.excluded_customers, 0);
    assert_eq!(
        (s.first_date.as_str(), s.last_date.as_str()),
        ("1997-01-01", "1998-06-30")
    );
    for (i, id) in s.customer_ids.iter().enumerate() {
        let [frequency, recency, t, monetary] = expected[id.as_str()];
        assert_eq!(s.frequency[i], frequency, "frequency of {id}");
        assert!(
            (s.recency[i] - recency).abs() <= ROUNDING,
            "recency of {id}"
        );
        assert!((s.t[i] - t).abs() <= ROUNDING, "T of {id}");
        assert!(
            (s.monetary_value[i] - monetary).abs() <= ROUNDING,
            "monetary value of {id}: {} vs {monetary}",
            s.monetary_value[i]
        );
    }
}

/// Distinct purchase days after 1997-09-30 per customer, counted from the raw lines (ISO dates compare
/// as strings).
fn holdout_days_by_line_split() -> HashMap<&'static str, usize> {
    let days: HashSet<(&str, &str)> = TRANSACTIONS
        .lines()
        .skip(1)
        .map(|line| {
            let mut f = line.split(',');
            (f.next().unwrap(), f.next().unwrap())
        })
        .filter(|(_, date)| *date > "1997-09-30")
        .collect();
    let mut counts = HashMap::new();
    for (id, _) in days {
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

#[test]
fn holdout_counts_distinct_days_after_calibration() {
    let expected = holdout_days_by_line_split();
    let with_end = Options {
        observation_end: Some("1998-06-30".to_owned()),
        ..cdnow_options()
    };
    for options in [cdnow_options(), with_end] {
        let s = summarize(TRANSACTIONS, &options).unwrap();
        for (i, id) in s.customer_ids.iter().enumerate() {
            let n = expected.get(id.as_str()).copied().unwrap_or(0);
            assert_eq!(s.holdout_frequency[i], n as f64, "holdout of {id}");
        }
        assert_eq!(s.observation_end, "1998-06-30");
    }
}

#[test]
fn other_formats_and_units_give_the_same_days() {
    // The same log rewritten in compact and US dates, semicolons, CRLF and a byte-order mark.
    let rewritten: String = std::iter::once("\u{feff}customer_id;date;quantity;spend".to_owned())
        .chain(TRANSACTIONS.lines().skip(1).map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let (y, m, d) = (&f[1][0..4], &f[1][5..7], &f[1][8..10]);
            format!("{};{m}/{d}/{y};{};{}", f[0], f[2], f[3])
        }))
        .collect::<Vec<_>>()
        .join("\r\n");
    let reference = summarize(TRANSACTIONS, &cdnow_options()).unwrap();
    for format in [DateFormat::MonthFirst, DateFormat::Auto] {
        let options = Options {
            date_format: format,
            ..cdnow_options()
        };
        let s = summarize(&rewritten, &options).unwrap();
        assert_eq!(s.customer_ids, reference.customer_ids);
        assert_eq!(s.frequency, reference.frequency);
        assert_eq!(s.t, reference.t);
        assert_eq!(s.monetary_value, reference.monetary_value);
        assert_eq!(s.date_format, DateFormat::MonthFirst);
    }
    let days = summarize(
        TRANSACTIONS,
        &Options {
            time_unit: TimeUnit::Day,
            ..cdnow_options()
        },
    )
    .unwrap();
    let months = summarize(
        TRANSACTIONS,
        &Options {
            time_unit: TimeUnit::Month,
            ..cdnow_options()
        },
    )
    .unwrap();
    for i in 0..days.t.len() {
        assert_eq!(days.t[i], (reference.t[i] * 7.0).round());
        assert!((months.t[i] * 30.4375 - days.t[i]).abs() < 1e-9);
    }
}

#[test]
fn the_guessed_mapping_reads_the_sample() {
    let guess = inspect(TRANSACTIONS.as_bytes()).unwrap();
    let options = Options {
        value_column: guess.value_column,
        date_format: guess.date_format.unwrap(),
        calibration_end: Some("1997-09-30".to_owned()),
        ..Options::new(
            guess.customer_column.as_deref().unwrap(),
            guess.date_column.as_deref().unwrap(),
        )
    };
    let reference = summarize(TRANSACTIONS, &cdnow_options()).unwrap();
    assert_eq!(summarize(TRANSACTIONS, &options).unwrap(), reference);
}
