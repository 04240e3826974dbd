// The one way the tests start a browser: Debian's Chromium headless shell (/usr/bin/chromium-headless-shell,
// the same Blink and V8 as /usr/bin/chromium, without the browser's own window UI; it is what Playwright
// itself runs for headless Chromium) through playwright-core, as root (no sandbox), with Chromium's own
// background traffic (updates, sync, QUIC probes) switched off so that the only requests are the page's,
// to the local server. The full browser headless builds a window for every tab, address-bar WebUI
// pop-ups and all, which on this 2-core machine took about a core during each page load a test timed
// (the first result on the example page: 308 ms median there, 265 ms here, in the same run of the suite).
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches the headless shell with the flags above. */
export const launchChromium = () =>
  chromium.launch({ executablePath: "/usr/bin/chromium-headless-shell", args: CHROMIUM_ARGS });

/**
 * The demo page's test session: the static server on a free port, Chromium, and one browser context
 * (en-US, 1360 × 1000, downloads accepted) that records every request and every page error of every
 * page opened in it. `openDemo(tab?)` opens the demo page in it; `close()` ends the browser and the server.
 */
export async function startSession() {
  mkdirSync("test-results", { recursive: true });
  const { server, url } = await startServer({ port: 0 });
  const browser = await launchChromium();
  const context = await browser.newContext({
    locale: "en-US",
    viewport: { width: 1360, height: 1000 },
    acceptDownloads: true,
  });
  const requests = [];
  const pageErrors = [];
  context.on("request", (request) => requests.push(request.url()));
  context.on("page", (p) => p.on("pageerror", (error) => pageErrors.push(error.message)));
  const close = async () => {
    await browser.close();
    server.close();
  };
  /** A new page of the context on the demo page, once it is ready, on `tab` (e.g. "fit") when given. */
  const openDemo = async (tab) => {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector("body.ready");
    if (tab) await page.click(`#tab-${tab}`);
    return page;
  };
  return { url, browser, context, requests, pageErrors, openDemo, close };
}
