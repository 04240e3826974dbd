//! From the usable rows of a log to the per-customer summary (conventions in the module above).

use super::dates::{self, format_iso};
use super::{DataError, DateFormat, Log, Options, Purchase, Summary};

/// Summarises the purchases of `log`, sorting them by customer and day first (rows may come in any order).
pub(super) fn summarize_log(
    mut log: Log,
    options: &Options,
    format: DateFormat,
) -> Result<Summary, DataError> {
    let first = log.purchases.iter().map(|p| p.day).min().unwrap_or(0);
    let last = log.purchases.iter().map(|p| p.day).max().unwrap_or(0);
    let calibration_end = match &options.calibration_end {
        Some(text) => parse_end("calibrationEnd", text, format)?,
        None => last,
    };
    let observation_end = match &options.observation_end {
        Some(text) => parse_end("observationEnd", text, format)?,
        None => last.max(calibration_end),
    };
    if observation_end < calibration_end {
        return Err(DataError::invalid(
            "observationEnd",
            format!(
                "{} is before options.calibrationEnd ({})",
                format_iso(observation_end),
                format_iso(calibration_end)
            ),
        ));
    }
    log.purchases.sort_unstable_by_key(|p| (p.customer, p.day));
    let unit = options.time_unit.days();
    let mut summary = Summary {
        rows: log.rows,
        skipped: log.skipped,
        skipped_count: log.skipped_count,
        first_date: format_iso(first),
        last_date: format_iso(last),
        calibration_end: format_iso(calibration_end),
        observation_end: format_iso(observation_end),
        date_format: format,
        ..Summary::default()
    };
    for purchases in log.purchases.chunk_by(|a, b| a.customer == b.customer) {
        let Some(customer) = Customer::from_purchases(purchases, calibration_end, observation_end)
        else {
            summary.excluded_customers += 1;
            continue;
        };
        let id = purchases
            .first()
            .and_then(|p| log.ids.get(p.customer as usize))
            .map(|id| String::from_utf8_lossy(id).into_owned())
            .unwrap_or_default();
        summary.customer_ids.push(id);
        summary.frequency.push(f64::from(customer.frequency));
        summary
            .recency
            .push(f64::from(customer.recency_days) / unit);
        summary.t.push(f64::from(customer.age_days) / unit);
        summary.monetary_value.push(customer.monetary_value);
        summary
            .holdout_frequency
            .push(f64::from(customer.holdout_frequency));
    }
    if summary.customer_ids.is_empty() {
        return Err(DataError::invalid(
            "calibrationEnd",
            format!(
                "{} is before every customer's first purchase (the first is on {})",
                format_iso(calibration_end),
                format_iso(first)
            ),
        ));
    }
    Ok(summary)
}

/// A calibration or observation end, in the file's date format or ISO.
fn parse_end(option: &'static str, text: &str, format: DateFormat) -> Result<i32, DataError> {
    dates::parse_date_or_iso(text, format).ok_or_else(|| {
        DataError::invalid(
            option,
            format!(
                "'{text}' is not a valid date (expected {} or YYYY-MM-DD)",
                format.label()
            ),
        )
    })
}

/// One customer's summary, times in days.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Customer {
    frequency: u32,
    recency_days: i32,
    age_days: i32,
    monetary_value: f64,
    holdout_frequency: u32,
}

impl Customer {
    /// The summary of one customer's purchases sorted by day; `None` if the first purchase is after
    /// `calibration_end`.
    fn from_purchases(
        purchases: &[Purchase],
        calibration_end: i32,
        observation_end: i32,
    ) -> Option<Customer> {
        let first_day = purchases.first()?.day;
        if first_day > calibration_end {
            return None;
        }
        let mut days = 0u32;
        let mut last_day = first_day;
        let mut repeat_value = 0.0;
        let mut holdout_frequency = 0u32;
        let mut previous = None;
        for p in purchases {
            let new_day = previous != Some(p.day);
            previous = Some(p.day);
            if p.day <= calibration_end {
                days += u32::from(new_day);
                last_day = p.day;
                if p.day != first_day {
                    repeat_value += p.value;
                }
            } else if p.day <= observation_end {
                holdout_frequency += u32::from(new_day);
            }
        }
        let frequency = days.saturating_sub(1);
        Some(Customer {
            frequency,
            recency_days: last_day - first_day,
            age_days: calibration_end - first_day,
            monetary_value: if frequency > 0 {
                repeat_value / f64::from(frequency)
            } else {
                0.0
            },
            holdout_frequency,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purchase(day: i32, value: f64) -> Purchase {
        Purchase {
            customer: 0,
            day,
            value,
        }
    }

    #[test]
    fn merges_days_and_averages_the_repeat_days() {
        // Days 0 (10 + 5), 3 (4 + 6), 7 (20); calibration ends on day 10, holdout to day 20.
        let p = [
            purchase(0, 10.0),
            purchase(0, 5.0),
            purchase(3, 4.0),
            purchase(3, 6.0),
            purchase(7, 20.0),
            purchase(12, 1.0),
            purchase(12, 1.0),
            purchase(15, 1.0),
            purchase(21, 1.0),
        ];
        let c = Customer::from_purchases(&p, 10, 20).unwrap();
        assert_eq!(c.frequency, 2);
        assert_eq!(c.recency_days, 7);
        assert_eq!(c.age_days, 10);
        assert_eq!(c.monetary_value, (10.0 + 20.0) / 2.0);
        assert_eq!(c.holdout_frequency, 2);
    }

    #[test]
    fn one_day_customers_have_zero_everything_but_age() {
        let c = Customer::from_purchases(&[purchase(5, 3.0), purchase(5, 4.0)], 5, 5).unwrap();
        assert_eq!(
            (c.frequency, c.recency_days, c.age_days, c.monetary_value),
            (0, 0, 0, 0.0)
        );
        assert_eq!(Customer::from_purchases(&[purchase(6, 1.0)], 5, 9), None);
    }
}
