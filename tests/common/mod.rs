//! Shared by the test crates: each includes it with `mod common;` and uses what it needs, so items a
//! crate does not use are not dead code.
#![allow(dead_code)]

pub mod bgnbd;
pub mod precision;
pub mod survival;
