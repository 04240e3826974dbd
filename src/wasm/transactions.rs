//! Bindings of the log readers: `summarizeTransactions`, `summarizeTransactionBytes`,
//! `inspectTransactions`, `summarizeSubscriptions` and `summarizeSubscriptionBytes` (see
//! [`crate::data`]).

use super::{from_js, js_type, set, set_numbers, string_arg, to_js};
use crate::data;
use js_sys::{Array, Object, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
/// Summarises a CSV transaction log per customer (`options`: `customerColumn`, `dateColumn`,
/// `valueColumn?`, `dateFormat?`, `calibrationEnd?`, `observationEnd?`, `timeUnit?`, `delimiter?`; see
/// [`crate::data`]). Returns `{ customerIds, frequency, recency, T, monetaryValue, holdoutFrequency }`
/// (the numbers as `Float64Array`s), the per-day counts `{ firstPurchasesByDay,
/// calibrationRepeatsByDay, holdoutRepeatsByDay }` and the report `{ rows, skipped: [{ line, reason }],
/// skippedCount, excludedCustomers, firstDate, lastDate, calibrationEnd, observationEnd,
/// suggestedCalibrationEnd, dateFormat, unitDays, unitsPerMonth }`.
#[wasm_bindgen(js_name = summarizeTransactions, unchecked_return_type = "TransactionSummary")]
pub fn summarize_transactions(
    #[wasm_bindgen(js_name = "csvText", unchecked_param_type = "string")] csv_text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SummaryOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let csv_text = string_arg(&csv_text, "csvText")?;
    let options: data::Options = from_js(&options, "options")?;
    summary_to_js(&data::summarize(&csv_text, &options).map_err(data_error("csvText"))?)
}

/// As `summarizeTransactions`, from the raw bytes of a file (a `Uint8Array`), UTF-8 or not: ids and
/// names are decoded lossily, so a file in another encoding still summarises.
#[wasm_bindgen(js_name = summarizeTransactionBytes, unchecked_return_type = "TransactionSummary")]
pub fn summarize_transaction_bytes(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SummaryOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let bytes = bytes_arg(&bytes)?;
    let options: data::Options = from_js(&options, "options")?;
    summary_to_js(&data::summarize_bytes(&bytes, &options).map_err(data_error("bytes"))?)
}

/// The bytes of argument `bytes`, a `Uint8Array`.
fn bytes_arg(bytes: &JsValue) -> Result<Vec<u8>, JsError> {
    Ok(bytes
        .dyn_ref::<Uint8Array>()
        .ok_or_else(|| {
            JsError::new(&format!(
                "bytes: expected a Uint8Array, got {}",
                js_type(bytes)
            ))
        })?
        .to_vec())
}

/// Summarises a CSV subscription log (`options`: `customerColumn`, `startColumn`, `endColumn`,
/// `planColumn?`, `priceColumn?`, `period?`, `dateFormat?`, `observationEnd?`, `delimiter?`; see
/// [`crate::data::summarize_subscriptions`]): one row per customer relationship `{ customerIds,
/// tenure, churned, cohort, plan? }` (the numbers as `Float64Array`s; `fitSbg` and `fitBdw` take the
/// result as it is), the cohorts' survivor counts `byCohort`, billing by period and the report.
#[wasm_bindgen(js_name = summarizeSubscriptions, unchecked_return_type = "SubscriptionSummary")]
pub fn summarize_subscriptions(
    #[wasm_bindgen(js_name = "csvText", unchecked_param_type = "string")] csv_text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SubscriptionOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let csv_text = string_arg(&csv_text, "csvText")?;
    let options: data::SubscriptionOptions = from_js(&options, "options")?;
    let summary = data::summarize_subscriptions(csv_text.as_bytes(), &options);
    subscriptions_to_js(&summary.map_err(data_error("csvText"))?)
}

/// As `summarizeSubscriptions`, from the raw bytes of a file (a `Uint8Array`), UTF-8 or not.
#[wasm_bindgen(js_name = summarizeSubscriptionBytes, unchecked_return_type = "SubscriptionSummary")]
pub fn summarize_subscription_bytes(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SubscriptionOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let bytes = bytes_arg(&bytes)?;
    let options: data::SubscriptionOptions = from_js(&options, "options")?;
    let summary = data::summarize_subscriptions(&bytes, &options);
    subscriptions_to_js(&summary.map_err(data_error("bytes"))?)
}

fn subscriptions_to_js(summary: &data::SubscriptionSummary) -> Result<JsValue, JsError> {
    let object = Object::from(to_js(&summary.report)?);
    for (name, values) in [
        ("tenure", &summary.tenure),
        ("churned", &summary.churned),
        ("cohort", &summary.cohort),
    ] {
        set_numbers(&object, name, values)?;
    }
    set(&object, "customerIds", &js_strings(&summary.customer_ids)?)?;
    if let Some(plan) = &summary.plan {
        set(&object, "plan", &js_strings(plan)?)?;
    }
    if let Some(price) = &summary.price {
        set_numbers(&object, "price", price)?;
    }
    Ok(object.into())
}

/// The keys of a `summarizeSubscriptions` result that the retention fits do not read: they accept
/// the result as it is.
pub(super) const SUBSCRIPTION_RESULT_KEYS: &[&str] = &[
    "customerIds",
    "cohort",
    "plan",
    "price",
    "byCohort",
    "periods",
    "subscribersByPeriod",
    "revenueByPeriod",
    "rows",
    "skipped",
    "skippedCount",
    "excludedSubscriptions",
    "endsAfterObservation",
    "overlapsMerged",
    "lapsesJoined",
    "resubscriptions",
    "firstDate",
    "lastDate",
    "observationEnd",
    "period",
    "dateFormat",
    "decimal",
    "currency",
];

// Declaration only, as `TransactionSummary`: `subscriptions_to_js` sets the columns on the serialised
// report.
/// `summarizeSubscriptions`' result: one row per customer relationship (parallel arrays), then the
/// cohorts, the billing by period and the report of what was read.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename_all = "camelCase")]
pub(crate) struct SubscriptionSummary {
    /// The customer of each relationship (one who came back after a gap has two).
    customer_ids: Vec<String>,
    /// Whole periods: the period lost in when `churned` is 1, the anniversaries passed when it is 0.
    #[ts(type = "Float64Array")]
    tenure: (),
    /// 1 when the relationship ended by the observation end, 0 when it is still active.
    #[ts(type = "Float64Array")]
    churned: (),
    /// The index in `byCohort` of each relationship's cohort.
    #[ts(type = "Float64Array")]
    cohort: (),
    /// The plan of each relationship's first subscription (with `planColumn`).
    #[ts(optional)]
    plan: Option<Vec<String>>,
    /// With `priceColumn`, the price per period each relationship pays at its end: the sum of its
    /// subscriptions still running at the observation end, or for one lost those that ended last.
    #[ts(optional, type = "Float64Array")]
    price: Option<()>,
    #[ts(flatten)]
    report: data::SubscriptionReport,
}

/// A data error as a JS `Error` naming the option at fault, as the reader names the options' fields,
/// or argument `file` (the log's text or bytes).
fn data_error(file: &'static str) -> impl Fn(data::DataError) -> JsError {
    move |e| JsError::new(&format!("{}: {e}", e.option().unwrap_or(file)))
}

/// Looks at the header and first 200 rows of a transaction log and guesses the mapping: `{ columns,
/// delimiter, rows (the first 5), customerColumn, dateColumn, valueColumn, statusColumn, statuses, dateFormat, decimal,
/// evidence, confidence, notes, export }` (see
/// [`crate::data::inspect`]). Only the start of the file is read, so a page may pass its first 64 kB.
#[wasm_bindgen(js_name = inspectTransactions, unchecked_return_type = "TransactionInspection")]
pub fn inspect_transactions(
    #[wasm_bindgen(js_name = "csvText", unchecked_param_type = "string")] csv_text: JsValue,
) -> Result<JsValue, JsError> {
    let csv_text = string_arg(&csv_text, "csvText")?;
    let i = data::inspect(csv_text.as_bytes()).map_err(data_error("csvText"))?;
    to_js(&Guess {
        columns: &i.columns,
        delimiter: &i.delimiter,
        rows: &i.rows,
        customer_column: &i.customer_column,
        date_column: &i.date_column,
        value_column: &i.value_column,
        status_column: &i.status_column,
        statuses: &i.statuses,
        date_format: i.date_format.map(data::DateFormat::label),
        decimal: i.decimal,
        evidence: &i.evidence,
        confidence: i.confidence,
        notes: &i.notes,
        export: &i.export,
    })
}

// `TransactionInspection` in TypeScript; the Rust names of serialised structs stay short because serde
// writes them into the wasm, unused.
/// The start of a log and the mapping guessed from it (`null` where nothing fits), to propose
/// `SummaryOptions`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "TransactionInspection"))]
pub(crate) struct Guess<'a> {
    /// The header's column names.
    columns: &'a [String],
    /// The delimiter found, one character.
    delimiter: &'a str,
    /// The first 5 data rows, fields decoded lossily.
    rows: &'a [Vec<String>],
    /// The guessed customer id column.
    customer_column: &'a Option<String>,
    /// The guessed purchase date column.
    date_column: &'a Option<String>,
    /// The guessed purchase value column.
    value_column: &'a Option<String>,
    /// The column of order or payment statuses: a recognised export's, or one whose values are
    /// statuses clvlab knows (pass it as `statusColumn`).
    status_column: &'a Option<String>,
    /// The status column's values in the sampled rows (an order's line items once), most rows first:
    /// whether the summary leaves them out by default (or by the export's `excludeStatuses`), and
    /// whether clvlab knows them at all.
    statuses: &'a [data::StatusCount],
    /// `null` when no column holds dates, or when every date could be `MM/DD/YYYY` or `DD/MM/YYYY`.
    #[cfg_attr(test, ts(as = "Option<data::DateFormat>"))]
    date_format: Option<&'static str>,
    /// The value column's decimal separator, `null` when its values do not decide it.
    decimal: Option<data::Decimal>,
    /// What each column's sampled values show, in column order.
    evidence: &'a [data::Evidence],
    /// How sure the customer column is: `"high"` (it repeats across dates and its name says so),
    /// `"medium"` (it repeats across dates), `"low"` (no column does).
    confidence: data::Confidence,
    /// What was chosen and why, in words.
    notes: &'a [String],
    /// The shop or payment export recognised by its header (the mapping is then its columns), with
    /// the `orderColumn`, `statusColumn` and `refundColumn` to pass on.
    export: &'a Option<data::Export>,
}

// Declaration only: `summary_to_js` sets the arrays on the serialised `Report` (one shared call per array
// keeps the wasm smaller than serialising them field by field); tests/node/types.test.mjs checks the
// result's keys and types against this declaration.
/// `summarizeTransactions`' result: per customer, parallel arrays (customers in the order of their first
/// row in the file; times in the options' `timeUnit`), then the report of what was read.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename_all = "camelCase")]
pub(crate) struct TransactionSummary {
    /// The customer ids.
    customer_ids: Vec<String>,
    /// Repeat transactions x: distinct purchase days in the calibration period − 1.
    #[ts(type = "Float64Array")]
    frequency: (),
    /// t_x: time from the first to the last transaction in the calibration period.
    #[ts(type = "Float64Array")]
    recency: (),
    /// Time from the first transaction to `calibrationEnd`.
    #[ts(rename = "T", type = "Float64Array")]
    t: (),
    /// Mean value of the repeat transactions (the first day's left out); 0 without any, or without
    /// `valueColumn`.
    #[ts(type = "Float64Array")]
    monetary_value: (),
    /// Distinct purchase days after `calibrationEnd`, up to and including `observationEnd`.
    #[ts(type = "Float64Array")]
    holdout_frequency: (),
    /// Mean value of the holdout transactions (same-day purchases one transaction); 0 without any,
    /// or without `valueColumn`.
    #[ts(type = "Float64Array")]
    holdout_monetary_value: (),
    /// Customers making their first purchase on each day from `firstDate` to `calibrationEnd` (index 0
    /// is `firstDate`).
    #[ts(type = "Float64Array")]
    first_purchases_by_day: (),
    /// Repeat transactions (same-day purchases merged, a customer's first day left out) on each day
    /// from `firstDate` to `calibrationEnd`: they sum to `frequency`'s sum.
    #[ts(type = "Float64Array")]
    calibration_repeats_by_day: (),
    /// Transactions on each day after `calibrationEnd` up to `observationEnd` (index 0 is the day after
    /// `calibrationEnd`): they sum to `holdoutFrequency`'s sum.
    #[ts(type = "Float64Array")]
    holdout_repeats_by_day: (),
    /// Each attribute column (`attributes`, `numericAttributes`) by its header name, with each
    /// customer's value; `{}` without any.
    #[ts(type = "Record<string, CategoricalAttribute | NumericAttribute>")]
    attributes: (),
    #[ts(flatten)]
    report: Report<'static>,
}

/// A categorical attribute of a summary's customers: customer i's level is `levels[codes[i]]`.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
pub(crate) struct CategoricalAttribute {
    /// The levels, in the order the customers first show them; `(missing)` for the customers
    /// without a value (`missingAttributes: "level"`).
    levels: Vec<String>,
    /// Each customer's level, an index into `levels`.
    #[ts(type = "Uint32Array")]
    codes: (),
}

/// A numeric attribute of a summary's customers: customer i's is `values[i]`.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
pub(crate) struct NumericAttribute {
    #[ts(type = "Float64Array")]
    values: (),
}

/// What `summarizeTransactions` read: the part of its result that is not per customer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "TransactionReport"))]
pub(crate) struct Report<'a> {
    /// Data rows read (the header and blank lines not counted).
    rows: usize,
    /// The first 100 rows skipped; line numbers count every line of the file, the header's included.
    skipped: &'a [data::SkippedRow],
    /// Every skipped row.
    skipped_count: usize,
    /// Customers left out because their first purchase is after `calibrationEnd`.
    excluded_customers: usize,
    /// First date of the usable transactions, `YYYY-MM-DD`.
    first_date: &'a str,
    /// Last date of the usable transactions, `YYYY-MM-DD`.
    last_date: &'a str,
    /// The calibration end used, `YYYY-MM-DD`.
    calibration_end: &'a str,
    /// The observation end used, `YYYY-MM-DD`.
    observation_end: &'a str,
    /// The day two thirds of the way from `firstDate` to `lastDate`, `YYYY-MM-DD`: a calibration end
    /// that leaves the last third of the span as holdout.
    suggested_calibration_end: &'a str,
    /// The format used (the one guessed for `"auto"`, never `"auto"` itself).
    #[cfg_attr(test, ts(as = "data::DateFormat"))]
    date_format: &'static str,
    /// The length of the time unit in days: 1, 7 or 365.25 / 12 = 30.4375 (months).
    unit_days: f64,
    /// The holdout's length, `calibrationEnd` to `observationEnd`, in time units (`evaluateHoldout`'s
    /// default horizon).
    holdout_length: f64,
    /// How many time units make a month of 365.25 / 12 days (`customerValue`'s `unitsPerMonth`).
    units_per_month: f64,
    /// The value column's decimal separator (the one decided for `"auto"`).
    decimal: data::Decimal,
    /// The currency the values name, if they name one.
    currency: Option<&'a str>,
    /// Rows merged into an earlier row of their order (`orderColumn`).
    line_items_merged: usize,
    /// Rows left out by their status (`statusColumn`).
    excluded_by_status: usize,
    /// Each status seen, most rows first, and whether its rows were left out.
    statuses: &'a [data::StatusCount],
    /// Purchases whose value a partial refund reduced (`refundColumn`).
    refunds_deducted: usize,
    /// Purchases left out as refunded.
    refunded_removed: usize,
    /// Refund rows (negative values) netted against the purchase they refund (`negatives: "net"`).
    refund_rows_netted: usize,
    /// Customers left out for a missing attribute (`missingAttributes: "drop"`).
    attribute_dropped_customers: usize,
}

/// The keys of a `summarizeTransactions` result that the models do not read: they accept the result
/// as it is (tests/wasm_data.rs passes one to each).
pub(super) const SUMMARY_RESULT_KEYS: &[&str] = &[
    "customerIds",
    "holdoutFrequency",
    "holdoutMonetaryValue",
    "firstPurchasesByDay",
    "calibrationRepeatsByDay",
    "holdoutRepeatsByDay",
    "rows",
    "skipped",
    "skippedCount",
    "excludedCustomers",
    "firstDate",
    "lastDate",
    "calibrationEnd",
    "observationEnd",
    "suggestedCalibrationEnd",
    "dateFormat",
    "unitDays",
    "unitsPerMonth",
    "holdoutLength",
    "decimal",
    "currency",
    "lineItemsMerged",
    "excludedByStatus",
    "statuses",
    "refundsDeducted",
    "refundedRemoved",
    "refundRowsNetted",
    "attributes",
    "attributeDroppedCustomers",
];

fn summary_to_js(summary: &data::Summary) -> Result<JsValue, JsError> {
    let object = to_js(&Report {
        rows: summary.rows,
        skipped: &summary.skipped,
        skipped_count: summary.skipped_count,
        excluded_customers: summary.excluded_customers,
        first_date: &summary.first_date,
        last_date: &summary.last_date,
        calibration_end: &summary.calibration_end,
        observation_end: &summary.observation_end,
        suggested_calibration_end: &summary.suggested_calibration_end,
        date_format: summary.date_format.label(),
        unit_days: summary.time_unit.days(),
        holdout_length: summary.holdout_length,
        units_per_month: summary.time_unit.per_month(),
        decimal: summary.decimal,
        currency: summary.currency.as_deref(),
        line_items_merged: summary.orders.line_items_merged,
        excluded_by_status: summary.orders.excluded_by_status,
        statuses: &summary.orders.statuses,
        refunds_deducted: summary.orders.refunds_deducted,
        refunded_removed: summary.orders.refunded_removed,
        refund_rows_netted: summary.orders.refund_rows_netted,
        attribute_dropped_customers: summary.attribute_dropped_customers,
    })?;
    let object = Object::from(object);
    for (name, values) in [
        ("frequency", &summary.frequency),
        ("recency", &summary.recency),
        ("T", &summary.t),
        ("monetaryValue", &summary.monetary_value),
        ("holdoutFrequency", &summary.holdout_frequency),
        ("holdoutMonetaryValue", &summary.holdout_monetary_value),
        ("firstPurchasesByDay", &summary.first_purchases_by_day),
        (
            "calibrationRepeatsByDay",
            &summary.calibration_repeats_by_day,
        ),
        ("holdoutRepeatsByDay", &summary.holdout_repeats_by_day),
    ] {
        set_numbers(&object, name, values)?;
    }
    set(&object, "customerIds", &js_strings(&summary.customer_ids)?)?;
    set(
        &object,
        "attributes",
        &attributes_to_js(&summary.attributes)?,
    )?;
    Ok(object.into())
}

/// A categorical attribute or segmentation: `{ levels, codes: Uint32Array }`.
pub(super) fn categorical_to_js(levels: &[String], codes: &[u32]) -> Result<JsValue, JsError> {
    let value = Object::new();
    set(&value, "levels", &to_js(&levels)?)?;
    set(&value, "codes", &Uint32Array::from(codes).into())?;
    Ok(value.into())
}

/// The attributes as an object keyed by column name (own properties whatever the names, even
/// `__proto__`: `Object.fromEntries`), codes as `Uint32Array`s and numbers as `Float64Array`s.
fn attributes_to_js(attributes: &[(String, data::Attribute)]) -> Result<JsValue, JsError> {
    let entries = Array::new();
    for (name, attribute) in attributes {
        let value = match attribute {
            data::Attribute::Categorical { levels, codes } => categorical_to_js(levels, codes)?,
            data::Attribute::Numeric { values } => {
                let value = Object::new();
                set_numbers(&value, "values", values)?;
                value.into()
            }
        };
        entries.push(&Array::of2(&JsValue::from_str(name), &value));
    }
    Object::from_entries(&entries)
        .map(Into::into)
        .map_err(|_| JsError::new("attributes: cannot build the result"))
}

/// `strings` as a JS array of strings. Tens of thousands of short strings decode far faster as one
/// string split in JS (one decode) than one by one, so they are joined by a separator none contains.
fn js_strings(strings: &[String]) -> Result<JsValue, JsError> {
    const SEPARATOR: char = '\u{0}';
    if strings.len() < 2 || strings.iter().any(|s| s.contains(SEPARATOR)) {
        return to_js(&strings);
    }
    let joined = strings.join("\u{0}");
    Ok(js_sys::JsString::from(joined)
        .split(&SEPARATOR.to_string())
        .into())
}
