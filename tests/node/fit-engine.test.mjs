// The fit tab's engine (www/page/fit-engine.js) on the built package in Node, on the CDNOW sample the page
// ships: the mapping proposed by the library, the default split, and the diagnostics' data checked
// against the published summary of the same customers (tests/data) and against counts made here from
// the transaction lines, independently of the library's reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as api from "../../pkg/clvlab.js";
import { createFitEngine, LAST_BAR } from "../../www/page/fit-engine.js";

api.initSync({ module: readFileSync(new URL("../../pkg/clvlab_bg.wasm", import.meta.url)) });

const bytes = readFileSync(new URL("../../www/data/cdnow_sample_transactions.csv", import.meta.url));
// customer_id,date,quantity,spend; ISO dates, no quotes.
const lines = bytes.toString("utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const dayOf = (iso) => Date.parse(`${iso}T00:00:00Z`) / 864e5;
const published = readFileSync(new URL("../data/cdnow_sample_summary.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map((v, i) => (i === 0 ? v : Number(v))));

const options = { customerColumn: "customer_id", dateColumn: "date", valueColumn: "spend", timeUnit: "week" };

function engineOnSample() {
  const engine = createFitEngine(api);
  engine.load({ bytes: new Uint8Array(bytes) });
  return engine;
}

test("the library proposes the mapping from the file's start", () => {
  const guess = engineOnSample().inspect();
  assert.deepEqual(guess.columns, ["customer_id", "date", "quantity", "spend"]);
  assert.equal(guess.customerColumn, "customer_id");
  assert.equal(guess.dateColumn, "date");
  assert.equal(guess.valueColumn, "spend");
  assert.equal(guess.dateFormat, "YYYY-MM-DD");
});

test("a file longer than the inspected start is cut at a line end, not mid-row", () => {
  const row = "c0000001,2020-01-01,12.50\n";
  const long = "customer,date,amount\n" + row.repeat(Math.ceil(70000 / row.length));
  const engine = createFitEngine(api);
  engine.load({ bytes: new TextEncoder().encode(long) });
  const guess = engine.inspect();
  assert.equal(guess.dateColumn, "date");
  assert.equal(guess.valueColumn, "amount");
});

test("without a calibration end, the split leaves the last third of the span as holdout", () => {
  const days = lines.map((r) => dayOf(r[1]));
  const first = Math.min(...days);
  const last = Math.max(...days);
  const expected = new Date((first + Math.round(((last - first) * 2) / 3)) * 864e5).toISOString().slice(0, 10);
  const { summary } = engineOnSample().summarize({ options });
  assert.equal(summary.calibrationEnd, expected);
  assert.equal(summary.calibrationEnd, "1997-12-30");
});

test("diagnostics: the frequency bars and the cumulative lines, from the summary's counts by day", () => {
  const engine = engineOnSample();
  const { summary } = engine.summarize({ options: { ...options, calibrationEnd: "1997-09-30" } });
  const { fit } = engine.fit({ fitName: "fitBgNbd", spend: false });
  const { frequency, cumulative, error } = engine.diagnostics();
  assert.equal(error, null);

  // Actual bars: the published summary's frequencies.
  const bars = new Array(LAST_BAR + 1).fill(0);
  for (const [, x] of published) bars[Math.min(x, LAST_BAR)] += 1;
  assert.deepEqual(frequency.actual, bars);
  // Expected bars: Σ_i P(X(T_i) = x) over the published T_i (two decimals, hence the tolerance), and
  // they sum to the number of customers.
  const expected = new Array(LAST_BAR + 1).fill(0);
  for (const [, , , T] of published) {
    let total = 0;
    for (let x = 0; x < LAST_BAR; x++) {
      const p = api.probPurchases(fit, T, x);
      expected[x] += p;
      total += p;
    }
    expected[LAST_BAR] += 1 - total;
  }
  frequency.expected.forEach((e, x) => assert.ok(Math.abs(e - expected[x]) < 0.5, `bar ${x}: ${e} vs ${expected[x]}`));
  assert.ok(Math.abs(frequency.expected.reduce((a, b) => a + b, 0) - published.length) < 1e-6);

  // Actual line: repeat transactions (distinct customer-days after each customer's first day) on or
  // before each grid time, counted here from the lines, over calibration and holdout.
  const firstDay = Math.min(...lines.map((r) => dayOf(r[1])));
  const calibrationDay = dayOf("1997-09-30");
  const byCustomer = new Map();
  for (const [id, date] of lines) {
    if (!byCustomer.has(id)) byCustomer.set(id, new Set());
    byCustomer.get(id).add(dayOf(date) - firstDay);
  }
  const repeats = [];
  for (const days of byCustomer.values()) {
    const start = Math.min(...days);
    if (start > calibrationDay - firstDay) continue;
    for (const d of days) if (d !== start) repeats.push(d);
  }
  assert.equal(cumulative.unit, "week");
  assert.ok(Math.abs(cumulative.calibrationEnd - (calibrationDay - firstDay) / 7) < 1e-12);
  cumulative.t.forEach((t, k) => {
    const count = repeats.filter((d) => d <= Math.floor(t * 7 + 1e-9)).length;
    assert.equal(cumulative.actual[k], count, `actual at week ${t}`);
  });
  // The calibration part of the line ends at the published summary's total of repeats.
  const calibrationRepeats = published.reduce((a, r) => a + r[1], 0);
  assert.equal(repeats.filter((d) => d <= calibrationDay - firstDay).length, calibrationRepeats);

  // Model line at the last grid time: Σ_i E[X(t − t0_i)] with t0_i = calibration end − T_i (published).
  const end = cumulative.t.length - 1;
  const tEnd = cumulative.t[end];
  const model = published.reduce(
    (a, [, , , T]) => a + api.expectedPurchasesNew(fit, tEnd - (cumulative.calibrationEnd - T)),
    0,
  );
  assert.ok(Math.abs(cumulative.expected[end] - model) / model < 1e-3, `${cumulative.expected[end]} vs ${model}`);

  // The holdout band: nothing before the calibration end; from the calibration's own repeats at its
  // end to those plus predictIntervals' 90 % interval of the holdout total at the last time.
  const { band } = cumulative;
  cumulative.t.forEach((t, k) => {
    if (t < cumulative.calibrationEnd) assert.equal(band.lower[k], null);
    else assert.ok(band.lower[k] <= band.upper[k]);
  });
  const span = tEnd - cumulative.calibrationEnd;
  const { total } = api.predictIntervals(fit, summary, { horizon: span, draws: 50 });
  assert.ok(Math.abs(band.upper[end] - (calibrationRepeats + total.upper)) < 1e-6, `${band.upper[end]}`);
  assert.ok(Math.abs(band.lower[end] - (calibrationRepeats + total.lower)) < 1e-6, `${band.lower[end]}`);
});

test("customer value uses the summary's own month length", () => {
  const engine = engineOnSample();
  const { summary } = engine.summarize({ options: { ...options, calibrationEnd: "1997-09-30" } });
  // Weeks per month of 365.25 / 12 days.
  assert.ok(Math.abs(summary.unitsPerMonth - 365.25 / 12 / 7) < 1e-12);
  const { fit, gg } = engine.fit({ fitName: "fitBgNbd", spend: true });
  const clv = { months: 12, monthlyDiscountRate: 0.01 };
  const out = engine.predict({ horizon: 52, clv });
  assert.equal(out.error, null);
  const direct = api.customerValue(fit, gg, summary, { ...clv, unitsPerMonth: 365.25 / 12 / 7 });
  assert.deepEqual(Array.from(out.clv), Array.from(direct));
});
