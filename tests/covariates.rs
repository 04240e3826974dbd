//! Covariate fits (`fitBgNbd(summary, { covariates })`) on data simulated from known BG/NBD
//! parameters and covariate effects: the coefficients' 2-standard-error intervals cover the truth
//! about 95 % of the time (BG/NBD, and Gamma-Gamma's spend coefficient), a numeric covariate is
//! recovered, and fits of each level alone agree in direction with the covariate fit.

mod common;

use clvlab::data::Attribute;
use clvlab::models::bgnbd::{self, BgNbd};
use clvlab::models::covariates::{self, CovariateFit, CovariateOptions, Process};
use clvlab::models::gammagamma::SpendData;
use clvlab::models::{Model, Summary};
use common::precision::MC_STANDARD_ERRORS;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The CDNOW estimates (Fader, Hardie & Lee 2005) as the base customer's parameters.
const BASE: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};
/// The true purchase and dropout coefficients.
const GAMMA_PURCHASE: f64 = 0.6;
const GAMMA_DROPOUT: f64 = 0.5;

/// The parameters of a customer with covariate value z, in CLVTools' form.
fn at(z: f64) -> BgNbd {
    let dropout = (GAMMA_DROPOUT * z).exp();
    BgNbd {
        r: BASE.r,
        alpha: BASE.alpha * (-GAMMA_PURCHASE * z).exp(),
        a: BASE.a * dropout,
        b: BASE.b * dropout,
    }
}

/// `n` customers, customer i with covariate value `z(i, rng)`: their summary and values.
fn simulate(
    n: usize,
    seed: u64,
    z: impl Fn(usize, &mut Xoshiro256PlusPlus) -> f64,
) -> (Summary, Vec<f64>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut summary = Summary::default();
    let mut values = Vec::new();
    for i in 0..n {
        let value = z(i, &mut rng);
        let c = common::bgnbd::customer(&at(value), 0.0, &mut rng);
        summary.frequency.push(c.x);
        summary.recency.push(c.t_x);
        summary.t.push(c.t);
        values.push(value);
    }
    (summary, values)
}

/// Every other customer at "shop" (z = 1), the rest at "web" (z = 0, the reference, first seen).
fn alternate(i: usize, _: &mut Xoshiro256PlusPlus) -> f64 {
    (i % 2) as f64
}

fn channel(values: &[f64]) -> Vec<(String, Attribute)> {
    vec![(
        "channel".to_owned(),
        Attribute::Categorical {
            levels: vec!["web".to_owned(), "shop".to_owned()],
            codes: values.iter().map(|&z| z as u32).collect(),
        },
    )]
}

fn fit(summary: &Summary, attributes: &[(String, Attribute)], name: &str) -> CovariateFit {
    let options = CovariateOptions {
        covariates: vec![name.to_owned()],
    };
    covariates::fit("bgnbd", summary, attributes, &options).unwrap()
}

/// The estimate and standard error of the coefficient of `process`.
fn coefficient(fit: &CovariateFit, process: Process) -> (f64, f64) {
    let c = fit
        .coefficients
        .iter()
        .find(|c| c.process == process)
        .unwrap();
    (c.estimate, c.standard_error)
}

#[test]
fn two_standard_error_intervals_cover_the_true_coefficients_about_95_percent_of_the_time() {
    // 300 bases of 2,000 customers; the count of covers is binomial(300, 0.9545): sd 3.6.
    let reps = 300;
    let mut covered = [0usize; 2];
    for rep in 0..reps {
        let (summary, values) = simulate(2000, 5000 + rep, alternate);
        let f = fit(&summary, &channel(&values), "channel");
        for (k, (process, truth)) in [
            (Process::Purchase, GAMMA_PURCHASE),
            (Process::Dropout, GAMMA_DROPOUT),
        ]
        .into_iter()
        .enumerate()
        {
            let (estimate, se) = coefficient(&f, process);
            if (estimate - truth).abs() <= 2.0 * se {
                covered[k] += 1;
            }
        }
    }
    let p = 0.9545;
    let sd = (reps as f64 * p * (1.0 - p)).sqrt();
    for (name, &c) in ["purchase", "dropout"].iter().zip(&covered) {
        let expected = p * reps as f64;
        assert!(
            (c as f64 - expected).abs() <= MC_STANDARD_ERRORS * sd,
            "{name}: {c} of {reps} intervals cover the truth (expected {expected:.1} ± {:.1})",
            MC_STANDARD_ERRORS * sd
        );
    }
}

#[test]
fn a_numeric_covariate_is_recovered_and_the_likelihood_ratio_test_sees_it() {
    // Values uniform on (−1, 1), so the centre is near 0 and the base near the truth's.
    let (summary, values) = simulate(8000, 77, |_, rng| rng.random_range(-1.0..1.0));
    let attributes = vec![("income".to_owned(), Attribute::Numeric { values })];
    let f = fit(&summary, &attributes, "income");
    for (process, truth) in [
        (Process::Purchase, GAMMA_PURCHASE),
        (Process::Dropout, GAMMA_DROPOUT),
    ] {
        let (estimate, se) = coefficient(&f, process);
        assert!(
            (estimate - truth).abs() <= MC_STANDARD_ERRORS * se,
            "{process:?}: {estimate} ± {se}, truth {truth}"
        );
    }
    assert_eq!(f.likelihood_ratio.degrees_of_freedom, 2);
    assert!(
        f.likelihood_ratio.p_value < 1e-6,
        "{:?}",
        f.likelihood_ratio
    );
    assert!(f.log_likelihood > f.without_covariates.log_likelihood);
    // The covariance's diagonal is the squares of the standard errors.
    let (_, se) = coefficient(&f, Process::Purchase);
    assert_eq!(f.covariance.names[4], "purchase:income");
    assert!((f.covariance.matrix[4][4] - se * se).abs() <= 1e-12 * se * se);
}

#[test]
fn fits_of_each_level_alone_agree_in_direction_with_the_covariate_fit() {
    let (summary, values) = simulate(8000, 78, alternate);
    let f = fit(&summary, &channel(&values), "channel");
    let level = |z: f64| {
        let keep: Vec<usize> = (0..values.len()).filter(|&i| values[i] == z).collect();
        let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect();
        let part = Summary {
            frequency: pick(&summary.frequency),
            recency: pick(&summary.recency),
            t: pick(&summary.t),
            weights: None,
        };
        let Model::Bgnbd(p) = bgnbd::fit(&part).unwrap().model else {
            panic!()
        };
        p
    };
    let (web, shop) = (level(0.0), level(1.0));
    let (purchase, _) = coefficient(&f, Process::Purchase);
    let (dropout, _) = coefficient(&f, Process::Dropout);
    // A positive purchase coefficient is a smaller α at "shop", a positive dropout one larger a, b.
    assert!(
        purchase > 0.0 && shop.alpha < web.alpha,
        "{purchase} {shop:?} {web:?}"
    );
    assert!(
        dropout > 0.0 && shop.a + shop.b > web.a + web.b,
        "{dropout} {shop:?} {web:?}"
    );
}

/// Gamma-Gamma spend at CDNOW's estimates (p 6.25, q 3.74, γ 15.44: Fader & Hardie's note "The
/// Gamma-Gamma model of monetary value", 2013) for the reference level, γ·e^δ at "shop".
const SPEND_DELTA: f64 = 0.4;

/// `n` customers alternating between the levels, each with 1–10 repeat transactions (uniform): ν ~
/// Gamma(q, rate γ·e^(δz)), each transaction Gamma(p, rate ν); their count, mean and level.
fn simulate_spend(n: usize, seed: u64) -> (SpendData, Vec<f64>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let (p, q, gamma) = (6.25, 3.74, 15.44);
    let mut data = SpendData::default();
    let mut values = Vec::new();
    for i in 0..n {
        let z = alternate(i, &mut rng);
        let rate = gamma * (SPEND_DELTA * z).exp();
        let nu: f64 = Gamma::new(q, 1.0 / rate).unwrap().sample(&mut rng);
        let x = rng.random_range(1..=10);
        let each = Gamma::new(p, 1.0 / nu).unwrap();
        let total: f64 = (0..x).map(|_| each.sample(&mut rng)).sum();
        data.frequency.push(x as f64);
        data.monetary_value.push(total / x as f64);
        values.push(z);
    }
    (data, values)
}

#[test]
fn the_spend_coefficients_intervals_cover_the_truth_about_95_percent_of_the_time() {
    // 300 bases of 1,000 customers; binomial(300, 0.9545) covers: sd 3.6.
    let reps = 300;
    let mut covered = 0;
    let options = CovariateOptions {
        covariates: vec!["channel".to_owned()],
    };
    for rep in 0..reps {
        let (data, values) = simulate_spend(1000, 9000 + rep);
        let f = covariates::fit_spend(&data, &channel(&values), &options)
            .unwrap()
            .fit;
        let (estimate, se) = coefficient(&f, Process::Spend);
        if (estimate - SPEND_DELTA).abs() <= 2.0 * se {
            covered += 1;
        }
    }
    let p = 0.9545;
    let sd = (reps as f64 * p * (1.0 - p)).sqrt();
    let expected = p * reps as f64;
    assert!(
        (covered as f64 - expected).abs() <= MC_STANDARD_ERRORS * sd,
        "{covered} of {reps} intervals cover the truth (expected {expected:.1} ± {:.1})",
        MC_STANDARD_ERRORS * sd
    );
}
