// The snippet builder (www/builder/) in headless Chromium: reached from the demo page, it configures a
// component (defaults, hidden inputs, settings of its own, display, theme), and the snippet it copies,
// pasted into a blank page of the same site, renders the same component: the same input and result, the
// same fields shown, the same words and figures, the same theme. The config JSON set on a bare element
// gives the same input. The settings survive the share link; bad settings are marked by field and keep
// the copy buttons off; a damaged link says so; axe-core finds nothing serious.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSession } from "./browser.mjs";
import { firstResult, seriousViolations } from "./component-helpers.mjs";

let session;
let page;

before(async () => {
  session = await startSession();
  await session.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(session.url).origin });
  const demo = await session.openDemo();
  await demo.click("text=Put a calculator on your site");
  await demo.waitForSelector("body.ready");
  page = demo;
});

after(() => session?.close());

/** Opens a blank page of the site holding `body` (nothing else: no CSS, no script of its own). */
async function blankPage(body) {
  const blank = await session.context.newPage();
  const url = `${session.url}blank-${Math.random().toString(36).slice(2)}.html`;
  await blank.route(url, (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body>${body}</body></html>` }),
  );
  await blank.goto(url);
  return blank;
}

/** What the reader sees of the one `tag` element on `p` now: its value, the fields shown, its text, its look. */
const snapshot = (p, tag) =>
  p.evaluate((tag) => {
    const el = document.querySelector(tag);
    const root = el.shadowRoot;
    const visible = (x) => x.getClientRects().length > 0;
    const style = (selector, property) => getComputedStyle(root.querySelector(selector))[property];
    return {
      value: el.value,
      fields: [...root.querySelectorAll("[data-field]")].filter(visible).map((f) => f.dataset.field),
      // the words and figures; a chart's axis labels depend on the page's width
      text: [...root.querySelector(".results").children].filter((c) => c.localName !== "figure").map((c) => c.innerText).join("\n"),
      labels: [...root.querySelectorAll("label")].filter(visible).map((l) => l.innerText),
      look: {
        background: style(".card", "backgroundColor"),
        radius: style(".card", "borderTopLeftRadius"),
        font: style(".card", "fontFamily"),
        accent: style(".headline", "borderLeftColor"),
        scheme: style(".card", "colorScheme"),
      },
    };
  }, tag);

/** The snapshot once the element has settled: its first result shown, and two reads 150 ms apart alike. */
async function rendering(p, tag) {
  await firstResult(p, tag);
  let last = await snapshot(p, tag);
  for (let i = 0; i < 60; i++) {
    await p.waitForTimeout(150);
    const next = await snapshot(p, tag);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  return last;
}

/** Types `value` into the builder's control for `where` ("field:margin", "theme:--clv-accent", …). */
const set = (where, value) => page.fill(`[data-where="${where}"]`, value);

test("builder: a configured value story, copied and pasted into a blank page, renders the same", async () => {
  await page.selectOption("#component", "clv-value-story");
  await set("field:customers", "2000");
  await set("field:margin", "150");
  await set("field:churn", "25");
  await page.uncheck('[data-where="hide:discount-rate"]');
  await page.uncheck('[data-where="hide:horizon"]');
  await set("extra:product", "Acme Retain");
  await set("extra:improvement", '{"churn": {"from": -0.1, "to": -0.2}, "margin": 0.05}');
  await set("extra:price-per-period", "12000");
  await set("extra:seed", "7");
  await set("display:heading", "What Acme is worth to you");
  await set("display:currency", "EUR");
  await set("display:locale", "de-DE");
  await page.selectOption('[data-where="display:theme"]', "dark");
  await set("theme:--clv-accent", "#0f766e");
  await set("theme:--clv-radius", "4px");
  await set("theme:--clv-font", "Georgia, serif");
  await page.click("#copy-snippet");
  await page.waitForFunction(() => document.getElementById("copy-status").textContent === "Snippet copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.inputValue("#snippet"));
  const expectedTag =
    `<clv-value-story customers="2000" margin="150" churn="0.25" product="Acme Retain" ` +
    `improvement='{"churn":{"from":-0.1,"to":-0.2},"margin":0.05}' price-per-period="12000" seed="7" ` +
    `hide="discount-rate horizon" heading="What Acme is worth to you" currency="EUR" locale="de-DE" theme="dark"></clv-value-story>`;
  assert.equal(copied.split("\n").at(-1), expectedTag);
  assert.equal(copied.split("\n")[0], `<script type="module" src="${session.url}pkg/components/clv-value-story.js"></script>`);

  const built = await rendering(page, "clv-value-story");
  const blank = await blankPage(copied);
  const pasted = await rendering(blank, "clv-value-story");
  assert.deepEqual(pasted, built);
  // and it is what was asked for, not merely the same twice
  assert.deepEqual(pasted.fields, ["customers", "margin", "churn", "newCustomers", "acquisitionCost"]);
  assert.equal(pasted.value.input.retention, 0.75);
  assert.deepEqual(pasted.value.input.improvement, { churn: { from: -0.1, to: -0.2 }, margin: 0.05 });
  assert.deepEqual(pasted.value.input.price, { upfront: 0, perPeriod: 12000 });
  assert.match(pasted.text, /€/);
  assert.deepEqual(pasted.look, { background: "rgb(17, 24, 39)", radius: "4px", font: "Georgia, serif", accent: "rgb(15, 118, 110)", scheme: "dark" });

  // The config JSON on a bare element: the same input.
  const config = JSON.parse(await page.inputValue("#config"));
  const bare = await blankPage(copied.replace(/<clv-value-story[^>]*>/, "<clv-value-story>"));
  await firstResult(bare, "clv-value-story");
  const input = await bare.evaluate(async (config) => {
    const el = document.querySelector("clv-value-story");
    const changed = new Promise((resolve) => el.addEventListener("clv-change", (e) => resolve(e.detail.input)));
    el.config = config;
    return changed;
  }, config);
  assert.deepEqual(input, built.value.input);
  for (const p of [blank, bare]) await p.close();
});

test("builder: every component pastes the same; the calculator's hidden fields and read-only mode", async () => {
  await page.selectOption("#component", "clv-calculator");
  await set("field:margin", "38");
  await set("field:retention", "95");
  await set("field:discount-rate", "0.8");
  await page.selectOption('[data-where="field:timing"]', "start");
  await page.uncheck('[data-where="hide:timing"]');
  await page.uncheck('[data-where="hide:discount-rate"]');
  await set("display:heading", "");
  await set("display:currency", "USD");
  await set("display:locale", "en-US");
  await page.selectOption('[data-where="display:period-unit"]', "month");
  await page.selectOption('[data-where="display:theme"]', "light");
  const snippet = await page.inputValue("#snippet");
  assert.equal(
    snippet.split("\n").at(-1),
    '<clv-calculator margin="38" retention="0.95" discount-rate="0.008" timing="start" hide="discount-rate timing" ' +
      'currency="USD" locale="en-US" period-unit="month" theme="light"></clv-calculator>',
  );
  const blank = await blankPage(snippet);
  const pasted = await rendering(blank, "clv-calculator");
  assert.deepEqual(pasted, await rendering(page, "clv-calculator"));
  assert.deepEqual(pasted.fields, ["margin", "retention", "horizon", "acquisitionCost"]);
  assert.deepEqual(pasted.value.input, { margin: 38, retention: 0.95, discountRate: 0.008, timing: "start" });
  assert.ok(pasted.labels.includes("Margin per month"), pasted.labels.join(" | "));
  await blank.close();
  await page.check('[data-where="extra:readonly"]');
  const readonly = await blankPage(await page.inputValue("#snippet"));
  const summary = await rendering(readonly, "clv-calculator");
  assert.deepEqual(summary, await rendering(page, "clv-calculator"));
  assert.deepEqual(summary.fields, []);
  assert.match(summary.text, /\$38\.00 margin per month · 95% retention · 0\.8% discount rate/);
  await page.uncheck('[data-where="extra:readonly"]');
  await readonly.close();

  for (const [tag, field, value] of [
    ["clv-scenarios", "customers", "5000"],
    ["clv-montecarlo", "runs", "200"],
  ]) {
    await page.selectOption("#component", tag);
    await set(`field:${field}`, value);
    const other = await blankPage(await page.inputValue("#snippet"));
    const shown = await rendering(other, tag);
    assert.deepEqual(shown, await rendering(page, tag), tag);
    assert.match(JSON.stringify(shown.value.input), new RegExp(`"${field}":${value}\\b`), tag);
    await other.close();
  }
});

test("builder: the share link restores the settings and the snippet", async () => {
  await page.selectOption("#component", "clv-value-story");
  await page.click("#copy-link");
  await page.waitForFunction(() => document.getElementById("copy-status").textContent === "Link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /\/builder\/#b=1\.[A-Za-z0-9_-]+$/);
  const again = await session.context.newPage();
  await again.goto(link);
  await again.waitForSelector("body.ready");
  assert.equal(await again.inputValue("#snippet"), await page.inputValue("#snippet"));
  assert.equal(await again.inputValue("#component"), "clv-value-story");
  assert.equal(await again.isChecked('[data-where="hide:horizon"]'), false);
  await again.close();
  // A damaged link: the defaults, said so, and the link left as it was until a setting is edited.
  const damaged = await session.context.newPage();
  await damaged.goto(`${session.url}builder/#b=1.not-deflate`);
  await damaged.waitForSelector("body.ready");
  assert.match(await damaged.textContent("#link-notice"), /^This link's settings could not be read \(the data is damaged\)/);
  assert.equal(await damaged.inputValue("#component"), "clv-calculator");
  await damaged.waitForTimeout(600);
  assert.match(damaged.url(), /#b=1\.not-deflate$/);
  await damaged.close();
});

test("builder: what is typed into the preview stays there; the snippet and config keep the settings", async () => {
  await page.selectOption("#component", "clv-scenarios");
  await set("field:margin", "120");
  const [snippet, config] = [await page.inputValue("#snippet"), await page.inputValue("#config")];
  await page.locator("#preview clv-scenarios input#margin").fill("999");
  await page.waitForFunction(() => /"margin":999\b/.test(JSON.stringify(document.querySelector("#preview clv-scenarios").value?.input)));
  assert.equal(await page.inputValue("#snippet"), snippet);
  assert.equal(await page.inputValue("#config"), config);
  assert.match(JSON.stringify(JSON.parse(config).base), /"margin":120\b/);
  // The next setting shows a new preview, from the settings.
  await set("display:heading", "Your base");
  await page.waitForFunction(() => /"margin":120\b/.test(JSON.stringify(document.querySelector("#preview clv-scenarios").value?.input)));
  await set("display:heading", "");
});

test("builder: bad settings are marked where they were typed and the snippet is not offered", async () => {
  await page.selectOption("#component", "clv-value-story");
  const before = await page.inputValue("#snippet");
  await set("field:margin", "12,5");
  await set("theme:--clv-bg", "bluish");
  await set("extra:improvement", "{churn: -0.1}");
  const error = (where) => page.textContent(`[data-setting="${where}"] .error`);
  assert.equal(await error("field:margin"), "enter a number");
  assert.equal(await error("theme:--clv-bg"), "not a CSS color");
  assert.match(await error("extra:improvement"), /^not JSON/);
  assert.equal(await page.getAttribute('[data-where="field:margin"]', "aria-invalid"), "true");
  assert.equal(await page.isDisabled("#copy-snippet"), true);
  assert.equal(await page.inputValue("#snippet"), before);
  // A setting the library refuses is the component's to report, next to the preview.
  await set("field:margin", "150");
  await set("theme:--clv-bg", "");
  await set("extra:improvement", '{"churn": -1.5}');
  await page.waitForFunction(() => !document.getElementById("preview-error").hidden);
  assert.match(await page.textContent("#preview-error"), /^The component reports: improvement\.churn: must be at least -1/);
  assert.equal(await page.isDisabled("#copy-snippet"), false);
  await set("extra:improvement", "");
});

test("components: a name in hide that is no field is an error listing the fields; a hidden field's bad attribute shows below the fields", async () => {
  const script = (tag) => `<script type="module" src="${session.url}pkg/components/${tag}.js"></script>`;
  const blank = await blankPage(
    `${script("clv-scenarios")}${script("clv-calculator")}<clv-scenarios hide="discount_rate"></clv-scenarios><clv-calculator hide="margin" margin="abc"></clv-calculator>`,
  );
  const formError = (tag) =>
    blank.waitForFunction((tag) => {
      const box = document.querySelector(tag)?.shadowRoot?.querySelector(".form-error");
      return box && !box.hidden && box.textContent;
    }, tag);
  assert.equal(
    await (await formError("clv-scenarios")).jsonValue(),
    'hide: "discount_rate" is not a field of <clv-scenarios> (margin, retention, discount-rate, horizon, customers)',
  );
  assert.equal(await (await formError("clv-calculator")).jsonValue(), 'margin="abc" is not a number');
  await blank.close();
});

test("builder: axe-core finds no serious or critical violations", async () => {
  assert.deepEqual(await seriousViolations(session.browser, `${session.url}builder/`, ["clv-calculator"]), []);
  assert.deepEqual(session.pageErrors, []);
});
