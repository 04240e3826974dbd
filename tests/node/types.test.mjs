// The TypeScript declarations of the built package (pkg/clvlab.d.ts, generated from the Rust types by
// `cargo test --lib wasm_types`): they type-check under `strict` with a user's file that calls every
// function (types-usage.ts, whose `@ts-expect-error` lines must fail), and what the functions return at
// run time matches the declared result types, key for key and type for type (so a result built by hand
// in src/wasm.rs cannot drift from its declaration).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as clvlab from "../../pkg/clvlab.js";

clvlab.initSync({ module: readFileSync(new URL("../../pkg/clvlab_bg.wasm", import.meta.url)) });

const usage = fileURLToPath(new URL("types-usage.ts", import.meta.url));
const declarations = fileURLToPath(new URL("../../pkg/clvlab.d.ts", import.meta.url));
const program = ts.createProgram([usage], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
});
const checker = program.getTypeChecker();

test("pkg/clvlab.d.ts and a strict user of every function type-check", () => {
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" };
  assert.equal(diagnostics.length, 0, ts.formatDiagnostics(diagnostics, host));
  assert.ok(program.getSourceFile(declarations), "the user's imports resolve to pkg/clvlab.d.ts");
});

/** The exported type `name` of pkg/clvlab.d.ts. */
function declared(name) {
  const module = checker.getSymbolAtLocation(program.getSourceFile(declarations));
  const symbol = checker.getExportsOfModule(module).find((s) => s.name === name);
  assert.ok(symbol, `pkg/clvlab.d.ts exports the type ${name}`);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

/** Where `value` does not match `type`, as "path: …" lines (none when it matches). */
function mismatches(type, value, path) {
  const { TypeFlags } = ts;
  const text = () => checker.typeToString(type);
  const fail = (why) => [`${path}: ${why} (declared ${text()}, got ${describe(value)})`];
  if (type.flags & (TypeFlags.Any | TypeFlags.Unknown)) return [];
  if (type.isUnion()) {
    const each = type.types.map((t) => mismatches(t, value, path));
    if (each.some((m) => m.length === 0)) return [];
    return fail("matches no member of the union");
  }
  if (type.flags & TypeFlags.Null) return value === null ? [] : fail("not null");
  if (type.flags & TypeFlags.Undefined) return value === undefined ? [] : fail("not undefined");
  if (type.isLiteral()) return value === type.value ? [] : fail("not the literal");
  if (type.flags & TypeFlags.BooleanLiteral) {
    return value === (type.intrinsicName === "true") ? [] : fail("not the boolean");
  }
  if (type.flags & TypeFlags.Number) return typeof value === "number" ? [] : fail("not a number");
  if (type.flags & TypeFlags.String) return typeof value === "string" ? [] : fail("not a string");
  if (type.flags & TypeFlags.Boolean) return typeof value === "boolean" ? [] : fail("not a boolean");
  if (type.getSymbol()?.name === "Float64Array") return value instanceof Float64Array ? [] : fail("not a Float64Array");
  if (type.getSymbol()?.name === "Uint32Array") return value instanceof Uint32Array ? [] : fail("not a Uint32Array");
  if (checker.isArrayType(type)) {
    if (!Array.isArray(value)) return fail("not an array");
    const [element] = checker.getTypeArguments(type);
    return value.flatMap((item, i) => mismatches(element, item, `${path}[${i}]`));
  }
  if (!(type.flags & TypeFlags.Object) && !type.isIntersection()) return fail("unchecked kind of type");
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("not an object");
  const properties = checker.getPropertiesOfType(type);
  const index = checker.getIndexInfosOfType(type)[0];
  const found = [];
  for (const property of properties) {
    const propertyType = checker.getTypeOfSymbol(property);
    const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
    if (!(property.name in value)) {
      if (!optional) found.push(`${path}.${property.name}: missing`);
      continue;
    }
    found.push(...mismatches(propertyType, value[property.name], `${path}.${property.name}`));
  }
  const names = new Set(properties.map((p) => p.name));
  for (const key of Object.keys(value).filter((k) => !names.has(k))) {
    if (index) found.push(...mismatches(index.type, value[key], `${path}.${key}`));
    else found.push(`${path}.${key}: not declared`);
  }
  return found;
}

function describe(value) {
  if (value instanceof Float64Array) return "Float64Array";
  if (value instanceof Uint32Array) return "Uint32Array";
  if (Array.isArray(value)) return "array";
  return value === null ? "null" : typeof value;
}

function assertMatches(typeName, value) {
  const found = mismatches(declared(typeName), value, typeName);
  assert.deepEqual(found, [], found.join("\n"));
}

const customer = { margin: 100, retention: { alpha: 0.704, beta: 1.182 }, discountRate: 0.1, horizon: 24 };
const base = {
  segments: [{ name: "loyal", customers: 1000, ...customer }],
  acquisition: { perPeriod: 50, periods: 12, acquisitionCost: 80 },
  competitors: [{ name: "rival", equity: 1e6 }],
};

test("clv, equity, scenario and sensitivity results match their declarations", () => {
  assertMatches("ClvResult", clvlab.clv(customer));
  assertMatches("ClvResult", clvlab.clv({ margin: 100, retention: 0.8, discountRate: 0.1, acquisitionCost: 150 }));
  assertMatches("EquityResult", clvlab.customerEquity(base));
  assertMatches("EquityResult", clvlab.customerEquity({ segments: base.segments }));
  const scenarios = [
    { name: "less churn", changes: { churnChange: { relative: -0.1 } } },
    { name: "nothing" },
  ];
  assertMatches("Comparison", clvlab.compareScenarios({ base: customer, scenarios }));
  assertMatches("Comparison", clvlab.compareScenarios({ base, scenarios }));
  for (const bar of clvlab.sensitivity(base, undefined)) assertMatches("TornadoBar", bar);
  const even = clvlab.breakEven({ ...customer, acquisitionCost: 200 }, { solveFor: "retention" });
  assertMatches("BreakEvenResult", even);
});

// Fader & Hardie's CDNOW sample (2,357 customers), the log the models are fitted on in the page.
const log = readFileSync(new URL("../../www/data/cdnow_sample_transactions.csv", import.meta.url), "utf8");
const summary = clvlab.summarizeTransactions(`${log}00004,not a date,1,1\n`, {
  customerColumn: "customer_id",
  dateColumn: "date",
  valueColumn: "spend",
  calibrationEnd: "1997-09-30",
});

test("data results match their declarations", () => {
  assertMatches("TransactionSummary", summary);
  const withAttributes = clvlab.summarizeTransactions(
    "id,date,channel,age\na,2024-01-01,web,30\nb,2024-01-02,store,41\na,2024-02-01,web,30\n",
    { customerColumn: "id", dateColumn: "date", attributes: ["channel"], numericAttributes: ["age"] },
  );
  assertMatches("TransactionSummary", withAttributes);
  assert.deepEqual(Object.keys(withAttributes.attributes), ["channel", "age"]);
  assertMatches("RfmSegments", clvlab.rfmSegments(summary));
  assertMatches("CategoricalAttribute", clvlab.cohortSegments(summary));
  assert.ok(summary.skipped.length > 0, "a skipped row is reported");
  assertMatches("TransactionInspection", clvlab.inspectTransactions(log.slice(0, 4096)));
  assertMatches("TransactionInspection", clvlab.inspectTransactions("a;b\nx;y\n"));
  const subscriptions = readFileSync(new URL("../../www/data/sample_subscriptions.csv", import.meta.url), "utf8");
  const options = { customerColumn: "customer_id", startColumn: "start_date", endColumn: "end_date" };
  assertMatches("SubscriptionSummary", clvlab.summarizeSubscriptions(subscriptions, options));
  assertMatches(
    "SubscriptionSummary",
    clvlab.summarizeSubscriptions(subscriptions, { ...options, planColumn: "plan", priceColumn: "monthly_price", period: 30 }),
  );
});

test("Monte Carlo results match their declarations", () => {
  const config = {
    segments: [
      { name: "all", customers: 1000, margin: { mean: 10, cv: 0.5 }, retention: 0.8, uncertainty: { retentionSd: 0.02 } },
    ],
    acquisition: { perPeriod: 20, segment: "all" },
    discountRate: 0.1,
    horizon: 6,
    runs: 40,
    seed: 7,
    target: 30000,
  };
  assertMatches("EquitySimulation", clvlab.simulateEquity(config));
  const chunks = [clvlab.simulateEquityChunk(config, 0, 25), clvlab.simulateEquityChunk(config, 25, 15)];
  for (const chunk of chunks) assertMatches("EquityChunk", chunk);
  assertMatches("EquitySimulation", clvlab.summarizeRuns(config, chunks));
  const { runs, seed, ...model } = config;
  const mc = clvlab.compareScenariosMc({ base: model, scenarios: [{ ...model, discountRate: 0.05 }], runs, seed });
  assertMatches("McComparison", mc);
  const story = {
    customers: 500, margin: 80, retention: 0.7, discountRate: 0.1, horizon: 4, newCustomers: 10, acquisitionCost: 50,
    improvement: { churn: { from: -0.1, to: -0.2 } }, price: { upfront: 100, perPeriod: 50 }, runs: 20, seed: 3,
  };
  assertMatches("ValueStory", clvlab.valueStory(story));
  const storyChunks = [clvlab.valueStoryChunk(story, 12, 8), clvlab.valueStoryChunk(story, 0, 12)];
  for (const chunk of storyChunks) assertMatches("StoryChunk", chunk);
  assertMatches("ValueStory", clvlab.summarizeStory(story, storyChunks));
});

test("model fits and predictions match their declarations", () => {
  const customers = { frequency: summary.frequency, recency: summary.recency, T: summary.T };
  const spend = { frequency: summary.frequency, monetaryValue: summary.monetaryValue };
  // Fader & Hardie (2007), "How to project customer retention", the regular customers of Table 1.
  assertMatches("SbgFit", clvlab.fitSbg({ survivors: [1000, 631, 468, 382, 326, 289, 262, 241] }));
  // The high-end customers of the same table.
  assertMatches("BdwFit", clvlab.fitBdw({ survivors: [1000, 869, 743, 653, 593, 551, 517, 491] }));
  const highEnd = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];
  assertMatches("RetentionComparison", clvlab.compareRetention({ survivors: highEnd }, { holdoutPeriods: 5 }));
  assertMatches("RetentionComparison", clvlab.compareRetention({ survivors: highEnd }));
  const bdw = clvlab.fitBdw({ survivors: highEnd });
  const valued = clvlab.valueSubscribers(bdw, { survivors: highEnd }, { margin: 10, discountRate: 0.01, draws: 50 });
  assertMatches("SubscriberValue", valued);
  assertMatches(
    "SubscriberValue",
    clvlab.valueSubscribers(bdw, { survivors: highEnd }, {
      margin: 10, discountRate: 0.01, draws: 50, acquisition: { perPeriod: 10, periods: 12 },
    }),
  );
  const priced = { tenure: [1, 2, 3, 3, 4, 5], churned: [1, 1, 0, 1, 0, 0], price: [10, 12, 10, 30, 25, 10] };
  assertMatches("SubscriberValue", clvlab.valueSubscribers(bdw, priced, { marginRate: 0.5, discountRate: 0.01, draws: 50 }));
  const bgnbd = clvlab.fitBgNbd(customers);
  assertMatches("BgNbdFit", bgnbd);
  assertMatches("ParetoNbdFit", clvlab.fitParetoNbd(customers));
  assertMatches("MbgNbdFit", clvlab.fitModifiedBgNbd(customers));
  const gg = clvlab.fitGammaGamma(spend);
  assertMatches("GammaGammaFit", gg);
  // Fader, Hardie & Shang (2010), the 1995 donor cohort: 11,104 donors in 22 patterns of 6 opportunities.
  const rows = readFileSync(new URL("../data/donations.csv", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map(Number));
  const [frequency, recency, periods, weights] = [0, 1, 2, 3].map((i) => rows.map((row) => row[i]));
  const donations = { frequency, recency, periods, weights };
  const bgbb = clvlab.fitBgBb(donations);
  assertMatches("BgBbFit", bgbb);
  for (const fit of [bgnbd, bgbb]) assertMatches("PurchaseFit", fit);
  assertMatches("Predictions", clvlab.predict(bgnbd, customers, { horizon: 52 }));
  assertMatches("Predictions", clvlab.predict(bgbb, donations, { horizon: 5 }));
  // Covariates: every other customer at "shop".
  const codes = Uint32Array.from(customers.frequency, (_, i) => i % 2);
  const attributes = { channel: { levels: ["web", "shop"], codes } };
  const withChannel = { ...customers, attributes };
  const covariates = { covariates: ["channel"] };
  const covariateFit = clvlab.fitBgNbd(withChannel, covariates);
  assertMatches("BgNbdCovariateFit", covariateFit);
  assertMatches("ParetoNbdCovariateFit", clvlab.fitParetoNbd(withChannel, covariates));
  assertMatches("Predictions", clvlab.predict(covariateFit, withChannel, { horizon: 52 }));
  const spendFit = clvlab.fitGammaGamma({ ...spend, attributes }, covariates);
  assertMatches("GammaGammaCovariateFit", spendFit);
  assert.ok(clvlab.expectedSpend(spendFit, { ...spend, attributes }) instanceof Float64Array);
  const base = clvlab.valueCustomerBase(bgnbd, { ...withChannel, monetaryValue: summary.monetaryValue }, {
    spendFit: gg,
    value: { months: 6, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 },
    draws: 20,
    segmentBy: "channel",
    segments: { web: { acquisitionCost: 30, newCustomersPerMonth: 10, competitorEquity: 1e5 }, shop: { competitorEquity: 1e5 } },
  });
  const { customers: columns, ...rest } = base;
  assertMatches("BaseValue", rest);
  assertMatches("BaseCustomers", columns);
  assert.deepEqual(base.segments.map((s) => s.name), ["web", "shop"]);
});
