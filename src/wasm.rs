//! The JavaScript API: every `#[wasm_bindgen]` export of clvlab lives here and in its submodules, by
//! area: [`valuation`] (CLV, customer equity, scenarios, sensitivity, break-even), [`transactions`]
//! (transaction logs), [`fitting`] (the probability models) and [`simulation`] (Monte Carlo).
//!
//! This module is the one reader of JS inputs and the one error funnel:
//! - An argument is checked for its JS type first (`csvText: expected a string, got a number`).
//! - An object is copied into the input reader's tree ([`input::Value`]), at most [`MAX_DEPTH`]
//!   levels deep (a deeper or cyclic value is refused with the path where it went too deep), then read
//!   into the library's serde types by [`input`], which keeps the path of the value an error is about.
//! - Every input type refuses fields it does not know (`horizion: unknown field; did you mean
//!   horizon?`); a missing field `is required`; a wrong type says what was expected and what came.
//! - Every failure becomes a JS `Error` whose message starts with the path the caller wrote
//!   (`segments[1].margin: …`), or with the argument's name when the argument itself is wrong
//!   (`input: expected an object, got null`).
//!
//! The domain modules validate the values; this layer only converts and holds no math. Results go
//! back as plain objects through `serde-wasm-bindgen`, bulk numbers as `Float64Array`s.

#[cfg(feature = "fitting")]
mod fitting;
#[cfg(test)]
mod fuzz;
mod input;
mod simulation;
#[cfg(feature = "fitting")]
mod transactions;
mod valuation;

#[cfg(feature = "fitting")]
pub use fitting::*;
pub use simulation::*;
#[cfg(feature = "fitting")]
pub use transactions::*;
pub use valuation::*;

use input::Value;
use js_sys::{Array, ArrayBuffer, Float64Array, Object, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The deepest an input may nest objects and arrays (the deepest the API reads is 6 levels, e.g.
/// `base.segments[0].retention.alpha` in `compareScenariosMc`).
pub const MAX_DEPTH: usize = 32;

/// Reads argument `argument`'s JS value into `T`; an error names the path of the value it is about.
fn from_js<T: DeserializeOwned>(value: &JsValue, argument: &str) -> Result<T, JsError> {
    read_js(value, |path| root_or(argument, path))
}

/// Reads the JS value of field `field` of an argument into `T`; an error names `field.path`.
#[cfg(feature = "fitting")]
fn field_from_js<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsError> {
    read_js(value, |path| match path {
        "" => field.to_owned(),
        p if p.starts_with('[') => format!("{field}{p}"),
        p => format!("{field}.{p}"),
    })
}

/// Reads `value` into `T`; `name(path)` is how an error names the value at `path` inside it.
fn read_js<T: DeserializeOwned>(
    value: &JsValue,
    name: impl Fn(&str) -> String,
) -> Result<T, JsError> {
    let tree = tree(value, 0).map_err(|too_deep| {
        let path: String = too_deep.iter().rev().map(String::as_str).collect();
        JsError::new(&format!(
            "{}: nested more than {MAX_DEPTH} levels deep",
            name(path.trim_start_matches('.'))
        ))
    })?;
    input::read(&tree).map_err(|e| JsError::new(&format!("{}: {e}", name(&e.path()))))
}

/// The path a caller wrote: `path` inside argument `argument` (whose own fields are named alone, its
/// elements as `argument[i]`), or `argument` itself.
fn root_or(argument: &str, path: &str) -> String {
    if path.is_empty() || path.starts_with('[') {
        format!("{argument}{path}")
    } else {
        path.to_owned()
    }
}

/// A JS value as the input reader's tree, or the path (innermost part first) where it nests deeper
/// than [`MAX_DEPTH`]. `null` and `undefined` become `Null`; a property holding `undefined` is left
/// out; a typed array is read through `Array.from`, so a BigInt64Array's BigInts stay BigInts.
fn tree(value: &JsValue, depth: usize) -> Result<Value, Vec<String>> {
    let nested = value.is_object() && !value.is_function();
    if nested && depth >= MAX_DEPTH {
        return Err(Vec::new());
    }
    let item = |part: String, v: &JsValue| {
        tree(v, depth + 1).map_err(|mut path| {
            path.push(part);
            path
        })
    };
    Ok(if value.is_null() || value.is_undefined() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(x) = value.as_f64() {
        Value::Number(x)
    } else if let Some(s) = value.as_string() {
        Value::String(s)
    } else if Array::is_array(value) || ArrayBuffer::is_view(value) {
        let array = if Array::is_array(value) {
            value.clone().unchecked_into::<Array>()
        } else {
            Array::from(value)
        };
        let items = array.iter().enumerate();
        Value::Array(
            items
                .map(|(i, v)| item(format!("[{i}]"), &v))
                .collect::<Result<_, _>>()?,
        )
    } else if nested {
        let mut fields = Vec::new();
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let pair = entry.unchecked_into::<Array>();
            let (key, v) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1));
            if !v.is_undefined() {
                let read = item(format!(".{key}"), &v)?;
                fields.push((key, read));
            }
        }
        Value::Object(fields)
    } else {
        Value::Other(js_type(value))
    })
}

/// A JS value's kind, as an error names it: `null`, `a number`, `an array`, …
fn js_type(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_null() {
        "null"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_string() {
        "a string"
    } else if value.is_function() {
        "a function"
    } else if value.is_bigint() {
        "a BigInt"
    } else if value.is_symbol() {
        "a symbol"
    } else if Array::is_array(value) {
        "an array"
    } else if ArrayBuffer::is_view(value) {
        "a typed array"
    } else {
        "an object"
    }
}

/// Argument `name` as a string.
#[cfg(feature = "fitting")]
fn string_arg(value: &JsValue, name: &str) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| {
        JsError::new(&format!(
            "{name}: expected a string, got {}",
            js_type(value)
        ))
    })
}

/// Argument `name` as a number (`NaN` and infinities are the domain's to refuse, by name).
fn number_arg(value: &JsValue, name: &str) -> Result<f64, JsError> {
    value.as_f64().ok_or_else(|| {
        JsError::new(&format!(
            "{name}: expected a number, got {}",
            js_type(value)
        ))
    })
}

/// Argument `name` as an object's JS value: refuses `null`, numbers, strings, arrays and the like.
fn object_arg<'a>(value: &'a JsValue, name: &str) -> Result<&'a JsValue, JsError> {
    if value.is_object() && !value.is_function() && !Array::is_array(value) {
        Ok(value)
    } else {
        Err(JsError::new(&format!(
            "{name}: expected an object, got {}",
            js_type(value)
        )))
    }
}

/// Optional options `argument`: `undefined` or `null` gives the defaults.
fn options_from_js<T: DeserializeOwned + Default>(
    options: &JsValue,
    argument: &str,
) -> Result<T, JsError> {
    if options.is_undefined() || options.is_null() {
        Ok(T::default())
    } else {
        from_js(options, argument)
    }
}

/// The number column at `path` (`frequency`, or `chunks[0].totals`: the path ends with its key) of
/// argument `argument`: a `Float64Array` is copied in one go, an array of numbers read element by
/// element; anything else goes through the input reader, so a bad element is named `path[i]`.
fn numbers(object: &JsValue, argument: &str, path: &str) -> Result<Vec<f64>, JsError> {
    optional_numbers(object, argument, path)?
        .ok_or_else(|| JsError::new(&format!("{path}: is required")))
}

/// Like [`numbers`], `None` when the column is absent or null.
fn optional_numbers(
    object: &JsValue,
    argument: &str,
    path: &str,
) -> Result<Option<Vec<f64>>, JsError> {
    let key = path.rsplit('.').next().unwrap_or(path);
    let item = Reflect::get(object_arg(object, argument)?, &JsValue::from_str(key))
        .map_err(|_| JsError::new(&format!("{path}: cannot be read")))?;
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
    } else if !ArrayBuffer::is_view(&item) {
        return Err(JsError::new(&format!(
            "{path}: expected an array of numbers, got {}",
            js_type(&item)
        )));
    }
    from_js(&item, path).map(Some)
}

/// The number at key `key` of argument `argument`, `None` when absent or null.
#[cfg(feature = "fitting")]
fn optional_number(object: &JsValue, argument: &str, key: &str) -> Result<Option<f64>, JsError> {
    let item = Reflect::get(object_arg(object, argument)?, &JsValue::from_str(key))
        .map_err(|_| JsError::new(&format!("{key}: cannot be read")))?;
    if item.is_undefined() || item.is_null() {
        return Ok(None);
    }
    number_arg(&item, key).map(Some)
}

/// `message` (`field: reason`) about the field under path `at` (`spendFit.field: reason`); as it is
/// when `at` is empty.
#[cfg(feature = "fitting")]
fn within(at: &str, message: String) -> String {
    if at.is_empty() {
        message
    } else {
        format!("{at}.{message}")
    }
}

/// Checks that argument `argument` has only the keys in `known`, worded as the input reader words
/// an unknown field; for objects read field by field (bulk number columns) rather than by the reader.
#[cfg(feature = "fitting")]
fn known_fields(
    object: &JsValue,
    argument: &str,
    known: &[&'static [&'static str]],
) -> Result<(), JsError> {
    known_fields_at(object, argument, "", known)
}

/// [`known_fields`] of an object at path `at` (`spendFit`) within the argument, whose errors start
/// with that path.
#[cfg(feature = "fitting")]
fn known_fields_at(
    object: &JsValue,
    argument: &str,
    at: &str,
    known: &[&'static [&'static str]],
) -> Result<(), JsError> {
    let known: Vec<&str> = known.iter().flat_map(|keys| keys.iter().copied()).collect();
    let keys = Object::keys(object_arg(object, argument)?.unchecked_ref::<Object>());
    match keys
        .iter()
        .filter_map(|k| k.as_string())
        .find(|k| !known.contains(&k.as_str()))
    {
        Some(key) => Err(JsError::new(&within(
            at,
            input::unknown_field(&key, &known),
        ))),
        None => Ok(()),
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
