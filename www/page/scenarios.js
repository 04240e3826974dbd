// The Scenarios tab: side-by-side variants of the calculator's customer, each changing a few inputs
// (retention, margin, discount rate, acquisition cost, or churn by points / relative), valued with
// `compareScenarios` and shown as a table and a delta bar chart. "Show uncertainty" runs the same
// scenarios through `compareScenariosMc` (in a Worker) for each change's interval and P(beats base).
import { showError, clearErrors, fieldElement, describeRetention } from "../helpers/form.js";
import { renderBars } from "./charts.js";
import { connectEngine } from "./engine-client.js";
import { uncertaintyConfig, UNCERTAINTY_RUNS, OPEN_HORIZON } from "./scenario-engine.js";

const $ = (id) => document.getElementById(id);

/** Editable change fields: key in `changes`, label, unit, and the factor from typed value to library value. */
const CHANGE_FIELDS = [
  { key: "retention", label: "Retention", unit: "%", scale: 0.01 },
  { key: "margin", label: "Margin", unit: "currency", scale: 1 },
  { key: "discountRate", label: "Discount rate", unit: "%", scale: 0.01 },
  { key: "acquisitionCost", label: "Acquisition cost", unit: "currency", scale: 1 },
];

/** Starting points offered by "Add scenario", in order; later ones are blank. */
const PRESETS = [
  () => ({ name: "Cut churn 5 points", churnMode: "points", churnValue: "-5" }),
  (base) => ({ name: "Price +10%", margin: round(base.margin * 1.1) }),
  () => ({ name: "Halve churn", churnMode: "relative", churnValue: "-50" }),
  (base) => ({ name: "Costlier capital", discountRate: round(base.discountRate * 100 + 5) }),
];
const round = (x) => String(Math.round(x * 100) / 100);

/** The `{ name, changes }` the library expects for one edited scenario. */
function toScenario(s) {
  const changes = {};
  for (const f of CHANGE_FIELDS) {
    const text = (s[f.key] ?? "").trim();
    if (text !== "") changes[f.key] = Number(text) * f.scale;
  }
  const churn = (s.churnValue ?? "").trim();
  if (s.churnMode === "points" && churn !== "") changes.churnChange = { points: Number(churn) };
  if (s.churnMode === "relative" && churn !== "") changes.churnChange = { relative: Number(churn) / 100 };
  return { name: s.name, changes };
}

function fieldLabel(path) {
  const m = /^scenarios\[(\d+)\]\.(?:changes\.)?(.*)$/.exec(path);
  if (!m) return path.replace(/^base\./, "Base ");
  const field = CHANGE_FIELDS.find((f) => m[2].startsWith(f.key));
  const name = field?.label ?? (m[2].startsWith("churnChange") ? "Churn change" : m[2]);
  return `Scenario ${Number(m[1]) + 1}, ${name.toLowerCase()}`;
}

/** The uncertainty inputs: field name (as the card's `data-field`), element id and label. */
const UNCERTAINTY_FIELDS = {
  customers: { id: "uncertainty-customers", label: "Customers" },
  retentionSd: { id: "uncertainty-retention-sd", label: "Retention uncertainty" },
  marginSd: { id: "uncertainty-margin-sd", label: "Margin uncertainty" },
};
/** Wait after the last keystroke before simulating. */
const UNCERTAINTY_DELAY_MS = 250;

/** The uncertainty settings as typed (retention sd in points). */
function readUncertainty() {
  const num = (key) => {
    const text = $(UNCERTAINTY_FIELDS[key].id).value.trim();
    return text === "" ? NaN : Number(text);
  };
  return { customers: num("customers"), retentionSd: num("retentionSd") / 100, marginSd: num("marginSd") };
}

/**
 * A comparison error restated for the uncertainty card: the simulated segment's `customers`,
 * `retentionSd` and `marginSd` become the card's own fields (a scenario's named in the reason).
 */
function uncertaintyError(error) {
  const message = String(error?.message ?? error);
  const m = /^(?:base|scenarios\[(\d+)\])\.segments\[0\]\.(?:uncertainty\.)?(customers|retentionSd|marginSd): (.*)$/s.exec(message);
  if (!m) return message;
  return `${m[2]}: ${m[1] === undefined ? "" : `in scenario ${Number(m[1]) + 1}, `}${m[3]}`;
}

const input = (id, labelText, value, options = {}) =>
  fieldElement(id, labelText, value, { placeholder: "base", ...options });

function baseSummary(input, fmt) {
  const retention = `retention ${describeRetention(input.retention, fmt)}`;
  return [
    `margin ${fmt.money(input.margin)} per ${fmt.period}`,
    retention,
    `discount rate ${fmt.percent(input.discountRate)}`,
    input.horizon === undefined ? "no horizon" : `horizon ${fmt.duration(input.horizon)}`,
    input.timing === "start" ? "paid at the start of each period" : "paid at the end of each period",
    `acquisition cost ${fmt.money(input.acquisitionCost ?? 0)}`,
  ].join(" · ");
}

/** Wires the Scenarios tab. Call `setBase(input)` whenever the calculator has a new good input. */
export function createScenarios({ api, getFormat }) {
  const list = $("scenario-list");
  const error = $("scenarios-error");
  const results = $("scenario-results");
  let base = null;
  let scenarios = [];
  let added = 0;
  let last = null;
  /** The scenarios' Monte Carlo: its engine (started on first use), timer, request count and result. */
  const mc = { engine: null, timer: 0, request: 0, result: null };
  const uncertaintyCard = $("uncertainty-card");

  function add(preset) {
    scenarios.push(preset ?? { name: `Scenario ${scenarios.length + 1}` });
    renderEditors();
    compute();
  }

  function renderEditors() {
    const fmt = getFormat();
    list.replaceChildren(
      ...scenarios.map((s, i) => {
        const row = document.createElement("fieldset");
        row.className = "scenario";
        const legend = document.createElement("legend");
        legend.className = "visually-hidden";
        legend.textContent = `Scenario ${i + 1}`;
        const name = input(`s${i}-name`, "Name", s.name, { type: "text", field: `scenarios[${i}].name` });
        name.el.addEventListener("input", () => ((s.name = name.el.value), compute()));
        row.append(legend, name.wrap);
        for (const f of CHANGE_FIELDS) {
          const box = input(`s${i}-${f.key}`, f.label, s[f.key], {
            unit: f.unit,
            field: `scenarios[${i}].changes.${f.key}`,
          });
          box.el.addEventListener("input", () => ((s[f.key] = box.el.value), compute()));
          row.append(box.wrap);
        }
        const churn = input(`s${i}-churn`, "Churn change", s.churnValue, {
          field: `scenarios[${i}].changes.churnChange`,
        });
        const mode = document.createElement("select");
        mode.id = `s${i}-churn-mode`;
        mode.setAttribute("aria-label", `Scenario ${i + 1} churn change unit`);
        mode.innerHTML = '<option value="points">points</option><option value="relative">% relative</option>';
        mode.value = s.churnMode ?? "points";
        s.churnMode = mode.value;
        churn.el.closest(".affix").append(mode);
        churn.el.addEventListener("input", () => ((s.churnValue = churn.el.value), compute()));
        mode.addEventListener("change", () => ((s.churnMode = mode.value), compute()));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button ghost remove";
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", `Remove scenario ${i + 1}`);
        remove.addEventListener("click", () => {
          scenarios.splice(i, 1);
          renderEditors();
          compute();
        });
        row.append(churn.wrap, remove);
        return row;
      }),
    );
    for (const el of list.querySelectorAll(".unit-currency")) el.textContent = fmt.symbol;
  }

  function compute() {
    if (!base) return;
    const fmt = getFormat();
    let compared;
    try {
      compared = api.compareScenarios({ base, scenarios: scenarios.map(toScenario) });
    } catch (e) {
      showError(list, error, e, fieldLabel);
      results.classList.add("stale");
      return;
    }
    clearErrors(list, error);
    results.classList.remove("stale");
    last = { base, scenarios: scenarios.map(toScenario), compared };
    mc.result = null;
    renderTable(compared, fmt);
    renderDeltas(compared, fmt);
    scheduleUncertainty();
  }

  /** Shows or hides the uncertainty, and simulates the current scenarios a moment after the last edit. */
  function scheduleUncertainty() {
    const on = $("uncertainty-on").checked;
    clearTimeout(mc.timer);
    $("uncertainty-fields").hidden = !on;
    $("scenario-table").classList.toggle("with-uncertainty", on);
    if (!on || !last) return;
    clearErrors(uncertaintyCard, $("uncertainty-error"));
    const none = last.base.marginGrowth
      ? "The Monte Carlo has no margin growth: set it to 0 on the Calculator to see the uncertainty."
      : last.scenarios.length === 0
        ? "Add a scenario to see how sure its change is."
        : null;
    if (none) {
      mc.request++;
      $("uncertainty-status").textContent = none;
      return;
    }
    $("uncertainty-status").textContent = "Simulating…";
    mc.timer = setTimeout(runUncertainty, UNCERTAINTY_DELAY_MS);
  }

  async function runUncertainty() {
    const request = ++mc.request;
    mc.engine ??= connectEngine(api, "scenarios");
    mc.engine.cancel();
    const settings = readUncertainty();
    const config = uncertaintyConfig(last.base, last.scenarios, settings);
    const started = performance.now();
    let result;
    try {
      result = await mc.engine.call("compare", config);
    } catch (e) {
      if (e.cancelled || request !== mc.request) return;
      showError(uncertaintyCard, $("uncertainty-error"), uncertaintyError(e), (path) => UNCERTAINTY_FIELDS[path]?.label ?? path);
      $("uncertainty-status").textContent = "";
      return;
    }
    if (request !== mc.request) return;
    clearErrors(uncertaintyCard, $("uncertainty-error"));
    mc.result = { ...result, customers: settings.customers };
    renderTable(last.compared, getFormat());
    const horizon = last.base.horizon === undefined ? `${OPEN_HORIZON.toLocaleString()} periods (the base has no horizon)` : `${last.base.horizon.toLocaleString()} periods`;
    $("uncertainty-status").textContent =
      `${UNCERTAINTY_RUNS.toLocaleString()} runs of ${settings.customers.toLocaleString()} customers over ${horizon}, ` +
      `on common random numbers, in ${Math.round(performance.now() - started)} ms.`;
  }

  /** The uncertainty cells of scenario `i`: the change per customer's 90% interval and P(beats base). */
  function uncertaintyCells(i, fmt) {
    const s = mc.result?.scenarios[i];
    if (!s) return ["…", "…"];
    const perCustomer = (x) => fmt.signedMoney(x / mc.result.customers);
    return [`${perCustomer(s.delta.percentiles.p5)} to ${perCustomer(s.delta.percentiles.p95)}`, fmt.percent(s.probBetter)];
  }

  function renderDeltas(compared, fmt) {
    const net = $("delta-measure").value === "net";
    renderBars(
      $("delta-chart"),
      compared.scenarios.map((s) => {
        const delta = net ? s.netDelta : s.delta;
        const base = net ? compared.base.netValue : compared.base.value;
        const percent = base === 0 ? "" : ` (${fmt.signedPercent(delta / Math.abs(base))})`;
        const text = fmt.signedMoney(delta);
        return {
          label: s.name,
          bars: [{ from: 0, to: delta, kind: delta >= 0 ? "up" : "down", text, title: `${s.name}: ${text}${percent}` }],
        };
      }),
      { labelRoom: 0.3 },
    );
  }

  function renderTable(compared, fmt) {
    const row = (cells, cls) => {
      const tr = document.createElement("tr");
      if (cls) tr.className = cls;
      cells.forEach((text, i) => {
        const td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) td.scope = "row";
        td.textContent = text;
        tr.append(td);
      });
      return tr;
    };
    $("scenario-table")
      .querySelector("tbody")
      .replaceChildren(
        row(["Base", fmt.money(compared.base.value), "—", "—", fmt.money(compared.base.netValue), "—", "—", "—"], "base"),
        ...compared.scenarios.map((s, i) =>
          row(
            [
              s.name,
              fmt.money(s.value),
              fmt.signedMoney(s.delta),
              fmt.signedPercent(s.deltaPercent === null ? null : s.deltaPercent / 100),
              fmt.money(s.netValue),
              fmt.signedMoney(s.netDelta),
              ...uncertaintyCells(i, fmt),
            ],
            s.delta > 0 || (s.delta === 0 && s.netDelta >= 0) ? "up" : "down",
          ),
        ),
      );
  }

  $("delta-measure").addEventListener("change", compute);
  $("uncertainty-on").addEventListener("change", compute);
  for (const { id } of Object.values(UNCERTAINTY_FIELDS)) $(id).addEventListener("input", compute);
  $("add-scenario").addEventListener("click", () => add(base && PRESETS[added] ? PRESETS[added++](base) : undefined));

  return {
    setBase(input) {
      const first = base === null;
      base = input;
      $("base-summary").textContent = baseSummary(input, getFormat());
      if (first) {
        scenarios = [PRESETS[0](base), PRESETS[1](base)];
        added = 2;
        renderEditors();
      }
      compute();
    },
    /** The edited scenarios as typed (for share links): `[{ name, retention, margin, …, churnValue }]`. */
    getState: () => scenarios.map((s) => ({ ...s })),
    /** Replaces the scenarios with `list` (rows as `getState` returns them). */
    setState(list) {
      scenarios = list.map((s) => ({ ...s }));
      added = Math.max(added, scenarios.length);
      renderEditors();
      compute();
    },
    /** The uncertainty settings as typed (for share links): `{ on: "1" | "", customers, retentionSd, marginSd }`. */
    getUncertainty: () => ({
      on: $("uncertainty-on").checked ? "1" : "",
      ...Object.fromEntries(Object.entries(UNCERTAINTY_FIELDS).map(([key, { id }]) => [key, $(id).value])),
    }),
    /** Restores settings as `getUncertainty` returns them (missing ones keep their value); recomputes. */
    setUncertainty(settings) {
      $("uncertainty-on").checked = settings.on === "1";
      for (const [key, { id }] of Object.entries(UNCERTAINTY_FIELDS)) {
        if (typeof settings[key] === "string") $(id).value = settings[key];
      }
      compute();
    },
    /**
     * The last good comparison: `{ base, scenarios, compared }` (library inputs and result), with the
     * Monte Carlo's `uncertainty` (its result and `customers`) when shown and current; or null.
     */
    current: () => last && { ...last, uncertainty: $("uncertainty-on").checked ? (mc.result ?? undefined) : undefined },
    /** Redraws labels after a currency or period change. */
    refresh() {
      if (!base) return;
      $("base-summary").textContent = baseSummary(base, getFormat());
      renderEditors();
      compute();
    },
  };
}
