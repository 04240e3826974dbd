// Share links, exports and the print summary in headless Chromium (playwright-core + Debian's chromium-headless-shell):
// a link copied after editing reopens the same page in a fresh tab; a damaged link shows a notice and
// the defaults; CSV, JSON, PNG and SVG downloads hold the displayed values; the print stylesheet makes
// one page; and no request leaves the local server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startSession } from "./browser.mjs";

let session;
let url;
let context;
let page;
let requests;
let pageErrors;

before(async () => {
  session = await startSession();
  ({ url, context, requests, pageErrors } = session);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
  page = await open(url);
});

after(() => session?.close());

async function open(address) {
  const p = await context.newPage();
  await p.goto(address);
  await p.waitForSelector("body.state-restored");
  return p;
}

const money = (x) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(x);
/** Start-of-period CLV with constant retention r over H payments: Σ_{t=0..H−1} m (r/(1+d))^t. */
const startClv = (m, r, d, h) => {
  const q = r / (1 + d);
  return (m * (1 - q ** h)) / (1 - q);
};
// The customer the tests share: margin 120, retention 85%, discount 8%, 20 payments at the start.
const EXPECTED_CLV = startClv(120, 0.85, 0.08, 20);

async function expectText(p, selector, expected) {
  try {
    await p.waitForFunction(([s, e]) => document.querySelector(s)?.textContent.trim() === e, [selector, expected], { timeout: 5000 });
  } catch {
    assert.equal((await p.locator(selector).innerText()).trim(), expected, selector);
  }
}

/** Clicks `selector` and returns the downloaded file's name and bytes. */
async function downloadFrom(p, selector) {
  const [download] = await Promise.all([p.waitForEvent("download"), p.click(selector)]);
  const path = `test-results/${download.suggestedFilename()}`;
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** Sections of a CSV export (blank-line separated), each as rows of cells (no quoted commas needed here). */
const csvSections = (text) =>
  text
    .trim()
    .split(/\r\n\r\n/)
    .map((section) => section.split("\r\n").map((line) => line.split(",")));

test("a copied link reopens the same inputs, scenario, Monte Carlo seed and tab in a fresh page", async () => {
  await page.fill("#margin", "120");
  await page.fill("#retention", "85");
  await page.fill("#discount-rate", "8");
  await page.fill("#horizon", "20");
  await page.fill("#acquisition-cost", "200");
  await page.click('label[for="timing-start"]');
  await expectText(page, "#kpi-clv", money(EXPECTED_CLV));

  await page.click("#tab-scenarios");
  await page.click("#add-scenario");
  const i = (await page.locator("#scenario-list .scenario").count()) - 1;
  await page.fill(`#s${i}-name`, "Price 150");
  await page.fill(`#s${i}-churn`, "");
  await page.fill(`#s${i}-margin`, "150");
  // CLV is linear in the margin: the change is 30/120 of the base
  await page.waitForFunction(
    ([name, delta]) => [...document.querySelectorAll("#scenario-table tbody tr")].some((tr) => tr.cells[0].textContent === name && tr.cells[2].textContent === delta),
    ["Price 150", `+${money((EXPECTED_CLV * 30) / 120)}`],
  );

  await page.check("#uncertainty-on");
  await page.fill("#uncertainty-customers", "5000");

  await page.click("#tab-montecarlo");
  await page.fill("#mc-seed", "777");
  await page.fill("#mc-runs", "300");

  await page.click("#copy-link");
  await expectText(page, "#copy-link-status", "Link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url());
  assert.match(link, /#s=1\.[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 1500, `link is ${link.length} characters`);

  const fresh = await open(link);
  try {
    const values = await fresh.evaluate(() =>
      Object.fromEntries(["margin", "retention", "discount-rate", "horizon", "acquisition-cost", "mc-seed", "mc-runs"].map((id) => [id, document.getElementById(id).value])),
    );
    assert.deepEqual(values, { margin: "120", retention: "85", "discount-rate": "8", horizon: "20", "acquisition-cost": "200", "mc-seed": "777", "mc-runs": "300" });
    assert.equal(await fresh.locator("#timing-start").isChecked(), true);
    assert.equal(await fresh.locator("#uncertainty-on").isChecked(), true);
    assert.equal(await fresh.inputValue("#uncertainty-customers"), "5000");
    assert.equal(await fresh.getAttribute("#tab-montecarlo", "aria-selected"), "true");
    await expectText(fresh, "#kpi-clv", money(EXPECTED_CLV));
    const names = await fresh.locator("#scenario-table tbody tr th").allInnerTexts();
    assert.ok(names.includes("Price 150"), names.join(", "));
    assert.equal(await fresh.locator("#share-notice:not([hidden])").count(), 0);
  } finally {
    await fresh.close();
  }
});

test("a damaged or foreign link shows a notice and the defaults", async () => {
  for (const hash of ["#s=1.@@not-base64@@", "#s=1.AAAA", "#s=7.eyJ0IjoxfQ", "#s=1." + "A".repeat(20000)]) {
    const p = await open(`${url}${hash}`);
    try {
      await p.waitForSelector("#share-notice:not([hidden])");
      assert.match(await p.locator("#share-notice p").innerText(), /could not be read .* defaults/);
      assert.equal(await p.inputValue("#margin"), "100");
      // the page's default customer: 100 × 0.8 / (1.1 − 0.8) (Gupta & Lehmann 2003)
      await expectText(p, "#kpi-clv", "$266.67");
    } finally {
      await p.close();
    }
  }
  // Some other fragment is not a share link: no notice.
  const p = await open(`${url}#results`);
  assert.equal(await p.locator("#share-notice").count(), 0);
  await p.close();
});

test("without clipboard access, Copy link shows the link selected in a text field", async () => {
  const p = await context.newPage();
  await p.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
  });
  await p.goto(url);
  await p.waitForSelector("body.state-restored");
  await p.fill("#margin", "90");
  await p.click("#copy-link");
  await p.waitForSelector("#share-url:not([hidden])");
  const shown = await p.evaluate(() => {
    const field = document.getElementById("share-url");
    return { value: field.value, selected: field.selectionEnd - field.selectionStart, focused: document.activeElement === field };
  });
  assert.equal(shown.value, p.url());
  assert.equal(shown.selected, shown.value.length);
  assert.ok(shown.focused);
  const reopened = await open(shown.value);
  assert.equal(await reopened.inputValue("#margin"), "90");
  await reopened.close();
  await p.close();
});

test("CSV and JSON downloads hold the calculator's CLV and period table", async () => {
  await page.click("#tab-calculator");
  await expectText(page, "#kpi-clv", money(EXPECTED_CLV));
  const csv = await downloadFrom(page, "#export-calculator-csv");
  assert.equal(csv.name, "clvlab-calculator.csv");
  const [fields, table] = csvSections(csv.bytes.toString("utf8"));
  const field = Object.fromEntries(fields.slice(1));
  assert.ok(Math.abs(Number(field.clv) - EXPECTED_CLV) < 1e-9, `clv ${field.clv}`);
  assert.equal(field.retention, "0.85");
  assert.equal(field.timing, "start");
  assert.deepEqual(table[0], ["period", "survival", "expectedMargin", "discountedMargin", "cumulative"]);
  assert.equal(table.length - 1, 20, "one row per payment");
  assert.ok(Math.abs(Number(table[20][4]) - EXPECTED_CLV) < 1e-9, "last cumulative = CLV");
  assert.equal(Number(table[1][0]), 0, "the first payment is now");

  const json = JSON.parse((await downloadFrom(page, "#export-calculator-json")).bytes.toString("utf8"));
  assert.equal(json.clvlab.export, "calculator");
  assert.equal(json.currency, "USD");
  assert.deepEqual(json.input, { margin: 120, retention: 0.85, discountRate: 0.08, timing: "start", horizon: 20, marginGrowth: 0, acquisitionCost: 200 });
  assert.ok(Math.abs(json.result.clv - EXPECTED_CLV) < 1e-9);
  assert.equal(json.result.periods.length, 20);

  await page.click("#tab-scenarios");
  // Uncertainty is on (from the link test): the CSV adds each change per customer with its interval.
  await page.waitForFunction(() => /runs of 5,000 customers/.test(document.querySelector("#uncertainty-status").textContent), null, { timeout: 20000 });
  const scen = csvSections((await downloadFrom(page, "#export-scenarios-csv")).bytes.toString("utf8"))[0];
  assert.deepEqual(scen[0], [
    "scenario", "changes", "value", "delta", "deltaPercent", "netValue", "netDelta",
    "deltaPerCustomerP5", "deltaPerCustomerMean", "deltaPerCustomerP95", "probBeatsBase",
  ]);
  const row = scen.find((r) => r[0] === "Price 150");
  assert.equal(row[1], "margin=150");
  assert.ok(Math.abs(Number(row[2]) - (EXPECTED_CLV * 150) / 120) < 1e-9);
  // A higher margin wins in every run; the interval of the change holds the closed-form change.
  const [p5, , p95, prob] = row.slice(7).map(Number);
  assert.ok(p5 < Number(row[3]) && Number(row[3]) < p95, row.join(","));
  assert.equal(prob, 1);
});

test("chart exports: the value chart as a PNG and an SVG, the scenario deltas as a PNG", async () => {
  await page.click("#tab-calculator");
  const png = (await downloadFrom(page, "#export-value-chart-png")).bytes;
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  assert.equal(png.subarray(12, 16).toString("latin1"), "IHDR");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const canvas = await page.evaluate(() => [document.querySelector("#value-chart canvas").width, document.querySelector("#value-chart canvas").height]);
  assert.ok(width > canvas[0] && height > canvas[1], `PNG ${width}×${height} holds the ${canvas.join("×")} chart and its title`);

  const svg = (await downloadFrom(page, "#export-value-chart-svg")).bytes.toString("utf8");
  assert.match(svg, /^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 3, "survival, cumulative value, acquisition cost");
  assert.match(svg, /Cumulative discounted value/);
  assert.match(svg, new RegExp(money(EXPECTED_CLV).replace("$", "\\$")));

  await page.click("#tab-scenarios");
  const deltas = (await downloadFrom(page, "#export-delta-chart-png")).bytes;
  assert.equal(deltas.subarray(1, 4).toString("latin1"), "PNG");
});

test("Monte Carlo exports: CSV summary, histogram and fan data; PNG of the fan chart", async () => {
  await page.click("#tab-montecarlo");
  await page.click("#mc-run");
  await page.waitForFunction(() => !document.querySelector("#mc-run").disabled && !document.querySelector("#mc-results").hidden, null, { timeout: 60000 });
  const shownMean = Number(await page.getAttribute("#mc-mean", "data-value"));
  const [summary, segments, histogram, fan] = csvSections((await downloadFrom(page, "#export-montecarlo-csv")).bytes.toString("utf8"));
  const field = Object.fromEntries(summary.slice(1));
  assert.equal(Number(field.mean), shownMean);
  assert.equal(field.runs, "300");
  assert.equal(field.seed, "777");
  assert.equal(segments.length - 1, 3);
  const counts = histogram.slice(1).map((r) => Number(r[2]));
  assert.equal(counts.reduce((a, b) => a + b, 0), 300, "every run in one bin");
  assert.equal(fan.length - 1, 10, "one row per period of the horizon");
  // the fan's last mean is the total's mean (byPeriod is cumulative)
  assert.ok(Math.abs(Number(fan[10][1]) - shownMean) <= 1e-6 * Math.abs(shownMean));

  const json = JSON.parse((await downloadFrom(page, "#export-montecarlo-json")).bytes.toString("utf8"));
  assert.equal(json.input.seed, 777);
  assert.equal(json.result.mean, shownMean);
  const png = (await downloadFrom(page, "#export-mc-fan-png")).bytes;
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  const svg = (await downloadFrom(page, "#export-mc-histogram-svg")).bytes.toString("utf8");
  assert.equal((svg.match(/<rect [^>]*stroke-width="0.5"/g) ?? []).length, json.result.histogram.counts.length, "one bar a bin");
});

test("print: one page with the inputs, KPIs, chart and scenarios table, no tabs or buttons", async () => {
  // from another tab: the chart prints although its panel is hidden on screen
  await page.click("#tab-scenarios");
  await page.emulateMedia({ media: "print" });
  try {
    const visible = await page.evaluate(() => {
      const shown = (s) => [...document.querySelectorAll(s)].some((el) => el.checkVisibility());
      return {
        summary: shown("#print-summary"),
        kpis: shown("#kpi-clv"),
        chart: shown("#print-chart") && document.getElementById("print-chart").naturalWidth > 0,
        scenarios: shown("#scenario-table"),
        tabs: shown(".tabs"),
        buttons: shown("button"),
        editors: shown("input, select"),
      };
    });
    assert.deepEqual(visible, { summary: true, kpis: true, chart: true, scenarios: true, tabs: false, buttons: false, editors: false });
    assert.match(await page.locator("#print-summary").innerText(), /Margin\s+\$120\.00 per year/);
    await page.screenshot({ path: "test-results/print.png", fullPage: true });
  } finally {
    await page.emulateMedia({ media: null });
  }
  const pdf = await page.pdf({ path: "test-results/print.pdf", format: "A4" });
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? [];
  assert.equal(pages.length, 1, "the summary fits one A4 page");
});

test("no page errors, and no request leaves the local server", () => {
  assert.deepEqual(pageErrors, []);
  assert.ok(requests.length > 0);
  // Downloads come from blob: URLs of this page's own origin, which never reach a network.
  const local = (r) => r.startsWith(url) || r.startsWith(`blob:${url.replace(/\/$/, "")}/`) || r.startsWith("data:");
  assert.deepEqual(requests.filter((r) => !local(r)), []);
});
