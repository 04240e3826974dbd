//! Subscriptions: the sBG and beta-discrete-Weibull retention fits on data simulated from known
//! parameters, and against the published fits (provenance in `tests/data/README.md`).

mod common;

use clvlab::models::bdw::{self, Bdw};
use clvlab::models::durations::DurationData;
use clvlab::models::{sbg, Fit, Model};
use common::precision::{assert_abs, Abs};
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Subscribers simulated from the BdW (Fader et al. 2018, eq. 3): θ ~ Beta(γ, δ), and a subscriber of
/// tenure t − 1 churns in period t with probability 1 − (1 − θ)^(t^c − (t − 1)^c). Three cohorts of
/// `per_cohort` acquired one period apart are observed to period `periods` (so for `periods`,
/// `periods − 1` and `periods − 2` periods): one row per subscriber.
fn simulate(truth: Bdw, per_cohort: usize, periods: u32, seed: u64) -> DurationData {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let churn = Beta::new(truth.gamma, truth.delta).unwrap();
    let (mut tenure, mut churned) = (Vec::new(), Vec::new());
    for observed in [periods, periods - 1, periods - 2] {
        for _ in 0..per_cohort {
            let theta: f64 = churn.sample(&mut rng);
            let lost = (1..=observed).find(|&t| {
                let exposure = f64::from(t).powf(truth.c) - f64::from(t - 1).powf(truth.c);
                rng.random::<f64>() < 1.0 - (1.0 - theta).powf(exposure)
            });
            tenure.push(f64::from(lost.unwrap_or(observed)));
            churned.push(if lost.is_some() { 1.0 } else { 0.0 });
        }
    }
    DurationData::Customers {
        tenure,
        churned,
        weights: None,
    }
}

fn params(fit: &Fit) -> Vec<f64> {
    fit.model.named_params().1
}

/// From 30,000 simulated subscribers in three censored cohorts, the BdW fit recovers each parameter
/// to within [`common::precision::MC_STANDARD_ERRORS`] of its own standard errors, for churn that
/// rises (c > 1) and falls (c < 1) with tenure.
#[test]
fn the_bdw_fit_recovers_known_parameters_from_censored_cohorts() {
    for (seed, truth) in [
        (
            1,
            Bdw {
                gamma: 0.8,
                delta: 2.5,
                c: 1.4,
            },
        ),
        (
            2,
            Bdw {
                gamma: 1.5,
                delta: 4.0,
                c: 0.6,
            },
        ),
    ] {
        let data = simulate(truth, 10_000, 12, seed);
        let fit = bdw::fit(&data).unwrap().fit;
        for ((name, se), (got, want)) in fit.standard_errors.iter().zip(
            params(&fit)
                .into_iter()
                .zip(Model::Bdw(truth).named_params().1),
        ) {
            assert_abs(name, got, want, Abs::standard_errors(se.unwrap()));
        }
    }
}

/// Data simulated with c = 1 are sBG data: the BdW fit's c is 1 within its standard errors, and its
/// (γ, δ) agree with the sBG fit's (α, β) within theirs.
#[test]
fn on_sbg_data_the_bdw_fit_finds_c_one() {
    let truth = Bdw {
        gamma: 0.7,
        delta: 1.2,
        c: 1.0,
    };
    let data = simulate(truth, 10_000, 10, 3);
    let fit = bdw::fit(&data).unwrap().fit;
    let sbg = sbg::fit(&data).unwrap().fit;
    let Model::Sbg(sbg_params) = sbg.model else {
        panic!("an sBG fit")
    };
    let p = params(&fit);
    let se: Vec<f64> = fit
        .standard_errors
        .iter()
        .map(|(_, s)| s.unwrap())
        .collect();
    assert_abs("c", p[2], 1.0, Abs::standard_errors(se[2]));
    assert_abs("gamma", p[0], sbg_params.alpha, Abs::standard_errors(se[0]));
    assert_abs("delta", p[1], sbg_params.beta, Abs::standard_errors(se[1]));
    // Nested models: the BdW's maximum is at least the sBG's.
    assert!(fit.log_likelihood >= sbg.log_likelihood - 1e-9);
}
