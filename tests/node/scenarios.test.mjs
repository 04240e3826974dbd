// compareScenarios, sensitivity and breakEven from the built package in Node 20, on the textbook
// customer (margin 100, retention 0.8, discount 0.1, infinite, end): CLV = 100 r / (1.1 − r), so every
// expected value below is a closed form worked by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, compareScenarios, sensitivity, breakEven } from "../../pkg/clvlab.js";

initSync({ module: readFileSync(new URL("../../pkg/clvlab_bg.wasm", import.meta.url)) });

const close = (actual, expected, tolerance, what) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
const multiple = (r, d = 0.1) => (100 * r) / (1 + d - r);
const base = { margin: 100, retention: 0.8, discountRate: 0.1, acquisitionCost: 150 };
const messageStarts = (prefix) => (e) => e instanceof Error && e.message.startsWith(prefix);

test("compareScenarios: churn by points and relative, margin and acquisition cost", () => {
  const { base: b, scenarios } = compareScenarios({
    base,
    scenarios: [
      { name: "5 points", changes: { churnChange: { points: -5 } } }, // churn 0.20 → 0.15
      { name: "5 percent", changes: { churnChange: { relative: -0.05 } } }, // churn 0.20 → 0.19
      { name: "margin", changes: { margin: 110 } },
      { name: "cac", changes: { acquisitionCost: 100 } },
      { name: "margin +10%", changes: { marginChange: { relative: 0.1 } } },
    ],
  });
  close(b.value, multiple(0.8), 1e-9, "base value");
  close(b.netValue, multiple(0.8) - 150, 1e-9, "base net value");
  const [points, relative, margin, cac, marginRelative] = scenarios;
  assert.equal(points.name, "5 points");
  close(points.value, multiple(0.85), 1e-9, "retention 0.85"); // 340
  close(points.delta, multiple(0.85) - multiple(0.8), 1e-9, "delta"); // +73.33
  close(points.deltaPercent, 27.5, 1e-9, "deltaPercent, in percent");
  close(relative.value, multiple(0.81), 1e-9, "retention 0.81");
  close(margin.deltaPercent, 10, 1e-9, "CLV is linear in the margin");
  close(cac.delta, 0, 1e-9, "CLV does not depend on the acquisition cost");
  close(cac.netDelta, 50, 1e-9, "net value does");
  close(marginRelative.value, 1.1 * multiple(0.8), 1e-9, "margin × 1.1");
});

test("compareScenarios: errors name the scenario and the field", () => {
  assert.throws(
    () => compareScenarios({ base, scenarios: [{ name: "x", changes: { retention: 1.3 } }] }),
    messageStarts("scenarios[0].changes.retention"),
  );
  assert.throws(
    () => compareScenarios({ base, scenarios: [{ name: "x", changes: { churnChange: { points: -25 } } }] }),
    messageStarts("scenarios[0].changes.churnChange"),
  );
  assert.throws(
    () => compareScenarios({ base, scenarios: [{ name: "x", changes: { marginChange: { relative: -2 } } }] }),
    messageStarts("scenarios[0].changes.marginChange.relative: must be at least -1"),
  );
  assert.throws(
    () => compareScenarios({ base: { ...base, retention: 1.3 }, scenarios: [] }),
    messageStarts("base.retention"),
  );
});

test("sensitivity: ±10% bars, retention through churn, sorted by swing", () => {
  const bars = sensitivity(base, { fields: ["retention", "margin", "discountRate"], spread: 0.1 });
  assert.deepEqual(
    bars.map((b) => b.field),
    ["margin", "retention", "discountRate"],
  );
  const [margin, retention, discount] = bars;
  close(margin.valueLow, 0.9 * multiple(0.8), 1e-9, "margin 90");
  close(margin.valueHigh, 1.1 * multiple(0.8), 1e-9, "margin 110");
  // churn 0.2 × 1.1 = 0.22 and × 0.9 = 0.18
  close(retention.low, 0.78, 1e-12, "retention low");
  close(retention.valueLow, multiple(0.78), 1e-9, "retention 0.78");
  close(retention.valueHigh, multiple(0.82), 1e-9, "retention 0.82");
  close(discount.valueLow, multiple(0.8, 0.09), 1e-9, "discount 0.09");
  close(discount.valueHigh, multiple(0.8, 0.11), 1e-9, "discount 0.11");
  for (const b of bars) close(b.swing, Math.abs(b.valueHigh - b.valueLow), 1e-9, `${b.field} swing`);
});

test("breakEven: the highest affordable CAC, and the margin and retention that just pay 150", () => {
  close(breakEven(base, { solveFor: "acquisitionCost" }).value, multiple(0.8), 1e-9, "CAC = CLV");
  // margin × 0.8 / 0.3 = 150
  close(breakEven(base, { solveFor: "margin" }).value, 56.25, 1e-9, "margin");
  // 100 r / (1.1 − r) = 150 → r = 165 / 250
  close(breakEven(base, { solveFor: "retention" }).value, 0.66, 1e-9, "retention");
  assert.throws(() => breakEven(base, { solveFor: "horizon" }), Error);
});
