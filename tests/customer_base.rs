//! The customer base at three levels (`valueCustomerBase`): its segments against `customerValue` and
//! `predict` of their customers, a new customer and the cohorts to come against Pareto/NBD's closed
//! form E[X(t)] (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and related
//! expressions", eq. 17) and Gupta, Lehmann & Stuart's (2004) sum, and the errors of bad plans.

mod common;

use std::collections::BTreeMap;

use clvlab::models::gammagamma::GammaGamma;
use clvlab::models::{
    customer_value, paretonbd, value_customer_base, BaseValue, BaseValueOptions, Fit, Method,
    Model, SegmentPlan, Segmentation, Spend, Summary, ValueOptions,
};
use common::bgnbd::customer;
use common::precision::{assert_abs, assert_rel, Abs, CLOSED_FORM, ROUNDING};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The spend model the customers are valued with (a CDNOW-like Gamma-Gamma).
const SPEND: GammaGamma = GammaGamma {
    p: 6.25,
    q: 3.74,
    gamma: 15.45,
};

/// A year of months, 1 % a month, weeks as the model's unit.
const VALUE: ValueOptions = ValueOptions {
    months: 12.0,
    monthly_discount_rate: 0.01,
    units_per_month: 4.345,
};

/// The segments: A, B and C take every third customer; D has none.
const LEVELS: [&str; 4] = ["A", "B", "C", "D"];

struct Base {
    summary: Summary,
    monetary: Vec<f64>,
    fit: Fit,
    codes: Vec<u32>,
    levels: Vec<String>,
}

/// 600 customers simulated from a BG/NBD, fitted with Pareto/NBD (whose E[X(t)] has a closed form).
fn base() -> Base {
    let truth = clvlab::models::bgnbd::BgNbd {
        r: 0.25,
        alpha: 4.0,
        a: 0.8,
        b: 2.5,
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
    let customers: Vec<_> = (0..600).map(|_| customer(&truth, 0.0, &mut rng)).collect();
    let summary = Summary {
        frequency: customers.iter().map(|c| c.x).collect(),
        recency: customers.iter().map(|c| c.t_x).collect(),
        t: customers.iter().map(|c| c.t).collect(),
        weights: None,
    };
    let monetary = (0..600)
        .map(|i| {
            if summary.frequency[i] > 0.0 {
                20.0 + (i % 7) as f64
            } else {
                0.0
            }
        })
        .collect();
    let fit = paretonbd::fit(&summary).unwrap();
    Base {
        summary,
        monetary,
        fit,
        codes: (0..600).map(|i| (i % 3) as u32).collect(),
        levels: LEVELS.iter().map(|s| s.to_string()).collect(),
    }
}

fn options(segments: &[(&str, SegmentPlan)]) -> BaseValueOptions {
    BaseValueOptions {
        value: VALUE,
        draws: Some(200.0),
        seed: Some(5.0),
        method: Method::Laplace,
        target: None,
        level: None,
        segments: Some(
            segments
                .iter()
                .map(|(name, plan)| (name.to_string(), *plan))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// The spend covariance: each parameter's standard error 5 % of it, times `k`.
fn spend_covariance(k: f64) -> Vec<Vec<f64>> {
    let p = [SPEND.p, SPEND.q, SPEND.gamma];
    (0..3)
        .map(|i| {
            (0..3)
                .map(|j| {
                    if i == j {
                        k * (0.05 * p[i]).powi(2)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

fn value(b: &Base, options: &BaseValueOptions, k: f64) -> Result<BaseValue, String> {
    value_by(b, options, k, true)
}

/// The base valued by its letter segments, or (`segmented` false) as one segment.
fn value_by(
    b: &Base,
    options: &BaseValueOptions,
    k: f64,
    segmented: bool,
) -> Result<BaseValue, String> {
    let purchase: Vec<Vec<f64>> = b
        .fit
        .covariance
        .matrix
        .iter()
        .map(|row| row.iter().map(|v| k * v).collect())
        .collect();
    let spend_covariance = spend_covariance(k);
    value_customer_base(
        &b.fit.model,
        Some(&purchase),
        &b.summary,
        options,
        Spend {
            model: &SPEND,
            covariance: Some(&spend_covariance),
            monetary_value: &b.monetary,
        },
        segmented.then_some(Segmentation {
            by: "letter",
            levels: &b.levels,
            codes: &b.codes,
        }),
    )
    .map_err(|e| e.to_string())
}

/// N(h), h = 0 … months: a new customer's acquisition purchase at E[M] = pγ/(q − 1) and their
/// discounted repeat purchases, from Pareto/NBD's E[X(t)] = rβ / (α(s − 1)) · (1 − (β/(β + t))^(s − 1)).
fn new_customer_path(model: &Model) -> Vec<f64> {
    let Model::Paretonbd(m) = model else {
        panic!("a Pareto/NBD fit")
    };
    let expected = |t: f64| {
        m.r * m.beta / (m.alpha * (m.s - 1.0)) * (1.0 - (m.beta / (m.beta + t)).powf(m.s - 1.0))
    };
    let mean_spend = SPEND.p * SPEND.gamma / (SPEND.q - 1.0);
    let mut path = vec![mean_spend];
    let mut value = 1.0;
    for month in 1..=VALUE.months as i32 {
        let t = f64::from(month) * VALUE.units_per_month;
        let before = f64::from(month - 1) * VALUE.units_per_month;
        value += (expected(t) - expected(before)) / (1.0 + VALUE.monthly_discount_rate).powi(month);
        path.push(mean_spend * value);
    }
    path
}

#[test]
fn segments_are_their_customers_values_and_add_up_to_the_base() {
    let b = base();
    let out = value(&b, &options(&[]), 1.0).unwrap();
    let clv = customer_value(&b.fit.model, &SPEND, &b.summary, &b.monetary, &VALUE).unwrap();
    let predictions = b
        .fit
        .model
        .predict(&b.summary, VALUE.months * VALUE.units_per_month)
        .unwrap();
    let total: f64 = clv.iter().sum();
    assert_rel("base", out.estimate, total, ROUNDING);
    assert_eq!(out.segment_by.as_deref(), Some("letter"));
    let names: Vec<&str> = out.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, LEVELS);
    let mut share_sum = 0.0;
    let mut mean_sum = 0.0;
    for (s, segment) in out.segments.iter().enumerate().take(3) {
        let members: Vec<usize> = (0..600).filter(|i| i % 3 == s).collect();
        let mut values: Vec<f64> = members.iter().map(|&i| clv[i]).collect();
        let equity: f64 = values.iter().sum();
        assert_eq!(segment.customers, 200.0);
        assert_rel("equity", segment.equity.estimate, equity, ROUNDING);
        assert_rel(
            "share",
            segment.share_of_base.estimate,
            equity / total,
            ROUNDING,
        );
        share_sum += segment.share_of_base.estimate;
        mean_sum += segment.equity.mean;
        let spread = segment.clv.as_ref().unwrap();
        assert_rel("mean clv", spread.mean, equity / 200.0, ROUNDING);
        // 200 customers: the k-th decile is the (20k)-th smallest value.
        values.sort_by(f64::total_cmp);
        for (k, &decile) in spread.deciles.iter().enumerate() {
            assert_eq!(decile, values[20 * (k + 1) - 1], "decile {}", k + 1);
        }
        let mean = |f: &dyn Fn(usize) -> f64| members.iter().map(|&i| f(i)).sum::<f64>() / 200.0;
        let purchases = mean(&|i| predictions.expected_purchases[i]);
        assert_rel(
            "purchases",
            segment.expected_purchases.unwrap(),
            purchases,
            ROUNDING,
        );
        let alive = mean(&|i| predictions.prob_alive[i]);
        assert_rel("P(alive)", segment.prob_alive.unwrap(), alive, ROUNDING);
        for (band, &share) in segment.prob_alive_mix.iter().enumerate() {
            let (low, high) = (band as f64 / 4.0, (band + 1) as f64 / 4.0);
            let within = mean(&|i| {
                let p = predictions.prob_alive[i];
                f64::from(u8::from(p >= low && (p < high || band == 3)))
            });
            assert_rel("P(alive) mix", share, within, ROUNDING);
        }
        assert!(segment.equity.lower < segment.equity.upper);
    }
    assert_rel("shares", share_sum, 1.0, ROUNDING);
    // At each draw the segments sum to the base: so do their means.
    assert_rel(
        "mean over the draws",
        mean_sum,
        out.simulation.equity.mean,
        ROUNDING,
    );
    assert_rel(
        "aggregate",
        out.aggregate.current_equity.estimate,
        total,
        ROUNDING,
    );
    assert!(out.aggregate.future_equity.is_none() && out.aggregate.equity_share.is_none());
    // The empty segment is there, worth nothing, with no statistics of customers it does not have.
    let empty = &out.segments[3];
    assert_eq!(empty.customers, 0.0);
    assert!(empty.clv.is_none() && empty.expected_purchases.is_none());
    assert_eq!(empty.equity.estimate, 0.0);
    assert_eq!(empty.prob_alive_mix, [0.0; 4]);
    assert_eq!(out.customers.clv, clv);
}

#[test]
fn new_customers_and_cohorts_to_come_are_worth_what_the_closed_form_says() {
    let b = base();
    let path = new_customer_path(&b.fit.model);
    let n_m = path[12];
    let plan = |cost: Option<f64>, rate: Option<f64>, rival: Option<f64>| SegmentPlan {
        acquisition_cost: cost,
        new_customers_per_month: rate,
        competitor_equity: rival,
    };
    // A's cost is met by the acquisition purchase; B's three months on (if the model says so); C
    // costs more than a year's value.
    let cost_b = path[3] - 1e-9 * path[3];
    let out = value(
        &b,
        &options(&[
            ("A", plan(Some(10.0), Some(50.0), Some(1e5))),
            ("B", plan(Some(cost_b), None, Some(2e5))),
            ("C", plan(Some(2.0 * n_m), Some(20.0), None)),
        ]),
        1.0,
    )
    .unwrap();
    assert_rel(
        "N(M)",
        out.aggregate.new_customer_value.estimate,
        n_m,
        CLOSED_FORM,
    );
    let [a, bb, c] = [&out.segments[0], &out.segments[1], &out.segments[2]];
    let acquisition = |s: &clvlab::models::BaseSegment| s.acquisition.clone().unwrap();
    assert_eq!(acquisition(a).payback_months, Some(0));
    assert_eq!(acquisition(bb).payback_months, Some(3));
    assert_eq!(acquisition(c).payback_months, None);
    assert_rel(
        "LTV:CAC",
        acquisition(a).ltv_to_cac.estimate,
        n_m / 10.0,
        CLOSED_FORM,
    );
    assert_rel(
        "next dollar",
        acquisition(c).next_dollar.estimate,
        -0.5,
        CLOSED_FORM,
    );
    // Ranked: the cheapest acquisition's next dollar first.
    let ranked: Vec<&str> = out.next_dollar.iter().map(|n| n.segment.as_str()).collect();
    assert_eq!(ranked, ["A", "B", "C"]);
    // F = n Σ_{k=1}^{12} (N(12 − k) − c) / 1.01^k.
    let future = |rate: f64, cost: f64| {
        rate * (1..=12)
            .map(|k| (path[12 - k] - cost) / 1.01f64.powi(k as i32))
            .sum::<f64>()
    };
    let fa = future(50.0, 10.0);
    let fc = future(20.0, 2.0 * n_m);
    assert_rel(
        "A's cohorts",
        a.future_equity.unwrap().estimate,
        fa,
        CLOSED_FORM,
    );
    assert_rel(
        "C's cohorts",
        c.future_equity.unwrap().estimate,
        fc,
        CLOSED_FORM,
    );
    assert!(bb.future_equity.is_none());
    let aggregate = &out.aggregate;
    assert_rel(
        "future",
        aggregate.future_equity.unwrap().estimate,
        fa + fc,
        CLOSED_FORM,
    );
    assert_rel(
        "total",
        aggregate.total_equity.estimate,
        out.estimate + fa + fc,
        CLOSED_FORM,
    );
    // Equity share: own (current + future) over own plus the competitors'.
    let own = a.equity.estimate + fa;
    assert_rel(
        "A's share",
        a.equity_share.unwrap().estimate,
        own / (own + 1e5),
        ROUNDING,
    );
    let own = bb.equity.estimate;
    assert_rel(
        "B's share",
        bb.equity_share.unwrap().estimate,
        own / (own + 2e5),
        ROUNDING,
    );
    // C and D give no competitors' equity: no share for the base, but A's and B's stand.
    assert!(c.equity_share.is_none() && aggregate.equity_share.is_none());
}

#[test]
fn every_interval_narrows_to_its_estimate_as_the_covariance_does() {
    let b = base();
    let plan = SegmentPlan {
        acquisition_cost: Some(40.0),
        new_customers_per_month: Some(30.0),
        competitor_equity: Some(5e4),
    };
    let plans: Vec<(&str, SegmentPlan)> = LEVELS.iter().map(|&l| (l, plan)).collect();
    let wide = value(&b, &options(&plans), 1.0).unwrap();
    let narrow = value(&b, &options(&plans), 1e-8).unwrap();
    let intervals = |out: &BaseValue| {
        let a = &out.aggregate;
        let mut all = vec![
            a.current_equity,
            a.future_equity.unwrap(),
            a.total_equity,
            a.new_customer_value,
            a.equity_share.unwrap(),
        ];
        for s in &out.segments[..3] {
            let acquisition = s.acquisition.clone().unwrap();
            all.extend([
                s.equity,
                s.share_of_base,
                s.future_equity.unwrap(),
                s.equity_share.unwrap(),
                acquisition.ltv_to_cac,
                acquisition.next_dollar,
            ]);
        }
        all
    };
    for (w, n) in intervals(&wide).iter().zip(intervals(&narrow)) {
        assert_eq!(w.estimate, n.estimate);
        assert!(w.lower < w.upper, "{w:?}");
        // Standard deviations 10⁻⁴ of the parameters': the interval is within 10⁻³ of the estimate.
        let scale = n.estimate.abs().max(1.0);
        for bound in [n.lower, n.upper, n.mean] {
            assert_abs("narrow", bound, n.estimate, Abs(1e-3 * scale));
        }
    }
    // The base's share of a market where every segment names its competitors' equity.
    let total = wide.aggregate.total_equity.estimate;
    assert_rel(
        "base share",
        wide.aggregate.equity_share.unwrap().estimate,
        total / (total + 4.0 * 5e4),
        ROUNDING,
    );
}

#[test]
fn bad_plans_and_segmentations_are_named() {
    let b = base();
    let plan = |cost: f64| SegmentPlan {
        acquisition_cost: Some(cost),
        ..SegmentPlan::default()
    };
    let err = value(&b, &options(&[("E", plan(10.0))]), 1.0).unwrap_err();
    assert_eq!(
        err,
        "segments.E: is not a segment of the base (its segments: A, B, C, D)"
    );
    let err = value(&b, &options(&[("A", plan(0.0))]), 1.0).unwrap_err();
    assert!(err.starts_with("segments.A.acquisitionCost:"), "{err}");
    let err = value(&b, &options(&[("A", plan(1e16))]), 1.0).unwrap_err();
    assert!(
        err.starts_with("segments.A.acquisitionCost: must be at most 1000000000000000 (got"),
        "{err}"
    );
    // Without a segmentation the base is one segment: a plan for another asks for segmentBy.
    let err = value_by(&b, &options(&[("A", plan(10.0))]), 1.0, false).unwrap_err();
    assert!(
        err.starts_with("segmentBy: is required to plan the segment \"A\""),
        "{err}"
    );
    let whole = value_by(&b, &options(&[("All customers", plan(10.0))]), 1.0, false).unwrap();
    assert!(whole.segment_by.is_none() && whole.next_dollar.len() == 1);
    let nan = SegmentPlan {
        new_customers_per_month: Some(f64::NAN),
        ..SegmentPlan::default()
    };
    let err = value(&b, &options(&[("B", nan)]), 1.0).unwrap_err();
    assert!(err.starts_with("segments.B.newCustomersPerMonth:"), "{err}");
    let negative = SegmentPlan {
        competitor_equity: Some(-1.0),
        ..SegmentPlan::default()
    };
    let err = value(&b, &options(&[("C", negative)]), 1.0).unwrap_err();
    assert!(err.starts_with("segments.C.competitorEquity:"), "{err}");
    // A segmentation of 10,000 levels, and codes that do not fit the base.
    let many = Base {
        levels: (0..10_000).map(|i| format!("level {i}")).collect(),
        ..base()
    };
    let err = value(&many, &options(&[]), 1.0).unwrap_err();
    assert!(
        err.starts_with("segmentBy (letter): must have from 1 to 1000 segments"),
        "{err}"
    );
    let short = Base {
        codes: vec![0; 10],
        ..base()
    };
    let err = value(&short, &options(&[]), 1.0).unwrap_err();
    assert!(
        err.contains("one segment per customer (10 codes for 600 customers)"),
        "{err}"
    );
}
