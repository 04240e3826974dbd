// Fit diagnostics charts (uPlot, served locally from /vendor/uplot/), as the lifetimes / BTYD plots:
// customers by number of repeat purchases in calibration (actual vs. model, grouped bars) and
// cumulative repeat transactions over calibration + holdout (actual vs. model, the calibration end
// marked). Colours come from the page's CSS custom properties.
import uPlot from "../vendor/uplot/uPlot.esm.js";

const cssVar = (el, name, fallback) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;

/** Options shared by both charts: size, cursor, grid and axis styling. */
function baseOptions(el, { xLabel, yLabel, xValues }) {
  const axis = {
    stroke: cssVar(el, "--muted", "#64748b"),
    grid: { stroke: cssVar(el, "--grid", "#eef2f7") },
    ticks: { show: false },
  };
  return {
    width: el.clientWidth || 560,
    height: el.clientWidth < 520 ? 240 : 280,
    padding: [12, 12, 0, 4],
    cursor: { points: { size: 7 }, drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: false } },
    axes: [
      { ...axis, label: xLabel, values: xValues },
      { ...axis, label: yLabel, size: 58, values: (u, vals) => vals.map((v) => v.toLocaleString()) },
    ],
  };
}

/** Makes a chart that follows the element's width. */
function mount(opts, data, el) {
  const plot = new uPlot(opts, data, el);
  new ResizeObserver(() => {
    if (el.clientWidth > 0) plot.setSize({ width: el.clientWidth, height: el.clientWidth < 520 ? 240 : 280 });
  }).observe(el);
  return plot;
}

/** A legend value: the hovered point's, or the last point's when the cursor is away. */
const legend = (format) => (u, v, si) => {
  const data = u.data[si];
  const x = v ?? data?.[data.length - 1];
  return x === null || x === undefined ? "—" : format(x);
};
const count = (digits) => legend((x) => x.toLocaleString(undefined, { maximumFractionDigits: digits }));

/**
 * Grouped bars: customers with 0, 1, …, `last`+ repeat purchases in calibration, actual and expected.
 * `update({ actual, expected })` takes two arrays of `last + 1` counts.
 */
export function createFrequencyChart(el, last = 7) {
  const x = Array.from({ length: last + 1 }, (_, i) => i);
  const label = (v) => (v === last ? `${last}+` : String(v));
  const bars = (align) => uPlot.paths.bars({ size: [0.36, 48], align });
  const opts = baseOptions(el, {
    xLabel: "Repeat purchases in calibration",
    yLabel: "Customers",
    xValues: (u, vals) => vals.map((v) => (Number.isInteger(v) && v >= 0 && v <= last ? label(v) : "")),
  });
  opts.scales.x = { time: false, range: [-0.6, last + 0.6] };
  opts.scales.y = { range: (u, min, max) => [0, max * 1.08 || 1] };
  opts.series = [
    { label: "Repeat purchases", value: legend(label) },
    {
      label: "Actual",
      fill: cssVar(el, "--survival", "#0891b2"),
      stroke: cssVar(el, "--survival", "#0891b2"),
      paths: bars(-1),
      points: { show: false },
      value: count(0),
    },
    {
      label: "Model",
      fill: cssVar(el, "--high", "#6366f1"),
      stroke: cssVar(el, "--high", "#6366f1"),
      paths: bars(1),
      points: { show: false },
      value: count(1),
    },
  ];
  const plot = mount(opts, [x, x.map(() => null), x.map(() => null)], el);
  return {
    update({ actual, expected }) {
      plot.setData([x, actual, expected]);
    },
  };
}

/** Draws a dashed vertical line at `getX()` with a label, for the end of calibration. */
function verticalMarker(getMark) {
  return {
    hooks: {
      draw(u) {
        const mark = getMark();
        if (mark === null) return;
        const { ctx } = u;
        const { top, height, left, width } = u.bbox;
        const x = u.valToPos(mark.x, "x", true);
        if (x < left || x > left + width) return;
        const dpr = devicePixelRatio || 1;
        ctx.save();
        ctx.strokeStyle = mark.color;
        ctx.fillStyle = mark.color;
        ctx.lineWidth = 1.5 * dpr;
        ctx.setLineDash([5 * dpr, 4 * dpr]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
        ctx.textAlign = "right";
        ctx.fillText(mark.label, x - 6 * dpr, top + 14 * dpr);
        ctx.restore();
      },
    },
  };
}

/**
 * Cumulative repeat transactions by time since the first purchase in the file: actual (null where
 * unknown) and expected, with the calibration end marked, and the 90 % predictive band over the holdout
 * (`band: { lower, upper }`, null before the calibration end). `update({ t, actual, expected,
 * calibrationEnd, unit, band? })`, `t` in time units.
 */
export function createCumulativeChart(el) {
  let mark = null;
  let unit = "week";
  const opts = baseOptions(el, {
    xLabel: "Weeks since the first purchase",
    yLabel: "Repeat transactions",
    xValues: (u, vals) => vals.map((v) => v.toLocaleString()),
  });
  opts.scales.y = { range: (u, min, max) => [0, max * 1.05 || 1] };
  opts.series = [
    { label: "Time", value: legend((x) => `${unit} ${x.toLocaleString(undefined, { maximumFractionDigits: 1 })}`) },
    {
      label: "Actual",
      stroke: cssVar(el, "--survival", "#0891b2"),
      width: 2.5,
      points: { show: false },
      value: count(0),
    },
    {
      label: "Model",
      stroke: cssVar(el, "--high", "#6366f1"),
      width: 2,
      dash: [6, 4],
      points: { show: false },
      value: count(0),
    },
    ...["Holdout 5%", "Holdout 95%"].map((label) => ({
      label,
      stroke: cssVar(el, "--low", "#94a3b8"),
      width: 1,
      points: { show: false },
      value: count(0),
    })),
  ];
  opts.bands = [{ series: [4, 3], fill: cssVar(el, "--survival-fill", "rgba(8, 145, 178, 0.08)") }];
  opts.plugins = [verticalMarker(() => mark)];
  const plot = mount(opts, [[], [], [], [], []], el);
  return {
    update({ t, actual, expected, calibrationEnd, unit: timeUnit, band }) {
      unit = timeUnit;
      mark = { x: calibrationEnd, label: "Calibration | holdout", color: cssVar(el, "--marker", "#c2410c") };
      const plural = { day: "Days", week: "Weeks", month: "Months" }[timeUnit] ?? "Time";
      plot.axes[0].label = `${plural} since the first purchase`;
      const none = t.map(() => null);
      plot.setData([t, actual, expected, band?.lower ?? none, band?.upper ?? none]);
    },
  };
}

/**
 * Lines by tenure (the Subscriptions tab's survival and retention curves): `series` are
 * `{ label, color }` (a CSS custom property and its fallback, `["--survival", "#0891b2"]`), values
 * shown as percentages, with an optional dashed marker. `update({ x, ys, mark })`: `ys` one array per
 * series (null where unknown), `mark` `{ x, label }` or null.
 */
export function createLinesChart(el, { xLabel, yLabel, series }) {
  let mark = null;
  const percent = legend((v) => `${(v * 100).toFixed(1)}%`);
  const opts = baseOptions(el, { xLabel, yLabel });
  opts.axes[1].values = (u, vals) => vals.map((v) => `${Math.round(v * 100)}%`);
  opts.series = [
    { label: xLabel, value: legend((v) => String(v)) },
    ...series.map(({ label, color }) => ({
      label,
      stroke: cssVar(el, color[0], color[1]),
      width: 2,
      points: { show: false },
      value: percent,
    })),
  ];
  opts.plugins = [
    verticalMarker(() => mark && { ...mark, color: cssVar(el, "--muted", "#64748b") }),
  ];
  const plot = mount(opts, [[], ...series.map(() => [])], el);
  return {
    update({ x, ys, mark: m = null }) {
      mark = m;
      plot.setData([x, ...ys]);
    },
  };
}
