// The <clv-calculator> component's small chart: share of customers still active (area, left axis) and
// cumulative discounted value (line, right axis) per period, with the acquisition cost and the payback
// period marked. Plain SVG drawn from a `clv` result: a few dozen points need no charting library, and an
// SVG styles itself from the shadow root's CSS (uPlot would need its stylesheet in every shadow root and
// a bare-specifier import a plain <script type="module"> embed cannot resolve).
const HEIGHT = 200;
const PAD = { left: 42, right: 66, top: 24, bottom: 26 };

const escape = (s) =>
  String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const round = (x) => Math.round(x * 10) / 10;

/** A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `x`. */
function niceCeil(x) {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= x * (1 - 1e-12));
}

/** Period ticks: a 1-2-5 step giving at most `max` ticks from 0 to `last`. */
function periodTicks(last, max) {
  const step =
    [1, 2, 5]
      .flatMap((m) => [1, 10, 100, 1000, 1e4].map((p) => m * p))
      .sort((a, b) => a - b)
      .find((s) => last / s <= max) ?? Math.ceil(last / max);
  const ticks = [];
  for (let t = 0; t <= last; t += step) ticks.push(t);
  return ticks;
}

/**
 * Draws the chart into `svg` (an <svg> element), `width` pixels wide, for the `periods` of a `clv` result
 * to show, its `paybackPeriod` and the acquisition cost; `fmt` is a `makeFormat` formatter set.
 * Returns a one-sentence summary for the chart's accessible name.
 */
export function drawValueChart(svg, periods, { paybackPeriod, acquisitionCost = 0, width, fmt }) {
  const rows = periods[0]?.period === 0 ? periods : [{ period: 0, survival: 1, cumulative: 0 }, ...periods];
  const last = Math.max(rows[rows.length - 1].period, 1);
  const cums = rows.map((p) => p.cumulative);
  const vMax = niceCeil(Math.max(...cums, acquisitionCost * 1.1));
  const vMin = Math.min(0, ...cums) < 0 ? -niceCeil(-Math.min(...cums)) : 0;
  const w = Math.max(width, 240);
  const plotW = w - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t) => round(PAD.left + (plotW * t) / last);
  const yS = (s) => round(PAD.top + plotH * (1 - s));
  const yV = (v) => round(PAD.top + (plotH * (vMax - v)) / (vMax - vMin));
  const line = (pts) => pts.map(([a, b], i) => `${i ? "L" : "M"}${a},${b}`).join("");

  const parts = [];
  for (const f of [0, 0.5, 1]) {
    const y = yS(f);
    parts.push(
      `<line class="grid" x1="${PAD.left}" x2="${w - PAD.right}" y1="${y}" y2="${y}"/>`,
      `<text class="axis survival" x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${escape(fmt.percent(f))}</text>`,
      `<text class="axis value" x="${w - PAD.right + 6}" y="${y + 4}">${escape(fmt.money0(vMin + f * (vMax - vMin)))}</text>`,
    );
  }
  for (const t of periodTicks(last, Math.max(2, Math.floor(plotW / 48)))) {
    parts.push(`<text class="axis" x="${x(t)}" y="${HEIGHT - 8}" text-anchor="middle">${t}</text>`);
  }
  const survival = rows.map((p) => [x(p.period), yS(p.survival)]);
  parts.push(
    `<path class="survival-area" d="${line(survival)}L${x(rows[rows.length - 1].period)},${yS(0)}L${x(rows[0].period)},${yS(0)}Z"/>`,
    `<path class="survival-line" d="${line(survival)}"/>`,
    `<path class="value-line" d="${line(rows.map((p) => [x(p.period), yV(p.cumulative)]))}"/>`,
  );
  if (acquisitionCost > 0) {
    const y = yV(acquisitionCost);
    parts.push(
      `<line class="marker" x1="${PAD.left}" x2="${w - PAD.right}" y1="${y}" y2="${y}"/>`,
      `<text class="marker-text" x="${w - PAD.right - 4}" y="${y - 5}" text-anchor="end">${escape(`CAC ${fmt.money0(acquisitionCost)}`)}</text>`,
    );
  }
  const payback = paybackPeriod;
  if (acquisitionCost > 0 && payback !== null && payback <= last) {
    const px = x(payback);
    const right = px > PAD.left + plotW * 0.7;
    parts.push(
      `<line class="marker" x1="${px}" x2="${px}" y1="${PAD.top}" y2="${yS(0)}"/>`,
      `<circle class="marker-dot" cx="${px}" cy="${yV(acquisitionCost)}" r="3.5"/>`,
      `<text class="marker-text strong" x="${px + (right ? -5 : 5)}" y="${PAD.top - 8}" text-anchor="${right ? "end" : "start"}">${escape(`Payback: ${fmt.count(payback)}`)}</text>`,
    );
  }
  svg.setAttribute("viewBox", `0 0 ${w} ${HEIGHT}`);
  svg.setAttribute("width", w);
  svg.setAttribute("height", HEIGHT);
  svg.innerHTML = parts.join("");

  const end = rows[rows.length - 1];
  return (
    `Customers still active fall to ${fmt.percent(end.survival)} by ${fmt.period} ${end.period}; ` +
    `cumulative discounted value reaches ${fmt.money(end.cumulative)}` +
    (acquisitionCost > 0 && payback !== null ? `, covering the acquisition cost in ${fmt.period} ${payback}.` : ".")
  );
}
