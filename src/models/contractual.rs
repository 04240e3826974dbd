//! A contractual customer's value with the uncertainty of its sBG or BdW retention fit
//! (`clvIntervals`).
//!
//! The value is [`crate::clv`]'s (discounted expected margins; DEL when the margin is 1 and the
//! customer is new, DERL with `renewals`; Fader & Hardie 2010, "Customer-base valuation in a
//! contractual setting: the perils of ignoring heterogeneity", Marketing Science) with sBG retention
//! (Fader & Hardie 2007, Journal of Interactive Marketing) or BdW retention (Fader et al. 2018). The
//! fit's uncertainty comes in as draws of (α, β) or (γ, δ, c) from the asymptotic normal of their logarithms, with the fit's covariance (as
//! `predictIntervals`' Laplace draws); each draw values the customer again, and the interval is the
//! central `level` interval of those values. A customer base's equity is customers × value, so its
//! interval is the value's times the customers.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::intervals::{checked_draws, log_normal_draws};
use super::{ModelError, MAX_DRAWS};
use crate::clv::ClvInput;
use crate::error::InputError;
use crate::retention::Retention;

/// `clvIntervals`' options.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DrawOptions {
    /// The intervals' coverage, in (0, 1); 0.9 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub level: Option<f64>,
    /// Parameter draws, at most 10,000; 1,000 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub draws: Option<f64>,
    /// The seed of the draws, a whole number from 0 to 2³² − 1; 1 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub seed: Option<f64>,
}

/// A value at the estimate, its mean over the draws and its `level` interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ValueInterval {
    pub estimate: f64,
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
}

impl ValueInterval {
    /// `estimate`, and the mean and central `level` interval of its values at the draws.
    pub(crate) fn from_draws(estimate: f64, mut draws: Vec<f64>, level: f64) -> ValueInterval {
        draws.sort_unstable_by(f64::total_cmp);
        ValueInterval {
            estimate,
            mean: draws.iter().sum::<f64>() / draws.len().max(1) as f64,
            lower: crate::montecarlo::quantile(&draws, 0.5 * (1.0 - level)),
            upper: crate::montecarlo::quantile(&draws, 0.5 * (1.0 + level)),
        }
    }
}

/// `clvIntervals`' result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ClvIntervals"))]
pub struct ContractualIntervals {
    /// The customer's value.
    pub clv: ValueInterval,
    /// Value less acquisition cost.
    pub net_value: ValueInterval,
}

/// The value of `input` (whose retention is the sBG fit's `{ alpha, beta }` or the BdW fit's
/// `{ gamma, delta, c }`) with intervals from draws around them with `covariance` (in that order; a
/// drawn c is capped at [`crate::retention::MAX_DURATION_DEPENDENCE`]).
pub fn clv_intervals(
    input: &ClvInput,
    covariance: &[Vec<f64>],
    options: &DrawOptions,
) -> Result<ContractualIntervals, ModelError> {
    let customer = input.validate()?;
    let params = match customer.retention {
        Retention::ShiftedBetaGeometric { alpha, beta } => vec![alpha, beta],
        Retention::BetaDiscreteWeibull { gamma, delta, c } => vec![gamma, delta, c],
        Retention::Constant(_) => {
            return Err(InputError::invalid(
                "retention",
                "must be the sBG or BdW fit's parameters (a constant retention has no fit to be uncertain about)",
            )
            .into())
        }
    };
    let (level, draws, seed) =
        checked_draws(options.level, options.draws, options.seed, MAX_DRAWS)?;
    let estimate = customer.value()?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut values: [Vec<f64>; 2] = Default::default();
    for p in log_normal_draws(&params, covariance, draws, &mut rng)? {
        let retention = match customer.retention {
            Retention::BetaDiscreteWeibull { .. } => Retention::BetaDiscreteWeibull {
                gamma: p[0],
                delta: p[1],
                c: p[2].min(crate::retention::MAX_DURATION_DEPENDENCE),
            },
            _ => Retention::ShiftedBetaGeometric {
                alpha: p[0],
                beta: p[1],
            },
        };
        let drawn = crate::clv::Customer {
            retention,
            ..customer
        }
        .value()?;
        values[0].push(drawn.clv);
        values[1].push(drawn.net_value);
    }
    let [clv, net] = values;
    Ok(ContractualIntervals {
        clv: ValueInterval::from_draws(estimate.clv, clv, level),
        net_value: ValueInterval::from_draws(estimate.net_value, net, level),
    })
}
