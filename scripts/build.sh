#!/usr/bin/env bash
# Builds pkg/: two release wasm modules with wasm-bindgen's `--target web` glue, each through wasm-opt,
# then package.json + README from pkg-config/ and the web components. `clvlab` is the whole library;
# `clvlab_core` is built without the `fitting` feature (no transaction logs, fits or predictions) for
# the web components, which value and simulate only, so an embedding page loads less. Prints the gzip
# sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf pkg

# bundle NAME TARGET_DIR PROFILE [cargo flags]: the wasm of one build, as pkg/NAME.js +
# pkg/NAME_bg.wasm.
bundle() {
  local name=$1 target=$2 profile=$3
  shift 3
  cargo build --profile "$profile" --lib --target wasm32-unknown-unknown --target-dir "$target" "$@"
  wasm-bindgen --target web --out-dir pkg --out-name "$name" "$target/wasm32-unknown-unknown/$profile/clvlab.wasm"
  # --converge repeats -Oz until the module stops shrinking; the debug, producers and target-features
  # sections are unused at run time. --low-memory-unused lets it fold constant offsets into loads and
  # stores: rust-lld puts the 1 MiB stack first (__stack_pointer starts at 0x100000, data above it), so
  # the first kilobyte is only reached by a stack overflow. --merge-similar-functions turns generic
  # copies that differ only in constants into one function taking them as parameters.
  node_modules/.bin/wasm-opt --low-memory-unused --merge-similar-functions -Oz --converge \
    --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-simd \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
  printf '[build] pkg/%s_bg.wasm: %s bytes, %s bytes gzipped; pkg/%s.js: %s bytes gzipped\n' \
    "$name" "$(wc -c < "pkg/${name}_bg.wasm")" "$(gzip -9 -c "pkg/${name}_bg.wasm" | wc -c)" \
    "$name" "$(gzip -9 -c "pkg/$name.js" | wc -c)"
}

# The full module at opt-level 3 with 128-bit SIMD (every browser since 2023: Chrome 91, Firefox 89,
# Safari 16.4), which the loops over parameter draws use: `predictIntervals` on the full CDNOW log
# about 20 % faster than without. The core module stays at opt-level "z" without SIMD.
simd=(--config "target.wasm32-unknown-unknown.rustflags=['-C', 'target-feature=+simd128']")
bundle clvlab target wasm-fast "${simd[@]}"
bundle clvlab_core target/core release --no-default-features
node scripts/make-package.mjs
