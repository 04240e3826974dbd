// The "What moves CLV most" card: a tornado chart from `sensitivity` (each input moved by ± the chosen
// spread, everything else held; retention moves through churn) and the break-even points from
// `breakEven` (the highest affordable acquisition cost, and the retention and margin that just pay it).
import { renderBars } from "./charts.js";

const $ = (id) => document.getElementById(id);

/** Inputs the tornado varies: margin growth only when set (a relative move of 0 is 0). */
function sensitivityFields(input) {
  const fields = ["retention", "margin"];
  if (input.discountRate !== 0) fields.push("discountRate");
  if (input.marginGrowth) fields.push("marginGrowth");
  return fields;
}

/** The value an input takes at one end of its bar, as the person typed it. */
function inputText(field, x, fmt) {
  return field === "margin" || field === "acquisitionCost" ? fmt.money(x) : fmt.percent(x);
}

export function renderTornado(api, input, result, fmt, label) {
  const spread = Number($("spread").value);
  let rows;
  try {
    rows = api.sensitivity(input, { fields: sensitivityFields(input), spread });
  } catch (e) {
    $("tornado").replaceChildren();
    $("tornado-note").textContent = e.message;
    return;
  }
  const bar = (r, end) => {
    const value = end === "low" ? r.valueLow : r.valueHigh;
    const at = inputText(r.field, end === "low" ? r.low : r.high, fmt);
    return {
      from: result.clv,
      to: value,
      kind: end,
      text: fmt.money0(value),
      title: `${label(r.field)} ${at}: CLV ${fmt.money(value)}`,
    };
  };
  renderBars(
    $("tornado"),
    rows.map((r) => ({ label: label(r.field), bars: [bar(r, "low"), bar(r, "high")] })),
    {
      center: result.clv,
      legend: [
        { kind: "low", text: "input lowered" },
        { kind: "high", text: "input raised" },
      ],
    },
  );
  const pct = fmt.percent(spread);
  const top = rows[0];
  const most = top ? ` ${label(top.field)} moves CLV most: ${fmt.money(top.swing)} from end to end.` : "";
  $("tornado-note").textContent = `Each input ±${pct} (retention through churn ±${pct}).${most}`;
}

/** Fills the break-even list; each figure falls back to "—" with the library's reason as a tooltip. */
export function renderBreakEven(api, input, fmt) {
  const cac = input.acquisitionCost ?? 0;
  const solve = (solveFor) => {
    try {
      return { value: api.breakEven(input, { solveFor }).value };
    } catch (e) {
      return { error: e.message };
    }
  };
  const show = (id, { value, error }, format) => {
    const el = $(id);
    el.textContent = error ? "—" : format(value);
    el.title = error ?? "";
  };
  show("be-cac", solve("acquisitionCost"), fmt.money);
  const needs = cac > 0 ? null : { error: "set an acquisition cost" };
  show("be-retention", needs ?? solve("retention"), fmt.percent);
  show("be-margin", needs ?? solve("margin"), fmt.money);
  $("be-at").textContent = fmt.money(cac);
}
