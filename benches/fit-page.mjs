// The "Fit your data" tab in headless Chromium on the CDNOW sample replicated 1×, 10× (the size of the
// full CDNOW file: 23,570 customers) and 145× (a million rows): the times the tab reports for the summary,
// the BG/NBD and Gamma-Gamma fits, the predictions and the diagnostics (all in its Worker), and the
// longest task on the page's main thread meanwhile (the freeze a person typing would feel). Needs pkg/.
import { readFileSync } from "node:fs";
import { launchChromium } from "../tests/e2e/browser.mjs";
import { startServer } from "../scripts/serve.mjs";

const lines = readFileSync(new URL("../www/data/cdnow_sample_transactions.csv", import.meta.url), "utf8")
  .trim()
  .split("\n");
/** The sample `copies` times over, each copy's customers renamed. */
function replicate(copies) {
  const out = [lines[0]];
  for (let k = 0; k < copies; k++) for (const line of lines.slice(1)) out.push(`${k}-${line}`);
  return Buffer.from(out.join("\n") + "\n");
}

const { server, url } = await startServer({ port: 0 });
const browser = await launchChromium();
try {
  for (const copies of [1, 10, 145]) {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector("body.ready");
    await page.click("#tab-fit");
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
        type: "longtask",
      });
    });
    const file = replicate(copies);
    await page.setInputFiles("#fit-file", { name: `cdnow-x${copies}.csv`, mimeType: "text/csv", buffer: file });
    await page.waitForFunction(() => document.querySelector("#fit-results")?.dataset.calibrationEnd, null, {
      timeout: 120000,
    });
    // Long tasks from here: a new calibration end on a loaded file (not the upload itself).
    await page.evaluate(() => (window.longTasks = []));
    await page.fill("#fit-calibration-end", "1997-09-30");
    await page.waitForFunction(
      () => {
        const r = document.querySelector("#fit-results");
        return r?.dataset.calibrationEnd === "1997-09-30" && r.dataset.diagnosticsMs;
      },
      null,
      { timeout: 120000 },
    );
    const status = await page.locator("#fit-status").innerText();
    const diagnostics = await page.getAttribute("#fit-results", "data-diagnostics-ms");
    const customers = await page.locator("#fit-customers").innerText();
    const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
    console.log(
      `[bench] fit tab, ${(file.length / 1e6).toFixed(1)} MB, ${lines.length * copies - copies} rows, ${customers} customers: ` +
        `${status} · diagnostics ${diagnostics} ms · longest main-thread task ${longest.toFixed(0)} ms`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
