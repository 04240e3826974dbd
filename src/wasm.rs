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

/// The value of a customer base: `{ segments: [{ name, customers, ...clv fields }], acquisition?,
/// competitors? }` → `{ equity, current, future, bySegment, acquisition, share }` (see
/// [`crate::equity`]).
#[wasm_bindgen(js_name = customerEquity)]
pub fn customer_equity(input: JsValue) -> Result<JsValue, JsError> {
    let input: crate::equity::EquityInput = from_js(input)?;
    to_js(&crate::equity::customer_equity(&input).map_err(js_error)?)
}
