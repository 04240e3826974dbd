//! Shifted-beta-geometric (sBG) retention, fitted to a cohort's survival counts.
//!
//! Model (Fader & Hardie 2007, "How to project customer retention", *Journal of Interactive Marketing*
//! 21(1)): each customer churns at the end of a period with probability θ, fixed for them, and
//! θ ~ Beta(α, β) across customers. A customer is lost in period t ≥ 1 with probability
//! `P(T = t) = B(α + 1, β + t − 1) / B(α, β)` and survives t periods with probability
//! `S(t) = B(α, β + t) / B(α, β)`; computed as the running products
//! `S(t) = S(t − 1) (β + t − 1)/(α + β + t − 1)` and `P(T = t) = S(t − 1) α/(α + β + t − 1)`.
//!
//! Data: `survivors[t]`, the customers of the cohort still active at the start of period t (t = 0 is
//! acquisition). The log-likelihood (their eq. 8) is
//! `ℓ = Σₜ (nₜ₋₁ − nₜ) ln P(T = t) + n_last ln S(last)`.
//!
//! ```
//! use clvlab::models::sbg::fit;
//! // Fader & Hardie (2007): the "regular" segment, years 0–7.
//! let fit = fit(&[1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0]).unwrap();
//! let clvlab::models::Model::Sbg(p) = fit.fit.model else { unreachable!() };
//! assert!((p.alpha - 0.704).abs() < 5e-4 && (p.beta - 1.182).abs() < 5e-4);
//! ```

use serde::{Deserialize, Serialize};

use super::{maximize, Fit, Model, ModelError};
use crate::error::{self, InputError};
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

/// Checks the survival counts: at least three, finite, non-negative, non-increasing, first positive.
pub fn validate(survivors: &[f64]) -> Result<(), InputError> {
    if survivors.len() < 3 {
        return Err(InputError::invalid(
            "survivors",
            format!(
                "needs at least 3 counts (periods 0, 1, 2) to fit two parameters (got {})",
                survivors.len()
            ),
        ));
    }
    for (t, &n) in survivors.iter().enumerate() {
        let field = format!("survivors[{t}]");
        if t == 0 {
            error::positive(&field, n)?;
        } else {
            error::non_negative(&field, n)?;
        }
        if t > 0 && n > survivors[t - 1] {
            return Err(InputError::invalid(
                field,
                format!(
                    "must not exceed the count before it (got {n} > {})",
                    survivors[t - 1]
                ),
            ));
        }
    }
    Ok(())
}

/// The log-likelihood of the counts at (α, β) and its gradient `[∂/∂α, ∂/∂β]`.
pub fn log_likelihood(survivors: &[f64], alpha: f64, beta: f64, grad: &mut [f64]) -> f64 {
    // ln S(t−1) and its derivatives, accumulated as t advances.
    let (mut ln_s, mut ds_a, mut ds_b) = (0.0, 0.0, 0.0);
    let mut total = 0.0;
    let (mut g_a, mut g_b) = (0.0, 0.0);
    for t in 1..survivors.len() {
        let tf = t as f64;
        let lost = survivors[t - 1] - survivors[t];
        let denom = alpha + beta + tf - 1.0;
        // ln P(T = t) = ln S(t−1) + ln α − ln(α + β + t − 1).
        total += lost * (ln_s + alpha.ln() - denom.ln());
        g_a += lost * (ds_a + 1.0 / alpha - 1.0 / denom);
        g_b += lost * (ds_b - 1.0 / denom);
        ln_s += (beta + tf - 1.0).ln() - denom.ln();
        ds_a -= 1.0 / denom;
        ds_b += 1.0 / (beta + tf - 1.0) - 1.0 / denom;
    }
    let last = survivors.last().copied().unwrap_or(0.0);
    grad[0] = g_a + last * ds_a;
    grad[1] = g_b + last * ds_b;
    total + last * ln_s
}

/// Fits α and β to cohort survival counts by maximum likelihood.
pub fn fit(survivors: &[f64]) -> Result<SbgFit, ModelError> {
    validate(survivors)?;
    let starts = [
        vec![1.0, 1.0],
        vec![0.5, 3.0],
        vec![3.0, 0.5],
        vec![0.1, 0.1],
    ];
    let estimate = maximize(
        "sbg",
        NAMES,
        |p, g| log_likelihood(survivors, p[0], p[1], g),
        &starts,
    )?;
    let sbg = Sbg {
        alpha: estimate.params[0],
        beta: estimate.params[1],
    };
    let horizon = 2 * (survivors.len() - 1);
    let retention = sbg.retention();
    let survival: Vec<f64> = retention.survival().take(horizon + 1).collect();
    let rates = (1..=horizon as u32).map(|t| retention.rate(t)).collect();
    Ok(SbgFit {
        fit: estimate.into_fit(Model::Sbg(sbg)),
        survival,
        retention: rates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let n = [1000.0, 631.0, 468.0, 382.0];
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
        let n = [1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0];
        let fit = fit(&n).unwrap().fit;
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

    #[test]
    fn refuses_bad_counts() {
        let e = validate(&[1000.0, 600.0, 700.0]).unwrap_err().to_string();
        assert!(e.starts_with("survivors[2]: must not exceed"), "{e}");
        let e = validate(&[1000.0, 600.0]).unwrap_err().to_string();
        assert!(e.starts_with("survivors:"), "{e}");
        assert!(validate(&[0.0, 0.0, 0.0]).is_err());
        assert!(validate(&[10.0, f64::NAN, 1.0]).is_err());
    }

    #[test]
    fn no_churn_is_flat_not_a_fit() {
        // Nobody leaves: β/(α+β) → 1 without bound; the fit must say it did not converge.
        let e = fit(&[100.0, 100.0, 100.0]).unwrap_err().to_string();
        assert!(e.contains("did not converge"), "{e}");
    }
}
