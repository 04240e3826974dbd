//! CLV at published and closed-form values, its properties, and its refusals of bad input.

mod common;

use clvlab::clv::{clv, ClvInput, ClvResult};
use common::precision::{
    assert_abs, assert_rel, CLOSED_FORM, DIFFERENCE, PUBLISHED_3DP, PUBLISHED_4DP, ROOT,
    ROOT_RECOMPUTED, ROOT_RESIDUAL, ROUNDING, SERIES, TABLE_TAIL,
};
use serde_json::{json, Value};

/// Reads a JSON object as a [`ClvInput`], as the wasm layer does with a JS object.
fn input(value: Value) -> ClvInput {
    serde_json::from_value(value).expect("a well-formed CLV input")
}

fn value(v: Value) -> ClvResult {
    clv(&input(v)).expect("a valid CLV input")
}

fn error(v: Value) -> String {
    clv(&input(v)).expect_err("an invalid input").to_string()
}

// Margin multiple r/(1 + d − r) of Gupta & Lehmann (2003), "Customers as assets", J. Interactive
// Marketing 17(1): 100 × 0.8/(1.1 − 0.8) = 266.667.
#[test]
fn margin_multiple_end_of_period() {
    let r = value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 }));
    assert_rel("r.clv", r.clv, 100.0 * 0.8 / 0.3, CLOSED_FORM);
    assert_abs("r.clv", r.clv, 266.667, PUBLISHED_3DP);
    // Expected number of payments Σ_{t≥1} 0.8^t = 4.
    assert_rel(
        "r.expected_lifetime",
        r.expected_lifetime.unwrap(),
        4.0,
        CLOSED_FORM,
    );
}

// The same with the first payment now: 100 × (1 + d)/(1 + d − r) = 366.667 (Gupta & Lehmann 2003).
#[test]
fn margin_multiple_start_of_period() {
    let r =
        value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "timing": "start" }));
    assert_rel("r.clv", r.clv, 100.0 * 1.1 / 0.3, CLOSED_FORM);
    assert_abs("r.clv", r.clv, 366.667, PUBLISHED_3DP);
    assert_rel(
        "r.expected_lifetime",
        r.expected_lifetime.unwrap(),
        5.0,
        CLOSED_FORM,
    );
    assert_eq!(r.periods[0].period, 0);
    assert_eq!(r.periods[0].survival, 1.0);
}

// Finite geometric sum: 100 Σ_{t=1..10} (0.8/1.1)^t = 100 x (1 − x^10)/(1 − x), x = 0.8/1.1: 255.627.
#[test]
fn finite_horizon_geometric_sum() {
    let r = value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 10 }));
    let x: f64 = 0.8 / 1.1;
    assert_rel(
        "r.clv",
        r.clv,
        100.0 * x * (1.0 - x.powi(10)) / (1.0 - x),
        CLOSED_FORM,
    );
    assert_abs("r.clv", r.clv, 255.627, PUBLISHED_3DP);
    assert_eq!(r.periods.len(), 10);
    assert_rel(
        "r.periods[9].cumulative",
        r.periods[9].cumulative,
        r.clv,
        CLOSED_FORM,
    );
    // Expected payments Σ_{t=1..10} 0.8^t.
    assert_rel(
        "r.expected_lifetime",
        r.expected_lifetime.unwrap(),
        0.8 * (1.0 - 0.8f64.powi(10)) / 0.2,
        CLOSED_FORM,
    );
}

// With growth g the ratio is x = r(1 + g)/(1 + d) and the first payment is m r/(1 + d) (end) or m
// (start): the finite geometric sums in closed form.
#[test]
fn finite_horizon_with_growth_closed_form() {
    for (timing, first) in [("end", 50.0 * 0.9 / 1.08), ("start", 50.0)] {
        let r = value(json!({
            "margin": 50, "retention": 0.9, "discountRate": 0.08, "marginGrowth": 0.03,
            "horizon": 25, "timing": timing
        }));
        let x: f64 = 0.9 * 1.03 / 1.08;
        assert_rel(
            "r.clv",
            r.clv,
            first * (1.0 - x.powi(25)) / (1.0 - x),
            CLOSED_FORM,
        );
        // The 25th payment's undiscounted expected margin is 50 × 1.03^24 × S.
        let last = r.periods[24];
        assert_rel(
            "last.expected_margin",
            last.expected_margin,
            50.0 * 1.03f64.powi(24) * last.survival,
            CLOSED_FORM,
        );
    }
}

// Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the perils of ignoring
// heterogeneity", Marketing Science 29(1): DEL(d = 0.1) = 3.6951 for the "regular"
// segment (α 0.704, β 1.182) and 5.9226 for "high end" (α 0.668, β 3.806), sBG parameters from Fader &
// Hardie (2007).
#[test]
fn fader_hardie_discounted_expected_lifetime() {
    for (alpha, beta, del) in [(0.704, 1.182, 3.6951), (0.668, 3.806, 5.9226)] {
        let r = value(json!({
            "margin": 1, "discountRate": 0.1, "timing": "start",
            "retention": { "alpha": alpha, "beta": beta }
        }));
        assert_abs("r.clv", r.clv, del, PUBLISHED_4DP);
        // α < 1: the mean lifetime is infinite even though the discounted value is finite.
        assert_eq!(r.expected_lifetime, None);
    }
}

// Fader & Hardie (2010): DERL(d = 0.1) of a high-end customer after 7 renewals = 7.530. Their closed
// form, written for a customer with n − 1 renewals, is (β + n − 1)/(α + β + n − 1) 2F1(1, β + n;
// α + β + n; 1/(1 + d)); with n − 1 = k = 7 mpmath 1.3 (hyp2f1, 30 digits) gives 7.52994953091097
// (k = 6 would give 7.345, so "7 renewals" is k = 7).
#[test]
fn fader_hardie_discounted_expected_residual_lifetime() {
    let r = value(json!({
        "margin": 1, "discountRate": 0.1, "timing": "start", "renewals": 7,
        "retention": { "alpha": 0.668, "beta": 3.806 }
    }));
    assert_abs("r.clv", r.clv, 7.530, PUBLISHED_3DP);
    assert_rel("r.clv", r.clv, 7.52994953091097, SERIES);
}

// Hypergeometric sums evaluated with mpmath 1.3 (hyp2f1 and the Beta-function survival
// S(t) = B(α, β + t)/B(α, β), 30 digits), an independent implementation.
#[test]
fn sbg_sums_match_mpmath() {
    let cases = [
        // 2F1(1, β; α + β; 1/1.1) − 1: the end-of-period DEL of the regular segment.
        (
            json!({ "margin": 1, "discountRate": 0.1, "retention": { "alpha": 0.704, "beta": 1.182 } }),
            2.69514740557457,
        ),
        // 2F1(1, β; α + β; 1.05/1.1): growth 5 % per period, start.
        (
            json!({ "margin": 1, "discountRate": 0.1, "marginGrowth": 0.05, "timing": "start",
                    "retention": { "alpha": 0.668, "beta": 3.806 } }),
            8.97846383802173,
        ),
        // End-of-period DERL after 7 renewals: 2F1(1, β + 7; α + β + 7; 1/1.1) − 1.
        (
            json!({ "margin": 1, "discountRate": 0.1, "renewals": 7,
                    "retention": { "alpha": 0.668, "beta": 3.806 } }),
            6.84540866446452,
        ),
        // DERL right after acquisition (k = 0), start.
        (
            json!({ "margin": 1, "discountRate": 0.1, "renewals": 0, "timing": "start",
                    "retention": { "alpha": 0.668, "beta": 3.806 } }),
            5.41485604837404,
        ),
        // Finite horizons: Σ_{t=1..12} S(t)/1.1^t and Σ_{t=0..11} 1.03^t S(t)/1.1^t.
        (
            json!({ "margin": 1, "discountRate": 0.1, "horizon": 12,
                    "retention": { "alpha": 0.704, "beta": 1.182 } }),
            2.31241117094201,
        ),
        (
            json!({ "margin": 1, "discountRate": 0.1, "horizon": 12, "marginGrowth": 0.03,
                    "timing": "start", "retention": { "alpha": 0.704, "beta": 1.182 } }),
            3.54392759011372,
        ),
    ];
    for (case, expected) in cases {
        assert_rel(&case.to_string(), value(case.clone()).clv, expected, SERIES);
    }
}

// With no discounting and no growth the sBG value is the expected number of payments,
// 1 + β/(α − 1) for a new customer paying now (E[1/θ] of Beta(α, β)): α 2.5, β 3 → 3.
#[test]
fn sbg_undiscounted_value_is_the_mean_lifetime() {
    let r = value(json!({
        "margin": 1, "discountRate": 0, "timing": "start", "retention": { "alpha": 2.5, "beta": 3 }
    }));
    assert_rel("r.clv", r.clv, 3.0, CLOSED_FORM);
    assert_rel(
        "r.expected_lifetime",
        r.expected_lifetime.unwrap(),
        3.0,
        CLOSED_FORM,
    );
}

// Payback: cumulative 100 x (1 − x^n)/(1 − x), x = 0.8/1.1, is 72.7, 125.6, 164.1: a cost of 150 is
// covered at period 3.
#[test]
fn payback_net_value_and_ratio() {
    let r = value(json!({
        "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 150
    }));
    assert_eq!(r.payback_period, Some(3));
    assert_rel("r.net_value", r.net_value, 800.0 / 3.0 - 150.0, CLOSED_FORM);
    assert_rel(
        "r.ltv_to_cac",
        r.ltv_to_cac.unwrap(),
        800.0 / 3.0 / 150.0,
        CLOSED_FORM,
    );

    let never = value(json!({
        "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 300
    }));
    assert_eq!(never.payback_period, None);

    let free =
        value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "timing": "start" }));
    assert_eq!(free.payback_period, Some(0));
    assert_eq!(free.ltv_to_cac, None);

    let loss = value(json!({ "margin": -10, "retention": 0.8, "discountRate": 0.1 }));
    assert_rel("loss.clv", loss.clv, -10.0 * 0.8 / 0.3, CLOSED_FORM);
    assert_eq!(loss.payback_period, None);
}

#[test]
fn infinite_table_stops_when_the_rest_is_negligible() {
    for retention in [json!(0.8), json!({ "alpha": 0.704, "beta": 1.182 })] {
        let r = value(json!({ "margin": 100, "retention": retention, "discountRate": 0.1 }));
        let last = r.periods.last().unwrap();
        assert!(r.periods.len() < 1000);
        assert_rel("last cumulative", last.cumulative, r.clv, TABLE_TAIL);
        for pair in r.periods.windows(2) {
            assert_eq!(pair[1].period, pair[0].period + 1);
            assert!(pair[1].survival <= pair[0].survival);
        }
    }
}

#[test]
fn value_rises_with_retention() {
    for timing in ["end", "start"] {
        for horizon in [json!(null), json!(5), json!(60)] {
            let mut previous = f64::NEG_INFINITY;
            for i in 0..=19 {
                let r = f64::from(i) * 0.05;
                let v = value(json!({
                    "margin": 10, "retention": r, "discountRate": 0.1, "horizon": horizon, "timing": timing
                }))
                .clv;
                assert!(
                    v > previous || (i == 0 && v >= 0.0),
                    "{timing} {horizon} r {r}"
                );
                previous = v;
            }
        }
        // sBG: a larger β (lower churn) raises the value.
        let mut previous = f64::NEG_INFINITY;
        for beta in [0.5, 1.0, 2.0, 4.0, 8.0] {
            let v = value(json!({
                "margin": 10, "retention": { "alpha": 1.0, "beta": beta }, "discountRate": 0.1, "timing": timing
            }))
            .clv;
            assert!(v > previous);
            previous = v;
        }
    }
}

#[test]
fn value_falls_with_discount_rate() {
    for retention in [json!(0.9), json!({ "alpha": 0.704, "beta": 1.182 })] {
        for horizon in [json!(null), json!(8)] {
            let mut previous = f64::INFINITY;
            for d in [0.01, 0.05, 0.1, 0.2, 0.5, 1.0] {
                let v = value(json!({
                    "margin": 10, "retention": retention, "discountRate": d, "horizon": horizon
                }))
                .clv;
                assert!(v < previous, "{retention} {horizon} d {d}");
                previous = v;
            }
        }
    }
}

#[test]
fn finite_horizons_approach_the_infinite_value() {
    for retention in [json!(0.8), json!({ "alpha": 0.668, "beta": 3.806 })] {
        let base = json!({ "margin": 100, "retention": retention, "discountRate": 0.1, "timing": "start" });
        let infinite = value(base.clone()).clv;
        let mut previous = 0.0;
        for h in [1, 10, 100, 1000, 10000] {
            let mut with = base.clone();
            with["horizon"] = json!(h);
            let v = value(with).clv;
            // Rises until the terms left out are below rounding.
            assert!(
                v >= previous && v <= infinite * (1.0 + CLOSED_FORM.0),
                "H {h}: {v}"
            );
            assert!(h > 100 || v > previous);
            previous = v;
        }
        assert_rel("previous", previous, infinite, SERIES);
    }
}

#[test]
fn end_timing_values_a_new_and_a_just_acquired_customer_alike() {
    let retention = json!({ "alpha": 0.668, "beta": 3.806 });
    let new = value(json!({ "margin": 1, "discountRate": 0.1, "retention": retention })).clv;
    let existing =
        value(json!({ "margin": 1, "discountRate": 0.1, "retention": retention, "renewals": 0 }));
    assert_rel("existing.clv", existing.clv, new, ROUNDING);
}

#[test]
fn bad_input_names_the_field() {
    let base = json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 });
    let with = |field: &str, v: Value| {
        let mut input = base.clone();
        input[field] = v;
        error(input)
    };
    for (field, bad, starts) in [
        (
            "retention",
            json!(1.2),
            "retention: must be between 0 and 1",
        ),
        ("retention", json!(-0.1), "retention:"),
        (
            "retention",
            json!({ "alpha": 0, "beta": 1 }),
            "retention.alpha:",
        ),
        (
            "retention",
            json!({ "alpha": 1, "beta": -2 }),
            "retention.beta:",
        ),
        (
            "discountRate",
            json!(-1),
            "discountRate: must be greater than -1",
        ),
        ("marginGrowth", json!(-1.5), "marginGrowth:"),
        ("acquisitionCost", json!(-5), "acquisitionCost:"),
        ("horizon", json!(2.5), "horizon: must be a whole number"),
        ("horizon", json!(0), "horizon:"),
        ("horizon", json!(10001), "horizon:"),
        ("renewals", json!(-1), "renewals:"),
        ("renewals", json!(0.5), "renewals:"),
    ] {
        let e = with(field, bad);
        assert!(e.starts_with(starts), "{e}");
    }
    let mut nan = input(base.clone());
    nan.margin = f64::NAN;
    assert!(clv(&nan)
        .unwrap_err()
        .to_string()
        .starts_with("margin: must be a finite number"));
    nan.margin = 1.0;
    nan.discount_rate = f64::INFINITY;
    assert!(clv(&nan)
        .unwrap_err()
        .to_string()
        .starts_with("discountRate:"));
}

#[test]
fn infinite_values_are_refused() {
    for case in [
        json!({ "margin": 1, "retention": 1, "discountRate": 0 }),
        json!({ "margin": 1, "retention": 0.9, "discountRate": 0.1, "marginGrowth": 0.25 }),
        json!({ "margin": 1, "retention": { "alpha": 0.7, "beta": 1.2 }, "discountRate": 0 }),
        json!({ "margin": 1, "retention": { "alpha": 3, "beta": 1.2 }, "discountRate": 0.1, "marginGrowth": 0.2 }),
    ] {
        let e = error(case.clone());
        assert!(e.starts_with("horizon: required when"), "{case}: {e}");
        assert!(e.contains("infinite"), "{e}");
    }
    // Retention 1 is fine with discounting (m (1 + d)/d at the start) or with a horizon.
    let r = value(json!({ "margin": 1, "retention": 1, "discountRate": 0.1, "timing": "start" }));
    assert_rel("r.clv", r.clv, 11.0, CLOSED_FORM);
    assert_eq!(r.expected_lifetime, None);
    let r = value(json!({ "margin": 1, "retention": 1, "discountRate": 0, "horizon": 7 }));
    assert_rel("r.clv", r.clv, 7.0, CLOSED_FORM);
}

#[test]
fn overflow_is_an_error_not_infinity() {
    let e = error(json!({
        "margin": 1, "retention": 1, "discountRate": -0.5, "horizon": 10000
    }));
    assert!(e.starts_with("horizon: too large"), "{e}");
}

#[test]
fn slowly_converging_series_ask_for_a_horizon() {
    let e = error(json!({
        "margin": 1, "retention": { "alpha": 0.5, "beta": 1 }, "discountRate": 1e-9
    }));
    assert!(e.starts_with("horizon: required here"), "{e}");
}

// ---- customer equity ----

use clvlab::equity::{customer_equity, EquityInput, EquityResult};

fn equity(v: Value) -> EquityResult {
    let input: EquityInput = serde_json::from_value(v).expect("a well-formed equity input");
    customer_equity(&input).expect("a valid equity input")
}

fn equity_error(v: Value) -> String {
    let input: EquityInput = serde_json::from_value(v).expect("a well-formed equity input");
    customer_equity(&input)
        .expect_err("an invalid input")
        .to_string()
}

// Gupta, Lehmann & Stuart (2004), "Valuing customers", JMR 41(1): the value of the current base is the
// number of customers times the margin multiple m r/(1 + d − r): 1000 × 100 × 0.8/0.3 + 500 × 50 ×
// 0.6/0.5.
#[test]
fn equity_of_current_customers_is_customers_times_margin_multiple() {
    let r = equity(json!({ "segments": [
        { "name": "loyal", "customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1 },
        { "name": "casual", "customers": 500, "margin": 50, "retention": 0.6, "discountRate": 0.1 }
    ]}));
    assert_rel(
        "r.current",
        r.current,
        1000.0 * 800.0 / 3.0 + 500.0 * 60.0,
        CLOSED_FORM,
    );
    assert_eq!(r.future, 0.0);
    assert_eq!(r.equity, r.current);
    assert_eq!(r.share, None);
    assert_eq!(r.by_segment[1].name, "casual");
    assert_rel(
        "r.by_segment[1].value_per_customer",
        r.by_segment[1].value_per_customer,
        60.0,
        CLOSED_FORM,
    );
    assert!(r.acquisition.is_none());
}

// Existing customers are valued from their next payment: with "start" timing the next renewal is now
// but uncertain, Σ_{t≥0} m r^(t+1)/(1 + d)^t = m r (1 + d)/(1 + d − r); with sBG it is Fader & Hardie's
// (2010) DERL: 7.530 after 7 renewals, 5.41485604837404 after none (mpmath 1.3 hyp2f1, 30 digits).
#[test]
fn equity_values_existing_customers_from_the_next_payment() {
    let r = equity(json!({ "segments": [
        { "name": "a", "customers": 10, "margin": 100, "retention": 0.8, "discountRate": 0.1, "timing": "start" },
        { "name": "b", "customers": 1, "margin": 1, "discountRate": 0.1, "timing": "start", "renewals": 7,
          "retention": { "alpha": 0.668, "beta": 3.806 } },
        { "name": "c", "customers": 1, "margin": 1, "discountRate": 0.1, "timing": "start",
          "retention": { "alpha": 0.668, "beta": 3.806 } }
    ]}));
    assert_rel(
        "r.by_segment[0].value_per_customer",
        r.by_segment[0].value_per_customer,
        100.0 * 0.8 * 1.1 / 0.3,
        CLOSED_FORM,
    );
    assert_abs(
        "r.by_segment[1].value_per_customer",
        r.by_segment[1].value_per_customer,
        7.530,
        PUBLISHED_3DP,
    );
    assert_rel(
        "r.by_segment[2].value_per_customer",
        r.by_segment[2].value_per_customer,
        5.41485604837404,
        SERIES,
    );
}

// Acquisition: 100 new customers a period for 5 periods, each worth the prospective margin multiple
// 266.667 minus a cost of 50, discounted with the annuity factor (1 − 1.1^−5)/0.1; competitors with the
// same equity halve the share (Rust, Moorman & Bhalla 2010).
#[test]
fn equity_adds_discounted_future_customers_and_a_share() {
    let base = json!({
        "segments": [
            { "name": "small", "customers": 10, "margin": 10, "retention": 0.5, "discountRate": 0.1 },
            { "name": "main", "customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1 }
        ],
        "acquisition": { "perPeriod": 100, "acquisitionCost": 50, "periods": 5, "segment": "main" }
    });
    let r = equity(base.clone());
    let annuity = (1.0 - 1.1f64.powi(-5)) / 0.1;
    let future = 100.0 * (800.0 / 3.0 - 50.0) * annuity;
    assert_rel("r.future", r.future, future, CLOSED_FORM);
    assert_rel("r.equity", r.equity, r.current + future, CLOSED_FORM);
    let a = r.acquisition.unwrap();
    assert_eq!(a.segment, "main");
    assert_eq!(a.customers, 500.0);
    assert_rel(
        "a.net_value_per_customer",
        a.net_value_per_customer,
        800.0 / 3.0 - 50.0,
        CLOSED_FORM,
    );

    let mut with_rival = base;
    with_rival["competitors"] = json!([{ "name": "rival", "equity": r.equity }]);
    assert_rel(
        "equity(with_rival).share",
        equity(with_rival).share.unwrap(),
        0.5,
        CLOSED_FORM,
    );
}

#[test]
fn equity_is_the_sum_of_customers_times_clv() {
    let segments = [
        json!({ "name": "a", "customers": 120, "margin": 40, "retention": 0.7, "discountRate": 0.05, "horizon": 24 }),
        json!({ "name": "b", "customers": 35.5, "margin": -5, "retention": 0.9, "discountRate": 0.05 }),
        json!({ "name": "c", "customers": 7, "margin": 12, "discountRate": 0.02, "marginGrowth": 0.01,
                "retention": { "alpha": 1.3, "beta": 2.2 }, "renewals": 3 }),
    ];
    let r = equity(json!({ "segments": segments }));
    let expected: f64 = segments
        .iter()
        .map(|s| {
            let mut c = s.clone();
            let customers = c["customers"].as_f64().unwrap();
            c.as_object_mut().unwrap().remove("name");
            c.as_object_mut().unwrap().remove("customers");
            customers * value(c).clv
        })
        .sum();
    assert_rel("r.equity", r.equity, expected, CLOSED_FORM);
}

#[test]
fn equity_errors_name_the_field() {
    let segment =
        json!({ "name": "a", "customers": 10, "margin": 1, "retention": 0.5, "discountRate": 0.1 });
    let mut bad = segment.clone();
    bad["retention"] = json!(1.2);
    for (input, starts) in [
        (
            json!({ "segments": [] }),
            "segments: must list at least one",
        ),
        (
            json!({ "segments": [segment, bad] }),
            "segments[1].retention: must be between 0 and 1",
        ),
        (
            json!({ "segments": [{ "name": "a", "customers": -1, "margin": 1, "retention": 0.5, "discountRate": 0.1 }] }),
            "segments[0].customers:",
        ),
        (
            json!({ "segments": [{ "name": "a", "customers": 1, "margin": 1, "retention": 1, "discountRate": 0 }] }),
            "segments[0].horizon: required",
        ),
        (
            json!({ "segments": [segment], "acquisition": { "perPeriod": 1, "periods": 3, "segment": "zzz" } }),
            "acquisition.segment: no segment is named \"zzz\"",
        ),
        (
            json!({ "segments": [segment], "acquisition": { "perPeriod": 1, "periods": 0 } }),
            "acquisition.periods:",
        ),
        (
            json!({ "segments": [segment], "competitors": [{ "name": "x", "equity": -3 }] }),
            "competitors[0].equity:",
        ),
    ] {
        let e = equity_error(input);
        assert!(e.starts_with(starts), "{e}");
    }
}

// ---- scenarios ----

use clvlab::retention::Retention;
use clvlab::scenario::{compare_scenarios, ChurnChange, Comparison, Scenario, Valuation};

fn compare(base: Valuation, scenarios: Value) -> Result<Comparison, String> {
    let scenarios: Vec<Scenario> =
        serde_json::from_value(scenarios).expect("well-formed scenarios");
    compare_scenarios(&base, &scenarios).map_err(|e| e.to_string())
}

fn clv_base() -> Valuation {
    input(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 })).into()
}

fn equity_base() -> Valuation {
    serde_json::from_value::<EquityInput>(json!({
        "segments": [
            { "name": "loyal", "customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1 },
            { "name": "casual", "customers": 500, "margin": 50, "retention": 0.6, "discountRate": 0.1 }
        ],
        "acquisition": { "perPeriod": 100, "acquisitionCost": 50, "periods": 5 }
    }))
    .unwrap()
    .into()
}

// Margin multiples m r/(1 + d − r) (Gupta & Lehmann 2003) of the changed inputs: cutting churn from 20 %
// to 15 % (5 points, or 25 % relative, or retention 0.85) lifts 266.667 to 340, +27.5 % — within the
// 25–85 % profit effect of a 5-point cut in defections quoted by Reichheld & Sasser (1990).
#[test]
fn scenarios_of_one_customer_match_the_margin_multiple() {
    let r = compare(
        clv_base(),
        json!([
            { "name": "retention", "changes": { "retention": 0.85 } },
            { "name": "points", "changes": { "churnChange": { "points": -5 } } },
            { "name": "relative", "changes": { "churnChange": { "relative": -0.25 } } },
            { "name": "margin", "changes": { "margin": 120 } },
            { "name": "discount", "changes": { "discountRate": 0.15 } },
            { "name": "cost", "changes": { "acquisitionCost": 100 } },
            { "name": "nothing" },
            { "name": "margin +20 %", "changes": { "marginChange": { "relative": 0.2 } } },
            { "name": "margin 240, halved", "changes": { "margin": 240, "marginChange": { "relative": -0.5 } } }
        ]),
    )
    .unwrap();
    assert_rel("r.base.value", r.base.value, 800.0 / 3.0, CLOSED_FORM);
    for s in &r.scenarios[0..3] {
        assert_rel("s.value", s.value, 340.0, CLOSED_FORM);
        assert_rel("s.delta", s.delta, 340.0 - 800.0 / 3.0, CLOSED_FORM);
        assert_rel(
            "s.delta_percent",
            s.delta_percent.unwrap(),
            27.5,
            CLOSED_FORM,
        );
    }
    assert_rel(
        "r.scenarios[3].value",
        r.scenarios[3].value,
        320.0,
        CLOSED_FORM,
    );
    assert_rel(
        "r.scenarios[4].value",
        r.scenarios[4].value,
        80.0 / 0.35,
        CLOSED_FORM,
    );
    let cost = &r.scenarios[5];
    assert_eq!(cost.delta, 0.0);
    assert_rel(
        "cost.net_value",
        cost.net_value,
        800.0 / 3.0 - 100.0,
        CLOSED_FORM,
    );
    assert_rel("cost.net_delta", cost.net_delta, -100.0, CLOSED_FORM);
    assert_eq!(r.scenarios[6].delta, 0.0);
    // CLV is linear in the margin: 120 × 0.8/0.3 = 320 both ways.
    assert_rel(
        "r.scenarios[7].value",
        r.scenarios[7].value,
        320.0,
        CLOSED_FORM,
    );
    assert_rel(
        "r.scenarios[8].value",
        r.scenarios[8].value,
        320.0,
        CLOSED_FORM,
    );
}

// sBG: churn changes move the mean churn α/(α + β) and keep α + β.
#[test]
fn churn_change_on_sbg_keeps_the_concentration() {
    let base = Retention::ShiftedBetaGeometric {
        alpha: 0.704,
        beta: 1.182,
    };
    let Retention::ShiftedBetaGeometric { alpha, beta } =
        ChurnChange::Relative(-0.1).apply(base).unwrap()
    else {
        panic!("sBG stays sBG")
    };
    assert_rel("alpha + beta", alpha + beta, 1.886, ROUNDING);
    assert_rel(
        "alpha / (alpha + beta)",
        alpha / (alpha + beta),
        0.9 * 0.704 / 1.886,
        ROUNDING,
    );
    assert!(ChurnChange::Points(-40.0).apply(base).is_err());
}

// Equity scenarios: a change to one segment moves only that segment's term; the acquisition cost moves
// the future term by perPeriod × Δcost × annuity (Gupta, Lehmann & Stuart 2004).
#[test]
fn scenarios_of_a_customer_base() {
    let annuity = (1.0 - 1.1f64.powi(-5)) / 0.1;
    let r = compare(
        equity_base(),
        json!([
            { "name": "casual margin", "segment": "casual", "changes": { "margin": 120 } },
            { "name": "cheaper acquisition", "changes": { "acquisitionCost": 30 } },
            { "name": "all margins", "changes": { "margin": 100 } },
            { "name": "every margin +10 %", "changes": { "marginChange": { "relative": 0.1 } } }
        ]),
    )
    .unwrap();
    assert_rel(
        "r.scenarios[0].delta",
        r.scenarios[0].delta,
        500.0 * 70.0 * 0.6 / 0.5,
        DIFFERENCE,
    );
    assert_rel(
        "r.scenarios[1].delta",
        r.scenarios[1].delta,
        100.0 * 20.0 * annuity,
        DIFFERENCE,
    );
    assert_rel(
        "r.scenarios[2].delta",
        r.scenarios[2].delta,
        500.0 * 50.0 * 0.6 / 0.5,
        DIFFERENCE,
    );
    // Each segment's own margin × 1.1: the current term grows 10 %, and each new customer's CLV (the
    // loyal segment's, margin 100) by 10 × 0.8/0.3 while the acquisition cost stays.
    let current = 1000.0 * 100.0 * 0.8 / 0.3 + 500.0 * 50.0 * 0.6 / 0.5;
    let future = 100.0 * (10.0 * 0.8 / 0.3) * annuity;
    assert_rel(
        "r.scenarios[3].delta",
        r.scenarios[3].delta,
        0.1 * current + future,
        DIFFERENCE,
    );
    assert_eq!(r.scenarios[0].net_value, r.scenarios[0].value);
}

#[test]
fn scenario_errors_name_the_field() {
    let bad_base: Valuation =
        input(json!({ "margin": 1, "retention": 2, "discountRate": 0.1 })).into();
    for (base, scenarios, starts) in [
        (bad_base, json!([]), "base.retention:"),
        (
            clv_base(),
            json!([{ "name": "a" }, { "name": "b", "changes": { "retention": 1.5 } }]),
            "scenarios[1].changes.retention:",
        ),
        (
            clv_base(),
            json!([{ "name": "a", "changes": { "churnChange": { "points": -30 } } }]),
            "scenarios[0].changes.churnChange.points: takes churn from",
        ),
        (
            clv_base(),
            json!([{ "name": "a", "changes": { "discountRate": -1 } }]),
            "scenarios[0].changes.discountRate:",
        ),
        (
            clv_base(),
            json!([{ "name": "a", "changes": { "marginChange": { "relative": -1.5 } } }]),
            "scenarios[0].changes.marginChange.relative: must be at least -1",
        ),
        (
            clv_base(),
            json!([{ "name": "a", "segment": "x", "changes": {} }]),
            "scenarios[0].segment:",
        ),
        (
            equity_base(),
            json!([{ "name": "a", "segment": "x", "changes": {} }]),
            "scenarios[0].segment: no segment is named",
        ),
        (
            clv_base(),
            json!([{ "name": "a", "changes": { "retention": 1, "discountRate": 0 } }]),
            "scenarios[0].horizon: required",
        ),
        (
            equity_base(),
            json!([{ "name": "a", "changes": { "retention": 1, "discountRate": 0 } }]),
            "scenarios[0].segments[0].horizon: required",
        ),
    ] {
        let e = compare(base, scenarios).unwrap_err();
        assert!(e.starts_with(starts), "{e}");
    }
}

// ---- sensitivity and break-even ----

use clvlab::sensitivity::{
    break_even, sensitivity, BreakEvenOptions, Field, SensitivityOptions, SolveFor,
};

fn tornado(base: Valuation, options: Value) -> Result<Vec<clvlab::sensitivity::Bar>, String> {
    let options: SensitivityOptions = serde_json::from_value(options).unwrap();
    sensitivity(&base, &options).map_err(|e| e.to_string())
}

// Margin multiples m r/(1 + d − r) at ±10 %: margin 90/110 → 240/293.33; churn 0.22/0.18 → retention
// 0.78/0.82 → 243.75/292.857; discount 0.09/0.11 → 275.862/258.065; growth 0 does not move.
#[test]
fn tornado_of_one_customer() {
    let bars = tornado(clv_base(), json!({})).unwrap();
    let fields: Vec<Field> = bars.iter().map(|b| b.field).collect();
    assert_eq!(
        fields,
        [
            Field::Margin,
            Field::Retention,
            Field::DiscountRate,
            Field::MarginGrowth
        ]
    );
    let [margin, retention, discount, growth] = [bars[0], bars[1], bars[2], bars[3]];
    assert_rel("margin.low", margin.low, 90.0, CLOSED_FORM);
    assert_rel("margin.value_low", margin.value_low, 240.0, CLOSED_FORM);
    assert_rel(
        "margin.value_high",
        margin.value_high,
        880.0 / 3.0,
        CLOSED_FORM,
    );
    assert_rel("retention.low", retention.low, 0.78, CLOSED_FORM);
    assert_rel("retention.high", retention.high, 0.82, CLOSED_FORM);
    assert_rel(
        "retention.value_low",
        retention.value_low,
        78.0 / 0.32,
        CLOSED_FORM,
    );
    assert_rel(
        "retention.value_high",
        retention.value_high,
        82.0 / 0.28,
        CLOSED_FORM,
    );
    assert_rel(
        "retention.swing",
        retention.swing,
        82.0 / 0.28 - 78.0 / 0.32,
        CLOSED_FORM,
    );
    assert_rel(
        "discount.value_low",
        discount.value_low,
        80.0 / 0.29,
        CLOSED_FORM,
    );
    assert_rel(
        "discount.value_high",
        discount.value_high,
        80.0 / 0.31,
        CLOSED_FORM,
    );
    assert_eq!(growth.swing, 0.0);
}

#[test]
fn tornado_of_net_value_includes_the_acquisition_cost() {
    let base: Valuation = input(
        json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 50 }),
    )
    .into();
    let bars = tornado(
        base,
        json!({ "measure": "netValue", "spread": 0.2, "fields": ["acquisitionCost", "margin"] }),
    )
    .unwrap();
    assert_eq!(bars[0].field, Field::Margin);
    let cost = bars[1];
    assert_eq!((cost.low, cost.high), (40.0, 60.0));
    assert_rel("cost.swing", cost.swing, 20.0, CLOSED_FORM);
    assert_rel(
        "cost.value_low",
        cost.value_low,
        800.0 / 3.0 - 40.0,
        CLOSED_FORM,
    );
}

#[test]
fn tornado_of_a_customer_base_moves_every_segment() {
    let bars = tornado(equity_base(), json!({ "fields": ["margin"] })).unwrap();
    let base = compare(equity_base(), json!([])).unwrap().base.value;
    // Equity is linear in the margins: ±10 % of everything but the acquisition costs,
    // perPeriod × cost × annuity = 100 × 50 × (1 − 1.1^−5)/0.1.
    let margins = base + 100.0 * 50.0 * (1.0 - 1.1f64.powi(-5)) / 0.1;
    assert_rel(
        "bars[0].value_high",
        bars[0].value_high,
        base + 0.1 * margins,
        CLOSED_FORM,
    );
    assert_rel(
        "bars[0].value_low",
        bars[0].value_low,
        base - 0.1 * margins,
        CLOSED_FORM,
    );
    assert_eq!(bars[0].low, 90.0);
    let all = tornado(equity_base(), json!({})).unwrap();
    assert!(all.iter().any(|b| b.field == Field::AcquisitionCost));
}

#[test]
fn tornado_errors_name_the_field() {
    for (options, starts) in [
        (json!({ "spread": 0 }), "spread:"),
        (json!({ "spread": 1.5 }), "spread:"),
    ] {
        let e = tornado(clv_base(), options).unwrap_err();
        assert!(e.starts_with(starts), "{e}");
    }
    let low: Valuation =
        input(json!({ "margin": 1, "retention": 0.05, "discountRate": 0.1 })).into();
    let e = tornado(low, json!({})).unwrap_err();
    assert!(
        e.starts_with("retention: cannot be valued at churn +10%"),
        "{e}"
    );
    let e = serde_json::from_value::<SensitivityOptions>(json!({ "fields": ["colour"] }))
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown variant"), "{e}");
}

fn solve(v: Value, solve_for: SolveFor) -> Result<clvlab::sensitivity::BreakEven, String> {
    break_even(&input(v), &BreakEvenOptions { solve_for }).map_err(|e| e.to_string())
}

// Break-even of the margin multiple m r/(1 + d − r) against a cost of 150: the most one may pay is the
// CLV 266.667; margin 150 × 0.3/0.8 = 56.25; retention r with 100 r = 150 (1.1 − r): r = 0.66.
#[test]
fn break_even_matches_the_margin_multiple() {
    let base =
        json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 150 });
    let cost = solve(base.clone(), SolveFor::AcquisitionCost).unwrap();
    assert_rel("cost.value", cost.value, 800.0 / 3.0, CLOSED_FORM);
    assert_abs("cost.net_value", cost.net_value, 0.0, ROOT_RESIDUAL);
    let margin = solve(base.clone(), SolveFor::Margin).unwrap();
    assert_rel("margin.value", margin.value, 56.25, CLOSED_FORM);
    assert_abs("margin.net_value", margin.net_value, 0.0, ROOT_RESIDUAL);
    let retention = solve(base, SolveFor::Retention).unwrap();
    assert_abs("retention.value", retention.value, 0.66, ROOT);
    assert!(retention.iterations > 0);
    assert_eq!(
        retention.input.retention,
        Retention::Constant(retention.value)
    );
}

// Near the point where the value becomes infinite: with growth, m r/(1 + d − r(1 + g)) = 5000 at
// r = 5100/5350 (d 0.02, g 0.05); the value is infinite from r = 1.02/1.05 on.
#[test]
fn break_even_retention_below_an_infinite_value() {
    let r = solve(
        json!({ "margin": 100, "retention": 0.5, "discountRate": 0.02, "marginGrowth": 0.05,
                "acquisitionCost": 5000 }),
        SolveFor::Retention,
    )
    .unwrap();
    assert_abs("r.value", r.value, 5100.0 / 5350.0, ROOT);
}

#[test]
fn break_even_gives_zero_net_value() {
    for (retention, horizon, timing) in [
        (json!(0.5), json!(null), "start"),
        (json!(0.9), json!(6), "end"),
        (json!({ "alpha": 0.704, "beta": 1.182 }), json!(null), "end"),
        (json!({ "alpha": 3.0, "beta": 5.0 }), json!(12), "start"),
    ] {
        let base = json!({ "margin": 40, "retention": retention, "discountRate": 0.1,
                           "acquisitionCost": 90, "horizon": horizon, "timing": timing });
        for solve_for in [
            SolveFor::Retention,
            SolveFor::Margin,
            SolveFor::AcquisitionCost,
        ] {
            let r = solve(base.clone(), solve_for).unwrap();
            let check = value(serde_json::to_value(&r.input).unwrap());
            let what = format!("{base} {solve_for:?}: net value");
            assert_abs(&what, check.net_value, 0.0, ROOT_RECOMPUTED);
        }
    }
}

#[test]
fn break_even_without_a_solution_says_so() {
    let base = json!({ "margin": 10, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 1e6, "horizon": 5 });
    let e = solve(base, SolveFor::Retention).unwrap_err();
    assert!(
        e.starts_with("retention: no retention between 0 and 1 breaks even"),
        "{e}"
    );
    let e = solve(
        json!({ "margin": -10, "retention": 0.8, "discountRate": 0.1 }),
        SolveFor::AcquisitionCost,
    )
    .unwrap_err();
    assert!(e.starts_with("acquisitionCost: no cost"), "{e}");
    let e = solve(
        json!({ "margin": 10, "retention": 0, "discountRate": 0.1 }),
        SolveFor::Margin,
    )
    .unwrap_err();
    assert!(e.starts_with("margin: no margin"), "{e}");
    let e = solve(
        json!({ "margin": 0, "retention": 0.5, "discountRate": 0.1 }),
        SolveFor::Retention,
    )
    .unwrap_err();
    assert!(e.starts_with("retention:"), "{e}");
}

// sBG retention moves through the mean churn α/(α + β) = 0.704/1.886 with α + β held; the values at the
// ends are the start-of-period DELs 2F1(1, β'; α' + β'; 1/1.1) with α' = 1.886 c', β' = 1.886 (1 − c'),
// the same as the CLV of those parameters.
#[test]
fn tornado_moves_sbg_retention_through_mean_churn() {
    let base = json!({ "margin": 1, "discountRate": 0.1, "timing": "start",
                       "retention": { "alpha": 0.704, "beta": 1.182 } });
    let bars = tornado(
        input(base.clone()).into(),
        json!({ "fields": ["retention"] }),
    )
    .unwrap();
    let churn = 0.704 / 1.886;
    assert_rel("bars[0].low", bars[0].low, 1.0 - 1.1 * churn, CLOSED_FORM);
    assert_rel("bars[0].high", bars[0].high, 1.0 - 0.9 * churn, CLOSED_FORM);
    for (c, v) in [
        (1.1 * churn, bars[0].value_low),
        (0.9 * churn, bars[0].value_high),
    ] {
        let mut moved = base.clone();
        moved["retention"] = json!({ "alpha": 1.886 * c, "beta": 1.886 * (1.0 - c) });
        assert_rel("v", v, value(moved).clv, CLOSED_FORM);
    }
    assert!(bars[0].value_low < 3.6951 && 3.6951 < bars[0].value_high);
}
