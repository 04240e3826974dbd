// The "Fit your data" tab: a transaction CSV (dropped, picked, or the CDNOW sample shipped in data/) is
// summarised by the wasm library (`summarizeTransactionBytes`), a purchase model (BG/NBD, Pareto/NBD,
// MBG/NBD) and the Gamma-Gamma spend model are fitted to the calibration period, and the page shows the
// parameters, the lifetimes / BTYD diagnostic plots, a sortable table of per-customer predictions (with a
// CSV download) and an sBG fit of a pasted cohort table that can be sent to the Calculator and Monte
// Carlo tabs. The file never leaves the tab. The summary, fits, predictions and diagnostics run in a
// Worker (engine-worker.js around fit-engine.js; on this thread if no Worker starts), so a file of a million
// rows never freezes the page; a newer request drops the results of an older one. Model exports are
// feature-detected, so the tab works with whatever the loaded package provides and says what is missing.
import { showError, clearErrors } from "../helpers/form.js";
import { createFrequencyChart, createCumulativeChart } from "./fit-charts.js";
import { baseDraws, LAST_BAR, TABLE_DRAWS } from "./fit-engine.js";
import { connectEngine } from "./engine-client.js";
import { createBaseView } from "./customer-base.js";

const $ = (id) => document.getElementById(id);

const PURCHASE_MODELS = {
  bgnbd: {
    name: "BG/NBD",
    fit: "fitBgNbd",
    cite: "Fader, Hardie & Lee (2005)",
    params: { r: "r", alpha: "α", a: "a", b: "b" },
  },
  paretonbd: {
    name: "Pareto/NBD",
    fit: "fitParetoNbd",
    cite: "Schmittlein, Morrison & Colombo (1987)",
    params: { r: "r", alpha: "α", s: "s", beta: "β" },
  },
  mbgnbd: {
    name: "MBG/NBD",
    fit: "fitModifiedBgNbd",
    cite: "Batislam, Denizel & Filiztekin (2007)",
    params: { r: "r", alpha: "α", a: "a", b: "b" },
  },
};
const GG_PARAMS = { p: "p", q: "q", gamma: "γ" };
const SAMPLE_URL = "data/cdnow_sample_transactions.csv";
const SAMPLE_CALIBRATION_END = "1997-09-30";
const UNIT_NAMES = { day: ["day", "days", "d"], week: ["week", "weeks", "wk"], month: ["month", "months", "mo"] };
const DEFAULT_HORIZON = { day: 365, week: 52, month: 12 };
const PAGE_SIZE = 50;
/** Customers shown in the mapping step's preview. */
const PREVIEW_CUSTOMERS = 5;
const OPTION_LABELS = {
  customerColumn: "Customer id column",
  dateColumn: "Date column",
  valueColumn: "Value column",
  dateFormat: "Date format",
  decimal: "Decimal separator",
  orderColumn: "Order column",
  statusColumn: "Status column",
  refundColumn: "Refund column",
  currencyColumn: "Currency column",
  refunds: "Refunds",
  negatives: "Negative values",
  utcOffset: "Shop's UTC offset",
  calibrationEnd: "Calibration end",
  timeUnit: "Time unit",
  survivors: "Survivors",
  csvText: "File",
  bytes: "File",
};

const has = (api, name) => typeof api[name] === "function";
const ms = (t0) => performance.now() - t0;
const MINUS = "\u2212";

/** An estimate for display: 3 decimals (so 0.243, 4.414), more significant digits when tiny. */
/** How a fit stopped, for the "Converged" cell: a fit that did not converge is an error instead. */
const STOPPED = { gradientSmall: "Yes (gradient zero)", precisionLimit: "Yes (at machine precision)" };
const stopped = (fit) => `${STOPPED[fit.termination] ?? fit.termination}, ${fit.iterations} iterations`;

function estimate(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const text =
    Math.abs(x) >= 0.01 || x === 0
      ? x.toLocaleString("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 })
      : x.toPrecision(3);
  return text.replace("-", MINUS);
}
const fixed = (x, digits) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? "—"
    : x.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace("-", MINUS);

// ---- the tab ----

/**
 * Wires the tab. `api`: the wasm module's exports; `getFormat()`: the page's number formats (currency).
 * Returns `{ refresh }` for currency changes.
 */
export function createFitTab({ api, getFormat, onValueBase = () => {} }) {
  const form = $("fit-form");
  const formError = $("fit-error");
  const status = $("fit-status");
  const results = $("fit-results");
  const freqChart = createFrequencyChart($("fit-freq-chart"), LAST_BAR);
  const cumChart = createCumulativeChart($("fit-cum-chart"));
  const selects = { customer: $("fit-customer"), date: $("fit-date"), value: $("fit-value") };
  /** The optional columns of a shop's export: a recognised export presets them; "(none)" otherwise. */
  const orderSelects = {
  orderColumn: $("fit-order"),
  statusColumn: $("fit-status-column"),
  refundColumn: $("fit-refund"),
  currencyColumn: $("fit-currency"),
};
  const mappingNote = $("fit-mapping-note");
  let state = null; // { name, summary, calibrationEnd, timeUnit, hasValue, fit, gg, cancelled }
  let table = { rows: [], key: null, dir: 1, page: 0 };
  let timer = null;
  let generation = 0;
  const engine = connectEngine(api, "fit");

  const label = (path) => OPTION_LABELS[path] ?? path;
  // The library names the options' fields as the form's fields are named, and the file as `bytes`.
  const fail = (error) => showError(form, formError, error, label);

  // ---- loading ----

  async function loadFile(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    load(bytes, file.name);
  }

  /**
   * Reads a new file: the library proposes the mapping from its start, the form shows it, then the
   * summary follows. `calibrationEnd` presets the split (blank: the library's suggestion, the last third
   * of the span as holdout).
   */
  async function load(bytes, name, calibrationEnd = "") {
    const run = ++generation;
    clearErrors(form, formError);
    // A new file's results replace the last file's: nothing of that one stays on screen.
    results.hidden = true;
    mappingNote.hidden = true;
    for (const id of ["fit-preview", "fit-evidence", "fit-statuses", "fit-run"]) $(id).hidden = true;
    delete form.dataset.held;
    delete form.dataset.file;
    status.textContent = "Reading the file…";
    // The last file's columns are no choice for this one.
    for (const el of [...Object.values(selects), ...Object.values(orderSelects)]) {
      el.replaceChildren();
      el.disabled = true;
    }
    $("fit-file-name").textContent =
      `${name} · ${(bytes.length / 1024).toLocaleString(undefined, { maximumFractionDigits: 0 })} KB`;
    state = null;
    let guess;
    try {
      await engine.call("load", { bytes });
      guess = await engine.call("inspect");
      if (guess.columns.length < 2)
        throw new Error("The file has no header line with at least two columns (a customer id and a date).");
    } catch (e) {
      if (!current(run)) return;
      status.textContent = "";
      fail(e);
      return;
    }
    if (!current(run)) return;
    const { columns } = guess;
    const picked = {
      customer: guess.customerColumn ?? columns[0],
      date: guess.dateColumn ?? columns.find((c) => c !== guess.customerColumn),
      value: guess.valueColumn ?? "",
    };
    for (const [key, el] of Object.entries(selects)) {
      el.replaceChildren();
      if (key === "value") el.append(new Option("(none)", ""));
      for (const c of columns) el.append(new Option(c || "(blank)", c));
      el.value = picked[key];
      el.disabled = false;
    }
    for (const [key, el] of Object.entries(orderSelects)) {
      el.replaceChildren(new Option("(none)", ""), ...columns.map((c) => new Option(c || "(blank)", c)));
      // The status column is also found by its values in a file of no known export.
      el.value = (key === "statusColumn" ? guess.statusColumn : guess.export?.[key]) ?? "";
      el.disabled = false;
    }
    $("fit-date-format").value = guess.dateFormat ?? "auto";
    $("fit-decimal").value = guess.decimal ?? "auto";
    $("fit-refunds").value = "reduce";
    $("fit-negatives").value = "net";
    showMapping(guess);
    $("fit-calibration-end").value = calibrationEnd;
    // The form now shows this file's mapping (what a test waits for before typing into it).
    form.dataset.file = name;
    // `confirmed`: the user asked for the fit, so nothing waits for them any more.
    // `excludeStatuses`: the platform's, where they differ from the defaults (Magento's closed orders).
    state = { name, export: guess.export, guess, confirmed: false, excludeStatuses: guess.export?.excludeStatuses };
    analyze();
  }

  /** The library's confidence in the customer column and its notes, where it is not sure or it knows the export. */
  function showMapping(guess) {
    const sure = guess.confidence === "high" && guess.notes.length <= 1 && !guess.export;
    mappingNote.hidden = sure;
    mappingNote.dataset.confidence = guess.confidence;
    mappingNote.dataset.export = guess.export?.name ?? "";
    const words = guess.export
      ? "Recognised"
      : ({ medium: "Check the mapping", low: "The customer column is a guess" }[guess.confidence] ?? "Mapping");
    mappingNote.textContent = `${words}: ${guess.notes.join("; ")}.`;
    const pct = (x) => `${Math.round(100 * x)} %`;
    $("fit-evidence").hidden = guess.evidence.length === 0;
    $("fit-evidence-table").tBodies[0].replaceChildren(
      ...guess.evidence.map((e) => {
        const tr = document.createElement("tr");
        tr.dataset.column = e.column;
        for (const text of [e.column || "(blank)", e.values, e.distinct, e.onSeveralDates, pct(e.dates), pct(e.amounts)]) {
          const td = document.createElement("td");
          td.textContent = typeof text === "number" ? text.toLocaleString() : text;
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  // ---- summary ----

  function options() {
    const value = selects.value.value;
    const calibrationEnd = $("fit-calibration-end").value;
    return {
      customerColumn: selects.customer.value,
      dateColumn: selects.date.value,
      ...(value ? { valueColumn: value } : {}),
      dateFormat: $("fit-date-format").value,
      decimal: $("fit-decimal").value,
      ...($("fit-utc-offset").value.trim() ? { utcOffset: $("fit-utc-offset").value.trim() } : {}),
      // The order, status and refund columns chosen (a recognised export's, to begin with).
      ...Object.fromEntries(Object.entries(orderSelects).map(([key, el]) => [key, el.value]).filter(([, v]) => v)),
      ...(state?.excludeStatuses ? { excludeStatuses: state.excludeStatuses } : {}),
      refunds: $("fit-refunds").value,
      negatives: $("fit-negatives").value,
      ...(calibrationEnd ? { calibrationEnd } : {}),
      timeUnit: $("fit-time-unit").value,
    };
  }

  /** A stale result (a newer run started) is dropped by every step after an await. */
  const current = (run) => run === generation;

  async function analyze() {
    if (!state) return;
    // A typed calibration end waiting for a pause is read now: no second run after this one.
    clearTimeout(timer);
    const run = ++generation;
    clearErrors(form, formError);
    // The engine's summary replaces its fits: nothing to value until they are fitted again.
    Object.assign(state, { fit: null, gg: null });
    $("fit-value-base").disabled = true;
    baseView.reset();
    const opts = options();
    status.textContent = "Summarising the file…";
    let summary;
    let check;
    let took;
    try {
      ({ summary, check, ms: took } = await engine.call("summarize", { options: opts }));
    } catch (e) {
      if (!current(run)) return;
      fail(e);
      results.classList.add("stale");
      $("fit-preview").hidden = true;
      status.textContent = "";
      return;
    }
    if (!current(run)) return;
    state.cancelled = false;
    if (summary.customerIds.length === 0) {
      fail(new Error("No customer has a usable purchase on or before the calibration end."));
      results.classList.add("stale");
      return;
    }
    const { calibrationEnd, firstDate, lastDate } = summary;
    Object.assign(state, { summary, calibrationEnd, timeUnit: opts.timeUnit, hasValue: Boolean(opts.valueColumn) });
    $("fit-calibration-end").value = calibrationEnd;
    $("fit-calibration-end").min = firstDate;
    $("fit-calibration-end").max = lastDate;
    // Non-breaking hyphens keep each date on one line.
    const nb = (iso) => iso.replaceAll("-", "\u2011");
    $("fit-calibration-hint").textContent =
      `Data ${nb(firstDate)} to ${nb(lastDate)}; later purchases are the holdout.`;
    results.hidden = false;
    renderPreview(summary);
    renderSummary(summary);
    renderFindings(check);
    // A comparison belongs to the summary it was made on.
    $("fit-compare-table").hidden = true;
    $("fit-compare-reason").textContent = "";
    delete $("fit-compare-card").dataset.best;
    const reasons = state.confirmed ? [] : doubts(summary);
    hold(reasons.length > 0);
    if (state.held) {
      status.textContent = `Not fitted yet: ${reasons.join("; ")}. Check the columns and the first customers, change what is wrong, then fit the models.`;
      return;
    }
    fitModels({ summary: took });
  }

  /** Holds the fit for the user's check (the fitted cards hidden, a button to go on), or lets it run. */
  function hold(held) {
    state.held = held;
    form.dataset.held = String(held);
    $("fit-run").hidden = !held;
    $("fit-fitted").hidden = held;
  }

  /**
   * What the user should settle before anything is fitted, in words: the library's doubts about the
   * mapping that no choice of the user's has answered yet, and statuses the library does not know.
   * A file with none is fitted at once.
   */
  function doubts(summary) {
    const { guess } = state;
    const unknown = summary.statuses.filter((c) => c.unknown).map((c) => c.status);
    return [
      guess.confidence !== "high" &&
        selects.customer.value === guess.customerColumn &&
        `the customer column (${guess.customerColumn}) is a guess: no column clearly holds customers who come back`,
      guess.dateColumn && !guess.dateFormat && $("fit-date-format").value === "auto" && "the date format is a guess",
      guess.valueColumn &&
        !guess.decimal &&
        selects.value.value === guess.valueColumn &&
        $("fit-decimal").value === "auto" &&
        "the decimal separator is a guess",
      unknown.length > 0 &&
        !state.statusesChosen &&
        `the statuses ${unknown.join(", ")} are not ones clvlab knows (counted as purchases; untick or tick them under Statuses)`,
    ].filter(Boolean);
  }

  /**
   * The first customers of the file as the summary has them, before any fit: a mapping that is off
   * shows here (every customer buying once, ages of a few days, values of 0).
   */
  function renderPreview(s) {
    const unit = UNIT_NAMES[state.timeUnit][1];
    const span = (x) => `${fixed(x, 1)} ${unit}`;
    const rows = s.customerIds.slice(0, PREVIEW_CUSTOMERS).map((id, i) => {
      const tr = document.createElement("tr");
      const cells = [
        id,
        (s.frequency[i] + 1).toLocaleString(),
        s.frequency[i] > 0 ? span(s.recency[i]) : "one purchase",
        span(s.T[i]),
        !state.hasValue ? "no value column" : s.frequency[i] > 0 ? fixed(s.monetaryValue[i], 2) : "—",
      ];
      for (const text of cells) tr.append(Object.assign(document.createElement("td"), { textContent: text }));
      return tr;
    });
    $("fit-preview-table").tBodies[0].replaceChildren(...rows);
    $("fit-preview").hidden = rows.length === 0;
  }

  function renderSummary(s) {
    const n = s.customerIds.length;
    let transactions = 0;
    let holdout = 0;
    let repeaters = 0;
    for (let i = 0; i < n; i++) {
      transactions += s.frequency[i] + 1;
      holdout += s.holdoutFrequency[i];
      if (s.frequency[i] > 0) repeaters += 1;
    }
    $("fit-customers").textContent = n.toLocaleString();
    $("fit-customers-sub").textContent =
      s.excludedCustomers > 0
        ? `${s.excludedCustomers.toLocaleString()} first bought after calibration (left out)`
        : "first purchase in calibration";
    $("fit-transactions").textContent = transactions.toLocaleString();
    const left = [
      s.lineItemsMerged > 0 && `${s.lineItemsMerged.toLocaleString()} line items merged into their orders`,
      s.excludedByStatus > 0 &&
        `${s.excludedByStatus.toLocaleString()} left out by status (${s.statuses
          .filter((c) => c.excluded)
          .map((c) => `${c.status} ${c.rows.toLocaleString()}`)
          .join(", ")})`,
      s.refundsDeducted > 0 && `${s.refundsDeducted.toLocaleString()} refunds deducted`,
      s.refundRowsNetted > 0 && `${s.refundRowsNetted.toLocaleString()} refund rows netted against their purchases`,
      s.refundedRemoved > 0 && `${s.refundedRemoved.toLocaleString()} refunded purchases left out`,
    ].filter(Boolean);
    $("fit-transactions-sub").textContent =
      `in calibration (same-day merged); ${holdout.toLocaleString()} in holdout; ${s.rows.toLocaleString()} rows read` +
      (left.length ? `; ${left.join("; ")}` : "");
    $("fit-repeaters").textContent = repeaters.toLocaleString();
    $("fit-repeaters-sub").textContent =
      `${((100 * repeaters) / n).toLocaleString(undefined, { maximumFractionDigits: 1 })}% bought again in calibration`;
    renderStatuses(s.statuses);
    $("fit-skipped").textContent = s.skippedCount.toLocaleString();
    const reasons = new Map();
    for (const r of s.skipped) {
      const reason = r.reason.replace(/\s*\(.*\)$/, "").replace(/ "[^"]*"/g, "");
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    $("fit-skipped-sub").textContent =
      s.skippedCount === 0 ? "every row was usable" : [...reasons].map(([r, k]) => `${k}× ${r}`).join("; ");
    $("fit-skipped").classList.toggle("negative", s.skippedCount > 0);
    const details = $("fit-skipped-details");
    details.hidden = s.skippedCount === 0;
    const list = $("fit-skipped-list");
    list.replaceChildren(
      ...s.skipped.map((r) => {
        const li = document.createElement("li");
        li.textContent = `Line ${r.line}: ${r.reason}`;
        return li;
      }),
    );
    if (s.skippedCount > s.skipped.length) {
      const li = document.createElement("li");
      li.textContent = `… and ${(s.skippedCount - s.skipped.length).toLocaleString()} more`;
      list.append(li);
    }
  }

  /**
   * The statuses of a status column, ticked where their rows were left out; unknown ones (neither
   * money received nor left out by default) are flagged for the user to decide.
   */
  function renderStatuses(statuses) {
    const details = $("fit-statuses");
    details.hidden = statuses.length === 0;
    const unknown = statuses.filter((c) => c.unknown);
    $("fit-statuses-summary").textContent =
      `Statuses: ${statuses.filter((c) => c.excluded).length} of ${statuses.length} left out` +
      (unknown.length ? `; ${unknown.map((c) => c.status).join(", ")} counted as purchases, but not a status clvlab knows: check` : "");
    details.dataset.unknown = unknown.map((c) => c.status).join(",");
    if (unknown.length) details.open = true;
    $("fit-statuses-list").replaceChildren(
      ...statuses.map((c) => {
        const li = document.createElement("li");
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = c.excluded;
        box.value = c.status;
        box.addEventListener("change", () => {
          state.excludeStatuses = [...$("fit-statuses-list").querySelectorAll("input:checked")].map((el) => el.value);
          state.statusesChosen = true;
          analyze();
        });
        label.append(box, ` ${c.status} (${c.rows.toLocaleString()} rows)${c.unknown ? " — unknown" : ""}`);
        li.append(label);
        return li;
      }),
    );
  }

  /** `checkFitData`'s findings, problems first, each with its code for styling and tests. */
  function renderFindings(check) {
    const findings = check?.findings ?? [];
    $("fit-findings").hidden = findings.length === 0;
    const order = { problem: 0, warning: 1 };
    $("fit-findings-list").replaceChildren(
      ...[...findings]
        .sort((a, b) => order[a.severity] - order[b.severity])
        .map((f) => {
          const li = document.createElement("li");
          li.className = f.severity;
          li.dataset.code = f.code;
          const tag = document.createElement("strong");
          tag.textContent = f.severity === "problem" ? "Problem: " : "Warning: ";
          li.append(tag, f.message);
          return li;
        }),
    );
  }

  // ---- fitting ----

  /** Fits the chosen models to the summary, then predicts and draws the diagnostics. */
  async function fitModels(timings = {}) {
    const run = ++generation;
    // Set again when this fit's charts are drawn.
    delete results.dataset.diagnosticsMs;
    const kind = form.elements.fitModel.value;
    const spec = PURCHASE_MODELS[kind];
    const wantSpend = $("fit-gg").checked;
    status.textContent = `Fitting ${spec.name}…`;
    let out;
    try {
      out = await engine.call("fit", { fitName: spec.fit, spend: wantSpend && state.hasValue });
    } catch (e) {
      if (current(run)) fail(e);
      return;
    }
    if (!current(run)) return;
    state.fit = out.fit;
    state.gg = out.gg;
    $("fit-value-base").disabled = !canValueBase();
    baseView.reset();
    timings.fit = out.fitMs ?? undefined;
    timings.gg = out.ggMs ?? undefined;
    $("fit-model-name").textContent = spec.name;
    $("fit-model-note").textContent = spec.cite;
    if (!has(api, spec.fit)) {
      $("fit-model-note").textContent = `Not in this build yet: the package has no ${spec.fit}.`;
      $("fit-params-card").dataset.missing = spec.fit;
    } else {
      delete $("fit-params-card").dataset.missing;
    }
    if (out.fitError) fail(out.fitError);
    renderParams($("fit-params"), out.fit, spec.params);
    $("fit-ll").textContent = out.fit ? fixed(out.fit.logLikelihood, 2) : "—";
    $("fit-converged").textContent = out.fit ? stopped(out.fit) : "—";
    $("fit-time").textContent = timings.fit === undefined ? "—" : `${fixed(timings.fit, 1)} ms`;
    renderSpend(wantSpend, out);
    renderHoldout(out.holdout);
    results.classList.remove("stale");
    await predict(run, timings);
    if (!current(run)) return;
    showTimes(timings, spec);
    results.dataset.model = kind;
    results.dataset.calibrationEnd = state.calibrationEnd;
    let diagnostics;
    try {
      diagnostics = await engine.call("diagnostics");
    } catch (e) {
      if (current(run)) status.textContent += ` · charts: ${e.message ?? e}`;
      return;
    }
    if (!current(run)) return;
    freqChart.update(diagnostics.frequency);
    if (diagnostics.cumulative) cumChart.update(diagnostics.cumulative);
    if (diagnostics.error) status.textContent += ` · ${diagnostics.error}`;
    results.dataset.diagnosticsMs = diagnostics.ms.toFixed(1);
  }

  function renderSpend(wanted, { gg, ggError }) {
    const card = $("fit-gg-card");
    card.hidden = !wanted;
    if (!wanted) return;
    delete card.dataset.missing;
    if (!state.hasValue) {
      $("fit-gg-note").textContent = "Pick a value column to fit spend.";
    } else if (!has(api, "fitGammaGamma")) {
      $("fit-gg-note").textContent = "Not in this build yet: the package has no fitGammaGamma.";
      card.dataset.missing = "fitGammaGamma";
    } else if (ggError) {
      $("fit-gg-note").textContent = ggError;
    } else {
      $("fit-gg-note").textContent =
        `Fitted on the ${gg.included?.toLocaleString() ?? ""} customers with repeat purchases and positive spend`;
    }
    renderParams($("fit-gg-params"), gg, GG_PARAMS);
    $("fit-gg-ll").textContent = gg ? fixed(gg.logLikelihood, 2) : "—";
    $("fit-gg-converged").textContent = gg ? stopped(gg) : "—";
    // Population mean spend per transaction: p·γ/(q − 1) when q > 1.
    const mean = gg && gg.params.q > 1 ? (gg.params.p * gg.params.gamma) / (gg.params.q - 1) : null;
    $("fit-gg-mean").textContent = mean === null ? "—" : getFormat().money(mean);
  }

  const HOLDOUT_CELLS = ["mae", "rmse", "bias", "total", "coverage", "spend", "revenue"].map((k) => `fit-holdout-${k}`);

  /** The holdout scorecard of the fit (null: no holdout period, or no fit). */
  function renderHoldout(card) {
    const note = $("fit-holdout-note");
    const body = $("fit-holdout-table").tBodies[0];
    const set = (id, text) => ($(id).textContent = text);
    if (!card || card.error) {
      note.textContent = card?.error ?? "No holdout period: set the calibration end before the last purchase.";
      for (const id of HOLDOUT_CELLS) set(id, "—");
      body.replaceChildren();
      return;
    }
    note.textContent = `Purchases over the ${fixed(card.horizon, 0)} ${unitsLabel()} after calibration: actual against the fit's expectation`;
    set("fit-holdout-mae", fixed(card.mae, 3));
    set("fit-holdout-rmse", fixed(card.rmse, 3));
    set("fit-holdout-bias", fixed(card.bias, 3));
    const check = card.intervals;
    const range = check ? ` (90%: ${fixed(check.total.lower, 0)}–${fixed(check.total.upper, 0)})` : "";
    set("fit-holdout-total", `${fixed(card.total.actual, 0)} / ${fixed(card.total.predicted, 0)}${range}`);
    set("fit-holdout-coverage", check ? getFormat().percent(check.coverage) : "—");
    const money = getFormat().money;
    set("fit-holdout-spend", card.spend ? money(card.spend.mae) : "—");
    set(
      "fit-holdout-revenue",
      card.spend ? `${money(card.spend.revenue.actual)} / ${money(card.spend.revenue.predicted)}` : "—",
    );
    body.replaceChildren(
      ...card.byFrequency.map((row) => {
        const tr = document.createElement("tr");
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = row.label;
        tr.append(th);
        for (const text of [row.customers.toLocaleString(), fixed(row.actual, 2), fixed(row.predicted, 2)]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  /** Fits the three models in the engine and shows their ranking; a model's name selects it. */
  async function compareModels() {
    const run = generation;
    const reason = $("fit-compare-reason");
    reason.textContent = "Fitting BG/NBD, Pareto/NBD and MBG/NBD…";
    let out;
    try {
      out = await engine.call("compare");
    } catch (e) {
      if (current(run)) reason.textContent = String(e?.message ?? e);
      return;
    }
    if (!current(run)) return;
    const { comparison } = out;
    const table = $("fit-compare-table");
    table.hidden = false;
    table.tBodies[0].replaceChildren(
      ...comparison.models.map((m) => {
        const tr = document.createElement("tr");
        tr.dataset.model = m.model;
        const rank = document.createElement("td");
        rank.textContent = m.rank ?? "—";
        const th = document.createElement("th");
        th.scope = "row";
        const pick = document.createElement("button");
        pick.type = "button";
        pick.className = "link";
        pick.textContent = m.name;
        pick.title = `Fit ${m.name}`;
        pick.addEventListener("click", () => $(`fit-model-${m.model}`).click());
        th.append(pick);
        tr.append(rank, th);
        for (const text of [
          m.fit ? fixed(m.fit.logLikelihood, 2) : "—",
          m.aic === null ? "—" : fixed(m.aic, 1),
          m.bic === null ? "—" : fixed(m.bic, 1),
          m.holdout ? fixed(m.holdout.mae, 3) : "—",
        ]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
    reason.textContent = `${comparison.reason} (${fixed(out.ms, 0)} ms)`;
    $("fit-compare-card").dataset.best = comparison.best;
  }

  function showTimes(timings, spec) {
    status.textContent = [
      timings.summary === undefined ? null : `Summary ${fixed(timings.summary, 1)} ms`,
      timings.fit === undefined ? null : `${spec.name} fit ${fixed(timings.fit, 1)} ms`,
      timings.gg === undefined ? null : `Gamma-Gamma ${fixed(timings.gg, 1)} ms`,
      `predictions ${fixed(timings.predict, 1)} ms`,
      engine.mode === "worker" ? "in a worker" : "on the main thread",
    ]
      .filter(Boolean)
      .join(" · ");
  }

  function renderParams(tableEl, fit, names) {
    const rows = Object.entries(names).map(([key, symbol]) => {
      const tr = document.createElement("tr");
      tr.dataset.param = key;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = symbol;
      const value = document.createElement("td");
      value.className = "estimate";
      value.textContent = fit ? estimate(fit.params[key]) : "—";
      const se = document.createElement("td");
      se.textContent = fit ? estimate(fit.standardErrors?.[key]) : "—";
      tr.append(th, value, se);
      return tr;
    });
    tableEl.tBodies[0].replaceChildren(...rows);
  }

  // ---- the customer table ----

  /** `value (low–high)`, or the value alone without an interval. */
  const withInterval = (value, low, high, format) =>
    low === null || high === null || value === "—" ? value : `${value} (${format(low)}–${format(high)})`;

  function unitsLabel() {
    return UNIT_NAMES[state.timeUnit][1];
  }

  /** The CLV settings above the table: `{ months, monthlyDiscountRate }`. */
  const clvOptions = () => ({
    months: Number($("fit-clv-months").value),
    monthlyDiscountRate: Number($("fit-clv-rate").value) / 100,
  });

  /** Per-customer predictions for the table (from the engine), then the rows. */
  async function predict(run = generation, timings = {}) {
    const horizon = Number($("fit-horizon").value);
    const clv = clvOptions();
    const tableError = $("fit-table-error");
    let out;
    try {
      out = await engine.call("predict", { horizon, clv });
    } catch (e) {
      out = { error: String(e.message ?? e) };
    }
    if (!current(run)) return;
    const problem =
      out.error ??
      (out.intervalError ? `Intervals: ${out.intervalError}` : null) ??
      (out.clvIntervalError ? `CLV intervals: ${out.clvIntervalError}` : null);
    tableError.textContent = problem ?? "";
    tableError.hidden = !problem;
    timings.predict = out.ms;
    $("fit-total").textContent = out.total
      ? `All ${state.summary.customerIds.length.toLocaleString()} customers: ${fixed(out.total.mean, 0)} purchases ` +
        `expected over the next ${fixed(horizon, 0)} ${unitsLabel()} (90% interval ${fixed(out.total.lower, 0)}–` +
        `${fixed(out.total.upper, 0)}; intervals from ${TABLE_DRAWS} parameter draws, ${fixed(out.intervalMs, 0)} ms)` +
        (out.total.value
          ? `. Their value over the next ${clv.months} months: ${getFormat().money(out.total.value.estimate)} ` +
            `(90% interval ${getFormat().money(out.total.value.lower)}–${getFormat().money(out.total.value.upper)}).`
          : "")
      : "";
    buildRows(out, horizon);
  }

  function buildRows(prediction, horizon) {
    const { summary } = state;
    const n = summary.customerIds.length;
    $("fit-horizon-unit").textContent = unitsLabel();
    const column = (name, i) => (prediction[name] ? prediction[name][i] : null);
    const rows = new Array(n);
    for (let i = 0; i < n; i++) {
      rows[i] = {
        id: summary.customerIds[i],
        frequency: summary.frequency[i],
        recency: summary.recency[i],
        T: summary.T[i],
        probAlive: column("probAlive", i),
        probAliveLower: column("probAliveLower", i),
        probAliveUpper: column("probAliveUpper", i),
        expectedPurchases: column("expectedPurchases", i),
        purchasesLower: column("purchasesLower", i),
        purchasesUpper: column("purchasesUpper", i),
        expectedSpend: column("expectedSpend", i),
        clv: column("clv", i),
        clvLower: column("clvLower", i),
        clvUpper: column("clvUpper", i),
      };
    }
    table = { ...table, rows, horizon };
    sortRows();
    renderTable();
  }

  function sortRows() {
    const { key, dir } = table;
    if (!key) return;
    const text = key === "id";
    table.rows.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (text ? String(x).localeCompare(String(y), undefined, { numeric: true }) : x - y) * dir;
    });
  }

  function renderTable() {
    const fmt = getFormat();
    const { rows, page } = table;
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    table.page = Math.min(page, pages - 1);
    const start = table.page * PAGE_SIZE;
    const body = $("fit-table").tBodies[0];
    const cells = (r) => [
      r.id,
      fixed(r.frequency, 0),
      fixed(r.recency, 2),
      fixed(r.T, 2),
      withInterval(fmt.percentFixed(r.probAlive), r.probAliveLower, r.probAliveUpper, (x) => fmt.percent(x)),
      withInterval(fixed(r.expectedPurchases, 3), r.purchasesLower, r.purchasesUpper, (x) => fixed(x, 0)),
      fmt.money(r.expectedSpend),
      withInterval(fmt.money(r.clv), r.clvLower, r.clvUpper, (x) => fmt.money(x)),
    ];
    body.replaceChildren(
      ...rows.slice(start, start + PAGE_SIZE).map((r) => {
        const tr = document.createElement("tr");
        cells(r).forEach((text, j) => {
          const cell = document.createElement(j === 0 ? "th" : "td");
          if (j === 0) cell.scope = "row";
          cell.textContent = text;
          tr.append(cell);
        });
        return tr;
      }),
    );
    const head = $("fit-table").tHead.rows[0];
    head.cells[5].querySelector("button").textContent =
      `Purchases, next ${fixed(table.horizon, 0)} ${UNIT_NAMES[state.timeUnit][2]}`;
    for (const th of head.cells)
      th.setAttribute(
        "aria-sort",
        th.dataset.key === table.key ? (table.dir > 0 ? "ascending" : "descending") : "none",
      );
    $("fit-page").textContent =
      `${(start + 1).toLocaleString()}–${Math.min(start + PAGE_SIZE, rows.length).toLocaleString()} of ${rows.length.toLocaleString()} customers`;
    $("fit-prev").disabled = table.page === 0;
    $("fit-next").disabled = table.page >= pages - 1;
  }

  function downloadCsv() {
    const h = fixed(table.horizon, 0);
    const columns = [
      ["customer_id", (r) => quote(String(r.id))],
      ["frequency", (r) => num(r.frequency)],
      ["recency", (r) => num(r.recency)],
      ["T", (r) => num(r.T)],
      ["prob_alive", (r) => num(r.probAlive)],
      ["prob_alive_lower_90", (r) => num(r.probAliveLower)],
      ["prob_alive_upper_90", (r) => num(r.probAliveUpper)],
      [`expected_purchases_${h}`, (r) => num(r.expectedPurchases)],
      [`purchases_lower_90_${h}`, (r) => num(r.purchasesLower)],
      [`purchases_upper_90_${h}`, (r) => num(r.purchasesUpper)],
      ["expected_spend", (r) => num(r.expectedSpend)],
      ["clv", (r) => num(r.clv)],
      ["clv_lower_90", (r) => num(r.clvLower)],
      ["clv_upper_90", (r) => num(r.clvUpper)],
    ];
    const quote = (text) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    const num = (x) => (x === null || x === undefined ? "" : String(x));
    const lines = [columns.map(([name]) => name).join(",")];
    for (const r of table.rows) lines.push(columns.map(([, value]) => value(r)).join(","));
    const url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${(state.name ?? "customers").replace(/\.[^.]*$/, "")}-${form.elements.fitModel.value}-customers.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---- sBG from a cohort table ----

  const sbgForm = $("fit-sbg-form");
  const sbgError = $("fit-survivors-error");
  let sbg = null;

  function fitCohort() {
    clearErrors(sbgForm, sbgError);
    $("fit-use-status").textContent = "";
    const card = $("fit-sbg-card");
    if (!has(api, "fitSbg")) {
      card.dataset.missing = "fitSbg";
      showError(
        sbgForm,
        sbgError,
        new Error("survivors: fitting is not in this build yet (the package has no fitSbg)"),
        label,
      );
      return;
    }
    const text = $("fit-survivors").value.trim();
    const parts = text === "" ? [] : text.split(/[\s,;]+/).filter(Boolean);
    const bad = parts.find((p) => !Number.isFinite(Number(p)));
    try {
      if (bad !== undefined) throw new Error(`survivors: "${bad}" is not a number`);
      const t0 = performance.now();
      sbg = api.fitSbg({ survivors: parts.map(Number) });
      const took = ms(t0);
      const { alpha, beta } = sbg.params;
      $("fit-sbg-alpha").textContent = estimate(alpha);
      $("fit-sbg-beta").textContent = estimate(beta);
      $("fit-sbg-ll").textContent = fixed(sbg.logLikelihood, 2);
      const se = sbg.standardErrors ?? {};
      $("fit-sbg-note").textContent =
        `Shifted-beta-geometric (Fader & Hardie 2007), ${sbg.iterations} iterations, ${fixed(took, 1)} ms. ` +
        `Standard errors: α ${estimate(se.alpha)}, β ${estimate(se.beta)}. ` +
        `Retention rises from ${getFormat().percent(beta / (alpha + beta))} after the first period to ` +
        `${getFormat().percent((beta + parts.length - 2) / (alpha + beta + parts.length - 2))} at period ${parts.length - 1}.`;
      $("fit-sbg-result").hidden = false;
    } catch (e) {
      sbg = null;
      $("fit-sbg-result").hidden = true;
      showError(sbgForm, sbgError, e, label);
    }
  }

  /** Sets an input's value as if typed, so the owning tab's listeners run. */
  function type(el, value) {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function useInCalculator() {
    if (!sbg) return;
    const sbgRadio = $("model-sbg");
    sbgRadio.checked = true;
    $("alpha").value = String(+sbg.params.alpha.toFixed(4));
    type($("beta"), String(+sbg.params.beta.toFixed(4)));
    sbgRadio.dispatchEvent(new Event("change", { bubbles: true }));
    $("tab-calculator").click();
  }

  /** "Value this customer base" can be pressed: a purchase and a spend fit, and no valuation running. */
  const canValueBase = () => Boolean(state?.fit && state?.gg && !valuing && has(api, "valueCustomerBase"));
  let valuing = false;

  /**
   * "Value this customer base": the fitted base's value over the CLV months, to the Monte Carlo tab;
   * dropped when a newer file, summary or fit arrives first.
   */
  async function valueBase() {
    const run = generation;
    const value = clvOptions();
    const about = { name: state.name ?? "your file", model: PURCHASE_MODELS[form.elements.fitModel.value].name };
    const button = $("fit-value-base");
    const tableError = $("fit-table-error");
    valuing = true;
    button.disabled = true;
    status.textContent = `Valuing the customer base over ${baseDraws(value.months).toLocaleString()} parameter draws…`;
    try {
      const out = await engine.call("valueBase", { clv: value });
      if (!current(run)) return;
      status.textContent = "";
      onValueBase({ result: out.result, base: { ...about, customers: out.customers, ms: out.ms }, value, draws: out.draws });
    } catch (e) {
      if (!current(run) || e.cancelled) return;
      tableError.textContent = `Value this customer base: ${String(e.message ?? e)}`;
      tableError.hidden = false;
      status.textContent = "";
    } finally {
      valuing = false;
      button.disabled = !canValueBase();
    }
  }

  function useInMonteCarlo() {
    if (!sbg) return;
    const first = () => $("mc-segments").querySelector("fieldset");
    const model = first()?.querySelector("select[id$='-model']");
    if (!model) return;
    if (model.value !== "sbg") {
      model.value = "sbg";
      model.dispatchEvent(new Event("change", { bubbles: true }));
    }
    type(first().querySelector("input[id$='-alpha']"), String(+sbg.params.alpha.toFixed(4)));
    type(first().querySelector("input[id$='-beta']"), String(+sbg.params.beta.toFixed(4)));
    $("tab-montecarlo").click();
  }

  // ---- the customer base by segment ----

  const baseView = createBaseView({
    engine,
    getFormat,
    clvOptions,
    context: () => ({
      run: generation,
      ready: Boolean(state?.fit && state?.gg && !state.cancelled && has(api, "valueCustomerBase")),
      attributes: Object.entries(state?.summary?.attributes ?? {})
        .filter(([, attribute]) => "levels" in attribute)
        .map(([name]) => name),
    }),
    current,
  });

  // ---- events ----

  $("fit-file").addEventListener("change", (e) => {
    const file = e.target.files?.[0];
    if (file) loadFile(file).catch((err) => fail(err));
  });
  const drop = $("fit-drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(file).catch((err) => fail(err));
  });
  /** Loads a file shipped in data/ (with a preset calibration end, or the library's suggestion). */
  async function loadSample(url, name, calibrationEnd = "") {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`The sample could not be loaded (HTTP ${response.status}).`);
      load(new Uint8Array(await response.arrayBuffer()), name, calibrationEnd);
    } catch (e) {
      fail(e);
    }
  }
  // The 39-week calibration period of Fader, Hardie & Lee (2005), so the published parameters show.
  $("fit-sample").addEventListener("click", () => loadSample(SAMPLE_URL, "cdnow_sample_transactions.csv", SAMPLE_CALIBRATION_END));
  // Synthetic exports made by tests/exports.rs from a known ledger.
  for (const id of ["fit-sample-shopify", "fit-sample-stripe"]) {
    const name = $(id).dataset.sample;
    $(id).addEventListener("click", () => loadSample(`data/${name}`, name));
  }
  for (const el of [
    selects.customer,
    selects.date,
    selects.value,
    $("fit-date-format"),
    $("fit-decimal"),
    $("fit-utc-offset"),
    $("fit-refunds"),
    $("fit-negatives"),
  ])
    el.addEventListener("change", () => analyze());
  for (const el of Object.values(orderSelects)) {
    el.addEventListener("change", () => {
      // Another status column has other statuses: back to the default list (the platform's, for its own).
      if (el === orderSelects.statusColumn && state) {
        state.excludeStatuses = el.value === state.export?.statusColumn ? state.export.excludeStatuses : undefined;
        state.statusesChosen = false;
      }
      analyze();
    });
  }
  $("fit-time-unit").addEventListener("change", () => {
    $("fit-horizon").value = DEFAULT_HORIZON[$("fit-time-unit").value];
    analyze();
  });
  // Typing a date fires on every digit: wait for a pause.
  $("fit-calibration-end").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => analyze(), 250);
  });
  // After a cancel the engine has lost the summary: the next change summarises again.
  /** `then()` on the engine's summary, or a new summary (with everything after it) when it has none. */
  const onSummary = (then) => state && (state.cancelled || !state.summary ? analyze() : then());
  const refit = () => onSummary(() => !state.held && fitModels({}));
  for (const el of form.elements.fitModel) el.addEventListener("change", refit);
  $("fit-gg").addEventListener("change", refit);
  form.addEventListener("submit", (e) => e.preventDefault());
  for (const id of ["fit-horizon", "fit-clv-months", "fit-clv-rate"]) {
    $(id).addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => onSummary(predict), 200);
    });
  }
  $("fit-table").tHead.addEventListener("click", (e) => {
    const th = e.target.closest("th[data-key]");
    if (!th) return;
    const key = th.dataset.key;
    table.dir = table.key === key ? -table.dir : key === "id" ? 1 : -1;
    table.key = key;
    table.page = 0;
    sortRows();
    renderTable();
  });
  $("fit-prev").addEventListener("click", () => {
    table.page -= 1;
    renderTable();
  });
  $("fit-next").addEventListener("click", () => {
    table.page += 1;
    renderTable();
  });
  $("fit-download").addEventListener("click", downloadCsv);
  // The user has checked a held mapping: fit it, and every summary of this file after it.
  $("fit-run").addEventListener("click", () => {
    if (!state) return;
    state.confirmed = true;
    onSummary(() => {
      hold(false);
      fitModels({});
    });
  });
  $("fit-value-base").addEventListener("click", () => state?.summary && !state.cancelled && valueBase());
  $("fit-compare").addEventListener("click", () => state?.summary && !state.cancelled && compareModels());
  const cancelButton = $("fit-cancel");
  engine.onbusy = (busy) => (cancelButton.hidden = !busy || engine.mode !== "worker");
  cancelButton.addEventListener("click", () => {
    generation++;
    engine.cancel();
    if (state) state.cancelled = true;
    results.classList.add("stale");
    status.textContent = "Cancelled. Change a setting, or load the file again, to go on.";
  });
  sbgForm.addEventListener("submit", (e) => {
    e.preventDefault();
    fitCohort();
  });
  $("fit-use-calculator").addEventListener("click", useInCalculator);
  $("fit-use-montecarlo").addEventListener("click", useInMonteCarlo);

  return {
    /** Re-renders money after a currency change. */
    refresh() {
      if (state?.summary) renderTable();
      baseView.refresh();
    },
  };
}
