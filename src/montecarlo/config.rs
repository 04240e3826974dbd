//! The simulation's inputs as JavaScript sends them, and their validation into a [`Plan`].

use serde::{Deserialize, Serialize};

pub use crate::clv::Timing;
use crate::error::{self, InputError};
use crate::input::absent_as_default;
use crate::retention::Retention;
use crate::scenario::{no_acquisition, no_segment, Changes, MarginChange};

/// Most runs one simulation may ask for.
pub const MAX_RUNS: u32 = 1_000_000;
/// Longest horizon, in periods (100 years of months).
pub const MAX_HORIZON: u32 = 1_200;
/// Most customers in one segment, and most new customers per period on average.
pub const MAX_CUSTOMERS: f64 = 1e9;
/// Most segments in one configuration.
pub const MAX_SEGMENTS: usize = 100;
/// Most scenarios compared with one base.
pub const MAX_SCENARIOS: usize = 20;
/// Most per-run, per-period values kept for the fan chart (runs × horizon): 80 MB of f64.
pub const MAX_STORED_VALUES: u64 = 10_000_000;
/// Most simulation steps (one step: one cohort of one segment through one period of one run), about a
/// minute of work.
pub const MAX_STEPS: u64 = 200_000_000;
/// Largest margin coefficient of variation (a Gamma shape of 1e-6).
pub const MAX_CV: f64 = 1000.0;
/// Smallest positive margin coefficient of variation (a Gamma shape of 1e8); 0 means fixed margins.
pub const MIN_CV: f64 = 1e-4;
/// Largest discount factor `(1 + d)^−horizon` (a negative discount rate compounds fast).
pub const MAX_DISCOUNT_FACTOR: f64 = 1e100;
/// Largest seed: seeds are JavaScript numbers, whole up to 2^53 − 1.
pub const MAX_SEED: f64 = 9_007_199_254_740_991.0;

/// A customer's margin per period: a number (everyone the same) or a Gamma across customers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Margin {
    /// Every customer earns this margin each period.
    Fixed(f64),
    /// Each customer's margin is drawn once from a Gamma with this mean and coefficient of variation.
    Gamma { mean: f64, cv: f64 },
}

/// A Gamma margin as written: `{ mean, cv }` and nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GammaMargin {
    mean: f64,
    cv: f64,
}

impl<'de> Deserialize<'de> for Margin {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::input::number_or(
            deserializer,
            "a margin per period (a number) or { mean, cv } (Gamma across customers)",
            Margin::Fixed,
            |GammaMargin { mean, cv }| Ok(Margin::Gamma { mean, cv }),
        )
    }
}

/// Parameter risk: per run, the segment's mean parameters are drawn before its customers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Uncertainty {
    /// Standard deviation of the segment's first-period retention rate (drawn from a Beta).
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub retention_sd: f64,
    /// Standard deviation of the segment's mean margin (drawn from a Gamma).
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub margin_sd: f64,
}

/// A group of customers sharing margin and retention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SimulationSegment"))]
pub struct Segment {
    /// The segment's name (for `bySegment` and `acquisition.segment`); default "".
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub name: String,
    /// Customers at time 0.
    pub customers: f64,
    /// Margin per customer and period.
    pub margin: Margin,
    /// Retention per period.
    pub retention: Retention,
    /// Parameter risk; none when omitted.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub uncertainty: Option<Uncertainty>,
}

/// New customers arriving during the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SimulationAcquisition"))]
pub struct Acquisition {
    /// Mean of the Poisson number of new customers at the start of each period.
    pub per_period: f64,
    /// Name of the segment whose parameters the new customers take.
    pub segment: String,
    /// Cost of acquiring one customer, paid when they arrive.
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub acquisition_cost: f64,
}

/// `simulateEquity`'s input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SimulationFields"))]
pub struct EquityConfig {
    /// Today's customers, by segment (at least one).
    pub segments: Vec<Segment>,
    /// New customers; none when omitted.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub acquisition: Option<Acquisition>,
    /// Discount rate per period.
    pub discount_rate: f64,
    /// Periods simulated.
    pub horizon: f64,
    /// When each period's margin is paid: `"end"` (the default) or `"start"`.
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub timing: Timing,
    /// Number of runs (required by `simulateEquity`; set once at the top level in a comparison).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub runs: Option<f64>,
    /// Seed of the random streams, a whole number up to 2^53 − 1 (same rule as `runs`).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub seed: Option<f64>,
    /// Equity target for `probAboveTarget`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub target: Option<f64>,
}

/// `compareScenariosMc`'s input: scenarios simulated with the same random numbers as the base, each a
/// whole model or changes against the base (the type `S` of `scenarios`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(
    test,
    derive(ts_rs::TS),
    ts(rename = "CompareScenariosMcInput", concrete(S = EquityConfig))
)]
pub struct CompareConfig<S = EquityConfig> {
    #[cfg_attr(test, ts(type = "SimulationModel"))]
    pub base: EquityConfig,
    /// Whole models (each with its own `segments`), or changes against the base as `compareScenarios`
    /// takes them (`{ name, changes, segment? }`, applied per segment); all of one kind.
    #[cfg_attr(test, ts(type = "Array<SimulationModel> | Array<Scenario>"))]
    pub scenarios: Vec<S>,
    /// Runs of the base and of each scenario.
    pub runs: f64,
    /// Seed of the random streams, shared by the base and the scenarios (whole, up to 2^53 − 1).
    pub seed: f64,
}

/// Per-customer margin after validation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MarginPlan {
    pub mean: f64,
    /// Gamma shape `1/cv²`; `None` when every customer earns `mean`.
    pub shape: Option<f64>,
}

/// A validated segment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SegmentPlan {
    pub customers: u64,
    pub margin: MarginPlan,
    pub retention: Retention,
    pub retention_sd: f64,
    pub margin_sd: f64,
}

/// Validated acquisition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AcquisitionPlan {
    pub per_period: f64,
    pub segment: usize,
    pub cost: f64,
}

/// A validated configuration, in the types the simulation uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub(crate) names: Vec<String>,
    pub(crate) segments: Vec<SegmentPlan>,
    pub(crate) acquisition: Option<AcquisitionPlan>,
    pub(crate) horizon: usize,
    pub(crate) timing: Timing,
    /// `(1 + d)^−t` for `t = 0..=horizon`.
    pub(crate) discount: Vec<f64>,
    pub(crate) runs: u32,
    pub(crate) seed: u64,
    pub(crate) target: Option<f64>,
}

impl Plan {
    /// Periods simulated.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// The seed of the random streams.
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    /// Runs simulated.
    pub fn runs(&self) -> u32 {
        self.runs
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Cohorts simulated per segment and run (1 without acquisition, 1 + horizon with it).
    pub(crate) fn steps_per_run(&self) -> u64 {
        let horizon = self.horizon as u64;
        let cohorts = if self.acquisition.is_some() {
            horizon + 1
        } else {
            1
        };
        self.segments.len() as u64 * cohorts * horizon
    }
}

impl EquityConfig {
    /// Checks a `simulateEquity` input and converts it into a [`Plan`].
    pub fn validate(&self) -> Result<Plan, InputError> {
        let runs = required("runs", self.runs)?;
        let seed = required("seed", self.seed)?;
        let plan = self.validate_model("", runs, seed)?;
        check_budget("runs", &plan)?;
        Ok(plan)
    }

    /// Checks the model with the given `runs` and `seed` (top-level fields of the input, so named
    /// without a prefix); `prefix` names this configuration in error messages (`""`, `"base."`,
    /// `"scenarios[2]."`).
    fn validate_model(&self, prefix: &str, runs: f64, seed: f64) -> Result<Plan, InputError> {
        let runs = error::whole_positive("runs", runs, MAX_RUNS)?;
        let seed = seed_value("seed", seed)?;
        let horizon =
            error::whole_positive(&format!("{prefix}horizon"), self.horizon, MAX_HORIZON)?;
        let discount_rate = error::rate(&format!("{prefix}discountRate"), self.discount_rate)?;
        if self.segments.is_empty() || self.segments.len() > MAX_SEGMENTS {
            return Err(InputError::invalid(
                format!("{prefix}segments"),
                format!(
                    "must list 1 to {MAX_SEGMENTS} segments (got {})",
                    self.segments.len()
                ),
            ));
        }
        let segments = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| s.validate(&format!("{prefix}segments[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let acquisition = self
            .acquisition
            .as_ref()
            .map(|a| a.validate(&format!("{prefix}acquisition"), &self.segments))
            .transpose()?;
        if let Some(target) = self.target {
            error::finite(&format!("{prefix}target"), target)?;
        }
        let factor = 1.0 / (1.0 + discount_rate);
        let discount: Vec<f64> = (0..=horizon).map(|t| factor.powi(t as i32)).collect();
        let largest = discount.last().copied().unwrap_or(1.0);
        if largest > MAX_DISCOUNT_FACTOR {
            return Err(InputError::invalid(
                format!("{prefix}discountRate"),
                format!(
                    "(1 + discountRate)^−horizon = {largest:e} exceeds {MAX_DISCOUNT_FACTOR:e} (got {discount_rate})"
                ),
            ));
        }
        Ok(Plan {
            names: self.segments.iter().map(|s| s.name.clone()).collect(),
            segments,
            acquisition,
            horizon: horizon as usize,
            timing: self.timing,
            discount,
            runs,
            seed,
            target: self.target,
        })
    }
}

impl<S> CompareConfig<S> {
    /// Checks the number of scenarios and the base's model, into the base's plan.
    pub fn validate_base(&self) -> Result<Plan, InputError> {
        if self.scenarios.is_empty() || self.scenarios.len() > MAX_SCENARIOS {
            return Err(InputError::invalid(
                "scenarios",
                format!(
                    "must list 1 to {MAX_SCENARIOS} scenarios (got {})",
                    self.scenarios.len()
                ),
            ));
        }
        self.model_plan(&self.base, "base.")
    }

    /// The plan of one model of the comparison, which must leave `runs` and `seed` to the comparison.
    fn model_plan(&self, config: &EquityConfig, prefix: &str) -> Result<Plan, InputError> {
        for (field, value) in [("runs", config.runs), ("seed", config.seed)] {
            if value.is_some() {
                return Err(InputError::invalid(
                    format!("{prefix}{field}"),
                    "set runs and seed once, at the top level of the comparison",
                ));
            }
        }
        config.validate_model(prefix, self.runs, self.seed)
    }
}

impl CompareConfig {
    /// Checks a `compareScenariosMc` input: the base's plan, then each scenario's.
    pub fn validate(&self) -> Result<(Plan, Vec<Plan>), InputError> {
        let base = self.validate_base()?;
        let scenarios = self
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| self.model_plan(s, &format!("scenarios[{i}].")))
            .collect::<Result<Vec<_>, _>>()?;
        let steps = std::iter::once(&base)
            .chain(&scenarios)
            .map(|p| p.steps_per_run())
            .sum::<u64>();
        check_steps("runs", u64::from(base.runs) * steps)?;
        Ok((base, scenarios))
    }
}

impl EquityConfig {
    /// This model with a scenario's changes (see [`crate::scenario`]), made to every segment or only to
    /// the one named `segment`: `retention`, `margin` (a Gamma margin's mean, its `cv` kept),
    /// `marginChange`, `churnChange`, and the model's `discountRate` and acquisition's `acquisitionCost`.
    /// The simulation has no margin growth and one discount rate, so `marginGrowth`, and `discountRate`
    /// with a `segment`, are refused.
    pub fn with_changes(
        &self,
        changes: &Changes,
        segment: Option<&str>,
    ) -> Result<EquityConfig, InputError> {
        if changes.margin_growth.is_some() {
            return Err(InputError::invalid(
                "marginGrowth",
                "the Monte Carlo has no margin growth; leave it out",
            ));
        }
        let mut model = self.clone();
        if let Some(rate) = changes.discount_rate {
            if segment.is_some() {
                return Err(InputError::invalid(
                    "discountRate",
                    "the simulation has one discount rate for every segment; leave out segment to change it",
                ));
            }
            model.discount_rate = rate;
        }
        if let Some(cost) = changes.acquisition_cost {
            let acquisition = model.acquisition.as_mut().ok_or_else(no_acquisition)?;
            acquisition.acquisition_cost = cost;
        }
        let mut found = false;
        for s in model.segments.iter_mut() {
            if segment.is_some_and(|name| name != s.name) {
                continue;
            }
            found = true;
            s.retention = changes.retention.unwrap_or(s.retention);
            s.margin = s.margin.changed(changes.margin, changes.margin_change);
            if let Some(change) = changes.churn_change {
                s.retention = change.apply(s.retention)?;
            }
        }
        match segment {
            Some(name) if !found => Err(no_segment(name)),
            _ => Ok(model),
        }
    }
}

impl Segment {
    fn validate(&self, field: &str) -> Result<SegmentPlan, InputError> {
        let customers = count(&format!("{field}.customers"), self.customers)?;
        self.retention.validate(&format!("{field}.retention"))?;
        let margin = self.margin.validate(&format!("{field}.margin"))?;
        let uncertainty = self.uncertainty.unwrap_or_default();
        let sd_field = format!("{field}.uncertainty.retentionSd");
        let retention_sd = error::non_negative(&sd_field, uncertainty.retention_sd)?;
        if retention_sd > 0.0 {
            let mean = self.retention.rate(1);
            let limit = (mean * (1.0 - mean)).sqrt();
            if retention_sd >= limit {
                return Err(InputError::invalid(
                    sd_field,
                    format!(
                        "must be less than sqrt(r(1 − r)) = {limit} for a first-period retention r = {mean} (got {retention_sd})"
                    ),
                ));
            }
        }
        let sd_field = format!("{field}.uncertainty.marginSd");
        let margin_sd = error::amount(
            &sd_field,
            error::non_negative(&sd_field, uncertainty.margin_sd)?,
        )?;
        if margin_sd > 0.0 && margin.mean <= 0.0 {
            return Err(InputError::invalid(
                sd_field,
                format!(
                    "needs a positive mean margin to draw around (got {})",
                    margin.mean
                ),
            ));
        }
        Ok(SegmentPlan {
            customers,
            margin,
            retention: self.retention,
            retention_sd,
            margin_sd,
        })
    }
}

impl Margin {
    /// This margin set to `margin` (a Gamma's mean), then scaled by `change`.
    fn changed(self, margin: Option<f64>, change: Option<MarginChange>) -> Margin {
        let new = |m: f64| {
            let m = margin.unwrap_or(m);
            change.map_or(m, |c| c.apply(m))
        };
        match self {
            Margin::Fixed(m) => Margin::Fixed(new(m)),
            Margin::Gamma { mean, cv } => Margin::Gamma {
                mean: new(mean),
                cv,
            },
        }
    }

    fn validate(&self, field: &str) -> Result<MarginPlan, InputError> {
        match *self {
            Margin::Fixed(margin) => Ok(MarginPlan {
                mean: error::amount(field, margin)?,
                shape: None,
            }),
            Margin::Gamma { mean, cv } => {
                let mean_field = format!("{field}.mean");
                let mean = error::amount(&mean_field, error::positive(&mean_field, mean)?)?;
                let cv_field = format!("{field}.cv");
                let cv = error::non_negative(&cv_field, cv)?;
                if cv > MAX_CV || (cv > 0.0 && cv < MIN_CV) {
                    return Err(InputError::invalid(
                        cv_field,
                        format!(
                            "must be 0 (fixed margins) or from {MIN_CV} to {MAX_CV} (got {cv})"
                        ),
                    ));
                }
                let shape = (cv > 0.0).then(|| 1.0 / (cv * cv));
                Ok(MarginPlan { mean, shape })
            }
        }
    }
}

impl Acquisition {
    fn validate(&self, field: &str, segments: &[Segment]) -> Result<AcquisitionPlan, InputError> {
        let per_field = format!("{field}.perPeriod");
        let per_period = error::non_negative(&per_field, self.per_period)?;
        if per_period > MAX_CUSTOMERS {
            return Err(InputError::invalid(
                per_field,
                format!("must be at most {MAX_CUSTOMERS} (got {per_period})"),
            ));
        }
        let named = segments.iter().filter(|s| s.name == self.segment).count();
        let segment = match segments.iter().position(|s| s.name == self.segment) {
            Some(segment) if named == 1 => segment,
            _ => {
                return Err(InputError::invalid(
                    format!("{field}.segment"),
                    format!(
                        "must name exactly one segment ({named} are named {:?})",
                        self.segment
                    ),
                ))
            }
        };
        let cost = error::amount(&format!("{field}.acquisitionCost"), self.acquisition_cost)?;
        Ok(AcquisitionPlan {
            per_period,
            segment,
            cost,
        })
    }
}

fn required(field: &str, value: Option<f64>) -> Result<f64, InputError> {
    value.ok_or_else(|| InputError::invalid(field, "is required"))
}

pub(crate) fn count(field: &str, value: f64) -> Result<u64, InputError> {
    error::finite(field, value)?;
    if value.fract() != 0.0 || !(0.0..=MAX_CUSTOMERS).contains(&value) {
        return Err(InputError::invalid(
            field,
            format!("must be a whole number from 0 to {MAX_CUSTOMERS} (got {value})"),
        ));
    }
    // Exact: a whole number within 0..=1e9.
    Ok(value as u64)
}

fn seed_value(field: &str, value: f64) -> Result<u64, InputError> {
    error::finite(field, value)?;
    if value.fract() != 0.0 || !(0.0..=MAX_SEED).contains(&value) {
        return Err(InputError::invalid(
            field,
            format!("must be a whole number from 0 to {MAX_SEED} (got {value})"),
        ));
    }
    // Exact: a whole number below 2^53.
    Ok(value as u64)
}

/// Refuses a plan whose stored values or work exceed the limits, naming `field`.
pub(crate) fn check_budget(field: &str, plan: &Plan) -> Result<(), InputError> {
    let stored = u64::from(plan.runs) * plan.horizon as u64;
    if stored > MAX_STORED_VALUES {
        return Err(InputError::invalid(
            field,
            format!(
                "runs × horizon = {stored} exceeds the limit of {MAX_STORED_VALUES} stored values; use fewer runs or a shorter horizon"
            ),
        ));
    }
    check_steps(field, u64::from(plan.runs) * plan.steps_per_run())
}

pub(crate) fn check_steps(field: &str, steps: u64) -> Result<(), InputError> {
    if steps > MAX_STEPS {
        return Err(InputError::invalid(
            field,
            format!(
                "runs × segments × cohorts × horizon = {steps} exceeds the limit of {MAX_STEPS} simulation steps; use fewer runs, segments or periods"
            ),
        ));
    }
    Ok(())
}
