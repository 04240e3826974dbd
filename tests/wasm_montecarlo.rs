//! The Monte Carlo JavaScript API through wasm-bindgen, in Node and headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test wasm_montecarlo`). The statistics are tested
//! natively (tests/montecarlo_stats.rs); these tests check the contract: result shapes and field names,
//! errors naming the field, and that chunked runs summarize to exactly the one-call result.
#![cfg(target_arch = "wasm32")]

use clvlab::wasm::{
    compare_scenarios_mc, simulate_equity, simulate_equity_chunk, summarize_runs, summarize_story,
    value_story, value_story_chunk,
};
use js_sys::{Array, Float64Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &key.into()).unwrap()
    })
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

fn error_message(error: wasm_bindgen::JsError) -> String {
    let value: JsValue = error.into();
    let error: js_sys::Error = value.dyn_into().unwrap();
    error.message().as_string().unwrap()
}

const CONFIG: &str = r#"{
  "segments": [
    {"name": "loyal", "customers": 20000, "margin": {"mean": 30, "cv": 0.8}, "retention": {"alpha": 0.7, "beta": 3.8}},
    {"name": "casual", "customers": 80000, "margin": 9, "retention": 0.8, "uncertainty": {"marginSd": 1}}
  ],
  "acquisition": {"perPeriod": 300, "segment": "casual", "acquisitionCost": 20},
  "discountRate": 0.01, "horizon": 12, "runs": 10, "seed": 7
}"#;

#[wasm_bindgen_test]
fn simulate_equity_has_the_documented_shape() {
    let result = simulate_equity(js(CONFIG)).unwrap();
    assert_eq!(get(&result, "runs").as_f64(), Some(10.0));
    for key in [
        "mean",
        "stdDev",
        "percentiles.p5",
        "percentiles.p25",
        "percentiles.p50",
        "percentiles.p75",
        "percentiles.p95",
    ] {
        assert!(get(&result, key).as_f64().unwrap().is_finite(), "{key}");
    }
    let edges = Array::from(&get(&result, "histogram.edges"));
    let counts = Array::from(&get(&result, "histogram.counts"));
    assert_eq!(edges.length(), counts.length() + 1);
    for key in [
        "byPeriod.p5",
        "byPeriod.p50",
        "byPeriod.p95",
        "byPeriod.mean",
    ] {
        assert_eq!(Array::from(&get(&result, key)).length(), 12, "{key}");
    }
    assert!(get(&result, "probAboveTarget").is_null());
    let segments = Array::from(&get(&result, "bySegment"));
    assert_eq!(segments.length(), 2);
    assert_eq!(get(&segments.get(1), "name").as_string().unwrap(), "casual");
    assert!(get(&segments.get(0), "mean").as_f64().unwrap() > 0.0);

    let with_target = CONFIG.replace(r#""seed": 7"#, r#""seed": 7, "target": 0"#);
    let result = simulate_equity(js(&with_target)).unwrap();
    assert_eq!(get(&result, "probAboveTarget").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn chunks_summarize_to_the_one_call_result() {
    let whole = stringify(&simulate_equity(js(CONFIG)).unwrap());
    let a = simulate_equity_chunk(js(CONFIG), 0.0.into(), 3.0.into()).unwrap();
    let b = simulate_equity_chunk(js(CONFIG), 3.0.into(), 7.0.into()).unwrap();
    assert!(get(&a, "totals").is_instance_of::<Float64Array>());
    assert_eq!(Float64Array::from(get(&b, "totals")).length(), 7);
    assert_eq!(Float64Array::from(get(&b, "byPeriod")).length(), 7 * 12);
    assert_eq!(Float64Array::from(get(&b, "bySegment")).length(), 7 * 2);
    let chunks = Array::of2(&b, &a);
    assert_eq!(
        stringify(&summarize_runs(js(CONFIG), chunks.into()).unwrap()),
        whole
    );
    let other = CONFIG.replace(r#""seed": 7"#, r#""seed": 8"#);
    assert_ne!(stringify(&simulate_equity(js(&other)).unwrap()), whole);
}

#[wasm_bindgen_test]
fn compare_reports_the_delta_distribution() {
    let model = CONFIG.replace(r#", "runs": 10, "seed": 7"#, "");
    let better = model.replace(r#""retention": 0.8"#, r#""retention": 0.85"#);
    let input = format!(r#"{{"base": {model}, "scenarios": [{better}], "runs": 20, "seed": 3}}"#);
    let result = compare_scenarios_mc(js(&input)).unwrap();
    assert_eq!(get(&result, "runs").as_f64(), Some(20.0));
    assert!(get(&result, "base.mean").as_f64().unwrap() > 0.0);
    let scenario = Array::from(&get(&result, "scenarios")).get(0);
    assert!(get(&scenario, "delta.mean").as_f64().unwrap() > 0.0);
    assert!(get(&scenario, "delta.percentiles.p5").as_f64().is_some());
    assert_eq!(get(&scenario, "probBetter").as_f64(), Some(1.0));
    assert!(get(&scenario, "equity.stdDev").as_f64().is_some());
}

#[wasm_bindgen_test]
fn compare_takes_changes_as_compare_scenarios_does() {
    let model = CONFIG.replace(r#", "runs": 10, "seed": 7"#, "");
    let better = model.replace(r#""retention": 0.8"#, r#""retention": 0.85"#);
    let whole = format!(r#"{{"base": {model}, "scenarios": [{better}], "runs": 20, "seed": 3}}"#);
    let changes = format!(
        r#"{{"base": {model}, "scenarios": [{{"name": "cut churn", "changes": {{"retention": 0.85}}, "segment": "casual"}}], "runs": 20, "seed": 3}}"#
    );
    let whole = compare_scenarios_mc(js(&whole)).unwrap();
    let by_changes = compare_scenarios_mc(js(&changes)).unwrap();
    let scenario = |r: &JsValue| Array::from(&get(r, "scenarios")).get(0);
    assert_eq!(get(&scenario(&whole), "name"), JsValue::NULL);
    assert_eq!(
        get(&scenario(&by_changes), "name").as_string().as_deref(),
        Some("cut churn")
    );
    assert_eq!(
        stringify(&get(&scenario(&whole), "delta")),
        stringify(&get(&scenario(&by_changes), "delta"))
    );
    let mixed = format!(
        r#"{{"base": {model}, "scenarios": [{better}, {{"name": "x", "changes": {{}}}}], "runs": 20, "seed": 3}}"#
    );
    let e = error_message(compare_scenarios_mc(js(&mixed)).unwrap_err());
    assert!(e.starts_with("scenarios[1]: is changes"), "{e}");
    let typo = changes.replace(r#""retention": 0.85"#, r#""retension": 0.85"#);
    let e = error_message(compare_scenarios_mc(js(&typo)).unwrap_err());
    assert!(
        e.starts_with("scenarios[0].changes.retension: unknown field"),
        "{e}"
    );
}

#[wasm_bindgen_test]
fn errors_name_the_field() {
    let cases = [
        (CONFIG.replace("20000", "-5"), "segments[0].customers:"),
        (CONFIG.replace(r#""runs": 10"#, r#""runs": 0"#), "runs:"),
        (
            CONFIG.replace(r#""horizon": 12, "#, ""),
            "horizon: is required",
        ),
        (
            CONFIG.replace(r#""cv": 0.8"#, r#""cv": -1"#),
            "segments[0].margin.cv:",
        ),
        (
            CONFIG.replace(r#""alpha": 0.7"#, r#""alpha": 0"#),
            "segments[0].retention.alpha:",
        ),
        (
            CONFIG.replace(r#""horizon": 12"#, r#""horizon": "12""#),
            "horizon:",
        ),
        (
            CONFIG.replace(
                r#""horizon": 12, "runs": 10"#,
                r#""horizon": 1200, "runs": 100000"#,
            ),
            "runs: runs × horizon",
        ),
    ];
    for (json, field) in cases {
        let message = error_message(simulate_equity(js(&json)).unwrap_err());
        assert!(
            message.starts_with(field) || message.contains(field),
            "{message}"
        );
    }
    let e = error_message(simulate_equity_chunk(js(CONFIG), 8.0.into(), 5.0.into()).unwrap_err());
    assert!(e.starts_with("runCount:"), "{e}");
    let e = error_message(
        simulate_equity_chunk(js(CONFIG), (-1.0_f64).into(), 5.0.into()).unwrap_err(),
    );
    assert!(e.starts_with("firstRun:"), "{e}");
    // A first run past the configuration's runs is firstRun's fault, not runCount's.
    let e =
        error_message(simulate_equity_chunk(js(CONFIG), 100.0.into(), 10.0.into()).unwrap_err());
    assert!(e.starts_with("firstRun: must be below"), "{e}");
    let e =
        error_message(simulate_equity_chunk(js(CONFIG), JsValue::NULL, 10.0.into()).unwrap_err());
    assert_eq!(e, "firstRun: expected a number, got null");
    let e = error_message(summarize_runs(js(CONFIG), js("{}")).unwrap_err());
    assert!(e.starts_with("chunks:"), "{e}");
    let e = error_message(summarize_runs(js(CONFIG), js(r#"[{"firstRun": 0}]"#)).unwrap_err());
    assert!(e.starts_with("chunks[0].totals:"), "{e}");
}

#[wasm_bindgen_test]
fn null_optional_fields_take_their_defaults() {
    let plain = stringify(&simulate_equity(js(CONFIG)).unwrap());
    let nulls = CONFIG
        .replace(
            r#""seed": 7"#,
            r#""seed": 7, "timing": null, "target": null"#,
        )
        .replace(
            r#"{"marginSd": 1}"#,
            r#"{"marginSd": 1, "retentionSd": null}"#,
        );
    assert_eq!(stringify(&simulate_equity(js(&nulls)).unwrap()), plain);
    let no_acquisition = CONFIG.replace(
        r#""acquisition": {"perPeriod": 300, "segment": "casual", "acquisitionCost": 20}"#,
        r#""acquisition": null"#,
    );
    assert!(simulate_equity(js(&no_acquisition)).is_ok());
}

#[wasm_bindgen_test]
fn value_story_names_its_fields() {
    let input = r#"{"customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 1200,
        "improvement": {"churn": {"from": -0.1, "to": -0.2}}, "price": {"upfront": 10000}, "runs": 10, "seed": 1}"#;
    let story = value_story(js(input)).unwrap();
    // Gupta & Lehmann's 1,000 × 100 × 0.8/(1.1 − 0.8).
    let before = get(&story, "equityBefore").as_f64().unwrap();
    assert!((before - 266_666.666_666_7).abs() < 1e-6, "{before}");
    for path in [
        "equityAfter",
        "gain.expected",
        "gain.low",
        "gain.high",
        "simulated.gain.percentiles.p5",
        "simulated.probPositive",
        "simulated.probAbovePrice",
        "priceValue",
        "payback",
        "ruleOfThumb.gainPercent",
    ] {
        assert!(get(&story, path).as_f64().is_some(), "{path}");
    }
    assert_eq!(Array::from(&get(&story, "cumulative.gain")).length(), 1201);
    let cases = [
        (
            input.replace(r#""customers": 1000"#, r#""customers": -1"#),
            "customers:",
        ),
        (
            input.replace(r#""to": -0.2"#, r#""to": "a lot""#),
            "improvement.churn.to:",
        ),
        (
            input.replace(r#""upfront""#, r#""upfrnt""#),
            "price.upfrnt: unknown field",
        ),
        (input.replace(r#""runs": 10"#, r#""runs": 0"#), "runs:"),
    ];
    for (json, want) in cases {
        let e = error_message(value_story(js(&json)).unwrap_err());
        assert!(e.starts_with(want), "{want}: {e}");
    }
}

#[wasm_bindgen_test]
fn value_story_chunks_summarize_to_the_one_call_story() {
    let input = r#"{"customers": 300, "margin": 50, "retention": 0.75, "discountRate": 0.1, "horizon": 6,
        "newCustomers": 10, "improvement": {"churn": {"from": -0.1, "to": -0.3}}, "runs": 25, "seed": 2}"#;
    let whole = value_story(js(input)).unwrap();
    let later = value_story_chunk(js(input), 10.into(), 15.into()).unwrap();
    assert!(get(&later, "gains").is_instance_of::<Float64Array>());
    assert_eq!(get(&later, "firstRun").as_f64(), Some(10.0));
    // Chunks in any order, one of them as a plain array of numbers.
    let first = value_story_chunk(js(input), 0.into(), 10.into()).unwrap();
    let gains = Float64Array::from(get(&first, "gains")).to_vec();
    let plain = js(&format!(r#"{{"firstRun": 0, "gains": {gains:?}}}"#));
    let chunks = Array::of2(&later, &plain);
    assert_eq!(
        stringify(&summarize_story(js(input), chunks.into()).unwrap()),
        stringify(&whole)
    );
    let cases = [
        (
            summarize_story(js(input), js("{}")),
            "chunks: expected an array of valueStoryChunk results, got an object",
        ),
        (
            summarize_story(js(input), js(r#"[{"firstRun": -1, "gains": []}]"#)),
            "chunks[0].firstRun:",
        ),
        (
            summarize_story(js(input), js(r#"[{"firstRun": 0, "gains": "x"}]"#)),
            "chunks[0].gains:",
        ),
        (
            summarize_story(js(input), Array::of1(&first).into()),
            "chunks: hold 10 runs, the configuration asks for 25",
        ),
        (
            value_story_chunk(js(input), 20.into(), 10.into()),
            "runCount: runs 20 to 30 go past",
        ),
        (
            value_story_chunk(js(input), JsValue::from_str("0"), 1.into()),
            "firstRun:",
        ),
    ];
    for (result, want) in cases {
        let e = error_message(result.unwrap_err());
        assert!(e.starts_with(want), "{want}: {e}");
    }
}
