// <clv-montecarlo>: the spread of a customer base's equity, simulated run by run, as a custom element:
//
//   <script type="module" src="https://example.com/clvlab/components/clv-montecarlo.js"></script>
//   <clv-montecarlo customers="5000" margin="120" retention="0.82" discount-rate="0.1" horizon="10"></clv-montecarlo>
//
// Inputs (attributes the reader can then edit): customers, margin (per customer and period), retention (a
// fraction), discount-rate (a fraction), horizon (periods), runs, seed; or the `config` property with a
// whole `simulateEquity` input (several segments, Gamma margins, acquisition, parameter uncertainty are
// summarized instead of shown in fields). Display: currency, locale, period-unit, heading, theme, hide
// (the attributes of the fields to leave out, e.g. hide="runs seed"; their attribute or default still counts).
// The same seed gives the same numbers: run i draws from the stream of (seed, i). The runs are computed
// on the page in chunks (`simulateEquityChunk`, then `summarizeRuns`, bit-identical to one
// `simulateEquity` call), yielding to the browser between chunks; a change of input abandons a
// computation in progress. Every result fires `clv-change` with `detail: { input, result }` (the
// `simulateEquity` input and result); bad input fires `clv-error` with `detail: { message }`.
// Theming: the --clv-* custom properties of <clv-calculator>, and ::part(container | heading | inputs |
// field | label | input | hint | error | results | summary | headline | value | kpis | kpi | chart | legend).
import { FieldsElement, styleSheets, setFields, readFields, onlyKeys } from "./common.js";

const SPECS = [
  { attr: "customers", key: "customers", label: "Customers", integer: true, fallback: 1000 },
  { attr: "margin", key: "margin", label: "Margin per {period}", unit: "currency", fallback: 100 },
  { attr: "retention", key: "retention", label: "Retention per {period}", unit: "%", percent: true, fallback: 0.8 },
  { attr: "discount-rate", key: "discountRate", label: "Discount rate", unit: "%/period", percent: true, fallback: 0.1 },
  { attr: "horizon", key: "horizon", label: "Horizon", unit: "periods", integer: true, fallback: 10 },
  { attr: "runs", key: "runs", label: "Runs", integer: true, fallback: 1000 },
  { attr: "seed", key: "seed", label: "Seed", integer: true, fallback: 1 },
];
/** The fields that describe the one segment (hidden when `config` gives segments they cannot show). */
const SEGMENT_KEYS = ["customers", "margin", "retention"];
const WIDTH = 560;
const HEIGHT = 170;
const PAD = { left: 8, right: 8, top: 22, bottom: 24 };

/** A config's one segment when the fields can show it (fixed margin, constant retention), or null. */
function fieldsOf(config) {
  const [s, more] = config.segments ?? [];
  const plain = s && !more && onlyKeys(config, ["segments", "discountRate", "horizon", "runs", "seed"]);
  return plain && onlyKeys(s, ["name", "customers", "margin", "retention"]) && typeof s.margin === "number" && typeof s.retention === "number" ? s : null;
}

const CSS = `
svg .bin { fill: color-mix(in srgb, var(--_accent) 55%, transparent); }
svg .band { fill: var(--_tint); }
svg .mean { stroke: var(--_marker); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .label { fill: var(--_marker); font-weight: 650; }
svg .axis-line { stroke: var(--_border); }
figcaption { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.78rem; color: var(--_muted); margin-top: 0.35rem; }
.key::before { content: ""; display: inline-block; width: 0.9rem; height: 0.6rem; margin-right: 0.4rem; vertical-align: -0.05em; }
.key.band::before { background: var(--_tint); border: 1px solid var(--_border); }
.key.bins::before { background: color-mix(in srgb, var(--_accent) 55%, transparent); }
.key.mean::before { height: 0; border-top: 2px dashed var(--_marker); vertical-align: 0.2em; }
`;

export class ClvMonteCarlo extends FieldsElement {
  static tag = "clv-montecarlo";
  static what = "simulation";
  static specs = SPECS;
  static extraAttributes = [];
  static sheets = styleSheets(CSS);
  static hint = `Each run follows every customer: who renews each <span class="period">year</span> is random.
    The same seed gives the same numbers.`;
  static resultsHtml = `
    <div class="headline" part="headline">
      <span class="name" id="mean-name">Expected customer equity</span>
      <output class="clv" part="value" aria-labelledby="mean-name" aria-live="polite">—</output>
      <span class="note">mean over the runs, in today's money</span>
    </div>
    <dl class="kpis" part="kpis">
      <div class="kpi" part="kpi"><dt>5th percentile</dt><dd class="p5">—</dd></div>
      <div class="kpi" part="kpi"><dt>Median</dt><dd class="p50">—</dd></div>
      <div class="kpi" part="kpi"><dt>95th percentile</dt><dd class="p95">—</dd></div>
    </dl>
    <figure part="chart">
      <svg role="img" aria-label="Histogram of customer equity over the runs" viewBox="0 0 ${WIDTH} ${HEIGHT}"></svg>
      <figcaption part="legend"><span class="key bins">Runs</span><span class="key band">5th to 95th percentile</span><span class="key mean">Mean</span></figcaption>
    </figure>`;

  /** A `config` whose segments the fields cannot show. */
  #custom = null;

  applyConfig(config) {
    const segment = config.segments ? fieldsOf(config) : null;
    if (config.segments) this.#custom = segment ? null : config;
    setFields(this.form, SPECS, { ...config, ...segment });
  }

  buildInput() {
    const { customers, margin, retention, ...settings } = readFields(this.form, SPECS);
    const model = this.#custom ?? { segments: [{ name: "Customers", customers, margin, retention }] };
    return { ...model, ...settings };
  }

  /** `segments[0].margin` → `margin`: errors in the one segment point at its field. */
  fieldName(path) {
    return this.#custom ? path : path.replace(/^segments\[0\]\./, "");
  }

  /** Runs in chunks, yielding between them (with progress in the note); null when a newer computation took over. */
  async compute(config, stale) {
    const { segments = [], horizon, runs, acquisition } = config;
    const perRun = segments.length * horizon * (acquisition ? horizon + 1 : 1);
    const chunks = await this.simulateInChunks(runs, perRun, (first, count) => this.api.simulateEquityChunk(config, first, count), stale);
    return chunks && this.api.summarizeRuns(config, chunks);
  }

  relabelled() {
    const custom = this.#custom;
    for (const key of SEGMENT_KEYS) this.$(`[data-field="${key}"]`).hidden = custom !== null;
    const summary = this.$(".custom");
    summary.hidden = custom === null;
    if (custom) {
      const customers = custom.segments.reduce((n, s) => n + s.customers, 0);
      summary.textContent = `${custom.segments.length} segment${custom.segments.length === 1 ? "" : "s"}, ${this.format().number(customers)} customers${custom.acquisition ? ", with acquisition" : ""}.`;
    }
  }

  show(config, result, fmt) {
    const mean = this.$(".clv");
    mean.textContent = fmt.moneyShort(result.mean);
    mean.title = fmt.money(result.mean);
    this.$(".note").textContent =
      `mean of ${fmt.number(result.runs)} runs (seed ${config.seed}), in today's money`;
    const p = result.percentiles;
    for (const key of ["p5", "p50", "p95"]) {
      this.$(`.${key}`).textContent = fmt.moneyShort(p[key]);
      this.$(`.${key}`).title = fmt.money(p[key]);
    }
    const svg = this.$("svg");
    svg.innerHTML = histogram(result, fmt);
    svg.setAttribute(
      "aria-label",
      `Histogram of customer equity over ${result.runs} runs: 90% of runs between ${fmt.money0(p.p5)} and ` +
        `${fmt.money0(p.p95)}, mean ${fmt.money0(result.mean)}.`,
    );
  }
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The histogram's SVG: the P5–P95 band behind the bins, the mean marked, the range's ends labelled. */
function histogram({ histogram: { edges, counts }, percentiles: p, mean }, fmt) {
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (v) => Math.round((PAD.left + (hi > lo ? ((v - lo) / (hi - lo)) * plotW : plotW / 2)) * 10) / 10;
  const top = Math.max(...counts, 1);
  const base = PAD.top + plotH;
  const parts = [`<rect class="band" x="${x(p.p5)}" y="${PAD.top}" width="${Math.max(x(p.p95) - x(p.p5), 1)}" height="${plotH}"/>`];
  counts.forEach((count, i) => {
    const h = (count / top) * plotH;
    const left = hi > lo ? x(edges[i]) : x(lo) - 4;
    const width = hi > lo ? Math.max(x(edges[i + 1]) - left - 1, 1) : 8;
    parts.push(`<rect class="bin" x="${left}" y="${base - h}" width="${width}" height="${h}"/>`);
  });
  const anchor = (v) => (x(v) < WIDTH * 0.2 ? "start" : x(v) > WIDTH * 0.8 ? "end" : "middle");
  parts.push(
    `<line class="axis-line" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${base}" y2="${base}"/>`,
    `<line class="mean" x1="${x(mean)}" x2="${x(mean)}" y1="${PAD.top - 4}" y2="${base}"/>`,
    `<text class="label" x="${x(mean)}" y="${PAD.top - 8}" text-anchor="${anchor(mean)}">${escape(`Mean ${fmt.moneyShort(mean)}`)}</text>`,
    `<text x="${PAD.left}" y="${HEIGHT - 6}">${escape(fmt.moneyShort(lo))}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">${escape(fmt.moneyShort(hi))}</text>`,
  );
  return parts.join("");
}

if (!customElements.get("clv-montecarlo")) customElements.define("clv-montecarlo", ClvMonteCarlo);
