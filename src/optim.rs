//! Quasi-Newton minimisation (BFGS with a backtracking Armijo line search) for maximum-likelihood fits.
//!
//! The models optimise over the logarithms of their positive parameters, so the search is unconstrained;
//! the objective returns the negative log-likelihood and fills in its analytic gradient. A run reports why
//! it stopped ([`Reason`]) and how many iterations it took, never bare parameters. [`minimize`] tries the
//! starting points in turn until one converges. [`hessian`] differentiates the analytic gradient by
//! central differences, for standard errors; [`invert_spd`] inverts it (Cholesky), refusing a matrix that
//! is not positive definite, which is how a flat likelihood (unidentified parameters) shows up.
//!
//! Reference: Nocedal & Wright (2006), *Numerical Optimization*, 2nd ed., §3.1 (Armijo backtracking)
//! and §6.1 (BFGS, with the initial scaling of eq. 6.20).

/// Settings of the minimiser. Defaults: `max_iterations` 500, `gradient_tolerance` 1e-7 (relative to
/// `max(1, |f|)`), `max_log_parameter` 30 (a parameter beyond `e^±30` has run off to 0 or infinity),
/// `max_evaluations_per_start` 500 and `max_evaluations` 1,200.
///
/// The evaluation limits bound a fit's time by construction, whatever the data: every call of the
/// objective (with its gradient) counts, line-search trials included. A well-posed fit needs far
/// fewer (the CDNOW fits of the reference tests take 11 to 26); a run that reaches the limit of its
/// start stops with [`Reason::EvaluationLimit`], and when the total is spent no further start is tried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub max_iterations: usize,
    pub gradient_tolerance: f64,
    pub max_log_parameter: f64,
    /// Most objective evaluations in one run from one start.
    pub max_evaluations_per_start: usize,
    /// Most objective evaluations over all starts.
    pub max_evaluations: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_iterations: 500,
            gradient_tolerance: 1e-7,
            max_log_parameter: 30.0,
            max_evaluations_per_start: 500,
            max_evaluations: 1_200,
        }
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The gradient is zero to the tolerance: a minimum.
    GradientSmall,
    /// The line search could not decrease f any more, and the gradient is small at the precision of f.
    PrecisionLimit,
    /// The line search found no (or only negligible) decrease although the gradient is not small.
    LineSearchFailed,
    /// `max_iterations` reached.
    MaxIterations,
    /// `max_evaluations_per_start` or `max_evaluations` reached.
    EvaluationLimit,
    /// A parameter ran off towards 0 or infinity: the likelihood keeps rising along a flat direction.
    Unbounded,
    /// The objective is not finite at the starting point.
    BadStart,
    /// The stopping test passed at the starting point only through the scale `max(1, |f|)`: the
    /// gradient there is not small in itself, so the start is not taken for a minimum (an |f| that
    /// large comes from terms the parameters hardly move, not from a flat optimum).
    UnmovedStart,
}

impl Reason {
    /// Whether this reason means a minimum was found.
    pub fn converged(self) -> bool {
        matches!(self, Reason::GradientSmall | Reason::PrecisionLimit)
    }

    /// A sentence for error messages and fit reports.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::GradientSmall => "converged: gradient is zero to tolerance",
            Reason::PrecisionLimit => "converged: no further decrease at machine precision",
            Reason::LineSearchFailed => "did not converge: the line search found no decrease",
            Reason::MaxIterations => "did not converge: iteration limit reached",
            Reason::EvaluationLimit => {
                "did not converge: the limit on likelihood evaluations was reached"
            }
            Reason::Unbounded => {
                "did not converge: a parameter ran off to 0 or infinity (the likelihood is flat in that direction)"
            }
            Reason::BadStart => "did not converge: the likelihood is not finite at the starting point",
            Reason::UnmovedStart => {
                "did not converge: the starting point passed the stopping test only because the log-likelihood is so large in magnitude, not because its gradient is small"
            }
        }
    }
}

/// The end point of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub reason: Reason,
    /// How many starting points were tried (1 when the first converged).
    pub starts: usize,
    /// Objective evaluations over all the starts tried.
    pub evaluations: usize,
}

/// Minimises `f` (which returns the value and writes the gradient into its second argument) from each
/// of `starts` in turn, stopping at the first run that converges or when `max_evaluations` are spent;
/// if none converges, the run with the lowest value is returned with its (non-converged) reason.
/// Non-finite values count as +∞.
pub fn minimize<F>(mut f: F, starts: &[Vec<f64>], options: &Options) -> Minimum
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let mut best: Option<Minimum> = None;
    let mut evaluations = 0;
    for (i, start) in starts.iter().enumerate() {
        let left = options.max_evaluations.saturating_sub(evaluations);
        if left == 0 {
            break;
        }
        let mut budget = Budget {
            f: &mut f,
            left: left.min(options.max_evaluations_per_start),
            used: 0,
        };
        let mut run = bfgs(&mut budget, start, options);
        evaluations += budget.used;
        run.starts = i + 1;
        run.evaluations = evaluations;
        if run.reason.converged() {
            return run;
        }
        let better = best.as_ref().is_none_or(|b| run.value < b.value);
        if better {
            best = Some(run);
        }
    }
    let mut out = best.unwrap_or(Minimum {
        x: Vec::new(),
        value: f64::INFINITY,
        iterations: 0,
        reason: Reason::BadStart,
        starts: 0,
        evaluations: 0,
    });
    out.evaluations = evaluations;
    out
}

/// The objective with a count of the evaluations it has left.
struct Budget<'a, F> {
    f: &'a mut F,
    left: usize,
    used: usize,
}

impl<F: FnMut(&[f64], &mut [f64]) -> f64> Budget<'_, F> {
    /// f(x) (+∞ when not finite), writing the gradient; `None` once the budget is spent.
    fn eval(&mut self, x: &[f64], g: &mut [f64]) -> Option<f64> {
        if self.used == self.left {
            return None;
        }
        self.used += 1;
        Some(finite_or_inf((self.f)(x, g)))
    }
}

fn finite_or_inf(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        f64::INFINITY
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// The end of a line search from x along `dir`.
enum Step {
    /// A step meeting the Armijo condition, with the new value (x_new and g_new are filled in).
    Accepted(f64),
    /// No acceptable step in 40 trials.
    NoDecrease,
    /// The evaluation budget ran out.
    OutOfBudget,
}

/// Backtracking from the longest step allowed (1 in any coordinate) until f decreases enough
/// (Armijo, c₁ = 1e-4): halving after a finite value, shrinking tenfold after a non-finite one.
fn line_search<F: FnMut(&[f64], &mut [f64]) -> f64>(
    f: &mut Budget<'_, F>,
    x: &[f64],
    fx: f64,
    dir: &[f64],
    slope: f64,
    x_new: &mut [f64],
    g_new: &mut [f64],
) -> Step {
    let mut step = (1.0 / max_abs(dir)).min(1.0);
    for _ in 0..40 {
        for i in 0..x.len() {
            x_new[i] = x[i] + step * dir[i];
        }
        let Some(f_new) = f.eval(x_new, g_new) else {
            return Step::OutOfBudget;
        };
        if f_new <= fx + 1e-4 * step * slope && g_new.iter().all(|v| v.is_finite()) {
            return Step::Accepted(f_new);
        }
        step *= if f_new.is_finite() { 0.5 } else { 0.1 };
    }
    Step::NoDecrease
}

fn bfgs<F>(f: &mut Budget<'_, F>, start: &[f64], options: &Options) -> Minimum
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = start.len();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let done = |x: Vec<f64>, value, iterations, reason| Minimum {
        x,
        value,
        iterations,
        reason,
        starts: 1,
        evaluations: 0,
    };
    let Some(mut fx) = f.eval(&x, &mut g) else {
        return done(x, f64::INFINITY, 0, Reason::EvaluationLimit);
    };
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return done(x, fx, 0, Reason::BadStart);
    }
    // Inverse Hessian approximation, row-major.
    let mut h = identity(n);
    let mut first = true;
    let mut stalls = 0;
    let (mut x_new, mut g_new, mut dir) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for iteration in 0..options.max_iterations {
        let scale = fx.abs().max(1.0);
        if max_abs(&g) <= options.gradient_tolerance * scale {
            let reason = if iteration == 0 && max_abs(&g) > options.gradient_tolerance {
                Reason::UnmovedStart
            } else {
                Reason::GradientSmall
            };
            return done(x, fx, iteration, reason);
        }
        if max_abs(&x) > options.max_log_parameter {
            return done(x, fx, iteration, Reason::Unbounded);
        }
        mat_vec(&h, &g, &mut dir);
        dir.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&g, &dir);
        if slope >= 0.0 || slope.is_nan() {
            h = identity(n);
            dir.iter_mut().zip(&g).for_each(|(d, gi)| *d = -gi);
            slope = dot(&g, &dir);
        }
        let f_new = match line_search(f, &x, fx, &dir, slope, &mut x_new, &mut g_new) {
            Step::Accepted(f_new) => f_new,
            Step::NoDecrease => return done(x, fx, iteration, no_decrease(&g, scale)),
            Step::OutOfBudget => return done(x, fx, iteration, Reason::EvaluationLimit),
        };
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if first {
                let gamma = sy / dot(&y, &y);
                h = identity(n);
                h.iter_mut().for_each(|v| *v *= gamma);
                first = false;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        let stalled = fx - f_new <= 4.0 * f64::EPSILON * scale;
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        fx = f_new;
        stalls = if stalled { stalls + 1 } else { 0 };
        if stalls >= 3 {
            return done(x, fx, iteration + 1, no_decrease(&g, scale));
        }
    }
    done(x, fx, options.max_iterations, Reason::MaxIterations)
}

/// Why a run that can no longer decrease f stopped: at the limit of precision if the gradient is
/// within 100 times the tolerance of zero (1e-5 relative to |f|), otherwise a failed line search.
fn no_decrease(g: &[f64], scale: f64) -> Reason {
    if max_abs(g) <= 1e-5 * scale {
        Reason::PrecisionLimit
    } else {
        Reason::LineSearchFailed
    }
}

fn identity(n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        m[i * n + i] = 1.0;
    }
    m
}

fn mat_vec(m: &[f64], v: &[f64], out: &mut [f64]) {
    let n = v.len();
    for (i, o) in out.iter_mut().enumerate() {
        *o = dot(&m[i * n..(i + 1) * n], v);
    }
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1/(yᵀs) (Nocedal & Wright eq. 6.17).
fn bfgs_update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let mut hy = vec![0.0; n];
    mat_vec(h, y, &mut hy);
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

/// The Hessian of the function whose gradient `grad` computes, by central differences of the gradient
/// (step 1e-5 per coordinate), symmetrised. Row-major `n × n`.
pub fn hessian<G>(mut grad: G, x: &[f64]) -> Vec<f64>
where
    G: FnMut(&[f64], &mut [f64]),
{
    let n = x.len();
    let step = 1e-5;
    let mut hess = vec![0.0; n * n];
    let (mut plus, mut minus) = (vec![0.0; n], vec![0.0; n]);
    let mut point = x.to_vec();
    for j in 0..n {
        point[j] = x[j] + step;
        grad(&point, &mut plus);
        point[j] = x[j] - step;
        grad(&point, &mut minus);
        point[j] = x[j];
        for i in 0..n {
            hess[i * n + j] = (plus[i] - minus[i]) / (2.0 * step);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let mean = 0.5 * (hess[i * n + j] + hess[j * n + i]);
            hess[i * n + j] = mean;
            hess[j * n + i] = mean;
        }
    }
    hess
}

/// The inverse of a symmetric positive-definite `n × n` matrix by Cholesky; `None` when it is not
/// positive definite or is singular to working precision (a pivot below 1e-10 of the largest diagonal).
pub fn invert_spd(m: &[f64], n: usize) -> Option<Vec<f64>> {
    let max_diag = (0..n).map(|i| m[i * n + i]).fold(0.0, f64::max);
    if max_diag <= 0.0 || m.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Lower-triangular L with m = L Lᵀ.
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let sum = m[i * n + j] - dot(&l[i * n..i * n + j], &l[j * n..j * n + j]);
            if i == j {
                if sum <= 1e-10 * max_diag || sum.is_nan() {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    // Solve L Lᵀ X = I column by column.
    let mut inv = vec![0.0; n * n];
    let mut col = vec![0.0; n];
    for k in 0..n {
        for i in 0..n {
            let rhs = if i == k { 1.0 } else { 0.0 };
            col[i] = (rhs - dot(&l[i * n..i * n + i], &col[..i])) / l[i * n + i];
        }
        for i in (0..n).rev() {
            let tail: f64 = (i + 1..n).map(|j| l[j * n + i] * col[j]).sum();
            col[i] = (col[i] - tail) / l[i * n + i];
        }
        for i in 0..n {
            inv[i * n + k] = col[i];
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's function, minimum 0 at (1, 1) (Nocedal & Wright eq. 2.22).
    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let m = minimize(rosenbrock, &[vec![-1.2, 1.0]], &Options::default());
        assert_eq!(m.reason, Reason::GradientSmall);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5,
            "{:?}",
            m.x
        );
        assert!(m.iterations < 100);
    }

    #[test]
    fn tries_the_next_start_when_one_fails() {
        // Not finite left of 0: the first start is bad, the second converges to x = 2.
        let f = |x: &[f64], g: &mut [f64]| {
            if x[0] <= 0.0 {
                return f64::NAN;
            }
            g[0] = 2.0 * (x[0] - 2.0);
            (x[0] - 2.0).powi(2)
        };
        let m = minimize(f, &[vec![-1.0], vec![1.0]], &Options::default());
        assert!(m.reason.converged());
        assert_eq!(m.starts, 2);
        assert!((m.x[0] - 2.0).abs() < 1e-6);
    }

    #[test]
    fn reports_a_parameter_running_off() {
        // −x²/(1+x²) keeps decreasing towards −1 as x grows, with a gradient ~2/x³ that stays above
        // the tolerance: x runs off.
        let f = |x: &[f64], g: &mut [f64]| {
            let u = 1.0 + x[0] * x[0];
            g[0] = -2.0 * x[0] / (u * u);
            -x[0] * x[0] / u
        };
        let m = minimize(f, &[vec![1.0]], &Options::default());
        assert!(!m.reason.converged());
    }

    #[test]
    fn stops_at_the_evaluation_limits() {
        // The runaway function of the test above with a budget of 7 per start and 10 in all: the
        // second start gets the 3 left, and no third start is tried.
        let count = std::cell::Cell::new(0);
        let f = |x: &[f64], g: &mut [f64]| {
            count.set(count.get() + 1);
            let u = 1.0 + x[0] * x[0];
            g[0] = -2.0 * x[0] / (u * u);
            -x[0] * x[0] / u
        };
        let options = Options {
            max_evaluations_per_start: 7,
            max_evaluations: 10,
            ..Options::default()
        };
        let m = minimize(f, &[vec![1.0], vec![2.0], vec![3.0]], &options);
        assert_eq!(m.reason, Reason::EvaluationLimit);
        assert_eq!(count.get(), 10);
        assert_eq!(m.evaluations, 10);
    }

    #[test]
    fn a_start_that_passes_only_by_the_scale_of_f_is_not_a_minimum() {
        // f = 10¹⁰ + (x − 3)²: at x = 0 the gradient −6 is below 1e-7 · |f| = 1000, but not small.
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (x[0] - 3.0);
            1e10 + (x[0] - 3.0).powi(2)
        };
        let m = minimize(f, &[vec![0.0]], &Options::default());
        assert_eq!(m.reason, Reason::UnmovedStart);
        assert!(!m.reason.converged());
        assert_eq!(m.iterations, 0);
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic() {
        // f = ½ xᵀ A x with A = [[4, 1], [1, 3]]: Hessian A, inverse [[3, −1], [−1, 4]]/11.
        let grad = |x: &[f64], g: &mut [f64]| {
            g[0] = 4.0 * x[0] + x[1];
            g[1] = x[0] + 3.0 * x[1];
        };
        let h = hessian(grad, &[0.3, -0.2]);
        for (got, want) in h.iter().zip([4.0, 1.0, 1.0, 3.0]) {
            assert!((got - want).abs() < 1e-8);
        }
        let inv = invert_spd(&h, 2).unwrap();
        for (got, want) in inv
            .iter()
            .zip([3.0 / 11.0, -1.0 / 11.0, -1.0 / 11.0, 4.0 / 11.0])
        {
            assert!((got - want).abs() < 1e-8);
        }
        assert!(invert_spd(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
