//! From the usable rows of a log to the per-customer summary (conventions in the module above).

use super::dates::{self, format_iso};
use super::{DataError, DateFormat, Decimal, Log, MissingAttributes, Options, Purchase, Summary};

/// Summarises the purchases of `log`, sorting them by customer and day first (rows may come in any order).
pub(super) fn summarize_log(
    log: Log,
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
                "{} is before calibrationEnd ({})",
                format_iso(observation_end),
                format_iso(calibration_end)
            ),
        ));
    }
    let (grouped, starts) = group_by_customer(&log.purchases, log.ids.len());
    let unit = options.time_unit.days();
    let mut daily = Daily::new(first, calibration_end, observation_end);
    let mut summary = Summary {
        rows: log.rows,
        skipped: log.skipped,
        skipped_count: log.skipped_count,
        first_date: format_iso(first),
        last_date: format_iso(last),
        calibration_end: format_iso(calibration_end),
        observation_end: format_iso(observation_end),
        suggested_calibration_end: format_iso(first + two_thirds(last - first)),
        date_format: format,
        decimal: log.amounts.as_ref().map_or(Decimal::Point, |a| a.decimal),
        currency: log.amounts.as_ref().and_then(|a| a.currency.clone()),
        orders: log.orders,
        time_unit: options.time_unit,
        holdout_length: f64::from(observation_end - calibration_end) / unit,
        ..Summary::default()
    };
    // The log indices of the summary's customers, for their attributes.
    let mut kept = Vec::new();
    let drop_missing = options.missing_attributes == MissingAttributes::Drop;
    for (i, (id, range)) in log.ids.iter().zip(starts.windows(2)).enumerate() {
        let purchases = grouped.get(range[0]..range[1]).unwrap_or_default();
        if purchases.is_empty() {
            // Every purchase of this customer was refunded: not a customer of the summary.
            continue;
        }
        let excluded = purchases[0].day > calibration_end;
        if drop_missing && !excluded && log.attributes.missing(i) {
            summary.attribute_dropped_customers += 1;
            continue;
        }
        let Some(customer) =
            Customer::from_purchases(purchases, calibration_end, observation_end, &mut daily)
        else {
            summary.excluded_customers += 1;
            continue;
        };
        kept.push(i);
        summary
            .customer_ids
            .push(String::from_utf8_lossy(id).into_owned());
        summary.frequency.push(f64::from(customer.frequency));
        summary
            .recency
            .push(f64::from(customer.recency_days) / unit);
        summary.t.push(f64::from(customer.age_days) / unit);
        summary.monetary_value.push(customer.monetary_value);
        summary
            .holdout_frequency
            .push(f64::from(customer.holdout_frequency));
        summary
            .holdout_monetary_value
            .push(customer.holdout_monetary_value);
    }
    summary.attributes = log.attributes.finish(&kept, options)?;
    summary.first_purchases_by_day = daily.first_purchases;
    summary.calibration_repeats_by_day = daily.calibration_repeats;
    summary.holdout_repeats_by_day = daily.holdout_repeats;
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

/// Two thirds of `days` (not negative), to the nearer whole day: 2·days/3 is never halfway between two.
fn two_thirds(days: i32) -> i32 {
    (2 * days + 1) / 3
}

/// Per-day counts of the summarised customers' transactions (see [`Summary`]): first purchases and
/// repeat transactions from `origin` (the first date) to the calibration end, transactions after it.
#[derive(Debug, Clone, PartialEq)]
struct Daily {
    origin: i32,
    calibration_end: i32,
    first_purchases: Vec<f64>,
    calibration_repeats: Vec<f64>,
    holdout_repeats: Vec<f64>,
}

impl Daily {
    /// Zero counts for the days `first..=calibration_end` and `calibration_end + 1..=observation_end`.
    fn new(first: i32, calibration_end: i32, observation_end: i32) -> Self {
        let days = |from: i32, to: i32| vec![0.0; usize::try_from(to - from + 1).unwrap_or(0)];
        Daily {
            origin: first,
            calibration_end,
            first_purchases: days(first, calibration_end),
            calibration_repeats: days(first, calibration_end),
            holdout_repeats: days(calibration_end + 1, observation_end),
        }
    }

    /// Counts one transaction of a customer on `day` (a day after the observation end is not counted).
    fn add(&mut self, day: i32, first_day: i32) {
        let (counts, offset) = if day == first_day {
            (&mut self.first_purchases, day - self.origin)
        } else if day <= self.calibration_end {
            (&mut self.calibration_repeats, day - self.origin)
        } else {
            (&mut self.holdout_repeats, day - self.calibration_end - 1)
        };
        if let Some(count) = usize::try_from(offset).ok().and_then(|i| counts.get_mut(i)) {
            *count += 1.0;
        }
    }
}

/// The purchases grouped by customer index and sorted by day within each customer, and where each
/// customer's run starts (`starts[c]..starts[c + 1]`, `customers + 1` entries). A counting sort on the
/// customer index (two passes, however the rows were ordered), then a sort of each customer's few rows.
fn group_by_customer(purchases: &[Purchase], customers: usize) -> (Vec<Purchase>, Vec<usize>) {
    let mut starts = vec![0usize; customers + 1];
    for p in purchases {
        if let Some(count) = starts.get_mut(p.customer as usize + 1) {
            *count += 1;
        }
    }
    for c in 1..starts.len() {
        starts[c] += starts[c - 1];
    }
    let mut next = starts.clone();
    let mut grouped = vec![
        Purchase {
            customer: 0,
            day: 0,
            value: 0.0
        };
        purchases.len()
    ];
    for p in purchases {
        if let Some(slot) = next.get_mut(p.customer as usize) {
            if let Some(place) = grouped.get_mut(*slot) {
                *place = *p;
            }
            *slot += 1;
        }
    }
    for range in starts.windows(2) {
        if let Some(run) = grouped.get_mut(range[0]..range[1]) {
            run.sort_unstable_by_key(|p| p.day);
        }
    }
    (grouped, starts)
}

/// A calibration or observation end, in the file's date format or ISO.
pub(super) fn parse_end(
    option: &'static str,
    text: &str,
    format: DateFormat,
) -> Result<i32, DataError> {
    dates::parse_date_or_iso(text, format).ok_or_else(|| {
        DataError::invalid(
            option,
            match format {
                DateFormat::Iso => format!("'{text}' is not a valid date (expected YYYY-MM-DD)"),
                _ => format!(
                    "'{text}' is not a valid date (expected {} or YYYY-MM-DD)",
                    format.label()
                ),
            },
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
    holdout_monetary_value: f64,
}

impl Customer {
    /// The summary of one customer's purchases sorted by day, each transaction also counted in `daily`;
    /// `None` (and nothing counted) if the first purchase is after `calibration_end`.
    fn from_purchases(
        purchases: &[Purchase],
        calibration_end: i32,
        observation_end: i32,
        daily: &mut Daily,
    ) -> Option<Customer> {
        let first_day = purchases.first()?.day;
        if first_day > calibration_end {
            return None;
        }
        let mut days = 0u32;
        let mut last_day = first_day;
        let mut repeat_value = 0.0;
        let mut holdout_frequency = 0u32;
        let mut holdout_value = 0.0;
        let mut previous = None;
        for p in purchases {
            let new_day = previous != Some(p.day);
            previous = Some(p.day);
            if new_day {
                daily.add(p.day, first_day);
            }
            if p.day <= calibration_end {
                days += u32::from(new_day);
                last_day = p.day;
                if p.day != first_day {
                    repeat_value += p.value;
                }
            } else if p.day <= observation_end {
                holdout_frequency += u32::from(new_day);
                holdout_value += p.value;
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
            holdout_monetary_value: if holdout_frequency > 0 {
                holdout_value / f64::from(holdout_frequency)
            } else {
                0.0
            },
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
        let mut daily = Daily::new(0, 10, 20);
        let c = Customer::from_purchases(&p, 10, 20, &mut daily).unwrap();
        assert_eq!(c.frequency, 2);
        assert_eq!(c.recency_days, 7);
        assert_eq!(c.age_days, 10);
        assert_eq!(c.monetary_value, (10.0 + 20.0) / 2.0);
        assert_eq!(c.holdout_frequency, 2);
        // Holdout days 12 (1 + 1) and 15 (1); day 21 is after the observation end.
        assert_eq!(c.holdout_monetary_value, (2.0 + 1.0) / 2.0);
        // Days 0 … 10, then 11 … 20: the first day, the repeat days 3 and 7, the holdout days 12 and 15.
        let mut first = vec![0.0; 11];
        first[0] = 1.0;
        let mut repeats = vec![0.0; 11];
        repeats[3] = 1.0;
        repeats[7] = 1.0;
        let mut holdout = vec![0.0; 10];
        holdout[12 - 11] = 1.0;
        holdout[15 - 11] = 1.0;
        assert_eq!(daily.first_purchases, first);
        assert_eq!(daily.calibration_repeats, repeats);
        assert_eq!(daily.holdout_repeats, holdout);
    }

    #[test]
    fn two_thirds_rounds_to_the_nearer_day() {
        // 0, 2/3, 4/3, 2, 8/3, 545·2/3 = 363.33.
        let got: Vec<i32> = [0, 1, 2, 3, 4, 545].map(two_thirds).to_vec();
        assert_eq!(got, [0, 1, 1, 2, 3, 363]);
    }

    #[test]
    fn one_day_customers_have_zero_everything_but_age() {
        let mut daily = Daily::new(5, 5, 9);
        let c = Customer::from_purchases(&[purchase(5, 3.0), purchase(5, 4.0)], 5, 5, &mut daily)
            .unwrap();
        assert_eq!(
            (c.frequency, c.recency_days, c.age_days, c.monetary_value),
            (0, 0, 0, 0.0)
        );
        assert_eq!(daily.first_purchases, [1.0]);
        assert_eq!(
            Customer::from_purchases(&[purchase(6, 1.0)], 5, 9, &mut daily),
            None
        );
        assert_eq!(
            daily.holdout_repeats, [0.0; 4],
            "an excluded customer is not counted"
        );
    }
}
