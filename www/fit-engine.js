// The computing half of the "Fit your data" tab, with no DOM: holds the file's bytes and its summary,
// fits the models, predicts per customer and builds the diagnostics, all through the wasm library's
// exports (`api`). It runs in a Worker (fit-worker.js) so that large files never freeze the page, or on
// the main thread where a module Worker cannot start. Results are plain objects and typed arrays.

/** Time units per month, for `customerValue`: lifetimes' `customer_lifetime_value` factors (4.345 weeks, 30 days). */
export const UNITS_PER_MONTH = { day: 30, week: 4.345, month: 1 };
const UNIT_DAYS = { day: 1, week: 7, month: 365.25 / 12 };
/** The frequency chart's last bar counts this many repeat purchases or more. */
export const LAST_BAR = 7;

const has = (api, name) => typeof api[name] === "function";
const ms = (t0) => performance.now() - t0;
const message = (e) => String(e?.message ?? e);

/** Splits one CSV record on `delimiter`, honouring double quotes. */
export function splitRecord(line, delimiter) {
  const out = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) out.push(field), (field = "");
    else field += c;
  }
  out.push(field);
  return out;
}

// ---- dates ----

export const dayOf = (iso) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 864e5 : NaN;
};
export const isoOf = (day) => new Date(day * 864e5).toISOString().slice(0, 10);

/** A parser from a date field to days since 1970, for a resolved `dateFormat` label. */
function dateParser(format) {
  const utc = (y, m, d) => {
    const t = Date.UTC(y, m - 1, d);
    const back = new Date(t);
    return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? t / 864e5 : NaN;
  };
  const patterns = {
    "YYYY-MM-DD": [/^(\d{4})-(\d{1,2})-(\d{1,2})/, (m) => utc(+m[1], +m[2], +m[3])],
    YYYYMMDD: [/^(\d{4})(\d{2})(\d{2})$/, (m) => utc(+m[1], +m[2], +m[3])],
    "MM/DD/YYYY": [/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/, (m) => utc(+m[3], +m[1], +m[2])],
    "DD/MM/YYYY": [/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/, (m) => utc(+m[3], +m[2], +m[1])],
  };
  const [re, make] = patterns[format] ?? patterns["YYYY-MM-DD"];
  return (text) => {
    const m = re.exec(text.trim());
    return m ? make(m) : NaN;
  };
}

/**
 * Repeat transactions per day offset from `firstDay`, for the customers of the summary, read from the
 * file (same-day purchases merged, as the summary does): the "actual" line of the cumulative chart.
 */
function repeatDays(bytes, { customerColumn, dateColumn, delimiter, format }, summary, firstDay, lastDay) {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  const columns = splitRecord(lines[0], delimiter).map((c) => c.trim());
  const ci = columns.indexOf(customerColumn);
  const di = columns.indexOf(dateColumn);
  const parse = dateParser(format);
  const index = new Map(summary.customerIds.map((id, i) => [id, i]));
  const days = summary.customerIds.map(() => new Set());
  const simple = !text.includes('"');
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line === "") continue;
    const fields = simple ? line.split(delimiter) : splitRecord(line, delimiter);
    const i = index.get((fields[ci] ?? "").trim());
    if (i === undefined) continue;
    const day = parse(fields[di] ?? "");
    if (day >= firstDay && day <= lastDay) days[i].add(day);
  }
  const counts = new Float64Array(lastDay - firstDay + 1);
  for (const set of days) {
    if (set.size < 2) continue;
    const first = Math.min(...set);
    for (const d of set) if (d !== first) counts[d - firstDay] += 1;
  }
  return counts;
}

// ---- predictions for the diagnostics ----

/** Customers grouped by equal `values`: `[[value, count], …]`. */
export function groups(values, round = (v) => v) {
  const map = new Map();
  for (const v of values) {
    const key = round(v);
    map.set(key, (map.get(key) ?? 0) + 1);
  }
  return [...map];
}

/** Expected numbers of customers with 0 … LAST_BAR−1 and LAST_BAR+ repeat purchases over their own T. */
function expectedByFrequency(api, fit, T) {
  const expected = new Array(LAST_BAR + 1).fill(0);
  for (const [t, n] of groups(T)) {
    let total = 0;
    for (let x = 0; x < LAST_BAR; x++) {
      const p = api.probPurchases(fit, t, x);
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

/**
 * The cumulative chart's data: time points in units since the first purchase, actual cumulative repeat
 * transactions (from the file; cached on `state`) and expected ones, Σ_i E[X(t − t0_i)] with
 * t0_i = calibration end − T_i (null without a fit).
 */
function cumulativeSeries(api, fit, state, { report, timeUnit, columns }) {
  const { summary } = state;
  const unitDays = UNIT_DAYS[timeUnit];
  const firstDay = dayOf(report.firstDate);
  const calDay = dayOf(report.calibrationEnd);
  const endDay = dayOf(report.observationEnd);
  const span = (endDay - firstDay) / unitDays;
  const step = Math.max(1, Math.ceil(span / 160));
  const t = [];
  for (let k = 0; k * step <= span + 1e-9; k++) t.push(k * step);
  if (t[t.length - 1] < span) t.push(span);
  const calibration = (calDay - firstDay) / unitDays;
  let expected = t.map(() => null);
  if (fit) {
    // Customers grouped by first-purchase time t0 (units since firstDay): exact days when there are
    // few of them, else binned at half a step.
    let t0 = groups(summary.T.map((T) => calibration - T));
    if (t0.length > 400)
      t0 = groups(
        t0.flatMap(([v, n]) => new Array(n).fill(v)),
        (v) => Math.round(v / (step / 2)) * (step / 2),
      );
    // Grid times minus first-purchase days repeat a lot: one call a distinct elapsed time.
    const memo = new Map();
    const expectedNew = (dt) => {
      const key = Math.round(dt * 1e6);
      if (!memo.has(key)) memo.set(key, api.expectedPurchasesNew(fit, dt));
      return memo.get(key);
    };
    expected = t.map((tk) => {
      let sum = 0;
      for (const [start, n] of t0) if (tk > start) sum += n * expectedNew(tk - start);
      return sum;
    });
  }
  if (!state.actualCumulative) {
    const counts = repeatDays(state.bytes, columns, summary, firstDay, endDay);
    const cumulative = new Float64Array(counts.length);
    counts.reduce((acc, c, i) => (cumulative[i] = acc + c), 0);
    // The summary's own calibration count checks the file read here (a mismatch hides the line).
    const inCalibration = cumulative[Math.min(calDay - firstDay, cumulative.length - 1)];
    const repeats = summary.frequency.reduce((a, b) => a + b, 0);
    state.actualCumulative = Math.abs(inCalibration - repeats) < 0.5 ? cumulative : "mismatch";
  }
  const cumulative = state.actualCumulative;
  const actual = t.map((tk) =>
    cumulative === "mismatch" ? null : cumulative[Math.min(cumulative.length - 1, Math.floor(tk * unitDays + 1e-9))],
  );
  return { t, actual, expected, calibrationEnd: calibration, unit: timeUnit };
}

/**
 * The engine: `summarize({ bytes?, options })` (bytes kept for the next calls), `fit({ fitName, spend })`,
 * `predict({ horizon, clv })` and `diagnostics({ report, timeUnit, columns })`, each on the last summary.
 */
export function createFitEngine(api) {
  const state = { bytes: null, summary: null, fit: null, gg: null, actualCumulative: null };
  const slim = (fit) => fit && { model: fit.model, params: fit.params };
  return {
    summarize({ bytes, options }) {
      if (bytes) state.bytes = bytes;
      const t0 = performance.now();
      const summary = api.summarizeTransactionBytes(state.bytes, options);
      Object.assign(state, { summary, fit: null, gg: null, actualCumulative: null });
      return { summary, ms: ms(t0) };
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
      return out;
    },
    /** P(alive), expected purchases over `horizon`, expected spend and CLV (null where not available). */
    predict({ horizon, clv }) {
      const { summary, fit, gg } = state;
      const t0 = performance.now();
      const out = { probAlive: null, expectedPurchases: null, expectedSpend: null, clv: null, error: null };
      try {
        if (fit && has(api, "predict")) {
          const rfm = { frequency: summary.frequency, recency: summary.recency, T: summary.T };
          Object.assign(out, api.predict(fit, rfm, { horizon }));
        }
        if (gg && has(api, "expectedSpend")) out.expectedSpend = api.expectedSpend(gg, summary);
        if (fit && gg && has(api, "customerValue")) out.clv = api.customerValue(fit, gg, summary, clv);
      } catch (e) {
        out.error = message(e);
      }
      out.ms = ms(t0);
      return out;
    },
    /** The two diagnostic charts' data. */
    diagnostics(context) {
      const { summary, fit } = state;
      const t0 = performance.now();
      const actual = actualByFrequency(summary.frequency);
      const out = { frequency: { actual, expected: actual.map(() => null) }, cumulative: null };
      const errors = [];
      if (fit && has(api, "probPurchases")) {
        try {
          out.frequency.expected = expectedByFrequency(api, slim(fit), summary.T);
        } catch (e) {
          errors.push(`frequency chart: ${message(e)}`);
        }
      }
      try {
        out.cumulative = cumulativeSeries(api, has(api, "expectedPurchasesNew") ? slim(fit) : null, state, context);
      } catch (e) {
        errors.push(`cumulative chart: ${message(e)}`);
      }
      out.error = errors.join("; ") || null;
      out.ms = ms(t0);
      return out;
    },
  };
}
