//! Special functions for the likelihoods: log-gamma, digamma, log-beta, log-sum-exp and the Gauss
//! hypergeometric function ₂F₁ (with its derivatives in all four arguments).
//!
//! Conventions: arguments are real; `ln_gamma` and `ln_beta` are meant for positive arguments (the
//! likelihoods only use those). ₂F₁ is summed as its power series (DLMF 15.2.1) for `0 ≤ z < 1` where
//! that converges quickly; nearer to 1 it comes from series in `1 − z` through the connection formulas
//! (DLMF 15.8.4; A&S 15.3.10–15.3.11 when `c − a − b` is whole), at `z = 1` from Gauss's sum, and for
//! `z < 0` from Pfaff's transformation (DLMF 15.8.1), which maps `z` into `[0, 1)`. Where no method
//! converges the functions return `None` rather than an unconverged sum.
//!
//! References: Abramowitz & Stegun (1964), *Handbook of Mathematical Functions*, ch. 6 and 15;
//! NIST DLMF (dlmf.nist.gov), ch. 5 and 15.

/// `ln Γ(x)` for `x > 0` (from `libm`, accurate to a few ulp).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `Σ aᵢ bᵢ` over the shorter of the two, in four running sums (which vectorise: one sum waits on
/// each addition before the next).
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut sums = [0.0; 4];
    let (chunks_a, chunks_b) = (a.chunks_exact(4), b.chunks_exact(4));
    let rest: f64 = chunks_a
        .remainder()
        .iter()
        .zip(chunks_b.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (u, v) in chunks_a.zip(chunks_b) {
        for k in 0..4 {
            sums[k] += u[k] * v[k];
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + rest
}

/// `eˣ` without a call, for loops that take it of many values (such a loop then vectorises; a call
/// to `f64::exp` stops that): within 2 ulp of the true value, 0 below −745.2 and ∞ above
/// 709.78, NaN for NaN.
///
/// Cody–Waite reduction x = n ln 2 + r with |r| ≤ ln 2 / 2 and ln 2 split so that n ln 2 is exact
/// (Cody & Waite 1980, *Software Manual for the Elementary Functions*, ch. 6), eʳ by its Taylor
/// polynomial to r¹³ (the remainder below 1e-17 of it), and 2ⁿ from the exponent bits of two halves
/// (each a normal number, so that results near the ends of the range come out whole).
#[inline]
pub fn exp_inline(x: f64) -> f64 {
    // ln 2 = LN2_HI + LN2_LO, the first with its last 32 bits 0 (fdlibm's split).
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    // 1.5 · 2⁵²: adding and subtracting it rounds to the nearest whole number (without a call).
    const ROUND: f64 = 6_755_399_441_055_744.0;
    const HIGHEST: f64 = 709.782_712_893_384;
    const LOWEST: f64 = -745.2;
    const INV_FACTORIAL: [f64; 13] = [
        1.0,
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    // A comparison, not `max`/`min` (which wasm calls).
    let inside = x.clamp(LOWEST, HIGHEST);
    let shifted = inside * std::f64::consts::LOG2_E + ROUND;
    let n = shifted - ROUND;
    let r = (inside - n * LN2_HI) - n * LN2_LO;
    let p = INV_FACTORIAL.iter().rev().fold(0.0, |p, c| c + r * p);
    // n itself from the low bits of `shifted` (integer steps of its last place), not by a
    // conversion, which has no vector form.
    let n = shifted.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
    let half = |m: i64| f64::from_bits(((m + 1023) << 52) as u64);
    let value = (1.0 + r * p) * half(n >> 1) * half(n - (n >> 1));
    if x > HIGHEST {
        f64::INFINITY
    } else if x < LOWEST {
        0.0
    } else {
        value
    }
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

/// Most steps of the continued fraction of [`beta_regularized`]: it needs about √max(a, b) near the
/// middle of the distribution (65,536 at a = 2³²), far fewer in the tails.
const MAX_FRACTION_STEPS: usize = 200_000;

/// The regularized incomplete beta function `I_x(a, b) = B(x; a, b)/B(a, b)` for `a, b > 0` and
/// `0 ≤ x ≤ 1`, given also `w = 1 − x` as accurately as the caller knows it.
///
/// From the continued fraction (DLMF 8.17.22) evaluated by the modified Lentz method, at x when
/// `x < (a+1)/(a+b+2)` and otherwise as `1 − I_w(b, a)` (DLMF 8.17.4), where it converges quickly;
/// the prefactor `xᵃ wᵇ/(a B(a, b))` is taken in logarithms, so its relative accuracy is that of
/// `ln Γ(a + b)` in absolute terms: about `ε (a+b) ln(a+b)`, 1e-13 at a + b = 1,000 and 1e-7 at 2·10⁷
/// (only where the result is not tiny; far in the tails the value is exponentially small anyway).
/// `None` for arguments outside the domain or a fraction that has not converged in 200,000 steps.
pub fn beta_regularized(a: f64, b: f64, x: f64, w: f64) -> Option<f64> {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&w)) {
        return None;
    }
    if x == 0.0 || w == 0.0 {
        return Some(if x == 0.0 { 0.0 } else { 1.0 });
    }
    if x * (a + b + 2.0) >= a + 1.0 {
        return beta_fraction(b, a, w, x).map(|i| 1.0 - i);
    }
    beta_fraction(a, b, x, w)
}

/// `I_x(a, b)` from its continued fraction, for `x < (a+1)/(a+b+2)` (NR §6.4, `betacf`).
fn beta_fraction(a: f64, b: f64, x: f64, w: f64) -> Option<f64> {
    let tiny = 1e-300;
    let clamp = |v: f64| if v.abs() < tiny { tiny } else { v };
    let ln_front = a * x.ln() + b * w.ln() - ln_beta(a, b) - a.ln();
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / clamp(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=MAX_FRACTION_STEPS {
        let (mf, m2) = (m as f64, 2.0 * m as f64);
        let even = mf * (b - mf) * x / ((qam + m2) * (a + m2));
        d = 1.0 / clamp(1.0 + even * d);
        c = clamp(1.0 + even / c);
        h *= d * c;
        let odd = -(a + mf) * (qab + mf) * x / ((a + m2) * (qap + m2));
        d = 1.0 / clamp(1.0 + odd * d);
        c = clamp(1.0 + odd / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() <= 1e-15 {
            let value = (ln_front.exp() * h).clamp(0.0, 1.0);
            return value.is_finite().then_some(value);
        }
    }
    None
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

/// Most series terms summed before giving up.
const MAX_TERMS: usize = 50_000;

/// Estimated series terms beyond which ₂F₁ at `z > 1/2` is taken from the series at `1 − z`.
const DIRECT_TERMS: f64 = 2_000.0;

/// `c − a − b` this close to an integer `m` (but not equal) makes the two terms of the connection
/// formula cancel (each is of order 1/δ): ₂F₁ is then interpolated in c through the exact
/// integer-m formula at δ = 0 and the general one at δ = ±[`NEAR_STEP`].
const NEAR_INTEGER: f64 = 1e-5;
const NEAR_STEP: f64 = 1e-4;

/// Whether `x` is 0, −1, −2, …: a pole of Γ, a zero of 1/Γ.
fn is_pole(x: f64) -> bool {
    x <= 0.0 && x == x.floor()
}

/// `Π Γ(num) / Π Γ(den)` for real arguments of either sign (0 when a denominator is at a pole of Γ,
/// NaN when a numerator is), through ln|Γ| and its sign.
fn gamma_ratio(num: &[f64], den: &[f64]) -> f64 {
    let (mut ln, mut sign) = (0.0, 1.0);
    for &x in num {
        if is_pole(x) {
            return f64::NAN;
        }
        let (l, s) = libm::lgamma_r(x);
        ln += l;
        sign *= f64::from(s);
    }
    for &x in den {
        if is_pole(x) {
            return 0.0;
        }
        let (l, s) = libm::lgamma_r(x);
        ln -= l;
        sign *= f64::from(s);
    }
    sign * ln.exp()
}

/// Terms the power series of ₂F₁ needs at `0 ≤ z < 1`: terms grow while the ratio
/// ρₖ ≈ z(1 + (a+b−c−1)/k) exceeds 1, then fall like zᵏ; the peak plus a fall by e^−37.
fn series_terms(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if z <= 0.0 {
        return 1.0;
    }
    (a + b - c - 1.0).max(0.0) * z / (1.0 - z) + 37.0 / -z.ln()
}

/// ₂F₁(a, b; c; z) with its partial derivatives in a, b, c and z, for `0 ≤ z < 1`.
///
/// From the power series (DLMF 15.2.1) where it converges in at most 2,000 terms or `z ≤ 1/2`. Term k
/// is `tₖ = (a)ₖ(b)ₖ/((c)ₖ k!) zᵏ`; its derivatives in a, b, c follow from differentiating the
/// recurrence `tₖ₊₁ = ρₖ tₖ`, and in z it is `k tₖ / z`, all accumulated alongside. Nearer to 1, the
/// value is [`hyp2f1`]'s (the formulas at 1 − z), the derivative in z is `ab/c ₂F₁(a+1, b+1; c+1; z)`
/// (DLMF 15.5.1), those in a, b and c are central differences of the value (step 1e-5 · max(1, |p|):
/// 6 to 8 correct digits, enough for the optimiser's search). `w` is 1 − z, as accurately as the caller knows it (see
/// [`hyp2f1_complement`]). `None` for `z` outside `[0, 1)`, c at 0, −1, −2, … or a series that does
/// not converge in 50,000 terms.
pub fn hyp2f1_with_grad(a: f64, b: f64, c: f64, z: f64, w: f64) -> Option<Hyp2f1> {
    if !(0.0..1.0).contains(&z) || z <= 0.5 || direct_is_cheaper(a, b, c, z, w) {
        return series(a, b, c, z, true);
    }
    let hyp2f1 = |a, b, c| hyp2f1_complement(a, b, c, z, w);
    let value = hyp2f1(a, b, c)?;
    let difference = |f: &dyn Fn(f64) -> Option<f64>, p: f64| {
        let h = 1e-5 * p.abs().max(1.0);
        Some((f(p + h)? - f(p - h)?) / (2.0 * h))
    };
    Some(Hyp2f1 {
        value,
        d_a: difference(&|v| hyp2f1(v, b, c), a)?,
        d_b: difference(&|v| hyp2f1(a, v, c), b)?,
        d_c: difference(&|v| hyp2f1(a, b, v), c)?,
        d_z: a * b / c * hyp2f1(a + 1.0, b + 1.0, c + 1.0)?,
    })
}

/// Whether [`hyp2f1_with_grad`] should sum the power series at z rather than differentiate the
/// formulas at 1 − z: when the series needs at most 2,000 terms, or fewer than the seven evaluations of
/// the connection formula (two series in 1 − z each) that the value and its derivatives take there.
/// With large a or b the series at 1 − z can be the longer (a = 10⁶ at 1 − z = 0.004: ~4,000 terms
/// each, against ~10,000 at z), and the choice keeps a likelihood evaluation within a few times the
/// cheaper method's cost.
fn direct_is_cheaper(a: f64, b: f64, c: f64, z: f64, w: f64) -> bool {
    let direct = series_terms(a, b, c, z);
    let m = c - a - b;
    let near = series_terms(a, b, 1.0 - m, w) + series_terms(c - a, c - b, 1.0 + m, w);
    direct <= DIRECT_TERMS || direct <= MAX_TERMS as f64 && direct <= 7.0 * near
}

/// The power series of ₂F₁ at `0 ≤ z < 1` (or `z = 1` when a or b is 0, −1, −2, …: a polynomial);
/// with `grad` false only the value has to converge.
fn series(a: f64, b: f64, c: f64, z: f64, grad: bool) -> Option<Hyp2f1> {
    let polynomial = is_pole(a) || is_pole(b);
    let in_domain = z >= 0.0 && (z < 1.0 || polynomial && z == 1.0);
    if !(in_domain && a.is_finite() && b.is_finite() && c.is_finite()) || is_pole(c) {
        return None;
    }
    // Give up at once when the terms would run past MAX_TERMS (a polynomial stops by itself).
    if !polynomial && series_terms(a, b, c, z) > MAX_TERMS as f64 {
        return None;
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
        if !out.value.is_finite() {
            return None;
        }
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
    }
    None
}

/// ₂F₁(a, b; c; zs[i]) into `out[i]` for several `0 ≤ z < 1` at once: one power series (DLMF 15.2.1)
/// whose coefficients (a)ₖ(b)ₖ/((c)ₖ k!) the points share, summed until its terms at the largest z
/// are negligible against every sum. `None` (and `out` unspecified) where [`hyp2f1`] would not sum
/// the series at the largest z (it needs more than 2,000 terms there, and z > 1/2): the caller then
/// takes each point on its own.
pub fn hyp2f1_series_at(a: f64, b: f64, c: f64, zs: &[f64], out: &mut [f64]) -> Option<()> {
    let z_max = zs.iter().copied().fold(0.0, f64::max);
    let finite = a.is_finite() && b.is_finite() && c.is_finite();
    let in_domain = zs.iter().all(|z| (0.0..1.0).contains(z));
    if !(finite && in_domain) || is_pole(c) || is_pole(a) || is_pole(b) {
        return None;
    }
    if z_max > 0.5 && series_terms(a, b, c, z_max) > DIRECT_TERMS {
        return None;
    }
    out.fill(1.0);
    let mut powers = zs.to_vec();
    let (mut coefficient, mut top) = (1.0, z_max);
    let n = out.len().min(zs.len());
    let (out, zs, powers) = (&mut out[..n], &zs[..n], &mut powers[..n]);
    for k in 0..MAX_TERMS {
        let kf = k as f64;
        let ratio = (a + kf) * (b + kf) / ((c + kf) * (kf + 1.0));
        coefficient *= ratio;
        // A loop without a branch or a reduction, which vectorises; the terms are at most the
        // coefficient (z < 1), so a finite coefficient keeps every sum finite but for an overflow
        // of the sum itself, checked when it is returned.
        for i in 0..n {
            out[i] += coefficient * powers[i];
            powers[i] *= zs[i];
        }
        if !coefficient.is_finite() {
            return None;
        }
        // The last terms at the largest z, and the ratio of the next ones there below 1, negligible
        // against every sum (checked outside the loop above, stopping at the first that is not).
        let last = coefficient * top;
        top *= z_max;
        let negligible = |sum: f64| last.abs() <= 1e-16 * sum.abs();
        if (ratio * z_max).abs() < 1.0 && (last == 0.0 || out.iter().all(|&s| negligible(s))) {
            return out.iter().all(|s| s.is_finite()).then_some(());
        }
    }
    None
}

/// ₂F₁(a, b; c; z) for real a, b, c (c not 0, −1, −2, …) and `z ≤ 1`.
///
/// - `0 ≤ z < 1`: the power series (DLMF 15.2.1) where it converges in at most 2,000 terms or
///   `z ≤ 1/2`; otherwise the connection formula to series in `1 − z` (DLMF 15.8.4, A&S 15.3.6)
///   when `c − a − b` is not an integer, and for integer `c − a − b = m` its limit form
///   (A&S 15.3.10–15.3.11 for `m ≥ 0`, Euler's transformation DLMF 15.8.1 first for `m < 0`).
/// - `z = 1`: Gauss's sum `Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b))` (DLMF 15.4.20) when `c − a − b > 0`.
/// - `z < 0`: Pfaff's transformation ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z/(z − 1))
///   (DLMF 15.8.1), which maps `z` into `[0, 1)`.
///
/// `None` where no method converges: `z > 1`, `z = 1` with `c − a − b ≤ 0` (the series diverges),
/// or series that need more than 50,000 terms at both z and 1 − z.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z <= 1.0) || is_pole(c) {
        return None;
    }
    if z < 0.0 {
        // 1 − z/(z − 1) = 1/(1 − z), passed as such: near 1 the formulas need it to full precision.
        let (w, one_minus_w) = (z / (z - 1.0), 1.0 / (1.0 - z));
        return unit_interval(a, c - b, c, w, one_minus_w).map(|f| f * (1.0 - z).powf(-a));
    }
    unit_interval(a, b, c, z, 1.0 - z)
}

/// [`hyp2f1`] for `0 ≤ z ≤ 1`, given also `w = 1 − z`. Near 1 the value depends on w to full relative
/// precision (it behaves like a power or logarithm of w), which `1.0 − z` has lost when z was
/// rounded: a caller with z = p/(p + q) should pass w = q/(p + q).
pub fn hyp2f1_complement(a: f64, b: f64, c: f64, z: f64, w: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && (0.0..=1.0).contains(&z)) || is_pole(c)
    {
        return None;
    }
    unit_interval(a, b, c, z, w)
}

/// [`hyp2f1`] for `0 ≤ z ≤ 1` (checked), given `w = 1 − z` as accurately as it is known.
fn unit_interval(a: f64, b: f64, c: f64, z: f64, w: f64) -> Option<f64> {
    let polynomial = is_pole(a) || is_pole(b);
    let m = c - a - b;
    if z == 1.0 && !polynomial {
        return (m > 0.0)
            .then(|| gauss_sum(a, b, c))
            .filter(|f| f.is_finite());
    }
    if polynomial || z <= 0.5 || series_terms(a, b, c, z) <= DIRECT_TERMS {
        return series(a, b, c, z, false).map(|f| f.value);
    }
    let delta = m - m.round();
    let near = if delta == 0.0 {
        integer_gap(a, b, m, w)
    } else if delta.abs() >= NEAR_INTEGER {
        connection(a, b, c, w)
    } else {
        // Quadratic in δ through δ = −h, 0, h (c moved by δ's difference): error O(h² δ).
        let (h, c0) = (NEAR_STEP, c - delta);
        let f0 = integer_gap(a, b, m.round(), w)?;
        let below = connection(a, b, c0 - h, w)?;
        let above = connection(a, b, c0 + h, w)?;
        Some(
            f0 + delta * (above - below) / (2.0 * h)
                + delta * delta * (above - 2.0 * f0 + below) / (2.0 * h * h),
        )
    };
    near.filter(|f| f.is_finite())
        .or_else(|| series(a, b, c, z, false).map(|f| f.value))
}

/// Gauss's sum ₂F₁(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) for `c − a − b > 0` (DLMF 15.4.20).
fn gauss_sum(a: f64, b: f64, c: f64) -> f64 {
    gamma_ratio(&[c, c - a - b], &[c - a, c - b])
}

/// The connection formula at w = 1 − z for non-integer m = c − a − b (DLMF 15.8.4, A&S 15.3.6):
/// `₂F₁(a, b; c; z) = Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) ₂F₁(a, b; 1−m; 1−z)
///   + (1−z)^m Γ(c)Γ(−m)/(Γ(a)Γ(b)) ₂F₁(c−a, c−b; 1+m; 1−z)`.
fn connection(a: f64, b: f64, c: f64, w: f64) -> Option<f64> {
    let m = c - a - b;
    let first = series(a, b, 1.0 - m, w, false)?.value;
    let second = series(c - a, c - b, 1.0 + m, w, false)?.value;
    Some(
        gamma_ratio(&[c, m], &[c - a, c - b]) * first
            + w.powf(m) * gamma_ratio(&[c, -m], &[a, b]) * second,
    )
}

/// ₂F₁(a, b; a + b + m; z) for whole m, near z = 1 (a, b not 0, −1, −2, …), given w = 1 − z. For
/// m ≥ 0, A&S 15.3.11 (15.3.10 at m = 0):
/// `Γ(m)Γ(c)/(Γ(a+m)Γ(b+m)) Σ_{n<m} (a)ₙ(b)ₙ/(n!(1−m)ₙ) wⁿ − (−w)^m Γ(c)/(Γ(a)Γ(b))
///   Σₙ (a+m)ₙ(b+m)ₙ/(n!(n+m)!) wⁿ [ln w − ψ(n+1) − ψ(n+m+1) + ψ(a+n+m) + ψ(b+n+m)]`;
/// for m < 0, Euler's transformation ₂F₁(a, b; c; z) = w^m ₂F₁(b+m, a+m; c; z) first (DLMF 15.8.1),
/// whose gap is −m.
fn integer_gap(a: f64, b: f64, m: f64, w: f64) -> Option<f64> {
    if m < 0.0 {
        return integer_gap(b + m, a + m, -m, w).map(|f| w.powf(m) * f);
    }
    // The finite sum has m terms: no more than the series may have.
    if m > MAX_TERMS as f64 {
        return None;
    }
    let c = a + b + m;
    let mut finite = 0.0;
    if m > 0.0 {
        let mut term = 1.0;
        let mut n = 0.0;
        while n < m {
            finite += term;
            term *= (a + n) * (b + n) / ((n + 1.0) * (1.0 - m + n)) * w;
            n += 1.0;
        }
        finite *= gamma_ratio(&[m, c], &[a + m, b + m]);
    }
    let ln_w = w.ln();
    let (mut psi_n, mut psi_nm) = (digamma(1.0), digamma(m + 1.0));
    let (mut psi_a, mut psi_b) = (digamma(a + m), digamma(b + m));
    let mut term = (-ln_gamma(m + 1.0)).exp();
    let mut sum = 0.0;
    let mut converged = false;
    for k in 0..MAX_TERMS {
        let n = k as f64;
        let part = term * (ln_w - psi_n - psi_nm + psi_a + psi_b);
        sum += part;
        let ratio = (a + m + n) * (b + m + n) / ((n + 1.0) * (n + m + 1.0)) * w;
        if ratio.abs() < 1.0 && (part.abs() <= 1e-16 * sum.abs() || part == 0.0) {
            converged = true;
            break;
        }
        term *= ratio;
        psi_n += 1.0 / (n + 1.0);
        psi_nm += 1.0 / (n + m + 1.0);
        psi_a += 1.0 / (a + m + n);
        psi_b += 1.0 / (b + m + n);
    }
    let sign = if m % 2.0 == 0.0 { 1.0 } else { -1.0 };
    let value = finite - sign * w.powf(m) * gamma_ratio(&[c], &[a, b]) * sum;
    (converged && value.is_finite()).then_some(value)
}

/// Gauss–Legendre nodes and weights on [−1, 1], 8 points (A&S Table 25.4), the positive half:
/// each node x stands for ±x.
pub(crate) const GL_NODES: [f64; 4] = [
    0.183_434_642_495_649_8,
    0.525_532_409_916_329,
    0.796_666_477_413_626_7,
    0.960_289_856_497_536_3,
];
pub(crate) const GL_WEIGHTS: [f64; 4] = [
    0.362_683_783_378_362,
    0.313_706_645_877_887_3,
    0.222_381_034_453_374_5,
    0.101_228_536_290_376_3,
];

/// `∫_lo^hi f` by `panels` panels of 8-point Gauss–Legendre.
pub(crate) fn integrate(f: impl Fn(f64) -> f64, lo: f64, hi: f64, panels: u32) -> f64 {
    let width = (hi - lo) / f64::from(panels);
    let mut sum = 0.0;
    for k in 0..panels {
        let mid = lo + (f64::from(k) + 0.5) * width;
        for (node, weight) in GL_NODES.iter().zip(GL_WEIGHTS) {
            sum += weight * (f(mid - 0.5 * width * node) + f(mid + 0.5 * width * node));
        }
    }
    0.5 * width * sum
}

/// The regularized upper incomplete gamma function `Q(a, x) = Γ(a, x)/Γ(a)` for `a > 0`, `x ≥ 0`:
/// below `x = a + 1` as `1 − P` with P's power series (DLMF 8.11.4), above it by the continued
/// fraction of Γ(a, x) (DLMF 8.9.2) evaluated with the modified Lentz method; both to a relative
/// step of 1e-15.
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let prefactor = (a * x.ln() - x - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut term, mut sum, mut n) = (1.0 / a, 1.0 / a, a);
        while term.abs() > sum.abs() * 1e-15 {
            n += 1.0;
            term *= x / n;
            sum += term;
        }
        return (1.0 - prefactor * sum).max(0.0);
    }
    let tiny = 1e-300;
    let mut b = x + 1.0 - a;
    let (mut c, mut d) = (1.0 / tiny, 1.0 / b);
    let mut h = d;
    for i in 1..10_000 {
        let an = -f64::from(i) * (f64::from(i) - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + an / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-15 {
            break;
        }
    }
    prefactor * h
}

/// `P(χ²_k > x)`, the tail of the chi-square distribution with `k` degrees of freedom:
/// `Q(k/2, x/2)`.
pub fn chi_square_above(x: f64, degrees_of_freedom: f64) -> f64 {
    gamma_q(degrees_of_freedom / 2.0, x.max(0.0) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_inline_is_exp() {
        // Against libm's exp (correctly rounded but for rare cases): within 2 ulp where normal, the
        // same subnormal to 1e-323, and the ends and NaN. e, 2 and 1/e at 1, ln 2 and −1.
        assert_eq!(exp_inline(0.0), 1.0);
        let e = std::f64::consts::E;
        assert!((exp_inline(1.0) - e).abs() <= 2.0 * f64::EPSILON * e);
        assert_eq!(exp_inline(std::f64::consts::LN_2), 2.0);
        assert!((exp_inline(-1.0) - 1.0 / e).abs() <= 2.0 * f64::EPSILON / e);
        let mut worst: f64 = 0.0;
        for i in 0..=2_000_000 {
            let x = -745.0 + 1455.0 * f64::from(i) / 2e6 + 1e-7 * f64::from(i % 7);
            let (got, want) = (exp_inline(x), x.exp());
            if want >= f64::MIN_POSITIVE {
                worst = worst.max((got - want).abs() / want);
            } else {
                assert!(
                    (got - want).abs() <= 1e-323,
                    "exp({x}): {got:e} vs {want:e}"
                );
            }
        }
        assert!(
            worst <= 2.0 * f64::EPSILON,
            "worst relative error {worst:e}"
        );
        assert_eq!(exp_inline(709.79), f64::INFINITY);
        assert_eq!(exp_inline(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp_inline(-746.0), 0.0);
        assert_eq!(exp_inline(f64::NEG_INFINITY), 0.0);
        assert!(exp_inline(f64::NAN).is_nan());
    }

    fn close(got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs().max(1e-300),
            "got {got}, want {want}"
        );
    }

    /// The chi-square quantiles of the standard tables (Abramowitz & Stegun 1964, table 26.8, to
    /// three decimals, so p to about 1e-5): 3.841 (1 df), 5.991 (2), 7.815 (3) and 12.592 (6) at
    /// 0.05; 6.635 (1), 11.345 (3) and 23.209 (10) at 0.01; 10.828 (1) and 16.266 (3) at 0.001; and
    /// the closed forms P(χ²₂ > x) = e^(−x/2), P(χ²₁ > x) = erfc(√(x/2)).
    #[test]
    fn chi_square_tail_at_table_quantiles() {
        for (x, k, p) in [
            (3.841, 1.0, 0.05),
            (5.991, 2.0, 0.05),
            (7.815, 3.0, 0.05),
            (12.592, 6.0, 0.05),
            (6.635, 1.0, 0.01),
            (11.345, 3.0, 0.01),
            (23.209, 10.0, 0.01),
            (10.828, 1.0, 0.001),
            (16.266, 3.0, 0.001),
        ] {
            let got = chi_square_above(x, k);
            assert!((got - p).abs() < 2e-3 * p, "χ²_{k} > {x}: {got}, want {p}");
        }
        for x in [0.1, 1.0, 4.0, 30.0, 200.0] {
            close(chi_square_above(x, 2.0), (-x / 2.0).exp(), 1e-13);
            close(
                chi_square_above(x, 1.0),
                libm::erfc((x / 2.0).sqrt()),
                1e-12,
            );
        }
        assert_eq!(chi_square_above(0.0, 4.0), 1.0);
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
    fn beta_regularized_closed_forms() {
        // DLMF 8.17.1–8.17.2 at b = 1 and a = 1: I_x(a, 1) = xᵃ, I_x(1, b) = 1 − (1 − x)ᵇ; by
        // symmetry (8.17.4) I_½(a, a) = ½; I_x(2, 2) = 3x² − 2x³ (the integral of 6t(1 − t)).
        for &x in &[1e-8, 0.1, 0.37, 0.5, 0.8, 0.999] {
            let w = 1.0 - x;
            close(
                beta_regularized(3.7, 1.0, x, w).unwrap(),
                x.powf(3.7),
                1e-13,
            );
            close(
                beta_regularized(1.0, 2.5, x, w).unwrap(),
                -(2.5 * (-x).ln_1p()).exp_m1(),
                1e-13,
            );
            close(
                beta_regularized(2.0, 2.0, x, w).unwrap(),
                3.0 * x * x - 2.0 * x * x * x,
                1e-13,
            );
        }
        for &a in &[0.3, 7.0, 1e3] {
            close(beta_regularized(a, a, 0.5, 0.5).unwrap(), 0.5, 1e-12);
        }
        // At a = 10⁷ the prefactor's ln Γ(2a) ≈ 3·10⁸ carries an absolute rounding of ~6·10⁻⁸.
        close(beta_regularized(1e7, 1e7, 0.5, 0.5).unwrap(), 0.5, 1e-6);
        assert_eq!(beta_regularized(2.0, 3.0, 0.0, 1.0), Some(0.0));
        assert_eq!(beta_regularized(2.0, 3.0, 1.0, 0.0), Some(1.0));
        assert!(beta_regularized(0.0, 3.0, 0.5, 0.5).is_none());
        assert!(beta_regularized(2.0, 3.0, f64::NAN, 0.5).is_none());
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
    }

    #[test]
    fn hyp2f1_at_several_points_sums_the_closed_forms() {
        // DLMF 15.4.2 and 15.4.6 at several z from one series, and BG/NBD-like parameters (a − 1 < 0,
        // c large) against hyp2f1 at each point.
        let zs = [0.05, 0.2, 0.45, 0.7, 0.9];
        let mut out = [0.0; 5];
        hyp2f1_series_at(1.0, 1.0, 2.0, &zs, &mut out).unwrap();
        for (&z, &f) in zs.iter().zip(&out) {
            close(f, -(1.0 - z).ln() / z, 1e-13);
        }
        hyp2f1_series_at(3.2, 1.1, 1.1, &zs, &mut out).unwrap();
        for (&z, &f) in zs.iter().zip(&out) {
            close(f, (1.0 - z).powf(-3.2), 1e-13);
        }
        for (a, b, c) in [(2.0, -0.21, 30.0), (0.9, 0.4, 1.6), (12.5, -0.5, 3.0)] {
            hyp2f1_series_at(a, b, c, &zs, &mut out).unwrap();
            for (&z, &f) in zs.iter().zip(&out) {
                close(f, hyp2f1(a, b, c, z).unwrap(), 1e-13);
            }
        }
        // Where the series at the largest z is too long, the points go one by one.
        assert!(hyp2f1_series_at(1.0, 1.0, 2.0, &[0.1, 0.9999], &mut [0.0; 2]).is_none());
        assert!(hyp2f1_series_at(1.0, 1.0, 2.0, &[0.1, 1.0], &mut [0.0; 2]).is_none());
        // Coefficients that overflow, and sums that do, give no value rather than infinity.
        assert!(hyp2f1_series_at(1e160, 1e160, 1.0, &[0.1, 0.4], &mut [0.0; 2]).is_none());
        assert!(hyp2f1_series_at(1e154, 1e154, 1.0, &[0.1, 0.4], &mut [0.0; 2]).is_none());
    }

    #[test]
    fn hyp2f1_near_one_from_the_connection_formulas() {
        // Where the series at z would need over 2,000 terms (up to millions): DLMF 15.4.2,
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z (c − a − b = 0, A&S 15.3.10).
        for &z in &[0.9999, 1.0 - 1e-9, 1.0 - 1e-14] {
            close(
                hyp2f1(1.0, 1.0, 2.0, z).unwrap(),
                -(1.0 - z).ln() / z,
                1e-13,
            );
        }
        // ₂F₁(1, 1; 3; z) = Σ 2zⁿ/((n+1)(n+2)) = 2[(1 − z) ln(1 − z) + z]/z² (partial fractions of
        // the series; c − a − b = 1, A&S 15.3.11).
        for &z in &[0.9995, 1.0 - 1e-8] {
            let w: f64 = 1.0 - z;
            close(
                hyp2f1(1.0, 1.0, 3.0, z).unwrap(),
                2.0 * (w * w.ln() + z) / (z * z),
                1e-12,
            );
        }
        // DLMF 15.4.6, ₂F₁(a, b; b; z) = (1 − z)^(−a), with large a so the series at z is long:
        // c − a − b = −a whole (Euler's transformation, then A&S 15.3.11), within 1e-5 of whole
        // (interpolated in c), and not whole (DLMF 15.8.4).
        for &a in &[
            2.0,
            3.0,
            7.0,
            7.0 + 2e-6,
            7.0 - 3e-5,
            7.0 + 5e-4,
            7.37,
            30.5,
        ] {
            for &(b, z) in &[(1.5, 0.9999), (40.0, 0.999), (0.3, 1.0 - 1e-7)] {
                close(hyp2f1(a, b, b, z).unwrap(), (1.0 - z).powf(-a), 1e-10);
            }
        }
        // DLMF 15.4.4: ₂F₁(1/2, 1/2; 3/2; x²) = arcsin(x)/x, x² = 1 − 1e-10.
        let x = (1.0f64 - 1e-10).sqrt();
        close(hyp2f1(0.5, 0.5, 1.5, x * x).unwrap(), x.asin() / x, 1e-12);
        // Large negative z: Pfaff maps it next to 1 (DLMF 15.4.2 again).
        close(
            hyp2f1(1.0, 1.0, 2.0, -1e9).unwrap(),
            (1.0f64 + 1e9).ln() / 1e9,
            1e-13,
        );
    }

    #[test]
    fn hyp2f1_is_none_beyond_floating_point() {
        // By Pfaff (DLMF 15.8.1), ₂F₁(c − s, a; c; z) = (1 − z)^−a ₂F₁(s, a; c; z/(z − 1)), and the
        // last factor is near 1 for small s: at a = 6,469, 1 − z = 0.896, the value is about
        // 0.896^−6469 ≈ e^710, past f64's largest (e^709.8). No value, rather than infinity.
        let (c, a, s, w) = (46_295.83, 6_469.25, 0.2999, 0.895_997_320_830_849_3);
        assert!(hyp2f1_complement(c - s, a, c, 1.0 - w, w).is_none());
        assert!(hyp2f1_with_grad(c - s, a, c, 1.0 - w, w).is_none());
    }

    #[test]
    fn hyp2f1_at_one_is_gauss_sum() {
        // DLMF 15.4.20; ₂F₁(1, 1; 3; 1) = Σ 2/((n+1)(n+2)) = 2 (telescoping).
        close(hyp2f1(1.0, 1.0, 3.0, 1.0).unwrap(), 2.0, 1e-14);
        // ₂F₁(1/2, 1/2; 3/2; 1) = arcsin(1) = π/2 (DLMF 15.4.4 at x = 1).
        close(
            hyp2f1(0.5, 0.5, 1.5, 1.0).unwrap(),
            std::f64::consts::FRAC_PI_2,
            1e-14,
        );
        // Chu–Vandermonde, a polynomial: ₂F₁(−2, b; c; 1) = (c−b)(c−b+1)/(c(c+1)) (DLMF 15.4.24).
        close(
            hyp2f1(-2.0, 0.5, 3.0, 1.0).unwrap(),
            2.5 * 3.5 / 12.0,
            1e-14,
        );
        // Divergent: c − a − b ≤ 0.
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_none());
    }

    /// The gradient at (a, b, c, z) against central differences of step `h` in a, b, c and `hz` in z,
    /// within `tolerance` (`tolerance_z` for z).
    fn check_gradient(point: [f64; 4], h: f64, hz: f64, tolerance: f64, tolerance_z: f64) {
        let [a, b, c, z] = point;
        let g = hyp2f1_with_grad(a, b, c, z, 1.0 - z).unwrap();
        let f = |a, b, c, z| hyp2f1(a, b, c, z).unwrap();
        close(g.value, f(a, b, c, z), 1e-15);
        let central = |up: f64, down: f64, step: f64| (up - down) / (2.0 * step);
        close(
            g.d_a,
            central(f(a + h, b, c, z), f(a - h, b, c, z), h),
            tolerance,
        );
        close(
            g.d_b,
            central(f(a, b + h, c, z), f(a, b - h, c, z), h),
            tolerance,
        );
        close(
            g.d_c,
            central(f(a, b, c + h, z), f(a, b, c - h, z), h),
            tolerance,
        );
        close(
            g.d_z,
            central(f(a, b, c, z + hz), f(a, b, c, z - hz), hz),
            tolerance_z,
        );
    }

    #[test]
    fn hyp2f1_gradient_matches_finite_differences() {
        check_gradient([3.4, 1.6, 4.4, 0.37], 1e-6, 1e-6, 1e-7, 1e-7);
    }

    #[test]
    fn hyp2f1_gradient_near_one_matches_finite_differences() {
        // Past the series (c − a − b = 0.3 − 2: the connection formula): the value-difference
        // derivatives, and d/dz = ab/c ₂F₁(a+1, b+1; c+1; z), against wider central differences.
        check_gradient([2.5, 0.8, 1.6, 0.99995], 1e-4, 1e-9, 1e-6, 1e-5);
    }

    #[test]
    fn hyp2f1_refuses_outside_its_domain() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_none());
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_none());
        assert!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5).is_none());
    }
}
