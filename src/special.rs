//! Special functions for the likelihoods: log-gamma, digamma, log-beta, log-sum-exp and the Gauss
//! hypergeometric function ₂F₁ (with its derivatives in all four arguments).
//!
//! Conventions: arguments are real; `ln_gamma` and `ln_beta` are meant for positive arguments (the
//! likelihoods only use those). ₂F₁ is summed as its power series (DLMF 15.2.1) for `0 ≤ z < 1`, and
//! for `z < 0` through Pfaff's transformation (DLMF 15.8.1), which maps `z` into `[0, 1)`. The series
//! gives up (returns `None`) rather than return an unconverged sum.
//!
//! References: Abramowitz & Stegun (1964), *Handbook of Mathematical Functions*, ch. 6 and 15;
//! NIST DLMF (dlmf.nist.gov), ch. 5 and 15.

/// `ln Γ(x)` for `x > 0` (from `libm`, accurate to a few ulp).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b)` for `a, b > 0`.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The digamma function ψ(x) = d/dx ln Γ(x).
///
/// Shifts `x` up to at least 10 with ψ(x) = ψ(x + 1) − 1/x (DLMF 5.5.2), then uses the asymptotic
/// series (DLMF 5.11.2) to six Bernoulli terms: absolute error below 1e-15 from the truncation. Negative non-integer `x`
/// go through the reflection formula ψ(1 − x) − ψ(x) = π cot(πx) (DLMF 5.5.4); poles give NaN.
pub fn digamma(x: f64) -> f64 {
    if x <= 0.0 {
        if x == x.floor() {
            return f64::NAN;
        }
        return digamma(1.0 - x) - std::f64::consts::PI / (std::f64::consts::PI * x).tan();
    }
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    let tail = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32760.0)))));
    shift + x.ln() - 0.5 / x - tail
}

/// `ln(eᵃ + eᵇ)` without overflow; `−∞` terms are allowed.
pub fn log_sum_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// `ln(eᵃ + eᵇ)` with the weights `eᵃ/(eᵃ + eᵇ)` and `eᵇ/(eᵃ + eᵇ)` (one `exp`, one `ln_1p`).
pub fn log_sum_exp_weights(a: f64, b: f64) -> (f64, f64, f64) {
    let (hi, e, w_a, w_b) = log_sum_exp_ratio(a, b, (b - a).exp());
    (hi + e.ln_1p(), w_a, w_b)
}

/// `ln(eᵃ + eᵇ) = max(a, b) + ln(1 + e)` as `(max(a, b), e, w_a, w_b)`, given `ratio = e^(b−a)`
/// (from `exp` or from tables of powers): `e = e^−|a−b|` in [0, 1], the weights are `eᵃ/(eᵃ + eᵇ)`
/// and `eᵇ/(eᵃ + eᵇ)`. No `exp`, one or two divisions; for a sum of many log-sum-exps, whose
/// `ln(1 + e)` terms [`LnSum`] adds up with few logarithms. `ratio` may be 0 or +∞.
pub fn log_sum_exp_ratio(a: f64, b: f64, ratio: f64) -> (f64, f64, f64, f64) {
    if ratio <= 1.0 {
        let w_a = 1.0 / (1.0 + ratio);
        (a, ratio, w_a, ratio * w_a)
    } else {
        let e = 1.0 / ratio;
        let w_b = 1.0 / (1.0 + e);
        (b, e, e * w_b, w_b)
    }
}

/// `Σ wᵢ ln(1 + eᵢ)` for `eᵢ` in [0, 1] (the second part of [`log_sum_exp_ratio`]) with one `ln` per
/// 64 terms of weight 1: their factors `1 + eᵢ` lie in [1, 2], so a product of 64 stays below 2⁶⁴.
/// Terms of other weights take their own `ln_1p`. The product's rounding (64 roundings of relative
/// size 2⁻⁵³) adds an absolute error below 1e-14 per 64 terms.
#[derive(Debug, Clone, Copy)]
pub struct LnSum {
    total: f64,
    product: f64,
    factors: u32,
}

impl Default for LnSum {
    fn default() -> Self {
        LnSum {
            total: 0.0,
            product: 1.0,
            factors: 0,
        }
    }
}

impl LnSum {
    /// Adds `weight · ln(1 + e)`.
    pub fn add(&mut self, weight: f64, e: f64) {
        if weight != 1.0 {
            self.total += weight * e.ln_1p();
            return;
        }
        self.product *= 1.0 + e;
        self.factors += 1;
        if self.factors == 64 {
            self.total += self.product.ln();
            self.product = 1.0;
            self.factors = 0;
        }
    }

    /// The sum so far.
    pub fn sum(&self) -> f64 {
        self.total + self.product.ln()
    }
}

/// `ln Σ exp(xᵢ)` without overflow; `−∞` for an empty slice.
pub fn log_sum_exp_all(xs: &[f64]) -> f64 {
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi == f64::NEG_INFINITY || !hi.is_finite() {
        return hi;
    }
    hi + xs.iter().map(|x| (x - hi).exp()).sum::<f64>().ln()
}

/// ₂F₁(a, b; c; z) and its partial derivatives in a, b, c and z.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyp2f1 {
    pub value: f64,
    pub d_a: f64,
    pub d_b: f64,
    pub d_c: f64,
    pub d_z: f64,
}

/// Most series terms summed before giving up (reached only for `z` very close to 1).
const MAX_TERMS: usize = 50_000;

/// ₂F₁(a, b; c; z) for `0 ≤ z < 1` and `c > 0`, with its derivatives, from the power series.
///
/// Term k is `tₖ = (a)ₖ(b)ₖ/((c)ₖ k!) zᵏ`; its derivatives in a, b, c follow from differentiating
/// the recurrence `tₖ₊₁ = ρₖ tₖ`, and in z it is `k tₖ / z`, all accumulated alongside. Stops when a term and its
/// derivatives no longer change the sums; `None` if that would take more than 50,000 terms or the
/// arguments are outside the domain.
pub fn hyp2f1_with_grad(a: f64, b: f64, c: f64, z: f64) -> Option<Hyp2f1> {
    series(a, b, c, z, true)
}

/// The series of [`hyp2f1_with_grad`]; with `grad` false only the value has to converge.
fn series(a: f64, b: f64, c: f64, z: f64, grad: bool) -> Option<Hyp2f1> {
    if !(0.0..1.0).contains(&z) || c <= 0.0 || c.is_nan() || !a.is_finite() || !b.is_finite() {
        return None;
    }
    // Terms grow while ρₖ ≈ z(1 + (a+b−c−1)/k) exceeds 1, then fall like zᵏ: give up at once when
    // the peak plus a fall by e^-37 lies beyond MAX_TERMS.
    if z > 0.0 {
        let peak = (a + b - c - 1.0).max(0.0) * z / (1.0 - z);
        if peak + 37.0 / -z.ln() > MAX_TERMS as f64 {
            return None;
        }
    }
    let mut out = Hyp2f1 {
        value: 1.0,
        d_a: 0.0,
        d_b: 0.0,
        d_c: 0.0,
        d_z: 0.0,
    };
    // Term k and its derivatives in a, b, c, updated by the term ratio ρₖ = (a+k)(b+k)z/((c+k)(k+1))
    // and its own derivatives (no division by a + k, so polynomial cases stay finite).
    let (mut term, mut ta, mut tb, mut tc) = (1.0, 0.0, 0.0, 0.0);
    for k in 0..MAX_TERMS {
        let kf = k as f64;
        // One division for both 1/(c+k) and z/((c+k)(k+1)).
        let inv = 1.0 / ((c + kf) * (kf + 1.0));
        let inv_c = (kf + 1.0) * inv;
        let q = z * inv;
        let rho = (a + kf) * (b + kf) * q;
        // d/dz of term k+1 is (k+1) t_{k+1} / z = t_k (a+k)(b+k)/(c+k): no division by z.
        let dz_next = term * (a + kf) * (b + kf) * inv_c;
        ta = ta * rho + term * (b + kf) * q;
        tb = tb * rho + term * (a + kf) * q;
        tc = tc * rho - term * rho * inv_c;
        term *= rho;
        out.value += term;
        out.d_a += ta;
        out.d_b += tb;
        out.d_c += tc;
        out.d_z += dz_next;
        let negligible = |t: f64, s: f64| t.abs() <= 1e-16 * s.abs() || t == 0.0;
        // Past the largest term (ratio below 1) and every sum has stopped changing.
        if rho.abs() < 1.0
            && negligible(term, out.value)
            && (!grad
                || negligible(ta, out.d_a)
                    && negligible(tb, out.d_b)
                    && negligible(tc, out.d_c)
                    && negligible(dz_next, out.d_z))
        {
            return Some(out);
        }
        if !out.value.is_finite() {
            return None;
        }
    }
    None
}

/// ₂F₁(a, b; c; z) for `z < 1` and `c > 0`: the series for `0 ≤ z < 1`, Pfaff's transformation
/// ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z/(z − 1)) (DLMF 15.8.1) for `z < 0`.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if z < 0.0 {
        let w = z / (z - 1.0);
        return series(a, c - b, c, w, false).map(|f| f.value * (1.0 - z).powf(-a));
    }
    series(a, b, c, z, false).map(|f| f.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs().max(1e-300),
            "got {got}, want {want}"
        );
    }

    #[test]
    fn ln_gamma_at_known_values() {
        // Γ(1/2) = √π; Γ(5) = 24 (A&S 6.1.8, 6.1.6).
        close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-14);
        close(ln_gamma(5.0), 24f64.ln(), 1e-14);
        // B(2, 3) = 1/12 (A&S 6.2.2).
        close(ln_beta(2.0, 3.0), (1.0 / 12.0f64).ln(), 1e-14);
    }

    #[test]
    fn digamma_at_known_values() {
        // A&S 6.3.2, 6.3.3: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2; DLMF 5.4.14: ψ(1/4) = −γ − π/2 − 3 ln 2.
        let euler = 0.577_215_664_901_532_9;
        close(digamma(1.0), -euler, 1e-14);
        close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14);
        close(
            digamma(0.25),
            -euler - std::f64::consts::FRAC_PI_2 - 3.0 * 2f64.ln(),
            1e-14,
        );
        // ψ(n) = H_{n−1} − γ (A&S 6.3.2): ψ(10).
        let h9: f64 = (1..10).map(|k| 1.0 / f64::from(k)).sum();
        close(digamma(10.0), h9 - euler, 1e-14);
        // Reflection: ψ(−1/2) = ψ(3/2) + π cot(−π/2)·… = 2 − γ − 2 ln 2 (DLMF 5.4.13 with 5.5.2).
        close(digamma(-0.5), 2.0 - euler - 2.0 * 2f64.ln(), 1e-13);
        assert!(digamma(-2.0).is_nan());
    }

    #[test]
    fn digamma_is_the_derivative_of_ln_gamma() {
        for &x in &[0.3, 1.7, 4.2, 25.0, 310.5] {
            let h = 1e-5 * x;
            let fd = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            close(digamma(x), fd, 1e-8);
        }
    }

    #[test]
    fn log_sum_exp_is_stable() {
        close(log_sum_exp(1000.0, 1000.0), 1000.0 + 2f64.ln(), 1e-15);
        assert_eq!(log_sum_exp(f64::NEG_INFINITY, 3.0), 3.0);
        close(
            log_sum_exp_all(&[-1000.0, -1000.0, -1000.0]),
            -1000.0 + 3f64.ln(),
            1e-15,
        );
        assert_eq!(log_sum_exp_all(&[]), f64::NEG_INFINITY);
    }

    #[test]
    fn ln_sum_adds_logarithms() {
        // Σ ln(1 + eᵢ) over 1000 terms of weight 1 (several products of 64) and some weighted ones.
        let mut sum = LnSum::default();
        let mut want = 0.0;
        for i in 0..1000 {
            let e = f64::from(i % 97) / 96.0;
            let w = if i % 10 == 0 { 2.5 } else { 1.0 };
            sum.add(w, e);
            want += w * e.ln_1p();
        }
        close(sum.sum(), want, 1e-14);
        let (total, w_a, w_b) = log_sum_exp_weights(-3.0, -1.0);
        close(total, ((-3f64).exp() + (-1f64).exp()).ln(), 1e-15);
        close(w_a, (-3f64).exp() / ((-3f64).exp() + (-1f64).exp()), 1e-15);
        close(w_a + w_b, 1.0, 1e-15);
        // Far apart: all the weight on the larger, whichever order, also at ratio 0 and +∞.
        assert_eq!(log_sum_exp_weights(0.0, -800.0), (0.0, 1.0, 0.0));
        assert_eq!(log_sum_exp_weights(-800.0, 0.0), (0.0, 0.0, 1.0));
    }

    #[test]
    fn hyp2f1_closed_forms() {
        // DLMF 15.4.2: ₂F₁(1, 1; 2; z) = −ln(1 − z)/z.
        for &z in &[0.1, 0.5, 0.9, 0.99, -0.5, -3.0] {
            close(
                hyp2f1(1.0, 1.0, 2.0, z).unwrap(),
                -(1.0 - z).ln() / z,
                1e-13,
            );
        }
        // DLMF 15.4.6: ₂F₁(a, b; b; z) = (1 − z)^(−a).
        for &(a, b, z) in &[(0.7, 2.5, 0.3), (3.2, 1.1, 0.8), (1.5, 4.0, -0.7)] {
            close(hyp2f1(a, b, b, z).unwrap(), (1.0 - z).powf(-a), 1e-13);
        }
        // DLMF 15.4.4: ₂F₁(1/2, 1/2; 3/2; z²) = arcsin(z)/z.
        let z: f64 = 0.8;
        close(hyp2f1(0.5, 0.5, 1.5, z * z).unwrap(), z.asin() / z, 1e-13);
        // Too close to 1 for the series: refused, not summed for ever.
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0 - 1e-9).is_none());
    }

    #[test]
    fn hyp2f1_gradient_matches_finite_differences() {
        let (a, b, c, z) = (3.4, 1.6, 4.4, 0.37);
        let g = hyp2f1_with_grad(a, b, c, z).unwrap();
        let f = |a, b, c, z| hyp2f1_with_grad(a, b, c, z).unwrap().value;
        let h = 1e-6;
        close(
            g.d_a,
            (f(a + h, b, c, z) - f(a - h, b, c, z)) / (2.0 * h),
            1e-7,
        );
        close(
            g.d_b,
            (f(a, b + h, c, z) - f(a, b - h, c, z)) / (2.0 * h),
            1e-7,
        );
        close(
            g.d_c,
            (f(a, b, c + h, z) - f(a, b, c - h, z)) / (2.0 * h),
            1e-7,
        );
        close(
            g.d_z,
            (f(a, b, c, z + h) - f(a, b, c, z - h)) / (2.0 * h),
            1e-7,
        );
    }

    #[test]
    fn hyp2f1_refuses_outside_its_domain() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_none());
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_none());
        assert!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5).is_none());
    }
}
