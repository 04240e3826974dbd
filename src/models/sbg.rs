//! Shifted-beta-geometric (sBG) retention, fitted to a cohort's survival counts.
//!
//! Model (Fader & Hardie 2007, "How to project customer retention", *Journal of Interactive Marketing*
//! 21(1)): each customer churns at the end of a period with probability θ, fixed for them, and
//! θ ~ Beta(α, β) across customers. A customer is lost in period t ≥ 1 with probability
//! `P(T = t) = B(α + 1, β + t − 1) / B(α, β)` and survives t periods with probability
//! `S(t) = B(α, β + t) / B(α, β)`; computed as the running products
//! `S(t) = S(t − 1) (β + t − 1)/(α + β + t − 1)` and `P(T = t) = S(t − 1) α/(α + β + t − 1)`.
//!
//! Data: [`Durations`], from one cohort's survivor counts (`survivors[t]`, the customers still active
//! at tenure t; t = 0 is acquisition), several cohorts' or one row per customer. The log-likelihood
//! (their eq. 8 for one cohort) is `ℓ = Σₜ lost(t) ln P(T = t) + Σₜ active(t) ln S(t)`.
//!
//! ```
//! use clvlab::models::{durations::DurationData, sbg::fit};
//! // Fader & Hardie (2007): the "regular" segment, years 0–7.
//! let data = DurationData::Survivors(vec![1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0]);
//! let fit = fit(&data).unwrap();
//! let clvlab::models::Model::Sbg(p) = fit.fit.model else { unreachable!() };
//! assert!((p.alpha - 0.704).abs() < 5e-4 && (p.beta - 1.182).abs() < 5e-4);
//! ```

use serde::{Deserialize, Serialize};

use super::durations::{DurationData, Durations, Term};
use super::{maximize, Fit, Model, ModelError};
use crate::retention::Retention;

/// Parameter names, in order.
pub const NAMES: &[&str] = &["alpha", "beta"];

/// sBG parameters: churn probability θ ~ Beta(alpha, beta).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Sbg {
    pub alpha: f64,
    pub beta: f64,
}

impl Sbg {
    pub(crate) fn to_vec(self) -> Vec<f64> {
        vec![self.alpha, self.beta]
    }

    /// The shared retention model with these parameters.
    pub fn retention(self) -> Retention {
        Retention::ShiftedBetaGeometric {
            alpha: self.alpha,
            beta: self.beta,
        }
    }
}

/// An sBG fit with the survival curve and retention rates it projects.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SbgFitShape"))]
pub struct SbgFit {
    #[serde(flatten)]
    pub fit: Fit,
    /// Projected S(t) for t = 0 … 2 × (observed periods), S(0) = 1.
    pub survival: Vec<f64>,
    /// Projected retention rates r(t) = S(t)/S(t − 1) for t = 1 … 2 × (observed periods).
    pub retention: Vec<f64>,
}

impl Sbg {
    /// ln S(t) and ln P(T = t) for t = 0 … `periods`, with their gradients in (α, β), as the running
    /// products of the module's top.
    pub(crate) fn terms(self, periods: usize) -> Vec<Term> {
        let Sbg { alpha, beta } = self;
        let mut terms = vec![Term::default(); periods + 1];
        for t in 1..=periods {
            let before = terms[t - 1];
            let tf = t as f64;
            let denom = alpha + beta + tf - 1.0;
            let [ds_a, ds_b, _] = before.d_ln_s;
            terms[t] = Term {
                // ln P(T = t) = ln S(t − 1) + ln α − ln(α + β + t − 1).
                ln_p: before.ln_s + alpha.ln() - denom.ln(),
                d_ln_p: [ds_a + 1.0 / alpha - 1.0 / denom, ds_b - 1.0 / denom, 0.0],
                ln_s: before.ln_s + (beta + tf - 1.0).ln() - denom.ln(),
                d_ln_s: [
                    ds_a - 1.0 / denom,
                    ds_b + 1.0 / (beta + tf - 1.0) - 1.0 / denom,
                    0.0,
                ],
            };
        }
        terms
    }
}

/// The log-likelihood of the durations at (α, β) and its gradient `[∂/∂α, ∂/∂β]`.
pub fn log_likelihood(durations: &Durations, alpha: f64, beta: f64, grad: &mut [f64]) -> f64 {
    let terms = Sbg { alpha, beta }.terms(durations.periods());
    durations.log_likelihood(&terms, grad)
}

/// A retention fit's projections from its retention rates `rate(t)`: S(t) for t = 0 … `horizon` (their
/// running product) and r(t) for t = 1 … `horizon`.
pub(crate) fn projections(rate: impl Fn(u32) -> f64, horizon: usize) -> (Vec<f64>, Vec<f64>) {
    let rates: Vec<f64> = (1..=horizon as u32).map(rate).collect();
    let survival = std::iter::once(1.0)
        .chain(rates.iter().scan(1.0, |s, r| {
            *s *= r;
            Some(*s)
        }))
        .collect();
    (survival, rates)
}

/// Fits α and β to the durations (one cohort's survivor counts, several cohorts', or one row per
/// customer) by maximum likelihood.
pub fn fit(data: &DurationData) -> Result<SbgFit, ModelError> {
    let durations = Durations::new(data)?;
    let starts = [
        vec![1.0, 1.0],
        vec![0.5, 3.0],
        vec![3.0, 0.5],
        vec![0.1, 0.1],
    ];
    let estimate = maximize(
        "sbg",
        NAMES,
        |p, g| log_likelihood(&durations, p[0], p[1], g),
        &starts,
    )?;
    let sbg = Sbg {
        alpha: estimate.params[0],
        beta: estimate.params[1],
    };
    let retention = sbg.retention();
    let (survival, retention) = projections(|t| retention.rate(t), 2 * durations.periods());
    Ok(SbgFit {
        fit: estimate.into_fit(Model::Sbg(sbg)),
        survival,
        retention,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let n = survivors(&[1000.0, 631.0, 468.0, 382.0]);
        let (a, b, h) = (0.8, 1.5, 1e-6);
        let mut g = [0.0; 2];
        let mut scratch = [0.0; 2];
        log_likelihood(&n, a, b, &mut g);
        let mut f = |a, b| log_likelihood(&n, a, b, &mut scratch);
        let fd_a = (f(a + h, b) - f(a - h, b)) / (2.0 * h);
        let fd_b = (f(a, b + h) - f(a, b - h)) / (2.0 * h);
        assert!((g[0] - fd_a).abs() < 1e-5 * fd_a.abs().max(1.0));
        assert!((g[1] - fd_b).abs() < 1e-5 * fd_b.abs().max(1.0));
    }

    /// The covariance is the inverse of the observed information in (α, β), here computed directly:
    /// second differences of the log-likelihood's value (not of its gradient, nor in log scale, as the
    /// fit computes it) at the fitted point, inverted by hand. Fader & Hardie (2007), regular segment.
    #[test]
    fn covariance_is_the_inverse_observed_information() {
        let data = DurationData::Survivors(vec![
            1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0,
        ]);
        let n = Durations::new(&data).unwrap();
        let fit = fit(&data).unwrap().fit;
        let Model::Sbg(Sbg { alpha, beta }) = fit.model else {
            panic!("an sBG fit")
        };
        let mut scratch = [0.0; 2];
        let mut ll = |a: f64, b: f64| log_likelihood(&n, a, b, &mut scratch);
        let h = 1e-4;
        let h_aa = (ll(alpha + h, beta) - 2.0 * ll(alpha, beta) + ll(alpha - h, beta)) / (h * h);
        let h_bb = (ll(alpha, beta + h) - 2.0 * ll(alpha, beta) + ll(alpha, beta - h)) / (h * h);
        let h_ab = (ll(alpha + h, beta + h) - ll(alpha + h, beta - h) - ll(alpha - h, beta + h)
            + ll(alpha - h, beta - h))
            / (4.0 * h * h);
        // The observed information is −H; its inverse, 2 × 2 by hand.
        let det = h_aa * h_bb - h_ab * h_ab;
        let want = [[-h_bb / det, h_ab / det], [h_ab / det, -h_aa / det]];
        let got = &fit.covariance.matrix;
        assert_eq!(fit.covariance.names, vec!["alpha", "beta"]);
        for i in 0..2 {
            for j in 0..2 {
                let scale = (want[i][i] * want[j][j]).sqrt();
                assert!(
                    (got[i][j] - want[i][j]).abs() <= 1e-4 * scale,
                    "cov[{i}][{j}]: {} vs {}",
                    got[i][j],
                    want[i][j]
                );
            }
        }
        for (i, (_, se)) in fit.standard_errors.iter().enumerate() {
            let se = se.unwrap();
            assert!((se * se - got[i][i]).abs() <= 1e-12 * got[i][i]);
        }
        assert_eq!(got[0][1], got[1][0]);
    }

    fn survivors(n: &[f64]) -> Durations {
        Durations::new(&DurationData::Survivors(n.to_vec())).unwrap()
    }

    /// The log-likelihood of one cohort as Fader & Hardie (2007, eq. 8) write it, term by term from
    /// the Beta functions: the durations' form must equal it.
    #[test]
    fn the_pooled_form_is_the_papers_cohort_likelihood() {
        let n = [1000.0, 631.0, 468.0, 382.0, 326.0];
        let (a, b) = (0.7, 1.2);
        let s = |t: f64| (crate::special::ln_beta(a, b + t) - crate::special::ln_beta(a, b)).exp();
        let mut want = n[4] * s(4.0).ln();
        for t in 1..5 {
            want += (n[t - 1] - n[t]) * (s(t as f64 - 1.0) - s(t as f64)).ln();
        }
        let got = log_likelihood(&survivors(&n), a, b, &mut [0.0; 2]);
        assert!((got - want).abs() < 1e-9 * want.abs(), "{got} vs {want}");
    }

    #[test]
    fn no_churn_is_refused() {
        let e = fit(&DurationData::Survivors(vec![100.0, 100.0, 100.0]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no customer was lost"), "{e}");
    }
}
