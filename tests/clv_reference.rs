//! CLV at published and closed-form values, its properties, and its refusals of bad input.

use clvlab::clv::{clv, ClvInput, ClvResult};
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

fn assert_close(actual: f64, expected: f64, relative: f64) {
    assert!(
        (actual - expected).abs() <= relative * expected.abs().max(1e-300),
        "{actual} differs from {expected} by more than {relative} relative"
    );
}

// Margin multiple r/(1 + d − r) of Gupta & Lehmann (2003), "Customers as assets", J. Interactive
// Marketing 17(1): 100 × 0.8/(1.1 − 0.8) = 266.667.
#[test]
fn margin_multiple_end_of_period() {
    let r = value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 }));
    assert_close(r.clv, 100.0 * 0.8 / 0.3, 1e-12);
    assert_close(r.clv, 266.667, 2e-6);
    // Expected number of payments Σ_{t≥1} 0.8^t = 4.
    assert_close(r.expected_lifetime.unwrap(), 4.0, 1e-12);
}

// The same with the first payment now: 100 × (1 + d)/(1 + d − r) = 366.667 (Gupta & Lehmann 2003).
#[test]
fn margin_multiple_start_of_period() {
    let r =
        value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "timing": "start" }));
    assert_close(r.clv, 100.0 * 1.1 / 0.3, 1e-12);
    assert_close(r.clv, 366.667, 2e-6);
    assert_close(r.expected_lifetime.unwrap(), 5.0, 1e-12);
    assert_eq!(r.periods[0].period, 0);
    assert_eq!(r.periods[0].survival, 1.0);
}

// Finite geometric sum: 100 Σ_{t=1..10} (0.8/1.1)^t = 100 x (1 − x^10)/(1 − x), x = 0.8/1.1: 255.627.
#[test]
fn finite_horizon_geometric_sum() {
    let r = value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 10 }));
    let x: f64 = 0.8 / 1.1;
    assert_close(r.clv, 100.0 * x * (1.0 - x.powi(10)) / (1.0 - x), 1e-12);
    assert_close(r.clv, 255.627, 2e-6);
    assert_eq!(r.periods.len(), 10);
    assert_close(r.periods[9].cumulative, r.clv, 1e-12);
    // Expected payments Σ_{t=1..10} 0.8^t.
    assert_close(
        r.expected_lifetime.unwrap(),
        0.8 * (1.0 - 0.8f64.powi(10)) / 0.2,
        1e-12,
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
        assert_close(r.clv, first * (1.0 - x.powi(25)) / (1.0 - x), 1e-12);
        // The 25th payment's undiscounted expected margin is 50 × 1.03^24 × S.
        let last = r.periods[24];
        assert_close(
            last.expected_margin,
            50.0 * 1.03f64.powi(24) * last.survival,
            1e-12,
        );
    }
}

// Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the perils of ignoring
// heterogeneity", Marketing Science 29(1), Table 2 / text: DEL(d = 0.1) = 3.6951 for the "regular"
// segment (α 0.704, β 1.182) and 5.9226 for "high end" (α 0.668, β 3.806), sBG parameters from Fader &
// Hardie (2007).
#[test]
fn fader_hardie_discounted_expected_lifetime() {
    for (alpha, beta, del) in [(0.704, 1.182, 3.6951), (0.668, 3.806, 5.9226)] {
        let r = value(json!({
            "margin": 1, "discountRate": 0.1, "timing": "start",
            "retention": { "alpha": alpha, "beta": beta }
        }));
        assert_close(r.clv, del, 2e-5);
        // α < 1: the mean lifetime is infinite even though the discounted value is finite.
        assert_eq!(r.expected_lifetime, None);
    }
}

// Fader & Hardie (2010): DERL(d = 0.1) of a high-end customer after 7 renewals = 7.530; their eq. (6)
// is (β + k)/(α + β + k) 2F1(1, β + k + 1; α + β + k + 1; 1/(1 + d)) with k = 7, which mpmath 1.3
// (hyp2f1, 30 digits) gives as 7.52994953091097.
#[test]
fn fader_hardie_discounted_expected_residual_lifetime() {
    let r = value(json!({
        "margin": 1, "discountRate": 0.1, "timing": "start", "renewals": 7,
        "retention": { "alpha": 0.668, "beta": 3.806 }
    }));
    assert_close(r.clv, 7.530, 1e-4);
    assert_close(r.clv, 7.52994953091097, 1e-10);
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
        let r = value(case.clone());
        assert!(
            (r.clv - expected).abs() < 1e-10,
            "{case}: {} vs {expected}",
            r.clv
        );
    }
}

// With no discounting and no growth the sBG value is the expected number of payments,
// 1 + β/(α − 1) for a new customer paying now (E[1/θ] of Beta(α, β)): α 2.5, β 3 → 3.
#[test]
fn sbg_undiscounted_value_is_the_mean_lifetime() {
    let r = value(json!({
        "margin": 1, "discountRate": 0, "timing": "start", "retention": { "alpha": 2.5, "beta": 3 }
    }));
    assert_close(r.clv, 3.0, 1e-12);
    assert_close(r.expected_lifetime.unwrap(), 3.0, 1e-12);
}

// Payback: cumulative 100 x (1 − x^n)/(1 − x), x = 0.8/1.1, is 72.7, 125.6, 164.1: a cost of 150 is
// covered at period 3.
#[test]
fn payback_net_value_and_ratio() {
    let r = value(json!({
        "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 150
    }));
    assert_eq!(r.payback_period, Some(3));
    assert_close(r.net_value, 800.0 / 3.0 - 150.0, 1e-12);
    assert_close(r.ltv_to_cac.unwrap(), 800.0 / 3.0 / 150.0, 1e-12);

    let never = value(json!({
        "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 300
    }));
    assert_eq!(never.payback_period, None);

    let free =
        value(json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "timing": "start" }));
    assert_eq!(free.payback_period, Some(0));
    assert_eq!(free.ltv_to_cac, None);

    let loss = value(json!({ "margin": -10, "retention": 0.8, "discountRate": 0.1 }));
    assert_close(loss.clv, -10.0 * 0.8 / 0.3, 1e-12);
    assert_eq!(loss.payback_period, None);
}

#[test]
fn infinite_table_stops_when_the_rest_is_negligible() {
    for retention in [json!(0.8), json!({ "alpha": 0.704, "beta": 1.182 })] {
        let r = value(json!({ "margin": 100, "retention": retention, "discountRate": 0.1 }));
        let last = r.periods.last().unwrap();
        assert!(r.periods.len() < 1000);
        assert!((r.clv - last.cumulative).abs() <= 1e-6 * r.clv);
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
            assert!(v >= previous && v <= infinite * (1.0 + 1e-12), "H {h}: {v}");
            assert!(h > 100 || v > previous);
            previous = v;
        }
        assert_close(previous, infinite, 1e-10);
    }
}

#[test]
fn end_timing_values_a_new_and_a_just_acquired_customer_alike() {
    let retention = json!({ "alpha": 0.668, "beta": 3.806 });
    let new = value(json!({ "margin": 1, "discountRate": 0.1, "retention": retention })).clv;
    let existing =
        value(json!({ "margin": 1, "discountRate": 0.1, "retention": retention, "renewals": 0 }));
    assert_close(existing.clv, new, 1e-14);
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
    assert_close(r.clv, 11.0, 1e-12);
    assert_eq!(r.expected_lifetime, None);
    let r = value(json!({ "margin": 1, "retention": 1, "discountRate": 0, "horizon": 7 }));
    assert_close(r.clv, 7.0, 1e-12);
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
