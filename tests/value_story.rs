//! The value story against closed forms written here from the model's definition: Gupta & Lehmann's
//! (2003, "Customers as assets", *Journal of Interactive Marketing* 17(1)) `m·r/(1 + d − r)` for a
//! customer over a long horizon, the exact integral of an effect's range, payback by hand, and the
//! simulated gain against the expected one within its standard error.

mod common;

use clvlab::montecarlo::{simulate_equity, EquityConfig};
use clvlab::value_story::{
    story_chunk, summarize_story, value_story, StoryChunk, ValueStory, ValueStoryInput,
};
use common::precision::{
    assert_abs, assert_rel, Abs, CLOSED_FORM, DIFFERENCE, MC_SHARE_OF_2000, ROUNDING,
    SIMPSON_EFFECT, ULPS,
};

/// The story of an input written as JSON fields without the braces.
fn story(fields: &str) -> ValueStory {
    value_story(&input(fields)).unwrap()
}

fn input(fields: &str) -> ValueStoryInput {
    serde_json::from_str(&format!("{{ {fields} }}")).unwrap()
}

/// Gupta & Lehmann's value of a customer who pays `m` at the end of each period while retained.
fn gupta_lehmann(m: f64, r: f64, d: f64) -> f64 {
    m * r / (1.0 + d - r)
}

#[test]
fn before_and_after_are_gupta_and_lehmann() {
    // 1,200 periods at 10 %: (r/(1 + d))^1200 is below 1e-100, so the finite sums are the perpetuity.
    let s = story(
        r#""customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 1200,
           "improvement": { "churn": -0.25, "margin": 0.1 }, "runs": 1, "seed": 1"#,
    );
    let before = 1000.0 * gupta_lehmann(100.0, 0.8, 0.1);
    let after = 1000.0 * gupta_lehmann(110.0, 0.85, 0.1);
    assert_rel("before", s.equity_before, before, CLOSED_FORM);
    assert_rel("after", s.equity_after, after, CLOSED_FORM);
    assert_rel("gain", s.gain.expected, after - before, DIFFERENCE);
    // A fixed effect: both ends are the effect.
    assert_eq!(s.gain.low, s.gain.high);
    assert_rel("low", s.gain.low, s.gain.expected, ROUNDING);
}

#[test]
fn new_customers_are_valued_when_won() {
    // λ new customers at the start of each period s = 0, 1, …, each costing c and then worth a
    // Gupta–Lehmann customer: λ·(m·r/(1 + d − r) − c)·Σ_s (1 + d)^−s = λ·(…)·(1 + d)/d.
    let s = story(
        r#""customers": 0, "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 1200,
           "newCustomers": 50, "acquisitionCost": 120,
           "improvement": { "acquisitionCost": -0.25 }, "runs": 1, "seed": 1"#,
    );
    let value = |c: f64| 50.0 * (gupta_lehmann(100.0, 0.8, 0.1) - c) * 1.1 / 0.1;
    assert_rel("before", s.equity_before, value(120.0), CLOSED_FORM);
    assert_rel("after", s.equity_after, value(90.0), CLOSED_FORM);
}

#[test]
fn a_range_is_averaged_over_the_effect() {
    // Churn 20 % cut by 10 % to 20 %: r(u) runs linearly from r0 = 0.82 to r1 = 0.84, and
    // ∫₀¹ r(u)ᵗ du = (r1^(t+1) − r0^(t+1)) / ((t + 1)(r1 − r0)).
    let (n, m, d, horizon) = (1000.0, 100.0, 0.1_f64, 20);
    let s = story(&format!(
        r#""customers": {n}, "margin": {m}, "retention": 0.8, "discountRate": {d}, "horizon": {horizon},
           "improvement": {{ "churn": {{ "from": -0.1, "to": -0.2 }} }}, "runs": 1, "seed": 1"#
    ));
    let (r0, r1) = (0.82_f64, 0.84_f64);
    let value = |power: &dyn Fn(i32) -> f64| {
        (1..=horizon)
            .map(|t| n * m * power(t) / (1.0 + d).powi(t))
            .sum::<f64>()
    };
    let averaged = value(&|t| (r1.powi(t + 1) - r0.powi(t + 1)) / (f64::from(t + 1) * (r1 - r0)));
    let before = value(&|t| 0.8_f64.powi(t));
    assert_rel("after", s.equity_after, averaged, SIMPSON_EFFECT);
    assert_rel(
        "low end",
        s.gain.low,
        value(&|t| r0.powi(t)) - before,
        DIFFERENCE,
    );
    assert_rel(
        "high end",
        s.gain.high,
        value(&|t| r1.powi(t)) - before,
        DIFFERENCE,
    );
    let cumulative = &s.cumulative;
    assert_eq!(cumulative.gain.len(), horizon as usize + 1);
    assert_eq!(
        cumulative.gain[0], 0.0,
        "nothing is paid at time 0 without acquisition"
    );
    assert_rel(
        "cumulative",
        cumulative.gain[horizon as usize],
        s.gain.expected,
        ROUNDING,
    );
}

#[test]
fn a_margin_rise_scales_every_run_of_the_base() {
    // Same customers, 10 % more margin each: on common random numbers the gain of each run is exactly
    // 10 % of the base's equity in that run, so its percentiles are a tenth of simulateEquity's.
    let s = story(
        r#""customers": 500, "margin": 40, "retention": 0.7, "discountRate": 0.05, "horizon": 8,
           "improvement": { "margin": 0.1 }, "runs": 400, "seed": 9"#,
    );
    let base: EquityConfig = serde_json::from_str(
        r#"{ "segments": [{ "customers": 500, "margin": 40, "retention": 0.7 }],
             "discountRate": 0.05, "horizon": 8, "runs": 400, "seed": 9 }"#,
    )
    .unwrap();
    let equity = simulate_equity(&base).unwrap().equity;
    let (gain, p) = (&s.simulated.gain.percentiles, &equity.percentiles);
    for (what, got, want) in [
        ("p5", gain.p5, p.p5),
        ("p50", gain.p50, p.p50),
        ("p95", gain.p95, p.p95),
    ] {
        assert_rel(what, got, 0.1 * want, ROUNDING);
    }
    assert_eq!(s.simulated.prob_positive, 1.0);
}

#[test]
fn the_simulated_gain_is_the_expected_gain() {
    // Churn, margin and acquisition cost improved together over a range, with new customers: the mean
    // simulated gain within 4 standard errors of the integrated closed form; a price equal to the
    // gain at the range's middle is beaten in about half the runs.
    let base = r#""customers": 10000, "margin": 20, "retention": 0.75, "discountRate": 0.01, "horizon": 12,
        "newCustomers": 400, "acquisitionCost": 30, "runs": 2000, "seed": 3"#;
    let improvement = r#""improvement": { "churn": { "from": -0.1, "to": -0.3 }, "margin": { "from": 0, "to": 0.1 },
        "acquisitionCost": { "from": 0, "to": -0.2 } }"#;
    let middle = story(&format!(
        r#"{base}, "improvement": {{ "churn": -0.2, "margin": 0.05, "acquisitionCost": -0.1 }}"#
    ));
    // A per-period price whose present value over 12 periods is the middle gain.
    let annuity: f64 = (1..=12).map(|t| 1.01_f64.powi(-t)).sum();
    let s = story(&format!(
        r#"{base}, {improvement}, "price": {{ "perPeriod": {} }}"#,
        middle.gain.expected / annuity
    ));
    let gain = &s.simulated.gain;
    let standard_error = gain.std_dev / f64::from(s.simulated.runs).sqrt();
    assert_abs(
        "mean gain",
        gain.mean,
        s.gain.expected,
        Abs::standard_errors(standard_error),
    );
    assert_rel(
        "price value",
        s.price_value.unwrap(),
        middle.gain.expected,
        ROUNDING,
    );
    let share = s.simulated.prob_above_price.unwrap();
    assert_abs("P(gain > price)", share, 0.5, MC_SHARE_OF_2000);
    assert!(gain.percentiles.p5 > s.gain.low * 0.9 && gain.percentiles.p95 < s.gain.high * 1.1);
}

#[test]
fn payback_is_when_the_gain_reaches_the_price() {
    // No churn, no discounting: 10 % more margin on 1,000 customers at 100 is 10,000 a period, so an
    // upfront price of 35,000 is paid back at t = 4 (30,000 < 35,000 ≤ 40,000); with 2,500 a period
    // on top, the gain reaches the price when 10,000·t ≥ 35,000 + 2,500·t, at t = 5.
    let fields = r#""customers": 1000, "margin": 100, "retention": 1, "discountRate": 0, "horizon": 10,
        "improvement": { "margin": 0.1 }, "runs": 2, "seed": 1"#;
    let upfront = story(&format!(r#"{fields}, "price": {{ "upfront": 35000 }}"#));
    assert_eq!(upfront.payback, Some(4));
    assert_eq!(upfront.price_value, Some(35_000.0));
    let both = story(&format!(
        r#"{fields}, "price": {{ "upfront": 35000, "perPeriod": 2500 }}"#
    ));
    assert_eq!(both.payback, Some(5));
    assert_eq!(both.price_value, Some(60_000.0));
    assert_eq!(
        both.simulated.prob_above_price,
        Some(1.0),
        "100,000 > 60,000 in every run"
    );
    let never = story(&format!(r#"{fields}, "price": {{ "perPeriod": 20000 }}"#));
    assert_eq!(never.payback, None);
    assert_eq!(never.simulated.prob_above_price, Some(0.0));
    assert_eq!(story(fields).payback, None);
}

#[test]
fn the_rule_of_thumb_on_the_prospects_numbers() {
    // A 5-point cut in defections, 20 % → 15 %: 85/0.25 against 80/0.3, +27.5 %.
    let s = story(
        r#""customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 1200,
           "improvement": { "margin": 0.01 }, "runs": 1, "seed": 1"#,
    );
    assert_rel("retention", s.rule_of_thumb.retention, 0.85, ULPS);
    assert_rel(
        "gain %",
        s.rule_of_thumb.gain_percent.unwrap(),
        27.5,
        DIFFERENCE,
    );
    // Retention above 95 %: the cut stops at no churn.
    let loyal = story(
        r#""customers": 10, "margin": 1, "retention": 0.97, "discountRate": 0.1, "horizon": 5,
           "improvement": { "margin": 0.01 }, "runs": 1, "seed": 1"#,
    );
    assert_eq!(loyal.rule_of_thumb.retention, 1.0);
}

#[test]
fn bad_input_names_the_field() {
    let good = r#""customers": 100, "margin": 10, "retention": 0.8, "discountRate": 0.1, "horizon": 5, "runs": 10, "seed": 1"#;
    let cases = [
        (r#""improvement": {}"#, "improvement: give at least one"),
        (
            r#""improvement": { "churn": 5 }"#,
            "improvement.churn: takes churn from",
        ),
        (
            r#""improvement": { "churn": { "from": -0.1, "to": -2 } }"#,
            "improvement.churn.to: must be at least -1",
        ),
        (
            r#""improvement": { "acquisitionCost": -0.1 }"#,
            "newCustomers: is 0, so improvement.acquisitionCost changes nothing",
        ),
        (
            r#""improvement": { "margin": 0.1 }, "price": { "upfront": -5 }"#,
            "price.upfront: ",
        ),
        (
            r#""improvement": { "margin": 0.1 }, "newCustomers": -1"#,
            "newCustomers: ",
        ),
    ];
    for (extra, want) in cases {
        let error = value_story(&input(&format!("{good}, {extra}")))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with(want), "{extra}: {error}");
    }
    // Each base field replaced by a bad value in turn.
    let replaced = |field: &str, value: &str| {
        let fields: Vec<String> = format!(r#"{good}, "improvement": {{ "margin": 0.1 }}"#)
            .split(", ")
            .map(
                |f| match f.trim_start().starts_with(&format!("\"{field}\"")) {
                    true => format!("\"{field}\": {value}"),
                    false => f.to_owned(),
                },
            )
            .collect();
        value_story(&input(&fields.join(", ")))
            .unwrap_err()
            .to_string()
    };
    for (field, value) in [
        ("customers", "10.5"),
        ("retention", "1.2"),
        ("horizon", "0"),
        ("runs", "0"),
        ("seed", "-1"),
    ] {
        let error = replaced(field, value);
        assert!(
            error.starts_with(&format!("{field}: ")),
            "{field} = {value}: {error}"
        );
    }
    let typo =
        serde_json::from_str::<ValueStoryInput>(&format!(r#"{{ {good}, "improvment": {{}} }}"#));
    assert!(typo.unwrap_err().to_string().contains("improvment"));
}

#[test]
fn chunks_in_any_order_tell_the_same_story_bit_for_bit() {
    let input = input(
        r#""customers": 300, "margin": 50, "retention": 0.75, "discountRate": 0.1, "horizon": 8,
           "newCustomers": 20, "acquisitionCost": 60, "price": { "upfront": 500, "perPeriod": 300 },
           "improvement": { "churn": { "from": -0.1, "to": -0.3 } }, "runs": 30, "seed": 4"#,
    );
    let whole = value_story(&input).unwrap();
    for sizes in [&[30][..], &[7, 23], &[1, 9, 20], &[10, 10, 10]] {
        let mut first = 0;
        let mut chunks: Vec<StoryChunk> = sizes
            .iter()
            .map(|&n| {
                let chunk = story_chunk(&input, first, n).unwrap();
                first += n;
                chunk
            })
            .collect();
        chunks.reverse(); // workers and yields may finish in any order
        assert_eq!(
            summarize_story(&input, &chunks).unwrap(),
            whole,
            "chunks {sizes:?}"
        );
    }
}

#[test]
fn chunks_that_miss_overlap_or_hold_non_numbers_are_refused_by_name() {
    let input = input(
        r#""customers": 100, "margin": 50, "retention": 0.8, "discountRate": 0.1, "horizon": 3,
           "improvement": { "churn": -0.2 }, "runs": 10, "seed": 1"#,
    );
    let message = |chunks: &[StoryChunk]| summarize_story(&input, chunks).unwrap_err().to_string();
    let a = story_chunk(&input, 0, 6).unwrap();
    let b = story_chunk(&input, 6, 4).unwrap();
    assert!(message(std::slice::from_ref(&a))
        .starts_with("chunks: hold 6 runs, the configuration asks for 10"));
    let overlap = story_chunk(&input, 5, 5).unwrap();
    assert!(message(&[a.clone(), overlap])
        .starts_with("chunks[1].firstRun: expected run 6 next (got 5)"));
    let mut nan = b.clone();
    nan.gains[2] = f64::NAN;
    assert!(message(&[a.clone(), nan]).starts_with("chunks[1].gains[2]: "));
    let past = story_chunk(&input, 8, 3).unwrap_err().to_string();
    assert!(
        past.starts_with("runCount: runs 8 to 11 go past the configuration's 10 runs"),
        "{past}"
    );
    assert!(story_chunk(&input, 10, 1)
        .unwrap_err()
        .to_string()
        .starts_with("firstRun: "));
    assert_eq!(
        summarize_story(&input, &[b, a]).unwrap(),
        value_story(&input).unwrap()
    );
}
