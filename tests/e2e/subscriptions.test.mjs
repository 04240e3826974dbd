// The "Subscriptions" tab end to end in headless Chromium: the synthetic sample the page ships
// (www/data/sample_subscriptions.csv, made by tests/subscriptions.rs from known parameters) loaded with
// its button, the columns guessed, the BdW fit checked against the generator's truth within 4 standard
// errors, the cohort heatmap and the base's value with its interval, and every request kept local.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSession } from "./browser.mjs";

// The generator's truth (tests/subscriptions.rs, SAMPLE_TRUTH) and its cohorts.
const TRUTH = { gamma: 0.8, delta: 3.2, c: 1.3 };
const COHORTS = 24;
const PER_COHORT = 100;
const STANDARD_ERRORS = 4;

let session;
let page;

before(async () => {
  session = await startSession();
  page = await session.openDemo("subscriptions");
});

after(() => session?.close());

test("the sample subscription log is read, fitted to its truth and valued", async () => {
  await page.click("#sub-sample");
  await page.waitForSelector("#sub-results:not([hidden])", { timeout: 20000 });
  assert.equal(await page.inputValue("#sub-customer"), "customer_id");
  assert.equal(await page.inputValue("#sub-start"), "start_date");
  assert.equal(await page.inputValue("#sub-end"), "end_date");
  assert.equal(await page.inputValue("#sub-plan"), "plan");
  assert.equal(await page.inputValue("#sub-price"), "monthly_price");
  const report = await page.innerText("#sub-report");
  assert.match(report, /2,400 subscriber relationships in 24 cohorts \(months\)/);

  const row = page.locator('#sub-params tr[data-model="bdw"]');
  const params = JSON.parse(await row.getAttribute("data-params"));
  const se = JSON.parse(await row.getAttribute("data-standard-errors"));
  for (const [name, truth] of Object.entries(TRUTH)) {
    assert.ok(
      Math.abs(params[name] - truth) <= STANDARD_ERRORS * se[name],
      `${name} ${params[name]} ± ${se[name]} against ${truth}`,
    );
  }
  assert.ok((await page.innerText("#sub-reason")).length > 0);

  const heat = page.locator("#sub-heatmap tbody tr");
  assert.equal(await heat.count(), COHORTS);
  for (let i = 0; i < COHORTS; i++) {
    assert.equal(await heat.nth(i).locator("td").first().innerText(), String(PER_COHORT));
  }

  await page.waitForSelector("#sub-value-result[data-interval]", { timeout: 20000 });
  const value = JSON.parse(await page.getAttribute("#sub-value-result", "data-interval"));
  assert.ok(value.lower < value.estimate && value.estimate < value.upper, JSON.stringify(value));
  assert.match(await page.innerText("#sub-value-result"), /active subscribers are worth/);

  // The BdW fit to the Calculator: its value there is the clv of those parameters.
  await page.fill("#sub-discount", "1");
  await page.click("#sub-use-calculator");
  await page.waitForSelector("#panel-calculator:not([hidden])");
  assert.equal(await page.isChecked("#model-bdw"), true);
  for (const [id, key] of [["gamma", "gamma"], ["delta", "delta"], ["duration-c", "c"]]) {
    assert.equal(Number(await page.inputValue(`#${id}`)), +params[key].toFixed(4));
  }
  assert.match(await page.innerText("#bdw-first"), /%$/);
  assert.deepEqual(session.pageErrors, []);
  const foreign = session.requests.filter((r) => !r.startsWith(session.url) && !r.startsWith("blob:"));
  assert.deepEqual(foreign, [], "requests outside the local server");
});
