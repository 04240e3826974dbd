//! `summarizeSubscriptions` / `summarizeSubscriptionBytes` and the retention fits through
//! wasm-bindgen, in Node and in headless Chromium: typed arrays, the report, the result passed to
//! `fitBdw` as it is, and errors that name the option. The numbers are tested natively
//! (tests/subscriptions.rs).
#![cfg(target_arch = "wasm32")]

use clvlab::wasm::{
    fit_bdw, fit_retention_by_plan, fit_sbg, summarize_subscription_bytes, summarize_subscriptions,
};
use js_sys::{Array, Float64Array, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const SAMPLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/www/data/sample_subscriptions.csv"
));
const OPTIONS: &str = r#"{ "customerColumn": "customer_id", "startColumn": "start_date",
    "endColumn": "end_date", "planColumn": "plan", "priceColumn": "monthly_price",
    "observationEnd": "2024-12-31" }"#;

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap()
}

fn message(error: wasm_bindgen::JsError) -> String {
    JsValue::from(error)
        .dyn_into::<js_sys::Error>()
        .unwrap()
        .message()
        .into()
}

#[wasm_bindgen_test]
fn the_sample_summarizes_to_typed_columns_and_fits_as_it_is() {
    let s = summarize_subscriptions(JsValue::from_str(SAMPLE), json(OPTIONS)).unwrap();
    for name in ["tenure", "churned", "cohort"] {
        let column = get(&s, name).dyn_into::<Float64Array>().unwrap();
        assert_eq!(column.length(), 2400, "{name}");
    }
    assert_eq!(Array::from(&get(&s, "customerIds")).length(), 2400);
    assert_eq!(Array::from(&get(&s, "plan")).length(), 2400);
    assert_eq!(Array::from(&get(&s, "byCohort")).length(), 24);
    assert_eq!(Array::from(&get(&s, "periods")).length(), 24);
    assert_eq!(get(&s, "period").as_string().as_deref(), Some("month"));
    for fit in [fit_sbg(s.clone()), fit_bdw(s.clone())] {
        let fit = fit.unwrap();
        assert!(get(&fit, "logLikelihood").as_f64().unwrap() < 0.0);
    }
    let bytes = Uint8Array::from(SAMPLE.as_bytes());
    let from_bytes = summarize_subscription_bytes(bytes.into(), json(OPTIONS)).unwrap();
    assert_eq!(
        get(&from_bytes, "tenure")
            .dyn_into::<Float64Array>()
            .unwrap()
            .to_vec(),
        get(&s, "tenure")
            .dyn_into::<Float64Array>()
            .unwrap()
            .to_vec()
    );
}

#[wasm_bindgen_test]
fn errors_name_the_option_or_the_file() {
    let log = JsValue::from_str("id,start,end\n1,2024-01-01,\n");
    let options = |extra: &str| {
        json(&format!(
            r#"{{ "customerColumn": "id", "startColumn": "start", "endColumn": "end"{extra} }}"#
        ))
    };
    let e = message(
        summarize_subscriptions(log.clone(), options(r#", "period": "week""#)).unwrap_err(),
    );
    assert!(e.starts_with("period: expected \"month\""), "{e}");
    let e = message(
        summarize_subscriptions(log.clone(), options(r#", "priceColumn": "price""#)).unwrap_err(),
    );
    assert!(e.starts_with("priceColumn: no column named 'price'"), "{e}");
    let e =
        message(summarize_subscriptions(log.clone(), options(r#", "endColum": "x""#)).unwrap_err());
    assert!(e.starts_with("endColum: unknown field"), "{e}");
    let e = message(summarize_subscriptions(JsValue::from_str(""), options("")).unwrap_err());
    assert_eq!(e, "csvText: the file is empty");
    let e = message(summarize_subscription_bytes(JsValue::from_str("x"), options("")).unwrap_err());
    assert_eq!(e, "bytes: expected a Uint8Array, got a string");
}

/// The sample's plans do not change churn (tests/subscriptions.rs, `sample_log`): a fit per plan,
/// most subscribers first, and a test that does not reject one fit for both at any usual level.
#[wasm_bindgen_test]
fn the_sample_fits_by_plan() {
    let s = summarize_subscriptions(JsValue::from_str(SAMPLE), json(OPTIONS)).unwrap();
    let r = fit_retention_by_plan(s.clone(), json(r#"{ "model": "sbg" }"#)).unwrap();
    let levels = Array::from(&get(&r, "levels"));
    assert_eq!(levels.length(), 2);
    let names: Vec<String> = levels
        .iter()
        .map(|l| get(&l, "level").as_string().unwrap())
        .collect();
    assert_eq!(names, ["basic", "pro"]);
    let subscribers: f64 = levels
        .iter()
        .map(|l| get(&l, "subscribers").as_f64().unwrap())
        .sum();
    assert_eq!(subscribers, 2400.0);
    let lr = get(&r, "likelihoodRatio");
    assert_eq!(get(&lr, "degreesOfFreedom").as_f64(), Some(2.0));
    assert!(get(&lr, "pValue").as_f64().unwrap() > 1e-3);
    assert_eq!(get(&r, "model").as_string().as_deref(), Some("sbg"));
    let default = fit_retention_by_plan(s.clone(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&default, "model").as_string().as_deref(), Some("bdw"));

    let e = fit_retention_by_plan(s.clone(), json(r#"{ "modle": "sbg" }"#)).unwrap_err();
    let m = message(e);
    assert!(m.starts_with("modle: unknown field"), "{m}");
    let e = fit_retention_by_plan(s, json(r#"{ "model": "weibull" }"#)).unwrap_err();
    let m = message(e);
    assert!(m.starts_with("model:"), "{m}");
    let e = fit_retention_by_plan(
        json(r#"{ "tenure": [1, 2, 3], "churned": [1, 0, 1] }"#),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    let m = message(e);
    assert!(m.starts_with("plan: is required"), "{m}");
    let e = fit_retention_by_plan(
        json(r#"{ "survivors": [100, 60, 40], "plan": ["a"] }"#),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    let m = message(e);
    assert!(m.starts_with("data: needs one row per subscriber"), "{m}");
}
