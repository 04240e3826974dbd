// The built package's Monte Carlo exports from Node 20 (initSync with the wasm bytes): the release build
// gives the closed-form mean, chunks summarize to the one-call result, and the Float64Array chunk
// survives a structured clone (as a worker's postMessage sends it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, simulateEquity, simulateEquityChunk, summarizeRuns, compareScenariosMc } from "../../pkg/clvlab.js";

initSync({ module: readFileSync(new URL("../../pkg/clvlab_bg.wasm", import.meta.url)) });

const config = {
  segments: [{ name: "all", customers: 100000, margin: { mean: 10, cv: 0.5 }, retention: 0.8 }],
  discountRate: 0.1,
  horizon: 10,
  runs: 500,
  seed: 3,
};

test("the mean matches N·E[m]·Σ_t r^t/(1 + d)^t", () => {
  // Closed form of the model (timing "end"): 100,000 × 10 × Σ_{t=1..10} (0.8/1.1)^t.
  let sum = 0;
  for (let t = 1; t <= 10; t++) sum += (0.8 / 1.1) ** t;
  const expected = 100000 * 10 * sum;
  const result = simulateEquity(config);
  // The standard error of the mean is about 0.01% here (sd of one run ≈ 0.25%, 500 runs); 0.5% is the
  // issue's bound.
  assert.ok(Math.abs(result.mean / expected - 1) < 0.005, `${result.mean} vs ${expected}`);
  assert.equal(result.byPeriod.mean.length, 10);
  assert.equal(result.probAboveTarget, null);
});

test("cloned chunks summarize to the one-call result", () => {
  const chunks = [
    simulateEquityChunk(config, 300, 200),
    simulateEquityChunk(config, 0, 300),
  ].map((c) => structuredClone(c));
  assert.deepEqual(summarizeRuns(config, chunks), simulateEquity(config));
});

test("a scenario against itself has a zero delta in every run", () => {
  const { runs, seed, ...model } = config;
  const result = compareScenariosMc({ base: model, scenarios: [model], runs, seed });
  assert.equal(result.scenarios[0].delta.stdDev, 0);
  assert.equal(result.scenarios[0].probBetter, 0);
});
