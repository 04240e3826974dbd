// Writes pkg/package.json and pkg/README.md from pkg-config/, taking the version from Cargo.toml, and copies
// the web components (www/components/, with their declarations) into pkg/components/ with the www modules
// they import, keeping their layout relative to www/. In www/ the components reach the library at ../pkg/
// (the demo server mounts pkg/ at /pkg/); in the package the library is the package root, so those imports
// are rewritten. Every copied file must be listed in pkg-config/package.json `files`, or the build fails.
import { readFileSync, writeFileSync, copyFileSync, mkdirSync, readdirSync, existsSync } from "node:fs";
import { posix } from "node:path";
import { gzipSync } from "node:zlib";

const cargo = readFileSync("Cargo.toml", "utf8");
const version = cargo.match(/^version\s*=\s*"([^"]+)"/m)[1];
const manifest = JSON.parse(readFileSync("pkg-config/package.json", "utf8"));
manifest.version = version;
writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
copyFileSync("pkg-config/README.md", "pkg/README.md");

/** Relative module specifiers: static and dynamic imports, and `new URL("…", import.meta.url)`. */
const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|\bnew URL\(\s*)(["'])(\.\.?\/[^"']+)\2/g;

/**
 * Copies www/`path` (relative to www/) to pkg/`path`, and recursively what it imports. The elements'
 * declaration files (*.d.ts) come along; an import of `x.js` that only exists as `x.d.ts` copies that.
 */
function copyModule(path, copied) {
  if (copied.has(path)) return;
  copied.add(path);
  const dir = posix.dirname(path);
  const source = readFileSync(`www/${path}`, "utf8").replace(SPECIFIER, (match, head, quote, specifier) => {
    const target = posix.join(dir, specifier);
    if (target.startsWith("pkg/")) {
      const relative = posix.relative(dir, target.slice("pkg/".length));
      return `${head}${quote}${relative.startsWith(".") ? relative : `./${relative}`}${quote}`;
    }
    copyModule(existsSync(`www/${target}`) ? target : target.replace(/\.js$/, ".d.ts"), copied);
    return match;
  });
  mkdirSync(posix.dirname(`pkg/${path}`), { recursive: true });
  writeFileSync(`pkg/${path}`, source);
}

const copied = new Set();
for (const name of readdirSync("www/components").filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))) {
  copyModule(`components/${name}`, copied);
}
const listed = (path) => manifest.files.some((f) => f === path || (f.endsWith("/") && path.startsWith(f)));
const missing = [...copied].filter((path) => !listed(path));
if (missing.length) {
  console.error(`[package] not in pkg-config/package.json "files": ${missing.join(", ")}`);
  process.exit(1);
}
const modules = [...copied].filter((path) => path.endsWith(".js"));
const gzipped = modules.reduce((sum, path) => sum + gzipSync(readFileSync(`pkg/${path}`), { level: 9 }).length, 0);
console.log(`[package] components: ${modules.join(", ")}: ${gzipped} bytes gzipped (one file at a time)`);
