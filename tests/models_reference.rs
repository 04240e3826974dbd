//! The fitted models against published results on the data sets in `tests/data` (provenance in its README).

use clvlab::models::bgbb::{self, BgBbData};
use clvlab::models::gammagamma::{self, SpendData};
use clvlab::models::{bgnbd, mbgnbd, paretonbd, sbg, Fit, Model, Summary, Termination};

fn read_csv(name: &str) -> Vec<Vec<f64>> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|v| v.trim().parse().unwrap()).collect())
        .collect()
}

fn column(rows: &[Vec<f64>], i: usize) -> Vec<f64> {
    rows.iter().map(|r| r[i]).collect()
}

/// The CDNOW sample summary: customer_id, frequency, recency, T, monetary_value (weeks).
fn cdnow() -> (Summary, Vec<f64>) {
    let rows = read_csv("cdnow_sample_summary.csv");
    let summary = Summary {
        frequency: column(&rows, 1),
        recency: column(&rows, 2),
        t: column(&rows, 3),
        weights: None,
    };
    (summary, column(&rows, 4))
}

fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol}"
    );
}

/// The published fits stop with the gradient zero to tolerance (not merely at machine precision),
/// after at least one iteration, with a standard error for every parameter.
fn assert_converged(fit: &Fit) {
    assert_eq!(fit.termination, Termination::GradientSmall);
    assert!(fit.iterations > 0);
    assert!(fit
        .standard_errors
        .iter()
        .all(|(_, se)| se.is_some_and(|v| v > 0.0)));
}

#[test]
fn sbg_matches_fader_hardie_2007() {
    // Fader & Hardie (2007), "How to project customer retention", years 0–7 of both segments.
    let rows = read_csv("sbg_survival.csv");
    let regular: Vec<f64> = rows[..8].iter().map(|r| r[1]).collect();
    let high_end: Vec<f64> = rows[..8].iter().map(|r| r[2]).collect();

    let fit = sbg::fit(&regular).unwrap();
    assert_converged(&fit.fit);
    let Model::Sbg(p) = fit.fit.model else {
        panic!("not sbg")
    };
    assert_close("regular alpha", p.alpha, 0.704, 5e-4);
    assert_close("regular beta", p.beta, 1.182, 5e-4);
    assert_close("regular LL", fit.fit.log_likelihood, -1680.27, 5e-3);
    // The projection starts at S(0) = 1 and its first rate is β/(α+β).
    assert_eq!(fit.survival[0], 1.0);
    assert_close("r(1)", fit.retention[0], p.beta / (p.alpha + p.beta), 1e-12);

    let fit = sbg::fit(&high_end).unwrap();
    let Model::Sbg(p) = fit.fit.model else {
        panic!("not sbg")
    };
    assert_close("high-end alpha", p.alpha, 0.668, 5e-4);
    assert_close("high-end beta", p.beta, 3.806, 5e-4);
}

#[test]
fn bgnbd_matches_fader_hardie_lee_2005() {
    // Fader, Hardie & Lee (2005), "Counting your customers the easy way", CDNOW sample: r 0.243,
    // α 4.414, a 0.793, b 2.426, LL −9582.4.
    let (summary, _) = cdnow();
    let fit = bgnbd::fit(&summary).unwrap();
    assert_converged(&fit);
    let Model::Bgnbd(p) = fit.model else {
        panic!("not bgnbd")
    };
    assert_close("r", p.r, 0.243, 5e-4);
    assert_close("alpha", p.alpha, 4.414, 5e-3);
    assert_close("a", p.a, 0.793, 5e-4);
    assert_close("b", p.b, 2.426, 5e-3);
    assert_close("LL", fit.log_likelihood, -9582.43, 5e-3);
}

#[test]
fn bgnbd_customer_predictions_at_the_published_parameters() {
    // Fader, Hardie & Lee (2005), section 5 (at the published, rounded parameters): customer with
    // x = 2, t_x = 30.43, T = 38.86: E[Y(39)] = 1.226, P(alive) = 0.7266 (the README's 0.727).
    let p = Model::Bgnbd(bgnbd::BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    });
    let m = p.purchase_model().unwrap();
    let (e, alive) = m.predict_one(2.0, 30.43, 38.86, 39.0).unwrap();
    assert_close("E[Y(39)]", e, 1.226, 5e-4);
    assert_close("P(alive)", alive, 0.7266, 5e-4);
    // Customer (26, 30.86, 31): E[Y(52)] = 25.757, P(alive) = 0.9689 (issue 5's reference values).
    let (e, alive) = m.predict_one(26.0, 30.86, 31.0, 52.0).unwrap();
    assert_close("E[Y(52)]", e, 25.757, 5e-3);
    assert_close("P(alive)", alive, 0.9689, 5e-4);
}

#[test]
fn paretonbd_matches_the_published_fit() {
    // Fader, Hardie & Lee (2005) / BTYD vignette, Pareto/NBD on the CDNOW sample: r 0.553, α 10.578,
    // s 0.606, β 11.669 (the data README gives 11.665: within the stated ±0.005), LL −9594.98.
    let (summary, _) = cdnow();
    let fit = paretonbd::fit(&summary).unwrap();
    assert_converged(&fit);
    let Model::Paretonbd(p) = fit.model else {
        panic!("not paretonbd")
    };
    assert_close("r", p.r, 0.553, 5e-3);
    assert_close("alpha", p.alpha, 10.578, 5e-3);
    assert_close("s", p.s, 0.606, 5e-3);
    assert_close("beta", p.beta, 11.669, 5e-3);
    assert_close("LL", fit.log_likelihood, -9594.98, 2e-2);
}

#[test]
fn gammagamma_matches_the_published_fit() {
    // Fader, Hardie & Lee (2005), "RFM and CLV" / Fader & Hardie's Gamma-Gamma note, CDNOW sample
    // repeat buyers: p 6.25, q 3.74, γ 15.44.
    let (summary, monetary_value) = cdnow();
    let data = SpendData {
        frequency: summary.frequency.clone(),
        monetary_value,
        weights: None,
    };
    let fit = gammagamma::fit(&data).unwrap();
    assert_converged(&fit.fit);
    let Model::Gammagamma(p) = fit.fit.model else {
        panic!("not gammagamma")
    };
    assert_close("p", p.p, 6.25, 5e-3);
    assert_close("q", p.q, 3.74, 5e-3);
    // γ to ±0.01: the summary's mean spends are rounded to cents, and 15.44 is itself rounded.
    assert_close("gamma", p.gamma, 15.44, 1e-2);
    // Customers without a repeat purchase are excluded, not refused.
    let repeaters = summary.frequency.iter().filter(|&&x| x > 0.0).count();
    assert_eq!(fit.included, repeaters);
    assert_eq!(fit.included + fit.excluded, summary.frequency.len());
}

#[test]
fn bgbb_matches_fader_hardie_shang_2010() {
    // Fader, Hardie & Shang (2010), donations 1996–2001 (6 opportunities): α 1.204, β 0.750,
    // γ 0.657, δ 2.783, LL −33225.58.
    let rows = read_csv("donations.csv");
    let data = BgBbData {
        frequency: column(&rows, 0),
        recency: column(&rows, 1),
        periods: column(&rows, 2),
        weights: Some(column(&rows, 3)),
    };
    let fit = bgbb::fit(&data).unwrap();
    assert_converged(&fit);
    let Model::Bgbb(p) = fit.model else {
        panic!("not bgbb")
    };
    assert_close("alpha", p.alpha, 1.204, 5e-4);
    assert_close("beta", p.beta, 0.750, 5e-4);
    assert_close("gamma", p.gamma, 0.657, 5e-4);
    assert_close("delta", p.delta, 2.783, 5e-3);
    assert_close("LL", fit.log_likelihood, -33225.58, 5e-3);
}

#[test]
fn mbgnbd_matches_btydplus() {
    // BTYDplus (Platzer), MBG/NBD on the CDNOW sample, as quoted by lifetimes' test suite
    // (`test_params_out_is_close_to_BTYDplus`, 3 decimals): r 0.525, α 6.183, a 0.891, b 1.614.
    let (summary, _) = cdnow();
    let fit = mbgnbd::fit(&summary).unwrap();
    assert_converged(&fit);
    let Model::Mbgnbd(p) = fit.model else {
        panic!("not mbgnbd")
    };
    assert_close("r", p.0.r, 0.525, 1.5e-3);
    assert_close("alpha", p.0.alpha, 6.183, 1.5e-3);
    assert_close("a", p.0.a, 0.891, 1.5e-3);
    assert_close("b", p.0.b, 1.614, 1.5e-3);
}

#[test]
fn bgnbd_purchase_probabilities_match_btyd() {
    // R BTYD `bgnbd.pmf(c(0.243, 4.414, 0.793, 2.426), t, x)` (BTYD manual example, as quoted by
    // lifetimes' tests): P(X(2) = 10) = 1.07869e-07; P(X(30) = x) for x = 11…20.
    let m = Model::Bgnbd(bgnbd::BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    });
    let m = m.purchase_model().unwrap();
    let p = m.prob_purchases(2.0, 10).unwrap();
    assert!((p / 1.07869e-07 - 1.0).abs() < 1e-4, "{p}");
    let btyd = [
        0.0019995214,
        0.0015170236,
        0.0011633150,
        0.0009003148,
        0.0007023638,
        0.0005517902,
        0.0004361913,
        0.0003467171,
        0.0002769613,
        0.0002222260,
    ];
    for (x, want) in (11..=20).zip(btyd) {
        let got = m.prob_purchases(30.0, x).unwrap();
        assert!((got / want - 1.0).abs() < 1e-6, "x {x}: {got} vs {want}");
    }
}

#[test]
fn bad_summaries_are_refused_with_the_field_and_index() {
    let (mut summary, _) = cdnow();
    summary.recency[12] = 40.0;
    summary.frequency[12] = 1.0;
    let e = bgnbd::fit(&summary).unwrap_err().to_string();
    assert!(
        e.starts_with("recency[12]: must not exceed T (got 40 >"),
        "{e}"
    );
    let (mut summary, _) = cdnow();
    summary.frequency[3] = -1.0;
    let e = paretonbd::fit(&summary).unwrap_err().to_string();
    assert!(e.starts_with("frequency[3]:"), "{e}");
    let (mut summary, _) = cdnow();
    summary.t.pop();
    let e = bgnbd::fit(&summary).unwrap_err().to_string();
    assert!(e.starts_with("T: must have as many entries"), "{e}");
    let e = bgnbd::fit(&Summary::default()).unwrap_err().to_string();
    assert!(e.starts_with("frequency: must not be empty"), "{e}");
}

#[test]
fn no_repeat_buyers_is_an_error_not_parameters() {
    // With nobody buying again the likelihood keeps rising as r → 0: there is no fit.
    let summary = Summary {
        frequency: vec![0.0; 50],
        recency: vec![0.0; 50],
        t: (0..50).map(|i| 10.0 + f64::from(i)).collect(),
        weights: None,
    };
    for result in [
        bgnbd::fit(&summary),
        paretonbd::fit(&summary),
        mbgnbd::fit(&summary),
    ] {
        let e = result.unwrap_err().to_string();
        assert!(
            e.starts_with("frequency: no customer has a repeat purchase"),
            "{e}"
        );
    }
}

#[test]
fn a_single_repeat_buyer_is_refused_as_flat_or_not_converged() {
    // One repeat buyer among identical newcomers cannot identify four parameters.
    let mut summary = Summary {
        frequency: vec![0.0; 20],
        recency: vec![0.0; 20],
        t: vec![30.0; 20],
        weights: None,
    };
    summary.frequency[0] = 1.0;
    summary.recency[0] = 5.0;
    for result in [bgnbd::fit(&summary), mbgnbd::fit(&summary)] {
        let e = result.unwrap_err().to_string();
        assert!(e.contains("did not converge"), "{e}");
    }
}

#[test]
fn customer_value_matches_lifetimes_quickstart() {
    // lifetimes 0.11 quickstart ("Estimating customer lifetime value using the Gamma-Gamma model"):
    // BG/NBD and Gamma-Gamma fitted on this CDNOW summary, `customer_lifetime_value(time=12,
    // discount_rate=0.01)` with the default freq "D", i.e. 30 time units per month although the
    // summary is in weeks: 140.096 for the first customer (x 2, t_x 30.43, T 38.86, m 22.35), 18.943
    // for the second and 38.181 for a customer without repeat purchases (T 38.86).
    let (summary, monetary_value) = cdnow();
    let purchase = bgnbd::fit(&summary).unwrap().model;
    let spend_data = SpendData {
        frequency: summary.frequency.clone(),
        monetary_value: monetary_value.clone(),
        weights: None,
    };
    let Model::Gammagamma(spend) = gammagamma::fit(&spend_data).unwrap().fit.model else {
        panic!()
    };
    let options = clvlab::models::ValueOptions {
        months: 12.0,
        monthly_discount_rate: 0.01,
        units_per_month: 30.0,
    };
    let values =
        clvlab::models::customer_value(&purchase, &spend, &summary, &monetary_value, &options)
            .unwrap();
    // To ±0.01: our fits differ from lifetimes' in the fifth digit.
    assert_close("first customer", values[0], 140.096, 0.01);
    assert_close("second customer", values[1], 18.943, 0.01);
    assert_close("no repeat purchases", values[2], 38.181, 0.01);
}

#[test]
fn awkward_data_give_a_fit_or_a_clear_error() {
    // A single customer; days instead of weeks; an extreme buyer; NaN. Never a panic or NaN parameters.
    let one = Summary {
        frequency: vec![3.0],
        recency: vec![20.0],
        t: vec![30.0],
        weights: None,
    };
    let (sample, _) = cdnow();
    let days = Summary {
        frequency: sample.frequency.clone(),
        recency: sample.recency.iter().map(|v| v * 7.0).collect(),
        t: sample.t.iter().map(|v| v * 7.0).collect(),
        weights: None,
    };
    let mut extreme = sample.clone();
    extreme.frequency[0] = 500.0;
    let mut nan = sample.clone();
    nan.t[5] = f64::NAN;
    for data in [&one, &days, &extreme, &nan] {
        for result in [bgnbd::fit(data), paretonbd::fit(data), mbgnbd::fit(data)] {
            match result {
                Ok(fit) => {
                    assert!(fit.iterations > 0 && fit.log_likelihood.is_finite());
                    let values = match fit.model {
                        Model::Bgnbd(p) | Model::Mbgnbd(mbgnbd::ModifiedBgNbd(p)) => {
                            vec![p.r, p.alpha, p.a, p.b]
                        }
                        Model::Paretonbd(p) => vec![p.r, p.alpha, p.s, p.beta],
                        _ => unreachable!(),
                    };
                    assert!(
                        values.iter().all(|v| v.is_finite() && *v > 0.0),
                        "{values:?}"
                    );
                }
                Err(e) => {
                    let e = e.to_string();
                    assert!(
                        e.contains("did not converge")
                            || e.starts_with("T[5]: must be a finite number"),
                        "{e}"
                    );
                }
            }
        }
    }
    // Time in days scales α by 7 and leaves the rest (and the fit) unchanged.
    let Model::Bgnbd(weeks) = bgnbd::fit(&sample).unwrap().model else {
        panic!()
    };
    let Model::Bgnbd(in_days) = bgnbd::fit(&days).unwrap().model else {
        panic!()
    };
    assert_close(
        "alpha in days",
        in_days.alpha,
        7.0 * weeks.alpha,
        1e-3 * in_days.alpha,
    );
    assert_close("r in days", in_days.r, weeks.r, 1e-4);
}

#[test]
fn frequencies_beyond_the_limit_are_refused_not_returned_as_the_start() {
    // At x = 10¹⁵ ln Γ(r + x) rounds to multiples of 4 and the likelihood cannot be maximised: the
    // fit used to return its start after 0 iterations. Fractional counts are refused as well.
    let (mut summary, _) = cdnow();
    summary.frequency[7] = 1e15;
    summary.recency[7] = summary.t[7];
    let e = bgnbd::fit(&summary).unwrap_err().to_string();
    assert_eq!(
        e,
        "frequency[7]: must be a whole number from 0 to 1000000 (got 1000000000000000)"
    );
    let (mut summary, _) = cdnow();
    summary.frequency[2] = 1.5;
    summary.recency[2] = 1.0;
    let e = paretonbd::fit(&summary).unwrap_err().to_string();
    assert!(e.starts_with("frequency[2]: must be a whole number"), "{e}");
    let data = SpendData {
        frequency: vec![2.0, 3.0],
        monetary_value: vec![10.0, 2e12],
        weights: None,
    };
    let e = gammagamma::fit(&data).unwrap_err().to_string();
    assert_eq!(
        e,
        "monetaryValue[1]: must be at most 1e12 (got 2000000000000)"
    );
}
