//! The JavaScript API: every `#[wasm_bindgen]` export of clvlab lives here and nowhere else.
//!
//! Inputs arrive as plain JS objects with camelCase fields and are read with `serde-wasm-bindgen`
//! (through `serde_path_to_error`, so a type error names the field's path); results go back as plain
//! objects. Every failure becomes a JS `Error` whose message begins with the offending field. The domain
//! modules validate their own inputs; this layer only converts.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Reads a JS value into `T`; a type error names the path of the field.
fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e
            .into_inner()
            .to_string()
            .replace("expected f64", "expected a number");
        if path == "." {
            JsError::new(&inner)
        } else {
            JsError::new(&format!("{path}: {inner}"))
        }
    })
}

/// Writes `value` as plain JS objects and arrays (`None` becomes `null`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Turns any displayable domain error into a JS `Error` carrying its message.
fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// The version of the clvlab package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

// ---- clv ----

/// The value of one customer: `{ margin, discountRate, retention, horizon?, timing?, marginGrowth?,
/// acquisitionCost?, renewals? }` → `{ clv, expectedLifetime, netValue, ltvToCac, paybackPeriod,
/// periods }` (see [`crate::clv`]).
#[wasm_bindgen(js_name = clv)]
pub fn clv(input: JsValue) -> Result<JsValue, JsError> {
    let input: crate::clv::ClvInput = from_js(input)?;
    to_js(&crate::clv::clv(&input).map_err(js_error)?)
}

// ---- data ----

use crate::data;

/// Summarises a CSV transaction log per customer (`options`: `customerColumn`, `dateColumn`,
/// `valueColumn?`, `dateFormat?`, `calibrationEnd?`, `observationEnd?`, `timeUnit?`, `delimiter?`; see
/// [`crate::data`]). Returns `{ customerIds, frequency, recency, T, monetaryValue, holdoutFrequency }`
/// (the numbers as `Float64Array`s) and the report `{ rows, skipped: [{ line, reason }], skippedCount,
/// excludedCustomers, firstDate, lastDate, calibrationEnd, observationEnd, dateFormat }`.
#[wasm_bindgen(js_name = summarizeTransactions)]
pub fn summarize_transactions(csv_text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options: data::Options = from_js(options)?;
    summary_to_js(&data::summarize(csv_text, &options).map_err(js_error)?)
}

/// As `summarizeTransactions`, from the raw bytes of a file (a `Uint8Array`), UTF-8 or not: ids and
/// names are decoded lossily, so a file in another encoding still summarises.
#[wasm_bindgen(js_name = summarizeTransactionBytes)]
pub fn summarize_transaction_bytes(bytes: &[u8], options: JsValue) -> Result<JsValue, JsError> {
    let options: data::Options = from_js(options)?;
    summary_to_js(&data::summarize_bytes(bytes, &options).map_err(js_error)?)
}

fn summary_to_js(summary: &data::Summary) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Report<'a> {
        customer_ids: &'a [String],
        rows: usize,
        skipped: &'a [data::SkippedRow],
        skipped_count: usize,
        excluded_customers: usize,
        first_date: &'a str,
        last_date: &'a str,
        calibration_end: &'a str,
        observation_end: &'a str,
        date_format: &'static str,
    }
    let object = to_js(&Report {
        customer_ids: &summary.customer_ids,
        rows: summary.rows,
        skipped: &summary.skipped,
        skipped_count: summary.skipped_count,
        excluded_customers: summary.excluded_customers,
        first_date: &summary.first_date,
        last_date: &summary.last_date,
        calibration_end: &summary.calibration_end,
        observation_end: &summary.observation_end,
        date_format: summary.date_format.label(),
    })?;
    for (name, values) in [
        ("frequency", &summary.frequency),
        ("recency", &summary.recency),
        ("T", &summary.t),
        ("monetaryValue", &summary.monetary_value),
        ("holdoutFrequency", &summary.holdout_frequency),
    ] {
        let array = js_sys::Float64Array::from(values.as_slice());
        js_sys::Reflect::set(&object, &JsValue::from_str(name), &array)
            .map_err(|_| JsError::new("could not build the summary object"))?;
    }
    Ok(object)
}
