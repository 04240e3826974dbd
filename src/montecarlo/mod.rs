//! Monte Carlo customer equity: the distribution over runs of a customer base's total discounted
//! margin, simulated exactly in aggregate.
//!
//! # The model
//! A segment has `N` customers. Each customer's margin per period `m` is drawn once (a number, or
//! Gamma with mean `μ` and coefficient of variation `cv`, shape `k = 1/cv²`); retention is constant `r`
//! or shifted-beta-geometric (Fader & Hardie 2007, "How to project customer retention", *Journal of
//! Interactive Marketing* 21(1)): each customer's churn probability θ ~ Beta(α, β) is drawn once and
//! kept, so a new customer survives `t` renewal decisions with probability `S(t) = B(α, β + t)/B(α, β)`.
//! One customer is worth `X = Σ_t m·1[alive at t]·(1 + d)^−t` and the segment `Σ_j X_j`, so
//! `E[equity] = N·E[m]·Σ_t S(t)/(1 + d)^t` and, without parameter uncertainty,
//! `Var[equity] = N·Var(X)`.
//!
//! Conventions (the same as `clv`): periods are the unit of time; `discount_rate` is per period.
//! Timing `"end"` (the default): a customer alive at the end of period `t` (who survived `t` renewal
//! decisions) pays at `t = 1..=horizon`, discounted `(1 + d)^−t`; timing `"start"`: pays at
//! `t = 0..horizon` while alive, so existing customers pay for sure at `t = 0`. New customers
//! (`acquisition`) arrive at the start of each period, times `a = 0..horizon`, a Poisson number with
//! mean `perPeriod` each time; they cost `acquisitionCost` each at arrival (discounted `(1 + d)^−a`)
//! and then behave as new customers of their segment with their clock starting at `a`.
//! `byPeriod[p − 1]` is the cumulative discounted equity of periods `1..=p`; its last entry is the
//! run's total.
//!
//! # Exact aggregate simulation
//! No per-customer loop. Customers are independent and each one's survival process is a Markov
//! chain: given alive after `s − 1` renewals, a customer renews with probability
//! `r(s) = S(s)/S(s − 1)` (`(β + s − 1)/(α + β + s − 1)` under sBG: the posterior of θ given survival),
//! whatever the other customers do. So the number alive is exactly a chain of binomials,
//! `n_s ~ Binomial(n_{s−1}, r(s))`, with the same joint law as `N` customers each with their own θ.
//! This is exact for the continuous Beta at every order: no quadrature or strata are needed
//! (Gauss–Jacobi strata with K nodes are exact only for moments of θ up to 2K − 1).
//!
//! The chain sorts customers into lifetime groups: `c_ℓ` customers are alive for tenures `0..=ℓ` and
//! then churn (the last group survives the horizon). Margins are independent of survival, so each
//! group's margin total is the sum of `c_ℓ` iid Gamma(k, μ/k), which is exactly one Gamma(c_ℓ·k, μ/k),
//! independent across groups; the margin total of those alive at tenure `s` is `Σ_{ℓ ≥ s} G_ℓ`, which
//! keeps each customer's margin fixed across periods. One run costs one binomial and one Gamma per
//! segment, cohort and period, whatever `N`.
//!
//! # Parameter uncertainty
//! `uncertainty: { retentionSd, marginSd }` draws, per run and segment, the first-period retention
//! `r(1)` from a Beta with that mean and standard deviation (an sBG keeps its `α + β` and moves its
//! mean) and the mean margin from a Gamma with that mean and standard deviation, before the customers.
//!
//! # Example
//! ```
//! use clvlab::montecarlo::{simulate_equity, EquityConfig};
//!
//! // Customers who never churn, margin 10, no discounting: 1,000 × 10 × 12 periods in every run.
//! let config: EquityConfig = serde_json::from_str(
//!     r#"{ "segments": [{ "name": "all", "customers": 1000, "margin": 10, "retention": 1 }],
//!          "discountRate": 0, "horizon": 12, "runs": 5, "seed": 1 }"#,
//! ).unwrap();
//! let result = simulate_equity(&config).unwrap();
//! assert_eq!(result.equity.mean, 120_000.0);
//! assert_eq!(result.equity.std_dev, 0.0);
//! assert_eq!(result.by_period.p50[0], 10_000.0);
//! ```
//!
//! # Randomness
//! Run `i`, segment `j` draws from Xoshiro256++ streams seeded from a SplitMix64 hash of
//! `(seed, i, j, purpose)`, so results are bit-identical however the runs are chunked or spread over
//! workers, and scenarios compared by [`compare_scenarios`] share random numbers (common random
//! numbers): their differences are due to the parameters, not the draws.

mod config;
mod simulate;
mod summary;
pub(crate) use config::{check_steps, count};
pub(crate) use simulate::run_uniform;
pub(crate) use summary::{by_period, check_run_range, in_run_order, quantile, quantile_unsorted};

pub use config::{
    Acquisition, CompareConfig, EquityConfig, Margin, Plan, Segment, Timing, Uncertainty,
    MAX_CUSTOMERS, MAX_HORIZON, MAX_RUNS, MAX_SCENARIOS, MAX_SEGMENTS, MAX_STEPS,
    MAX_STORED_VALUES,
};
pub use summary::{
    distribution, simulate_chunk, summarize, ByPeriod, Distribution, EquitySummary, Histogram,
    Percentiles, RunChunk, SegmentMean, HISTOGRAM_BINS,
};

use serde::Serialize;

use crate::error::InputError;
use crate::scenario::Scenario;
use simulate::{simulate_run, RunBuffers};

/// Simulates every run of `config` in one call and summarizes them.
pub fn simulate_equity(config: &EquityConfig) -> Result<EquitySummary, InputError> {
    let plan = config.validate()?;
    let chunk = simulate_chunk(&plan, 0, plan.runs())?;
    summarize(&plan, &[chunk])
}

/// A scenario next to the base, run for run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ScenarioMcComparison"))]
pub struct ScenarioComparison {
    /// The scenario's name, when it was written as changes; `null` for a whole model.
    pub name: Option<String>,
    /// The scenario's equity.
    pub equity: Distribution,
    /// Scenario minus base, run by run.
    pub delta: Distribution,
    /// Share of runs in which the scenario's equity exceeds the base's.
    pub prob_better: f64,
}

/// `compareScenariosMc`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "McComparison"))]
pub struct Comparison {
    /// Runs simulated, of the base and of each scenario.
    pub runs: u32,
    /// The base's equity.
    pub base: Distribution,
    pub scenarios: Vec<ScenarioComparison>,
}

/// Simulates the base and every scenario with the same random streams and reports the distribution of
/// each scenario's difference from the base.
pub fn compare_scenarios(config: &CompareConfig) -> Result<Comparison, InputError> {
    let (base, scenarios) = config.validate()?;
    let base_totals = totals(&base)?;
    let scenarios = scenarios
        .iter()
        .map(|plan| {
            let equity = totals(plan)?;
            let delta: Vec<f64> = equity
                .iter()
                .zip(&base_totals)
                .map(|(s, b)| s - b)
                .collect();
            let better = delta.iter().filter(|&&d| d > 0.0).count();
            Ok(ScenarioComparison {
                name: None,
                equity: distribution(&equity),
                prob_better: better as f64 / delta.len() as f64,
                delta: distribution(&delta),
            })
        })
        .collect::<Result<Vec<_>, InputError>>()?;
    Ok(Comparison {
        runs: base.runs(),
        base: distribution(&base_totals),
        scenarios,
    })
}

/// [`compare_scenarios`] with each scenario written as changes against the base, as
/// [`crate::scenario::compare_scenarios`] takes them: the same what-if, valued with its uncertainty.
/// Errors name `base.…`, then `scenarios[i].changes.…` (or `scenarios[i].segment`), then the changed
/// model's own fields (`scenarios[i].segments[j].…`).
pub fn compare_changes(config: &CompareConfig<Scenario>) -> Result<Comparison, InputError> {
    config.validate_base()?;
    let scenarios = (config.scenarios.iter().enumerate())
        .map(|(i, s)| {
            s.changed(i, |changes, segment| {
                config.base.with_changes(changes, segment)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let models = CompareConfig {
        base: config.base.clone(),
        scenarios,
        runs: config.runs,
        seed: config.seed,
    };
    let mut comparison = compare_scenarios(&models)?;
    for (result, scenario) in comparison.scenarios.iter_mut().zip(&config.scenarios) {
        result.name = Some(scenario.name.clone());
    }
    Ok(comparison)
}

/// Run `run`'s total equity.
pub(crate) fn run_total(plan: &Plan, run: u32) -> Result<f64, InputError> {
    let mut by_period = vec![0.0; plan.horizon()];
    let mut by_segment = vec![0.0; plan.segment_count()];
    let buffers = RunBuffers {
        by_period: &mut by_period,
        by_segment: &mut by_segment,
    };
    simulate_run(plan, run, buffers)
}

/// Each run's total equity.
fn totals(plan: &Plan) -> Result<Vec<f64>, InputError> {
    let mut by_period = vec![0.0; plan.horizon()];
    let mut by_segment = vec![0.0; plan.segment_count()];
    (0..plan.runs())
        .map(|run| {
            let buffers = RunBuffers {
                by_period: &mut by_period,
                by_segment: &mut by_segment,
            };
            simulate_run(plan, run, buffers)
        })
        .collect()
}
