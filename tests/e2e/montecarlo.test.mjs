// The Monte Carlo tab end to end in headless Chromium (playwright-core + Debian's chromium-headless-shell): a
// simulation run from the page fills the progress bar and shows the mean that simulateEquity gives for
// the same configuration and seed; cancel stops a long run; a bad input is reported next to its field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./browser.mjs";
import { startServer } from "../../scripts/serve.mjs";

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  let url;
  ({ server, url } = await startServer({ port: 0 }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.waitForSelector("body.ready");
  await page.click("#tab-montecarlo");
});

after(async () => {
  await browser?.close();
  server?.close();
});

const finished = () =>
  page.waitForFunction(() => !document.querySelector("#mc-run").disabled, null, { timeout: 60000 });

test("a run fills the progress bar and shows the API's mean for the same seed", async () => {
  await page.fill("#mc-runs", "400");
  await page.fill("#mc-seed", "12345");
  await page.fill("#mc-target", "18000000");
  await page.click("#mc-run");
  await finished();
  const shown = await page.evaluate(() => ({
    mean: Number(document.querySelector("#mc-mean").dataset.value),
    progress: [document.querySelector("#mc-progress").value, document.querySelector("#mc-progress").max],
    status: document.querySelector("#mc-status").textContent,
    prob: document.querySelector("#mc-prob").textContent,
  }));
  assert.deepEqual(shown.progress, [400, 400]);
  assert.match(shown.status, /^400 runs in/);
  // The same configuration as the page's default segments, straight through the API.
  const expected = await page.evaluate(async () => {
    const api = await import("/pkg/clvlab.js");
    await api.default();
    return api.simulateEquity({
      segments: [
        { name: "Loyal", customers: 20000, margin: { mean: 120, cv: 0.6 }, retention: { alpha: 0.668, beta: 3.806 } },
        { name: "Regular", customers: 50000, margin: { mean: 60, cv: 0.8 }, retention: 0.8 },
        { name: "Occasional", customers: 30000, margin: { mean: 25, cv: 1.2 }, retention: { alpha: 1.2, beta: 2.5 } },
      ],
      discountRate: 0.1,
      horizon: 10,
      runs: 400,
      seed: 12345,
      target: 18000000,
    });
  });
  assert.equal(shown.mean, expected.mean);
  assert.match(shown.prob, /%$/);
  assert.ok(await page.locator("#mc-histogram canvas").count());
  assert.deepEqual(pageErrors, []);
});

test("cancel stops a long run", async () => {
  await page.fill("#mc-runs", "100000");
  await page.click("#mc-run");
  await page.waitForFunction(() => document.querySelector("#mc-progress").value > 0, null, { timeout: 30000 });
  await page.click("#mc-cancel");
  await finished();
  const status = await page.locator("#mc-status").innerText();
  assert.match(status, /^Cancelled after [\d,]+ runs$/);
  const value = await page.evaluate(() => document.querySelector("#mc-progress").value);
  assert.ok(value < 100000);
});

test("a bad input is shown next to its field", async () => {
  await page.fill("#mc-runs", "100");
  const customers = page.locator('[data-field="segments[1].customers"] input');
  await customers.fill("-5");
  await page.click("#mc-run");
  await finished();
  const error = await page.locator('[data-field="segments[1].customers"] .error').innerText();
  assert.match(error, /^⚠?\s*Segment 2, customers: must be a whole number/);
  await customers.fill("50000");
});
