//! BG/BB for discrete transaction opportunities: Fader, Hardie & Shang (2010), "Customer-base analysis
//! in a discrete-time noncontractual setting", *Marketing Science* 29(6).
//!
//! At each of n opportunities an alive customer transacts with probability p ~ Beta(α, β); before each
//! opportunity they may die with probability θ ~ Beta(γ, δ). For x transactions, the last at
//! opportunity t_x, out of n (their eq. 5):
//!
//! `L = B(α+x, β+n−x)/B(α, β) · B(γ, δ+n)/B(γ, δ)
//!    + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α, β) · B(γ+1, δ+t_x+i)/B(γ, δ)`,
//!
//! summed in log space. Predictions: `P(alive at n | x, t_x, n) = B(α+x, β+n−x)/B(α, β) ·
//! B(γ, δ+n)/B(γ, δ) / L` (alive now, as lifetimes' default; FHS eq. 11 is the same one opportunity
//! later); `E[X(n, n+n*) | x, t_x, n] = B(α+x+1, β+n−x)/B(α, β) · Σ_{i=1}^{n*} B(γ, δ+n+i)/B(γ, δ) / L`
//! (their eq. 13 before summing the geometric series, so that γ = 1 needs no special case), and for a
//! new customer `E[X(n)] = α/(α+β) Σ_{i=1}^{n} B(γ, δ+i)/B(γ, δ)` and P(X(n) = x) (their eq. 7).
//! Consecutive ratios `B(γ, δ+m+1)/B(γ, δ+m) = (δ+m)/(γ+δ+m)` make the sums running products.
//!
//! Data: `{ frequency, recency, periods, weights }` with whole numbers, `frequency ≤ recency ≤ periods`
//! (recency 0 when frequency is 0) and `weights` counting the customers with each pattern.

use serde::{Deserialize, Serialize};

use super::{maximize, same_length, sum_rows, Fit, Model, ModelError, PurchaseModel};
use crate::error::{self, InputError};
use crate::special::{digamma, ln_beta, ln_gamma, log_sum_exp_all};

/// Parameter names, in order.
pub const NAMES: &[&str] = &["alpha", "beta", "gamma", "delta"];

/// Largest number of opportunities accepted.
pub const MAX_PERIODS: u32 = 100_000;

/// BG/BB parameters: p ~ Beta(alpha, beta), θ ~ Beta(gamma, delta).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BgBb {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub delta: f64,
}

/// Transaction patterns over discrete opportunities.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "OpportunityData"))]
pub struct BgBbData {
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub frequency: Vec<f64>,
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub recency: Vec<f64>,
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub periods: Vec<f64>,
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<crate::wasm_types::Numbers>", optional = nullable))]
    pub weights: Option<Vec<f64>>,
}

impl BgBbData {
    /// Checks lengths and values, naming the field and index of the first bad one.
    pub fn validate(&self) -> Result<(), InputError> {
        let n = self.frequency.len();
        if n == 0 {
            return Err(InputError::invalid("frequency", "must not be empty"));
        }
        same_length("recency", &self.recency, n)?;
        same_length("periods", &self.periods, n)?;
        if let Some(w) = &self.weights {
            same_length("weights", w, n)?;
            for (i, &v) in w.iter().enumerate() {
                error::non_negative(&format!("weights[{i}]"), v)?;
            }
        }
        for i in 0..n {
            let periods =
                error::whole_positive(&format!("periods[{i}]"), self.periods[i], MAX_PERIODS)?;
            let x =
                error::whole_non_negative(&format!("frequency[{i}]"), self.frequency[i], periods)?;
            let t_x =
                error::whole_non_negative(&format!("recency[{i}]"), self.recency[i], periods)?;
            if t_x < x || (x == 0 && t_x != 0) {
                return Err(InputError::invalid(
                    format!("recency[{i}]"),
                    format!("must be at least frequency and 0 when frequency is 0 (got {t_x} with frequency {x})"),
                ));
            }
        }
        Ok(())
    }
}

/// One pattern: (x, t_x, n, weight).
type Pattern = (f64, f64, f64, f64);

impl BgBb {
    pub(crate) fn to_vec(self) -> Vec<f64> {
        vec![self.alpha, self.beta, self.gamma, self.delta]
    }

    fn from_slice(p: &[f64]) -> BgBb {
        BgBb {
            alpha: p[0],
            beta: p[1],
            gamma: p[2],
            delta: p[3],
        }
    }

    /// `ln[B(α+x, β+m)/B(α, β) · B(γ+e, δ+k)/B(γ, δ)]` and its gradient.
    fn ln_term(&self, x: f64, m: f64, e: f64, k: f64) -> (f64, [f64; 4]) {
        let BgBb {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let value = ln_beta(alpha + x, beta + m) - ln_beta(alpha, beta)
            + ln_beta(gamma + e, delta + k)
            - ln_beta(gamma, delta);
        let (psi_ab, psi_gd) = (
            digamma(alpha + beta + x + m),
            digamma(gamma + delta + e + k),
        );
        let (psi_ab0, psi_gd0) = (digamma(alpha + beta), digamma(gamma + delta));
        (
            value,
            [
                digamma(alpha + x) - psi_ab - digamma(alpha) + psi_ab0,
                digamma(beta + m) - psi_ab - digamma(beta) + psi_ab0,
                digamma(gamma + e) - psi_gd - digamma(gamma) + psi_gd0,
                digamma(delta + k) - psi_gd - digamma(delta) + psi_gd0,
            ],
        )
    }

    /// The terms of L for one pattern: alive through n first, then died after t_x + i.
    fn ln_terms(&self, x: f64, t_x: f64, n: f64) -> Vec<(f64, [f64; 4])> {
        let mut terms = vec![self.ln_term(x, n - x, 0.0, n)];
        let mut i = 0.0;
        while t_x + i < n {
            terms.push(self.ln_term(x, t_x - x + i, 1.0, t_x + i));
            i += 1.0;
        }
        terms
    }

    /// ln L of one pattern; writes its gradient.
    fn row_ll(&self, x: f64, t_x: f64, n: f64, grad: &mut [f64]) -> f64 {
        let terms = self.ln_terms(x, t_x, n);
        let values: Vec<f64> = terms.iter().map(|t| t.0).collect();
        let total = log_sum_exp_all(&values);
        grad.iter_mut().for_each(|g| *g = 0.0);
        for (value, d) in &terms {
            let w = (value - total).exp();
            for (g, di) in grad.iter_mut().zip(d) {
                *g += w * di;
            }
        }
        total
    }
}

/// Σ_{i=1}^{count} B(γ, δ+start+i)/B(γ, δ+start): expected alive opportunities among the next `count`.
fn alive_opportunities(gamma: f64, delta: f64, start: f64, count: u32) -> f64 {
    let (mut product, mut sum) = (1.0, 0.0);
    for i in 0..count {
        let m = delta + start + f64::from(i);
        product *= m / (gamma + m);
        sum += product;
    }
    sum
}

fn log_likelihood(model: &BgBb, patterns: &[Pattern], grad: &mut [f64]) -> f64 {
    sum_rows(
        patterns,
        |p| p.3,
        grad,
        |&(x, t_x, n, _), g| model.row_ll(x, t_x, n, g),
    )
}

/// Fits the BG/BB model by maximum likelihood.
pub fn fit(data: &BgBbData) -> Result<Fit, ModelError> {
    data.validate()?;
    let patterns: Vec<Pattern> = (0..data.frequency.len())
        .map(|i| {
            let w = data.weights.as_ref().map_or(1.0, |w| w[i]);
            (data.frequency[i], data.recency[i], data.periods[i], w)
        })
        .filter(|p| p.3 > 0.0)
        .collect();
    let starts = [
        vec![1.0, 1.0, 1.0, 1.0],
        vec![0.5, 0.5, 0.5, 2.0],
        vec![2.0, 2.0, 0.2, 5.0],
    ];
    let estimate = maximize(
        "bgbb",
        NAMES,
        |p, g| log_likelihood(&BgBb::from_slice(p), &patterns, g),
        &starts,
    )?;
    let params = BgBb::from_slice(&estimate.params);
    Ok(estimate.into_fit(Model::Bgbb(params)))
}

fn whole(field: &str, value: f64) -> Result<u32, ModelError> {
    Ok(error::whole_non_negative(field, value, MAX_PERIODS)?)
}

/// `t` is the number of opportunities n so far and `horizon` the number of future opportunities.
impl PurchaseModel for BgBb {
    fn prob_alive(&self, x: f64, t_x: f64, n: f64) -> Result<f64, ModelError> {
        let terms = self.ln_terms(x, t_x, n);
        let values: Vec<f64> = terms.iter().map(|t| t.0).collect();
        Ok((values[0] - log_sum_exp_all(&values)).exp())
    }

    fn expected_if_alive(&self, x: f64, n: f64, horizon: f64) -> Result<f64, ModelError> {
        let future = whole("horizon", horizon)?;
        // E[p | alive pattern] · Σ P(alive at n+i | alive at n).
        let mean_p = (self.alpha + x) / (self.alpha + self.beta + n);
        Ok(mean_p * alive_opportunities(self.gamma, self.delta, n, future))
    }

    fn expected_purchases_new(&self, n: f64) -> Result<f64, ModelError> {
        let n = whole("t", n)?;
        Ok(self.alpha / (self.alpha + self.beta)
            * alive_opportunities(self.gamma, self.delta, 0.0, n))
    }

    fn prob_purchases(&self, n: f64, x: u32) -> Result<f64, ModelError> {
        let n = whole("t", n)?;
        if x > n {
            return Ok(0.0);
        }
        let ln_choose =
            |m: f64, k: f64| ln_gamma(m + 1.0) - ln_gamma(k + 1.0) - ln_gamma(m - k + 1.0);
        let (xf, nf) = (f64::from(x), f64::from(n));
        let mut total = (ln_choose(nf, xf) + self.ln_term(xf, nf - xf, 0.0, nf).0).exp();
        for i in x..n {
            let i = f64::from(i);
            total += (ln_choose(i, xf) + self.ln_term(xf, i - xf, 1.0, i).0).exp();
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::check_gradient;

    #[test]
    fn gradient_matches_finite_differences() {
        let patterns = [
            (0.0, 0.0, 6.0, 10.0),
            (2.0, 4.0, 6.0, 3.0),
            (6.0, 6.0, 6.0, 1.0),
        ];
        check_gradient(
            |p, g| log_likelihood(&BgBb::from_slice(p), &patterns, g),
            &[1.2, 0.75, 0.66, 2.8],
        );
    }

    #[test]
    fn purchase_probabilities_sum_to_one_and_match_the_mean() {
        let m = BgBb {
            alpha: 1.204,
            beta: 0.750,
            gamma: 0.657,
            delta: 2.783,
        };
        let probs: Vec<f64> = (0..=6).map(|x| m.prob_purchases(6.0, x).unwrap()).collect();
        let total: f64 = probs.iter().sum();
        let mean: f64 = probs.iter().enumerate().map(|(x, q)| x as f64 * q).sum();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
        assert!((mean - m.expected_purchases_new(6.0).unwrap()).abs() < 1e-12);
    }

    #[test]
    fn refuses_impossible_patterns() {
        let data = BgBbData {
            frequency: vec![2.0],
            recency: vec![1.0],
            periods: vec![6.0],
            weights: None,
        };
        let e = data.validate().unwrap_err().to_string();
        assert!(e.starts_with("recency[0]:"), "{e}");
    }
}
