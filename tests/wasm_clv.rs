//! The CLV, customer-equity and scenario API through wasm-bindgen, run in Node and in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test wasm_clv`, with `WASM_BINDGEN_USE_BROWSER=1` for
//! Chromium). The numbers are tested natively in `tests/clv_reference.rs`; these tests check the
//! contract: the published values through the JS API, field names, result shapes, and that bad input
//! becomes a JS `Error` whose message starts with the field.
#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

mod common;

use common::precision::{
    assert_abs, assert_rel, CLOSED_FORM, PUBLISHED_3DP, PUBLISHED_4DP, ROOT, ROOT_RESIDUAL,
    ROUNDING, SERIES, ULPS,
};

/// A JSON value as the plain JS object a page would pass.
fn js(value: &Value) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

/// A JS result read back as JSON.
fn json_of(result: Result<JsValue, JsError>) -> Value {
    serde_wasm_bindgen::from_value(result.unwrap_or_else(|e| panic!("{}", message(e)))).unwrap()
}

/// The message of the JS `Error` a call threw.
fn message(error: JsError) -> String {
    let value: JsValue = error.into();
    assert!(value.is_instance_of::<js_sys::Error>());
    String::from(js_sys::Error::from(value).message())
}

fn error_of(result: Result<JsValue, JsError>) -> String {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => message(e),
    }
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

// ---- clv ----

// Gupta & Lehmann (2003) margin multiple; Fader & Hardie (2010) DEL and DERL (d = 0.1).
#[wasm_bindgen_test]
fn clv_reproduces_the_reference_values() {
    let base = json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 });
    assert_abs(
        "clv, end",
        number(&json_of(clvlab::wasm::clv(js(&base)))["clv"]),
        266.667,
        PUBLISHED_3DP,
    );
    let mut start = base.clone();
    start["timing"] = json!("start");
    assert_abs(
        "clv, start",
        number(&json_of(clvlab::wasm::clv(js(&start)))["clv"]),
        366.667,
        PUBLISHED_3DP,
    );
    let mut ten = base.clone();
    ten["horizon"] = json!(10);
    assert_abs(
        "clv, horizon 10",
        number(&json_of(clvlab::wasm::clv(js(&ten)))["clv"]),
        255.627,
        PUBLISHED_3DP,
    );

    // DEL to four decimals, DERL to three.
    for (alpha, beta, renewals, expected, tol) in [
        (0.704, 1.182, Value::Null, 3.6951, PUBLISHED_4DP),
        (0.668, 3.806, Value::Null, 5.9226, PUBLISHED_4DP),
        (0.668, 3.806, json!(7), 7.530, PUBLISHED_3DP),
    ] {
        let input = json!({
            "margin": 1, "discountRate": 0.1, "timing": "start", "renewals": renewals,
            "retention": { "alpha": alpha, "beta": beta }
        });
        let clv = number(&json_of(clvlab::wasm::clv(js(&input)))["clv"]);
        assert_abs(&format!("clv of {input}"), clv, expected, tol);
        if input["renewals"] == json!(7) {
            // mpmath 1.3 (hyp2f1, 30 digits), as in tests/clv_reference.rs.
            assert_rel("DERL after 7 renewals", clv, 7.52994953091097, SERIES);
        }
    }
}

#[wasm_bindgen_test]
fn clv_result_has_the_contract_fields() {
    let r = json_of(clvlab::wasm::clv(js(&json!({
        "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 3, "acquisitionCost": 150
    }))));
    for field in [
        "clv",
        "expectedLifetime",
        "netValue",
        "ltvToCac",
        "paybackPeriod",
        "periods",
    ] {
        assert!(r.get(field).is_some(), "missing {field}: {r}");
    }
    assert_eq!(r["paybackPeriod"], json!(3));
    let periods = r["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 3);
    for field in [
        "period",
        "survival",
        "expectedMargin",
        "discountedMargin",
        "cumulative",
    ] {
        assert!(periods[0].get(field).is_some(), "missing periods[].{field}");
    }
    assert_eq!(periods[0]["period"], json!(1));
    assert_rel(
        "periods[0].survival",
        number(&periods[0]["survival"]),
        0.8,
        ULPS,
    );

    let free = json_of(clvlab::wasm::clv(js(&json!({
        "margin": 100, "retention": { "alpha": 0.7, "beta": 1.2 }, "discountRate": 0.1
    }))));
    assert_eq!(free["ltvToCac"], Value::Null);
    assert_eq!(free["expectedLifetime"], Value::Null);
}

#[wasm_bindgen_test]
fn inputs_are_read_as_a_page_passes_them() {
    // A property holding `undefined` counts as absent: no horizon, CLV = m r / (1 + d − r) = 266.667.
    let input = js(&json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 }));
    js_sys::Reflect::set(&input, &"horizon".into(), &JsValue::UNDEFINED).unwrap();
    let clv = number(&json_of(clvlab::wasm::clv(input.clone()))["clv"]);
    assert_rel("clv", clv, 800.0 / 3.0, CLOSED_FORM);
    // Neither a BigInt nor an array is a number, and the message says which field.
    js_sys::Reflect::set(&input, &"margin".into(), &js_sys::BigInt::from(100).into()).unwrap();
    let e = error_of(clvlab::wasm::clv(input));
    assert_eq!(e, "margin: expected a number, got a BigInt");
    let e = error_of(clvlab::wasm::clv(js(
        &json!({ "margin": [100], "retention": 0.8, "discountRate": 0.1 }),
    )));
    assert_eq!(e, "margin: expected a number, got an array");
}

#[wasm_bindgen_test]
fn clv_errors_name_the_field() {
    let base = json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 });
    for (field, bad, starts) in [
        ("retention", json!(1.2), "retention"),
        ("retention", json!("high"), "retention"),
        (
            "retention",
            json!({ "alpha": -1, "beta": 1 }),
            "retention.alpha",
        ),
        ("discountRate", json!(-1), "discountRate"),
        ("margin", json!("100"), "margin"),
        ("horizon", json!(2.5), "horizon"),
        ("timing", json!("middle"), "timing"),
        ("renewals", json!(-2), "renewals"),
    ] {
        let mut input = base.clone();
        input[field] = bad;
        let e = error_of(clvlab::wasm::clv(js(&input)));
        assert!(e.starts_with(starts), "{field}: {e}");
    }
    let mut nan = js(&base);
    js_sys::Reflect::set(&nan, &"margin".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    assert!(error_of(clvlab::wasm::clv(nan.clone())).starts_with("margin"));
    nan = js(&json!({ "margin": 1, "retention": 1, "discountRate": 0 }));
    assert!(error_of(clvlab::wasm::clv(nan)).starts_with("horizon: required"));
    let missing = error_of(clvlab::wasm::clv(js(
        &json!({ "margin": 1, "retention": 0.5 }),
    )));
    assert!(missing.contains("discountRate"), "{missing}");
}

// ---- customerEquity ----

// Gupta, Lehmann & Stuart (2004): customers × margin multiple; Fader & Hardie (2010) DERL 7.530 for the
// existing high-end customers after 7 renewals.
#[wasm_bindgen_test]
fn customer_equity_values_the_base() {
    let r = json_of(clvlab::wasm::customer_equity(js(&json!({
        "segments": [
            { "name": "loyal", "customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1 },
            { "name": "high end", "customers": 10, "margin": 1, "discountRate": 0.1, "timing": "start",
              "renewals": 7, "retention": { "alpha": 0.668, "beta": 3.806 } }
        ],
        "acquisition": { "perPeriod": 100, "acquisitionCost": 50, "periods": 5 },
        "competitors": [{ "name": "rival", "equity": 1e6 }]
    }))));
    for field in ["equity", "current", "future", "bySegment", "share"] {
        assert!(r.get(field).is_some(), "missing {field}: {r}");
    }
    assert_rel(
        "current",
        number(&r["current"]),
        1000.0 * 800.0 / 3.0 + 10.0 * 7.52994953091097,
        CLOSED_FORM,
    );
    let future = 100.0 * (800.0 / 3.0 - 50.0) * (1.0 - 1.1f64.powi(-5)) / 0.1;
    assert_rel("future", number(&r["future"]), future, CLOSED_FORM);
    let equity = number(&r["equity"]);
    assert_rel(
        "share",
        number(&r["share"]),
        equity / (equity + 1e6),
        CLOSED_FORM,
    );
    let segment = &r["bySegment"][1];
    assert_eq!(segment["name"], json!("high end"));
    for field in ["name", "customers", "valuePerCustomer", "value"] {
        assert!(segment.get(field).is_some(), "missing bySegment[].{field}");
    }
    let alone = json_of(clvlab::wasm::customer_equity(js(&json!({
        "segments": [{ "name": "a", "customers": 1, "margin": 1, "retention": 0.5, "discountRate": 0.1 }]
    }))));
    assert_eq!(alone["share"], Value::Null);
}

#[wasm_bindgen_test]
fn customer_equity_errors_name_the_field() {
    let good =
        json!({ "name": "a", "customers": 1, "margin": 1, "retention": 0.5, "discountRate": 0.1 });
    for (input, starts) in [
        (
            json!({ "segments": [good, { "name": "b", "customers": 1, "margin": 1, "retention": 1.2, "discountRate": 0.1 }] }),
            "segments[1].retention",
        ),
        (
            json!({ "segments": [{ "name": "b", "customers": "many", "margin": 1, "retention": 0.5, "discountRate": 0.1 }] }),
            "segments[0].customers",
        ),
        (
            json!({ "segments": [good], "acquisition": { "perPeriod": 1, "periods": 2.5 } }),
            "acquisition.periods",
        ),
        (json!({ "segments": [] }), "segments"),
    ] {
        let e = error_of(clvlab::wasm::customer_equity(js(&input)));
        assert!(e.starts_with(starts), "{e}");
    }
}

// ---- compareScenarios, sensitivity, breakEven ----

// Margin multiple (Gupta & Lehmann 2003): churn 20 % → 15 % lifts 266.667 to 340 (+27.5 %).
#[wasm_bindgen_test]
fn compare_scenarios_of_one_customer_and_of_a_base() {
    let r = json_of(clvlab::wasm::compare_scenarios(js(&json!({
        "base": { "margin": 100, "retention": 0.8, "discountRate": 0.1 },
        "scenarios": [{ "name": "retention +5 points", "changes": { "churnChange": { "points": -5 } } }]
    }))));
    assert_rel(
        "base.value",
        number(&r["base"]["value"]),
        800.0 / 3.0,
        CLOSED_FORM,
    );
    let s = &r["scenarios"][0];
    assert_eq!(s["name"], json!("retention +5 points"));
    assert_rel(
        "scenarios[0].value",
        number(&s["value"]),
        340.0,
        CLOSED_FORM,
    );
    assert_rel(
        "scenarios[0].delta",
        number(&s["delta"]),
        340.0 - 800.0 / 3.0,
        CLOSED_FORM,
    );
    assert_rel(
        "scenarios[0].deltaPercent",
        number(&s["deltaPercent"]),
        27.5,
        CLOSED_FORM,
    );

    let r = json_of(clvlab::wasm::compare_scenarios(js(&json!({
        "base": { "segments": [
            { "name": "a", "customers": 10, "margin": 100, "retention": 0.8, "discountRate": 0.1 },
            { "name": "b", "customers": 5, "margin": 50, "retention": 0.6, "discountRate": 0.1 }
        ]},
        "scenarios": [{ "name": "b margin", "segment": "b", "changes": { "margin": 120 } }]
    }))));
    assert_rel(
        "base.value",
        number(&r["base"]["value"]),
        10.0 * 800.0 / 3.0 + 5.0 * 60.0,
        ROUNDING,
    );
    assert_rel(
        "scenarios[0].delta",
        number(&r["scenarios"][0]["delta"]),
        5.0 * 70.0 * 1.2,
        CLOSED_FORM,
    );
}

#[wasm_bindgen_test]
fn compare_scenarios_errors_name_the_field() {
    for (input, starts) in [
        (
            json!({ "base": { "margin": 1, "retention": 1.2, "discountRate": 0.1 }, "scenarios": [] }),
            "base.retention",
        ),
        (
            json!({ "base": { "margin": 1, "retention": 0.5, "discountRate": 0.1 },
                    "scenarios": [{ "name": "x", "changes": { "margin": "lots" } }] }),
            "scenarios[0].changes.margin",
        ),
        (
            json!({ "base": { "margin": 1, "retention": 0.5, "discountRate": 0.1 },
                    "scenarios": [{ "name": "x", "changes": { "churnChange": { "points": 80 } } }] }),
            "scenarios[0].changes.churnChange.points",
        ),
        (
            json!({ "base": { "segments": [{ "name": "a", "customers": "x", "margin": 1, "retention": 0.5,
                    "discountRate": 0.1 }] }, "scenarios": [] }),
            "base.segments[0].customers",
        ),
    ] {
        let e = error_of(clvlab::wasm::compare_scenarios(js(&input)));
        assert!(e.starts_with(starts), "{e}");
    }
}

#[wasm_bindgen_test]
fn sensitivity_gives_tornado_bars() {
    let input = js(&json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 }));
    let bars = json_of(clvlab::wasm::sensitivity(input.clone(), JsValue::UNDEFINED));
    let first = &bars[0];
    assert_eq!(first["field"], json!("margin"));
    for field in ["field", "low", "high", "valueLow", "valueHigh", "swing"] {
        assert!(first.get(field).is_some(), "missing {field}");
    }
    // Margin multiple at churn 0.22 and 0.18.
    let retention = &bars[1];
    assert_eq!(retention["field"], json!("retention"));
    assert_rel(
        "retention valueLow",
        number(&retention["valueLow"]),
        78.0 / 0.32,
        CLOSED_FORM,
    );
    assert_rel(
        "retention valueHigh",
        number(&retention["valueHigh"]),
        82.0 / 0.28,
        CLOSED_FORM,
    );

    let bars = json_of(clvlab::wasm::sensitivity(
        input.clone(),
        js(&json!({ "fields": ["discountRate"], "spread": 0.2 })),
    ));
    assert_eq!(bars.as_array().unwrap().len(), 1);
    assert_rel("discountRate low", number(&bars[0]["low"]), 0.08, ULPS);

    let e = error_of(clvlab::wasm::sensitivity(
        input.clone(),
        js(&json!({ "spread": 2 })),
    ));
    assert!(e.starts_with("spread"), "{e}");
    let e = error_of(clvlab::wasm::sensitivity(
        input,
        js(&json!({ "fields": ["colour"] })),
    ));
    assert!(e.starts_with("fields[0]"), "{e}");
}

// m r/(1 + d − r) = 150 at r = 0.66; margin 150 × 0.3/0.8 = 56.25.
#[wasm_bindgen_test]
fn break_even_solves_for_the_field() {
    let input =
        json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 150 });
    let r = json_of(clvlab::wasm::break_even(
        js(&input),
        js(&json!({ "solveFor": "retention" })),
    ));
    assert_abs("value", number(&r["value"]), 0.66, ROOT);
    assert_abs(
        "input.retention",
        number(&r["input"]["retention"]),
        0.66,
        ROOT,
    );
    assert_abs("netValue", number(&r["netValue"]), 0.0, ROOT_RESIDUAL);
    let r = json_of(clvlab::wasm::break_even(
        js(&input),
        js(&json!({ "solveFor": "margin" })),
    ));
    assert_rel("margin value", number(&r["value"]), 56.25, CLOSED_FORM);

    let e = error_of(clvlab::wasm::break_even(
        js(&input),
        js(&json!({ "solveFor": "colour" })),
    ));
    assert!(e.starts_with("solveFor"), "{e}");
    let mut rich = input.clone();
    rich["acquisitionCost"] = json!(1e6);
    rich["horizon"] = json!(3);
    let e = error_of(clvlab::wasm::break_even(
        js(&rich),
        js(&json!({ "solveFor": "retention" })),
    ));
    assert!(e.starts_with("retention: no retention"), "{e}");
    let e = error_of(clvlab::wasm::break_even(
        js(&json!({ "segments": [] })),
        js(&json!({ "solveFor": "margin" })),
    ));
    assert!(e.starts_with("segments"), "{e}");
}

// A page passes `undefined` (or `null`) for empty optional boxes: the defaults apply.
#[wasm_bindgen_test]
fn undefined_optional_fields_take_their_defaults() {
    let input = js(&json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 }));
    for field in [
        "horizon",
        "timing",
        "marginGrowth",
        "acquisitionCost",
        "renewals",
    ] {
        js_sys::Reflect::set(&input, &field.into(), &JsValue::UNDEFINED).unwrap();
    }
    assert_rel(
        "clv, undefined fields",
        number(&json_of(clvlab::wasm::clv(input))["clv"]),
        800.0 / 3.0,
        CLOSED_FORM,
    );
    let nulls = json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1, "timing": null,
                        "marginGrowth": null, "acquisitionCost": null, "horizon": null });
    assert_rel(
        "clv, null fields",
        number(&json_of(clvlab::wasm::clv(js(&nulls)))["clv"]),
        800.0 / 3.0,
        CLOSED_FORM,
    );
    let base = js(&json!({
        "segments": [{ "name": "a", "customers": 1, "margin": 100, "retention": 0.8, "discountRate": 0.1 }]
    }));
    js_sys::Reflect::set(&base, &"competitors".into(), &JsValue::UNDEFINED).unwrap();
    js_sys::Reflect::set(&base, &"acquisition".into(), &JsValue::UNDEFINED).unwrap();
    assert_rel(
        "equity, undefined fields",
        number(&json_of(clvlab::wasm::customer_equity(base))["equity"]),
        800.0 / 3.0,
        CLOSED_FORM,
    );
    let e = error_of(clvlab::wasm::break_even(js(&nulls), JsValue::UNDEFINED));
    assert!(e.starts_with("solveFor"), "{e}");
}
