//! Every tolerance of the numeric tests, and the two asserts that apply them.
//!
//! A tolerance is [`Rel`] (a fraction of the wanted value) or [`Abs`] (in the value's units), so a
//! relative bound cannot be passed to an absolute check by mistake. Each constant says what it is for;
//! a new kind of comparison gets a new constant here, not a literal in a test.

/// A bound on `|got − want| / |want|`.
#[derive(Clone, Copy, Debug)]
pub struct Rel(pub f64);

/// A bound on `|got − want|`.
#[derive(Clone, Copy, Debug)]
pub struct Abs(pub f64);

// ---- exact arithmetic ----

/// One or two roundings from an exact decimal (f64 ε is 2.2e-16): about 4 ulps.
pub const ULPS: Rel = Rel(1e-15);
/// The same quantity by two routes of a few floating-point operations each: tens of ulps.
pub const ROUNDING: Rel = Rel(1e-14);
/// A finite sum, or a series stopped at `clv::SERIES_TOLERANCE` (1e-12 of the total), against its
/// closed form (geometric sums, margin multiples, annuities).
pub const CLOSED_FORM: Rel = Rel(1e-12);
/// A difference of closed-form values, relative to the difference: the values subtracted are about
/// ten times larger, so their 1e-12 becomes 1e-11 here, with a margin of ten.
pub const DIFFERENCE: Rel = Rel(1e-10);
/// A hypergeometric sum or a long series (up to 10,000 terms) against an independent evaluation
/// (mpmath 1.3, 30 digits, quoted to 15): ten times the series' stopping rule, for the rounding of
/// the terms.
pub const SERIES: Rel = Rel(1e-11);
/// The CLV table stops once the value left out is below 1e-6 of the total (`clv::TABLE_TOLERANCE`).
pub const TABLE_TAIL: Rel = Rel(1e-6);

// ---- roots ----

/// A break-even solved by bisection to a bracket of 1e-12 (`sensitivity::RETENTION_TOLERANCE`), or
/// by a closed form, against the exact root: the bracket and the rounding of the value near the root.
pub const ROOT: Abs = Abs(1e-11);
/// The net value at a solved break-even, in currency units of values around 10²: zero to the root's
/// precision times the value's slope.
pub const ROOT_RESIDUAL: Abs = Abs(1e-9);
/// The net value recomputed from the solved input of a break-even (another evaluation of the CLV at
/// the rounded root): a looser zero than [`ROOT_RESIDUAL`].
pub const ROOT_RECOMPUTED: Abs = Abs(1e-8);

// ---- published values ----

/// Half a unit of the fourth decimal: a value published to four decimals.
pub const PUBLISHED_4DP: Abs = Abs(5e-5);
/// Half a unit of the third decimal: a value published to three decimals.
pub const PUBLISHED_3DP: Abs = Abs(5e-4);
/// Half a unit of the second decimal: a value published to two decimals (or a parameter the source
/// states to ±0.005).
pub const PUBLISHED_2DP: Abs = Abs(5e-3);
/// `numpy.testing.assert_array_almost_equal(decimal=3)`, `|got − want| < 1.5e-3`: the check of the
/// reference tool's own test suite (lifetimes' `test_params_out_is_close_to_BTYDplus`).
pub const NUMPY_DECIMAL_3: Abs = Abs(1.5e-3);
/// A value published to two decimals and fitted from data themselves rounded (mean spends in
/// cents): twice the half unit.
pub const PUBLISHED_2DP_ROUNDED_DATA: Abs = Abs(1e-2);
/// A value published to two decimals whose sources differ in the second (the Pareto/NBD
/// log-likelihood on CDNOW: −9594.98 in the BTYD vignette, −9594.97 in tests/data/README.md): four
/// half units.
pub const PUBLISHED_2DP_SOURCES_DIFFER: Abs = Abs(2e-2);
/// Half a unit of the tenth decimal: a probability published to ten decimals (BTYD's `bgnbd.pmf`).
pub const PUBLISHED_10DP: Abs = Abs(5e-11);
/// Half a unit of the twelfth decimal: a probability published as 1.07869e-07.
pub const PUBLISHED_12DP: Abs = Abs(5e-13);
/// A fitted parameter published to three decimals in a flat direction of the likelihood (standard
/// error above 0.3: BG/NBD α and b, Pareto/NBD α and β, BG/BB δ): ten half units, for where
/// different optimisers stop on the plateau (the sources themselves differ there: Pareto/NBD β is
/// 11.669 in the BTYD vignette and 11.665 in tests/data/README.md).
pub const FLAT_OPTIMUM: Abs = Abs(5e-3);
/// A prediction the source made at its unrounded parameters (E[Y(52)] ≈ 25.76 of a customer with 26
/// purchases, three decimals), evaluated here at the parameters as published, rounded to three
/// decimals: rounding one parameter by 5e-4 moves such a prediction by up to 2.4e-4 of itself; ten
/// half units of the third decimal.
pub const AT_ROUNDED_PARAMETERS: Abs = Abs(5e-3);
/// A value computed from our fit against another tool's value from its own fit of the same data
/// (lifetimes 0.11): the fits differ in the fifth digit.
pub const OTHER_TOOLS_FIT: Abs = Abs(1e-2);
/// A parameter fitted here against another tool's fit of the same counts printed to four decimals
/// (scipy's L-BFGS-B, which stops where its projected gradient is below 1e-5, on the BdW's ridge
/// where the standard errors are 0.1–0.5): both reach the same log-likelihood to four decimals, and
/// the parameters agree within three units of the fourth.
pub const OTHER_OPTIMISER_4DP: Abs = Abs(3e-4);
/// A prediction of another tool (lifetimes 0.11.3, whose conditional expectations go through scipy's
/// hyp2f1) at the same parameters, averaged over customers: the two evaluations of the same formulas
/// agree to about 1e-12; a margin of a hundred.
pub const OTHER_TOOL_SAME_PARAMETERS: Rel = Rel(1e-10);
/// A parameter refitted after an exact change of the time unit (days for weeks) against the
/// rescaled first fit: both stop where the gradient is below 1e-7 of |ℓ|; this is under 1 % of the
/// parameters' relative standard errors (BG/NBD r 5 %, α 9 %).
pub const RESCALED_REFIT: Rel = Rel(4e-4);

/// A value from a survival computed by Simpson's rule on 20,000 intervals
/// ([`super::survival::bdw_survival`]) against the library's closed forms: the rule's error on these
/// smooth integrands is about 1e-12, summed over up to a few hundred periods.
pub const QUADRATURE: Rel = Rel(1e-9);

/// An expected gain averaged over an effect's range by Simpson's rule on 64 intervals
/// (`value_story::SIMPSON_INTERVALS`) against the exact integral: the integrands are polynomials in the
/// effect of degree up to the horizon (20 in the tests), over a narrow range, so the rule's error is
/// about 1e-11.
pub const SIMPSON_EFFECT: Rel = Rel(1e-9);

// ---- Monte Carlo ----

/// A simulated mean against its exact value with N = 10,000 customers and 2,000 runs: the mean's
/// relative standard error is below 0.05 %, so this is more than 10 standard errors (more than 4 with
/// margin uncertainty, where it is 0.11 %).
pub const MC_MEAN: Rel = Rel(5e-3);
/// A sample standard deviation over 2,000 near-normal runs against its exact value: its relative
/// standard error is 1/sqrt(2 · 2000) = 1.6 %, so this is more than 3 standard errors.
pub const MC_STD_DEV: Rel = Rel(5e-2);
/// A share of 2,000 runs against its probability 0.5: the binomial standard error is 0.011, so this
/// is more than 4 of them.
pub const MC_SHARE_OF_2000: Abs = Abs(0.05);
/// Standard errors allowed when the test computes the standard error itself: a normal deviate beyond
/// 4 has probability 6e-5.
pub const MC_STANDARD_ERRORS: f64 = 4.0;
/// The same simulated runs summed in another order (by period, by segment): rounding of sums of a
/// few thousand terms.
pub const SUMMATION_ORDER: Rel = Rel(1e-9);
/// Pearson's χ² with 5 degrees of freedom: its 0.999 quantile, 20.515, rounded down.
pub const CHI_SQUARE_5DF_999: f64 = 20.5;

impl Abs {
    /// [`MC_STANDARD_ERRORS`] standard errors.
    pub fn standard_errors(standard_error: f64) -> Abs {
        Abs(MC_STANDARD_ERRORS * standard_error)
    }
}

/// Asserts `|got − want| ≤ tol · |want|`; NaN fails, and `want = 0` asks for exactly 0.
#[track_caller]
pub fn assert_rel(what: &str, got: f64, want: f64, tol: Rel) {
    assert!(
        tol.0.is_finite() && (0.0..1.0).contains(&tol.0),
        "{what}: a relative tolerance of {} cannot fail",
        tol.0
    );
    let error = (got - want).abs() / want.abs();
    assert!(
        (got - want).abs() <= tol.0 * want.abs(),
        "{what}: got {got}, want {want}: relative error {error:e} > relative tolerance {:e}",
        tol.0
    );
}

/// Asserts `|got − want| ≤ tol`; NaN fails.
#[track_caller]
pub fn assert_abs(what: &str, got: f64, want: f64, tol: Abs) {
    assert!(
        tol.0.is_finite() && tol.0 >= 0.0,
        "{what}: absolute tolerance {} is not a bound",
        tol.0
    );
    let error = (got - want).abs();
    assert!(
        error <= tol.0,
        "{what}: got {got}, want {want}: absolute error {error:e} > absolute tolerance {:e}",
        tol.0
    );
}
