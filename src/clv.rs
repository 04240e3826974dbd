//! Customer lifetime value: the expected discounted margin one customer brings.
//!
//! # Formula
//!
//! With margin `m` per period, margin growth `g`, discount rate `d` per period and survival `S(t)` (the
//! probability of still being a customer `t` periods after acquisition, from [`Retention`]), the `j`-th
//! payment valued (`j = 1 … H`) has margin `m (1 + g)^(j − 1)` and
//!
//! - timing `"end"` (default): payments at the end of periods `t = 1 … H`, each received only if the
//!   customer survived to `t`, discounted `(1 + d)^−t`:
//!   `CLV = Σ_{t=1..H} m_t S(t) / (1 + d)^t`;
//! - timing `"start"`: the first payment now, certain and undiscounted, then one at the start of each
//!   later period: `CLV = Σ_{t=0..H−1} m_{t+1} S(t) / (1 + d)^t`.
//!
//! For constant retention `r` and an infinite horizon this is the margin multiple of Gupta & Lehmann
//! (2003), "Customers as assets", *Journal of Interactive Marketing* 17(1): `m r / (1 + d − r)` (end) and
//! `m (1 + d) / (1 + d − r)` (start). With shifted-beta-geometric retention, margin 1 and timing
//! `"start"` it is the discounted expected lifetime (DEL) of Fader & Hardie (2010), "Customer-base
//! valuation in a contractual setting: the perils of ignoring heterogeneity", *Marketing Science*
//! 29(1): `DEL = ₂F₁(1, β; α + β; 1/(1 + d))`.
//!
//! # Existing customers (`renewals`)
//!
//! `renewals` omitted values a prospective customer (above). `renewals: k` values a customer who has
//! already renewed `k` times, from the next renewal on, with the survival conditional on having lasted
//! `k` periods, `S(k + t) / S(k)`:
//!
//! - `"start"`: the next renewal is now but uncertain: `Σ_{t≥0} m_{t+1} S(k + 1 + t) / S(k) / (1 + d)^t`.
//!   With margin 1 this is Fader & Hardie's (2010) discounted expected residual lifetime,
//!   `DERL = (β + k)/(α + β + k) · ₂F₁(1, β + k + 1; α + β + k + 1; 1/(1 + d))`.
//! - `"end"`: `Σ_{t≥1} m_t S(k + t) / S(k) / (1 + d)^t`; with `k = 0` this equals the prospective value.
//!
//! Margin growth counts from the first payment valued, whatever the tenure.
//!
//! # Conventions
//!
//! - One period is the unit of time of every rate (retention, discount, growth) and of `horizon`.
//! - `horizon` is the number of payments valued (a whole number from 1 to [`MAX_HORIZON`]); omitted means
//!   infinite. An infinite value is refused with an error naming `horizon` (constant retention with
//!   `r (1 + g) ≥ 1 + d`; sBG with `g > d`, or `g = d` and `α ≤ 1`; beta-discrete-Weibull with `g > d`,
//!   or `g = d` and `γ c ≤ 1`). Infinite sBG and BdW sums are summed until a bound on the remaining
//!   terms is below [`SERIES_TOLERANCE`] of the total, at most [`MAX_SERIES_TERMS`] terms (past that
//!   the error asks for a horizon); constant retention and sBG with `g = d` use closed forms, and BdW
//!   with `g = d`, which has none, needs a horizon.
//! - `periods`: one row per payment: `period` is when it is paid (0 = now), `survival` the probability
//!   that it is received, `expectedMargin = m_j · survival`, `discountedMargin` its present value and
//!   `cumulative` the running sum. With a horizon the table has one row per payment; without, it stops
//!   once the remaining value is below [`TABLE_TOLERANCE`] of the total, or at [`MAX_TABLE_ROWS`] rows.
//! - `expectedLifetime` = Σ of the survivals used = the expected number of payments within the horizon;
//!   `null` when it is unbounded (infinite horizon with retention 1, or sBG with `α ≤ 1`, whose mean
//!   lifetime is infinite even when the discounted value is finite), and for BdW with an infinite
//!   horizon (no closed form).
//! - `netValue = clv − acquisitionCost`; `ltvToCac = clv / acquisitionCost`, `null` when the cost is 0.
//! - `paybackPeriod`: the `period` of the first payment at which `cumulative ≥ acquisitionCost`, `null`
//!   if that never happens. With no acquisition cost it is the first payment's period (0 for `"start"`, 1
//!   for `"end"`) when the margin is not negative.

use serde::{Deserialize, Serialize};

use crate::error::{self, InputError};
use crate::retention::Retention;

/// The longest finite horizon, in periods.
pub const MAX_HORIZON: u32 = 10_000;
/// The most renewals an existing customer may have made.
pub const MAX_RENEWALS: u32 = 1_000_000;
/// The most terms summed for an infinite sBG series before asking for a horizon.
pub const MAX_SERIES_TERMS: usize = 1_000_000;
/// Infinite sums stop when the remaining terms are bounded by this fraction of the total.
pub const SERIES_TOLERANCE: f64 = 1e-12;
/// The per-period table of an infinite horizon stops when the remaining value is below this fraction.
pub const TABLE_TOLERANCE: f64 = 1e-6;
/// The most rows in the per-period table of an infinite horizon.
pub const MAX_TABLE_ROWS: usize = 1_000;

/// When in each period the margin is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Timing {
    /// At the end of periods 1, 2, …, each conditional on having been retained.
    #[default]
    End,
    /// Now (certain for a new customer), then at the start of each later period.
    Start,
}

/// The value of one customer, as JavaScript passes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClvInput {
    /// Contribution margin per period (may be negative).
    pub margin: f64,
    /// Discount rate per period, above −1.
    pub discount_rate: f64,
    /// Retention per period: a constant probability, or shifted-beta-geometric `{ alpha, beta }`.
    pub retention: Retention,
    /// Number of payments valued, a whole number of periods; omitted (or `null`) = infinite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub horizon: Option<f64>,
    /// When each period's margin is paid: `"end"` (the default) or `"start"`.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub timing: Timing,
    /// Margin growth per period, above −1 (0.02 = 2 %); default 0.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub margin_growth: f64,
    /// Cost of acquiring the customer, 0 or more; default 0.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub acquisition_cost: f64,
    /// Omitted (or `null`): a prospective customer; `k`: an existing customer who has renewed `k` times,
    /// valued from the next renewal on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub renewals: Option<f64>,
}

/// A checked [`ClvInput`]: every number in range, counts as integers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    pub margin: f64,
    pub discount_rate: f64,
    pub retention: Retention,
    pub horizon: Option<u32>,
    pub timing: Timing,
    pub margin_growth: f64,
    pub acquisition_cost: f64,
    pub renewals: Option<u32>,
}

/// One payment of the per-period table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ClvPeriod"))]
pub struct Period {
    /// When the payment is made, in periods (0 = now).
    pub period: u32,
    /// Probability that the payment is received.
    pub survival: f64,
    /// The payment's margin times `survival`.
    pub expected_margin: f64,
    /// Present value of `expectedMargin`.
    pub discounted_margin: f64,
    /// Running sum of `discountedMargin`.
    pub cumulative: f64,
}

/// The value of one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClvResult {
    /// Customer lifetime value: the expected present value of the margins, in the margin's currency.
    pub clv: f64,
    /// Expected number of payments within the horizon; `null` when unbounded, and for a BdW
    /// retention without a horizon (no closed form: the table's running sum shows it).
    pub expected_lifetime: Option<f64>,
    /// `clv − acquisitionCost`.
    pub net_value: f64,
    /// `clv / acquisitionCost`; `null` when the cost is 0, or so small that the ratio overflows.
    pub ltv_to_cac: Option<f64>,
    /// The period of the first payment at which `cumulative` reaches `acquisitionCost`; `null` if never.
    pub payback_period: Option<u32>,
    /// One row per payment (without a horizon, until the rest is negligible).
    pub periods: Vec<Period>,
}

impl ClvInput {
    /// Checks every field; errors name the field as JavaScript spells it.
    pub fn validate(&self) -> Result<Customer, InputError> {
        self.retention.validate("retention")?;
        Ok(Customer {
            margin: error::amount("margin", self.margin)?,
            discount_rate: error::rate("discountRate", self.discount_rate)?,
            retention: self.retention,
            horizon: self
                .horizon
                .map(|h| error::whole_positive("horizon", h, MAX_HORIZON))
                .transpose()?,
            timing: self.timing,
            margin_growth: error::rate("marginGrowth", self.margin_growth)?,
            acquisition_cost: error::amount(
                "acquisitionCost",
                error::non_negative("acquisitionCost", self.acquisition_cost)?,
            )?,
            renewals: self
                .renewals
                .map(|k| error::whole_non_negative("renewals", k, MAX_RENEWALS))
                .transpose()?,
        })
    }
}

/// The value of one customer: checks the input, then values it.
pub fn clv(input: &ClvInput) -> Result<ClvResult, InputError> {
    input.validate()?.value()
}

/// `exp(j ln(base) + ln(survival))`: `base^j · survival` without overflowing in between; 0 when the
/// survival is 0.
fn grown(base_ln: f64, j: usize, survival: f64) -> f64 {
    if survival > 0.0 {
        (j as f64 * base_ln + survival.ln()).exp()
    } else {
        0.0
    }
}

impl Customer {
    /// The value, its summary figures and the per-period table.
    pub fn value(&self) -> Result<ClvResult, InputError> {
        let weight = self.weight()?;
        let periods = self.table(weight);
        let clv = self.finite(self.margin * weight)?;
        let cost = self.acquisition_cost;
        let result = ClvResult {
            clv,
            expected_lifetime: self.expected_lifetime(),
            net_value: clv - cost,
            ltv_to_cac: (cost > 0.0)
                .then(|| clv / cost)
                .filter(|ratio| ratio.is_finite()),
            payback_period: self.payback_period(clv),
            periods,
        };
        self.check_finite(&result)?;
        Ok(result)
    }

    /// The value per unit of margin: `CLV = margin × weight`.
    pub fn weight(&self) -> Result<f64, InputError> {
        if let Some(reason) = self.infinite_because() {
            return Err(InputError::invalid(
                "horizon",
                format!("required when {reason}: the value would be infinite"),
            ));
        }
        match (self.horizon, self.retention) {
            (Some(h), _) => Ok(self.weights().take(h as usize).sum()),
            (None, Retention::Constant(r)) => {
                // Σ_j q^j r^(j + skip) / (1 + d)^offset, a geometric series.
                let ratio = self.growth_over_discount() * r;
                Ok(r.powi(self.skip() as i32) / (1.0 - ratio) / self.offset_discount())
            }
            (None, Retention::ShiftedBetaGeometric { .. })
                if self.growth_over_discount() == 1.0 =>
            {
                // q = 1: the weights are the survivals over (1 + d)^offset; their sum is the expected
                // number of payments, finite because α > 1 here.
                Ok(self.sbg_expected_payments().unwrap_or(f64::INFINITY) / self.offset_discount())
            }
            (None, Retention::BetaDiscreteWeibull { .. })
                if self.growth_over_discount() == 1.0 =>
            {
                Err(InputError::invalid(
                    "horizon",
                    "required when marginGrowth = discountRate with beta-discrete-Weibull retention: \
                     its expected number of payments has no closed form",
                ))
            }
            (None, _) => self.heterogeneous_series(),
        }
    }

    /// Whether the value is infinite (an infinite horizon whose series diverges).
    pub fn is_infinite(&self) -> bool {
        self.infinite_because().is_some()
    }

    /// Why an infinite horizon would give an infinite value, if it would.
    fn infinite_because(&self) -> Option<&'static str> {
        if self.horizon.is_some() {
            return None;
        }
        let q = self.growth_over_discount();
        match self.retention {
            Retention::Constant(r)
                if r * (1.0 + self.margin_growth) >= 1.0 + self.discount_rate =>
            {
                Some("retention × (1 + marginGrowth) ≥ 1 + discountRate")
            }
            Retention::ShiftedBetaGeometric { .. } if q > 1.0 => {
                Some("marginGrowth > discountRate")
            }
            Retention::ShiftedBetaGeometric { alpha, .. } if q == 1.0 && alpha <= 1.0 => {
                Some("marginGrowth = discountRate and retention.alpha ≤ 1")
            }
            Retention::BetaDiscreteWeibull { .. } if q > 1.0 => Some("marginGrowth > discountRate"),
            // S(t) falls as t^(−γc) for large t, so Σ S(t) diverges when γc ≤ 1.
            Retention::BetaDiscreteWeibull { gamma, c, .. } if q == 1.0 && gamma * c <= 1.0 => {
                Some("marginGrowth = discountRate and retention.gamma × retention.c ≤ 1")
            }
            _ => None,
        }
    }

    /// `q = (1 + g) / (1 + d)`: the growth of a payment's present value from one payment to the next,
    /// before survival.
    fn growth_over_discount(&self) -> f64 {
        (1.0 + self.margin_growth) / (1.0 + self.discount_rate)
    }

    /// The period of the first payment: 0 for "start", 1 for "end".
    fn offset(&self) -> u32 {
        match self.timing {
            Timing::Start => 0,
            Timing::End => 1,
        }
    }

    /// `(1 + d)^offset`.
    fn offset_discount(&self) -> f64 {
        (1.0 + self.discount_rate).powi(self.offset() as i32)
    }

    /// How many survival terms precede the first payment: 0 only for a new customer paying now.
    fn skip(&self) -> usize {
        usize::from(!(self.renewals.is_none() && self.timing == Timing::Start))
    }

    /// The probability that each payment is received, in order.
    fn survivals(&self) -> impl Iterator<Item = f64> + '_ {
        self.retention
            .survival_from(self.renewals.unwrap_or(0))
            .skip(self.skip())
    }

    /// Each payment's present value per unit margin: `q^j S_j / (1 + d)^offset`.
    fn weights(&self) -> impl Iterator<Item = f64> + '_ {
        let q_ln = self.growth_over_discount().ln();
        let offset = self.offset_discount();
        self.survivals()
            .enumerate()
            .map(move |(j, s)| grown(q_ln, j, s) / offset)
    }

    /// The infinite sum of an sBG or BdW retention for `q < 1`. The weights fall by a factor below `q`
    /// from one to the next (the retention rates are below 1), so the terms after `w` sum to less than
    /// `w q / (1 − q)`.
    fn heterogeneous_series(&self) -> Result<f64, InputError> {
        let q = self.growth_over_discount();
        let mut sum = 0.0;
        for w in self.weights().take(MAX_SERIES_TERMS) {
            sum += w;
            if w * q <= SERIES_TOLERANCE * (1.0 - q) * sum {
                return Ok(sum);
            }
        }
        Err(InputError::invalid(
            "horizon",
            format!(
                "required here: with discountRate this close to marginGrowth the infinite sum needs \
                 more than {MAX_SERIES_TERMS} periods to converge"
            ),
        ))
    }

    /// Σ of the survivals used when the horizon is infinite, for sBG: the posterior of the churn
    /// probability after `k` renewals is Beta(α, β + k), and `Σ_{t≥1} S(k + t)/S(k) = E[(1 − θ)/θ] =
    /// (β + k)/(α − 1)`, plus 1 for the certain first payment of a new customer paying now. `None` when
    /// `α ≤ 1` (infinite).
    fn sbg_expected_payments(&self) -> Option<f64> {
        match self.retention {
            Retention::ShiftedBetaGeometric { alpha, beta } if alpha > 1.0 => {
                let k = f64::from(self.renewals.unwrap_or(0));
                let certain = if self.skip() == 0 { 1.0 } else { 0.0 };
                Some(certain + (beta + k) / (alpha - 1.0))
            }
            _ => None,
        }
    }

    /// The expected number of payments within the horizon; `None` if unbounded.
    fn expected_lifetime(&self) -> Option<f64> {
        match (self.horizon, self.retention) {
            (Some(h), _) => Some(self.survivals().take(h as usize).sum()),
            (None, Retention::Constant(r)) if r < 1.0 => {
                Some(r.powi(self.skip() as i32) / (1.0 - r))
            }
            (None, Retention::Constant(_)) => None,
            (None, Retention::ShiftedBetaGeometric { .. }) => self.sbg_expected_payments(),
            // No closed form; the table's running sum shows it over its periods.
            (None, Retention::BetaDiscreteWeibull { .. }) => None,
        }
    }

    /// The per-period table (see the module docs for where it stops); `weight` is the total weight.
    fn table(&self, weight: f64) -> Vec<Period> {
        let g_ln = (1.0 + self.margin_growth).ln();
        let rows = match self.horizon {
            Some(h) => h as usize,
            None => MAX_TABLE_ROWS,
        };
        let mut periods = Vec::new();
        let mut cumulative = 0.0;
        let mut cumulative_weight = 0.0;
        for (j, (s, w)) in self.survivals().zip(self.weights()).take(rows).enumerate() {
            let period = j as u32 + self.offset();
            let discounted_margin = self.margin * w;
            cumulative += discounted_margin;
            cumulative_weight += w;
            periods.push(Period {
                period,
                survival: s,
                expected_margin: self.margin * grown(g_ln, j, s),
                discounted_margin,
                cumulative,
            });
            if self.horizon.is_none() && weight - cumulative_weight <= TABLE_TOLERANCE * weight {
                break;
            }
        }
        periods
    }

    /// The first payment's period at which the cumulative discounted margin covers the acquisition
    /// cost. The cumulative sum moves in the margin's direction only, so a positive margin whose total
    /// stays below the cost never pays back, and a margin ≤ 0 pays back at its first payment or never.
    fn payback_period(&self, clv: f64) -> Option<u32> {
        let cost = self.acquisition_cost;
        if self.margin > 0.0 && clv < cost {
            return None;
        }
        let limit = self.horizon.map_or(MAX_SERIES_TERMS, |h| h as usize);
        let mut cumulative = 0.0;
        for (j, w) in self.weights().take(limit).enumerate() {
            cumulative += self.margin * w;
            if cumulative >= cost {
                return Some(j as u32 + self.offset());
            }
            if self.margin <= 0.0 {
                return None;
            }
        }
        None
    }

    /// The CLV alone, without the table: `margin × weight`.
    pub fn clv(&self) -> Result<f64, InputError> {
        self.finite(self.margin * self.weight()?)
    }

    /// Refuses tables that overflowed (extreme growth or negative discount rates over long horizons).
    fn check_finite(&self, result: &ClvResult) -> Result<(), InputError> {
        for p in &result.periods {
            self.finite(p.expected_margin)?;
            self.finite(p.cumulative)?;
        }
        Ok(())
    }

    /// `value` if it did not overflow, else an error naming what to reduce.
    pub fn finite(&self, value: f64) -> Result<f64, InputError> {
        if value.is_finite() {
            return Ok(value);
        }
        let field = if self.horizon.is_some() {
            "horizon"
        } else {
            "marginGrowth"
        };
        Err(InputError::invalid(
            field,
            "too large for this marginGrowth and discountRate: the values overflow",
        ))
    }
}
