#!/usr/bin/env bash
# Runs clvlab's benchmarks against the built package (`make bench` builds pkg/ first); each prints its
# timings and its ratio against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f pkg/clvlab_bg.wasm ]; then
  echo "[bench] pkg/ is not built: run 'make bench' (or 'make build' first)" >&2
  exit 1
fi

# ---- montecarlo ----
node benches/montecarlo.mjs
node benches/montecarlo-page.mjs

# ---- data ----
bash benches/fit.sh

# ---- fit tab ----
node benches/fit-page.mjs
