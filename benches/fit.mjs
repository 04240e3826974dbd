// Times clvlab's wasm (pkg/, built by scripts/build.sh) on the full CDNOW log that Python `lifetimes`
// ships, and prints each time next to lifetimes' time for the same task, measured in the same run by
// benches/lifetimes_baseline.py (its JSON is the first argument), as the ratio lifetimes / clvlab.
//
//   node benches/fit.mjs target/bench-data/lifetimes.json [synthetic.csv]
//
// Times are the best of several runs, after a warm-up. Functions the package does not export yet
// (fitBgNbd, fitParetoNbd, predict) are reported as skipped. The CDNOW master file is whitespace-separated;
// it is rewritten as CSV before timing (not timed), as our summary reads CSV.
import { readFileSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as clvlab from '../pkg/clvlab.js';

const [baselinePath, syntheticPath] = process.argv.slice(2);
if (!baselinePath) {
  console.error('usage: node benches/fit.mjs lifetimes.json [synthetic.csv]');
  process.exit(2);
}
const baseline = JSON.parse(readFileSync(baselinePath, 'utf8'));
clvlab.initSync({ module: readFileSync(new URL('../pkg/clvlab_bg.wasm', import.meta.url)) });

/** Best wall-clock milliseconds of `runs` calls of `task` after one warm-up call, and its result. */
function bestOf(runs, task) {
  let result = task();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = task();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, result };
}

const rows = [];
/** Times `task` when `needs` are all exported, and records the row against lifetimes' `key`. */
function measure(label, key, needs, runs, task, goalMs) {
  const missing = needs.filter((name) => typeof clvlab[name] !== 'function');
  if (missing.length > 0) {
    rows.push({ label, skipped: `not exported yet: ${missing.join(', ')}` });
    return undefined;
  }
  try {
    const { ms, result } = bestOf(runs, task);
    const seconds = baseline.seconds[key];
    rows.push({ label, ms, lifetimesMs: seconds === undefined ? undefined : seconds * 1e3, goalMs });
    return result;
  } catch (error) {
    rows.push({ label, skipped: `threw: ${error.message}` });
    return undefined;
  }
}

const master = readFileSync(baseline.cdnowMaster, 'utf8');
const cdnowCsv = master
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => line.trim().split(/\s+/).join(','))
  .join('\n');
const cdnowOptions = {
  customerColumn: 'customer_id',
  dateColumn: 'date',
  valueColumn: 'dollar_value',
  dateFormat: 'YYYYMMDD',
  calibrationEnd: '1997-09-30',
  timeUnit: 'week',
};

const summary = measure('summary, full CDNOW (from text)', 'summary', ['summarizeTransactions'], 20,
  () => clvlab.summarizeTransactions(cdnowCsv, cdnowOptions), 50);
const cdnowBytes = new TextEncoder().encode(cdnowCsv);
measure('  the same from bytes (Uint8Array)', 'summary', ['summarizeTransactionBytes'], 20,
  () => clvlab.summarizeTransactionBytes(cdnowBytes, cdnowOptions), 50);
if (summary && summary.customerIds.length !== baseline.customers) {
  console.error(`customer count differs: clvlab ${summary.customerIds.length}, lifetimes ${baseline.customers}`);
  process.exit(1);
}
const data = summary && { frequency: summary.frequency, recency: summary.recency, T: summary.T };
const horizon = { horizon: baseline.horizon };

const bg = data && measure('BG/NBD fit', 'fitBgNbd', ['fitBgNbd'], 10, () => clvlab.fitBgNbd(data), 50);
if (bg) {
  measure('BG/NBD predictions, all customers', 'predictBgNbd', ['predict'], 20,
    () => clvlab.predict(bg, data, horizon), 20);
  // lifetimes has no intervals: no baseline in this run (pymc-marketing, which has, does not install here).
  measure('BG/NBD intervals, 1,000 Laplace draws', 'predictIntervals', ['predictIntervals'], 2,
    () => clvlab.predictIntervals(bg, data, { ...horizon, draws: 1000 }), 300);
  measure('BG/NBD intervals, 200 bootstrap refits', 'predictIntervalsBootstrap', ['predictIntervals'], 1,
    () => clvlab.predictIntervals(bg, data, { ...horizon, draws: 200, method: 'bootstrap' }), 5000);
  const spend = { frequency: summary.frequency, monetaryValue: summary.monetaryValue };
  const gg = measure('Gamma-Gamma fit', 'fitGammaGamma', ['fitGammaGamma'], 10,
    () => clvlab.fitGammaGamma(spend));
  if (gg) {
    const valueOptions = { months: 12, monthlyDiscountRate: 0.01, unitsPerMonth: 4.345 };
    measure('customerValue, 12 months, BG/NBD', 'customerValue', ['customerValue'], 20,
      () => clvlab.customerValue(bg, gg, { ...data, monetaryValue: summary.monetaryValue }, valueOptions));
    const withSpend = { ...data, monetaryValue: summary.monetaryValue };
    measure('BG/NBD intervals with CLV, 1,000 Laplace draws', 'predictIntervalsClv', ['predictIntervals'], 2,
      () => clvlab.predictIntervals(bg, withSpend, { ...horizon, draws: 1000, spendFit: gg, value: valueOptions }), 300);
    measure('valueCustomerBase, 12 months, 1,000 draws', 'valueCustomerBase', ['valueCustomerBase'], 2,
      () => clvlab.valueCustomerBase(bg, withSpend, { draws: 1000, spendFit: gg, value: valueOptions }));
  }
}
if (baseline.seconds.fitParetoNbd !== undefined) {
  const pareto = data && measure('Pareto/NBD fit', 'fitParetoNbd', ['fitParetoNbd'], 5,
    () => clvlab.fitParetoNbd(data), 200);
  if (pareto) {
    measure('Pareto/NBD predictions, all customers', 'predictParetoNbd', ['predict'], 20,
      () => clvlab.predict(pareto, data, horizon), 20);
  }
}
if (syntheticPath && existsSync(syntheticPath)) {
  const text = readFileSync(syntheticPath, 'utf8');
  const options = {
    customerColumn: 'customer_id',
    dateColumn: 'date',
    valueColumn: 'spend',
    calibrationEnd: '1999-06-30',
    timeUnit: 'week',
  };
  measure('summary, 1,000,000 synthetic rows', 'summarySynthetic', ['summarizeTransactions'], 3,
    () => clvlab.summarizeTransactions(text, options));
  const bytes = readFileSync(syntheticPath);
  measure('  the same from bytes (Uint8Array)', 'summarySynthetic', ['summarizeTransactionBytes'], 3,
    () => clvlab.summarizeTransactionBytes(bytes, options));
}

// Subscriptions (no peer fits them here: lifetimes and CLVTools are non-contractual). A log of
// 1,000,000 subscriptions over 60 months, made here with a fixed-seed generator (not timed): 60 monthly
// cohorts from 2020-01, each subscriber churning each month with its own probability θ drawn uniformly
// from 0.01–0.25, observed to 2024-12-31.
if (typeof clvlab.summarizeSubscriptionBytes === 'function') {
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const end = Date.UTC(2024, 11, 31);
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const lines = ['customer_id,start_date,end_date,price'];
  for (let i = 0; i < 1_000_000; i++) {
    const month = Math.floor(i / (1_000_000 / 60));
    const start = Date.UTC(2020, month, 1 + Math.floor(random() * 28));
    const theta = 0.01 + 0.24 * random();
    let months = 1;
    while (random() > theta && months < 80) months++;
    const stop = Date.UTC(2020, month + months - 1, 2 + Math.floor(random() * 26));
    lines.push(`c${i},${iso(start)},${stop > end ? '' : iso(stop)},${random() < 0.25 ? 25 : 10}`);
  }
  const log = new TextEncoder().encode(lines.join('\n'));
  const options = {
    customerColumn: 'customer_id', startColumn: 'start_date', endColumn: 'end_date',
    priceColumn: 'price', observationEnd: '2024-12-31',
  };
  measure('subscriptions: 1,000,000 over 60 months, summary + sBG + BdW', 'subscriptions', [], 2, () => {
    const summary = clvlab.summarizeSubscriptionBytes(log, options);
    return [clvlab.fitSbg(summary), clvlab.fitBdw(summary)];
  }, 2000);
  const summary = clvlab.summarizeSubscriptionBytes(log, options);
  measure('  of which the summary', 'subscriptions', [], 2,
    () => clvlab.summarizeSubscriptionBytes(log, options));
  const regular = { survivors: [1000, 631, 468, 382, 326, 289, 262, 241] };
  const bdw = measure('BdW fit, Fader & Hardie 2007 regular segment', 'bdw', ['fitBdw'], 20,
    () => clvlab.fitBdw(regular), 20);
  measure('compareRetention, 60 cohorts, 12 held out', 'compareRetention', ['compareRetention'], 2,
    () => clvlab.compareRetention({ cohorts: summary.byCohort.map((c) => c.survivors) }, { holdoutPeriods: 12 }));
  const fitted = clvlab.fitBdw(summary);
  measure('valueSubscribers, 1,000 draws, d = 1 % a month', 'valueSubscribers', ['valueSubscribers'], 2,
    () => clvlab.valueSubscribers(fitted, summary, { margin: 12, discountRate: 0.01, draws: 1000 }));
  if (!bdw) process.exit(1);
}

const pad = (s, n) => String(s).padEnd(n);
const num = (x, digits = 1) => (x === undefined ? '-' : x.toFixed(digits));
console.log(`clvlab (wasm, Node ${process.version}) against lifetimes ${baseline.lifetimes} ` +
  `(Python ${baseline.python}, pandas ${baseline.pandas}, numpy ${baseline.numpy}), same run`);
console.log(`${pad('task', 40)}${pad('clvlab ms', 12)}${pad('lifetimes ms', 14)}${pad('ratio', 10)}goal ms`);
for (const row of rows) {
  if (row.skipped) {
    console.log(`${pad(row.label, 40)}skipped (${row.skipped})`);
    continue;
  }
  const ratio = row.lifetimesMs === undefined ? undefined : row.lifetimesMs / row.ms;
  const goal = row.goalMs === undefined ? '' : `${row.goalMs}${row.ms <= row.goalMs ? '' : '  (missed)'}`;
  console.log(`${pad(row.label, 40)}${pad(num(row.ms, 2), 12)}${pad(num(row.lifetimesMs), 14)}` +
    `${pad(ratio === undefined ? '-' : `${ratio.toFixed(1)}x`, 10)}${goal}`);
}
