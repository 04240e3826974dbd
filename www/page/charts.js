// Charts: the survival / cumulative-value chart (uPlot, served locally from /vendor/uplot/) and the
// horizontal bar charts (tornado, scenario deltas) as plain HTML bars, which stay readable and
// responsive without a canvas. Colours come from the page's CSS custom properties.
import uPlot from "../vendor/uplot/uPlot.esm.js";
import { visiblePeriods } from "../helpers/periods.js";

const cssVar = (el, name, fallback) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;

/** Draws the payback marker (vertical) and the acquisition cost (horizontal) on the value chart. */
function markersPlugin(getMarks) {
  return {
    hooks: {
      draw(u) {
        const { paybackPeriod, acquisitionCost, color, label } = getMarks();
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const dpr = devicePixelRatio || 1;
        ctx.save();
        ctx.strokeStyle = color;
        ctx.fillStyle = color;
        ctx.lineWidth = 1.5 * dpr;
        ctx.setLineDash([5 * dpr, 4 * dpr]);
        if (acquisitionCost > 0) {
          const y = u.valToPos(acquisitionCost, "value", true);
          if (y >= top && y <= top + height) {
            ctx.beginPath();
            ctx.moveTo(left, y);
            ctx.lineTo(left + width, y);
            ctx.stroke();
            ctx.font = `${11 * dpr}px system-ui, sans-serif`;
            ctx.textAlign = "right";
            ctx.fillText(label.cac, left + width - 6 * dpr, y - 5 * dpr);
          }
        }
        if (paybackPeriod !== null && paybackPeriod !== undefined) {
          const x = u.valToPos(paybackPeriod, "x", true);
          if (x >= left && x <= left + width) {
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.arc(x, u.valToPos(acquisitionCost, "value", true), 4 * dpr, 0, 2 * Math.PI);
            ctx.fill();
            ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
            ctx.textAlign = x > left + width * 0.75 ? "right" : "left";
            ctx.fillText(label.payback, x + (ctx.textAlign === "left" ? 6 : -6) * dpr, top + 14 * dpr);
          }
        }
        ctx.restore();
      },
    },
  };
}

/** The survival and cumulative discounted value chart, with payback marked. */
export function createValueChart(el) {
  let marks = { paybackPeriod: null, acquisitionCost: 0, color: "#b45309", label: { cac: "", payback: "" } };
  let fmt = null;
  // Legend values: the hovered period's, or the last period's when the cursor is away.
  const legendValue = (format) => (u, v, si) => {
    const data = u.data[si];
    const x = v ?? data[data.length - 1];
    return x === undefined || x === null || !fmt ? "—" : format(x);
  };
  const height = () => (el.clientWidth < 520 ? 240 : 300);
  const opts = {
    width: el.clientWidth || 600,
    height: height(),
    padding: [12, 8, 0, 4],
    cursor: { points: { size: 7 }, drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: false }, survival: { range: [0, 1] }, value: { auto: true } },
    series: [
      { label: "Period", value: legendValue((x) => `${fmt.period} ${fmt.number(x)}`) },
      {
        label: "Customers still active",
        scale: "survival",
        stroke: cssVar(el, "--survival", "#0284c7"),
        fill: cssVar(el, "--survival-fill", "rgba(2,132,199,0.08)"),
        width: 2,
        value: legendValue((x) => fmt.percent(x)),
      },
      {
        label: "Cumulative discounted value",
        scale: "value",
        stroke: cssVar(el, "--accent", "#4338ca"),
        width: 2.5,
        value: legendValue((x) => fmt.money(x)),
      },
    ],
    axes: [
      {
        label: "Period",
        stroke: cssVar(el, "--muted", "#64748b"),
        grid: { stroke: cssVar(el, "--grid", "#eef2f7") },
        ticks: { show: false },
        values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : "")),
      },
      {
        scale: "survival",
        label: "Still active",
        stroke: cssVar(el, "--survival", "#0284c7"),
        grid: { stroke: cssVar(el, "--grid", "#eef2f7") },
        ticks: { show: false },
        values: (u, vals) => vals.map((v) => `${Math.round(v * 100)}%`),
        size: 52,
      },
      {
        scale: "value",
        side: 1,
        label: "Cumulative value",
        stroke: cssVar(el, "--accent", "#4338ca"),
        grid: { show: false },
        ticks: { show: false },
        values: (u, vals) => vals.map((v) => (fmt ? fmt.money0(v) : v)),
        size: 70,
      },
    ],
    plugins: [markersPlugin(() => marks)],
  };
  const plot = new uPlot(opts, [[], [], []], el);
  new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: height() })).observe(el);

  return {
    /** Redraws for a `clv` result; `finite` says whether the horizon was finite. */
    update(result, { acquisitionCost = 0, finite, format }) {
      fmt = format;
      const periods = visiblePeriods(result.periods, finite);
      const rows = periods[0]?.period === 0 ? periods : [{ period: 0, survival: 1, cumulative: 0 }, ...periods];
      marks = {
        paybackPeriod: result.paybackPeriod,
        acquisitionCost,
        color: cssVar(el, "--marker", "#b45309"),
        label: {
          cac: `CAC ${format.money0(acquisitionCost)}`,
          payback: result.paybackPeriod === null ? "" : `Payback: ${format.count(result.paybackPeriod)}`,
        },
      };
      plot.axes[0].label = format.period[0].toUpperCase() + format.period.slice(1);
      plot.setData([rows.map((p) => p.period), rows.map((p) => p.survival), rows.map((p) => p.cumulative)]);
      if (acquisitionCost > 0) {
        const max = Math.max(acquisitionCost * 1.1, ...rows.map((p) => p.cumulative));
        const min = Math.min(0, ...rows.map((p) => p.cumulative));
        plot.setScale("value", { min, max });
      }
    },
  };
}

/**
 * Horizontal bars around a centre value, as HTML. `rows`: `[{ label, bars: [{ from, to, kind, text }] }]`
 * where `kind` picks the colour class and `text` is printed at the bar's outer end, in the `labelRoom`
 * (a fraction of the width) kept free on each side that has bars.
 */
export function renderBars(el, rows, { center = 0, legend = [], labelRoom = 0.25 } = {}) {
  const bars = rows.flatMap((r) => r.bars);
  const values = bars.flatMap((b) => [b.from, b.to]).concat(center);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  // Leave room for the value labels on the sides where bars print them.
  const padLeft = bars.some((b) => b.to < b.from) ? labelRoom : 0.01;
  const padRight = bars.some((b) => b.to >= b.from) ? labelRoom : 0.01;
  const pos = (v) => 100 * (padLeft + (1 - padLeft - padRight) * ((v - lo) / span));
  el.replaceChildren();
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "bar-row";
    const name = document.createElement("span");
    name.className = "bar-label";
    name.textContent = row.label;
    const track = document.createElement("span");
    track.className = "bar-track";
    const axis = document.createElement("span");
    axis.className = "bar-axis";
    axis.style.left = `${pos(center)}%`;
    track.append(axis);
    for (const bar of row.bars) {
      const a = pos(Math.min(bar.from, bar.to));
      const b = pos(Math.max(bar.from, bar.to));
      const rect = document.createElement("span");
      rect.className = `bar bar-${bar.kind}`;
      rect.style.left = `${a}%`;
      rect.style.width = `${Math.max(b - a, 0.4)}%`;
      rect.title = bar.title ?? bar.text;
      const text = document.createElement("span");
      const right = bar.to >= bar.from;
      text.className = `bar-text ${right ? "right" : "left"}`;
      text.style[right ? "left" : "right"] = `${right ? b : 100 - a}%`;
      text.textContent = bar.text;
      track.append(rect, text);
    }
    line.append(name, track);
    el.append(line);
  }
  if (legend.length) {
    const keys = document.createElement("div");
    keys.className = "bar-legend";
    for (const { kind, text } of legend) {
      const key = document.createElement("span");
      key.innerHTML = `<i class="swatch bar-${kind}"></i>`;
      key.append(text);
      keys.append(key);
    }
    el.append(keys);
  }
}
