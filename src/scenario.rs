//! What-if scenarios: a base valuation (one customer's CLV or a customer base's equity) with some of its
//! inputs changed, compared with the base.
//!
//! # Changes
//!
//! A scenario's `changes` may set `retention`, `margin`, `discountRate`, `marginGrowth` and
//! `acquisitionCost`, and shift churn (`1 − retention`) with `churnChange`:
//!
//! - `{ relative: x }` multiplies churn by `1 + x` (`-0.05` = churn 5 % lower);
//! - `{ points: p }` adds `p` percentage points to churn (`-5` = churn 5 points lower, e.g. 20 % → 15 %).
//!
//! `marginChange: { relative: x }` multiplies the margin by `1 + x` (`0.1` = a 10 % higher margin, a
//! price rise; for a customer base, each segment's own margin); `x` must be at least `-1`, so a margin
//! never changes sign. It applies after `margin` when both are given.
//!
//! `churnChange` applies after `retention` when both are given. For shifted-beta-geometric retention it
//! changes the mean churn `α/(α + β)` (the first period's churn) and keeps `α + β` (the concentration of
//! the churn distribution, i.e. the heterogeneity) fixed: `α' = (α + β) c'`, `β' = (α + β)(1 − c')`. The
//! new churn must stay within [0, 1] (strictly inside for sBG); otherwise the scenario is refused.
//!
//! For a `customerEquity` base, changes apply to every segment, or only to the one named by the
//! scenario's `segment`; `acquisitionCost` changes the cost of new customers (`acquisition`), the only
//! acquisition cost equity counts.
//!
//! # Values
//!
//! A scenario's `value` is the CLV (a `clv` base) or the equity (a `customerEquity` base); `delta` is
//! value − base value and `deltaPercent` is `100 × delta / |base value|` (`null` when the base value is
//! 0). `netValue`/`netDelta` are the same for CLV − acquisition cost (equal to the value for equity,
//! which already nets acquisition costs).

use serde::{Deserialize, Serialize};

use crate::clv::ClvInput;
use crate::equity::{customer_equity, EquityInput};
use crate::error::{self, InputError};
use crate::retention::Retention;

/// A valuation to change: one customer or a customer base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Valuation {
    Clv(ClvInput),
    Equity(EquityInput),
}

impl From<ClvInput> for Valuation {
    fn from(input: ClvInput) -> Self {
        Valuation::Clv(input)
    }
}

impl From<EquityInput> for Valuation {
    fn from(input: EquityInput) -> Self {
        Valuation::Equity(input)
    }
}

/// A valuation's headline figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Outcome {
    /// CLV, or customer equity.
    pub value: f64,
    /// CLV − acquisition cost, or customer equity.
    pub net_value: f64,
}

impl Valuation {
    /// The value and net value; errors name fields within this valuation.
    pub fn outcome(&self) -> Result<Outcome, InputError> {
        match self {
            Valuation::Clv(input) => {
                let customer = input.validate()?;
                let value = customer.clv()?;
                Ok(Outcome {
                    value,
                    net_value: value - customer.acquisition_cost,
                })
            }
            Valuation::Equity(input) => {
                let equity = customer_equity(input)?.equity;
                Ok(Outcome {
                    value: equity,
                    net_value: equity,
                })
            }
        }
    }

    /// This valuation with each customer's input passed through `change`; for equity, every segment or
    /// only the one named `segment`.
    pub fn map_customers(
        &self,
        segment: Option<&str>,
        mut change: impl FnMut(&mut ClvInput) -> Result<(), InputError>,
    ) -> Result<Valuation, InputError> {
        match self {
            Valuation::Clv(input) => {
                if segment.is_some() {
                    return Err(InputError::invalid(
                        "segment",
                        "only a customerEquity base has segments",
                    ));
                }
                let mut input = input.clone();
                change(&mut input)?;
                Ok(Valuation::Clv(input))
            }
            Valuation::Equity(input) => {
                let mut input = input.clone();
                let mut found = false;
                for s in input.segments.iter_mut() {
                    if segment.is_none_or(|name| name == s.name) {
                        change(&mut s.customer)?;
                        found = true;
                    }
                }
                if !found {
                    return Err(no_segment(segment.unwrap_or_default()));
                }
                Ok(Valuation::Equity(input))
            }
        }
    }
}

/// The error for a scenario's `segment` that names no segment of the base.
pub(crate) fn no_segment(name: &str) -> InputError {
    InputError::invalid("segment", format!("no segment is named \"{name}\""))
}

/// The error for an `acquisitionCost` change of a base without acquisition.
pub(crate) fn no_acquisition() -> InputError {
    InputError::invalid(
        "acquisitionCost",
        "the base has no acquisition whose cost could change",
    )
}

/// A change of churn, `1 − retention`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum ChurnChange {
    /// Churn × (1 + x).
    Relative(f64),
    /// Churn + p/100.
    Points(f64),
}

impl ChurnChange {
    fn field(&self) -> &'static str {
        match self {
            ChurnChange::Relative(_) => "churnChange.relative",
            ChurnChange::Points(_) => "churnChange.points",
        }
    }

    /// `retention` with its churn changed; errors name `churnChange.…`.
    pub fn apply(&self, retention: Retention) -> Result<Retention, InputError> {
        let new_churn = |churn: f64| match *self {
            ChurnChange::Relative(x) => churn * (1.0 + x),
            ChurnChange::Points(p) => churn + p / 100.0,
        };
        let outside = |from: f64, to: f64, range: &str| {
            InputError::invalid(
                self.field(),
                format!("takes churn from {from} to {to}, outside {range}"),
            )
        };
        let before = retention.first_churn();
        let churn = new_churn(before);
        match retention {
            Retention::Constant(_) if (0.0..=1.0).contains(&churn) => {
                Ok(retention.with_first_churn(churn))
            }
            Retention::Constant(_) => Err(outside(before, churn, "0 to 1")),
            _ if churn > 0.0 && churn < 1.0 => Ok(retention.with_first_churn(churn)),
            _ => Err(outside(
                before,
                churn,
                "the open interval 0 to 1 (the mean churn of sBG or BdW)",
            )),
        }
    }
}

/// A relative change of the margin per period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum MarginChange {
    /// Margin × (1 + x), x ≥ −1.
    Relative(f64),
}

impl MarginChange {
    fn validate(&self) -> Result<(), InputError> {
        let MarginChange::Relative(x) = *self;
        error::finite("marginChange.relative", x)?;
        if x < -1.0 {
            return Err(InputError::invalid(
                "marginChange.relative",
                format!("must be at least -1 (a 100 % cut); got {x}"),
            ));
        }
        Ok(())
    }

    /// `margin` changed.
    pub fn apply(&self, margin: f64) -> f64 {
        let MarginChange::Relative(x) = *self;
        margin * (1.0 + x)
    }
}

/// The inputs a scenario changes; absent fields keep the base's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ScenarioChanges"))]
pub struct Changes {
    /// New retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub retention: Option<Retention>,
    /// New margin per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub margin: Option<f64>,
    /// New discount rate per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub discount_rate: Option<f64>,
    /// New margin growth per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub margin_growth: Option<f64>,
    /// New acquisition cost (for a `customerEquity` base, of the customers still to be won).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub acquisition_cost: Option<f64>,
    /// Churn (`1 − retention`) shifted: `{ relative: -0.05 }` = 5 % lower, `{ points: -5 }` = 5 points
    /// lower; applied after `retention`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub churn_change: Option<ChurnChange>,
    /// Margin scaled: `{ relative: 0.1 }` = 10 % higher (each segment's own margin); applied after
    /// `margin`; `relative` ≥ −1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub margin_change: Option<MarginChange>,
}

impl Changes {
    /// Checks each given field as the base's own would be checked.
    pub fn validate(&self) -> Result<(), InputError> {
        if let Some(r) = &self.retention {
            r.validate("retention")?;
        }
        self.margin
            .map(|m| error::finite("margin", m))
            .transpose()?;
        (self.discount_rate)
            .map(|d| error::rate("discountRate", d))
            .transpose()?;
        (self.margin_growth)
            .map(|g| error::rate("marginGrowth", g))
            .transpose()?;
        (self.acquisition_cost)
            .map(|c| error::non_negative("acquisitionCost", c))
            .transpose()?;
        if let Some(change) = &self.churn_change {
            match *change {
                ChurnChange::Relative(x) => error::finite(change.field(), x)?,
                ChurnChange::Points(p) => error::finite(change.field(), p)?,
            };
        }
        if let Some(change) = &self.margin_change {
            change.validate()?;
        }
        Ok(())
    }

    /// `base` with these changes.
    pub fn apply(&self, base: &Valuation, segment: Option<&str>) -> Result<Valuation, InputError> {
        let changed = base.map_customers(segment, |c| self.apply_to_customer(c))?;
        match (changed, self.acquisition_cost) {
            (Valuation::Equity(mut equity), Some(cost)) => match equity.acquisition.as_mut() {
                Some(acquisition) => {
                    acquisition.acquisition_cost = cost;
                    Ok(Valuation::Equity(equity))
                }
                None => Err(no_acquisition()),
            },
            (changed, _) => Ok(changed),
        }
    }

    fn apply_to_customer(&self, c: &mut ClvInput) -> Result<(), InputError> {
        if let Some(r) = self.retention {
            c.retention = r;
        }
        c.margin = self.margin.unwrap_or(c.margin);
        if let Some(change) = self.margin_change {
            c.margin = change.apply(c.margin);
        }
        c.discount_rate = self.discount_rate.unwrap_or(c.discount_rate);
        c.margin_growth = self.margin_growth.unwrap_or(c.margin_growth);
        c.acquisition_cost = self.acquisition_cost.unwrap_or(c.acquisition_cost);
        if let Some(change) = self.churn_change {
            c.retention = change.apply(c.retention)?;
        }
        Ok(())
    }
}

/// One scenario: a name and the changes to the base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Scenario {
    pub name: String,
    /// What the scenario changes; none (the base itself) when omitted.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub changes: Changes,
    /// For a `customerEquity` base: the one segment to change (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub segment: Option<String>,
}

impl Scenario {
    /// The base with this scenario's changes, made by `apply(changes, segment)`: the changes checked
    /// first, errors named within `scenarios[i].changes`, or `scenarios[i].segment` for the segment.
    pub fn changed<T>(
        &self,
        i: usize,
        apply: impl FnOnce(&Changes, Option<&str>) -> Result<T, InputError>,
    ) -> Result<T, InputError> {
        let path = format!("scenarios[{i}]");
        let changes_path = format!("{path}.changes");
        self.changes
            .validate()
            .map_err(|e| e.within(&changes_path))?;
        apply(&self.changes, self.segment.as_deref()).map_err(|e| match &e {
            InputError::Invalid { field, .. } if field == "segment" => e.within(&path),
            _ => e.within(&changes_path),
        })
    }
}

/// `compareScenarios` input: a base (a `clv` or `customerEquity` input) and the scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(concrete(B = Valuation)))]
pub struct CompareInput<B> {
    /// A `clv` input (one customer) or a `customerEquity` input (a customer base, told by `segments`).
    pub base: B,
    pub scenarios: Vec<Scenario>,
}

/// One scenario against the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScenarioResult {
    pub name: String,
    /// The scenario's CLV (a `clv` base) or customer equity (a `customerEquity` base).
    pub value: f64,
    /// `value` − the base's value.
    pub delta: f64,
    /// `100 × delta / |base value|`; `null` when the base value is 0.
    pub delta_percent: Option<f64>,
    /// CLV − acquisition cost (for equity, the same as `value`).
    pub net_value: f64,
    /// `netValue` − the base's net value.
    pub net_delta: f64,
}

/// Every scenario against the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Comparison {
    pub base: Outcome,
    pub scenarios: Vec<ScenarioResult>,
}

/// Values the base and each scenario. Errors name `base.…` or `scenarios[i].…`.
pub fn compare_scenarios(
    base: &Valuation,
    scenarios: &[Scenario],
) -> Result<Comparison, InputError> {
    let base_outcome = base.outcome().map_err(|e| e.within("base"))?;
    let scenarios = scenarios
        .iter()
        .enumerate()
        .map(|(i, scenario)| {
            let changed = scenario.changed(i, |changes, segment| changes.apply(base, segment))?;
            let outcome = changed
                .outcome()
                .map_err(|e| e.within(&format!("scenarios[{i}]")))?;
            Ok(against(&scenario.name, outcome, base_outcome))
        })
        .collect::<Result<Vec<_>, InputError>>()?;
    Ok(Comparison {
        base: base_outcome,
        scenarios,
    })
}

fn against(name: &str, outcome: Outcome, base: Outcome) -> ScenarioResult {
    let delta = outcome.value - base.value;
    ScenarioResult {
        name: name.to_owned(),
        value: outcome.value,
        delta,
        delta_percent: (base.value != 0.0).then(|| 100.0 * delta / base.value.abs()),
        net_value: outcome.net_value,
        net_delta: outcome.net_value - base.net_value,
    }
}
