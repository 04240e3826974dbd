//! Bindings of the probability models: the fits, `predict`, `expectedPurchasesNew`, `probPurchases`,
//! `expectedSpend`, `customerValue` (see [`crate::models`]).
//!
//! Per-customer data come as objects of number columns (`Float64Array`s or arrays of numbers). A
//! `summarizeTransactions` result may be passed as it is: its other keys are known and ignored; any
//! other key is refused as an unknown field.

use super::transactions::{categorical_to_js, SUBSCRIPTION_RESULT_KEYS, SUMMARY_RESULT_KEYS};
use super::{
    field_from_js, from_js, js_error, known_fields, known_fields_at, number_arg, numbers,
    object_arg, optional_number, optional_numbers, options_from_js, set, set_numbers, string_arg,
    to_js, within,
};
use crate::models::{self, bgbb, covariates, gammagamma, Model, Predictions, Summary};
use js_sys::{Float64Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// The keys of a customer summary the models read; the rest of a `summarizeTransactions` result
/// ([`SUMMARY_RESULT_KEYS`]) is accepted too, so that the result may be passed as it is.
const SUMMARY_KEYS: &[&str] = &["frequency", "recency", "T", "monetaryValue", "weights"];

/// The keys of BG/BB data.
const OPPORTUNITY_KEYS: &[&str] = &["frequency", "recency", "periods", "weights"];

/// `{ frequency, recency, T, weights? }` from JS.
fn summary_from_js(value: &JsValue, argument: &str) -> Result<Summary, JsError> {
    known_fields(value, argument, &[SUMMARY_KEYS, SUMMARY_RESULT_KEYS])?;
    Ok(Summary {
        frequency: numbers(value, argument, "frequency")?,
        recency: numbers(value, argument, "recency")?,
        t: numbers(value, argument, "T")?,
        weights: optional_numbers(value, argument, "weights")?,
    })
}

/// `{ frequency, recency, periods, weights? }` from JS.
fn opportunities_from_js(value: &JsValue) -> Result<bgbb::BgBbData, JsError> {
    known_fields(value, "data", &[OPPORTUNITY_KEYS])?;
    Ok(bgbb::BgBbData {
        frequency: numbers(value, "data", "frequency")?,
        recency: numbers(value, "data", "recency")?,
        periods: numbers(value, "data", "periods")?,
        weights: optional_numbers(value, "data", "weights")?,
    })
}

/// `{ frequency, monetaryValue, weights? }` from JS.
fn spend_from_js(value: &JsValue) -> Result<gammagamma::SpendData, JsError> {
    known_fields(value, "data", &[SUMMARY_KEYS, SUMMARY_RESULT_KEYS])?;
    Ok(gammagamma::SpendData {
        frequency: numbers(value, "data", "frequency")?,
        monetary_value: numbers(value, "data", "monetaryValue")?,
        weights: optional_numbers(value, "data", "weights")?,
    })
}

/// A model error as a JS `Error`: an input error names its own field; a fit that failed, or an
/// operation the model lacks, is about argument `argument` (the data fitted, or the fit used).
fn model_error(argument: &'static str) -> impl Fn(models::ModelError) -> JsError {
    move |error| match error {
        models::ModelError::Input(e) => js_error(e),
        other => JsError::new(&format!("{argument}: {other}")),
    }
}

/// Fit argument `argument` (`{ model, params }`, or a fit result: its other fields are those the fit
/// functions return, read by the exports that draw from a fit; any other key is refused), checked.
fn model_from_js(fit: &JsValue, argument: &str) -> Result<Model, JsError> {
    refuse_covariate_fit(fit, argument)?;
    known_fields(fit, argument, &[FIT_KEYS, SPEND_FIT_KEYS])?;
    parse_model(fit, argument)
}

/// The model of fit argument `argument`, checked; its keys are not.
fn parse_model(fit: &JsValue, argument: &str) -> Result<Model, JsError> {
    let model: Model = from_js(fit, argument)?;
    model.validate().map_err(js_error)?;
    Ok(model)
}

/// The keys of duration data: one of its three forms.
const DURATION_KEYS: &[&str] = &["survivors", "cohorts", "tenure", "churned", "weights"];

/// Duration data from JS: `{ survivors }` (one cohort), `{ cohorts }` (several) or
/// `{ tenure, churned, weights? }` (one row per customer), exactly one of the three; a
/// `summarizeSubscriptions` result is the last, its other keys known and ignored.
fn durations_from_js(data: &JsValue) -> Result<models::durations::DurationData, JsError> {
    use models::durations::DurationData;
    known_fields(data, "data", &[DURATION_KEYS, SUBSCRIPTION_RESULT_KEYS])?;
    let object = object_arg(data, "data")?;
    let given = |key: &str| {
        js_sys::Reflect::get(object, &JsValue::from_str(key))
            .map(|v| !(v.is_undefined() || v.is_null()))
            .map_err(|_| JsError::new(&format!("{key}: cannot be read")))
    };
    let forms: Vec<&str> = ["survivors", "cohorts", "tenure"]
        .into_iter()
        .filter_map(|key| given(key).map(|g| g.then_some(key)).transpose())
        .collect::<Result<_, _>>()?;
    match forms.as_slice() {
        ["survivors"] => Ok(DurationData::Survivors(numbers(data, "data", "survivors")?)),
        ["cohorts"] => {
            let cohorts = js_sys::Reflect::get(object, &JsValue::from_str("cohorts"))
                .map_err(|_| JsError::new("cohorts: cannot be read"))?;
            Ok(DurationData::Cohorts(field_from_js(&cohorts, "cohorts")?))
        }
        ["tenure"] => Ok(DurationData::Customers {
            tenure: numbers(data, "data", "tenure")?,
            churned: numbers(data, "data", "churned")?,
            weights: optional_numbers(data, "data", "weights")?,
        }),
        [] => Err(JsError::new(
            "data: needs survivors (one cohort's counts), cohorts (several cohorts' counts) or tenure and churned (one row per customer)",
        )),
        several => Err(JsError::new(&format!(
            "data: give one of survivors, cohorts or tenure and churned (got {})",
            several.join(" and ")
        ))),
    }
}

/// Fits the shifted-beta-geometric retention model to durations: one cohort's survival counts
/// `{ survivors: [1000, 631, …] }`, several cohorts' `{ cohorts: [[…], […]] }` or one row per customer
/// `{ tenure, churned, weights? }`; returns the fit plus projected `survival` and `retention`.
#[wasm_bindgen(js_name = fitSbg, unchecked_return_type = "SbgFit")]
pub fn fit_sbg(
    #[wasm_bindgen(unchecked_param_type = "DurationData")] data: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&models::sbg::fit(&durations_from_js(&data)?).map_err(model_error("data"))?)
}

/// Fits the beta-discrete-Weibull retention model (`{ gamma, delta, c }`) to the durations
/// `fitSbg` takes; returns the fit plus projected `survival` and `retention`.
#[wasm_bindgen(js_name = fitBdw, unchecked_return_type = "BdwFit")]
pub fn fit_bdw(
    #[wasm_bindgen(unchecked_param_type = "DurationData")] data: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&models::bdw::fit(&durations_from_js(&data)?).map_err(model_error("data"))?)
}

/// Fits sBG and BdW to survivor counts (`{ survivors }` or `{ cohorts }`), holding out the last
/// `options.holdoutPeriods` of every cohort and projecting them, and compares them by log-likelihood,
/// AIC, BIC, the likelihood-ratio test of c = 1 and the holdout's error; says which to use and why
/// (see [`crate::models::compare_retention`]).
#[wasm_bindgen(js_name = compareRetention, unchecked_return_type = "RetentionComparison")]
pub fn compare_retention(
    #[wasm_bindgen(unchecked_param_type = "{ survivors: Numbers } | { cohorts: number[][] }")]
    data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RetentionCompareOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let data = durations_from_js(&data)?;
    let options: models::RetentionCompareOptions = options_from_js(&options, "options")?;
    to_js(&models::compare_retention(&data, &options).map_err(model_error("data"))?)
}

/// Fits sBG or BdW (`options.model`, `"bdw"` by default) to each plan's subscribers of one row per
/// subscriber `{ tenure, churned, weights?, plan }` (a `summarizeSubscriptions` result with
/// `planColumn`, as it is), and to all of them, and tests whether the plans differ (see
/// [`crate::models::fit_retention_by_level`]).
#[wasm_bindgen(js_name = fitRetentionByPlan, unchecked_return_type = "RetentionByLevel")]
pub fn fit_retention_by_plan(
    #[wasm_bindgen(
        unchecked_param_type = "{ tenure: Numbers; churned: Numbers; weights?: Numbers; plan: string[] }"
    )]
    data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RetentionByLevelOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let models::durations::DurationData::Customers {
        tenure,
        churned,
        weights,
    } = durations_from_js(&data)?
    else {
        return Err(JsError::new(
            "data: needs one row per subscriber (tenure, churned and plan), as summarizeSubscriptions returns with planColumn",
        ));
    };
    let plan = js_sys::Reflect::get(object_arg(&data, "data")?, &JsValue::from_str("plan"))
        .map_err(|_| JsError::new("plan: cannot be read"))?;
    if plan.is_undefined() || plan.is_null() {
        return Err(JsError::new(
            "plan: is required (one level per row; summarizeSubscriptions returns it with planColumn)",
        ));
    }
    let plan: Vec<String> = field_from_js(&plan, "plan")?;
    let options: models::RetentionByLevelOptions = options_from_js(&options, "options")?;
    to_js(
        &models::fit_retention_by_level(
            &tenure,
            &churned,
            weights.as_deref(),
            &plan,
            options.model,
        )
        .map_err(model_error("data"))?,
    )
}

/// The value of a subscriber base (Fader & Hardie 2010): `fit` as `fitSbg` or `fitBdw` returns it,
/// `data` the durations `fitSbg` takes (a `summarizeSubscriptions` result as it is, its `price` read
/// with `marginRate`), and `options` `{ margin | marginRate, discountRate, horizon?, acquisition?: {
/// perPeriod, periods, acquisitionCost? }, level?, draws?, seed? }` → `{ subscribers, meanMargin,
/// existing, future?, total, byTenure, constantRetention }` (see
/// [`crate::models::value_subscribers`]).
#[wasm_bindgen(js_name = valueSubscribers, unchecked_return_type = "SubscriberValue")]
pub fn value_subscribers(
    #[wasm_bindgen(unchecked_param_type = "SbgFit | BdwFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DurationData")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SubscriberValueOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (model, covariance) = fit_from_js(&fit)?;
    let covariance = covariance.ok_or_else(|| {
        JsError::new("covariance: is required (pass the fit as fitSbg or fitBdw returns it)")
    })?;
    let prices = optional_numbers(&data, "data", "price")?;
    let data = durations_from_js(&data)?;
    let options: models::SubscriberValueOptions = from_js(&options, "options")?;
    to_js(
        &models::value_subscribers(&model, &covariance, &data, prices.as_deref(), &options)
            .map_err(model_error("fit"))?,
    )
}

/// Fits BG/NBD to `{ frequency, recency, T, weights? }`; with `options.covariates` (attributes of a
/// `summarizeTransactions` result), the covariate model of [`crate::models::covariates`].
#[wasm_bindgen(js_name = fitBgNbd, unchecked_return_type = "BgNbdFit | BgNbdCovariateFit")]
pub fn fit_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary")] summary: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CovariateOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    fit_with_covariates("bgnbd", &summary, options, models::bgnbd::fit)
}

/// Fits Pareto/NBD to `{ frequency, recency, T, weights? }`; with `options.covariates`, as
/// `fitBgNbd`.
#[wasm_bindgen(
    js_name = fitParetoNbd,
    unchecked_return_type = "ParetoNbdFit | ParetoNbdCovariateFit"
)]
pub fn fit_pareto_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary")] summary: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CovariateOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    fit_with_covariates("paretonbd", &summary, options, models::paretonbd::fit)
}

/// `model`'s fit of `summary`: `plain` without covariates, else with those `options` names.
fn fit_with_covariates(
    model: &str,
    summary: &JsValue,
    options: Option<JsValue>,
    plain: fn(&Summary) -> Result<models::Fit, models::ModelError>,
) -> Result<JsValue, JsError> {
    let options: covariates::CovariateOptions =
        options_from_js(&options.unwrap_or(JsValue::UNDEFINED), "options")?;
    let customers = summary_from_js(summary, "summary")?;
    if options.covariates.is_empty() {
        return to_js(&plain(&customers).map_err(model_error("summary"))?);
    }
    let attributes = attributes_from_js(summary, "summary")?;
    to_js(
        &covariates::fit(model, &customers, &attributes, &options)
            .map_err(covariate_error("summary"))?,
    )
}

/// A covariate fit's error: the options' fields are named under `options`, the data's (the
/// attributes') as they are; a fit that failed is about argument `argument`.
fn covariate_error(argument: &'static str) -> impl Fn(models::ModelError) -> JsError {
    move |error| match error {
        models::ModelError::Input(e) if matches!(&e, crate::error::InputError::Invalid { field, .. } if field.starts_with("covariates")) => {
            js_error(e.within("options"))
        }
        other => model_error(argument)(other),
    }
}

/// The attributes of the customer summary `summary` (`attributes`, as `summarizeTransactions`
/// returns them: each `{ levels, codes }` or `{ values }`), checked: codes that are whole indices of
/// distinct levels; none when the summary has no `attributes`.
fn attributes_from_js(
    summary: &JsValue,
    argument: &str,
) -> Result<Vec<(String, crate::data::Attribute)>, JsError> {
    use crate::data::Attribute;
    let all = Reflect::get(object_arg(summary, argument)?, &"attributes".into())
        .map_err(|_| JsError::new("attributes: cannot be read"))?;
    if all.is_undefined() || all.is_null() {
        return Ok(Vec::new());
    }
    let all: &Object = object_arg(&all, "attributes")?.unchecked_ref();
    let mut out = Vec::new();
    for name in Object::keys(all).iter().filter_map(|k| k.as_string()) {
        let at = format!("attributes.{name}");
        let item = Reflect::get(all, &name.as_str().into())
            .map_err(|_| JsError::new(&format!("{at}: cannot be read")))?;
        known_fields_at(&item, &at, "", &[&["levels", "codes", "values"]])?;
        let attribute = if Reflect::has(&item, &"values".into()).unwrap_or(false) {
            Attribute::Numeric {
                values: numbers(&item, &at, &format!("{at}.values"))?,
            }
        } else {
            let (levels, codes) = categorical_from_js(&item, &at)?;
            Attribute::Categorical { levels, codes }
        };
        out.push((name, attribute));
    }
    Ok(out)
}

/// A categorical attribute `{ levels, codes }` at `at` (`codes` a `Uint32Array` or numbers), checked:
/// distinct levels, each code the index of one.
fn categorical_from_js(item: &JsValue, at: &str) -> Result<(Vec<String>, Vec<u32>), JsError> {
    let levels_at = format!("{at}.levels");
    let levels: Vec<String> = field_from_js(
        &Reflect::get(item, &"levels".into())
            .map_err(|_| JsError::new(&format!("{levels_at}: cannot be read")))?,
        &levels_at,
    )?;
    if let Some(i) = (1..levels.len()).find(|&i| levels[..i].contains(&levels[i])) {
        return Err(JsError::new(&format!(
            "{levels_at}[{i}]: repeats the level {:?}",
            levels[i]
        )));
    }
    let codes_at = format!("{at}.codes");
    let codes = Reflect::get(item, &"codes".into())
        .map_err(|_| JsError::new(&format!("{codes_at}: cannot be read")))?;
    let codes: Vec<f64> = match codes.dyn_ref::<js_sys::Uint32Array>() {
        Some(typed) => typed.to_vec().into_iter().map(f64::from).collect(),
        None => numbers(item, at, &codes_at)?,
    };
    let codes = codes
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c.fract() == 0.0 && c >= 0.0 && c < levels.len() as f64 {
                Ok(c as u32)
            } else {
                Err(JsError::new(&format!(
                    "{codes_at}[{i}]: must be the index of a level, a whole number below {} (got {c})",
                    levels.len()
                )))
            }
        })
        .collect::<Result<_, _>>()?;
    Ok((levels, codes))
}

/// Fits MBG/NBD to `{ frequency, recency, T, weights? }`.
#[wasm_bindgen(js_name = fitModifiedBgNbd, unchecked_return_type = "MbgNbdFit")]
pub fn fit_modified_bg_nbd(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary")] summary: JsValue,
) -> Result<JsValue, JsError> {
    let summary = summary_from_js(&summary, "summary")?;
    to_js(&models::mbgnbd::fit(&summary).map_err(model_error("summary"))?)
}

/// Fits Gamma-Gamma to `{ frequency, monetaryValue, weights? }` (customers with a repeat purchase and
/// positive spend; the result says how many were `included` and `excluded`); with
/// `options.covariates` (attributes of a `summarizeTransactions` result), the spend scale γ of each
/// customer is scaled by `exp(γ_s'z)` (see [`crate::models::covariates`]).
#[wasm_bindgen(
    js_name = fitGammaGamma,
    unchecked_return_type = "GammaGammaFit | GammaGammaCovariateFit"
)]
pub fn fit_gamma_gamma(
    #[wasm_bindgen(unchecked_param_type = "SpendData")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CovariateOptions | null")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    let options: covariates::CovariateOptions =
        options_from_js(&options.unwrap_or(JsValue::UNDEFINED), "options")?;
    let spend = spend_from_js(&data)?;
    if options.covariates.is_empty() {
        return to_js(&gammagamma::fit(&spend).map_err(model_error("data"))?);
    }
    let attributes = attributes_from_js(&data, "data")?;
    to_js(&covariates::fit_spend(&spend, &attributes, &options).map_err(covariate_error("data"))?)
}

/// Fits BG/BB to `{ frequency, recency, periods, weights? }`.
#[wasm_bindgen(js_name = fitBgBb, unchecked_return_type = "BgBbFit")]
pub fn fit_bg_bb(
    #[wasm_bindgen(unchecked_param_type = "OpportunityData")] data: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&bgbb::fit(&opportunities_from_js(&data)?).map_err(model_error("data"))?)
}

/// Checks a customer summary before the fits (`{ frequency, recency, T, weights?, monetaryValue?,
/// holdoutFrequency? }`, e.g. a `summarizeTransactions` result): the counts and the findings, in
/// words, of what would make the fits fail or mislead (see [`crate::models::check_fit_data`]).
#[wasm_bindgen(js_name = checkFitData, unchecked_return_type = "FitDataCheck")]
pub fn check_fit_data(
    #[wasm_bindgen(
        unchecked_param_type = "CustomerSummary & { monetaryValue?: Numbers | null; holdoutFrequency?: Numbers | null }"
    )]
    summary: JsValue,
) -> Result<JsValue, JsError> {
    let customers = summary_from_js(&summary, "summary")?;
    let monetary_value = optional_numbers(&summary, "summary", "monetaryValue")?;
    let holdout_frequency = optional_numbers(&summary, "summary", "holdoutFrequency")?;
    let extra = models::Extra {
        monetary_value: monetary_value.as_deref(),
        holdout_frequency: holdout_frequency.as_deref(),
    };
    to_js(&models::check_fit_data(&customers, extra).map_err(model_error("summary"))?)
}

/// `predict`'s options.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub(crate) struct HorizonOptions {
    /// How far ahead: time units (future opportunities for BG/BB).
    horizon: f64,
}

// Declaration only: the result is built in `predictions_to_js`; tests/node/types.test.mjs checks it
// against this declaration.
/// Per-customer predictions of a purchase model (`predict`).
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename = "Predictions", rename_all = "camelCase")]
pub(crate) struct PredictionArrays {
    /// Expected purchases in the next `horizon` time units (opportunities for BG/BB).
    #[ts(type = "Float64Array")]
    expected_purchases: (),
    /// Probability that the customer is alive now.
    #[ts(type = "Float64Array")]
    prob_alive: (),
}

fn predictions_to_js(predictions: &Predictions) -> Result<JsValue, JsError> {
    let out = Object::new();
    set_numbers(&out, "expectedPurchases", &predictions.expected_purchases)?;
    set_numbers(&out, "probAlive", &predictions.prob_alive)?;
    Ok(out.into())
}

/// Per-customer predictions of a purchase-model fit: `{ expectedPurchases, probAlive }` as
/// Float64Arrays, over the next `horizon` time units (bgbb: `{ frequency, recency, periods }` data and
/// `horizon` future opportunities). A covariate fit predicts each customer under their own
/// parameters, from the covariates in the summary's `attributes`.
#[wasm_bindgen(unchecked_return_type = "Predictions")]
pub fn predict(
    #[wasm_bindgen(
        unchecked_param_type = "PurchaseFit | BgNbdCovariateFit | ParetoNbdCovariateFit"
    )]
    fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary | OpportunityData")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HorizonOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let HorizonOptions { horizon } = from_js(&options, "options")?;
    if let Some(fitted) = covariate_model_from_js(&fit, "fit")? {
        let customers = summary_from_js(&data, "data")?;
        let attributes = attributes_from_js(&data, "data")?;
        return predictions_to_js(
            &fitted
                .predict(&customers, &attributes, horizon)
                .map_err(model_error("fit"))?,
        );
    }
    let model = model_from_js(&fit, "fit")?;
    let predictions = if matches!(model, Model::Bgbb(_)) {
        model.predict_opportunities(&opportunities_from_js(&data)?, horizon)
    } else {
        model.predict(&summary_from_js(&data, "data")?, horizon)
    };
    predictions_to_js(&predictions.map_err(model_error("fit"))?)
}

/// E[X(t)]: expected purchases of a new customer in a period of length `t`.
#[wasm_bindgen(js_name = expectedPurchasesNew)]
pub fn expected_purchases_new(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] t: JsValue,
) -> Result<f64, JsError> {
    let model = model_from_js(&fit, "fit")?;
    let t = number_arg(&t, "t")?;
    crate::error::non_negative("t", t).map_err(js_error)?;
    model
        .purchase_model()
        .and_then(|m| m.expected_purchases_new(t))
        .map_err(model_error("fit"))
}

/// P(X(t) = x): probability that a new customer makes exactly `x` purchases in a period of length `t`.
#[wasm_bindgen(js_name = probPurchases)]
pub fn prob_purchases(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] t: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] x: JsValue,
) -> Result<f64, JsError> {
    let model = model_from_js(&fit, "fit")?;
    let (t, x) = (number_arg(&t, "t")?, number_arg(&x, "x")?);
    crate::error::non_negative("t", t).map_err(js_error)?;
    let x = crate::error::whole_non_negative("x", x, u32::MAX).map_err(js_error)?;
    model
        .purchase_model()
        .and_then(|m| m.prob_purchases(t, x))
        .map_err(model_error("fit"))
}

fn spend_model(fit: &JsValue) -> Result<gammagamma::GammaGamma, JsError> {
    match model_from_js(fit, "spendFit")? {
        Model::Gammagamma(m) => Ok(m),
        _ => Err(JsError::new("spendFit: must be a gammagamma fit")),
    }
}

/// E[M | m, x]: each customer's expected spend per transaction, as a Float64Array (under their own
/// parameters for a covariate fit, from the covariates in `data.attributes`).
#[wasm_bindgen(js_name = expectedSpend)]
pub fn expected_spend(
    #[wasm_bindgen(
        unchecked_param_type = "GammaGammaFit | GammaGammaCovariateFit",
        js_name = "spendFit"
    )]
    gg_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SpendData")] data: JsValue,
) -> Result<Float64Array, JsError> {
    let spend = spend_from_js(&data)?;
    let values = match covariate_model_from_js(&gg_fit, "spendFit")? {
        Some(fitted) => fitted.expected_spend(&spend, &attributes_from_js(&data, "data")?),
        None => gammagamma::expected_spend(&spend_model(&gg_fit)?, &spend),
    }
    .map_err(model_error("spendFit"))?;
    Ok(Float64Array::from(values.as_slice()))
}

/// Per-customer value over `months` (lifetimes' `customer_lifetime_value`), as a Float64Array.
/// `data` is `{ frequency, recency, T, monetaryValue }`; `options` `{ months, monthlyDiscountRate,
/// unitsPerMonth }`.
#[wasm_bindgen(js_name = customerValue)]
pub fn customer_value(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit", js_name = "purchaseFit")]
    purchase_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GammaGammaFit", js_name = "spendFit")] gg_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary & { monetaryValue: Numbers }")]
    data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValueOptions")] options: JsValue,
) -> Result<Float64Array, JsError> {
    let purchase = model_from_js(&purchase_fit, "purchaseFit")?;
    let spend = spend_model(&gg_fit)?;
    let summary = summary_from_js(&data, "data")?;
    let monetary_value = numbers(&data, "data", "monetaryValue")?;
    let options: models::ValueOptions = from_js(&options, "options")?;
    let values = models::customer_value(&purchase, &spend, &summary, &monetary_value, &options)
        .map_err(model_error("purchaseFit"))?;
    Ok(Float64Array::from(values.as_slice()))
}

/// `compareModels`' options.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub(crate) struct HoldoutOptions {
    /// The holdout's length in time units; by default the summary's `holdoutLength`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    horizon: Option<f64>,
}

/// `evaluateHoldout`'s options.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub(crate) struct ScorecardOptions {
    /// The holdout's length in time units; by default the summary's `holdoutLength`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    horizon: Option<f64>,
    /// With `{ level?, draws?, seed? }`, `predictIntervals`' intervals over the holdout are checked
    /// too (the fit's covariance is needed).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    intervals: Option<models::DrawOptions>,
    /// With a Gamma-Gamma fit, its spend predictions are scored on the holdout too (the summary then
    /// needs `monetaryValue` and `holdoutMonetaryValue`).
    #[serde(default, rename = "spendFit")]
    #[cfg_attr(test, ts(as = "Option<models::gammagamma::GammaGammaFit>", optional = nullable))]
    spend_fit: Option<Model>,
}

/// The holdout of argument `summary`: its `holdoutFrequency` column and the length `horizon` (from
/// `options`, else the summary's `holdoutLength`); `None` when the summary has no holdout column.
fn holdout_from_js(
    summary: &JsValue,
    options: &HoldoutOptions,
) -> Result<Option<(Vec<f64>, f64)>, JsError> {
    let Some(frequency) = optional_numbers(summary, "summary", "holdoutFrequency")? else {
        return match options.horizon {
            Some(_) => Err(JsError::new(
                "holdoutFrequency: is required when horizon is given",
            )),
            None => Ok(None),
        };
    };
    let horizon = match (options.horizon, optional_number(summary, "summary", "holdoutLength")?) {
        (Some(horizon), _) => horizon,
        (None, Some(0.0)) => {
            return Err(JsError::new(
                "holdoutLength: the summary has no holdout period (its calibrationEnd is its observationEnd); move calibrationEnd earlier",
            ))
        }
        (None, Some(length)) => crate::error::positive("holdoutLength", length).map_err(js_error)?,
        (None, None) => {
            return Err(JsError::new(
                "holdoutLength: is required, or a horizon in the options",
            ))
        }
    };
    Ok(Some((frequency, horizon)))
}

/// Scores a purchase-model fit on the holdout period of `summary` (`{ frequency, recency, T,
/// holdoutFrequency, weights?, holdoutLength? }`, e.g. a `summarizeTransactions` result): MAE, RMSE
/// and bias of each customer's holdout purchases against the conditional expectation over the
/// holdout's length, the calibration-vs-holdout table and the totals (see
/// [`crate::models::evaluate_holdout`]).
#[wasm_bindgen(js_name = evaluateHoldout, unchecked_return_type = "HoldoutScorecard")]
pub fn evaluate_holdout(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "CustomerSummary & { holdoutFrequency: Numbers; holdoutLength?: number }"
    )]
    summary: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ScorecardOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (model, covariance) = fit_from_js(&fit)?;
    let customers = summary_from_js(&summary, "summary")?;
    let ScorecardOptions {
        horizon,
        intervals,
        spend_fit,
    } = options_from_js(&options, "options")?;
    let (frequency, horizon) = holdout_from_js(&summary, &HoldoutOptions { horizon })?
        .ok_or_else(|| JsError::new("holdoutFrequency: is required"))?;
    let intervals = match (&intervals, &covariance) {
        (Some(draws), Some(covariance)) => Some((covariance.as_slice(), draws)),
        (Some(_), None) => return Err(JsError::new(
            "covariance: is required for intervals (pass the fit as the fit functions return it)",
        )),
        (None, _) => None,
    };
    // A spend fit, checked, with the two spend columns it is scored on.
    let spend_columns = match spend_fit {
        Some(Model::Gammagamma(m)) => {
            Model::Gammagamma(m)
                .validate()
                .map_err(|e| JsError::new(&format!("spendFit.{e}")))?;
            Some((
                m,
                numbers(&summary, "summary", "monetaryValue")?,
                numbers(&summary, "summary", "holdoutMonetaryValue")?,
            ))
        }
        Some(_) => return Err(JsError::new("spendFit: must be a gammagamma fit")),
        None => None,
    };
    let spend = spend_columns
        .as_ref()
        .map(
            |(model, monetary_value, holdout_monetary_value)| models::SpendHoldout {
                model,
                monetary_value,
                holdout_monetary_value,
            },
        );
    let card = models::evaluate_holdout(&model, &customers, &frequency, horizon, intervals, spend)
        .map_err(model_error("fit"))?;
    to_js(&card)
}

/// Fits BG/NBD, Pareto/NBD and MBG/NBD to `summary` and ranks them: by the holdout's mean absolute
/// error when the summary has a holdout (`holdoutFrequency`, with `holdoutLength` or
/// `options.horizon`), else by BIC; with the fits, AIC, BIC, the scorecards and the recommendation in
/// words (see [`crate::models::compare_models`]).
#[wasm_bindgen(js_name = compareModels, unchecked_return_type = "ModelComparison")]
pub fn compare_models(
    #[wasm_bindgen(
        unchecked_param_type = "CustomerSummary & { holdoutFrequency?: Numbers | null; holdoutLength?: number }"
    )]
    summary: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HoldoutOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let customers = summary_from_js(&summary, "summary")?;
    let options: HoldoutOptions = options_from_js(&options, "options")?;
    let holdout = holdout_from_js(&summary, &options)?;
    let holdout = holdout
        .as_ref()
        .map(|(frequency, horizon)| models::Holdout {
            frequency,
            horizon: *horizon,
        });
    to_js(&models::compare_models(&customers, holdout).map_err(model_error("summary"))?)
}

/// Each customer's RFM scores (1 to 5, the quintile their value starts in: recency by the time
/// since the last purchase, frequency by the repeat purchases, monetary by the mean repeat spend)
/// and named segment (see [`crate::segments`]), from a summary with `monetaryValue`.
#[wasm_bindgen(js_name = rfmSegments, unchecked_return_type = "RfmSegments")]
pub fn rfm_segments(
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary & { monetaryValue: Numbers }")]
    summary: JsValue,
) -> Result<JsValue, JsError> {
    let customers = summary_from_js(&summary, "summary")?;
    let monetary_value = numbers(&summary, "summary", "monetaryValue")?;
    let rfm = crate::segments::rfm_segments(
        &customers.frequency,
        &customers.recency,
        &customers.t,
        &monetary_value,
    )
    .map_err(|e| js_error(e.within("summary")))?;
    let object = Object::new();
    set_numbers(&object, "recencyScore", &rfm.recency_score)?;
    set_numbers(&object, "frequencyScore", &rfm.frequency_score)?;
    set_numbers(&object, "monetaryScore", &rfm.monetary_score)?;
    set(
        &object,
        "segment",
        &categorical_to_js(&rfm.levels, &rfm.codes)?,
    )?;
    Ok(object.into())
}

/// Each customer's first-purchase cohort, the month (`1997-01`, the default) or quarter
/// (`1997-Q1`, `options.period: "quarter"`) of `calibrationEnd` less T, from a summary as
/// `summarizeTransactions` returns it: `{ levels, codes }`, the cohorts in calendar order.
#[wasm_bindgen(js_name = cohortSegments, unchecked_return_type = "CategoricalAttribute")]
pub fn cohort_segments(
    #[wasm_bindgen(
        unchecked_param_type = "{ T: Numbers; calibrationEnd: string; unitDays: number }"
    )]
    summary: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CohortOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    known_fields(&summary, "summary", &[SUMMARY_KEYS, SUMMARY_RESULT_KEYS])?;
    let CohortOptions { period } = options_from_js(&options, "options")?;
    let (levels, codes) = cohorts_from_js(&summary, period)?;
    categorical_to_js(&levels, &codes)
}

/// The first-purchase cohorts of a summary with `T`, `calibrationEnd` and `unitDays`.
fn cohorts_from_js(
    summary: &JsValue,
    period: crate::segments::CohortPeriod,
) -> Result<(Vec<String>, Vec<u32>), JsError> {
    let t = numbers(summary, "summary", "T")?;
    let unit_days = optional_number(summary, "summary", "unitDays")?
        .ok_or_else(|| JsError::new("summary.unitDays: is required"))?;
    let end = Reflect::get(object_arg(summary, "summary")?, &"calibrationEnd".into())
        .map_err(|_| JsError::new("summary.calibrationEnd: cannot be read"))?;
    let end = string_arg(&end, "summary.calibrationEnd")?;
    crate::segments::cohorts(&end, &t, unit_days, period).map_err(|e| js_error(e.within("summary")))
}

/// `cohortSegments`' options.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub(crate) struct CohortOptions {
    /// `"month"` (the default) or `"quarter"`.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    period: crate::segments::CohortPeriod,
}

/// `rfmSegments`' result: per customer, in the summary's order.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename_all = "camelCase")]
pub(crate) struct RfmSegments {
    /// 1 to 5: the quintile of the time since the last purchase (5 the most recent).
    #[ts(type = "Float64Array")]
    recency_score: (),
    /// 1 to 5: the quintile of the repeat purchases.
    #[ts(type = "Float64Array")]
    frequency_score: (),
    /// 1 to 5: the quintile of the mean repeat spend (1 for customers without repeat purchases).
    #[ts(type = "Float64Array")]
    monetary_score: (),
    /// Each customer's named segment: Champions, Loyal, At risk, New, Promising, Hibernating or
    /// Other, the first whose score ranges the customer's meet.
    #[ts(type = "CategoricalAttribute")]
    segment: (),
}

/// A fit's covariance as JS passes it back: `{ names, matrix }` in the order of `params`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CovarianceInput {
    names: Vec<String>,
    matrix: Matrix,
}

/// A covariance matrix, by rows.
type Matrix = Vec<Vec<f64>>;

/// The keys of a purchase-model fit as the fit functions return it.
const FIT_KEYS: &[&str] = &[
    "model",
    "params",
    "logLikelihood",
    "standardErrors",
    "covariance",
    "termination",
    "iterations",
    "starts",
    // An sBG fit's projections.
    "survival",
    "retention",
];

/// The keys a covariate fit adds.
const COVARIATE_FIT_KEYS: &[&str] = &[
    "covariates",
    "coefficients",
    "withoutCovariates",
    "likelihoodRatio",
];

/// An error for a covariate fit (one with `coefficients`) given as argument `argument` of an export
/// that takes fits without covariates.
fn refuse_covariate_fit(fit: &JsValue, argument: &str) -> Result<(), JsError> {
    let coefficients = Reflect::get(object_arg(fit, argument)?, &"coefficients".into())
        .map_err(|_| JsError::new(&format!("{argument}: cannot be read")))?;
    if coefficients.is_undefined() {
        Ok(())
    } else {
        Err(JsError::new(&format!(
            "{argument}: is a fit with covariates, which predict and expectedSpend take; here pass a fit without them (its withoutCovariates)"
        )))
    }
}

/// A covariate fit (`fitBgNbd(summary, { covariates })`'s result, known by its `coefficients`) as
/// predictions take it; `None` for any other fit.
fn covariate_model_from_js(
    fit: &JsValue,
    argument: &str,
) -> Result<Option<covariates::CovariateModel>, JsError> {
    let field = |key: &str| {
        Reflect::get(object_arg(fit, argument)?, &JsValue::from_str(key))
            .map_err(|_| JsError::new(&format!("{key}: cannot be read")))
    };
    let coefficients = field("coefficients")?;
    if coefficients.is_undefined() {
        return Ok(None);
    }
    known_fields(
        fit,
        argument,
        &[FIT_KEYS, SPEND_FIT_KEYS, COVARIATE_FIT_KEYS],
    )?;
    Ok(Some(covariates::CovariateModel {
        model: parse_model(fit, argument)?,
        covariates: field_from_js(&field("covariates")?, "covariates")?,
        coefficients: field_from_js(&coefficients, "coefficients")?,
    }))
}

/// The keys a Gamma-Gamma fit adds.
const SPEND_FIT_KEYS: &[&str] = &["included", "excluded"];

/// Argument `fit` as the fit functions return it: the model, and its covariance (`None` when absent)
/// checked against the parameters' names; unknown keys, also among `standardErrors`, are refused.
fn fit_from_js(fit: &JsValue) -> Result<(Model, Option<Matrix>), JsError> {
    fit_at(fit, "", &[FIT_KEYS])
}

/// [`fit_from_js`] of the fit at path `at` of an argument (`spendFit` in the options; the argument
/// `fit` itself when `at` is empty), with the keys `keys`; errors start with the path.
fn fit_at(
    fit: &JsValue,
    at: &str,
    keys: &[&'static [&'static str]],
) -> Result<(Model, Option<Matrix>), JsError> {
    let argument = if at.is_empty() { "fit" } else { at };
    refuse_covariate_fit(fit, argument)?;
    known_fields_at(fit, argument, at, keys)?;
    let model = if at.is_empty() {
        parse_model(fit, argument)?
    } else {
        let model: Model = field_from_js(fit, at)?;
        model.validate().map_err(|e| js_error(e.within(at)))?;
        model
    };
    let (names, _) = model.named_params();
    let field = |key: &str| {
        js_sys::Reflect::get(fit, &JsValue::from_str(key))
            .map_err(|_| JsError::new(&within(at, format!("{key}: cannot be read"))))
    };
    let errors = field("standardErrors")?;
    if errors.is_object() {
        for key in Object::keys(errors.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
        {
            if !names.contains(&key.as_str()) {
                return Err(JsError::new(&within(
                    at,
                    format!(
                        "standardErrors.{}",
                        super::input::unknown_field(&key, names)
                    ),
                )));
            }
        }
    }
    let value = field("covariance")?;
    if value.is_undefined() || value.is_null() {
        return Ok((model, None));
    }
    let CovarianceInput {
        names: given,
        matrix,
    } = field_from_js(&value, &within(at, "covariance".to_owned()))?;
    if given.iter().map(String::as_str).ne(names.iter().copied()) {
        return Err(JsError::new(&within(
            at,
            format!(
                "covariance.names: must be {} (the order of params)",
                names.join(", ")
            ),
        )));
    }
    Ok((model, Some(matrix)))
}

/// Options argument `options` without its key `key` (a copy), and that key's value when it is given
/// (not absent or null).
fn split_off(options: &JsValue, key: &str) -> Result<(JsValue, Option<JsValue>), JsError> {
    if !options.is_object() {
        return Ok((options.clone(), None));
    }
    let key_value = JsValue::from_str(key);
    let value = js_sys::Reflect::get(options, &key_value)
        .map_err(|_| JsError::new(&format!("{key}: cannot be read")))?;
    let rest = Object::assign(&Object::new(), options.unchecked_ref());
    js_sys::Reflect::delete_property(&rest, &key_value)
        .map_err(|_| JsError::new(&format!("{key}: cannot be read")))?;
    let given = !(value.is_undefined() || value.is_null());
    Ok((rest.into(), given.then_some(value)))
}

// Declaration only: the result is built in `predict_intervals`; tests/node/types.test.mjs checks it.
/// `predictIntervals`' result: per customer (Float64Arrays in the summary's order) and for the base.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename = "PredictionIntervals", rename_all = "camelCase")]
pub(crate) struct IntervalArrays {
    /// E[Y(horizon)], averaged over the parameter draws.
    #[ts(type = "Float64Array")]
    expected_purchases: (),
    /// The central `level` interval of the number of purchases (whole numbers; it holds at least
    /// `level` of the predictive mass).
    #[ts(type = "Float64Array")]
    purchases_lower: (),
    #[ts(type = "Float64Array")]
    purchases_upper: (),
    /// P(alive) at the estimate, and its `level` interval over the draws.
    #[ts(type = "Float64Array")]
    prob_alive: (),
    #[ts(type = "Float64Array")]
    prob_alive_lower: (),
    #[ts(type = "Float64Array")]
    prob_alive_upper: (),
    /// With `spendFit` and `value`: each customer's value over `value.months` at the estimates (as
    /// `customerValue` gives it), and its `level` interval over the parameter draws.
    #[ts(type = "Float64Array", optional)]
    clv: (),
    #[ts(type = "Float64Array", optional)]
    clv_lower: (),
    #[ts(type = "Float64Array", optional)]
    clv_upper: (),
    /// The whole base's purchases over the horizon: mean and `level` interval (and with a spend fit,
    /// its value).
    total: models::TotalInterval,
}

/// A Gamma-Gamma fit (`spendFit`), its covariance and the summary's `monetaryValue`.
struct SpendFit {
    model: gammagamma::GammaGamma,
    covariance: Option<Vec<Vec<f64>>>,
    monetary_value: Vec<f64>,
}

impl SpendFit {
    fn spend(&self) -> models::Spend<'_> {
        models::Spend {
            model: &self.model,
            covariance: self.covariance.as_deref(),
            monetary_value: &self.monetary_value,
        }
    }
}

/// The options' `spendFit`, when given, with the summary's spend.
fn spend_fit_from(fit: Option<&JsValue>, summary: &JsValue) -> Result<Option<SpendFit>, JsError> {
    let Some(fit) = fit else { return Ok(None) };
    match fit_at(fit, "spendFit", &[FIT_KEYS, SPEND_FIT_KEYS])? {
        (Model::Gammagamma(model), covariance) => Ok(Some(SpendFit {
            model,
            covariance,
            monetary_value: numbers(summary, "summary", "monetaryValue")?,
        })),
        _ => Err(JsError::new("spendFit: must be a gammagamma fit")),
    }
}

/// The part of `predictIntervals`' result that is not per customer.
#[derive(serde::Serialize)]
struct TotalOnly {
    total: models::TotalInterval,
}

/// Predictive intervals of a purchase-model fit for every customer of `summary` and for the whole
/// base: purchases over `options.horizon` (mean and central `level` interval, the customers' own
/// randomness and the parameters' uncertainty) and P(alive) (see [`crate::models::predict_intervals`]).
#[wasm_bindgen(js_name = predictIntervals, unchecked_return_type = "PredictionIntervals")]
pub fn predict_intervals(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary & { monetaryValue?: Numbers | null }")]
    summary: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IntervalOptions & { spendFit?: GammaGammaFit | null }")]
    options: JsValue,
) -> Result<JsValue, JsError> {
    let (model, covariance) = fit_from_js(&fit)?;
    let customers = summary_from_js(&summary, "summary")?;
    let (options, spend_fit) = split_off(&options, "spendFit")?;
    let options: models::IntervalOptions = from_js(&options, "options")?;
    let spend_fit = spend_fit_from(spend_fit.as_ref(), &summary)?;
    let out = models::predict_intervals(
        &model,
        covariance.as_deref(),
        &customers,
        &options,
        spend_fit.as_ref().map(SpendFit::spend),
    )
    .map_err(model_error("fit"))?;
    let object = Object::from(to_js(&TotalOnly { total: out.total })?);
    for (name, values) in [
        ("expectedPurchases", &out.expected_purchases),
        ("purchasesLower", &out.purchases_lower),
        ("purchasesUpper", &out.purchases_upper),
        ("probAlive", &out.prob_alive),
        ("probAliveLower", &out.prob_alive_lower),
        ("probAliveUpper", &out.prob_alive_upper),
    ] {
        set_numbers(&object, name, values)?;
    }
    if let Some(clv) = &out.clv {
        for (name, values) in [
            ("clv", &clv.clv),
            ("clvLower", &clv.lower),
            ("clvUpper", &clv.upper),
        ] {
            set_numbers(&object, name, values)?;
        }
    }
    Ok(object.into())
}

/// The fitted base valued at three levels (see [`crate::models::value_customer_base`]): each
/// customer's value over `options.value`'s months with its interval, the segments of
/// `options.segmentBy` (an attribute of the summary, `"rfm"`, `"cohort"` or `{ levels, codes }`; one
/// segment of all customers without it) with their plans in `options.segments`, and the whole base
/// with its cohorts to come, in `simulateEquity`'s shape over the parameter draws of the purchase fit
/// and of `options.spendFit` (required).
#[wasm_bindgen(
    js_name = valueCustomerBase,
    unchecked_return_type = "BaseValue & { customers: BaseCustomers }"
)]
pub fn value_customer_base(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary & { monetaryValue: Numbers }")]
    summary: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "BaseValueOptions & { spendFit: GammaGammaFit; segmentBy?: string | CategoricalAttribute | null }"
    )]
    options: JsValue,
) -> Result<JsValue, JsError> {
    let (model, covariance) = fit_from_js(&fit)?;
    let customers = summary_from_js(&summary, "summary")?;
    let (options, spend_fit) = split_off(&options, "spendFit")?;
    let (options, segment_by) = split_off(&options, "segmentBy")?;
    let options: models::BaseValueOptions = from_js(&options, "options")?;
    let spend_fit = spend_fit_from(spend_fit.as_ref(), &summary)?
        .ok_or_else(|| JsError::new("spendFit: is required (a fitGammaGamma result)"))?;
    let segments = segment_by
        .map(|by| segmentation_from_js(&by, &summary, &customers, &spend_fit.monetary_value))
        .transpose()?;
    let out = models::value_customer_base(
        &model,
        covariance.as_deref(),
        &customers,
        &options,
        spend_fit.spend(),
        segments
            .as_ref()
            .map(|(by, levels, codes)| models::Segmentation { by, levels, codes }),
    )
    .map_err(model_error("fit"))?;
    let object = Object::from(to_js(&out)?);
    let columns = Object::new();
    set_numbers(&columns, "clv", &out.customers.clv)?;
    set_numbers(&columns, "clvLower", &out.customers.lower)?;
    set_numbers(&columns, "clvUpper", &out.customers.upper)?;
    let codes = segments.map_or_else(|| vec![0; customers.frequency.len()], |s| s.2);
    set(
        &columns,
        "segment",
        &js_sys::Uint32Array::from(codes.as_slice()).into(),
    )?;
    set(&object, "customers", &columns.into())?;
    Ok(object.into())
}

// Declaration only: the object is built in `value_customer_base`; tests/node/types.test.mjs checks it.
/// `valueCustomerBase`'s customers: Float64Arrays (and a Uint32Array) in the summary's order.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename_all = "camelCase")]
pub(crate) struct BaseCustomers {
    /// Each customer's value over the months at the estimates (`customerValue`'s).
    #[ts(type = "Float64Array")]
    clv: (),
    /// Its central `level` interval over the parameter draws.
    #[ts(type = "Float64Array")]
    clv_lower: (),
    #[ts(type = "Float64Array")]
    clv_upper: (),
    /// Each customer's segment, an index into `segments`.
    #[ts(type = "Uint32Array")]
    segment: (),
}

/// `segmentBy`: its name (the attribute's, `rfm`, `cohort`, `given`), levels and each customer's code.
fn segmentation_from_js(
    by: &JsValue,
    summary: &JsValue,
    customers: &models::Summary,
    monetary_value: &[f64],
) -> Result<(String, Vec<String>, Vec<u32>), JsError> {
    let Some(name) = by.as_string() else {
        known_fields_at(by, "segmentBy", "segmentBy", &[&["levels", "codes"]])?;
        let (levels, codes) = categorical_from_js(by, "segmentBy")?;
        return Ok(("given".to_owned(), levels, codes));
    };
    let (levels, codes) = match name.as_str() {
        "rfm" => {
            let rfm = crate::segments::rfm_segments(
                &customers.frequency,
                &customers.recency,
                &customers.t,
                monetary_value,
            )
            .map_err(|e| js_error(e.within("summary")))?;
            (rfm.levels, rfm.codes)
        }
        "cohort" => cohorts_from_js(summary, crate::segments::CohortPeriod::Month)?,
        _ => {
            let attributes = attributes_from_js(summary, "summary")?;
            let names: Vec<&str> = attributes.iter().map(|(n, _)| n.as_str()).collect();
            match attributes.iter().find(|(n, _)| *n == name) {
                Some((_, crate::data::Attribute::Categorical { levels, codes })) => {
                    (levels.clone(), codes.clone())
                }
                Some(_) => {
                    return Err(JsError::new(&format!(
                        "segmentBy: {name:?} is a numeric attribute; segments need a categorical one (or \"rfm\", \"cohort\", {{ levels, codes }})"
                    )))
                }
                None => {
                    return Err(JsError::new(&format!(
                        "segmentBy: {name:?} is not \"rfm\", \"cohort\" or an attribute of the summary ({})",
                        if names.is_empty() { "it has none".to_owned() } else { format!("it has {}", names.join(", ")) }
                    )))
                }
            }
        }
    };
    Ok((name, levels, codes))
}

/// A contractual customer's value with the uncertainty of an sBG or BdW retention fit: `input` as `clv`
/// takes it, its `retention` the fit's `{ alpha, beta }` or `{ gamma, delta, c }` (or omitted, to take
/// them from the fit), and
/// `options` `{ level?, draws?, seed? }` → `{ clv, netValue }`, each `{ estimate, mean, lower, upper }`
/// (see [`crate::models::clv_intervals`]).
#[wasm_bindgen(js_name = clvIntervals, unchecked_return_type = "ClvIntervals")]
pub fn clv_intervals(
    #[wasm_bindgen(
        unchecked_param_type = "Omit<ClvInput, \"retention\"> & { retention?: Sbg | Bdw }"
    )]
    input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SbgFit | BdwFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DrawOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (model, covariance) = fit_from_js(&fit)?;
    let (retention, params) = match model {
        Model::Sbg(p) => (p.retention(), to_js(&p)?),
        Model::Bdw(p) => (p.retention(), to_js(&p)?),
        _ => {
            return Err(JsError::new(
                "fit: must be an sBG or BdW fit (fitSbg, fitBdw)",
            ))
        }
    };
    let covariance = covariance.ok_or_else(|| {
        JsError::new("covariance: is required (pass the fit as fitSbg or fitBdw returns it)")
    })?;
    // The fit's parameters as the input's retention, unless the input gives them (then they must agree).
    let object = Object::assign(&Object::new(), object_arg(&input, "input")?.unchecked_ref());
    let given = js_sys::Reflect::get(&object, &JsValue::from_str("retention"))
        .map_err(|_| JsError::new("retention: cannot be read"))?;
    if given.is_undefined() || given.is_null() {
        set(&object, "retention", &params)?;
    }
    let input: crate::clv::ClvInput = from_js(&object.into(), "input")?;
    if input.retention != retention {
        return Err(JsError::new(
            "retention: must be the fit's parameters, or omitted to take them from the fit",
        ));
    }
    let options: models::DrawOptions = options_from_js(&options, "options")?;
    to_js(&models::clv_intervals(&input, &covariance, &options).map_err(model_error("fit"))?)
}
