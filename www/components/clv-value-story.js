// <clv-value-story>: what a product's improvement is worth to one prospect, for sales demos and landing
// pages:
//
//   <script type="module" src="https://example.com/clvlab/components/clv-value-story.js"></script>
//   <clv-value-story product="Acme Retain" improvement='{"churn": {"from": -0.1, "to": -0.2}}'
//     price-per-period="2000" hide="discount-rate horizon"></clv-value-story>
//
// The prospect's numbers, fields they edit: customers, margin (per customer and period), churn (a
// fraction per period), discount-rate, horizon (periods), new-customers (per period) and
// acquisition-cost (per new customer); `hide` lists those the embedder leaves out (their attribute
// or default still counts). The embedder fixes what the product does: `improvement`, a JSON object of
// relative changes, each a number or a range `{"from", "to"}` (`churn`, `margin`, `acquisitionCost`),
// and its price: `price-upfront` and `price-per-period`; `product` names it in the words; `runs` and
// `seed` set the simulation. Or set `config` to a whole `valueStory` input (plus display options and
// `product`). It shows, in words and one chart, the base's equity before and after, the gain with its
// 90 % interval (simulated on common random numbers), the chance the gain exceeds the price, the
// price's payback and Reichheld & Sasser's rule of thumb on the prospect's numbers. "Print summary"
// prints a one-page summary and "Save summary" downloads it as HTML; nothing is sent anywhere. The
// simulation runs in chunks (`valueStoryChunk`, then `summarizeStory`), yielding to the browser between
// them; a change of input abandons a computation in progress.
// Events: `clv-change` with `detail: { input, result }` (the `valueStory` input and result), then
// `clv-prospect` with `detail: { prospect }` (the visible fields, percentages as fractions, for a CRM
// form); `clv-error` with `detail: { message }`.
// Display: currency, locale, period-unit, heading, theme. Theming: the --clv-* custom properties and
// ::part(container | heading | inputs | field | label | input | hint | error | results | headline |
// value | kpis | kpi | story | chart | legend | actions | print | save).
import { FieldsElement, styleSheets, emit, readFields, setFields, shownField } from "./common.js";

const SPECS = [
  { attr: "customers", key: "customers", label: "Customers today", integer: true, fallback: 1000 },
  { attr: "margin", key: "margin", label: "Margin per customer per {period}", unit: "currency", fallback: 100 },
  { attr: "churn", key: "churn", label: "Churn per {period}", unit: "%", percent: true, fallback: 0.2 },
  { attr: "new-customers", key: "newCustomers", label: "New customers per {period}", optional: "none" },
  { attr: "acquisition-cost", key: "acquisitionCost", label: "Cost per new customer", unit: "currency", optional: "none" },
  { attr: "discount-rate", key: "discountRate", label: "Discount rate", unit: "%/period", percent: true, fallback: 0.1 },
  { attr: "horizon", key: "horizon", label: "Horizon", unit: "periods", integer: true, fallback: 5 },
];
/** The product's effect when the embedder gives none. */
const DEFAULT_IMPROVEMENT = { churn: { from: -0.1, to: -0.2 } };
const WIDTH = 560;
const HEIGHT = 190;
const PAD = { left: 8, right: 8, top: 16, bottom: 24 };

const CSS = `
.story { margin: 0; font-size: 0.92rem; line-height: 1.55; }
.story p { margin: 0 0 0.5rem; }
.rule { font-size: 0.82rem; color: var(--_muted); }
svg .band { fill: color-mix(in srgb, var(--_positive) 18%, transparent); }
svg .gain { fill: none; stroke: var(--_positive); stroke-width: 2; }
svg .price { fill: none; stroke: var(--_marker); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .axis-line { stroke: var(--_border); }
svg .payback { stroke: var(--_fg); stroke-width: 1; }
figcaption { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.78rem; color: var(--_muted); margin-top: 0.35rem; }
.key::before { content: ""; display: inline-block; width: 0.9rem; height: 0.6rem; margin-right: 0.4rem; vertical-align: -0.05em; }
.key.gain::before { height: 0; border-top: 2px solid var(--_positive); vertical-align: 0.2em; }
.key.band::before { background: color-mix(in srgb, var(--_positive) 18%, transparent); }
.key.price::before { height: 0; border-top: 2px dashed var(--_marker); vertical-align: 0.2em; }
.actions { display: flex; gap: 0.5rem; flex-wrap: wrap; }
button { font: inherit; font-size: 0.85rem; font-weight: 600; padding: 0.4rem 0.8rem; border-radius: 8px; cursor: pointer;
  color: var(--_accent); background: var(--_bg); border: 1px solid var(--_accent); }
button:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
`;

export class ClvValueStory extends FieldsElement {
  static tag = "clv-value-story";
  static what = "value story";
  static specs = SPECS;
  static extraAttributes = ["improvement", "price-upfront", "price-per-period", "product", "runs", "seed"];
  static sheets = styleSheets(CSS);
  static hint = `Enter your own numbers: the story values your customers today and with the improvement,
    in today's money. Nothing you type leaves this page.`;
  static resultsHtml = `
    <div class="headline" part="headline">
      <span class="name" id="gain-name">Your gain</span>
      <output class="clv" part="value" aria-labelledby="gain-name" aria-live="polite">—</output>
      <span class="note">in today's money</span>
    </div>
    <dl class="kpis" part="kpis">
      <div class="kpi" part="kpi"><dt>Worth today</dt><dd class="before">—</dd></div>
      <div class="kpi" part="kpi"><dt>Worth with it</dt><dd class="after">—</dd></div>
      <div class="kpi priced" part="kpi"><dt>Gain beats price</dt><dd class="chance">—</dd></div>
      <div class="kpi priced" part="kpi"><dt>Payback</dt><dd class="payback">—</dd></div>
    </dl>
    <div class="story" part="story"><p class="words skeleton">—</p><p class="rule"></p></div>
    <figure part="chart">
      <svg role="img" aria-label="Cumulative gain over time" viewBox="0 0 ${WIDTH} ${HEIGHT}"></svg>
      <figcaption part="legend"><span class="key gain">Expected gain, cumulative</span><span class="key band">Range of the improvement</span><span class="key price priced">Price, cumulative</span></figcaption>
    </figure>
    <div class="actions" part="actions">
      <button type="button" class="print" part="print">Print summary</button>
      <button type="button" class="save" part="save">Save summary</button>
    </div>`;

  /** What the embedder fixed: the improvement, the price, the product's name, runs and seed. */
  #pitch = { improvement: DEFAULT_IMPROVEMENT, price: null, product: null, runs: 1000, seed: 1 };
  /** The last story's summary, as a standalone HTML page. */
  #summary = "";

  connectedCallback() {
    for (const name of ClvValueStory.extraAttributes) this.attributeChanged(name);
    super.connectedCallback();
    this.$(".print").onclick = () => this.printSummary();
    this.$(".save").onclick = () => this.saveSummary();
  }

  attributeChanged(name) {
    if (!ClvValueStory.extraAttributes.includes(name)) return;
    const text = this.getAttribute(name);
    const problem = (message) => (this.problems[""] = message);
    if (name === "improvement") {
      delete this.problems[""];
      try {
        this.#pitch.improvement = text === null ? DEFAULT_IMPROVEMENT : JSON.parse(text);
      } catch (error) {
        problem(`improvement: not a JSON object of changes (${error.message})`);
      }
    } else if (name === "price-upfront" || name === "price-per-period") {
      const [upfront, perPeriod] = ["price-upfront", "price-per-period"].map((a) => this.getAttribute(a));
      if (upfront === null && perPeriod === null) this.#pitch.price = null;
      else this.#pitch.price = { upfront: Number(upfront ?? 0), perPeriod: Number(perPeriod ?? 0) };
    } else if (name === "product") {
      this.#pitch.product = text;
    } else if (name === "runs" || name === "seed") {
      this.#pitch[name] = text === null ? { runs: 1000, seed: 1 }[name] : Number(text);
    }
  }

  /** A `valueStory` input (any of its fields), and `product`. */
  applyConfig({ product, improvement, price, runs, seed, retention, ...fields }) {
    Object.assign(
      this.#pitch,
      Object.fromEntries(Object.entries({ product, improvement, price, runs, seed }).filter(([, v]) => v !== undefined)),
    );
    setFields(this.form, SPECS, { ...fields, ...(retention === undefined ? {} : { churn: 1 - retention }) });
  }

  buildInput() {
    const { churn, ...fields } = readFields(this.form, SPECS);
    const { improvement, price, runs, seed } = this.#pitch;
    return { ...fields, retention: 1 - churn, improvement, ...(price ? { price } : {}), runs, seed };
  }

  /** The simulation in chunks, yielding between them (progress in the note); null when a newer computation took over. */
  async compute(input, stale) {
    const perRun = 2 * input.horizon * (input.newCustomers ? input.horizon + 1 : 1);
    const chunks = await this.simulateInChunks(input.runs, perRun, (first, count) => this.api.valueStoryChunk(input, first, count), stale);
    return chunks && this.api.summarizeStory(input, chunks);
  }

  /** `retention` is typed as churn. */
  fieldName(path) {
    return path === "retention" ? "churn" : path;
  }

  /** The visible fields as the prospect typed them (percentages as fractions), for a CRM form. */
  get prospect() {
    const values = readFields(this.form, SPECS);
    return Object.fromEntries(SPECS.filter((s) => shownField(this.root, s.key) && s.key in values).map((s) => [s.key, values[s.key]]));
  }

  show(input, story, fmt) {
    const priced = story.priceValue !== null;
    for (const el of this.root.querySelectorAll(".priced")) el.hidden = !priced;
    const set = (selector, value) => {
      this.$(selector).textContent = fmt.moneyShort(value);
      this.$(selector).title = fmt.money(value);
    };
    set(".clv", story.gain.expected);
    set(".before", story.equityBefore);
    set(".after", story.equityAfter);
    const { p5, p95 } = story.simulated.gain.percentiles;
    this.$(".note").textContent = `90% of ${fmt.number(story.simulated.runs)} simulated outcomes between ${fmt.money0(p5)} and ${fmt.money0(p95)}, in today's money`;
    this.$(".chance").textContent = priced ? fmt.percent(story.simulated.probAbovePrice) : "—";
    this.$(".payback").textContent = priced ? paybackText(story.payback, input, fmt) : "—";
    const words = this.$(".words");
    words.classList.remove("skeleton");
    words.textContent = storyText(input, story, fmt, this.#pitch.product);
    this.$(".rule").textContent = ruleText(input, story, fmt);
    const svg = this.$("svg");
    svg.innerHTML = chart(story, fmt);
    svg.setAttribute("aria-label", chartLabel(story, input, fmt));
    this.#summary = summaryHtml(this, input, story, fmt);
    queueMicrotask(() => emit(this, "clv-prospect", { prospect: this.prospect }));
  }

  /** The one-page summary of the last story: a standalone HTML page. */
  get summary() {
    return this.#summary;
  }

  /** Prints the summary from a hidden frame (the page itself is not printed). */
  printSummary() {
    const frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.style.cssText = "position: fixed; width: 0; height: 0; border: 0; visibility: hidden";
    frame.srcdoc = this.#summary;
    frame.onload = () => {
      frame.contentWindow.print();
      setTimeout(() => frame.remove(), 1000);
    };
    document.body.append(frame);
  }

  /** Downloads the summary as an HTML file. */
  saveSummary() {
    const url = URL.createObjectURL(new Blob([this.#summary], { type: "text/html" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: "value-story.html" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** An effect in words: "10% to 20% less churn", "5% more margin". */
function effectText(effect, fmt, less, more) {
  const [from, to] = typeof effect === "number" ? [effect, effect] : [effect.from, effect.to];
  const size = (x) => fmt.percent(Math.abs(x));
  const word = from + to < 0 ? less : more;
  return from === to ? `${size(from)} ${word}` : `${size(from)} to ${size(to)} ${word}`;
}

function storyText(input, story, fmt, product) {
  const { churn, margin, acquisitionCost } = input.improvement;
  const effects = [
    churn === undefined ? null : effectText(churn, fmt, "less churn", "more churn"),
    margin === undefined ? null : effectText(margin, fmt, "less margin", "more margin"),
    acquisitionCost === undefined ? null : effectText(acquisitionCost, fmt, "cheaper acquisition", "dearer acquisition"),
  ].filter(Boolean);
  const horizon = fmt.count(input.horizon);
  const with_ = product ? `With ${product} (${effects.join(", ")})` : `With ${effects.join(", ")}`;
  const { p5, p95 } = story.simulated.gain.percentiles;
  const parts = [
    `Your customers are worth ${fmt.money0(story.equityBefore)} over the next ${horizon}.`,
    `${with_}, they would be worth ${fmt.money0(story.equityAfter)}: ${fmt.money0(story.gain.expected)} more, ` +
      `and between ${fmt.money0(p5)} and ${fmt.money0(p95)} in 90% of simulated outcomes.`,
  ];
  if (story.priceValue !== null) {
    parts.push(
      `The price, ${fmt.money0(story.priceValue)} in today's money over the ${horizon}, is beaten by the gain in ` +
        `${fmt.percent(story.simulated.probAbovePrice)} of outcomes; ${paybackSentence(story.payback, input, fmt)}.`,
    );
  }
  return parts.join(" ");
}

function paybackText(payback, input, fmt) {
  return payback === null ? `beyond ${fmt.count(input.horizon)}` : payback === 0 ? "at once" : `${fmt.count(payback)}`;
}

function paybackSentence(payback, input, fmt) {
  if (payback === null) return `the expected gain does not pay it back within ${fmt.count(input.horizon)}`;
  return payback === 0 ? "the expected gain pays it back at once" : `the expected gain pays it back within ${fmt.count(payback)}`;
}

function ruleText(input, story, fmt) {
  const { gainPercent } = story.ruleOfThumb;
  const effect = gainPercent === null ? "" : ` On your numbers, the same cut (churn ${fmt.percent(1 - input.retention)} → ` +
    `${fmt.percent(1 - story.ruleOfThumb.retention)}) would raise what your customers are worth by ${fmt.percent(gainPercent / 100)}.`;
  return `Rule of thumb: Reichheld & Sasser (1990) found that cutting defections by 5 points raised profits by 25% to 85%.${effect}`;
}

function chartLabel(story, input, fmt) {
  const price = story.priceValue === null ? "" : `; the price reaches ${fmt.money0(story.priceValue)}, ${paybackSentence(story.payback, input, fmt)}`;
  return `Cumulative gain over ${fmt.count(input.horizon)}: ${fmt.money0(story.gain.expected)} expected, ` +
    `${fmt.money0(story.gain.low)} to ${fmt.money0(story.gain.high)} across the improvement's range${price}.`;
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The chart's SVG: cumulative expected gain, the band between the range's ends, the price, payback. */
function chart({ cumulative: c, payback }, fmt) {
  const all = [...c.gain, ...c.low, ...c.high, ...(c.price ?? []), 0];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const n = c.gain.length - 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t) => Math.round((PAD.left + (n > 0 ? (t / n) * plotW : 0)) * 10) / 10;
  const y = (v) => Math.round((PAD.top + (hi > lo ? (1 - (v - lo) / (hi - lo)) * plotH : plotH / 2)) * 10) / 10;
  const line = (values) => values.map((v, t) => `${t ? "L" : "M"}${x(t)},${y(v)}`).join("");
  const band = `${line(c.high)}${c.low.map((v, t) => `L${x(n - t)},${y(c.low[n - t])}`).join("")}Z`;
  const parts = [
    `<path class="band" d="${band}"/>`,
    `<line class="axis-line" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<path class="gain" d="${line(c.gain)}"/>`,
  ];
  if (c.price) parts.push(`<path class="price" d="${line(c.price)}"/>`);
  if (payback !== null && c.price) {
    parts.push(`<line class="payback" x1="${x(payback)}" x2="${x(payback)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}"/>`);
  }
  parts.push(
    `<text x="${PAD.left}" y="${HEIGHT - 6}">now</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">${escape(fmt.count(n))}</text>`,
    `<text x="${PAD.left}" y="${PAD.top - 4}">${escape(fmt.moneyShort(hi))}</text>`,
  );
  return parts.join("");
}

/** The summary page: the story's words, figures and chart, with its own styles (prints on one page). */
function summaryHtml(el, input, story, fmt) {
  const text = (selector) => escape(el.$(selector).textContent);
  const kpis = [...el.root.querySelectorAll(".kpi")]
    .filter((k) => !k.hidden)
    .map((k) => `<tr><th>${escape(k.querySelector("dt").textContent)}</th><td>${escape(k.querySelector("dd").textContent)}</td></tr>`)
    .join("");
  const heading = el.getAttribute("heading") || "What the improvement is worth to you";
  const light = "fill: none; stroke-width: 2";
  return `<!doctype html><html lang="${escape(document.documentElement.lang || "en")}"><head><meta charset="utf-8"><title>${escape(heading)}</title>
<style>body { font: 14px/1.5 system-ui, sans-serif; color: #111; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; } .gain { font-size: 2rem; font-weight: 700; } table { border-collapse: collapse; }
th, td { text-align: left; padding: 0.25rem 1rem 0.25rem 0; } svg { width: 100%; height: auto; } svg text { font-size: 11px; fill: #555; }
.band { fill: #04785722; } .gain-line { ${light}; stroke: #047857; } .price { ${light}; stroke: #c2410c; stroke-dasharray: 5 4; }
.axis-line, .payback { stroke: #999; } @page { size: A4; margin: 15mm; }</style></head>
<body><h1>${escape(heading)}</h1><p class="gain">${text(".clv")}</p><p>${text(".note")}</p>
<table>${kpis}</table><p>${text(".words")}</p><p>${text(".rule")}</p>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}">${chart(story, fmt).replace('class="gain"', 'class="gain-line"')}</svg>
<p><small>Computed in your browser by clvlab on ${escape(new Date().toISOString().slice(0, 10))}: ${escape(fmt.number(input.customers))} customers, margin ${escape(fmt.money(input.margin))} per ${fmt.period}, churn ${escape(fmt.percent(1 - input.retention))}, discount rate ${escape(fmt.percent(input.discountRate))}.</small></p>
</body></html>`;
}

if (!customElements.get("clv-value-story")) customElements.define("clv-value-story", ClvValueStory);
