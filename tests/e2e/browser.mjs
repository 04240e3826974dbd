// The one way the tests start a browser: Debian's Chromium (/usr/bin/chromium) through playwright-core,
// headless, as root (no sandbox), with Chromium's own background traffic (updates, sync, QUIC probes)
// switched off so that the only requests are the page's, to the local server, and without the browser
// UI that headless Chromium builds for every new window: it loads the address bar's WebUI pop-ups
// (chrome://omnibox-popup.top-chrome/) in a renderer of their own, which took about a core for the first
// half-second of each page a test opened, competing with the page for this 2-core machine's CPU.
import { mkdirSync, readFileSync } from "node:fs";
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

/**
 * Chromium keeps only the last `--disable-features` switch, and playwright-core passes its own first, so
 * ours repeats playwright-core's list (1.65: chromiumSwitches.ts), which `launchChromium` checks.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
];
const DISABLED_FEATURES = [
  ...PLAYWRIGHT_DISABLED_FEATURES,
  "WebUIOmniboxPopup",
  "WebUIOmniboxAimPopup",
  "WebUIOmniboxFullPopup",
];

/**
 * Launches headless Chromium with the flags above; fails if playwright-core's own `--disable-features`
 * list (read from the browser process's command line) names a feature ours leaves out.
 */
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, `--disable-features=${DISABLED_FEATURES.join(",")}`],
  });
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  await cdp.detach();
  const { id } = processInfo.find((p) => p.type === "browser");
  const [playwrights] = readFileSync(`/proc/${id}/cmdline`, "utf8")
    .split("\0")
    .filter((arg) => arg.startsWith("--disable-features="));
  const missing = playwrights.slice("--disable-features=".length).split(",").filter((f) => !DISABLED_FEATURES.includes(f));
  if (missing.length) {
    await browser.close();
    throw new Error(`playwright-core also disables ${missing.join(", ")}: add them to PLAYWRIGHT_DISABLED_FEATURES`);
  }
  return browser;
}

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
