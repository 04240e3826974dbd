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

fn close(actual: &Value, expected: f64, tolerance: f64) {
    let a = number(actual);
    assert!((a - expected).abs() <= tolerance, "{a} vs {expected}");
}

// ---- clv ----

// Gupta & Lehmann (2003) margin multiple; Fader & Hardie (2010) DEL and DERL (d = 0.1).
#[wasm_bindgen_test]
fn clv_reproduces_the_reference_values() {
    let base = json!({ "margin": 100, "retention": 0.8, "discountRate": 0.1 });
    close(&json_of(clvlab::wasm::clv(js(&base)))["clv"], 266.667, 1e-3);
    let mut start = base.clone();
    start["timing"] = json!("start");
    close(
        &json_of(clvlab::wasm::clv(js(&start)))["clv"],
        366.667,
        1e-3,
    );
    let mut ten = base.clone();
    ten["horizon"] = json!(10);
    close(&json_of(clvlab::wasm::clv(js(&ten)))["clv"], 255.627, 1e-3);

    for (alpha, beta, renewals, expected) in [
        (0.704, 1.182, Value::Null, 3.6951),
        (0.668, 3.806, Value::Null, 5.9226),
        (0.668, 3.806, json!(7), 7.530),
    ] {
        let input = json!({
            "margin": 1, "discountRate": 0.1, "timing": "start", "renewals": renewals,
            "retention": { "alpha": alpha, "beta": beta }
        });
        close(
            &json_of(clvlab::wasm::clv(js(&input)))["clv"],
            expected,
            1e-4,
        );
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
    close(&periods[0]["survival"], 0.8, 1e-15);

    let free = json_of(clvlab::wasm::clv(js(&json!({
        "margin": 100, "retention": { "alpha": 0.7, "beta": 1.2 }, "discountRate": 0.1
    }))));
    assert_eq!(free["ltvToCac"], Value::Null);
    assert_eq!(free["expectedLifetime"], Value::Null);
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
