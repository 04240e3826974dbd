//! BG/NBD repeat buying: Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an
//! alternative to the Pareto/NBD model", *Marketing Science* 24(2).
//!
//! While alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
//! probability p ~ Beta(a, b). For a customer with x repeat purchases, the last at t_x, observed for T:
//!
//! `L = B(a, b+x)/B(a, b) · Γ(r+x)αʳ/(Γ(r)(α+T)^(r+x))
//!    + δ(x>0) B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ/(Γ(r)(α+t_x)^(r+x))`   (their eq. 6),
//!
//! evaluated as `ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//! + logsumexp(−(r+x) ln(α+T), ln a − ln(b+x−1) − (r+x) ln(α+t_x))`.
//!
//! The same code serves the MBG/NBD ([`super::mbgnbd`]), where a customer may also drop out at time 0:
//! every formula takes an offset `k` (0 for BG/NBD, 1 for MBG/NBD) that turns `b + x` into `b + x + k`.
//! Derivation for general k: given (λ, p), `P(X(t) = x) = (1−p)^(x+k) Pois(x; λt)
//! + δ(x+k>0) p(1−p)^(x+k−1) P(Pois(λt) ≥ x)` and `E[X(t)] = (1−p)^k/p · (1 − e^(−λpt))`.
//!
//! Predictions (their eqs. 8–10, time in the summary's unit): `P(alive) = 1/(1 + δ a/(b+x+k−1)
//! ((α+T)/(α+t_x))^(r+x))`; `E[Y(t) | x, t_x, T] = c/(a−1) · [1 − ((α+T)/(α+T+t))^(a−1)
//! ₂F₁(c−r−x, a−1; c; t/(α+T+t))] · P(alive)` with `c = a+b+x+k−1`, where Euler's transformation
//! (DLMF 15.8.1) has been applied to the paper's ₂F₁(r+x, b+x; c; z) so that the series has small
//! parameters. `a = 1` is a removable singularity of these expressions; there the limit is used
//! (see `alive_expected`). `P(X(t) = x)` (their eq. 8) takes the tail of the negative binomial count
//! from the regularized incomplete beta function rather than the paper's sum over j < x, so no work
//! grows with x (see `prob_purchases`).

use serde::{Deserialize, Serialize};

use super::{
    ln_nbd, maximize, series_failed, Estimate, Fit, FitData, Model, ModelError, PurchaseModel, Row,
    Summary,
};
use crate::special::{
    beta_regularized, digamma, exp_inline, hyp2f1_complement, hyp2f1_series_at, hyp2f1_with_grad,
    integrate, ln_beta, ln_gamma, log_sum_exp_ratio, LnSum,
};

/// Parameter names, in order.
pub const NAMES: &[&str] = &["r", "alpha", "a", "b"];

/// BG/NBD parameters: λ ~ Gamma(r, alpha), p ~ Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl BgNbd {
    pub(crate) fn to_vec(self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
    }

    pub(crate) fn from_slice(p: &[f64]) -> BgNbd {
        BgNbd {
            r: p[0],
            alpha: p[1],
            a: p[2],
            b: p[3],
        }
    }
}

/// The parts of ln L that depend on x only, and their gradients.
struct FrequencyTerms {
    value: f64,
    grad: [f64; 4],
    /// ln(a/(b+x+k−1)): the log-odds of having dropped out after the last purchase, before time.
    ln_odds: f64,
    /// a/(b+x+k−1), the odds themselves.
    odds: f64,
    /// 1/(b+x+k−1), for the gradient of `ln_odds` in b.
    inv_bxk1: f64,
}

fn frequency_terms(p: &BgNbd, k: f64, x: f64) -> FrequencyTerms {
    let BgNbd { r, alpha, a, b } = *p;
    let bxk = b + x + k;
    let value = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_beta(a, bxk) - ln_beta(a, b);
    let psi_ab = digamma(a + b);
    let psi_abxk = digamma(a + bxk);
    FrequencyTerms {
        value,
        grad: [
            digamma(r + x) - digamma(r) + alpha.ln(),
            r / alpha,
            psi_ab - psi_abxk,
            psi_ab + digamma(bxk) - digamma(b) - psi_abxk,
        ],
        ln_odds: a.ln() - (bxk - 1.0).ln(),
        odds: a / (bxk - 1.0),
        inv_bxk1: 1.0 / (bxk - 1.0),
    }
}

/// ln(α + τ) and 1/(α + τ) at one time τ.
type TimeTerms = (f64, f64);

/// The terms of ln L that customers share: of one time τ ([`TimeTerms`]), and of one point (x, τ) the
/// power `((α + τ)/(α + τ₀))^−(r+x)`, with τ₀ a time in the middle of the data's range on the log
/// scale, so that the powers stay within floating point for all but extreme x.
struct Shared {
    times: Vec<TimeTerms>,
    powers: Vec<f64>,
}

impl Shared {
    fn new(p: &BgNbd, data: &FitData) -> Shared {
        let times = data.per_time(|tau| {
            let base = p.alpha + tau;
            (base.ln(), 1.0 / base)
        });
        let (lo, hi) = times
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| {
                (lo.min(t.0), hi.max(t.0))
            });
        let middle = 0.5 * (lo + hi);
        let Ok(powers) = data.per_point(|x, at| {
            Ok::<_, std::convert::Infallible>((-(p.r + x) * (times[at].0 - middle)).exp())
        });
        Shared { times, powers }
    }
}

/// Log-likelihood of one customer given the x-only and shared terms, as `(value, e)`: ln L is
/// `value + ln(1 + e)` (the two terms of L combined as in [`log_sum_exp_ratio`]; e = 0 when there is
/// one term); writes the gradient.
fn row_ll(
    p: &BgNbd,
    k: f64,
    terms: &FrequencyTerms,
    shared: &Shared,
    row: &Row,
    grad: &mut [f64],
) -> (f64, f64) {
    let (x, rx) = (row.x, p.r + row.x);
    let (ln_at, inv_at) = shared.times[row.t_at];
    let first = -rx * ln_at;
    grad.copy_from_slice(&terms.grad);
    if x == 0.0 && k == 0.0 {
        grad[0] -= ln_at;
        grad[1] -= rx * inv_at;
        return (terms.value + first, 0.0);
    }
    let (ln_atx, inv_atx) = shared.times[row.t_x_at];
    let second = terms.ln_odds - rx * ln_atx;
    // e^(second − first) = odds · ((α+T)/(α+t_x))^(r+x), from the table of powers (no exp) unless a
    // power left floating point.
    let (at_t_x, at_t) = (shared.powers[row.x_t_x_at], shared.powers[row.x_t_at]);
    let ratio = if at_t_x.is_normal() && at_t.is_normal() {
        terms.odds * at_t_x / at_t
    } else {
        (second - first).exp()
    };
    let (hi, e, w1, w2) = log_sum_exp_ratio(first, second, ratio);
    grad[0] -= w1 * ln_at + w2 * ln_atx;
    grad[1] -= rx * (w1 * inv_at + w2 * inv_atx);
    grad[2] += w2 / p.a;
    grad[3] -= w2 * terms.inv_bxk1;
    (terms.value + hi, e)
}

/// Total (weighted) log-likelihood of the customers and its gradient in (r, α, a, b).
pub(crate) fn log_likelihood(p: &BgNbd, k: f64, data: &FitData, grad: &mut [f64]) -> f64 {
    let shared = Shared::new(p, data);
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut scratch = [0.0; 4];
    let mut terms: Option<(f64, FrequencyTerms)> = None;
    let (mut total, mut ln_terms) = (0.0, LnSum::default());
    for row in &data.rows {
        let current = match terms.take() {
            Some((x, t)) if x == row.x => t,
            _ => frequency_terms(p, k, row.x),
        };
        let (value, e) = row_ll(p, k, &current, &shared, row, &mut scratch);
        total += row.weight * value;
        ln_terms.add(row.weight, e);
        for (g, s) in grad.iter_mut().zip(&scratch) {
            *g += row.weight * s;
        }
        terms = Some((row.x, current));
    }
    total + ln_terms.sum()
}

/// Fits BG/NBD (k = 0) or MBG/NBD (k = 1) to a customer summary: the parameters and the estimate,
/// which the caller tags with its model.
pub(crate) fn fit_with_offset(
    model: &'static str,
    k: f64,
    summary: &Summary,
) -> Result<(BgNbd, Estimate), ModelError> {
    summary.validate_for_fit()?;
    let data = summary.fit_data();
    // First a start on the data's time scale (α is in time units), then fixed ones.
    let starts = [
        vec![1.0, data.mean_age() / 4.0, 1.0, 1.0],
        vec![1.0, 1.0, 1.0, 1.0],
        vec![0.5, 5.0, 0.5, 2.0],
        vec![0.2, 20.0, 2.0, 5.0],
    ];
    let estimate = maximize(
        model,
        NAMES,
        |p, g| log_likelihood(&BgNbd::from_slice(p), k, &data, g),
        &starts,
    )?;
    Ok((BgNbd::from_slice(&estimate.params), estimate))
}

/// Fits the BG/NBD model by maximum likelihood.
///
/// ```
/// use clvlab::models::{bgnbd::BgNbd, PurchaseModel};
/// // Fader, Hardie & Lee (2005), section 5: at r 0.243, α 4.414, a 0.793, b 2.426 a customer with
/// // x = 2, t_x = 30.43, T = 38.86 (weeks) is alive with probability 0.7266 and expected to buy 1.226
/// // times in the next 39 weeks.
/// let model = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/// let (expected, alive) = model.predict_one(2.0, 30.43, 38.86, 39.0).unwrap();
/// assert!((expected - 1.226).abs() < 5e-4 && (alive - 0.7266).abs() < 5e-4);
/// ```
pub fn fit(summary: &Summary) -> Result<Fit, ModelError> {
    let (params, estimate) = fit_with_offset("bgnbd", 0.0, summary)?;
    Ok(estimate.into_fit(Model::Bgnbd(params)))
}

/// P(alive | x, t_x, T) with offset k.
pub(crate) fn prob_alive(p: &BgNbd, k: f64, x: f64, t_x: f64, t: f64) -> f64 {
    let ln_ratio = (p.alpha + t).ln() - (p.alpha + t_x).ln();
    alive_given(p, k, x, odds_constant(p, k, x), ln_ratio)
}

/// ln a − ln(b + x + k − 1): the part of P(alive)'s log-odds that only x changes.
fn odds_constant(p: &BgNbd, k: f64, x: f64) -> f64 {
    p.a.ln() - (p.b + x + k - 1.0).ln()
}

/// P(alive) = 1/(1 + a/(b+x+k−1) ((α+T)/(α+t_x))^(r+x)) from `constant` (`odds_constant`) and
/// `ln_ratio` = ln(α + T) − ln(α + t_x); 1 for a BG/NBD customer without repeat purchases.
fn alive_given(p: &BgNbd, k: f64, x: f64, constant: f64, ln_ratio: f64) -> f64 {
    if x == 0.0 && k == 0.0 {
        return 1.0;
    }
    alive_from_odds(constant + (p.r + x) * ln_ratio)
}

/// 1/(1 + e^ln_odds), with the exponential inline (the table's loop over draws vectorises).
#[inline]
fn alive_from_odds(ln_odds: f64) -> f64 {
    1.0 / (1.0 + exp_inline(ln_odds))
}

/// P(alive) of every customer of `summary` with offset k, as [`prob_alive`] gives it: the parts that
/// only x or only T change computed once for each run of customers sharing them (a summary sorted
/// by (x, T), as the distinct rows are, shares nearly all).
pub(crate) fn prob_alive_all(p: &BgNbd, k: f64, summary: &Summary) -> Vec<f64> {
    let (mut by_x, mut by_t) = ((f64::NAN, 0.0), (f64::NAN, 0.0));
    (0..summary.frequency.len())
        .map(|i| {
            let (x, t_x, t) = (summary.frequency[i], summary.recency[i], summary.t[i]);
            if x.to_bits() != by_x.0.to_bits() {
                by_x = (x, odds_constant(p, k, x));
            }
            if t.to_bits() != by_t.0.to_bits() {
                by_t = (t, (p.alpha + t).ln());
            }
            alive_given(p, k, x, by_x.1, by_t.1 - (p.alpha + t_x).ln())
        })
        .collect()
}

/// BG/NBD's P(alive) (offset k) at many parameter draws, as [`prob_alive`] gives it: customers share
/// few distinct times (t_x and T are whole days in weeks, say), so ln(α + v) is computed once per
/// draw for each distinct time v.
pub(crate) struct AliveTable {
    draws: Vec<BgNbd>,
    k: f64,
    /// The distinct times, ascending, and ln(α_d + v) at i·draws + d for the i-th.
    times: Vec<f64>,
    ln_scale: Vec<f64>,
}

impl AliveTable {
    /// The table for the customers of `summary` at `draws`, or none when it would hold more than
    /// `most` values.
    pub(crate) fn new(draws: &[BgNbd], k: f64, summary: &Summary, most: usize) -> Option<Self> {
        let mut times: Vec<f64> = summary.recency.iter().chain(&summary.t).copied().collect();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup_by(|u, v| u.to_bits() == v.to_bits());
        if times.len() * draws.len() > most {
            return None;
        }
        let ln_scale = times
            .iter()
            .flat_map(|v| draws.iter().map(move |p| (p.alpha + v).ln()))
            .collect();
        Some(AliveTable {
            draws: draws.to_vec(),
            k,
            times,
            ln_scale,
        })
    }

    /// The number of draws.
    pub(crate) fn draws(&self) -> usize {
        self.draws.len()
    }

    /// P(alive) of every customer of `summary` (among the table's) at every draw, at i·draws + d.
    pub(crate) fn fill(&self, summary: &Summary, out: &mut [f64]) {
        let n = self.draws.len();
        let logs = |v: f64| {
            let i = self.times.partition_point(|u| u.total_cmp(&v).is_lt());
            &self.ln_scale[i * n..(i + 1) * n]
        };
        // Per draw, the odds' constant and r + x of the customers' x at hand.
        let (mut x_at, mut constants, mut shapes) = (f64::NAN, vec![0.0; n], vec![0.0; n]);
        for (i, row) in out.chunks_exact_mut(n).enumerate() {
            let x = summary.frequency[i];
            if x == 0.0 && self.k == 0.0 {
                row.fill(1.0);
                continue;
            }
            if x.to_bits() != x_at.to_bits() {
                x_at = x;
                for ((c, s), p) in constants.iter_mut().zip(&mut shapes).zip(&self.draws) {
                    (*c, *s) = (odds_constant(p, self.k, x), p.r + x);
                }
            }
            let (at_x, at_t) = (logs(summary.recency[i]), logs(summary.t[i]));
            let odds = constants.iter().zip(&shapes).zip(at_t.iter().zip(at_x));
            for (alive, ((c, s), (ln_t, ln_x))) in row.iter_mut().zip(odds) {
                *alive = alive_from_odds(c + s * (ln_t - ln_x));
            }
        }
    }
}

/// `c/(a−1) · [1 − u^(a−1) ₂F₁(c − r', a − 1; c; 1 − u)]`: E[purchases in t] of a customer alive now
/// with posterior shape r' and u = (scale)/(scale + t).
///
/// At `a = 1` this is 0/0; with ε = a − 1, `(ε)ₙ = ε (n−1)! + O(ε²)` and `u^ε = 1 + ε ln u + O(ε²)`
/// give the limit `c · [−ln u − ∂₂F₁(c − r', β; c; z)/∂β at β = 0]`, where the derivative is
/// `Σₙ (c − r')ₙ/(c)ₙ zⁿ/n`.
fn alive_expected(p: &BgNbd, c: f64, shape: f64, scale: f64, t: f64) -> Result<f64, ModelError> {
    let (z, u) = (t / (scale + t), scale / (scale + t));
    let failed = || series_failed("horizon");
    if p.a == 1.0 {
        let d_b = hyp2f1_with_grad(c - shape, 0.0, c, z, u)
            .ok_or_else(failed)?
            .d_b;
        return Ok(c * ((t / scale).ln_1p() - d_b));
    }
    match hyp2f1_complement(c - shape, p.a - 1.0, c, z, u) {
        Some(f) => Ok(c / (p.a - 1.0) * (1.0 - u.powf(p.a - 1.0) * f)),
        None => {
            alive_expected_by_quadrature(p.a, c - p.a + 1.0, shape, scale, t).ok_or_else(failed)
        }
    }
}

/// [`alive_expected`] as the integral it sums, `∫ (1 − (scale/(scale + q·t))^shape)/q ·
/// Beta(q; a, b') dq` over the dropout probability q (b' = c − a + 1: b + x + k), for where ₂F₁'s
/// series do not converge: a and b' both large (thousands), so that Beta(a, b') is concentrated.
/// Integrated over its mean ± 12 standard deviations (within [0, 1]) by 64 panels of 8-point
/// Gauss–Legendre (to 10⁻⁶ also where Beta(a, b') is wide, a test); `None` unless a, b' ≥ 2 (a density without
/// poles at 0 and 1, near normal when the series fail).
fn alive_expected_by_quadrature(a: f64, b: f64, shape: f64, scale: f64, t: f64) -> Option<f64> {
    if !(a >= 2.0 && b >= 2.0) {
        return None;
    }
    let mean = a / (a + b);
    let sd = (mean * (1.0 - mean) / (a + b + 1.0)).sqrt();
    let (lo, hi) = ((mean - 12.0 * sd).max(0.0), (mean + 12.0 * sd).min(1.0));
    let ln_norm = ln_beta(a, b);
    let value = integrate(
        |q| {
            let bought = -(-shape * (q * t / scale).ln_1p()).exp_m1() / q;
            bought * ((a - 1.0) * q.ln() + (b - 1.0) * (-q).ln_1p() - ln_norm).exp()
        },
        lo,
        hi,
        64,
    );
    value.is_finite().then_some(value)
}

/// E[Y(horizon) | alive now, x, T] with offset k.
pub(crate) fn expected_if_alive(
    p: &BgNbd,
    k: f64,
    x: f64,
    t: f64,
    horizon: f64,
) -> Result<f64, ModelError> {
    if horizon == 0.0 {
        return Ok(0.0);
    }
    let c = p.a + p.b + x + k - 1.0;
    alive_expected(p, c, p.r + x, p.alpha + t, horizon)
}

/// [`expected_if_alive`] at horizons `step`, 2·`step`, … into `out`: the ₂F₁ of every horizon from
/// one series where it converges (their coefficients are the same; only z = h/(α + T + h) differs).
pub(crate) fn expected_if_alive_by_step(
    p: &BgNbd,
    k: f64,
    x: f64,
    t: f64,
    step: f64,
    out: &mut [f64],
) -> Result<(), ModelError> {
    let c = p.a + p.b + x + k - 1.0;
    let (shape, scale) = (p.r + x, p.alpha + t);
    let horizon = |m: usize| (m + 1) as f64 * step;
    if p.a != 1.0 && out.len() > 1 {
        let zs: Vec<f64> = (0..out.len())
            .map(|m| horizon(m) / (scale + horizon(m)))
            .collect();
        if hyp2f1_series_at(c - shape, p.a - 1.0, c, &zs, out).is_some() {
            for (m, f) in out.iter_mut().enumerate() {
                let u = scale / (scale + horizon(m));
                *f = c / (p.a - 1.0) * (1.0 - u.powf(p.a - 1.0) * *f);
            }
            return Ok(());
        }
    }
    for (m, o) in out.iter_mut().enumerate() {
        *o = expected_if_alive(p, k, x, t, horizon(m))?;
    }
    Ok(())
}

/// E[X(t)] for a new customer: `B(a−1, b+k)/B(a, b) · [1 − E_{Beta(a−1, b+k)}(α/(α+pt))^r]`.
pub(crate) fn expected_new(p: &BgNbd, k: f64, t: f64) -> Result<f64, ModelError> {
    if t == 0.0 {
        return Ok(0.0);
    }
    // B(a−1, b+k)/B(a, b) is (a+b−1)/(a−1) for k = 0 and b/(a−1) for k = 1; alive_expected's
    // prefactor is c/(a−1).
    let c = p.a + p.b + k - 1.0;
    let ratio = if k == 0.0 { 1.0 } else { p.b / c };
    Ok(ratio * alive_expected(p, c, p.r, p.alpha, t)?)
}

/// P(X(t) = x) for a new customer with offset k: FHL (2005) eq. 8,
/// `B(a, b+x+k)/B(a, b) NB(x; t) + δ(x+k>0) B(a+1, b+x+k−1)/B(a, b) P(N(t) ≥ x)`, where
/// N(t) is the negative binomial count of a customer alive throughout (r failures of probability
/// α/(α+t)). The paper's sum `1 − Σ_{j<x} NB(j; t)` is that tail, a regularized incomplete beta
/// function: `P(N(t) ≥ x) = I_{t/(α+t)}(x, r)` (DLMF 8.17.5), so the work does not grow with x.
pub(crate) fn prob_purchases(p: &BgNbd, k: f64, t: f64, x: u32) -> Result<f64, ModelError> {
    let BgNbd { r, alpha, a, b } = *p;
    let xf = f64::from(x);
    let alive = (ln_beta(a, b + xf + k) - ln_beta(a, b) + ln_nbd(r, alpha, xf, t)).exp();
    if x == 0 && k == 0.0 {
        return Ok(alive);
    }
    let tail = if x == 0 {
        1.0
    } else {
        beta_regularized(xf, r, t / (alpha + t), alpha / (alpha + t)).ok_or_else(|| {
            ModelError::Unsupported(format!(
                "x: P(X(t) = {x}) cannot be evaluated at t = {t} (the incomplete beta function did not converge)"
            ))
        })?
    };
    Ok(alive + (ln_beta(a + 1.0, b + xf + k - 1.0) - ln_beta(a, b)).exp() * tail)
}

impl PurchaseModel for BgNbd {
    fn prob_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64, ModelError> {
        Ok(prob_alive(self, 0.0, x, t_x, t))
    }

    fn prob_alive_all(&self, summary: &Summary) -> Result<Vec<f64>, ModelError> {
        Ok(prob_alive_all(self, 0.0, summary))
    }

    fn expected_if_alive(&self, x: f64, t: f64, horizon: f64) -> Result<f64, ModelError> {
        expected_if_alive(self, 0.0, x, t, horizon)
    }

    fn expected_if_alive_by_step(
        &self,
        x: f64,
        t: f64,
        step: f64,
        out: &mut [f64],
    ) -> Result<(), ModelError> {
        expected_if_alive_by_step(self, 0.0, x, t, step, out)
    }

    fn expected_purchases_new(&self, t: f64) -> Result<f64, ModelError> {
        expected_new(self, 0.0, t)
    }

    fn prob_purchases(&self, t: f64, x: u32) -> Result<f64, ModelError> {
        prob_purchases(self, 0.0, t, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::{check_gradient, CDNOW_BGNBD, CDNOW_PARETONBD};

    #[test]
    fn expectations_by_step_are_those_at_each_horizon() {
        // One series for all horizons, or (a century of months: z near 1) each on its own: the same
        // values as expected_if_alive one horizon at a time, for BG/NBD and MBG/NBD's offset.
        for k in [0.0, 1.0] {
            for (x, t) in [(0.0, 30.0), (2.0, 38.5), (26.0, 31.0), (200.0, 39.0)] {
                for months in [12, 1200] {
                    let mut out = vec![0.0; months];
                    expected_if_alive_by_step(&CDNOW_BGNBD, k, x, t, 4.345, &mut out).unwrap();
                    for (m, &got) in out.iter().enumerate().step_by(7) {
                        let h = (m + 1) as f64 * 4.345;
                        let want = expected_if_alive(&CDNOW_BGNBD, k, x, t, h).unwrap();
                        assert!(
                            (got - want).abs() <= 1e-12 * want,
                            "{k} {x} {t} {h}: {got} {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let data = crate::models::test_support::data();
        for k in [0.0, 1.0] {
            check_gradient(
                |p, g| log_likelihood(&BgNbd::from_slice(p), k, &data, g),
                &[0.4, 5.0, 0.8, 2.5],
            );
        }
    }

    #[test]
    fn alive_expectation_by_quadrature_where_the_series_fail() {
        // Where ₂F₁ converges, the integral is its closed form (FHL 2005 eq. 10 given alive), also
        // where Beta(a, b') is wide and t ≫ α + T (the integrand bends at q ≈ scale/t).
        for (a, b, x, scale, t, tolerance) in [
            (60.0, 300.0, 3.0, 40.0, 26.0, 1e-10),
            (3.0, 5.0, 2.0, 10.0, 400.0, 1e-6),
            (2.5, 40.0, 0.0, 5.0, 1000.0, 1e-6),
        ] {
            let p = BgNbd {
                r: 0.3,
                alpha: 9.0,
                a,
                b,
            };
            let c = p.a + p.b + x - 1.0;
            let series = alive_expected(&p, c, p.r + x, scale, t).unwrap();
            let integral = alive_expected_by_quadrature(p.a, p.b + x, p.r + x, scale, t).unwrap();
            assert!(
                (integral - series).abs() <= tolerance * series,
                "{integral} against {series}"
            );
        }
        // A poorly identified fit's draw (a, b in the thousands, from a 300-customer simulation),
        // where the series overflow: Beta(a, b+x) is near its mean q̄ (sd 0.16 %), and the value is
        // within 10⁻³ of a customer who drops out with probability q̄ at each purchase,
        // (1 − (α+T)^s/(α+T+q̄t)^s)/q̄ with s = r + x (FHL's E[X(t) | λ, p] averaged over λ).
        let p = BgNbd {
            r: 0.2999,
            alpha: 9.06,
            a: 6470.2,
            b: 39826.6,
        };
        let (x, scale, t) = (0.0, 40.87, 8.69);
        let c = p.a + p.b + x - 1.0;
        let got = alive_expected(&p, c, p.r + x, scale, t).unwrap();
        let q = p.a / (p.a + p.b);
        let fixed = (1.0 - (scale / (scale + q * t)).powf(p.r + x)) / q;
        assert!((got - fixed).abs() <= 1e-3 * fixed, "{got} against {fixed}");
        assert!(
            hyp2f1_complement(c - p.r, p.a - 1.0, c, t / (scale + t), scale / (scale + t))
                .is_none()
        );
    }

    #[test]
    fn extreme_frequencies_take_the_exp_path() {
        // At x = 800 the table's powers ((α+τ)/(α+τ₀))^−(r+x) leave floating point, and the rows
        // fall back to exp: the total must still be FHL (2005) eq. 6 summed row by row, and the
        // gradient right.
        let customers = [(0.0, 0.0, 38.0), (800.0, 2.0, 38.0), (3.0, 1.0, 38.0)];
        let data = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        }
        .fit_data();
        let (r, alpha, a, b) = (0.4, 5.0, 0.8, 2.5);
        for k in [0.0, 1.0] {
            let eq6: f64 = customers
                .iter()
                .map(|&(x, t_x, t)| {
                    let common =
                        ln_gamma(r + x) - ln_gamma(r) + r * f64::ln(alpha) + ln_beta(a, b + x + k)
                            - ln_beta(a, b);
                    let first = -(r + x) * f64::ln(alpha + t);
                    if x == 0.0 && k == 0.0 {
                        return common + first;
                    }
                    let second = f64::ln(a / (b + x + k - 1.0)) - (r + x) * f64::ln(alpha + t_x);
                    common + crate::special::log_sum_exp(first, second)
                })
                .sum();
            let mut g = [0.0; 4];
            let got = log_likelihood(&BgNbd { r, alpha, a, b }, k, &data, &mut g);
            assert!(
                (got - eq6).abs() <= 1e-12 * eq6.abs(),
                "k {k}: {got} vs {eq6}"
            );
            check_gradient(
                |p, g| log_likelihood(&BgNbd::from_slice(p), k, &data, g),
                &[r, alpha, a, b],
            );
        }
    }

    #[test]
    fn purchase_probabilities_sum_to_one_and_match_the_mean() {
        // P(X(t) = x) is a distribution whose mean is E[X(t)] (FHL 2005, eqs. 8 and 9).
        for k in [0.0, 1.0] {
            let p = BgNbd {
                a: 1.793,
                ..CDNOW_BGNBD
            };
            let probs: Vec<f64> = (0..400)
                .map(|x| prob_purchases(&p, k, 20.0, x).unwrap())
                .collect();
            let total: f64 = probs.iter().sum();
            let mean: f64 = probs.iter().enumerate().map(|(x, q)| x as f64 * q).sum();
            assert!((total - 1.0).abs() < 1e-10, "k {k}: total {total}");
            let expected = expected_new(&p, k, 20.0).unwrap();
            assert!(
                (mean - expected).abs() < 1e-8,
                "k {k}: {mean} vs {expected}"
            );
        }
    }

    /// FHL (2005) eq. 8 as written: the sum over j < x of the negative binomial terms, each from
    /// Γ functions (the paper's form; the model uses the incomplete beta function for it).
    fn eq8_by_sum(p: &BgNbd, k: f64, t: f64, x: u32) -> f64 {
        let BgNbd { r, alpha, a, b } = *p;
        let nb = |j: f64| {
            (ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0)
                + r * (alpha / (alpha + t)).ln()
                + j * (t / (alpha + t)).ln())
            .exp()
        };
        let xf = f64::from(x);
        let alive = (ln_beta(a, b + xf + k) - ln_beta(a, b)).exp() * nb(xf);
        if x == 0 && k == 0.0 {
            return alive;
        }
        let below: f64 = (0..x).map(|j| nb(f64::from(j))).sum();
        alive + (ln_beta(a + 1.0, b + xf + k - 1.0) - ln_beta(a, b)).exp() * (1.0 - below)
    }

    #[test]
    fn purchase_probabilities_equal_the_papers_sum() {
        let p = CDNOW_BGNBD;
        for k in [0.0, 1.0] {
            for t in [0.5, 2.0, 30.0, 400.0] {
                for x in [0, 1, 2, 5, 17, 60, 250, 3000] {
                    let (got, want) = (
                        prob_purchases(&p, k, t, x).unwrap(),
                        eq8_by_sum(&p, k, t, x),
                    );
                    // The sum 1 − Σ loses ~1e-16 absolutely to cancellation.
                    assert!(
                        (got - want).abs() <= 1e-12 * want + 1e-15,
                        "k {k}, t {t}, x {x}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn purchase_probabilities_at_huge_counts_are_finite_and_quick() {
        // x = 2³² − 1: the paper's sum would take 4·10⁹ terms. Over a horizon of 10¹⁰ (mean count
        // r·t/α ≈ 5.5·10⁸) the probability is a small positive number, and it falls with x.
        let p = CDNOW_BGNBD;
        for k in [0.0, 1.0] {
            let far = prob_purchases(&p, k, 1e10, u32::MAX).unwrap();
            let near = prob_purchases(&p, k, 1e10, u32::MAX / 2).unwrap();
            assert!(
                far.is_finite() && far > 0.0 && far < near && near < 1e-8,
                "{far} {near}"
            );
            assert_eq!(prob_purchases(&p, k, 30.0, u32::MAX).unwrap(), 0.0);
        }
    }

    #[test]
    fn nothing_is_bought_in_no_time() {
        let p = CDNOW_BGNBD;
        assert_eq!(prob_purchases(&p, 0.0, 0.0, 0).unwrap(), 1.0);
        assert_eq!(prob_purchases(&p, 0.0, 0.0, 3).unwrap(), 0.0);
        let pareto = CDNOW_PARETONBD;
        assert_eq!(pareto.prob_purchases(0.0, 0).unwrap(), 1.0);
        assert_eq!(pareto.prob_purchases(0.0, 2).unwrap(), 0.0);
    }

    #[test]
    fn conditional_expectation_of_a_new_customer_is_the_unconditional_one() {
        // At T → 0 with no purchases, E[Y(t) | 0, 0, T] → E[X(t)] (the customer is brand new).
        let p = CDNOW_BGNBD;
        let (e, alive) = p.predict_one(0.0, 0.0, 1e-12, 10.0).unwrap();
        assert_eq!(alive, 1.0);
        assert!((e - expected_new(&p, 0.0, 10.0).unwrap()).abs() < 1e-9);
    }
    #[test]
    fn an_unbounded_horizon_gives_the_mean_of_one_over_p() {
        // An alive customer buys until the coin with drop-out probability p comes up: 1/p purchases
        // in all, E[1/p] = (a+b+x+k−1)/(a−1) under the posterior Beta(a, b+x+k) (FHL 2005, sec. 3).
        // At a horizon of 10¹⁵ the ₂F₁ argument is 1 − 4·10⁻¹⁴, past the power series, and
        // the rest of the expectation, ((α+T)/(α+T+t))^(a−1) ₂F₁, is below 10⁻¹⁰ (when r+x > a−1;
        // otherwise ₂F₁ diverges at 1 and the rest falls only like ((α+T)/(α+T+t))^(r+x)).
        let p = BgNbd {
            a: 1.8,
            ..CDNOW_BGNBD
        };
        for k in [0.0, 1.0] {
            for (x, t) in [(2.0, 38.86), (1.0, 30.0), (7.0, 37.0)] {
                let got = expected_if_alive(&p, k, x, t, 1e15).unwrap();
                let want = (p.a + p.b + x + k - 1.0) / (p.a - 1.0);
                assert!(
                    (got - want).abs() <= 1e-9 * want,
                    "k {k}, x {x}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn a_equal_to_one_takes_the_limit() {
        // The limit at a = 1 must agree with the symmetric average of a = 1 ± 1e-6 (the error of that
        // average is O(1e-12); the cancellation in c/(a−1)·[…] adds ~1e-10 relative).
        let at = |a: f64| BgNbd { a, ..CDNOW_BGNBD };
        for k in [0.0, 1.0] {
            for (x, t, horizon) in [(0.0, 0.0, 39.0), (2.0, 30.43, 39.0), (7.0, 36.0, 0.5)] {
                let value = |a: f64| {
                    if t == 0.0 {
                        expected_new(&at(a), k, horizon).unwrap()
                    } else {
                        expected_if_alive(&at(a), k, x, t, horizon).unwrap()
                    }
                };
                let limit = value(1.0);
                let average = 0.5 * (value(1.0 - 1e-6) + value(1.0 + 1e-6));
                assert!(limit.is_finite() && limit > 0.0, "k {k}, x {x}: {limit}");
                assert!(
                    (limit - average).abs() <= 1e-6 * average,
                    "k {k}, x {x}: {limit} vs {average}"
                );
            }
        }
    }
}
