//! `summarizeTransactions` / `summarizeTransactionBytes` through wasm-bindgen, in Node and in headless
//! Chromium. The numbers are tested natively (tests/data_reference.rs); these tests check the contract:
//! field names, typed arrays, the skipped-row report, and errors that name the option.
#![cfg(target_arch = "wasm32")]

use clvlab::wasm::{inspect_transactions, summarize_transaction_bytes, summarize_transactions};
use js_sys::{Array, Float64Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const CDNOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/www/data/cdnow_sample_transactions.csv"
));

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap()
}

fn numbers(object: &JsValue, name: &str) -> Vec<f64> {
    get(object, name)
        .dyn_into::<Float64Array>()
        .unwrap_or_else(|_| panic!("{name} is not a Float64Array"))
        .to_vec()
}

fn message(error: wasm_bindgen::JsError) -> String {
    JsValue::from(error)
        .dyn_into::<js_sys::Error>()
        .unwrap()
        .message()
        .into()
}

const LOG: &str = "id,day,amount\na,1997-01-01,10\nb,1997-01-03,5\na,1997-01-08,4\na,1997-01-08,2\nc,1997-01-09,x\n";
const OPTIONS: &str = r#"{ "customerColumn": "id", "dateColumn": "day", "valueColumn": "amount",
    "calibrationEnd": "1997-01-15", "timeUnit": "day" }"#;

#[wasm_bindgen_test]
fn returns_typed_arrays_and_the_report() {
    let s = summarize_transactions(JsValue::from_str(LOG), json(OPTIONS)).unwrap();
    let ids: Vec<String> = Array::from(&get(&s, "customerIds"))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(numbers(&s, "frequency"), [1.0, 0.0]);
    assert_eq!(numbers(&s, "recency"), [7.0, 0.0]);
    assert_eq!(numbers(&s, "T"), [14.0, 12.0]);
    assert_eq!(numbers(&s, "monetaryValue"), [6.0, 0.0]);
    assert_eq!(numbers(&s, "holdoutFrequency"), [0.0, 0.0]);
    // Days 1997-01-01 … 1997-01-15: a first buys on the 1st, b on the 3rd, a again on the 8th.
    let mut firsts = [0.0; 15];
    firsts[0] = 1.0;
    firsts[2] = 1.0;
    let mut repeats = [0.0; 15];
    repeats[7] = 1.0;
    assert_eq!(numbers(&s, "firstPurchasesByDay"), firsts);
    assert_eq!(numbers(&s, "calibrationRepeatsByDay"), repeats);
    assert_eq!(numbers(&s, "holdoutRepeatsByDay"), [] as [f64; 0]);
    assert_eq!(get(&s, "unitDays").as_f64(), Some(1.0));
    assert_eq!(get(&s, "unitsPerMonth").as_f64(), Some(365.25 / 12.0));
    assert_eq!(get(&s, "rows").as_f64(), Some(5.0));
    assert_eq!(get(&s, "skippedCount").as_f64(), Some(1.0));
    assert_eq!(get(&s, "excludedCustomers").as_f64(), Some(0.0));
    assert_eq!(
        JSON::stringify(&get(&s, "skipped")).unwrap(),
        r#"[{"line":6,"reason":"non-numeric value 'x'"}]"#
    );
    for (field, value) in [
        ("firstDate", "1997-01-01"),
        ("lastDate", "1997-01-08"), // the row on the 9th is skipped
        ("calibrationEnd", "1997-01-15"),
        ("observationEnd", "1997-01-15"),
        // Two thirds of the 7 days from the 1st to the 8th: 4.67 → the 6th.
        ("suggestedCalibrationEnd", "1997-01-06"),
        ("dateFormat", "YYYY-MM-DD"),
    ] {
        assert_eq!(
            get(&s, field).as_string().as_deref(),
            Some(value),
            "{field}"
        );
    }
}

#[wasm_bindgen_test]
fn summarizes_the_cdnow_sample() {
    let options = r#"{ "customerColumn": "customer_id", "dateColumn": "date", "valueColumn": "spend",
        "calibrationEnd": "1997-09-30", "timeUnit": "week" }"#;
    let s = summarize_transactions(JsValue::from_str(CDNOW), json(options)).unwrap();
    assert_eq!(numbers(&s, "frequency").len(), 2357);
    // Customer 00004 in tests/data/cdnow_sample_summary.csv: 2, 30.43, 38.86, 22.35.
    assert_eq!(numbers(&s, "frequency")[0], 2.0);
    assert!((numbers(&s, "recency")[0] - 30.43).abs() < 0.005);
    assert!((numbers(&s, "T")[0] - 38.86).abs() < 0.005);
    assert!((numbers(&s, "monetaryValue")[0] - 22.35).abs() < 0.0051);
}

#[wasm_bindgen_test]
fn reads_bytes_that_are_not_utf8() {
    let bytes = b"id;day\ncaf\xe9;19970101\ncaf\xe9;19970105\n";
    let options = json(r#"{ "customerColumn": "id", "dateColumn": "day", "dateFormat": "auto" }"#);
    let s =
        summarize_transaction_bytes(js_sys::Uint8Array::from(&bytes[..]).into(), options).unwrap();
    assert_eq!(
        JSON::stringify(&get(&s, "customerIds")).unwrap(),
        "[\"caf\u{fffd}\"]"
    );
    assert_eq!(
        get(&s, "dateFormat").as_string().as_deref(),
        Some("YYYYMMDD")
    );
    assert_eq!(numbers(&s, "recency"), [4.0 / 7.0]);
}

#[wasm_bindgen_test]
fn ids_keep_their_order_and_any_character() {
    let log = "id,day\nz,1997-01-01\n\"x\0y\",1997-01-02\n\"a,b\",1997-01-03\nz,1997-01-04\n";
    let options = json(r#"{ "customerColumn": "id", "dateColumn": "day" }"#);
    let s = summarize_transactions(JsValue::from_str(log), options.clone()).unwrap();
    assert_eq!(
        JSON::stringify(&get(&s, "customerIds")).unwrap(),
        r#"["z","x\u0000y","a,b"]"#
    );
    let plain = "id,day\nz,1997-01-01\n\"a,b\",1997-01-03\nq,1997-01-04\n";
    let s = summarize_transactions(JsValue::from_str(plain), options).unwrap();
    assert_eq!(
        JSON::stringify(&get(&s, "customerIds")).unwrap(),
        r#"["z","a,b","q"]"#
    );
}

#[wasm_bindgen_test]
fn null_undefined_and_blank_options_are_not_given() {
    let options = json(
        r#"{ "customerColumn": "id", "dateColumn": "day", "valueColumn": "", "dateFormat": null,
            "calibrationEnd": " ", "observationEnd": null, "delimiter": "" }"#,
    );
    Reflect::set(&options, &"timeUnit".into(), &JsValue::UNDEFINED).unwrap();
    let s = summarize_transactions(JsValue::from_str(LOG), options).unwrap();
    // No value column: row c's bad value no longer matters, and the file ends on its day, the 9th.
    assert_eq!(numbers(&s, "monetaryValue"), [0.0, 0.0, 0.0]);
    assert_eq!(numbers(&s, "T"), [8.0 / 7.0, 6.0 / 7.0, 0.0]);
    assert_eq!(
        get(&s, "calibrationEnd").as_string().as_deref(),
        Some("1997-01-09")
    );
}

#[wasm_bindgen_test]
fn inspects_the_start_of_a_log() {
    let i = inspect_transactions(JsValue::from_str(
        "Client;Order date;Total\nann;13/02/2020;3.50\n",
    ))
    .unwrap();
    assert_eq!(
        JSON::stringify(&i).unwrap(),
        concat!(
            r#"{"columns":["Client","Order date","Total"],"delimiter":";","rows":[["ann","13/02/2020","3.50"]],"#,
            r#""customerColumn":"Client","dateColumn":"Order date","valueColumn":"Total","statusColumn":null,"statuses":[],"dateFormat":"DD/MM/YYYY","decimal":".","#,
            r#""evidence":[{"column":"Client","values":1,"distinct":1,"onSeveralDates":0,"dates":0,"amounts":0},"#,
            r#"{"column":"Order date","values":1,"distinct":1,"onSeveralDates":0,"dates":1,"amounts":0},"#,
            r#"{"column":"Total","values":1,"distinct":1,"onSeveralDates":0,"dates":0,"amounts":1}],"#,
            r#""confidence":"low","notes":["no column has a value on two different dates in the first 1 rows, so none looks like a customer who comes back: Client is a guess by its name; check it","Order date is DD/MM/YYYY: '13/02/2020' cannot be MM/DD/YYYY"],"export":null}"#
        )
    );
    let none = inspect_transactions(JsValue::from_str("id\n1\n")).unwrap();
    assert!(get(&none, "dateColumn").is_null());
    assert!(get(&none, "dateFormat").is_null());
}

/// A recognised export comes back with its columns, the statuses to leave out where the platform's
/// differ from the defaults, and the statuses of its sample.
#[wasm_bindgen_test]
fn inspects_a_recognised_export() {
    let i = inspect_transactions(JsValue::from_str(concat!(
        "ID,Purchase Date,Grand Total (Purchased),Status,Customer Email\n",
        "1,\"Mar 9, 2024 10:00:00 AM\",5.00,complete,a@example.com\n",
        "2,\"Mar 19, 2024 10:00:00 AM\",6.00,closed,a@example.com\n",
    )))
    .unwrap();
    let export = get(&i, "export");
    assert_eq!(
        get(&export, "name").as_string().as_deref(),
        Some("magento-orders")
    );
    assert_eq!(
        get(&export, "statusColumn").as_string().as_deref(),
        Some("Status")
    );
    let excluded: Vec<String> = Array::from(&get(&export, "excludeStatuses"))
        .iter()
        .filter_map(|s| s.as_string())
        .collect();
    assert!(excluded.iter().any(|s| s == "closed") && excluded.iter().any(|s| s == "cancelled"));
    assert_eq!(
        JSON::stringify(&get(&i, "statuses")).unwrap(),
        r#"[{"status":"closed","rows":1,"excluded":true,"unknown":false},{"status":"complete","rows":1,"excluded":false,"unknown":false}]"#
    );
}

#[wasm_bindgen_test]
fn errors_name_the_option() {
    let wrong_column = json(r#"{ "customerColumn": "id", "dateColumn": "date" }"#);
    assert_eq!(
        message(summarize_transactions(JsValue::from_str(LOG), wrong_column).unwrap_err()),
        "dateColumn: no column named 'date' (columns: id, day, amount)"
    );
    let wrong_unit = json(r#"{ "customerColumn": "id", "dateColumn": "day", "timeUnit": "year" }"#);
    assert!(
        message(summarize_transactions(JsValue::from_str(LOG), wrong_unit).unwrap_err())
            .starts_with("timeUnit: ")
    );
    assert_eq!(
        message(summarize_transactions(JsValue::from_str(""), json(OPTIONS)).unwrap_err()),
        "csvText: the file is empty"
    );
}

#[wasm_bindgen_test]
fn attributes_come_keyed_by_column_with_typed_arrays() {
    // Categorical codes as a Uint32Array into the levels, numbers as a Float64Array; a column named
    // `__proto__` is an own key like any other, not the object's prototype.
    let log =
        "id,day,__proto__,age\na,1997-01-01,web,30\nb,1997-01-03,store,41\na,1997-01-08,web,30\n";
    let options = json(
        r#"{ "customerColumn": "id", "dateColumn": "day", "attributes": ["__proto__"],
        "numericAttributes": ["age"] }"#,
    );
    let s = summarize_transactions(JsValue::from_str(log), options).unwrap();
    let attributes = get(&s, "attributes");
    let keys: Vec<String> = js_sys::Object::keys(attributes.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(keys, ["__proto__", "age"]);
    let channel = get(&attributes, "__proto__");
    let levels: Vec<String> = Array::from(&get(&channel, "levels"))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(levels, ["web", "store"]);
    let codes = get(&channel, "codes")
        .dyn_into::<js_sys::Uint32Array>()
        .unwrap();
    assert_eq!(codes.to_vec(), [0, 1]);
    assert_eq!(numbers(&get(&attributes, "age"), "values"), [30.0, 41.0]);
    assert_eq!(get(&s, "attributeDroppedCustomers").as_f64(), Some(0.0));
    let changing = "id,day,channel\na,1997-01-01,web\na,1997-01-08,store\n";
    let options =
        json(r#"{ "customerColumn": "id", "dateColumn": "day", "attributes": ["channel"] }"#);
    assert!(
        message(summarize_transactions(JsValue::from_str(changing), options).unwrap_err())
            .starts_with("attributes: column 'channel' changes for customer a")
    );
}

#[wasm_bindgen_test]
fn a_summary_goes_to_the_models_as_it_is() {
    use clvlab::wasm::{customer_value, expected_spend, fit_bg_nbd, fit_gamma_gamma, predict};
    let options = r#"{ "customerColumn": "customer_id", "dateColumn": "date", "valueColumn": "spend",
        "calibrationEnd": "1997-09-30", "timeUnit": "week" }"#;
    let s = summarize_transactions(JsValue::from_str(CDNOW), json(options)).unwrap();
    let fit = fit_bg_nbd(s.clone(), None).unwrap();
    let spend = fit_gamma_gamma(s.clone(), None).unwrap();
    predict(fit.clone(), s.clone(), json(r#"{ "horizon": 52 }"#)).unwrap();
    expected_spend(spend.clone(), s.clone()).unwrap();
    let value = json(r#"{ "months": 12, "monthlyDiscountRate": 0.01, "unitsPerMonth": 4.348 }"#);
    customer_value(fit, spend, s, value).unwrap();
}

#[wasm_bindgen_test]
fn a_summary_scores_its_holdout_and_compares_the_models() {
    use clvlab::wasm::{compare_models, evaluate_holdout, fit_bg_nbd};
    let options = r#"{ "customerColumn": "customer_id", "dateColumn": "date",
        "calibrationEnd": "1997-09-30", "timeUnit": "week" }"#;
    let s = summarize_transactions(JsValue::from_str(CDNOW), json(options)).unwrap();
    // 1997-10-01 … 1998-06-30: 39 weeks, the holdout's length by default.
    assert_eq!(get(&s, "holdoutLength").as_f64(), Some(39.0));
    let fit = fit_bg_nbd(s.clone(), None).unwrap();
    let card = evaluate_holdout(fit.clone(), s.clone(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&card, "horizon").as_f64(), Some(39.0));
    // lifetimes 0.11.3 from its own fit: MAE 0.7855 (tests/data/cdnow_holdout_lifetimes.json).
    let mae = get(&card, "mae").as_f64().unwrap();
    assert!((mae - 0.7855).abs() < 1e-2, "{mae}");
    assert_eq!(get(&get(&card, "total"), "actual").as_f64(), Some(1882.0));
    let rows = Array::from(&get(&card, "byFrequency"));
    assert_eq!(rows.length(), 8);
    assert_eq!(
        get(&rows.get(7), "label").as_string().as_deref(),
        Some("7+")
    );
    // With intervals: the share of customers inside their own 90 % interval, and the total's interval.
    let checked = evaluate_holdout(
        fit.clone(),
        s.clone(),
        json(r#"{ "intervals": { "draws": 50 } }"#),
    )
    .unwrap();
    let coverage = get(&get(&checked, "intervals"), "coverage")
        .as_f64()
        .unwrap();
    assert!(coverage > 0.5 && coverage <= 1.0, "{coverage}");
    assert!(get(&get(&checked, "intervals"), "totalInside")
        .as_bool()
        .is_some());
    let slim = json(
        r#"{ "model": "bgnbd", "params": { "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426 } }"#,
    );
    assert_eq!(
        message(evaluate_holdout(slim, s.clone(), json(r#"{ "intervals": {} }"#)).unwrap_err()),
        "covariance: is required for intervals (pass the fit as the fit functions return it)"
    );
    let shorter = evaluate_holdout(fit.clone(), s.clone(), json(r#"{ "horizon": 10 }"#)).unwrap();
    assert_eq!(get(&shorter, "horizon").as_f64(), Some(10.0));

    let comparison = compare_models(s.clone(), JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&comparison, "rankedBy").as_string().as_deref(),
        Some("holdoutMae")
    );
    let models = Array::from(&get(&comparison, "models"));
    assert_eq!(models.length(), 3);
    assert_eq!(get(&models.get(0), "rank").as_f64(), Some(1.0));
    assert_eq!(
        get(&comparison, "best").as_string(),
        get(&models.get(0), "model").as_string()
    );

    let fail = |result: Result<JsValue, wasm_bindgen::JsError>| message(result.unwrap_err());
    let plain = json(r#"{ "frequency": [1, 0], "recency": [5, 0], "T": [10, 8] }"#);
    assert_eq!(
        fail(evaluate_holdout(
            fit.clone(),
            plain.clone(),
            JsValue::UNDEFINED
        )),
        "holdoutFrequency: is required"
    );
    let no_length = json(
        r#"{ "frequency": [1, 0], "recency": [5, 0], "T": [10, 8], "holdoutFrequency": [0, 1] }"#,
    );
    assert_eq!(
        fail(evaluate_holdout(fit.clone(), no_length, JsValue::UNDEFINED)),
        "holdoutLength: is required, or a horizon in the options"
    );
    assert_eq!(
        fail(evaluate_holdout(
            fit.clone(),
            s.clone(),
            json(r#"{ "horizn": 3 }"#)
        )),
        "horizn: unknown field; did you mean horizon?"
    );
    assert!(fail(evaluate_holdout(
        fit.clone(),
        s.clone(),
        json(r#"{ "horizon": -1 }"#)
    ))
    .starts_with("horizon: must be greater than 0"));
    assert_eq!(
        fail(compare_models(plain, json(r#"{ "horizon": 3 }"#))),
        "holdoutFrequency: is required when horizon is given"
    );
    let all = r#"{ "customerColumn": "customer_id", "dateColumn": "date", "timeUnit": "week",
        "calibrationEnd": "1998-06-30" }"#;
    let everything = summarize_transactions(JsValue::from_str(CDNOW), json(all)).unwrap();
    assert!(fail(evaluate_holdout(fit, everything, JsValue::UNDEFINED))
        .starts_with("holdoutLength: the summary has no holdout period"));
}

#[wasm_bindgen_test]
fn a_fit_gives_intervals_for_every_customer_and_the_base() {
    use clvlab::wasm::{fit_bg_nbd, predict_intervals};
    let options = r#"{ "customerColumn": "customer_id", "dateColumn": "date",
        "calibrationEnd": "1997-09-30", "timeUnit": "week" }"#;
    let s = summarize_transactions(JsValue::from_str(CDNOW), json(options)).unwrap();
    let fit = fit_bg_nbd(s.clone(), None).unwrap();
    let out = predict_intervals(
        fit.clone(),
        s.clone(),
        json(r#"{ "horizon": 39, "draws": 200 }"#),
    )
    .unwrap();
    for name in [
        "expectedPurchases",
        "purchasesLower",
        "purchasesUpper",
        "probAlive",
        "probAliveLower",
        "probAliveUpper",
    ] {
        assert_eq!(numbers(&out, name).len(), 2357, "{name}");
    }
    // Customer 00004 (x 2, t_x 30.43, T 38.86): E[Y(39)] 1.226 and P(alive) 0.7266 at the published
    // estimates (Fader, Hardie & Lee 2005); the mean over draws is within a few thousandths.
    assert!((numbers(&out, "expectedPurchases")[0] - 1.226).abs() < 0.01);
    assert!((numbers(&out, "probAlive")[0] - 0.7266).abs() < 5e-4);
    let (low, high) = (
        numbers(&out, "probAliveLower")[0],
        numbers(&out, "probAliveUpper")[0],
    );
    assert!(low < 0.7266 && 0.7266 < high, "{low} {high}");
    assert!(numbers(&out, "purchasesLower")[0] <= numbers(&out, "purchasesUpper")[0]);
    let total = get(&out, "total");
    let (mean, lower, upper) = (
        get(&total, "mean").as_f64().unwrap(),
        get(&total, "lower").as_f64().unwrap(),
        get(&total, "upper").as_f64().unwrap(),
    );
    assert!(lower < mean && mean < upper);

    let fail = |fit: JsValue, options: &str| {
        message(predict_intervals(fit, s.clone(), json(options)).unwrap_err())
    };
    assert_eq!(
        fail(fit.clone(), r#"{ "horizon": 39, "drawz": 10 }"#),
        "drawz: unknown field; did you mean draws?"
    );
    assert!(fail(fit.clone(), r#"{ "horizon": 39, "level": 2 }"#)
        .starts_with("level: must be between 0 and 1"));
    let bad_names = JSON::parse(
        &JSON::stringify(&fit)
            .unwrap()
            .as_string()
            .unwrap()
            .replace(r#""names":["r","alpha""#, r#""names":["alpha","r""#),
    )
    .unwrap();
    assert_eq!(
        fail(bad_names, r#"{ "horizon": 39 }"#),
        "covariance.names: must be r, alpha, a, b (the order of params)"
    );
}

#[wasm_bindgen_test]
fn a_spend_fit_values_every_customer_and_the_base_through_the_exports() {
    // predictIntervals' clv is customerValue's, and valueCustomerBase's estimate their sum; the
    // base's percentiles over the draws are predictIntervals' 90 % interval of its value (same seed).
    use clvlab::wasm::{
        customer_value, fit_bg_nbd, fit_gamma_gamma, predict_intervals, value_customer_base,
    };
    let options = r#"{ "customerColumn": "customer_id", "dateColumn": "date", "valueColumn": "spend",
        "calibrationEnd": "1997-09-30", "timeUnit": "week" }"#;
    let s = summarize_transactions(JsValue::from_str(CDNOW), json(options)).unwrap();
    let fit = fit_bg_nbd(s.clone(), None).unwrap();
    let spend = fit_gamma_gamma(s.clone(), None).unwrap();
    let value = r#"{ "months": 12, "monthlyDiscountRate": 0.01, "unitsPerMonth": 4.348 }"#;
    let with_spend = |text: &str| {
        let options = json(text);
        Reflect::set(&options, &"spendFit".into(), &spend).unwrap();
        options
    };
    let want = customer_value(fit.clone(), spend.clone(), s.clone(), json(value))
        .unwrap()
        .to_vec();
    let out = predict_intervals(
        fit.clone(),
        s.clone(),
        with_spend(&format!(
            r#"{{ "horizon": 39, "draws": 100, "value": {value} }}"#
        )),
    )
    .unwrap();
    assert_eq!(numbers(&out, "clv"), want);
    let (lower, upper) = (numbers(&out, "clvLower"), numbers(&out, "clvUpper"));
    assert!(lower.iter().zip(&upper).all(|(l, u)| l <= u));
    let total = get(&get(&out, "total"), "value");
    let base = value_customer_base(
        fit.clone(),
        s.clone(),
        with_spend(&format!(r#"{{ "draws": 100, "value": {value} }}"#)),
    )
    .unwrap();
    let sum: f64 = want.iter().sum();
    let number = |object: &JsValue, name: &str| get(object, name).as_f64().unwrap();
    assert!((number(&base, "estimate") - sum).abs() <= 1e-9 * sum);
    let percentiles = get(&base, "percentiles");
    assert!((number(&percentiles, "p5") - number(&total, "lower")).abs() <= 1e-9 * sum);
    assert!((number(&percentiles, "p95") - number(&total, "upper")).abs() <= 1e-9 * sum);
    let fan = get(&base, "byPeriod");
    assert_eq!(get(&fan, "p50").dyn_into::<Array>().unwrap().length(), 12);
    // Errors name the field.
    let fail = |options: JsValue| {
        message(value_customer_base(fit.clone(), s.clone(), options).unwrap_err())
    };
    assert_eq!(
        fail(json(&format!(r#"{{ "value": {value} }}"#))),
        "spendFit: is required (a fitGammaGamma result)"
    );
    assert!(fail(with_spend(
        r#"{ "value": { "months": 0, "monthlyDiscountRate": 0, "unitsPerMonth": 1 } }"#
    ))
    .starts_with("value.months:"));
    assert_eq!(
        fail(with_spend(&format!(
            r#"{{ "value": {value}, "drawz": 5 }}"#
        ))),
        "drawz: unknown field; did you mean draws?"
    );
}

#[wasm_bindgen_test]
fn the_base_values_its_segments_through_the_export() {
    // By cohort, RFM segment or a given { levels, codes }: the segments' customers and equity are
    // those of the customers whose `customers.segment` names them, their values customerValue's.
    use clvlab::wasm::{
        cohort_segments, customer_value, fit_bg_nbd, fit_gamma_gamma, value_customer_base,
    };
    let options = r#"{ "customerColumn": "customer_id", "dateColumn": "date", "valueColumn": "spend",
        "calibrationEnd": "1997-09-30", "timeUnit": "week" }"#;
    let s = summarize_transactions(JsValue::from_str(CDNOW), json(options)).unwrap();
    let fit = fit_bg_nbd(s.clone(), None).unwrap();
    let spend = fit_gamma_gamma(s.clone(), None).unwrap();
    let value = r#"{ "months": 12, "monthlyDiscountRate": 0.01, "unitsPerMonth": 4.348 }"#;
    let clv = customer_value(fit.clone(), spend.clone(), s.clone(), json(value))
        .unwrap()
        .to_vec();
    let run = |segment_by: JsValue, extra: &str| {
        let options = json(&format!(r#"{{ "draws": 50, "value": {value}{extra} }}"#));
        Reflect::set(&options, &"spendFit".into(), &spend).unwrap();
        Reflect::set(&options, &"segmentBy".into(), &segment_by).unwrap();
        value_customer_base(fit.clone(), s.clone(), options)
    };
    let cohorts = cohort_segments(s.clone(), JsValue::UNDEFINED).unwrap();
    let cohort_codes = js_sys::Uint32Array::from(get(&cohorts, "codes")).to_vec();
    for (by, name) in [
        (JsValue::from_str("cohort"), "cohort"),
        (JsValue::from_str("rfm"), "rfm"),
        (cohorts.clone(), "given"),
    ] {
        let base = run(by, "").unwrap();
        assert_eq!(get(&base, "segmentBy").as_string().unwrap(), name);
        let customers = get(&base, "customers");
        assert_eq!(numbers(&customers, "clv"), clv);
        let codes = js_sys::Uint32Array::from(get(&customers, "segment")).to_vec();
        if name != "rfm" {
            assert_eq!(codes, cohort_codes);
        }
        let segments = Array::from(&get(&base, "segments"));
        for (k, segment) in segments.iter().enumerate() {
            let members: Vec<usize> = (0..clv.len()).filter(|&i| codes[i] as usize == k).collect();
            let equity: f64 = members.iter().map(|&i| clv[i]).sum();
            let got = get(&get(&segment, "equity"), "estimate").as_f64().unwrap();
            assert!(
                (got - equity).abs() <= 1e-9 * equity.max(1.0),
                "{name} {k}: {got} {equity}"
            );
            assert_eq!(
                get(&segment, "customers").as_f64().unwrap(),
                members.len() as f64
            );
        }
    }
    // A plan for a cohort that is not one, an unknown name and a typo are named.
    let fail = |by: &str, extra: &str| message(run(JsValue::from_str(by), extra).unwrap_err());
    let err = fail(
        "cohort",
        r#", "segments": { "1996-01": { "acquisitionCost": 10 } }"#,
    );
    assert!(
        err.starts_with("segments.1996-01: is not a segment of the base (its segments: 1997-01"),
        "{err}"
    );
    assert_eq!(
        fail("channel", ""),
        "segmentBy: \"channel\" is not \"rfm\", \"cohort\" or an attribute of the summary (it has none)"
    );
    let err = fail(
        "cohort",
        r#", "segments": { "1997-01": { "acquisitionCosts": 10 } }"#,
    );
    assert!(
        err.contains("acquisitionCosts: unknown field; did you mean acquisitionCost?"),
        "{err}"
    );
}
