//! Native speed of the purchase-model fits and predictions on the full CDNOW log that `lifetimes`
//! ships (`CDNOW_MASTER=.../CDNOW_master.txt cargo bench --bench models`), in weeks with calibration
//! ending 1997-09-30 and a 39-week horizon, as benches/fit.sh times them in wasm. Each line
//! gives the best of several runs; the predictions also the ratio to the same predictions computed
//! customer by customer (`predict_one`, nothing shared), timed in the same run. The ratios to
//! `lifetimes` come from `benches/fit.sh`. The covariate fits are timed beside the plain fit: with
//! the first-purchase month (3 levels, so 3 groups) and with a numeric covariate of nearly one
//! value per customer (the logarithm of the mean spend: a group per customer, the slowest case).

mod common;

use clvlab::data::{summarize, Attribute};
use clvlab::models::covariates::{self, CovariateOptions};
use clvlab::models::gammagamma::{self, GammaGamma, SpendData};
use clvlab::models::{
    bgnbd, customer_value, mbgnbd, paretonbd, predict_intervals, value_customer_base,
    BaseValueOptions, Fit, IntervalOptions, Method, ModelError, SegmentPlan, Segmentation, Spend,
    Summary, ValueOptions,
};
use clvlab::segments::{cohorts, CohortPeriod};

/// The covariate model of a fit's name, if it has one.
fn covariate_model(name: &str) -> Option<&'static str> {
    match name {
        "BG/NBD" => Some("bgnbd"),
        "Pareto/NBD" => Some("paretonbd"),
        _ => None,
    }
}

/// A model's fit function.
type FitFn = fn(&Summary) -> Result<Fit, ModelError>;

fn main() {
    let csv = match common::cdnow_master_csv() {
        Ok(csv) => csv,
        Err(why) => {
            println!("{why}: nothing to time");
            return;
        }
    };
    let options = common::cdnow_options();
    let data = summarize(&csv, &options).unwrap();
    let (levels, codes) = cohorts(
        &data.calibration_end,
        &data.t,
        data.time_unit.days(),
        CohortPeriod::Month,
    )
    .unwrap();
    let monetary_value = data.monetary_value.clone();
    let spend = data.monetary_value.iter().map(|m| m.ln_1p()).collect();
    let attributes = vec![
        (
            "cohort".to_owned(),
            Attribute::Categorical { levels, codes },
        ),
        ("spend".to_owned(), Attribute::Numeric { values: spend }),
    ];
    let summary = Summary {
        frequency: data.frequency,
        recency: data.recency,
        t: data.t,
        weights: None,
    };
    let n = summary.frequency.len();
    let spend_data = SpendData {
        frequency: summary.frequency.clone(),
        monetary_value: monetary_value.clone(),
        weights: None,
    };
    let spend_fit = match gammagamma::fit(&spend_data).unwrap().fit {
        Fit {
            model: clvlab::models::Model::Gammagamma(model),
            covariance,
            ..
        } => (model, covariance.matrix),
        _ => unreachable!("a Gamma-Gamma fit"),
    };
    let fits: [(&str, FitFn, usize); 3] = [
        ("BG/NBD", bgnbd::fit, 20),
        ("MBG/NBD", mbgnbd::fit, 20),
        ("Pareto/NBD", paretonbd::fit, 5),
    ];
    for (name, fit, runs) in fits {
        let result = fit(&summary).unwrap();
        let ms = common::best_ms(runs, || {
            fit(&summary).unwrap();
        });
        println!(
            "{name} fit, {n} customers: {ms:.2} ms ({} iterations, log-likelihood {:.2})",
            result.iterations, result.log_likelihood
        );
        if let Some(model) = covariate_model(name) {
            for covariate in ["cohort", "spend"] {
                let options = CovariateOptions {
                    covariates: vec![covariate.to_owned()],
                };
                let fit = || covariates::fit(model, &summary, &attributes, &options).unwrap();
                let groups_ms = common::best_ms(runs.min(5), || {
                    fit();
                });
                println!(
                    "{name} fit with covariate {covariate}: {groups_ms:.1} ms ({:.1}x the plain fit, which it includes; {} iterations)",
                    groups_ms / ms,
                    fit().iterations
                );
            }
        }
        let ms = common::best_ms(20, || {
            result.model.predict(&summary, 39.0).unwrap();
        });
        let model = result.model.purchase_model().unwrap();
        let one_by_one = common::best_ms(5, || {
            for i in 0..n {
                let (x, t_x, t) = (summary.frequency[i], summary.recency[i], summary.t[i]);
                model.predict_one(x, t_x, t, 39.0).unwrap();
            }
        });
        println!(
            "{name} predictions, {n} customers: {ms:.2} ms (customer by customer: {one_by_one:.2} ms, {:.1}x)",
            one_by_one / ms
        );
        let options = IntervalOptions {
            horizon: 39.0,
            level: None,
            draws: Some(1000.0),
            seed: None,
            method: Method::Laplace,
            value: None,
        };
        let covariance = Some(result.covariance.matrix.as_slice());
        let intervals = common::best_ms(2, || {
            predict_intervals(&result.model, covariance, &summary, &options, None).unwrap();
        });
        println!(
            "{name} intervals, 1,000 Laplace draws: {intervals:.0} ms ({:.2}x the predictions per draw)",
            intervals / 1000.0 / ms
        );
        if covariate_model(name).is_some() {
            time_base_value(name, &result, &summary, &spend_fit, &monetary_value);
        }
    }
}

/// `valueCustomerBase` over 12 months and 1,000 draws: the whole base, and by 5 segments (every fifth
/// customer) each with an acquisition plan and competitors' equity; against `customerValue` at the
/// estimates, per draw.
fn time_base_value(
    name: &str,
    result: &Fit,
    summary: &Summary,
    spend_fit: &(GammaGamma, Vec<Vec<f64>>),
    monetary_value: &[f64],
) {
    let value = ValueOptions {
        months: 12.0,
        monthly_discount_rate: 0.01,
        units_per_month: 4.345,
    };
    let levels: Vec<String> = (0..5).map(|i| format!("segment {i}")).collect();
    let codes: Vec<u32> = (0..summary.frequency.len())
        .map(|i| (i % 5) as u32)
        .collect();
    let plans = levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let plan = SegmentPlan {
                acquisition_cost: Some(20.0 + 10.0 * i as f64),
                new_customers_per_month: Some(100.0),
                competitor_equity: Some(1e5),
            };
            (level.clone(), plan)
        })
        .collect();
    let spend = Spend {
        model: &spend_fit.0,
        covariance: Some(&spend_fit.1),
        monetary_value,
    };
    let once = common::best_ms(5, || {
        customer_value(&result.model, &spend_fit.0, summary, monetary_value, &value).unwrap();
    });
    for (label, segments) in [
        ("the whole base", None),
        ("5 segments with plans", Some(plans)),
    ] {
        let options = BaseValueOptions {
            value,
            draws: Some(1000.0),
            seed: None,
            method: Method::Laplace,
            target: None,
            level: None,
            segments,
        };
        let segmentation = options.segments.as_ref().map(|_| Segmentation {
            by: "segment",
            levels: &levels,
            codes: &codes,
        });
        let covariance = Some(result.covariance.matrix.as_slice());
        let ms = common::best_ms(2, || {
            value_customer_base(
                &result.model,
                covariance,
                summary,
                &options,
                spend,
                segmentation,
            )
            .unwrap();
        });
        println!(
            "{name} valueCustomerBase, 12 months, 1,000 draws, {label}: {ms:.0} ms ({:.2}x customerValue per draw, {once:.2} ms)",
            ms / 1000.0 / once
        );
    }
}
