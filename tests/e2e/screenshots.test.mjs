// Screenshots for the README: each tab of the demo page (with its default inputs; Monte Carlo after a
// run, the data tabs with their samples) and the print summary, taken in headless Chromium at 1280 px wide. Always written to
// test-results/screenshots/; copied over docs/screenshots/ (committed, shown in the README) when the
// test runs with UPDATE_SCREENSHOTS=1, so the pictures are remade from the current page on purpose.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { launchChromium } from "./browser.mjs";
import { startServer } from "../../scripts/serve.mjs";

const OUT = "test-results/screenshots";
const DOCS = "docs/screenshots";
const WIDTH = 1280;
const MAX_HEIGHT = 1500;
const update = process.env.UPDATE_SCREENSHOTS === "1";

let server;
let browser;
let page;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  if (update) mkdirSync(DOCS, { recursive: true });
  let url;
  ({ server, url } = await startServer({ port: 0 }));
  browser = await launchChromium();
  page = await browser.newPage({ locale: "en-US", viewport: { width: WIDTH, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForSelector("body.state-restored");
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Takes `name`.png of the page's top (at most MAX_HEIGHT px) and checks it is a PNG WIDTH px wide. */
async function shoot(name) {
  const height = Math.min(MAX_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
  const path = `${OUT}/${name}.png`;
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: WIDTH, height } });
  const png = readFileSync(path);
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  assert.equal(png.readUInt32BE(16), WIDTH);
  if (update) copyFileSync(path, `${DOCS}/${name}.png`);
  return png.length;
}

test("a screenshot of each tab", async () => {
  const tabs = await page.locator('[role="tab"]').evaluateAll((els) => els.map((el) => el.id.replace(/^tab-/, "")));
  assert.ok(tabs.includes("calculator") && tabs.includes("scenarios") && tabs.includes("montecarlo"), tabs.join());
  for (const tab of tabs) {
    await page.click(`#tab-${tab}`);
    if (tab === "montecarlo") {
      await page.click("#mc-run");
      await page.waitForFunction(() => !document.querySelector("#mc-run").disabled && !document.querySelector("#mc-results").hidden, null, {
        timeout: 60000,
      });
    }
    if (tab === "fit") {
      await page.click("#fit-sample");
      await page.waitForSelector("#fit-results:not([hidden])", { timeout: 60000 });
    }
    if (tab === "subscriptions") {
      await page.click("#sub-sample");
      await page.waitForSelector("#sub-value-result[data-interval]", { timeout: 60000 });
    }
    await page.mouse.move(0, 0); // no hover state or chart cursor in the picture
    const bytes = await shoot(tab);
    console.log(`${tab}.png: ${Math.round(bytes / 1024)} KB`);
  }
});

test("a screenshot of the embed builder, configuring the value story", async () => {
  const builder = await browser.newPage({ locale: "en-US", viewport: { width: WIDTH, height: 900 }, deviceScaleFactor: 1 });
  try {
    await builder.goto(new URL("builder/", page.url()).href);
    await builder.waitForSelector("body.ready");
    await builder.selectOption("#component", "clv-value-story");
    await builder.fill('[data-where="extra:product"]', "Acme Retain");
    await builder.fill('[data-where="extra:price-per-period"]', "1500");
    await builder.fill('[data-where="theme:--clv-accent"]', "#0f766e");
    await builder.waitForFunction(() => performance.getEntriesByName("clv-value-story:first-result").length > 0);
    await builder.waitForTimeout(500);
    // From the top, as a visitor first sees it (filling the fields scrolled the page).
    await builder.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await builder.mouse.move(0, 0);
    const [previous, target] = [page, builder];
    page = target;
    try {
      await shoot("builder");
    } finally {
      page = previous;
    }
  } finally {
    await builder.close();
  }
});

test("a screenshot of the print summary", async () => {
  await page.click("#tab-calculator");
  await page.emulateMedia({ media: "print" });
  try {
    await shoot("print");
  } finally {
    await page.emulateMedia({ media: null });
  }
});
