use super::*;

fn summarize(csv: &str, options: &SubscriptionOptions) -> SubscriptionSummary {
    summarize_subscriptions(csv.as_bytes(), options).unwrap()
}

fn options() -> SubscriptionOptions {
    SubscriptionOptions {
        observation_end: Some("2024-06-30".to_owned()),
        ..SubscriptionOptions::new("id", "start", "end")
    }
}

fn day(text: &str) -> i32 {
    dates::parse_date(text.as_bytes(), DateFormat::Iso).unwrap()
}

#[test]
fn anniversaries_keep_the_day_of_the_month_or_its_last_day() {
    let m = Period::Month;
    assert_eq!(
        m.anniversary(day("2024-01-31"), 1),
        i64::from(day("2024-02-29"))
    );
    assert_eq!(
        m.anniversary(day("2023-01-31"), 1),
        i64::from(day("2023-02-28"))
    );
    assert_eq!(
        m.anniversary(day("2024-01-31"), 2),
        i64::from(day("2024-03-31"))
    );
    assert_eq!(
        Period::Quarter.anniversary(day("2024-11-30"), 1),
        i64::from(day("2025-02-28"))
    );
    assert_eq!(
        Period::Year.anniversary(day("2024-02-29"), 1),
        i64::from(day("2025-02-28"))
    );
    assert_eq!(
        Period::Days(30).anniversary(day("2024-01-01"), 2),
        i64::from(day("2024-03-01"))
    );
    // Passed and exact: 15 January to 14, 15 and 16 March.
    let start = day("2024-01-15");
    assert_eq!(m.elapsed(start, day("2024-03-14")), (1, false));
    assert_eq!(m.elapsed(start, day("2024-03-15")), (2, true));
    assert_eq!(m.elapsed(start, day("2024-03-16")), (2, false));
    assert_eq!(m.elapsed(start, start), (0, true));
    assert_eq!(Period::Days(7).elapsed(start, start + 20), (2, false));
}

/// The module's rules, one subscriber each: lost in the period the end falls in (at least 1, an end
/// on an anniversary not beginning the next), censored at the anniversaries passed.
#[test]
fn tenure_counts_the_periods_begun_or_passed() {
    let csv = "id,start,end\n\
               a,2024-01-15,2024-03-10\n\
               b,2024-01-15,2024-03-15\n\
               c,2024-01-15,2024-01-15\n\
               d,2024-01-15,\n\
               e,2024-01-15,2024-09-01\n";
    let s = summarize(csv, &options());
    assert_eq!(s.customer_ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(s.tenure, [2.0, 2.0, 1.0, 5.0, 5.0]);
    assert_eq!(s.churned, [1.0, 1.0, 1.0, 0.0, 0.0]);
    assert_eq!(s.report.ends_after_observation, 1);
    assert_eq!(s.report.by_cohort.len(), 1);
    assert_eq!(s.report.by_cohort[0].label, "2024-01");
    // Alive after 0…5 months: all 5; a, b, c gone by 2, c by 1.
    assert_eq!(
        s.report.by_cohort[0].survivors,
        [5.0, 4.0, 2.0, 2.0, 2.0, 2.0]
    );
}

#[test]
fn a_customers_subscriptions_overlap_lapse_or_return() {
    let csv = "id,start,end\n\
               over,2024-01-01,2024-03-01\n\
               over,2024-02-01,2024-04-01\n\
               lapse,2024-01-01,2024-02-01\n\
               lapse,2024-02-20,2024-04-01\n\
               back,2024-01-01,2024-02-01\n\
               back,2024-04-01,\n";
    let s = summarize(csv, &options());
    assert_eq!(
        (
            s.report.overlaps_merged,
            s.report.lapses_joined,
            s.report.resubscriptions
        ),
        (1, 1, 1)
    );
    assert_eq!(s.customer_ids, ["over", "lapse", "back", "back"]);
    // over: 1 January to 1 April, 3 periods; lapse the same; back: 1 period, then 3 passed from April.
    assert_eq!(s.tenure, [3.0, 3.0, 1.0, 2.0]);
    assert_eq!(s.churned, [1.0, 1.0, 1.0, 0.0]);
    assert_eq!(s.cohort, [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(s.report.by_cohort[1].label, "2024-04");
}

#[test]
fn cohorts_go_as_far_as_all_their_members_are_seen_and_revenue_is_billed_by_period() {
    let csv = "id;start;end;plan;price\r\n\
               1;2024-01-01;2024-02-15;basic;10\r\n\
               2;2024-01-31;;pro;20\r\n\
               3;2024-03-10;2024-04-10;basic;10\r\n";
    let options = SubscriptionOptions {
        plan_column: Some("plan".to_owned()),
        price_column: Some("price".to_owned()),
        observation_end: Some("2024-05-05".to_owned()),
        ..options()
    };
    let s = summarize(csv, &options);
    assert_eq!(
        s.report.periods,
        ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    );
    // 1 bills January and February; 2 January to April (its May anniversary is the 31st); 3 March
    // (and no April bill: it ended on its anniversary).
    assert_eq!(s.report.subscribers_by_period, [2.0, 2.0, 2.0, 1.0, 0.0]);
    assert_eq!(
        s.report.revenue_by_period,
        Some(vec![30.0, 30.0, 30.0, 20.0, 0.0])
    );
    assert_eq!(
        s.plan,
        Some(vec!["basic".into(), "pro".into(), "basic".into()])
    );
    // January to tenure 3 (the 31 January starter has passed 3 anniversaries by 5 May): 1 was lost in
    // its second month; March: 3 was lost in its first.
    assert_eq!(s.report.by_cohort[0].survivors, [2.0, 2.0, 1.0, 1.0]);
    assert_eq!(s.report.by_cohort[1].survivors, [1.0, 0.0]);
}

#[test]
fn each_relationship_has_the_price_it_pays_at_its_end() {
    // a: one subscription, active. b: two overlapping, both running at the end: both paid. c: an
    // upgrade (the 10 ends the day the 25 starts): the 25. d: lost, its last price. e: a lapse of a
    // week (one relationship) and back on 30. f: two ended the same day: both.
    let csv = "id,start,end,price\n\
               a,2024-01-05,,10\n\
               b,2024-01-10,,10\n\
               b,2024-02-01,,5\n\
               c,2024-01-15,2024-03-15,10\n\
               c,2024-03-15,,25\n\
               d,2024-01-20,2024-02-25,12\n\
               e,2024-01-03,2024-02-03,8\n\
               e,2024-02-10,,30\n\
               f,2024-01-07,2024-03-01,4\n\
               f,2024-01-20,2024-03-01,6\n";
    let options = SubscriptionOptions {
        price_column: Some("price".to_owned()),
        observation_end: Some("2024-06-30".to_owned()),
        ..options()
    };
    let s = summarize(csv, &options);
    assert_eq!(s.customer_ids, ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(s.churned, [0.0, 0.0, 0.0, 1.0, 0.0, 1.0]);
    assert_eq!(s.price, Some(vec![10.0, 15.0, 25.0, 12.0, 30.0, 10.0]));
    // Without a price column there are none.
    let unpriced = SubscriptionOptions {
        price_column: None,
        ..options
    };
    assert_eq!(summarize(csv, &unpriced).price, None);
}

#[test]
fn bad_rows_are_skipped_with_their_line_and_reason() {
    let csv = "\u{feff}id,start,end,price\n\
               1,2024-01-01,,5\n\
               ,2024-01-01,,5\n\
               3,yesterday,,5\n\
               4,2024-02-01,2024-01-01,5\n\
               5,2024-02-01,,-3\n\
               6,20240201,,5\n\
               7,2024-08-01,,5\n";
    let options = SubscriptionOptions {
        price_column: Some("price".to_owned()),
        ..options()
    };
    let s = summarize(csv, &options);
    let reasons: Vec<(u64, &str)> = s
        .report
        .skipped
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(reasons[0], (3, "missing customer id"));
    assert!(
        reasons[1].1.starts_with("bad start date 'yesterday'"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].1.starts_with("end 2024-01-01 is before start"),
        "{reasons:?}"
    );
    assert!(reasons[3].1.starts_with("negative price"), "{reasons:?}");
    assert_eq!(s.report.skipped_count, 4);
    // The compact date reads though the format is ISO; the August start is after the end.
    assert_eq!(s.customer_ids, ["1", "6"]);
    assert_eq!(s.report.excluded_subscriptions, 1);
}

#[test]
fn errors_name_the_option_or_the_file() {
    let err = |csv: &str, options: &SubscriptionOptions| {
        let e = summarize_subscriptions(csv.as_bytes(), options).unwrap_err();
        (e.option(), e.to_string())
    };
    assert_eq!(err("", &options()).1, "the file is empty");
    let (option, message) = err("id,begin,end\n1,2024-01-01,\n", &options());
    assert_eq!(option, Some("startColumn"));
    assert!(message.starts_with("no column named 'start'"), "{message}");
    let (option, _) = err(
        "id,start,end\n1,2024-01-01,\n",
        &SubscriptionOptions {
            observation_end: Some("2023-01-01".to_owned()),
            ..options()
        },
    );
    assert_eq!(option, Some("observationEnd"));
    let (option, message) = err("id,start,end\n1,x,\n", &options());
    assert_eq!(option, None);
    assert!(
        message.starts_with("none of the 1 data rows is a usable subscription"),
        "{message}"
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut state = 7u64;
    let alphabet = b"id,start,end\n\r\"2024-01-3;/ \xff\xfe";
    for _ in 0..2000 {
        let len = (state % 60) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                alphabet[(state >> 33) as usize % alphabet.len()]
            })
            .collect();
        let mut text = b"id,start,end\n".to_vec();
        text.extend(bytes);
        let _ = summarize_subscriptions(&text, &options());
    }
}

/// Prices as shops write them: the decimal comma decided from the prices (the first, `1,250`, read
/// before the decision and corrected), the currency reported; two currencies are an error of
/// `priceColumn`.
#[test]
fn prices_with_decimal_commas_and_a_currency() {
    let csv = "id;start;end;price\n1;2024-01-01;2024-02-15;1,250\n2;2024-01-31;;€9,99\n";
    let options = SubscriptionOptions {
        price_column: Some("price".to_owned()),
        observation_end: Some("2024-02-20".to_owned()),
        ..options()
    };
    let s = summarize(csv, &options);
    assert_eq!(s.report.decimal, Decimal::Comma);
    assert_eq!(s.report.currency.as_deref(), Some("EUR"));
    assert_eq!(s.report.revenue_by_period, Some(vec![1.25 + 9.99, 1.25]));
    let mixed = "id;start;end;price\n1;2024-01-01;;€9\n2;2024-01-02;;£9\n";
    let e = summarize_subscriptions(mixed.as_bytes(), &options).unwrap_err();
    assert_eq!(e.option(), Some("priceColumn"));
    assert!(
        e.to_string()
            .starts_with("mixes currencies: EUR (line 2) and GBP (line 3)"),
        "{e}"
    );
}
