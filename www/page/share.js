// Share: keeps the page's state in the URL's hash (state.js) as the person edits, restores it when a
// link is opened (or the hash is changed by hand), and offers a "Copy link" button that falls back to
// a selectable text field where the clipboard is unavailable. A link that cannot be read leaves the
// defaults in place and says why.
import { encodeState, decodeState, CALC_KEYS } from "./state.js";
import { copyOrSelect } from "../helpers/copy.js";

const $ = (id) => document.getElementById(id);
const SAVE_DELAY_MS = 300;

/** The calculator form's fields and the tornado spread, as typed. */
function readCalculator() {
  const form = $("inputs");
  const out = {};
  for (const name of Object.values(CALC_KEYS)) {
    const el = name === "spread" ? $("spread") : form.elements[name];
    if (el) out[name] = el.value;
  }
  return out;
}

/** Checks that every select and radio value of a decoded state is one the page offers. */
function checkChoices(calculator) {
  const form = $("inputs");
  for (const [name, value] of Object.entries(calculator)) {
    const el = name === "spread" ? $("spread") : form.elements[name];
    if (!el) continue;
    const options = el instanceof HTMLSelectElement ? [...el.options] : el instanceof RadioNodeList ? [...el] : null;
    if (options && !options.some((o) => o.value === value)) return `unknown ${name} "${value}"`;
  }
  return null;
}

function showNotice(message) {
  let box = $("share-notice");
  if (!box) {
    box = document.createElement("div");
    box.id = "share-notice";
    box.className = "share-notice";
    box.setAttribute("role", "alert");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "button ghost";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => (box.hidden = true));
    box.append(document.createElement("p"), close);
    document.querySelector("main").prepend(box);
  }
  box.querySelector("p").textContent = message;
  box.hidden = false;
}

/** The "Copy link" button and its fallback field, in the masthead. */
function createCopyButton(currentUrl) {
  const wrap = document.createElement("div");
  wrap.className = "share-tools";
  const button = document.createElement("button");
  button.type = "button";
  button.id = "copy-link";
  button.className = "button ghost";
  button.textContent = "Copy link";
  const status = document.createElement("span");
  status.id = "copy-link-status";
  status.className = "share-status";
  status.setAttribute("role", "status");
  const field = document.createElement("input");
  field.id = "share-url";
  field.type = "text";
  field.readOnly = true;
  field.hidden = true;
  field.setAttribute("aria-label", "Link to this page's state");
  field.addEventListener("focus", () => field.select());
  button.addEventListener("click", async () => {
    const url = await currentUrl();
    field.value = url;
    if (await copyOrSelect(url, field)) {
      field.hidden = true;
      status.textContent = "Link copied";
    } else {
      status.textContent = "Copy the selected link (Ctrl+C / ⌘C)";
    }
  });
  wrap.append(button, status, field);
  document.querySelector(".masthead").append(wrap);
}

/**
 * Wires sharing for the page's modules (`calculator`, `scenarios`, `montecarlo` from app.js).
 * `onSaved()` is called after each save (the print summary uses it). Resolves once a link's state is
 * restored, and marks the body `state-restored` (tests wait for it).
 */
export async function setupShare({ scenarios, montecarlo, onSaved = () => {} }) {
  const selectedTab = () =>
    document.querySelector('[role="tab"][aria-selected="true"]')?.id.replace(/^tab-/, "") ?? "calculator";
  const getState = () => ({
    tab: selectedTab(),
    calculator: readCalculator(),
    scenarios: scenarios.getState(),
    uncertainty: scenarios.getUncertainty(),
    montecarlo: montecarlo.getState(),
  });
  const urlFor = async (state) => `${location.href.split("#")[0]}#${await encodeState(state)}`;
  let written = location.hash;

  async function save() {
    const url = await urlFor(getState());
    const hash = url.slice(url.indexOf("#"));
    if (hash !== written) {
      history.replaceState(history.state, "", url);
      written = hash;
      // A link copied before this edit no longer describes the page.
      $("copy-link-status").textContent = "";
      $("share-url").hidden = true;
    }
    onSaved();
  }

  let timer = null;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };

  function apply(state) {
    const form = $("inputs");
    for (const [name, value] of Object.entries(state.calculator)) {
      if (name === "spread") $("spread").value = value;
      else if (form.elements[name]) form.elements[name].value = value;
    }
    // The currency and period selects relabel the page; the form's input event recomputes.
    $("currency").dispatchEvent(new Event("change"));
    form.dispatchEvent(new Event("input"));
    $("spread").dispatchEvent(new Event("change"));
    if (state.uncertainty) scenarios.setUncertainty(state.uncertainty);
    if (state.scenarios) scenarios.setState(state.scenarios);
    montecarlo.setState(state.montecarlo);
    // A tab this page does not have (a link from a later version) leaves the current one open.
    $(`tab-${state.tab}`)?.click();
  }

  async function restore() {
    const decoded = await decodeState(location.hash);
    if (!decoded) return;
    const problem = decoded.error ?? checkChoices(decoded.state.calculator);
    if (problem) {
      showNotice(`This link's saved inputs could not be read (${problem}), so the page shows its defaults.`);
      return;
    }
    apply(decoded.state);
    $("share-notice")?.setAttribute("hidden", "");
  }

  window.addEventListener("hashchange", () => {
    if (location.hash === written) return;
    written = location.hash;
    restore();
  });
  for (const type of ["input", "change", "click", "keyup"]) document.addEventListener(type, schedule, true);
  createCopyButton(async () => {
    clearTimeout(timer);
    await save();
    return location.href;
  });
  await restore();
  onSaved();
  document.body.classList.add("state-restored");
  return { getState, save };
}
