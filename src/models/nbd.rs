//! Pieces the repeat-buying models share: the negative binomial count of a customer alive
//! throughout, and the error of a ₂F₁ series that did not converge.

use super::ModelError;

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
