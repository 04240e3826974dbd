//! Seeded fuzzing of the input reader and the validation behind it: valid inputs of every kind,
//! mutated at random (a value replaced by a hostile one, a field deleted, renamed or added), are read
//! and valued. Nothing may panic; an error must start with a path the caller wrote (every step of it
//! but a missing or unknown last field present in the input); a value that is read and valued must be
//! finite. Deterministic: the same seed, the same cases.

use super::input::{read, Value};
use crate::clv::ClvInput;
use crate::equity::EquityInput;
use crate::error::InputError;
use crate::montecarlo::{CompareConfig, EquityConfig};
use crate::scenario::CompareInput;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::de::DeserializeOwned;
use serde_json::json;

/// Cases per input kind.
const CASES: usize = 1500;

/// The fuzzer's only randomness: the crate's seeded generator, with two helpers.
struct Rng(Xoshiro256PlusPlus);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NUMBERS: &[f64] = &[
    0.0,
    1.0,
    -1.0,
    0.5,
    0.8,
    0.1,
    2.5,
    10.0,
    100.0,
    1e6,
    1e12,
    1e13,
    1e308,
    -1e308,
    1e-300,
    9_007_199_254_740_992.0,
    10_000.0,
    10_001.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
];
const STRINGS: &[&str] = &[
    "end",
    "start",
    "week",
    "month",
    "auto",
    "",
    "x",
    "1997-09-30",
    "margin",
    "retention",
    "points",
];
const KEYS: &[&str] = &[
    "margin",
    "discountRate",
    "retention",
    "horizon",
    "timing",
    "marginGrowth",
    "acquisitionCost",
    "renewals",
    "segments",
    "name",
    "customers",
    "acquisition",
    "perPeriod",
    "periods",
    "segment",
    "competitors",
    "equity",
    "base",
    "scenarios",
    "changes",
    "churnChange",
    "points",
    "relative",
    "alpha",
    "beta",
    "mean",
    "cv",
    "runs",
    "seed",
    "target",
    "horizion",
    "Margin",
];

/// A hostile leaf or a small container of them.
fn hostile(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 4 } else { 6 }) {
        0 => Value::Number(*rng.pick(NUMBERS)),
        1 => Value::String(rng.pick(STRINGS).to_string()),
        2 => Value::Null,
        3 => Value::Bool(rng.below(2) == 0),
        4 => Value::Array((0..rng.below(3)).map(|_| hostile(rng, depth + 1)).collect()),
        _ => Value::Object({
            let mut fields: Vec<(String, Value)> = Vec::new();
            for _ in 0..rng.below(3) {
                let key = rng.pick(KEYS).to_string();
                if !fields.iter().any(|(k, _)| *k == key) {
                    fields.push((key, hostile(rng, depth + 1)));
                }
            }
            fields
        }),
    }
}

/// The index paths of every container in `value` (objects and arrays), depth first.
fn containers(value: &Value, at: Vec<usize>, found: &mut Vec<Vec<usize>>) {
    let children: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(fields) => fields.iter().map(|(_, v)| v).collect(),
        _ => return,
    };
    found.push(at.clone());
    for (i, child) in children.into_iter().enumerate() {
        let mut path = at.clone();
        path.push(i);
        containers(child, path, found);
    }
}

/// The value at index path `at`.
fn at_mut<'a>(value: &'a mut Value, at: &[usize]) -> &'a mut Value {
    match (at.split_first(), value) {
        (None, value) => value,
        (Some((&i, rest)), Value::Array(items)) => at_mut(&mut items[i], rest),
        (Some((&i, rest)), Value::Object(fields)) => at_mut(&mut fields[i].1, rest),
        (Some(_), value) => value,
    }
}

/// One random change to `value`: replace, delete, rename or add a field or element.
fn mutate(rng: &mut Rng, value: &mut Value) {
    let mut found = Vec::new();
    containers(value, Vec::new(), &mut found);
    let at = rng.pick(found.as_slice()).clone();
    let target = at_mut(value, &at);
    match target {
        Value::Array(items) if !items.is_empty() => {
            let i = rng.below(items.len());
            if rng.below(3) == 0 {
                items.remove(i);
            } else {
                items[i] = hostile(rng, 0);
            }
        }
        Value::Object(fields) if !fields.is_empty() => {
            // A JS object's keys are distinct: a key already there is not added again.
            let i = rng.below(fields.len());
            let key = rng.pick(KEYS).to_string();
            let fresh = !fields.iter().any(|(k, _)| *k == key);
            match rng.below(4) {
                0 => {
                    fields.remove(i);
                }
                1 if fresh => fields[i].0 = key,
                2 if fresh => fields.push((key, hostile(rng, 0))),
                _ => fields[i].1 = hostile(rng, 0),
            }
        }
        Value::Object(fields) => fields.push((rng.pick(KEYS).to_string(), hostile(rng, 0))),
        Value::Array(items) => items.push(hostile(rng, 0)),
        _ => {}
    }
}

fn tree(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(tree).collect()),
        serde_json::Value::Object(fields) => {
            Value::Object(fields.iter().map(|(k, v)| (k.clone(), tree(v))).collect())
        }
    }
}

/// Whether every step of `path` but the last is in `value` (the last may be a missing field).
fn names_the_input(value: &Value, path: &str) -> bool {
    let steps: Vec<&str> = path
        .split(['.', '['])
        .map(|s| s.trim_end_matches(']'))
        .filter(|s| !s.is_empty())
        .collect();
    let mut here = value;
    for step in steps.iter().take(steps.len().saturating_sub(1)) {
        here = match here {
            Value::Object(fields) => match fields.iter().find(|(k, _)| k == step) {
                Some((_, v)) => v,
                None => return false,
            },
            Value::Array(items) => match step.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    true
}

/// The field a domain error names.
fn field_of(error: &InputError) -> &str {
    match error {
        InputError::NotFinite { field, .. }
        | InputError::OutOfRange { field, .. }
        | InputError::Invalid { field, .. } => field,
    }
}

/// Fuzzes input kind `T`, from `valid`, valuing what reads with `value` (the numbers it returns
/// must be finite).
fn fuzz<T: DeserializeOwned>(
    seed: u64,
    valid: serde_json::Value,
    value: impl Fn(&T) -> Result<Vec<f64>, InputError>,
) {
    let mut rng = Rng(Xoshiro256PlusPlus::seed_from_u64(seed));
    let template = tree(&valid);
    let mut valued = 0;
    for case in 0..CASES {
        let mut input = template.clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut input);
        }
        match read::<T>(&input) {
            Err(e) => {
                let path = e.path();
                assert!(
                    !path.is_empty(),
                    "case {case}: {e} without a path, {input:?}"
                );
                assert!(
                    names_the_input(&input, &path),
                    "case {case}: {path}: {e} in {input:?}"
                );
            }
            Ok(read) => match value(&read) {
                Ok(numbers) => {
                    valued += 1;
                    assert!(
                        numbers.iter().all(|x| x.is_finite()),
                        "case {case}: {numbers:?} from {input:?}"
                    );
                }
                Err(e) => {
                    let field = field_of(&e);
                    assert!(!field.is_empty(), "case {case}: {e} names no field");
                    assert!(
                        names_the_input(&input, field) || KEYS.contains(&field),
                        "case {case}: {e} in {input:?}"
                    );
                }
            },
        }
    }
    // The mutations leave enough inputs readable for the valuation to be exercised too.
    assert!(valued > CASES / 50, "only {valued} of {CASES} cases valued");
}

#[test]
fn clv_inputs() {
    let valid = json!({ "margin": 100, "retention": { "alpha": 0.7, "beta": 1.2 }, "discountRate": 0.1,
        "horizon": 24, "timing": "start", "marginGrowth": 0.01, "acquisitionCost": 50, "renewals": 2 });
    fuzz::<ClvInput>(1, valid, |input| {
        let r = crate::clv::clv(input)?;
        Ok(vec![r.clv, r.net_value, r.ltv_to_cac.unwrap_or(0.0)])
    });
}

#[test]
fn customer_bases() {
    let valid = json!({
        "segments": [
            { "name": "loyal", "customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1 },
            { "name": "new", "customers": 50, "margin": 40, "retention": { "alpha": 1, "beta": 2 },
              "discountRate": 0.1, "horizon": 12 }
        ],
        "acquisition": { "perPeriod": 50, "periods": 12, "acquisitionCost": 80, "segment": "new" },
        "competitors": [{ "name": "rival", "equity": 1e6 }]
    });
    fuzz::<EquityInput>(2, valid, |input| {
        let r = crate::equity::customer_equity(input)?;
        Ok(vec![r.equity, r.current, r.future, r.share.unwrap_or(0.0)])
    });
}

#[test]
fn scenario_comparisons() {
    let valid = json!({
        "base": { "margin": 100, "retention": 0.8, "discountRate": 0.1, "acquisitionCost": 30 },
        "scenarios": [
            { "name": "less churn", "changes": { "churnChange": { "points": -5 } } },
            { "name": "more margin", "changes": { "margin": 120, "marginChange": { "relative": 0.1 } } }
        ]
    });
    fuzz::<CompareInput<ClvInput>>(3, valid, |input| {
        let c = crate::scenario::compare_scenarios(&input.base.clone().into(), &input.scenarios)?;
        Ok(c.scenarios
            .iter()
            .flat_map(|s| [s.value, s.delta, s.net_value, s.net_delta])
            .chain([c.base.value, c.base.net_value])
            .collect())
    });
}

#[test]
fn simulation_configs() {
    let valid = json!({
        "segments": [{ "name": "all", "customers": 1000, "margin": { "mean": 10, "cv": 0.5 },
            "retention": 0.8, "uncertainty": { "retentionSd": 0.02 } }],
        "acquisition": { "perPeriod": 20, "segment": "all", "acquisitionCost": 5 },
        "discountRate": 0.1, "horizon": 6, "runs": 20, "seed": 7, "target": 30000
    });
    // Validated only: a valid plan is simulated by the Monte Carlo tests, in bounded steps.
    fuzz::<EquityConfig>(4, valid.clone(), |config| config.validate().map(|_| vec![]));
    let mut model = valid;
    let (runs, seed) = (model["runs"].take(), model["seed"].take());
    let model = serde_json::Value::Object(
        model
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "runs" && *k != "seed")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    let compare = json!({ "base": model, "scenarios": [model], "runs": runs, "seed": seed });
    fuzz::<CompareConfig>(5, compare, |config| config.validate().map(|_| vec![]));
}
