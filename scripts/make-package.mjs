// Writes pkg/package.json and pkg/README.md from pkg-config/, taking the version from Cargo.toml, and builds
// the web components into pkg/components/: each element of www/components/ (clv-*.js) is an entry point
// that esbuild bundles and minifies with the www modules it imports, the code they share split into one
// chunk (so the library is still loaded once per page), which leaves a page two module requests deep
// instead of four. In www/ the components reach the library at ../pkg/ (the demo server mounts pkg/ at
// /pkg/); in the package the library is the package root, so those references are rewritten. The
// elements' declaration files (*.d.ts) are copied beside them. Every written file must be listed in
// pkg-config/package.json `files`, or the build fails.
import { readFileSync, writeFileSync, copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const cargo = readFileSync("Cargo.toml", "utf8");
const version = cargo.match(/^version\s*=\s*"([^"]+)"/m)[1];
const manifest = JSON.parse(readFileSync("pkg-config/package.json", "utf8"));
manifest.version = version;
writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
copyFileSync("pkg-config/README.md", "pkg/README.md");

/** The library's files as www/components/ names them, and as the package does. */
const LIBRARY = /(["'])\.\.\/pkg\/(clvlab(?:_core)?\.js|clvlab(?:_core)?_bg\.wasm)\1/g;
const toPackage = (text) => text.replace(LIBRARY, (_, quote, file) => `${quote}../${file}${quote}`);

/** Points the components' library references at the package root and keeps the library out of the bundle. */
const libraryAtRoot = {
  name: "library-at-package-root",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/clvlab(_core)?\.js$/ }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /www\/components\/.*\.js$/ }, (args) => ({
      contents: toPackage(readFileSync(args.path, "utf8")),
      loader: "js",
    }));
  },
};

const sources = readdirSync("www/components");
rmSync("pkg/components", { recursive: true, force: true });
const result = await build({
  entryPoints: sources.filter((f) => /^clv-.*\.js$/.test(f)).map((f) => `www/components/${f}`),
  outdir: "pkg/components",
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: "es2022",
  chunkNames: "shared-[hash]",
  plugins: [libraryAtRoot],
  metafile: true,
  logLevel: "warning",
});
mkdirSync("pkg/components", { recursive: true });
const declarations = sources.filter((f) => f.endsWith(".d.ts"));
for (const name of declarations) {
  writeFileSync(`pkg/components/${name}`, toPackage(readFileSync(`www/components/${name}`, "utf8")));
}

const modules = Object.keys(result.metafile.outputs).map((path) => path.replace(/^pkg\//, ""));
const written = [...modules, ...declarations.map((name) => `components/${name}`)];
const listed = (path) => manifest.files.some((f) => f === path || (f.endsWith("/") && path.startsWith(f)));
const missing = written.filter((path) => !listed(path));
if (missing.length) {
  console.error(`[package] not in pkg-config/package.json "files": ${missing.join(", ")}`);
  process.exit(1);
}
const gzipped = modules.reduce((sum, path) => sum + gzipSync(readFileSync(`pkg/${path}`), { level: 9 }).length, 0);
console.log(`[package] components: ${modules.join(", ")}: ${gzipped} bytes gzipped (one file at a time)`);
