//! What an improvement is worth to one prospect: the numbers of a sales demo's value story.
//!
//! # The model
//! The prospect's customer base is the Monte Carlo's ([`crate::montecarlo`]) with one segment:
//! `customers` today, each earning `margin` per period and renewing with constant probability
//! `retention` each period, plus on average `newCustomers` won at the start of each period (a
//! Poisson number) at `acquisitionCost` each. With `v = 1/(1 + d)`, payments at the end of each period
//! and `H` periods, its expected customer equity is
//!
//! `E = N·m·Σ_{t=1..H} rᵗvᵗ + λ·Σ_{s=0..H−1} vˢ·(m·Σ_{k=1..H−s} rᵏvᵏ − c)`.
//!
//! # The improvement
//! The product changes churn `1 − r`, the margin and the acquisition cost by relative amounts
//! (`-0.15`: 15 % less churn), each a number or a range `{ from, to }`. How well the product works for
//! this prospect is one unknown `u`, uniform on [0, 1]: every effect is `from + u·(to − from)`, so the
//! ranges move together (a product that cuts churn by the most also raises margin by the most). The
//! expected gain `∫₀¹ (E(u) − E) du` is integrated by Simpson's rule on [`SIMPSON_INTERVALS`]
//! intervals.
//!
//! # The interval
//! Each run draws its `u` (from its own stream of the seed), then simulates the base and the improved
//! base with common random numbers (the same streams, see [`crate::montecarlo`]): the gain's
//! distribution holds the uncertainty of the effect and of which customers stay, without the noise of
//! two independent simulations.
//!
//! # Price and payback
//! The product costs `upfront` now and `perPeriod` at the end of each period; `priceValue` is its
//! present value over the horizon and `probAbovePrice` the share of runs whose gain exceeds it.
//! `payback` is the first time `t` (in periods, 0 = now) at which the expected cumulative discounted
//! gain is positive and reaches the cumulative discounted price. `cumulative.*[t]` holds everything paid up to and
//! including time `t = 0..=H` (acquisition costs fall at the start of a period, margins at its end).
//!
//! # The rule of thumb
//! Reichheld & Sasser (1990), "Zero defections: quality comes to services", *Harvard Business Review*
//! 68(5), found that cutting defections by 5 points raised profits by 25 % to 85 % in the businesses
//! they studied. `ruleOfThumb` is what the same cut (retention `r + 0.05`, at most 1) does to this
//! prospect's expected equity.
//!
//! # Example
//! ```
//! use clvlab::value_story::{value_story, ValueStoryInput};
//!
//! // Churn 20 % → 18 %: 1,000 customers worth 100 a year each while they stay.
//! let input: ValueStoryInput = serde_json::from_str(
//!     r#"{ "customers": 1000, "margin": 100, "retention": 0.8, "discountRate": 0.1, "horizon": 1200,
//!          "improvement": { "churn": -0.1 }, "runs": 10, "seed": 1 }"#,
//! ).unwrap();
//! let story = value_story(&input).unwrap();
//! // Gupta & Lehmann's m·r/(1 + d − r): 1,000 × 80/0.3 before, 1,000 × 82/0.28 after.
//! assert!((story.equity_before - 266_666.667).abs() < 1e-2);
//! assert!((story.equity_after - 292_857.143).abs() < 1e-2);
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{self, InputError};
use crate::input::absent_as_default;
use crate::montecarlo::{
    self, check_steps, distribution, run_uniform, Acquisition, Distribution, EquityConfig, Margin,
    Segment, Timing,
};
use crate::retention::Retention;

/// Intervals of Simpson's rule over the effect's quantile `u` (even).
pub const SIMPSON_INTERVALS: usize = 64;
/// The defection cut of Reichheld & Sasser's rule of thumb, as a retention rise.
pub const RULE_OF_THUMB_POINTS: f64 = 0.05;

/// `valueStory`'s input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ValueStoryInput {
    /// Customers today (a whole number).
    pub customers: f64,
    /// Margin per customer and period.
    pub margin: f64,
    /// Retention per period, a fraction.
    pub retention: f64,
    /// Discount rate per period, a fraction.
    pub discount_rate: f64,
    /// Periods valued.
    pub horizon: f64,
    /// New customers won per period, on average; default 0.
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub new_customers: f64,
    /// Cost of winning one new customer; default 0.
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub acquisition_cost: f64,
    /// What the product changes.
    pub improvement: Improvement,
    /// What the product costs; none when omitted.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub price: Option<Price>,
    /// Runs of the simulation.
    pub runs: f64,
    /// Seed of the random streams, a whole number up to 2^53 − 1.
    pub seed: f64,
}

/// The product's effects, relative changes (at least one).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Improvement {
    /// Change of churn `1 − retention`: `-0.15` = 15 % less churn.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub churn: Option<Effect>,
    /// Change of the margin: `0.05` = 5 % more margin.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub margin: Option<Effect>,
    /// Change of the acquisition cost: `-0.1` = 10 % cheaper (needs `newCustomers`).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub acquisition_cost: Option<Effect>,
}

/// A relative change: a number, or a range `{ from, to }` the effect lies in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Effect {
    Fixed(f64),
    Range { from: f64, to: f64 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeFields {
    from: f64,
    to: f64,
}

impl<'de> Deserialize<'de> for Effect {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::input::number_or(
            deserializer,
            "a relative change (a number such as -0.15) or a range { from, to }",
            Effect::Fixed,
            |RangeFields { from, to }| Ok(Effect::Range { from, to }),
        )
    }
}

impl Effect {
    /// The effect at quantile `u` of its range.
    fn at(&self, u: f64) -> f64 {
        match *self {
            Effect::Fixed(x) => x,
            Effect::Range { from, to } => from + u * (to - from),
        }
    }

    /// Both ends, each with its field name under `field`.
    fn ends(&self, field: &str) -> Vec<(String, f64)> {
        match *self {
            Effect::Fixed(x) => vec![(field.to_owned(), x)],
            Effect::Range { from, to } => {
                vec![(format!("{field}.from"), from), (format!("{field}.to"), to)]
            }
        }
    }
}

/// The product's price.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Price {
    /// Paid now; default 0.
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub upfront: f64,
    /// Paid at the end of each period of the horizon; default 0.
    #[serde(default, deserialize_with = "absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub per_period: f64,
}

/// The expected gain, and the gain at each end of the improvement's range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "StoryGain"))]
pub struct Gain {
    pub expected: f64,
    /// The smaller of the gains at the two ends of the range.
    pub low: f64,
    /// The larger.
    pub high: f64,
}

/// The gain over the simulated runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SimulatedGain {
    pub runs: u32,
    /// Improved minus base equity, run by run.
    pub gain: Distribution,
    /// Share of runs with a positive gain.
    pub prob_positive: f64,
    /// Share of runs whose gain exceeds `priceValue`; null without a price.
    pub prob_above_price: Option<f64>,
}

/// Cumulative discounted amounts at times `0..=horizon` (everything paid up to and including `t`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Cumulative {
    /// The expected gain.
    pub gain: Vec<f64>,
    /// The gain at the end of the range with the smaller total gain.
    pub low: Vec<f64>,
    /// The gain at the other end.
    pub high: Vec<f64>,
    /// The price; null without one.
    pub price: Option<Vec<f64>>,
}

/// What Reichheld & Sasser's 5-point cut in defections does to this prospect's equity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RuleOfThumb {
    /// Retention after the cut (`retention + 0.05`, at most 1).
    pub retention: f64,
    /// Its expected equity gain.
    pub gain: f64,
    /// The gain in percent of today's expected equity; null when that is 0.
    pub gain_percent: Option<f64>,
}

/// `valueStory`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ValueStory {
    /// Expected customer equity over the horizon without the product.
    pub equity_before: f64,
    /// Expected customer equity with it, the effect averaged over its range.
    pub equity_after: f64,
    pub gain: Gain,
    pub simulated: SimulatedGain,
    /// Present value of the price over the horizon; null without a price.
    pub price_value: Option<f64>,
    /// First time, in periods, at which the expected cumulative gain reaches the cumulative price;
    /// null without a price, or when it does not within the horizon.
    pub payback: Option<u32>,
    pub cumulative: Cumulative,
    pub rule_of_thumb: RuleOfThumb,
}

/// The customer base's parameters, before or after the product.
#[derive(Debug, Clone, Copy)]
struct Base {
    customers: f64,
    margin: f64,
    retention: f64,
    new_customers: f64,
    acquisition_cost: f64,
}

impl Base {
    /// Expected discounted amount paid at each time `0..=horizon` (see the module's formula).
    fn expected_by_time(&self, discount: f64, horizon: usize) -> Vec<f64> {
        let v = 1.0 / (1.0 + discount);
        let (mut rv, mut vt, mut rk) = (1.0, 1.0, 0.0);
        (0..=horizon)
            .map(|t| {
                let mut paid = 0.0;
                if t > 0 {
                    vt *= v;
                    rv *= self.retention * v;
                    rk = rk * self.retention + self.retention;
                    paid = (self.customers * rv + self.new_customers * rk * vt) * self.margin;
                }
                let cost = if t < horizon {
                    self.new_customers * self.acquisition_cost * vt
                } else {
                    0.0
                };
                paid - cost
            })
            .collect()
    }

    /// This base after the improvement at quantile `u`.
    fn improved(&self, improvement: &Improvement, u: f64) -> Base {
        let change = |effect: Option<Effect>| 1.0 + effect.map_or(0.0, |e| e.at(u));
        Base {
            retention: 1.0 - (1.0 - self.retention) * change(improvement.churn),
            margin: self.margin * change(improvement.margin),
            acquisition_cost: self.acquisition_cost * change(improvement.acquisition_cost),
            ..*self
        }
    }

    /// The simulation's model of this base.
    fn config(&self, input: &ValueStoryInput) -> EquityConfig {
        EquityConfig {
            segments: vec![Segment {
                name: String::new(),
                customers: self.customers,
                margin: Margin::Fixed(self.margin),
                retention: Retention::Constant(self.retention.clamp(0.0, 1.0)),
                uncertainty: None,
            }],
            acquisition: (self.new_customers > 0.0).then(|| Acquisition {
                per_period: self.new_customers,
                segment: String::new(),
                acquisition_cost: self.acquisition_cost,
            }),
            discount_rate: input.discount_rate,
            horizon: input.horizon,
            timing: Timing::End,
            runs: Some(input.runs),
            seed: Some(input.seed),
            target: None,
        }
    }
}

impl ValueStoryInput {
    fn base(&self) -> Base {
        Base {
            customers: self.customers,
            margin: self.margin,
            retention: self.retention,
            new_customers: self.new_customers,
            acquisition_cost: self.acquisition_cost,
        }
    }

    /// Checks the input; errors name its fields (`customers`, `improvement.churn.from`, `price.upfront`).
    pub fn validate(&self) -> Result<(), InputError> {
        montecarlo::count("customers", self.customers)?;
        let max = montecarlo::MAX_CUSTOMERS;
        error::amount("margin", self.margin)?;
        error::probability("retention", self.retention)?;
        error::rate("discountRate", self.discount_rate)?;
        if error::non_negative("newCustomers", self.new_customers)? > max {
            return Err(InputError::invalid(
                "newCustomers",
                format!("must be at most {max} (got {})", self.new_customers),
            ));
        }
        error::amount("acquisitionCost", self.acquisition_cost)?;
        error::non_negative("acquisitionCost", self.acquisition_cost)?;
        self.validate_improvement()?;
        if let Some(price) = &self.price {
            for (field, value) in [("upfront", price.upfront), ("perPeriod", price.per_period)] {
                let field = format!("price.{field}");
                error::amount(&field, value)?;
                error::non_negative(&field, value)?;
            }
        }
        Ok(())
    }

    fn validate_improvement(&self) -> Result<(), InputError> {
        let Improvement {
            churn,
            margin,
            acquisition_cost,
        } = self.improvement;
        if churn.is_none() && margin.is_none() && acquisition_cost.is_none() {
            return Err(InputError::invalid(
                "improvement",
                "give at least one of churn, margin and acquisitionCost (relative changes such as -0.15)",
            ));
        }
        if acquisition_cost.is_some() && self.new_customers == 0.0 {
            return Err(InputError::invalid(
                "newCustomers",
                "is 0, so improvement.acquisitionCost changes nothing; give how many customers are won per period",
            ));
        }
        let churn_now = 1.0 - self.retention;
        let effects = [
            ("churn", churn, churn_now),
            ("margin", margin, self.margin),
            ("acquisitionCost", acquisition_cost, self.acquisition_cost),
        ];
        for (name, effect, value) in effects {
            let Some(effect) = effect else { continue };
            for (field, x) in effect.ends(&format!("improvement.{name}")) {
                error::finite(&field, x)?;
                if x < -1.0 {
                    return Err(InputError::invalid(
                        field,
                        format!("must be at least -1 (a 100 % cut); got {x}"),
                    ));
                }
                if name == "churn" && churn_now * (1.0 + x) > 1.0 {
                    return Err(InputError::invalid(
                        field,
                        format!(
                            "takes churn from {churn_now} to {}, above 1",
                            churn_now * (1.0 + x)
                        ),
                    ));
                }
                error::amount(&field, value * (1.0 + x)).map_err(|_| {
                    InputError::invalid(
                        &field,
                        format!("takes the {name} beyond the largest amount"),
                    )
                })?;
            }
        }
        Ok(())
    }
}

/// Weights of Simpson's rule on `n` (even) intervals of [0, 1], at `u = i/n`.
fn simpson_weights(n: usize) -> impl Iterator<Item = (f64, f64)> {
    let h = 1.0 / n as f64;
    (0..=n).map(move |i| {
        let w = if i == 0 || i == n {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        (i as f64 * h, w * h / 3.0)
    })
}

/// Running sums of `values`.
fn cumulative(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .scan(0.0, |sum, x| {
            *sum += x;
            Some(*sum)
        })
        .collect()
}

/// Tells the value story of `input` (see the module's documentation). Errors name its fields, and
/// `runs`, `seed`, `horizon` and `discountRate` as the simulation checks them.
pub fn value_story(input: &ValueStoryInput) -> Result<ValueStory, InputError> {
    let (base, base_plan) = prepare(input)?;
    let gains = run_gains(input, &base, &base_plan, 0..base_plan.runs())?;
    Ok(tell(input, &base, &base_plan, &gains))
}

/// The simulated gains of runs `first_run .. first_run + gains.len()` of a value story.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryChunk {
    pub first_run: u32,
    /// Improved minus base equity, run by run.
    pub gains: Vec<f64>,
}

/// Runs `first_run .. first_run + run_count` of `input`'s simulation, for telling the story a chunk at
/// a time ([`summarize_story`]); a run's gain depends on its index only. Errors as [`value_story`]'s,
/// and `firstRun` and `runCount`.
pub fn story_chunk(
    input: &ValueStoryInput,
    first_run: u32,
    run_count: u32,
) -> Result<StoryChunk, InputError> {
    let (base, base_plan) = prepare(input)?;
    montecarlo::check_run_range(base_plan.runs(), first_run, run_count)?;
    let gains = run_gains(input, &base, &base_plan, first_run..first_run + run_count)?;
    Ok(StoryChunk { first_run, gains })
}

/// The value story from [`story_chunk`]s that together cover runs `0 .. runs` once, in any order:
/// bit-identical to [`value_story`]. Errors name `chunks[i].firstRun` and `chunks[i].gains[j]`.
pub fn summarize_story(
    input: &ValueStoryInput,
    chunks: &[StoryChunk],
) -> Result<ValueStory, InputError> {
    let (base, base_plan) = prepare(input)?;
    let order =
        montecarlo::in_run_order(chunks, base_plan.runs(), |c| (c.first_run, c.gains.len()))?;
    for &(position, chunk) in &order {
        if let Some(i) = chunk.gains.iter().position(|g| !g.is_finite()) {
            return Err(InputError::NotFinite {
                field: format!("chunks[{position}].gains[{i}]"),
                value: chunk.gains[i],
            });
        }
    }
    let gains: Vec<f64> = order
        .iter()
        .flat_map(|(_, c)| c.gains.iter().copied())
        .collect();
    Ok(tell(input, &base, &base_plan, &gains))
}

/// The checked input's base and its simulation plan (within the simulation's step limit for two plans).
fn prepare(input: &ValueStoryInput) -> Result<(Base, montecarlo::Plan), InputError> {
    input.validate()?;
    let base = input.base();
    let base_plan = base.config(input).validate()?;
    check_steps(
        "runs",
        2 * u64::from(base_plan.runs()) * base_plan.steps_per_run(),
    )?;
    Ok((base, base_plan))
}

/// The gains of `runs`, each its effect quantile, then the base and the improved base on the same
/// streams.
fn run_gains(
    input: &ValueStoryInput,
    base: &Base,
    base_plan: &montecarlo::Plan,
    runs: std::ops::Range<u32>,
) -> Result<Vec<f64>, InputError> {
    runs.map(|run| {
        let u = run_uniform(base_plan.seed(), run);
        let improved = base
            .improved(&input.improvement, u)
            .config(input)
            .validate()?;
        Ok(montecarlo::run_total(&improved, run)? - montecarlo::run_total(base_plan, run)?)
    })
    .collect()
}

/// The story of a checked input from its simulated `gains` (one a run, in run order).
fn tell(
    input: &ValueStoryInput,
    base: &Base,
    base_plan: &montecarlo::Plan,
    gains: &[f64],
) -> ValueStory {
    let horizon = base_plan.horizon();
    let d = input.discount_rate;
    let before = base.expected_by_time(d, horizon);
    let gain_at = |u: f64| -> Vec<f64> {
        let after = base
            .improved(&input.improvement, u)
            .expected_by_time(d, horizon);
        after.iter().zip(&before).map(|(a, b)| a - b).collect()
    };
    let mut expected = vec![0.0; horizon + 1];
    for (u, w) in simpson_weights(SIMPSON_INTERVALS) {
        for (sum, g) in expected.iter_mut().zip(gain_at(u)) {
            *sum += w * g;
        }
    }
    let (ends_low, ends_high) = (cumulative(&gain_at(0.0)), cumulative(&gain_at(1.0)));
    let total = |values: &[f64]| values.last().copied().unwrap_or(0.0);
    let (low, high) = if total(&ends_low) <= total(&ends_high) {
        (ends_low, ends_high)
    } else {
        (ends_high, ends_low)
    };
    let gain = cumulative(&expected);
    let equity_before: f64 = before.iter().sum();

    let v = 1.0 / (1.0 + d);
    let price = input.price.map(|p| {
        let mut paid = p.upfront;
        let mut vt = 1.0;
        let mut values = vec![paid];
        for _ in 0..horizon {
            vt *= v;
            paid += p.per_period * vt;
            values.push(paid);
        }
        values
    });
    let price_value = price.as_deref().map(total);
    let payback = price.as_ref().and_then(|price| {
        let reached = gain
            .iter()
            .zip(price)
            .position(|(&g, &p)| g > 0.0 && g >= p)?;
        u32::try_from(reached).ok()
    });

    let simulated = simulated(base_plan.runs(), gains, price_value);
    let rule = Base {
        retention: (input.retention + RULE_OF_THUMB_POINTS).min(1.0),
        ..*base
    };
    let rule_gain = rule.expected_by_time(d, horizon).iter().sum::<f64>() - equity_before;
    ValueStory {
        equity_before,
        equity_after: equity_before + total(&gain),
        gain: Gain {
            expected: total(&gain),
            low: total(&low),
            high: total(&high),
        },
        simulated,
        price_value,
        payback,
        cumulative: Cumulative {
            gain,
            low,
            high,
            price,
        },
        rule_of_thumb: RuleOfThumb {
            retention: rule.retention,
            gain: rule_gain,
            gain_percent: (equity_before != 0.0).then(|| 100.0 * rule_gain / equity_before.abs()),
        },
    }
}

/// The gain over the simulated runs, from each run's `gains`.
fn simulated(runs: u32, gains: &[f64], price_value: Option<f64>) -> SimulatedGain {
    let share = |test: &dyn Fn(f64) -> bool| {
        gains.iter().filter(|&&g| test(g)).count() as f64 / gains.len() as f64
    };
    SimulatedGain {
        runs,
        prob_positive: share(&|g| g > 0.0),
        prob_above_price: price_value.map(|p| share(&|g| g > p)),
        gain: distribution(gains),
    }
}
