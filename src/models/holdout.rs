//! How well a fitted purchase model predicts a holdout period: the scorecard of `evaluateHoldout`.
//!
//! Each customer's holdout purchases y (distinct purchase days after the calibration end, up to the
//! observation end: `holdoutFrequency`) are set against the model's conditional expectation over the
//! holdout's length h, ŷ = E[Y(h) | x, t_x, T] (Fader, Hardie & Lee 2005, "Counting your customers the
//! easy way", Marketing Science, eq. 10 for BG/NBD; what lifetimes'
//! `conditional_expected_number_of_purchases_up_to_time` computes). With weights w (identical
//! customers counted once):
//! - MAE = Σ w |y − ŷ| / Σ w, RMSE = √(Σ w (y − ŷ)² / Σ w), and bias = Σ w (ŷ − y) / Σ w, positive when
//!   the model predicts too many purchases;
//! - by calibration repeat purchases 0, 1, …, 6 and 7 or more: customers, mean actual and mean
//!   predicted holdout purchases (the table behind lifetimes' and BTYD's calibration-vs-holdout plot);
//! - the totals Σ w y and Σ w ŷ.
//!
//! Times are in the summary's time unit.
//!
//! ```
//! use clvlab::models::{evaluate_holdout, bgnbd::BgNbd, Model, Summary};
//! // One customer who bought 2 more times in 39 weeks, then 1 time in the 39-week holdout.
//! let summary = Summary { frequency: vec![2.0], recency: vec![30.43], t: vec![38.86], weights: None };
//! let model = Model::Bgnbd(BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
//! let card = evaluate_holdout(&model, &summary, &[1.0], 39.0, None, None).unwrap();
//! // E[Y(39) | 2, 30.43, 38.86] = 1.226 (FHL 2005): |1 − 1.226| = 0.226.
//! assert!((card.mae - 0.226).abs() < 5e-4 && (card.bias - 0.226).abs() < 5e-4);
//! ```

use serde::Serialize;

use super::gammagamma::{GammaGamma, SpendData};
use super::{
    frequency, plain_frequency, predict_intervals, same_length, DrawOptions, IntervalOptions,
    Method, Model, ModelError, Summary, TotalInterval,
};
use crate::error;

/// The calibration-frequency table's last row holds customers with this many repeat purchases or more.
pub const LAST_FREQUENCY: u32 = 7;

/// How a model's predictions compare with a holdout period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "HoldoutScorecard"))]
pub struct Scorecard {
    /// The holdout's length h, in the summary's time unit.
    pub horizon: f64,
    /// Customers (weights summed).
    pub customers: f64,
    /// Mean absolute error of the holdout purchases per customer.
    pub mae: f64,
    /// Root mean squared error of the holdout purchases per customer.
    pub rmse: f64,
    /// Mean of predicted − actual holdout purchases: positive when the model predicts too many.
    pub bias: f64,
    /// The whole base's holdout purchases, actual and predicted.
    pub total: Total,
    /// By calibration repeat purchases 0, 1, …, 6 and 7+ (rows without customers left out).
    pub by_frequency: Vec<FrequencyRow>,
    /// Gamma-Gamma against the holdout's spend, when a spend model is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub spend: Option<SpendCheck>,
    /// How `predictIntervals`' intervals fare on the holdout, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub intervals: Option<IntervalCheck>,
}

/// A spend model against the holdout: the mean spend per transaction of each customer who bought in
/// the holdout, m_h, against the model's E[M | x, m̄] from the calibration period (Fader, Hardie & Lee
/// 2005, "RFM and CLV", Journal of Marketing Research), and the base's holdout revenue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "HoldoutSpend"))]
pub struct SpendCheck {
    /// Customers who bought in the holdout (weights summed): those the spend errors are over.
    pub customers: f64,
    /// Mean absolute error of the spend per transaction.
    pub mae: f64,
    /// Root mean squared error of the spend per transaction.
    pub rmse: f64,
    /// Mean of predicted − actual spend per transaction.
    pub bias: f64,
    /// The base's holdout revenue: actual Σ y·m_h against predicted Σ E[Y]·E[M].
    pub revenue: Total,
}

/// The spend side of a holdout: the model and the columns it is scored on.
#[derive(Debug, Clone, Copy)]
pub struct SpendHoldout<'a> {
    pub model: &'a GammaGamma,
    /// Each customer's mean spend of the calibration repeat purchases, m̄.
    pub monetary_value: &'a [f64],
    /// Each customer's mean spend per holdout transaction, m_h (0 without holdout purchases).
    pub holdout_monetary_value: &'a [f64],
}

/// `predictIntervals` over the holdout, against what happened.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "HoldoutIntervals"))]
pub struct IntervalCheck {
    /// The intervals' level.
    pub level: f64,
    /// The base's holdout purchases as predicted: mean and `level` interval.
    pub total: TotalInterval,
    /// Whether the actual holdout total lies in that interval.
    pub total_inside: bool,
    /// The share of customers (weighted) whose holdout purchases lie in their own purchase interval:
    /// at least `level` when the intervals are calibrated (more, as intervals of whole numbers hold
    /// more than `level` of the mass).
    pub coverage: f64,
}

/// Actual against predicted purchases.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "HoldoutTotal"))]
pub struct Total {
    pub actual: f64,
    pub predicted: f64,
}

/// One row of the calibration-vs-holdout table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "HoldoutByFrequency"))]
pub struct FrequencyRow {
    /// Calibration repeat purchases; the last row (7) holds 7 or more.
    pub frequency: u32,
    /// `"0"`, …, `"6"`, `"7+"`.
    pub label: String,
    /// Customers in the row (weights summed).
    pub customers: f64,
    /// Mean actual holdout purchases.
    pub actual: f64,
    /// Mean predicted holdout purchases.
    pub predicted: f64,
}

/// Scores `model`'s predictions over a holdout of length `horizon` against `holdout_frequency`, the
/// purchases of each customer of `summary` in the holdout.
///
/// With `intervals` (the fit's covariance and the draws' options), the scorecard also checks
/// `predictIntervals`' Laplace intervals over the holdout ([`IntervalCheck`]).
pub fn evaluate_holdout(
    model: &Model,
    summary: &Summary,
    holdout_frequency: &[f64],
    horizon: f64,
    intervals: Option<(&[Vec<f64>], &DrawOptions)>,
    spend: Option<SpendHoldout>,
) -> Result<Scorecard, ModelError> {
    summary.validate()?;
    same_length(
        "holdoutFrequency",
        holdout_frequency,
        summary.frequency.len(),
    )?;
    for (i, &y) in holdout_frequency.iter().enumerate() {
        if !plain_frequency(y) {
            frequency(&format!("holdoutFrequency[{i}]"), y)?;
        }
    }
    error::positive("horizon", horizon)?;
    let predicted = model.predict(summary, horizon)?.expected_purchases;
    let weight = |i: usize| summary.weights.as_ref().map_or(1.0, |w| w[i]);
    let mut rows = vec![[0.0; 3]; LAST_FREQUENCY as usize + 1];
    let (mut customers, mut absolute, mut squared, mut total) = (0.0, 0.0, 0.0, Total::default());
    for (i, (&y, &y_hat)) in holdout_frequency.iter().zip(&predicted).enumerate() {
        let w = weight(i);
        customers += w;
        absolute += w * (y - y_hat).abs();
        squared += w * (y - y_hat).powi(2);
        total.actual += w * y;
        total.predicted += w * y_hat;
        let row = &mut rows[(summary.frequency[i] as usize).min(LAST_FREQUENCY as usize)];
        row[0] += w;
        row[1] += w * y;
        row[2] += w * y_hat;
    }
    if customers <= 0.0 {
        return Err(error::InputError::invalid("weights", "must not all be 0").into());
    }
    let intervals = intervals
        .map(|(covariance, draws)| {
            check_intervals(
                model,
                covariance,
                draws,
                summary,
                holdout_frequency,
                horizon,
                total.actual,
            )
        })
        .transpose()?;
    let spend = spend
        .map(|spend| check_spend(&spend, summary, holdout_frequency, &predicted))
        .transpose()?;
    Ok(Scorecard {
        intervals,
        spend,
        horizon,
        customers,
        mae: absolute / customers,
        rmse: (squared / customers).sqrt(),
        bias: (total.predicted - total.actual) / customers,
        total,
        by_frequency: (0..=LAST_FREQUENCY)
            .zip(rows)
            .filter(|(_, [n, _, _])| *n > 0.0)
            .map(|(frequency, [n, actual, predicted])| FrequencyRow {
                frequency,
                label: if frequency == LAST_FREQUENCY {
                    format!("{frequency}+")
                } else {
                    frequency.to_string()
                },
                customers: n,
                actual: actual / n,
                predicted: predicted / n,
            })
            .collect(),
    })
}

/// `predictIntervals` over the holdout, and the share of customers inside their intervals.
fn check_intervals(
    model: &Model,
    covariance: &[Vec<f64>],
    draws: &DrawOptions,
    summary: &Summary,
    holdout_frequency: &[f64],
    horizon: f64,
    actual: f64,
) -> Result<IntervalCheck, ModelError> {
    let options = IntervalOptions {
        horizon,
        level: draws.level,
        draws: draws.draws,
        seed: draws.seed,
        method: Method::Laplace,
        value: None,
    };
    let out = predict_intervals(model, Some(covariance), summary, &options, None)?;
    let weight = |i: usize| summary.weights.as_ref().map_or(1.0, |w| w[i]);
    let (mut inside, mut all) = (0.0, 0.0);
    for (i, &y) in holdout_frequency.iter().enumerate() {
        all += weight(i);
        if (out.purchases_lower[i]..=out.purchases_upper[i]).contains(&y) {
            inside += weight(i);
        }
    }
    Ok(IntervalCheck {
        level: draws.level.unwrap_or(0.9),
        total: out.total,
        total_inside: (out.total.lower..=out.total.upper).contains(&actual),
        coverage: inside / all,
    })
}

/// The spend model's errors over the customers who bought in the holdout, and the revenue.
fn check_spend(
    spend: &SpendHoldout,
    summary: &Summary,
    holdout_frequency: &[f64],
    expected_purchases: &[f64],
) -> Result<SpendCheck, ModelError> {
    let n = summary.frequency.len();
    same_length("holdoutMonetaryValue", spend.holdout_monetary_value, n)?;
    let data = SpendData {
        frequency: summary.frequency.clone(),
        monetary_value: spend.monetary_value.to_vec(),
        weights: summary.weights.clone(),
    };
    let expected = super::gammagamma::expected_spend(spend.model, &data)?;
    for (i, &m) in spend.holdout_monetary_value.iter().enumerate() {
        error::amount(&format!("holdoutMonetaryValue[{i}]"), m)?;
    }
    let weight = |i: usize| summary.weights.as_ref().map_or(1.0, |w| w[i]);
    let (mut customers, mut absolute, mut squared, mut signed) = (0.0, 0.0, 0.0, 0.0);
    let mut revenue = Total::default();
    for i in 0..n {
        let (w, y, m) = (
            weight(i),
            holdout_frequency[i],
            spend.holdout_monetary_value[i],
        );
        revenue.actual += w * y * m;
        revenue.predicted += w * expected_purchases[i] * expected[i];
        if y > 0.0 {
            let error = expected[i] - m;
            customers += w;
            absolute += w * error.abs();
            squared += w * error * error;
            signed += w * error;
        }
    }
    if customers <= 0.0 {
        return Err(error::InputError::invalid(
            "holdoutFrequency",
            "no customer bought in the holdout: there is no spend to score",
        )
        .into());
    }
    Ok(SpendCheck {
        customers,
        mae: absolute / customers,
        rmse: (squared / customers).sqrt(),
        bias: signed / customers,
        revenue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::CDNOW_BGNBD;

    #[test]
    fn spend_is_scored_over_the_holdout_buyers() {
        // Gamma-Gamma at FHL's CDNOW estimates; E[M | x, m̄] = p(γ + m̄x)/(px + q − 1), and pγ/(q − 1)
        // for x = 0: 6.25·55.44/15.24, 6.25·15.44/2.74 and 6.25·45.44/8.99.
        let gg = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let summary = Summary {
            frequency: vec![2.0, 0.0, 1.0],
            recency: vec![20.0, 0.0, 5.0],
            t: vec![30.0, 30.0, 30.0],
            weights: None,
        };
        let (m, holdout_m, holdout_y) = ([20.0, 0.0, 30.0], [25.0, 10.0, 0.0], [1.0, 2.0, 0.0]);
        let expected = [
            6.25 * 55.44 / 15.24,
            6.25 * 15.44 / 2.74,
            6.25 * 45.44 / 8.99,
        ];
        let spend = SpendHoldout {
            model: &gg,
            monetary_value: &m,
            holdout_monetary_value: &holdout_m,
        };
        let model = Model::Bgnbd(CDNOW_BGNBD);
        let card = evaluate_holdout(&model, &summary, &holdout_y, 39.0, None, Some(spend)).unwrap();
        let check = card.spend.unwrap();
        // Customers 1 and 2 bought in the holdout; customer 3 did not and is not scored.
        let errors: [f64; 2] = [expected[0] - 25.0, expected[1] - 10.0];
        assert_eq!(check.customers, 2.0);
        assert!((check.mae - (errors[0].abs() + errors[1].abs()) / 2.0).abs() < 1e-12);
        assert!((check.bias - (errors[0] + errors[1]) / 2.0).abs() < 1e-12);
        let rmse = ((errors[0] * errors[0] + errors[1] * errors[1]) / 2.0).sqrt();
        assert!((check.rmse - rmse).abs() < 1e-12);
        assert_eq!(check.revenue.actual, 25.0 + 20.0);
        let y = model.predict(&summary, 39.0).unwrap().expected_purchases;
        let predicted: f64 = (0..3).map(|i| y[i] * expected[i]).sum();
        assert!((check.revenue.predicted - predicted).abs() < 1e-9 * predicted);
    }
}
