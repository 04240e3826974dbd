// A TypeScript user of the package: type-checked (never run) by types.test.mjs against the built
// pkg/clvlab.d.ts under `strict`. Every `@ts-expect-error` line must be an error, so the declarations
// are checked to refuse wrong inputs as well as to accept right ones.
import {
  breakEven,
  clv,
  compareScenarios,
  compareScenariosMc,
  valueStory,
  valueStoryChunk,
  summarizeStory,
  customerEquity,
  customerValue,
  valueCustomerBase,
  expectedPurchasesNew,
  expectedSpend,
  fitBgBb,
  fitBgNbd,
  fitGammaGamma,
  fitModifiedBgNbd,
  fitParetoNbd,
  fitSbg,
  inspectTransactions,
  predict,
  probPurchases,
  rfmSegments,
  cohortSegments,
  sensitivity,
  simulateEquity,
  simulateEquityChunk,
  summarizeRuns,
  summarizeTransactionBytes,
  summarizeTransactions,
} from "../../pkg/clvlab.js";
import type {
  ClvInput,
  ClvResult,
  CustomerSummary,
  DateFormat,
  EquityInput,
  SimulationConfig,
  SummaryOptions,
} from "../../pkg/clvlab.js";

declare const csv: string;

// ---- clv ----
const input: ClvInput = { margin: 100, retention: { alpha: 0.704, beta: 1.182 }, discountRate: 0.1, timing: "start" };
const result: ClvResult = clv(input);
const value: number = result.clv;
const lifetime: number | null = result.expectedLifetime;
const survival: number = result.periods[0].survival;
clv({ margin: 100, retention: 0.8, discountRate: 0.1, horizon: null, renewals: 3 });
// @ts-expect-error margin is a number
clv({ margin: "100", retention: 0.8, discountRate: 0.1 });
// @ts-expect-error discountRate is required
clv({ margin: 100, retention: 0.8 });
// @ts-expect-error timing is "end" or "start"
clv({ margin: 100, retention: 0.8, discountRate: 0.1, timing: "middle" });
// @ts-expect-error sBG retention needs alpha and beta
clv({ margin: 100, retention: { alpha: 1 }, discountRate: 0.1 });

const base: EquityInput = {
  segments: [{ name: "loyal", customers: 1000, ...input }],
  acquisition: { perPeriod: 50, periods: 12, acquisitionCost: 80 },
  competitors: [{ name: "rival", equity: 1e6 }],
};
const equity = customerEquity(base);
const share: number | null = equity.share;
const segmentName: string = equity.bySegment[0].name;
const acquired: number | undefined = equity.acquisition?.netValuePerCustomer;
// @ts-expect-error a segment needs its customers
customerEquity({ segments: [{ name: "loyal", ...input }] });

const comparison = compareScenarios({
  base: input,
  scenarios: [{ name: "less churn", changes: { churnChange: { relative: -0.1 } } }],
});
const delta: number = comparison.scenarios[0].delta;
const baseValue: number = comparison.base.netValue;
compareScenarios({ base, scenarios: [{ name: "price", segment: "loyal", changes: { margin: 110 } }] });
// @ts-expect-error churnChange is { relative } or { points }
compareScenarios({ base, scenarios: [{ name: "x", changes: { churnChange: 0.1 } }] });

const bars = sensitivity(input, { fields: ["margin", "retention"], spread: 0.2, measure: "netValue" });
const swing: number = bars[0].swing;
sensitivity(base); // options are optional
// @ts-expect-error horizon is not a sensitivity field
sensitivity(input, { fields: ["horizon"] });

const even = breakEven({ ...input, acquisitionCost: 200 }, { solveFor: "retention" });
const solvedFor: "retention" | "margin" | "acquisitionCost" = even.solveFor;
const solvedInput: ClvInput = even.input;

// ---- data ----
const options: SummaryOptions = {
  customerColumn: "customer_id",
  dateColumn: "date",
  valueColumn: "spend",
  dateFormat: "auto",
  timeUnit: "week",
  calibrationEnd: null,
};
const summary = summarizeTransactions(csv, options);
const frequency: Float64Array = summary.frequency;
const ids: string[] = summary.customerIds;
const format: DateFormat = summary.dateFormat;
const line: number = summary.skipped[0].line;
const channel = summary.attributes["channel"];
if (channel && "codes" in channel) {
  const level: string = channel.levels[channel.codes[0]];
}
const rfm = rfmSegments(summary);
const champion: boolean = rfm.segment.levels[rfm.segment.codes[0]] === "Champions";
const recencyScore: Float64Array = rfm.recencyScore;
const cohorts = cohortSegments(summary, { period: "quarter" });
const firstCohort: string = cohorts.levels[0];
// @ts-expect-error a cohort is a month or a quarter
cohortSegments(summary, { period: "week" });
// @ts-expect-error rfmSegments needs the mean spend of each customer
rfmSegments({ frequency: [1], recency: [1], T: [2] });
summarizeTransactionBytes(new Uint8Array(0), { customerColumn: "id", dateColumn: "date" });
// @ts-expect-error a time unit is "day", "week" or "month"
summarizeTransactions(csv, { customerColumn: "id", dateColumn: "date", timeUnit: "year" });
const inspection = inspectTransactions(csv);
const guessed: string | null = inspection.customerColumn;
const firstRow: string[] = inspection.rows[0];

// ---- montecarlo ----
const config: SimulationConfig = {
  segments: [{ customers: 1000, margin: { mean: 10, cv: 0.5 }, retention: 0.8, uncertainty: { retentionSd: 0.02 } }],
  discountRate: 0.1,
  horizon: 10,
  runs: 100,
  seed: 1,
  target: 5e4,
};
const simulation = simulateEquity(config);
// @ts-expect-error simulateEquity needs runs and seed
simulateEquity({ segments: config.segments, discountRate: 0.1, horizon: 10 });
const p95: number = simulation.percentiles.p95;
const medianPath: number[] = simulation.byPeriod.p50;
const above: number | null = simulation.probAboveTarget;
const chunk = simulateEquityChunk(config, 0, 50);
const totals: Float64Array = chunk.totals;
summarizeRuns(config, [chunk, simulateEquityChunk(config, 50, 50)]);
const { runs: _runs, seed: _seed, ...model } = config;
const mc = compareScenariosMc({ base: model, scenarios: [{ ...model, discountRate: 0.08 }], runs: 100, seed: 1 });
const better: number = mc.scenarios[0].probBetter;
const byChanges = compareScenariosMc({
  base: model,
  scenarios: [{ name: "less churn", changes: { churnChange: { points: -5 } } }],
  runs: 100,
  seed: 1,
});
const scenarioName: string | null = byChanges.scenarios[0].name;
const pitch = valueStory({
  customers: 1000, margin: 100, retention: 0.8, discountRate: 0.1, horizon: 5,
  improvement: { churn: { from: -0.1, to: -0.2 }, margin: 0.05 }, price: { upfront: 5000 }, runs: 100, seed: 1,
});
const beatsPrice: number | null = pitch.simulated.probAbovePrice;
const storyInput = { customers: 10, margin: 1, retention: 0.8, discountRate: 0.1, horizon: 3, improvement: { churn: -0.1 }, runs: 4, seed: 1 };
const gains: Float64Array = valueStoryChunk(storyInput, 0, 2).gains;
const chunked: number = summarizeStory(storyInput, [valueStoryChunk(storyInput, 0, 2), valueStoryChunk(storyInput, 2, 2)]).gain.expected;
// @ts-expect-error the improvement is required
valueStory({ customers: 1, margin: 1, retention: 0.8, discountRate: 0.1, horizon: 5, runs: 1, seed: 1 });
// @ts-expect-error a comparison needs runs and seed
compareScenariosMc({ base: model, scenarios: [] });
// @ts-expect-error runs and seed are set once, at the top level
compareScenariosMc({ base: { ...model, runs: 100 }, scenarios: [model], runs: 100, seed: 1 });

// ---- models ----
const sbg = fitSbg({ survivors: [1000, 631, 468, 382, 326] });
const alpha: number = sbg.params.alpha;
const retention: number[] = sbg.retention;
const alphaSe: number | null | undefined = sbg.standardErrors.alpha;
const termination: "gradientSmall" | "precisionLimit" = sbg.termination;

const customers: CustomerSummary = { frequency: summary.frequency, recency: summary.recency, T: summary.T };
const bgnbd = fitBgNbd(customers);
const r: number = bgnbd.params.r;
const b: number = bgnbd.params.b;
// @ts-expect-error BG/NBD has no s
bgnbd.params.s;
const pareto = fitParetoNbd({ frequency: [0, 1, 2], recency: [0, 1, 2], T: [3, 3, 3], weights: null });
const s: number = pareto.params.s;
const mbg = fitModifiedBgNbd(customers);
const a: number = mbg.params.a;
const spendData = { frequency: summary.frequency, monetaryValue: summary.monetaryValue };
const gg = fitGammaGamma(spendData);
const p: number = gg.params.p;
const included: number = gg.included;
const bgbb = fitBgBb({ frequency: [0, 1, 2], recency: [0, 1, 2], periods: [6, 6, 6], weights: [10, 5, 2] });
const bgbbDelta: number = bgbb.params.delta;

const predictions = predict(bgnbd, customers, { horizon: 52 });
const alive: Float64Array = predictions.probAlive;
predict(bgbb, { frequency: [0], recency: [0], periods: [6] }, { horizon: 5 });
// @ts-expect-error predict takes a purchase model, not a Gamma-Gamma fit
predict(gg, customers, { horizon: 52 });
const newPurchases: number = expectedPurchasesNew(pareto, 10);
const probability: number = probPurchases(mbg, 10, 2);
const spend: Float64Array = expectedSpend(gg, spendData);
const values: Float64Array = customerValue(
  bgnbd,
  gg,
  { ...customers, monetaryValue: summary.monetaryValue },
  { months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 },
);
// The base by segment, each with its acquisition plan; the customers' columns are typed arrays.
const months = { months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 };
const valued = valueCustomerBase(bgnbd, { ...customers, monetaryValue: summary.monetaryValue }, {
  spendFit: gg,
  value: months,
  segmentBy: "rfm",
  segments: { Champions: { acquisitionCost: 30, newCustomersPerMonth: 100, competitorEquity: 1e6 } },
});
const segmentEquity: number = valued.segments[0].equity.estimate;
const customerSegment: Uint32Array = valued.customers.segment;
const payback: number | null | undefined = valued.segments[0].acquisition?.paybackMonths;
valueCustomerBase(bgnbd, { ...customers, monetaryValue: summary.monetaryValue }, {
  spendFit: gg,
  value: months,
  // @ts-expect-error an acquisition cost is a number
  segments: { New: { acquisitionCost: "30" } },
});
// Covariates from the summary's attributes; a covariate fit is known by its coefficients.
const withChannel = { ...customers, attributes: summary.attributes };
const covariateFit = fitBgNbd(withChannel, { covariates: ["channel"] });
let covariateParts: unknown[] = [];
if ("coefficients" in covariateFit) {
  const process: "purchase" | "dropout" | "spend" = covariateFit.coefficients[0].process;
  const lr: number = covariateFit.likelihoodRatio.pValue;
  const plainLl: number = covariateFit.withoutCovariates.logLikelihood;
  covariateParts = [process, lr, plainLl];
}
predict(covariateFit, withChannel, { horizon: 52 });
const spendFit = fitGammaGamma({ ...spendData, attributes: summary.attributes }, { covariates: ["channel"] });
const fittedOn: number = spendFit.included;
customerValue(bgnbd, spendFit, { ...customers, monetaryValue: summary.monetaryValue }, {
  months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345,
});
// @ts-expect-error the covariates are names
fitBgNbd(withChannel, { covariates: [1] });
// @ts-expect-error the spend model must be a Gamma-Gamma fit
customerValue(bgnbd, bgnbd, { ...customers, monetaryValue: [1] }, { months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 1 });

export const used = [value, lifetime, survival, share, segmentName, acquired, delta, baseValue, swing, solvedFor,
  solvedInput, frequency, ids, format, line, guessed, firstRow, p95, medianPath, above, totals, better, alpha, retention,
  alphaSe, termination, r, b, s, a, p, included, bgbbDelta, alive, newPurchases, probability, spend, values, fittedOn,
  covariateParts, segmentEquity, customerSegment, payback];

// ---- the custom elements (components/*.d.ts) ----
import "../../pkg/components/clv-calculator.js";
import type { ClvScenarios } from "../../pkg/components/clv-scenarios.js";
import "../../pkg/components/clv-montecarlo.js";
import "../../pkg/components/clv-value-story.js";

const calculator = document.createElement("clv-calculator");
calculator.config = { margin: 120, retention: { alpha: 0.704, beta: 1.182 }, currency: "EUR", locale: "de-DE" };
const calculatorClv: number = calculator.config.discountRate;
// @ts-expect-error margin is a number
calculator.config = { margin: "120" };
// @ts-expect-error periodUnit is month, quarter or year
calculator.config = { periodUnit: "week" };
calculator.addEventListener("clv-change", (event) => {
  const lifetimeValue: number = event.detail.result.clv;
  const margin: number = event.detail.input.margin;
});
calculator.addEventListener("clv-error", (event) => event.detail.message.startsWith("margin"));
const scenarios: ClvScenarios | null = document.querySelector("clv-scenarios");
scenarios?.addEventListener("clv-change", (event) => event.detail.result.scenarios[0].deltaPercent);
if (scenarios) scenarios.config = { scenarios: [{ name: "Price +10%", changes: { marginChange: { relative: 0.1 } } }] };
const simulationElement = document.querySelector("clv-montecarlo");
const simulatedP95: number | undefined = simulationElement?.value?.result.percentiles.p95;
// @ts-expect-error seed is a number
if (simulationElement) simulationElement.config = { seed: "1" };
const story = document.querySelector("clv-value-story");
if (story) story.config = { improvement: { churn: { from: -0.1, to: -0.2 } }, price: { perPeriod: 500 }, product: "Acme" };
const storyGain: number | undefined = story?.value?.result.gain.expected;
const storyPayback: number | null | undefined = story?.value?.result.payback;
const typedChurn: number | undefined = story?.prospect.churn;
// @ts-expect-error an effect is a number or { from, to }
if (story) story.config = { improvement: { churn: { low: -0.1 } } };
