//! Sensitivity (tornado) and break-even analysis of a valuation.
//!
//! # Sensitivity
//!
//! Each field is moved by `±spread` relative (default [`DEFAULT_SPREAD`], 10 %) with everything else
//! held, and the value (CLV or equity; `measure: "netValue"` for CLV − acquisition cost) is recomputed.
//! `margin`, `discountRate`, `marginGrowth` and `acquisitionCost` are multiplied by `1 ∓ spread`;
//! `retention` moves through churn, `1 − retention`, which is multiplied by `1 ± spread` (a relative
//! move of retention itself would leave [0, 1] for any retention above 1/(1 + spread)); for sBG
//! retention it is the mean churn `α/(α + β)` with `α + β` held, as in [`crate::scenario`]. `low`/`high`
//! are the field's values at the two ends (for `retention`, the retention — the sBG mean `β/(α + β)` —
//! at churn × (1 + spread) and × (1 − spread)); for a customer base they are the first segment's values
//! (every segment moves by the same relative amount) and `acquisitionCost` is the cost of new
//! customers. `swing = |valueHigh − valueLow|`; bars come sorted by swing, largest first. Default fields:
//! `margin`, `retention`, `discountRate`, `marginGrowth`, and `acquisitionCost` when it moves the
//! measured value (a CLV's net value, or a customer base with an `acquisition`).
//!
//! # Break-even
//!
//! `breakEven` finds, for a `clv` input, the `acquisitionCost`, `margin` or `retention` at which the net
//! value `CLV − acquisitionCost` is 0, all else held. The first two are exact: CLV is linear in the margin
//! (`CLV = margin × w`, so `margin = acquisitionCost / w`) and does not depend on the acquisition cost
//! (the maximum affordable cost is the CLV itself). Retention is found by bisection on `[0, 1]` (sBG: on
//! the mean retention `β/(α + β)` in `(0, 1)`, `α + β` held) after checking that the net value changes
//! sign between the ends; where the value would be infinite it counts as `±∞` with the margin's sign.
//! Bisection stops when the bracket is narrower than [`RETENTION_TOLERANCE`].

use serde::{Deserialize, Serialize};

use crate::clv::ClvInput;
use crate::error::{self, InputError};
use crate::retention::Retention;
use crate::scenario::{ChurnChange, Valuation};

/// The relative move of each field when none is given.
pub const DEFAULT_SPREAD: f64 = 0.1;
/// Break-even retention is found to within this.
pub const RETENTION_TOLERANCE: f64 = 1e-12;
/// The sBG mean retention is searched in `[SBG_MARGIN, 1 − SBG_MARGIN]` (α and β must stay above 0).
const SBG_MARGIN: f64 = 1e-9;
/// More than enough halvings to narrow [0, 1] to [`RETENTION_TOLERANCE`].
const MAX_BISECTIONS: u32 = 200;

/// A field a sensitivity analysis can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SensitivityField"))]
pub enum Field {
    Margin,
    Retention,
    DiscountRate,
    MarginGrowth,
    AcquisitionCost,
}

impl Field {
    /// The field's name as JavaScript spells it.
    pub fn name(self) -> &'static str {
        match self {
            Field::Margin => "margin",
            Field::Retention => "retention",
            Field::DiscountRate => "discountRate",
            Field::MarginGrowth => "marginGrowth",
            Field::AcquisitionCost => "acquisitionCost",
        }
    }
}

/// Which figure a sensitivity analysis measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Measure {
    /// CLV, or customer equity.
    #[default]
    Value,
    /// CLV − acquisition cost (equity is already net).
    NetValue,
}

/// `sensitivity` options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SensitivityOptions {
    /// The fields to move; default `margin`, `retention`, `discountRate`, `marginGrowth`, and
    /// `acquisitionCost` when it moves the measured value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub fields: Option<Vec<Field>>,
    /// Relative move of each field, in (0, 1); default 0.1 (retention moves through churn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub spread: Option<f64>,
    /// What is recomputed: `"value"` (the default: CLV or equity) or `"netValue"` (CLV − acquisition cost).
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub measure: Measure,
}

/// One bar of a tornado chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "TornadoBar"))]
pub struct Bar {
    pub field: Field,
    /// The field's value at the low end (for a customer base, the first segment's).
    pub low: f64,
    /// The field's value at the high end.
    pub high: f64,
    /// The measure at `low`.
    pub value_low: f64,
    /// The measure at `high`.
    pub value_high: f64,
    /// `|valueHigh − valueLow|`.
    pub swing: f64,
}

/// Tornado data for `input`, sorted by swing, largest first.
pub fn sensitivity(
    input: &Valuation,
    options: &SensitivityOptions,
) -> Result<Vec<Bar>, InputError> {
    let spread = options.spread.unwrap_or(DEFAULT_SPREAD);
    error::positive("spread", spread)?;
    if spread >= 1.0 {
        return Err(InputError::invalid(
            "spread",
            format!("must be below 1 (got {spread})"),
        ));
    }
    input.outcome()?;
    let fields = options
        .fields
        .clone()
        .unwrap_or_else(|| default_fields(input, options.measure));
    let mut bars = fields
        .into_iter()
        .map(|field| bar(input, field, spread, options.measure))
        .collect::<Result<Vec<_>, _>>()?;
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    Ok(bars)
}

fn default_fields(input: &Valuation, measure: Measure) -> Vec<Field> {
    let mut fields = vec![
        Field::Margin,
        Field::Retention,
        Field::DiscountRate,
        Field::MarginGrowth,
    ];
    let cost_counts = match input {
        Valuation::Clv(_) => measure == Measure::NetValue,
        Valuation::Equity(equity) => equity.acquisition.is_some(),
    };
    if cost_counts {
        fields.push(Field::AcquisitionCost);
    }
    fields
}

/// The bar of one field: the valuation at both ends of the spread.
fn bar(input: &Valuation, field: Field, spread: f64, measure: Measure) -> Result<Bar, InputError> {
    let end = |direction: f64| -> Result<(f64, f64), InputError> {
        let change = direction * spread;
        let (moved, outcome) = moved(input, field, change)
            .and_then(|m| m.outcome().map(|o| (m, o)))
            .map_err(|e| {
                let what = match field {
                    Field::Retention => format!("churn {:+}%", -change * 100.0),
                    _ => format!("{:+}%", change * 100.0),
                };
                InputError::invalid(field.name(), format!("cannot be valued at {what}: {e}"))
            })?;
        let value = match measure {
            Measure::Value => outcome.value,
            Measure::NetValue => outcome.net_value,
        };
        Ok((field_value(&moved, field), value))
    };
    let (low, value_low) = end(-1.0)?;
    let (high, value_high) = end(1.0)?;
    Ok(Bar {
        field,
        low,
        high,
        value_low,
        value_high,
        swing: (value_high - value_low).abs(),
    })
}

/// `input` with `field` moved by `change` relative (for retention: churn moved by `−change`).
fn moved(input: &Valuation, field: Field, change: f64) -> Result<Valuation, InputError> {
    // x + x·change rather than x·(1 + change): 100 ± 10 % gives 90 and 110 exactly.
    let scale = |x: &mut f64| *x += *x * change;
    if let (Field::AcquisitionCost, Valuation::Equity(equity)) = (field, input) {
        let mut equity = equity.clone();
        let acquisition = equity.acquisition.as_mut().ok_or_else(|| {
            InputError::invalid(
                "acquisitionCost",
                "the customer base has no acquisition whose cost could move",
            )
        })?;
        scale(&mut acquisition.acquisition_cost);
        return Ok(Valuation::Equity(equity));
    }
    input.map_customers(None, |c| {
        match field {
            Field::Margin => scale(&mut c.margin),
            Field::DiscountRate => scale(&mut c.discount_rate),
            Field::MarginGrowth => scale(&mut c.margin_growth),
            Field::AcquisitionCost => scale(&mut c.acquisition_cost),
            Field::Retention => {
                c.retention = ChurnChange::Relative(-change).apply(c.retention)?;
            }
        }
        Ok(())
    })
}

/// The value of `field` in `input` (the first segment's for a customer base).
fn field_value(input: &Valuation, field: Field) -> f64 {
    let customer = match input {
        Valuation::Clv(c) => c,
        Valuation::Equity(e) => match (field, &e.acquisition, e.segments.first()) {
            (Field::AcquisitionCost, Some(a), _) => return a.acquisition_cost,
            (_, _, Some(s)) => &s.customer,
            (_, _, None) => return f64::NAN,
        },
    };
    match field {
        Field::Margin => customer.margin,
        Field::DiscountRate => customer.discount_rate,
        Field::MarginGrowth => customer.margin_growth,
        Field::AcquisitionCost => customer.acquisition_cost,
        Field::Retention => mean_retention(customer.retention),
    }
}

/// A constant retention, or the mean first-period retention of sBG (β/(α + β)) or BdW (δ/(γ + δ)).
fn mean_retention(retention: Retention) -> f64 {
    retention.rate(1)
}

/// The input `breakEven` solves for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum SolveFor {
    Retention,
    Margin,
    AcquisitionCost,
}

/// `breakEven` options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BreakEvenOptions {
    pub solve_for: SolveFor,
}

/// The break-even point.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "BreakEvenResult"))]
pub struct BreakEven {
    /// The field solved for.
    pub solve_for: SolveFor,
    /// The solved value (for sBG retention, the mean retention β/(α + β)).
    pub value: f64,
    /// The net value at the solution (0 up to rounding).
    pub net_value: f64,
    /// Bisection steps (0 for the exact solutions).
    pub iterations: u32,
    /// The input with the solved field set.
    pub input: ClvInput,
}

/// The `solveFor` field's value at which `clv − acquisitionCost = 0`.
pub fn break_even(input: &ClvInput, options: &BreakEvenOptions) -> Result<BreakEven, InputError> {
    let customer = input.validate()?;
    let mut solved = input.clone();
    let (value, iterations) = match options.solve_for {
        SolveFor::AcquisitionCost => {
            let clv = customer.clv()?;
            if clv < 0.0 {
                return Err(InputError::invalid(
                    "acquisitionCost",
                    format!("no cost of 0 or more breaks even: the customer's value is negative ({clv})"),
                ));
            }
            solved.acquisition_cost = clv;
            (clv, 0)
        }
        SolveFor::Margin => {
            let weight = customer.weight()?;
            if weight <= 0.0 {
                return Err(InputError::invalid(
                    "margin",
                    "no margin breaks even: no payment is ever expected",
                ));
            }
            solved.margin = input.acquisition_cost / weight;
            if solved.margin.abs() > error::MAX_AMOUNT {
                return Err(InputError::invalid(
                    "margin",
                    format!(
                        "no margin up to {:e} breaks even: the expected discounted payments ({weight:e} a unit of margin) are too small",
                        error::MAX_AMOUNT
                    ),
                ));
            }
            (solved.margin, 0)
        }
        SolveFor::Retention => {
            let (x, iterations) = solve_retention(input)?;
            solved.retention = retention_at(input.retention, x);
            (x, iterations)
        }
    };
    let checked = solved.validate()?;
    let net_value = checked.clv()? - checked.acquisition_cost;
    Ok(BreakEven {
        solve_for: options.solve_for,
        value,
        net_value,
        iterations,
        input: solved,
    })
}

/// A retention of the same kind as `base` with (mean) first-period retention `x`; sBG keeps `α + β`,
/// BdW `γ + δ` and c.
fn retention_at(base: Retention, x: f64) -> Retention {
    base.with_first_churn(1.0 - x)
}

/// Bisection for the (mean) retention at which the net value is 0, with the bracket checked first.
fn solve_retention(input: &ClvInput) -> Result<(f64, u32), InputError> {
    if input.margin == 0.0 {
        return Err(InputError::invalid(
            "retention",
            "with a margin of 0 the net value does not depend on retention",
        ));
    }
    let net = |x: f64| -> Result<f64, InputError> {
        let mut at = input.clone();
        at.retention = retention_at(input.retention, x);
        let customer = at.validate()?;
        if customer.is_infinite() {
            return Ok(input.margin.signum() * f64::INFINITY);
        }
        Ok(customer.clv()? - customer.acquisition_cost)
    };
    let (mut lo, mut hi) = match input.retention {
        Retention::Constant(_) => (0.0, 1.0),
        Retention::ShiftedBetaGeometric { .. } | Retention::BetaDiscreteWeibull { .. } => {
            (SBG_MARGIN, 1.0 - SBG_MARGIN)
        }
    };
    let (net_lo, net_hi) = (net(lo)?, net(hi)?);
    if net_lo == 0.0 {
        return Ok((lo, 0));
    }
    if net_hi == 0.0 {
        return Ok((hi, 0));
    }
    if net_lo.signum() == net_hi.signum() {
        return Err(InputError::invalid(
            "retention",
            format!(
                "no retention between {lo} and {hi} breaks even: the net value goes from {net_lo} to \
                 {net_hi} without crossing 0"
            ),
        ));
    }
    let mut iterations = 0;
    while hi - lo > RETENTION_TOLERANCE && iterations < MAX_BISECTIONS {
        let mid = 0.5 * (lo + hi);
        if net(mid)?.signum() == net_lo.signum() {
            lo = mid;
        } else {
            hi = mid;
        }
        iterations += 1;
    }
    Ok((0.5 * (lo + hi), iterations))
}
