// The "Subscriptions" tab end to end in headless Chromium: the synthetic sample the page ships
// (www/data/sample_subscriptions.csv, made by tests/subscriptions.rs from known parameters) loaded with
// its button, the columns guessed, the BdW fit checked against the generator's truth within 4 standard
// errors (all of it, and each plan's own fit), the cohort heatmap and the base's value with its
// interval (all of it, and one plan's), the fit sent to the Calculator, Scenarios and the Monte Carlo,
// and every request kept local.
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

  // By plan: the sample's plans do not change churn, so each plan's own BdW fit is within its
  // standard errors of the same truth; one plan's subscribers are valued with that plan's fit.
  await page.waitForSelector("#sub-plans-card:not([hidden])");
  const plans = page.locator("#sub-plans tbody tr");
  assert.equal(await plans.count(), 2);
  let subscribers = 0;
  for (let i = 0; i < 2; i++) {
    const planRow = plans.nth(i);
    subscribers += Number((await planRow.locator("td").nth(1).innerText()).replace(/,/g, ""));
    const own = JSON.parse(await planRow.getAttribute("data-params"));
    const ownSe = JSON.parse(await planRow.getAttribute("data-standard-errors"));
    for (const [name, truth] of Object.entries(TRUTH)) {
      assert.ok(Math.abs(own[name] - truth) <= STANDARD_ERRORS * ownSe[name], `${name} ${own[name]} ± ${ownSe[name]} against ${truth}`);
    }
  }
  assert.equal(subscribers, COHORTS * PER_COHORT);
  assert.deepEqual(await plans.evaluateAll((rows) => rows.map((r) => r.dataset.plan)), ["basic", "pro"]);
  assert.match(await page.innerText("#sub-plans-reason"), /degrees of freedom/);
  await page.selectOption("#sub-value-plan", "pro");
  await page.waitForFunction(() => /on plan pro/.test(document.getElementById("sub-value-result").textContent), null, { timeout: 20000 });
  const proValue = JSON.parse(await page.getAttribute("#sub-value-result", "data-interval"));
  assert.ok(proValue.lower < proValue.estimate && proValue.estimate < value.estimate, JSON.stringify(proValue));
  await page.selectOption("#sub-value-plan", "");
  await page.waitForFunction(() => !/on plan/.test(document.getElementById("sub-value-result").textContent), null, { timeout: 20000 });

  // By price: at 100 % of each one's price, the mean margin is the mean price of the 614 subscriptions
  // still running at the end of the sample (its end_date blank): 1,775 basic at 10 and 625 pro at 25
  // in all, their mean by hand from the file, 14.0065.
  await page.selectOption("#sub-margin-mode", "rate");
  assert.equal(await page.innerText('label[for="sub-margin"]'), "Margin, % of each one's price");
  await page.fill("#sub-margin", "100");
  await page.click("#sub-value");
  await page.waitForFunction(() => /100% of each one's price/.test(document.getElementById("sub-value-result").textContent), null, { timeout: 20000 });
  assert.match(await page.innerText("#sub-value-result"), /^614 active subscribers \(100% of each one's price: \$14\.01 a period on average\) are worth/);
  await page.selectOption("#sub-margin-mode", "amount");
  await page.fill("#sub-margin", "10");
  await page.click("#sub-value");
  await page.waitForFunction(() => !/of each one's price/.test(document.getElementById("sub-value-result").textContent), null, { timeout: 20000 });

  // The BdW fit to the Calculator: its value there is the clv of those parameters.
  await page.fill("#sub-discount", "1");
  await page.click("#sub-use-calculator");
  await page.waitForSelector("#panel-calculator:not([hidden])");
  assert.equal(await page.isChecked("#model-bdw"), true);
  for (const [id, key] of [["gamma", "gamma"], ["delta", "delta"], ["duration-c", "c"]]) {
    assert.equal(Number(await page.inputValue(`#${id}`)), +params[key].toFixed(4));
  }
  assert.match(await page.innerText("#bdw-first"), /%$/);

  // … and to Scenarios, whose base is the Calculator's.
  await page.click("#tab-subscriptions");
  await page.click("#sub-use-scenarios");
  await page.waitForSelector("#panel-scenarios:not([hidden])");
  await page.waitForFunction(() => /γ/.test(document.getElementById("base-summary").textContent), null, { timeout: 20000 });

  // … and to the Monte Carlo: one segment a plan, a typical cohort each, with the plan's own fit; the
  // run is the API's simulation of the same segments.
  await page.click("#tab-subscriptions");
  await page.click("#sub-use-montecarlo");
  await page.waitForSelector("#panel-montecarlo:not([hidden])");
  const segments = page.locator("#mc-segments .mc-segment");
  assert.equal(await segments.count(), 2);
  const planParams = await plans.evaluateAll((rows) => rows.map((r) => JSON.parse(r.dataset.params)));
  for (let i = 0; i < 2; i++) {
    assert.equal(await segments.nth(i).locator("select").inputValue(), "bdw");
    const gamma = await segments.nth(i).locator('input[id$="-gamma"]').inputValue();
    assert.equal(Number(gamma), +planParams[i].gamma.toFixed(4));
  }
  const customers = await segments.evaluateAll((rows) => rows.map((r) => Number(r.querySelector('input[id$="-customers"]').value)));
  assert.equal(customers.reduce((a, b) => a + b, 0), PER_COHORT);
  await page.fill("#mc-runs", "200");
  await page.fill("#mc-horizon", "24");
  await page.click("#mc-run");
  await page.waitForFunction(() => !document.querySelector("#mc-run").disabled && document.querySelector("#mc-mean").dataset.value, null, { timeout: 60000 });
  const shown = Number(await page.getAttribute("#mc-mean", "data-value"));
  const expected = await page.evaluate(
    async ({ planParams, customers }) => {
      const api = await import("/pkg/clvlab.js");
      await api.default();
      const round = (x) => +x.toFixed(4);
      return api.simulateEquity({
        segments: planParams.map((p, i) => ({
          name: `s${i}`,
          customers: customers[i],
          margin: 10,
          retention: { gamma: round(p.gamma), delta: round(p.delta), c: round(p.c) },
        })),
        discountRate: 0.01,
        horizon: 24,
        runs: 200,
        seed: Number(document.getElementById("mc-seed").value),
      }).mean;
    },
    { planParams, customers },
  );
  assert.ok(Math.abs(shown - expected) <= 1e-9 * expected, `${shown} against ${expected}`);
  assert.deepEqual(session.pageErrors, []);
  const foreign = session.requests.filter((r) => !r.startsWith(session.url) && !r.startsWith("blob:"));
  assert.deepEqual(foreign, [], "requests outside the local server");
});
