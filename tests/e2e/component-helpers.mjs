// Helpers shared by the component browser tests: text inside a component's shadow root, waiting for it,
// the keyboard's path through the components, and axe-core on the example page.
import assert from "node:assert/strict";
import { createRequire } from "node:module";

/** Text with the narrow and normal no-break spaces Intl puts in "351,43 €" read as plain spaces. */
export const plain = (s) => s.replace(/[\u00a0\u202f]/g, " ").trim();

/** Resolves when the page has rendered the first result of a `tag` element (its performance mark). */
export const firstResult = (page, tag = "clv-calculator") =>
  page.waitForFunction((tag) => performance.getEntriesByName(`${tag}:first-result`).length > 0, tag, {
    timeout: 15_000,
  });

/** The text of `selector` inside element `id`'s shadow root (Playwright's CSS pierces open shadow roots). */
export const shown = async (page, id, selector) => plain(await page.locator(`#${id} ${selector}`).first().innerText());

/** Waits until `selector` in element `id`'s shadow root reads `expected`. */
export async function expectShown(page, id, selector, expected) {
  try {
    await page.waitForFunction(
      ([id, s, e]) =>
        document
          .getElementById(id)
          ?.shadowRoot?.querySelector(s)
          ?.textContent.replace(/[\u00a0\u202f]/g, " ")
          .trim() === e,
      [id, selector, expected],
      { timeout: 5000 },
    );
  } catch {
    assert.equal(await shown(page, id, selector), expected, `${id} ${selector}`);
  }
}

/** `host#input` for each of `presses` Tab presses from the top of the page, where focus is in a shadow root. */
export async function tabOrder(page, presses) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.click(4, 4);
  const order = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press("Tab");
    const where = await page.evaluate(() => {
      let el = document.activeElement;
      let host = null;
      while (el?.shadowRoot?.activeElement) {
        host = el;
        el = el.shadowRoot.activeElement;
      }
      return host ? `${host.id}#${el.id}` : null;
    });
    if (where) order.push(where);
  }
  return order;
}

/**
 * axe-core's serious and critical violations on `url`, after the first result of each of `tags`, in a
 * context that bypasses the page's CSP (which rightly forbids the injected inline script); all are printed.
 */
export async function seriousViolations(browser, url, tags) {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    for (const tag of tags) await firstResult(page, tag);
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () =>
      (await window.axe.run(document)).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
        targets: v.nodes.slice(0, 3).map((n) => n.target),
      })),
    );
    for (const v of violations) console.log(`# axe ${v.impact}: ${v.id} (${v.nodes} nodes) ${JSON.stringify(v.targets)}`);
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  } finally {
    await context.close();
  }
}

/**
 * Opens `url` in a new page of `context` with the wasm held back until `release()` is called, so that
 * the skeletons can be checked. Returns `{ page, release }`.
 */
export async function openWithWasmHeld(context, url) {
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/clvlab_core_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(url);
  return { page, release };
}
