//! Input validation shared by every model.
//!
//! Every error names the offending field as JavaScript spells it (camelCase, with a path such as
//! `segments[1].retention.alpha`) and says why the value is refused. The helpers take the field name and
//! the value and return the value when it is acceptable, so a `validate()` reads as a list of checks.
//! Comparisons are written `!(x > 0.0)` style so that NaN always fails.

use thiserror::Error;

/// Why an input was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InputError {
    /// NaN or ±Infinity where a finite number belongs.
    #[error("{field}: must be a finite number (got {value})")]
    NotFinite { field: String, value: f64 },
    /// A finite number outside the field's range.
    #[error("{field}: must be {expected} (got {value})")]
    OutOfRange {
        field: String,
        value: f64,
        expected: &'static str,
    },
    /// Any other reason, spelled out.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
}

impl InputError {
    /// An error for `field` with a free-form reason.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        InputError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The same error about the field under `path` (`retention` → `segments[1].retention`).
    pub fn within(self, path: &str) -> Self {
        let join = |field: String| {
            if field.is_empty() {
                path.to_owned()
            } else {
                format!("{path}.{field}")
            }
        };
        match self {
            InputError::NotFinite { field, value } => InputError::NotFinite {
                field: join(field),
                value,
            },
            InputError::OutOfRange {
                field,
                value,
                expected,
            } => InputError::OutOfRange {
                field: join(field),
                value,
                expected,
            },
            InputError::Invalid { field, reason } => InputError::Invalid {
                field: join(field),
                reason,
            },
        }
    }

    fn out_of_range(field: &str, value: f64, expected: &'static str) -> Self {
        InputError::OutOfRange {
            field: field.to_owned(),
            value,
            expected,
        }
    }
}

/// `value` if it is finite.
pub fn finite(field: &str, value: f64) -> Result<f64, InputError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(InputError::NotFinite {
            field: field.to_owned(),
            value,
        })
    }
}

/// The largest amount of money an input may hold, in size (a margin, a cost, a mean margin): large
/// enough for any business, small enough that sums over a billion customers and ten thousand
/// periods stay finite.
pub const MAX_AMOUNT: f64 = 1e12;

/// `value` if it is finite and at most [`MAX_AMOUNT`] in size.
pub fn amount(field: &str, value: f64) -> Result<f64, InputError> {
    finite(field, value)?;
    if value.abs() > MAX_AMOUNT {
        return Err(InputError::invalid(
            field,
            format!("must be from −{MAX_AMOUNT:e} to {MAX_AMOUNT:e} (got {value})"),
        ));
    }
    Ok(value)
}

/// `value` if it is a probability in [0, 1].
pub fn probability(field: &str, value: f64) -> Result<f64, InputError> {
    finite(field, value)?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(InputError::out_of_range(field, value, "between 0 and 1"))
    }
}

/// `value` if it is finite and strictly positive.
pub fn positive(field: &str, value: f64) -> Result<f64, InputError> {
    finite(field, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(InputError::out_of_range(field, value, "greater than 0"))
    }
}

/// `value` if it is finite and not negative.
pub fn non_negative(field: &str, value: f64) -> Result<f64, InputError> {
    finite(field, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(InputError::out_of_range(field, value, "0 or more"))
    }
}

/// `value` if it is a finite rate above -1 (a discount or growth rate per period).
pub fn rate(field: &str, value: f64) -> Result<f64, InputError> {
    finite(field, value)?;
    if value > -1.0 {
        Ok(value)
    } else {
        Err(InputError::out_of_range(field, value, "greater than -1"))
    }
}

/// `value` as a count if it is a whole number in `1..=max`.
pub fn whole_positive(field: &str, value: f64, max: u32) -> Result<u32, InputError> {
    whole_in_range(field, value, 1, max)
}

/// `value` as a count if it is a whole number in `0..=max`.
pub fn whole_non_negative(field: &str, value: f64, max: u32) -> Result<u32, InputError> {
    whole_in_range(field, value, 0, max)
}

fn whole_in_range(field: &str, value: f64, min: u32, max: u32) -> Result<u32, InputError> {
    finite(field, value)?;
    if value.fract() != 0.0 || value < f64::from(min) || value > f64::from(max) {
        return Err(InputError::invalid(
            field,
            format!("must be a whole number from {min} to {max} (got {value})"),
        ));
    }
    // Exact: value is a whole number within u32 range.
    Ok(value as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_fails_every_check() {
        assert!(finite("x", f64::NAN).is_err());
        assert!(probability("x", f64::NAN).is_err());
        assert!(positive("x", f64::NAN).is_err());
        assert!(rate("x", f64::NAN).is_err());
        assert!(whole_positive("x", f64::NAN, 10).is_err());
    }

    #[test]
    fn messages_name_the_field() {
        let e = probability("segments[1].retention", 1.2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "segments[1].retention: must be between 0 and 1 (got 1.2)"
        );
        let e = whole_positive("horizon", 2.5, 100).unwrap_err();
        assert!(e.to_string().starts_with("horizon: must be a whole number"));
    }

    #[test]
    fn ranges() {
        assert_eq!(rate("d", -0.5), Ok(-0.5));
        assert!(rate("d", -1.0).is_err());
        assert_eq!(whole_positive("h", 3.0, 10), Ok(3));
        assert!(whole_positive("h", 0.0, 10).is_err());
        assert_eq!(whole_non_negative("k", 0.0, 10), Ok(0));
        assert!(whole_positive("h", 11.0, 10).is_err());
    }
}
