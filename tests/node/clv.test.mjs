// The built package (pkg/, wasm-bindgen --target web) used from Node 20 the way the README shows:
// `initSync` with the wasm bytes, then `clv` with plain objects. Values are closed forms or published.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, clv } from "../../pkg/clvlab.js";

initSync({ module: readFileSync(new URL("../../pkg/clvlab_bg.wasm", import.meta.url)) });

const close = (actual, expected, tolerance, what) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

const textbook = { margin: 100, retention: 0.8, discountRate: 0.1 };

test("constant retention, infinite horizon, end of period: the margin multiple r / (1 + d − r)", () => {
  // 100 × 0.8 / 0.3 (Gupta & Lehmann 2003, "Customers as assets")
  const result = clv({ ...textbook, timing: "end" });
  close(result.clv, 266.6667, 5e-4, "clv");
  // Σ_{t≥1} 0.8^t = 0.8 / 0.2
  close(result.expectedLifetime, 4, 1e-9, "expectedLifetime");
});

test("timing defaults to end of period", () => {
  close(clv(textbook).clv, 266.6667, 5e-4, "clv");
});

test("start of period: the first payment now, undiscounted", () => {
  // 100 + 266.667
  const result = clv({ ...textbook, timing: "start" });
  close(result.clv, 366.6667, 5e-4, "clv");
  close(result.expectedLifetime, 5, 1e-9, "expectedLifetime");
});

test("a horizon of 10 periods", () => {
  // 266.667 × (1 − (0.8 / 1.1)^10)
  const result = clv({ ...textbook, horizon: 10 });
  close(result.clv, 255.627, 5e-4, "clv");
  assert.equal(result.periods.length, 10);
  const last = result.periods[9];
  assert.equal(last.period, 10);
  close(last.survival, 0.8 ** 10, 1e-12, "survival at 10");
  close(last.expectedMargin, 100 * 0.8 ** 10, 1e-9, "expected margin at 10");
  close(last.discountedMargin, (100 * 0.8 ** 10) / 1.1 ** 10, 1e-9, "discounted margin at 10");
  close(last.cumulative, result.clv, 1e-9, "cumulative at the horizon is the CLV");
});

test("acquisition cost: net value, LTV:CAC and the payback period", () => {
  const result = clv({ ...textbook, acquisitionCost: 150 });
  close(result.netValue, 266.6667 - 150, 5e-4, "netValue");
  close(result.ltvToCac, 266.6667 / 150, 1e-5, "ltvToCac");
  // cumulative 72.73 (t = 1), 125.62 (t = 2), 164.09 (t = 3): 100 Σ 0.8^t / 1.1^t
  assert.equal(result.paybackPeriod, 3);
  assert.equal(clv({ ...textbook, acquisitionCost: 300 }).paybackPeriod, null, "266.67 never covers 300");
});

test("a negative margin is valid", () => {
  close(clv({ ...textbook, margin: -100 }).clv, -266.6667, 5e-4, "clv");
});

test("sBG: Fader & Hardie's regular and high-end segments, and DERL after 7 renewals", () => {
  // Fader & Hardie (2010), "Customer-base valuation in a contractual setting", d = 0.1
  const regular = { margin: 1, discountRate: 0.1, timing: "start", retention: { alpha: 0.704, beta: 1.182 } };
  close(clv(regular).clv, 3.6951, 5e-4, "DEL regular");
  const highEnd = { ...regular, retention: { alpha: 0.668, beta: 3.806 } };
  close(clv(highEnd).clv, 5.9226, 5e-4, "DEL high end");
  close(clv({ ...highEnd, renewals: 7 }).clv, 7.53, 5e-3, "DERL high end, 7 renewals");
});

test("bad input throws an Error whose message starts with the field", () => {
  const cases = [
    [{ ...textbook, retention: 1.2 }, /^retention\b/],
    [{ ...textbook, retention: -0.1 }, /^retention\b/],
    [{ ...textbook, retention: { alpha: -1, beta: 1 } }, /^retention\.alpha\b/],
    [{ ...textbook, retention: { alpha: 1, beta: 0 } }, /^retention\.beta\b/],
    [{ ...textbook, discountRate: -1 }, /^discountRate\b/],
    [{ ...textbook, margin: NaN }, /^margin\b/],
    [{ ...textbook, margin: "100" }, /^margin\b/],
    [{ ...textbook, horizon: 2.5 }, /^horizon\b/],
    [{ ...textbook, horizon: 0 }, /^horizon\b/],
    [{ ...textbook, renewals: -1 }, /^renewals\b/],
    [{ ...textbook, timing: "middle" }, /^timing\b/],
  ];
  for (const [input, pattern] of cases) {
    assert.throws(
      () => clv(input),
      (e) => e instanceof Error && pattern.test(e.message),
      JSON.stringify(input),
    );
  }
  assert.throws(() => clv({ retention: 0.8, discountRate: 0.1 }), /margin/, "a missing field is named");
  // Retention 1 without discounting and without a horizon is worth an infinite amount: refused, never Infinity.
  assert.throws(
    () => clv({ ...textbook, retention: 1, discountRate: 0 }),
    (e) => /^(retention|discountRate|horizon)\b/.test(e.message),
  );
  close(clv({ ...textbook, retention: 1, discountRate: 0, horizon: 3 }).clv, 300, 1e-9, "finite with a horizon");
  // ... and with discounting it is the perpetuity margin / d.
  close(clv({ ...textbook, retention: 1 }).clv, 1000, 1e-6, "perpetuity");
});
