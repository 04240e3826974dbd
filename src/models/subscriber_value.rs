//! The value of a subscriber base (`valueSubscribers`), as Fader & Hardie (2010), "Customer-base
//! valuation in a contractual setting: the perils of ignoring heterogeneity", *Marketing Science*
//! 29(1), value it: each active subscriber's discounted expected residual lifetime given their tenure,
//! times the margin, summed; with the fit's uncertainty and, beside it, the value a constant-retention
//! model of the same data gives (their point: ignoring heterogeneity undervalues the base).
//!
//! Conventions: one period is the unit of the margin, the discount rate and tenure. A subscriber who
//! has renewed k times (tenure k, still active) is valued from their next renewal, uncertain and
//! treated as now (Fader & Hardie's DERL, `clv` with `renewals: k` and `timing: "start"`):
//! `DERL(k) = Σ_{t≥0} S(k + 1 + t)/S(k) / (1 + d)^t`, computed from one survival curve per parameter
//! draw for every tenure at once. The sum stops at `horizon` periods if given, else where
//! (1 + d)^−t is below 1e-12 (at most 100,000 periods; a discount rate too small for that needs a
//! horizon). New subscribers (`acquisition`) arrive `perPeriod` at the end of each of `periods`
//! periods, each worth `margin · DEL − acquisitionCost` with the first payment certain,
//! `DEL = Σ_{t≥0} S(t)/(1 + d)^t`, discounted to now.
//!
//! Uncertainty: draws of the fit's parameters from the asymptotic normal of their logarithms (as
//! `clvIntervals`); each draw values the base again, and the interval is the central `level` interval.
//! The constant-retention comparison uses the retention rate that a model without heterogeneity
//! estimates from the same durations, r̂ = 1 − lost / (periods at risk) (the maximum-likelihood
//! geometric), under which every subscriber is worth `margin · r̂ / (1 − r̂ / (1 + d))` whatever their
//! tenure.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::contractual::ValueInterval;
use super::durations::{DurationData, Durations};
use super::intervals::{checked_draws, log_normal_draws};
use super::{Model, ModelError, MAX_DRAWS};
use crate::error::{self, InputError};
use crate::retention::{Retention, MAX_DURATION_DEPENDENCE};

/// The longest sum of one subscriber's payments, in periods.
pub const MAX_VALUE_PERIODS: u32 = 100_000;

/// Future subscribers: how many arrive, for how long, at what cost each.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SubscriberAcquisition"))]
pub struct Acquisition {
    /// New subscribers at the end of each period.
    pub per_period: f64,
    /// Periods of acquisition, a whole number from 1 to 1,200.
    pub periods: f64,
    /// The cost of acquiring one.
    #[serde(default)]
    pub acquisition_cost: f64,
}

/// `valueSubscribers`' options.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SubscriberValueOptions {
    /// The margin per subscriber per period, the same for every one; or give `marginRate`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub margin: Option<f64>,
    /// The margin as a share of each subscriber's own price per period (at most 1), with the
    /// prices given (`data.price`, as `summarizeSubscriptions` reads them with `priceColumn`).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub margin_rate: Option<f64>,
    /// The discount rate per period.
    pub discount_rate: f64,
    /// The most periods valued per subscriber; as many as the discounting needs when not given.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub horizon: Option<f64>,
    /// Future subscribers, if any.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub acquisition: Option<Acquisition>,
    /// The intervals' coverage, in (0, 1); 0.9 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub level: Option<f64>,
    /// Parameter draws, at most 10,000; 1,000 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub draws: Option<f64>,
    /// The seed of the draws; 1 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub seed: Option<f64>,
}

/// The subscribers of one tenure and what each is worth at the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SubscribersAtTenure"))]
pub struct AtTenure {
    pub tenure: f64,
    pub subscribers: f64,
    /// Their mean margin per period × DERL(tenure): what one of them is worth.
    pub value: f64,
}

/// What a constant-retention model of the same durations makes of the base.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConstantRetentionValue {
    /// r̂ = 1 − lost / periods at risk.
    pub retention: f64,
    /// The existing subscribers' value under r̂.
    pub existing: f64,
    /// How much lower than the heterogeneous estimate, as a share of it (negative when higher).
    pub shortfall: f64,
}

/// `valueSubscribers`' result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SubscriberValue {
    /// Active subscribers valued.
    pub subscribers: f64,
    /// Their mean margin per period: `margin`, or `marginRate` × their mean price (also the margin
    /// of each future subscriber).
    pub mean_margin: f64,
    /// Their value: at the estimate, over the draws, and its interval.
    pub existing: ValueInterval,
    /// Future subscribers' value net of acquisition cost (with `acquisition`).
    pub future: Option<ValueInterval>,
    /// Existing plus future.
    pub total: ValueInterval,
    /// The active subscribers by tenure.
    pub by_tenure: Vec<AtTenure>,
    /// The constant-retention model's value of the same subscribers.
    pub constant_retention: ConstantRetentionValue,
}

/// The retention of an sBG or BdW fit's parameters `p`.
fn retention_of(model: &Model, p: &[f64]) -> Result<Retention, InputError> {
    match model {
        Model::Sbg(_) => Ok(Retention::ShiftedBetaGeometric {
            alpha: p[0],
            beta: p[1],
        }),
        Model::Bdw(_) => Ok(Retention::BetaDiscreteWeibull {
            gamma: p[0],
            delta: p[1],
            c: p[2].min(MAX_DURATION_DEPENDENCE),
        }),
        _ => Err(InputError::invalid(
            "fit",
            "must be an sBG or BdW fit (fitSbg, fitBdw)",
        )),
    }
}

/// The base's value at one set of parameters: the existing subscribers' (and per tenure, per
/// subscriber) and, with acquisition, the future ones'.
struct Valued {
    existing: f64,
    per_subscriber: Vec<f64>,
    future: f64,
}

/// A checked plan: the discount factors of the periods summed, the active subscribers by tenure (with
/// the sum of their margins), how many they are and their mean margin, the acquisition and the
/// constant-retention estimate r̂.
struct Plan {
    discount_rate: f64,
    discount: Vec<f64>,
    tenures: Vec<Tenure>,
    subscribers: f64,
    mean_margin: f64,
    acquisition: Option<(f64, u32, f64)>,
    constant_retention: f64,
}

/// The active subscribers of one tenure: how many, and the sum of their margins per period.
#[derive(Clone, Copy)]
struct Tenure {
    tenure: usize,
    subscribers: f64,
    margins: f64,
}

impl Plan {
    fn value(&self, retention: Retention) -> Valued {
        let longest = self.tenures.last().map_or(0, |t| t.tenure);
        let survival: Vec<f64> = retention
            .survival()
            .take(longest + self.discount.len() + 1)
            .collect();
        let derl = |k: usize| -> f64 {
            let s = survival[k];
            if s <= 0.0 {
                return 0.0;
            }
            self.discount
                .iter()
                .zip(&survival[k + 1..])
                .map(|(d, s1)| d * s1)
                .sum::<f64>()
                / s
        };
        let per_subscriber: Vec<f64> = self
            .tenures
            .iter()
            .map(|t| t.margins / t.subscribers * derl(t.tenure))
            .collect();
        let existing = self
            .tenures
            .iter()
            .map(|t| t.margins * derl(t.tenure))
            .sum();
        let future = self.acquisition.map_or(0.0, |(per_period, periods, cost)| {
            let del: f64 = self
                .discount
                .iter()
                .zip(&survival)
                .map(|(d, s)| d * s)
                .sum();
            let each = self.mean_margin * del - cost;
            (1..=periods)
                .map(|j| per_period * each / (1.0 + self.discount_rate).powi(j as i32))
                .sum()
        });
        Valued {
            existing,
            per_subscriber,
            future,
        }
    }
}

/// The active subscribers by tenure with the sum of their margins: `margin` each, or `marginRate` ×
/// their own price (`prices`, one per row of `data`'s customers).
fn active_margins(
    data: &DurationData,
    durations: &Durations,
    prices: Option<&[f64]>,
    options: &SubscriberValueOptions,
) -> Result<Vec<Tenure>, InputError> {
    let counted = |margins: &dyn Fn(usize, f64) -> f64| -> Vec<Tenure> {
        durations
            .active()
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0.0)
            .map(|(k, &n)| Tenure {
                tenure: k,
                subscribers: n,
                margins: margins(k, n),
            })
            .collect()
    };
    match (options.margin, options.margin_rate) {
        (Some(margin), None) => {
            let margin = error::amount("margin", margin)?;
            Ok(counted(&|_, n| n * margin))
        }
        (None, Some(rate)) => {
            let rate = error::amount("marginRate", rate)?;
            if rate > 1.0 {
                return Err(InputError::invalid(
                    "marginRate",
                    format!("must be at most 1, a share of the price (got {rate})"),
                ));
            }
            let (DurationData::Customers { tenure, churned, weights }, Some(prices)) = (data, prices) else {
                return Err(InputError::invalid(
                    "price",
                    "is required with marginRate: each subscriber's price per period, one per row of tenure and churned (summarizeSubscriptions gives it with priceColumn)",
                ));
            };
            if prices.len() != tenure.len() {
                return Err(InputError::invalid(
                    "price",
                    format!("must have as many entries as tenure ({}, got {})", tenure.len(), prices.len()),
                ));
            }
            let mut by_tenure = vec![0.0; durations.active().len()];
            for (i, &price) in prices.iter().enumerate() {
                let price = error::non_negative(&format!("price[{i}]"), price)?;
                let price = error::amount(&format!("price[{i}]"), price)?;
                if churned[i] == 0.0 {
                    let w = weights.as_ref().map_or(1.0, |w| w[i]);
                    by_tenure[tenure[i] as usize] += w * rate * price;
                }
            }
            Ok(counted(&|k, _| by_tenure[k]))
        }
        (Some(_), Some(_)) => Err(InputError::invalid(
            "marginRate",
            "give margin (the same for every subscriber) or marginRate (a share of each one's price), not both",
        )),
        // With prices given, the share of them is the margin asked for.
        (None, None) if prices.is_some() => Err(InputError::invalid(
            "marginRate",
            "is required: the margin as a share of each subscriber's price (or margin, the same for every subscriber)",
        )),
        (None, None) => Err(InputError::invalid(
            "margin",
            "is required: the margin per subscriber per period (or marginRate, a share of each subscriber's price)",
        )),
    }
}

/// The checked plan of `options` for the active subscribers of `durations` (`data` pooled).
fn plan(
    data: &DurationData,
    durations: &Durations,
    prices: Option<&[f64]>,
    options: &SubscriberValueOptions,
) -> Result<Plan, InputError> {
    let tenures = active_margins(data, durations, prices, options)?;
    let rate = error::non_negative("discountRate", options.discount_rate)?;
    let periods = match options.horizon {
        Some(h) => error::whole_positive("horizon", h, MAX_VALUE_PERIODS)?,
        None if rate > 0.0 => {
            let needed = (1e-12f64.ln() / -(1.0 + rate).ln()).ceil();
            if needed > f64::from(MAX_VALUE_PERIODS) {
                return Err(InputError::invalid(
                    "horizon",
                    format!(
                        "required with a discountRate this small ({rate}): the payments would be summed over more than {MAX_VALUE_PERIODS} periods"
                    ),
                ));
            }
            needed as u32
        }
        None => {
            return Err(InputError::invalid(
                "horizon",
                "required when discountRate is 0 (the sum would not end)",
            ))
        }
    };
    let discount = (0..periods)
        .map(|t| (1.0 + rate).powi(-(t as i32)))
        .collect();
    let acquisition = match options.acquisition {
        Some(a) => Some((
            error::amount(
                "acquisition.perPeriod",
                error::non_negative("acquisition.perPeriod", a.per_period)?,
            )?,
            error::whole_positive("acquisition.periods", a.periods, 1200)?,
            error::amount("acquisition.acquisitionCost", a.acquisition_cost)?,
        )),
        None => None,
    };
    if tenures.is_empty() {
        return Err(InputError::invalid(
            "churned",
            "no subscriber is still active: there is no base to value",
        ));
    }
    let at_risk: f64 = (1..=durations.periods())
        .map(|t| {
            let lost: f64 = durations.lost()[t..].iter().sum();
            let active: f64 = durations.active()[t..].iter().sum();
            lost + active
        })
        .sum();
    let lost: f64 = durations.lost().iter().sum();
    let subscribers: f64 = tenures.iter().map(|t| t.subscribers).sum();
    let margins: f64 = tenures.iter().map(|t| t.margins).sum();
    Ok(Plan {
        discount_rate: rate,
        discount,
        mean_margin: margins / subscribers,
        subscribers,
        tenures,
        acquisition,
        constant_retention: 1.0 - lost / at_risk,
    })
}

/// The value of the active subscribers of `data` (and, with `options.acquisition`, of future ones)
/// under the sBG or BdW `model`, with intervals from draws with its `covariance` (in the order of its
/// parameters). `prices`, one per row of `data`'s customers, are their prices per period, read with
/// `options.marginRate`.
pub fn value_subscribers(
    model: &Model,
    covariance: &[Vec<f64>],
    data: &DurationData,
    prices: Option<&[f64]>,
    options: &SubscriberValueOptions,
) -> Result<SubscriberValue, ModelError> {
    model.validate()?;
    let (_, params) = model.named_params();
    let estimate_retention = retention_of(model, &params)?;
    estimate_retention.validate("fit.params")?;
    let durations = Durations::new(data)?;
    let plan = plan(data, &durations, prices, options)?;
    let (level, draws, seed) =
        checked_draws(options.level, options.draws, options.seed, MAX_DRAWS)?;
    let at_estimate = plan.value(estimate_retention);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let (mut existing, mut future) = (Vec::with_capacity(draws), Vec::with_capacity(draws));
    for p in log_normal_draws(&params, covariance, draws, &mut rng)? {
        let v = plan.value(retention_of(model, &p)?);
        existing.push(v.existing);
        future.push(v.future);
    }
    let total: Vec<f64> = existing.iter().zip(&future).map(|(a, b)| a + b).collect();
    if !(at_estimate.existing + at_estimate.future).is_finite()
        || total.iter().any(|v| !v.is_finite())
    {
        let field = if options.margin_rate.is_some() {
            "marginRate"
        } else {
            "margin"
        };
        return Err(InputError::invalid(
            field,
            "too large for this many subscribers: the values overflow",
        )
        .into());
    }
    let interval = |at: f64, mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        ValueInterval {
            estimate: at,
            mean: v.iter().sum::<f64>() / v.len() as f64,
            lower: crate::montecarlo::quantile(&v, 0.5 * (1.0 - level)),
            upper: crate::montecarlo::quantile(&v, 0.5 * (1.0 + level)),
        }
    };
    let r = plan.constant_retention;
    let subscribers = plan.subscribers;
    let constant = subscribers * plan.mean_margin * r / (1.0 - r / (1.0 + plan.discount_rate));
    Ok(SubscriberValue {
        subscribers,
        mean_margin: plan.mean_margin,
        by_tenure: plan
            .tenures
            .iter()
            .zip(&at_estimate.per_subscriber)
            .map(|(t, &value)| AtTenure {
                tenure: t.tenure as f64,
                subscribers: t.subscribers,
                value,
            })
            .collect(),
        constant_retention: ConstantRetentionValue {
            retention: r,
            existing: constant,
            shortfall: 1.0 - constant / at_estimate.existing,
        },
        future: plan
            .acquisition
            .map(|_| interval(at_estimate.future, future)),
        total: interval(at_estimate.existing + at_estimate.future, total),
        existing: interval(at_estimate.existing, existing),
    })
}
