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

// ---- models ----

#[wasm_bindgen(typescript_custom_section)]
const MODEL_TYPES: &str = r#"
export type Numbers = number[] | Float64Array;
export interface CustomerSummary { frequency: Numbers; recency: Numbers; T: Numbers; weights?: Numbers }
export interface OpportunityData { frequency: Numbers; recency: Numbers; periods: Numbers; weights?: Numbers }
export interface SpendData { frequency: Numbers; monetaryValue: Numbers; weights?: Numbers }
export interface ModelFit<M extends string, P> {
  model: M; params: P; logLikelihood: number; standardErrors: { [K in keyof P]: number | null };
  converged: boolean; iterations: number; reason: string; starts: number;
}
export type SbgFit = ModelFit<"sbg", { alpha: number; beta: number }> & { survival: number[]; retention: number[] };
export type BgNbdFit = ModelFit<"bgnbd", { r: number; alpha: number; a: number; b: number }>;
export type MbgNbdFit = ModelFit<"mbgnbd", { r: number; alpha: number; a: number; b: number }>;
export type ParetoNbdFit = ModelFit<"paretonbd", { r: number; alpha: number; s: number; beta: number }>;
export type BgBbFit = ModelFit<"bgbb", { alpha: number; beta: number; gamma: number; delta: number }>;
export type GammaGammaFit = ModelFit<"gammagamma", { p: number; q: number; gamma: number }> & { included: number; excluded: number };
export type PurchaseFit = BgNbdFit | MbgNbdFit | ParetoNbdFit | BgBbFit;
export interface Predictions { expectedPurchases: Float64Array; probAlive: Float64Array }
export interface ValueOptions { months: number; monthlyDiscountRate: number; unitsPerMonth: number }
"#;

use crate::models::{self, bgbb, gammagamma, Model, Predictions, Summary};
use js_sys::{Float64Array, Object, Reflect};

/// `value[field]` as numbers: a `Float64Array` is copied in one go (the iterator protocol serde would
/// use costs a boundary crossing per element), anything else goes through serde, so a bad element is
/// reported as `field[i]`.
fn numbers(value: &JsValue, field: &str) -> Result<Vec<f64>, JsError> {
    optional_numbers(value, field)?.ok_or_else(|| JsError::new(&format!("{field}: missing field")))
}

/// Like [`numbers`], `None` when the field is absent or null.
fn optional_numbers(value: &JsValue, field: &str) -> Result<Option<Vec<f64>>, JsError> {
    if !value.is_object() {
        return Err(JsError::new(&format!(
            "data: expected an object with a {field} array"
        )));
    }
    let item = Reflect::get(value, &JsValue::from_str(field)).map_err(|_| JsError::new(field))?;
    if item.is_undefined() || item.is_null() {
        return Ok(None);
    }
    if let Some(typed) = item.dyn_ref::<Float64Array>() {
        return Ok(Some(typed.to_vec()));
    }
    let deserializer = serde_wasm_bindgen::Deserializer::from(item);
    serde_path_to_error::deserialize(deserializer)
        .map(Some)
        .map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            let inner = e
                .into_inner()
                .to_string()
                .replace("expected f64", "expected a number");
            JsError::new(&format!("{field}{path}: {inner}"))
        })
}

/// `{ frequency, recency, T, weights? }` from JS.
fn summary_from_js(value: &JsValue) -> Result<Summary, JsError> {
    Ok(Summary {
        frequency: numbers(value, "frequency")?,
        recency: numbers(value, "recency")?,
        t: numbers(value, "T")?,
        weights: optional_numbers(value, "weights")?,
    })
}

/// `{ frequency, recency, periods, weights? }` from JS.
fn opportunities_from_js(value: &JsValue) -> Result<bgbb::BgBbData, JsError> {
    Ok(bgbb::BgBbData {
        frequency: numbers(value, "frequency")?,
        recency: numbers(value, "recency")?,
        periods: numbers(value, "periods")?,
        weights: optional_numbers(value, "weights")?,
    })
}

/// `{ frequency, monetaryValue, weights? }` from JS.
fn spend_from_js(value: &JsValue) -> Result<gammagamma::SpendData, JsError> {
    Ok(gammagamma::SpendData {
        frequency: numbers(value, "frequency")?,
        monetary_value: numbers(value, "monetaryValue")?,
        weights: optional_numbers(value, "weights")?,
    })
}

/// A fitted model (`{ model, params, … }`, any extra fields ignored), checked.
fn model_from_js(fit: JsValue) -> Result<Model, JsError> {
    let model: Model = from_js(fit)?;
    model.validate().map_err(js_error)?;
    Ok(model)
}

/// Fits the shifted-beta-geometric retention model to cohort survival counts
/// `{ survivors: [1000, 631, …] }`; returns the fit plus projected `survival` and `retention`.
#[wasm_bindgen(js_name = fitSbg, unchecked_return_type = "SbgFit")]
pub fn fit_sbg(
    #[wasm_bindgen(unchecked_param_type = "{ survivors: Numbers }")] data: JsValue,
) -> Result<JsValue, JsError> {
    let survivors = numbers(&data, "survivors")?;
    to_js(&models::sbg::fit(&survivors).map_err(js_error)?)
}

/// Fits BG/NBD to `{ frequency, recency, T, weights? }`.
#[wasm_bindgen(js_name = fitBgNbd, unchecked_return_type = "BgNbdFit")]
pub fn fit_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary")] summary: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&models::bgnbd::fit(&summary_from_js(&summary)?).map_err(js_error)?)
}

/// Fits Pareto/NBD to `{ frequency, recency, T, weights? }`.
#[wasm_bindgen(js_name = fitParetoNbd, unchecked_return_type = "ParetoNbdFit")]
pub fn fit_pareto_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary")] summary: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&models::paretonbd::fit(&summary_from_js(&summary)?).map_err(js_error)?)
}

/// Fits MBG/NBD to `{ frequency, recency, T, weights? }`.
#[wasm_bindgen(js_name = fitModifiedBgNbd, unchecked_return_type = "MbgNbdFit")]
pub fn fit_modified_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary")] summary: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&models::mbgnbd::fit(&summary_from_js(&summary)?).map_err(js_error)?)
}

/// Fits Gamma-Gamma to `{ frequency, monetaryValue, weights? }` (customers with a repeat purchase and
/// positive spend; the result says how many were `included` and `excluded`).
#[wasm_bindgen(js_name = fitGammaGamma, unchecked_return_type = "GammaGammaFit")]
pub fn fit_gamma_gamma(
    #[wasm_bindgen(unchecked_param_type = "SpendData")] data: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&gammagamma::fit(&spend_from_js(&data)?).map_err(js_error)?)
}

/// Fits BG/BB to `{ frequency, recency, periods, weights? }`.
#[wasm_bindgen(js_name = fitBgBb, unchecked_return_type = "BgBbFit")]
pub fn fit_bg_bb(
    #[wasm_bindgen(unchecked_param_type = "OpportunityData")] data: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&bgbb::fit(&opportunities_from_js(&data)?).map_err(js_error)?)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HorizonOptions {
    horizon: f64,
}

fn predictions_to_js(predictions: &Predictions) -> Result<JsValue, JsError> {
    let out = Object::new();
    let set = |name: &str, values: &[f64]| {
        Reflect::set(
            &out,
            &JsValue::from_str(name),
            &Float64Array::from(values).into(),
        )
        .map_err(|_| JsError::new(name))
    };
    set("expectedPurchases", &predictions.expected_purchases)?;
    set("probAlive", &predictions.prob_alive)?;
    Ok(out.into())
}

/// Per-customer predictions of a purchase-model fit: `{ expectedPurchases, probAlive }` as
/// Float64Arrays, over the next `horizon` time units (bgbb: `{ frequency, recency, periods }` data and
/// `horizon` future opportunities).
#[wasm_bindgen(unchecked_return_type = "Predictions")]
pub fn predict(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary | OpportunityData")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ horizon: number }")] options: JsValue,
) -> Result<JsValue, JsError> {
    let model = model_from_js(fit)?;
    let HorizonOptions { horizon } = from_js(options)?;
    let predictions = if matches!(model, Model::Bgbb(_)) {
        model.predict_opportunities(&opportunities_from_js(&data)?, horizon)
    } else {
        model.predict(&summary_from_js(&data)?, horizon)
    };
    predictions_to_js(&predictions.map_err(js_error)?)
}

/// E[X(t)]: expected purchases of a new customer in a period of length `t`.
#[wasm_bindgen(js_name = expectedPurchasesNew)]
pub fn expected_purchases_new(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    t: f64,
) -> Result<f64, JsError> {
    let model = model_from_js(fit)?;
    crate::error::non_negative("t", t).map_err(js_error)?;
    model
        .purchase_model()
        .and_then(|m| m.expected_purchases_new(t))
        .map_err(js_error)
}

/// P(X(t) = x): probability that a new customer makes exactly `x` purchases in a period of length `t`.
#[wasm_bindgen(js_name = probPurchases)]
pub fn prob_purchases(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    t: f64,
    x: f64,
) -> Result<f64, JsError> {
    let model = model_from_js(fit)?;
    crate::error::non_negative("t", t).map_err(js_error)?;
    let x = crate::error::whole_non_negative("x", x, u32::MAX).map_err(js_error)?;
    model
        .purchase_model()
        .and_then(|m| m.prob_purchases(t, x))
        .map_err(js_error)
}

fn spend_model(fit: JsValue) -> Result<gammagamma::GammaGamma, JsError> {
    match model_from_js(fit)? {
        Model::Gammagamma(m) => Ok(m),
        _ => Err(JsError::new("ggFit: must be a gammagamma fit")),
    }
}

/// E[M | m, x]: each customer's expected spend per transaction, as a Float64Array.
#[wasm_bindgen(js_name = expectedSpend)]
pub fn expected_spend(
    #[wasm_bindgen(unchecked_param_type = "GammaGammaFit")] gg_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SpendData")] data: JsValue,
) -> Result<Float64Array, JsError> {
    let model = spend_model(gg_fit)?;
    let values = gammagamma::expected_spend(&model, &spend_from_js(&data)?).map_err(js_error)?;
    Ok(Float64Array::from(values.as_slice()))
}

/// Per-customer value over `months` (lifetimes' `customer_lifetime_value`), as a Float64Array.
/// `data` is `{ frequency, recency, T, monetaryValue }`; `options` `{ months, monthlyDiscountRate,
/// unitsPerMonth }`.
#[wasm_bindgen(js_name = customerValue)]
pub fn customer_value(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] purchase_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GammaGammaFit")] gg_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary & { monetaryValue: Numbers }")]
    data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValueOptions")] options: JsValue,
) -> Result<Float64Array, JsError> {
    let purchase = model_from_js(purchase_fit)?;
    let spend = spend_model(gg_fit)?;
    let summary = summary_from_js(&data)?;
    let monetary_value = numbers(&data, "monetaryValue")?;
    let options: models::ValueOptions = from_js(options)?;
    let values = models::customer_value(&purchase, &spend, &summary, &monetary_value, &options)
        .map_err(js_error)?;
    Ok(Float64Array::from(values.as_slice()))
}
