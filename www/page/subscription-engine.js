// The computing half of the "Subscriptions" tab, with no DOM: holds the log's bytes and its summary,
// fits sBG and BdW, compares them on a holdout and values the subscriber base, all through the wasm
// library's exports (`api`): the library is the only reader of the file (`inspectTransactions` lists
// its columns, `summarizeSubscriptionBytes` reads it). Runs in a Worker (engine-worker.js).

/** How much of the file's start is given to `inspectTransactions` for its column names. */
const INSPECT_BYTES = 1 << 16;
/** Parameter draws behind the base's value interval: the library's default. */
export const VALUE_DRAWS = 1000;

/** The first column whose name has the first of `words` that any has (ignoring case), or "". */
const guess = (columns, words) => {
  for (const word of words) {
    const found = columns.find((c) => c.toLowerCase().includes(word));
    if (found) return found;
  }
  return "";
};

/**
 * Pooled survival by tenure: Σ survivors[t] / Σ survivors[0] over the cohorts observed to t, the
 * cohorts' counts as the library returns them.
 */
export function pooledSurvival(byCohort) {
  const longest = Math.max(0, ...byCohort.map((c) => c.survivors.length));
  const out = [];
  for (let t = 0; t < longest; t++) {
    let alive = 0;
    let start = 0;
    for (const { survivors } of byCohort) {
      if (survivors.length > t) {
        alive += survivors[t];
        start += survivors[0];
      }
    }
    out.push(start > 0 ? alive / start : null);
  }
  return out;
}

/** The rows of `summary` (`tenure`, `churned`) whose plan is `plan`. */
export function planRows(summary, plan) {
  const tenure = [];
  const churned = [];
  const price = [];
  summary.plan.forEach((p, i) => {
    if (p === plan) {
      tenure.push(summary.tenure[i]);
      churned.push(summary.churned[i]);
      if (summary.price) price.push(summary.price[i]);
    }
  });
  const rows = { tenure: Float64Array.from(tenure), churned: Float64Array.from(churned) };
  return summary.price ? { ...rows, price: Float64Array.from(price) } : rows;
}

export function createSubscriptionEngine(api) {
  let bytes = null;
  let summary = null;
  let fits = null;
  return {
    /** Keeps the file. */
    load({ bytes: b }) {
      bytes = b;
      summary = null;
      fits = null;
      return true;
    },
    /** The file's columns and a guessed mapping. */
    inspect() {
      const head = new TextDecoder().decode(bytes.subarray(0, INSPECT_BYTES));
      const { columns } = api.inspectTransactions(head.slice(0, head.lastIndexOf("\n") + 1) || head);
      return {
        columns,
        customerColumn: guess(columns, ["customer", "account", "user", "id"]),
        startColumn: guess(columns, ["start", "begin", "signup", "created"]),
        endColumn: guess(columns, ["end", "cancel", "churn", "stop"]),
        planColumn: guess(columns, ["plan", "tier", "product"]),
        priceColumn: guess(columns, ["price", "mrr", "fee", "amount"]),
      };
    },
    /** Reads the log with `options`; the report and the cohorts (not the per-relationship columns). */
    summarize({ options }) {
      summary = api.summarizeSubscriptionBytes(bytes, options);
      fits = null;
      const { tenure, churned, cohort, customerIds, plan, price, ...report } = summary;
      const active = churned.reduce((n, c) => n + (c === 0 ? 1 : 0), 0);
      return { ...report, relationships: tenure.length, active, priced: price !== undefined, pooled: pooledSurvival(summary.byCohort) };
    },
    /**
     * sBG and BdW on every relationship, their comparison on the cohorts with a holdout, and with a
     * plan column both models per plan.
     */
    fit({ holdoutPeriods }) {
      const sbg = api.fitSbg(summary);
      const bdw = api.fitBdw(summary);
      let byPlan = null;
      let byPlanError = null;
      if (summary.plan) {
        try {
          byPlan = { sbg: api.fitRetentionByPlan(summary, { model: "sbg" }), bdw: api.fitRetentionByPlan(summary, { model: "bdw" }) };
        } catch (e) {
          byPlanError = String(e?.message ?? e);
        }
      }
      fits = { sbg, bdw, byPlan };
      let comparison = null;
      let comparisonError = null;
      try {
        const cohorts = summary.byCohort.map((c) => c.survivors);
        comparison = api.compareRetention({ cohorts }, holdoutPeriods > 0 ? { holdoutPeriods } : {});
      } catch (e) {
        comparisonError = String(e?.message ?? e);
      }
      return { sbg, bdw, comparison, comparisonError, byPlan, byPlanError };
    },
    /**
     * The value of the subscribers (of `plan`, or all) under fit `model` ("sbg" or "bdw"), at `margin`
     * each or at `marginRate` of each one's price.
     */
    value({ model, margin, marginRate, discountRate, plan = "" }) {
      const options = { ...(marginRate === undefined ? { margin } : { marginRate }), discountRate, draws: VALUE_DRAWS };
      if (!plan) return api.valueSubscribers(fits[model], summary, options);
      const fit = fits.byPlan?.[model].levels.find((l) => l.level === plan)?.fit;
      if (!fit) throw new Error(`plan: ${plan} has no ${model === "bdw" ? "BdW" : "sBG"} fit`);
      return api.valueSubscribers(fit, planRows(summary, plan), options);
    },
  };
}
