// Writes pkg/package.json and pkg/README.md from pkg-config/, taking the version from Cargo.toml.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";

const cargo = readFileSync("Cargo.toml", "utf8");
const version = cargo.match(/^version\s*=\s*"([^"]+)"/m)[1];
const manifest = JSON.parse(readFileSync("pkg-config/package.json", "utf8"));
manifest.version = version;
writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
copyFileSync("pkg-config/README.md", "pkg/README.md");
