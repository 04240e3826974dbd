//! The distribution of a customer's purchases in the next h time units given the history (x, t_x, T):
//! P(Y(h) = y | x, t_x, T) = P(alive) · P(Y(h) = y | alive, x, T) + (1 − P(alive)) · [y = 0].
//!
//! Given alive at T, the posterior of a customer's traits is that of a new customer with updated
//! parameters, and the future from T is a new customer's process, so the alive part is the model's own
//! new-customer distribution P(X(h) = y) at those parameters:
//! - BG/NBD (Fader, Hardie & Lee 2005, Marketing Science): λ ~ Gamma(r + x, α + T), p ~ Beta(a, b + x);
//!   the customer may drop out after each future purchase, as a new customer after each repeat one;
//! - MBG/NBD (Batislam, Denizel & Filiztekin 2007, International Journal of Research in Marketing):
//!   p ~ Beta(a, b + x + 1), having survived the first purchase too; the future is BG/NBD's process;
//! - Pareto/NBD (Schmittlein, Morrison & Colombo 1987, Management Science): λ ~ Gamma(r + x, α + T),
//!   μ ~ Gamma(s, β + T), the lifetime memoryless.
//!
//! BG/NBD's new-customer distribution is FHL (2005) eq. 8, summed term by term with the ratios of its
//! Beta functions and negative binomial terms (no special function per term). Pareto/NBD's is the
//! negative binomial count over min(τ, h) for the lifetime τ (Lomax: P(τ > w) = (β/(β + w))^s),
//! integrated over τ by Gauss–Legendre. The terms go on until the probability left is below
//! [`TAIL`]; its mean and second moment come from the same terms.

use super::{bgnbd::BgNbd, paretonbd::ParetoNbd, Model, ModelError};
use crate::special::{GL_NODES, GL_WEIGHTS};

/// The probability left beyond the last term computed.
pub const TAIL: f64 = 1e-12;
/// The most terms of one distribution: beyond, the customer's purchases are too many to list.
pub const MAX_TERMS: usize = 200_000;
/// Panels of the Pareto/NBD lifetime integral, each with 8 Gauss–Legendre points.
const PANELS: usize = 4;

/// The moments of a distribution of counts listed term by term.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    /// E[Y].
    pub mean: f64,
    /// E[Y²].
    pub second: f64,
}

/// P(Y(h) = y | alive now, x, T) for y = 0, 1, … into `out` (cleared first), until less than
/// [`TAIL`] is left; returns the distribution's moments.
pub fn future_pmf_if_alive(
    model: &Model,
    x: f64,
    t: f64,
    horizon: f64,
    out: &mut Vec<f64>,
) -> Result<Moments, ModelError> {
    out.clear();
    match model {
        Model::Bgnbd(p) => bg_new_customer(&posterior(p, 0.0, x, t), horizon, out),
        Model::Mbgnbd(m) => bg_new_customer(&posterior(&m.0, 1.0, x, t), horizon, out),
        Model::Paretonbd(p) => {
            let future = ParetoNbd {
                r: p.r + x,
                alpha: p.alpha + t,
                ..*p
            };
            pareto_new_customer(&future, p.beta + t, horizon, out)
        }
        _ => Err(ModelError::Unsupported(
            "model: conditional purchase distributions are for bgnbd, mbgnbd and paretonbd"
                .to_owned(),
        )),
    }
}

/// The BG/NBD parameters of a customer alive at T after x repeat purchases (offset k: 1 for MBG/NBD).
fn posterior(p: &BgNbd, k: f64, x: f64, t: f64) -> BgNbd {
    BgNbd {
        r: p.r + x,
        alpha: p.alpha + t,
        a: p.a,
        b: p.b + x + k,
    }
}

/// Adds term `y`'s probability to the moments; whether to go on (while more than [`TAIL`] of `mass`,
/// the distribution's total, is left).
#[inline]
fn push(
    out: &mut Vec<f64>,
    moments: &mut Moments,
    total: &mut f64,
    mass: f64,
    p: f64,
) -> Result<bool, ModelError> {
    let y = out.len() as f64;
    out.push(p);
    moments.mean += y * p;
    moments.second += y * y * p;
    *total += p;
    if out.len() >= MAX_TERMS {
        return Err(crate::error::InputError::invalid(
            "horizon",
            format!("is too long for these customers: a customer's purchases over it run past {MAX_TERMS}"),
        )
        .into());
    }
    if !p.is_finite() {
        return Err(ModelError::Unsupported(
            "the purchase distribution cannot be evaluated at these parameters".to_owned(),
        ));
    }
    Ok(mass - *total >= TAIL * mass)
}

/// FHL (2005) eq. 8 for a new customer, y = 0, 1, …: P(0) = NB(0), and for y ≥ 1
/// `B(a, b+y)/B(a, b) NB(y) + B(a+1, b+y−1)/B(a, b) P(N ≥ y)`, each ratio from the previous term's.
fn bg_new_customer(p: &BgNbd, h: f64, out: &mut Vec<f64>) -> Result<Moments, ModelError> {
    let BgNbd { r, alpha, a, b } = *p;
    let (u, q) = (alpha / (alpha + h), h / (alpha + h));
    let mut moments = Moments::default();
    let mut total = 0.0;
    let mut nb = (r * u.ln()).exp();
    // P(N ≥ y) and A(y) = B(a, b+y)/B(a, b), from y = 1 on. B(a+1, b+y−1)/B(a, b) is A(y) a/(b+y−1) =
    // A(y−1) a/(a+b+y−1), so each term takes one division: 1/(y (a+b+y−1)).
    let mut tail = 1.0 - nb;
    let mut alive = 1.0;
    let mut go_on = push(out, &mut moments, &mut total, 1.0, nb)?;
    let mut y = 1.0;
    while go_on {
        let d = a + b + y - 1.0;
        let inv = 1.0 / (y * d);
        nb *= (r + y - 1.0) * q * d * inv;
        let dropped = alive * a * tail.max(0.0) * y * inv;
        alive *= (b + y - 1.0) * y * inv;
        go_on = push(out, &mut moments, &mut total, 1.0, alive * nb + dropped)?;
        tail -= nb;
        y += 1.0;
    }
    Ok(moments)
}

/// Pareto/NBD for a new customer, y = 0, 1, …: the negative binomial count over h when still alive at
/// h, `(β/(β+h))^s NB(y; h)`, plus its count over τ for a lifetime τ < h, against the lifetime's
/// density `s βˢ (β+τ)^(−s−1)`. `beta` is the lifetime's scale (the model's own β is not read).
fn pareto_new_customer(
    p: &ParetoNbd,
    beta: f64,
    h: f64,
    out: &mut Vec<f64>,
) -> Result<Moments, ModelError> {
    let ParetoNbd { r, alpha, s, .. } = *p;
    // The lifetime's distribution function v = 1 − (β/(β+τ))^s as the variable of integration: its
    // density is 1 on [0, v(h)], and τ(v) = β((1 − v)^(−1/s) − 1) is smooth. At each node (weight,
    // q = τ/(α+τ), NB(y; τ)), then at h itself with the survival weight.
    let survival = (s * (beta / (beta + h)).ln()).exp();
    let width = (1.0 - survival) / PANELS as f64;
    let node = |weight: f64, tau: f64| {
        (
            weight,
            tau / (alpha + tau),
            (r * (alpha / (alpha + tau)).ln()).exp(),
        )
    };
    let mut nodes: Vec<(f64, f64, f64)> = Vec::with_capacity(PANELS * 8 + 1);
    for panel in 0..PANELS {
        let mid = (panel as f64 + 0.5) * width;
        for (x, weight) in GL_NODES.iter().zip(GL_WEIGHTS) {
            for v in [mid - 0.5 * width * x, mid + 0.5 * width * x] {
                let tau = beta * ((-(-v).ln_1p() / s).exp() - 1.0);
                nodes.push(node(0.5 * width * weight, tau));
            }
        }
    }
    nodes.push(node(survival, h));
    // Each node's counts sum to 1: the quadrature's total is the sum of its weights (1 to within its
    // error, which must not keep the terms going).
    let mass: f64 = nodes.iter().map(|&(w, _, _)| w).sum();
    let mut moments = Moments::default();
    let mut total = 0.0;
    let mut y = 0.0;
    loop {
        let p: f64 = nodes.iter().map(|&(w, _, nb)| w * nb).sum();
        if !push(out, &mut moments, &mut total, mass, p)? {
            return Ok(moments);
        }
        let ratio = (r + y) / (y + 1.0);
        for (_, q, nb) in &mut nodes {
            *nb *= ratio * *q;
        }
        y += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::{cdnow_models, CDNOW_BGNBD};

    #[test]
    fn the_new_customer_terms_are_the_closed_forms() {
        // At x = 0, T → 0 the alive part is the new customer's P(X(h) = y): FHL eq. 8 and the Pareto/NBD
        // integral as `prob_purchases` computes them (64 panels of the lifetime there, 4 of its distribution function here). An MBG/NBD customer
        // alive after the first purchase has survived its drop-out chance: BG/NBD's process with b + 1.
        for model in cdnow_models() {
            let survived = match model {
                Model::Mbgnbd(m) => Model::Bgnbd(BgNbd {
                    b: m.0.b + 1.0,
                    ..m.0
                }),
                other => other,
            };
            let m = survived.purchase_model().unwrap();
            let mut out = Vec::new();
            for h in [0.5, 10.0, 39.0, 200.0] {
                future_pmf_if_alive(&model, 0.0, 0.0, h, &mut out).unwrap();
                for (y, &got) in out.iter().enumerate().take(60) {
                    let want = m.prob_purchases(h, y as u32).unwrap();
                    assert!(
                        (got - want).abs() <= 1e-10 * want + 1e-14,
                        "{model:?}, h {h}, y {y}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn they_sum_to_one_and_their_means_are_the_conditional_expectations() {
        // Σ P(y | alive) = 1, and P(alive) · Σ y P(y | alive) = E[Y(h) | x, t_x, T] as `predict` gives it.
        for model in cdnow_models() {
            let m = model.purchase_model().unwrap();
            let mut out = Vec::new();
            for (x, t_x, t) in [
                (0.0, 0.0, 38.86),
                (2.0, 30.43, 38.86),
                (26.0, 30.86, 31.0),
                (7.0, 10.0, 37.0),
            ] {
                for h in [1.0, 39.0, 104.0] {
                    let moments = future_pmf_if_alive(&model, x, t, h, &mut out).unwrap();
                    let total: f64 = out.iter().sum();
                    assert!(
                        (total - 1.0).abs() < 1e-11,
                        "{model:?} x {x} h {h}: Σ = {total}"
                    );
                    let (want, alive) = m.predict_one(x, t_x, t, h).unwrap();
                    let got = alive * moments.mean;
                    assert!(
                        (got - want).abs() <= 1e-9 * want,
                        "{model:?} x {x} h {h}: {got} vs {want}"
                    );
                    assert!(moments.second >= moments.mean * moments.mean);
                }
            }
        }
    }

    #[test]
    fn a_huge_count_is_refused_not_listed_forever() {
        let model = Model::Bgnbd(CDNOW_BGNBD);
        let e = future_pmf_if_alive(&model, 1e6, 1.0, 1e6, &mut Vec::new()).unwrap_err();
        assert!(e.to_string().starts_with("horizon: is too long"), "{e}");
    }
}
