#!/usr/bin/env bash
# Builds pkg/: the release wasm, wasm-bindgen's `--target web` glue, wasm-opt, and package.json + README
# from pkg-config/. Prints the gzip size of the wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/clvlab.wasm
# --converge repeats -Oz until the module stops shrinking; the debug, producers and target-features
# sections are unused at run time. --low-memory-unused lets it fold constant offsets into loads and
# stores: rust-lld puts the 1 MiB stack first (__stack_pointer starts at 0x100000, data above it), so
# the first kilobyte is only reached by a stack overflow. --merge-similar-functions turns generic
# copies that differ only in constants into one function taking them as parameters.
node_modules/.bin/wasm-opt --low-memory-unused --merge-similar-functions -Oz --converge \
  --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/clvlab_bg.wasm -o pkg/clvlab_bg.wasm
node scripts/make-package.mjs
printf '[build] pkg/clvlab_bg.wasm: %s bytes, %s bytes gzipped; pkg/clvlab.js: %s bytes gzipped\n' \
  "$(wc -c < pkg/clvlab_bg.wasm)" "$(gzip -9 -c pkg/clvlab_bg.wasm | wc -c)" "$(gzip -9 -c pkg/clvlab.js | wc -c)"
