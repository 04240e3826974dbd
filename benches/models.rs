//! Native speed of the purchase-model fits and predictions on the full CDNOW log that `lifetimes`
//! ships (`CDNOW_MASTER=.../CDNOW_master.txt cargo bench --bench models`), in weeks with calibration
//! ending 1997-09-30 and a 39-week horizon, as benches/fit.sh times them in wasm. Each line
//! gives the best of several runs; the predictions also the ratio to the same predictions computed
//! customer by customer (`predict_one`, nothing shared), timed in the same run. The ratios to
//! `lifetimes` come from `benches/fit.sh`.

mod common;

use clvlab::data::summarize;
use clvlab::models::{
    bgnbd, mbgnbd, paretonbd, predict_intervals, Fit, IntervalOptions, Method, ModelError, Summary,
};

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
    let summary = Summary {
        frequency: data.frequency,
        recency: data.recency,
        t: data.t,
        weights: None,
    };
    let n = summary.frequency.len();
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
    }
}
