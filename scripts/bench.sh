#!/usr/bin/env bash
# Runs clvlab's benchmarks; each prints its timings and its ratio against a baseline measured in the
# same run. Builds pkg/ first (release wasm) unless SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  bash scripts/build.sh
fi

# ---- montecarlo ----
node scripts/bench-montecarlo.mjs
