// <clv-scenarios>: what-if scenarios against a base customer (or customer base), as a custom element:
//
//   <script type="module" src="https://example.com/clvlab/components/clv-scenarios.js"></script>
//   <clv-scenarios margin="120" retention="0.82" discount-rate="0.1" currency="EUR" locale="de-DE"></clv-scenarios>
//
// The base, from attributes the reader can then edit: margin, retention (a fraction), discount-rate (a
// fraction), horizon (periods, blank = none), customers (blank = one customer's CLV; a number values
// that many existing customers as customer equity). The scenarios: the `scenarios` attribute, a JSON
// array of `compareScenarios` scenarios (`[{"name": "Cut churn 5 points", "changes": {"churnChange":
// {"points": -5}}}]`); without it, "Cut churn 5 points" and "Raise margin 10%". Or set the `config`
// property to a whole `compareScenarios` input `{ base, scenarios }` (plus `currency`, `locale`,
// `periodUnit`); a base the fields cannot show (several segments, acquisition) is summarized instead.
// Display: currency, locale, period-unit, heading, theme ("light" | "dark"), hide (the attributes of the
// fields to leave out, e.g. hide="discount-rate horizon"; their attribute or default still counts).
// Every comparison fires `clv-change` with `detail: { input, result }` (the `compareScenarios` input and
// result); bad input fires `clv-error` with `detail: { message }`.
// Theming: the --clv-* custom properties of <clv-calculator> plus --clv-positive, and ::part(container |
// heading | inputs | field | label | input | hint | error | results | summary | headline | value |
// scenarios | scenario | bar).
import { FieldsElement, styleSheets, setFields, readFields, onlyKeys } from "./common.js";

const SPECS = [
  { attr: "margin", key: "margin", label: "Margin per {period}", unit: "currency", fallback: 100 },
  { attr: "retention", key: "retention", label: "Retention per {period}", unit: "%", percent: true, fallback: 0.8 },
  { attr: "discount-rate", key: "discountRate", label: "Discount rate", unit: "%/period", percent: true, fallback: 0.1 },
  { attr: "horizon", key: "horizon", label: "Horizon", unit: "periods", integer: true, optional: "no limit" },
  { attr: "customers", key: "customers", label: "Customers", optional: "one" },
];

/** Scenarios when none are given. */
const DEFAULT_SCENARIOS = [
  { name: "Cut churn 5 points", changes: { churnChange: { points: -5 } } },
  { name: "Raise margin 10%", changes: { marginChange: { relative: 0.1 } } },
];

/** The customer of a base the fields can show (one customer, or one segment with no acquisition), or null. */
function fieldsOf(base) {
  const [segment, more] = base.segments ?? [base];
  const plain = !more && onlyKeys(base.segments ? base : {}, ["segments"]);
  const keys = ["name", "customers", "margin", "retention", "discountRate", "horizon"];
  return plain && segment && onlyKeys(segment, keys) && typeof segment.retention === "number" ? segment : null;
}

const CSS = `
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 0.45rem 0.4rem; border-bottom: 1px solid var(--_border); vertical-align: top; }
thead th { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--_muted); font-weight: 600; }
td.value { text-align: right; white-space: nowrap; }
.changes { display: block; font-size: 0.75rem; font-weight: 400; color: var(--_muted); }
.track { position: relative; height: 0.55rem; margin-top: 0.3rem; border-radius: 4px; background: var(--_tint); }
.bar { position: absolute; top: 0; bottom: 0; border-radius: 4px; background: var(--_positive); }
.bar.negative { background: var(--_negative); }
.delta { white-space: nowrap; font-weight: 650; }
`;

export class ClvScenarios extends FieldsElement {
  static tag = "clv-scenarios";
  static what = "scenarios";
  static specs = SPECS;
  static extraAttributes = ["scenarios"];
  static sheets = styleSheets(CSS);
  static hint = `Each scenario changes the base; the table shows its value and the change against the base.
    Leave customers blank to value one customer.`;
  static resultsHtml = `
    <div class="headline" part="headline">
      <span class="name" id="base-name">Base</span>
      <output class="clv" part="value" aria-labelledby="base-name" aria-live="polite">—</output>
      <span class="note">in today's money</span>
    </div>
    <table part="scenarios">
      <caption class="visually-hidden">Scenarios against the base</caption>
      <thead><tr><th scope="col">Scenario</th><th scope="col" class="value">Value</th><th scope="col">Change</th></tr></thead>
      <tbody><tr><td class="skeleton">—</td><td class="skeleton">—</td><td class="skeleton">—</td></tr></tbody>
    </table>`;

  /** A `config` base the fields cannot show, and scenarios set through `config` or the attribute. */
  #customBase = null;
  #scenarios = null;

  connectedCallback() {
    if (this.#scenarios === null) this.attributeChanged("scenarios");
    super.connectedCallback();
  }

  attributeChanged(name) {
    if (name !== "scenarios") return;
    delete this.problems[""];
    const text = this.getAttribute("scenarios");
    try {
      this.#scenarios = text === null ? null : JSON.parse(text);
    } catch (error) {
      this.problems[""] = `scenarios: not a JSON array of scenarios (${error.message})`;
    }
  }

  /** A `compareScenarios` input `{ base, scenarios }` (either may be left out). */
  applyConfig(config) {
    if (config.scenarios) this.#scenarios = config.scenarios;
    if (config.base) {
      const fields = fieldsOf(config.base);
      this.#customBase = fields ? null : config.base;
      if (fields) setFields(this.form, SPECS, { customers: "", horizon: "", ...fields });
    }
  }

  buildInput() {
    const { customers, ...customer } = readFields(this.form, SPECS);
    const base =
      this.#customBase ??
      (customers === undefined ? customer : { segments: [{ name: "Customers", customers, ...customer }] });
    return { base, scenarios: this.#scenarios ?? DEFAULT_SCENARIOS };
  }

  compute(input) {
    return this.api.compareScenarios(input);
  }

  /** `base.segments[0].margin` → `margin`: errors in the base point at its field. */
  fieldName(path) {
    return path.replace(/^base\.(segments\[0\]\.)?/, "");
  }

  /** `scenarios[1].changes.margin` → `Scenario “Raise margin 10%”, changes.margin`. */
  pathLabel(path) {
    const [, i, rest] = /^scenarios\[(\d+)\]\.?(.*)$/.exec(path) ?? [];
    const name = this.buildInput().scenarios[i]?.name ?? `${Number(i) + 1}`;
    return i === undefined ? path : `Scenario “${name}”${rest ? `, ${rest}` : ""}`;
  }

  relabelled() {
    const custom = this.#customBase !== null;
    for (const spec of SPECS) this.$(`[data-field="${spec.key}"]`).hidden = custom;
    const summary = this.$(".custom");
    summary.hidden = !custom;
    if (custom) {
      const { segments, acquisition, margin } = this.#customBase;
      const fmt = this.format();
      const customers = segments?.reduce((n, s) => n + s.customers, 0);
      summary.textContent = segments
        ? `Base: ${segments.length} segment${segments.length === 1 ? "" : "s"}, ${fmt.number(customers)} customers${acquisition ? ", with acquisition" : ""}.`
        : `Base: one customer, margin ${fmt.money(margin)} per ${fmt.period}.`;
    }
  }

  show(input, result, fmt) {
    const equity = Boolean(input.base.segments);
    this.$("#base-name").textContent = equity ? "Base customer equity" : "Base customer lifetime value";
    const value = this.$(".clv");
    value.textContent = fmt.moneyShort(result.base.value);
    value.title = fmt.money(result.base.value);
    const largest = Math.max(...result.scenarios.map((s) => Math.abs(s.delta)), 1e-12);
    const anyNegative = result.scenarios.some((s) => s.delta < 0);
    this.$("tbody").replaceChildren(
      ...result.scenarios.map((s, i) => {
        const row = document.createElement("tr");
        row.setAttribute("part", "scenario");
        const name = document.createElement("th");
        name.scope = "row";
        const changes = document.createElement("span");
        changes.className = "changes";
        const { changes: changed = {}, segment } = input.scenarios[i];
        changes.textContent = (segment ? `${segment}: ` : "") + describeChanges(changed, fmt);
        name.append(s.name, changes);
        const cell = document.createElement("td");
        cell.className = "value";
        cell.textContent = fmt.moneyShort(s.value);
        cell.title = fmt.money(s.value);
        const delta = document.createElement("td");
        const text = document.createElement("span");
        text.className = `delta ${s.delta < 0 ? "negative" : "positive"}`;
        const percent = s.deltaPercent === null ? "" : ` (${fmt.signedPercent(s.deltaPercent / 100)})`;
        text.textContent = `${s.delta > 0 ? "+" : ""}${fmt.moneyShort(s.delta)}${percent}`;
        text.title = fmt.signedMoney(s.delta);
        delta.append(text, bar(s.delta / largest, anyNegative));
        row.append(name, cell, delta);
        return row;
      }),
    );
  }
}

/** A bar for a delta of `share` (−1 … 1) of the largest; centred on zero when some deltas are negative. */
function bar(share, centred) {
  const track = document.createElement("div");
  track.className = "track";
  track.setAttribute("aria-hidden", "true");
  const el = document.createElement("div");
  el.className = `bar${share < 0 ? " negative" : ""}`;
  el.setAttribute("part", "bar");
  const zero = centred ? 50 : 0;
  const width = Math.abs(share) * (centred ? 50 : 100);
  el.style.left = `${share < 0 ? zero - width : zero}%`;
  el.style.width = `${Math.max(width, 0.5)}%`;
  track.append(el);
  return track;
}

/** A scenario's changes in words: "churn -5 points · margin +10%" (signs as Intl writes them). */
function describeChanges(changes, fmt) {
  const { churnChange: churn } = changes;
  const retention = changes.retention;
  return [
    typeof retention === "number" ? `retention ${fmt.percent(retention)}` : retention ? "sBG retention" : null,
    "margin" in changes ? `margin ${fmt.money(changes.margin)}` : null,
    "discountRate" in changes ? `discount rate ${fmt.percent(changes.discountRate)}` : null,
    "marginGrowth" in changes ? `margin growth ${fmt.percent(changes.marginGrowth)}` : null,
    "acquisitionCost" in changes ? `acquisition cost ${fmt.money(changes.acquisitionCost)}` : null,
    churn && "points" in churn ? `churn ${churn.points > 0 ? "+" : ""}${fmt.number(churn.points)} points` : null,
    churn && "relative" in churn ? `churn ${fmt.signedPercent(churn.relative)}` : null,
    changes.marginChange ? `margin ${fmt.signedPercent(changes.marginChange.relative)}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

if (!customElements.get("clv-scenarios")) customElements.define("clv-scenarios", ClvScenarios);
