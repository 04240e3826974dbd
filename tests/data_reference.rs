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
fn holdout_spend_is_the_mean_over_holdout_days() {
    // Spend after 1997-09-30 per customer, summed from the raw lines (column 4), over their holdout days.
    let mut spend: HashMap<&str, f64> = HashMap::new();
    for line in TRANSACTIONS.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[1] > "1997-09-30" {
            *spend.entry(f[0]).or_insert(0.0) += f[3].parse::<f64>().unwrap();
        }
    }
    let days = holdout_days_by_line_split();
    let s = summarize(TRANSACTIONS, &cdnow_options()).unwrap();
    for (i, id) in s.customer_ids.iter().enumerate() {
        let want = match days.get(id.as_str()) {
            Some(&n) => spend[id.as_str()] / n as f64,
            None => 0.0,
        };
        let got = s.holdout_monetary_value[i];
        assert!(
            (got - want).abs() <= 1e-12 * want.abs(),
            "{id}: {got} vs {want}"
        );
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

/// Day number from 1997-01-01 of an ISO date in 1997 or 1998 (neither a leap year), from a table of
/// month lengths.
fn day_since_1997(date: &str) -> usize {
    const BEFORE_MONTH: [usize; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let n = |range: std::ops::Range<usize>| date[range].parse::<usize>().unwrap();
    (n(0..4) - 1997) * 365 + BEFORE_MONTH[n(5..7) - 1] + n(8..10) - 1
}

#[test]
fn daily_counts_match_the_raw_lines() {
    // Distinct (customer, day) pairs from the raw lines, then each customer's first day set apart.
    let pairs: HashSet<(&str, usize)> = TRANSACTIONS
        .lines()
        .skip(1)
        .map(|line| {
            let mut f = line.split(',');
            (f.next().unwrap(), day_since_1997(f.next().unwrap()))
        })
        .collect();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for &(id, day) in &pairs {
        let entry = first.entry(id).or_insert(day);
        *entry = (*entry).min(day);
    }
    // 1997-01-01 … 1997-09-30 is 273 days (31 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30), and so is
    // 1997-10-01 … 1998-06-30 (31 + 30 + 31 + 31 + 28 + 31 + 30 + 31 + 30).
    let calibration_end = day_since_1997("1997-09-30");
    assert_eq!(calibration_end, 272);
    let (mut firsts, mut repeats, mut holdout) = (vec![0.0; 273], vec![0.0; 273], vec![0.0; 273]);
    for &(id, day) in &pairs {
        if day == first[id] {
            firsts[day] += 1.0;
        } else if day <= calibration_end {
            repeats[day] += 1.0;
        } else {
            holdout[day - 273] += 1.0;
        }
    }
    let s = summarize(TRANSACTIONS, &cdnow_options()).unwrap();
    assert_eq!(s.first_purchases_by_day, firsts);
    assert_eq!(s.calibration_repeats_by_day, repeats);
    assert_eq!(s.holdout_repeats_by_day, holdout);
    // The published summary's repeat transactions, and the 2,357 customers, all in by 1997-03-31.
    let published_repeats: f64 = published().values().map(|row| row[0]).sum();
    assert_eq!(repeats.iter().sum::<f64>(), published_repeats);
    assert_eq!(firsts.iter().sum::<f64>(), 2357.0);
    assert!(firsts[day_since_1997("1997-04-01")..]
        .iter()
        .all(|&n| n == 0.0));
    // Two thirds of 1997-01-01 … 1998-06-30 (545 days): day 363.33 → 363, 1997-12-30.
    assert_eq!(s.suggested_calibration_end, "1997-12-30");
    assert_eq!(day_since_1997("1997-12-30"), 363);
    // The holdout, 1997-10-01 … 1998-06-30: 273 days, 39 weeks (Fader, Hardie & Lee 2005).
    assert_eq!(holdout.len(), 273);
    assert_eq!(s.holdout_length, 39.0);
}
