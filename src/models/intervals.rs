//! Predictive intervals for every customer of a summary, and for the whole base (`predictIntervals`).
//!
//! The parameters' uncertainty comes in as draws θ₁ … θ_D, the customers' own randomness through each
//! draw's conditional distribution of purchases ([`super::future_pmfs_if_alive`]):
//! - `laplace`: ln θ ~ N(ln θ̂, Σ_ln), the asymptotic normal of the log-parameters the fits maximise
//!   over, Σ_ln[i][j] = Σ[i][j] / (θ̂ᵢ θ̂ⱼ) from the fit's covariance Σ (the inverse of the delta method
//!   that carried it to the parameters' own scale);
//! - `bootstrap`: refits on customers resampled with replacement (Efron & Tibshirani 1993; as
//!   CLVTools does), drawn as multinomial weights on the distinct rows.
//!
//! For a customer with history (x, t_x, T) and horizon h:
//! - purchases: the mean E[Y] over the draws, and the central `level` interval of the predictive
//!   distribution P̄(y) = (1/D) Σ_d P(Y(h) = y | x, t_x, T, θ_d): lower is the smallest y with
//!   P̄(Y ≤ y) > (1 − level)/2, upper the smallest with P̄(Y ≤ y) ≥ (1 + level)/2, so the interval
//!   holds at least `level` of the mass;
//! - P(alive): at θ̂ (as `predict` gives it), and the `level` interval of its values over the draws.
//!
//! The base's purchases: given θ_d the customers are independent, and their sum, of thousands of
//! terms, is taken as normal with the sum of their means and variances; the draws mix these normals,
//! and the interval is the mixture's central `level` interval. The draws are shared by all customers,
//! so the total's interval is not the sum of theirs.
//!
//! Randomness only from `seed` (Xoshiro256++ seeded by SplitMix64): the same seed gives the same
//! intervals.

use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::gammagamma::{self, GammaGamma};
use super::predict::AliveAtDraws;
use super::value::{discounted_purchases_by_month, discounts};
use super::{
    bgnbd, customer_value, future_pmfs_if_alive, mbgnbd, paretonbd, Fit, Model, ModelError,
    PmfTable, PurchaseModel, Row, Summary, ValueInterval, ValueOptions, MAX_PARAMETER, MAX_TABLE,
};
use crate::error::{self, InputError};
use crate::montecarlo::quantile_unsorted;
use crate::special::dot;

/// The most parameter draws (`laplace`).
pub const MAX_DRAWS: u32 = 10_000;
/// The most refits (`bootstrap`).
pub const MAX_REFITS: u32 = 1_000;
/// The most terms summed over all draws and customers: beyond, the work would hang the tab.
pub const MAX_WORK: f64 = 2e9;

/// How the parameters' uncertainty is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Method {
    /// The asymptotic normal of the log-parameters.
    #[default]
    Laplace,
    /// Refits on resampled customers.
    Bootstrap,
}

/// `predictIntervals`' options.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "IntervalOptions"))]
pub struct IntervalOptions {
    /// How far ahead, in the summary's time unit.
    pub horizon: f64,
    /// The intervals' coverage, in (0, 1); 0.9 by default.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub level: Option<f64>,
    /// Parameter draws (`laplace`, at most 10,000) or refits (`bootstrap`, at most 1,000); 1,000 by
    /// default.
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
    /// With a spend fit (`spendFit`): each customer's value over the next months, as `customerValue`
    /// computes it, with its interval.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub value: Option<ValueOptions>,
}

/// Checked options: the horizon (none when only the value is wanted), the level, the number of draws
/// and the seed.
pub(super) struct Plan {
    pub horizon: Option<f64>,
    pub level: f64,
    pub draws: usize,
    pub seed: u64,
    pub method: Method,
}

/// The checked level, number of draws (at most `most`) and seed of `level`, `draws` and `seed`, each
/// optional (0.9, 1,000 and 1 by default).
pub(crate) fn checked_draws(
    level: Option<f64>,
    draws: Option<f64>,
    seed: Option<f64>,
    most: u32,
) -> Result<(f64, usize, u64), InputError> {
    let level = level.unwrap_or(0.9);
    error::finite("level", level)?;
    if !(level > 0.0 && level < 1.0) {
        return Err(InputError::invalid(
            "level",
            format!("must be between 0 and 1, exclusive (got {level})"),
        ));
    }
    let draws = error::whole_positive("draws", draws.unwrap_or(1000.0), most)?;
    let seed = error::whole_non_negative("seed", seed.unwrap_or(1.0), u32::MAX)?;
    Ok((level, draws as usize, u64::from(seed)))
}

impl IntervalOptions {
    fn validate(&self) -> Result<Plan, InputError> {
        error::positive("horizon", self.horizon)?;
        let most = match self.method {
            Method::Laplace => MAX_DRAWS,
            Method::Bootstrap => MAX_REFITS,
        };
        let (level, draws, seed) = checked_draws(self.level, self.draws, self.seed, most)?;
        Ok(Plan {
            horizon: Some(self.horizon),
            level,
            draws,
            seed,
            method: self.method,
        })
    }
}

/// A Gamma-Gamma fit and the customers' spend, to value them (`spendFit` with `value`).
#[derive(Debug, Clone, Copy)]
pub struct Spend<'a> {
    pub model: &'a GammaGamma,
    /// The spend fit's covariance (p, q, γ in that order), which `laplace` draws from.
    pub covariance: Option<&'a [Vec<f64>]>,
    /// Each customer's mean repeat spend m, in the summary's order.
    pub monetary_value: &'a [f64],
}

/// Per customer (in the summary's order) and for the base.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Intervals {
    /// E[Y(h)], averaged over the draws.
    pub expected_purchases: Vec<f64>,
    /// The predictive interval of the number of purchases.
    pub purchases_lower: Vec<f64>,
    pub purchases_upper: Vec<f64>,
    /// P(alive) at the estimate, and its interval over the draws.
    pub prob_alive: Vec<f64>,
    pub prob_alive_lower: Vec<f64>,
    pub prob_alive_upper: Vec<f64>,
    /// With a spend fit: each customer's value at the estimates and its interval over the draws.
    pub clv: Option<ClvIntervals>,
    /// The base's purchases over the horizon.
    pub total: TotalInterval,
}

/// Each customer's value over the `value` months, in the summary's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClvIntervals {
    /// At the estimates: `customerValue`'s.
    pub clv: Vec<f64>,
    /// The central `level` interval of the value over the parameter draws.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// The whole base's purchases over the horizon, and its value.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TotalInterval {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
    /// With a spend fit: the base's value (the sum of the customers'), at the estimates, its mean over
    /// the draws and its `level` interval (the parameters' uncertainty: the value is an expectation).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub value: Option<ValueInterval>,
}

/// One parameter draw: the purchase model and, with a spend fit, the spend model.
pub(super) struct Draw {
    pub purchase: Model,
    pub spend: Option<GammaGamma>,
}

/// The parameters of a purchase model in order, and the model at other parameters.
fn params(model: &Model) -> Result<Vec<f64>, ModelError> {
    match model {
        Model::Bgnbd(_) | Model::Mbgnbd(_) | Model::Paretonbd(_) => Ok(model.named_params().1),
        _ => Err(ModelError::Unsupported(
            "predictive intervals are for bgnbd, mbgnbd and paretonbd fits".to_owned(),
        )),
    }
}

fn with_params(model: &Model, p: &[f64]) -> Model {
    match model {
        Model::Bgnbd(_) => Model::Bgnbd(bgnbd::BgNbd::from_slice(p)),
        Model::Mbgnbd(_) => Model::Mbgnbd(mbgnbd::ModifiedBgNbd(bgnbd::BgNbd::from_slice(p))),
        _ => Model::Paretonbd(paretonbd::ParetoNbd::from_slice(p)),
    }
}

/// The lower Cholesky factor of `matrix`, or `None` when it is not positive definite.
fn cholesky(matrix: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = matrix.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = matrix[i][i] - sum;
                if !(d > 0.0 && d.is_finite()) {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (matrix[i][j] - sum) / l[j][j];
            }
        }
    }
    Some(l)
}

/// `draws` parameter vectors around `theta` from the asymptotic normal of the log-parameters, given
/// the covariance of the parameters themselves.
pub(crate) fn log_normal_draws(
    theta: &[f64],
    covariance: &[Vec<f64>],
    draws: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<Vec<Vec<f64>>, InputError> {
    let n = theta.len();
    let square = covariance.len() == n && covariance.iter().all(|row| row.len() == n);
    if !square {
        return Err(InputError::invalid(
            "covariance.matrix",
            format!("must be {n} × {n}, in the order of params"),
        ));
    }
    let log_covariance: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| covariance[i][j] / (theta[i] * theta[j]))
                .collect()
        })
        .collect();
    let l = cholesky(&log_covariance).ok_or_else(|| {
        InputError::invalid(
            "covariance",
            "is not positive definite (the information matrix is singular): there is no normal to draw from",
        )
    })?;
    let mut out = Vec::with_capacity(draws);
    for _ in 0..draws {
        let z: Vec<f64> = (0..n).map(|_| rng.sample(StandardNormal)).collect();
        let p: Vec<f64> = (0..n)
            .map(|i| (theta[i].ln() + (0..=i).map(|k| l[i][k] * z[k]).sum::<f64>()).exp())
            .collect();
        if p.iter()
            .any(|v| !(v.is_finite() && *v > 0.0 && *v <= MAX_PARAMETER))
        {
            return Err(InputError::invalid(
                "covariance",
                "is so wide that parameter draws leave the range of the models: the fit says too little about the parameters",
            ));
        }
        out.push(p);
    }
    Ok(out)
}

/// `refits` bootstrap draws: the models refitted on customers resampled with replacement (each
/// customer drawn with probability weight / total weight, as many as the weights sum to, rounded).
/// The purchase model is refitted on the resample's counts of the distinct rows, the spend model on
/// its counts of the customers.
fn bootstrap_draws(
    model: &Model,
    summary: &Summary,
    rows: &Summary,
    row_of: &[usize],
    spend: Option<Spend>,
    refits: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<Vec<Draw>, ModelError> {
    let fit: fn(&Summary) -> Result<Fit, ModelError> = match model {
        Model::Bgnbd(_) => bgnbd::fit,
        Model::Mbgnbd(_) => mbgnbd::fit,
        _ => paretonbd::fit,
    };
    let n = summary.frequency.len();
    let weights: Vec<f64> = (0..n)
        .map(|i| summary.weights.as_ref().map_or(1.0, |w| w[i]))
        .collect();
    let total: f64 = weights.iter().sum();
    let customers = total.round() as usize;
    let mut cumulative = Vec::with_capacity(n);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    let mut spend_data = spend.map(|s| gammagamma::SpendData {
        frequency: summary.frequency.clone(),
        monetary_value: s.monetary_value.to_vec(),
        weights: None,
    });
    let mut resample = rows.clone();
    let mut out = Vec::with_capacity(refits);
    for _ in 0..refits {
        let mut counts = vec![0.0; n];
        for _ in 0..customers {
            let u: f64 = rng.random();
            counts[cumulative.partition_point(|&c| c < u).min(n - 1)] += 1.0;
        }
        let mut row_counts = vec![0.0; rows.frequency.len()];
        for (&row, &count) in row_of.iter().zip(&counts) {
            row_counts[row] += count;
        }
        resample.weights = Some(row_counts);
        let purchase = fit(&resample)?.model;
        let spend = match &mut spend_data {
            Some(data) => {
                data.weights = Some(counts);
                Some(spend_refit(data)?)
            }
            None => None,
        };
        out.push(Draw { purchase, spend });
    }
    Ok(out)
}

/// Gamma-Gamma refitted on a resample, with a finite mean spend (q > 1).
fn spend_refit(data: &gammagamma::SpendData) -> Result<GammaGamma, ModelError> {
    let refit = gammagamma::fit(data)
        .map_err(|e| InputError::invalid("spendFit", format!("a bootstrap refit failed ({e})")))?;
    match refit.fit.model {
        Model::Gammagamma(m) if m.q > 1.0 => Ok(m),
        _ => Err(InputError::invalid(
            "spendFit",
            "a bootstrap refit has q at or below 1 (an infinite mean spend): the spend data say too little about q; use laplace draws",
        )
        .into()),
    }
}

/// `draws` spend models around the fit's from the asymptotic normal of the log-parameters, each with a
/// finite mean spend (q > 1).
fn spend_draws(
    spend: &Spend,
    draws: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<Vec<GammaGamma>, ModelError> {
    let covariance = spend.covariance.ok_or_else(|| {
        InputError::invalid(
            "spendFit.covariance",
            "is required for laplace draws (pass the fit as fitGammaGamma returns it)",
        )
    })?;
    let draws = log_normal_draws(&spend.model.to_vec(), covariance, draws, rng)
        .map_err(|e| e.within("spendFit"))?;
    if draws.iter().any(|p| p[1] <= 1.0) {
        return Err(InputError::invalid(
            "spendFit.covariance",
            "is so wide that draws of q fall at or below 1, where the mean spend is infinite",
        )
        .into());
    }
    Ok(draws
        .iter()
        .map(|p| GammaGamma {
            p: p[0],
            q: p[1],
            gamma: p[2],
        })
        .collect())
}

/// The central `level` interval of a mixture of normals (means, variances), by bisection.
fn normal_mixture_interval(means: &[f64], variances: &[f64], level: f64) -> (f64, f64) {
    let cdf = |v: f64| {
        means
            .iter()
            .zip(variances)
            .map(|(&m, &s2)| {
                if s2 > 0.0 {
                    0.5 * libm::erfc(-(v - m) / (2.0 * s2).sqrt())
                } else {
                    f64::from(u8::from(v >= m))
                }
            })
            .sum::<f64>()
            / means.len() as f64
    };
    let spread = variances.iter().fold(0.0f64, |a, &v| a.max(v.sqrt()));
    let low = means.iter().copied().fold(f64::INFINITY, f64::min) - 10.0 * spread - 1.0;
    let high = means.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 10.0 * spread + 1.0;
    let solve = |p: f64| {
        let (mut a, mut b) = (low, high);
        for _ in 0..200 {
            let mid = 0.5 * (a + b);
            if cdf(mid) < p {
                a = mid;
            } else {
                b = mid;
            }
        }
        0.5 * (a + b)
    };
    (
        (solve(0.5 * (1.0 - level))).max(0.0),
        solve(0.5 * (1.0 + level)),
    )
}

/// What one month of a customer's value costs, in terms of a purchase distribution (its conditional
/// expectation is a hypergeometric series of about this many terms).
const VALUE_MONTH_WORK: f64 = 50.0;

/// The work done so far, in terms of a purchase distribution, against [`MAX_WORK`].
struct Work(f64);

impl Work {
    fn add(&mut self, amount: f64) -> Result<(), InputError> {
        self.0 += amount;
        if self.0 > MAX_WORK {
            return Err(too_much_work());
        }
        Ok(())
    }
}

fn too_much_work() -> InputError {
    InputError::invalid(
        "draws",
        "are too many for these customers (the work would take minutes): use fewer draws, a shorter horizon or fewer value.months",
    )
}

/// The customers' valuation: the spend, the value options and their discount factors, and the
/// values at the estimates.
struct Valuation<'a> {
    spend: Spend<'a>,
    options: ValueOptions,
    discounts: Vec<f64>,
    at_estimate: Vec<f64>,
}

/// The valuation of `spend` with `value`: both or neither.
fn valuation<'a>(
    model: &Model,
    summary: &Summary,
    spend: Option<Spend<'a>>,
    value: Option<ValueOptions>,
) -> Result<Option<Valuation<'a>>, ModelError> {
    let (spend, options) = match (spend, value) {
        (None, None) => return Ok(None),
        (Some(spend), Some(options)) => (spend, options),
        (Some(_), None) => {
            return Err(InputError::invalid(
                "value",
                "is required with spendFit: { months, monthlyDiscountRate, unitsPerMonth }",
            )
            .into())
        }
        (None, Some(_)) => {
            return Err(InputError::invalid(
                "spendFit",
                "is required with value (a fitGammaGamma result)",
            )
            .into())
        }
    };
    if spend.model.q <= 1.0 {
        return Err(InputError::invalid(
            "spendFit.params.q",
            format!(
                "must be greater than 1 for a finite mean spend (got {})",
                spend.model.q
            ),
        )
        .into());
    }
    let discounts = discounts(&options).map_err(|e| e.within("value"))?;
    let at_estimate = customer_value(model, spend.model, summary, spend.monetary_value, &options)?;
    Ok(Some(Valuation {
        spend,
        options,
        discounts,
        at_estimate,
    }))
}

/// `draws` Laplace draws of the purchase model and, with a spend fit, of the spend model (after the
/// purchase draws, from the same generator).
fn laplace_draws(
    model: &Model,
    covariance: Option<&[Vec<f64>]>,
    spend: Option<Spend>,
    draws: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<Vec<Draw>, ModelError> {
    let covariance = covariance.ok_or_else(|| {
        InputError::invalid(
            "covariance",
            "is required for laplace draws (pass the fit as the fit functions return it)",
        )
    })?;
    let purchase = log_normal_draws(&params(model)?, covariance, draws, rng)?;
    let spend = spend.map(|s| spend_draws(&s, draws, rng)).transpose()?;
    Ok(purchase
        .iter()
        .enumerate()
        .map(|(at, p)| Draw {
            purchase: with_params(model, p),
            spend: spend.as_ref().map(|s| s[at]),
        })
        .collect())
}

/// What the customers with one (x, T) share at every draw.
struct PairDraws {
    draws: usize,
    /// Each draw's distribution of an alive customer's purchases over the horizon, and its moments.
    table: PmfTable,
    /// With a valuation, per draw: the discounted purchases of a customer alive now, and E[M] as
    /// `base + per_unit · m`.
    alive_value: Vec<f64>,
    /// Their running sums by month, at d·months + m (with `by_month`; else one draw's, reused).
    alive_by_month: Vec<f64>,
    months: usize,
    by_month: bool,
    base: Vec<f64>,
    per_unit: Vec<f64>,
}

impl PairDraws {
    fn new(draws: usize, months: usize, by_month: bool) -> PairDraws {
        PairDraws {
            draws,
            table: PmfTable::default(),
            alive_value: vec![0.0; draws],
            alive_by_month: vec![0.0; if by_month { draws * months } else { months }],
            months,
            by_month,
            base: vec![0.0; draws],
            per_unit: vec![0.0; draws],
        }
    }

    /// Computes everything for (x, T) at every draw (`purchase`: the draws' purchase models).
    #[allow(clippy::too_many_arguments, reason = "one pair's inputs")]
    fn fill(
        &mut self,
        draws: &[Draw],
        (purchase, models): (&[Model], &[&dyn PurchaseModel]),
        (x, t): (f64, f64),
        horizon: Option<f64>,
        valuation: Option<&Valuation>,
        work: &mut Work,
    ) -> Result<(), ModelError> {
        if let Some(horizon) = horizon {
            future_pmfs_if_alive(purchase, x, t, horizon, &mut self.table)?;
            work.add(self.table.len() as f64)?;
        }
        let Some(v) = valuation else { return Ok(()) };
        for (at, draw) in draws.iter().enumerate() {
            let Some(spend) = draw.spend else { continue };
            work.add(self.months as f64 * VALUE_MONTH_WORK)?;
            let start = if self.by_month { at * self.months } else { 0 };
            let path = &mut self.alive_by_month[start..start + self.months];
            discounted_purchases_by_month(models[at], x, t, &v.options, &v.discounts, path)?;
            self.alive_value[at] = path[self.months - 1];
            (self.base[at], self.per_unit[at]) = spend.spend_coefficients(x);
        }
        Ok(())
    }

    /// A row's mean purchases over the draws and its predictive interval, given its P(alive) at
    /// each draw: the predictive distribution function is
    /// 1 − (1/D) Σ_d alive_d + (1/D) Σ_d alive_d P_d(Y ≤ y), the dead making no purchases.
    fn purchases(&self, alive: &[f64], (low_p, high_p): (f64, f64)) -> (f64, f64, f64) {
        let d = self.draws as f64;
        let mean = dot(alive, self.table.means()) / d;
        let mut cdf = 1.0 - alive.iter().sum::<f64>() / d;
        let (mut lower, mut upper) = (None, None);
        for (y, row) in self.table.rows().enumerate() {
            cdf += dot(row, alive) / d;
            if lower.is_none() && cdf > low_p {
                lower = Some(y);
            }
            if cdf >= high_p {
                upper = Some(y);
                break;
            }
        }
        let last = self.table.rows().len().saturating_sub(1);
        (
            mean,
            lower.unwrap_or(last) as f64,
            upper.unwrap_or(last) as f64,
        )
    }
}

/// Per draw, the base's purchases (mean and variance given the draw) and value (with `by_month`,
/// also its running sums by month, at d·months + m).
struct Totals {
    mean: Vec<f64>,
    variance: Vec<f64>,
    value: Vec<f64>,
    value_by_month: Vec<f64>,
}

impl Totals {
    /// Adds a pair's value at each draw: its customers' Σ P(alive) · E[M] (`pair_spend`) times an
    /// alive customer's discounted purchases.
    fn add_value(&mut self, pair: &PairDraws, pair_spend: &[f64]) {
        for (at, (total, spend)) in self.value.iter_mut().zip(pair_spend).enumerate() {
            *total += spend * pair.alive_value[at];
        }
        if pair.by_month {
            let paths = self.value_by_month.chunks_exact_mut(pair.months);
            for ((path, alive_path), spend) in paths
                .zip(pair.alive_by_month.chunks_exact(pair.months))
                .zip(pair_spend)
            {
                for (total, alive) in path.iter_mut().zip(alive_path) {
                    *total += spend * alive;
                }
            }
        }
    }
}

/// The `level` interval of `values` (reordered).
fn bounds(values: &mut [f64], (low_p, high_p): (f64, f64)) -> (f64, f64) {
    (
        quantile_unsorted(values, low_p),
        quantile_unsorted(values, high_p),
    )
}

/// The rows `which` of `rows` as a summary (weights left out).
fn rows_summary(rows: &[Row], which: &[usize]) -> Summary {
    Summary {
        frequency: which.iter().map(|&j| rows[j].x).collect(),
        recency: which.iter().map(|&j| rows[j].t_x).collect(),
        t: which.iter().map(|&j| rows[j].t).collect(),
        weights: None,
    }
}

/// The customers of each row.
fn customers_of_rows(row_of: &[usize], rows: usize) -> Vec<Vec<usize>> {
    let mut customers = vec![Vec::new(); rows];
    for (i, &j) in row_of.iter().enumerate() {
        customers[j].push(i);
    }
    customers
}

/// Predictive intervals for every customer of `summary` over `options.horizon`, and for the base.
/// `covariance` is the fit's (in the order of its parameters), which `laplace` draws from; with
/// `spend` and `options.value`, each customer's value too.
///
/// The work goes one (x, T) pair at a time, all draws at once: each draw's distribution of an alive
/// customer's purchases is computed once per pair, and each row's interval is read off the mixture's
/// distribution function from y = 0 up to its upper bound.
pub fn predict_intervals(
    model: &Model,
    covariance: Option<&[Vec<f64>]>,
    summary: &Summary,
    options: &IntervalOptions,
    spend: Option<Spend>,
) -> Result<Intervals, ModelError> {
    let plan = options.validate()?;
    Ok(draw_intervals(
        model,
        covariance,
        summary,
        &plan,
        spend,
        options.value,
        None,
    )?
    .intervals)
}

/// What [`draw_intervals`] computes beside the intervals, for the base's value.
pub(super) struct Drawn {
    pub intervals: Intervals,
    /// The draws themselves.
    pub draws: Vec<Draw>,
    /// With `segments`: the base's value by month at every draw, at d·months + m; else empty.
    pub value_by_month: Vec<f64>,
    /// With `segments`: each segment's value at every draw, at s·draws + d; else empty.
    pub segment_values: Vec<f64>,
}

/// Each customer's segment (an index below the count) and the count of segments.
pub(super) type SegmentCodes<'a> = (&'a [u32], usize);

/// The intervals of `plan`, and with `segments` the base's value by month and each segment's at every
/// draw.
pub(super) fn draw_intervals(
    model: &Model,
    covariance: Option<&[Vec<f64>]>,
    summary: &Summary,
    plan: &Plan,
    spend: Option<Spend>,
    value: Option<ValueOptions>,
    segments: Option<SegmentCodes>,
) -> Result<Drawn, ModelError> {
    let by_month = segments.is_some();
    model.validate()?;
    summary.validate()?;
    let estimate = model.purchase_model()?;
    params(model)?;
    let valuation = valuation(model, summary, spend, value)?;
    let spend = valuation.as_ref().map(|v| v.spend);
    let months = valuation.as_ref().map_or(0, |v| v.discounts.len());
    let (data, row_of) = summary.distinct_rows();
    let rows = &data.rows;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(plan.seed);
    let draws = match plan.method {
        Method::Laplace => laplace_draws(model, covariance, spend, plan.draws, &mut rng)?,
        Method::Bootstrap => bootstrap_draws(
            model,
            summary,
            &rows_summary(rows, (0..rows.len()).collect::<Vec<_>>().as_slice()),
            &row_of,
            spend,
            plan.draws,
            &mut rng,
        )?,
    };
    let models: Vec<&dyn PurchaseModel> = draws
        .iter()
        .map(|d| d.purchase.purchase_model())
        .collect::<Result<_, _>>()?;
    let purchase: Vec<Model> = draws.iter().map(|d| d.purchase).collect();
    let n_draws = draws.len();
    let probabilities = (0.5 * (1.0 - plan.level), 0.5 * (1.0 + plan.level));
    let customers_of = customers_of_rows(&row_of, rows.len());
    let weight = |i: usize| summary.weights.as_ref().map_or(1.0, |w| w[i]);
    let mut by_pair: Vec<usize> = (0..rows.len()).collect();
    by_pair.sort_unstable_by_key(|&j| rows[j].x_t_at);
    let mut purchases = vec![(0.0, 0.0, 0.0); rows.len()];
    let mut alive_bounds = vec![(0.0, 0.0); rows.len()];
    let mut clv_bounds = vec![(0.0, 0.0); summary.frequency.len()];
    let mut totals = Totals {
        mean: vec![0.0; n_draws],
        variance: vec![0.0; n_draws],
        value: vec![0.0; n_draws],
        value_by_month: vec![0.0; if by_month { n_draws * months } else { 0 }],
    };
    let mut work = Work(0.0);
    let mut pair = PairDraws::new(n_draws, months, by_month);
    let mut segment_values = vec![0.0; segments.map_or(0, |(_, count)| count * n_draws)];
    // The weight and Σ weight · m of each segment among the customers of a row.
    let mut row_segments: Vec<(u32, f64, f64)> = Vec::new();
    let mut scratch = vec![0.0; n_draws];
    // Per draw, Σ P(alive) · E[M] over the customers of the pair at hand.
    let mut pair_spend = vec![0.0; n_draws];
    let mut alive_table = Vec::new();
    let alive_at_draws = AliveAtDraws::new(&purchase, summary, MAX_TABLE / 4);
    // The rows of one x at a time (their points come one after another), at most MAX_TABLE
    // P(alive) values at once: all draws' P(alive) of these rows in one call, which computes the
    // terms the rows share (BG/NBD's logs of the times, Pareto/NBD's ln G at each point) once.
    let same_x = by_pair.chunk_by(|&u, &v| rows[u].x == rows[v].x);
    for chunk in same_x.flat_map(|rows_of_x| rows_of_x.chunks(MAX_TABLE / n_draws)) {
        let chunk_rows = rows_summary(rows, chunk);
        alive_at_draws.fill(&chunk_rows, &mut alive_table)?;
        let mut k = 0;
        for group in chunk.chunk_by(|&u, &v| rows[u].x_t_at == rows[v].x_t_at) {
            let (x, t) = (rows[group[0]].x, rows[group[0]].t);
            pair.fill(
                &draws,
                (&purchase, &models),
                (x, t),
                plan.horizon,
                valuation.as_ref(),
                &mut work,
            )?;
            pair_spend.fill(0.0);
            for &j in group {
                let row = &rows[j];
                work.add((n_draws * (customers_of[j].len() + 1)) as f64)?;
                let alive = &alive_table[k * n_draws..(k + 1) * n_draws];
                k += 1;
                purchases[j] = pair.purchases(alive, probabilities);
                let moments = pair.table.means().iter().zip(pair.table.second_moments());
                for (at, (&a, (mean, second))) in alive.iter().zip(moments).enumerate() {
                    let e = a * mean;
                    totals.mean[at] += row.weight * e;
                    totals.variance[at] += row.weight * (a * second - e * e);
                }
                scratch.copy_from_slice(alive);
                alive_bounds[j] = bounds(&mut scratch, probabilities);
                let Some(v) = &valuation else { continue };
                let m = v.spend.monetary_value;
                let spent: f64 = customers_of[j].iter().map(|&i| weight(i) * m[i]).sum();
                for (at, total) in pair_spend.iter_mut().enumerate() {
                    *total += alive[at] * (pair.base[at] * row.weight + pair.per_unit[at] * spent);
                }
                if let Some((codes, _)) = segments {
                    row_segments.clear();
                    for &i in &customers_of[j] {
                        row_segments.push((codes[i], weight(i), weight(i) * m[i]));
                    }
                    add_segment_values(&mut row_segments, &pair, alive, &mut segment_values);
                }
                // Without repeat purchases, E[M] does not depend on m: one interval for the row.
                let mut previous: Option<(f64, (f64, f64))> = None;
                for &i in &customers_of[j] {
                    let key = if x == 0.0 { 0.0 } else { m[i] };
                    if let Some((_, b)) = previous.filter(|(k, _)| k.to_bits() == key.to_bits()) {
                        clv_bounds[i] = b;
                        continue;
                    }
                    for (at, s) in scratch.iter_mut().enumerate() {
                        *s = alive[at]
                            * pair.alive_value[at]
                            * (pair.base[at] + pair.per_unit[at] * m[i]);
                    }
                    clv_bounds[i] = bounds(&mut scratch, probabilities);
                    previous = Some((key, clv_bounds[i]));
                }
            }
            if valuation.is_some() {
                totals.add_value(&pair, &pair_spend);
            }
        }
    }
    let point_alive = estimate.prob_alive_all(summary)?;
    let (lower, upper) = normal_mixture_interval(&totals.mean, &totals.variance, plan.level);
    let per = |f: &dyn Fn(usize) -> f64| -> Vec<f64> { row_of.iter().map(|&j| f(j)).collect() };
    let value = valuation.as_ref().map(|v| {
        let (lower, upper) = bounds(&mut totals.value.clone(), probabilities);
        ValueInterval {
            estimate: (0..v.at_estimate.len())
                .map(|i| weight(i) * v.at_estimate[i])
                .sum(),
            mean: totals.value.iter().sum::<f64>() / n_draws as f64,
            lower,
            upper,
        }
    });
    let intervals = Intervals {
        expected_purchases: per(&|j| purchases[j].0),
        purchases_lower: per(&|j| purchases[j].1),
        purchases_upper: per(&|j| purchases[j].2),
        prob_alive: point_alive,
        prob_alive_lower: per(&|j| alive_bounds[j].0),
        prob_alive_upper: per(&|j| alive_bounds[j].1),
        clv: valuation.map(|v| ClvIntervals {
            clv: v.at_estimate,
            lower: clv_bounds.iter().map(|b| b.0).collect(),
            upper: clv_bounds.iter().map(|b| b.1).collect(),
        }),
        total: TotalInterval {
            mean: totals.mean.iter().sum::<f64>() / n_draws as f64,
            lower,
            upper,
            value,
        },
    };
    Ok(Drawn {
        intervals,
        draws,
        value_by_month: totals.value_by_month,
        segment_values,
    })
}

/// Adds a row's value at each draw to its customers' segments (`row_segments`: each customer's
/// segment, weight and weight · m, merged here by segment), at s·draws + d of `segment_values`.
fn add_segment_values(
    row_segments: &mut Vec<(u32, f64, f64)>,
    pair: &PairDraws,
    alive: &[f64],
    segment_values: &mut [f64],
) {
    row_segments.sort_unstable_by_key(|&(s, _, _)| s);
    row_segments.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 += later.1;
            kept.2 += later.2;
        }
        same
    });
    let d = pair.draws;
    for &(s, w, spent) in row_segments.iter() {
        let out = &mut segment_values[s as usize * d..(s as usize + 1) * d];
        for (at, total) in out.iter_mut().enumerate() {
            *total +=
                alive[at] * pair.alive_value[at] * (pair.base[at] * w + pair.per_unit[at] * spent);
        }
    }
}
