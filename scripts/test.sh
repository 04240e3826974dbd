#!/usr/bin/env bash
# Runs every clvlab test, installing what is missing first: formatting and lints, the native Rust tests
# (reference values), the wasm-bindgen tests in Node and in headless Chromium, then the built package
# from Node and the page end to end in Chromium through Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh test

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native and wasm32) -D warnings"
cargo clippy --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --target-dir target/core -- -D warnings

step "native tests"
cargo test --release

wasm_tests() {
  for t in tests/wasm_*.rs tests/value_stability.rs; do
    cargo test --target wasm32-unknown-unknown --test "$(basename "$t" .rs)"
  done
}

step "wasm-bindgen tests in Node"
wasm_tests

step "wasm-bindgen tests in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver wasm_tests

step "build pkg/"
bash scripts/build.sh

step "package from Node, page end to end in Chromium's headless shell (Playwright)"
node --test --test-concurrency=1 tests/node/ tests/e2e/
