// The one way the tests start a browser: Debian's Chromium (/usr/bin/chromium) through playwright-core,
// headless, as root (no sandbox), with Chromium's own background traffic (updates, sync, QUIC probes)
// switched off so that the only requests are the page's, to the local server.
import { chromium } from "playwright-core";

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
