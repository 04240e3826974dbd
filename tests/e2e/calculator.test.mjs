// The demo page end to end in headless Chromium (playwright-core + Debian's chromium-headless-shell):
// served in-process from scripts/serve.mjs, inputs typed like a person would, displayed values checked
// against closed forms, and every request checked to stay on the local server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSession } from "./browser.mjs";

let session;
let url;
let page;
let requests;
let pageErrors;

before(async () => {
  session = await startSession();
  ({ url, requests, pageErrors } = session);
  page = await session.openDemo();
});

after(() => session?.close());

/** Picks a radio option by clicking its label, as a person would (the radios are styled as buttons). */
const choose = (id) => page.click(`label[for="${id}"]`);
const text = (selector) => page.locator(selector).innerText();

/** Waits until `selector` shows `expected` (the page recomputes on every keystroke). */
async function expectText(selector, expected) {
  try {
    await page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent.trim() === e, [selector, expected], {
      timeout: 5000,
    });
  } catch {
    assert.equal(await text(selector), expected, `${selector}`);
  }
}

/** The textbook customer: margin 100, constant retention 80 %, discount rate 10 %, no horizon. */
async function textbookCustomer() {
  await choose("model-constant");
  await page.fill("#margin", "100");
  await page.fill("#retention", "80");
  await page.fill("#discount-rate", "10");
  await page.fill("#horizon", "");
  await page.fill("#margin-growth", "0");
}

test("constant retention: the margin multiple r/(1+d−r) and the start-of-period value", async () => {
  await textbookCustomer();
  await choose("timing-end");
  // 100 × 0.8 / (1 + 0.1 − 0.8) = 266.667 (Gupta & Lehmann 2003, margin multiple)
  await expectText("#kpi-clv", "$266.67");
  await choose("timing-start");
  // first payment now: 100 + 266.667 = 366.667
  await expectText("#kpi-clv", "$366.67");
});

test("a finite horizon sums the first H payments", async () => {
  await choose("timing-end");
  await page.fill("#horizon", "10");
  // Σ_{t=1..10} 100 · 0.8^t / 1.1^t = 266.667 · (1 − (0.8/1.1)^10) = 255.627
  await expectText("#kpi-clv", "$255.63");
  await page.fill("#horizon", "");
  await expectText("#kpi-clv", "$266.67");
});

test("the textbook customer's KPIs, break-even points, tornado and worked example", async () => {
  await page.fill("#acquisition-cost", "150");
  await expectText("#kpi-clv", "$266.67");
  await expectText("#kpi-net", "$116.67");
  await expectText("#kpi-ratio", "1.8×"); // 266.67 / 150
  // cumulative 72.73, 125.62, 164.09: 150 is covered in year 3
  await expectText("#kpi-payback", "3 years");
  await expectText("#kpi-lifetime", "4.0 years"); // Σ 0.8^t
  await expectText("#be-cac", "$266.67"); // the CLV
  await expectText("#be-margin", "$56.25"); // m × 0.8 / 0.3 = 150
  await expectText("#be-retention", "66%"); // 100 r / (1.1 − r) = 150
  assert.deepEqual(await page.locator("#tornado .bar-label").allInnerTexts(), ["Margin", "Retention", "Discount rate"]);
  // retention 0.85: 340 / 266.67 − 1
  assert.match(await text("#worked-body"), /\+27\.5%/);
});

test("sBG retention: Fader & Hardie's regular segment", async () => {
  await choose("model-sbg");
  await page.fill("#margin", "1");
  await page.fill("#alpha", "0.704");
  await page.fill("#beta", "1.182");
  await choose("timing-start");
  // DEL(d = 0.1) = 3.6951, Fader & Hardie (2010), "Customer-base valuation in a contractual setting"
  await expectText("#kpi-clv", "$3.70");
  await choose("model-constant");
  await page.fill("#margin", "100");
  await expectText("#kpi-clv", "$366.67");
});

test("bad input: an inline error next to retention, the last good result kept and greyed", async () => {
  await page.fill("#retention", "120");
  await page.waitForSelector("#retention-error:not([hidden])");
  assert.match(await text("#retention-error"), /retention/i);
  assert.equal(await page.getAttribute("#retention", "aria-invalid"), "true");
  assert.ok(await page.locator("#results.stale").count(), "results greyed");
  assert.equal(await text("#kpi-clv"), "$366.67", "last good value kept");
  await page.fill("#retention", "80");
  await page.waitForSelector("#retention-error[hidden]", { state: "attached" });
  assert.equal(await page.locator("#results.stale").count(), 0);
});

test("scenarios: an added scenario shows its change against the base", async () => {
  await page.click("#tab-scenarios");
  const rows = page.locator("#scenario-table tbody tr");
  const before = await rows.count();
  await page.click("#add-scenario");
  await page.waitForFunction((n) => document.querySelectorAll("#scenario-table tbody tr").length === n + 1, before);
  const i = before - 1; // editors are numbered from 0, the table starts with the base row
  await page.fill(`#s${i}-name`, "Margin 110");
  await page.fill(`#s${i}-churn`, "");
  await page.fill(`#s${i}-margin`, "110");
  // CLV is linear in the margin: 366.667 × 1.1 − 366.667 = +36.67, +10%
  const last = rows.last();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll("#scenario-table tbody tr:last-child > *")].map((c) => c.textContent);
    return cells[0] === "Margin 110" && cells[2] === "+$36.67";
  });
  assert.equal(await last.locator("td").nth(2).innerText(), "+10%");
  assert.match(await text("#delta-chart"), /Margin 110/);
  await page.screenshot({ path: "test-results/scenarios.png", fullPage: true });

  // A bad scenario field is flagged next to that field; removing the scenario clears it.
  await page.fill(`#s${i}-retention`, "130");
  await page.waitForSelector(`#s${i}-retention-error:not([hidden])`);
  assert.match(await text(`#s${i}-retention-error`), /retention/i);
  assert.ok(await page.locator("#scenario-results.stale").count(), "scenario results greyed");
  await page.click(`[aria-label="Remove scenario ${i + 1}"]`);
  await page.waitForFunction((n) => document.querySelectorAll("#scenario-table tbody tr").length === n, before);
  assert.equal(await page.locator("#scenario-results.stale").count(), 0);
  await page.click("#tab-calculator");
});

test("scenarios with uncertainty: the Monte Carlo's interval holds the closed-form change", async () => {
  await textbookCustomer();
  await page.click("#tab-scenarios");
  await page.check("#uncertainty-on");
  await page.fill("#uncertainty-customers", "10000");
  await page.fill("#uncertainty-retention-sd", "0");
  await page.fill("#uncertainty-margin-sd", "0");
  // Cutting churn 5 points: 100 × 0.85 / 0.25 − 100 × 0.8 / 0.3 = 340 − 266.67 = +73.33 per customer
  // (either timing). With 10,000 customers and no parameter risk, the 90% interval of the average
  // change is a few dollars wide around it.
  const cells = () =>
    page.evaluate(() => {
      const row = [...document.querySelectorAll("#scenario-table tbody tr")].find((r) => r.firstChild.textContent === "Cut churn 5 points");
      return [...row.children].map((c) => c.textContent);
    });
  await page.waitForFunction(() => /runs of 10,000 customers/.test(document.querySelector("#uncertainty-status").textContent), null, { timeout: 20000 });
  const row = await cells();
  assert.equal(row[2], "+$73.33");
  const [low, high] = row[6].split(" to ").map((x) => Number(x.replace(/[^\d.-]/g, "")));
  assert.ok(low < 73.33 && 73.33 < high && low > 60 && high < 87, row[6]);
  assert.equal(row[7], "100%");
  assert.ok(await page.locator("#scenario-table th.mc-col").first().isVisible());
  // A retention sd the Beta cannot have (at least sqrt(0.8 × 0.2) = 40 points) is refused by its field.
  await page.fill("#uncertainty-retention-sd", "45");
  await page.waitForSelector("#uncertainty-retention-sd-error:not([hidden])");
  assert.match(await text("#uncertainty-retention-sd-error"), /^Retention uncertainty: must be less than/);
  await page.fill("#uncertainty-retention-sd", "2");
  await page.waitForSelector("#uncertainty-retention-sd-error", { state: "hidden" });
  await page.uncheck("#uncertainty-on");
  assert.ok(!(await page.locator("#scenario-table th.mc-col").first().isVisible()));
  await page.click("#tab-calculator");
});

test("tabs work from the keyboard", async () => {
  await page.focus("#tab-calculator");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getAttribute("#tab-scenarios", "aria-selected"), "true");
  assert.ok(await page.locator("#panel-scenarios").isVisible());
  assert.ok(!(await page.locator("#panel-calculator").isVisible()));
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.getAttribute("#tab-calculator", "aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-calculator");
});

test("every input and select has a label", async () => {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select")]
      .filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label"))
      .map((el) => el.id || el.name),
  );
  assert.deepEqual(unlabelled, []);
});

test("currency and period relabel the results", async () => {
  await page.selectOption("#currency", "EUR");
  await expectText("#kpi-clv", "€366.67");
  await page.selectOption("#period-unit", "month");
  await expectText("#kpi-lifetime", "5.0 months");
  await page.selectOption("#currency", "USD");
  await page.selectOption("#period-unit", "year");
  await expectText("#kpi-clv", "$366.67");
});

test("works offline once loaded", async () => {
  await page.context().setOffline(true);
  try {
    await page.fill("#retention", "85");
    // 100 + 100 × 0.85 / 0.25
    await expectText("#kpi-clv", "$440.00");
  } finally {
    await page.fill("#retention", "80");
    await page.context().setOffline(false);
  }
});

test("screenshot, no page errors, and no request leaves the local server", async () => {
  await page.click("#tab-calculator");
  await choose("timing-end");
  await expectText("#kpi-clv", "$266.67");
  await page.fill("#acquisition-cost", "150");
  await page.locator("#acquisition-cost").blur();
  await page.screenshot({ path: "test-results/calculator.png", fullPage: true });
  assert.deepEqual(pageErrors, []);
  assert.ok(requests.length > 0);
  const foreign = requests.filter((r) => !r.startsWith(url));
  assert.deepEqual(foreign, [], "requests outside the local server");
  assert.ok(
    requests.some((r) => r.endsWith("/pkg/clvlab_bg.wasm")),
    "wasm served locally",
  );
  assert.ok(
    requests.some((r) => r.endsWith("/vendor/uplot/uPlot.esm.js")),
    "uPlot served locally",
  );
});
