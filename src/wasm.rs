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

/// Whether a JS input is a customer base (`customerEquity` input) rather than one customer: it has
/// `segments`.
fn is_customer_base(input: &JsValue) -> bool {
    input.is_object()
        && js_sys::Reflect::has(input, &JsValue::from_str("segments")).unwrap_or(false)
}

/// Reads a `clv` or `customerEquity` input, told apart by `segments`.
fn valuation_from_js(input: JsValue) -> Result<crate::scenario::Valuation, JsError> {
    Ok(if is_customer_base(&input) {
        from_js::<crate::equity::EquityInput>(input)?.into()
    } else {
        from_js::<crate::clv::ClvInput>(input)?.into()
    })
}

/// Reads optional options: `undefined` or `null` gives the defaults.
fn options_from_js<T: DeserializeOwned + Default>(options: JsValue) -> Result<T, JsError> {
    if options.is_undefined() || options.is_null() {
        Ok(T::default())
    } else {
        from_js(options)
    }
}

/// `{ base, scenarios: [{ name, changes, segment? }] }` → `{ base: { value, netValue }, scenarios: [{
/// name, value, delta, deltaPercent, netValue, netDelta }] }`; `base` is a `clv` or a `customerEquity`
/// input (see [`crate::scenario`]).
#[wasm_bindgen(js_name = compareScenarios)]
pub fn compare_scenarios(input: JsValue) -> Result<JsValue, JsError> {
    use crate::scenario::{compare_scenarios, CompareInput};
    let base =
        js_sys::Reflect::get(&input, &JsValue::from_str("base")).unwrap_or(JsValue::UNDEFINED);
    let comparison = if is_customer_base(&base) {
        let input: CompareInput<crate::equity::EquityInput> = from_js(input)?;
        compare_scenarios(&input.base.into(), &input.scenarios)
    } else {
        let input: CompareInput<crate::clv::ClvInput> = from_js(input)?;
        compare_scenarios(&input.base.into(), &input.scenarios)
    };
    to_js(&comparison.map_err(js_error)?)
}

/// Tornado data: `(input, { fields?, spread?, measure? })` → `[{ field, low, high, valueLow, valueHigh,
/// swing }]`, largest swing first (see [`crate::sensitivity`]).
#[wasm_bindgen(js_name = sensitivity)]
pub fn sensitivity(input: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let input = valuation_from_js(input)?;
    let options: crate::sensitivity::SensitivityOptions = options_from_js(options)?;
    to_js(&crate::sensitivity::sensitivity(&input, &options).map_err(js_error)?)
}

/// `(clv input, { solveFor: "retention" | "margin" | "acquisitionCost" })` → `{ solveFor, value, netValue,
/// iterations, input }`: the value of that field at which the net value is 0.
#[wasm_bindgen(js_name = breakEven)]
pub fn break_even(input: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    if is_customer_base(&input) {
        return Err(JsError::new(
            "segments: breakEven solves for one customer: pass a clv input, not a customerEquity input",
        ));
    }
    let input: crate::clv::ClvInput = from_js(input)?;
    let options: crate::sensitivity::BreakEvenOptions = from_js(options)?;
    to_js(&crate::sensitivity::break_even(&input, &options).map_err(js_error)?)
}
