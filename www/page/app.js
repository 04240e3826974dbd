// Page wiring: loads the wasm library, sets up the tabs, and connects the Calculator and Scenarios tabs
// (the calculator's last good input is the scenarios' base). Everything is served from this origin.
import init, * as api from "../pkg/clvlab.js";
import { setupShare } from "./share.js";
import { setupExport } from "./export.js";
import { setupPrintSummary } from "./print.js";
import { makeFormat } from "../helpers/format.js";
import { createCalculator } from "./calculator.js";
import { createScenarios } from "./scenarios.js";
import { createMonteCarlo } from "./montecarlo.js";
import { createFitTab } from "./fit.js";
import { createSubscriptionsTab } from "./subscriptions.js";

const $ = (id) => document.getElementById(id);

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    window.dispatchEvent(new Event("resize"));
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
}

function currentFormat() {
  return makeFormat({ currency: $("currency").value, periodUnit: $("period-unit").value });
}

/** Writes the currency symbol and period names into the input labels. */
function relabel(fmt) {
  for (const el of document.querySelectorAll(".unit-currency")) el.textContent = fmt.symbol;
  for (const el of document.querySelectorAll(".unit-period")) el.textContent = fmt.period;
  for (const el of document.querySelectorAll(".unit-periods")) el.textContent = fmt.periods;
  for (const el of document.querySelectorAll(".unit-short")) el.textContent = fmt.periodShort;
}

async function main() {
  setupTabs();
  try {
    await init();
  } catch (e) {
    $("load-status").textContent = `The calculator could not load: ${e.message}`;
    $("load-status").classList.add("failed");
    return;
  }
  $("load-status").hidden = true;
  document.body.classList.add("ready");
  relabel(currentFormat());
  const scenarios = createScenarios({ api, getFormat: currentFormat });
  const calculator = createCalculator({ api, getFormat: currentFormat, onResult: (input) => scenarios.setBase(input) });
  const montecarlo = createMonteCarlo({ api, getFormat: currentFormat });
  const fit = createFitTab({
    api,
    getFormat: currentFormat,
    onValueBase: (base) => {
      montecarlo.showBase(base);
      $("tab-montecarlo").click();
    },
  });
  const subscriptions = createSubscriptionsTab({
    api,
    getFormat: currentFormat,
    onMonteCarlo: (segments, settings) => {
      montecarlo.setSegments(segments, settings);
      $("tab-montecarlo").click();
    },
  });
  for (const id of ["currency", "period-unit"]) {
    $(id).addEventListener("change", () => {
      relabel(currentFormat());
      calculator.update();
      scenarios.refresh();
      montecarlo.refresh();
      fit.refresh();
      subscriptions.refresh();
    });
  }
  // Share links, exports and the print summary (issue 6).
  const updatePrint = setupPrintSummary({ calculator, getFormat: currentFormat });
  setupExport({ calculator, scenarios, montecarlo, getFormat: currentFormat });
  setupShare({ scenarios, montecarlo, onSaved: updatePrint });
}

main();
