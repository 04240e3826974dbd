// <clv-value-story> on the example sales page (www/examples/value-story.html) in headless Chromium: its
// figures are the library's valueStory for the attributes (and today's equity the closed form), the
// embedder's hidden fields are hidden, typing recomputes and fires clv-change and clv-prospect with
// only the visible fields, bad input names the field, the summary saves and prints, the keyboard reaches
// the fields and buttons, axe-core finds nothing serious, and the dark theme applies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startSession } from "./browser.mjs";
import { firstResult, expectShown, shown, tabOrder, seriousViolations } from "./component-helpers.mjs";

let session;
let page;

/** The attributes of the page's element as a valueStory input, written out by hand. */
const INPUT = {
  customers: 2000,
  margin: 150,
  retention: 0.75,
  discountRate: 0.1,
  horizon: 5,
  improvement: { churn: { from: -0.1, to: -0.2 } },
  price: { upfront: 5000, perPeriod: 12000 },
  runs: 1000,
  seed: 7,
};

before(async () => {
  session = await startSession();
  page = await session.context.newPage();
  await page.goto(`${session.url}examples/value-story.html`);
  await firstResult(page, "clv-value-story");
  await page.evaluate(() => {
    window.__events = [];
    for (const type of ["clv-change", "clv-error", "clv-prospect"]) {
      document.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }));
    }
  });
});

after(() => session?.close());

const usd = (x) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(x);

test("clv-value-story: the figures are valueStory's for the attributes; today's equity the closed form", async () => {
  const input = await page.evaluate(() => document.getElementById("story").value.input);
  assert.deepEqual(input, INPUT);
  const story = await page.evaluate(async (input) => (await import("/pkg/clvlab_core.js")).valueStory(input), INPUT);
  // 2,000 × 150 × Σ_{t=1..5} (0.75/1.1)^t
  const closedForm = [1, 2, 3, 4, 5].reduce((sum, t) => sum + 2000 * 150 * (0.75 / 1.1) ** t, 0);
  assert.ok(Math.abs(story.equityBefore - closedForm) < 1e-6, `${story.equityBefore} vs ${closedForm}`);
  await expectShown(page, "story", ".clv", usd(story.gain.expected));
  await expectShown(page, "story", ".before", usd(story.equityBefore));
  await expectShown(page, "story", ".after", usd(story.equityAfter));
  const { p5, p95 } = story.simulated.gain.percentiles;
  const words = await shown(page, "story", ".words");
  assert.match(words, /^Your customers are worth .* over the next 5 years\. With Acme Retain \(10% to 20% less churn\)/);
  assert.ok(words.includes(`between ${usd(p5)} and ${usd(p95)} in 90% of simulated outcomes`), words);
  assert.ok(words.includes(`price, ${usd(story.priceValue)} in today's money`), words);
  const chance = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(story.simulated.probAbovePrice);
  await expectShown(page, "story", ".chance", chance);
  const payback = story.payback === null ? "beyond 5 years" : `${story.payback} year${story.payback === 1 ? "" : "s"}`;
  await expectShown(page, "story", ".payback", payback);
  // Churn 25 % → 20 %: the rule of thumb on these numbers.
  const rule = await shown(page, "story", ".rule");
  assert.ok(rule.includes("churn 25% → 20%"), rule);
  assert.ok(rule.includes(`by ${new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(story.ruleOfThumb.gainPercent / 100)}`), rule);
  for (const hidden of ["discountRate", "horizon"]) {
    assert.equal(await page.locator(`#story [data-field="${hidden}"]`).isHidden(), true, hidden);
  }
});

test("clv-value-story: typing recomputes; clv-prospect carries only the visible fields", async () => {
  await page.evaluate(() => (window.__events = []));
  await page.locator("#story #churn").fill("30");
  await page.waitForFunction(() => window.__events.some((e) => e.type === "clv-prospect"));
  const events = await page.evaluate(() => window.__events);
  const change = events.find((e) => e.type === "clv-change");
  assert.equal(change.detail.input.retention, 0.7);
  const { prospect } = events.find((e) => e.type === "clv-prospect").detail;
  assert.deepEqual(prospect, { customers: 2000, margin: 150, churn: 0.3 });
  await page.locator("#story #churn").fill("25");
  await expectShown(page, "story", ".before", usd([1, 2, 3, 4, 5].reduce((s, t) => s + 300_000 * (0.75 / 1.1) ** t, 0)));
});

test("clv-value-story: bad input names the field and fires clv-error, never NaN", async () => {
  await page.evaluate(() => (window.__events = []));
  await page.locator("#story #customers").fill("12.5");
  await page.waitForFunction(() => window.__events.some((e) => e.type === "clv-error"));
  const error = await shown(page, "story", '[data-field="customers"] .error');
  assert.match(error, /^Customers today: must be a whole number/);
  const { message } = (await page.evaluate(() => window.__events)).find((e) => e.type === "clv-error").detail;
  assert.match(message, /Customers today/);
  assert.ok(!(await shown(page, "story", ".results")).includes("NaN"));
  await page.locator("#story #customers").fill("2000");
  await page.evaluate(() => document.getElementById("story").setAttribute("improvement", "{not json"));
  assert.match(await shown(page, "story", ".form-error"), /^improvement: not a JSON object/);
  await page.evaluate(() => document.getElementById("story").setAttribute("improvement", '{"churn": {"from": -0.1, "to": -0.2}}'));
  await expectShown(page, "story", ".form-error", "");
});

test("clv-value-story: the summary saves as a one-page HTML file and prints from a hidden frame", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#story .save").click()]);
  assert.equal(download.suggestedFilename(), "value-story.html");
  const html = readFileSync(await download.path(), "utf8");
  const words = await shown(page, "story", ".words");
  assert.ok(html.includes(words.replace(/&/g, "&#38;")), "the summary has the story's words");
  assert.ok(html.includes("<svg") && html.includes("Reichheld &#38; Sasser"), "and its chart and rule of thumb");
  await page.locator("#story .print").click();
  const framed = await page.waitForFunction(() => document.querySelector("iframe")?.srcdoc);
  assert.equal(await framed.jsonValue(), await page.evaluate(() => document.getElementById("story").summary));
});

test("clv-value-story: the keyboard reaches the visible fields and the buttons, Enter saves and prints; axe; dark theme", async () => {
  const order = await tabOrder(page, 8);
  assert.deepEqual(order.slice(0, 5), ["story#customers", "story#margin", "story#churn", "story#new-customers", "story#acquisition-cost"]);
  assert.equal(order.filter((o) => o === "story#").length, 2, `the two buttons: ${order}`);
  // Enter on each button does what a click does.
  await page.locator("#story .save").focus();
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  assert.equal(download.suggestedFilename(), "value-story.html");
  await page.evaluate(() => document.querySelectorAll("iframe").forEach((f) => f.remove()));
  await page.locator("#story .print").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("iframe")?.srcdoc === document.getElementById("story").summary);
  const bad = await seriousViolations(session.browser, `${session.url}examples/value-story.html`, ["clv-value-story"]);
  assert.deepEqual(bad, []);
  const background = () => page.evaluate(() => getComputedStyle(document.getElementById("story").shadowRoot.querySelector(".card")).backgroundColor);
  const light = await background();
  await page.evaluate(() => document.getElementById("story").setAttribute("theme", "dark"));
  assert.notEqual(await background(), light);
  assert.deepEqual(session.pageErrors, []);
});
