// The npm package as a user gets it: `npm pack` of the built pkg/, installed from the tarball into a scratch
// project with no registry (--offline), then used by package name from Node (the core API) and from a page
// in headless Chromium (the <clv-calculator> component, whose imports the build rewrote for the package).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../e2e/browser.mjs";
import { startServer } from "../../scripts/serve.mjs";

const COMPONENTS = ["clv-calculator", "clv-scenarios", "clv-montecarlo", "clv-value-story"];
const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "../../pkg");
let scratch;
let installed;
let packed;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), "clvlab-pack-"));
  [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: pkg, encoding: "utf8" }),
  );
  const app = join(scratch, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(scratch, packed.filename)],
    { cwd: app, stdio: "pipe" },
  );
  installed = app;
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds the library, its types and the components", () => {
  const files = packed.files.map((f) => f.path);
  const components = COMPONENTS.map((tag) => `components/${tag}.js`);
  const libraries = ["clvlab", "clvlab_core"].flatMap((name) => [`${name}.js`, `${name}.d.ts`, `${name}_bg.wasm`]);
  for (const file of [...libraries, "package.json", ...components]) {
    assert.ok(files.includes(file), `${file} is packed (packed: ${files.join(", ")})`);
  }
});

test("Node: import by package name, initSync with the wasm found through import.meta.resolve", () => {
  writeFileSync(
    join(installed, "use.mjs"),
    `import { readFileSync } from "node:fs";
import { initSync, clv } from "clvlab";
initSync({ module: readFileSync(new URL(import.meta.resolve("clvlab/clvlab_bg.wasm"))) });
const components = ${JSON.stringify(COMPONENTS)}.map((tag) => new URL(import.meta.resolve(\`clvlab/components/\${tag}.js\`)).pathname);
console.log(JSON.stringify({ clv: clv({ margin: 100, retention: 0.8, discountRate: 0.1 }).clv, components }));
`,
  );
  const out = JSON.parse(execFileSync("node", ["use.mjs"], { cwd: installed, encoding: "utf8" }));
  // 100 × 0.8 / (1 + 0.1 − 0.8): the margin multiple of Gupta & Lehmann (2003), "Customers as assets"
  assert.ok(Math.abs(out.clv - 266.6667) < 5e-4, `clv ${out.clv}`);
  for (const file of out.components) assert.ok(existsSync(file), `${file}: the component's export resolves to a file`);
});

test("the packed components import only files inside the package", () => {
  const root = join(installed, "node_modules/clvlab");
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bnew URL\(\s*)["'](\.\.?\/[^"']+)["']/g;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(specifier)) {
      const target = resolve(dirname(file), spec);
      assert.ok(target.startsWith(root + "/") && existsSync(target), `${spec} from ${file} is in the package`);
      if (target.endsWith(".js")) visit(target);
    }
  };
  for (const tag of COMPONENTS) visit(join(root, `components/${tag}.js`));
  // The components load the core build (no fitting exports), not the whole library.
  assert.ok(
    [...seen].some((f) => f.endsWith("/clvlab_core.js")),
    "the component reaches the core library",
  );
  assert.ok(![...seen].some((f) => f.endsWith("/clvlab.js")), "the components do not load the whole library");
});

test("a page: the installed components render the textbook customer's CLV and a certain equity", async () => {
  writeFileSync(
    join(installed, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>scratch</title><link rel="icon" href="data:,">
<script type="module" src="/node_modules/clvlab/components/clv-calculator.js"></script>
<script type="module" src="/node_modules/clvlab/components/clv-scenarios.js"></script>
<script type="module" src="/node_modules/clvlab/components/clv-montecarlo.js"></script></head>
<body><clv-calculator margin="100" retention="0.8" discount-rate="0.1" currency="USD" locale="en-US"></clv-calculator>
<clv-scenarios margin="100" retention="0.8" discount-rate="0.1" currency="USD" locale="en-US"></clv-scenarios>
<clv-montecarlo customers="1000" margin="10" retention="1" discount-rate="0" horizon="12" runs="50" currency="USD" locale="en-US"></clv-montecarlo></body></html>`,
  );
  const { server, url } = await startServer({ port: 0, mounts: [["/", installed]] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    const shown = await page.waitForFunction(
      () =>
        document.querySelector("clv-calculator")?.shadowRoot?.querySelector(".results:not(.loading) .clv")?.textContent,
      null,
      { timeout: 10_000 },
    );
    // 100 × 0.8 / 0.3
    assert.equal(await shown.jsonValue(), "$266.67");
    const text = (tag, selector) =>
      page
        .waitForFunction(
          ([tag, selector]) =>
            document.querySelector(tag)?.shadowRoot?.querySelector(`.results:not(.loading) ${selector}`)?.textContent,
          [tag, selector],
          { timeout: 10_000 },
        )
        .then((handle) => handle.jsonValue());
    // The same base; churn 5 points lower: 100 × 0.85 / (1.1 − 0.85) = 340
    assert.equal(await text("clv-scenarios", ".clv"), "$266.67");
    assert.equal(await text("clv-scenarios", "tbody td.value"), "$340.00");
    // Customers who never leave, no discounting: 1,000 × $10 × 12 periods in every run
    assert.equal(await text("clv-montecarlo", ".clv"), "$120,000");
    assert.equal(await text("clv-montecarlo", ".p5"), "$120,000");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
