//! Predictive intervals for every customer of a summary, and for the whole base (`predictIntervals`).
//!
//! The parameters' uncertainty comes in as draws θ₁ … θ_D, the customers' own randomness through each
//! draw's conditional distribution of purchases ([`super::future_pmf_if_alive`]):
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

use super::{
    bgnbd, future_pmf_if_alive, mbgnbd, paretonbd, Fit, Model, ModelError, Summary, MAX_PARAMETER,
};
use crate::error::{self, InputError};
use crate::hash::FastMap;

/// The most parameter draws (`laplace`).
pub const MAX_DRAWS: u32 = 10_000;
/// The most refits (`bootstrap`).
pub const MAX_REFITS: u32 = 1_000;
/// A row's distribution goes into the mixture until less than this is left of it: the bounds move only
/// where the mixture's distribution function is within this of (1 ± level)/2.
const MIXTURE_TAIL: f64 = 1e-7;
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
}

/// Checked options: the level, the number of draws and the seed.
struct Plan {
    horizon: f64,
    level: f64,
    draws: usize,
    seed: u64,
    method: Method,
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
            horizon: self.horizon,
            level,
            draws,
            seed,
            method: self.method,
        })
    }
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
    /// The base's purchases over the horizon.
    pub total: TotalInterval,
}

/// The whole base's purchases over the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TotalInterval {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The distinct (x, t_x, T) rows of a summary, as a summary whose weights count their customers, and
/// each customer's row.
struct Rows {
    distinct: Summary,
    of_customer: Vec<usize>,
}

impl Rows {
    fn of(summary: &Summary) -> Rows {
        let mut index: FastMap<(u64, u64, u64), usize> = FastMap::default();
        let mut distinct = Summary {
            frequency: Vec::new(),
            recency: Vec::new(),
            t: Vec::new(),
            weights: None,
        };
        let mut weights = Vec::new();
        let mut of_customer = Vec::with_capacity(summary.frequency.len());
        for i in 0..summary.frequency.len() {
            let (x, t_x, t) = (summary.frequency[i], summary.recency[i], summary.t[i]);
            let j = *index
                .entry((x.to_bits(), t_x.to_bits(), t.to_bits()))
                .or_insert_with(|| {
                    distinct.frequency.push(x);
                    distinct.recency.push(t_x);
                    distinct.t.push(t);
                    weights.push(0.0);
                    weights.len() - 1
                });
            weights[j] += summary.weights.as_ref().map_or(1.0, |w| w[i]);
            of_customer.push(j);
        }
        distinct.weights = Some(weights);
        Rows {
            distinct,
            of_customer,
        }
    }

    /// The customers of each row.
    fn counts(&self) -> &[f64] {
        self.distinct.weights.as_deref().unwrap_or_default()
    }
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

/// `refits` bootstrap parameter sets: the model refitted on customers resampled with replacement.
fn bootstrap_draws(
    model: &Model,
    rows: &Rows,
    refits: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<Vec<Model>, ModelError> {
    let fit: fn(&Summary) -> Result<Fit, ModelError> = match model {
        Model::Bgnbd(_) => bgnbd::fit,
        Model::Mbgnbd(_) => mbgnbd::fit,
        Model::Paretonbd(_) => paretonbd::fit,
        _ => {
            return Err(ModelError::Unsupported(
                "predictive intervals are for bgnbd, mbgnbd and paretonbd fits".to_owned(),
            ))
        }
    };
    // Customers as the rows' weights, rounded: a resample draws that many, each row with
    // probability weight / total.
    let counts = rows.counts();
    let total: f64 = counts.iter().sum();
    let customers = total.round() as usize;
    let mut cumulative = Vec::with_capacity(counts.len());
    let mut acc = 0.0;
    for c in counts {
        acc += c / total;
        cumulative.push(acc);
    }
    let mut out = Vec::with_capacity(refits);
    for _ in 0..refits {
        let mut weights = vec![0.0; counts.len()];
        for _ in 0..customers {
            let u: f64 = rng.random();
            let j = cumulative.partition_point(|&c| c < u).min(counts.len() - 1);
            weights[j] += 1.0;
        }
        let resample = Summary {
            weights: Some(weights),
            ..rows.distinct.clone()
        };
        out.push(fit(&resample)?.model);
    }
    Ok(out)
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

/// Predictive intervals for every customer of `summary` over `options.horizon`, and for the base.
/// `covariance` is the fit's (in the order of its parameters), which `laplace` draws from.
pub fn predict_intervals(
    model: &Model,
    covariance: Option<&[Vec<f64>]>,
    summary: &Summary,
    options: &IntervalOptions,
) -> Result<Intervals, ModelError> {
    model.validate()?;
    summary.validate()?;
    let plan = options.validate()?;
    let estimate = model.purchase_model()?;
    let rows = Rows::of(summary);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(plan.seed);
    let draws = match plan.method {
        Method::Laplace => {
            let covariance = covariance.ok_or_else(|| {
                InputError::invalid(
                    "covariance",
                    "is required for laplace draws (pass the fit as the fit functions return it)",
                )
            })?;
            log_normal_draws(&params(model)?, covariance, plan.draws, &mut rng)?
                .iter()
                .map(|p| with_params(model, p))
                .collect()
        }
        Method::Bootstrap => bootstrap_draws(model, &rows, plan.draws, &mut rng)?,
    };
    let distinct = &rows.distinct;
    let n_rows = distinct.frequency.len();
    let d = draws.len() as f64;
    // Each row's (x, T) pair, whose future distribution its customers share.
    let mut pair_index: FastMap<(u64, u64), usize> = FastMap::default();
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    let pair_of: Vec<usize> = distinct
        .frequency
        .iter()
        .zip(&distinct.t)
        .map(|(&x, &t)| {
            *pair_index
                .entry((x.to_bits(), t.to_bits()))
                .or_insert_with(|| {
                    pairs.push((x, t));
                    pairs.len() - 1
                })
        })
        .collect();
    // Per draw: the pairs' distributions one after another in `terms` (pair k's at starts[k]..starts[k+1]).
    let (mut terms, mut starts, mut moments) =
        (Vec::new(), vec![0], Vec::with_capacity(pairs.len()));
    let mut pmf = Vec::new();
    let mut mixture: Vec<Vec<f64>> = vec![Vec::new(); n_rows];
    let mut mean = vec![0.0; n_rows];
    // P(alive) of row j at draw d at j·D + d.
    let mut alive_draws = vec![0.0; n_rows * draws.len()];
    // Per draw, each pair's distribution function, to find where a row's terms may stop.
    let mut cumulative: Vec<f64> = Vec::new();
    let (mut total_means, mut total_variances) = (Vec::new(), Vec::new());
    let mut work = 0.0;
    for (at, model) in draws.iter().enumerate() {
        terms.clear();
        cumulative.clear();
        starts.truncate(1);
        moments.clear();
        for &(x, t) in &pairs {
            moments.push(future_pmf_if_alive(model, x, t, plan.horizon, &mut pmf)?);
            terms.extend_from_slice(&pmf);
            let mut sum = 0.0;
            cumulative.extend(pmf.iter().map(|p| {
                sum += p;
                sum
            }));
            starts.push(terms.len());
            work += pmf.len() as f64;
            if work > MAX_WORK {
                return Err(InputError::invalid(
                    "draws",
                    "are too many for these customers' purchase counts (the work would take minutes): use fewer draws or a shorter horizon",
                )
                .into());
            }
        }
        let alive_all = model.purchase_model()?.prob_alive_all(distinct)?;
        let (mut total_mean, mut total_variance) = (0.0, 0.0);
        for (j, &alive) in alive_all.iter().enumerate() {
            let k = pair_of[j];
            alive_draws[j * draws.len() + at] = alive;
            // The row's distribution alive·P(y | alive) + (1 − alive)·[y = 0], into the mixture until
            // less than MIXTURE_TAIL is left of it.
            let (from, to) = (starts[k], starts[k + 1]);
            let left = |c: &f64| alive * (1.0 - c) >= MIXTURE_TAIL;
            let used = (cumulative[from..to].partition_point(left) + 1).min(to - from);
            let acc = &mut mixture[j];
            if acc.len() < used {
                acc.resize(used, 0.0);
            }
            for (a, p) in acc.iter_mut().zip(&terms[from..from + used]) {
                *a += alive * p;
            }
            acc[0] += 1.0 - alive;
            let e = alive * moments[k].mean;
            mean[j] += e / d;
            let w = rows.counts()[j];
            total_mean += w * e;
            total_variance += w * (alive * moments[k].second - e * e);
        }
        total_means.push(total_mean);
        total_variances.push(total_variance.max(0.0));
    }
    let (low_p, high_p) = (0.5 * (1.0 - plan.level), 0.5 * (1.0 + plan.level));
    let mut purchases = Vec::with_capacity(n_rows);
    let mut alive_bounds = Vec::with_capacity(n_rows);
    for j in 0..n_rows {
        let mut cumulative = 0.0;
        let (mut lower, mut upper) = (None, None);
        for (y, p) in mixture[j].iter().enumerate() {
            cumulative += p / d;
            if lower.is_none() && cumulative > low_p {
                lower = Some(y);
            }
            if cumulative >= high_p {
                upper = Some(y);
                break;
            }
        }
        let last = mixture[j].len().saturating_sub(1);
        purchases.push((lower.unwrap_or(last) as f64, upper.unwrap_or(last) as f64));
        let values = &mut alive_draws[j * draws.len()..(j + 1) * draws.len()];
        values.sort_unstable_by(f64::total_cmp);
        alive_bounds.push((
            crate::montecarlo::quantile(values, low_p),
            crate::montecarlo::quantile(values, high_p),
        ));
    }
    let point_alive = estimate.prob_alive_all(summary)?;
    let (lower, upper) = normal_mixture_interval(&total_means, &total_variances, plan.level);
    let per =
        |f: &dyn Fn(usize) -> f64| -> Vec<f64> { rows.of_customer.iter().map(|&j| f(j)).collect() };
    Ok(Intervals {
        expected_purchases: per(&|j| mean[j]),
        purchases_lower: per(&|j| purchases[j].0),
        purchases_upper: per(&|j| purchases[j].1),
        prob_alive: point_alive,
        prob_alive_lower: per(&|j| alive_bounds[j].0),
        prob_alive_upper: per(&|j| alive_bounds[j].1),
        total: TotalInterval {
            mean: total_means.iter().sum::<f64>() / d,
            lower,
            upper,
        },
    })
}
