//! Robustness of the summary: odd files, bad rows, and random bytes.
//!
//! Test code only: `src/data/mod.rs` declares this module under `#[cfg(test)]`.

use super::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn options() -> Options {
    Options {
        value_column: Some("amount".to_owned()),
        time_unit: TimeUnit::Day,
        ..Options::new("id", "day")
    }
}

/// `option: reason`, or `file: reason` for a fault in the file, as the bindings word it.
fn error(text: &str, options: &Options) -> String {
    let e = summarize(text, options).unwrap_err();
    format!("{}: {e}", e.option().unwrap_or("file"))
}

#[test]
fn empty_and_header_only_files_are_errors() {
    assert_eq!(error("", &options()), "file: the file is empty");
    assert_eq!(error(" \r\n\n", &options()), "file: the file is empty");
    assert_eq!(error("\u{feff}", &options()), "file: the file is empty");
    assert_eq!(
        error("id,day,amount\n", &options()),
        "file: the file has a header but no data rows"
    );
}

#[test]
fn a_missing_column_names_the_option_and_lists_the_columns() {
    let text = "id,day,amount\n1,1997-01-01,3\n";
    let o = Options {
        date_column: "date".to_owned(),
        ..options()
    };
    assert_eq!(
        error(text, &o),
        "dateColumn: no column named 'date' (columns: id, day, amount)"
    );
    let o = Options {
        value_column: Some("spend".to_owned()),
        ..options()
    };
    assert!(error(text, &o).starts_with("valueColumn: no column named 'spend'"));
    let o = Options {
        delimiter: Some("ab".to_owned()),
        ..options()
    };
    assert!(error(text, &o).starts_with("delimiter: must be one ASCII character"));
}

#[test]
fn bad_rows_are_skipped_with_line_and_reason() {
    let text = "id,day,amount\n\
                a,1997-01-01,10\n\
                ,1997-01-02,1\n\
                a,1997-02-30,1\n\
                a,1997-01-05,ten\n\
                a,1997-01-06,-5\n\
                a,1997-01-07\n\
                \n\
                a,1997-01-08,\n\
                a,1997-01-09,inf\n\
                a,1997-01-09,2e15\n\
                \"a\",\"1997-01-10\",\"2.5\"\n";
    let skip = Options {
        negatives: Negatives::Skip,
        ..options()
    };
    let s = summarize(text, &skip).unwrap();
    let reasons: Vec<(u64, &str)> = s
        .skipped
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (3, "missing customer id"),
            (4, "bad date '1997-02-30' (expected YYYY-MM-DD)"),
            (5, "non-numeric value 'ten'"),
            (6, "negative value -5 (a refund, not a purchase)"),
            (7, "no 'amount' field (the row has 2 fields)"),
            (9, "missing value"),
            (10, "non-numeric value 'inf'"),
            (11, "value 2000000000000000 is too large (more than 1e15)"),
        ]
    );
    assert_eq!(s.skipped_count, 8);
    assert_eq!(s.rows, 10);
    assert_eq!(s.customer_ids, ["a"]);
    assert_eq!(s.frequency, [1.0]);
    assert_eq!(s.recency, [9.0]);
    assert_eq!(s.monetary_value, [2.5]);
}

#[test]
fn line_numbers_count_blank_lines_and_crlf() {
    let text = "id,day,amount\r\n\r\n\r\na,x,1\r\n\n\"b\nc\",1997-01-01,1\r\na,y,1\n\n";
    let s = summarize(text, &options()).unwrap();
    let lines: Vec<u64> = s.skipped.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 8]);
    assert_eq!(s.customer_ids, ["b\nc"]);
    let leading_blank = summarize("\n\r\nid,day,amount\na,y,1\n", &options()).unwrap_err();
    assert!(leading_blank.to_string().contains("(line 4: bad date 'y'"));
}

#[test]
fn only_the_first_skips_are_listed() {
    let mut text = String::from("id,day,amount\na,1997-01-01,1\n");
    for _ in 0..250 {
        text.push_str("b,never,1\n");
    }
    let s = summarize(&text, &options()).unwrap();
    assert_eq!(s.skipped.len(), MAX_LISTED_SKIPS);
    assert_eq!(s.skipped_count, 250);
    assert_eq!(s.skipped[0].line, 3);
}

#[test]
fn a_file_without_usable_rows_says_why() {
    assert_eq!(
        error("id,day,amount\nx,yesterday,1\n", &options()),
        "file: none of the 1 data rows is a usable transaction \
         (line 2: bad date 'yesterday' (expected YYYY-MM-DD))"
    );
}

#[test]
fn order_and_duplicates_do_not_matter_beyond_merging_days() {
    let sorted = "id,day,amount\na,1997-01-01,1\na,1997-01-03,2\nb,1997-01-02,4\na,1997-01-10,3\n";
    let shuffled =
        "id,day,amount\na,1997-01-10,3\nb,1997-01-02,4\na,1997-01-03,2\na,1997-01-01,1\n";
    let a = summarize(sorted, &options()).unwrap();
    let b = summarize(shuffled, &options()).unwrap();
    assert_eq!(a.frequency, b.frequency);
    assert_eq!(a.recency, b.recency);
    assert_eq!(a.t, b.t);
    assert_eq!(a.monetary_value, b.monetary_value);
    assert_eq!(a.customer_ids, ["a", "b"]);
    assert_eq!(b.customer_ids, ["a", "b"]);
    // A duplicated row merges into its day and adds its value, as lifetimes does.
    let duplicated = format!("{sorted}a,1997-01-10,3\n");
    let d = summarize(&duplicated, &options()).unwrap();
    assert_eq!(d.frequency, a.frequency);
    assert_eq!(d.monetary_value[0], (2.0 + 3.0 + 3.0) / 2.0);
}

#[test]
fn a_single_customer_and_no_repeat_buyers() {
    let s = summarize("id,day,amount\nsolo,2001-05-05,9\n", &options()).unwrap();
    assert_eq!(s.customer_ids, ["solo"]);
    assert_eq!(
        (s.frequency[0], s.recency[0], s.t[0], s.monetary_value[0]),
        (0.0, 0.0, 0.0, 0.0)
    );
    assert_eq!(s.calibration_end, "2001-05-05");
}

#[test]
fn customers_starting_after_calibration_are_excluded_and_counted() {
    let text = "id,day,amount\na,1997-01-01,1\nb,1997-03-01,1\nb,1997-03-02,1\n";
    let o = Options {
        calibration_end: Some("1997-02-01".to_owned()),
        ..options()
    };
    let s = summarize(text, &o).unwrap();
    assert_eq!(s.customer_ids, ["a"]);
    assert_eq!(s.excluded_customers, 1);
    assert_eq!(s.t, [31.0]);
    let early = Options {
        calibration_end: Some("1990-01-01".to_owned()),
        ..options()
    };
    assert_eq!(
        error(text, &early),
        "calibrationEnd: 1990-01-01 is before every customer's first purchase \
         (the first is on 1997-01-01)"
    );
    let bad = Options {
        calibration_end: Some("1997-02-29".to_owned()),
        ..options()
    };
    assert_eq!(
        error(text, &bad),
        "calibrationEnd: '1997-02-29' is not a valid date (expected YYYY-MM-DD)"
    );
    let day_first = Options {
        date_format: DateFormat::DayFirst,
        ..bad
    };
    assert_eq!(
        error("id,day,amount\na,01/02/1997,1\n", &day_first),
        "calibrationEnd: '1997-02-29' is not a valid date (expected DD/MM/YYYY or YYYY-MM-DD)"
    );
    let backwards = Options {
        observation_end: Some("1997-01-15".to_owned()),
        ..o
    };
    assert!(error(text, &backwards).starts_with("observationEnd: 1997-01-15 is before"));
}

#[test]
fn ambiguous_dates_ask_for_a_format() {
    let text = "id,day\na,01/02/1997\na,03/04/1997\n";
    let o = Options {
        date_format: DateFormat::Auto,
        ..Options::new("id", "day")
    };
    assert!(error(text, &o).starts_with("dateFormat: every date could be"));
    let o = Options {
        date_format: DateFormat::DayFirst,
        ..o
    };
    let s = summarize(text, &o).unwrap();
    // 1 February to 3 April 1997: 28 days to 1 March, 31 to 1 April, 2 more.
    assert_eq!(s.recency[0], 61.0 / 7.0);
}

#[test]
fn dates_in_both_orders_are_an_error_not_skipped_rows() {
    // 13 February month-first, then 13 February day-first: the file contradicts itself.
    let text = "id,day\na,02/13/1997\na,03/01/1997\nb,13/02/1997\n";
    let o = Options {
        date_format: DateFormat::Auto,
        ..Options::new("id", "day")
    };
    let e = error(text, &o);
    assert!(
        e.starts_with("dateFormat: the date column mixes the two orders"),
        "{e}"
    );
    assert!(
        e.contains("'13/02/1997' on line 4 can only be DD/MM/YYYY"),
        "{e}"
    );
    // Told the order, the rows in the other one are bad dates, as for any format given.
    let o = Options {
        date_format: DateFormat::MonthFirst,
        ..o
    };
    let s = summarize(text, &o).unwrap();
    assert_eq!((s.customer_ids.len(), s.skipped_count), (1, 1));
    // A date that fits neither order is a bad date, not a contradiction.
    let text = "id,day\na,02/13/1997\na,13/13/1997\na,03/01/1997\n";
    let s = summarize(
        text,
        &Options {
            date_format: DateFormat::Auto,
            ..o
        },
    )
    .unwrap();
    assert_eq!((s.frequency[0], s.skipped_count), (1.0, 1));
}

#[test]
fn non_utf8_bytes_are_read() {
    let bytes = b"id,day,amount\r\n\r\ncaf\xe9,1997-01-01,1\ncaf\xe9,1997-01-08,2\ncaf\xc3\xa9,1997-01-01,5\n";
    let s = summarize_bytes(bytes, &options()).unwrap();
    assert_eq!(s.customer_ids, ["caf\u{fffd}", "caf\u{e9}"]);
    assert_eq!(s.frequency, [1.0, 0.0]);
}

fn check_consistent(result: Result<Summary, DataError>) {
    let Ok(s) = result else { return };
    let n = s.customer_ids.len();
    assert!(n > 0);
    for v in [
        &s.frequency,
        &s.recency,
        &s.t,
        &s.monetary_value,
        &s.holdout_frequency,
    ] {
        assert_eq!(v.len(), n);
        assert!(v.iter().all(|x| x.is_finite() && *x >= 0.0));
    }
    for i in 0..n {
        assert!(s.recency[i] <= s.t[i]);
        assert_eq!(s.frequency[i] == 0.0, s.recency[i] == 0.0);
    }
    assert!(s.skipped.len() <= s.skipped_count && s.skipped_count <= s.rows);
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x9e37_79b9_7f4a_7c15);
    let alphabet = b"ab,;\"\r\n0123456789-/. \xff\xc3";
    let mut auto = options();
    auto.date_format = DateFormat::Auto;
    for _ in 0..2000 {
        let len = (rng.next_u64() % 200) as usize;
        let mut bytes: Vec<u8> = b"id,day,amount\n".to_vec();
        for _ in 0..len {
            let r = rng.next_u64();
            bytes.push(if r.is_multiple_of(4) {
                r as u8 >> 3
            } else {
                alphabet[(r >> 8) as usize % alphabet.len()]
            });
        }
        check_consistent(summarize_bytes(&bytes, &options()));
        check_consistent(summarize_bytes(&bytes, &auto));
        check_consistent(summarize_bytes(&bytes[14..], &options()));
        if let Ok(i) = inspect(&bytes[14..]) {
            for guess in [&i.customer_column, &i.date_column, &i.value_column] {
                assert!(guess.iter().all(|name| i.columns.contains(name)));
            }
        }
    }
}

#[test]
fn mutated_logs_never_panic() {
    let base = b"id,day,amount\na,1997-01-01,1\na,1997-01-09,2.5\nb,1997-02-01,3\nb,1997-02-01,1\n\"c,d\",1997-03-01,4\n";
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
    for _ in 0..5000 {
        let mut bytes = base.to_vec();
        for _ in 0..1 + rng.next_u64() % 4 {
            let at = (rng.next_u64() as usize) % bytes.len();
            let byte = rng.next_u64() as u8;
            match rng.next_u64() % 3 {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        check_consistent(summarize_bytes(&bytes, &options()));
    }
}

#[test]
fn daily_counts_cover_the_customers_summarised() {
    // a: days 1, 3 (twice), 6 | 9; b: day 3 | 8, 8, 12 (after the observation end); c starts after
    // calibration, left out. Calibration 1997-01-01 … 1997-01-06, holdout 1997-01-07 … 1997-01-10.
    let text = "id,day,amount\n\
                a,1997-01-01,1\n\
                a,1997-01-03,1\n\
                b,1997-01-03,1\n\
                a,1997-01-03,1\n\
                a,1997-01-06,1\n\
                b,1997-01-08,1\n\
                b,1997-01-08,1\n\
                a,1997-01-09,1\n\
                c,1997-01-09,1\n\
                b,1997-01-12,1\n";
    let o = Options {
        calibration_end: Some("1997-01-06".to_owned()),
        observation_end: Some("1997-01-10".to_owned()),
        ..options()
    };
    let s = summarize(text, &o).unwrap();
    assert_eq!(s.customer_ids, ["a", "b"]);
    assert_eq!(s.first_purchases_by_day, [1.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    assert_eq!(s.calibration_repeats_by_day, [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
    assert_eq!(s.holdout_repeats_by_day, [0.0, 1.0, 1.0, 0.0]);
    assert_eq!(s.frequency, [2.0, 0.0]);
    assert_eq!(s.holdout_frequency, [1.0, 1.0]);
    // Two thirds of 1997-01-01 … 1997-01-12 (11 days): 7.33 → 1997-01-08.
    assert_eq!(s.suggested_calibration_end, "1997-01-08");
    assert_eq!(s.time_unit, TimeUnit::Day);
}

#[test]
fn a_month_is_the_mean_gregorian_month_in_every_unit() {
    assert_eq!(TimeUnit::Day.per_month(), 30.4375);
    assert_eq!(TimeUnit::Week.per_month(), 30.4375 / 7.0);
    assert_eq!(TimeUnit::Month.per_month(), 1.0);
}

/// Amounts as shops write them: decimal commas decided from the values (a value read before the
/// decision corrected), currency markers kept to one currency, and the `decimal` option.
#[test]
fn amounts_with_decimal_commas_and_currency_markers() {
    let text =
        "id;day;amount\na;1997-01-01;1,250\na;1997-01-05;€46,64\na;1997-01-09;1.234,50 EUR\n";
    let s = summarize(text, &options()).unwrap();
    assert_eq!(s.decimal, Decimal::Comma);
    assert_eq!(s.currency.as_deref(), Some("EUR"));
    // The first day's 1,250 (1.25) is left out of the mean of the repeats, as always.
    assert_eq!(s.monetary_value, [(46.64 + 1234.5) / 2.0]);
    let mixed = "id,day,amount\na,1997-01-01,€5\na,1997-01-02,$5\n";
    assert_eq!(
        error(mixed, &options()),
        "valueColumn: mixes currencies: EUR (line 2) and USD (line 3); summarise one currency at a time"
    );
    let both = "id;day;amount\na;1997-01-01;1.5\na;1997-01-02;2,5\n";
    assert!(error(both, &options()).starts_with(
        "decimal: the values mix decimal points (line 2: '1.5') and decimal commas (line 3: '2,5')"
    ));
    let either = "id,day,amount\na,1997-01-01,\"1,250\"\na,1997-01-02,\"2,500\"\n";
    assert!(error(either, &options()).starts_with("decimal: every separator could be"));
    let told = Options {
        decimal: Decimal::Point,
        ..options()
    };
    let s = summarize(either, &told).unwrap();
    assert_eq!((s.decimal, s.monetary_value[0]), (Decimal::Point, 2500.0));
    let told = Options {
        decimal: Decimal::Comma,
        ..options()
    };
    assert_eq!(summarize(either, &told).unwrap().monetary_value, [2.5]);
    // Without a value column nothing is decided: the point is reported.
    let plain = Options {
        value_column: None,
        ..options()
    };
    assert_eq!(summarize(either, &plain).unwrap().decimal, Decimal::Point);
}

/// An orders export shaped like Shopify's: line items of one order merged, voided and refunded
/// orders left out by status, a partial refund deducted; the truth by hand: ann buys on 9 March,
/// 2 April (100 − 30 refunded) and 1 May (1,250), bob once, cem never (voided).
#[test]
fn a_shop_export_merges_line_items_and_leaves_out_what_was_not_paid() {
    let text = "Name,Email,Financial Status,Paid at,Subtotal,Refunded Amount,Lineitem name
#1001,ann@example.com,paid,2024-03-09 10:00:00 +0100,40.00,0.00,Mug
#1001,ann@example.com,,,,,Plate
#1002,bob@example.com,paid,2024-03-10 11:00:00 +0100,25.00,0.00,Bowl
#1003,ann@example.com,partially_refunded,2024-04-02 09:00:00 +0200,100.00,30.00,Table
#1004,cem@example.com,voided,2024-04-05 11:00:00 +0200,12.00,0.00,Cup
#1005,bob@example.com,refunded,2024-04-06 11:00:00 +0200,10.00,10.00,Cup
#1006,ann@example.com,paid,2024-05-01 12:00:00 +0200,\"1,250.00\",0.00,Sofa
#1006,ann@example.com,,,,,Cushion
";
    let options = Options {
        value_column: Some("Subtotal".to_owned()),
        order_column: Some("Name".to_owned()),
        status_column: Some("Financial Status".to_owned()),
        refund_column: Some("Refunded Amount".to_owned()),
        time_unit: TimeUnit::Day,
        ..Options::new("Email", "Paid at")
    };
    let s = summarize(text, &options).unwrap();
    assert_eq!(s.customer_ids, ["ann@example.com", "bob@example.com"]);
    assert_eq!(s.frequency, [2.0, 0.0]);
    assert_eq!(s.monetary_value, [(70.0 + 1250.0) / 2.0, 0.0]);
    assert_eq!(s.skipped_count, 0);
    assert_eq!(s.orders.line_items_merged, 2);
    assert_eq!(s.orders.excluded_by_status, 2);
    assert_eq!(
        (s.orders.refunds_deducted, s.orders.refunded_removed),
        (1, 0)
    );
    let paid = s
        .orders
        .statuses
        .iter()
        .find(|c| c.status == "paid")
        .unwrap();
    assert_eq!((paid.rows, paid.excluded), (3, false));
    assert!(s
        .orders
        .statuses
        .iter()
        .any(|c| c.status == "voided" && c.excluded));
}

/// A payments export shaped like Stripe's: a failed charge left out by status, a partial refund
/// deducted, a charge refunded in full left out (its customer with it); with `refunds: "remove"`
/// the partly refunded charge goes too.
#[test]
fn a_payments_export_deducts_refunds_or_removes_refunded_charges() {
    let text = "id,Created date (UTC),Amount,Amount Refunded,Status,Customer ID
ch_1,2024-01-03 10:00:00,20.00,0.00,Paid,cus_A
ch_2,2024-01-05 11:00:00,15.50,0.00,Failed,cus_B
ch_3,2024-02-03 09:30:00,20.00,5.00,Paid,cus_A
ch_4,2024-02-07 12:00:00,9.99,9.99,Paid,cus_C
";
    let options = Options {
        value_column: Some("Amount".to_owned()),
        status_column: Some("Status".to_owned()),
        refund_column: Some("Amount Refunded".to_owned()),
        ..Options::new("Customer ID", "Created date (UTC)")
    };
    let s = summarize(text, &options).unwrap();
    assert_eq!(s.customer_ids, ["cus_A"]);
    assert_eq!((s.frequency[0], s.monetary_value[0]), (1.0, 15.0));
    assert_eq!(s.orders.excluded_by_status, 1);
    assert_eq!(
        (s.orders.refunds_deducted, s.orders.refunded_removed),
        (1, 1)
    );
    assert_eq!(s.excluded_customers, 0);
    let remove = Options {
        refunds: Refunds::Remove,
        ..options.clone()
    };
    let s = summarize(text, &remove).unwrap();
    assert_eq!((s.frequency[0], s.orders.refunded_removed), (0.0, 2));
    // Told which statuses to leave out, the failed charge counts.
    let own = Options {
        exclude_statuses: Some(vec!["refunded".to_owned()]),
        ..options.clone()
    };
    assert_eq!(
        summarize(text, &own).unwrap().customer_ids,
        ["cus_A", "cus_B"]
    );
    let no_value = Options {
        value_column: None,
        ..options
    };
    assert_eq!(
        error(text, &no_value),
        "refundColumn: needs options.valueColumn: a refund reduces a purchase's value"
    );
}

/// Dates as exports write them: Excel serials (with `dateFormat: "excel"`, as the inspection proposes
/// for a date column of them) and ISO week dates (read as ISO: the week's Monday).
#[test]
fn excel_serials_and_iso_weeks_are_dates() {
    let text = "id;day;amount\na;35431;5\na;35461,5;6\n";
    let o = Options {
        date_format: DateFormat::Excel,
        ..options()
    };
    let s = summarize(text, &o).unwrap();
    assert_eq!(
        (s.first_date.as_str(), s.last_date.as_str()),
        ("1997-01-01", "1997-01-31")
    );
    assert_eq!(s.recency, [30.0]);
    let weeks = "id,day,amount\na,1997-W01,5\na,1997-W03-2,6\n";
    let s = summarize(weeks, &options()).unwrap();
    // 1997-W01 begins on Monday 30 December 1996 (1 January 1997 was a Wednesday).
    assert_eq!(s.first_date, "1996-12-30");
    assert_eq!(s.recency, [15.0]);
}

/// `utcOffset`: UTC timestamps counted on the shop's days (23:30 UTC on the 9th is the 10th at
/// +01:00, so two purchases on one local day are one transaction); a bad offset names the option.
#[test]
fn timestamps_are_counted_on_the_shops_days() {
    let text = "id,day,amount\na,2024-03-09T23:30:00Z,5\na,2024-03-10T08:00:00Z,6\na,2024-03-12T10:00:00Z,7\n";
    let plain = summarize(text, &options()).unwrap();
    assert_eq!(plain.frequency, [2.0]);
    let local = Options {
        utc_offset: Some("+01:00".to_owned()),
        ..options()
    };
    let s = summarize(text, &local).unwrap();
    assert_eq!(s.first_date, "2024-03-10");
    assert_eq!((s.frequency[0], s.monetary_value[0]), (1.0, 7.0));
    let bad = Options {
        utc_offset: Some("CET".to_owned()),
        ..options()
    };
    assert!(error(text, &bad).starts_with("utcOffset: must be an offset such as +01:00"));
}

/// Month-name dates as BigCommerce (RFC 2822) and spreadsheets write them, guessed with `dateFormat:
/// "auto"`, and slashed dates with a time of day: 23 Sep to 7 Oct 2024 is 14 days.
#[test]
fn month_names_and_times_of_day_are_dates() {
    let auto = Options {
        date_format: DateFormat::Auto,
        ..options()
    };
    for text in [
        "id,day,amount\na,\"Mon, 23 Sep 2024 14:21:24 +0000\",5\na,\"Mon, 07 Oct 2024 09:00:00 +0000\",6\n",
        "id,day,amount\na,\"Sep 23, 2024\",5\na,\"October 7th, 2024\",6\n",
        "id,day,amount\na,9/23/2024 2:21 PM,5\na,10/7/2024 9:00 AM,6\n",
    ] {
        let s = summarize(text, &auto).unwrap();
        assert_eq!(
            (s.first_date.as_str(), s.last_date.as_str(), s.recency[0]),
            ("2024-09-23", "2024-10-07", 14.0),
            "{text}"
        );
    }
}

/// Refund rows (negative values) net against the customer's latest earlier purchase: an earlier
/// day's, or that day's earlier in the file (not one later in the file on the same day); a purchase
/// refunded in full, or beyond, is left out; a refund with nothing before it is skipped.
#[test]
fn refund_rows_net_against_the_latest_earlier_purchase() {
    let text = "id,day,amount\n\
                a,1997-01-01,10\n\
                b,1997-01-02,-3\n\
                a,1997-01-05,40\n\
                a,1997-01-05,-15\n\
                a,1997-01-05,7\n\
                b,1997-01-03,20\n\
                b,1997-01-04,-25\n\
                c,1997-01-06,30\n\
                c,1997-01-06,-30\n\
                a,1997-01-09,-2\n";
    let s = summarize(text, &options()).unwrap();
    // a: 10 on the 1st; 40 − 15 = 25 and 7 on the 5th (one day: 32), less 2 from the 7 on the 9th's
    // refund (the 7 is the latest purchase before it): 10, then 30 on the 5th. b: the −3 before any
    // purchase is skipped, the 20 refunded beyond its value is left out. c: refunded in full.
    assert_eq!(s.customer_ids, ["a"]);
    assert_eq!(s.frequency, [1.0]);
    assert_eq!(s.monetary_value, [30.0]);
    assert_eq!(s.skipped_count, 1);
    assert_eq!(s.skipped[0].line, 3);
    assert!(s.skipped[0]
        .reason
        .starts_with("refund (negative value -3) with no earlier purchase"));
    assert_eq!(
        (s.orders.refund_rows_netted, s.orders.refunded_removed),
        (4, 2)
    );
}

/// `options()` reading `channel` (categorical) and `age` (numeric) as attributes.
fn with_attributes(missing: MissingAttributes) -> Options {
    Options {
        attributes: Some(vec!["channel".to_owned()]),
        numeric_attributes: Some(vec!["age".to_owned()]),
        missing_attributes: missing,
        ..options()
    }
}

#[test]
fn attributes_give_each_customer_one_level_or_number() {
    // Levels in the order the summary's customers first show them, whatever rows carry the value
    // (a blank field is not a value); a numeric value written two ways is one number; a customer
    // whose first purchase is after the calibration end takes no part.
    let text = "id,day,amount,channel,age\n\
                a,1997-01-01,10,web,30\n\
                b,1997-01-02,5, store ,41\n\
                a,1997-01-05,40,,30.0\n\
                c,1997-01-06,30,,\n\
                c,1997-01-07,3,web,2.5e1\n\
                d,1997-02-01,8,phone,50\n";
    let o = Options {
        calibration_end: Some("1997-01-31".to_owned()),
        ..with_attributes(MissingAttributes::Level)
    };
    let s = summarize(text, &o).unwrap();
    assert_eq!(s.customer_ids, ["a", "b", "c"]);
    assert_eq!(s.attributes.len(), 2);
    assert_eq!(s.attributes[0].0, "channel");
    assert_eq!(
        s.attributes[0].1,
        Attribute::Categorical {
            levels: vec!["web".to_owned(), "store".to_owned()],
            codes: vec![0, 1, 0],
        }
    );
    assert_eq!(s.attributes[1].0, "age");
    assert_eq!(
        s.attributes[1].1,
        Attribute::Numeric {
            values: vec![30.0, 41.0, 25.0]
        }
    );
    assert_eq!(s.attribute_dropped_customers, 0);
}

#[test]
fn a_customer_without_a_value_gets_the_missing_level_or_is_dropped() {
    let text = "id,day,amount,channel,age\n\
                a,1997-01-01,10,web,30\n\
                b,1997-01-02,5,,41\n\
                a,1997-01-05,40,web,30\n\
                c,1997-01-06,30,web,\n\
                b,1997-01-09,7,,41\n";
    let level = Options {
        numeric_attributes: None,
        ..with_attributes(MissingAttributes::Level)
    };
    let s = summarize(text, &level).unwrap();
    assert_eq!(
        s.attributes[0].1,
        Attribute::Categorical {
            levels: vec!["web".to_owned(), MISSING_LEVEL.to_owned()],
            codes: vec![0, 1, 0],
        }
    );
    // A number has no missing level.
    let e = error(text, &with_attributes(MissingAttributes::Level));
    assert!(
        e.starts_with("numericAttributes: column 'age' is blank on every row of a customer"),
        "{e}"
    );
    // Dropped: b (no channel) and c (no age) leave, and the counts by day leave with them.
    let s = summarize(text, &with_attributes(MissingAttributes::Drop)).unwrap();
    assert_eq!(s.customer_ids, ["a"]);
    assert_eq!(s.attribute_dropped_customers, 2);
    assert_eq!(s.first_purchases_by_day.iter().sum::<f64>(), 1.0);
    assert_eq!(s.calibration_repeats_by_day.iter().sum::<f64>(), 1.0);
}

#[test]
fn bad_attribute_columns_are_errors_that_name_them() {
    let text = "id,day,amount,channel,age\n\
                a,1997-01-01,10,web,30\n\
                b,1997-01-02,5,store,41\n\
                a,1997-01-05,40,store,30\n";
    let e = error(text, &with_attributes(MissingAttributes::Level));
    assert_eq!(
        e,
        "attributes: column 'channel' changes for customer a: 'web' on line 2, 'store' on line 4; \
         an attribute describes the customer (one value on all their rows)"
    );
    let numbers = "id,day,amount,channel,age\na,1997-01-01,10,web,30\nb,1997-01-02,5,web,forty\n";
    assert_eq!(
        error(numbers, &with_attributes(MissingAttributes::Level)),
        "numericAttributes: column 'age' is not a number on line 3 (\"forty\")"
    );
    let named = |attributes: &[&str]| Options {
        attributes: Some(attributes.iter().map(|a| (*a).to_owned()).collect()),
        ..options()
    };
    assert_eq!(
        error(numbers, &named(&["chanel"])),
        "attributes: no column named 'chanel' (columns: id, day, amount, channel, age)"
    );
    assert!(error(numbers, &named(&["amount"]))
        .starts_with("attributes: column 'amount' is already read"));
    assert_eq!(
        error(numbers, &named(&["channel", "Channel"])),
        "attributes: column 'channel' is named twice"
    );
    let blank = "id,day,amount,channel\na,1997-01-01,10,\nb,1997-01-02,5, \n";
    assert_eq!(
        error(blank, &named(&["channel"])),
        "attributes: column 'channel' is blank on every row"
    );
}

#[test]
fn levels_too_many_or_too_small_are_errors() {
    let rows: String = (0..=MAX_LEVELS)
        .map(|i| format!("c{i},1997-01-01,1,level{i}\n"))
        .collect();
    let text = format!("id,day,amount,channel\n{rows}");
    let o = Options {
        attributes: Some(vec!["channel".to_owned()]),
        ..options()
    };
    assert!(error(&text, &o).starts_with(&format!(
        "attributes: column 'channel' has more than {MAX_LEVELS} distinct values"
    )));
    let text =
        "id,day,amount,channel\na,1997-01-01,1,web\nb,1997-01-01,1,web\nc,1997-01-02,1,fax\n";
    let o = Options {
        min_level_customers: Some(2.0),
        ..o
    };
    assert_eq!(
        error(text, &o),
        "attributes: column 'channel' has levels with fewer than minLevelCustomers (2) customers: \
         'fax' (1); merge them (into \"other\", say) or lower minLevelCustomers"
    );
    let o = Options {
        min_level_customers: Some(0.5),
        ..o
    };
    assert_eq!(
        error(text, &o),
        "minLevelCustomers: must be a whole number of customers, at least 1 (got 0.5)"
    );
}
