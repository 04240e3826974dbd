//! The JavaScript API: every `#[wasm_bindgen]` export of clvlab lives here and nowhere else.
//!
//! Inputs arrive as plain JS objects with camelCase fields and are read by [`input`] (which keeps the
//! path of the field a type error is about); results go back as plain objects through
//! `serde-wasm-bindgen`. Every failure becomes a JS `Error` whose message begins with the offending
//! field. The domain modules validate their own inputs; this layer only converts.

mod input;

use crate::data;
use crate::models::{self, bgbb, gammagamma, Model, Predictions, Summary};
use crate::montecarlo::{self, CompareConfig, EquityConfig, RunChunk};
use input::Value;
use js_sys::{Array, ArrayBuffer, Float64Array, Object, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Reads a JS value into `T`; a type error names the path of the field.
fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    input::read(&Value::from(&value))
        .map_err(|e| JsError::new(&describe_type_error(e.path(), &e.to_string())))
}

/// A JS value as the input reader's tree (see [`input`] for what becomes what).
impl From<&JsValue> for Value {
    fn from(value: &JsValue) -> Self {
        if value.is_null() || value.is_undefined() {
            Value::Null
        } else if let Some(b) = value.as_bool() {
            Value::Bool(b)
        } else if let Some(x) = value.as_f64() {
            Value::Number(x)
        } else if let Some(s) = value.as_string() {
            Value::String(s)
        } else if Array::is_array(value) {
            Value::Array(
                value
                    .unchecked_ref::<Array>()
                    .iter()
                    .map(|v| Value::from(&v))
                    .collect(),
            )
        } else if ArrayBuffer::is_view(value) {
            // A typed array (or DataView, read as empty): `Array.from` keeps a BigInt64Array's BigInts.
            Value::Array(Array::from(value).iter().map(|v| Value::from(&v)).collect())
        } else if value.is_object() && !value.is_function() {
            let entries = Object::entries(value.unchecked_ref());
            Value::Object(
                entries
                    .iter()
                    .filter_map(|entry| {
                        let pair = entry.unchecked_into::<Array>();
                        let item = pair.get(1);
                        let key = pair.get(0).as_string()?;
                        (!item.is_undefined()).then(|| (key, Value::from(&item)))
                    })
                    .collect(),
            )
        } else if value.is_function() {
            Value::Other("a function")
        } else if value.is_bigint() {
            Value::Other("a BigInt")
        } else {
            Value::Other("a symbol")
        }
    }
}

/// Words a deserialisation error so that it starts with the field it is about: `path` is the field's
/// (`""` for the input itself), `message` serde's. A missing field becomes `<path>.<field>: is required`.
fn describe_type_error(path: &str, message: &str) -> String {
    let message = message.replace("expected f64", "expected a number");
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'));
    match (missing, path) {
        (Some(field), "") => format!("{field}: is required"),
        (Some(field), _) => format!("{path}.{field}: is required"),
        (None, "") => message,
        (None, _) => format!("{path}: {message}"),
    }
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

/// Sets `object[key] = value`.
fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new(&format!("cannot set {key}")))
}

/// Sets `object[key]` to a `Float64Array` copy of `values` (bulk numbers cross as typed arrays).
fn set_numbers(object: &Object, key: &str, values: &[f64]) -> Result<(), JsError> {
    set(object, key, &Float64Array::from(values).into())
}

// The TypeScript declarations of every input and result type, generated from the Rust types by the
// test in `src/wasm_types.rs`; wasm-bindgen writes them into `pkg/clvlab.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("wasm_types.d.ts");

/// The version of the clvlab package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

// ---- clv ----

/// The value of one customer: `{ margin, discountRate, retention, horizon?, timing?, marginGrowth?,
/// acquisitionCost?, renewals? }` → `{ clv, expectedLifetime, netValue, ltvToCac, paybackPeriod,
/// periods }` (see [`crate::clv`]).
#[wasm_bindgen(js_name = clv, unchecked_return_type = "ClvResult")]
pub fn clv(
    #[wasm_bindgen(unchecked_param_type = "ClvInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    let input: crate::clv::ClvInput = from_js(input)?;
    to_js(&crate::clv::clv(&input).map_err(js_error)?)
}

/// The value of a customer base: `{ segments: [{ name, customers, ...clv fields }], acquisition?,
/// competitors? }` → `{ equity, current, future, bySegment, acquisition, share }` (see
/// [`crate::equity`]).
#[wasm_bindgen(js_name = customerEquity, unchecked_return_type = "EquityResult")]
pub fn customer_equity(
    #[wasm_bindgen(unchecked_param_type = "EquityInput")] input: JsValue,
) -> Result<JsValue, JsError> {
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
#[wasm_bindgen(js_name = compareScenarios, unchecked_return_type = "Comparison")]
pub fn compare_scenarios(
    #[wasm_bindgen(unchecked_param_type = "CompareInput")] input: JsValue,
) -> Result<JsValue, JsError> {
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
#[wasm_bindgen(js_name = sensitivity, unchecked_return_type = "TornadoBar[]")]
pub fn sensitivity(
    #[wasm_bindgen(unchecked_param_type = "ClvInput | EquityInput")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SensitivityOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let input = valuation_from_js(input)?;
    let options: crate::sensitivity::SensitivityOptions = options_from_js(options)?;
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
    let input: crate::clv::ClvInput = from_js(input)?;
    if options.is_undefined() || options.is_null() {
        return Err(JsError::new(
            "solveFor: required: \"retention\", \"margin\" or \"acquisitionCost\"",
        ));
    }
    let options: crate::sensitivity::BreakEvenOptions = from_js(options)?;
    to_js(&crate::sensitivity::break_even(&input, &options).map_err(js_error)?)
}

// ---- data ----

/// Summarises a CSV transaction log per customer (`options`: `customerColumn`, `dateColumn`,
/// `valueColumn?`, `dateFormat?`, `calibrationEnd?`, `observationEnd?`, `timeUnit?`, `delimiter?`; see
/// [`crate::data`]). Returns `{ customerIds, frequency, recency, T, monetaryValue, holdoutFrequency }`
/// (the numbers as `Float64Array`s) and the report `{ rows, skipped: [{ line, reason }], skippedCount,
/// excludedCustomers, firstDate, lastDate, calibrationEnd, observationEnd, dateFormat }`.
#[wasm_bindgen(js_name = summarizeTransactions, unchecked_return_type = "TransactionSummary")]
pub fn summarize_transactions(
    #[wasm_bindgen(js_name = "csvText")] csv_text: &str,
    #[wasm_bindgen(unchecked_param_type = "SummaryOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: data::Options = from_js(options)?;
    summary_to_js(&data::summarize(csv_text, &options).map_err(js_error)?)
}

/// As `summarizeTransactions`, from the raw bytes of a file (a `Uint8Array`), UTF-8 or not: ids and
/// names are decoded lossily, so a file in another encoding still summarises.
#[wasm_bindgen(js_name = summarizeTransactionBytes, unchecked_return_type = "TransactionSummary")]
pub fn summarize_transaction_bytes(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "SummaryOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options: data::Options = from_js(options)?;
    summary_to_js(&data::summarize_bytes(bytes, &options).map_err(js_error)?)
}

/// Looks at the header and first 200 rows of a transaction log and guesses the mapping: `{ columns,
/// delimiter, rows (the first 5), customerColumn, dateColumn, valueColumn, dateFormat }` (see
/// [`crate::data::inspect`]). Only the start of the file is read, so a page may pass its first 64 kB.
#[wasm_bindgen(js_name = inspectTransactions, unchecked_return_type = "TransactionInspection")]
pub fn inspect_transactions(
    #[wasm_bindgen(js_name = "csvText")] csv_text: &str,
) -> Result<JsValue, JsError> {
    let i = data::inspect(csv_text.as_bytes()).map_err(js_error)?;
    to_js(&Guess {
        columns: &i.columns,
        delimiter: &i.delimiter,
        rows: &i.rows,
        customer_column: &i.customer_column,
        date_column: &i.date_column,
        value_column: &i.value_column,
        date_format: i.date_format.map(data::DateFormat::label),
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
    /// `null` when no column holds dates, or when every date could be `MM/DD/YYYY` or `DD/MM/YYYY`.
    #[cfg_attr(test, ts(as = "Option<data::DateFormat>"))]
    date_format: Option<&'static str>,
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
    #[ts(flatten)]
    report: Report<'static>,
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
    /// The format used (the one guessed for `"auto"`, never `"auto"` itself).
    #[cfg_attr(test, ts(as = "data::DateFormat"))]
    date_format: &'static str,
}

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
        date_format: summary.date_format.label(),
    })?;
    let object = Object::from(object);
    for (name, values) in [
        ("frequency", &summary.frequency),
        ("recency", &summary.recency),
        ("T", &summary.t),
        ("monetaryValue", &summary.monetary_value),
        ("holdoutFrequency", &summary.holdout_frequency),
    ] {
        set_numbers(&object, name, values)?;
    }
    set(&object, "customerIds", &js_strings(&summary.customer_ids)?)?;
    Ok(object.into())
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

// ---- montecarlo ----

/// `simulateEquity(config)`: every run in one call, summarized (see `montecarlo::EquitySummary`).
#[wasm_bindgen(js_name = simulateEquity, unchecked_return_type = "EquitySimulation")]
pub fn simulate_equity(
    #[wasm_bindgen(unchecked_param_type = "SimulationConfig")] config: JsValue,
) -> Result<JsValue, JsError> {
    let config: EquityConfig = from_js(config)?;
    to_js(&montecarlo::simulate_equity(&config).map_err(js_error)?)
}

/// `simulateEquityChunk(config, firstRun, runCount)`: runs `firstRun .. firstRun + runCount` as
/// `{ firstRun, totals, byPeriod, bySegment }` (Float64Arrays, run-major: `byPeriod` holds `horizon`
/// cumulative values a run, `bySegment` one value a segment), for `summarizeRuns`.
#[wasm_bindgen(js_name = simulateEquityChunk, unchecked_return_type = "EquityChunk")]
pub fn simulate_equity_chunk(
    #[wasm_bindgen(unchecked_param_type = "SimulationConfig")] config: JsValue,
    #[wasm_bindgen(js_name = "firstRun")] first_run: f64,
    #[wasm_bindgen(js_name = "runCount")] run_count: f64,
) -> Result<JsValue, JsError> {
    let config: EquityConfig = from_js(config)?;
    let plan = config.validate().map_err(js_error)?;
    let max = montecarlo::MAX_RUNS;
    let first_run =
        crate::error::whole_non_negative("firstRun", first_run, max).map_err(js_error)?;
    let run_count = crate::error::whole_positive("runCount", run_count, max).map_err(js_error)?;
    let chunk = montecarlo::simulate_chunk(&plan, first_run, run_count).map_err(js_error)?;
    let object = Object::new();
    set(&object, "firstRun", &JsValue::from(chunk.first_run))?;
    set_numbers(&object, "totals", &chunk.totals)?;
    set_numbers(&object, "byPeriod", &chunk.by_period)?;
    set_numbers(&object, "bySegment", &chunk.by_segment)?;
    Ok(object.into())
}

// Declaration only: the result is built in `simulate_equity_chunk`; tests/node/types.test.mjs checks it
// against this declaration.
/// Runs `firstRun … firstRun + totals.length − 1` of a simulation (`simulateEquityChunk`), run-major;
/// `summarizeRuns` also takes the arrays as arrays of numbers.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename_all = "camelCase")]
pub(crate) struct EquityChunk {
    /// The first run's index.
    first_run: u32,
    /// Each run's customer equity.
    #[ts(type = "Float64Array")]
    totals: (),
    /// `horizon` cumulative values a run.
    #[ts(type = "Float64Array")]
    by_period: (),
    /// One value a segment, a run.
    #[ts(type = "Float64Array")]
    by_segment: (),
}

/// `summarizeRuns(config, chunks)`: the `simulateEquity` result from `simulateEquityChunk` results that
/// together cover runs `0 .. runs` once, in any order; bit-identical to a single `simulateEquity` call.
#[wasm_bindgen(js_name = summarizeRuns, unchecked_return_type = "EquitySimulation")]
pub fn summarize_runs(
    #[wasm_bindgen(unchecked_param_type = "SimulationConfig")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EquityChunk[]")] chunks: JsValue,
) -> Result<JsValue, JsError> {
    let config: EquityConfig = from_js(config)?;
    let plan = config.validate().map_err(js_error)?;
    if !Array::is_array(&chunks) {
        return Err(JsError::new(
            "chunks: must be an array of simulateEquityChunk results",
        ));
    }
    let chunks = Array::from(&chunks)
        .iter()
        .enumerate()
        .map(|(i, chunk)| read_chunk(&chunk, &format!("chunks[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    to_js(&montecarlo::summarize(&plan, &chunks).map_err(js_error)?)
}

/// `compareScenariosMc({ base, scenarios, runs, seed })`: base and scenarios on common random numbers,
/// with the distribution of each scenario's run-by-run difference from the base.
#[wasm_bindgen(js_name = compareScenariosMc, unchecked_return_type = "McComparison")]
pub fn compare_scenarios_mc(
    #[wasm_bindgen(unchecked_param_type = "CompareScenariosMcInput")] config: JsValue,
) -> Result<JsValue, JsError> {
    let config: CompareConfig = from_js(config)?;
    to_js(&montecarlo::compare_scenarios(&config).map_err(js_error)?)
}

fn read_chunk(chunk: &JsValue, field: &str) -> Result<RunChunk, JsError> {
    let get =
        |key: &str| Reflect::get(chunk, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let numbers = |key: &str| {
        let value = get(key);
        if value.is_instance_of::<Float64Array>() || Array::is_array(&value) {
            Ok(Float64Array::new(&value).to_vec())
        } else {
            Err(JsError::new(&format!(
                "{field}.{key}: must be a Float64Array or an array of numbers"
            )))
        }
    };
    let first_run = get("firstRun").as_f64().unwrap_or(f64::NAN);
    let first_run = crate::error::whole_non_negative(
        &format!("{field}.firstRun"),
        first_run,
        montecarlo::MAX_RUNS,
    )
    .map_err(js_error)?;
    Ok(RunChunk {
        first_run,
        totals: numbers("totals")?,
        by_period: numbers("byPeriod")?,
        by_segment: numbers("bySegment")?,
    })
}

#[cfg(test)]
mod tests {
    use super::describe_type_error;

    #[test]
    fn type_errors_start_with_the_field() {
        assert_eq!(
            describe_type_error("", "missing field `discountRate`"),
            "discountRate: is required"
        );
        assert_eq!(
            describe_type_error("segments[1]", "missing field `margin`"),
            "segments[1].margin: is required"
        );
        assert_eq!(
            describe_type_error("margin", "invalid type: string \"x\", expected f64"),
            "margin: invalid type: string \"x\", expected a number"
        );
    }
}
// ---- models ----

/// `value[field]` as numbers: a `Float64Array` is copied in one go, an array of numbers read element by
/// element; anything else goes through the input reader, so a bad element is reported as `field[i]`.
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
    if let Some(array) = item.dyn_ref::<Array>() {
        if let Some(numbers) = array.iter().map(|x| x.as_f64()).collect() {
            return Ok(Some(numbers));
        }
    }
    input::read(&Value::from(&item)).map(Some).map_err(|e| {
        let path = format!("{field}{}", e.path());
        JsError::new(&describe_type_error(&path, &e.to_string()))
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
/// `horizon` future opportunities).
#[wasm_bindgen(unchecked_return_type = "Predictions")]
pub fn predict(
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit")] fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerSummary | OpportunityData")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "HorizonOptions")] options: JsValue,
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
    #[wasm_bindgen(unchecked_param_type = "GammaGammaFit", js_name = "spendFit")] gg_fit: JsValue,
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
    #[wasm_bindgen(unchecked_param_type = "PurchaseFit", js_name = "purchaseFit")]
    purchase_fit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GammaGammaFit", js_name = "spendFit")] gg_fit: JsValue,
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
