// The snippet builder's model (www/builder/snippet.js) in Node: the snippet's attributes (percentages as
// the fractions the components read, JSON in single quotes, entities where needed, the theme's rule),
// the checks on what was typed (each naming where and why), and settings read back from a link (other
// shapes refused with the reason, a later version's extra keys left out). The browser test
// (tests/e2e/builder.test.mjs) pastes a snippet into a blank page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptySettings, problems, attributes, snippet, settingsFromLink } from "../../www/builder/snippet.js";

/** Field specs in the components' format (components/common.js), written out here. */
const SPECS = {
  "clv-calculator": [
    { attr: "margin", key: "margin" },
    { attr: "retention", key: "retention", percent: true },
    { attr: "discount-rate", key: "discountRate", percent: true },
    { attr: "timing", key: "timing", choices: ["end", "start"] },
  ],
  "clv-scenarios": [{ attr: "margin", key: "margin" }],
  "clv-montecarlo": [{ attr: "runs", key: "runs" }],
  "clv-value-story": [
    { attr: "margin", key: "margin" },
    { attr: "churn", key: "churn", percent: true },
    { attr: "horizon", key: "horizon" },
  ],
};
const everything = () => true;

const story = () => ({
  ...emptySettings("https://cdn.example.com/clvlab/"),
  component: "clv-value-story",
  fields: { "clv-value-story": { margin: "150", churn: "7", horizon: "" } },
  hide: { "clv-value-story": ["horizon", "margin"] },
  extras: { "clv-value-story": { improvement: '{ "churn": {"from": -0.1, "to": -0.2} }', product: "Acme & Co" } },
  display: { currency: "EUR", locale: "de-DE", theme: "dark" },
  theme: { "--clv-accent": "#0f766e", "--clv-radius": " 8px " },
});

test("the snippet: script from the package, the theme's rule, the tag with fractions, JSON and the hidden fields in order", () => {
  assert.deepEqual(problems(story(), SPECS["clv-value-story"], everything), {});
  assert.equal(
    snippet(story(), SPECS["clv-value-story"]),
    [
      '<script type="module" src="https://cdn.example.com/clvlab/components/clv-value-story.js"></script>',
      "<style>",
      "  clv-value-story { --clv-accent: #0f766e; --clv-radius: 8px; }",
      "</style>",
      // 7 % is 0.07 (not 0.07000000000000001); blank fields are left to the component
      `<clv-value-story margin="150" churn="0.07" product="Acme &amp; Co" improvement='{"churn":{"from":-0.1,"to":-0.2}}' ` +
        `hide="margin horizon" currency="EUR" locale="de-DE" theme="dark"></clv-value-story>`,
    ].join("\n"),
  );
});

test("the snippet: no theme, no rule; a package URL without its slash; a boolean attribute; quotes of both kinds", () => {
  const settings = {
    ...emptySettings("https://example.com/static/clvlab"),
    fields: { "clv-calculator": { retention: "82", timing: "start" } },
    extras: { "clv-calculator": { readonly: "1" } },
    display: { heading: `Tom's "best" customers` },
  };
  assert.equal(
    snippet(settings, SPECS["clv-calculator"]),
    '<script type="module" src="https://example.com/static/clvlab/components/clv-calculator.js"></script>\n' +
      `<clv-calculator retention="0.82" timing="start" readonly heading="Tom's &quot;best&quot; customers"></clv-calculator>`,
  );
  assert.deepEqual(attributes({ ...settings, extras: {} }, SPECS["clv-calculator"]), [
    ["retention", "0.82"],
    ["timing", "start"],
    ["heading", `Tom's "best" customers`],
  ]);
});

test("each problem names where it was typed and why", () => {
  const settings = {
    ...emptySettings("javascript:alert(1)"),
    fields: { "clv-calculator": { margin: "12,5", timing: "later" } },
    display: { currency: "eur", locale: "not a locale!", "period-unit": "week" },
    theme: { "--clv-accent": "red; } body { display: none", "--clv-bg": "bluish" },
  };
  const supports = (property, value) => property === "color" && value === "red";
  assert.deepEqual(problems(settings, SPECS["clv-calculator"], supports), {
    "field:margin": "enter a number",
    "field:timing": "choose one of end, start",
    "display:currency": "a currency is three capital letters, e.g. EUR",
    "display:locale": '"not a locale!" is not a language tag such as de-DE',
    "display:period-unit": "choose one of month, quarter, year",
    "theme:--clv-accent": "not a CSS color",
    "theme:--clv-bg": "not a CSS color",
    packageUrl: "the package URL must start with https:// (or http://)",
  });
  // Whatever the browser's CSS parser makes of them, values that could end the rule, the style block
  // or open a comment are refused.
  for (const value of ["red; } body { display: none", "red</style><script>", "red /* the rest", "\\7d"]) {
    const found = problems({ ...story(), theme: { "--clv-accent": value } }, SPECS["clv-value-story"], everything);
    assert.equal(found["theme:--clv-accent"], "not a CSS color", value);
  }
  assert.equal(problems({ ...story(), packageUrl: " https://cdn.example.com/clvlab " }, SPECS["clv-value-story"], everything).packageUrl, undefined);
  assert.match(snippet({ ...story(), packageUrl: " https://cdn.example.com/clvlab " }, SPECS["clv-value-story"]), /^<script type="module" src="https:\/\/cdn\.example\.com\/clvlab\/components\/clv-value-story\.js">/);
  const json = { ...story(), extras: { "clv-value-story": { improvement: "{churn: -0.1}", runs: "1e3.5" } } };
  const found = problems(json, SPECS["clv-value-story"], everything);
  assert.match(found["extra:improvement"], /^not JSON \(/);
  assert.equal(found["extra:runs"], "enter a whole number");
  assert.equal(problems({ ...story(), display: { currency: "XYZ" } }, SPECS["clv-value-story"], everything)["display:currency"], "XYZ is not a currency this browser knows");
  assert.equal(problems({ ...story(), packageUrl: "cdn/clvlab" }, SPECS["clv-value-story"], everything).packageUrl, "not a URL: the address of the folder holding the clvlab package");
  assert.equal(problems({ ...story(), display: { heading: "x".repeat(4001) } }, SPECS["clv-value-story"], everything)["display:heading"], "longer than 4000 characters");
});

test("settings read back from a link: the same settings; a later version's keys left out; other shapes refused", () => {
  const settings = story();
  assert.deepEqual(settingsFromLink(JSON.parse(JSON.stringify(settings)), SPECS), settings);
  const later = {
    ...settings,
    futureKey: 1,
    fields: { "clv-value-story": { margin: "150", glow: "1" }, "clv-future": { x: "1" } },
    hide: { "clv-value-story": ["margin", "glow"] },
  };
  const read = settingsFromLink(later, SPECS);
  assert.deepEqual(read.fields, { "clv-value-story": { margin: "150" } });
  assert.deepEqual(read.hide, { "clv-value-story": ["margin"] });
  assert.equal("futureKey" in read, false);
  assert.throws(() => settingsFromLink([], SPECS), /^Error: expected an object$/);
  assert.throws(() => settingsFromLink({ ...settings, component: "clv-widget" }, SPECS), /component: no component "clv-widget"/);
  assert.throws(() => settingsFromLink({ ...settings, display: { currency: 3 } }, SPECS), /display\.currency: expected text/);
  assert.throws(() => settingsFromLink({ ...settings, hide: { "clv-value-story": "margin" } }, SPECS), /hide\.clv-value-story: expected a list/);
  assert.throws(() => settingsFromLink({ ...settings, theme: { "--clv-bg": "x".repeat(4001) } }, SPECS), /theme\.--clv-bg: longer than 4000 characters/);
});
