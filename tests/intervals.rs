//! Parameter uncertainty and predictive intervals (`predictIntervals`) on data simulated from known
//! BG/NBD parameters: the fits' 90 % parameter intervals cover the truth about 90 % of the time, the
//! per-customer purchase intervals cover simulated holdout purchases as often as the true model says
//! they should, and the Laplace and bootstrap draws agree.

mod common;

use clvlab::models::durations::DurationData;
use clvlab::models::gammagamma::GammaGamma;
use clvlab::models::{
    bgnbd, predict_intervals, Fit, IntervalOptions, Method, Model, Summary, ValueOptions,
};
use common::precision::MC_STANDARD_ERRORS;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The CDNOW estimates (Fader, Hardie & Lee 2005) as the truth of the simulations.
const TRUTH: bgnbd::BgNbd = bgnbd::BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

/// A simulated base: the calibration summary, and each customer's purchases in the holdout.
struct Simulated {
    summary: Summary,
    holdout: Vec<f64>,
}

/// `n` BG/NBD customers ([`common::bgnbd::customer`]), observed to week 39 and then for `holdout`
/// weeks more.
fn simulate(truth: &bgnbd::BgNbd, n: usize, holdout: f64, seed: u64) -> Simulated {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut s = Simulated {
        summary: Summary {
            frequency: Vec::new(),
            recency: Vec::new(),
            t: Vec::new(),
            weights: None,
        },
        holdout: Vec::new(),
    };
    for _ in 0..n {
        let c = common::bgnbd::customer(truth, holdout, &mut rng);
        s.summary.frequency.push(c.x);
        s.summary.recency.push(c.t_x);
        s.summary.t.push(c.t);
        s.holdout.push(c.later);
    }
    s
}

fn values(p: &bgnbd::BgNbd) -> [f64; 4] {
    [p.r, p.alpha, p.a, p.b]
}

fn fit(s: &Simulated) -> Fit {
    bgnbd::fit(&s.summary).unwrap()
}

#[test]
fn parameter_intervals_cover_the_truth_about_90_percent_of_the_time() {
    // 200 bases of 2,000 customers; each fit's 90 % interval on the log scale, ln θ̂ ± 1.645 se/θ̂ (the
    // scale the Laplace draws use). The count of covers is binomial(200, 0.9): sd 4.2.
    let (reps, z) = (200, 1.6449);
    let truth = values(&TRUTH);
    let mut covered = [0usize; 4];
    for rep in 0..reps {
        let f = fit(&simulate(&TRUTH, 2000, 0.0, 1000 + rep));
        let Model::Bgnbd(estimate) = f.model else {
            panic!()
        };
        let estimate = values(&estimate);
        for i in 0..4 {
            let se_log = f.covariance.matrix[i][i].sqrt() / estimate[i];
            if (truth[i].ln() - estimate[i].ln()).abs() <= z * se_log {
                covered[i] += 1;
            }
        }
    }
    let sd = (reps as f64 * 0.9 * 0.1).sqrt();
    for (name, &c) in ["r", "alpha", "a", "b"].iter().zip(&covered) {
        let expected = 0.9 * reps as f64;
        assert!(
            (c as f64 - expected).abs() <= MC_STANDARD_ERRORS * sd,
            "{name}: {c} of {reps} intervals cover the truth (expected {expected} ± {})",
            MC_STANDARD_ERRORS * sd
        );
    }
}

/// Gamma-Gamma spend at CDNOW's estimates (p 6.25, q 3.74, γ 15.44: Fader & Hardie's note "The
/// Gamma-Gamma model of monetary value", 2013), with a diagonal covariance (standard errors 0.5, 0.2
/// and 1).
const SPEND: GammaGamma = GammaGamma {
    p: 6.25,
    q: 3.74,
    gamma: 15.44,
};
fn spend_covariance() -> Vec<Vec<f64>> {
    vec![
        vec![0.25, 0.0, 0.0],
        vec![0.0, 0.04, 0.0],
        vec![0.0, 0.0, 1.0],
    ]
}

/// `matrix` times `k`.
fn scaled(matrix: &[Vec<f64>], k: f64) -> Vec<Vec<f64>> {
    matrix
        .iter()
        .map(|r| r.iter().map(|v| v * k).collect())
        .collect()
}

/// The value over `months` at 1 % a month, the summary in weeks.
fn monthly(months: f64) -> ValueOptions {
    ValueOptions {
        months,
        monthly_discount_rate: 0.01,
        units_per_month: 4.345,
    }
}

fn options(horizon: f64, method: Method, draws: f64) -> IntervalOptions {
    IntervalOptions {
        horizon,
        level: Some(0.9),
        draws: Some(draws),
        seed: Some(7.0),
        method,
        value: None,
    }
}

#[test]
fn purchase_intervals_cover_simulated_holdouts_as_the_model_says() {
    // 20,000 simulated customers, fitted on 39 weeks, intervals for the next 39. Each interval holds at
    // least 90 % of the predictive mass; under the true parameters it holds m_i = P(L_i ≤ Y_i ≤ U_i),
    // computed from the true model's conditional distribution. The holdouts, simulated from the truth,
    // fall inside as often as the m_i say: the count of covers has mean Σ m_i and variance
    // Σ m_i (1 − m_i).
    let s = simulate(&TRUTH, 20_000, 39.0, 42);
    let f = fit(&s);
    let out = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &options(39.0, Method::Laplace, 200.0),
        None,
    )
    .unwrap();
    let truth = Model::Bgnbd(TRUTH);
    let alive_model = truth.purchase_model().unwrap();
    let (mut covers, mut mean, mut variance) = (0.0, 0.0, 0.0);
    let mut pmf = clvlab::models::PmfTable::default();
    for i in 0..s.holdout.len() {
        let (x, t_x, t) = (s.summary.frequency[i], s.summary.recency[i], s.summary.t[i]);
        let (low, high) = (out.purchases_lower[i], out.purchases_upper[i]);
        assert!(low <= high && low.fract() == 0.0 && high.fract() == 0.0);
        clvlab::models::future_pmfs_if_alive(&[truth], x, t, 39.0, &mut pmf).unwrap();
        let alive = alive_model.prob_alive(x, t_x, t).unwrap();
        let m: f64 = (low as usize..=high as usize)
            .map(|y| alive * pmf.get(y, 0) + if y == 0 { 1.0 - alive } else { 0.0 })
            .sum();
        mean += m;
        variance += m * (1.0 - m);
        if (low..=high).contains(&s.holdout[i]) {
            covers += 1.0;
        }
    }
    let n = s.holdout.len() as f64;
    assert!(
        (covers - mean).abs() <= MC_STANDARD_ERRORS * variance.sqrt(),
        "{covers} of {n} holdouts inside their intervals; the true model expects {mean} ± {}",
        variance.sqrt()
    );
    // At least 90 % by construction (under the fitted model; under the truth within sampling error).
    assert!(mean / n >= 0.89, "mean mass {}", mean / n);
    // The base's total: the simulated holdout purchases within the 90 % interval of the total.
    let total: f64 = s.holdout.iter().sum();
    assert!(out.total.lower < out.total.mean && out.total.mean < out.total.upper);
    assert!(
        (out.total.lower..=out.total.upper).contains(&total),
        "total {total} outside [{}, {}]",
        out.total.lower,
        out.total.upper
    );
}

#[test]
fn laplace_and_bootstrap_draws_agree() {
    // The spread of P(alive) over Laplace draws and over bootstrap refits: both estimate the same
    // sampling distribution of the estimates, so their intervals agree to within the bootstrap's own
    // noise (200 refits: the 5th and 95th percentiles within 25 % of the Laplace width).
    let s = simulate(&TRUTH, 3000, 0.0, 9);
    let f = fit(&s);
    let laplace = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &options(39.0, Method::Laplace, 2000.0),
        None,
    )
    .unwrap();
    let bootstrap = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &options(39.0, Method::Bootstrap, 200.0),
        None,
    )
    .unwrap();
    let mut checked = 0;
    for i in 0..s.summary.frequency.len() {
        let width = laplace.prob_alive_upper[i] - laplace.prob_alive_lower[i];
        if width < 0.02 {
            continue;
        }
        checked += 1;
        let other = bootstrap.prob_alive_upper[i] - bootstrap.prob_alive_lower[i];
        assert!(
            (other - width).abs() <= 0.25 * width,
            "customer {i}: widths {width} and {other}"
        );
    }
    assert!(checked > 100, "{checked} customers with a visible interval");
    let (a, b) = (laplace.total, bootstrap.total);
    assert!(((b.upper - b.lower) - (a.upper - a.lower)).abs() <= 0.25 * (a.upper - a.lower));
}

#[test]
fn same_seed_same_intervals_and_bad_options_are_named() {
    let s = simulate(&TRUTH, 500, 0.0, 3);
    let f = fit(&s);
    let once = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &options(10.0, Method::Laplace, 100.0),
        None,
    )
    .unwrap();
    let again = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &options(10.0, Method::Laplace, 100.0),
        None,
    )
    .unwrap();
    assert_eq!(once, again);
    let bad = |o: IntervalOptions| {
        predict_intervals(&f.model, Some(&f.covariance.matrix), &s.summary, &o, None)
            .unwrap_err()
            .to_string()
    };
    let good = options(10.0, Method::Laplace, 100.0);
    assert!(bad(IntervalOptions {
        level: Some(1.0),
        ..good
    })
    .starts_with("level: must be between 0 and 1"));
    assert!(bad(IntervalOptions {
        draws: Some(0.0),
        ..good
    })
    .starts_with("draws:"));
    assert!(bad(IntervalOptions {
        draws: Some(20_000.0),
        ..good
    })
    .starts_with("draws:"));
    assert!(bad(IntervalOptions {
        horizon: 0.0,
        ..good
    })
    .starts_with("horizon:"));
    let mut flat = f.clone();
    flat.covariance.matrix[0][0] = -1.0;
    assert!(predict_intervals(
        &flat.model,
        Some(&flat.covariance.matrix),
        &s.summary,
        &good,
        None
    )
    .unwrap_err()
    .to_string()
    .starts_with("covariance: is not positive definite"));
}

#[test]
fn contractual_value_intervals_cover_the_true_value_about_90_percent_of_the_time() {
    // 200 cohorts of 1,000 customers from Fader & Hardie's (2007) regular segment (α 0.704, β 1.182),
    // 8 years observed, each fitted by sBG; the 90 % interval of the discounted expected lifetime
    // (margin 1, d = 0.1) from 400 draws, against the DEL at the true parameters.
    use clvlab::clv::{clv, ClvInput, Timing};
    use clvlab::models::{clv_intervals, sbg, DrawOptions};
    use clvlab::retention::Retention;
    let (alpha, beta) = (0.704, 1.182);
    let input = |alpha: f64, beta: f64| ClvInput {
        margin: 1.0,
        discount_rate: 0.1,
        retention: Retention::ShiftedBetaGeometric { alpha, beta },
        horizon: None,
        timing: Timing::End,
        margin_growth: 0.0,
        acquisition_cost: 0.0,
        renewals: None,
    };
    let truth = clv(&input(alpha, beta)).unwrap().clv;
    let churn = Beta::new(alpha, beta).unwrap();
    let reps = 200;
    let mut covered = 0;
    for rep in 0..reps {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5000 + rep);
        let mut survivors = [0.0f64; 8];
        for _ in 0..1000 {
            let theta: f64 = churn.sample(&mut rng);
            for s in &mut survivors {
                *s += 1.0;
                if rng.random::<f64>() < theta {
                    break;
                }
            }
        }
        let fit = sbg::fit(&DurationData::Survivors(survivors.to_vec())).unwrap();
        let Model::Sbg(p) = fit.fit.model else {
            panic!()
        };
        let options = DrawOptions {
            level: Some(0.9),
            draws: Some(400.0),
            seed: Some(rep as f64),
        };
        let out = clv_intervals(
            &input(p.alpha, p.beta),
            &fit.fit.covariance.matrix,
            &options,
        )
        .unwrap();
        assert!(out.clv.lower < out.clv.estimate && out.clv.estimate < out.clv.upper);
        if (out.clv.lower..=out.clv.upper).contains(&truth) {
            covered += 1;
        }
    }
    let sd = (f64::from(reps as u32) * 0.9 * 0.1).sqrt();
    let expected = 0.9 * reps as f64;
    assert!(
        (f64::from(covered) - expected).abs() <= MC_STANDARD_ERRORS * sd,
        "{covered} of {reps} intervals cover DEL {truth} (expected {expected} ± {})",
        MC_STANDARD_ERRORS * sd
    );
}

#[test]
fn the_holdout_scorecard_checks_the_intervals_it_would_draw() {
    // evaluateHoldout with intervals: its coverage is the share of customers whose simulated holdout
    // lies in predictIntervals' interval for them (the same draws: same seed), counted here.
    use clvlab::models::{evaluate_holdout, DrawOptions};
    let s = simulate(&TRUTH, 5000, 39.0, 77);
    let f = fit(&s);
    let draws = DrawOptions {
        level: Some(0.8),
        draws: Some(100.0),
        seed: Some(3.0),
    };
    let card = evaluate_holdout(
        &f.model,
        &s.summary,
        &s.holdout,
        39.0,
        Some((&f.covariance.matrix, &draws)),
        None,
    )
    .unwrap();
    let check = card.intervals.unwrap();
    let intervals = IntervalOptions {
        horizon: 39.0,
        level: Some(0.8),
        draws: Some(100.0),
        seed: Some(3.0),
        method: Method::Laplace,
        value: None,
    };
    let out = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &intervals,
        None,
    )
    .unwrap();
    let inside = (0..s.holdout.len())
        .filter(|&i| {
            out.purchases_lower[i] <= s.holdout[i] && s.holdout[i] <= out.purchases_upper[i]
        })
        .count();
    assert_eq!(check.coverage, inside as f64 / s.holdout.len() as f64);
    assert!(check.coverage >= 0.8 - 0.02, "coverage {}", check.coverage);
    assert_eq!(check.level, 0.8);
    assert_eq!(check.total, out.total);
    let actual: f64 = s.holdout.iter().sum();
    assert_eq!(
        check.total_inside,
        out.total.lower <= actual && actual <= out.total.upper
    );
    assert_eq!(card.total.actual, actual);
}

#[test]
fn value_intervals_hold_customer_value_and_shrink_with_the_covariance() {
    // clv at the estimates is customerValue's; each interval holds it when the draws are close to the
    // estimates (a covariance scaled down 10⁶ times: the interval narrows to within 2 % of the
    // value); the total's estimate is the sum of the customers' values.
    use clvlab::models::{customer_value, Spend};
    let s = simulate(&TRUTH, 400, 0.0, 5);
    let f = fit(&s);
    let n = s.summary.frequency.len();
    let monetary: Vec<f64> = (0..n).map(|i| 10.0 + (i % 7) as f64).collect();
    let spend = SPEND;
    let spend_covariance = spend_covariance();
    let value = monthly(12.0);
    let want = customer_value(&f.model, &spend, &s.summary, &monetary, &value).unwrap();
    let options = IntervalOptions {
        value: Some(value),
        ..options(10.0, Method::Laplace, 200.0)
    };
    let run = |purchase: &Vec<Vec<f64>>, spend_cov: &Vec<Vec<f64>>| {
        let spend = Spend {
            model: &spend,
            covariance: Some(spend_cov),
            monetary_value: &monetary,
        };
        predict_intervals(&f.model, Some(purchase), &s.summary, &options, Some(spend)).unwrap()
    };
    let wide = run(&f.covariance.matrix, &spend_covariance);
    let narrow = run(
        &scaled(&f.covariance.matrix, 1e-6),
        &scaled(&spend_covariance, 1e-6),
    );
    let (wide_clv, narrow_clv) = (wide.clv.unwrap(), narrow.clv.unwrap());
    assert_eq!(wide_clv.clv, want);
    for (i, &v) in want.iter().enumerate() {
        assert!(narrow_clv.lower[i] <= v * (1.0 + 1e-3) && v * (1.0 - 1e-3) <= narrow_clv.upper[i]);
        assert!(narrow_clv.upper[i] - narrow_clv.lower[i] <= 2e-2 * v, "{i}");
        assert!(wide_clv.upper[i] - wide_clv.lower[i] > narrow_clv.upper[i] - narrow_clv.lower[i]);
    }
    let total = wide.total.value.unwrap();
    assert!((total.estimate - want.iter().sum::<f64>()).abs() <= 1e-9 * total.estimate);
    assert!(total.lower < total.estimate && total.estimate < total.upper);
    // value without spendFit, and spendFit without value, are refused by name.
    let err = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &options,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("spendFit: is required"), "{err}");
}

#[test]
fn the_base_value_by_month_sums_customer_values_and_matches_the_total_interval() {
    // At draws close to the estimates (a covariance scaled down 10⁶ times), the base's value after
    // each month m is the sum of customerValue's over m months; at the full covariance, its 5th and
    // 95th percentiles over the draws are predictIntervals' 90 % interval of the base's value, from
    // the same seed, and the fan widens month by month.
    use clvlab::models::{customer_value, value_customer_base, BaseValueOptions, Spend};
    let s = simulate(&TRUTH, 300, 0.0, 9);
    let f = fit(&s);
    let n = s.summary.frequency.len();
    let monetary: Vec<f64> = (0..n).map(|i| 20.0 + (i % 5) as f64).collect();
    let spend_model = SPEND;
    let spend_covariance = spend_covariance();
    let value = monthly;
    let base = BaseValueOptions {
        value: value(6.0),
        draws: Some(300.0),
        seed: Some(4.0),
        method: Method::Laplace,
        target: None,
        level: None,
        segments: None,
    };
    let run = |k: f64, options: &BaseValueOptions| {
        let spend_cov = scaled(&spend_covariance, k);
        let spend = Spend {
            model: &spend_model,
            covariance: Some(&spend_cov),
            monetary_value: &monetary,
        };
        value_customer_base(
            &f.model,
            Some(&scaled(&f.covariance.matrix, k)),
            &s.summary,
            options,
            spend,
            None,
        )
    };
    let narrow = run(1e-6, &base).unwrap();
    for month in 1..=6 {
        let sum: f64 = customer_value(
            &f.model,
            &spend_model,
            &s.summary,
            &monetary,
            &value(month as f64),
        )
        .unwrap()
        .iter()
        .sum();
        let fan = &narrow.simulation.by_period;
        for got in [fan.mean[month - 1], fan.p5[month - 1], fan.p95[month - 1]] {
            assert!(
                (got - sum).abs() <= 2e-2 * sum,
                "month {month}: {got} against {sum}"
            );
        }
        if month == 6 {
            assert!((narrow.estimate - sum).abs() <= 1e-9 * sum);
        }
    }
    let wide = run(1.0, &base).unwrap();
    let total = predict_intervals(
        &f.model,
        Some(&f.covariance.matrix),
        &s.summary,
        &IntervalOptions {
            value: Some(value(6.0)),
            seed: Some(4.0),
            ..options(1.0, Method::Laplace, 300.0)
        },
        Some(Spend {
            model: &spend_model,
            covariance: Some(&spend_covariance),
            monetary_value: &monetary,
        }),
    )
    .unwrap()
    .total
    .value
    .unwrap();
    let equity = &wide.simulation.equity;
    assert!(
        (equity.mean - total.mean).abs() <= 1e-9 * total.mean,
        "{} {:?}",
        equity.mean,
        total
    );
    assert!((equity.percentiles.p5 - total.lower).abs() <= 1e-9 * total.mean);
    assert!((equity.percentiles.p95 - total.upper).abs() <= 1e-9 * total.mean);
    let fan = &wide.simulation.by_period;
    let widths: Vec<f64> = (0..6).map(|m| fan.p95[m] - fan.p5[m]).collect();
    assert!(
        widths.windows(2).all(|w| w[0] > 0.0 && w[1] > w[0]),
        "{widths:?}"
    );
    // Too many values by month, and a target that is not a number, are refused by name.
    let big = BaseValueOptions {
        value: value(1200.0),
        draws: Some(5000.0),
        ..base.clone()
    };
    let err = run(1.0, &big).unwrap_err().to_string();
    assert!(
        err.starts_with("draws: × value.months must be at most"),
        "{err}"
    );
    let nan = BaseValueOptions {
        target: Some(f64::NAN),
        ..base.clone()
    };
    assert!(run(1.0, &nan)
        .unwrap_err()
        .to_string()
        .starts_with("target:"));
}

#[test]
fn the_base_value_spreads_as_its_log_normal_spend_scale_says() {
    // Only the spend scale γ uncertain (ln γ ~ N(ln γ̂, 0.2²); the other parameters' variances 10⁻¹²
    // of their squares): E[M] is linear in γ (Gamma-Gamma: (γ + m x)·p/(p x + q − 1)), so the base's
    // value is V(γ) = A + B·γ, A and B from customerValue at two values of γ. Its p-quantile over the
    // draws is then V(γ̂·e^(0.2·z_p)): the z found from each reported percentile must be z_p within
    // four standard errors of a sample quantile of 400 draws, √(p(1−p)/n)/φ(z_p).
    use clvlab::models::{customer_value, value_customer_base, BaseValueOptions, Spend};
    let s = simulate(&TRUTH, 300, 0.0, 11);
    let f = fit(&s);
    let n = s.summary.frequency.len();
    let monetary: Vec<f64> = (0..n).map(|i| 20.0 + (i % 5) as f64).collect();
    let spend = SPEND;
    let sigma = 0.2;
    let spend_covariance = vec![
        vec![1e-12 * spend.p * spend.p, 0.0, 0.0],
        vec![0.0, 1e-12 * spend.q * spend.q, 0.0],
        vec![0.0, 0.0, (sigma * spend.gamma).powi(2)],
    ];
    let purchase_covariance = scaled(&f.covariance.matrix, 1e-12);
    let value = monthly(6.0);
    let draws = 400.0;
    let base = value_customer_base(
        &f.model,
        Some(&purchase_covariance),
        &s.summary,
        &BaseValueOptions {
            value,
            draws: Some(draws),
            seed: Some(3.0),
            method: Method::Laplace,
            target: None,
            level: None,
            segments: None,
        },
        Spend {
            model: &spend,
            covariance: Some(&spend_covariance),
            monetary_value: &monetary,
        },
        None,
    )
    .unwrap();
    let at = |gamma: f64| -> f64 {
        let model = GammaGamma { gamma, ..spend };
        customer_value(&f.model, &model, &s.summary, &monetary, &value)
            .unwrap()
            .iter()
            .sum()
    };
    let (v1, v2) = (at(10.0), at(20.0));
    let b = (v2 - v1) / 10.0;
    let a = v1 - 10.0 * b;
    let z_of = |v: f64| ((v - a) / b / spend.gamma).ln() / sigma;
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let p = &base.simulation.equity.percentiles;
    for (got, prob, z) in [
        (p.p5, 0.05, -1.644_853_6),
        (p.p50, 0.5, 0.0),
        (p.p95, 0.95, 1.644_853_6),
    ] {
        let se = (prob * (1.0 - prob) / draws).sqrt() / phi(z);
        let found = z_of(got);
        assert!(
            (found - z).abs() <= MC_STANDARD_ERRORS * se,
            "p = {prob}: z {found} against {z} (se {se})"
        );
    }
    // The mean: A + B·γ̂·e^(σ²/2), within four standard errors of a mean of 400 draws.
    let mean = a + b * spend.gamma * (0.5 * sigma * sigma).exp();
    let se = b * spend.gamma * sigma * (1.0 + sigma) / draws.sqrt();
    let got = base.simulation.equity.mean;
    assert!(
        (got - mean).abs() <= MC_STANDARD_ERRORS * se,
        "{got} against {mean}"
    );
}
