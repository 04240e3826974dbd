# clvlab: `make demo` serves the demo page, `make test` runs every test. Both install what is missing.
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := 0.2.130
PORT ?= 8080
export WASM_BINDGEN_VERSION

.PHONY: demo test setup build serve bench clean

demo: build
	node scripts/serve.mjs --port $(PORT)

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

build:
	bash scripts/setup.sh build
	bash scripts/build.sh

serve:
	node scripts/serve.mjs --port $(PORT)

bench: build
	bash benches/run.sh

clean:
	rm -rf pkg target node_modules test-results
