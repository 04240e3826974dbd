//! Customer value: lifetimes' `customer_lifetime_value`, the discounted expected spend over the next
//! months from a purchase model and Gamma-Gamma, with its bounded options.

use serde::{Deserialize, Serialize};

use super::{gammagamma, same_length, Memo, Model, ModelError, PurchaseModel, Summary};
use crate::error::{self, InputError};

/// How [`customer_value`] discounts and converts months into the model's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ValueOptions {
    /// Months of future purchases to count (1 to 1200).
    pub months: f64,
    /// Discount rate per month (0.01 = 1 %), from 0 to 1.
    pub monthly_discount_rate: f64,
    /// Model time units per month (4.345 when the summary is in weeks, 1 for months), above 0 and at
    /// most 10⁶.
    pub units_per_month: f64,
}

/// Most months [`customer_value`] counts (a century).
pub const MAX_MONTHS: u32 = 1200;

/// Largest `unitsPerMonth`: minutes (43,830 a month) fit; it keeps the longest horizon,
/// `MAX_MONTHS · unitsPerMonth`, at 1.2·10⁹ time units.
pub const MAX_UNITS_PER_MONTH: f64 = 1e6;

impl ValueOptions {
    /// Checks the options, naming the field; returns the months. The discount rate is at least 0:
    /// a negative rate makes each month's purchases worth more than the last, the discount factors
    /// `(1 + d)^−month` grow without bound (at −0.99, 10²⁴⁰⁰ by month 1,200: every value infinite),
    /// and the value is no longer a present value. At most 1 (100 % a month).
    pub fn validate(&self) -> Result<u32, InputError> {
        at_most(
            "monthlyDiscountRate",
            error::non_negative("monthlyDiscountRate", self.monthly_discount_rate)?,
            1.0,
        )?;
        at_most(
            "unitsPerMonth",
            error::positive("unitsPerMonth", self.units_per_month)?,
            MAX_UNITS_PER_MONTH,
        )?;
        error::whole_positive("months", self.months, MAX_MONTHS)
    }
}

/// `value` unless it exceeds `max`, naming `field`.
pub(crate) fn at_most(field: &str, value: f64, max: f64) -> Result<f64, InputError> {
    if value <= max {
        Ok(value)
    } else {
        Err(InputError::invalid(
            field,
            format!("must be at most {max} (got {value})"),
        ))
    }
}

/// Per-customer value over the next `months`, as lifetimes' `customer_lifetime_value` computes it:
/// `Σ_{i=1}^{months} (E[Y(i·u)] − E[Y((i−1)·u)]) · E[M] / (1 + d)^i`, with u = `unitsPerMonth`,
/// E[Y(t)] the purchase model's conditional expected purchases and E[M] the Gamma-Gamma expected spend
/// given the customer's `monetary_value`. Purchases are valued at the end of the month they fall in.
///
/// Since E[Y(t) | x, t_x, T] = P(alive) · E[Y(t) | alive, x, T], the value is P(alive) · E[M] times the
/// discounted sum of the alive customer's monthly purchases, which depends on (x, T) only: that sum is
/// computed once per distinct (x, T), and P(alive) once per customer.
pub fn customer_value(
    purchase: &Model,
    spend: &gammagamma::GammaGamma,
    summary: &Summary,
    monetary_value: &[f64],
    options: &ValueOptions,
) -> Result<Vec<f64>, ModelError> {
    purchase.validate()?;
    Model::Gammagamma(*spend).validate()?;
    summary.validate()?;
    same_length("monetaryValue", monetary_value, summary.frequency.len())?;
    let discounts = discounts(options)?;
    let model = purchase.purchase_model()?;
    let mut alive_values = Memo::new();
    let prob_alive = model.prob_alive_all(summary)?;
    let mut values = Vec::with_capacity(summary.frequency.len());
    for (i, &m) in monetary_value.iter().enumerate() {
        let (x, t) = (summary.frequency[i], summary.t[i]);
        if !gammagamma::plain_monetary_value(m) {
            gammagamma::monetary_value(&format!("monetaryValue[{i}]"), m)?;
        }
        let per_purchase = spend.expected_spend(x, m)?;
        let alive_value = alive_values.get(x, t, || {
            discounted_purchases_if_alive(model, x, t, options, &discounts)
        })?;
        values.push(prob_alive[i] * per_purchase * alive_value);
    }
    Ok(values)
}

/// The checked options' discount factors `(1 + d)^month`, month = 1 … months.
pub(crate) fn discounts(options: &ValueOptions) -> Result<Vec<f64>, InputError> {
    let months = options.validate()?;
    Ok((1..=months)
        .map(|month| (1.0 + options.monthly_discount_rate).powi(month as i32))
        .collect())
}

/// `Σ_i (E[Y(i·u) | alive] − E[Y((i−1)·u) | alive]) / discounts[i−1]` for a customer with (x, T).
pub(crate) fn discounted_purchases_if_alive(
    model: &dyn PurchaseModel,
    x: f64,
    t: f64,
    options: &ValueOptions,
    discounts: &[f64],
) -> Result<f64, ModelError> {
    let mut by_month = vec![0.0; discounts.len()];
    discounted_purchases_by_month(model, x, t, options, discounts, &mut by_month)?;
    Ok(by_month.last().copied().unwrap_or(0.0))
}

/// The running sums of [`discounted_purchases_if_alive`]: `by_month[m]` counts months 1 … m + 1.
pub(crate) fn discounted_purchases_by_month(
    model: &dyn PurchaseModel,
    x: f64,
    t: f64,
    options: &ValueOptions,
    discounts: &[f64],
    by_month: &mut [f64],
) -> Result<(), ModelError> {
    model.expected_if_alive_by_step(x, t, options.units_per_month, by_month)?;
    let (mut before, mut value) = (0.0, 0.0);
    for (discount, out) in discounts.iter().zip(by_month) {
        let by_now = *out;
        value += (by_now - before) / discount;
        before = by_now;
        *out = value;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::cdnow_models;
    use crate::models::MAX_FREQUENCY;

    /// lifetimes' formula as written: expected purchases at the end of each month from the full
    /// conditional expectation, differenced and discounted.
    fn straightforward_value(
        model: &dyn PurchaseModel,
        spend: &gammagamma::GammaGamma,
        (x, t_x, t, m): (f64, f64, f64, f64),
        options: &ValueOptions,
    ) -> f64 {
        let per_purchase = spend.expected_spend(x, m).unwrap();
        let (mut before, mut value) = (0.0, 0.0);
        for month in 1..=options.months as i32 {
            let horizon = f64::from(month) * options.units_per_month;
            let (by_now, _) = model.predict_one(x, t_x, t, horizon).unwrap();
            value += (by_now - before) * per_purchase
                / (1.0 + options.monthly_discount_rate).powi(month);
            before = by_now;
        }
        value
    }

    #[test]
    fn value_options_out_of_range_are_refused_by_name() {
        let ok = ValueOptions {
            months: 1200.0,
            monthly_discount_rate: 0.0,
            units_per_month: 4.345,
        };
        assert_eq!(ok.validate(), Ok(1200));
        for (options, start) in [
            (
                ValueOptions {
                    monthly_discount_rate: -0.99,
                    ..ok
                },
                "monthlyDiscountRate: must be 0 or more (got -0.99)",
            ),
            (
                ValueOptions {
                    monthly_discount_rate: 1.5,
                    ..ok
                },
                "monthlyDiscountRate: must be at most 1 (got 1.5)",
            ),
            (
                ValueOptions {
                    units_per_month: 1e7,
                    ..ok
                },
                "unitsPerMonth: must be at most 1000000 (got 10000000)",
            ),
            (
                ValueOptions {
                    months: 1201.0,
                    ..ok
                },
                "months: must be a whole number from 1 to 1200 (got 1201)",
            ),
        ] {
            assert_eq!(options.validate().unwrap_err().to_string(), start);
        }
    }

    #[test]
    fn customer_value_is_finite_at_the_limits() {
        // The longest horizon at the extreme rates, a top spender: every value finite and positive.
        let summary = Summary {
            frequency: vec![0.0, 2.0, f64::from(MAX_FREQUENCY)],
            recency: vec![0.0, 30.43, 38.86],
            t: vec![38.86, 38.86, 38.86],
            weights: None,
        };
        let monetary = [0.0, 22.5, gammagamma::MAX_MONETARY_VALUE];
        let spend = gammagamma::GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        for model in cdnow_models() {
            for (rate, units) in [(0.0, MAX_UNITS_PER_MONTH), (1.0, 4.345), (0.0, 1e-3)] {
                let options = ValueOptions {
                    months: f64::from(MAX_MONTHS),
                    monthly_discount_rate: rate,
                    units_per_month: units,
                };
                let values = customer_value(&model, &spend, &summary, &monetary, &options).unwrap();
                assert!(
                    values.iter().all(|v| v.is_finite() && *v > 0.0),
                    "{model:?} {rate} {units}: {values:?}"
                );
            }
        }
    }

    #[test]
    fn customer_value_equals_the_month_by_month_formula() {
        // Customers sharing (x, T) with different recencies reuse one alive-customer sum.
        let customers = [
            (0.0, 0.0, 38.86, 0.0),
            (2.0, 30.43, 38.86, 22.5),
            (2.0, 10.0, 38.86, 40.0),
            (26.0, 30.86, 31.0, 18.0),
            (7.0, 36.0, 37.0, 55.1),
            (7.0, 1.0, 37.0, 55.1),
        ];
        let summary = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        };
        let monetary: Vec<f64> = customers.iter().map(|c| c.3).collect();
        let spend = gammagamma::GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let models = cdnow_models();
        for months in [1.0, 12.0, 60.0] {
            let options = ValueOptions {
                months,
                monthly_discount_rate: 0.01,
                units_per_month: 4.345,
            };
            for model in &models {
                let values = customer_value(model, &spend, &summary, &monetary, &options).unwrap();
                for (c, got) in customers.iter().zip(values) {
                    let want = straightforward_value(
                        model.purchase_model().unwrap(),
                        &spend,
                        *c,
                        &options,
                    );
                    assert!(
                        (got - want).abs() <= 1e-12 * want.abs(),
                        "{model:?} {c:?} {months} months: {got} vs {want}"
                    );
                }
            }
        }
    }
}
