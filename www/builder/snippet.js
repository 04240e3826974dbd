// The snippet builder's model, without the DOM (the Node tests import it): what can be set on each
// component, the checks on what a marketer typed, and the snippet it all makes: the module script, a
// <style> rule with the theme's --clv-* properties, and the tag with its attributes.
//
// Settings, as typed (percent fields in percent, as the components show them):
//   { component: "clv-value-story",
//     fields: { "clv-value-story": { margin: "150", churn: "25", … } },   by component, then attribute
//     hide:   { "clv-value-story": ["discount-rate"] },
//     extras: { "clv-value-story": { improvement: "{…}", product: "Acme" } },
//     display: { heading, currency, locale, "period-unit", theme },
//     theme: { "--clv-accent": "#0f766e", … },
//     packageUrl: "https://cdn.example.com/clvlab/" }
// A field's spec is the component's own (`customElements.get(tag).specs`, see components/common.js).

/** The components the builder configures, with their names in the page. */
export const COMPONENTS = {
  "clv-calculator": "CLV calculator",
  "clv-scenarios": "What-if scenarios",
  "clv-montecarlo": "Monte Carlo simulation",
  "clv-value-story": "Value story",
};

/** Settings of each component beyond its fields: attribute, label, kind and an example. */
export const EXTRAS = {
  "clv-calculator": [{ attr: "readonly", label: "Read-only: the assumptions in words instead of the fields", kind: "boolean" }],
  "clv-scenarios": [
    { attr: "scenarios", label: "Scenarios (JSON)", kind: "json", example: '[{"name": "Cut churn 5 points", "changes": {"churnChange": {"points": -5}}}]' },
  ],
  "clv-montecarlo": [],
  "clv-value-story": [
    { attr: "product", label: "Product name", kind: "text", example: "Acme Retain" },
    { attr: "improvement", label: "Improvement (JSON)", kind: "json", example: '{"churn": {"from": -0.1, "to": -0.2}}' },
    { attr: "price-upfront", label: "Price up front", kind: "number" },
    { attr: "price-per-period", label: "Price per period", kind: "number" },
    { attr: "runs", label: "Simulation runs", kind: "integer", example: "1000" },
    { attr: "seed", label: "Seed", kind: "integer", example: "1" },
  ],
};

/** Display settings every component takes. */
export const DISPLAY = [
  { attr: "heading", label: "Heading", kind: "text" },
  { attr: "currency", label: "Currency (ISO 4217)", kind: "currency", example: "USD" },
  { attr: "locale", label: "Locale (BCP 47)", kind: "locale", example: "en-US" },
  { attr: "period-unit", label: "Period", kind: "choice", choices: ["", "month", "quarter", "year"] },
  { attr: "theme", label: "Light or dark", kind: "choice", choices: ["", "light", "dark"] },
];

/** The theme's custom properties: name, label, kind (a CSS value type). */
export const THEME = [
  ["--clv-accent", "Accent", "color"],
  ["--clv-bg", "Background", "color"],
  ["--clv-fg", "Text", "color"],
  ["--clv-muted", "Muted text", "color"],
  ["--clv-border", "Borders", "color"],
  ["--clv-field-bg", "Field background", "color"],
  ["--clv-positive", "Gains", "color"],
  ["--clv-negative", "Losses and errors", "color"],
  ["--clv-marker", "Markers", "color"],
  ["--clv-survival", "Survival line", "color"],
  ["--clv-radius", "Corner radius", "length"],
  ["--clv-font", "Font", "font"],
].map(([name, label, kind]) => ({ name, label, kind }));

/** The CSS property whose syntax checks a theme value of each kind. */
export const THEME_SYNTAX = { color: "color", length: "border-radius", font: "font-family" };

/** Longest text a setting may hold (a JSON list of scenarios fits). */
export const MAX_TEXT = 4000;

/** Settings with nothing set, for `packageUrl`. */
export const emptySettings = (packageUrl) => ({
  component: "clv-calculator",
  fields: {},
  hide: {},
  extras: {},
  display: {},
  theme: {},
  packageUrl,
});

const isNumber = (text) => text.trim() !== "" && Number.isFinite(Number(text));

/** A typed percentage as the fraction the attribute holds: "82" → "0.82" (without floating-point noise). */
const fraction = (text) => String(+(Number(text) / 100).toPrecision(12));

/** Why a display setting cannot be used, or null. */
function displayProblem({ kind, choices }, text) {
  if (kind === "currency") {
    if (!/^[A-Z]{3}$/.test(text)) return "a currency is three capital letters, e.g. EUR";
    if (!Intl.supportedValuesOf("currency").includes(text)) return `${text} is not a currency this browser knows`;
  }
  if (kind === "locale") {
    try {
      Intl.getCanonicalLocales(text);
    } catch {
      return `"${text}" is not a language tag such as de-DE`;
    }
  }
  if (kind === "choice" && !choices.includes(text)) return `choose one of ${choices.filter(Boolean).join(", ")}`;
  return null;
}

/** Why an extra setting cannot be used, or null. */
function extraProblem({ kind }, text) {
  if (kind === "number" && !isNumber(text)) return "enter a number";
  if (kind === "integer" && !(isNumber(text) && Number.isInteger(Number(text)))) return "enter a whole number";
  if (kind === "json") {
    try {
      JSON.parse(text);
    } catch (error) {
      return `not JSON (${error.message})`;
    }
  }
  return null;
}

/**
 * What is wrong with `settings` for the component's field `specs`, keyed by where it was typed
 * ("field:margin", "extra:improvement", "display:currency", "theme:--clv-accent", "packageUrl"), each
 * a reason; empty when the snippet can be made. `supports(property, value)` checks a CSS value (the
 * browser's `CSS.supports`).
 */
export function problems(settings, specs, supports) {
  const tag = settings.component;
  const out = {};
  const set = (where, text, problem) => {
    if (text.length > MAX_TEXT) out[where] = `longer than ${MAX_TEXT} characters`;
    else if (text.trim() !== "" && problem) out[where] = problem;
  };
  for (const spec of specs) {
    const text = settings.fields[tag]?.[spec.attr] ?? "";
    set(`field:${spec.attr}`, text, spec.choices ? (spec.choices.includes(text) ? null : `choose one of ${spec.choices.join(", ")}`) : isNumber(text) ? null : "enter a number");
  }
  for (const extra of EXTRAS[tag]) set(`extra:${extra.attr}`, settings.extras[tag]?.[extra.attr] ?? "", extraProblem(extra, settings.extras[tag]?.[extra.attr] ?? ""));
  for (const d of DISPLAY) set(`display:${d.attr}`, settings.display[d.attr] ?? "", displayProblem(d, settings.display[d.attr] ?? ""));
  for (const { name, kind } of THEME) {
    const text = settings.theme[name] ?? "";
    // Nothing that could end the rule or the style block, or open a comment that swallows the rest.
    const bad = /[{};<>\\]|\/\*/.test(text) || !supports(THEME_SYNTAX[kind], text);
    set(`theme:${name}`, text, bad ? `not a CSS ${kind}` : null);
  }
  try {
    const url = new URL(settings.packageUrl.trim());
    if (!["http:", "https:"].includes(url.protocol)) out.packageUrl = "the package URL must start with https:// (or http://)";
  } catch {
    out.packageUrl = "not a URL: the address of the folder holding the clvlab package";
  }
  return out;
}

/** The tag's attributes for `settings`, in order: fields, settings beyond them, hidden fields, display. */
export function attributes(settings, specs) {
  const tag = settings.component;
  const out = [];
  const add = (name, text) => text.trim() !== "" && out.push([name, text.trim()]);
  for (const spec of specs) {
    const text = settings.fields[tag]?.[spec.attr] ?? "";
    add(spec.attr, spec.percent && isNumber(text) ? fraction(text) : text);
  }
  for (const { attr, kind } of EXTRAS[tag]) {
    const text = settings.extras[tag]?.[attr] ?? "";
    if (kind === "boolean") {
      if (text) out.push([attr, ""]);
    } else add(attr, kind === "json" && text.trim() ? JSON.stringify(JSON.parse(text)) : text);
  }
  const hidden = specs.map((s) => s.attr).filter((attr) => settings.hide[tag]?.includes(attr));
  if (hidden.length) out.push(["hide", hidden.join(" ")]);
  for (const { attr } of DISPLAY) add(attr, settings.display[attr] ?? "");
  return out;
}

/** `name="value"` in HTML: single quotes around JSON (it is full of double quotes), entities otherwise. */
function attributeHtml([name, value]) {
  if (value === "") return name;
  const amp = value.replace(/&/g, "&amp;");
  return amp.includes('"') && !amp.includes("'") ? `${name}='${amp}'` : `${name}="${amp.replace(/"/g, "&quot;")}"`;
}

/** The theme's declarations (`--clv-accent: #0f766e`), in the order of THEME. */
export const themeDeclarations = (settings) =>
  THEME.filter(({ name }) => (settings.theme[name] ?? "").trim() !== "").map(({ name }) => `${name}: ${settings.theme[name].trim()};`);

/** The snippet: the module script from the package, the theme's rule (if any) and the tag. */
export function snippet(settings, specs) {
  const tag = settings.component;
  const url = settings.packageUrl.trim();
  const base = url.endsWith("/") ? url : `${url}/`;
  const src = new URL(`components/${tag}.js`, base).href.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const declarations = themeDeclarations(settings);
  const lines = [`<script type="module" src="${src}"></script>`];
  if (declarations.length) lines.push("<style>", `  ${tag} { ${declarations.join(" ")} }`, "</style>");
  const attrs = attributes(settings, specs).map(attributeHtml);
  lines.push(`<${tag}${attrs.map((a) => ` ${a}`).join("")}></${tag}>`);
  return lines.join("\n");
}

/** Text of at most MAX_TEXT characters from a link, or the reason it is not. */
function linkText(value, where) {
  if (typeof value !== "string") throw new Error(`${where}: expected text`);
  if (value.length > MAX_TEXT) throw new Error(`${where}: longer than ${MAX_TEXT} characters`);
  return value;
}

const isObject = (x) => typeof x === "object" && x !== null && !Array.isArray(x);

/** `{ key: text }` from a link, only the `keys` given (a later version's others are left out). */
function texts(value, keys, where) {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`${where}: expected an object`);
  return Object.fromEntries(Object.entries(value).filter(([k]) => keys.includes(k)).map(([k, v]) => [k, linkText(v, `${where}.${k}`)]));
}

/** `{ component: value }` from a link, for the components the builder has. */
function byComponent(value, where, read) {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`${where}: expected an object`);
  return Object.fromEntries(Object.entries(value).filter(([tag]) => tag in COMPONENTS).map(([tag, v]) => [tag, read(v, `${where}.${tag}`, tag)]));
}

/**
 * Settings read back from a share link's JSON, given each component's field `specs` (`{ tag: specs }`).
 * Throws an Error with the reason when it is not the builder's.
 */
export function settingsFromLink(json, specsByTag) {
  if (!isObject(json)) throw new Error("expected an object");
  const component = linkText(json.component, "component");
  if (!(component in COMPONENTS)) throw new Error(`component: no component "${component}"`);
  const attrs = (tag) => specsByTag[tag].map((s) => s.attr);
  return {
    component,
    fields: byComponent(json.fields, "fields", (v, where, tag) => texts(v, attrs(tag), where)),
    hide: byComponent(json.hide, "hide", (v, where, tag) => {
      if (!Array.isArray(v)) throw new Error(`${where}: expected a list`);
      return v.map((a, i) => linkText(a, `${where}[${i}]`)).filter((a) => attrs(tag).includes(a));
    }),
    extras: byComponent(json.extras, "extras", (v, where, tag) => texts(v, EXTRAS[tag].map((e) => e.attr), where)),
    display: texts(json.display, DISPLAY.map((d) => d.attr), "display"),
    theme: texts(json.theme, THEME.map((t) => t.name), "theme"),
    packageUrl: linkText(json.packageUrl, "packageUrl"),
  };
}
