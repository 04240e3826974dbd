// The "Fit your data" tab end to end in headless Chromium (playwright-core + Debian's chromium-headless-shell):
// the CDNOW sample uploaded as a person would, the summary checked against the published summary file (tests/data), the
// fitted parameters against the published values, the customer table sorted and downloaded, and every
// request checked to stay on the local server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSession } from "./browser.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
// The sample the page ships (www/data) and the published summary of the same customers (tests/data).
const CDNOW = `${repo}www/data/cdnow_sample_transactions.csv`;

// The published summary of the same customers (calibration end 1997-09-30, weeks): an independent check of
// what the page reads from the transactions.
const summaryRows = readFileSync(`${repo}tests/data/cdnow_sample_summary.csv`, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(","));
const summaryFrequency = summaryRows.map((r) => Number(r[1]));

let session;
let url;
let page;
let requests;
let pageErrors;
/** The customer table's CLV column summed (from its CSV). */
let tableValue;

before(async () => {
  session = await startSession();
  ({ url, requests, pageErrors } = session);
  page = await session.openDemo("fit");
});

after(() => session?.close());

const text = (selector) => page.locator(selector).innerText();
/** A number as the page shows it: "−9,582.43" → -9582.43. */
const shown = async (selector) => Number((await text(selector)).replace(/\u2212/g, "-").replace(/[,\s]/g, ""));
const param = (table, name) => shown(`${table} tr[data-param="${name}"] td.estimate`);

/** Waits until the results show the fit for this calibration end and model. */
async function waitForFit(calibrationEnd, model) {
  await page.waitForFunction(
    ([c, m]) => {
      const r = document.querySelector("#fit-results");
      return (
        r && !r.hidden && r.dataset.calibrationEnd === c && r.dataset.model === m && !r.classList.contains("stale")
      );
    },
    [calibrationEnd, model],
    { timeout: 10000 },
  );
}

test("uploading the CDNOW sample guesses the columns and summarises it", async () => {
  await page.setInputFiles("#fit-file", CDNOW);
  await page.waitForSelector("#fit-results:not([hidden])");
  assert.equal(await page.inputValue("#fit-customer"), "customer_id");
  assert.equal(await page.inputValue("#fit-date"), "date");
  assert.equal(await page.inputValue("#fit-value"), "spend");
  assert.equal(await page.inputValue("#fit-date-format"), "YYYY-MM-DD");
  // Default calibration end: two thirds of 1997-01-01 … 1998-06-30 (545 days) → day 363.
  assert.equal(await page.inputValue("#fit-calibration-end"), "1997-12-30");

  await page.fill("#fit-calibration-end", "1997-09-30");
  await page.selectOption("#fit-time-unit", "week");
  await page.click('label[for="fit-model-bgnbd"]');
  await waitForFit("1997-09-30", "bgnbd");
  // The published summary file (and Fader, Hardie & Lee 2005): 2,357 customers, 946 repeat buyers.
  assert.equal(await text("#fit-customers"), summaryRows.length.toLocaleString("en-US"));
  assert.equal(await text("#fit-customers"), "2,357");
  assert.equal(await text("#fit-repeaters"), summaryFrequency.filter((x) => x > 0).length.toLocaleString("en-US"));
  // Calibration transactions: one first purchase per customer plus the repeats.
  const transactions = summaryFrequency.reduce((a, x) => a + x + 1, 0);
  assert.equal(await text("#fit-transactions"), transactions.toLocaleString("en-US"));
  assert.equal(await text("#fit-skipped"), "0");
  // 2,357 customers, 946 repeat buyers, 39 weeks: nothing for checkFitData to flag.
  assert.ok(await page.locator("#fit-findings[hidden]").count(), "no findings on CDNOW");
  assert.equal(await page.locator("#fit-table tbody tr").count(), 50);
  assert.match(await text("#fit-page"), /^1–50 of 2,357 customers$/);
  // Intervals beside P(alive) and the expected purchases, and the base's total with its own.
  assert.match(await text("#fit-table tbody tr:first-child td:nth-of-type(4)"), /^\d+\.\d% \(\d+(\.\d)?%–\d+(\.\d)?%\)$/);
  assert.match(await text("#fit-table tbody tr:first-child td:nth-of-type(5)"), /^\d+\.\d{3} \(\d+–\d+\)$/);
  assert.match(await text("#fit-total"), /^All 2,357 customers: [\d,]+ purchases expected over the next 52 weeks \(90% interval [\d,]+–[\d,]+;/);
});

test("BG/NBD on CDNOW: Fader, Hardie & Lee (2005) parameters", async () => {
  await waitForFit("1997-09-30", "bgnbd");
  // Fader, Hardie & Lee (2005), "Counting your customers the easy way", section 5.
  const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  for (const [name, value] of Object.entries(published)) {
    const got = await param("#fit-params", name);
    assert.ok(Math.abs(got - value) <= 0.001 + 1e-9, `${name}: shown ${got}, published ${value}`);
  }
  // LL −9582.43 (the same paper; BTYD reports the same value).
  assert.ok(Math.abs((await shown("#fit-ll")) + 9582.43) < 0.05, `LL ${await text("#fit-ll")}`);
  assert.match(await text("#fit-converged"), /^Yes \(gradient zero\), \d+ iterations$/);
});

test("Gamma-Gamma on the repeat buyers", async () => {
  await waitForFit("1997-09-30", "bgnbd");
  // Fader, Hardie & Lee (2005), "RFM and CLV", and Fader & Hardie's Gamma-Gamma note: p 6.25, q 3.74, γ 15.44.
  const published = { p: 6.25, q: 3.74, gamma: 15.44 };
  for (const [name, value] of Object.entries(published)) {
    const got = await param("#fit-gg-params", name);
    assert.ok(Math.abs(got - value) <= 0.01, `${name}: shown ${got}, published ${value}`);
  }
});

test("the holdout check and the comparison of the three models", async () => {
  await waitForFit("1997-09-30", "bgnbd");
  // lifetimes 0.11.3 on the same split, from its own BG/NBD fit: MAE 0.7855, RMSE 1.6080, bias −0.0970,
  // 1,882 holdout purchases (tests/data/cdnow_holdout_lifetimes.json).
  assert.ok(Math.abs((await shown("#fit-holdout-mae")) - 0.7855) < 0.01);
  assert.ok(Math.abs((await shown("#fit-holdout-rmse")) - 1.608) < 0.01);
  assert.ok(Math.abs((await shown("#fit-holdout-bias")) + 0.097) < 0.01);
  assert.match(await text("#fit-holdout-total"), /^1,882 \/ 1,65\d \(90%: [\d,]+–[\d,]+\)$/);
  // The share of customers inside their own 90 % interval (its computation is tested natively).
  assert.match(await text("#fit-holdout-coverage"), /^\d+(\.\d)?%$/);
  // Gamma-Gamma on the holdout: the actual holdout revenue is the file's spend after 1997-09-30.
  const holdoutSpend = readFileSync(CDNOW, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","))
    .filter(([, date]) => date > "1997-09-30")
    .reduce((sum, row) => sum + Number(row[3]), 0);
  const [actualRevenue] = (await text("#fit-holdout-revenue")).split(" / ");
  assert.ok(Math.abs(Number(actualRevenue.replace(/[$,]/g, "")) - holdoutSpend) < 0.01, `${actualRevenue} vs ${holdoutSpend}`);
  assert.match(await text("#fit-holdout-spend"), /^\$\d+\.\d\d$/);
  assert.equal(await page.locator("#fit-holdout-table tbody tr").count(), 8);
  assert.match(await text("#fit-holdout-note"), /39 weeks/);
  // lifetimes: Pareto/NBD predicts this holdout better (MAE 0.7545), BG/NBD has the higher likelihood.
  await page.click("#fit-compare");
  await page.waitForSelector("#fit-compare-table:not([hidden])");
  const rank = async (model) => Number(await text(`#fit-compare-table tr[data-model="${model}"] td:first-child`));
  assert.ok((await rank("paretonbd")) < (await rank("bgnbd")), "Pareto/NBD ahead on the holdout");
  assert.match(await text("#fit-compare-reason"), /predicts the holdout best/);
  await page.click('#fit-compare-table tr[data-model="paretonbd"] button');
  await waitForFit("1997-09-30", "paretonbd");
  assert.ok(Math.abs((await shown("#fit-holdout-mae")) - 0.7545) < 0.01);
  await page.click('label[for="fit-model-bgnbd"]');
  await waitForFit("1997-09-30", "bgnbd");
});

test("Pareto/NBD on CDNOW", async (t) => {
  await page.click('label[for="fit-model-paretonbd"]');
  await waitForFit("1997-09-30", "paretonbd");
  t.diagnostic(await text("#fit-status"));
  // Issue 5 reference values (BTYD / lifetimes on the CDNOW sample): r 0.553, α 10.578, s 0.606, β 11.669.
  const published = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  for (const [name, value] of Object.entries(published)) {
    const got = await param("#fit-params", name);
    assert.ok(Math.abs(got - value) <= 0.002, `${name}: shown ${got}, published ${value}`);
  }
  await page.click('label[for="fit-model-bgnbd"]');
  await waitForFit("1997-09-30", "bgnbd");
});

test("the customer table sorts by a column, both ways", async () => {
  const firstFrequency = () => page.locator("#fit-table tbody tr:first-child td").first().innerText();
  await page.click('#fit-table th[data-key="frequency"] button');
  assert.equal(await page.getAttribute('#fit-table th[data-key="frequency"]', "aria-sort"), "descending");
  assert.equal(Number(await firstFrequency()), Math.max(...summaryFrequency));
  await page.click('#fit-table th[data-key="frequency"] button');
  assert.equal(await page.getAttribute('#fit-table th[data-key="frequency"]', "aria-sort"), "ascending");
  assert.equal(Number(await firstFrequency()), 0);
  await page.click("#fit-next");
  assert.match(await text("#fit-page"), /^51–100 of 2,357 customers$/);
  await page.click("#fit-prev");
});

test("the table downloads as a CSV with one row per customer", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#fit-download")]);
  const path = await download.path();
  const lines = readFileSync(path, "utf8").trim().split("\n");
  assert.equal(lines[0].split(",")[0], "customer_id");
  assert.equal(lines.length - 1, 2357);
  const ids = new Set(lines.slice(1).map((l) => l.split(",")[0]));
  assert.equal(ids.size, 2357);
  assert.ok(ids.has("00004"), "ids kept as text, leading zeros and all");
  {
    // Issue 5's BG/NBD reference customer (x 26, t_x 30.86, T 31): E[Y(52)] 25.757, P(alive) 0.9689.
    const header = lines[0].split(",");
    const col = (name) => header.indexOf(name);
    const row = lines
      .slice(1)
      .map((l) => l.split(","))
      .find((r) => r[col("frequency")] === "26" && Math.abs(r[col("T")] - 31) < 0.01);
    assert.ok(row, "the x = 26 customer");
    assert.ok(Math.abs(Number(row[col("expected_purchases_52")]) - 25.757) < 0.002);
    assert.ok(Math.abs(Number(row[col("prob_alive")]) - 0.9689) < 0.0002);
    // Its 90 % intervals hold the point predictions; purchase bounds are whole numbers.
    const [low, high] = [Number(row[col("purchases_lower_90_52")]), Number(row[col("purchases_upper_90_52")])];
    assert.ok(Number.isInteger(low) && Number.isInteger(high) && low <= 25.757 && 25.757 <= high, `${low}–${high}`);
    const [alive0, alive1] = [Number(row[col("prob_alive_lower_90")]), Number(row[col("prob_alive_upper_90")])];
    assert.ok(alive0 <= 0.9689 && 0.9689 <= alive1, `${alive0}–${alive1}`);
    // Every customer has a spend and a value with its interval: the library took the summary as the
    // page passed it.
    for (const name of ["expected_spend", "clv", "clv_lower_90", "clv_upper_90"]) {
      const bad = lines.slice(1).filter((l) => !Number.isFinite(Number(l.split(",")[col(name)] || "x")));
      assert.equal(bad.length, 0, `${name} missing for ${bad.length} customers`);
    }
    const [clv0, clv, clv1] = ["clv_lower_90", "clv", "clv_upper_90"].map((name) => Number(row[col(name)]));
    assert.ok(clv0 < clv && clv < clv1, `${clv0} ${clv} ${clv1}`);
    tableValue = lines.slice(1).reduce((sum, l) => sum + Number(l.split(",")[col("clv")]), 0);
    assert.ok(await page.locator("#fit-table-error[hidden]").count(), "no table error");
  }
});

test("'Value this customer base' shows the fitted base's value on the Monte Carlo tab", async () => {
  await page.click("#fit-value-base");
  await page.waitForSelector("#mc-source:not([hidden])");
  assert.equal(await page.getAttribute("#tab-montecarlo", "aria-selected"), "true");
  const source = await text("#mc-source");
  assert.match(source, /2,357 customers valued over the next 12 months/);
  // Its value at the estimates is the table's CLV column summed (customerValue, customer by customer).
  const estimate = Number(/months at [\d.]+% a month, (.+?) at the estimates/.exec(source)[1].replace(/[^\d.]/g, ""));
  assert.ok(Math.abs(estimate - tableValue) <= 1, `${estimate} against ${tableValue}`);
  const mean = Number(await page.getAttribute("#mc-mean", "data-value"));
  const money = async (selector) => Number((await text(selector)).replace(/[^\d.]/g, ""));
  const [p5, p95] = [await money("#mc-p5"), await money("#mc-p95")];
  assert.ok(p5 < mean && mean < p95, `${p5} ${mean} ${p95}`);
  assert.match(await text("#mc-mean-sub"), /parameter draws/);
  // Running the simulation puts the segments' result back, without the fitted base's note.
  await page.click("#mc-run");
  await page.waitForSelector("#mc-source[hidden]", { state: "attached", timeout: 20000 });
  await page.waitForFunction(() => /runs in/.test(document.querySelector("#mc-status").textContent), null, { timeout: 20000 });
  assert.match(await text("#mc-mean-sub"), / runs/);
  await page.click("#tab-fit");
});

test("the customer base by segment: equity adding up to the table's, and LTV : CAC from a typed cost", async () => {
  await page.selectOption("#fit-base-by", "rfm");
  await page.click("#fit-base-run");
  await page.waitForSelector("#fit-base-table:not([hidden])");
  // The seven RFM segments (rfmSegments' names), whose customers are the base's.
  const names = await page.$$eval("#fit-base-table tbody tr", (rows) => rows.map((r) => r.dataset.segment));
  assert.deepEqual(names, ["Champions", "Loyal", "At risk", "New", "Promising", "Hibernating", "Other"]);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#fit-base-download")]);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const col = (name) => header.indexOf(name);
  assert.equal(rows.reduce((sum, r) => sum + Number(r[col("customers")]), 0), 2357);
  // The segments' equity is the customer table's CLV column, summed segment by segment.
  const equity = rows.reduce((sum, r) => sum + Number(r[col("equity")]), 0);
  assert.ok(Math.abs(equity - tableValue) <= 1e-6 * tableValue, `${equity} against ${tableValue}`);
  for (const r of rows) {
    const [low, at, high] = ["equity_lower_90", "equity", "equity_upper_90"].map((n) => Number(r[col(n)]));
    assert.ok(low <= at && at <= high, `${r[0]}: ${low} ${at} ${high}`);
  }
  // A cost typed for Champions: LTV : CAC is a new customer's value over that cost.
  const note = () => text("#fit-base-note");
  const newValue = Number(/A customer acquired now is worth (.+?), the first/.exec(await note())[1].replace(/[^\d.]/g, ""));
  await page.fill('#fit-base-table tr[data-segment="Champions"] input.cost', "20");
  await page.press('#fit-base-table tr[data-segment="Champions"] input.cost', "Enter");
  await page.locator('#fit-base-table tr[data-segment="Champions"] td.ltv-cac').filter({ hasNotText: "—" }).waitFor();
  const ratio = Number((await text('#fit-base-table tr[data-segment="Champions"] td.ltv-cac')).split(" ")[0]);
  assert.ok(Math.abs(ratio - newValue / 20) <= 0.01, `${ratio} against ${newValue} / 20`);
  assert.match(await note(), /The next dollar of acquisition goes furthest in Champions/);
  // By first-purchase month: CDNOW's first purchases are in 1997's first quarter.
  await page.selectOption("#fit-base-by", "cohort");
  await page.waitForFunction(() => document.querySelector("#fit-base-table tbody tr")?.dataset.segment === "1997-01");
  const cohorts = await page.$$eval("#fit-base-table tbody tr", (r) => r.map((row) => row.dataset.segment));
  assert.deepEqual(cohorts, ["1997-01", "1997-02", "1997-03"]);
});

test("a calibration end before the data shows an inline error, and recovers", async () => {
  await page.fill("#fit-calibration-end", "1996-06-30");
  await page.waitForSelector("#fit-calibration-end-error:not([hidden])");
  assert.match(await text("#fit-calibration-end-error"), /^Calibration end: /);
  assert.equal(await page.getAttribute("#fit-calibration-end", "aria-invalid"), "true");
  assert.ok(await page.locator("#fit-results.stale").count(), "results greyed");
  await page.fill("#fit-calibration-end", "1997-09-30");
  await page.waitForSelector("#fit-calibration-end-error[hidden]", { state: "attached" });
  await waitForFit("1997-09-30", "bgnbd");
});

test("a cohort row with text in it is refused next to the field", async () => {
  await page.fill("#fit-survivors", "1000, 631, lots");
  await page.click("#fit-sbg-run");
  await page.waitForSelector("#fit-survivors-error:not([hidden])");
  assert.match(await text("#fit-survivors-error"), /Survivors/);
  await page.fill("#fit-survivors", "1000, 631, 468, 382, 326, 289, 262, 241");
});

test("sBG from a pasted cohort row, sent to the Calculator and Monte Carlo", async () => {
  await page.fill("#fit-survivors", "1000, 631, 468, 382, 326, 289, 262, 241");
  await page.click("#fit-sbg-run");
  await page.waitForSelector("#fit-sbg-result:not([hidden])");
  // Fader & Hardie (2007), "How to project customer retention", regular segment: α 0.704, β 1.182.
  assert.equal(await text("#fit-sbg-alpha"), "0.704");
  assert.equal(await text("#fit-sbg-beta"), "1.182");
  await page.click("#fit-use-calculator");
  assert.equal(await page.getAttribute("#tab-calculator", "aria-selected"), "true");
  assert.ok(await page.isChecked("#model-sbg"));
  assert.ok(Math.abs(Number(await page.inputValue("#alpha")) - 0.704) < 5e-4);
  assert.ok(Math.abs(Number(await page.inputValue("#beta")) - 1.182) < 5e-4);
  await page.click("#tab-fit");
  await page.click("#fit-use-montecarlo");
  assert.equal(await page.getAttribute("#tab-montecarlo", "aria-selected"), "true");
  const first = page.locator("#mc-segments fieldset").first();
  assert.equal(await first.locator("select[id$='-model']").inputValue(), "sbg");
  assert.ok(Math.abs(Number(await first.locator("input[id$='-alpha']").inputValue()) - 0.704) < 5e-4);
  await page.click("#tab-fit");
});

test("odd files give a clear error next to the form, never a page error", async () => {
  const upload = (name, content) =>
    page.setInputFiles("#fit-file", { name, mimeType: "text/csv", buffer: Buffer.from(content) });
  const error = async () => {
    await page.waitForSelector("#fit-error:not([hidden])");
    return text("#fit-error");
  };
  // The library reads the file: its error, under the form's name for the file.
  await upload("empty.csv", "");
  assert.match(await error(), /^File: the file is empty$/);
  await upload("header-only.csv", "customer,date,amount\n");
  // No date to read: said next to the date format.
  await page.waitForSelector("#fit-date-format-error:not([hidden])");
  assert.ok((await text("#fit-date-format-error")).length > 0);
  // Nobody bought twice: BG/NBD cannot be fitted, and the page says so rather than showing numbers.
  await upload("once.csv", "customer,date,amount\na,2020-01-01,5\nb,2020-01-02,7\nc,2020-02-01,3\n");
  await page.waitForSelector('#fit-form[data-file="once.csv"]');
  await page.fill("#fit-calibration-end", "2020-03-01");
  // No customer comes back, so the customer column is a guess: nothing is fitted until the user says.
  await page.waitForSelector('#fit-form[data-held="true"] #fit-run:not([hidden])');
  assert.ok(await page.locator("#fit-fitted[hidden]").count(), "no fitted card before the user's check");
  assert.match(await text("#fit-status"), /^Not fitted yet: the customer column \(customer\) is a guess/);
  await page.click("#fit-run");
  assert.match(await error(), /repeat purchase|flat/);
  // The check before the fit says why, and what to do.
  await page.waitForFunction(() =>
    /^Warning: only 3 customers/.test(document.querySelector('#fit-findings-list li[data-code="fewCustomers"]')?.textContent),
  );
  const problem = page.locator('#fit-findings-list li.problem[data-code="fewRepeatBuyers"]');
  assert.match(await problem.innerText(), /^Problem: only 0 of 3 customers bought again/);
  assert.match(await text('#fit-findings-list li[data-code="fewCustomers"]'), /^Warning: only 3 customers/);
  // Semicolons, day-first dates, a bad row reported with its line number.
  await upload("eu.csv", "kunde;datum;umsatz\n1;03/01/2020;5\n1;10/02/2020;6\n2;04/01/2020;x\n2;05/01/2020;4\n");
  // The dates could be either way round, and a quarter of the values are not numbers: the person says.
  await page.waitForFunction(() => document.querySelector("#fit-customer")?.value === "kunde");
  assert.equal(await page.inputValue("#fit-date-format"), "auto");
  assert.equal(await page.inputValue("#fit-value"), "");
  await page.selectOption("#fit-value", "umsatz");
  await page.selectOption("#fit-date-format", "DD/MM/YYYY");
  await page.waitForFunction(() => document.querySelector("#fit-skipped")?.textContent === "1");
  assert.equal(await page.inputValue("#fit-customer"), "kunde");
  assert.equal(await page.inputValue("#fit-date"), "datum");
  assert.match(await page.locator("#fit-skipped-list").textContent(), /Line 4: /);
  assert.deepEqual(pageErrors, []);
});

test("exports as shops write them: the customer who comes back, decimal commas, and no stale results", async () => {
  const upload = (name, content) =>
    page.setInputFiles("#fit-file", { name, mimeType: "text/csv", buffer: Buffer.from(content) });
  // An orders export shaped like Shopify's: Name is the order number (repeated on its line items).
  const orders = [
    "Name,Email,Financial Status,Paid at,Subtotal,Total",
    "#1001,ann@example.com,paid,2024-03-09 10:00:00 +0100,40.00,53.00",
    "#1001,ann@example.com,,,,",
    "#1002,bob@example.com,paid,2024-03-10 11:00:00 +0100,25.00,35.00",
    "#1003,ann@example.com,paid,2024-04-02 09:00:00 +0200,\"1,250.00\",\"1,500.00\"",
    "#1004,bob@example.com,paid,2024-04-20 09:00:00 +0200,10.00,15.00",
  ].join("\n");
  await upload("orders.csv", `${orders}\n`);
  await page.waitForSelector('#fit-form[data-file="orders.csv"]');
  assert.equal(await page.inputValue("#fit-customer"), "Email");
  // The evidence: the order number never comes back on another date, the e-mail does.
  const cells = async (column) =>
    page.locator(`#fit-evidence-table tr[data-column="${column}"] td`).allTextContents();
  assert.deepEqual((await cells("Name")).slice(1, 4), ["5", "4", "0"]);
  assert.deepEqual((await cells("Email")).slice(1, 4), ["5", "2", "2"]);
  assert.equal(await page.inputValue("#fit-date"), "Paid at");
  assert.equal(await page.inputValue("#fit-value"), "Subtotal");
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "2");
  // The same export under Shopify's own header (with its line-item columns) is recognised: one
  // purchase per order, the voided order left out by its status, the partial refund deducted.
  const shopify = [
    "Name,Email,Financial Status,Paid at,Subtotal,Refunded Amount,Lineitem name",
    "#1001,ann@example.com,paid,2024-03-09 10:00:00 +0100,40.00,0.00,Mug",
    "#1001,ann@example.com,,,,,Plate",
    "#1002,bob@example.com,paid,2024-03-10 11:00:00 +0100,25.00,0.00,Bowl",
    "#1003,ann@example.com,partially_refunded,2024-04-02 09:00:00 +0200,100.00,30.00,Table",
    "#1004,cem@example.com,voided,2024-04-05 11:00:00 +0200,12.00,0.00,Cup",
  ].join("\n");
  await upload("orders_export.csv", `${shopify}\n`);
  await page.waitForSelector('#fit-mapping-note[data-export="shopify-orders"]:not([hidden])');
  assert.match(await text("#fit-mapping-note"), /^Recognised: a Shopify orders export: customers by Email/);
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "2");
  const sub = await text("#fit-transactions-sub");
  assert.match(sub, /1 line items merged into their orders; 1 left out by status \(voided 1\); 1 refunds deducted/);
  // A payments export with a status clvlab does not know: counted, flagged, and the user decides.
  const payments = [
    "id,Created date (UTC),Amount,Amount Refunded,Status,Customer ID",
    "ch_1,2024-01-03 10:00:00,20.00,0.00,Paid,cus_A",
    "ch_2,2024-01-05 11:00:00,15.50,0.00,Failed,cus_B",
    "ch_3,2024-02-03 09:30:00,20.00,5.00,Paid,cus_A",
    "ch_4,2024-02-07 12:00:00,9.99,0.00,Gift,cus_C",
  ].join("\n");
  await upload("payments.csv", `${payments}\n`);
  await page.waitForSelector('#fit-form[data-file="payments.csv"]');
  await page.fill("#fit-calibration-end", "2024-03-01");
  await page.waitForSelector('#fit-statuses[data-unknown="Gift"]:not([hidden])');
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "2");
  assert.match(await text("#fit-statuses-summary"), /Gift counted as purchases, but not a status clvlab knows/);
  // The question is asked where the mapping is shown, and nothing is fitted until it is answered.
  assert.match(await text("#fit-mapping-note"), /Status: clvlab does not know the status 'Gift', so those rows count as purchases/);
  await page.waitForSelector('#fit-form[data-held="true"] #fit-run:not([hidden])');
  assert.match(await text("#fit-status"), /^Not fitted yet: the statuses Gift are not ones clvlab knows/);
  // Ticking Gift leaves it out; unticking Failed lets the failed charge count: cus_A and cus_B.
  await page.check('#fit-statuses-list input[value="Gift"]');
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "1");
  await page.uncheck('#fit-statuses-list input[value="Failed"]');
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "2");
  // Paid charges in two currencies are refused next to the currency column the export names; a
  // failed one in another currency does not count.
  const currencies = [
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID",
    "ch_1,2024-01-03 10:00:00,20.00,0.00,usd,Paid,cus_A",
    "ch_2,2024-01-05 11:00:00,15.50,0.00,gbp,Failed,cus_B",
    "ch_3,2024-02-03 09:30:00,20.00,0.00,eur,Paid,cus_A",
  ].join("\n");
  await upload("currencies.csv", `${currencies}\n`);
  await page.waitForSelector("#fit-currency-error:not([hidden])");
  assert.equal(await page.inputValue("#fit-currency"), "Currency");
  assert.match(await text("#fit-currency-error"), /^Currency column: mixes currencies: USD \(line 2\) and EUR \(line 4\)/);
  await upload("payments.csv", `${payments}\n`);
  await page.waitForSelector('#fit-form[data-file="payments.csv"]');
  await page.fill("#fit-calibration-end", "2024-03-01");
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "2");
  // A bad UTC offset is refused next to its field.
  await page.fill("#fit-utc-offset", "CET");
  await page.dispatchEvent("#fit-utc-offset", "change");
  await page.waitForSelector("#fit-utc-offset-error:not([hidden])");
  assert.match(await text("#fit-utc-offset-error"), /must be an offset such as \+01:00/);
  await page.fill("#fit-utc-offset", "");
  await page.dispatchEvent("#fit-utc-offset", "change");
  await page.waitForSelector("#fit-utc-offset-error[hidden]", { state: "attached" });
  // A German file: decimal commas, decided by the library and shown in the form.
  const german = "Kundennummer;Datum;Umsatz\nK1;21.02.2023;46,64\nK2;22.02.2023;1.234,50\nK1;14.03.2023;12,00\nK2;01.04.2023;7,50\n";
  await upload("umsatz.csv", german);
  await page.waitForSelector('#fit-form[data-file="umsatz.csv"]');
  assert.equal(await page.inputValue("#fit-decimal"), ",");
  assert.equal(await page.inputValue("#fit-value"), "Umsatz");
  await page.waitForFunction(() => document.querySelector("#fit-customers")?.textContent === "2");
  // The next file fails: the German file's results are gone at once, not greyed under the error.
  await upload("empty.csv", "");
  await page.waitForSelector("#fit-error:not([hidden])");
  assert.ok(await page.locator("#fit-results[hidden]").count(), "the last file's results are not on screen");
  // Nor its mapping: evidence, statuses, columns to choose, the hold.
  for (const id of ["#fit-evidence", "#fit-statuses", "#fit-preview", "#fit-run", "#fit-mapping-note"])
    assert.ok(await page.locator(`${id}[hidden]`).count(), `${id} is hidden`);
  assert.ok(await page.isDisabled("#fit-customer"), "the last file's columns are no choice");
  assert.equal(await page.getAttribute("#fit-form", "data-held"), null);
  // A file where every row is its own customer: the guess is marked as one, with the reason.
  await upload("once.csv", "order,when,total\n1,2024-01-01,5.00\n2,2024-01-02,6.00\n3,2024-01-03,7.50\n");
  await page.waitForSelector('#fit-mapping-note[data-confidence="low"]:not([hidden])');
  assert.match(await text("#fit-mapping-note"), /^The customer column is a guess: no column has a value on two different dates/);
  assert.deepEqual(pageErrors, []);
});

test("dates that could be either order are a question, and a file of both orders an error, until the user says", async () => {
  const upload = (name, content) =>
    page.setInputFiles("#fit-file", { name, mimeType: "text/csv", buffer: Buffer.from(content) });
  // Every date could be day-first or month-first: the library asks, naming a value; nothing is fitted.
  await upload("either.csv", "customer,date,amount\na,03/01/2024,10.00\na,05/02/2024,12.00\nb,04/01/2024,8.00\nb,06/03/2024,9.50\n");
  await page.waitForSelector('#fit-form[data-file="either.csv"]');
  assert.equal(await page.inputValue("#fit-date-format"), "auto");
  assert.match(await text("#fit-mapping-note"), /every date of date could be MM\/DD\/YYYY or DD\/MM\/YYYY \(e\.g\. '03\/01\/2024'\): choose the date format/);
  await page.waitForSelector("#fit-date-format-error:not([hidden])");
  assert.match(await text("#fit-date-format-error"), /^Date format: every date could be MM\/DD\/YYYY or DD\/MM\/YYYY; say which/);
  assert.ok(await page.locator("#fit-results[hidden]").count(), "no results from a guessed date order");
  // Answered day-first: a's purchases are 3 January and 5 February, 33 days apart (4.7 weeks); the
  // answer settles the only doubt, so the models are fitted at once.
  await page.selectOption("#fit-date-format", "DD/MM/YYYY");
  await page.fill("#fit-calibration-end", "2024-03-31");
  await page.waitForFunction(() => document.querySelector("#fit-preview-table tbody tr td:nth-child(3)")?.textContent === "4.7 weeks");
  await page.waitForSelector('#fit-form[data-held="false"]');
  await page.waitForSelector("#fit-fitted:not([hidden])");
  // Both orders in one column (13 February written both ways): an error naming the line, not skipped rows.
  await upload("both.csv", "customer,date,amount\na,02/13/2024,10.00\na,03/01/2024,12.00\nb,13/02/2024,8.00\nb,14/03/2024,9.50\n");
  await page.waitForSelector('#fit-form[data-file="both.csv"]');
  assert.match(await text("#fit-mapping-note"), /date mixes the two orders: '02\/13\/2024' can only be MM\/DD\/YYYY and '13\/02\/2024' only DD\/MM\/YYYY/);
  await page.waitForSelector("#fit-date-format-error:not([hidden])");
  assert.match(await text("#fit-date-format-error"), /^Date format: the date column mixes the two orders: '13\/02\/2024' on line 4 can only be DD\/MM\/YYYY/);
  // Told month-first, the day-first rows are skipped as bad dates, with their lines.
  await page.selectOption("#fit-date-format", "MM/DD/YYYY");
  await page.waitForFunction(() => document.querySelector("#fit-skipped")?.textContent === "2");
  assert.match(await page.locator("#fit-skipped-list").textContent(), /Line 4: bad date '13\/02\/2024' \(expected MM\/DD\/YYYY\)/);
  assert.deepEqual(pageErrors, []);
});

test("refunds taken off or left out, and negative values netted or skipped, as the user picks", async () => {
  const file = [
    "id,Created date (UTC),Amount,Amount Refunded,Status,Customer ID",
    "ch_1,2024-01-03 10:00:00,20.00,0.00,Paid,cus_A",
    "ch_2,2024-02-03 09:30:00,30.00,10.00,Paid,cus_A",
    "ch_3,2024-02-07 12:00:00,9.99,0.00,Paid,cus_B",
    "ch_4,2024-02-20 12:00:00,-4.00,0.00,Paid,cus_B",
  ].join("\n");
  await page.setInputFiles("#fit-file", { name: "refunds.csv", mimeType: "text/csv", buffer: Buffer.from(`${file}\n`) });
  await page.waitForSelector('#fit-mapping-note[data-export="stripe-payments"]:not([hidden])');
  await page.fill("#fit-calibration-end", "2024-03-01");
  const preview = () =>
    page.locator("#fit-preview-table tbody tr").evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  await page.waitForFunction(() => document.querySelector("#fit-preview-table tbody td:nth-child(4)")?.textContent === "8.3 weeks");
  // By default the refund comes off ch_2 (cus_A's repeat is worth 20.00) and the −4.00 row nets against ch_3.
  await page.waitForFunction(() => /1 refunds deducted; 1 refund rows netted/.test(document.querySelector("#fit-transactions-sub")?.textContent));
  assert.deepEqual((await preview())[0], ["cus_A", "2", "4.4 weeks", "8.3 weeks", "20.00"]);
  // Refunded purchases left out, by a refund column or a refund row: cus_A bought once, and cus_B's
  // only purchase is gone with it.
  await page.selectOption("#fit-refunds", "remove");
  await page.waitForFunction(() => /2 refunded purchases left out/.test(document.querySelector("#fit-transactions-sub")?.textContent));
  assert.deepEqual(await preview(), [["cus_A", "1", "one purchase", "8.3 weeks", "—"]]);
  // Negative values skipped as rows, with their reason.
  await page.selectOption("#fit-negatives", "skip");
  await page.waitForFunction(() => document.querySelector("#fit-skipped")?.textContent === "1");
  assert.match(await page.locator("#fit-skipped-list").textContent(), /^Line 5: /);
  // A new file starts from the defaults.
  await page.setInputFiles("#fit-file", { name: "refunds2.csv", mimeType: "text/csv", buffer: Buffer.from(`${file}\n`) });
  await page.waitForSelector('#fit-form[data-file="refunds2.csv"]');
  assert.equal(await page.inputValue("#fit-refunds"), "reduce");
  assert.equal(await page.inputValue("#fit-negatives"), "net");
  assert.deepEqual(pageErrors, []);
});

test("a Magento grid without its refund column: closed orders (refunded in full) are left out", async () => {
  const file = [
    "ID,Purchase Date,Grand Total (Purchased),Status,Customer Email",
    '1,"Jan 9, 2024 10:00:00 AM",20.00,complete,a@example.com',
    '2,"Jan 19, 2024 10:00:00 AM",30.00,closed,a@example.com',
    '3,"Feb 2, 2024 10:00:00 AM",10.00,complete,a@example.com',
    '4,"Feb 5, 2024 10:00:00 AM",15.00,processing,b@example.com',
  ].join("\n");
  await page.setInputFiles("#fit-file", { name: "magento.csv", mimeType: "text/csv", buffer: Buffer.from(`${file}\n`) });
  await page.waitForSelector('#fit-mapping-note[data-export="magento-orders"]:not([hidden])');
  await page.fill("#fit-calibration-end", "2024-03-01");
  await page.waitForFunction(() => /1 left out by status \(closed 1\)/.test(document.querySelector("#fit-transactions-sub")?.textContent));
  // a@example.com: two purchases (20.00, then 10.00 three weeks later); the closed order is not one.
  await page.waitForFunction(() => document.querySelector("#fit-preview-table tbody td:nth-child(2)")?.textContent === "2");
  assert.equal(await text("#fit-preview-table tbody tr:first-child td:last-child"), "10.00");
  assert.deepEqual(pageErrors, []);
});

test("an export clvlab does not know: its order, status and refund columns chosen on the page", async () => {
  const file = [
    "client,placed,net,ticket,state,returned",
    "c1,2024-01-05,30.00,T1,paid,0",
    "c1,2024-01-05,,T1,paid,",
    "c2,2024-01-06,20.00,T2,cancelled,0",
    "c1,2024-02-10,50.00,T3,paid,10.00",
    "c2,2024-02-12,15.00,T4,paid,0",
    "c2,2024-02-20,-5.00,T5,paid,0",
  ].join("\n");
  await page.setInputFiles("#fit-file", { name: "tickets.csv", mimeType: "text/csv", buffer: Buffer.from(`${file}\n`) });
  await page.waitForSelector('#fit-form[data-file="tickets.csv"]');
  for (const id of ["#fit-order", "#fit-refund"]) assert.equal(await page.inputValue(id), "", id);
  // Its statuses are ones clvlab knows, so the status column is proposed by its values.
  assert.equal(await page.inputValue("#fit-status-column"), "state");
  assert.match(await text("#fit-mapping-note"), /state: its values are order or payment statuses/);
  await page.fill("#fit-calibration-end", "2024-03-01");
  // Without an order column the line item's blank value is a skipped row.
  await page.waitForFunction(() => document.querySelector("#fit-skipped")?.textContent === "1");
  await page.selectOption("#fit-order", "ticket");
  await page.waitForFunction(() => document.querySelector("#fit-skipped")?.textContent === "0");
  await page.selectOption("#fit-status-column", "state");
  await page.selectOption("#fit-refund", "returned");
  await page.waitForFunction(() => /refunds deducted/.test(document.querySelector("#fit-transactions-sub")?.textContent));
  assert.match(
    await text("#fit-transactions-sub"),
    /1 line items merged into their orders; 1 left out by status \(cancelled 1\); 1 refunds deducted; 1 refund rows netted against their purchases/,
  );
  assert.equal(await text("#fit-customers"), "2");
  // The mapping step's preview, in weeks to the calibration end (1 March): c1 bought T1 (30) on
  // 5 January and T3 (50 less 10 refunded) 36 days later, 56 days before the end; c2's only purchase
  // is T4 (T2 was cancelled, and the −5 row nets against it), 18 days before the end.
  const preview = await page.locator("#fit-preview-table tbody tr").evaluateAll((rows) =>
    rows.map((r) => [...r.cells].map((c) => c.textContent)),
  );
  assert.deepEqual(preview, [
    ["c1", "2", "5.1 weeks", "8.0 weeks", "40.00"],
    ["c2", "1", "one purchase", "2.6 weeks", "—"],
  ]);
  assert.deepEqual(pageErrors, []);
});

test("the shipped Shopify and Stripe exports are recognised and read without a skipped row", async () => {
  for (const [button, name, left] of [
    ["#fit-sample-shopify", "shopify-orders", /line items merged into their orders; \d+ left out by status \((voided|pending|refunded) \d+/],
    ["#fit-sample-stripe", "stripe-payments", /\d+ left out by status \((Failed|Refunded) \d+.*\d+ refunds deducted/],
  ]) {
    await page.click(button);
    await page.waitForSelector(`#fit-mapping-note[data-export="${name}"]:not([hidden])`);
    await page.waitForFunction(() => document.querySelector("#fit-skipped")?.textContent === "0");
    const customers = Number((await text("#fit-customers")).replace(/,/g, ""));
    // 250 customers in each; those who first bought after the suggested calibration end are left out.
    assert.ok(customers > 100 && customers <= 250, `${customers} customers`);
    assert.match(await text("#fit-transactions-sub"), left);
  }
  assert.deepEqual(pageErrors, []);
});

test("a file dropped on the drop zone is read like a picked one", async () => {
  await page.evaluate(() => {
    const data = new DataTransfer();
    const csv = "client,when,amount\nx,2021-03-01,10\nx,2021-03-09,12\ny,2021-03-02,5\n";
    data.items.add(new File([csv], "dropped.csv", { type: "text/csv" }));
    document.querySelector("#fit-drop").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector("#fit-file-name").textContent.startsWith("dropped.csv"));
  await page.waitForFunction(() => document.querySelector("#fit-customer").value === "client");
  await page.waitForFunction(() => document.querySelector("#fit-customers").textContent === "2");
  assert.equal(await page.inputValue("#fit-date"), "when");
  assert.equal(await page.inputValue("#fit-value"), "amount");
});

test("a long summary can be cancelled; the tab then works on the next file", async () => {
  // Two million rows made in the page (about 50 MB): summarising them takes seconds in the Worker.
  await page.evaluate(() => {
    const rows = [];
    for (let i = 0; i < 2e6; i++) rows.push(`c${i % 400000},2020-0${1 + (i % 9)}-1${i % 10},${i % 97}.5`);
    const data = new DataTransfer();
    data.items.add(new File([`customer,date,amount\n${rows.join("\n")}\n`], "big.csv", { type: "text/csv" }));
    document.querySelector("#fit-drop").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }));
  });
  await page.click("#fit-cancel", { timeout: 10000 });
  await page.waitForFunction(() => /^Cancelled/.test(document.querySelector("#fit-status").textContent));
  assert.ok(await page.locator("#fit-cancel[hidden]").count(), "no cancel button once nothing runs");
  assert.ok(await page.locator("#fit-results[hidden]").count(), "no results of the last file on screen");
  // A fresh Worker takes the next file: the sample fits as published (r 0.243).
  await page.click("#fit-sample");
  await waitForFit("1997-09-30", "bgnbd");
  assert.equal(await text('#fit-params tr[data-param="r"] td.estimate'), "0.243");
  assert.match(await text("#fit-status"), /in a worker$/);
});

test("the cumulative chart's actual line ends at the repeat transactions counted from the file", async () => {
  await waitForFit("1997-09-30", "bgnbd");
  await page.waitForSelector("#fit-results[data-diagnostics-ms]");
  // Distinct customer-days after each customer's first, over calibration and holdout, counted here.
  const days = new Map();
  for (const line of readFileSync(CDNOW, "utf8").trim().split("\n").slice(1)) {
    const [id, date] = line.split(",");
    days.set(id, (days.get(id) ?? new Set()).add(date));
  }
  const repeats = [...days.values()].reduce((a, set) => a + set.size - 1, 0);
  await page.mouse.move(0, 0);
  // The legend shows the last point when the cursor is away: time, actual, model.
  const values = await page.locator("#fit-cum-chart .u-legend .u-value").allInnerTexts();
  assert.equal(Number(values[1].replace(/,/g, "")), repeats);
  // The 90 % predictive band over the holdout, at the last time: a range around the model's line.
  const [low, high] = [values[3], values[4]].map((v) => Number(v.replace(/,/g, "")));
  assert.ok(low < high, `band ${low}–${high}`);
});

test("the CDNOW sample button loads the copy shipped with the page, split as the paper does", async () => {
  await page.click("#fit-sample");
  // Fader, Hardie & Lee (2005): calibration 1997-01-01 … 1997-09-30 (39 weeks), r 0.243.
  await waitForFit("1997-09-30", "bgnbd");
  assert.equal(await text('#fit-params tr[data-param="r"] td.estimate'), "0.243");
  assert.match(await text("#fit-file-name"), /^cdnow_sample_transactions\.csv/);
  assert.equal(await text("#fit-customers"), "2,357");
  assert.ok(
    requests.some((r) => r.endsWith("/data/cdnow_sample_transactions.csv")),
    "sample served by the page",
  );
});

test("fit times, as shown on the page; the work runs in a Worker", async (t) => {
  // Loading the sample (the test above) refits, possibly more than once: read the status of a finished
  // fit, in the same evaluation that sees it finished.
  const done = await page.waitForFunction(
    () => {
      const status = document.querySelector("#fit-status").textContent.trim();
      return /in a worker$/.test(status) && status;
    },
    null,
    { timeout: 20000 },
  );
  const status = await done.jsonValue();
  t.diagnostic(status);
  assert.match(status, /^.*\d.*ms.* in a worker$/);
  await page.waitForSelector("#fit-results[data-diagnostics-ms]");
  t.diagnostic(`diagnostics charts ${await page.getAttribute("#fit-results", "data-diagnostics-ms")} ms`);
});

test("without Workers the tab computes on the main thread", async () => {
  const context = await session.browser.newContext({ locale: "en-US", viewport: { width: 1360, height: 1000 } });
  try {
    const other = await context.newPage();
    await other.addInitScript(() => delete window.Worker);
    await other.goto(url);
    await other.waitForSelector("body.ready");
    await other.click("#tab-fit");
    await other.setInputFiles("#fit-file", CDNOW);
    await other.waitForSelector('#fit-form[data-file="cdnow_sample_transactions.csv"]');
    await other.fill("#fit-calibration-end", "1997-09-30");
    await other.waitForFunction(() => document.querySelector("#fit-results")?.dataset.calibrationEnd === "1997-09-30");
    assert.match(await other.locator("#fit-status").innerText(), /on the main thread$/);
    // Fader, Hardie & Lee (2005): r 0.243.
    assert.equal(await other.locator('#fit-params tr[data-param="r"] td.estimate').innerText(), "0.243");
  } finally {
    await context.close();
  }
});

test("screenshot, no page errors, and no request leaves the local server", async () => {
  await page.click('#fit-table th[data-key="clv"] button');
  assert.equal(await page.getAttribute('#fit-table th[data-key="clv"]', "aria-sort"), "descending");
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator("#fit-calibration-end").blur();
  await page.waitForTimeout(300);
  await page.screenshot({ path: "test-results/fit.png", fullPage: true });
  assert.deepEqual(pageErrors, []);
  const foreign = requests.filter((r) => !r.startsWith(url) && !r.startsWith(`blob:${url}`.replace(/\/$/, "")));
  assert.deepEqual(foreign, [], "requests outside the local server");
});
