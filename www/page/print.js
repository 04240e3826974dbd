// The print summary: a block shown only on paper (print.css) that states the calculator's inputs in
// words, above the KPIs, the value chart and the scenarios table that the print stylesheet keeps. The
// chart prints as the SVG export (export.js) in an <img>: vector on paper, and drawn whichever tab is
// open (uPlot's canvas has no size while its tab is hidden).
import { valueChartSvg } from "./export.js";
import { describeRetention } from "../helpers/form.js";

const $ = (id) => document.getElementById(id);

/** `[label, value]` pairs describing a `clv` input. */
function describe(input, fmt) {
  const per = `per ${fmt.period}`;
  const retention = describeRetention(input.retention, fmt);
  return [
    ["Margin", `${fmt.money(input.margin)} ${per}`],
    ["Retention", retention],
    ["Discount rate", `${fmt.percent(input.discountRate)} ${per}`],
    ["Horizon", input.horizon === undefined ? "no limit" : fmt.count(input.horizon)],
    ["Payments", input.timing === "start" ? `at the start of each ${fmt.period}` : `at the end of each ${fmt.period}`],
    ["Acquisition cost", fmt.money(input.acquisitionCost ?? 0)],
    ["Margin growth", `${fmt.percent(input.marginGrowth ?? 0)} ${per}`],
    ["Customer", input.renewals === undefined ? "new (prospect)" : `existing, renewed ${fmt.number(input.renewals)} times`],
  ];
}

/** Creates the summary block; returns `update()`, to call whenever the inputs may have changed. */
export function setupPrintSummary({ calculator, getFormat }) {
  const box = document.createElement("section");
  box.id = "print-summary";
  box.className = "print-only";
  box.innerHTML = '<h2>Customer lifetime value summary</h2><p class="print-date"></p><dl class="print-inputs"></dl>';
  $("panel-calculator").before(box);
  const chart = document.createElement("img");
  chart.id = "print-chart";
  chart.className = "print-only";
  chart.alt = "Survival and cumulative value by period";
  $("value-chart").after(chart);
  function update() {
    const current = calculator.current();
    if (!current) return;
    const fmt = getFormat();
    chart.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(valueChartSvg(current, fmt))}`;
    box.querySelector(".print-date").textContent = `${new Date().toLocaleDateString(undefined, { dateStyle: "long" })} · amounts in ${fmt.currency}, time in ${fmt.periods}`;
    box.querySelector("dl").replaceChildren(
      ...describe(current.input, fmt).map(([k, v]) => {
        const div = document.createElement("div");
        const dt = document.createElement("dt");
        const dd = document.createElement("dd");
        dt.textContent = k;
        dd.textContent = v;
        div.append(dt, dd);
        return div;
      }),
    );
  }
  window.addEventListener("beforeprint", update);
  update();
  return update;
}
