// The Calculator tab: reads the form as you type, calls `clv` and `sensitivity`, and draws the KPI cards,
// the value chart, the tornado, the worked retention example and the per-period table. On bad input the
// library's error is shown next to its field and the last good result stays on screen, greyed.
import { readClvInput, showError, clearErrors } from "./form.js";
import { createValueChart } from "./charts.js";
import { renderTornado, renderBreakEven } from "./sensitivity.js";
import { renderWorkedExample } from "./worked-example.js";

/** Names of the library's fields as the page labels them. */
export const FIELD_LABELS = {
  margin: "Margin",
  retention: "Retention",
  "retention.alpha": "Churn shape α",
  "retention.beta": "Churn shape β",
  discountRate: "Discount rate",
  horizon: "Horizon",
  timing: "Payment timing",
  marginGrowth: "Margin growth",
  acquisitionCost: "Acquisition cost",
  renewals: "Renewals",
};
const label = (path) => FIELD_LABELS[path] ?? path;

const $ = (id) => document.getElementById(id);
const setText = (id, text) => {
  $(id).textContent = text;
};

function renderKpis(result, input, fmt) {
  const cac = input.acquisitionCost ?? 0;
  setText("kpi-clv", fmt.money(result.clv));
  setText("kpi-clv-sub", input.renewals === undefined ? "per new customer, today's money" : "per existing customer, from the next renewal");
  const lifetime = result.expectedLifetime;
  setText("kpi-lifetime", lifetime === null ? "∞" : fmt.duration(lifetime));
  setText("kpi-lifetime-sub", lifetime === null ? "α ≤ 1: the mean lifetime is infinite" : "expected paid periods");
  setText("kpi-net", fmt.money(result.netValue));
  $("kpi-net").classList.toggle("negative", result.netValue < 0);
  setText("kpi-ratio", cac > 0 ? fmt.ratio(result.ltvToCac) : "—");
  setText("kpi-ratio-sub", cac > 0 ? "3× or more is the usual target" : "set an acquisition cost");
  const payback = result.paybackPeriod;
  setText("kpi-payback", cac > 0 ? (payback === null ? "Never" : fmt.periodIndex(payback)) : "—");
  setText(
    "kpi-payback-sub",
    cac <= 0 ? "set an acquisition cost" : payback === null ? "CAC is not recovered" : "when cumulative value covers CAC",
  );
}

function renderTable(result, fmt) {
  const body = $("period-table").querySelector("tbody");
  body.replaceChildren(
    ...result.periods.map((p) => {
      const tr = document.createElement("tr");
      for (const text of [
        fmt.number(p.period),
        fmt.percentFixed(p.survival),
        fmt.money(p.expectedMargin),
        fmt.money(p.discountedMargin),
        fmt.money(p.cumulative),
      ]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      if (p.period === result.paybackPeriod) tr.className = "payback";
      return tr;
    }),
  );
}

/** Wires the form; `onResult(input, result)` is called after each good computation. */
export function createCalculator({ api, getFormat, onResult = () => {} }) {
  const form = $("inputs");
  const formError = $("inputs-error");
  const results = $("results");
  const chart = createValueChart($("value-chart"));
  let last = null;

  function update() {
    const sbg = form.elements.retentionModel.value === "sbg";
    for (const el of form.querySelectorAll(".model-constant")) el.hidden = sbg;
    for (const el of form.querySelectorAll(".model-sbg")) el.hidden = !sbg;
    const fmt = getFormat();
    const input = readClvInput(form);
    let result;
    try {
      result = api.clv(input);
    } catch (e) {
      showError(form, formError, e, label);
      results.classList.add("stale");
      return;
    }
    clearErrors(form, formError);
    results.classList.remove("stale");
    if (sbg) $("sbg-first").value = fmt.percent(input.retention.beta / (input.retention.alpha + input.retention.beta));
    renderKpis(result, input, fmt);
    chart.update(result, { acquisitionCost: input.acquisitionCost ?? 0, finite: input.horizon !== undefined, format: fmt });
    renderTornado(api, input, result, fmt, label);
    renderBreakEven(api, input, fmt);
    renderWorkedExample($("worked-body"), api, input, fmt);
    renderTable(result, fmt);
    last = { input, result };
    onResult(input, result);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  $("spread").addEventListener("change", () => last && renderTornado(api, last.input, last.result, getFormat(), label));
  update();
  return { update, get last() { return last; } };
}
