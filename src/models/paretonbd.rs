//! Pareto/NBD repeat buying: Schmittlein, Morrison & Colombo (1987), "Counting your customers: who are
//! they and what will they do next?", *Management Science* 33(1); likelihood and predictions as in
//! Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions".
//!
//! While alive a customer buys at Poisson rate λ ~ Gamma(r, α); their lifetime is exponential with rate
//! μ ~ Gamma(s, β). For x repeat purchases, the last at t_x, observed for T (Fader & Hardie eq. 19):
//!
//! `L = Γ(r+x)αʳβˢ/Γ(r) · [1/((α+T)^(r+x)(β+T)ˢ) + s/(r+s+x) · A₀]`, with, for α ≥ β,
//! `A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x))/(α+t_x)^(r+s+x)
//!     − ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+T))/(α+T)^(r+s+x)`,
//! and for α < β the same with α and β swapped and `s+1` replaced by `r+x`. Both series arguments lie
//! in [0, 1). The second bracketed term is evaluated scaled by `(μ+t_x)^−(r+s+x)` (μ = max(α, β)) so that
//! nothing underflows, and the gradient uses the series' own derivatives in its parameters.
//!
//! Predictions: `P(alive) = 1/(1 + s/(r+s+x) (α+T)^(r+x)(β+T)ˢ A₀)`;
//! `E[Y(t) | x, t_x, T] = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)`;
//! `E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]` (the s → 1 limits are taken as logarithms).
//! `P(X(t) = x) = (β/(β+t))ˢ NB(x; t) + ∫₀ᵗ sβˢ(β+τ)^(−s−1) NB(x; τ) dτ`, NB being the negative binomial
//! count of a customer alive throughout, integrated by composite Gauss–Legendre quadrature.

use serde::{Deserialize, Serialize};

use super::{
    ln_nbd, maximize, series_failed, sum_rows, Fit, FitData, Memo, Model, ModelError,
    PurchaseModel, Row, Summary,
};
use crate::special::{
    digamma, hyp2f1_complement, hyp2f1_with_grad, integrate, ln_gamma, log_sum_exp_weights,
};

/// Parameter names, in order.
pub const NAMES: &[&str] = &["r", "alpha", "s", "beta"];

/// Pareto/NBD parameters: λ ~ Gamma(r, alpha), μ ~ Gamma(s, beta).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ParetoNbd {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// A log-term and its gradient.
type LnG = (f64, [f64; 4]);

/// ln L split into the "alive at T" term and the "died in (t_x, T)" term, both without the common
/// factor Γ(r+x)αʳβˢ/Γ(r), each with its gradient.
struct Parts {
    alive: f64,
    d_alive: [f64; 4],
    /// `None` when the customer cannot have died unseen (t_x = T).
    died: Option<(f64, [f64; 4])>,
}

impl ParetoNbd {
    pub(crate) fn to_vec(self) -> Vec<f64> {
        vec![self.r, self.alpha, self.s, self.beta]
    }

    pub(crate) fn from_slice(p: &[f64]) -> ParetoNbd {
        ParetoNbd {
            r: p[0],
            alpha: p[1],
            s: p[2],
            beta: p[3],
        }
    }

    /// The "alive at T" term −(r+x) ln(α+T) − s ln(β+T) and its gradient.
    fn alive_term(&self, x: f64, t: f64) -> LnG {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let (ln_at, ln_bt) = ((alpha + t).ln(), (beta + t).ln());
        (
            -(r + x) * ln_at - s * ln_bt,
            [-ln_at, -(r + x) / (alpha + t), -ln_bt, -s / (beta + t)],
        )
    }

    /// ln G(τ) = ln[₂F₁(a, b; a+1; (μ−ν)/(μ+τ)) (μ+τ)^−a] for a customer with x repeat purchases
    /// (a = r+s+x, μ = max(α, β), ν = min, b = s+1 if α ≥ β else r+x), and its gradient.
    fn ln_g(&self, x: f64, tau: f64) -> Result<LnG, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let a = r + s + x;
        let d_a = [1.0, 0.0, 1.0, 0.0];
        let (mu, nu, i_mu, i_nu, b, d_b) = if alpha >= beta {
            (alpha, beta, 1, 3, s + 1.0, [0.0, 0.0, 1.0, 0.0])
        } else {
            (beta, alpha, 3, 1, r + x, [1.0, 0.0, 0.0, 0.0])
        };
        let z = (mu - nu) / (mu + tau);
        let w = (nu + tau) / (mu + tau);
        let f = hyp2f1_with_grad(a, b, a + 1.0, z, w).ok_or_else(|| series_failed("params"))?;
        let ln_base = (mu + tau).ln();
        let mut d = [0.0; 4];
        for i in 0..4 {
            d[i] = ((f.d_a + f.d_c) * d_a[i] + f.d_b * d_b[i]) / f.value - d_a[i] * ln_base;
        }
        d[i_mu] += f.d_z * (nu + tau) / (mu + tau).powi(2) / f.value - a / (mu + tau);
        d[i_nu] -= f.d_z / (mu + tau) / f.value;
        Ok((f.value.ln() - a * ln_base, d))
    }

    /// The two terms of ln L; `ln_g(τ)` supplies [`ParetoNbd::ln_g`] at (x, t_x) and (x, T) (computed
    /// or looked up), asked for only when the customer can have died unseen (t_x < T): the ₂F₁ series
    /// are most of the cost of an evaluation.
    fn parts(
        &self,
        x: f64,
        t_x: f64,
        t: f64,
        mut ln_g: impl FnMut(f64) -> Result<LnG, ModelError>,
    ) -> Result<Parts, ModelError> {
        let ParetoNbd { r, s, .. } = *self;
        let (alive, d_alive) = self.alive_term(x, t);
        if t_x >= t {
            return Ok(Parts {
                alive,
                d_alive,
                died: None,
            });
        }
        let a = r + s + x;
        let (ln_g1, d1) = ln_g(t_x)?;
        let (ln_g2, d2) = ln_g(t)?;
        // D = G1 − G2 relative to G1: 1 − ρ with ρ = G2/G1 ≤ 1.
        let rho = (ln_g2 - ln_g1).exp();
        if rho >= 1.0 || rho.is_nan() {
            return Ok(Parts {
                alive,
                d_alive,
                died: None,
            });
        }
        let ln_diff = ln_g1 + (-rho).ln_1p();
        let mut d_died = [-1.0 / a, 0.0, 1.0 / s - 1.0 / a, 0.0];
        for i in 0..4 {
            d_died[i] += (d1[i] - rho * d2[i]) / (1.0 - rho);
        }
        Ok(Parts {
            alive,
            d_alive,
            died: Some((s.ln() - a.ln() + ln_diff, d_died)),
        })
    }

    /// ln L of one customer; writes its gradient.
    /// `common` memoises the x-only terms for rows sorted by x; `point` supplies the point terms.
    fn row_ll(
        &self,
        row: &Row,
        grad: &mut [f64],
        common: &mut Option<(f64, LnG)>,
        ln_g: impl FnMut(f64) -> Result<LnG, ModelError>,
    ) -> Result<f64, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let x = row.x;
        // ln Γ(r+x) − ln Γ(r) + r ln α + s ln β and its gradient, once per distinct x.
        let (common, d_common) = match *common {
            Some((cached_x, terms)) if cached_x == x => terms,
            _ => {
                let terms = (
                    ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln(),
                    [
                        digamma(r + x) - digamma(r) + alpha.ln(),
                        r / alpha,
                        beta.ln(),
                        s / beta,
                    ],
                );
                *common = Some((x, terms));
                terms
            }
        };
        let parts = self.parts(x, row.t_x, row.t, ln_g)?;
        let (total, w_alive, d_died) = match parts.died {
            None => (parts.alive, 1.0, [0.0; 4]),
            Some((died, d)) => {
                let (total, w_alive, _) = log_sum_exp_weights(parts.alive, died);
                (total, w_alive, d)
            }
        };
        for i in 0..4 {
            grad[i] = d_common[i] + w_alive * parts.d_alive[i] + (1.0 - w_alive) * d_died[i];
        }
        Ok(common + total)
    }
}

/// `(1 − u^e)/e` for `u = base/(base + t)`, with its limit `−ln u` as e → 0.
fn power_gap(e: f64, base: f64, t: f64) -> f64 {
    let ln_u = -(t / base).ln_1p();
    if e.abs() < 1e-12 {
        -ln_u
    } else {
        -(e * ln_u).exp_m1() / e
    }
}

/// Total (weighted) log-likelihood and gradient in (r, α, s, β); −∞ if a series fails. ln G is
/// computed once per distinct point (x, τ), and only at the points of customers with t_x < T.
pub(crate) fn log_likelihood(model: &ParetoNbd, data: &FitData, grad: &mut [f64]) -> f64 {
    let mut table: Vec<Option<LnG>> = vec![None; data.points.len()];
    let mut common = None;
    let mut failed = false;
    let total = sum_rows(
        &data.rows,
        |row| row.weight,
        grad,
        |row, g| {
            let lookup = |tau: f64| {
                let at = if tau == row.t_x {
                    row.x_t_x_at
                } else {
                    row.x_t_at
                };
                if let Some(terms) = table[at] {
                    return Ok(terms);
                }
                let terms = model.ln_g(row.x, tau)?;
                table[at] = Some(terms);
                Ok(terms)
            };
            model
                .row_ll(row, g, &mut common, lookup)
                .unwrap_or_else(|_| {
                    failed = true;
                    0.0
                })
        },
    );
    if failed {
        f64::NEG_INFINITY
    } else {
        total
    }
}

/// Fits the Pareto/NBD model by maximum likelihood.
pub fn fit(summary: &Summary) -> Result<Fit, ModelError> {
    summary.validate_for_fit()?;
    let data = summary.fit_data();
    let starts = starts(&data);
    let estimate = maximize(
        "paretonbd",
        NAMES,
        |p, g| log_likelihood(&ParetoNbd::from_slice(p), &data, g),
        &starts,
    )?;
    let params = ParetoNbd::from_slice(&estimate.params);
    Ok(estimate.into_fit(Model::Paretonbd(params)))
}

/// The starting points of a fit: first one on the data's time scale (the rate scales α and β are in
/// time units), then fixed ones.
fn starts(data: &FitData) -> [Vec<f64>; 4] {
    let scale = data.mean_age() / 4.0;
    [
        vec![0.5, scale, 0.5, scale],
        vec![1.0, 1.0, 1.0, 1.0],
        vec![0.5, 10.0, 0.5, 10.0],
        vec![0.2, 5.0, 2.0, 50.0],
    ]
}

impl ParetoNbd {
    /// ln G(τ) as [`ParetoNbd::ln_g`] computes it, without the gradient: the ₂F₁ series then only has
    /// to converge in value, not in its four derivatives.
    fn ln_g_value(&self, x: f64, tau: f64) -> Result<f64, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let a = r + s + x;
        let (mu, nu, b) = if alpha >= beta {
            (alpha, beta, s + 1.0)
        } else {
            (beta, alpha, r + x)
        };
        let (z, w) = ((mu - nu) / (mu + tau), (nu + tau) / (mu + tau));
        hyp2f1_complement(a, b, a + 1.0, z, w)
            .map(|f| f.ln() - a * (mu + tau).ln())
            .ok_or_else(|| series_failed("params"))
    }

    /// P(alive) from the terms of [`ParetoNbd::parts`] without their gradients; `ln_g(τ)` supplies
    /// ln G at τ = t_x and τ = T (computed or looked up).
    fn prob_alive_with(
        &self,
        x: f64,
        t_x: f64,
        t: f64,
        mut ln_g: impl FnMut(f64) -> Result<f64, ModelError>,
    ) -> Result<f64, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        if t_x >= t {
            return Ok(1.0);
        }
        let a = r + s + x;
        let ln_g1 = ln_g(t_x)?;
        let rho = (ln_g(t)? - ln_g1).exp();
        if rho >= 1.0 || rho.is_nan() {
            return Ok(1.0);
        }
        let died = s.ln() - a.ln() + ln_g1 + (-rho).ln_1p();
        let alive = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        Ok(1.0 / (1.0 + (died - alive).exp()))
    }
}

impl PurchaseModel for ParetoNbd {
    fn prob_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64, ModelError> {
        self.prob_alive_with(x, t_x, t, |tau| self.ln_g_value(x, tau))
    }

    /// ln G at (x, t_x) and (x, T) once per distinct pair: customers without repeat purchases all
    /// have t_x = 0, and cohorts share T.
    fn prob_alive_all(&self, summary: &Summary) -> Result<Vec<f64>, ModelError> {
        let mut ln_g = Memo::new();
        (0..summary.frequency.len())
            .map(|i| {
                let x = summary.frequency[i];
                self.prob_alive_with(x, summary.recency[i], summary.t[i], |tau| {
                    ln_g.get(x, tau, || self.ln_g_value(x, tau))
                })
            })
            .collect()
    }

    fn expected_if_alive(&self, x: f64, t: f64, horizon: f64) -> Result<f64, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        Ok((r + x) / (alpha + t) * (beta + t) * power_gap(s - 1.0, beta + t, horizon))
    }

    fn expected_purchases_new(&self, t: f64) -> Result<f64, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        Ok(r / alpha * beta * power_gap(s - 1.0, beta, t))
    }

    fn prob_purchases(&self, t: f64, x: u32) -> Result<f64, ModelError> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let xf = f64::from(x);
        let still_alive = (s * (beta / (beta + t)).ln() + ln_nbd(r, alpha, xf, t)).exp();
        // Died at τ ∈ (0, t): density sβˢ(β+τ)^(−s−1), 64 panels of 8-point Gauss–Legendre.
        let died = integrate(
            |tau| {
                (s.ln() + s * beta.ln() - (s + 1.0) * (beta + tau).ln() + ln_nbd(r, alpha, xf, tau))
                    .exp()
            },
            0.0,
            t,
            64,
        );
        Ok(still_alive + died)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::{check_gradient, data, CDNOW_PARETONBD};

    #[test]
    fn gradient_matches_finite_differences_both_sides_of_alpha_equal_beta() {
        let data = data();
        for p in [
            [0.55, 10.6, 0.6, 11.7],
            [0.55, 14.0, 0.6, 9.0],
            [2.0, 3.0, 1.5, 40.0],
        ] {
            check_gradient(
                |p, g| log_likelihood(&ParetoNbd::from_slice(p), &data, g),
                &p,
            );
        }
    }

    #[test]
    fn a_degenerate_set_fails_within_the_evaluation_budget() {
        // 35 customers with 1,000 or more purchases in two millionths of a time unit: the likelihood
        // rises along a flat ridge and the line search ends without a maximum. Counted, the search
        // stops within the budget of the optimiser's options (plus the Hessian's 2 × 4 gradients
        // when a start converges), with the reason in words.
        let customers: Vec<(f64, f64, f64)> = (0..35)
            .map(|i| (1000.0 + f64::from(i), 1e-6, 2e-6))
            .collect();
        let data = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        }
        .fit_data();
        let evaluations = std::cell::Cell::new(0);
        let result = maximize(
            "paretonbd",
            NAMES,
            |p, g| {
                evaluations.set(evaluations.get() + 1);
                log_likelihood(&ParetoNbd::from_slice(p), &data, g)
            },
            &starts(&data),
        );
        let e = result.unwrap_err().to_string();
        assert!(e.contains("did not converge"), "{e}");
        assert!(e.contains("likelihood evaluations"), "{e}");
        let budget = crate::optim::Options::default().max_evaluations;
        assert!(evaluations.get() <= budget + 8, "{}", evaluations.get());
    }

    #[test]
    fn likelihood_is_continuous_at_alpha_equal_beta() {
        // The two ₂F₁ forms of A₀ describe one function (Fader & Hardie 2005, eq. 19).
        let row = Row {
            x: 3.0,
            t_x: 20.0,
            t: 38.0,
            weight: 1.0,
            t_x_at: 0,
            t_at: 1,
            x_t_x_at: 0,
            x_t_at: 1,
        };
        let mut g = [0.0; 4];
        let ll = |alpha: f64, g: &mut [f64]| {
            let m = ParetoNbd {
                r: 0.5,
                alpha,
                s: 0.6,
                beta: 10.0,
            };
            m.row_ll(&row, g, &mut None, |tau| m.ln_g(row.x, tau))
                .unwrap()
        };
        let below = ll(10.0 - 1e-9, &mut g);
        let above = ll(10.0 + 1e-9, &mut g);
        assert!((below - above).abs() < 1e-8);
    }

    #[test]
    fn purchase_probabilities_sum_to_one_and_match_the_mean() {
        let p = CDNOW_PARETONBD;
        let probs: Vec<f64> = (0..300)
            .map(|x| p.prob_purchases(30.0, x).unwrap())
            .collect();
        let total: f64 = probs.iter().sum();
        let mean: f64 = probs.iter().enumerate().map(|(x, q)| x as f64 * q).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let expected = p.expected_purchases_new(30.0).unwrap();
        assert!((mean - expected).abs() < 1e-7, "{mean} vs {expected}");
    }
    #[test]
    fn far_apart_rates_need_the_hypergeometric_near_one() {
        // α/β = 10⁶: at τ = 0 the ₂F₁ argument (α−β)/(α+τ) is 1 − 10⁻⁶, where its power series would
        // need millions of terms. P(alive) = alive/(alive + died) with alive = (α+T)^−(r+x)(β+T)^−s and
        // died = s∫_{t_x}^T (α+τ)^−(r+x)(β+τ)^−(s+1) dτ (Fader & Hardie 2005, eq. 19 before
        // integrating), the integral by Gauss–Legendre quadrature in u = ln(β+τ).
        let (r, alpha, s, beta) = (0.55, 1e4, 0.6, 0.01);
        let p = ParetoNbd { r, alpha, s, beta };
        let customers = [
            (0.0, 0.0, 38.0),
            (2.0, 0.0, 38.0),
            (2.0, 30.0, 38.0),
            (5.0, 1.0, 38.0),
        ];
        for &(x, t_x, t) in &customers {
            let (lo, hi) = ((beta + t_x).ln(), (beta + t).ln());
            let died = integrate(
                |u| {
                    let tau = u.exp() - beta;
                    s * (-(r + x) * (alpha + tau).ln() - s * u).exp()
                },
                lo,
                hi,
                400,
            );
            let alive = (-(r + x) * (alpha + t).ln() - s * (beta + t).ln()).exp();
            let want = alive / (alive + died);
            let got = p.prob_alive(x, t_x, t).unwrap();
            assert!(
                (got - want).abs() <= 1e-8 * want,
                "{x} {t_x}: {got} vs {want}"
            );
        }
        // predict over all customers, and the fit's likelihood and gradient, work there too.
        let summary = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        };
        let predictions = Model::Paretonbd(p).predict(&summary, 39.0).unwrap();
        assert!(predictions
            .prob_alive
            .iter()
            .chain(&predictions.expected_purchases)
            .all(|v| v.is_finite() && *v >= 0.0));
        let data = summary.fit_data();
        check_gradient(
            |q, g| log_likelihood(&ParetoNbd::from_slice(q), &data, g),
            &[r, alpha, s, beta],
        );
    }

    #[test]
    fn prob_alive_matches_the_likelihood_terms() {
        // P(alive) without gradients must equal the one from the likelihood's own terms (with them).
        for (alpha, beta) in [(10.578, 11.669), (11.669, 10.578)] {
            let p = ParetoNbd {
                alpha,
                beta,
                ..CDNOW_PARETONBD
            };
            for (x, t_x, t) in [(0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (7.0, 36.0, 37.0)] {
                let parts = p.parts(x, t_x, t, |tau| p.ln_g(x, tau)).unwrap();
                let want = parts
                    .died
                    .map_or(1.0, |(died, _)| 1.0 / (1.0 + (died - parts.alive).exp()));
                let got = p.prob_alive(x, t_x, t).unwrap();
                assert!((got - want).abs() <= 1e-12 * want, "{got} vs {want}");
            }
        }
    }
}
