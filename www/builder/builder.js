// The snippet builder's page: the settings form for the chosen component (built from the component's own
// field specs), the live component beside it (the package's, from ../pkg/, with the very attributes and
// theme rule of the snippet), the snippet and the `config` JSON with copy buttons, and the settings in
// the link's hash (#b=1.…, helpers/link.js), restored when a link is opened. The model is snippet.js.
import { readLink, writeLink } from "../helpers/link.js";
import { copyOrSelect } from "../helpers/copy.js";
import {
  COMPONENTS,
  EXTRAS,
  DISPLAY,
  THEME,
  emptySettings,
  problems,
  attributes,
  snippet,
  themeDeclarations,
  settingsFromLink,
} from "./snippet.js";

const LINK_KEY = "b";
const LINK_VERSION = 1;
const SAVE_DELAY_MS = 300;
const CHOICE_LABELS = { "": "Component default", month: "Month", quarter: "Quarter", year: "Year", light: "Light", dark: "Dark" };
const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "SEK", "BRL"];
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "ja-JP", "pt-BR", "sv-SE"];

const $ = (id) => document.getElementById(id);
await Promise.all(Object.keys(COMPONENTS).map((tag) => import(`../pkg/components/${tag}.js`)));
const SPECS = Object.fromEntries(Object.keys(COMPONENTS).map((tag) => [tag, customElements.get(tag).specs]));

/** This site's copy of the package, which the preview loads. */
const DEFAULT_PACKAGE_URL = new URL("../pkg/", location.href).href;
let settings = emptySettings(DEFAULT_PACKAGE_URL);
let written = location.hash;
/** Whether the link in the address bar could not be read (and no setting has been edited since). */
let unreadLink = false;

/** A typed fraction as the percentage the form shows: 0.82 → "82". */
const percent = (x) => String(+(Number(x) * 100).toPrecision(12));

// ---- the settings form ----

/** A labelled setting row for `where` ("field:margin"…) holding `control`, with its error line. */
function row(where, labelText, control, { extra, wide } = {}) {
  const id = where.replace(/[^\w-]/g, "-");
  control.id = id;
  control.dataset.where = where;
  control.setAttribute("aria-describedby", `${id}-error`);
  const wrap = document.createElement("div");
  wrap.className = `setting${wide ? " wide" : ""}`;
  wrap.dataset.setting = where;
  const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: labelText });
  const error = Object.assign(document.createElement("p"), { className: "error", id: `${id}-error`, hidden: true });
  error.setAttribute("role", "alert");
  wrap.append(label, control, ...(extra ? [extra] : []), error);
  return wrap;
}

function textInput(value, placeholder = "") {
  return Object.assign(document.createElement("input"), { type: "text", value, placeholder, spellcheck: false });
}

function select(choices, value, labels = CHOICE_LABELS) {
  const el = document.createElement("select");
  for (const choice of choices) el.append(new Option(labels[choice] ?? choice, choice));
  el.value = value;
  return el;
}

/** The component's own default of a field, as the builder's placeholder shows it. */
function defaultText(spec) {
  if (spec.fallback === undefined) return spec.optional ?? "";
  return spec.percent ? percent(spec.fallback) : String(spec.fallback);
}

function fieldRows(tag) {
  const period = settings.display["period-unit"] || "period";
  return SPECS[tag].map((spec) => {
    const value = settings.fields[tag]?.[spec.attr] ?? "";
    const control = spec.choices
      ? select(["", ...spec.choices], value, { ...CHOICE_LABELS, "": `Default (${spec.fallback})` })
      : textInput(value, defaultText(spec));
    if (!spec.choices) control.inputMode = "decimal";
    const shown = document.createElement("label");
    shown.className = "shown";
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: !settings.hide[tag]?.includes(spec.attr) });
    box.dataset.where = `hide:${spec.attr}`;
    const label = `${spec.label.replace("{period}", period)}${spec.percent ? " (%)" : ""}`;
    box.setAttribute("aria-label", `Shown: ${label}`);
    shown.append(box, "Shown");
    return row(`field:${spec.attr}`, label, control, { extra: shown });
  });
}

function extraRows(tag) {
  return EXTRAS[tag].map((extra) => {
    const value = settings.extras[tag]?.[extra.attr] ?? "";
    if (extra.kind === "boolean") {
      const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: value !== "" });
      const wrap = row(`extra:${extra.attr}`, "", box, { wide: true });
      const label = wrap.querySelector("label");
      label.className = "boolean";
      label.append(box, extra.label);
      return wrap;
    }
    const control = extra.kind === "json" ? document.createElement("textarea") : textInput(value, extra.example ?? "");
    if (extra.kind === "json") Object.assign(control, { value, placeholder: extra.example, spellcheck: false, rows: 3 });
    return row(`extra:${extra.attr}`, extra.label, control, { wide: true });
  });
}

function displayRows() {
  return DISPLAY.map((d) => {
    const value = settings.display[d.attr] ?? "";
    if (d.kind === "choice") {
      const labels = d.attr === "theme" ? { ...CHOICE_LABELS, "": "The reader's setting" } : CHOICE_LABELS;
      return row(`display:${d.attr}`, d.label, select(d.choices, value, labels));
    }
    const control = textInput(value, d.example ?? "");
    const list = { currency: CURRENCIES, locale: LOCALES }[d.kind];
    if (list) {
      const datalist = document.createElement("datalist");
      datalist.id = `${d.attr}-choices`;
      datalist.append(...list.map((v) => new Option(v)));
      control.setAttribute("list", datalist.id);
      return row(`display:${d.attr}`, d.label, control, { extra: datalist });
    }
    return row(`display:${d.attr}`, d.label, control);
  });
}

function themeRows() {
  return THEME.map(({ name, label, kind }) => {
    const text = textInput(settings.theme[name] ?? "");
    if (kind !== "color") return row(`theme:${name}`, `${label} (${name})`, text);
    const picker = Object.assign(document.createElement("input"), { type: "color", tabIndex: -1 });
    picker.setAttribute("aria-hidden", "true");
    picker.addEventListener("input", () => {
      text.value = picker.value;
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const wrap = row(`theme:${name}`, `${label} (${name})`, text);
    const pair = Object.assign(document.createElement("div"), { className: "colour" });
    text.replaceWith(pair);
    pair.append(text, picker);
    return wrap;
  });
}

/** Builds the whole form from `settings`. */
function renderForm() {
  const tag = settings.component;
  $("component").value = tag;
  $("fields").querySelector(".rows").replaceChildren(...fieldRows(tag));
  const extras = extraRows(tag);
  $("extras").hidden = extras.length === 0;
  $("extras").querySelector(".rows").replaceChildren(...extras);
  $("display").querySelector(".rows").replaceChildren(...displayRows());
  $("theme").querySelector(".rows").replaceChildren(...themeRows());
  $("package-url").value = settings.packageUrl;
  syncPickers();
}

/** Colour pickers show a colour typed as #rrggbb. */
function syncPickers() {
  for (const wrap of $("theme").querySelectorAll(".colour")) {
    const [text, picker] = wrap.querySelectorAll("input");
    if (/^#[0-9a-f]{6}$/i.test(text.value.trim())) picker.value = text.value.trim().toLowerCase();
  }
}

/** Takes one control's value into `settings`. */
function read(control) {
  const where = control.dataset.where;
  const tag = settings.component;
  const [kind, name] = where.includes(":") ? [where.slice(0, where.indexOf(":")), where.slice(where.indexOf(":") + 1)] : [where];
  const value = control.type === "checkbox" ? (control.checked ? "1" : "") : control.value;
  const put = (group) => (settings[group][tag] = { ...settings[group][tag], [name]: value });
  if (kind === "field") put("fields");
  else if (kind === "extra") put("extras");
  else if (kind === "display") settings.display[name] = value;
  else if (kind === "theme") settings.theme[name] = value;
  else if (kind === "packageUrl") settings.packageUrl = value;
  else if (kind === "hide") {
    const hidden = (settings.hide[tag] ?? []).filter((a) => a !== name);
    settings.hide[tag] = control.checked ? hidden : [...hidden, name];
  }
}

// ---- preview, snippet, config ----

function showProblems(found) {
  for (const wrap of $("settings").querySelectorAll("[data-setting]")) {
    const where = wrap.dataset.setting;
    const problem = found[where];
    const control = wrap.querySelector(`[data-where="${CSS.escape(where)}"]`);
    wrap.classList.toggle("invalid", Boolean(problem));
    if (problem) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    const error = wrap.querySelector(".error");
    error.textContent = problem ?? "";
    error.hidden = !problem;
  }
}

/**
 * The preview: a new element with the snippet's attributes (connected with them, so it computes once)
 * and theme. Made anew each time, so what a reader typed into the last one does not linger.
 */
function updatePreview(tag) {
  const el = document.createElement(tag);
  for (const [name, value] of attributes(settings, SPECS[tag])) el.setAttribute(name, value);
  $("preview").replaceChildren(el);
  const declarations = themeDeclarations(settings);
  $("preview-theme").textContent = declarations.length ? `#preview > ${tag} { ${declarations.join(" ")} }` : "";
  $("preview").classList.toggle("dark", settings.display.theme === "dark");
  return el;
}

/** Checks the settings; when they are good, updates the preview, snippet and config. */
function refresh() {
  const tag = settings.component;
  const found = problems(settings, SPECS[tag], (property, value) => CSS.supports(property, value));
  showProblems(found);
  const good = Object.keys(found).length === 0;
  for (const id of ["copy-snippet", "copy-config"]) $(id).disabled = !good;
  $("copy-status").textContent = good ? "" : "Fix the marked settings to update the snippet.";
  if (good) {
    // The new element's config: the snippet's inputs, before a reader types into the preview.
    $("config").value = JSON.stringify(updatePreview(tag).config, null, 2);
    $("snippet").value = snippet(settings, SPECS[tag]);
  }
  scheduleSave();
}

// ---- copying and the link ----

/** Copies `text`; where the clipboard is refused, selects it in `field` for the reader to copy. */
async function copy(text, field, what) {
  $("copy-status").textContent = (await copyOrSelect(text, field))
    ? `${what} copied`
    : `Press Ctrl+C (⌘C) to copy the selected ${what.toLowerCase()}`;
}

async function save() {
  // A link that could not be read stays in the address bar until the settings are edited.
  if (unreadLink) return;
  const hash = `#${await writeLink(LINK_KEY, LINK_VERSION, settings)}`;
  if (hash !== written) {
    history.replaceState(history.state, "", hash);
    written = hash;
  }
}

let timer = null;
function scheduleSave() {
  clearTimeout(timer);
  timer = setTimeout(save, SAVE_DELAY_MS);
}

/** Restores the settings of the link's hash, if it holds any; a link that cannot be read says why. */
async function restore() {
  const notice = $("link-notice");
  try {
    const json = await readLink(location.hash, LINK_KEY, LINK_VERSION);
    if (json === null) return;
    settings = settingsFromLink(json, SPECS);
    notice.hidden = true;
    unreadLink = false;
  } catch (error) {
    settings = emptySettings(DEFAULT_PACKAGE_URL);
    unreadLink = true;
    notice.textContent = `This link's settings could not be read (${error.message}), so the builder shows its defaults.`;
    notice.hidden = false;
  }
}

// ---- wiring ----

const style = Object.assign(document.createElement("style"), { id: "preview-theme" });
document.head.append(style);
$("component").append(...Object.entries(COMPONENTS).map(([tag, name]) => new Option(`${name} <${tag}>`, tag)));
$("component").addEventListener("change", () => {
  unreadLink = false;
  settings.component = $("component").value;
  renderForm();
  refresh();
});
$("settings").addEventListener("input", ({ target }) => {
  if (!target.dataset.where || target === $("component")) return;
  unreadLink = false;
  read(target);
  if (target.dataset.where === "display:period-unit") {
    renderForm();
    $("display:period-unit".replace(/[^\w-]/g, "-")).focus();
  }
  syncPickers();
  refresh();
});
$("settings").addEventListener("submit", (event) => event.preventDefault());
$("preview").addEventListener("clv-error", ({ detail }) => {
  $("preview-error").textContent = `The component reports: ${detail.message}`;
  $("preview-error").hidden = false;
});
$("preview").addEventListener("clv-change", () => ($("preview-error").hidden = true));
$("copy-snippet").addEventListener("click", () => copy($("snippet").value, $("snippet"), "Snippet"));
$("copy-config").addEventListener("click", () => copy($("config").value, $("config"), "Config"));
$("copy-link").addEventListener("click", async () => {
  clearTimeout(timer);
  await save();
  $("share-url").value = location.href;
  await copy(location.href, $("share-url"), "Link");
});
window.addEventListener("hashchange", async () => {
  if (location.hash === written) return;
  written = location.hash;
  await restore();
  renderForm();
  refresh();
});

await restore();
renderForm();
refresh();
document.body.classList.add("ready");
