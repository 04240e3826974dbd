// A static file server for the demo page, with no dependencies: www/ at /, the built package at /pkg/
// and uPlot at /vendor/uplot/. `node scripts/serve.mjs [--port 8080]`; tests import `startServer`.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const demoMounts = [
  ["/pkg/", join(root, "pkg")],
  ["/vendor/uplot/", join(root, "node_modules/uplot/dist")],
  ["/", join(root, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

function filePath(urlPath, mounts) {
  const path = decodeURIComponent(urlPath.split("?")[0]);
  for (const [prefix, dir] of mounts) {
    if (path.startsWith(prefix)) {
      const rest = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, "");
      const file = join(dir, rest.endsWith("/") || rest === "." || rest === "" ? join(rest, "index.html") : rest);
      return file.startsWith(dir) ? file : null;
    }
  }
  return null;
}

/**
 * Starts the server; resolves to `{ server, url }` once it listens (port 0 picks a free port). `mounts`
 * (`[[urlPrefix, directory]]`, first match wins) replaces the demo's folders, e.g. to serve a scratch project.
 */
export function startServer({ port = 8080, host = "127.0.0.1", mounts = demoMounts } = {}) {
  const server = createServer(async (req, res) => {
    const file = filePath(req.url, mounts);
    try {
      if (!file) throw new Error("outside the served folders");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((done) =>
    server.listen(port, host, () => done({ server, url: `http://${host}:${server.address().port}/` })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const { url } = await startServer({ port });
  console.log(`clvlab demo: ${url} (Ctrl-C to stop)`);
}
