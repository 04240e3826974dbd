//! The JavaScript API through wasm-bindgen, run in Node and in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test wasm_version`, with `WASM_BINDGEN_USE_BROWSER=1` for
//! Chromium). The numbers themselves are tested natively; these tests check the contract: field names,
//! result shapes, and that bad input becomes a JS `Error` naming the field.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn reports_the_package_version() {
    assert_eq!(clvlab::wasm::version(), env!("CARGO_PKG_VERSION"));
}
