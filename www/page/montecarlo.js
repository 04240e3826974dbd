// The Monte Carlo tab: a segments editor and simulation settings, runs of `simulateEquity` spread over a
// Web Worker pool (montecarlo-pool.js) with a progress bar, cancel and a 100-run preview, and the
// results: percentiles, P(equity > target), a histogram with percentiles marked and a fan chart.
import uPlot from "../vendor/uplot/uPlot.esm.js";
import { showError, clearErrors, fieldElement } from "../helpers/form.js";
import { renderBars } from "./charts.js";
import { createEquityPool } from "./montecarlo-pool.js";

const $ = (id) => document.getElementById(id);
const cssVar = (el, name, fallback) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;
/** Short money for chart axes: "$18.3M". */
const compactMoney = (fmt) => {
  const f = new Intl.NumberFormat(undefined, { style: "currency", currency: fmt.currency, notation: "compact", maximumSignificantDigits: 4 });
  return (v) => f.format(v);
};
const num = (text) => (String(text).trim() === "" ? NaN : Number(text));

const DEFAULT_SEGMENTS = [
  { name: "Loyal", customers: "20000", margin: "120", cv: "0.6", model: "sbg", retention: "", alpha: "0.668", beta: "3.806" },
  { name: "Regular", customers: "50000", margin: "60", cv: "0.8", model: "constant", retention: "80", alpha: "", beta: "" },
  { name: "Occasional", customers: "30000", margin: "25", cv: "1.2", model: "sbg", retention: "", alpha: "1.2", beta: "2.5" },
];

/** The `simulateEquity` segment for one edited row. */
function toSegment(s) {
  const cv = s.cv.trim() === "" ? 0 : num(s.cv);
  const retention =
    s.model === "sbg"
      ? { alpha: num(s.alpha), beta: num(s.beta) }
      : s.model === "bdw"
        ? { gamma: num(s.gamma), delta: num(s.delta), c: num(s.c) }
        : num(s.retention) / 100;
  return { name: s.name, customers: num(s.customers), margin: cv === 0 ? num(s.margin) : { mean: num(s.margin), cv }, retention };
}

const FIELD_NAMES = { customers: "customers", margin: "margin", "margin.mean": "margin", "margin.cv": "margin CV", retention: "retention", "retention.alpha": "α", "retention.beta": "β", "retention.gamma": "γ", "retention.delta": "δ", "retention.c": "c" };

function fieldLabel(path) {
  const m = /^segments\[(\d+)\]\.(.*)$/.exec(path);
  if (m) return `Segment ${Number(m[1]) + 1}, ${FIELD_NAMES[m[2]] ?? m[2]}`;
  return { horizon: "Horizon", discountRate: "Discount rate", runs: "Runs", seed: "Seed", target: "Target", segments: "Segments" }[path] ?? path;
}

function field(id, labelText, value, { onInput, ...options }) {
  const { wrap, el } = fieldElement(id, labelText, value, options);
  el.addEventListener("input", () => onInput(el.value));
  return wrap;
}

/** Dashed vertical lines at `getMarks()` x values, labelled. */
function marksPlugin(getMarks) {
  return {
    hooks: {
      draw(u) {
        const { ctx } = u;
        const { top, height, left, width } = u.bbox;
        const dpr = devicePixelRatio || 1;
        ctx.save();
        ctx.setLineDash([5 * dpr, 4 * dpr]);
        ctx.lineWidth = 1.5 * dpr;
        ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
        ctx.textAlign = "center";
        for (const { x, label, color } of getMarks()) {
          const px = u.valToPos(x, "x", true);
          if (!(px >= left && px <= left + width)) continue;
          ctx.strokeStyle = color;
          ctx.fillStyle = color;
          ctx.beginPath();
          ctx.moveTo(px, top + 16 * dpr);
          ctx.lineTo(px, top + height);
          ctx.stroke();
          ctx.fillText(label, px, top + 11 * dpr);
        }
        ctx.restore();
      },
    },
  };
}

function axis(el, label, values, extra = {}) {
  return {
    label,
    stroke: cssVar(el, "--muted", "#64748b"),
    grid: { stroke: cssVar(el, "--grid", "#eef2f7") },
    ticks: { show: false },
    values,
    ...extra,
  };
}

function createHistogram(el, getFormat) {
  let marks = [];
  const accent = cssVar(el, "--accent", "#4338ca");
  const plot = new uPlot(
    {
      width: el.clientWidth || 600,
      height: 280,
      padding: [18, 12, 0, 4],
      cursor: { drag: { x: false, y: false } },
      legend: { show: false },
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, max * 1.08 || 1] } },
      series: [{}, { label: "Runs", fill: cssVar(el, "--accent-soft", "#eef2ff"), stroke: accent, width: 1, paths: uPlot.paths.bars({ size: [1, Infinity], gap: 1 }), points: { show: false } }],
      axes: [
        axis(el, "Customer equity", (u, vals) => vals.map(compactMoney(getFormat())), { space: 80 }),
        axis(el, "Runs", undefined, { size: 50 }),
      ],
      plugins: [marksPlugin(() => marks)],
    },
    [[], []],
    el,
  );
  new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 280 })).observe(el);
  return (result) => {
    const { edges, counts } = result.histogram;
    const centers = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
    const color = cssVar(el, "--marker", "#c2410c");
    const p = result.percentiles;
    marks = [
      { x: p.p5, label: "P5", color },
      { x: p.p50, label: "P50", color },
      { x: p.p95, label: "P95", color },
    ];
    plot.setData([centers, counts]);
  };
}

function createFan(el, getFormat) {
  const accent = cssVar(el, "--accent", "#4338ca");
  const soft = "rgba(67, 56, 202, 0.12)";
  const plot = new uPlot(
    {
      width: el.clientWidth || 600,
      height: 280,
      padding: [12, 8, 0, 4],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      scales: { x: { time: false } },
      series: [
        { label: "Period" },
        { label: "95th percentile", stroke: soft, width: 1, points: { show: false } },
        { label: "Median", stroke: accent, width: 2.5, points: { show: false } },
        { label: "Mean", stroke: cssVar(el, "--muted", "#64748b"), width: 1.5, dash: [6, 4], points: { show: false } },
        { label: "5th percentile", stroke: soft, width: 1, points: { show: false } },
      ],
      bands: [{ series: [1, 4], fill: soft }],
      axes: [
        axis(el, "Period", (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : ""))),
        axis(el, "Cumulative equity", (u, vals) => vals.map(compactMoney(getFormat())), { size: 70 }),
      ],
    },
    [[], [], [], [], []],
    el,
  );
  new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 280 })).observe(el);
  return (result, period = getFormat().period) => {
    const f = result.byPeriod;
    const x = [0, ...f.mean.map((_, i) => i + 1)];
    const withZero = (v) => [0, ...v];
    plot.axes[0].label = period.replace(/^./, (c) => c.toUpperCase());
    plot.setData([x, withZero(f.p95), withZero(f.p50), withZero(f.mean), withZero(f.p5)]);
  };
}

export function createMonteCarlo({ api, getFormat }) {
  const panel = $("panel-montecarlo");
  const list = $("mc-segments");
  const form = $("mc-settings");
  let segments = DEFAULT_SEGMENTS.map((s) => ({ ...s }));
  let pool = null;
  let job = null;
  let last = null;
  let uid = 0;
  const drawHistogram = createHistogram($("mc-histogram"), getFormat);
  const drawFan = createFan($("mc-fan"), getFormat);

  function renderSegments() {
    list.replaceChildren();
    segments.forEach((s, i) => {
      const row = document.createElement("fieldset");
      row.className = "scenario mc-segment";
      row.setAttribute("aria-label", `Segment ${i + 1}`);
      const id = `mc-seg-${uid++}`;
      const set = (key) => (value) => (s[key] = value);
      row.append(
        field(`${id}-name`, "Name", s.name, { type: "text", onInput: set("name") }),
        field(`${id}-customers`, "Customers", s.customers, { field: `segments[${i}].customers`, onInput: set("customers") }),
        field(`${id}-margin`, `Margin per ${getFormat().period}`, s.margin, { unit: "currency", field: `segments[${i}].margin`, onInput: set("margin") }),
        field(`${id}-cv`, "Margin CV", s.cv, { field: `segments[${i}].margin.cv`, onInput: set("cv") }),
      );
      const modelWrap = document.createElement("div");
      modelWrap.className = "field";
      const modelLabel = document.createElement("label");
      modelLabel.htmlFor = `${id}-model`;
      modelLabel.textContent = "Retention";
      const model = document.createElement("select");
      model.id = `${id}-model`;
      model.innerHTML = '<option value="constant">Constant rate</option><option value="sbg">Varies by customer</option><option value="bdw">And with tenure</option>';
      model.value = s.model;
      model.addEventListener("change", () => {
        s.model = model.value;
        renderSegments();
      });
      modelWrap.append(modelLabel, model);
      const retention = document.createElement("div");
      retention.className = "mc-retention";
      if (s.model === "sbg") {
        retention.append(
          field(`${id}-alpha`, "α", s.alpha, { field: `segments[${i}].retention.alpha`, onInput: set("alpha") }),
          field(`${id}-beta`, "β", s.beta, { field: `segments[${i}].retention.beta`, onInput: set("beta") }),
        );
      } else if (s.model === "bdw") {
        retention.append(
          field(`${id}-gamma`, "γ", s.gamma ?? "", { field: `segments[${i}].retention.gamma`, onInput: set("gamma") }),
          field(`${id}-delta`, "δ", s.delta ?? "", { field: `segments[${i}].retention.delta`, onInput: set("delta") }),
          field(`${id}-c`, "c", s.c ?? "", { field: `segments[${i}].retention.c`, onInput: set("c") }),
        );
      } else {
        const rate = field(`${id}-retention`, `Retention per ${getFormat().period}`, s.retention, { unit: "%", field: `segments[${i}].retention`, onInput: set("retention") });
        rate.classList.add("wide");
        retention.append(rate);
      }
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button ghost remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove segment ${i + 1}`);
      remove.disabled = segments.length === 1;
      remove.addEventListener("click", () => {
        segments.splice(i, 1);
        renderSegments();
      });
      row.append(modelWrap, retention, remove);
      list.append(row);
    });
    for (const el of list.querySelectorAll(".unit-currency")) el.textContent = getFormat().symbol;
  }

  function config() {
    const value = (name) => form.elements[name].value;
    const target = value("target").trim();
    const input = {
      segments: segments.map(toSegment),
      discountRate: num(value("discountRate")) / 100,
      horizon: num(value("horizon")),
      runs: num(value("runs")),
      seed: num(value("seed")),
    };
    if (target !== "") input.target = num(target);
    return input;
  }

  /** Draws a result; `base`: a fitted base's description when the result is `valueCustomerBase`'s. */
  function render(result, { preview, input = config(), base = null }) {
    const fmt = getFormat();
    last = { result, preview, input, base };
    const runs = base ? "parameter draws" : "runs";
    $("mc-source").hidden = !base;
    $("mc-source").textContent = base
      ? `The fitted base from ${base.name}: ${base.customers.toLocaleString()} customers valued over the next ` +
        `${input.horizon} months at ${+(input.discountRate * 100).toFixed(4)}% a month, ${fmt.money0(result.estimate)} at the ` +
        `estimates. The spread is the fit's parameter uncertainty (${result.runs.toLocaleString()} draws of the ` +
        `${base.model} and Gamma-Gamma parameters); each draw's value is an expectation. Run the simulation to return to the segments.`
      : "";
    $("mc-results").hidden = false;
    $("mc-results").classList.toggle("stale", false);
    const mean = $("mc-mean");
    mean.textContent = fmt.money0(result.mean);
    mean.dataset.value = String(result.mean);
    $("mc-mean-sub").textContent = `± ${fmt.money0(result.stdDev)} (sd over ${result.runs.toLocaleString()} ${runs}${preview ? ", preview" : ""})`;
    $("mc-p5").textContent = fmt.money0(result.percentiles.p5);
    $("mc-p50").textContent = fmt.money0(result.percentiles.p50);
    $("mc-iqr").textContent = `Middle half: ${fmt.money0(result.percentiles.p25)} to ${fmt.money0(result.percentiles.p75)}`;
    $("mc-p95").textContent = fmt.money0(result.percentiles.p95);
    const target = form.elements.target.value.trim();
    $("mc-prob").textContent = result.probAboveTarget === null ? "—" : fmt.percent(result.probAboveTarget);
    $("mc-prob-sub").textContent = result.probAboveTarget === null ? "Enter a target to see it" : `Target ${fmt.money0(Number(target))}`;
    drawHistogram(result);
    drawFan(result, base ? "month" : fmt.period);
    renderBars(
      $("mc-segment-bars"),
      result.bySegment.map((s, i) => ({
        label: s.name || `Segment ${i + 1}`,
        bars: [{ from: 0, to: s.mean, kind: s.mean >= 0 ? "high" : "down", text: fmt.money0(s.mean) }],
      })),
    );
  }

  function setRunning(running) {
    $("mc-run").disabled = running;
    $("mc-cancel").disabled = !running;
  }

  async function run() {
    const fallback = $("mc-error");
    clearErrors(panel, fallback);
    const input = config();
    pool ??= createEquityPool({ api });
    const progress = $("mc-progress");
    const status = $("mc-status");
    progress.max = Number.isFinite(input.runs) && input.runs > 0 ? input.runs : 1;
    progress.value = 0;
    status.textContent = "Starting…";
    setRunning(true);
    const started = performance.now();
    let done = 0;
    job = pool.run(input, {
      onProgress: (runs, total) => {
        done = runs;
        progress.value = runs;
        status.textContent = `${runs.toLocaleString()} of ${total.toLocaleString()} runs`;
      },
      onPreview: (summary) => render(summary, { preview: true }),
    });
    const current = job;
    try {
      const result = await current.result;
      render(result, { preview: false });
      status.textContent = `${result.runs.toLocaleString()} runs in ${Math.round(performance.now() - started).toLocaleString()} ms on ${pool.workers} worker${pool.workers === 1 ? "" : "s"}`;
    } catch (e) {
      if (job !== current) {
        // Replaced (by a fitted base): its own status stands.
      } else if (e.name === "AbortError") {
        status.textContent = `Cancelled after ${done.toLocaleString()} runs`;
      } else {
        status.textContent = "";
        progress.value = 0;
        showError(panel, fallback, e, fieldLabel);
        $("mc-results").classList.toggle("stale", true);
      }
    } finally {
      if (job === current) {
        job = null;
        setRunning(false);
      }
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  $("mc-cancel").addEventListener("click", () => job?.cancel());
  $("mc-add-segment").addEventListener("click", () => {
    segments.push({ name: `Segment ${segments.length + 1}`, customers: "10000", margin: "50", cv: "0.5", model: "constant", retention: "75", alpha: "", beta: "" });
    renderSegments();
  });
  renderSegments();

  const SETTINGS = ["horizon", "discountRate", "runs", "seed", "target"];
  return {
    /** The configuration as typed (for share links): the settings form's fields and `segments`. */
    getState: () => ({
      ...Object.fromEntries(SETTINGS.map((name) => [name, form.elements[name].value])),
      segments: segments.map((s) => ({ ...s })),
    }),
    /** Restores what `getState` returned; missing fields keep their current values. Does not run. */
    setState(state) {
      for (const name of SETTINGS) if (typeof state[name] === "string") form.elements[name].value = state[name];
      if (state.segments?.length) segments = state.segments.map((s) => ({ ...s }));
      renderSegments();
    },
    /**
     * Replaces the segments with `list` (rows as the editor keeps them: text fields, `model` "constant",
     * "sbg" or "bdw") and the discount rate with `discountRate` (percent, as typed); does not run.
     */
    setSegments(list, { discountRate } = {}) {
      segments = list.map((s) => ({ cv: "0", retention: "", alpha: "", beta: "", gamma: "", delta: "", c: "", ...s }));
      if (discountRate !== undefined) form.elements.discountRate.value = discountRate;
      renderSegments();
    },
    /** The last result shown: `{ result, preview, input, base }` (`input` as read when it was drawn), or null. */
    current: () => last,
    /**
     * Shows a fitted base's value (`valueCustomerBase`'s result) in place of a simulation: `base` names
     * its file, model and customers, `value` its `{ months, monthlyDiscountRate }`, `draws` and `seed`.
     */
    showBase({ result, base, value, draws, seed = 1 }) {
      // A running simulation stops, and says nothing when its cancel arrives.
      const running = job;
      job = null;
      running?.cancel();
      setRunning(false);
      const input = { seed, horizon: value.months, discountRate: value.monthlyDiscountRate, draws, source: `fitted base (${base.name}, ${base.model})` };
      render(result, { preview: false, input, base });
      $("mc-status").textContent = `Fitted base valued in ${Math.round(base.ms).toLocaleString()} ms`;
    },
    /** Re-renders labels and numbers after a currency or period-unit change. */
    refresh() {
      renderSegments();
      if (last) render(last.result, last);
    },
  };
}
