//! The beta-discrete-Weibull survival by its definition, for tests that must not use the library's
//! Beta functions: `S(t) = E[(1 − θ)^(t^c)]` over θ ~ Beta(γ, δ), the integral of
//! `θ^(γ−1) (1 − θ)^(δ − 1 + t^c)` over [0, 1] divided by the same at t = 0, by composite Simpson.
//! With γ a whole number and δ ≥ 5 the integrands are smooth (a polynomial at 0, four bounded
//! derivatives at 1) and 20,000 intervals give about 12 digits ([`super::precision::QUADRATURE`]).

const INTERVALS: usize = 20_000;

fn integral(gamma: f64, exponent: f64) -> f64 {
    let h = 1.0 / INTERVALS as f64;
    let f = |x: f64| x.powf(gamma - 1.0) * (1.0 - x).powf(exponent);
    let inner: f64 = (1..INTERVALS)
        .map(|i| {
            let x = i as f64 * h;
            if i % 2 == 1 {
                4.0 * f(x)
            } else {
                2.0 * f(x)
            }
        })
        .sum();
    (f(0.0) + inner + f(1.0)) * h / 3.0
}

/// S(t) for θ ~ Beta(γ, δ) with γ a whole number and δ ≥ 5, duration dependence c.
pub fn bdw_survival(gamma: f64, delta: f64, c: f64, t: f64) -> f64 {
    assert!(
        gamma >= 1.0 && gamma.fract() == 0.0 && delta >= 5.0,
        "the quadrature needs a whole γ and δ ≥ 5"
    );
    integral(gamma, delta - 1.0 + t.powf(c)) / integral(gamma, delta - 1.0)
}
