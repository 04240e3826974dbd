// The one way the tests start a browser: Debian's Chromium (/usr/bin/chromium) through playwright-core,
// headless, as root (no sandbox), with Chromium's own background traffic (updates, sync, QUIC probes)
// switched off so that the only requests are the page's, to the local server.
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

/** Launches headless Chromium with the flags above. */
export const launchChromium = () => chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });

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
