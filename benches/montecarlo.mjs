// Benchmark of simulateEquity (issue 4): 1,000,000 customers in 3 segments (sBG retention, Gamma
// margins), 60 periods, 1,000 runs, single-threaded wasm in Node, against a straightforward JavaScript
// per-customer simulation of the same model measured in the same run. The JS baseline is too slow to run
// all 1,000 runs, so it runs a few and its time is extrapolated linearly in runs (each run costs the same).
// Usage: node benches/montecarlo.mjs (after scripts/build.sh has built pkg/).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, simulateEquity } from "../pkg/clvlab.js";
import { workload } from "./montecarlo-workload.mjs";

initSync({ module: readFileSync(new URL("../pkg/clvlab_bg.wasm", import.meta.url)) });

const config = workload;
const RUNS = config.runs;
const JS_RUNS = Number(process.env.JS_RUNS ?? 3);

// ---- the baseline: one customer at a time ----

/** Standard normal (Box–Muller). */
function normal() {
  let u = 0;
  while (u === 0) u = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the boost for shape < 1. */
function gamma(shape) {
  if (shape < 1) return gamma(shape + 1) * Math.pow(Math.random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = Math.random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** One run: each customer draws θ ~ Beta(α, β) and a Gamma margin, then lives period by period. */
function jsRun({ segments, discountRate, horizon }) {
  const v = 1 / (1 + discountRate);
  let total = 0;
  for (const { customers, margin, retention } of segments) {
    const k = 1 / (margin.cv * margin.cv);
    for (let i = 0; i < customers; i++) {
      const a = gamma(retention.alpha);
      const theta = a / (a + gamma(retention.beta));
      const m = (gamma(k) * margin.mean) / k;
      let discount = 1;
      for (let t = 1; t <= horizon; t++) {
        if (Math.random() < theta) break;
        discount *= v;
        total += m * discount;
      }
    }
  }
  return total;
}

// ---- measurements ----

function time(f) {
  const start = performance.now();
  const value = f();
  return [performance.now() - start, value];
}

simulateEquity({ ...config, runs: 20 }); // warm up
const wasmTimes = [];
let result;
for (let i = 0; i < 3; i++) {
  const [ms, r] = time(() => simulateEquity(config));
  wasmTimes.push(ms);
  result = r;
}
wasmTimes.sort((a, b) => a - b);
const wasmMs = wasmTimes[1];

jsRun({ ...config, segments: config.segments.map((s) => ({ ...s, customers: 1000 })) }); // warm up
const jsTotals = [];
const [jsMs] = time(() => {
  for (let r = 0; r < JS_RUNS; r++) jsTotals.push(jsRun(config));
});
const jsExtrapolatedMs = (jsMs / JS_RUNS) * RUNS;
const jsMean = jsTotals.reduce((a, b) => a + b, 0) / JS_RUNS;

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log("[bench] Monte Carlo equity: 1,000,000 customers, 3 sBG segments with Gamma margins, 60 periods");
console.log(`[bench] wasm simulateEquity, ${RUNS} runs, single thread: ${fmt(wasmMs)} (median of 3: ${wasmTimes.map(fmt).join(", ")}; goal < 2 s)`);
console.log(
  `[bench] JS per-customer baseline: ${fmt(jsMs)} for ${JS_RUNS} runs, extrapolated linearly to ${RUNS} runs: ${fmt(jsExtrapolatedMs)}`,
);
console.log(`[bench] speed-up wasm vs JS per-customer: ${(jsExtrapolatedMs / wasmMs).toFixed(0)}x (goal >= 50x)`);
console.log(
  `[bench] sanity: mean equity wasm ${result.mean.toExponential(4)} (sd ${result.stdDev.toExponential(2)}), JS baseline ${jsMean.toExponential(4)} over ${JS_RUNS} runs`,
);
