// The share-link format of the demo page (www/page/state.js) in Node 20, which has the same TextEncoder,
// CompressionStream and atob as browsers: a state round-trips exactly; links that are damaged, from
// another format version, oversized or of the wrong shape are refused with a reason, never thrown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { encodeState, decodeState } from "../../www/page/state.js";

const state = {
  tab: "scenarios",
  calculator: { currency: "EUR", periodUnit: "month", margin: "120", retentionModel: "sbg", retention: "85", alpha: "0.704", beta: "1.182", discountRate: "1", horizon: "", timing: "start", acquisitionCost: "200", marginGrowth: "0", renewals: "3", spread: "0.2" },
  scenarios: [
    { name: "Price, \"premium\" €", retention: "", margin: "150", discountRate: "", acquisitionCost: "", churnMode: "relative", churnValue: "-10" },
    { name: "Blank", retention: "", margin: "", discountRate: "", acquisitionCost: "", churnMode: "points", churnValue: "" },
  ],
  uncertainty: { on: "1", customers: "5000", retentionSd: "2.5", marginSd: "" },
  montecarlo: {
    horizon: "24",
    discountRate: "1",
    runs: "5000",
    seed: "777",
    target: "",
    segments: [
      { name: "Loyal", customers: "20000", margin: "120", cv: "0.6", model: "sbg", retention: "", alpha: "0.668", beta: "3.806", gamma: "", delta: "", c: "" },
      { name: "Subscribers", customers: "100", margin: "10", cv: "0", model: "bdw", retention: "", alpha: "", beta: "", gamma: "0.8", delta: "3.2", c: "1.3" },
    ],
  },
};

/** A link payload from arbitrary JSON, compressed the way the page does it. */
const link = (json, version = 1) => `#s=${version}.${deflateRawSync(Buffer.from(JSON.stringify(json))).toString("base64url")}`;

test("a state round-trips through the link exactly", async () => {
  const hash = await encodeState(state);
  assert.match(hash, /^s=1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual((await decodeState(`#${hash}`)).state, state);
  // without the "#" too
  assert.deepEqual((await decodeState(hash)).state, state);
});

test("the link is compact", async () => {
  const hash = await encodeState(state);
  const plain = Buffer.from(JSON.stringify(state)).toString("base64url");
  assert.ok(hash.length < plain.length / 2, `${hash.length} characters against ${plain.length} uncompressed`);
});

test("other fragments are not share links", async () => {
  for (const hash of ["", "#", "#results", "#x=1.abc"]) assert.equal(await decodeState(hash), null, hash);
});

test("damaged, foreign and malformed links are refused with a reason", async () => {
  const cases = [
    ["#s=1.@@", /not base64url/],
    ["#s=1.AAAA", /damaged/], // not deflate data
    ["#s=1", /no version/],
    [link({ t: "calculator" }, 2), /another version of clvlab \(format 2\)/],
    [`#s=1.${Buffer.from("{}").toString("base64url")}`, /damaged/], // JSON, but not compressed
    [link([1, 2]), /expected an object/],
    [link({ c: { m: 100 } }), /c\.m: expected text/],
    [link({ c: { m: "9".repeat(65) } }), /c\.m: longer than 64/],
    [link({ s: [["only name"]] }), /s\[0\]: expected 7 fields/],
    [link({ s: [["a", "", "", "", "", "sideways", ""]] }), /s\[0\]\.churnMode: unknown value "sideways"/],
    [link({ s: Array.from({ length: 51 }, () => ["a", "", "", "", "", "points", ""]) }), /more than 50 rows/],
    [link({ mc: { g: "x" } }), /mc\.g: expected a list/],
    [link({ mc: { g: [["a", "1", "1", "0", "sbg", "", "1"]] } }), /mc\.g\[0\]: expected 8 to 11 fields/],
    [link({ mc: { g: [["a", "1", "1", "0", "weibull", "", "", ""]] } }), /mc\.g\[0\]\.model: unknown value "weibull"/],
    [link({ t: 3 }), /t: expected text/],
    [`#s=1.${"A".repeat(20000)}`, /too long/],
    // a small link that inflates to megabytes is stopped early
    [link({ c: { m: "1".repeat(2_000_000) } }), /too large/],
  ];
  for (const [hash, reason] of cases) {
    const decoded = await decodeState(hash);
    assert.ok(decoded && !decoded.state, `${hash.slice(0, 40)} was accepted`);
    assert.match(decoded.error, reason, hash.slice(0, 40));
  }
});

test("fields a later page may add are ignored; missing parts keep the page's values", async () => {
  const { state: s } = await decodeState(link({ c: { m: "90", future: "x" }, mc: { s: "5", zz: "1" } }));
  assert.deepEqual(s.calculator, { margin: "90" });
  assert.equal(s.scenarios, undefined);
  assert.deepEqual(s.montecarlo, { seed: "5", segments: undefined });
  assert.equal(s.tab, "calculator");
});

test("a Monte Carlo segment of a link made before the tenure-dependent segments reads with them blank", async () => {
  const { state: s } = await decodeState(link({ mc: { g: [["Loyal", "20000", "120", "0.6", "sbg", "", "0.668", "3.806"]] } }));
  assert.deepEqual(s.montecarlo.segments, [
    { name: "Loyal", customers: "20000", margin: "120", cv: "0.6", model: "sbg", retention: "", alpha: "0.668", beta: "3.806", gamma: "", delta: "", c: "" },
  ]);
});
