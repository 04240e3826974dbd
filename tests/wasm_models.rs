//! The model-fitting API through wasm-bindgen, in Node and headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test wasm_models`). The numbers are tested natively
//! in tests/models_reference.rs; these tests check the contract: names, shapes, typed arrays in and
//! out, and errors that name the field.
#![cfg(target_arch = "wasm32")]

use clvlab::wasm::{
    customer_value, expected_purchases_new, expected_spend, fit_bdw, fit_bg_bb, fit_bg_nbd,
    fit_gamma_gamma, fit_modified_bg_nbd, fit_pareto_nbd, fit_sbg, predict, prob_purchases,
};
use js_sys::{Float64Array, Object, Reflect};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

mod common;

use common::precision::{assert_abs, PUBLISHED_2DP, PUBLISHED_3DP};

const CDNOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/cdnow_sample_summary.csv"
));
const DONATIONS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/donations.csv"
));

fn js(value: serde_json::Value) -> JsValue {
    serde::Serialize::serialize(&value, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).unwrap()
    })
}

fn number(value: &JsValue, path: &str) -> f64 {
    get(value, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

fn message(result: Result<impl std::fmt::Debug, wasm_bindgen::JsError>) -> String {
    let error: JsValue = result.unwrap_err().into();
    get(&error, "message").as_string().unwrap()
}

/// Columns of a CSV (header skipped) as Float64Arrays, in a JS object under `names`.
fn csv_object(text: &str, names: &[(&str, usize)]) -> JsValue {
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    let object = Object::new();
    for &(name, column) in names {
        let values: Vec<f64> = rows.iter().map(|r| r[column]).collect();
        Reflect::set(
            &object,
            &name.into(),
            &Float64Array::from(values.as_slice()),
        )
        .unwrap();
    }
    object.into()
}

fn cdnow() -> JsValue {
    csv_object(
        CDNOW,
        &[
            ("frequency", 1),
            ("recency", 2),
            ("T", 3),
            ("monetaryValue", 4),
        ],
    )
}

#[wasm_bindgen_test]
fn fit_sbg_returns_the_fit_and_its_projection() {
    // Fader & Hardie (2007), regular segment.
    let fit = fit_sbg(js(
        json!({ "survivors": [1000, 631, 468, 382, 326, 289, 262, 241] }),
    ))
    .unwrap();
    assert_eq!(get(&fit, "model").as_string().unwrap(), "sbg");
    for (path, want) in [("params.alpha", 0.704), ("params.beta", 1.182)] {
        assert_abs(path, number(&fit, path), want, PUBLISHED_3DP);
    }
    assert!(number(&fit, "standardErrors.alpha") > 0.0);
    assert_eq!(
        get(&fit, "termination").as_string().as_deref(),
        Some("gradientSmall")
    );
    assert!(number(&fit, "iterations") >= 1.0);
    assert_eq!(number(&fit, "survival.0"), 1.0);
    assert!(number(&fit, "retention.0") > 0.0);
    let e = message(fit_sbg(js(json!({ "survivors": [1000, 631, 700] }))));
    assert!(e.starts_with("survivors[2]: must not exceed"), "{e}");
    let e = message(fit_sbg(js(json!({ "survivors": [1000, "x", 700] }))));
    assert!(e.starts_with("survivors[1]:"), "{e}");
}

/// The three forms of durations are one likelihood: the regular segment's years 0–7 as survivor
/// counts, as one row per customer (lost in year t: tenure t, churned; the 241 left: tenure 7, still
/// active) and as two cohorts whose counts add up to it, give the same fit (α 0.704, β 1.182).
#[wasm_bindgen_test]
fn durations_come_as_counts_cohorts_or_customers() {
    let n = [1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0];
    let mut tenure: Vec<f64> = (1..8).map(f64::from).collect();
    let mut weights: Vec<f64> = (1..8).map(|t| n[t - 1] - n[t]).collect();
    let mut churned = vec![1.0; 7];
    tenure.push(7.0);
    weights.push(241.0);
    churned.push(0.0);
    let half: Vec<f64> = n.iter().map(|v| v / 2.0).collect();
    for data in [
        json!({ "tenure": tenure, "churned": churned, "weights": weights }),
        json!({ "cohorts": [half, half] }),
    ] {
        let fit = fit_sbg(js(data)).unwrap();
        for (path, want) in [("params.alpha", 0.704), ("params.beta", 1.182)] {
            assert_abs(path, number(&fit, path), want, PUBLISHED_3DP);
        }
    }
    let e = message(fit_sbg(js(json!({ "survivors": n, "cohorts": [n] }))));
    assert!(e.starts_with("data: give one of"), "{e}");
    let e = message(fit_sbg(js(json!({ "survivor": n }))));
    assert!(e.starts_with("survivor: unknown field"), "{e}");
    let e = message(fit_sbg(js(json!({}))));
    assert!(e.starts_with("data: needs survivors"), "{e}");
    let e = message(fit_sbg(js(json!({ "cohorts": [[10, 5, 2], [8, "x"]] }))));
    assert!(e.starts_with("cohorts[1][1]:"), "{e}");
    let e = message(fit_sbg(js(json!({ "tenure": [1, 2], "churned": [1, 2] }))));
    assert!(e.starts_with("churned[1]:"), "{e}");
}

#[wasm_bindgen_test]
fn fit_bdw_returns_gamma_delta_c_and_its_projection() {
    let fit = fit_bdw(js(
        json!({ "survivors": [1000, 869, 743, 653, 593, 551, 517, 491] }),
    ))
    .unwrap();
    assert_eq!(get(&fit, "model").as_string().unwrap(), "bdw");
    for key in ["gamma", "delta", "c"] {
        assert!(number(&fit, &format!("params.{key}")) > 0.0);
        assert!(number(&fit, &format!("standardErrors.{key}")) > 0.0);
    }
    assert_eq!(number(&fit, "survival.0"), 1.0);
    assert!(number(&fit, "retention.13") > number(&fit, "retention.0"));
    let e = message(fit_bdw(js(json!({ "survivors": [1000, 631] }))));
    assert!(e.starts_with("survivors: needs at least 3"), "{e}");
}

#[wasm_bindgen_test]
fn purchase_models_fit_typed_arrays_and_predict_typed_arrays() {
    let data = cdnow();
    let fit = fit_bg_nbd(data.clone(), None).unwrap();
    assert_eq!(get(&fit, "model").as_string().unwrap(), "bgnbd");
    for key in ["r", "alpha", "a", "b"] {
        assert!(number(&fit, &format!("params.{key}")) > 0.0);
        assert!(number(&fit, &format!("standardErrors.{key}")) > 0.0);
    }
    // Fader, Hardie & Lee (2005): r 0.243, LL −9582.43.
    assert_abs("params.r", number(&fit, "params.r"), 0.243, PUBLISHED_3DP);
    let ll = number(&fit, "logLikelihood");
    assert_abs("logLikelihood", ll, -9582.43, PUBLISHED_2DP);
    let out = predict(fit.clone(), data.clone(), js(json!({ "horizon": 39 }))).unwrap();
    let expected = get(&out, "expectedPurchases")
        .dyn_into::<Float64Array>()
        .unwrap();
    let alive = get(&out, "probAlive").dyn_into::<Float64Array>().unwrap();
    assert_eq!(expected.length(), 2357);
    assert_eq!(alive.length(), 2357);
    // FHL (2005): the first customer (2, 30.43, 38.86): P(alive) 0.727 (tests/data/README.md).
    assert_abs("probAlive[0]", alive.get_index(0), 0.727, PUBLISHED_3DP);
    assert!(expected_purchases_new(fit.clone(), 39.0.into()).unwrap() > 0.0);
    let p0 = prob_purchases(fit.clone(), 39.0.into(), 0.0.into()).unwrap();
    assert!(p0 > 0.0 && p0 < 1.0);
    // A fit with a key the fit functions never return (a typo) is refused, not half read.
    let typo = js(
        json!({ "model": "bgnbd", "params": { "r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4 }, "horizon": 39 }),
    );
    assert_eq!(
        message(predict(typo, data.clone(), js(json!({ "horizon": 39 })))),
        "horizon: unknown field (expected model, params, logLikelihood, standardErrors, covariance, termination, iterations, starts, survival, retention, included, excluded)"
    );

    let pareto = fit_pareto_nbd(data.clone(), None).unwrap();
    assert_eq!(get(&pareto, "model").as_string().unwrap(), "paretonbd");
    for key in ["r", "alpha", "s", "beta"] {
        assert!(number(&pareto, &format!("params.{key}")) > 0.0);
    }
    let mbg = fit_modified_bg_nbd(data.clone()).unwrap();
    assert_eq!(get(&mbg, "model").as_string().unwrap(), "mbgnbd");
    assert!(number(&mbg, "params.a") > 0.0);
}

#[wasm_bindgen_test]
fn plain_arrays_work_and_bad_rows_name_the_field_and_index() {
    let summary =
        json!({ "frequency": [0, 2, 5, 1], "recency": [0, 30, 35, 4], "T": [38, 38, 38, 38] });
    // Four customers may or may not identify four parameters: a fit or a clear error, never a panic.
    match fit_bg_nbd(js(summary), None) {
        Ok(fit) => assert!(number(&fit, "params.r") > 0.0),
        Err(e) => {
            let e: JsValue = e.into();
            assert!(get(&e, "message")
                .as_string()
                .unwrap()
                .contains("did not converge"));
        }
    }
    let bad = json!({ "frequency": [0, 2], "recency": [0, 40], "T": [38, 38] });
    assert_eq!(
        message(fit_bg_nbd(js(bad), None)),
        "recency[1]: must not exceed T (got 40 > 38)"
    );
    let bad = json!({ "frequency": [0, 2], "recency": [0, 4], "T": [38] });
    assert!(message(fit_pareto_nbd(js(bad), None)).starts_with("T: must have as many entries"));
    let bad = json!({ "frequency": [0, "two"], "recency": [0, 4], "T": [38, 38] });
    assert!(message(fit_bg_nbd(js(bad), None)).starts_with("frequency[1]:"));
    let bad = json!({ "frequency": [0, 1], "T": [38, 38] });
    assert_eq!(message(fit_bg_nbd(js(bad), None)), "recency: is required");
    let bad = json!({ "frequency": [], "recency": [], "T": [] });
    assert!(message(fit_bg_nbd(js(bad), None)).starts_with("frequency: must not be empty"));
}

#[wasm_bindgen_test]
fn other_typed_arrays_are_read_as_numbers() {
    let summary = |frequency: JsValue| {
        let object = js(json!({ "recency": [0, 30, 35], "T": [38, 38, 38] }));
        Reflect::set(&object, &"frequency".into(), &frequency).unwrap();
        object
    };
    let ints = js_sys::Int32Array::from([0, 2, -1].as_slice());
    let bad = message(fit_bg_nbd(summary(ints.into()), None));
    assert!(bad.starts_with("frequency[2]:"), "{bad}");
    let big = js_sys::BigInt64Array::new_with_length(3);
    let bad = message(fit_bg_nbd(summary(big.into()), None));
    assert!(
        bad.starts_with("frequency[0]: expected a number, got a BigInt"),
        "{bad}"
    );
    let bytes = js_sys::Uint8Array::from([0u8, 2, 5].as_slice());
    let plain = js(json!([0, 2, 5]));
    // The same outcome (here: the same refusal of these three customers) from bytes as from numbers.
    let outcome = |frequency: JsValue| match fit_bg_nbd(summary(frequency), None) {
        Ok(fit) => format!("{:?}", get(&fit, "logLikelihood")),
        Err(e) => message(Err::<(), _>(e)),
    };
    assert_eq!(outcome(bytes.into()), outcome(plain));
}

#[wasm_bindgen_test]
fn spend_and_value() {
    let data = cdnow();
    let gg = fit_gamma_gamma(data.clone(), None).unwrap();
    assert_eq!(get(&gg, "model").as_string().unwrap(), "gammagamma");
    for key in ["p", "q", "gamma"] {
        assert!(number(&gg, &format!("params.{key}")) > 0.0);
    }
    assert_eq!(number(&gg, "included") + number(&gg, "excluded"), 2357.0);
    let spend = expected_spend(gg.clone(), data.clone()).unwrap();
    assert_eq!(spend.length(), 2357);
    let bg = fit_bg_nbd(data.clone(), None).unwrap();
    let options = js(json!({ "months": 12, "monthlyDiscountRate": 0.01, "unitsPerMonth": 4.345 }));
    let value = customer_value(bg.clone(), gg.clone(), data.clone(), options).unwrap();
    assert_eq!(value.length(), 2357);
    assert!(value.get_index(0) > 0.0);
    let e = message(expected_spend(bg, data));
    assert_eq!(e, "spendFit: must be a gammagamma fit");
}

#[wasm_bindgen_test]
fn bgbb_takes_periods() {
    let data = csv_object(
        DONATIONS,
        &[
            ("frequency", 0),
            ("recency", 1),
            ("periods", 2),
            ("weights", 3),
        ],
    );
    let fit = fit_bg_bb(data.clone()).unwrap();
    assert_eq!(get(&fit, "model").as_string().unwrap(), "bgbb");
    // Fader, Hardie & Shang (2010): α 1.204, LL −33225.58.
    assert_abs(
        "params.alpha",
        number(&fit, "params.alpha"),
        1.204,
        PUBLISHED_3DP,
    );
    let ll = number(&fit, "logLikelihood");
    assert_abs("logLikelihood", ll, -33225.58, PUBLISHED_2DP);
    for key in ["alpha", "beta", "gamma", "delta"] {
        assert!(number(&fit, &format!("standardErrors.{key}")) > 0.0);
    }
    let out = predict(fit.clone(), data, js(json!({ "horizon": 5 }))).unwrap();
    let expected = get(&out, "expectedPurchases")
        .dyn_into::<Float64Array>()
        .unwrap();
    assert_eq!(expected.length(), 22);
    let e = message(predict(fit, cdnow(), js(json!({ "horizon": 5 }))));
    // A Pareto/NBD-style summary is not BG/BB data: its T is refused before periods is missed.
    assert_eq!(
        e,
        "T: unknown field (expected frequency, recency, periods, weights)"
    );
}

#[wasm_bindgen_test]
fn an_sbg_fit_gives_its_customers_value_an_interval() {
    use clvlab::wasm::clv_intervals;
    // Fader & Hardie (2007), the regular segment: DEL at d = 0.1 is 3.695 (Fader & Hardie 2010).
    let fit = fit_sbg(js(
        json!({ "survivors": [1000, 631, 468, 382, 326, 289, 262, 241] }),
    ))
    .unwrap();
    let input = js(json!({ "margin": 1, "discountRate": 0.1, "timing": "start" }));
    let out = clv_intervals(input.clone(), fit.clone(), js(json!({ "draws": 300 }))).unwrap();
    let (estimate, lower, upper) = (
        number(&out, "clv.estimate"),
        number(&out, "clv.lower"),
        number(&out, "clv.upper"),
    );
    assert_abs("DEL", estimate, 3.695, PUBLISHED_3DP);
    assert!(
        lower < estimate && estimate < upper,
        "{lower} {estimate} {upper}"
    );
    assert_eq!(number(&out, "netValue.estimate"), estimate);
    let other =
        js(json!({ "margin": 1, "discountRate": 0.1, "retention": { "alpha": 0.5, "beta": 1.0 } }));
    assert_eq!(
        message(clv_intervals(other, fit.clone(), JsValue::UNDEFINED)),
        "retention: must be the fit's parameters, or omitted to take them from the fit"
    );
    assert_eq!(
        message(clv_intervals(
            input.clone(),
            fit,
            js(json!({ "levl": 0.5 }))
        )),
        "levl: unknown field; did you mean level?"
    );
    // A BdW fit of the same data: its DEL at the estimate is the clv of its { gamma, delta, c }.
    let bdw = fit_bdw(js(
        json!({ "survivors": [1000, 631, 468, 382, 326, 289, 262, 241] }),
    ))
    .unwrap();
    let out = clv_intervals(input, bdw.clone(), js(json!({ "draws": 300 }))).unwrap();
    let retention = get(&bdw, "params");
    let direct = clvlab::wasm::clv(js(json!({
        "margin": 1, "discountRate": 0.1, "timing": "start",
        "retention": {
            "gamma": number(&retention, "gamma"),
            "delta": number(&retention, "delta"),
            "c": number(&retention, "c"),
        }
    })))
    .unwrap();
    assert_eq!(number(&out, "clv.estimate"), number(&direct, "clv"));
    assert!(number(&out, "clv.lower") < number(&out, "clv.upper"));
}

/// The CDNOW sample with a two-level `channel` attribute, every other customer at "shop".
fn cdnow_with_channel(codes: JsValue) -> JsValue {
    let data = cdnow();
    let channel = js(json!({ "levels": ["web", "shop"] }));
    Reflect::set(&channel, &"codes".into(), &codes).unwrap();
    let attributes = Object::new();
    Reflect::set(&attributes, &"channel".into(), &channel).unwrap();
    Reflect::set(&data, &"attributes".into(), &attributes).unwrap();
    data
}

fn alternating() -> JsValue {
    let codes: Vec<u32> = (0..2357).map(|i| i % 2).collect();
    js_sys::Uint32Array::from(codes.as_slice()).into()
}

#[wasm_bindgen_test]
fn a_covariate_fit_names_its_coefficients_and_predicts_each_customer_under_their_own() {
    let data = cdnow_with_channel(alternating());
    let options = js(json!({ "covariates": ["channel"] }));
    let fit = fit_bg_nbd(data.clone(), Some(options.clone())).unwrap();
    let plain = fit_bg_nbd(data.clone(), None).unwrap();
    assert_eq!(
        number(&fit, "withoutCovariates.logLikelihood"),
        number(&plain, "logLikelihood")
    );
    assert_eq!(number(&fit, "likelihoodRatio.degreesOfFreedom"), 2.0);
    let coefficients: Vec<serde_json::Value> =
        serde_wasm_bindgen::from_value(get(&fit, "coefficients")).unwrap();
    assert_eq!(coefficients.len(), 2);
    assert_eq!(coefficients[0]["process"], "purchase");
    assert_eq!(coefficients[1]["term"], "channel=shop");
    let names: Vec<String> = serde_wasm_bindgen::from_value(get(&fit, "covariance.names")).unwrap();
    assert_eq!(
        names,
        [
            "r",
            "alpha",
            "a",
            "b",
            "purchase:channel=shop",
            "dropout:channel=shop"
        ]
    );
    // Customer 1 is at "shop": α·e^−γp, a and b ·e^γd, predicted by the plain model at those.
    let (gp, gd) = (
        coefficients[0]["estimate"].as_f64().unwrap(),
        coefficients[1]["estimate"].as_f64().unwrap(),
    );
    let p = |k: &str| number(&fit, &format!("params.{k}"));
    let shop = js(json!({ "model": "bgnbd", "params": {
        "r": p("r"), "alpha": p("alpha") * (-gp).exp(), "a": p("a") * gd.exp(), "b": p("b") * gd.exp()
    }}));
    let web = js(json!({ "model": "bgnbd", "params": {
        "r": p("r"), "alpha": p("alpha"), "a": p("a"), "b": p("b")
    }}));
    let horizon = js(json!({ "horizon": 39 }));
    let expected = |fit: JsValue, i: u32| {
        let out = predict(fit, data.clone(), horizon.clone()).unwrap();
        get(&out, "expectedPurchases")
            .dyn_into::<Float64Array>()
            .unwrap()
            .get_index(i)
    };
    let own = |i: u32| expected(fit.clone(), i);
    assert!((own(1) - expected(shop, 1)).abs() <= 1e-12 * own(1));
    assert!((own(0) - expected(web, 0)).abs() <= 1e-12 * own(0));

    // Errors name the option, the attribute and the code.
    let bad = js(json!({ "covariates": ["region"] }));
    let e = message(fit_bg_nbd(data.clone(), Some(bad)));
    assert!(
        e.starts_with(
            "options.covariates[0]: \"region\" is not an attribute of the summary (it has channel"
        ),
        "{e}"
    );
    let e = message(fit_bg_nbd(
        data.clone(),
        Some(js(json!({ "covariate": ["channel"] }))),
    ));
    assert!(e.starts_with("covariate: unknown field"), "{e}");
    let codes = js(json!([0, 1, 2]));
    let e = message(fit_bg_nbd(cdnow_with_channel(codes), Some(options.clone())));
    assert!(
        e.starts_with("attributes.channel.codes[2]: must be the index of a level"),
        "{e}"
    );
    let e = message(predict(fit.clone(), cdnow(), horizon.clone()));
    assert!(e.starts_with("attributes.channel: is required"), "{e}");
    let pareto = fit_pareto_nbd(data.clone(), Some(options.clone())).unwrap();
    assert_eq!(get(&pareto, "model").as_string().unwrap(), "paretonbd");
    // Exports that take fits without covariates say so.
    let e = message(expected_purchases_new(fit.clone(), 39.0.into()));
    assert!(e.starts_with("fit: is a fit with covariates"), "{e}");

    // Gamma-Gamma: the shop customers' spend scale γ·e^γs; expectedSpend under their own.
    let spend = fit_gamma_gamma(data.clone(), Some(options)).unwrap();
    assert_eq!(get(&spend, "model").as_string().unwrap(), "gammagamma");
    let coefficients: Vec<serde_json::Value> =
        serde_wasm_bindgen::from_value(get(&spend, "coefficients")).unwrap();
    assert_eq!(coefficients.len(), 1);
    assert_eq!(coefficients[0]["process"], "spend");
    let gs = coefficients[0]["estimate"].as_f64().unwrap();
    let p = |k: &str| number(&spend, &format!("params.{k}"));
    let shop = js(json!({ "model": "gammagamma", "params": {
        "p": p("p"), "q": p("q"), "gamma": p("gamma") * gs.exp()
    }}));
    let own = expected_spend(spend.clone(), data.clone()).unwrap();
    let want = expected_spend(shop, data.clone()).unwrap();
    assert!((own.get_index(1) - want.get_index(1)).abs() <= 1e-12 * want.get_index(1));
}
