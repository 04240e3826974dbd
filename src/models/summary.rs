//! Customer summaries (frequency, recency, T, weights) and their validation, with the documented
//! limits.

use serde::{Deserialize, Serialize};

use crate::error::{self, InputError};

/// Customers summarised by frequency, recency and age, as the repeat-buying models take them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "CustomerColumns"))]
pub struct Summary {
    /// Repeat purchases x.
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub frequency: Vec<f64>,
    /// Time of the last purchase since the first, t_x.
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub recency: Vec<f64>,
    /// Time since the first purchase, T.
    #[serde(rename = "T")]
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub t: Vec<f64>,
    /// How many customers each row stands for (default 1).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<crate::wasm_types::Numbers>", optional = nullable))]
    pub weights: Option<Vec<f64>>,
}

impl Summary {
    /// Checks lengths and every value, naming the field and index of the first bad one.
    pub fn validate(&self) -> Result<(), InputError> {
        let n = self.frequency.len();
        if n == 0 {
            return Err(InputError::invalid("frequency", "must not be empty"));
        }
        same_length("recency", &self.recency, n)?;
        same_length("T", &self.t, n)?;
        if let Some(w) = &self.weights {
            same_length("weights", w, n)?;
            for (i, &v) in w.iter().enumerate() {
                if !plain_non_negative(v) {
                    error::non_negative(&format!("weights[{i}]"), v)?;
                }
            }
        }
        for i in 0..n {
            // The checks below name the field, which costs a string per value: skip them for the
            // (usual) row that passes them all.
            let (x, t_x, t) = (self.frequency[i], self.recency[i], self.t[i]);
            if plain_frequency(x)
                && plain_non_negative(t_x)
                && t.is_finite()
                && t > 0.0
                && t_x <= t
                && (x > 0.0 || t_x == 0.0)
            {
                continue;
            }
            let x = frequency(&format!("frequency[{i}]"), self.frequency[i])?;
            let t_x = error::non_negative(&format!("recency[{i}]"), self.recency[i])?;
            let t = error::positive(&format!("T[{i}]"), self.t[i])?;
            if t_x > t {
                return Err(InputError::invalid(
                    format!("recency[{i}]"),
                    format!("must not exceed T (got {t_x} > {t})"),
                ));
            }
            if x == 0.0 && t_x != 0.0 {
                return Err(InputError::invalid(
                    format!("recency[{i}]"),
                    format!("must be 0 when frequency is 0 (got {t_x})"),
                ));
            }
        }
        Ok(())
    }

    /// [`Summary::validate`], and at least one repeat purchase: without any the likelihood of every
    /// repeat-buying model is flat (purchase rates run to 0), so there is nothing to fit.
    pub fn validate_for_fit(&self) -> Result<(), InputError> {
        self.validate()?;
        let repeat = (0..self.frequency.len())
            .any(|i| self.frequency[i] > 0.0 && self.weights.as_ref().is_none_or(|w| w[i] > 0.0));
        if repeat {
            Ok(())
        } else {
            Err(InputError::invalid(
                "frequency",
                "no customer has a repeat purchase, so purchase rates cannot be estimated (the likelihood is flat)",
            ))
        }
    }
}

/// Whether `value` passes [`error::non_negative`] (without naming a field).
fn plain_non_negative(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

/// Largest repeat-purchase count (`frequency`) accepted. The likelihoods add terms such as
/// ln Γ(r + x) ≈ x ln x, which must stay exact to well within the optimiser's tolerance (1e-7
/// relative): at x = 10⁶ that term is 1.3·10⁷ with a rounding of 2·10⁻⁹, while at 10¹⁵ it is
/// 3·10¹⁶ with a rounding of 4, and the likelihood no longer moves with the parameters.
pub const MAX_FREQUENCY: u32 = 1_000_000;

/// Whether `value` passes [`frequency`] (without naming a field).
pub(crate) fn plain_frequency(value: f64) -> bool {
    plain_non_negative(value) && value.fract() == 0.0 && value <= f64::from(MAX_FREQUENCY)
}

/// `value` if it is a whole number of repeat purchases from 0 to [`MAX_FREQUENCY`].
pub(crate) fn frequency(field: &str, value: f64) -> Result<f64, InputError> {
    error::whole_non_negative(field, value, MAX_FREQUENCY).map(f64::from)
}

/// Errors naming `field` unless `values` has `n` entries.
pub(crate) fn same_length(field: &str, values: &[f64], n: usize) -> Result<(), InputError> {
    if values.len() == n {
        Ok(())
    } else {
        Err(InputError::invalid(
            field,
            format!(
                "must have as many entries as frequency ({n}, got {})",
                values.len()
            ),
        ))
    }
}
