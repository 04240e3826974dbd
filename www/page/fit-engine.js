// The computing half of the "Fit your data" tab, with no DOM: holds the file's bytes and its summary,
// fits the models, predicts per customer and builds the diagnostics, all through the wasm library's
// exports (`api`). The library is the only reader of the file: `inspectTransactions` proposes the column
// mapping, `summarizeTransactionBytes` summarises it and counts the purchases by day for the charts. It
// runs in a Worker (engine-worker.js) so that large files never freeze the page, or on the main thread where
// a module Worker cannot start. Results are plain objects and typed arrays.

/** Parameter draws of the customer table's 90 % intervals: a fifth of the library's default, for speed. */
export const TABLE_DRAWS = 200;
/** Parameter draws behind "Value this customer base" over up to a year: the library's default. */
export const BASE_DRAWS = 1000;
/** Over longer periods, fewer, so the work stays that of a year (and at least 200). */
export const baseDraws = (months) => Math.max(200, Math.min(BASE_DRAWS, Math.round((BASE_DRAWS * 12) / months)));
/** The frequency chart's last bar counts this many repeat purchases or more. */
export const LAST_BAR = 7;
/** How much of the file's start `inspectTransactions` is given: its header and first 200 rows fit. */
const INSPECT_BYTES = 1 << 16;
/** Above this many distinct first-purchase days, the cumulative chart's model line bins them. */
const MAX_COHORTS = 400;

const has = (api, name) => typeof api[name] === "function";
const ms = (t0) => performance.now() - t0;
const message = (e) => String(e?.message ?? e);

/** The start of the file as text, cut after its last complete line when the file goes on. */
function start(bytes) {
  const head = bytes.subarray(0, INSPECT_BYTES);
  const end = head.length < bytes.length ? head.lastIndexOf(10) + 1 : head.length;
  return new TextDecoder().decode(end > 0 ? head.subarray(0, end) : head);
}

/** `[[day, customers], …]` for the days with first purchases, from `firstPurchasesByDay`. */
function cohorts(summary) {
  const out = [];
  summary.firstPurchasesByDay.forEach((n, day) => n > 0 && out.push([day, n]));
  return out;
}

/** Expected numbers of customers with 0 … LAST_BAR−1 and LAST_BAR+ repeat purchases over their own T. */
function expectedByFrequency(api, fit, summary) {
  const expected = new Array(LAST_BAR + 1).fill(0);
  const calibrationDay = summary.firstPurchasesByDay.length - 1;
  for (const [day, n] of cohorts(summary)) {
    const T = (calibrationDay - day) / summary.unitDays;
    let total = 0;
    for (let x = 0; x < LAST_BAR; x++) {
      const p = api.probPurchases(fit, T, x);
      expected[x] += n * p;
      total += p;
    }
    expected[LAST_BAR] += n * Math.max(0, 1 - total);
  }
  return expected;
}

const actualByFrequency = (frequency) => {
  const actual = new Array(LAST_BAR + 1).fill(0);
  for (const x of frequency) actual[Math.min(x, LAST_BAR)] += 1;
  return actual;
};

/** Running totals of the summary's repeat transactions by day, calibration then holdout. */
function cumulativeByDay(summary) {
  const days = [...summary.calibrationRepeatsByDay, ...summary.holdoutRepeatsByDay];
  let total = 0;
  return Float64Array.from(days, (n) => (total += n));
}

/**
 * The cumulative chart's data: time points in units since the first purchase, actual cumulative repeat
 * transactions (the summary's counts by day) and expected ones, Σ_i E[X(t − t0_i)] over the customers'
 * first-purchase days t0_i (null without a fit).
 */
function cumulativeSeries(api, fit, summary, timeUnit) {
  const { unitDays } = summary;
  const cumulative = cumulativeByDay(summary);
  const span = (cumulative.length - 1) / unitDays;
  const step = Math.max(1, Math.ceil(span / 160));
  const t = [];
  for (let k = 0; k * step <= span + 1e-9; k++) t.push(k * step);
  if (t[t.length - 1] < span) t.push(span);
  const actual = t.map((tk) => cumulative[Math.min(cumulative.length - 1, Math.floor(tk * unitDays + 1e-9))]);
  const calibrationEnd = (summary.firstPurchasesByDay.length - 1) / unitDays;
  let expected = t.map(() => null);
  if (fit) {
    // First-purchase times in units; binned at half a step when there are many distinct days.
    let starts = cohorts(summary).map(([day, n]) => [day / unitDays, n]);
    if (starts.length > MAX_COHORTS) {
      const bins = new Map();
      for (const [t0, n] of starts) {
        const key = Math.round(t0 / (step / 2)) * (step / 2);
        bins.set(key, (bins.get(key) ?? 0) + n);
      }
      starts = [...bins];
    }
    // Grid times minus first-purchase times repeat a lot: one call a distinct elapsed time.
    const memo = new Map();
    const expectedNew = (dt) => {
      const key = Math.round(dt * 1e6);
      if (!memo.has(key)) memo.set(key, api.expectedPurchasesNew(fit, dt));
      return memo.get(key);
    };
    expected = t.map((tk) => {
      let sum = 0;
      for (const [t0, n] of starts) if (tk > t0) sum += n * expectedNew(tk - t0);
      return sum;
    });
  }
  return { t, actual, expected, calibrationEnd, unit: timeUnit };
}

/** Holdout points at which the cumulative chart's band is computed (joined by straight lines). */
const BAND_POINTS = 4;
/** Parameter draws per band point. */
const BAND_DRAWS = 50;

/**
 * The cumulative chart's 90 % predictive band over the holdout: the calibration's actual repeats plus
 * the base's holdout purchases up to each time (`predictIntervals`' total, BAND_DRAWS draws) at
 * BAND_POINTS times, joined by straight lines; null before the calibration end.
 */
function holdoutBand(api, fit, summary, series) {
  const { t, calibrationEnd } = series;
  const span = t[t.length - 1] - calibrationEnd;
  if (!(span > 0)) return null;
  const base = summary.calibrationRepeatsByDay.reduce((a, b) => a + b, 0);
  const knots = [[calibrationEnd, base, base]];
  for (let k = 1; k <= BAND_POINTS; k++) {
    const h = (span * k) / BAND_POINTS;
    const { total } = api.predictIntervals(fit, summary, { horizon: h, draws: BAND_DRAWS, level: 0.9 });
    knots.push([calibrationEnd + h, base + total.lower, base + total.upper]);
  }
  const join = (column) =>
    t.map((tk) => {
      if (tk < calibrationEnd) return null;
      const k = Math.min(knots.length - 1, knots.findIndex(([x]) => x >= tk));
      const [x1, ...v1] = knots[k];
      const [x0, ...v0] = knots[Math.max(0, k - 1)];
      const w = x1 > x0 ? (tk - x0) / (x1 - x0) : 1;
      return v0[column] + w * (v1[column] - v0[column]);
    });
  return { lower: join(0), upper: join(1) };
}

/**
 * The customer table's 90 % intervals (`predictIntervals`, TABLE_DRAWS Laplace draws): purchases and
 * P(alive) bounds per customer and the base's total, and with a spend fit and `value`, each customer's
 * CLV and its bounds and the base's value; or `{ intervalError }`. When the spend fit's draws fail
 * (a q too uncertain), the purchase intervals come alone, with the reason as `clvIntervalError`.
 */
function intervals(api, fit, gg, summary, horizon, value) {
  const t0 = performance.now();
  const run = (spend) => {
    const out = api.predictIntervals(fit, summary, { horizon, draws: TABLE_DRAWS, ...spend });
    const { purchasesLower, purchasesUpper, probAliveLower, probAliveUpper, total, clv, clvLower, clvUpper } = out;
    const value = spend.spendFit ? { clv, clvLower, clvUpper } : {};
    return { purchasesLower, purchasesUpper, probAliveLower, probAliveUpper, total, ...value, intervalMs: ms(t0) };
  };
  try {
    if (!gg) return run({});
    try {
      return run({ spendFit: gg, value });
    } catch (e) {
      return { ...run({}), clvIntervalError: message(e) };
    }
  } catch (e) {
    return { intervalError: message(e) };
  }
}

/**
 * The fit's holdout scorecard (`evaluateHoldout`, with its check of the 90 % intervals and, with a
 * spend fit, of the spend), or `{ error }`;
 * null without a fit or a holdout.
 */
function holdout(api, fit, spendFit, summary) {
  if (!fit || !has(api, "evaluateHoldout") || !(summary.holdoutLength > 0)) return null;
  try {
    const spend = spendFit ? { spendFit } : {};
    return api.evaluateHoldout(fit, summary, { intervals: { draws: TABLE_DRAWS }, ...spend });
  } catch (e) {
    return { error: message(e) };
  }
}

/** `checkFitData`'s findings on the summary (spend only with a value column), null without the export. */
function check(api, summary, hasValue) {
  if (!has(api, "checkFitData")) return null;
  const { frequency, recency, T, monetaryValue, holdoutFrequency } = summary;
  return api.checkFitData({ frequency, recency, T, holdoutFrequency, ...(hasValue ? { monetaryValue } : {}) });
}

/**
 * The engine, on one file at a time: `load({ bytes })` keeps the file, `inspect()` proposes its mapping,
 * `summarize({ options })` summarises it and checks it for the fits (without `options.calibrationEnd`, at the library's suggested
 * end, the last third of the span left as holdout), then `fit({ fitName, spend })`, `predict({ horizon,
 * clv })` and `diagnostics()` work on the last summary.
 */
export function createFitEngine(api) {
  const state = { bytes: null, summary: null, timeUnit: null, fit: null, gg: null };
  const slim = (fit) => fit && { model: fit.model, params: fit.params };
  return {
    load({ bytes }) {
      Object.assign(state, { bytes, summary: null, fit: null, gg: null });
      return { bytes: bytes.length };
    },
    inspect() {
      return api.inspectTransactions(start(state.bytes));
    },
    summarize({ options }) {
      const t0 = performance.now();
      let summary = api.summarizeTransactionBytes(state.bytes, options);
      if (options.calibrationEnd === undefined) {
        const calibrationEnd = summary.suggestedCalibrationEnd;
        summary = api.summarizeTransactionBytes(state.bytes, { ...options, calibrationEnd });
      }
      Object.assign(state, { summary, timeUnit: options.timeUnit, fit: null, gg: null });
      return { summary, check: check(api, summary, options.valueColumn !== undefined), ms: ms(t0) };
    },
    /** Fits `fitName` (an export) and, with `spend`, Gamma-Gamma; errors come back as messages. */
    fit({ fitName, spend }) {
      const { summary } = state;
      const out = { fit: null, gg: null, fitError: null, ggError: null, fitMs: null, ggMs: null };
      let t0 = performance.now();
      if (has(api, fitName)) {
        try {
          out.fit = api[fitName]({ frequency: summary.frequency, recency: summary.recency, T: summary.T });
          out.fitMs = ms(t0);
        } catch (e) {
          out.fitError = message(e);
        }
      }
      if (spend && has(api, "fitGammaGamma")) {
        t0 = performance.now();
        try {
          out.gg = api.fitGammaGamma({ frequency: summary.frequency, monetaryValue: summary.monetaryValue });
          out.ggMs = ms(t0);
        } catch (e) {
          out.ggError = message(e);
        }
      }
      state.fit = out.fit;
      state.gg = out.gg;
      out.holdout = holdout(api, out.fit, out.gg, summary);
      return out;
    },
    /**
     * P(alive), expected purchases over `horizon`, expected spend and CLV over `clv: { months,
     * monthlyDiscountRate }` (null where not available).
     */
    predict({ horizon, clv }) {
      const { summary, fit, gg } = state;
      const t0 = performance.now();
      const out = { probAlive: null, expectedPurchases: null, expectedSpend: null, clv: null, error: null };
      try {
        if (fit && has(api, "predict")) {
          const rfm = { frequency: summary.frequency, recency: summary.recency, T: summary.T };
          Object.assign(out, api.predict(fit, rfm, { horizon }));
        }
        const value = { ...clv, unitsPerMonth: summary.unitsPerMonth };
        if (fit && has(api, "predictIntervals")) Object.assign(out, intervals(api, fit, gg, summary, horizon, value));
        if (gg && has(api, "expectedSpend")) out.expectedSpend = api.expectedSpend(gg, summary);
        if (fit && gg && !out.clv && has(api, "customerValue")) out.clv = api.customerValue(fit, gg, summary, value);
      } catch (e) {
        out.error = message(e);
      }
      out.ms = ms(t0);
      return out;
    },
    /**
     * The fitted base's value over `clv: { months, monthlyDiscountRate }` at `baseDraws(months)` draws
     * of the purchase and spend fits (`valueCustomerBase`, in `simulateEquity`'s shape), for the Monte Carlo tab.
     */
    valueBase({ clv }) {
      const { summary, fit, gg } = state;
      if (!fit || !gg) throw new Error("Fit a purchase model and the Gamma-Gamma spend model first");
      const t0 = performance.now();
      const value = { ...clv, unitsPerMonth: summary.unitsPerMonth };
      const draws = baseDraws(clv.months);
      const result = api.valueCustomerBase(fit, summary, { spendFit: gg, value, draws });
      return { result, customers: summary.customerIds.length, draws, ms: ms(t0) };
    },
    /**
     * The fitted base by segment (`valueCustomerBase` with `segmentBy`): "rfm", "cohort", "quarter"
     * (first-purchase quarters), "all", or `attribute:<name>`; `segments`: each segment's plan. At
     * most 200 parameter draws; the customers' columns are left out.
     */
    valueSegments({ clv, segmentBy, segments }) {
      const { summary, fit, gg } = state;
      if (!fit || !gg) throw new Error("Fit a purchase model and the Gamma-Gamma spend model first");
      const t0 = performance.now();
      const value = { ...clv, unitsPerMonth: summary.unitsPerMonth };
      const draws = Math.min(200, baseDraws(clv.months));
      const by =
        segmentBy === "all"
          ? null
          : segmentBy === "quarter"
            ? api.cohortSegments(summary, { period: "quarter" })
            : segmentBy.startsWith("attribute:")
              ? segmentBy.slice("attribute:".length)
              : segmentBy;
      const { customers, ...result } = api.valueCustomerBase(fit, summary, {
        spendFit: gg,
        value,
        draws,
        segmentBy: by,
        segments,
      });
      return { result, draws, months: clv.months, ms: ms(t0) };
    },
    /** `compareModels` on the summary: the three purchase models ranked, with the reason. */
    compare() {
      const t0 = performance.now();
      return { comparison: api.compareModels(state.summary), ms: ms(t0) };
    },
    /** The two diagnostic charts' data. */
    diagnostics() {
      const { summary, fit } = state;
      const t0 = performance.now();
      const actual = actualByFrequency(summary.frequency);
      const out = { frequency: { actual, expected: actual.map(() => null) }, cumulative: null };
      const errors = [];
      if (fit && has(api, "probPurchases")) {
        try {
          out.frequency.expected = expectedByFrequency(api, slim(fit), summary);
        } catch (e) {
          errors.push(`frequency chart: ${message(e)}`);
        }
      }
      try {
        out.cumulative = cumulativeSeries(api, has(api, "expectedPurchasesNew") ? slim(fit) : null, summary, state.timeUnit);
      } catch (e) {
        errors.push(`cumulative chart: ${message(e)}`);
      }
      if (out.cumulative && fit && has(api, "predictIntervals")) {
        try {
          out.cumulative.band = holdoutBand(api, fit, summary, out.cumulative);
        } catch (e) {
          errors.push(`holdout band: ${message(e)}`);
        }
      }
      out.error = errors.join("; ") || null;
      out.ms = ms(t0);
      return out;
    },
  };
}
