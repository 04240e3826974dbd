// Hostile input against the built package, as a careless or malicious caller would send it: every export
// with every argument and every field of a valid call replaced by the wrong JS type, a non-finite or huge
// number, a misspelled name, a nesting thousands of levels deep or a cycle. Each case must either answer
// with only finite numbers (or null) or throw an `Error` (never a trap or a non-Error) whose message starts
// with the path the caller wrote; it must answer within a time bound; and the module must still work
// afterwards (a textbook `clv` is recomputed after every case).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as clvlab from "../../pkg/clvlab.js";

clvlab.initSync({ module: readFileSync(new URL("../../pkg/clvlab_bg.wasm", import.meta.url)) });

/** The most one hostile call may take (ms): generous for a loaded 2-core machine, far below a hang. */
const TIME_BOUND_MS = 3000;

const textbook = { margin: 100, retention: 0.8, discountRate: 0.1 };
const log = "id,date,spend\na,2024-01-01,10\na,2024-02-01,12\nb,2024-01-15,5\nb,2024-03-01,7\nc,2024-02-10,9\n";
const summaryOptions = { customerColumn: "id", dateColumn: "date", valueColumn: "spend", calibrationEnd: "2024-03-31" };
// The CDNOW sample summary (tests/data; Fader, Hardie & Lee 2005), as the Float64Arrays a page passes.
const cdnow = readFileSync(new URL("../data/cdnow_sample_summary.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").map(Number));
const column = (i) => Float64Array.from(cdnow, (row) => row[i]);
const customers = { frequency: column(1), recency: column(2), T: column(3) };
const repeat = cdnow.filter((row) => row[1] > 0);
// Fader, Hardie & Shang (2010): 11,104 donors in 22 (frequency, recency) patterns of 6 opportunities.
const donationRows = readFileSync(new URL("../data/donations.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").map(Number));
const donations = Object.fromEntries(
  ["frequency", "recency", "periods", "weights"].map((key, i) => [key, donationRows.map((row) => row[i])]),
);
const bgnbd = { model: "bgnbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const paretonbd = { model: "paretonbd", params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } };
// An sBG fit as fitSbg returns it (Fader & Hardie 2007, the regular segment).
const sbgFit = clvlab.fitSbg({ survivors: [1000, 631, 468, 382, 326, 289, 262, 241] });
// A fit as fitBgNbd returns it, with the covariance predictIntervals draws from.
const bgnbdFit = clvlab.fitBgNbd(customers);
const gg = { model: "gammagamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } };
const bgbb = { model: "bgbb", params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 } };
const spend = { frequency: Float64Array.from(repeat, (r) => r[1]), monetaryValue: Float64Array.from(repeat, (r) => r[4]) };
const simulation = {
  segments: [{ name: "all", customers: 1000, margin: { mean: 10, cv: 0.5 }, retention: 0.8 }],
  discountRate: 0.1,
  horizon: 6,
  runs: 20,
  seed: 7,
};
const { runs, seed, ...model } = simulation;
const scenario = { ...structuredClone(model), discountRate: 0.05 };

/**
 * Every export, with a valid call: `args` are the arguments by name (the names of the d.ts, which the
 * errors use for a wrong argument), in order. A second call of an export is named "export with …".
 */
const subscriptionLog = "id,start,end,price\na,2024-01-05,2024-03-01,10\nb,2024-01-20,,12\nc,2024-02-02,2024-02-10,10\n";
const subscriptionOptions = {
  customerColumn: "id",
  startColumn: "start",
  endColumn: "end",
  priceColumn: "price",
  period: "month",
  observationEnd: "2024-06-30",
};
const story = {
  customers: 1000,
  margin: 100,
  retention: 0.8,
  discountRate: 0.1,
  horizon: 5,
  newCustomers: 20,
  acquisitionCost: 50,
  improvement: { churn: { from: -0.1, to: -0.2 }, margin: 0.05, acquisitionCost: -0.1 },
  price: { upfront: 1000, perPeriod: 100 },
  runs: 20,
  seed: 1,
};
const calls = {
  clv: { input: textbook },
  customerEquity: { input: { segments: [{ name: "all", customers: 100, ...textbook }] } },
  compareScenarios: {
    input: { base: textbook, scenarios: [{ name: "less churn", changes: { churnChange: { points: -5 } } }] },
  },
  sensitivity: { input: textbook, options: { spread: 0.1 } },
  breakEven: { input: { ...textbook, acquisitionCost: 50 }, options: { solveFor: "margin" } },
  summarizeTransactions: { csvText: log, options: summaryOptions },
  summarizeTransactionBytes: { bytes: new TextEncoder().encode(log), options: summaryOptions },
  inspectTransactions: { csvText: log },
  summarizeSubscriptions: { csvText: subscriptionLog, options: subscriptionOptions },
  summarizeSubscriptionBytes: { bytes: new TextEncoder().encode(subscriptionLog), options: subscriptionOptions },
  simulateEquity: { config: simulation },
  simulateEquityChunk: { config: simulation, firstRun: 0, runCount: 5 },
  compareScenariosMc: { config: { base: model, scenarios: [scenario], runs, seed } },
  "compareScenariosMc with changes": {
    config: {
      base: model,
      scenarios: [{ name: "less churn", changes: { churnChange: { points: -5 }, marginChange: { relative: 0.1 } } }],
      runs,
      seed,
    },
  },
  valueStory: { input: story },
  valueStoryChunk: { input: story, firstRun: 0, runCount: 5 },
  summarizeStory: { input: story, chunks: [clvlab.valueStoryChunk(story, 5, 15), clvlab.valueStoryChunk(story, 0, 5)] },
  fitSbg: { data: { survivors: [1000, 631, 468, 382, 326, 289, 262, 241] } },
  // The regular segment as one row per year of churn, and the 241 still active after 7 years.
  valueSubscribers: {
    fit: sbgFit,
    data: { survivors: [1000, 631, 468, 382, 326, 289, 262, 241] },
    options: { margin: 10, discountRate: 0.1, draws: 20, acquisition: { perPeriod: 5, periods: 2, acquisitionCost: 3 } },
  },
  "valueSubscribers by price": {
    fit: sbgFit,
    data: { tenure: [1, 2, 3, 3, 4, 5], churned: [1, 1, 0, 1, 0, 0], price: [10, 12, 10, 30, 25, 10] },
    options: { marginRate: 0.4, discountRate: 0.1, draws: 20 },
  },
  compareRetention: {
    data: { cohorts: [[1000, 631, 468, 382, 326, 289, 262, 241], [1000, 869, 743, 653, 593, 551]] },
    options: { holdoutPeriods: 2 },
  },
  fitBdw: {
    data: {
      tenure: [1, 2, 3, 4, 5, 6, 7, 7],
      churned: [1, 1, 1, 1, 1, 1, 1, 0],
      weights: [369, 163, 86, 56, 37, 27, 21, 241],
    },
  },
  // The same counts on two plans, the second with half of each.
  fitRetentionByPlan: {
    data: {
      tenure: [1, 2, 3, 4, 5, 6, 7, 7, 1, 2, 3, 4, 5, 6, 7, 7],
      churned: [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0],
      weights: [369, 163, 86, 56, 37, 27, 21, 241, 185, 81, 43, 28, 18, 14, 10, 120],
      plan: ["a", "a", "a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "b", "b"],
    },
    options: { model: "sbg" },
  },
  clvIntervals: { input: { margin: 1, discountRate: 0.1 }, fit: sbgFit, options: { draws: 50 } },
  checkFitData: { summary: { ...customers, monetaryValue: column(4) } },
  fitBgNbd: { summary: customers },
  fitParetoNbd: { summary: customers },
  fitModifiedBgNbd: { summary: customers },
  fitGammaGamma: { data: spend },
  fitBgBb: { data: donations },
  predict: { fit: bgnbd, data: customers, options: { horizon: 10 } },
  predictIntervals: { fit: bgnbdFit, summary: customers, options: { horizon: 10, draws: 20 } },
  evaluateHoldout: {
    fit: bgnbd,
    summary: { ...customers, holdoutFrequency: column(1), holdoutLength: 39, monetaryValue: column(4), holdoutMonetaryValue: column(4) },
    options: { spendFit: gg },
  },
  compareModels: { summary: customers, options: {} },
  rfmSegments: { summary: { ...customers, monetaryValue: column(4) } },
  cohortSegments: { summary: clvlab.summarizeTransactions(log, summaryOptions), options: { period: "quarter" } },
  expectedPurchasesNew: { fit: paretonbd, t: 10 },
  probPurchases: { fit: bgnbd, t: 10, x: 2 },
  expectedSpend: { spendFit: gg, data: spend },
  summarizeRuns: {
    config: simulation,
    chunks: [clvlab.simulateEquityChunk(simulation, 0, 12), clvlab.simulateEquityChunk(simulation, 12, 8)],
  },
  valueCustomerBase: {
    fit: bgnbdFit,
    summary: { ...customers, monetaryValue: column(4) },
    options: {
      spendFit: clvlab.fitGammaGamma(spend),
      value: { months: 6, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 },
      draws: 20,
      segmentBy: "rfm",
      segments: { Champions: { acquisitionCost: 10, newCustomersPerMonth: 5, competitorEquity: 100 } },
    },
  },
  customerValue: {
    purchaseFit: bgnbd,
    spendFit: gg,
    data: { ...customers, monetaryValue: column(4) },
    options: { months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 },
  },
};

/** A chain `{ a: { a: … } }` `depth` levels deep. */
function deep(depth) {
  let value = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const cyclic = {};
cyclic.self = cyclic;

/** Values that no field of the API takes, by what they are. */
const hostileValues = [
  ["null", null],
  ["a string", "abc"],
  ["true", true],
  ["an empty array", []],
  ["an empty object", {}],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["-1", -1],
  ["1e308", 1e308],
  ["-1e308", -1e308],
  ["2^53", 2 ** 53],
  ["a BigInt", 10n],
  ["a symbol", Symbol("x")],
  ["a function", () => 1],
  ["10,000 levels of nesting", deep(10000)],
  ["a cycle", cyclic],
];

/** Every number in `value` (typed arrays included) is finite or the value is null. */
function assertFinite(value, path) {
  if (value === null || value === undefined || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
  } else if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    value.forEach((v, i) => assertFinite(v, `${path}[${i}]`));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertFinite(v, `${path}.${k}`);
  }
}

/** The path prefixes a message about `path` may start with: the path itself, or a field or element below it. */
function startsWithPath(message, path) {
  return message.startsWith(`${path}:`) || message.startsWith(`${path}.`) || message.startsWith(`${path}[`);
}

let cases = 0;

/**
 * Calls `name` with `args`; it must answer (finite numbers) or throw an Error about one of `paths`,
 * within the time bound, and leave the module working.
 */
function attempt(name, args, given, what) {
  cases += 1;
  // breakEven may also answer that no value of the field it solves for breaks even.
  const solved = args[1]?.solveFor;
  const paths = name === "breakEven" && typeof solved === "string" ? [...given, solved] : given;
  const started = performance.now();
  let outcome;
  try {
    outcome = { result: clvlab[name.split(" ")[0]](...args) };
  } catch (error) {
    outcome = { error };
  }
  const took = performance.now() - started;
  assert.ok(took < TIME_BOUND_MS, `${name} with ${what} took ${took.toFixed(0)} ms`);
  if (outcome.error !== undefined) {
    assert.ok(outcome.error instanceof Error, `${name} with ${what} threw a non-Error: ${String(outcome.error)}`);
    const { message } = outcome.error;
    assert.ok(
      paths.some((path) => startsWithPath(message, path)),
      `${name} with ${what}: "${message}" does not start with ${paths.join(" or ")}`,
    );
    assert.doesNotMatch(message, /\b(struct|f64|u32|usize|Option|Vec)\b/, `${name} with ${what}: a Rust type name in "${message}"`);
  } else {
    assertFinite(outcome.result, `${name}(${what})`);
  }
  assert.ok(Math.abs(clvlab.clv(textbook).clv - 800 / 3) < 1e-9, `the module works after ${name} with ${what}`);
  return outcome;
}

/** The object's own field paths, depth first (`segments`, `segments[0]`, `segments[0].name`, …). */
function fieldPaths(value, prefix = "") {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value).map(([k, v]) => [k, v]);
  return entries.flatMap(([key, v]) => {
    const path = Array.isArray(value) ? `${prefix}${key}` : prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(v, path)];
  });
}

/** A deep copy of `value` with the value at `path` replaced (`undefined`: deleted). */
function replaced(value, path, replacement) {
  const copy = structuredClone(value);
  const parts = path.match(/[^.[\]]+/g);
  let holder = copy;
  for (const part of parts.slice(0, -1)) holder = holder[part];
  const last = parts.at(-1);
  if (replacement === undefined) {
    if (Array.isArray(holder)) holder.splice(Number(last), 1);
    else delete holder[last];
  } else {
    holder[last] = replacement;
  }
  return copy;
}

/** The arguments of `name` with argument `index` set to `value`. */
function withArgument(name, index, value) {
  const args = Object.values(calls[name]);
  args[index] = value;
  return args;
}

/** The error path of field `path` in argument `argument`: the argument's own fields are named alone. */
function errorPaths(argument, path) {
  const root = path.split(/[.[]/)[0];
  // A wrong value may be reported at the field, or (for a whole-object value) at its parent.
  const parent = path.includes(".") || path.includes("[") ? path.replace(/(\.[^.[\]]+|\[\d+\])$/, "") : argument;
  return [path, parent, root, argument];
}

test("every export that takes arguments is in the suite", () => {
  // Not called: the wasm loaders, and version(), which takes nothing.
  const exempt = new Set(["default", "initSync", "version"]);
  const missing = Object.keys(clvlab).filter((k) => typeof clvlab[k] === "function" && !exempt.has(k) && !(k in calls));
  assert.deepEqual(missing, []);
});

test("every valid call answers with finite numbers", () => {
  for (const [name, args] of Object.entries(calls)) attempt(name, Object.values(args), [], "its valid arguments");
});

test("every argument replaced by a hostile value: an Error naming the argument", () => {
  for (const [name, args] of Object.entries(calls)) {
    Object.keys(args).forEach((argument, index) => {
      for (const [what, value] of hostileValues) {
        // An object in place of an object argument may be refused for a field it lacks.
        // The text of a log may also be refused for what the options ask of it (`customerColumn: no
        // column named 'id'`).
        const about = [args[argument], value, argument === "csvText" || argument === "bytes" ? args.options : null];
        const fields = about.flatMap((v) => (v && typeof v === "object" ? Object.keys(v) : []));
        const { error } = attempt(name, withArgument(name, index, value), [argument, ...fields], `${argument} = ${what}`);
        // A number argument given a number may be refused later by its range, and options whose fields
        // are all optional may be an empty object; an object argument never accepts anything else.
        const plainObject = value !== null && typeof value === "object" && !Array.isArray(value);
        if (typeof args[argument] === "object" && value !== null && !plainObject) {
          assert.ok(error, `${name} accepted ${argument} = ${what}`);
        }
      }
    });
  }
});


test("every field of every object argument replaced by a hostile value: an Error starting with its path, or a finite answer", () => {
  for (const [name, args] of Object.entries(calls)) {
    Object.entries(args).forEach(([argument, value], index) => {
      if (typeof value !== "object" || ArrayBuffer.isView(value)) return;
      for (const path of fieldPaths(value)) {
        for (const [what, hostile] of hostileValues) {
          const args = withArgument(name, index, replaced(value, path, hostile));
          attempt(name, args, errorPaths(argument, path), `${argument}'s ${path} = ${what}`);
        }
        // A deleted element shortens its column, which a parallel column may be the one to report.
        const args = withArgument(name, index, replaced(value, path, undefined));
        attempt(name, args, [...errorPaths(argument, path), ...Object.keys(value)], `${argument}'s ${path} deleted`);
      }
    });
  }
});

test("a misspelled field is refused by name, never ignored", () => {
  const typo = (key) => (key.length > 3 ? key.slice(0, -2) + key.at(-1) + key.at(-2) : `${key}x`);
  for (const [name, args] of Object.entries(calls)) {
    Object.entries(args).forEach(([argument, value], index) => {
      if (typeof value !== "object" || ArrayBuffer.isView(value)) return;
      for (const path of fieldPaths(value)) {
        const parts = path.split(".");
        const last = parts.at(-1);
        if (/\[\d+\]$/.test(last)) continue; // an array element has no name to misspell
        // Fit arguments carry a fit result's own fields beside model and params; a misspelled one of those
        // top-level keys is not the caller's input.
        if (/[Ff]it$/.test(argument) && parts.length === 1) continue;
        const misspelled = [...parts.slice(0, -1), typo(last)].join(".");
        const original = structuredClone(value);
        let holder = original;
        for (const part of path.match(/[^.[\]]+/g).slice(0, -1)) holder = holder[part];
        holder[typo(last)] = holder[last];
        delete holder[last];
        const { error } = attempt(name, withArgument(name, index, original), [misspelled, errorPaths(argument, path)].flat(), `${path} misspelled`);
        assert.ok(error, `${name} ignored ${path} misspelled as ${misspelled}`);
      }
      // An extra field nobody declared.
      const extra = { ...value, horizion: 10 };
      if (Array.isArray(value)) return;
      const { error } = attempt(name, withArgument(name, index, extra), ["horizion"], `an extra field horizion`);
      if (!/[Ff]it$/.test(argument)) assert.ok(error, `${name} ignored an unknown field in ${argument}`);
    });
  }
});

test("the unknown-field message suggests the field meant", () => {
  assert.throws(() => clvlab.clv({ ...textbook, horizion: 10 }), { message: "horizion: unknown field; did you mean horizon?" });
  assert.throws(() => clvlab.clv({ ...textbook, acquisitioncost: 10 }), {
    message: "acquisitioncost: unknown field; did you mean acquisitionCost?",
  });
  assert.throws(
    () => clvlab.compareScenarios({ base: textbook, scenarios: [{ name: "x", changes: { churnChnage: { points: -5 } } }] }),
    { message: /^scenarios\[0\]\.changes\.churnChnage: unknown field; did you mean churnChange\?/ },
  );
  assert.throws(() => clvlab.customerEquity({ segments: [{ customers: 1, ...textbook, retension: 0.9 }] }), {
    message: /^segments\[0\]\.retension: unknown field; did you mean retention\?/,
  });
  assert.throws(() => clvlab.clv({ ...textbook, retention: { alpha: 1, bta: 2 } }), {
    message: /^retention\.bta: unknown field; did you mean beta\?/,
  });
});

test("non-strings where text is expected, and the wrong root, are named", () => {
  assert.throws(() => clvlab.inspectTransactions(12345), { message: "csvText: expected a string, got a number" });
  assert.throws(() => clvlab.summarizeTransactions(null, summaryOptions), { message: "csvText: expected a string, got null" });
  assert.throws(() => clvlab.summarizeTransactionBytes("text", summaryOptions), { message: "bytes: expected a Uint8Array, got a string" });
  assert.throws(() => clvlab.clv(null), { message: "input: expected an object, got null" });
  assert.throws(() => clvlab.clv({ ...textbook, extra: deep(5000) }), { message: /^extra(\.a)+: nested more than 32 levels deep/ });
  assert.throws(() => clvlab.simulateEquityChunk(simulation, 100, 10), { message: /^firstRun: / });
});

test("non-finite results are refused or null", () => {
  // A tiny positive acquisition cost: the ratio overflows, so it is null (the value itself is finite).
  assert.equal(clvlab.clv({ ...textbook, acquisitionCost: 1e-320 }).ltvToCac, null);
  assert.throws(() => clvlab.clv({ ...textbook, margin: 1e308 }), { message: /^margin: / });
  const chunk = clvlab.simulateEquityChunk(simulation, 0, 20);
  chunk.totals[3] = NaN;
  assert.throws(() => clvlab.summarizeRuns(simulation, [chunk]), { message: /^chunks\[0\]\.totals\[3\]: must be a finite number/ });
  const gains = clvlab.valueStoryChunk(story, 0, 20);
  gains.gains[7] = Infinity;
  assert.throws(() => clvlab.summarizeStory(story, [gains]), { message: /^chunks\[0\]\.gains\[7\]: must be a finite number/ });
});

test("work bounded by construction, never by the count a caller picks", () => {
  // P(X(t) = x) at the largest x accepted: closed form, not a loop over x.
  const { result } = attempt("probPurchases", [bgnbd, 39, 2 ** 32 - 1], [], "x = 2^32 − 1");
  assert.ok(result >= 0 && result < 1e-6, `${result}`);
  // 35 small degenerate customers (each bought once, on the last day): fails or fits in bounded time.
  const degenerate = { frequency: new Array(35).fill(1), recency: new Array(35).fill(2), T: new Array(35).fill(2) };
  for (const fit of ["fitParetoNbd", "fitBgNbd", "fitModifiedBgNbd"]) attempt(fit, [degenerate], ["summary"], "35 degenerate customers");
  // Frequencies past the documented limit are refused, never answered with the starting point.
  const huge = { ...degenerate, frequency: new Array(35).fill(1e15) };
  const { error } = attempt("fitBgNbd", [huge], ["frequency[0]"], "frequencies of 1e15");
  assert.ok(error, "a frequency of 1e15 is refused");
});

test("the suite is as large as it claims", () => {
  // Hundreds of hostile cases across every export (counted as they run, in the tests above).
  assert.ok(cases > 1000, `${cases} cases`);
  console.log(`hostile input: ${cases} cases across ${Object.keys(calls).length} exports`);
});
