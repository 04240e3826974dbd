// Reads the calculator form into a `clv` input object and shows the library's errors next to the field
// they name. Validation lives in the wasm library: the page sends what was typed (blank required fields
// become NaN) and displays the Error message, whose text starts with the field as JS spells it.

/** Fields typed as percentages on the page but passed to the library as fractions. */
const PERCENT_FIELDS = new Set(["retention", "discountRate", "marginGrowth"]);

const number = (form, name) => {
  const text = form.elements[name].value.trim();
  return text === "" ? NaN : Number(text);
};
const optional = (form, name) => (form.elements[name].value.trim() === "" ? undefined : number(form, name));

/** Names of the library's `clv` fields as forms label them. */
const FIELD_LABELS = {
  margin: "Margin",
  retention: "Retention",
  "retention.alpha": "Churn shape α",
  "retention.beta": "Churn shape β",
  "retention.gamma": "Churn shape γ",
  "retention.delta": "Churn shape δ",
  "retention.c": "Tenure effect c",
  discountRate: "Discount rate",
  horizon: "Horizon",
  timing: "Payment timing",
  marginGrowth: "Margin growth",
  acquisitionCost: "Acquisition cost",
  renewals: "Renewals",
};

/** The label of a library field path, e.g. "retention.alpha" → "Churn shape α" (unknown paths as they are). */
export const fieldLabel = (path) => FIELD_LABELS[path] ?? path;

/** The `clv` input described by the form (`undefined` fields are left out). */
export function readClvInput(form) {
  const model = form.elements.retentionModel.value;
  const retention = {
    sbg: () => ({ alpha: number(form, "alpha"), beta: number(form, "beta") }),
    bdw: () => ({ gamma: number(form, "gamma"), delta: number(form, "delta"), c: number(form, "c") }),
  }[model];
  const input = {
    margin: number(form, "margin"),
    retention: retention ? retention() : number(form, "retention") / 100,
    discountRate: number(form, "discountRate") / 100,
    timing: form.elements.timing.value,
    horizon: optional(form, "horizon"),
    marginGrowth: optional(form, "marginGrowth"),
    acquisitionCost: optional(form, "acquisitionCost"),
    renewals: optional(form, "renewals"),
  };
  if (input.marginGrowth !== undefined) input.marginGrowth /= 100;
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input;
}

/** Splits `"retention.alpha: must be …"` into the field path and the reason (path null if none). */
export function splitError(message) {
  const m = /^([A-Za-z_][\w.[\]]*): (.*)$/s.exec(message);
  return m ? { path: m[1], reason: m[2] } : { path: null, reason: message };
}

/** Restates an error in the terms of the form: blank fields, and percentages rather than fractions. */
function inPageTerms(path, reason) {
  if (/^must be a finite number \(got NaN\)$/.test(reason)) return "enter a number";
  // Floating-point noise such as 0.19999999999999996 reads better as 0.2.
  const tidy = reason.replace(/-?\d+\.\d{8,}/g, (x) => String(Number(Number(x).toPrecision(10))));
  const last = path.split(".").pop();
  if (!PERCENT_FIELDS.has(last)) return tidy;
  return tidy
    .replace(/between 0 and 1/, "between 0% and 100%")
    .replace(/greater than -1\b/, "greater than -100%")
    .replace(/\(got (-?[\d.e+-]+)\)/, (_, x) => `(got ${+(Number(x) * 100).toPrecision(12)}%)`);
}

/**
 * Shows `error` (a JS Error from the library) next to the element whose `data-field` is the longest
 * prefix of the error's path, inside `root` (a field hidden, or left out by the embedder's `hide`, does not count);
 * falls back to `fallback` (a `.error` element). `prefix` is
 * stripped from the path first (e.g. "base.").
 */
export function showError(root, fallback, error, label = (path) => path) {
  clearErrors(root, fallback);
  const { path, reason } = splitError(String(error?.message ?? error));
  let target = null;
  for (let p = path; p && !target; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : null) {
    target = root.querySelector(`[data-field="${CSS.escape(p)}"]:not(.omitted, [hidden])`);
  }
  const text = path ? `${label(path)}: ${inPageTerms(path, reason)}` : reason;
  const box = target?.querySelector(".error") ?? fallback;
  box.textContent = text;
  box.hidden = false;
  if (target) {
    target.classList.add("invalid");
    target.querySelector("input, select")?.setAttribute("aria-invalid", "true");
  }
  return text;
}

/** Hides every error shown by `showError` inside `root`. */
export function clearErrors(root, fallback) {
  for (const el of root.querySelectorAll(".invalid")) el.classList.remove("invalid");
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of root.querySelectorAll(".error")) {
    el.hidden = true;
    el.textContent = "";
  }
  if (fallback) fallback.hidden = true;
}

/**
 * A labelled input for an editor row: `<div class="field">` with the label, the input inside an affix box
 * (a currency prefix or a % suffix for `unit`), and an error line the input is described by.
 * `field` is the library's path for the value, so that `showError` can find the box.
 */
export function fieldElement(id, labelText, value, { unit, type = "number", field, placeholder } = {}) {
  const wrap = document.createElement("div");
  wrap.className = "field";
  if (field) wrap.dataset.field = field;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  const box = document.createElement("div");
  box.className = "affix";
  const el = document.createElement("input");
  el.id = id;
  el.type = type;
  if (type === "number") {
    el.step = "any";
    el.inputMode = "decimal";
    if (placeholder) el.placeholder = placeholder;
  }
  el.value = value ?? "";
  if (unit === "currency")
    box.insertAdjacentHTML("beforeend", '<span class="prefix unit-currency" aria-hidden="true"></span>');
  box.append(el);
  if (unit === "%") box.insertAdjacentHTML("beforeend", '<span class="suffix" aria-hidden="true">%</span>');
  const error = document.createElement("p");
  error.className = "error";
  error.id = `${id}-error`;
  error.setAttribute("role", "alert");
  error.hidden = true;
  el.setAttribute("aria-describedby", error.id);
  wrap.append(label, box, error);
  return { wrap, el };
}

/** The first period's retention of a `clv` retention: r, β/(α + β) (sBG) or δ/(γ + δ) (BdW). */
export function firstRetention(r) {
  if (typeof r === "number") return r;
  return "alpha" in r ? r.beta / (r.alpha + r.beta) : r.delta / (r.gamma + r.delta);
}

/** A `clv` retention in words: `"80% per year"`, `"sBG α 0.704, β 1.182"`, `"BdW γ …, δ …, c …"`. */
export function describeRetention(r, fmt) {
  if (typeof r === "number") return `${fmt.percent(r)} per ${fmt.period}`;
  const params = "alpha" in r
    ? `sBG α ${fmt.number(r.alpha)}, β ${fmt.number(r.beta)}`
    : `BdW γ ${fmt.number(r.gamma)}, δ ${fmt.number(r.delta)}, c ${fmt.number(r.c)}`;
  return `varies by customer: ${params} (first ${fmt.period} ${fmt.percent(firstRetention(r))})`;
}
