//! Bindings of the Monte Carlo functions: `simulateEquity`, `simulateEquityChunk`, `summarizeRuns`,
//! `compareScenariosMc` (see [`crate::montecarlo`]), and `valueStory`, `valueStoryChunk` and
//! `summarizeStory` (see [`crate::value_story`]).

use super::{from_js, js_error, number_arg, numbers, object_arg, set, set_numbers, to_js};
use crate::montecarlo::{self, CompareConfig, EquityConfig, RunChunk};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// `simulateEquity(config)`: every run in one call, summarized (see `montecarlo::EquitySummary`).
#[wasm_bindgen(js_name = simulateEquity, unchecked_return_type = "EquitySimulation")]
pub fn simulate_equity(
    #[wasm_bindgen(unchecked_param_type = "SimulationConfig")] config: JsValue,
) -> Result<JsValue, JsError> {
    let config: EquityConfig = from_js(&config, "config")?;
    to_js(&montecarlo::simulate_equity(&config).map_err(js_error)?)
}

/// `simulateEquityChunk(config, firstRun, runCount)`: runs `firstRun .. firstRun + runCount` as
/// `{ firstRun, totals, byPeriod, bySegment }` (Float64Arrays, run-major: `byPeriod` holds `horizon`
/// cumulative values a run, `bySegment` one value a segment), for `summarizeRuns`.
#[wasm_bindgen(js_name = simulateEquityChunk, unchecked_return_type = "EquityChunk")]
pub fn simulate_equity_chunk(
    #[wasm_bindgen(unchecked_param_type = "SimulationConfig")] config: JsValue,
    #[wasm_bindgen(js_name = "firstRun", unchecked_param_type = "number")] first_run: JsValue,
    #[wasm_bindgen(js_name = "runCount", unchecked_param_type = "number")] run_count: JsValue,
) -> Result<JsValue, JsError> {
    let (first_run, run_count) = run_range(&first_run, &run_count)?;
    let config: EquityConfig = from_js(&config, "config")?;
    let plan = config.validate().map_err(js_error)?;
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
    let config: EquityConfig = from_js(&config, "config")?;
    let plan = config.validate().map_err(js_error)?;
    let chunks = chunk_list(&chunks, "simulateEquityChunk")?
        .iter()
        .enumerate()
        .map(|(i, chunk)| read_chunk(&chunk, &format!("chunks[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    to_js(&montecarlo::summarize(&plan, &chunks).map_err(js_error)?)
}

/// `compareScenariosMc({ base, scenarios, runs, seed })`: base and scenarios on common random numbers,
/// with the distribution of each scenario's run-by-run difference from the base. Scenarios are whole
/// models (with `segments`) or changes (`{ name, changes, segment? }`), all of one kind.
#[wasm_bindgen(js_name = compareScenariosMc, unchecked_return_type = "McComparison")]
pub fn compare_scenarios_mc(
    #[wasm_bindgen(unchecked_param_type = "CompareScenariosMcInput")] config: JsValue,
) -> Result<JsValue, JsError> {
    let comparison = if scenarios_are_models(&config)? {
        let config: CompareConfig = from_js(&config, "config")?;
        montecarlo::compare_scenarios(&config)
    } else {
        let config: CompareConfig<crate::scenario::Scenario> = from_js(&config, "config")?;
        montecarlo::compare_changes(&config)
    };
    to_js(&comparison.map_err(js_error)?)
}

/// `valueStory(input)`: what a product's improvement is worth to one prospect's customer base, with the
/// gain's distribution on common random numbers, the price's payback and the rule of thumb.
#[wasm_bindgen(js_name = valueStory, unchecked_return_type = "ValueStory")]
pub fn value_story(
    #[wasm_bindgen(unchecked_param_type = "ValueStoryInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    let input: crate::value_story::ValueStoryInput = from_js(&input, "input")?;
    to_js(&crate::value_story::value_story(&input).map_err(js_error)?)
}

/// `valueStoryChunk(input, firstRun, runCount)`: the simulated gains of runs `firstRun .. firstRun +
/// runCount` as `{ firstRun, gains }` (a Float64Array), for `summarizeStory`.
#[wasm_bindgen(js_name = valueStoryChunk, unchecked_return_type = "StoryChunk")]
pub fn value_story_chunk(
    #[wasm_bindgen(unchecked_param_type = "ValueStoryInput")] input: JsValue,
    #[wasm_bindgen(js_name = "firstRun", unchecked_param_type = "number")] first_run: JsValue,
    #[wasm_bindgen(js_name = "runCount", unchecked_param_type = "number")] run_count: JsValue,
) -> Result<JsValue, JsError> {
    let (first_run, run_count) = run_range(&first_run, &run_count)?;
    let input: crate::value_story::ValueStoryInput = from_js(&input, "input")?;
    let chunk = crate::value_story::story_chunk(&input, first_run, run_count).map_err(js_error)?;
    let object = Object::new();
    set(&object, "firstRun", &JsValue::from(chunk.first_run))?;
    set_numbers(&object, "gains", &chunk.gains)?;
    Ok(object.into())
}

// Declaration only: the result is built in `value_story_chunk`; tests/node/types.test.mjs checks it.
/// Runs `firstRun … firstRun + gains.length − 1` of a value story's simulation (`valueStoryChunk`);
/// `summarizeStory` also takes `gains` as an array of numbers.
#[cfg(test)]
#[allow(dead_code, reason = "a declaration: never built")]
#[derive(ts_rs::TS)]
#[ts(rename_all = "camelCase")]
pub(crate) struct StoryChunk {
    /// The first run's index.
    first_run: u32,
    /// Each run's gain: improved minus base equity.
    #[ts(type = "Float64Array")]
    gains: (),
}

/// `summarizeStory(input, chunks)`: the `valueStory` result from `valueStoryChunk` results that together
/// cover runs `0 .. runs` once, in any order; bit-identical to a single `valueStory` call.
#[wasm_bindgen(js_name = summarizeStory, unchecked_return_type = "ValueStory")]
pub fn summarize_story(
    #[wasm_bindgen(unchecked_param_type = "ValueStoryInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StoryChunk[]")] chunks: JsValue,
) -> Result<JsValue, JsError> {
    let input: crate::value_story::ValueStoryInput = from_js(&input, "input")?;
    let chunks = chunk_list(&chunks, "valueStoryChunk")?
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let field = format!("chunks[{i}]");
            Ok(crate::value_story::StoryChunk {
                first_run: chunk_first_run(&chunk, &field)?,
                gains: numbers(&chunk, &field, &format!("{field}.gains"))?,
            })
        })
        .collect::<Result<Vec<_>, JsError>>()?;
    to_js(&crate::value_story::summarize_story(&input, &chunks).map_err(js_error)?)
}

/// Whether `config.scenarios` are whole models (each has `segments`) rather than changes; a list of
/// both kinds is refused at the first scenario of the other kind.
fn scenarios_are_models(config: &JsValue) -> Result<bool, JsError> {
    let scenarios = Reflect::get(config, &JsValue::from_str("scenarios")).unwrap_or_default();
    if !Array::is_array(&scenarios) {
        return Ok(true);
    }
    let kinds: Vec<bool> = Array::from(&scenarios)
        .iter()
        .map(|s| s.is_object() && Reflect::has(&s, &JsValue::from_str("segments")).unwrap_or(false))
        .collect();
    match kinds.iter().position(|&kind| kind != kinds[0]) {
        Some(i) => Err(JsError::new(&format!(
            "scenarios[{i}]: {} while scenarios[0] {}; write every scenario as a whole model or every one as {{ name, changes }}",
            if kinds[i] { "is a whole model (it has segments)" } else { "is changes (it has no segments)" },
            if kinds[0] { "is a whole model" } else { "is changes" },
        ))),
        None => Ok(kinds.first().copied().unwrap_or(true)),
    }
}

/// The `firstRun` and `runCount` arguments of a chunk function, as run indices.
fn run_range(first_run: &JsValue, run_count: &JsValue) -> Result<(u32, u32), JsError> {
    let first_run = number_arg(first_run, "firstRun")?;
    let run_count = number_arg(run_count, "runCount")?;
    let max = montecarlo::MAX_RUNS;
    let first_run =
        crate::error::whole_non_negative("firstRun", first_run, max).map_err(js_error)?;
    let run_count = crate::error::whole_positive("runCount", run_count, max).map_err(js_error)?;
    Ok((first_run, run_count))
}

/// The `chunks` argument of a summary function: an array of `maker`'s results.
fn chunk_list(chunks: &JsValue, maker: &str) -> Result<Array, JsError> {
    if !Array::is_array(chunks) {
        return Err(JsError::new(&format!(
            "chunks: expected an array of {maker} results, got {}",
            super::js_type(chunks)
        )));
    }
    Ok(Array::from(chunks))
}

/// The `firstRun` of chunk `field` (an object).
fn chunk_first_run(chunk: &JsValue, field: &str) -> Result<u32, JsError> {
    object_arg(chunk, field)?;
    let first_run = Reflect::get(chunk, &JsValue::from_str("firstRun")).unwrap_or_default();
    let first_run = number_arg(&first_run, &format!("{field}.firstRun"))?;
    crate::error::whole_non_negative(
        &format!("{field}.firstRun"),
        first_run,
        montecarlo::MAX_RUNS,
    )
    .map_err(js_error)
}

/// Chunk `field` of `summarizeRuns`' chunks: its numbers read as any number column is.
fn read_chunk(chunk: &JsValue, field: &str) -> Result<RunChunk, JsError> {
    let first_run = chunk_first_run(chunk, field)?;
    let column = |key: &str| numbers(chunk, field, &format!("{field}.{key}"));
    Ok(RunChunk {
        first_run,
        totals: column("totals")?,
        by_period: column("byPeriod")?,
        by_segment: column("bySegment")?,
    })
}
