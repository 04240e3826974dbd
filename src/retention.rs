//! Retention: the chance that a customer active in one period is still a customer in the next.
//!
//! Two models, chosen by the shape of the JS value:
//! - a number `r`: constant retention, the same for every customer and period, so the survival curve is
//!   `S(t) = r^t`;
//! - `{ alpha, beta }`: the shifted-beta-geometric (sBG) model of Fader & Hardie (2007), "How to project
//!   customer retention", *Journal of Interactive Marketing* 21(1). Each customer churns at the end of
//!   a period with a probability θ that stays fixed for them, and θ ~ Beta(α, β) across customers, so
//!   `S(t) = B(α, β + t) / B(α, β)` and the retention rate rises with tenure:
//!   `r(t) = S(t) / S(t−1) = (β + t − 1) / (α + β + t − 1)`.
//!
//! Conventions: `t` counts periods since acquisition; `S(0) = 1`; a customer who has renewed `k` times is
//! alive at `t = k`, and their conditional survival is `S(k + t) / S(k)`, the product of the retention
//! rates of periods `k + 1 … k + t` (computed that way, as a running product, which is exact and stable).

use serde::{Deserialize, Serialize};

use crate::error::{self, InputError};

/// How customers are retained from one period to the next.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Retention {
    /// Constant retention probability per period, in [0, 1].
    Constant(f64),
    /// Shifted-beta-geometric heterogeneity: churn probability θ ~ Beta(alpha, beta).
    ShiftedBetaGeometric { alpha: f64, beta: f64 },
}

/// The sBG parameters as written: `{ alpha, beta }` and nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SbgParams {
    alpha: f64,
    beta: f64,
}

impl<'de> Deserialize<'de> for Retention {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::input::number_or(
            deserializer,
            "a retention probability (a number from 0 to 1) or the shifted-beta-geometric { alpha, beta }",
            Retention::Constant,
            |SbgParams { alpha, beta }| Retention::ShiftedBetaGeometric { alpha, beta },
        )
    }
}

impl Retention {
    /// Checks the parameters; `field` is the name to report (e.g. `segments[0].retention`).
    pub fn validate(&self, field: &str) -> Result<(), InputError> {
        match *self {
            Retention::Constant(r) => error::probability(field, r).map(|_| ()),
            Retention::ShiftedBetaGeometric { alpha, beta } => {
                error::positive(&format!("{field}.alpha"), alpha)?;
                error::positive(&format!("{field}.beta"), beta)?;
                Ok(())
            }
        }
    }

    /// The retention rate of period `t ≥ 1`: P(alive at t | alive at t − 1).
    pub fn rate(&self, t: u32) -> f64 {
        match *self {
            Retention::Constant(r) => r,
            Retention::ShiftedBetaGeometric { alpha, beta } => {
                let tenure = f64::from(t) - 1.0;
                (beta + tenure) / (alpha + beta + tenure)
            }
        }
    }

    /// The survival curve of a customer who has renewed `renewals` times: `S(k + t) / S(k)` for
    /// `t = 0, 1, 2, …` (the first item is 1). Endless; take what you need.
    pub fn survival_from(&self, renewals: u32) -> impl Iterator<Item = f64> + '_ {
        let mut survival = 1.0;
        (renewals..).map(move |t| {
            let current = survival;
            survival *= self.rate(t + 1);
            current
        })
    }

    /// The survival curve of a new customer, `S(t)` for `t = 0, 1, 2, …`.
    pub fn survival(&self) -> impl Iterator<Item = f64> + '_ {
        self.survival_from(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_survival_is_a_power() {
        let s: Vec<f64> = Retention::Constant(0.8).survival().take(4).collect();
        assert_eq!(s, vec![1.0, 0.8, 0.8 * 0.8, 0.8 * 0.8 * 0.8]);
    }

    #[test]
    fn sbg_survival_follows_the_closed_form() {
        // Fader & Hardie (2007), eq. (7): S(1) = β/(α+β), S(2) = S(1)(β+1)/(α+β+1).
        let sbg = Retention::ShiftedBetaGeometric {
            alpha: 0.704,
            beta: 1.182,
        };
        let s: Vec<f64> = sbg.survival().take(3).collect();
        let s1 = 1.182 / (0.704 + 1.182);
        let s2 = s1 * 2.182 / (0.704 + 2.182);
        assert_eq!(s[0], 1.0);
        assert!((s[1] - s1).abs() < 1e-15);
        assert!((s[2] - s2).abs() < 1e-15);
    }

    #[test]
    fn conditional_survival_starts_after_renewals() {
        let sbg = Retention::ShiftedBetaGeometric {
            alpha: 0.668,
            beta: 3.806,
        };
        let full: Vec<f64> = sbg.survival().take(10).collect();
        let after: Vec<f64> = sbg.survival_from(7).take(3).collect();
        for (t, s) in after.iter().enumerate() {
            assert!((s - full[7 + t] / full[7]).abs() < 1e-14);
        }
    }

    #[test]
    fn validation_names_the_parameter() {
        let bad = Retention::ShiftedBetaGeometric {
            alpha: 0.0,
            beta: 1.0,
        };
        let e = bad.validate("retention").unwrap_err().to_string();
        assert!(e.starts_with("retention.alpha:"), "{e}");
        assert!(Retention::Constant(f64::NAN).validate("retention").is_err());
        assert!(Retention::Constant(1.01).validate("retention").is_err());
    }

    #[test]
    fn reads_a_number_or_alpha_beta() {
        let r: Retention = serde_json::from_str("0.8").unwrap();
        assert_eq!(r, Retention::Constant(0.8));
        let r: Retention = serde_json::from_str(r#"{"alpha":0.7,"beta":1.2}"#).unwrap();
        assert_eq!(
            r,
            Retention::ShiftedBetaGeometric {
                alpha: 0.7,
                beta: 1.2
            }
        );
        let e = serde_json::from_str::<Retention>(r#""high""#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("shifted-beta-geometric"), "{e}");
    }
}
