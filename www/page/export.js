// Export: results as CSV and JSON and charts as PNG and SVG, downloaded from Blobs made in the page
// (nothing goes over the network).
//
// - CSV: numbers unformatted (dot decimals, full precision, fractions as fractions: retention 0.8 is
//   80%), in sections separated by a blank line, each with its own header row. Calculator: `field,value`
//   (inputs and KPIs), then the per-period table. Scenarios: one row per scenario, base first.
//   Monte Carlo: `field,value` summary, segment means, histogram bins, fan-chart percentiles by period.
// - JSON: `{ clvlab: { export, exported }, currency, periodUnit, input, result }`, `input` and `result`
//   exactly as the library takes and returns them.
// - PNG of a uPlot chart: its canvas (axes and series as drawn on screen) composited under the card's
//   title and over a legend of its series, on white, at the screen's pixel ratio.
// - SVG: the chart's data drawn afresh as vector lines, areas or bars with plain axes (min/max-scaled
//   ticks), title and legend; the bar charts (scenario deltas) likewise. PNG of a bar chart is that SVG
//   rasterised.
import { visiblePeriods } from "../helpers/periods.js";

const $ = (id) => document.getElementById(id);
export const EXPORT_FORMAT = 1;

// ---- files ----

/** Starts a download of `data` (a string or Blob) named `filename`. */
export function download(filename, data, type = "application/octet-stream") {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const csvCell = (v) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
/** CSV text from sections, each an array of rows (the first its header). */
export const toCsv = (...sections) =>
  sections.map((rows) => rows.map((r) => r.map(csvCell).join(",")).join("\r\n")).join("\r\n\r\n") + "\r\n";

/** `{ a: { b: 1 } }` → `[["a.b", 1]]`. */
function flatten(obj, prefix = "") {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  );
}

const json = (what, fmt, body) =>
  JSON.stringify(
    { clvlab: { export: what, format: EXPORT_FORMAT, exported: new Date().toISOString() }, currency: fmt.currency, periodUnit: fmt.periodUnit, ...body },
    null,
    2,
  );

// ---- data exports ----

export function calculatorCsv({ input, result }, fmt) {
  const fields = [["field", "value"], ["currency", fmt.currency], ["periodUnit", fmt.periodUnit], ...flatten(input)];
  for (const key of ["clv", "expectedLifetime", "netValue", "ltvToCac", "paybackPeriod"]) fields.push([key, result[key]]);
  const cols = ["period", "survival", "expectedMargin", "discountedMargin", "cumulative"];
  return toCsv(fields, [cols, ...result.periods.map((p) => cols.map((c) => p[c]))]);
}

const describeChanges = (changes) =>
  flatten(changes)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

/**
 * The scenarios table; with the Monte Carlo's `uncertainty` (a `compareScenariosMc` result and its
 * `customers`), each change per customer's mean and 90% interval and P(beats base) too.
 */
export function scenariosCsv({ scenarios, compared, uncertainty }) {
  const b = compared.base;
  const mc = uncertainty ? ["deltaPerCustomerP5", "deltaPerCustomerMean", "deltaPerCustomerP95", "probBeatsBase"] : [];
  const mcCells = (i) => {
    if (!uncertainty) return [];
    const { delta, probBetter } = uncertainty.scenarios[i];
    const n = uncertainty.customers;
    return [delta.percentiles.p5 / n, delta.mean / n, delta.percentiles.p95 / n, probBetter];
  };
  return toCsv([
    ["scenario", "changes", "value", "delta", "deltaPercent", "netValue", "netDelta", ...mc],
    ["Base", "", b.value, 0, 0, b.netValue, 0, ...mc.map(() => "")],
    ...compared.scenarios.map((s, i) => [s.name, describeChanges(scenarios[i]?.changes ?? {}), s.value, s.delta, s.deltaPercent, s.netValue, s.netDelta, ...mcCells(i)]),
  ]);
}

export function montecarloCsv({ result, input, preview }) {
  const p = result.percentiles;
  const summary = [
    ["field", "value"],
    ["source", input.source ?? "segments"],
    ["runs", result.runs],
    ["seed", input.seed],
    ["horizon", input.horizon],
    ["discountRate", input.discountRate],
    ["preview", preview],
    ["mean", result.mean],
    ["stdDev", result.stdDev],
    ...Object.entries(p),
    ["target", input.target],
    ["probAboveTarget", result.probAboveTarget],
  ];
  const { edges, counts } = result.histogram;
  const f = result.byPeriod;
  return toCsv(
    summary,
    [["segment", "mean"], ...result.bySegment.map((s) => [s.name, s.mean])],
    [["binStart", "binEnd", "runs"], ...counts.map((c, i) => [edges[i], edges[i + 1], c])],
    [["period", "mean", "p5", "p50", "p95"], ...f.mean.map((m, i) => [i + 1, m, f.p5[i], f.p50[i], f.p95[i]])],
  );
}

// ---- SVG charts ----

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const r2 = (x) => Math.round(x * 100) / 100;

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/** A standalone SVG file of `elements` (markup strings). */
const svgDocument = (width, height, title, elements) => `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"
  font-family="${FONT}">
<title>${esc(title)}</title>
${elements.join("\n")}
</svg>
`;

/** About five round tick values covering [lo, hi]. */
function ticks(lo, hi) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** [lo, hi] widened to whole steps of its own ticks, so the axis ends on a labelled value. */
function niceRange([lo, hi]) {
  const t = ticks(lo, hi);
  const step = t.length > 1 ? t[1] - t[0] : 0;
  return step > 0 ? [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step] : [lo, hi];
}

const extent = (values, { zero = true } = {}) => {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite, ...(zero ? [0] : []));
  const hi = Math.max(...finite, ...(zero ? [0] : []));
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
};

/**
 * An SVG chart of series over a shared x. `series`: `{ label, color, axis: "left"|"right", type:
 * "line"|"area"|"band"|"bars", y, lo/hi (band), from/to (bars), dash }`; `axes.left/right`:
 * `{ label, format, range }`; `marks`: dashed vertical lines `{ x, label, color }`.
 */
export function svgChart({ title, note = "", xLabel, x, series, axes, marks = [], width = 800, height = 440 }) {
  const m = { top: note ? 64 : 48, right: axes.right ? 80 : 24, bottom: 84, left: 78 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const xs = [...x, ...series.flatMap((s) => [...(s.from ?? []), ...(s.to ?? [])])];
  const [x0, x1] = extent(xs, { zero: false });
  const sx = (v) => m.left + ((v - x0) / (x1 - x0)) * w;
  const scales = {};
  for (const side of ["left", "right"]) {
    if (!axes[side]) continue;
    const values = series.filter((s) => s.axis === side).flatMap((s) => [...(s.y ?? []), ...(s.lo ?? []), ...(s.hi ?? [])]);
    const [lo, hi] = axes[side].range ?? niceRange(extent(values));
    scales[side] = { lo, hi, at: (v) => m.top + h - ((v - lo) / (hi - lo)) * h };
  }
  const out = [];
  const text = (tx, ty, s, attrs = "") => out.push(`<text x="${r2(tx)}" y="${r2(ty)}" ${attrs}>${esc(s)}</text>`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  text(m.left, 28, title, 'font-size="16" font-weight="600" fill="#111827"');
  if (note) text(m.left, 48, note, 'font-size="12" fill="#6b7280"');
  for (const [side, s] of Object.entries(scales)) {
    const a = axes[side];
    const ax = side === "left" ? m.left : m.left + w;
    for (const t of ticks(s.lo, s.hi)) {
      if (side === "left") out.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${r2(s.at(t))}" y2="${r2(s.at(t))}" stroke="#eef0f5"/>`);
      text(ax + (side === "left" ? -6 : 6), s.at(t) + 4, a.format(t), `font-size="11" fill="#6b7280" text-anchor="${side === "left" ? "end" : "start"}"`);
    }
    const lx = side === "left" ? 16 : width - 12;
    text(lx, m.top + h / 2, a.label, `font-size="12" fill="#6b7280" text-anchor="middle" transform="rotate(-90 ${lx} ${r2(m.top + h / 2)})"`);
  }
  for (const t of ticks(x0, x1)) text(sx(t), m.top + h + 18, Number(t.toPrecision(6)).toLocaleString("en-US"), 'font-size="11" fill="#6b7280" text-anchor="middle"');
  text(m.left + w / 2, m.top + h + 38, xLabel, 'font-size="12" fill="#6b7280" text-anchor="middle"');
  out.push(`<g clip-path="url(#plot)">`);
  for (const s of series) {
    const y = scales[s.axis].at;
    const pts = (ys) => x.map((v, i) => [sx(v), y(ys[i])]).filter(([, py]) => Number.isFinite(py));
    const path = (p) => p.map(([px, py]) => `${r2(px)},${r2(py)}`).join(" ");
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(" ")}"` : "";
    if (s.type === "bars") {
      s.y.forEach((v, i) => {
        const top = y(Math.max(v, 0));
        const left = sx(s.from[i]);
        const barW = Math.max(sx(s.to[i]) - left - 1, 0.5);
        const barH = Math.abs(y(v) - y(0));
        out.push(
          `<rect x="${r2(left)}" y="${r2(top)}" width="${r2(barW)}" height="${r2(barH)}" ` +
            `fill="${s.fill ?? s.color}" stroke="${s.color}" stroke-width="0.5"/>`,
        );
      });
    } else if (s.type === "band") {
      const poly = [...pts(s.hi), ...pts(s.lo).reverse()];
      out.push(`<polygon points="${path(poly)}" fill="${s.color}" fill-opacity="0.15" stroke="none"/>`);
    } else {
      const line = pts(s.y);
      if (s.type === "area" && line.length)
        out.push(`<polygon points="${path([...line, [line[line.length - 1][0], y(0)], [line[0][0], y(0)]])}" fill="${s.color}" fill-opacity="0.08"/>`);
      out.push(`<polyline points="${path(line)}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${dash}/>`);
    }
  }
  for (const k of marks) {
    const px = r2(sx(k.x));
    out.push(`<line x1="${px}" x2="${px}" y1="${m.top + 16}" y2="${m.top + h}" stroke="${k.color}" stroke-width="1.5" stroke-dasharray="5 4"/>`);
    // Labels near an edge of the plot are anchored inwards so they stay inside it.
    const edge = px < m.left + 60 ? ["start", 4] : px > m.left + w - 60 ? ["end", -4] : ["middle", 0];
    text(px + edge[1], m.top + 12, k.label, `font-size="11" font-weight="600" fill="${k.color}" text-anchor="${edge[0]}"`);
  }
  out.push("</g>");
  out.push(`<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#d1d5db"/>`);
  let lx = m.left;
  for (const s of series.filter((s) => s.label)) {
    out.push(`<rect x="${lx}" y="${height - 26}" width="12" height="12" rx="2" fill="${s.color}"/>`);
    text(lx + 18, height - 16, s.label, 'font-size="12" fill="#374151"');
    lx += 30 + s.label.length * 7;
  }
  const clip = `<defs><clipPath id="plot"><rect x="${m.left}" y="${m.top}" width="${w}" height="${h}"/></clipPath></defs>`;
  return svgDocument(width, height, title, [clip, ...out]);
}

/** An SVG of horizontal bars from 0: `rows: [{ label, value, text }]`. */
export function svgBars({ title, note = "", rows, width = 800 }) {
  const rowH = 30;
  const m = { top: note ? 64 : 48, left: 200, bottom: 24 };
  const height = m.top + rows.length * rowH + m.bottom;
  const [lo, hi] = extent(rows.map((r) => r.value));
  // Room for the value printed beyond each bar's end, on the sides that have bars.
  const padLeft = rows.some((r) => r.value < 0) ? 100 : 0;
  const padRight = rows.some((r) => r.value >= 0) ? 100 : 0;
  const w = width - m.left - padLeft - padRight - 16;
  const sx = (v) => m.left + padLeft + ((v - lo) / (hi - lo)) * w;
  const out = [`<rect width="${width}" height="${height}" fill="#fff"/>`];
  out.push(`<text x="16" y="28" font-size="16" font-weight="600" fill="#111827">${esc(title)}</text>`);
  if (note) out.push(`<text x="16" y="48" font-size="12" fill="#6b7280">${esc(note)}</text>`);
  rows.forEach((r, i) => {
    const y = m.top + i * rowH;
    const a = sx(Math.min(0, r.value));
    const b = sx(Math.max(0, r.value));
    out.push(`<text x="${m.left - 10}" y="${y + 19}" font-size="12" fill="#111827" text-anchor="end">${esc(r.label)}</text>`);
    out.push(`<rect x="${r2(a)}" y="${y + 5}" width="${r2(Math.max(b - a, 1))}" height="${rowH - 10}" rx="3" fill="${r.value >= 0 ? "#15803d" : "#b91c1c"}"/>`);
    const right = r.value >= 0;
    out.push(`<text x="${r2(right ? b + 6 : a - 6)}" y="${y + 19}" font-size="12" fill="#374151" text-anchor="${right ? "start" : "end"}">${esc(r.text)}</text>`);
  });
  out.push(`<line x1="${r2(sx(0))}" x2="${r2(sx(0))}" y1="${m.top - 4}" y2="${height - m.bottom + 4}" stroke="#9ca3af"/>`);
  return svgDocument(width, height, title, out);
}

// ---- PNG ----

const canvasBlob = (canvas) => new Promise((done) => canvas.toBlob(done, "image/png"));

/** A PNG of the uPlot chart inside `el`: title and note above, the legend's series below. */
export function uplotPng(el, { title, note = "" }) {
  const src = el.querySelector("canvas");
  const dpr = src.width / (src.clientWidth || src.width) || 1;
  // uPlot's legend rows; the x series has a marker with no inline style (and no colour).
  const legend = [...el.querySelectorAll(".u-legend .u-series:not(.u-off)")]
    .filter((s) => s.querySelector(".u-marker")?.style.borderColor)
    .map((s) => ({ label: s.querySelector(".u-label")?.textContent ?? "", color: s.querySelector(".u-marker").style.borderColor }));
  const pad = 16 * dpr;
  const titleH = 24 * dpr + (note ? 18 * dpr : 0);
  const legendH = legend.length ? 28 * dpr : 0;
  const out = document.createElement("canvas");
  out.width = src.width + 2 * pad;
  out.height = pad + titleH + src.height + legendH + pad;
  const ctx = out.getContext("2d");
  const font = (size, weight = 400) => `${weight} ${size * dpr}px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif`;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = "top";
  ctx.fillStyle = "#111827";
  ctx.font = font(16, 600);
  ctx.fillText(title, pad, pad);
  if (note) {
    ctx.fillStyle = "#6b7280";
    ctx.font = font(12);
    ctx.fillText(note, pad, pad + 22 * dpr);
  }
  ctx.drawImage(src, pad, pad + titleH);
  let x = pad;
  const y = pad + titleH + src.height + 10 * dpr;
  ctx.font = font(12);
  for (const { label, color } of legend) {
    ctx.fillStyle = color;
    ctx.fillRect(x, y, 12 * dpr, 12 * dpr);
    ctx.fillStyle = "#374151";
    ctx.fillText(label, x + 18 * dpr, y);
    x += 18 * dpr + ctx.measureText(label).width + 20 * dpr;
  }
  return canvasBlob(out);
}

/** Rasterises SVG text to a PNG at `scale` (through a data: URL image, which the page's CSP allows). */
export async function svgPng(svg, scale = devicePixelRatio || 1) {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const out = document.createElement("canvas");
  out.width = Math.round(img.width * scale);
  out.height = Math.round(img.height * scale);
  const ctx = out.getContext("2d");
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  return canvasBlob(out);
}

// ---- the charts' data as SVG ----

const capital = (s) => s.replace(/^./, (c) => c.toUpperCase());
const compactMoney = (fmt) => {
  const f = new Intl.NumberFormat("en-US", { style: "currency", currency: fmt.currency, notation: "compact", maximumSignificantDigits: 4 });
  return (v) => f.format(v);
};

export function valueChartSvg({ input, result }, fmt) {
  const rows0 = visiblePeriods(result.periods, input.horizon !== undefined);
  const rows = rows0[0]?.period === 0 ? rows0 : [{ period: 0, survival: 1, cumulative: 0 }, ...rows0];
  const x = rows.map((p) => p.period);
  const series = [
    { label: "Customers still active", color: "#0891b2", type: "area", axis: "left", y: rows.map((p) => p.survival) },
    { label: "Cumulative discounted value", color: "#4338ca", type: "line", axis: "right", y: rows.map((p) => p.cumulative), width: 2.5 },
  ];
  const cac = input.acquisitionCost ?? 0;
  if (cac > 0) {
    const label = `Acquisition cost ${fmt.money0(cac)}`;
    series.push({ label, color: "#c2410c", type: "line", axis: "right", y: x.map(() => cac), dash: [5, 4], width: 1.5 });
  }
  const payback = cac > 0 && result.paybackPeriod !== null ? result.paybackPeriod : null;
  return svgChart({
    title: "Survival and cumulative value",
    marks: payback === null ? [] : [{ x: payback, label: `Payback: ${fmt.count(payback)}`, color: "#c2410c" }],
    note: `CLV ${fmt.money(result.clv)}${result.paybackPeriod !== null && cac > 0 ? ` · payback ${fmt.count(result.paybackPeriod)}` : ""}`,
    xLabel: capital(fmt.period),
    x,
    series,
    axes: {
      left: { label: "Still active", format: (v) => `${Math.round(v * 100)}%`, range: [0, 1] },
      right: { label: "Cumulative value", format: compactMoney(fmt), range: niceRange(extent([...rows.map((p) => p.cumulative), cac * 1.1])) },
    },
  });
}

export function histogramSvg({ result }, fmt) {
  const { edges, counts } = result.histogram;
  const p = result.percentiles;
  const color = "#c2410c";
  return svgChart({
    title: "Distribution of equity",
    note: `${result.runs.toLocaleString("en-US")} runs · mean ${fmt.money0(result.mean)} · dashed: 5th, 50th and 95th percentiles`,
    xLabel: "Customer equity",
    x: counts.map((_, i) => (edges[i] + edges[i + 1]) / 2),
    series: [{ label: "Runs", color: "#4338ca", fill: "#c7d2fe", type: "bars", axis: "left", y: counts, from: edges.slice(0, -1), to: edges.slice(1) }],
    axes: { left: { label: "Runs", format: (v) => String(Math.round(v)), range: [0, Math.max(...counts, 1) * 1.08] } },
    marks: [
      { x: p.p5, label: "P5", color },
      { x: p.p50, label: "P50", color },
      { x: p.p95, label: "P95", color },
    ],
  });
}

/** The fan chart; a fitted base's (`base`, from the fit tab) is by month, over parameter draws. */
export function fanSvg({ result, base }, fmt) {
  const f = result.byPeriod;
  const x = [0, ...f.mean.map((_, i) => i + 1)];
  const z = (v) => [0, ...v];
  return svgChart({
    title: base ? "The fitted base's cumulative value over time" : "Cumulative equity over time",
    note: base ? "Band: 5th to 95th percentile over parameter draws" : "Band: 5th to 95th percentile",
    xLabel: base ? "Month" : capital(fmt.period),
    x,
    series: [
      { label: "5th–95th percentile", color: "#4338ca", type: "band", axis: "left", lo: z(f.p5), hi: z(f.p95) },
      { label: "Median", color: "#4338ca", type: "line", axis: "left", y: z(f.p50), width: 2.5 },
      { label: "Mean", color: "#64748b", type: "line", axis: "left", y: z(f.mean), dash: [6, 4], width: 1.5 },
    ],
    axes: { left: { label: "Cumulative equity", format: compactMoney(fmt) } },
  });
}

/** The scenario delta bars, for the measure the page shows (`net`: net value, else CLV). */
export function deltaSvg({ compared }, fmt, net = false) {
  const what = net ? "net value" : "CLV";
  return svgBars({
    title: `Change in ${what} against the base`,
    note: `Base ${what} ${fmt.money(net ? compared.base.netValue : compared.base.value)}`,
    rows: compared.scenarios.map((s) => {
      const value = net ? s.netDelta : s.delta;
      return { label: s.name, value, text: fmt.signedMoney(value) };
    }),
  });
}

// ---- the buttons ----

function bar(id, label, actions) {
  const wrap = document.createElement("div");
  wrap.className = "export-bar";
  wrap.id = id;
  wrap.setAttribute("role", "group");
  wrap.setAttribute("aria-label", label);
  const title = document.createElement("span");
  title.className = "export-label";
  title.textContent = "Export";
  wrap.append(title);
  for (const [bid, text, run] of actions) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = bid;
    b.className = "button ghost small";
    b.textContent = text;
    b.addEventListener("click", run);
    wrap.append(b);
  }
  return wrap;
}

/** Adds export buttons to the three tabs. `calculator`, `scenarios`, `montecarlo`: app.js's modules. */
export function setupExport({ calculator, scenarios, montecarlo, getFormat }) {
  const CSV = "text/csv;charset=utf-8";
  const JSON_TYPE = "application/json";
  const SVG = "image/svg+xml";
  const calc = () => calculator.current();
  const scen = () => scenarios.current();
  const mc = () => montecarlo.current();
  const netDeltas = () => $("delta-measure").value === "net";
  /** A click handler that downloads `file` made by `make(data, fmt)` once `get()` has data. */
  const save = (get, file, type, make) => async () => {
    const data = get();
    if (data) download(file, await make(data, getFormat()), type);
  };
  /** PNG of the uPlot chart in element `el`; `note(data, fmt)` is read at click time. */
  const png = (get, el, file, title, note) =>
    save(get, file, "image/png", (d, fmt) => uplotPng($(el), { title, note: note(d, fmt) }));

  $("results").prepend(
    bar("export-calculator", "Export the calculator's results", [
      ["export-calculator-csv", "CSV", save(calc, "clvlab-calculator.csv", CSV, calculatorCsv)],
      ["export-calculator-json", "JSON", save(calc, "clvlab-calculator.json", JSON_TYPE, (d, fmt) => json("calculator", fmt, d))],
      [
        "export-value-chart-png",
        "Chart PNG",
        png(calc, "value-chart", "clvlab-value-chart.png", "Survival and cumulative value", (d, fmt) => `CLV ${fmt.money(d.result.clv)}`),
      ],
      ["export-value-chart-svg", "Chart SVG", save(calc, "clvlab-value-chart.svg", SVG, valueChartSvg)],
    ]),
  );
  $("scenario-results").before(
    bar("export-scenarios", "Export the scenarios", [
      ["export-scenarios-csv", "CSV", save(scen, "clvlab-scenarios.csv", CSV, scenariosCsv)],
      [
        "export-scenarios-json",
        "JSON",
        save(scen, "clvlab-scenarios.json", JSON_TYPE, (d, fmt) =>
          json("scenarios", fmt, { input: { base: d.base, scenarios: d.scenarios }, result: d.compared, uncertainty: d.uncertainty }),
        ),
      ],
      ["export-delta-chart-png", "Chart PNG", save(scen, "clvlab-scenario-deltas.png", "image/png", (d, fmt) => svgPng(deltaSvg(d, fmt, netDeltas())))],
      ["export-delta-chart-svg", "Chart SVG", save(scen, "clvlab-scenario-deltas.svg", SVG, (d, fmt) => deltaSvg(d, fmt, netDeltas()))],
    ]),
  );
  $("mc-results").prepend(
    bar("export-montecarlo", "Export the simulation", [
      ["export-montecarlo-csv", "CSV", save(mc, "clvlab-montecarlo.csv", CSV, montecarloCsv)],
      [
        "export-montecarlo-json",
        "JSON",
        save(mc, "clvlab-montecarlo.json", JSON_TYPE, (d, fmt) =>
          json("montecarlo", fmt, { input: d.input, preview: d.preview, result: d.result }),
        ),
      ],
      [
        "export-mc-histogram-png",
        "Histogram PNG",
        png(mc, "mc-histogram", "clvlab-mc-histogram.png", "Distribution of equity", () => "Dashed: 5th, 50th and 95th percentiles"),
      ],
      ["export-mc-histogram-svg", "Histogram SVG", save(mc, "clvlab-mc-histogram.svg", SVG, histogramSvg)],
      ["export-mc-fan-png", "Fan PNG", png(mc, "mc-fan", "clvlab-mc-fan.png", "Cumulative equity over time", () => "Band: 5th to 95th percentile")],
      ["export-mc-fan-svg", "Fan SVG", save(mc, "clvlab-mc-fan.svg", SVG, fanSvg)],
    ]),
  );
}
