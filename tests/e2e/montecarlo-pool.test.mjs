// The Monte Carlo worker pool (www/page/montecarlo-pool.js) in headless Chromium (playwright-core + the
// system's chromium-headless-shell): chunked runs across Web Workers summarize to exactly the one-call
// simulateEquity result, the preview is exactly the first runs' summary, progress counts every run, and
// cancel stops the job with an AbortError. Needs pkg/ built (scripts/build.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "./browser.mjs";
import { startServer } from "../../scripts/serve.mjs";

let server;
let browser;
let page;

before(async () => {
  let url;
  ({ server, url } = await startServer({ port: 0 }));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${url}/page/montecarlo-pool.js`); // any page of the server's origin
  await page.evaluate(async () => {
    const api = await import("/pkg/clvlab.js");
    await api.default();
    const { createEquityPool } = await import("/page/montecarlo-pool.js");
    window.api = api;
    window.pool = createEquityPool({ api, workers: 3 });
  });
});

after(async () => {
  await page?.evaluate(() => window.pool.terminate());
  await browser?.close();
  server?.close();
});

const config = {
  segments: [
    { name: "high", customers: 200000, margin: { mean: 40, cv: 0.8 }, retention: { alpha: 0.704, beta: 1.182 } },
    { name: "regular", customers: 500000, margin: { mean: 15, cv: 1.0 }, retention: { alpha: 0.668, beta: 3.806 } },
    { name: "low", customers: 300000, margin: 6, retention: 0.8, uncertainty: { marginSd: 0.5 } },
  ],
  discountRate: 0.01,
  horizon: 60,
  runs: 1000,
  seed: 77,
  target: 1.6e8,
};

test("workers give the one-call result bit for bit, with a preview and progress", async () => {
  const out = await page.evaluate(async (config) => {
    const progress = [];
    let preview = null;
    const started = performance.now();
    let previewMs = null;
    const job = window.pool.run(config, {
      onProgress: (done, total) => progress.push([done, total]),
      onPreview: (summary) => {
        preview = summary;
        previewMs = performance.now() - started;
      },
    });
    const summary = await job.result;
    return {
      same: JSON.stringify(summary) === JSON.stringify(window.api.simulateEquity(config)),
      previewSame: JSON.stringify(preview) === JSON.stringify(window.api.simulateEquity({ ...config, runs: 100 })),
      previewMs,
      progress,
    };
  }, config);
  assert.ok(out.same, "pooled summary differs from simulateEquity");
  assert.ok(out.previewSame, "preview differs from simulateEquity with runs = 100");
  assert.ok(out.previewMs !== null);
  const last = out.progress.at(-1);
  assert.deepEqual(last, [1000, 1000]);
  for (let i = 1; i < out.progress.length; i++) assert.ok(out.progress[i][0] > out.progress[i - 1][0]);
});

test("cancel stops the job with an AbortError", async () => {
  const out = await page.evaluate(async (config) => {
    let calls = 0;
    const job = window.pool.run({ ...config, runs: 20000 }, { chunkRuns: 50, onProgress: () => calls++ });
    await new Promise((resolve) => setTimeout(resolve, 30));
    job.cancel();
    const name = await job.result.then(() => "finished", (e) => e.name);
    const atCancel = calls;
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { name, atCancel, after: calls };
  }, config);
  assert.equal(out.name, "AbortError");
  assert.equal(out.after, out.atCancel, "progress continued after cancel");
});

test("a bad config rejects with the field named", async () => {
  const message = await page.evaluate(async (config) => {
    const bad = { ...config, segments: [{ ...config.segments[0], customers: -1 }] };
    return window.pool.run(bad).result.then(() => "finished", (e) => e.message);
  }, config);
  assert.match(message, /^segments\[0\]\.customers:/);
});
