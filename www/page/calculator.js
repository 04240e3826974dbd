// The Calculator tab: reads the form as you type, values the customer with `clv`, and draws the KPI cards,
// the value chart, the tornado and break-even figures (sensitivity.js), the worked retention example
// (worked-example.js) and the per-period table. On bad input the library's error is shown next to its
// field and the last good result stays on screen, greyed.
import { readClvInput, showError, clearErrors, fieldLabel, firstRetention } from "../helpers/form.js";
import { createValueChart } from "./charts.js";
import { renderTornado, renderBreakEven } from "./sensitivity.js";
import { renderWorkedExample } from "./worked-example.js";

const label = fieldLabel;

const $ = (id) => document.getElementById(id);
const setText = (id, text) => {
  $(id).textContent = text;
};

/** A KPI figure with its unit set smaller, e.g. "4.0" + "years". */
function setFigure(id, figure, unit = "") {
  const small = document.createElement("span");
  small.className = "unit";
  small.textContent = unit;
  $(id).replaceChildren(figure, ...(unit ? [" ", small] : []));
}

/** A money KPI: shortened to fit its card, the exact amount in the tooltip. */
function setMoney(id, x, fmt) {
  setText(id, fmt.moneyShort(x));
  $(id).title = fmt.money(x);
}

function renderKpis(result, input, fmt) {
  const cac = input.acquisitionCost ?? 0;
  setMoney("kpi-clv", result.clv, fmt);
  setText(
    "kpi-clv-sub",
    input.renewals === undefined ? "per new customer, today's money" : "per existing customer, from the next renewal",
  );
  const lifetime = result.expectedLifetime;
  setFigure("kpi-lifetime", ...(lifetime === null ? ["∞"] : fmt.durationParts(lifetime)));
  const forever =
    typeof input.retention === "number"
      ? "retention 100%: customers never leave"
      : "α ≤ 1: the mean lifetime is infinite";
  setText("kpi-lifetime-sub", lifetime === null ? forever : "expected paid periods");
  setMoney("kpi-net", result.netValue, fmt);
  $("kpi-net").classList.toggle("negative", result.netValue < 0);
  setText("kpi-ratio", cac > 0 ? fmt.ratio(result.ltvToCac) : "—");
  setText("kpi-ratio-sub", cac > 0 ? "3× or more is the usual target" : "set an acquisition cost");
  const payback = result.paybackPeriod;
  if (cac > 0 && payback !== null)
    setFigure("kpi-payback", fmt.number(payback), payback === 1 ? fmt.period : fmt.periods);
  else setText("kpi-payback", cac > 0 ? "Never" : "—");
  setText(
    "kpi-payback-sub",
    cac <= 0
      ? "set an acquisition cost"
      : payback === null
        ? "CAC is not recovered"
        : "when cumulative value covers CAC",
  );
}

/** Fills the per-period table, only while it is open (a long horizon has thousands of rows). */
function renderTable(result, fmt) {
  if (!$("period-table").closest("details").open) return;
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
    const model = form.elements.retentionModel.value;
    for (const kind of ["constant", "sbg", "bdw"])
      for (const el of form.querySelectorAll(`.model-${kind}`)) el.hidden = model !== kind;
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
    if (model !== "constant") $(`${model}-first`).value = fmt.percent(firstRetention(input.retention));
    renderKpis(result, input, fmt);
    chart.update(result, {
      acquisitionCost: input.acquisitionCost ?? 0,
      finite: input.horizon !== undefined,
      format: fmt,
    });
    renderTornado(api, input, result, fmt, label);
    renderBreakEven(api, input, fmt);
    renderWorkedExample($("worked-body"), api, input, fmt);
    renderTable(result, fmt);
    last = { input, result };
    onResult(input, result);
  }

  $("period-table")
    .closest("details")
    .addEventListener("toggle", () => last && renderTable(last.result, getFormat()));
  form.addEventListener("input", update);
  $("spread").addEventListener("change", () => last && renderTornado(api, last.input, last.result, getFormat(), label));
  update();
  return { update, /** The last good `{ input, result }`, or null. */ current: () => last };
}
