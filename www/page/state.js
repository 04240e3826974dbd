// Shareable page state: the calculator's inputs, the scenarios, the Monte Carlo configuration (seed and
// runs included) and the open tab, kept in the URL's hash fragment so a link reproduces the page. The
// fragment is never sent to a server. Format, version 1:
//
//   #s=1.<base64url of the deflate-raw compressed UTF-8 JSON> (helpers/link.js)
//   JSON = { t: tab, c: { <short key>: typed text }, s: [[name, retention, margin, discountRate,
//            acquisitionCost, churnMode, churnValue], …], mc: { h, d, n, s, t, g: [[name, customers,
//            margin, cv, model, retention, alpha, beta, gamma, delta, c], …] } }
//   (a segment row written before gamma, delta and c were added has 8 fields; the rest read as "").
//
// Values are the text as typed (percentages as percentages), so a link restores exactly what was on
// screen, mistakes included. Decoding is defensive: anything that is not this shape is refused as a
// whole with a reason, and the page keeps its defaults and says so.

import { LinkError, readLink, writeLink } from "../helpers/link.js";

export const VERSION = 1;
const MAX_TEXT = 64;
const MAX_ROWS = 50;

/** Short keys of the calculator's form fields (the form's `name`s), plus the tornado spread. */
export const CALC_KEYS = {
  cur: "currency",
  per: "periodUnit",
  m: "margin",
  rm: "retentionModel",
  r: "retention",
  a: "alpha",
  b: "beta",
  gm: "gamma",
  dl: "delta",
  c: "c",
  d: "discountRate",
  h: "horizon",
  tm: "timing",
  ac: "acquisitionCost",
  g: "marginGrowth",
  k: "renewals",
  sp: "spread",
};
/** Positional fields of one scenario row (scenarios.js's editor state). */
export const SCENARIO_FIELDS = ["name", "retention", "margin", "discountRate", "acquisitionCost", "churnMode", "churnValue"];
/** Short keys of the Monte Carlo settings (the settings form's `name`s). */
export const MC_KEYS = { h: "horizon", d: "discountRate", n: "runs", s: "seed", t: "target" };
/** Short keys of the Scenarios tab's uncertainty settings (`on` is "1" when shown). */
export const UNCERTAINTY_KEYS = { o: "on", n: "customers", r: "retentionSd", m: "marginSd" };
/** Positional fields of one Monte Carlo segment row (montecarlo.js's editor state). */
export const SEGMENT_FIELDS = ["name", "customers", "margin", "cv", "model", "retention", "alpha", "beta", "gamma", "delta", "c"];
/** Segment rows of links made before the beta-discrete-Weibull segments have this many fields. */
const SEGMENT_FIELDS_V1 = 8;
const ENUMS = { churnMode: ["points", "relative"], model: ["constant", "sbg", "bdw"] };

/** Page state (long names) → the compact JSON stored in the link. */
function compact(state) {
  const c = {};
  for (const [short, name] of Object.entries(CALC_KEYS)) if (name in state.calculator) c[short] = state.calculator[name];
  const mc = { g: state.montecarlo.segments.map((s) => SEGMENT_FIELDS.map((f) => s[f] ?? "")) };
  for (const [short, name] of Object.entries(MC_KEYS)) mc[short] = state.montecarlo[name] ?? "";
  const u = Object.fromEntries(Object.entries(UNCERTAINTY_KEYS).map(([short, name]) => [short, state.uncertainty?.[name] ?? ""]));
  return { t: state.tab, c, s: state.scenarios.map((s) => SCENARIO_FIELDS.map((f) => s[f] ?? "")), u, mc };
}

/** The hash fragment (without "#") for a page state. */
export const encodeState = (state) => writeLink("s", VERSION, compact(state));

const isObject = (x) => typeof x === "object" && x !== null && !Array.isArray(x);

function text(value, where) {
  if (typeof value !== "string") throw new LinkError(`${where}: expected text`);
  if (value.length > MAX_TEXT) throw new LinkError(`${where}: longer than ${MAX_TEXT} characters`);
  return value;
}

/** Rows of `fields` (at least `fewest` of them: the rest read as ""). */
function rows(value, fields, where, fewest = fields.length) {
  if (!Array.isArray(value)) throw new LinkError(`${where}: expected a list`);
  if (value.length > MAX_ROWS) throw new LinkError(`${where}: more than ${MAX_ROWS} rows`);
  return value.map((row, i) => {
    if (!Array.isArray(row) || row.length < fewest || row.length > fields.length)
      throw new LinkError(`${where}[${i}]: expected ${fewest === fields.length ? fields.length : `${fewest} to ${fields.length}`} fields`);
    const out = {};
    fields.forEach((f, j) => {
      out[f] = j < row.length ? text(row[j], `${where}[${i}].${f}`) : "";
      if (ENUMS[f] && !ENUMS[f].includes(out[f])) throw new LinkError(`${where}[${i}].${f}: unknown value "${out[f]}"`);
    });
    return out;
  });
}

function keyed(value, keys, where) {
  if (!isObject(value)) throw new LinkError(`${where}: expected an object`);
  const out = {};
  for (const [short, v] of Object.entries(value)) {
    if (!(short in keys)) continue; // written by a later page: ignore what we do not know
    out[keys[short]] = text(v, `${where}.${short}`);
  }
  return out;
}

/**
 * Reads a hash fragment (with or without "#"). Resolves to `null` when it holds no state (empty, or
 * some other fragment), else `{ state }` or `{ error }` with a reason a person can read.
 */
export async function decodeState(hash) {
  try {
    const json = await readLink(hash, "s", VERSION);
    if (json === null) return null;
    if (!isObject(json)) throw new LinkError("expected an object");
    const mc = json.mc ?? {};
    return {
      state: {
        tab: json.t === undefined ? "calculator" : text(json.t, "t"),
        calculator: keyed(json.c ?? {}, CALC_KEYS, "c"),
        scenarios: json.s === undefined ? undefined : rows(json.s, SCENARIO_FIELDS, "s"),
        uncertainty: json.u === undefined ? undefined : keyed(json.u, UNCERTAINTY_KEYS, "u"),
        montecarlo: {
          ...keyed(Object.fromEntries(Object.entries(mc).filter(([k]) => k !== "g")), MC_KEYS, "mc"),
          segments: mc.g === undefined ? undefined : rows(mc.g, SEGMENT_FIELDS, "mc.g", SEGMENT_FIELDS_V1),
        },
      },
    };
  } catch (e) {
    return { error: e instanceof LinkError ? e.message : "the data is damaged" };
  }
}
