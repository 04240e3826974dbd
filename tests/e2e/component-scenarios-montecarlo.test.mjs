// <clv-scenarios> and <clv-montecarlo> on the example marketing page (www/examples/embed.html) in headless
// Chromium: each shows the library's result for its input (computed again in the page through the same
// package) and values checked against closed forms, follows attribute changes and the reader's typing,
// fires clv-change, names the attribute when one cannot be read (never NaN), lets the keyboard reach its
// inputs, and passes axe-core; Monte Carlo is reproducible from its seed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSession } from "./browser.mjs";
import { firstResult, expectShown, shown, tabOrder, seriousViolations, openWithWasmHeld } from "./component-helpers.mjs";

let session;
let page;

before(async () => {
  session = await startSession();
  page = await session.context.newPage();
  await page.goto(`${session.url}examples/embed.html`);
  await firstResult(page, "clv-scenarios");
  await firstResult(page, "clv-montecarlo");
  // Every clv-change and clv-error of the two elements, as seen by the document.
  await page.evaluate(() => {
    window.__events = [];
    for (const type of ["clv-change", "clv-error"]) {
      document.addEventListener(type, (e) => window.__events.push({ type, id: e.target.id, detail: e.detail }));
    }
  });
});

after(() => session?.close());

/** The clvlab package's `name(input)`, run in the page with the module the components loaded. */
const inPage = (name, input) =>
  page.evaluate(async ([name, input]) => (await import("/pkg/clvlab_core.js"))[name](input), [name, input]);

/**
 * Sets (or, with null, removes) attributes of element `id` and waits for the clv-change or clv-error that
 * follows the last one (the element recomputes after each attribute).
 */
async function setAttributes(id, attributes) {
  return page.evaluate(
    ([id, attributes]) => {
      const el = document.getElementById(id);
      const set = ([name, value]) => (value === null ? el.removeAttribute(name) : el.setAttribute(name, value));
      const entries = Object.entries(attributes);
      const last = entries.pop();
      entries.forEach(set);
      const next = new Promise((resolve) => {
        const done = (e) => {
          el.removeEventListener("clv-change", done);
          el.removeEventListener("clv-error", done);
          resolve({ type: e.type, detail: e.detail });
        };
        el.addEventListener("clv-change", done);
        el.addEventListener("clv-error", done);
      });
      set(last);
      return next;
    },
    [id, attributes],
  );
}

/**
 * Appends a new `tag` element with id "probe", its `config` property and `attributes` set first; resolves
 * with the detail of its first clv-change. Remove it with `unmount()`.
 */
const mount = (tag, config, attributes = {}) =>
  page.evaluate(
    ([tag, config, attributes]) => {
      const el = document.createElement(tag);
      el.id = "probe";
      el.config = config;
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
      const changed = new Promise((resolve) => el.addEventListener("clv-change", (e) => resolve(e.detail), { once: true }));
      document.body.append(el);
      return changed;
    },
    [tag, config, attributes],
  );
const probe = (fn) => page.evaluate(fn);
const unmount = () => page.evaluate(() => document.getElementById("probe").remove());

const close = (actual, expected, tolerance, what) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

/** The text of the whole shadow root of `id`, for "never NaN" checks. */
const allText = (id) => page.evaluate((id) => document.getElementById(id).shadowRoot.textContent, id);

// ---- <clv-scenarios> ----

const SCENARIOS_INPUT = {
  base: { segments: [{ name: "Customers", customers: 5000, margin: 120, retention: 0.82, discountRate: 0.1, horizon: 10 }] },
  scenarios: [
    { name: "Cut churn 5 points", changes: { churnChange: { points: -5 } } },
    { name: "Raise margin 10%", changes: { marginChange: { relative: 0.1 } } },
  ],
};

test("clv-scenarios: the page's comparison is compareScenarios' for the same input, in German format", async () => {
  const value = await page.evaluate(() => document.getElementById("scenarios").value);
  assert.deepEqual(value.input, SCENARIOS_INPUT);
  const expected = await inPage("compareScenarios", value.input);
  assert.deepEqual(value.result, expected);
  // A margin 10% higher raises the value by exactly 10% (value is linear in the margin).
  close(value.result.scenarios[1].deltaPercent, 10, 1e-9, "margin +10% → value +10%");
  const compact = await page.evaluate(
    (x) => new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR", notation: "compact", maximumSignificantDigits: 3 }).format(x),
    value.result.base.value,
  );
  await expectShown(page, "scenarios", ".clv", compact.replace(/[\u00a0\u202f]/g, " "));
  await expectShown(page, "scenarios", "#base-name", "Base customer equity");
  const rows = await page.locator("#scenarios tbody tr").count();
  assert.equal(rows, 2);
  assert.match(await shown(page, "scenarios", "tbody tr:first-child .delta"), /^\+.*€ \(\+23,3 %\)$/);
});

test("clv-scenarios: one customer with no horizon matches the margin multiple; attribute changes recompute", async () => {
  const event = await setAttributes("scenarios", { customers: null, horizon: null });
  assert.equal(event.type, "clv-change");
  // m r / (1 + d − r) (Gupta & Lehmann 2003): 120 × 0.82 / 0.28 = 351.43; churn 5 points lower, r = 0.87:
  // 120 × 0.87 / 0.23 = 453.91
  const [base, cut] = [event.detail.result.base.value, event.detail.result.scenarios[0].value];
  close(base, (120 * 0.82) / 0.28, 1e-9, "base CLV");
  close(cut, (120 * 0.87) / 0.23, 1e-9, "CLV with churn 5 points lower");
  await expectShown(page, "scenarios", ".clv", "351,43 €");
  await expectShown(page, "scenarios", "#base-name", "Base customer lifetime value");
  const margin = await setAttributes("scenarios", { margin: "100" });
  close(margin.detail.result.base.value, (100 * 0.82) / 0.28, 1e-9, "CLV at margin 100");
  // The default "Raise margin 10%" follows the base margin: 110 × 0.82 / 0.28.
  close(margin.detail.result.scenarios[1].value, (110 * 0.82) / 0.28, 1e-9, "CLV at margin 110");
  await expectShown(page, "scenarios", ".clv", "292,86 €");
  await setAttributes("scenarios", { margin: "120", customers: "5000", horizon: "10" });
});

test("clv-scenarios: typing in a field recomputes and fires clv-change (bubbling out of the shadow root)", async () => {
  await page.evaluate(() => (window.__events.length = 0));
  await page.fill("#scenarios #retention", "90");
  await page.waitForFunction(() => window.__events.some((e) => e.id === "scenarios" && e.type === "clv-change"));
  const { detail } = await page.evaluate(() => window.__events.findLast((e) => e.id === "scenarios"));
  assert.equal(detail.input.base.segments[0].retention, 0.9);
  assert.deepEqual(detail.result, await inPage("compareScenarios", detail.input));
  await page.fill("#scenarios #retention", "82");
});

test("clv-scenarios: bad attributes and scenarios give a message naming them, never NaN", async () => {
  let event = await setAttributes("scenarios", { "discount-rate": "ten" });
  assert.equal(event.type, "clv-error");
  assert.equal(event.detail.message, 'discount-rate="ten" is not a number');
  assert.equal(await shown(page, "scenarios", "#discount-rate-error"), 'discount-rate="ten" is not a number');
  assert.equal(await page.getAttribute("#scenarios #discount-rate", "aria-invalid"), "true");
  assert.equal(await page.locator("#scenarios .results.stale").count(), 1);
  assert.doesNotMatch(await allText("scenarios"), /NaN/);
  event = await setAttributes("scenarios", { margin: "lots" });
  assert.equal(await shown(page, "scenarios", "#margin-error"), 'margin="lots" is not a number');
  assert.equal(await shown(page, "scenarios", "#discount-rate-error"), 'discount-rate="ten" is not a number', "both shown");
  event = await setAttributes("scenarios", { margin: "120", "discount-rate": "0.1", retention: "1.5" });
  assert.equal(event.detail.message, "Retention: must be between 0% and 100% (got 150%)");
  assert.equal(await shown(page, "scenarios", "#retention-error"), event.detail.message);
  event = await setAttributes("scenarios", { retention: "0.82", scenarios: "[{name: oops}]" });
  assert.match(event.detail.message, /^scenarios: not a JSON array of scenarios/);
  event = await setAttributes("scenarios", {
    scenarios: JSON.stringify([{ name: "Lose half", changes: { churnChange: { points: 90 } } }]),
  });
  assert.match(event.detail.message, /^Scenario “Lose half”, changes\.churnChange\.points: takes churn from 0\.18 to 1\.08/);
  assert.doesNotMatch(await allText("scenarios"), /NaN/);
  event = await setAttributes("scenarios", { scenarios: null });
  assert.equal(event.type, "clv-change");
  assert.equal(await page.locator("#scenarios .results.stale").count(), 0);
});

test("clv-scenarios: the config property takes a whole compareScenarios input, several segments too", async () => {
  const input = {
    base: {
      segments: [
        { name: "Loyal", customers: 2000, margin: 200, retention: 0.9, discountRate: 0.1 },
        { name: "Casual", customers: 8000, margin: 40, retention: { alpha: 1.2, beta: 2.5 }, discountRate: 0.1 },
      ],
    },
    scenarios: [
      { name: "Loyal churn halved", segment: "Loyal", changes: { churnChange: { relative: -0.5 } } },
      { name: "Cheaper money", changes: { discountRate: 0.08 } },
    ],
  };
  const detail = await mount("clv-scenarios", { ...input, currency: "USD", locale: "en-US" });
  const out = await probe(() => {
    const el = document.getElementById("probe");
    const root = el.shadowRoot;
    return {
      summary: root.querySelector(".custom").textContent,
      fieldsHidden: root.querySelector('[data-field="margin"]').hidden,
      rows: [...root.querySelectorAll("tbody th")].map((th) => th.firstChild.textContent),
      changes: [...root.querySelectorAll("tbody .changes")].map((el) => el.textContent),
      config: el.config,
    };
  });
  await unmount();
  assert.deepEqual(detail.input, input);
  assert.deepEqual(detail.result, await inPage("compareScenarios", input));
  assert.equal(out.summary, "Base: 2 segments, 10,000 customers.");
  assert.equal(out.fieldsHidden, true);
  assert.deepEqual(out.rows, ["Loyal churn halved", "Cheaper money"]);
  assert.deepEqual(out.changes, ["Loyal: churn -50%", "discount rate 8%"]);
  const display = { currency: undefined, locale: undefined, periodUnit: undefined };
  assert.deepEqual({ ...out.config, ...display }, { ...input, ...display });
});

test("clv-scenarios: a config base the fields cannot show (sBG retention, payment at the start) is summarized", async () => {
  const input = {
    base: { margin: 1, retention: { alpha: 0.704, beta: 1.182 }, discountRate: 0.1, timing: "start" },
    scenarios: [{ name: "Churn 20% lower", changes: { churnChange: { relative: -0.2 } } }],
  };
  const detail = await mount("clv-scenarios", { ...input, currency: "USD", locale: "en-US" });
  const summary = await probe(() => document.getElementById("probe").shadowRoot.querySelector(".custom").textContent);
  await unmount();
  // DEL(d = 0.1) of the "regular" segment: 3.6951, Fader & Hardie (2010), "Customer-base valuation in a
  // contractual setting"
  close(detail.result.base.value, 3.6951, 5e-4, "sBG base");
  assert.deepEqual(detail.result, await inPage("compareScenarios", input));
  assert.equal(summary, "Base: one customer, margin $1.00 per year.");
});

// ---- <clv-montecarlo> ----

const MC_INPUT = {
  segments: [{ name: "Customers", customers: 5000, margin: 120, retention: 0.82 }],
  discountRate: 0.1,
  horizon: 10,
  runs: 1000,
  seed: 7,
};

test("clv-montecarlo: the chunked result is simulateEquity's, bit for bit, and its mean the closed form", async () => {
  const value = await page.evaluate(() => document.getElementById("simulation").value);
  assert.deepEqual(value.input, MC_INPUT);
  assert.deepEqual(value.result, await inPage("simulateEquity", MC_INPUT));
  // E[equity] = N m Σ_{t=1..H} r^t (1 + d)^−t (src/montecarlo/mod.rs, "The model"), within 4 standard errors.
  let expected = 0;
  for (let t = 1; t <= 10; t++) expected += 5000 * 120 * (0.82 / 1.1) ** t;
  close(value.result.mean, expected, (4 * value.result.stdDev) / Math.sqrt(1000), "mean equity");
  const counts = value.result.histogram.counts;
  assert.equal(counts.reduce((a, b) => a + b, 0), 1000, "the histogram holds every run");
  const compact = await page.evaluate(
    (x) => new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR", notation: "compact", maximumSignificantDigits: 3 }).format(x),
    value.result.percentiles.p5,
  );
  await expectShown(page, "simulation", ".p5", compact.replace(/[\u00a0\u202f]/g, " "));
  assert.equal(await page.locator("#simulation svg rect.bin").count(), counts.length);
  assert.match(await page.getAttribute("#simulation svg", "aria-label"), /^Histogram of customer equity over 1000 runs: 90% of runs between /);
});

test("clv-montecarlo: the same seed gives the same numbers, another seed others; runs follow the attribute", async () => {
  const first = await page.evaluate(() => document.getElementById("simulation").value.result);
  const other = await setAttributes("simulation", { seed: "8" });
  assert.notEqual(other.detail.result.mean, first.mean);
  const again = await setAttributes("simulation", { seed: "7" });
  assert.deepEqual(again.detail.result, first);
  const fewer = await setAttributes("simulation", { runs: "200" });
  assert.equal(fewer.detail.result.runs, 200);
  assert.equal(fewer.detail.result.histogram.counts.reduce((a, b) => a + b, 0), 200);
  // The first 200 runs of seed 7 are the first 200 runs of the 1,000: the same streams.
  assert.deepEqual(fewer.detail.result, await inPage("simulateEquity", { ...MC_INPUT, runs: 200 }));
  await expectShown(page, "simulation", ".note", "mean of 200 runs (seed 7), in today's money");
  await setAttributes("simulation", { runs: "1000" });
});

test("clv-montecarlo: typing in a field recomputes; bad input names the attribute or field, never NaN", async () => {
  await page.evaluate(() => (window.__events.length = 0));
  await page.fill("#simulation #customers", "100");
  await page.waitForFunction(() =>
    window.__events.some((e) => e.id === "simulation" && e.detail.input?.segments?.[0].customers === 100),
  );
  await page.fill("#simulation #customers", "5000");
  let event = await setAttributes("simulation", { runs: "many" });
  assert.equal(event.type, "clv-error");
  assert.equal(event.detail.message, 'runs="many" is not a number');
  assert.equal(await shown(page, "simulation", "#runs-error"), event.detail.message);
  event = await setAttributes("simulation", { runs: "0" });
  assert.equal(event.detail.message, "Runs: must be a whole number from 1 to 1000000 (got 0)");
  event = await setAttributes("simulation", { runs: "1000", retention: "-0.2" });
  assert.match(event.detail.message, /^Retention: /);
  assert.equal(await page.getAttribute("#simulation #retention", "aria-invalid"), "true");
  assert.doesNotMatch(await allText("simulation"), /NaN/);
  event = await setAttributes("simulation", { retention: "0.82" });
  assert.equal(event.type, "clv-change");
  assert.deepEqual(event.detail.input, MC_INPUT);
  assert.equal(await page.locator("#simulation .results.stale").count(), 0);
});

test("clv-montecarlo: many runs leave the page responsive, show progress, and a new input takes over", async () => {
  const out = await page.evaluate(async () => {
    const el = document.getElementById("simulation");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const notes = new Set();
    const watch = new MutationObserver(() => notes.add(el.shadowRoot.querySelector(".note").textContent));
    watch.observe(el.shadowRoot.querySelector(".note"), { childList: true, characterData: true, subtree: true });
    const changes = [];
    const done = new Promise((resolve) =>
      el.addEventListener("clv-change", function on(e) {
        changes.push(e.detail.input.seed);
        if (e.detail.input.seed === 9) {
          el.removeEventListener("clv-change", on);
          resolve(e.detail);
        }
      }),
    );
    el.setAttribute("horizon", "60");
    el.setAttribute("runs", "20000");
    await new Promise((resolve) => setTimeout(resolve, 30));
    el.setAttribute("seed", "9"); // while the seed-7 runs are still being computed
    const detail = await done;
    clearInterval(timer);
    watch.disconnect();
    return { ticks, changes, progress: [...notes].filter((n) => n.startsWith("simulating")).length, detail };
  });
  assert.ok(out.ticks >= 5, `a 10 ms timer ran ${out.ticks} times during the simulation`);
  assert.ok(out.progress >= 1, "progress shown in the note");
  assert.deepEqual(out.changes, [9], "the abandoned seed-7 computation fired nothing");
  const { input, result } = out.detail;
  assert.deepEqual(input, { ...MC_INPUT, horizon: 60, runs: 20000, seed: 9 });
  assert.deepEqual(result, await inPage("simulateEquity", input));
  await setAttributes("simulation", { horizon: "10", runs: "1000", seed: "7" });
});

test("clv-montecarlo: the config property takes a whole simulateEquity input", async () => {
  const input = {
    segments: [
      { name: "Loyal", customers: 2000, margin: { mean: 120, cv: 0.6 }, retention: { alpha: 0.668, beta: 3.806 } },
      { name: "Regular", customers: 5000, margin: 60, retention: 0.8 },
    ],
    discountRate: 0.01,
    horizon: 24,
    runs: 300,
    seed: 42,
  };
  const detail = await mount("clv-montecarlo", input, { "period-unit": "month" });
  const out = await probe(() => {
    const root = document.getElementById("probe").shadowRoot;
    return {
      summary: root.querySelector(".custom").textContent,
      customersHidden: root.querySelector('[data-field="customers"]').hidden,
      horizon: root.getElementById("horizon").value,
      label: root.querySelector('label[for="margin"]').textContent,
    };
  });
  await unmount();
  assert.deepEqual(detail.input, input);
  assert.deepEqual(detail.result, await inPage("simulateEquity", input));
  assert.equal(out.summary, "2 segments, 7,000 customers.");
  assert.equal(out.customersHidden, true);
  assert.equal(out.horizon, "24");
  assert.equal(out.label, "Margin per month");
});

// ---- both ----

test("keyboard: Tab reaches every input of both components, in reading order", async () => {
  const order = await tabOrder(page, 40);
  const expected = [
    ...["margin", "retention", "discount-rate", "horizon", "customers"].map((f) => `scenarios#${f}`),
    ...["customers", "margin", "retention", "discount-rate", "horizon", "runs", "seed"].map((f) => `simulation#${f}`),
  ];
  const ours = order.filter((w) => /^(scenarios|simulation)#/.test(w));
  assert.deepEqual(ours.slice(0, expected.length), expected);
});

test("themes: dark from the theme attribute, light again without it on a light page", async () => {
  const backgrounds = async () =>
    page.evaluate(() =>
      ["scenarios", "simulation"].map((id) => {
        const card = document.getElementById(id).shadowRoot.querySelector(".card");
        return getComputedStyle(card).backgroundColor.match(/\d+/g).slice(0, 3).map(Number);
      }),
    );
  const brightness = (rgb) => rgb[0] + rgb[1] + rgb[2];
  await page.evaluate(() => ["scenarios", "simulation"].forEach((id) => document.getElementById(id).setAttribute("theme", "dark")));
  for (const rgb of await backgrounds()) assert.ok(brightness(rgb) < 3 * 60, `dark card ${rgb}`);
  await page.evaluate(() => ["scenarios", "simulation"].forEach((id) => document.getElementById(id).setAttribute("theme", "light")));
  for (const rgb of await backgrounds()) assert.ok(brightness(rgb) > 3 * 200, `light card ${rgb}`);
});

test("axe-core: no serious or critical violations on the page with all three components", async () => {
  const bad = await seriousViolations(session.browser, `${session.url}examples/embed.html`, [
    "clv-scenarios",
    "clv-montecarlo",
  ]);
  assert.deepEqual(bad, []);
});

test("a skeleton until the wasm arrives, then the results", async () => {
  const { page: slow, release } = await openWithWasmHeld(session.context, `${session.url}examples/embed.html`);
  try {
    for (const id of ["scenarios", "simulation"]) {
      const results = slow.locator(`#${id} .results`);
      await results.waitFor();
      assert.match(await results.getAttribute("class"), /\bloading\b/);
      assert.equal(await results.getAttribute("aria-busy"), "true");
      assert.ok(await slow.locator(`#${id} #margin`).isVisible(), "the inputs show while the library loads");
    }
    release();
    await firstResult(slow, "clv-scenarios");
    await firstResult(slow, "clv-montecarlo");
    const times = await slow.evaluate(() =>
      ["clv-scenarios", "clv-montecarlo"].map((tag) => Math.round(performance.getEntriesByName(`${tag}:first-result`)[0].startTime)),
    );
    console.log(`# first results (wasm held back until the skeletons were checked): ${times.join(" ms, ")} ms`);
    assert.equal(await slow.locator("#scenarios .results.loading").count(), 0);
  } finally {
    await slow.close();
  }
});

test("no page errors, no request leaves the local server", () => {
  assert.deepEqual(session.pageErrors, []);
  assert.deepEqual(session.requests.filter((r) => !r.startsWith(session.url) && !r.startsWith("data:")), []);
});
