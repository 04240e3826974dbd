#!/usr/bin/env bash
# Installs what clvlab needs and is missing; safe to run again. `setup.sh build` installs what the
# build needs (wasm target, wasm-bindgen CLI, npm packages); `setup.sh` (or `setup.sh test`) also
# installs Debian's Chromium and ChromeDriver (the wasm-bindgen tests) and its headless shell (the
# Playwright tests) for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-test}
version=${WASM_BINDGEN_VERSION:-$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)}

say() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  say "installing wasm-bindgen-cli $version (matches Cargo.lock; takes a few minutes)"
  # Not --locked: the CLI's own lock file pins a webpki-roots release the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$version" --force
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

if [ "$what" = test ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v chromium-headless-shell >/dev/null; then
    say "installing Debian's chromium, chromium-driver and chromium-headless-shell"
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium chromium-driver chromium-headless-shell
  fi
fi
