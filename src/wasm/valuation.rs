//! Bindings of the valuation functions: `clv`, `customerEquity`, `compareScenarios`, `sensitivity`,
//! `breakEven` (see [`crate::clv`], [`crate::equity`], [`crate::scenario`], [`crate::sensitivity`]).

use super::{from_js, js_error, options_from_js, to_js};
use wasm_bindgen::prelude::*;
/// The value of one customer: `{ margin, discountRate, retention, horizon?, timing?, marginGrowth?,
/// acquisitionCost?, renewals? }` → `{ clv, expectedLifetime, netValue, ltvToCac, paybackPeriod,
/// periods }` (see [`crate::clv`]).
#[wasm_bindgen(js_name = clv, unchecked_return_type = "ClvResult")]
pub fn clv(
    #[wasm_bindgen(unchecked_param_type = "ClvInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    let input: crate::clv::ClvInput = from_js(&input, "input")?;
    to_js(&crate::clv::clv(&input).map_err(js_error)?)
}

/// The value of a customer base: `{ segments: [{ name, customers, ...clv fields }], acquisition?,
/// competitors? }` → `{ equity, current, future, bySegment, acquisition, share }` (see
/// [`crate::equity`]).
#[wasm_bindgen(js_name = customerEquity, unchecked_return_type = "EquityResult")]
pub fn customer_equity(
    #[wasm_bindgen(unchecked_param_type = "EquityInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    let input: crate::equity::EquityInput = from_js(&input, "input")?;
    to_js(&crate::equity::customer_equity(&input).map_err(js_error)?)
}

/// Whether a JS input is a customer base (`customerEquity` input) rather than one customer: it has
/// `segments`.
fn is_customer_base(input: &JsValue) -> bool {
    input.is_object()
        && js_sys::Reflect::has(input, &JsValue::from_str("segments")).unwrap_or(false)
}

/// Reads a `clv` or `customerEquity` input, told apart by `segments`.
fn valuation_from_js(input: &JsValue) -> Result<crate::scenario::Valuation, JsError> {
    Ok(if is_customer_base(input) {
        from_js::<crate::equity::EquityInput>(input, "input")?.into()
    } else {
        from_js::<crate::clv::ClvInput>(input, "input")?.into()
    })
}

/// `{ base, scenarios: [{ name, changes, segment? }] }` → `{ base: { value, netValue }, scenarios: [{
/// name, value, delta, deltaPercent, netValue, netDelta }] }`; `base` is a `clv` or a `customerEquity`
/// input (see [`crate::scenario`]).
#[wasm_bindgen(js_name = compareScenarios, unchecked_return_type = "Comparison")]
pub fn compare_scenarios(
    #[wasm_bindgen(unchecked_param_type = "CompareInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    use crate::scenario::{compare_scenarios, CompareInput};
    let base =
        js_sys::Reflect::get(&input, &JsValue::from_str("base")).unwrap_or(JsValue::UNDEFINED);
    let comparison = if is_customer_base(&base) {
        let input: CompareInput<crate::equity::EquityInput> = from_js(&input, "input")?;
        compare_scenarios(&input.base.into(), &input.scenarios)
    } else {
        let input: CompareInput<crate::clv::ClvInput> = from_js(&input, "input")?;
        compare_scenarios(&input.base.into(), &input.scenarios)
    };
    to_js(&comparison.map_err(js_error)?)
}

/// Tornado data: `(input, { fields?, spread?, measure? })` → `[{ field, low, high, valueLow, valueHigh,
/// swing }]`, largest swing first (see [`crate::sensitivity`]).
#[wasm_bindgen(js_name = sensitivity, unchecked_return_type = "TornadoBar[]")]
pub fn sensitivity(
    #[wasm_bindgen(unchecked_param_type = "ClvInput | EquityInput")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SensitivityOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = valuation_from_js(&input)?;
    let options: crate::sensitivity::SensitivityOptions = options_from_js(&options, "options")?;
    to_js(&crate::sensitivity::sensitivity(&input, &options).map_err(js_error)?)
}

/// `(clv input, { solveFor: "retention" | "margin" | "acquisitionCost" })` → `{ solveFor, value, netValue,
/// iterations, input }`: the value of that field at which the net value is 0.
#[wasm_bindgen(js_name = breakEven, unchecked_return_type = "BreakEvenResult")]
pub fn break_even(
    #[wasm_bindgen(unchecked_param_type = "ClvInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BreakEvenOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    if is_customer_base(&input) {
        return Err(JsError::new(
            "segments: breakEven solves for one customer: pass a clv input, not a customerEquity input",
        ));
    }
    let input: crate::clv::ClvInput = from_js(&input, "input")?;
    if options.is_undefined() || options.is_null() {
        return Err(JsError::new(
            "solveFor: is required (\"retention\", \"margin\" or \"acquisitionCost\")",
        ));
    }
    let options: crate::sensitivity::BreakEvenOptions = from_js(&options, "options")?;
    to_js(&crate::sensitivity::break_even(&input, &options).map_err(js_error)?)
}
