//! Beta-discrete-Weibull (BdW) retention: the sBG with churn that changes with tenure.
//!
//! Model (Fader, Hardie, Liu, Davin & Steenburgh 2018, "'How to project customer retention'
//! revisited: the role of duration dependence", *Journal of Interactive Marketing* 43): a customer
//! with churn propensity θ who is a customer at tenure t − 1 churns in period t with probability
//! `1 − (1 − θ)^(t^c − (t − 1)^c)`, so their survival is the discrete Weibull `(1 − θ)^(t^c)`; with
//! θ ~ Beta(γ, δ) across customers,
//! `S(t) = B(γ, δ + t^c) / B(γ, δ)` and `P(T = t) = S(t − 1) − S(t)`.
//! c < 1: each customer's churn falls with tenure; c > 1: it rises; c = 1 is the sBG (Fader & Hardie
//! 2007) with (α, β) = (γ, δ). The cohort's retention rate `r(t) = S(t)/S(t − 1)` may dip before it
//! rises, which the sBG cannot show.
//!
//! Data and conventions are the sBG's ([`super::durations`]): tenure in whole periods since
//! acquisition, a customer lost in period t has T = t, one still active after t periods is censored
//! there. The log-likelihood is computed from ln S(t) in log space (ln B through ln Γ), with
//! `ln P(T = t) = ln S(t − 1) + ln(1 − e^(ln S(t) − ln S(t − 1)))`; its gradient in (γ, δ, c) is
//! analytic, through the digamma function.
//!
//! ```
//! use clvlab::models::{bdw::Bdw, sbg::Sbg};
//! // With c = 1 the BdW is the sBG: the same survival.
//! let bdw = Bdw { gamma: 0.7, delta: 1.2, c: 1.0 }.survival(5);
//! let sbg = Sbg { alpha: 0.7, beta: 1.2 }.retention().survival().nth(5).unwrap();
//! assert!((bdw - sbg).abs() < 1e-12);
//! ```

use serde::{Deserialize, Serialize};

use super::durations::{DurationData, Durations, Term};
use super::sbg::{self, SbgFit};
use super::{maximize, Model, ModelError};
use crate::special::{digamma, ln_beta};

/// Parameter names, in order.
pub const NAMES: &[&str] = &["gamma", "delta", "c"];

/// BdW parameters: churn propensity θ ~ Beta(gamma, delta), duration dependence c.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Bdw {
    pub gamma: f64,
    pub delta: f64,
    pub c: f64,
}

impl Bdw {
    pub(crate) fn to_vec(self) -> Vec<f64> {
        vec![self.gamma, self.delta, self.c]
    }

    /// The shared retention model with these parameters.
    pub fn retention(self) -> crate::retention::Retention {
        crate::retention::Retention::BetaDiscreteWeibull {
            gamma: self.gamma,
            delta: self.delta,
            c: self.c,
        }
    }

    /// ln S(t) = ln B(γ, δ + t^c) − ln B(γ, δ).
    fn ln_survival(self, t: f64) -> f64 {
        ln_beta(self.gamma, self.delta + t.powf(self.c)) - ln_beta(self.gamma, self.delta)
    }

    /// S(t), the probability of being a customer after `t` periods.
    pub fn survival(self, t: u32) -> f64 {
        self.ln_survival(f64::from(t)).exp()
    }

    /// The retention rate of period `t ≥ 1`: S(t)/S(t − 1).
    pub fn rate(self, t: u32) -> f64 {
        let t = f64::from(t);
        (self.ln_survival(t) - self.ln_survival(t - 1.0)).exp()
    }

    /// ln S(t) and ln P(T = t) for t = 0 … `periods`, with their gradients in (γ, δ, c).
    pub(crate) fn terms(self, periods: usize) -> Vec<Term> {
        let Bdw { gamma, delta, c } = self;
        let at_zero = digamma(gamma + delta);
        let d_delta_zero = digamma(delta) - at_zero;
        let mut terms = vec![Term::default(); periods + 1];
        for t in 1..=periods {
            let tf = t as f64;
            let power = tf.powf(c);
            let x = delta + power;
            // ∂ ln B(γ, x)/∂x = ψ(x) − ψ(γ + x); ∂x/∂c = t^c ln t.
            let at_x = digamma(gamma + x);
            let d_x = digamma(x) - at_x;
            let ln_s = ln_beta(gamma, x) - ln_beta(gamma, delta);
            let d_ln_s = [at_zero - at_x, d_x - d_delta_zero, d_x * power * tf.ln()];
            let before = terms[t - 1];
            // u = S(t)/S(t − 1); ln P(T = t) = ln S(t − 1) + ln(1 − u).
            let step = ln_s - before.ln_s;
            let u = step.exp();
            let churn = -step.exp_m1();
            let mut d_ln_p = [0.0; 3];
            for (k, d) in d_ln_p.iter_mut().enumerate() {
                *d = before.d_ln_s[k] + u * (before.d_ln_s[k] - d_ln_s[k]) / churn;
            }
            terms[t] = Term {
                ln_s,
                ln_p: before.ln_s + churn.ln(),
                d_ln_s,
                d_ln_p,
            };
        }
        terms
    }
}

/// The log-likelihood of the durations at (γ, δ, c) and its gradient `[∂/∂γ, ∂/∂δ, ∂/∂c]`.
pub fn log_likelihood(durations: &Durations, p: Bdw, grad: &mut [f64]) -> f64 {
    durations.log_likelihood(&p.terms(durations.periods()), grad)
}

/// Fits (γ, δ, c) to the durations by maximum likelihood, starting from the sBG fit of the same data
/// (c = 1). The result has the sBG fit's shape: the projected survival curve and retention rates
/// for twice the periods observed.
pub fn fit(data: &DurationData) -> Result<SbgFit, ModelError> {
    let durations = Durations::new(data)?;
    let mut starts = vec![
        vec![1.0, 1.0, 1.0],
        vec![0.5, 3.0, 0.7],
        vec![3.0, 0.5, 1.5],
    ];
    if let Ok(sbg) = sbg::fit(data) {
        if let Model::Sbg(p) = sbg.fit.model {
            starts.insert(0, vec![p.alpha, p.beta, 1.0]);
        }
    }
    let estimate = maximize(
        "bdw",
        NAMES,
        |p, g| {
            let bdw = Bdw {
                gamma: p[0],
                delta: p[1],
                c: p[2],
            };
            log_likelihood(&durations, bdw, g)
        },
        &starts,
    )?;
    let bdw = Bdw {
        gamma: estimate.params[0],
        delta: estimate.params[1],
        c: estimate.params[2],
    };
    let (survival, retention) = sbg::projections(|t| bdw.rate(t), 2 * durations.periods());
    Ok(SbgFit {
        fit: estimate.into_fit(Model::Bdw(bdw)),
        survival,
        retention,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survivors(n: &[f64]) -> Durations {
        Durations::new(&DurationData::Survivors(n.to_vec())).unwrap()
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let n = survivors(&[1000.0, 631.0, 468.0, 382.0, 326.0, 289.0]);
        let p = Bdw {
            gamma: 0.8,
            delta: 1.5,
            c: 0.7,
        };
        let mut g = [0.0; 3];
        log_likelihood(&n, p, &mut g);
        let h = 1e-6;
        let mut scratch = [0.0; 3];
        let mut f = |q: Bdw| log_likelihood(&n, q, &mut scratch);
        let fd = [
            (f(Bdw {
                gamma: p.gamma + h,
                ..p
            }) - f(Bdw {
                gamma: p.gamma - h,
                ..p
            })) / (2.0 * h),
            (f(Bdw {
                delta: p.delta + h,
                ..p
            }) - f(Bdw {
                delta: p.delta - h,
                ..p
            })) / (2.0 * h),
            (f(Bdw { c: p.c + h, ..p }) - f(Bdw { c: p.c - h, ..p })) / (2.0 * h),
        ];
        for k in 0..3 {
            assert!(
                (g[k] - fd[k]).abs() < 1e-5 * fd[k].abs().max(1.0),
                "∂{}: {} vs {}",
                NAMES[k],
                g[k],
                fd[k]
            );
        }
    }

    /// c = 1 is the sBG: the same log-likelihood and the same gradient in (γ, δ) = (α, β), on pooled
    /// cohorts with censoring.
    #[test]
    fn with_c_one_it_is_the_sbg() {
        let d = Durations::new(&DurationData::Cohorts(vec![
            vec![1000.0, 631.0, 468.0, 382.0, 326.0, 289.0],
            vec![800.0, 520.0, 400.0],
        ]))
        .unwrap();
        let (mut g_bdw, mut g_sbg) = ([0.0; 3], [0.0; 2]);
        let p = Bdw {
            gamma: 0.704,
            delta: 1.182,
            c: 1.0,
        };
        let bdw = log_likelihood(&d, p, &mut g_bdw);
        let sbg = sbg::log_likelihood(&d, p.gamma, p.delta, &mut g_sbg);
        assert!((bdw - sbg).abs() < 1e-10 * sbg.abs(), "{bdw} vs {sbg}");
        for k in 0..2 {
            assert!((g_bdw[k] - g_sbg[k]).abs() < 1e-8 * g_sbg[k].abs().max(1.0));
        }
        for t in 0..30 {
            let sbg = sbg::Sbg {
                alpha: p.gamma,
                beta: p.delta,
            }
            .retention();
            assert!((p.rate(t + 1) - sbg.rate(t + 1)).abs() < 1e-12);
        }
    }
}
