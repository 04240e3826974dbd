//! The shared asserts of `tests/common/precision.rs` fail when they should: a check that cannot fail
//! is a defect.

mod common;

use common::precision::{assert_abs, assert_rel, Abs, Rel, CLOSED_FORM, PUBLISHED_3DP};

#[test]
fn within_the_tolerance_passes() {
    assert_rel("rel", 1.0 + 0.5e-12, 1.0, CLOSED_FORM);
    assert_abs("abs", 0.2434, 0.243, PUBLISHED_3DP);
    assert_abs("exact zero", 0.0, 0.0, Abs(0.0));
}

#[test]
#[should_panic(expected = "x: got 1.000000000002, want 1: relative error")]
fn beyond_a_relative_tolerance_fails_and_names_the_check() {
    assert_rel("x", 1.000000000002, 1.0, CLOSED_FORM);
}

#[test]
#[should_panic(expected = "absolute error")]
fn beyond_an_absolute_tolerance_fails() {
    assert_abs("r", 0.2436, 0.243, PUBLISHED_3DP);
}

#[test]
#[should_panic(expected = "relative error")]
fn nan_fails_a_relative_check() {
    assert_rel("nan", f64::NAN, 1.0, Rel(0.5));
}

#[test]
#[should_panic(expected = "absolute error")]
fn nan_fails_an_absolute_check() {
    assert_abs("nan", f64::NAN, 1.0, Abs(1.0));
}

#[test]
#[should_panic(expected = "relative error")]
fn a_relative_check_against_zero_asks_for_zero() {
    assert_rel("zero", 1e-300, 0.0, Rel(0.5));
}

#[test]
#[should_panic(expected = "cannot fail")]
fn a_relative_tolerance_of_one_or_more_is_refused() {
    assert_rel("wide", 1.0, 1.0, Rel(1.0));
}

#[test]
#[should_panic(expected = "is not a bound")]
fn an_infinite_absolute_tolerance_is_refused() {
    assert_abs("wide", 1.0, 1.0, Abs(f64::INFINITY));
}
