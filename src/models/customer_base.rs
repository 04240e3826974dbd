//! The customer base valued at three levels from its own data (`valueCustomerBase`): each customer,
//! each segment, and the whole base with the cohorts still to come.
//!
//! Conventions, as `customerValue`'s: value is spend, over the next `value.months` months
//! (`value.unitsPerMonth` model time units each), discounted at `value.monthlyDiscountRate` d a month,
//! each month's purchases at its end. Every figure is given at the fits' estimates, with its mean and
//! central `level` interval over the parameter draws of the purchase and spend fits (drawn as
//! `predictIntervals` draws them; the parameters' uncertainty only: at each draw a value is an
//! expectation).
//!
//! - **Customers**: V_i, a customer's value (`customerValue`'s).
//! - **Segments**, the levels of a segmentation (an attribute, the RFM segments, the first-purchase
//!   cohorts, or one segment of all customers): the customers, the mean and deciles of their V_i, the
//!   equity Σ V_i and its share of the base's, the mean expected purchases over the months, and the
//!   P(alive) mix.
//! - **A new customer**: the acquisition purchase at the spend model's mean spend E[M] = pγ/(q − 1)
//!   (Gamma-Gamma's, with no repeat purchases seen), plus the repeat purchases of a customer just
//!   acquired, E[X(t)] the purchase model's:
//!   N(h) = E[M] · (1 + Σ_{m=1}^{h} (E[X(m·u)] − E[X((m − 1)·u)]) / (1 + d)^m), h months on.
//!   With a segment's acquisition cost c: LTV : CAC = N(M) / c, the payback the first month h with
//!   N(h) ≥ c, and the next dollar N(M) / c − 1, the equity one more unit of acquisition spend adds.
//!   The fits have no covariates here, so a new customer is worth N in every segment; the segments
//!   differ by their acquisition costs.
//! - **Cohorts to come** (Gupta, Lehmann & Stuart 2004, "Valuing customers", *Journal of Marketing
//!   Research* 41(1)): n new customers a month, acquired at the end of months k = 1 … M, each worth
//!   N(M − k) − c at acquisition, over what is left of the months: F = n · Σ_k (N(M − k) − c) / (1 + d)^k.
//! - **Customer equity share** (Rust, Moorman & Bhalla 2010, "Rethinking marketing", *Harvard Business
//!   Review* 88(1)): own equity (the customers' and the cohorts' to come) over own plus the
//!   competitors' given.
//!
//! ```
//! use clvlab::models::{
//!     bgnbd::BgNbd, gammagamma::GammaGamma, value_customer_base, BaseValueOptions, Method, Model,
//!     Spend, Summary, ValueOptions,
//! };
//! let summary = Summary {
//!     frequency: vec![0.0, 2.0, 5.0],
//!     recency: vec![0.0, 20.0, 35.0],
//!     t: vec![40.0, 40.0, 40.0],
//!     weights: None,
//! };
//! let purchase = Model::Bgnbd(BgNbd { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 });
//! let covariance = vec![vec![1e-8, 0.0, 0.0, 0.0], vec![0.0, 1e-6, 0.0, 0.0],
//!     vec![0.0, 0.0, 1e-8, 0.0], vec![0.0, 0.0, 0.0, 1e-6]];
//! let spend = GammaGamma { p: 6.25, q: 3.74, gamma: 15.45 };
//! let options = BaseValueOptions {
//!     value: ValueOptions { months: 12.0, monthly_discount_rate: 0.01, units_per_month: 4.345 },
//!     draws: Some(50.0),
//!     seed: None,
//!     method: Method::Laplace,
//!     target: None,
//!     level: None,
//!     segments: None,
//! };
//! let spend_covariance = vec![vec![1e-8, 0.0, 0.0], vec![0.0, 1e-8, 0.0], vec![0.0, 0.0, 1e-8]];
//! let spend = Spend { model: &spend, covariance: Some(&spend_covariance), monetary_value: &[0.0, 30.0, 40.0] };
//! let base = value_customer_base(&purchase, Some(&covariance), &summary, &options, spend, None).unwrap();
//! // One segment of all customers; its equity is the base's.
//! assert_eq!(base.segments.len(), 1);
//! assert!((base.segments[0].equity.estimate - base.estimate).abs() < 1e-9);
//! // A new customer is worth at least their acquisition purchase, E[M] = pγ/(q − 1) = 35.97.
//! assert!(base.aggregate.new_customer_value.estimate > 35.97);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::intervals::{checked_draws, draw_intervals, Draw, Plan};
use super::value::{at_most, discounts};
use super::{
    gammagamma::GammaGamma, ClvIntervals, Memo, Method, Model, ModelError, Spend, Summary,
    ValueInterval, ValueOptions, MAX_DRAWS, MAX_REFITS,
};
use crate::error::{self, InputError};
use crate::montecarlo::{by_period, distribution, EquitySummary, SegmentMean};

/// The most values of the base's value by month over all draws, and of the segments' values over all
/// draws: 4,194,304, so 1,000 draws cover 1,200 months.
pub const MAX_VALUE_PATH: u32 = 1 << 22;

/// The most segments of a segmentation.
pub const MAX_SEGMENTS: usize = 1000;

/// The most new customers a month a segment can be given.
pub const MAX_NEW_CUSTOMERS: f64 = 1e9;

/// The largest acquisition cost or competitors' equity, in the spend's currency: 10¹⁵ keeps the
/// cohorts' values (at most 10⁹ customers a month for 1,200 months) finite.
pub const MAX_AMOUNT: f64 = 1e15;

/// The name of the one segment of all customers, without a segmentation.
pub const ALL_CUSTOMERS: &str = "All customers";

/// What a planner knows of a segment's acquisition and market.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SegmentPlan"))]
pub struct SegmentPlan {
    /// What acquiring one new customer of the segment costs, in the spend's currency (above 0, at most
    /// 10¹⁵).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub acquisition_cost: Option<f64>,
    /// New customers acquired a month, for the cohorts to come (at least 0, at most 10⁹).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub new_customers_per_month: Option<f64>,
    /// The competitors' customer equity in the segment, in the spend's currency (0 to 10¹⁵).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub competitor_equity: Option<f64>,
}

impl SegmentPlan {
    fn validate(&self) -> Result<(), InputError> {
        if let Some(cost) = self.acquisition_cost {
            at_most(
                "acquisitionCost",
                error::positive("acquisitionCost", cost)?,
                MAX_AMOUNT,
            )?;
        }
        if let Some(n) = self.new_customers_per_month {
            let n = error::non_negative("newCustomersPerMonth", n)?;
            at_most("newCustomersPerMonth", n, MAX_NEW_CUSTOMERS)?;
        }
        if let Some(equity) = self.competitor_equity {
            let equity = error::non_negative("competitorEquity", equity)?;
            at_most("competitorEquity", equity, MAX_AMOUNT)?;
        }
        Ok(())
    }
}

/// `valueCustomerBase`' options.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BaseValueOptions"))]
pub struct BaseValueOptions {
    /// The months to value, their discount rate and the model's time units per month.
    pub value: ValueOptions,
    /// Parameter draws (`laplace`) or refits (`bootstrap`), as `predictIntervals` takes them, with
    /// draws × months and draws × segments each at most 4,194,304; 1,000 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub draws: Option<f64>,
    /// The seed of the draws, a whole number from 0 to 2³² − 1; 1 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub seed: Option<f64>,
    /// `"laplace"` (the default) or `"bootstrap"`.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub method: Method,
    /// With a target value: the share of draws whose value exceeds it.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub target: Option<f64>,
    /// The intervals' coverage, in (0, 1); 0.9 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub level: Option<f64>,
    /// Per segment, by its name: acquisition cost, new customers a month, competitors' equity.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub segments: Option<BTreeMap<String, SegmentPlan>>,
}

/// Each customer's segment: `by` names the segmentation (an attribute, `rfm`, `cohort`), `codes[i]`
/// indexes `levels`.
#[derive(Debug, Clone, Copy)]
pub struct Segmentation<'a> {
    pub by: &'a str,
    pub levels: &'a [String],
    pub codes: &'a [u32],
}

/// A segment's customers' value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SegmentSpread"))]
pub struct Spread {
    /// The mean of the customers' values.
    pub mean: f64,
    /// The 10th, 20th, … 90th percentiles: each the smallest value with at least that share of the
    /// segment's customers at or below it.
    pub deciles: Vec<f64>,
}

/// What a segment's new customers are worth against what they cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SegmentAcquisition"))]
pub struct Acquisition {
    pub acquisition_cost: f64,
    /// N(M) / c.
    pub ltv_to_cac: ValueInterval,
    /// N(M) / c − 1: the equity one more unit of acquisition spend adds.
    pub next_dollar: ValueInterval,
    /// The first month by whose end a new customer's value N(h) covers the cost (0: the acquisition
    /// purchase does), at the estimates; `null` when not within the months.
    pub payback_months: Option<u32>,
}

/// One segment of the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BaseSegment"))]
pub struct BaseSegment {
    pub name: String,
    /// Its customers (the sum of their weights).
    pub customers: f64,
    /// Its customers' values; `null` without customers.
    pub clv: Option<Spread>,
    /// Σ V_i over its customers.
    pub equity: ValueInterval,
    /// Its equity over the base's (0 to 1).
    pub share_of_base: ValueInterval,
    /// Its customers' mean expected purchases over the months, at the estimates; `null` without
    /// customers.
    pub expected_purchases: Option<f64>,
    /// Its customers' mean P(alive), at the estimates; `null` without customers.
    pub prob_alive: Option<f64>,
    /// The shares of its customers with P(alive) below 0.25, from 0.25 to 0.5, from 0.5 to 0.75, and
    /// 0.75 or more (each interval closed below); zeros without customers.
    pub prob_alive_mix: Vec<f64>,
    /// With its `acquisitionCost`.
    pub acquisition: Option<Acquisition>,
    /// With its `newCustomersPerMonth`: F, the cohorts to come (less their acquisition costs when
    /// `acquisitionCost` is given).
    pub future_equity: Option<ValueInterval>,
    /// With its `competitorEquity`: that, and its customer equity share, (equity + futureEquity) /
    /// (that + equity + futureEquity).
    pub competitor_equity: Option<f64>,
    pub equity_share: Option<ValueInterval>,
}

/// The whole base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AggregateValue"))]
pub struct Aggregate {
    /// Σ V_i over all customers (as `estimate`).
    pub current_equity: ValueInterval,
    /// Σ F over the segments given `newCustomersPerMonth`; `null` when none is.
    pub future_equity: Option<ValueInterval>,
    /// Current plus future equity.
    pub total_equity: ValueInterval,
    /// N(M): what a customer acquired now is worth over the months, the acquisition purchase
    /// included.
    pub new_customer_value: ValueInterval,
    /// Σ of the segments' `competitorEquity` and the base's customer equity share, when every segment
    /// gives one; else `null` (the segments' own shares are still given).
    pub competitor_equity: Option<f64>,
    pub equity_share: Option<ValueInterval>,
}

/// A segment in the "next dollar" ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "NextDollar"))]
pub struct NextDollar {
    pub segment: String,
    /// Its `acquisition.nextDollar`.
    pub next_dollar: ValueInterval,
}

/// The fitted base's value over the parameter draws: `simulateEquity`'s shape (its runs the draws,
/// its periods months, `bySegment` the segments' mean equity), and the three levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BaseValue"))]
pub struct BaseValue {
    /// At the estimates: the sum of `customerValue`'s.
    pub estimate: f64,
    #[serde(flatten)]
    pub simulation: EquitySummary,
    /// The segmentation: an attribute's name, `rfm`, `cohort`, `given`; `null` for one segment of all
    /// customers.
    pub segment_by: Option<String>,
    /// In the segmentation's order.
    pub segments: Vec<BaseSegment>,
    pub aggregate: Aggregate,
    /// The segments with an acquisition cost, the highest next dollar first.
    pub next_dollar: Vec<NextDollar>,
    /// Each customer's value and its interval (as typed arrays in JavaScript).
    #[serde(skip)]
    pub customers: ClvIntervals,
}

/// The value of the customers of `summary` over `options.value`'s months, as `customerValue` gives
/// it, at each of the parameter draws of the purchase model (`covariance`, as for
/// [`super::predict_intervals`]) and of `spend`'s, at the three levels of the module's doc;
/// `segmentation` (one segment of all customers when `None`) groups the customers.
pub fn value_customer_base(
    model: &Model,
    covariance: Option<&[Vec<f64>]>,
    summary: &Summary,
    options: &BaseValueOptions,
    spend: Spend,
    segmentation: Option<Segmentation>,
) -> Result<BaseValue, ModelError> {
    let n = summary.frequency.len();
    let everyone = [ALL_CUSTOMERS.to_owned()];
    let zeros = vec![0; n];
    let given = segmentation.is_some();
    let segmentation = segmentation.unwrap_or(Segmentation {
        by: "",
        levels: &everyone,
        codes: &zeros,
    });
    let (plan, months) = checked(options, &segmentation, n)?;
    let plans = segment_plans(options, &segmentation)?;
    let level = plan.level;
    let drawn = draw_intervals(
        model,
        covariance,
        summary,
        &plan,
        Some(spend),
        Some(options.value),
        Some((segmentation.codes, segmentation.levels.len())),
    )?;
    let draws = drawn.draws.len();
    let clv = drawn
        .intervals
        .clv
        .ok_or_else(|| InputError::invalid("spendFit", "is required to value the base"))?;
    let totals: Vec<f64> = drawn
        .value_by_month
        .chunks_exact(months)
        .map(|path| path[months - 1])
        .collect();
    let stats = SegmentStats::new(model, summary, &segmentation, &clv.clv, &options.value)?;
    let estimate: f64 = stats.equity.iter().sum();
    let newcomer = NewCustomer::new(model, spend.model, &drawn.draws, &options.value)?;
    let futures: Vec<Option<Future>> = plans
        .iter()
        .map(|p| {
            p.new_customers_per_month
                .map(|rate| newcomer.future(rate, p.acquisition_cost.unwrap_or(0.0)))
        })
        .collect();
    let segments: Vec<BaseSegment> = (0..segmentation.levels.len())
        .map(|s| {
            base_segment(
                (&segmentation.levels[s], &plans[s]),
                (
                    stats.equity[s],
                    &drawn.segment_values[s * draws..(s + 1) * draws],
                ),
                (estimate, &totals),
                futures[s].as_ref(),
                &stats,
                s,
                &newcomer,
                level,
            )
        })
        .collect();
    let aggregate = aggregate((estimate, &totals), &futures, &plans, &newcomer, level);
    let mut next_dollar: Vec<NextDollar> = segments
        .iter()
        .filter_map(|s| {
            s.acquisition.as_ref().map(|a| NextDollar {
                segment: s.name.clone(),
                next_dollar: a.next_dollar,
            })
        })
        .collect();
    next_dollar.sort_by(|a, b| b.next_dollar.estimate.total_cmp(&a.next_dollar.estimate));
    let periods = (0..months)
        .map(|m| {
            drawn
                .value_by_month
                .iter()
                .skip(m)
                .step_by(months)
                .copied()
                .collect()
        })
        .collect();
    Ok(BaseValue {
        estimate,
        simulation: EquitySummary {
            runs: draws as u32,
            by_segment: segments
                .iter()
                .map(|s| SegmentMean {
                    name: s.name.clone(),
                    mean: s.equity.mean,
                })
                .collect(),
            prob_above_target: options
                .target
                .map(|target| totals.iter().filter(|&&v| v > target).count() as f64 / draws as f64),
            by_period: by_period(periods),
            equity: distribution(&totals),
        },
        segment_by: given.then(|| segmentation.by.to_owned()),
        segments,
        aggregate,
        next_dollar,
        customers: clv,
    })
}

/// The checked draws' plan and the months.
fn checked(
    options: &BaseValueOptions,
    segmentation: &Segmentation,
    customers: usize,
) -> Result<(Plan, usize), InputError> {
    let most = match options.method {
        Method::Laplace => MAX_DRAWS,
        Method::Bootstrap => MAX_REFITS,
    };
    let (level, draws, seed) = checked_draws(options.level, options.draws, options.seed, most)?;
    let months = options.value.validate().map_err(|e| e.within("value"))? as usize;
    if draws * months > MAX_VALUE_PATH as usize {
        return Err(InputError::invalid(
            "draws",
            format!("× value.months must be at most {MAX_VALUE_PATH} (got {draws} × {months})"),
        ));
    }
    if let Some(target) = options.target {
        error::finite("target", target)?;
    }
    segmentation.validate(customers)?;
    let segments = segmentation.levels.len();
    if draws * segments > MAX_VALUE_PATH as usize {
        return Err(InputError::invalid(
            "draws",
            format!("× segments must be at most {MAX_VALUE_PATH} (got {draws} × {segments})"),
        ));
    }
    Ok((
        Plan {
            horizon: None,
            level,
            draws,
            seed,
            method: options.method,
        },
        months,
    ))
}

impl Segmentation<'_> {
    /// Checks the levels (1 to [`MAX_SEGMENTS`], distinct) and one code per customer below their count.
    fn validate(&self, customers: usize) -> Result<(), InputError> {
        let field = || format!("segmentBy ({})", self.by);
        let count = self.levels.len();
        if count == 0 || count > MAX_SEGMENTS {
            return Err(InputError::invalid(
                field(),
                format!("must have from 1 to {MAX_SEGMENTS} segments (got {count}): merge small levels, or segment by another attribute"),
            ));
        }
        if self.codes.len() != customers {
            return Err(InputError::invalid(
                field(),
                format!(
                    "must give one segment per customer ({} codes for {customers} customers)",
                    self.codes.len()
                ),
            ));
        }
        if let Some(i) = self.codes.iter().position(|&c| c as usize >= count) {
            return Err(InputError::invalid(
                format!("{}.codes[{i}]", field()),
                format!("must index the {count} levels (got {})", self.codes[i]),
            ));
        }
        Ok(())
    }
}

/// Each segment's plan (empty when not given), checked; a plan for a segment that does not exist
/// is an error naming it.
fn segment_plans(
    options: &BaseValueOptions,
    segmentation: &Segmentation,
) -> Result<Vec<SegmentPlan>, InputError> {
    let mut plans = vec![SegmentPlan::default(); segmentation.levels.len()];
    for (name, plan) in options.segments.iter().flatten() {
        let at = format!("segments.{name}");
        let s = segmentation
            .levels
            .iter()
            .position(|level| level == name)
            .ok_or_else(|| {
                if segmentation.by.is_empty() {
                    return InputError::invalid(
                        "segmentBy",
                        format!("is required to plan the segment {name:?}: without it the base is one segment, {ALL_CUSTOMERS:?}"),
                    );
                }
                let shown: Vec<&str> = segmentation
                    .levels
                    .iter()
                    .take(10)
                    .map(String::as_str)
                    .collect();
                let more = if segmentation.levels.len() > 10 {
                    ", …"
                } else {
                    ""
                };
                InputError::invalid(
                    at.clone(),
                    format!(
                        "is not a segment of the base (its segments: {}{more})",
                        shown.join(", ")
                    ),
                )
            })?;
        plan.validate().map_err(|e| e.within(&at))?;
        plans[s] = *plan;
    }
    Ok(plans)
}

/// `a / b`, 0 when b is 0 (a base or segment worth nothing).
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// What a new customer is worth h months on, N(h) for h = 0 … months: at the estimates and at each
/// draw, and the discount factors.
struct NewCustomer {
    at_estimate: Vec<f64>,
    by_draw: Vec<Vec<f64>>,
    discounts: Vec<f64>,
}

impl NewCustomer {
    fn new(
        model: &Model,
        spend: &GammaGamma,
        draws: &[Draw],
        options: &ValueOptions,
    ) -> Result<NewCustomer, ModelError> {
        let discounts = discounts(options)?;
        let path = |purchase: &Model, spend: &GammaGamma| -> Result<Vec<f64>, ModelError> {
            let purchase = purchase.purchase_model()?;
            let mean_spend = spend.spend_coefficients(0.0).0;
            let mut out = Vec::with_capacity(discounts.len() + 1);
            let (mut before, mut value) = (0.0, 1.0);
            out.push(mean_spend);
            for (month, discount) in (1u32..).zip(&discounts) {
                let by_now =
                    purchase.expected_purchases_new(f64::from(month) * options.units_per_month)?;
                value += (by_now - before) / discount;
                before = by_now;
                out.push(mean_spend * value);
            }
            Ok(out)
        };
        let by_draw = draws
            .iter()
            .map(|d| path(&d.purchase, d.spend.as_ref().unwrap_or(spend)))
            .collect::<Result<_, _>>()?;
        Ok(NewCustomer {
            at_estimate: path(model, spend)?,
            by_draw,
            discounts,
        })
    }

    /// N(M) at the estimates and at each draw, through `f`.
    fn interval(&self, f: impl Fn(&[f64]) -> f64, level: f64) -> ValueInterval {
        ValueInterval::from_draws(
            f(&self.at_estimate),
            self.by_draw.iter().map(|p| f(p)).collect(),
            level,
        )
    }

    fn acquisition(&self, cost: f64, level: f64) -> Acquisition {
        let last = |p: &[f64]| p[p.len() - 1];
        Acquisition {
            acquisition_cost: cost,
            ltv_to_cac: self.interval(|p| last(p) / cost, level),
            next_dollar: self.interval(|p| last(p) / cost - 1.0, level),
            payback_months: self
                .at_estimate
                .iter()
                .position(|&v| v >= cost)
                .map(|h| h as u32),
        }
    }

    /// F = n · Σ_{k=1}^{M} (N(M − k) − c) / (1 + d)^k for `rate` new customers a month costing `cost`
    /// each, at the estimates and at each draw.
    fn future(&self, rate: f64, cost: f64) -> Future {
        let months = self.discounts.len();
        let on = |path: &[f64]| {
            rate * (1..=months)
                .map(|k| (path[months - k] - cost) / self.discounts[k - 1])
                .sum::<f64>()
        };
        (
            on(&self.at_estimate),
            self.by_draw.iter().map(|p| on(p)).collect(),
        )
    }
}

/// Per segment, at the estimates: the customers, their equity, and per customer the value, the
/// expected purchases over the months and P(alive), with each customer's segment.
struct SegmentStats<'a> {
    codes: &'a [u32],
    weights: Vec<f64>,
    customers: Vec<f64>,
    equity: Vec<f64>,
    clv: &'a [f64],
    purchases: Vec<f64>,
    alive: Vec<f64>,
}

impl<'a> SegmentStats<'a> {
    fn new(
        model: &Model,
        summary: &Summary,
        segmentation: &Segmentation<'a>,
        clv: &'a [f64],
        options: &ValueOptions,
    ) -> Result<SegmentStats<'a>, ModelError> {
        let n = summary.frequency.len();
        let weights: Vec<f64> = (0..n)
            .map(|i| summary.weights.as_ref().map_or(1.0, |w| w[i]))
            .collect();
        let purchase = model.purchase_model()?;
        let alive = purchase.prob_alive_all(summary)?;
        let horizon = options.months * options.units_per_month;
        let mut if_alive = Memo::new();
        let mut purchases = Vec::with_capacity(n);
        for (i, &a) in alive.iter().enumerate() {
            let (x, t) = (summary.frequency[i], summary.t[i]);
            purchases.push(a * if_alive.get(x, t, || purchase.expected_if_alive(x, t, horizon))?);
        }
        let count = segmentation.levels.len();
        let (mut customers, mut equity) = (vec![0.0; count], vec![0.0; count]);
        for (i, &s) in segmentation.codes.iter().enumerate() {
            customers[s as usize] += weights[i];
            equity[s as usize] += weights[i] * clv[i];
        }
        Ok(SegmentStats {
            codes: segmentation.codes,
            weights,
            customers,
            equity,
            clv,
            purchases,
            alive,
        })
    }

    /// The customers of segment `s`.
    fn members(&self, s: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.codes.len()).filter(move |&i| self.codes[i] as usize == s)
    }

    /// The weighted mean of `values` over segment `s`.
    fn mean(&self, values: &[f64], s: usize) -> Option<f64> {
        (self.customers[s] > 0.0).then(|| {
            self.members(s)
                .map(|i| self.weights[i] * values[i])
                .sum::<f64>()
                / self.customers[s]
        })
    }

    fn spread(&self, s: usize) -> Option<Spread> {
        let mean = self.mean(self.clv, s)?;
        let mut values: Vec<(f64, f64)> = self
            .members(s)
            .map(|i| (self.clv[i], self.weights[i]))
            .collect();
        values.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let total = self.customers[s];
        let mut deciles = Vec::with_capacity(9);
        let (mut below, mut at) = (0.0, 0);
        for k in 1..=9 {
            let wanted = total * f64::from(k) / 10.0;
            while at + 1 < values.len() && below + values[at].1 < wanted * (1.0 - 1e-12) {
                below += values[at].1;
                at += 1;
            }
            deciles.push(values[at].0);
        }
        Some(Spread { mean, deciles })
    }

    fn mix(&self, s: usize) -> Vec<f64> {
        let mut mix = vec![0.0; 4];
        if self.customers[s] > 0.0 {
            for i in self.members(s) {
                let band = ((self.alive[i] * 4.0).floor() as usize).min(3);
                mix[band] += self.weights[i] / self.customers[s];
            }
        }
        mix
    }
}

/// A segment's cohorts to come, F, at the estimates and at each draw.
type Future = (f64, Vec<f64>);

/// One segment's figures: its name and plan, its equity at the estimates and draws, the base's, and
/// its cohorts to come.
#[allow(clippy::too_many_arguments, reason = "one segment's inputs")]
fn base_segment(
    (name, plan): (&str, &SegmentPlan),
    (equity, by_draw): (f64, &[f64]),
    (base, base_by_draw): (f64, &[f64]),
    future: Option<&Future>,
    stats: &SegmentStats,
    s: usize,
    newcomer: &NewCustomer,
    level: f64,
) -> BaseSegment {
    let future_at = |d: usize| future.map_or(0.0, |f| f.1[d]);
    let equity_share = plan.competitor_equity.map(|rival| {
        let own = equity + future.map_or(0.0, |f| f.0);
        let shares = (0..by_draw.len())
            .map(|d| {
                let own = by_draw[d] + future_at(d);
                ratio(own, own + rival)
            })
            .collect();
        ValueInterval::from_draws(ratio(own, own + rival), shares, level)
    });
    let shares = by_draw
        .iter()
        .zip(base_by_draw)
        .map(|(v, t)| ratio(*v, *t))
        .collect();
    BaseSegment {
        name: name.to_owned(),
        customers: stats.customers[s],
        clv: stats.spread(s),
        equity: ValueInterval::from_draws(equity, by_draw.to_vec(), level),
        share_of_base: ValueInterval::from_draws(ratio(equity, base), shares, level),
        expected_purchases: stats.mean(&stats.purchases, s),
        prob_alive: stats.mean(&stats.alive, s),
        prob_alive_mix: stats.mix(s),
        acquisition: plan
            .acquisition_cost
            .map(|c| newcomer.acquisition(c, level)),
        future_equity: future
            .map(|(at, draws)| ValueInterval::from_draws(*at, draws.clone(), level)),
        competitor_equity: plan.competitor_equity,
        equity_share,
    }
}

/// The whole base: its current equity at the estimates and draws, the segments' cohorts to come and
/// competitors' equity.
fn aggregate(
    (current, by_draw): (f64, &[f64]),
    futures: &[Option<Future>],
    plans: &[SegmentPlan],
    newcomer: &NewCustomer,
    level: f64,
) -> Aggregate {
    let given: Vec<&Future> = futures.iter().flatten().collect();
    let future = (!given.is_empty()).then(|| {
        let at: f64 = given.iter().map(|f| f.0).sum();
        let draws: Vec<f64> = (0..by_draw.len())
            .map(|d| given.iter().map(|f| f.1[d]).sum())
            .collect();
        (at, draws)
    });
    let future_at = |d: usize| future.as_ref().map_or(0.0, |f| f.1[d]);
    let total = current + future.as_ref().map_or(0.0, |f| f.0);
    let totals: Vec<f64> = (0..by_draw.len())
        .map(|d| by_draw[d] + future_at(d))
        .collect();
    let competitor_equity: Option<f64> = plans.iter().map(|p| p.competitor_equity).sum();
    let equity_share = competitor_equity.map(|rival| {
        let shares = totals.iter().map(|t| ratio(*t, t + rival)).collect();
        ValueInterval::from_draws(ratio(total, total + rival), shares, level)
    });
    Aggregate {
        current_equity: ValueInterval::from_draws(current, by_draw.to_vec(), level),
        future_equity: future.map(|(at, draws)| ValueInterval::from_draws(at, draws, level)),
        total_equity: ValueInterval::from_draws(total, totals, level),
        new_customer_value: newcomer.interval(|p| p[p.len() - 1], level),
        competitor_equity,
        equity_share,
    }
}
