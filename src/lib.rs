//! clvlab: customer lifetime value modelling that runs in the browser.
//!
//! The domain modules are plain Rust and know nothing of WebAssembly or JavaScript; [`wasm`] is the one
//! module that exports them to JavaScript. Every input type has a `validate()` that returns an
//! [`error::InputError`] naming the offending field, so the numerical code below it can assume valid input.

pub mod clv;
pub mod data;
pub mod equity;
pub mod error;
mod hash;
pub mod input;
pub mod models;
pub mod montecarlo;
pub mod optim;
pub mod retention;
pub mod scenario;
pub mod segments;
pub mod sensitivity;
pub mod special;
pub mod value_story;
pub mod wasm;
#[cfg(test)]
mod wasm_types;
