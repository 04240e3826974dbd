// What the clvlab web components share: the wasm library loaded once for all of them, the theme (light and
// dark from the --clv-* custom properties) and the card, form, headline, KPI and skeleton styles, number
// formatting per display options, labelled number fields filled from attributes, and the loading and
// event plumbing. Each component adds its own markup, styles and computation.
import { makeFormat } from "../helpers/format.js";
import { showError, clearErrors } from "../helpers/form.js";

/**
 * The library, imported and instantiated once for every element on the page. The wasm download starts
 * with the import of its JS glue rather than after it, which saves a round trip on the first render. The
 * first element to ask (the first on the page) gets it as soon as it has loaded, the others after the
 * next frame: the first result is painted without waiting for the other elements' computations.
 */
let library = null;
export const libraryRequested = () => library !== null;
export const loadLibrary = () => {
  if (library) return library.then(afterNextFrame);
  const wasm = fetch(new URL("../pkg/clvlab_core_bg.wasm", import.meta.url));
  library = import("../pkg/clvlab_core.js").then(async (module) => {
    await module.default({ module_or_path: wasm });
    return module;
  });
  return library;
};

/** Resolves to `value` once the next frame has been rendered (or after 100 ms: hidden pages render none). */
const afterNextFrame = (value) =>
  new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0, value));
    setTimeout(resolve, 100, value);
  });

/** Percent fields shown as typed numbers: 0.82 → "82" (without floating-point noise such as 7.000000000000001). */
export const toPercent = (x) =>
  x === "" || !Number.isFinite(Number(x)) ? "" : String(+(Number(x) * 100).toPrecision(12));

const LIGHT = `
  --_accent: var(--clv-accent, #4338ca);
  --_bg: var(--clv-bg, #ffffff);
  --_fg: var(--clv-fg, #111827);
  --_muted: var(--clv-muted, #5b6472);
  --_border: var(--clv-border, #e3e6ec);
  --_field-bg: var(--clv-field-bg, #ffffff);
  --_tint: color-mix(in srgb, var(--_accent) 7%, var(--_bg));
  --_survival: var(--clv-survival, #0e7490);
  --_positive: var(--clv-positive, #047857);
  --_negative: var(--clv-negative, #b91c1c);
  --_marker: var(--clv-marker, #c2410c);
  color-scheme: light;`;
const DARK = `
  --_accent: var(--clv-accent, #a5b4fc);
  --_bg: var(--clv-bg, #111827);
  --_fg: var(--clv-fg, #f3f4f6);
  --_muted: var(--clv-muted, #a3acb9);
  --_border: var(--clv-border, #2f3a4c);
  --_field-bg: var(--clv-field-bg, #1a2333);
  --_tint: color-mix(in srgb, var(--_accent) 12%, var(--_bg));
  --_survival: var(--clv-survival, #67e8f9);
  --_positive: var(--clv-positive, #6ee7b7);
  --_negative: var(--clv-negative, #fca5a5);
  --_marker: var(--clv-marker, #fdba74);
  color-scheme: dark;`;

const BASE_CSS = `
:host { display: block; container-type: inline-size; ${LIGHT}
  font-family: var(--clv-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  font-size: 15px; line-height: 1.45; color: var(--_fg); }
:host([theme="dark"]) { ${DARK} }
@media (prefers-color-scheme: dark) { :host(:not([theme="light"])) { ${DARK} } }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden], .omitted { display: none !important; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

.card { background: var(--_bg); color: var(--_fg); border: 1px solid var(--_border); border-radius: var(--clv-radius, 14px);
  padding: 1.15rem 1.25rem 1.25rem; display: grid; gap: 1rem; }
.heading { margin: 0; font-size: 1.05rem; font-weight: 650; letter-spacing: -0.01em; }
.body { display: grid; gap: 1.25rem; align-items: start; }
@container (min-width: 700px) { .body:not(.readonly) { grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); } }

form { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: 0.8rem 0.75rem; margin: 0; align-content: start; }
.field { display: grid; gap: 0.3rem; min-width: 0; align-content: start; }
label { font-size: 0.8rem; font-weight: 600; }
.affix { display: flex; }
input, select { font: inherit; color: inherit; width: 100%; min-width: 0; padding: 0.45rem 0.55rem; background: var(--_field-bg);
  border: 1px solid color-mix(in srgb, var(--_fg) 25%, var(--_bg)); border-radius: 8px; }
select { cursor: pointer; }
input:focus-visible, select:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; border-color: var(--_accent); }
input::placeholder { color: var(--_muted); opacity: 1; }
.prefix, .suffix { display: flex; align-items: center; padding: 0 0.5rem; font-size: 0.82rem; color: var(--_muted); white-space: nowrap;
  background: var(--_tint); border: 1px solid color-mix(in srgb, var(--_fg) 25%, var(--_bg)); }
.prefix { border-right: 0; border-radius: 8px 0 0 8px; }
.suffix { border-left: 0; border-radius: 0 8px 8px 0; }
.prefix + input { border-radius: 0 8px 8px 0; }
input:has(+ .suffix) { border-radius: 8px 0 0 8px; }
.invalid input { border-color: var(--_negative); }
.error { margin: 0; color: var(--_negative); font-size: 0.78rem; font-weight: 550; }
.form-error { grid-column: 1 / -1; }
.hint { grid-column: 1 / -1; margin: 0.2rem 0 0; font-size: 0.78rem; color: var(--_muted); }

.results { display: grid; gap: 0.9rem; min-width: 0; transition: opacity 0.2s; }
.stale { opacity: 0.5; filter: grayscale(1); }
.headline { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.25rem 1rem;
  padding: 0.8rem 1rem; border-radius: 10px; background: var(--_tint); border-left: 4px solid var(--_accent); }
.headline .name { font-size: 0.8rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; color: var(--_muted); }
.headline .clv { font-size: clamp(1.6rem, 7cqi, 2.3rem); font-weight: 750; letter-spacing: -0.02em; color: var(--_fg); font-variant-numeric: tabular-nums; }
.headline .note { flex-basis: 100%; font-size: 0.78rem; color: var(--_muted); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(7.2rem, 1fr)); gap: 0.6rem; margin: 0; }
.kpi { display: flex; flex-direction: column; justify-content: space-between; border: 1px solid var(--_border); border-radius: 10px; padding: 0.55rem 0.7rem; min-width: 0; }
.kpi dt { font-size: 0.72rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--_muted); }
.kpi dd { margin: 0.15rem 0 0; font-size: 1.15rem; font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.negative { color: var(--_negative); }
.positive { color: var(--_positive); }
.unit { font-size: 0.7em; font-weight: 600; color: var(--_muted); }
figure { margin: 0; min-width: 0; }
svg { display: block; width: 100%; height: auto; overflow: visible; }
svg text { font-size: 11px; fill: var(--_muted); font-family: inherit; font-variant-numeric: tabular-nums; }
.summary { margin: 0; font-size: 0.85rem; color: var(--_muted); }

/* Skeleton until the library has loaded. It shimmers only after a second: the shimmer repaints every
   frame (without a GPU, about a whole core), which would slow the loading it stands for. */
.loading :is(.clv, dd, svg, .skeleton) { color: transparent; border-radius: 6px;
  background: linear-gradient(90deg, var(--_border) 25%, var(--_tint) 50%, var(--_border) 75%) 0 0 / 200% 100%;
  animation: shimmer 1.2s linear 1s infinite; }
.loading .clv { min-width: 8ch; }
@keyframes shimmer { to { background-position: -200% 0; } }
@media (prefers-reduced-motion: reduce) { .loading :is(.clv, dd, svg, .skeleton) { animation: none; } }
`;

const constructed = (css) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
};
let baseSheet = null;

/**
 * The stylesheets of a component whose own rules are `css`: the shared sheet and its own, both built on
 * first use and shared by every instance (constructable, so a page's CSP needs no inline styles).
 */
export function styleSheets(css) {
  let sheets = null;
  return () => (sheets ??= [(baseSheet ??= constructed(BASE_CSS)), constructed(css)]);
}

/**
 * A formatter cache for one element: `format(options)` gives the `makeFormat` set for `{ currency, locale,
 * periodUnit }`, rebuilt only when they change. An unknown currency code or locale tag falls back to the
 * browser's locale and US dollars, with a warning naming the element.
 */
export function formatCache(tag) {
  let key = null;
  let format = null;
  return (options) => {
    const next = JSON.stringify(options);
    if (next !== key) {
      key = next;
      try {
        format = makeFormat(options);
      } catch (error) {
        console.warn(`<${tag}>: ${error.message}; showing US dollars in the browser's locale`);
        format = makeFormat({ periodUnit: options.periodUnit });
      }
    }
    return format;
  };
}

/** Display options: those set through `config` (in `overrides`) win over the attributes. */
export const displayOptions = (el, overrides = {}) => ({
  currency: overrides.currency ?? el.getAttribute("currency") ?? "USD",
  locale: overrides.locale ?? el.getAttribute("locale") ?? undefined,
  periodUnit: overrides.periodUnit ?? el.getAttribute("period-unit") ?? "year",
});

/** Fires `type` (bubbling out of the shadow root) with `detail`. */
export const emit = (el, type, detail) =>
  el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));

/** Ends the skeleton: the results are shown (or an error is). */
export function finishLoading(root) {
  const results = root.querySelector(".results");
  if (!results.classList.contains("loading")) return;
  results.classList.remove("loading");
  results.removeAttribute("aria-busy");
  root.querySelector(".status").textContent = "";
}

/** Shows that the library could not load, in place of the results. */
export function showLoadFailure(root, what, error) {
  const box = root.querySelector(".form-error");
  box.textContent = `The ${what} could not load: ${error?.message ?? error}`;
  box.hidden = false;
  finishLoading(root);
}

/** The skeleton's announcement, and the box for errors no field owns; the last children of `.results`. */
export const STATUS_HTML = (what) =>
  `<p class="error form-error" part="error" role="alert" hidden></p>
   <p class="visually-hidden status" role="status">Loading the ${what}…</p>`;

/** The card around a component's `body`, with its heading. */
export const cardHtml = (body) =>
  `<div class="card" part="container"><h2 class="heading" part="heading" hidden></h2><div class="body">${body}</div></div>`;

// ---- number fields filled from attributes ----
//
// A field spec: `{ attr, key, label, unit, percent, integer, optional, fallback }`: the attribute and
// input id (`attr`), the library's field name (`key`, also the `data-field` that error messages find),
// the label (`{period}` becomes the period name), the unit shown next to it ("currency", "%",
// "%/period" or "periods"), whether it is typed in percent of the library's fraction, whether blank means absent,
// and the value used when the attribute is missing.

const affix = (cls, text) => `<span class="${cls}" aria-hidden="true">${text}</span>`;

/** The labelled inputs for `specs`, each with its error line. */
export function fieldsHtml(specs) {
  return specs
    .map(({ attr, key, label, unit, integer, optional }) => {
      const before = unit === "currency" ? affix("prefix currency", "$") : "";
      const after = { "%": affix("suffix", "%"), "%/period": affix("suffix", '%/<span class="period-short">yr</span>'), periods: affix("suffix periods", "years") }[unit] ?? "";
      const step = integer ? `step="1" inputmode="numeric"` : `step="any" inputmode="decimal"`;
      return `<div class="field" part="field" data-field="${key}">
        <label part="label" for="${attr}">${label.replace("{period}", '<span class="period">year</span>')}</label>
        <div class="affix">${before}<input part="input" id="${attr}" name="${key}" type="number" ${step}${optional ? ` placeholder="${optional}"` : ""} aria-describedby="${attr}-error" />${after}</div>
        <p class="error" part="error" id="${attr}-error" role="alert" hidden></p>
      </div>`;
    })
    .join("");
}

/** The message for a number attribute whose text is not a number (blank is allowed), or null. */
export const attributeProblem = (attr, text) =>
  text.trim() !== "" && !Number.isFinite(Number(text)) ? `${attr}="${text.trim()}" is not a number` : null;

/**
 * Fills the inputs of `specs` in `form` from `el`'s attributes (or their fallbacks). Returns the messages
 * for attributes that are not numbers, keyed by field: `margin="abc" is not a number`.
 */
export function fillFields(el, form, specs) {
  const problems = {};
  for (const { attr, key, percent, fallback } of specs) {
    const text = (el.getAttribute(attr) ?? (fallback === undefined ? "" : String(fallback))).trim();
    const problem = attributeProblem(attr, text);
    if (problem) problems[key] = problem;
    form.elements[key].value = problem ? "" : percent ? toPercent(text) : text;
  }
  return problems;
}

/** Whether every key of `object` is one of `keys`. */
export const onlyKeys = (object, keys) => Object.keys(object).every((key) => keys.includes(key));

/** Sets the inputs of `specs` present in `values` (library units). */
export function setFields(form, specs, values) {
  for (const { key, percent } of specs) {
    if (key in values) form.elements[key].value = percent ? toPercent(values[key] ?? "") : (values[key] ?? "");
  }
}

/** The values of `specs` in library units: blank is NaN (the library names it), or absent when optional. */
export function readFields(form, specs) {
  const values = {};
  for (const { key, percent, optional } of specs) {
    const text = form.elements[key].value.trim();
    if (text === "" && optional) continue;
    values[key] = text === "" ? NaN : Number(text) / (percent ? 100 : 1);
  }
  return values;
}

/** Shows `message` under the field `key` (as `showError` does for library errors); returns it. */
export function showFieldProblem(root, key, message) {
  const field = root.querySelector(`[data-field="${key}"]`);
  field.classList.add("invalid");
  field.querySelector("input").setAttribute("aria-invalid", "true");
  const box = field.querySelector(".error");
  box.textContent = message;
  box.hidden = false;
  return message;
}

// ---- fields the embedder leaves out ----

/** The attribute names listed in `hide` (separated by spaces or commas). */
export const hiddenNames = (el) => (el.getAttribute("hide") ?? "").split(/[\s,]+/).filter(Boolean);

/**
 * Leaves out of `root` the fields of `specs` whose attribute `el`'s `hide` lists (their attribute or
 * default still counts); a spec's `covers` lists the `data-field`s it stands for when not just its `key`.
 * Returns the message for a name that is none of theirs (a typo is not ignored), or null.
 */
export function hideFields(el, root, specs) {
  const names = hiddenNames(el);
  for (const { attr, key, covers = [key] } of specs) {
    for (const field of covers) root.querySelector(`[data-field="${field}"]`)?.classList.toggle("omitted", names.includes(attr));
  }
  const unknown = names.find((name) => !specs.some((s) => s.attr === name));
  return unknown === undefined ? null : `hide: "${unknown}" is not a field of <${el.localName}> (${specs.map((s) => s.attr).join(", ")})`;
}

/** The field `data-field="key"` of `root` when it is shown (not left out by `hide`, nor hidden), or null. */
export const shownField = (root, key) => root.querySelector(`[data-field="${CSS.escape(key)}"]:not(.omitted, [hidden])`);

/** Currency symbol and period names in the labels and units of `root`. */
export function relabel(root, fmt) {
  const set = (selector, text) => root.querySelectorAll(selector).forEach((el) => (el.textContent = text));
  set(".currency", fmt.symbol);
  set(".period", fmt.period);
  set(".periods", fmt.periods);
  set(".period-short", fmt.periodShort);
}

/** The heading attribute, shown above the card's body when given. */
export function showHeading(el, root) {
  const heading = root.querySelector(".heading");
  heading.textContent = el.getAttribute("heading") ?? "";
  heading.hidden = !heading.textContent;
}

// ---- long simulations, a chunk at a time ----

/** Simulation steps (one segment, cohort and period of one run) in a first chunk: a few milliseconds. */
export const CHUNK_STEPS = 20_000;
/** How long a chunk should take: chunks are doubled while they take less than half of it. */
const CHUNK_MS = 8;

/**
 * Runs `0 .. runs` as `chunk(firstRun, runCount)` calls, the first of about CHUNK_STEPS steps
 * (`stepsPerRun` a run), the next ones grown until each takes about CHUNK_MS, yielding to the browser
 * between them after `progress(runsDone)`. Resolves to the chunks, or null when `stale()` says a newer
 * computation has started. (The results do not depend on the chunk sizes: run i's streams are its own.)
 */
async function inChunks(runs, stepsPerRun, chunk, stale, progress) {
  // Runs that are no count: no chunks, and the summary's check of the input names `runs`.
  if (!Number.isInteger(runs) || runs < 1) return [];
  const first = stepsPerRun > 0 ? Math.max(1, Math.floor(CHUNK_STEPS / stepsPerRun)) : runs;
  // Grown at most 16-fold: a coarse clock (a privacy setting) can read every chunk as taking 0 ms.
  const largest = 16 * first;
  let size = first;
  const chunks = [];
  for (let done = 0; done < runs; ) {
    if (done > 0) {
      progress(done);
      await new Promise((resolve) => setTimeout(resolve));
      if (stale()) return null;
    }
    const count = Math.min(size, runs - done);
    const start = performance.now();
    chunks.push(chunk(done, count));
    if (performance.now() - start < CHUNK_MS / 2) size = Math.min(2 * size, largest);
    done += count;
  }
  return chunks;
}

// ---- the element behind <clv-scenarios>, <clv-montecarlo> and <clv-value-story> ----

/**
 * A component made of number fields (filled from attributes, editable by the reader) and a result
 * computed from them by the library. Subclasses give, as static fields: `tag`, `what` (for messages),
 * `specs` (the field specs), `extraAttributes` (other observed attributes), `hint` and `resultsHtml`
 * (markup), `sheets` (from `styleSheets`); and as methods: `buildInput()` (the library input from
 * `readFields`), `applyConfig(config)` (shows a `config` in the fields), `compute(input, stale)` (the
 * result, may be async: `stale()` says a newer computation has started), `show(input, result, fmt)`, and
 * optionally `fieldName(path)` (the field an error path means, for inputs nested in the library's),
 * `pathLabel(path)` (how messages name other paths), `attributeChanged(name)` and `relabelled(fmt)`.
 * Every result fires `clv-change` with `{ input, result }`; bad input fires `clv-error` with `{ message }`.
 */
export class FieldsElement extends HTMLElement {
  static get observedAttributes() {
    return [...this.specs.map((s) => s.attr), "currency", "locale", "period-unit", "heading", "hide", ...this.extraAttributes];
  }

  root = this.attachShadow({ mode: "open" });
  api = null;
  /** Display options set through `config`; they win over the attributes. */
  display = {};
  /** Messages for attributes that could not be read, by field (or "" for none). */
  problems = {};
  last = null;
  #generation = 0;
  #pending = null;
  #formats = formatCache(this.constructor.tag);

  connectedCallback() {
    const loaded = loadLibrary();
    if (!this.root.firstChild) this.#render();
    loaded.then(
      (api) => {
        this.api = api;
        this.update();
      },
      (error) => showLoadFailure(this.root, this.constructor.what, error),
    );
  }

  attributeChangedCallback(name, old, value) {
    if (!this.root.firstChild || old === value) return;
    const spec = this.constructor.specs.find((s) => s.attr === name);
    if (spec) {
      delete this.problems[spec.key];
      Object.assign(this.problems, fillFields(this, this.form, [spec]));
    }
    delete this.display[{ currency: "currency", locale: "locale", "period-unit": "periodUnit" }[name]];
    this.attributeChanged?.(name);
    this.refresh();
    this.update();
  }

  /** The last good `{ input, result }`, or null before the first. */
  get value() {
    return this.last;
  }

  /** The current library input, with the display options (`config`'s, else the attributes'). */
  get config() {
    const display = displayOptions(this, this.display);
    return this.root.firstChild ? { ...this.buildInput(), ...display } : { ...this.#pending, ...display };
  }

  /** A library input (the subclass's `applyConfig` takes what the fields can show) and display options. */
  set config(config) {
    this.#pending = { ...this.#pending, ...config };
    if (this.root.firstChild) this.#applyPending();
  }

  #applyPending() {
    const config = this.#pending;
    this.#pending = null;
    if (!config) return;
    const { currency, locale, periodUnit, ...input } = config;
    Object.assign(this.display, Object.fromEntries(Object.entries({ currency, locale, periodUnit }).filter(([, v]) => v !== undefined)));
    this.applyConfig(input);
    this.refresh();
    this.update();
  }

  get form() {
    return this.root.querySelector("form");
  }

  $(selector) {
    return this.root.querySelector(selector);
  }

  format() {
    return this.#formats(displayOptions(this, this.display));
  }

  #render() {
    const { specs, hint, resultsHtml, what, sheets } = this.constructor;
    this.root.adoptedStyleSheets = sheets();
    this.root.innerHTML = cardHtml(`
      <form part="inputs" novalidate autocomplete="off">${fieldsHtml(specs)}
        <p class="summary custom" part="summary" hidden></p>
        <p class="hint" part="hint">${hint}</p>
      </form>
      <div class="results loading" part="results" aria-busy="true">${resultsHtml}${STATUS_HTML(what)}</div>`);
    this.problems = fillFields(this, this.form, specs);
    this.form.addEventListener("input", ({ target }) => {
      delete this.problems[target.name];
      this.update();
    });
    this.refresh();
    this.#applyPending();
  }

  /** Labels, units, heading and the fields left out, for the current attributes and display options. */
  refresh() {
    if (!this.root.firstChild) return;
    const fmt = this.format();
    relabel(this.root, fmt);
    showHeading(this, this.root);
    const problem = hideFields(this, this.root, this.constructor.specs);
    if (problem) this.problems.hide = problem;
    else delete this.problems.hide;
    this.relabelled?.(fmt);
  }

  /** Reads the fields, computes and shows the result (or the first problem with the input). */
  async update() {
    if (!this.api || !this.root.firstChild) return;
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation;
    const fallback = this.$(".form-error");
    clearErrors(this.root, fallback);
    let message;
    const problems = Object.entries(this.problems);
    if (problems.length) {
      const below = [];
      for (const [key, text] of problems) {
        if (shownField(this.root, key)) showFieldProblem(this.root, key, text);
        else below.push(text);
        message ??= text;
      }
      if (below.length) Object.assign(fallback, { textContent: below.join("; "), hidden: false });
    } else {
      const input = this.buildInput();
      try {
        const result = await this.compute(input, stale);
        if (stale()) return;
        this.#shown(input, result);
        return;
      } catch (error) {
        if (stale()) return;
        const text = String(error?.message ?? error).replace(/^[\w.[\]]+(?=: )/, (path) => this.fieldName?.(path) ?? path);
        message = showError(this.root, fallback, new Error(text), (path) => this.#label(path));
      }
    }
    this.$(".results").classList.add("stale");
    finishLoading(this.root);
    emit(this, "clv-error", { message });
  }

  #shown(input, result) {
    const { tag } = this.constructor;
    this.$(".results").classList.remove("stale");
    this.show(input, result, this.format());
    finishLoading(this.root);
    if (!performance.getEntriesByName(`${tag}:first-result`).length) performance.mark(`${tag}:first-result`);
    this.last = { input, result };
    emit(this, "clv-change", { input, result });
  }

  /** `inChunks` with its progress in the headline's note ("simulating… 200 of 1,000 runs"). */
  simulateInChunks(runs, stepsPerRun, chunk, stale) {
    const fmt = this.format();
    const progress = (done) => (this.$(".note").textContent = `simulating… ${fmt.number(done)} of ${fmt.number(runs)} runs`);
    return inChunks(runs, stepsPerRun, chunk, stale, progress);
  }

  /** A field's name in messages: its label without the period ("Margin per year" → "Margin"). */
  #label(path) {
    const spec = this.constructor.specs.find((s) => s.key === path);
    return spec ? spec.label.replace(/ per \{period\}$/, "") : (this.pathLabel?.(path) ?? path);
  }
}
