// <clv-calculator>: the CLV calculator as a custom element with Shadow DOM, for embedding on any page with
// one module script and one tag:
//
//   <script type="module" src="https://example.com/clvlab/components/clv-calculator.js"></script>
//   <clv-calculator margin="120" retention="0.82" discount-rate="0.1" currency="EUR" locale="de-DE"></clv-calculator>
//
// Inputs (attributes, or the `config` property with the `clv` API's camelCase fields plus `currency`,
// `locale`, `periodUnit`): margin, retention (a fraction) or alpha + beta (sBG), discount-rate (a
// fraction), horizon (periods, blank = none), timing ("end" | "start"), acquisition-cost, margin-growth,
// renewals; display: currency, locale, period-unit ("month" | "quarter" | "year"), heading, readonly,
// theme ("light" | "dark"; otherwise the reader's prefers-color-scheme), hide (the fields to leave out,
// e.g. hide="discount-rate timing": margin, retention, discount-rate, horizon, acquisition-cost, timing;
// their attribute or default still counts).
// Every computed result fires `clv-change` (bubbles, composed) with `detail: { input, result }`; bad
// input fires `clv-error` with `detail: { message }` and shows the library's message next to its field.
// Theming: the CSS custom properties --clv-accent, --clv-font, --clv-bg, --clv-fg, --clv-muted,
// --clv-border, --clv-field-bg, --clv-survival, --clv-negative, --clv-marker, --clv-radius, and
// ::part(container | heading | inputs | field | label | input | hint | error | results | summary | headline |
// value | kpis | kpi | chart | legend). The wasm library is loaded once, when the first element is connected; until then the
// element shows a skeleton. The library is found relative to this module (import.meta.url), so the
// element works from the demo server (www/components → /pkg/) and from the npm package (components/ →
// ../clvlab_core.js, the core build without the fitting exports; the build rewrites the import).
import { readClvInput, showError, clearErrors, fieldLabel } from "../helpers/form.js";
import { visiblePeriods } from "../helpers/periods.js";
import { drawValueChart } from "./value-chart.js";
import {
  loadLibrary,
  libraryRequested,
  toPercent,
  styleSheets,
  formatCache,
  displayOptions,
  emit,
  finishLoading,
  showLoadFailure,
  relabel,
  showHeading,
  showFieldProblem,
  attributeProblem,
  hideFields,
  shownField,
  STATUS_HTML,
} from "./common.js";

let firstResultMarked = false;

/** Attributes that are `clv` inputs: attribute name, form field, and whether the form shows it in percent. */
const INPUT_ATTRIBUTES = [
  ["margin", "margin", false],
  ["retention", "retention", true],
  ["alpha", "alpha", false],
  ["beta", "beta", false],
  ["discount-rate", "discountRate", true],
  ["horizon", "horizon", false],
  ["timing", "timing", false],
  ["acquisition-cost", "acquisitionCost", false],
  ["margin-growth", "marginGrowth", true],
  ["renewals", "renewals", false],
];
const DISPLAY_ATTRIBUTES = ["currency", "locale", "period-unit", "heading", "readonly", "hide"];
/**
 * The fields the form shows, as the other components' field specs (common.js): what `hide` can leave out
 * (`covers`: the fields one attribute stands for) and the defaults of a missing attribute.
 */
const SPECS = [
  { attr: "margin", key: "margin", label: "Margin per {period}", unit: "currency", fallback: 100 },
  { attr: "retention", key: "retention", label: "Retention per {period}", unit: "%", percent: true, fallback: 0.8, covers: ["retention", "retention.alpha", "retention.beta"] },
  { attr: "discount-rate", key: "discountRate", label: "Discount rate", unit: "%/period", percent: true, fallback: 0.1 },
  { attr: "horizon", key: "horizon", label: "Horizon", unit: "periods", integer: true, optional: "no limit" },
  { attr: "acquisition-cost", key: "acquisitionCost", label: "Acquisition cost", unit: "currency", optional: "0" },
  { attr: "timing", key: "timing", label: "Payments", choices: ["end", "start"], fallback: "end" },
];
const DEFAULTS = Object.fromEntries(SPECS.filter((s) => s.fallback !== undefined).map((s) => [s.key, s.fallback]));
const CSS = `
svg .grid { stroke: var(--_border); stroke-width: 1; }
svg .axis.survival { fill: var(--_survival); }
svg .survival-area { fill: color-mix(in srgb, var(--_survival) 12%, transparent); }
svg .survival-line { fill: none; stroke: var(--_survival); stroke-width: 2; }
svg .value-line { fill: none; stroke: var(--_accent); stroke-width: 2.5; stroke-linejoin: round; }
svg .marker { stroke: var(--_marker); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .marker-dot { fill: var(--_marker); }
svg .marker-text { fill: var(--_marker); }
svg .marker-text.strong { font-weight: 650; }
figcaption { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.78rem; color: var(--_muted); margin-top: 0.35rem; }
.key::before { content: ""; display: inline-block; width: 0.9rem; height: 3px; border-radius: 2px; margin-right: 0.4rem; vertical-align: 0.2em; }
.key.survival::before { background: var(--_survival); }
.key.value::before { background: var(--_accent); }
`;
const sheets = styleSheets(CSS);

const TEMPLATE = `
<div class="card" part="container">
  <h2 class="heading" part="heading" hidden></h2>
  <div class="body">
    <form part="inputs" novalidate autocomplete="off">
      <input type="hidden" name="retentionModel" value="constant" />
      <input type="hidden" name="marginGrowth" />
      <input type="hidden" name="renewals" />
      <div class="field" part="field" data-field="margin">
        <label part="label" for="margin">Margin per <span class="period">year</span></label>
        <div class="affix"><span class="prefix currency" aria-hidden="true">$</span>
          <input part="input" id="margin" name="margin" type="number" step="any" inputmode="decimal" aria-describedby="margin-error" /></div>
        <p class="error" part="error" id="margin-error" role="alert" hidden></p>
      </div>
      <div class="field constant" part="field" data-field="retention">
        <label part="label" for="retention">Retention per <span class="period">year</span></label>
        <div class="affix"><input part="input" id="retention" name="retention" type="number" step="any" min="0" max="100" inputmode="decimal" aria-describedby="retention-error" /><span class="suffix" aria-hidden="true">%</span></div>
        <p class="error" part="error" id="retention-error" role="alert" hidden></p>
      </div>
      <div class="field sbg" part="field" data-field="retention.alpha" hidden>
        <label part="label" for="alpha">Churn shape α</label>
        <input part="input" id="alpha" name="alpha" type="number" step="any" inputmode="decimal" aria-describedby="alpha-error" />
        <p class="error" part="error" id="alpha-error" role="alert" hidden></p>
      </div>
      <div class="field sbg" part="field" data-field="retention.beta" hidden>
        <label part="label" for="beta">Churn shape β</label>
        <input part="input" id="beta" name="beta" type="number" step="any" inputmode="decimal" aria-describedby="beta-error" />
        <p class="error" part="error" id="beta-error" role="alert" hidden></p>
      </div>
      <div class="field" part="field" data-field="discountRate">
        <label part="label" for="discount-rate">Discount rate</label>
        <div class="affix"><input part="input" id="discount-rate" name="discountRate" type="number" step="any" inputmode="decimal" aria-describedby="discount-rate-error" /><span class="suffix" aria-hidden="true">%/<span class="period-short">yr</span></span></div>
        <p class="error" part="error" id="discount-rate-error" role="alert" hidden></p>
      </div>
      <div class="field" part="field" data-field="horizon">
        <label part="label" for="horizon">Horizon</label>
        <div class="affix"><input part="input" id="horizon" name="horizon" type="number" step="1" min="1" placeholder="no limit" inputmode="numeric" aria-describedby="horizon-error" /><span class="suffix periods" aria-hidden="true">years</span></div>
        <p class="error" part="error" id="horizon-error" role="alert" hidden></p>
      </div>
      <div class="field" part="field" data-field="acquisitionCost">
        <label part="label" for="acquisition-cost">Acquisition cost</label>
        <div class="affix"><span class="prefix currency" aria-hidden="true">$</span>
          <input part="input" id="acquisition-cost" name="acquisitionCost" type="number" step="any" placeholder="0" inputmode="decimal" aria-describedby="acquisition-cost-error" /></div>
        <p class="error" part="error" id="acquisition-cost-error" role="alert" hidden></p>
      </div>
      <div class="field" part="field" data-field="timing">
        <label part="label" for="timing">Payments</label>
        <select part="input" id="timing" name="timing" aria-describedby="timing-error">
          <option value="end">End of each year</option>
          <option value="start">Start of each year</option>
        </select>
        <p class="error" part="error" id="timing-error" role="alert" hidden></p>
      </div>
      <p class="hint" part="hint">
        Each <span class="period">year</span>'s margin counts with the chance the customer is still there, discounted
        to today. Leave the horizon blank for no time limit.
      </p>
    </form>
    <div class="results loading" part="results" aria-busy="true">
      <p class="summary" part="summary" hidden></p>
      <div class="headline" part="headline">
        <span class="name" id="clv-name">Customer lifetime value</span>
        <output class="clv" part="value" aria-labelledby="clv-name" aria-live="polite">—</output>
        <span class="note">per customer, in today's money</span>
      </div>
      <dl class="kpis" part="kpis">
        <div class="kpi" part="kpi"><dt>Expected lifetime</dt><dd class="lifetime">—</dd></div>
        <div class="kpi" part="kpi"><dt>Net value</dt><dd class="net">—</dd></div>
        <div class="kpi" part="kpi"><dt>LTV : CAC</dt><dd class="ratio">—</dd></div>
        <div class="kpi" part="kpi"><dt>Payback</dt><dd class="payback">—</dd></div>
      </dl>
      <figure part="chart">
        <svg role="img" aria-label="Chart of customers still active and cumulative discounted value per period" viewBox="0 0 560 200" width="560" height="200"></svg>
        <figcaption part="legend"><span class="key survival">Customers still active</span><span class="key value">Cumulative discounted value</span></figcaption>
      </figure>
      ${STATUS_HTML("calculator")}
    </div>
  </div>
</div>`;

export class ClvCalculator extends HTMLElement {
  static observedAttributes = [...INPUT_ATTRIBUTES.map(([a]) => a), ...DISPLAY_ATTRIBUTES];
  static specs = SPECS;

  #root;
  #api = null;
  #pending = null;
  /** Messages for input attributes that are not numbers, by form field. */
  #problems = {};
  #last = null;
  #width = 560;
  /** Display options set through `config` (they take precedence over the attributes). */
  #display = {};
  #formats = formatCache("clv-calculator");

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
  }

  connectedCallback() {
    if (!libraryRequested()) performance.mark("clv-calculator:connected");
    const loaded = loadLibrary(); // first, so the downloads start before the skeleton is built
    if (!this.#root.firstChild) this.#render();
    loaded.then(
      (api) => {
        this.#api = api;
        this.#update();
      },
      (error) => showLoadFailure(this.#root, "calculator", error),
    );
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#root.firstChild || old === value) return;
    const input = INPUT_ATTRIBUTES.find(([a]) => a === name);
    if (input) this.#setAttributeField(name, value);
    if (name === "alpha" || name === "beta" || name === "retention") this.#syncModel();
    // A display attribute set after `config` takes over from it.
    delete this.#display[{ currency: "currency", locale: "locale", "period-unit": "periodUnit" }[name]];
    this.#relabel();
    this.#update();
  }

  /** The current inputs in the `clv` API's terms, plus `currency`, `locale` and `periodUnit`. */
  get config() {
    const display = displayOptions(this, this.#display);
    return this.#root.firstChild ? { ...readClvInput(this.#form()), ...display } : { ...this.#pending, ...display };
  }

  /** Sets any of the inputs (`clv` fields; `currency`, `locale`, `periodUnit` as display options). */
  set config(config) {
    this.#pending = { ...this.#pending, ...config };
    if (this.#root.firstChild) this.#applyPending();
  }

  /** The last good `{ input, result }`, or null before the first. */
  get value() {
    return this.#last;
  }

  // ---- rendering ----

  #render() {
    this.#root.adoptedStyleSheets = sheets();
    this.#root.innerHTML = TEMPLATE;
    for (const [name] of INPUT_ATTRIBUTES) this.#setAttributeField(name, this.getAttribute(name));
    this.#syncModel();
    this.#applyPending();
    this.#form().addEventListener("input", ({ target }) => {
      delete this.#problems[target.name];
      this.#update();
    });
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (width > 0 && width !== this.#width) {
        this.#width = width;
        if (this.#last) this.#drawChart(this.#last.input, this.#last.result);
      }
    }).observe(this.#$("figure"));
    this.#relabel();
  }

  #$(selector) {
    return this.#root.querySelector(selector);
  }

  #form() {
    return this.#$("form");
  }

  /** Shows attribute `name`'s `value` (null: its default) in its field; a number field keeps a non-number as a problem. */
  #setAttributeField(name, value) {
    const [, field, percent] = INPUT_ATTRIBUTES.find(([a]) => a === name);
    const text = value ?? String(DEFAULTS[field] ?? "");
    const problem = field === "timing" ? null : attributeProblem(name, text);
    if (problem) this.#problems[field] = problem;
    else delete this.#problems[field];
    this.#setField(field, problem ? "" : text, percent);
  }

  #setField(field, value, percent) {
    const el = this.#form().elements[field];
    if (el) el.value = percent ? toPercent(value) : value;
  }

  /** Applies `config` set through the property. */
  #applyPending() {
    const config = this.#pending ?? {};
    this.#pending = null;
    for (const [, field, percent] of INPUT_ATTRIBUTES) {
      if (!(field in config) || field === "retention") continue;
      delete this.#problems[field];
      this.#setField(field, config[field] ?? "", percent);
    }
    const { retention } = config;
    if (retention !== undefined) for (const field of ["retention", "alpha", "beta"]) delete this.#problems[field];
    if (typeof retention === "number") {
      this.#form().elements.retentionModel.value = "constant";
      this.#setField("retention", retention, true);
    } else if (retention && typeof retention === "object") {
      this.#form().elements.retentionModel.value = "sbg";
      this.#setField("alpha", retention.alpha ?? "", false);
      this.#setField("beta", retention.beta ?? "", false);
    }
    for (const key of ["currency", "locale", "periodUnit"]) if (key in config) this.#display[key] = config[key];
    this.#relabel();
    this.#update();
  }

  #format() {
    return this.#formats(displayOptions(this, this.#display));
  }

  /** sBG when alpha and beta attributes are given (and no retention attribute). */
  #syncModel() {
    const sbg = this.hasAttribute("alpha") && this.hasAttribute("beta") && !this.hasAttribute("retention");
    if (this.hasAttribute("alpha") || this.hasAttribute("retention")) {
      this.#form().elements.retentionModel.value = sbg ? "sbg" : "constant";
    }
  }

  /** Currency symbol, period names, heading and read-only mode. */
  #relabel() {
    const fmt = this.#format();
    relabel(this.#root, fmt);
    const timing = this.#form().elements.timing;
    timing.options[0].textContent = `End of each ${fmt.period}`;
    timing.options[1].textContent = `Start of each ${fmt.period} (first now)`;
    showHeading(this, this.#root);
    const problem = hideFields(this, this.#root, SPECS);
    if (problem) this.#problems.hide = problem;
    else delete this.#problems.hide;
    const readonly = this.hasAttribute("readonly");
    this.#form().hidden = readonly;
    this.#$(".body").classList.toggle("readonly", readonly);
    this.#$(".summary").hidden = !readonly;
  }

  // ---- computing ----

  #update() {
    if (!this.#api || !this.#root.firstChild) return;
    const form = this.#form();
    const sbg = form.elements.retentionModel.value === "sbg";
    for (const el of form.querySelectorAll(".constant")) el.hidden = sbg;
    for (const el of form.querySelectorAll(".sbg")) el.hidden = !sbg;
    const input = readClvInput(form);
    const fmt = this.#format();
    const results = this.#$(".results");
    const formError = this.#$(".form-error");
    // Read-only: no fields to point at, so the message (which names the field) goes under the results.
    const where = this.hasAttribute("readonly") ? this.#$(".summary") : form;
    const [field, problem] = Object.entries(this.#problems)[0] ?? [];
    let result;
    try {
      if (problem) throw new Error(problem);
      result = this.#api.clv(input);
    } catch (error) {
      const message = problem && where === form ? this.#showProblem(field, problem) : showError(where, formError, error, fieldLabel);
      results.classList.add("stale");
      finishLoading(this.#root);
      emit(this, "clv-error", { message });
      return;
    }
    clearErrors(form, formError);
    results.classList.remove("stale");
    this.#renderKpis(input, result, fmt);
    this.#drawChart(input, result);
    this.#$(".summary").textContent = this.#summary(input, fmt);
    finishLoading(this.#root);
    if (!firstResultMarked) {
      firstResultMarked = true;
      performance.mark("clv-calculator:first-result");
    }
    this.#last = { input, result };
    emit(this, "clv-change", { input, result });
  }

  /** Shows the message for an attribute that cannot be read under its field (if shown, else below); returns it. */
  #showProblem(field, message) {
    const form = this.#form();
    const fallback = this.#$(".form-error");
    clearErrors(form, fallback);
    const key = form.elements[field]?.closest(".field")?.dataset.field;
    if (key && shownField(form, key)) return showFieldProblem(form, key, message);
    Object.assign(fallback, { textContent: message, hidden: false });
    return message;
  }

  #renderKpis(input, result, fmt) {
    const cac = input.acquisitionCost ?? 0;
    const figure = (selector, number, unit) => {
      const el = this.#$(selector);
      const small = document.createElement("span");
      small.className = "unit";
      small.textContent = unit;
      el.replaceChildren(number, ...(unit ? [" ", small] : []));
    };
    const clv = this.#$(".clv");
    clv.textContent = fmt.moneyShort(result.clv);
    clv.title = fmt.money(result.clv);
    this.#$(".note").textContent =
      input.renewals === undefined
        ? "per new customer, in today's money"
        : "per existing customer, from the next renewal";
    if (result.expectedLifetime === null) figure(".lifetime", "∞");
    else figure(".lifetime", ...fmt.durationParts(result.expectedLifetime));
    const net = this.#$(".net");
    net.textContent = fmt.moneyShort(result.netValue);
    net.title = fmt.money(result.netValue);
    net.classList.toggle("negative", result.netValue < 0);
    this.#$(".ratio").textContent = cac > 0 ? fmt.ratio(result.ltvToCac) : "—";
    const payback = result.paybackPeriod;
    if (cac > 0 && payback !== null) figure(".payback", fmt.number(payback), payback === 1 ? fmt.period : fmt.periods);
    else this.#$(".payback").textContent = cac > 0 ? "Never" : "—";
  }

  #drawChart(input, result) {
    const svg = this.#$("svg");
    const label = drawValueChart(svg, visiblePeriods(result.periods, input.horizon !== undefined), {
      paybackPeriod: result.paybackPeriod,
      acquisitionCost: input.acquisitionCost ?? 0,
      width: this.#width,
      fmt: this.#format(),
    });
    svg.setAttribute("aria-label", label);
  }

  /** The assumptions in words, shown instead of the inputs when read-only. */
  #summary(input, fmt) {
    const r = input.retention;
    const retention =
      typeof r === "number"
        ? `${fmt.percent(r)} retention`
        : `sBG retention (α ${fmt.number(r.alpha)}, β ${fmt.number(r.beta)})`;
    return [
      `${fmt.money(input.margin)} margin per ${fmt.period}`,
      retention,
      `${fmt.percent(input.discountRate)} discount rate`,
      input.horizon === undefined ? "no time limit" : `over ${fmt.count(input.horizon)}`,
      input.acquisitionCost ? `${fmt.money(input.acquisitionCost)} acquisition cost` : null,
    ]
      .filter(Boolean)
      .join(" · ");
  }
}

if (!customElements.get("clv-calculator")) customElements.define("clv-calculator", ClvCalculator);
