#!/usr/bin/env bash
# Speed of the summary and the fits against Python lifetimes, measured in the same run (called by
# benches/run.sh on a built pkg/). Installs lifetimes and its pinned dependencies into
# target/bench-venv (Python 3.11; lifetimes 0.11.3 needs numpy < 2 and pandas < 3), times it on the
# CDNOW master file it ships (benches/lifetimes_baseline.py), then times the wasm package on the same data
# and prints the ratios (benches/fit.mjs). BENCH_QUICK=1 leaves out lifetimes' Pareto/NBD fit
# (about 10 s). The native summary speed: `CDNOW_MASTER=... cargo bench --bench data_summary`; the
# native fits and predictions (BG/NBD, MBG/NBD, Pareto/NBD): `CDNOW_MASTER=... cargo bench --bench models`
# (CDNOW_master.txt is in target/bench-venv/lib/python3.11/site-packages/lifetimes/datasets/ once this
# script has run).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[bench] %s\n' "$*"; }

venv=target/bench-venv
python=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
  say "installing lifetimes into $venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet -r benches/requirements.txt
fi

mkdir -p target/bench-data
synthetic=target/bench-data/synthetic_1e6.csv
quick=()
[ "${BENCH_QUICK:-0}" = 1 ] && quick=(--quick)
say "timing lifetimes (benches/lifetimes_baseline.py)"
"$venv/bin/python" benches/lifetimes_baseline.py --synthetic "$synthetic" "${quick[@]}" > target/bench-data/lifetimes.json
say "timing clvlab (benches/fit.mjs)"
node benches/fit.mjs target/bench-data/lifetimes.json "$synthetic"
