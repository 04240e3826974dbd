//! The field's standard probability models, fitted by maximum likelihood.
//!
//! - [`sbg`]: shifted-beta-geometric retention from cohort survival counts (Fader & Hardie 2007);
//! - [`bgnbd`]: BG/NBD repeat buying (Fader, Hardie & Lee 2005), and [`mbgnbd`], its modified form
//!   (Batislam, Denizel & Filiztekin 2007);
//! - [`paretonbd`]: Pareto/NBD (Schmittlein, Morrison & Colombo 1987);
//! - [`gammagamma`]: spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV");
//! - [`bgbb`]: BG/BB for discrete opportunities (Fader, Hardie & Shang 2010).
//!
//! Every fit maximises the log-likelihood over the logarithms of the (positive) parameters with the
//! analytic gradient ([`crate::optim`]), from several starting points if the first fails, and returns a
//! [`Fit`]: parameters, the log-likelihood as lifetimes/BTYD report it, standard errors from the
//! Hessian, the iteration count and why the optimiser stopped. A fit that does not converge, or whose
//! likelihood is flat at the optimum, is an error ([`ModelError::NotConverged`]), never parameters.
//!
//! Conventions for customer summaries (as lifetimes and BTYD): `frequency` x is the number of repeat
//! purchases, `recency` t_x the time from the first to the last purchase, `T` the time from the first
//! purchase to the end of calibration, all in one time unit (often weeks); `weights` count identical
//! customers. Identical rows are merged before fitting, which changes nothing but the speed.

pub mod bgbb;
pub mod bgnbd;
pub mod gammagamma;
pub mod mbgnbd;
pub mod paretonbd;
pub mod sbg;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

use crate::data::ids::FastHasher;
use crate::error::{self, InputError};
use crate::optim;

/// Why a model could not be fitted or used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// The data or an option was refused.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The optimiser did not find a maximum of the likelihood.
    #[error("{model} fit {reason}")]
    NotConverged { model: &'static str, reason: String },
    /// The operation does not exist for this model.
    #[error("{0}")]
    Unsupported(String),
}

/// A fitted model: the tag and its parameters, as `{ model: "bgnbd", params: { r, alpha, a, b } }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", content = "params", rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Model {
    Sbg(sbg::Sbg),
    Bgnbd(bgnbd::BgNbd),
    Paretonbd(paretonbd::ParetoNbd),
    Mbgnbd(mbgnbd::ModifiedBgNbd),
    Gammagamma(gammagamma::GammaGamma),
    Bgbb(bgbb::BgBb),
}

impl Model {
    /// Checks the parameters (all must be finite and positive).
    pub fn validate(&self) -> Result<(), InputError> {
        let (names, values) = match self {
            Model::Sbg(m) => (sbg::NAMES, m.to_vec()),
            Model::Bgnbd(m) => (bgnbd::NAMES, m.to_vec()),
            Model::Paretonbd(m) => (paretonbd::NAMES, m.to_vec()),
            Model::Mbgnbd(m) => (bgnbd::NAMES, m.0.to_vec()),
            Model::Gammagamma(m) => (gammagamma::NAMES, m.to_vec()),
            Model::Bgbb(m) => (bgbb::NAMES, m.to_vec()),
        };
        for (name, value) in names.iter().zip(values) {
            error::positive(&format!("params.{name}"), value)?;
        }
        Ok(())
    }
}

/// The result of a maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Fit {
    /// The model tag and fitted parameters.
    #[serde(flatten)]
    pub model: Model,
    /// Total log-likelihood at the parameters (weighted).
    pub log_likelihood: f64,
    /// Asymptotic standard errors keyed like the parameters; `null` where the Hessian gives none.
    #[serde(serialize_with = "serialize_named")]
    #[cfg_attr(test, ts(as = "std::collections::HashMap<String, Option<f64>>"))]
    pub standard_errors: Vec<(&'static str, Option<f64>)>,
    /// Why the optimiser stopped at this maximum (a fit that does not converge is an error instead).
    pub termination: Termination,
    pub iterations: usize,
    /// Starting points tried (1 when the first converged).
    pub starts: usize,
}

/// How the optimiser recognised the maximum: serialized `"gradientSmall"` or `"precisionLimit"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Termination {
    /// The gradient of the log-likelihood is zero to the tolerance (1e-7 relative to |ℓ|).
    GradientSmall,
    /// No step increases the log-likelihood any more at machine precision, and the gradient is within
    /// 100 times the tolerance of zero.
    PrecisionLimit,
}

impl Termination {
    /// The termination of a converged run, `None` for any other reason.
    fn of(reason: optim::Reason) -> Option<Termination> {
        match reason {
            optim::Reason::GradientSmall => Some(Termination::GradientSmall),
            optim::Reason::PrecisionLimit => Some(Termination::PrecisionLimit),
            _ => None,
        }
    }
}

fn serialize_named<S: Serializer>(
    values: &[(&'static str, Option<f64>)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(values.iter().copied())
}

/// A maximum of a log-likelihood in the natural parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Estimate {
    pub params: Vec<f64>,
    pub log_likelihood: f64,
    pub standard_errors: Vec<(&'static str, Option<f64>)>,
    pub iterations: usize,
    pub termination: Termination,
    pub starts: usize,
}

impl Estimate {
    /// The [`Fit`] of `model` at this estimate.
    pub fn into_fit(self, model: Model) -> Fit {
        Fit {
            model,
            log_likelihood: self.log_likelihood,
            standard_errors: self.standard_errors,
            termination: self.termination,
            iterations: self.iterations,
            starts: self.starts,
        }
    }
}

/// Largest variance of a log-parameter accepted as an estimate (a standard error of 10 in ln p).
const FLAT_LOG_VARIANCE: f64 = 100.0;

/// Maximises `log_likelihood` (natural positive parameters → value, writing its gradient) over the
/// log-parameters from each of `starts` (natural parameters) in turn. Errors when no start converges
/// or when the likelihood is flat at the optimum (the Hessian is not positive definite). The work is
/// bounded by construction: at most [`optim::Options::max_evaluations`] evaluations of
/// `log_likelihood` in the search and 2 × (parameters) more for the Hessian.
pub(crate) fn maximize<L>(
    model: &'static str,
    names: &'static [&'static str],
    log_likelihood: L,
    starts: &[Vec<f64>],
) -> Result<Estimate, ModelError>
where
    L: Fn(&[f64], &mut [f64]) -> f64,
{
    let n = names.len();
    let mut natural = vec![0.0; n];
    let mut objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
        for (p, t) in natural.iter_mut().zip(theta) {
            *p = t.exp();
        }
        let value = log_likelihood(&natural, grad);
        // d(−ℓ)/dθᵢ = −pᵢ ∂ℓ/∂pᵢ.
        for (g, p) in grad.iter_mut().zip(&natural) {
            *g *= -p;
        }
        -value
    };
    let log_starts: Vec<Vec<f64>> = starts
        .iter()
        .map(|s| s.iter().map(|p| p.ln()).collect())
        .collect();
    let found = optim::minimize(&mut objective, &log_starts, &optim::Options::default());
    let Some(termination) = Termination::of(found.reason) else {
        return Err(ModelError::NotConverged {
            model,
            reason: format!(
                "{} ({} starting points, {} likelihood evaluations)",
                found.reason.describe(),
                found.starts,
                found.evaluations
            ),
        });
    };
    let hessian = optim::hessian(
        |theta, grad| {
            objective(theta, grad);
        },
        &found.x,
    );
    let Some(covariance) = optim::invert_spd(&hessian, n) else {
        return Err(ModelError::NotConverged {
            model,
            reason: "did not converge: the likelihood is flat at the optimum (the parameters are not identified by these data)".to_owned(),
        });
    };
    // A log-parameter known only to within ±10 (a factor e^10) is not estimated: the likelihood is
    // flat along it, and the optimiser stopped somewhere on the plateau.
    if let Some(i) = (0..n).find(|&i| {
        let var = covariance[i * n + i];
        var > FLAT_LOG_VARIANCE || var.is_nan()
    }) {
        return Err(ModelError::NotConverged {
            model,
            reason: format!(
                "did not converge: the likelihood is flat in {} (standard error of its logarithm {:.3e}); the parameters are not identified by these data",
                names[i],
                covariance[i * n + i].max(0.0).sqrt()
            ),
        });
    }
    let params: Vec<f64> = found.x.iter().map(|t| t.exp()).collect();
    // Delta method: se(p) = p · se(ln p).
    let standard_errors = names
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, Some(params[i] * covariance[i * n + i].sqrt())))
        .collect();
    Ok(Estimate {
        params,
        log_likelihood: -found.value,
        standard_errors,
        iterations: found.iterations,
        termination,
        starts: found.starts,
    })
}

/// Customers summarised by frequency, recency and age, as the repeat-buying models take them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "CustomerSummary"))]
pub struct Summary {
    /// Repeat purchases x.
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub frequency: Vec<f64>,
    /// Time of the last purchase since the first, t_x.
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub recency: Vec<f64>,
    /// Time since the first purchase, T.
    #[serde(rename = "T")]
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub t: Vec<f64>,
    /// How many customers each row stands for (default 1).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<crate::wasm_types::Numbers>", optional = nullable))]
    pub weights: Option<Vec<f64>>,
}

impl Summary {
    /// Checks lengths and every value, naming the field and index of the first bad one.
    pub fn validate(&self) -> Result<(), InputError> {
        let n = self.frequency.len();
        if n == 0 {
            return Err(InputError::invalid("frequency", "must not be empty"));
        }
        same_length("recency", &self.recency, n)?;
        same_length("T", &self.t, n)?;
        if let Some(w) = &self.weights {
            same_length("weights", w, n)?;
            for (i, &v) in w.iter().enumerate() {
                if !plain_non_negative(v) {
                    error::non_negative(&format!("weights[{i}]"), v)?;
                }
            }
        }
        for i in 0..n {
            // The checks below name the field, which costs a string per value: skip them for the
            // (usual) row that passes them all.
            let (x, t_x, t) = (self.frequency[i], self.recency[i], self.t[i]);
            if plain_frequency(x)
                && plain_non_negative(t_x)
                && t.is_finite()
                && t > 0.0
                && t_x <= t
                && (x > 0.0 || t_x == 0.0)
            {
                continue;
            }
            let x = frequency(&format!("frequency[{i}]"), self.frequency[i])?;
            let t_x = error::non_negative(&format!("recency[{i}]"), self.recency[i])?;
            let t = error::positive(&format!("T[{i}]"), self.t[i])?;
            if t_x > t {
                return Err(InputError::invalid(
                    format!("recency[{i}]"),
                    format!("must not exceed T (got {t_x} > {t})"),
                ));
            }
            if x == 0.0 && t_x != 0.0 {
                return Err(InputError::invalid(
                    format!("recency[{i}]"),
                    format!("must be 0 when frequency is 0 (got {t_x})"),
                ));
            }
        }
        Ok(())
    }

    /// [`Summary::validate`], and at least one repeat purchase: without any the likelihood of every
    /// repeat-buying model is flat (purchase rates run to 0), so there is nothing to fit.
    pub fn validate_for_fit(&self) -> Result<(), InputError> {
        self.validate()?;
        let repeat = (0..self.frequency.len())
            .any(|i| self.frequency[i] > 0.0 && self.weights.as_ref().is_none_or(|w| w[i] > 0.0));
        if repeat {
            Ok(())
        } else {
            Err(InputError::invalid(
                "frequency",
                "no customer has a repeat purchase, so purchase rates cannot be estimated (the likelihood is flat)",
            ))
        }
    }

    /// The rows of a purchase-model fit ([`FitData`]): identical (x, t_x, T) rows merged, their
    /// weights summed, rows of weight 0 dropped, sorted by x, times numbered.
    pub(crate) fn fit_data(&self) -> FitData {
        let mut index: HashMap<(u64, u64, u64), usize, BuildHasherDefault<FastHasher>> =
            HashMap::default();
        let mut rows: Vec<Row> = Vec::new();
        for i in 0..self.frequency.len() {
            let weight = self.weights.as_ref().map_or(1.0, |w| w[i]);
            if weight == 0.0 {
                continue;
            }
            let row = Row {
                x: self.frequency[i],
                t_x: self.recency[i],
                t: self.t[i],
                weight,
                t_x_at: 0,
                t_at: 0,
                x_t_x_at: 0,
                x_t_at: 0,
            };
            let key = (hash_word(row.x), hash_word(row.t_x), hash_word(row.t));
            match index.get(&key) {
                Some(&j) => rows[j].weight += weight,
                None => {
                    index.insert(key, rows.len());
                    rows.push(row);
                }
            }
        }
        rows.sort_by(|u, v| u.x.total_cmp(&v.x));
        let mut times = Distinct::default();
        let mut point_index: PairMap<usize> = PairMap::default();
        let mut points = Vec::new();
        let mut point = |x: f64, tau_at: usize| {
            *point_index
                .entry(pair_key(x, tau_at as f64))
                .or_insert_with(|| {
                    points.push((x, tau_at));
                    points.len() - 1
                })
        };
        for row in &mut rows {
            row.t_x_at = times.number(row.t_x);
            row.t_at = times.number(row.t);
            row.x_t_x_at = point(row.x, row.t_x_at);
            row.x_t_at = point(row.x, row.t_at);
        }
        FitData {
            rows,
            times: times.values,
            points,
        }
    }
}

/// Whether `value` passes [`error::non_negative`] (without naming a field).
pub(crate) fn plain_non_negative(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

/// Largest repeat-purchase count (`frequency`) accepted. The likelihoods add terms such as
/// ln Γ(r + x) ≈ x ln x, which must stay exact to well within the optimiser's tolerance (1e-7
/// relative): at x = 10⁶ that term is 1.3·10⁷ with a rounding of 2·10⁻⁹, while at 10¹⁵ it is
/// 3·10¹⁶ with a rounding of 4, and the likelihood no longer moves with the parameters.
pub const MAX_FREQUENCY: u32 = 1_000_000;

/// Whether `value` passes [`frequency`] (without naming a field).
pub(crate) fn plain_frequency(value: f64) -> bool {
    plain_non_negative(value) && value.fract() == 0.0 && value <= f64::from(MAX_FREQUENCY)
}

/// `value` if it is a whole number of repeat purchases from 0 to [`MAX_FREQUENCY`].
pub(crate) fn frequency(field: &str, value: f64) -> Result<f64, InputError> {
    error::whole_non_negative(field, value, MAX_FREQUENCY).map(f64::from)
}

/// The bits of `value` as a key for [`FastHasher`], whose multiplications carry bits only upwards:
/// the halves are swapped so that the informative high bits (sign, exponent, leading mantissa; whole
/// numbers have nothing else) come first and reach every bit of the hash.
fn hash_word(value: f64) -> u64 {
    value.to_bits().rotate_left(32)
}

/// Distinct numbers (compared bit for bit), numbered 0, 1, 2, … in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Distinct {
    index: HashMap<u64, usize, BuildHasherDefault<FastHasher>>,
    /// The distinct numbers, each at its number.
    pub values: Vec<f64>,
}

impl Distinct {
    /// The number of `value`, a new one if it is new.
    pub fn number(&mut self, value: f64) -> usize {
        *self.index.entry(hash_word(value)).or_insert_with(|| {
            self.values.push(value);
            self.values.len() - 1
        })
    }
}

/// The key of (u, v) in a [`PairMap`].
fn pair_key(u: f64, v: f64) -> u128 {
    (u128::from(hash_word(u)) << 64) | u128::from(hash_word(v))
}

/// A table keyed by pairs of numbers (compared bit for bit), with a fast hash.
type PairMap<V> = HashMap<u128, V, BuildHasherDefault<FastHasher>>;

/// Values computed once per distinct pair of numbers (compared bit for bit): the parts of the
/// predictions that customers share, such as everything that depends on (x, T) only.
#[derive(Debug)]
pub(crate) struct Memo<V> {
    values: PairMap<V>,
}

impl<V: Copy> Memo<V> {
    pub fn new() -> Memo<V> {
        Memo {
            values: PairMap::default(),
        }
    }

    /// The value at (u, v): looked up, or computed by `compute` and kept.
    pub fn get<E>(
        &mut self,
        u: f64,
        v: f64,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let key = pair_key(u, v);
        if let Some(&value) = self.values.get(&key) {
            return Ok(value);
        }
        let value = compute()?;
        self.values.insert(key, value);
        Ok(value)
    }
}

/// The customers of a purchase-model fit, prepared so that a likelihood evaluation computes each
/// shared term once: identical (x, t_x, T) rows are merged with their weights summed (the full CDNOW
/// log: 23,570 customers, 8,685 distinct rows, the 14,119 without repeat purchases sharing 84), the
/// rows are sorted by x (terms of x alone once per distinct x), each row's t_x and T point into the
/// distinct times (terms of one time alone, such as ln(α + τ), once per distinct time: 273 on CDNOW)
/// and its (x, t_x) and (x, T) into the distinct points (x, τ) (terms such as Pareto/NBD's ₂F₁ once
/// per point: 2,149 on CDNOW).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FitData {
    pub rows: Vec<Row>,
    /// The distinct values of t_x and T.
    pub times: Vec<f64>,
    /// The distinct pairs (x, t_x) and (x, T), as x and where the time is in `times`.
    pub points: Vec<(f64, usize)>,
}

impl FitData {
    /// The customers' mean time since their first purchase, T (weighted): the data's time scale,
    /// for starting points of the rate scales (α, β), which are in time units.
    pub fn mean_age(&self) -> f64 {
        let (sum, weight) = self.rows.iter().fold((0.0, 0.0), |(sum, weight), r| {
            (sum + r.weight * r.t, weight + r.weight)
        });
        sum / weight
    }

    /// `term(τ)` at every distinct time, for lookup by [`Row::t_x_at`] and [`Row::t_at`].
    pub fn per_time<V>(&self, term: impl FnMut(f64) -> V) -> Vec<V> {
        self.times.iter().copied().map(term).collect()
    }

    /// `term(x, i)` at every distinct point (x, τ), τ being `times[i]`, for lookup by
    /// [`Row::x_t_x_at`] and [`Row::x_t_at`]; the first error if any.
    pub fn per_point<V, E>(
        &self,
        mut term: impl FnMut(f64, usize) -> Result<V, E>,
    ) -> Result<Vec<V>, E> {
        self.points.iter().map(|&(x, at)| term(x, at)).collect()
    }
}

/// One (merged) customer row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Row {
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
    pub weight: f64,
    /// Where t_x is in [`FitData::times`].
    pub t_x_at: usize,
    /// Where T is in [`FitData::times`].
    pub t_at: usize,
    /// Where (x, t_x) is in [`FitData::points`].
    pub x_t_x_at: usize,
    /// Where (x, T) is in [`FitData::points`].
    pub x_t_at: usize,
}

/// Errors naming `field` unless `values` has `n` entries.
pub(crate) fn same_length(field: &str, values: &[f64], n: usize) -> Result<(), InputError> {
    if values.len() == n {
        Ok(())
    } else {
        Err(InputError::invalid(
            field,
            format!(
                "must have as many entries as frequency ({n}, got {})",
                values.len()
            ),
        ))
    }
}

/// Sums `weight · ℓ(row)` and the weighted gradients over rows; `row_ll` returns a row's log-likelihood
/// and writes its gradient into the scratch slice.
pub(crate) fn sum_rows<R>(
    rows: &[R],
    weight: impl Fn(&R) -> f64,
    grad: &mut [f64],
    mut row_ll: impl FnMut(&R, &mut [f64]) -> f64,
) -> f64 {
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut scratch = vec![0.0; grad.len()];
    let mut total = 0.0;
    for row in rows {
        let w = weight(row);
        total += w * row_ll(row, &mut scratch);
        for (g, s) in grad.iter_mut().zip(&scratch) {
            *g += w * s;
        }
    }
    total
}

/// Per-customer predictions of a purchase model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Predictions {
    /// Expected purchases in the next `horizon` time units (or opportunities, for BG/BB).
    pub expected_purchases: Vec<f64>,
    /// Probability that the customer is alive now.
    pub prob_alive: Vec<f64>,
}

/// What the per-customer predictions of a fitted purchase model need.
pub trait PurchaseModel {
    /// P(alive | x, t_x, T): the probability that the customer is alive now.
    fn prob_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64, ModelError>;
    /// P(alive) of every customer of `summary` (valid); a model whose P(alive) has parts that customers
    /// share computes each of them once.
    fn prob_alive_all(&self, summary: &Summary) -> Result<Vec<f64>, ModelError> {
        (0..summary.frequency.len())
            .map(|i| self.prob_alive(summary.frequency[i], summary.recency[i], summary.t[i]))
            .collect()
    }
    /// E[Y(horizon) | alive now, x, T]: expected purchases in the next `horizon` of a customer known to
    /// be alive now. Recency enters the conditional expectation only through P(alive).
    fn expected_if_alive(&self, x: f64, t: f64, horizon: f64) -> Result<f64, ModelError>;
    /// `(E[Y(horizon) | x, t_x, T], P(alive | x, t_x, T))` for one customer; the expectation is
    /// [`PurchaseModel::expected_if_alive`] times P(alive).
    fn predict_one(
        &self,
        x: f64,
        t_x: f64,
        t: f64,
        horizon: f64,
    ) -> Result<(f64, f64), ModelError> {
        let alive = self.prob_alive(x, t_x, t)?;
        Ok((self.expected_if_alive(x, t, horizon)? * alive, alive))
    }
    /// E[X(t)]: expected purchases of a new customer in a period of length t.
    fn expected_purchases_new(&self, t: f64) -> Result<f64, ModelError>;
    /// P(X(t) = x) for a new customer.
    fn prob_purchases(&self, t: f64, x: u32) -> Result<f64, ModelError>;
}

impl Model {
    /// The model as a purchase model, or an error for sBG and Gamma-Gamma.
    pub fn purchase_model(&self) -> Result<&dyn PurchaseModel, ModelError> {
        match self {
            Model::Bgnbd(m) => Ok(m),
            Model::Mbgnbd(m) => Ok(m),
            Model::Paretonbd(m) => Ok(m),
            Model::Bgbb(m) => Ok(m),
            Model::Sbg(_) | Model::Gammagamma(_) => Err(ModelError::Unsupported(
                "model: must be a purchase model (bgnbd, mbgnbd, paretonbd or bgbb)".to_owned(),
            )),
        }
    }

    /// Predictions for every customer of `summary` over the next `horizon` time units.
    pub fn predict(&self, summary: &Summary, horizon: f64) -> Result<Predictions, ModelError> {
        self.validate()?;
        summary.validate()?;
        error::non_negative("horizon", horizon)?;
        let model = self.purchase_model()?;
        if matches!(self, Model::Bgbb(_)) {
            return Err(ModelError::Unsupported(
                "data: bgbb predictions take { frequency, recency, periods }".to_owned(),
            ));
        }
        // E[Y | x, t_x, T] = E[Y | alive, x, T] · P(alive), the first shared by customers of equal (x, T).
        let prob_alive = model.prob_alive_all(summary)?;
        let mut if_alive = Memo::new();
        let mut expected_purchases = Vec::with_capacity(prob_alive.len());
        for (i, alive) in prob_alive.iter().enumerate() {
            let (x, t) = (summary.frequency[i], summary.t[i]);
            let e = if_alive.get(x, t, || model.expected_if_alive(x, t, horizon))?;
            expected_purchases.push(e * alive);
        }
        Ok(Predictions {
            expected_purchases,
            prob_alive,
        })
    }
}

/// ln P(N(t) = x) for the purchases of a customer alive throughout (0, t]: Poisson(λt) with
/// λ ~ Gamma(r, α), the negative binomial `Γ(r+x)/(Γ(r) x!) (α/(α+t))^r (t/(α+t))^x` (0⁰ = 1 at t = 0).
pub(crate) fn ln_nbd(r: f64, alpha: f64, x: f64, t: f64) -> f64 {
    let value = crate::special::ln_gamma(r + x)
        - crate::special::ln_gamma(r)
        - crate::special::ln_gamma(x + 1.0)
        + r * (alpha / (alpha + t)).ln();
    if x > 0.0 {
        value + x * (t / (alpha + t)).ln()
    } else {
        value
    }
}

/// An error for a series that did not converge at one customer or time.
pub(crate) fn series_failed(what: &str) -> ModelError {
    ModelError::Unsupported(format!(
        "{what}: the hypergeometric function 2F1 cannot be evaluated at these values (its series at z and at 1 - z both need more than 50,000 terms)"
    ))
}

/// How [`customer_value`] discounts and converts months into the model's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ValueOptions {
    /// Months of future purchases to count (1 to 1200).
    pub months: f64,
    /// Discount rate per month (0.01 = 1 %), from 0 to 1.
    pub monthly_discount_rate: f64,
    /// Model time units per month (4.345 when the summary is in weeks, 1 for months), above 0 and at
    /// most 10⁶.
    pub units_per_month: f64,
}

/// Most months [`customer_value`] counts (a century).
pub const MAX_MONTHS: u32 = 1200;

/// Largest `unitsPerMonth`: minutes (43,830 a month) fit; it keeps the longest horizon,
/// `MAX_MONTHS · unitsPerMonth`, at 1.2·10⁹ time units.
pub const MAX_UNITS_PER_MONTH: f64 = 1e6;

impl ValueOptions {
    /// Checks the options, naming the field; returns the months. The discount rate is at least 0:
    /// a negative rate makes each month's purchases worth more than the last, the discount factors
    /// `(1 + d)^−month` grow without bound (at −0.99, 10²⁴⁰⁰ by month 1,200: every value infinite),
    /// and the value is no longer a present value. At most 1 (100 % a month).
    pub fn validate(&self) -> Result<u32, InputError> {
        at_most(
            "monthlyDiscountRate",
            error::non_negative("monthlyDiscountRate", self.monthly_discount_rate)?,
            1.0,
        )?;
        at_most(
            "unitsPerMonth",
            error::positive("unitsPerMonth", self.units_per_month)?,
            MAX_UNITS_PER_MONTH,
        )?;
        error::whole_positive("months", self.months, MAX_MONTHS)
    }
}

/// `value` unless it exceeds `max`, naming `field`.
fn at_most(field: &str, value: f64, max: f64) -> Result<f64, InputError> {
    if value <= max {
        Ok(value)
    } else {
        Err(InputError::invalid(
            field,
            format!("must be at most {max} (got {value})"),
        ))
    }
}

/// Per-customer value over the next `months`, as lifetimes' `customer_lifetime_value` computes it:
/// `Σ_{i=1}^{months} (E[Y(i·u)] − E[Y((i−1)·u)]) · E[M] / (1 + d)^i`, with u = `unitsPerMonth`,
/// E[Y(t)] the purchase model's conditional expected purchases and E[M] the Gamma-Gamma expected spend
/// given the customer's `monetary_value`. Purchases are valued at the end of the month they fall in.
///
/// Since E[Y(t) | x, t_x, T] = P(alive) · E[Y(t) | alive, x, T], the value is P(alive) · E[M] times the
/// discounted sum of the alive customer's monthly purchases, which depends on (x, T) only: that sum is
/// computed once per distinct (x, T), and P(alive) once per customer.
pub fn customer_value(
    purchase: &Model,
    spend: &gammagamma::GammaGamma,
    summary: &Summary,
    monetary_value: &[f64],
    options: &ValueOptions,
) -> Result<Vec<f64>, ModelError> {
    purchase.validate()?;
    Model::Gammagamma(*spend).validate()?;
    summary.validate()?;
    same_length("monetaryValue", monetary_value, summary.frequency.len())?;
    let months = options.validate()?;
    let model = purchase.purchase_model()?;
    let discounts: Vec<f64> = (1..=months)
        .map(|month| (1.0 + options.monthly_discount_rate).powi(month as i32))
        .collect();
    let mut alive_values = Memo::new();
    let prob_alive = model.prob_alive_all(summary)?;
    let mut values = Vec::with_capacity(summary.frequency.len());
    for (i, &m) in monetary_value.iter().enumerate() {
        let (x, t) = (summary.frequency[i], summary.t[i]);
        if !gammagamma::plain_monetary_value(m) {
            gammagamma::monetary_value(&format!("monetaryValue[{i}]"), m)?;
        }
        let per_purchase = spend.expected_spend(x, m)?;
        let alive_value = alive_values.get(x, t, || {
            discounted_purchases_if_alive(model, x, t, options, &discounts)
        })?;
        values.push(prob_alive[i] * per_purchase * alive_value);
    }
    Ok(values)
}

/// `Σ_i (E[Y(i·u) | alive] − E[Y((i−1)·u) | alive]) / discounts[i−1]` for a customer with (x, T).
fn discounted_purchases_if_alive(
    model: &dyn PurchaseModel,
    x: f64,
    t: f64,
    options: &ValueOptions,
    discounts: &[f64],
) -> Result<f64, ModelError> {
    let (mut before, mut value) = (0.0, 0.0);
    for (month, discount) in (1u32..).zip(discounts) {
        let by_now = model.expected_if_alive(x, t, f64::from(month) * options.units_per_month)?;
        value += (by_now - before) / discount;
        before = by_now;
    }
    Ok(value)
}

impl Model {
    /// BG/BB predictions for every pattern of `data` over the next `horizon` opportunities.
    pub fn predict_opportunities(
        &self,
        data: &bgbb::BgBbData,
        horizon: f64,
    ) -> Result<Predictions, ModelError> {
        self.validate()?;
        data.validate()?;
        let Model::Bgbb(model) = self else {
            return Err(ModelError::Unsupported(
                "model: { frequency, recency, periods } data need a bgbb fit".to_owned(),
            ));
        };
        let mut out = Predictions::default();
        for i in 0..data.frequency.len() {
            let (e, p) =
                model.predict_one(data.frequency[i], data.recency[i], data.periods[i], horizon)?;
            out.expected_purchases.push(e);
            out.prob_alive.push(p);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The purchase models at their CDNOW estimates (Fader, Hardie & Lee 2005 for BG/NBD, reused for
    /// MBG/NBD; the BTYD values for Pareto/NBD).
    fn cdnow_models() -> [Model; 3] {
        let bg = bgnbd::BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        [
            Model::Bgnbd(bg),
            Model::Mbgnbd(mbgnbd::ModifiedBgNbd(bg)),
            Model::Paretonbd(paretonbd::ParetoNbd {
                r: 0.553,
                alpha: 10.578,
                s: 0.606,
                beta: 11.669,
            }),
        ]
    }

    #[test]
    fn predictions_for_all_equal_the_formula_customer_by_customer() {
        // predict computes the parts customers share once (E[Y | alive, x, T] per (x, T); for
        // Pareto/NBD the ₂F₁ terms per (x, t_x) and (x, T)): the result must be each customer's own.
        let customers = [
            (0.0, 0.0, 38.86),
            (0.0, 0.0, 38.86),
            (0.0, 0.0, 30.0),
            (2.0, 30.43, 38.86),
            (2.0, 10.0, 38.86),
            (2.0, 10.0, 30.0),
            (7.0, 36.0, 37.0),
            (7.0, 37.0, 37.0),
        ];
        let summary = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        };
        for model in cdnow_models() {
            let all = model.predict(&summary, 39.0).unwrap();
            let one = model.purchase_model().unwrap();
            for (i, &(x, t_x, t)) in customers.iter().enumerate() {
                let (e, alive) = one.predict_one(x, t_x, t, 39.0).unwrap();
                assert_eq!(all.expected_purchases[i], e, "{model:?} {i}");
                assert_eq!(all.prob_alive[i], alive, "{model:?} {i}");
            }
        }
    }

    /// lifetimes' formula as written: expected purchases at the end of each month from the full
    /// conditional expectation, differenced and discounted.
    fn straightforward_value(
        model: &dyn PurchaseModel,
        spend: &gammagamma::GammaGamma,
        (x, t_x, t, m): (f64, f64, f64, f64),
        options: &ValueOptions,
    ) -> f64 {
        let per_purchase = spend.expected_spend(x, m).unwrap();
        let (mut before, mut value) = (0.0, 0.0);
        for month in 1..=options.months as i32 {
            let horizon = f64::from(month) * options.units_per_month;
            let (by_now, _) = model.predict_one(x, t_x, t, horizon).unwrap();
            value += (by_now - before) * per_purchase
                / (1.0 + options.monthly_discount_rate).powi(month);
            before = by_now;
        }
        value
    }

    #[test]
    fn value_options_out_of_range_are_refused_by_name() {
        let ok = ValueOptions {
            months: 1200.0,
            monthly_discount_rate: 0.0,
            units_per_month: 4.345,
        };
        assert_eq!(ok.validate(), Ok(1200));
        for (options, start) in [
            (
                ValueOptions {
                    monthly_discount_rate: -0.99,
                    ..ok
                },
                "monthlyDiscountRate: must be 0 or more (got -0.99)",
            ),
            (
                ValueOptions {
                    monthly_discount_rate: 1.5,
                    ..ok
                },
                "monthlyDiscountRate: must be at most 1 (got 1.5)",
            ),
            (
                ValueOptions {
                    units_per_month: 1e7,
                    ..ok
                },
                "unitsPerMonth: must be at most 1000000 (got 10000000)",
            ),
            (
                ValueOptions {
                    months: 1201.0,
                    ..ok
                },
                "months: must be a whole number from 1 to 1200 (got 1201)",
            ),
        ] {
            assert_eq!(options.validate().unwrap_err().to_string(), start);
        }
    }

    #[test]
    fn customer_value_is_finite_at_the_limits() {
        // The longest horizon at the extreme rates, a top spender: every value finite and positive.
        let summary = Summary {
            frequency: vec![0.0, 2.0, f64::from(MAX_FREQUENCY)],
            recency: vec![0.0, 30.43, 38.86],
            t: vec![38.86, 38.86, 38.86],
            weights: None,
        };
        let monetary = [0.0, 22.5, gammagamma::MAX_MONETARY_VALUE];
        let spend = gammagamma::GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        for model in cdnow_models() {
            for (rate, units) in [(0.0, MAX_UNITS_PER_MONTH), (1.0, 4.345), (0.0, 1e-3)] {
                let options = ValueOptions {
                    months: f64::from(MAX_MONTHS),
                    monthly_discount_rate: rate,
                    units_per_month: units,
                };
                let values = customer_value(&model, &spend, &summary, &monetary, &options).unwrap();
                assert!(
                    values.iter().all(|v| v.is_finite() && *v > 0.0),
                    "{model:?} {rate} {units}: {values:?}"
                );
            }
        }
    }

    #[test]
    fn customer_value_equals_the_month_by_month_formula() {
        // Customers sharing (x, T) with different recencies reuse one alive-customer sum.
        let customers = [
            (0.0, 0.0, 38.86, 0.0),
            (2.0, 30.43, 38.86, 22.5),
            (2.0, 10.0, 38.86, 40.0),
            (26.0, 30.86, 31.0, 18.0),
            (7.0, 36.0, 37.0, 55.1),
            (7.0, 1.0, 37.0, 55.1),
        ];
        let summary = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        };
        let monetary: Vec<f64> = customers.iter().map(|c| c.3).collect();
        let spend = gammagamma::GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let models = cdnow_models();
        for months in [1.0, 12.0, 60.0] {
            let options = ValueOptions {
                months,
                monthly_discount_rate: 0.01,
                units_per_month: 4.345,
            };
            for model in &models {
                let values = customer_value(model, &spend, &summary, &monetary, &options).unwrap();
                for (c, got) in customers.iter().zip(values) {
                    let want = straightforward_value(
                        model.purchase_model().unwrap(),
                        &spend,
                        *c,
                        &options,
                    );
                    assert!(
                        (got - want).abs() <= 1e-12 * want.abs(),
                        "{model:?} {c:?} {months} months: {got} vs {want}"
                    );
                }
            }
        }
    }
}
