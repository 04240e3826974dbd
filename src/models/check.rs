//! A check of a customer summary before the repeat-buying fits: what makes BG/NBD, Pareto/NBD,
//! MBG/NBD or Gamma-Gamma fail or mislead on these data, each finding in words with what to do.
//!
//! The thresholds are rules of thumb from the field's experience (the failures users of lifetimes and
//! CLVTools report: too few repeat buyers to identify the dropout process, a handful of extreme buyers
//! dominating the likelihood, a time unit that makes ages tiny or huge, zero spend, an empty holdout),
//! not tests of significance; each is a named constant below.

use serde::Serialize;

use super::{ModelError, Summary};
use crate::error::InputError;

/// Fewer customers than this: the four parameters are estimated from too little data.
pub const MIN_CUSTOMERS: f64 = 100.0;
/// Fewer repeat buyers than this: the dropout process (a, b or s, β) is barely identified.
pub const MIN_REPEAT_BUYERS: f64 = 30.0;
/// A share of repeat buyers below this: most customers never came back, dropout is guessed.
pub const MIN_REPEAT_SHARE: f64 = 0.05;
/// The top 1 % of customers by frequency holding more than this share of all repeat purchases.
pub const MAX_TOP_SHARE: f64 = 0.5;
/// A median age T below this many time units: the unit is too coarse for the calibration period.
pub const MIN_MEDIAN_AGE: f64 = 2.0;
/// A largest age T above this many time units: the unit is too fine (days over decades).
pub const MAX_AGE: f64 = 5_000.0;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Severity {
    /// The fits will probably fail or be meaningless.
    Problem,
    /// The fits run, but read them with care.
    Warning,
}

/// One thing found, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "FitDataFinding"))]
pub struct Finding {
    /// A stable name: `fewCustomers`, `fewRepeatBuyers`, `extremeFrequencies`, `shortCalibration`,
    /// `longAges`, `noSpend`, `emptyHoldout`.
    pub code: &'static str,
    pub severity: Severity,
    /// What was found and what to do about it.
    pub message: String,
}

/// `checkFitData`'s result: the counts the findings rest on, and the findings (none when all is well).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "FitDataCheck"))]
pub struct Check {
    /// Customers (weights summed).
    pub customers: f64,
    /// Customers with at least one repeat purchase.
    pub repeat_buyers: f64,
    /// The median of T, in the summary's time unit.
    pub median_age: f64,
    pub findings: Vec<Finding>,
}

/// Optional columns the check also looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra<'a> {
    /// Mean spend of each customer's repeat purchases.
    pub monetary_value: Option<&'a [f64]>,
    /// Purchases of each customer in the holdout period.
    pub holdout_frequency: Option<&'a [f64]>,
}

/// Checks `summary` (and the optional columns) for what makes the fits fail or mislead.
pub fn check_fit_data(summary: &Summary, extra: Extra) -> Result<Check, ModelError> {
    summary.validate()?;
    let n = summary.frequency.len();
    for (name, column) in [
        ("monetaryValue", extra.monetary_value),
        ("holdoutFrequency", extra.holdout_frequency),
    ] {
        if let Some(column) = column {
            super::same_length(name, column, n)?;
            if let Some(i) = column.iter().position(|v| !v.is_finite()) {
                crate::error::finite(&format!("{name}[{i}]"), column[i])?;
            }
        }
    }
    let weight = |i: usize| summary.weights.as_ref().map_or(1.0, |w| w[i]);
    let customers: f64 = (0..n).map(weight).sum();
    if customers <= 0.0 {
        return Err(InputError::invalid("weights", "must not all be 0").into());
    }
    let repeat = |i: usize| summary.frequency[i] > 0.0;
    let repeat_buyers: f64 = (0..n).filter(|&i| repeat(i)).map(weight).sum();
    let median_age = weighted_median(&summary.t, &weight);
    let mut findings = Vec::new();
    let mut find = |code, severity, message: String| {
        findings.push(Finding {
            code,
            severity,
            message,
        })
    };
    if customers < MIN_CUSTOMERS {
        find("fewCustomers", Severity::Warning, format!(
            "only {} customers: the estimates will be rough; use at least {MIN_CUSTOMERS} (a longer log, or more cohorts)",
            words(customers)
        ));
    }
    if repeat_buyers < MIN_REPEAT_BUYERS || repeat_buyers < MIN_REPEAT_SHARE * customers {
        find("fewRepeatBuyers", Severity::Problem, format!(
            "only {} of {} customers bought again: too few to tell how customers drop out; extend the calibration period or check that the customer column identifies customers (not orders)",
            words(repeat_buyers), words(customers)
        ));
    }
    if let Some(share) = top_share(summary, &weight, customers) {
        if share > MAX_TOP_SHARE {
            find("extremeFrequencies", Severity::Warning, format!(
                "the top 1% of customers by frequency make {:.0}% of the repeat purchases: a few extreme buyers (resellers, test accounts) drive the fit; consider leaving them out",
                share * 100.0
            ));
        }
    }
    if median_age < MIN_MEDIAN_AGE {
        find("shortCalibration", Severity::Problem, format!(
            "the median customer age T is {} time units: the time unit is too coarse for this calibration period; use a finer unit (weeks instead of months or years)",
            words(median_age)
        ));
    }
    let oldest = summary.t.iter().copied().fold(0.0, f64::max);
    if oldest > MAX_AGE {
        find("longAges", Severity::Warning, format!(
            "the oldest customer is {} time units old: a unit this fine makes the fit slow and its parameters tiny; use a coarser unit (weeks instead of days)",
            words(oldest)
        ));
    }
    if let Some(spend) = extra.monetary_value {
        let none = (0..n).filter(|&i| repeat(i) && spend[i] <= 0.0).count();
        if none > 0 {
            find("noSpend", Severity::Warning, format!(
                "{none} repeat buyers have no positive spend: Gamma-Gamma leaves them out; check the value column (refunds, zero-value orders)"
            ));
        }
    }
    if let Some(holdout) = extra.holdout_frequency {
        if holdout.iter().all(|&h| h == 0.0) {
            find("emptyHoldout", Severity::Warning, "no customer bought in the holdout period: there is nothing to test the predictions against; move the calibration end earlier or the observation end later".to_owned());
        }
    }
    Ok(Check {
        customers,
        repeat_buyers,
        median_age,
        findings,
    })
}

/// The weighted median of `values` (the lower middle value at an even split).
/// A count or an age for a sentence: whole numbers as they are, others to one decimal (never "-0").
fn words(x: f64) -> String {
    let x = x + 0.0;
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn weighted_median(values: &[f64], weight: &dyn Fn(usize) -> f64) -> f64 {
    let order = ascending(values);
    let total: f64 = order.iter().map(|&i| weight(i)).sum();
    let mut seen = 0.0;
    for &i in &order {
        seen += weight(i);
        if seen >= total / 2.0 {
            return values[i];
        }
    }
    values[order[order.len() - 1]]
}

/// The indices of `values` in ascending order of value (one sort, shared, keeps the wasm small).
fn ascending(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    order
}

/// The share of all repeat purchases made by the top 1 % of customers by frequency (at least one
/// customer); `None` without any repeat purchase.
fn top_share(summary: &Summary, weight: &dyn Fn(usize) -> f64, customers: f64) -> Option<f64> {
    let x = &summary.frequency;
    let total: f64 = (0..x.len()).map(|i| weight(i) * x[i]).sum();
    if total <= 0.0 {
        return None;
    }
    let order = ascending(x);
    let mut room = (customers * 0.01).max(1.0);
    let mut top = 0.0;
    for &i in order.iter().rev() {
        let take = weight(i).min(room);
        top += take * x[i];
        room -= take;
        if room <= 0.0 {
            break;
        }
    }
    Some(top / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(frequency: Vec<f64>, t: f64) -> Summary {
        let n = frequency.len();
        Summary {
            recency: frequency
                .iter()
                .map(|&x| if x > 0.0 { t / 2.0 } else { 0.0 })
                .collect(),
            frequency,
            t: vec![t; n],
            weights: None,
        }
    }

    fn codes(check: &Check) -> Vec<&'static str> {
        check.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn healthy_data_have_no_findings() {
        // 200 customers, half of them repeat buyers with 1–4 repeat purchases, 39 weeks old.
        let frequency = (0..200).map(|i| f64::from(i % 2 * (1 + i % 4))).collect();
        let check = check_fit_data(&summary(frequency, 39.0), Extra::default()).unwrap();
        assert_eq!(check.customers, 200.0);
        assert_eq!(check.repeat_buyers, 100.0);
        assert_eq!(check.median_age, 39.0);
        assert!(check.findings.is_empty(), "{:?}", check.findings);
    }

    #[test]
    fn each_problem_is_found_and_named() {
        // 50 customers, 2 repeat buyers: too few of both.
        let mut frequency = vec![0.0; 50];
        frequency[0] = 1.0;
        frequency[1] = 1.0;
        let check = check_fit_data(&summary(frequency, 39.0), Extra::default()).unwrap();
        assert_eq!(codes(&check), ["fewCustomers", "fewRepeatBuyers"]);
        assert!(check.findings[1]
            .message
            .starts_with("only 2 of 50 customers"));
        // Nobody came back: "0", not the "-0" an empty float sum is.
        let check = check_fit_data(&summary(vec![0.0; 3], 8.4285714), Extra::default()).unwrap();
        assert!(check.findings[0].message.starts_with("only 3 customers:"));
        assert!(check.findings[1]
            .message
            .starts_with("only 0 of 3 customers"));

        // One buyer of 1,000 with 5,000 repeat purchases, 99 others with 1 each: the top 1 % (10
        // customers: the extreme one and nine others) make (5,000 + 9) / (5,000 + 99) = 98 %.
        let mut frequency: Vec<f64> = (0..1000).map(|i| f64::from(u8::from(i < 100))).collect();
        frequency[0] = 5000.0;
        let check = check_fit_data(&summary(frequency.clone(), 39.0), Extra::default()).unwrap();
        assert_eq!(codes(&check), ["extremeFrequencies"]);
        assert!(
            check.findings[0].message.contains("make 98%"),
            "{}",
            check.findings[0].message
        );

        // The same customers 1.5 years old in years, and 20 years old in days.
        let ordinary: Vec<f64> = (0..1000).map(|i| f64::from(u8::from(i < 300))).collect();
        let short = check_fit_data(&summary(ordinary.clone(), 1.5), Extra::default()).unwrap();
        assert_eq!(codes(&short), ["shortCalibration"]);
        assert!(short.findings[0].message.contains(" T is 1.5 time units"));
        let long = check_fit_data(&summary(ordinary.clone(), 7300.0), Extra::default()).unwrap();
        assert_eq!(codes(&long), ["longAges"]);

        // Zero spend for one repeat buyer (customers who never came back may have none); an empty holdout.
        let spend: Vec<f64> = (0..1000).map(|i| if i == 5 { 0.0 } else { 20.0 }).collect();
        let holdout = vec![0.0; 1000];
        let extra = Extra {
            monetary_value: Some(&spend),
            holdout_frequency: Some(&holdout),
        };
        let check = check_fit_data(&summary(ordinary, 39.0), extra).unwrap();
        assert_eq!(codes(&check), ["noSpend", "emptyHoldout"]);
        assert!(check.findings[0].message.starts_with("1 repeat buyers"));
    }

    #[test]
    fn weights_count_customers() {
        let s = Summary {
            frequency: vec![0.0, 2.0],
            recency: vec![0.0, 10.0],
            t: vec![20.0, 39.0],
            weights: Some(vec![300.0, 100.0]),
        };
        let check = check_fit_data(&s, Extra::default()).unwrap();
        assert_eq!((check.customers, check.repeat_buyers), (400.0, 100.0));
        // 300 of the 400 are 20 old: the weighted median is 20.
        assert_eq!(check.median_age, 20.0);
        assert!(check.findings.is_empty(), "{:?}", check.findings);
    }

    #[test]
    fn bad_columns_are_named() {
        let s = summary(vec![1.0, 0.0], 10.0);
        let spend = [f64::NAN, 1.0];
        let extra = Extra {
            monetary_value: Some(&spend),
            holdout_frequency: None,
        };
        let e = check_fit_data(&s, extra).unwrap_err().to_string();
        assert!(
            e.starts_with("monetaryValue[0]: must be a finite number"),
            "{e}"
        );
        let short = [1.0];
        let extra = Extra {
            monetary_value: None,
            holdout_frequency: Some(&short),
        };
        let e = check_fit_data(&s, extra).unwrap_err().to_string();
        assert!(e.starts_with("holdoutFrequency:"), "{e}");
    }
}
