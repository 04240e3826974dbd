// The "Subscriptions" tab: a subscription log (dropped, picked, or the synthetic sample shipped in
// data/) is read by the library in a Worker (subscription-engine.js through engine-client.js), which
// fits the sBG and the beta-discrete-Weibull to every relationship, compares them on held-out periods
// and values the subscriber base. The tab draws the fits, the survival and retention curves (actual
// against both models, the holdout marked), the cohort heatmap, each plan's own fit and the base's
// value (all of it or one plan's) with its interval.
import { connectEngine } from "./engine-client.js";
import { createLinesChart } from "./fit-charts.js";

const $ = (id) => document.getElementById(id);
const SAMPLE_URL = "data/sample_subscriptions.csv";
/** The sample's observation end (its generator's, tests/subscriptions.rs). */
const SAMPLE_END = "2024-12-31";
const COLUMNS = ["customer", "start", "end", "plan", "price"];
const OPTIONAL = new Set(["plan", "price"]);
const message = (e) => String(e?.message ?? e);

/** The cell colour of a share surviving, from the page's accent, lighter as it falls. */
const shade = (share) => `color-mix(in srgb, var(--survival, #0891b2) ${Math.round(share * 100)}%, transparent)`;

const SYMBOLS = { alpha: "α", beta: "β", gamma: "γ", delta: "δ", c: "c" };
/** "γ 0.816 ± 0.124, δ 2.998 ± 0.431, c 1.271 ± 0.082": a fit's parameters with standard errors. */
const paramsText = (fit) =>
  Object.entries(fit.params)
    .map(([p, v]) => `${SYMBOLS[p]} ${v.toFixed(3)} ± ${fit.standardErrors[p]?.toFixed(3) ?? "—"}`)
    .join(", ");

export function createSubscriptionsTab({ api, getFormat, onMonteCarlo }) {
  const engine = connectEngine(api, "subscriptions");
  const form = $("sub-form");
  const status = $("sub-status");
  const errorBox = $("sub-error");
  const results = $("sub-results");
  const selects = Object.fromEntries(COLUMNS.map((c) => [c, $(`sub-${c}`)]));
  const survivalChart = createLinesChart($("sub-survival-chart"), {
    xLabel: "Tenure (periods)",
    yLabel: "Still subscribed",
    series: [
      { label: "Actual", color: ["--survival", "#0891b2"] },
      { label: "sBG", color: ["--low", "#f59e0b"] },
      { label: "BdW", color: ["--high", "#6366f1"] },
    ],
  });
  const retentionChart = createLinesChart($("sub-retention-chart"), {
    xLabel: "Tenure (periods)",
    yLabel: "Retention rate",
    series: [
      { label: "Actual", color: ["--survival", "#0891b2"] },
      { label: "sBG", color: ["--low", "#f59e0b"] },
      { label: "BdW", color: ["--high", "#6366f1"] },
    ],
  });
  let generation = 0;
  let read = null;
  /** The last valuation's mean margin per period (null without one). */
  let meanMargin = null;

  const fail = (e) => {
    errorBox.hidden = false;
    errorBox.textContent = message(e);
    status.textContent = "";
  };
  const clear = () => {
    errorBox.hidden = true;
    errorBox.textContent = "";
  };

  async function load(bytes, name, observationEnd = "") {
    clear();
    const mine = ++generation;
    $("sub-file-name").textContent = name;
    status.textContent = "Reading…";
    try {
      await engine.call("load", { bytes });
      const guess = await engine.call("inspect");
      if (mine !== generation) return;
      for (const c of COLUMNS) {
        const select = selects[c];
        select.replaceChildren(
          ...(OPTIONAL.has(c) ? [new Option("(none)", "")] : []),
          ...guess.columns.map((name) => new Option(name, name)),
        );
        select.value = guess[`${c}Column`] ?? "";
        select.disabled = false;
      }
      $("sub-observation-end").value = observationEnd;
      $("sub-run").disabled = false;
      await run();
    } catch (e) {
      if (mine === generation) fail(e);
    }
  }

  function options() {
    const opts = {
      customerColumn: selects.customer.value,
      startColumn: selects.start.value,
      endColumn: selects.end.value,
      planColumn: selects.plan.value || null,
      priceColumn: selects.price.value || null,
      period: $("sub-period").value,
      dateFormat: $("sub-date-format").value,
      observationEnd: $("sub-observation-end").value.trim() || null,
    };
    return opts;
  }

  async function run() {
    clear();
    const mine = ++generation;
    status.textContent = "Summarizing and fitting…";
    try {
      const t0 = performance.now();
      const summary = await engine.call("summarize", { options: options() });
      const holdoutPeriods = Math.max(0, Math.round(Number($("sub-holdout").value) || 0));
      const fitted = await engine.call("fit", { holdoutPeriods });
      if (mine !== generation) return;
      read = { summary, fitted, holdoutPeriods };
      showMarginMode();
      render();
      results.hidden = false;
      status.textContent = `Read and fitted in ${Math.round(performance.now() - t0)} ms (${engine.mode === "worker" ? "in a worker" : "on the main thread"}).`;
      await value();
    } catch (e) {
      if (mine === generation && !e.cancelled) fail(e);
    }
  }

  function render() {
    const fmt = getFormat();
    const { summary, fitted, holdoutPeriods } = read;
    const skipped = summary.skippedCount ? `, ${summary.skippedCount} rows skipped (first: line ${summary.skipped[0].line}, ${summary.skipped[0].reason})` : "";
    $("sub-report").textContent =
      `${summary.rows.toLocaleString()} rows: ${summary.relationships.toLocaleString()} subscriber relationships ` +
      `in ${summary.byCohort.length} cohorts (${summary.period}s), ${summary.active.toLocaleString()} still active ` +
      `on ${summary.observationEnd}; ${summary.overlapsMerged} overlaps merged, ${summary.lapsesJoined} lapses joined, ` +
      `${summary.resubscriptions} returns counted as new${skipped}.`;
    const byModel = Object.fromEntries((fitted.comparison?.models ?? []).map((m) => [m.model, m]));
    const rows = [
      ["sBG", fitted.sbg, "sbg"],
      ["BdW", fitted.bdw, "bdw"],
    ].map(([name, fit, key]) => {
      const tr = document.createElement("tr");
      const params = paramsText(fit);
      const error = byModel[key]?.holdoutError;
      for (const text of [name, params, fit.logLikelihood.toFixed(1), error === undefined || error === null ? "—" : `${error.toFixed(1)} %`]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      tr.dataset.model = key;
      tr.dataset.params = JSON.stringify(fit.params);
      tr.dataset.standardErrors = JSON.stringify(fit.standardErrors);
      return tr;
    });
    $("sub-params").tBodies[0].replaceChildren(...rows);
    $("sub-reason").textContent = fitted.comparison?.reason ?? `The models could not be compared on a holdout: ${fitted.comparisonError}`;
    // Curves: the pooled actual survival as far as observed, the models to twice that.
    const actual = summary.pooled;
    const n = fitted.sbg.survival.length;
    const x = Array.from({ length: n }, (_, t) => t);
    const fill = (values) => x.map((t) => values[t] ?? null);
    const observed = actual.length - 1;
    const mark = holdoutPeriods > 0 && observed > holdoutPeriods ? { x: observed - holdoutPeriods, label: "holdout →" } : null;
    $("sub-holdout-note").textContent = mark
      ? `The comparison fits the cohorts without their last ${holdoutPeriods} periods (right of the dashed line) and projects them`
      : "";
    survivalChart.update({ x, ys: [fill(actual), fitted.sbg.survival, fitted.bdw.survival], mark });
    const rates = (s) => x.map((t) => (t === 0 || s[t] === null || s[t] === undefined || !s[t - 1] ? null : s[t] / s[t - 1]));
    retentionChart.update({ x, ys: [rates(fill(actual)), rates(fitted.sbg.survival), rates(fitted.bdw.survival)], mark });
    renderHeatmap(summary.byCohort, fmt);
    renderPlans(fitted, fmt);
  }

  /** The per-plan BdW fits, the test of one fit for all, and the plans offered for valuation. */
  function renderPlans(fitted, fmt) {
    const card = $("sub-plans-card");
    const select = $("sub-value-plan");
    const chosen = select.value;
    const byPlan = fitted.byPlan?.bdw;
    card.hidden = !byPlan && !fitted.byPlanError;
    const levels = byPlan?.levels ?? [];
    $("sub-plans").tBodies[0].replaceChildren(
      ...levels.map((l) => {
        const tr = document.createElement("tr");
        const f = l.fit;
        const cells = [
          l.level || "(blank)",
          l.subscribers.toLocaleString(),
          l.active.toLocaleString(),
          f ? paramsText(f) : l.error,
          f ? fmt.percent(f.retention[0]) : "—",
          f && f.survival.length > 12 ? fmt.percent(f.survival[12]) : "—",
        ];
        for (const text of cells) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        tr.dataset.plan = l.level;
        if (f) {
          tr.dataset.params = JSON.stringify(f.params);
          tr.dataset.standardErrors = JSON.stringify(f.standardErrors);
        }
        return tr;
      }),
    );
    $("sub-plans-reason").textContent = byPlan?.reason ?? fitted.byPlanError ?? "";
    const fittedLevels = levels.filter((l) => l.fit && fitted.byPlan.sbg.levels.find((s) => s.level === l.level)?.fit);
    select.replaceChildren(new Option("All plans", ""), ...fittedLevels.map((l) => new Option(`Plan ${l.level || "(blank)"}`, l.level)));
    select.value = fittedLevels.some((l) => l.level === chosen) ? chosen : "";
  }

  /** The fit of `model` ("sbg" or "bdw") for the plan chosen in the value card, or for all. */
  function chosenFit(model) {
    const plan = $("sub-value-plan").value;
    if (!plan) return read.fitted[model];
    return read.fitted.byPlan[model].levels.find((l) => l.level === plan).fit;
  }

  function renderHeatmap(byCohort, fmt) {
    const table = $("sub-heatmap");
    const longest = Math.max(...byCohort.map((c) => c.survivors.length));
    const head = document.createElement("tr");
    for (const text of ["Cohort", "Started", ...Array.from({ length: longest - 1 }, (_, t) => String(t + 1))]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.append(th);
    }
    table.tHead.replaceChildren(head);
    table.tBodies[0].replaceChildren(
      ...byCohort.map(({ label, survivors }) => {
        const tr = document.createElement("tr");
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = label;
        const started = document.createElement("td");
        started.textContent = survivors[0].toLocaleString();
        tr.append(th, started);
        for (let t = 1; t < longest; t++) {
          const td = document.createElement("td");
          if (t < survivors.length && survivors[0] > 0) {
            const share = survivors[t] / survivors[0];
            td.textContent = fmt.percent(share);
            td.style.background = shade(share);
          }
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  async function value() {
    if (!read) return;
    const fmt = getFormat();
    const out = $("sub-value-result");
    const model = $("sub-value-model").value;
    const plan = $("sub-value-plan").value;
    try {
      const typed = Number($("sub-margin").value);
      const byPrice = $("sub-margin-mode").value === "rate";
      const v = await engine.call("value", {
        model,
        plan,
        ...(byPrice ? { marginRate: typed / 100 } : { margin: typed }),
        discountRate: Number($("sub-discount").value) / 100,
      });
      meanMargin = v.meanMargin;
      const c = v.constantRetention;
      const each = byPrice ? ` (${fmt.percent(typed / 100)} of each one's price: ${fmt.money(v.meanMargin)} a period on average)` : "";
      out.textContent =
        `${v.subscribers.toLocaleString()} active subscribers${plan ? ` on plan ${plan}` : ""}${each} are worth ${fmt.money(v.existing.estimate)} ` +
        `(90 %: ${fmt.money(v.existing.lower)} to ${fmt.money(v.existing.upper)}) under the ${model === "bdw" ? "BdW" : "sBG"}. ` +
        `A constant retention of ${fmt.percent(c.retention)} fitted to the same data says ${fmt.money(c.existing)}: ` +
        `${fmt.percent(Math.abs(c.shortfall))} ${c.shortfall >= 0 ? "less" : "more"}, the error of ignoring that subscribers differ.`;
      out.dataset.interval = JSON.stringify(v.existing);
    } catch (e) {
      meanMargin = null;
      out.textContent = message(e);
      delete out.dataset.interval;
    }
  }

  /** The margin per period the other tabs get: the one typed, or by price the valued mean. */
  const marginPerPeriod = () =>
    $("sub-margin-mode").value === "rate" ? (meanMargin === null ? "" : rounded(meanMargin)) : $("sub-margin").value;

  /** The margin field's label and the price option, for the log read. */
  function showMarginMode() {
    const priced = Boolean(read?.summary.priced);
    const mode = $("sub-margin-mode");
    mode.querySelector('[value="rate"]').disabled = !priced;
    if (!priced && mode.value === "rate") mode.value = "amount";
    $("sub-margin-label").textContent = mode.value === "rate" ? "Margin, % of each one's price" : "Margin per period";
  }

  /** Sets an input's value as if typed, so the Calculator's listeners run. */
  function type(el, value) {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /** The page's period unit set to the log's period, where the page has it. */
  function usePeriod() {
    const unit = $("period-unit");
    if ([...unit.options].some((o) => o.value === read.summary.period)) type(unit, read.summary.period);
  }

  const rounded = (x) => String(+x.toFixed(4));

  /**
   * The chosen model's fitted retention (of the chosen plan, or of all), margin and discount rate,
   * to the Calculator, then tab `tab` (the Calculator, or Scenarios, whose base it is).
   */
  function useInCalculator(tab) {
    if (!read) return;
    const model = $("sub-value-model").value;
    const { params } = chosenFit(model);
    const fields = model === "bdw" ? { gamma: "gamma", delta: "delta", "duration-c": "c" } : { alpha: "alpha", beta: "beta" };
    $(`model-${model}`).checked = true;
    for (const [id, key] of Object.entries(fields)) $(id).value = rounded(params[key]);
    usePeriod();
    $("margin").value = marginPerPeriod();
    $("discount-rate").value = $("sub-discount").value;
    type($("margin"), marginPerPeriod());
    $(tab).click();
  }

  /**
   * Monte Carlo segments of the chosen model: one per plan fitted when "All plans" is chosen and the
   * log has plans, else one; each a typical cohort of its subscribers (relationships per cohort),
   * at the margin per period (typed, or by price the valuation's mean).
   */
  function monteCarloSegments() {
    const model = $("sub-value-model").value;
    const plan = $("sub-value-plan").value;
    const cohorts = Math.max(1, read.summary.byCohort.length);
    const name = model === "bdw" ? "BdW" : "sBG";
    const segment = (label, subscribers, { params }) => ({
      name: `${label}, a cohort (${name})`,
      customers: String(Math.max(1, Math.round(subscribers / cohorts))),
      margin: marginPerPeriod(),
      model,
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, rounded(v)])),
    });
    const levels = (read.fitted.byPlan?.[model].levels ?? []).filter((l) => l.fit && (!plan || l.level === plan));
    if (levels.length === 0) return [segment("All plans", read.summary.relationships, read.fitted[model])];
    return levels.map((l) => segment(`Plan ${l.level || "(blank)"}`, l.subscribers, l.fit));
  }

  function sendToMonteCarlo() {
    if (!read || !onMonteCarlo) return;
    usePeriod();
    onMonteCarlo(monteCarloSegments(), { discountRate: $("sub-discount").value });
  }

  engine.onbusy = (busy) => ($("sub-cancel").hidden = !busy || engine.mode !== "worker");
  $("sub-cancel").addEventListener("click", () => {
    generation++;
    engine.cancel();
    status.textContent = "Cancelled. Change a setting, or load the file again, to go on.";
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  $("sub-value").addEventListener("click", () => value());
  $("sub-margin-mode").addEventListener("change", () => {
    showMarginMode();
    value();
  });
  $("sub-value-plan").addEventListener("change", () => value());
  $("sub-use-calculator").addEventListener("click", () => useInCalculator("tab-calculator"));
  $("sub-use-scenarios").addEventListener("click", () => useInCalculator("tab-scenarios"));
  $("sub-use-montecarlo").addEventListener("click", sendToMonteCarlo);
  $("sub-file").addEventListener("change", async (e) => {
    const file = e.target.files?.[0];
    if (file) load(new Uint8Array(await file.arrayBuffer()), file.name);
  });
  const drop = $("sub-drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (file) load(new Uint8Array(await file.arrayBuffer()), file.name);
  });
  $("sub-sample").addEventListener("click", async () => {
    try {
      const response = await fetch(SAMPLE_URL);
      if (!response.ok) throw new Error(`The sample could not be loaded (HTTP ${response.status}).`);
      load(new Uint8Array(await response.arrayBuffer()), "sample_subscriptions.csv", SAMPLE_END);
    } catch (e) {
      fail(e);
    }
  });
  return { refresh: () => read && (render(), value()) };
}
