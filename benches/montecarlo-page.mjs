// The Monte Carlo workload on the page's worker pool (www/page/montecarlo-pool.js) in headless Chromium, as
// the Monte Carlo tab runs it: time to the 100-run preview and to the full 1,000-run summary, against
// simulateEquity on the page's main thread measured in the same run. Needs pkg/ built.
import { launchChromium } from "../tests/e2e/browser.mjs";
import { startServer } from "../scripts/serve.mjs";
import { workload } from "./montecarlo-workload.mjs";

const { server, url } = await startServer({ port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${url}/page/montecarlo-pool.js`);
  const out = await page.evaluate(async (config) => {
    const api = await import("/pkg/clvlab.js");
    await api.default();
    const { createEquityPool, defaultWorkerCount } = await import("/page/montecarlo-pool.js");
    const pool = createEquityPool({ api });
    await pool.run({ ...config, runs: 20 }).result; // workers loaded
    api.simulateEquity({ ...config, runs: 20 });
    const times = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      let preview = null;
      await pool.run(config, { onPreview: () => (preview = performance.now() - start) }).result;
      times.push({ preview, total: performance.now() - start });
    }
    const start = performance.now();
    api.simulateEquity(config);
    const mainThread = performance.now() - start;
    pool.terminate();
    return { times, mainThread, workers: defaultWorkerCount(), cores: navigator.hardwareConcurrency };
  }, workload);
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  const total = median(out.times.map((t) => t.total));
  const preview = median(out.times.map((t) => t.preview));
  console.log(`[bench] page (Chromium), ${out.workers} worker(s) on ${out.cores} cores: ${total.toFixed(0)} ms for ${workload.runs} runs (median of 3, workers already loaded; goal < 1.5 s), preview of 100 runs after ${preview.toFixed(0)} ms (goal < 300 ms)`);
  console.log(`[bench] page main thread, one simulateEquity call: ${out.mainThread.toFixed(0)} ms; pool / one call: ${(total / out.mainThread).toFixed(2)}`);
} finally {
  await browser.close();
  server.close();
}
