//! Customer equity: the value of a whole customer base, today's customers and those still to be won.
//!
//! # Formula
//!
//! Following Gupta, Lehmann & Stuart (2004), "Valuing customers", *Journal of Marketing Research* 41(1),
//! and Rust, Lemon & Zeithaml (2004), "Return on marketing: using customer equity to focus marketing
//! strategy", *Journal of Marketing* 68(1), customer equity is the sum of the lifetime values of current
//! and future customers:
//!
//! `equity = current + future`, `current = Σ_segments customers × CLV_existing`,
//! `future = perPeriod × (CLV_new − acquisitionCost) × Σ_{p=1..periods} (1 + d)^−p`.
//!
//! # Conventions
//!
//! - Each segment is a [`crate::clv`] input plus `name` and `customers` (a count, fractional allowed:
//!   expected or scaled counts). Its customers are existing customers valued from their next payment:
//!   as a `clv` input with `renewals` set to 0 when the segment does not give it (with `"end"` timing this
//!   equals the prospective value; with `"start"` the next renewal is now but uncertain, Fader & Hardie's
//!   DERL). Their acquisition cost is sunk and ignored.
//! - `acquisition`: `perPeriod` new customers at each future period `p = 1 … periods`, valued with the
//!   parameters of the segment named by `segment` (default: the first) as prospective customers
//!   (`renewals` omitted) at the moment they are won, minus `acquisitionCost` (default 0), then
//!   discounted to today with that segment's discount rate.
//! - `share`: customer equity share, `equity / (equity + Σ competitors' equity)` (Rust, Moorman & Bhalla
//!   (2010), "Rethinking marketing", *Harvard Business Review* 88(1)); `null` when no competitor is given,
//!   or when it is undefined (our equity negative, or all equities 0).

use serde::{Deserialize, Serialize};

use crate::clv::{ClvInput, Timing, MAX_HORIZON};
use crate::error::{self, InputError};
use crate::retention::Retention;

/// A group of existing customers who share CLV parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "SegmentFields", into = "SegmentFields")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "EquitySegment"))]
pub struct Segment {
    /// The segment's name, as `bySegment` and `acquisition.segment` spell it.
    pub name: String,
    /// Existing customers in the segment (a count; fractional allowed).
    pub customers: f64,
    /// The segment's CLV parameters.
    #[cfg_attr(test, ts(flatten))]
    pub customer: ClvInput,
}

/// A segment as JavaScript spells it: `name`, `customers` and the `clv` fields side by side. (Not
/// `#[serde(flatten)]`, whose type errors lose the field's name.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SegmentFields {
    name: String,
    customers: f64,
    margin: f64,
    discount_rate: f64,
    retention: Retention,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    horizon: Option<f64>,
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    timing: Timing,
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    margin_growth: f64,
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    acquisition_cost: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    renewals: Option<f64>,
}

impl From<SegmentFields> for Segment {
    fn from(f: SegmentFields) -> Self {
        Segment {
            name: f.name,
            customers: f.customers,
            customer: ClvInput {
                margin: f.margin,
                discount_rate: f.discount_rate,
                retention: f.retention,
                horizon: f.horizon,
                timing: f.timing,
                margin_growth: f.margin_growth,
                acquisition_cost: f.acquisition_cost,
                renewals: f.renewals,
            },
        }
    }
}

impl From<Segment> for SegmentFields {
    fn from(s: Segment) -> Self {
        let c = s.customer;
        SegmentFields {
            name: s.name,
            customers: s.customers,
            margin: c.margin,
            discount_rate: c.discount_rate,
            retention: c.retention,
            horizon: c.horizon,
            timing: c.timing,
            margin_growth: c.margin_growth,
            acquisition_cost: c.acquisition_cost,
            renewals: c.renewals,
        }
    }
}

/// New customers won in each future period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Acquisition {
    /// New customers won at each future period.
    pub per_period: f64,
    /// Cost of acquiring one of them; default 0.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub acquisition_cost: f64,
    /// Future periods in which customers are won (1, 2, …, `periods`).
    pub periods: f64,
    /// The segment whose parameters new customers take; default the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub segment: Option<String>,
}

/// A competitor's customer equity, for the equity share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Competitor {
    pub name: String,
    /// The competitor's customer equity, in the same currency.
    pub equity: f64,
}

/// The customer base, as JavaScript passes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EquityInput {
    /// Today's customers, by segment (at least one).
    pub segments: Vec<Segment>,
    /// Customers still to be won; none when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub acquisition: Option<Acquisition>,
    #[serde(
        default,
        deserialize_with = "crate::input::absent_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    /// Competitors' equities, for `share`.
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub competitors: Vec<Competitor>,
}

/// The value of one segment's existing customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SegmentValue {
    pub name: String,
    pub customers: f64,
    /// An existing customer's CLV, from their next payment on.
    pub value_per_customer: f64,
    /// `customers × valuePerCustomer`.
    pub value: f64,
}

/// The value of the customers still to be acquired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AcquisitionValue {
    /// The segment whose parameters they take.
    pub segment: String,
    /// How many are won in all (`perPeriod × periods`).
    pub customers: f64,
    /// A new customer's CLV at the moment they are won.
    pub value_per_customer: f64,
    /// That CLV minus the acquisition cost.
    pub net_value_per_customer: f64,
    /// All of them, discounted to today (= `future`).
    pub value: f64,
}

/// The value of the customer base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EquityResult {
    /// Customer equity: `current + future`.
    pub equity: f64,
    /// Value of today's customers.
    pub current: f64,
    /// Value of the customers still to be won, net of acquisition costs, discounted to today.
    pub future: f64,
    /// `current` by segment, in the order given.
    pub by_segment: Vec<SegmentValue>,
    /// `null` without `acquisition`.
    pub acquisition: Option<AcquisitionValue>,
    /// Equity share `equity / (equity + Σ competitors' equity)`; `null` without competitors, or when
    /// undefined (our equity negative, or every equity 0).
    pub share: Option<f64>,
}

impl EquityInput {
    /// Checks every field but the CLV parameters' convergence (found when valuing).
    pub fn validate(&self) -> Result<(), InputError> {
        if self.segments.is_empty() {
            return Err(InputError::invalid(
                "segments",
                "must list at least one segment",
            ));
        }
        for (i, segment) in self.segments.iter().enumerate() {
            let path = format!("segments[{i}]");
            error::non_negative(&format!("{path}.customers"), segment.customers)?;
            segment.customer.validate().map_err(|e| e.within(&path))?;
        }
        if let Some(acquisition) = &self.acquisition {
            error::non_negative("acquisition.perPeriod", acquisition.per_period)?;
            error::non_negative("acquisition.acquisitionCost", acquisition.acquisition_cost)?;
            error::whole_positive("acquisition.periods", acquisition.periods, MAX_HORIZON)?;
            self.acquisition_segment(acquisition)?;
        }
        for (i, competitor) in self.competitors.iter().enumerate() {
            error::non_negative(&format!("competitors[{i}].equity"), competitor.equity)?;
        }
        Ok(())
    }

    /// The index of the segment new customers are valued with.
    fn acquisition_segment(&self, acquisition: &Acquisition) -> Result<usize, InputError> {
        match &acquisition.segment {
            None => Ok(0),
            Some(name) => self
                .segments
                .iter()
                .position(|s| &s.name == name)
                .ok_or_else(|| {
                    InputError::invalid(
                        "acquisition.segment",
                        format!("no segment is named \"{name}\""),
                    )
                }),
        }
    }
}

/// The value of the customer base: checks the input, then values it.
pub fn customer_equity(input: &EquityInput) -> Result<EquityResult, InputError> {
    input.validate()?;
    let by_segment = input
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| segment_value(s).map_err(|e| e.within(&format!("segments[{i}]"))))
        .collect::<Result<Vec<_>, _>>()?;
    let current: f64 = by_segment.iter().map(|s| s.value).sum();
    let acquisition = match &input.acquisition {
        Some(a) => Some(acquisition_value(input, a)?),
        None => None,
    };
    let future = acquisition.as_ref().map_or(0.0, |a| a.value);
    let equity = current + future;
    if !equity.is_finite() {
        return Err(InputError::invalid(
            "segments",
            "too many customers: the values overflow",
        ));
    }
    Ok(EquityResult {
        equity,
        current,
        future,
        by_segment,
        acquisition,
        share: share(equity, &input.competitors),
    })
}

/// The existing customers of one segment, valued from their next payment.
fn segment_value(segment: &Segment) -> Result<SegmentValue, InputError> {
    let mut existing = segment.customer.clone();
    existing.renewals.get_or_insert(0.0);
    let value_per_customer = existing.validate()?.clv()?;
    Ok(SegmentValue {
        name: segment.name.clone(),
        customers: segment.customers,
        value_per_customer,
        value: segment.customers * value_per_customer,
    })
}

/// The customers still to be won, discounted to today.
fn acquisition_value(
    input: &EquityInput,
    acquisition: &Acquisition,
) -> Result<AcquisitionValue, InputError> {
    let index = input.acquisition_segment(acquisition)?;
    let segment = input.segments.get(index).ok_or_else(|| {
        InputError::invalid("acquisition.segment", "no segment to value new customers")
    })?;
    let mut prospect = segment.customer.clone();
    prospect.renewals = None;
    let prospect = prospect
        .validate()
        .map_err(|e| e.within(&format!("segments[{index}]")))?;
    let value_per_customer = prospect
        .clv()
        .map_err(|e| e.within(&format!("segments[{index}]")))?;
    let net_value_per_customer = value_per_customer - acquisition.acquisition_cost;
    // Validated: a whole number from 1 to MAX_HORIZON.
    let periods = acquisition.periods as i32;
    let discount = 1.0 + prospect.discount_rate;
    let annuity: f64 = (1..=periods).map(|p| discount.powi(-p)).sum();
    let value = acquisition.per_period * net_value_per_customer * annuity;
    if !value.is_finite() {
        return Err(InputError::invalid(
            "acquisition",
            "too many customers or periods for this discountRate: the values overflow",
        ));
    }
    Ok(AcquisitionValue {
        segment: segment.name.clone(),
        customers: acquisition.per_period * acquisition.periods,
        value_per_customer,
        net_value_per_customer,
        value,
    })
}

/// Customer equity share against the competitors, when defined.
fn share(equity: f64, competitors: &[Competitor]) -> Option<f64> {
    if competitors.is_empty() || equity < 0.0 {
        return None;
    }
    let total = equity + competitors.iter().map(|c| c.equity).sum::<f64>();
    (total > 0.0).then(|| equity / total)
}
