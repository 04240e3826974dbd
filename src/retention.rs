//! Retention: the chance that a customer active in one period is still a customer in the next.
//!
//! Two models, chosen by the shape of the JS value:
//! - a number `r`: constant retention, the same for every customer and period, so the survival curve is
//!   `S(t) = r^t`;
//! - `{ alpha, beta }`: the shifted-beta-geometric (sBG) model of Fader & Hardie (2007), "How to project
//!   customer retention", *Journal of Interactive Marketing* 21(1). Each customer churns at the end of
//!   a period with a probability θ that stays fixed for them, and θ ~ Beta(α, β) across customers, so
//!   `S(t) = B(α, β + t) / B(α, β)` and the retention rate rises with tenure:
//!   `r(t) = S(t) / S(t−1) = (β + t − 1) / (α + β + t − 1)`;
//! - `{ gamma, delta, c }`: the beta-discrete-Weibull (BdW) of Fader, Hardie, Liu, Davin & Steenburgh
//!   (2018), "'How to project customer retention' revisited: the role of duration dependence",
//!   *Journal of Interactive Marketing* 43: the churn propensity θ ~ Beta(γ, δ) acts on tenure through
//!   c, so `S(t) = B(γ, δ + t^c) / B(γ, δ)` and `r(t) = S(t)/S(t − 1)` may fall before it rises; c = 1
//!   is the sBG, and the first period's churn is E(θ) = γ/(γ + δ) in both.
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
    /// Beta-discrete-Weibull: θ ~ Beta(gamma, delta), duration dependence c (at most 10).
    BetaDiscreteWeibull { gamma: f64, delta: f64, c: f64 },
}

/// The largest duration dependence c accepted: beyond it, a customer's survival (1 − θ)^(t^c) falls
/// to nothing within a few periods for any θ.
pub const MAX_DURATION_DEPENDENCE: f64 = 10.0;

/// The parameters as written: `{ alpha, beta }` or `{ gamma, delta, c }`, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    alpha: Option<f64>,
    beta: Option<f64>,
    gamma: Option<f64>,
    delta: Option<f64>,
    c: Option<f64>,
}

impl Params {
    fn retention(self) -> Result<Retention, String> {
        let missing = |names: &[(&str, Option<f64>)]| {
            names
                .iter()
                .find(|(_, v)| v.is_none())
                .map(|(name, _)| format!("missing field `{name}`"))
        };
        match self {
            Params {
                alpha,
                beta,
                gamma: None,
                delta: None,
                c: None,
            } => match (alpha, beta) {
                (Some(alpha), Some(beta)) => Ok(Retention::ShiftedBetaGeometric { alpha, beta }),
                _ => Err(missing(&[("alpha", alpha), ("beta", beta)]).unwrap_or_default()),
            },
            Params {
                alpha: None,
                beta: None,
                gamma,
                delta,
                c,
            } => match (gamma, delta, c) {
                (Some(gamma), Some(delta), Some(c)) => {
                    Ok(Retention::BetaDiscreteWeibull { gamma, delta, c })
                }
                _ => Err(missing(&[("gamma", gamma), ("delta", delta), ("c", c)])
                    .unwrap_or_default()),
            },
            _ => Err(
                "give { alpha, beta } (sBG) or { gamma, delta, c } (beta-discrete-Weibull), not a mix"
                    .to_owned(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Retention {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::input::number_or(
            deserializer,
            "a retention probability (a number from 0 to 1), the shifted-beta-geometric { alpha, beta } \
             or the beta-discrete-Weibull { gamma, delta, c }",
            Retention::Constant,
            Params::retention,
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
            Retention::BetaDiscreteWeibull { gamma, delta, c } => {
                error::positive(&format!("{field}.gamma"), gamma)?;
                error::positive(&format!("{field}.delta"), delta)?;
                if error::positive(&format!("{field}.c"), c)? > MAX_DURATION_DEPENDENCE {
                    return Err(InputError::invalid(
                        format!("{field}.c"),
                        format!("must be at most {MAX_DURATION_DEPENDENCE} (got {c})"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// The first period's churn probability: 1 − r, or E(θ) = α/(α + β) (γ/(γ + δ)).
    pub fn first_churn(&self) -> f64 {
        1.0 - self.rate(1)
    }

    /// The same kind of retention with first-period churn `churn` (in (0, 1) for sBG and BdW): a
    /// constant 1 − churn, or the Beta's mean moved with α + β (γ + δ) and c kept.
    pub fn with_first_churn(&self, churn: f64) -> Retention {
        match *self {
            Retention::Constant(_) => Retention::Constant(1.0 - churn),
            Retention::ShiftedBetaGeometric { alpha, beta } => Retention::ShiftedBetaGeometric {
                alpha: (alpha + beta) * churn,
                beta: (alpha + beta) * (1.0 - churn),
            },
            Retention::BetaDiscreteWeibull { gamma, delta, c } => Retention::BetaDiscreteWeibull {
                gamma: (gamma + delta) * churn,
                delta: (gamma + delta) * (1.0 - churn),
                c,
            },
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
            Retention::BetaDiscreteWeibull { gamma, delta, c } => {
                crate::models::bdw::Bdw { gamma, delta, c }.rate(t)
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

    #[test]
    fn reads_gamma_delta_c_and_refuses_a_mix_or_a_part() {
        let read = |json: &str| serde_json::from_str::<Retention>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"gamma": 0.7, "delta": 1.2, "c": 1.3}"#),
            Ok(Retention::BetaDiscreteWeibull {
                gamma: 0.7,
                delta: 1.2,
                c: 1.3
            })
        );
        let e = read(r#"{"gamma": 0.7, "delta": 1.2}"#).unwrap_err();
        assert!(e.starts_with("missing field `c`"), "{e}");
        let e = read(r#"{"alpha": 0.7, "delta": 1.2, "c": 1}"#).unwrap_err();
        assert!(
            e.starts_with("give { alpha, beta } (sBG) or { gamma, delta, c }"),
            "{e}"
        );
        let e = read(r#"{"gamma": 0.7, "delta": 1.2, "k": 1}"#).unwrap_err();
        assert!(e.starts_with("unknown field `k`"), "{e}");
        let bdw = |c: f64| Retention::BetaDiscreteWeibull {
            gamma: 0.7,
            delta: 1.2,
            c,
        };
        let e = bdw(11.0).validate("retention").unwrap_err().to_string();
        assert!(e.starts_with("retention.c: must be at most 10"), "{e}");
        assert!(bdw(0.0).validate("retention").is_err());
    }

    #[test]
    fn a_first_churn_change_keeps_the_concentration_and_c() {
        let bdw = Retention::BetaDiscreteWeibull {
            gamma: 1.0,
            delta: 3.0,
            c: 0.8,
        };
        assert!((bdw.first_churn() - 0.25).abs() < 1e-15);
        let Retention::BetaDiscreteWeibull { gamma, delta, c } = bdw.with_first_churn(0.1) else {
            panic!("a BdW")
        };
        assert!((gamma - 0.4).abs() < 1e-15 && (delta - 3.6).abs() < 1e-15);
        assert_eq!(c, 0.8);
    }
}
