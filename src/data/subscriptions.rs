//! Subscription logs in, the durations the retention models take out.
//!
//! [`summarize_subscriptions`] reads a CSV with one row per subscription (a customer id, a start date,
//! an end date left blank while it is active; optionally a plan and a price per period) and returns
//! one row per customer relationship (tenure in whole periods, churned or still active: the
//! individual-level data of `fitSbg` and `fitBdw`), the survivor counts of each cohort (the
//! relationships starting in one period), and, with prices, the revenue billed in each period.
//!
//! Periods are calendar months, quarters or years, or a fixed number of days. A subscription renews
//! on the anniversaries of its start: the same day of the month (the month's last day when it has
//! fewer, so one starting on 31 January renews on 28 or 29 February) or every n days. Then:
//! - a subscription that ended is lost in the period its end falls in: its tenure T is the number of
//!   periods it began, at least 1 (one that ends on an anniversary did not begin the next period);
//! - one still active at the observation end (its end blank, or after the observation end) is
//!   censored there, with tenure the anniversaries it has passed: T > tenure;
//! - its cohort is the calendar period of its start (for periods of n days, the n-day periods counted
//!   from the first start in the file), labelled `2024-03`, `2024-Q1`, `2024`, or by its first day;
//! - a cohort's survivor counts go as far as every one of its relationships is observed (to the
//!   tenure its latest starter has reached).
//!
//! One customer's subscriptions make relationships by these rules (each counted in the result):
//! - subscriptions that overlap (one starts before the other ends, or while it is active) are one
//!   relationship, from the first start to the last end (`overlapsMerged`);
//! - a return less than one period after an end is a lapse, not a churn: the relationship goes on
//!   from its first start (`lapsesJoined`);
//! - a return one period or more after an end is a new relationship, in the cohort of its start
//!   (`resubscriptions`); the customer's id appears once per relationship.
//!
//! Revenue: each subscription bills its price at its start and at each anniversary while it lasts
//! (periods 1 … T), into the calendar period of the billing; `revenueByPeriod` and
//! `subscribersByPeriod` run from the first cohort's period to the observation end's.
//!
//! Dates are read in `dateFormat` (or guessed from both date columns with `auto`); a date that is not
//! in that format is also tried as `YYYY-MM-DD` and `YYYYMMDD`, which cannot be mistaken, so a file
//! mixing those with its own format still reads. Rows that cannot be used are skipped with their line
//! and reason: a missing id or start, a bad date, an end before the start, a bad price; subscriptions
//! starting after the observation end are left out and counted (`excludedSubscriptions`). The CSV
//! layer (byte-order mark, delimiter, quotes, CRLF, bytes that are not UTF-8) is the transaction
//! reader's. Nothing here panics, whatever the bytes.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::dates::{self, civil_from_days, days_from_civil, days_in_month, format_iso};
use super::{
    blank_as_none, column_error, first_skipped, ids, read_record, record_line, shown,
    summary::parse_end, table, AmountReader, DataError, DateFormat, Decimal, ReadAmounts,
    SkippedRow, MAX_LISTED_SKIPS,
};

/// The longest period of days accepted (ten years).
pub const MAX_PERIOD_DAYS: u32 = 3660;

/// The length of a period of tenure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    test,
    derive(ts_rs::TS),
    ts(type = "\"month\" | \"quarter\" | \"year\" | number")
)]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Year,
    /// A fixed number of days, 1 to 3,660.
    Days(u32),
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PeriodVisitor)
    }
}

struct PeriodVisitor;

impl Visitor<'_> for PeriodVisitor {
    type Value = Period;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "\"month\", \"quarter\", \"year\" or a whole number of days from 1 to {MAX_PERIOD_DAYS}"
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Period, E> {
        match text {
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            "year" => Ok(Period::Year),
            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }

    fn visit_f64<E: de::Error>(self, days: f64) -> Result<Period, E> {
        if days.fract() == 0.0 && (1.0..=f64::from(MAX_PERIOD_DAYS)).contains(&days) {
            Ok(Period::Days(days as u32))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(days), &self))
        }
    }

    fn visit_u64<E: de::Error>(self, days: u64) -> Result<Period, E> {
        self.visit_f64(days as f64)
    }

    fn visit_i64<E: de::Error>(self, days: i64) -> Result<Period, E> {
        self.visit_f64(days as f64)
    }
}

impl Period {
    /// Calendar months per period, `None` for periods of days.
    fn months(self) -> Option<i64> {
        match self {
            Period::Month => Some(1),
            Period::Quarter => Some(3),
            Period::Year => Some(12),
            Period::Days(_) => None,
        }
    }

    /// The `n`-th anniversary of `start` (day numbers).
    fn anniversary(self, start: i32, n: i64) -> i64 {
        match (self, self.months()) {
            (Period::Days(d), _) => i64::from(start) + n * i64::from(d),
            (_, Some(k)) => {
                let (year, month, day) = civil_from_days(start);
                let months = i64::from(year) * 12 + i64::from(month) - 1 + n * k;
                let (y, m) = (
                    months.div_euclid(12) as i32,
                    months.rem_euclid(12) as u32 + 1,
                );
                let d = day.min(days_in_month(y, m));
                i64::from(days_from_civil(y, m, d).unwrap_or(i32::MAX))
            }
            _ => i64::MAX,
        }
    }

    /// The anniversaries of `start` passed by `day` (`day ≥ start`) and whether `day` is one.
    fn elapsed(self, start: i32, day: i32) -> (u32, bool) {
        let rough = match (self, self.months()) {
            (Period::Days(d), _) => i64::from(day - start) / i64::from(d),
            (_, Some(k)) => {
                let (y0, m0, _) = civil_from_days(start);
                let (y1, m1, _) = civil_from_days(day);
                ((i64::from(y1) - i64::from(y0)) * 12 + i64::from(m1) - i64::from(m0)) / k
            }
            _ => 0,
        };
        let day = i64::from(day);
        let mut n = rough.max(0);
        while n > 0 && self.anniversary(start, n) > day {
            n -= 1;
        }
        while self.anniversary(start, n + 1) <= day {
            n += 1;
        }
        (
            u32::try_from(n).unwrap_or(u32::MAX),
            self.anniversary(start, n) == day,
        )
    }

    /// The calendar period of `day`: months, quarters or years since 1970, or n-day periods since
    /// `origin`.
    fn index(self, day: i32, origin: i32) -> i64 {
        match (self, self.months()) {
            (Period::Days(d), _) => i64::from(day - origin).div_euclid(i64::from(d)),
            (_, Some(k)) => {
                let (year, month, _) = civil_from_days(day);
                (i64::from(year) * 12 + i64::from(month) - 1).div_euclid(k)
            }
            _ => 0,
        }
    }

    /// The label of calendar period `index`.
    fn label(self, index: i64, origin: i32) -> String {
        match self {
            Period::Month => format!("{}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1),
            Period::Quarter => format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
            Period::Year => index.to_string(),
            Period::Days(d) => {
                let first = i64::from(origin) + index * i64::from(d);
                format_iso(i32::try_from(first).unwrap_or(i32::MAX))
            }
        }
    }

    /// The option's spelling: `month`, `quarter`, `year`, or the days.
    fn spelled(self) -> String {
        match self {
            Period::Month => "month".to_owned(),
            Period::Quarter => "quarter".to_owned(),
            Period::Year => "year".to_owned(),
            Period::Days(d) => format!("{d} days"),
        }
    }
}

/// What to read from the CSV (`summarizeSubscriptions`' `options`). An optional field that is `null`,
/// `undefined` or blank text is not given.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SubscriptionOptions {
    /// Header name of the customer id column.
    pub customer_column: String,
    /// Header name of the start date column.
    pub start_column: String,
    /// Header name of the end date column (blank while the subscription is active).
    pub end_column: String,
    /// Header name of the plan column (text), if any.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub plan_column: Option<String>,
    /// Header name of the price-per-period column, if any.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub price_column: Option<String>,
    /// The period of tenure: `"month"` (the default), `"quarter"`, `"year"` or a number of days.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub period: Period,
    /// How dates are written; `YYYY-MM-DD` when not given, `auto` to guess.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub date_format: DateFormat,
    /// The day the log was taken, in `dateFormat` or `YYYY-MM-DD`; the latest date in the file when
    /// not given.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub observation_end: Option<String>,
    /// One ASCII character; guessed from the header line when not given.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub delimiter: Option<String>,
    /// The price column's decimal separator, `"."` or `","`; decided from the prices when not given.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub decimal: Decimal,
}

impl SubscriptionOptions {
    /// Options reading these columns, with every default.
    pub fn new(customer_column: &str, start_column: &str, end_column: &str) -> Self {
        SubscriptionOptions {
            customer_column: customer_column.to_owned(),
            start_column: start_column.to_owned(),
            end_column: end_column.to_owned(),
            plan_column: None,
            price_column: None,
            period: Period::Month,
            date_format: DateFormat::Iso,
            observation_end: None,
            delimiter: None,
            decimal: Decimal::Auto,
        }
    }
}

/// A cohort: the relationships starting in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SubscriptionCohort"))]
pub struct Cohort {
    /// The period, `2024-03`, `2024-Q1`, `2024`, or its first day for periods of days.
    pub label: String,
    /// `survivors[t]`: its relationships still active after t periods, for t = 0 up to the tenure
    /// every one of them is observed to.
    pub survivors: Vec<f64>,
}

/// `summarizeSubscriptions`' result: one row per customer relationship (the columns `fitSbg` and
/// `fitBdw` take), and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionSummary {
    /// The customer of each relationship (a customer who came back after a gap has two).
    pub customer_ids: Vec<String>,
    /// Whole periods: the period lost in when `churned` is 1, the anniversaries passed when it is 0.
    pub tenure: Vec<f64>,
    /// 1 when the relationship ended by the observation end, 0 when it is still active.
    pub churned: Vec<f64>,
    /// The index in `byCohort` of each relationship's cohort.
    pub cohort: Vec<f64>,
    /// The plan of each relationship's first subscription (with `planColumn`).
    pub plan: Option<Vec<String>>,
    /// With `priceColumn`, the price per period each relationship pays at its end: for one still
    /// active, the sum of its subscriptions still running at the observation end (a customer holding
    /// two pays both); for one lost, that of the subscriptions that ended last.
    pub price: Option<Vec<f64>>,
    pub report: SubscriptionReport,
}

/// What `summarizeSubscriptions` read, by cohort and by period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SubscriptionReport {
    /// The cohorts, in time order.
    pub by_cohort: Vec<Cohort>,
    /// The calendar periods from the first cohort's to the observation end's.
    pub periods: Vec<String>,
    /// Subscriptions billed in each of `periods`.
    pub subscribers_by_period: Vec<f64>,
    /// Revenue billed in each of `periods` (with `priceColumn`).
    #[cfg_attr(test, ts(optional = nullable))]
    pub revenue_by_period: Option<Vec<f64>>,
    /// Data rows read.
    pub rows: usize,
    /// The first 100 skipped rows.
    pub skipped: Vec<SkippedRow>,
    /// Every skipped row.
    pub skipped_count: usize,
    /// Subscriptions starting after the observation end, left out.
    pub excluded_subscriptions: usize,
    /// Subscriptions ending after the observation end, counted as active there.
    pub ends_after_observation: usize,
    /// Subscriptions merged into an overlapping one of the same customer.
    pub overlaps_merged: usize,
    /// Returns within one period of an end, joined to the relationship before.
    pub lapses_joined: usize,
    /// Returns one period or more after an end, counted as new relationships.
    pub resubscriptions: usize,
    /// The first start in the file, `YYYY-MM-DD`.
    pub first_date: String,
    /// The latest date in the file, `YYYY-MM-DD`.
    pub last_date: String,
    /// The observation end used, `YYYY-MM-DD`.
    pub observation_end: String,
    /// The period used: `month`, `quarter`, `year`, or `n days`.
    pub period: String,
    /// The date format used (the one guessed with `auto`).
    #[cfg_attr(test, ts(as = "DateFormat"))]
    pub date_format: &'static str,
    /// The price column's decimal separator (the one decided with `auto`; `.` without prices).
    pub decimal: Decimal,
    /// The currency the prices name (`€12,50`, `12.50 EUR`), if they name one.
    pub currency: Option<String>,
}

/// One usable row.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Subscription {
    customer: u32,
    start: i32,
    end: Option<i32>,
    plan: u32,
    price: f64,
}

/// The columns read.
struct Columns {
    customer: usize,
    start: usize,
    end: usize,
    plan: Option<usize>,
    price: Option<usize>,
}

impl Columns {
    fn find(header: &[String], options: &SubscriptionOptions) -> Result<Self, DataError> {
        let customer = table::column_index(header, "customerColumn", &options.customer_column)?;
        let start = table::column_index(header, "startColumn", &options.start_column)?;
        let end = table::column_index(header, "endColumn", &options.end_column)?;
        for (option, index, other) in [
            ("startColumn", start, customer),
            ("endColumn", end, customer),
            ("endColumn", end, start),
        ] {
            if index == other {
                return Err(DataError::invalid(option, "is the same column as another"));
            }
        }
        let optional = |option, name: &Option<String>| {
            name.as_deref()
                .map(|n| table::column_index(header, option, n))
                .transpose()
        };
        Ok(Columns {
            customer,
            start,
            end,
            plan: optional("planColumn", &options.plan_column)?,
            price: optional("priceColumn", &options.price_column)?,
        })
    }
}

/// The usable rows and the report of the others.
#[derive(Default)]
struct Log {
    ids: Vec<Box<[u8]>>,
    plans: Vec<Box<[u8]>>,
    subscriptions: Vec<Subscription>,
    rows: usize,
    skipped: Vec<SkippedRow>,
    skipped_count: usize,
    /// The price column's separator and currency.
    amounts: Option<ReadAmounts>,
}

/// Summarises the subscription log `bytes` (UTF-8 or not); see the module documentation.
pub fn summarize_subscriptions(
    bytes: &[u8],
    options: &SubscriptionOptions,
) -> Result<SubscriptionSummary, DataError> {
    let table::Opened {
        bytes,
        delimiter,
        reader,
        header,
    } = table::open(bytes, options.delimiter.as_deref())?;
    let columns = Columns::find(&header, options)?;
    let format = match options.date_format {
        DateFormat::Auto => guess_format(bytes, delimiter, &columns)?,
        given => given,
    };
    let log = read_log(bytes, reader, &columns, format, options.decimal)?;
    summarize_log(log, options, format, columns.price.is_some())
}

/// Resolves `dateFormat: "auto"` from the start and end columns.
fn guess_format(bytes: &[u8], delimiter: u8, columns: &Columns) -> Result<DateFormat, DataError> {
    let mut reader = table::reader(bytes, delimiter);
    let values = reader
        .byte_records()
        .skip(1)
        .map_while(Result::ok)
        .flat_map(|record| {
            [columns.start, columns.end]
                .map(|i| record.get(i).map(<[u8]>::to_vec).unwrap_or_default())
        });
    super::format_of(dates::guess_format(values))
}

/// A date in `format`, else in one of the formats that cannot be mistaken.
fn parse_any(text: &[u8], format: DateFormat) -> Option<i32> {
    dates::parse_date(text, format)
        .or_else(|| dates::parse_date(text, DateFormat::Iso))
        .or_else(|| dates::parse_date(text, DateFormat::Compact))
}

fn read_log(
    bytes: &[u8],
    mut reader: csv::Reader<&[u8]>,
    columns: &Columns,
    format: DateFormat,
    decimal: Decimal,
) -> Result<Log, DataError> {
    let mut log = Log::default();
    let (mut customers, mut plans) = (ids::CustomerIndex::default(), ids::CustomerIndex::default());
    let mut amounts = AmountReader::new(decimal);
    let mut record = csv::ByteRecord::new();
    while read_record(&mut reader, &mut record) {
        log.rows += 1;
        let slot = log.subscriptions.len();
        let row = match parse_row(&record, columns, format) {
            Ok((row, Some(text))) => amounts
                .read(text, slot, || record_line(bytes, &record))
                .map_err(|e| column_error(e, "priceColumn"))?
                .map(|price| Row { price, ..row })
                .map_err(|e| e.replace("value", "price")),
            Ok((row, None)) => Ok(row),
            Err(reason) => Err(reason),
        };
        match row {
            Ok(row) => log.subscriptions.push(Subscription {
                customer: customers.index_of(row.id),
                start: row.start,
                end: row.end,
                plan: plans.index_of(row.plan),
                price: row.price,
            }),
            Err(reason) => {
                log.skipped_count += 1;
                if log.skipped.len() < MAX_LISTED_SKIPS {
                    let line = record_line(bytes, &record);
                    log.skipped.push(SkippedRow { line, reason });
                }
            }
        }
    }
    let amounts = amounts
        .finish()
        .map_err(|e| column_error(e, "priceColumn"))?;
    for &(slot, price) in &amounts.corrections {
        log.subscriptions[slot].price = price;
    }
    log.amounts = Some(amounts);
    log.ids = customers.into_ids();
    log.plans = plans.into_ids();
    if log.rows == 0 {
        return Err(DataError::NoRows);
    }
    if log.subscriptions.is_empty() {
        let (line, reason) = first_skipped(&log.skipped).unwrap_or_default();
        return Err(DataError::NoSubscriptions {
            rows: log.rows,
            line,
            reason,
        });
    }
    Ok(log)
}

/// The fields of a usable row, the id and plan as they are in the file.
struct Row<'r> {
    id: &'r [u8],
    start: i32,
    end: Option<i32>,
    plan: &'r [u8],
    price: f64,
}

/// A row's fields (the price 0 until read) and its price field, or why it cannot be used.
fn parse_row<'r>(
    record: &'r csv::ByteRecord,
    columns: &Columns,
    format: DateFormat,
) -> Result<(Row<'r>, Option<&'r [u8]>), String> {
    let field = |i: usize, name: &str| {
        record
            .get(i)
            .map(<[u8]>::trim_ascii)
            .ok_or_else(|| format!("no {name} field (the row has {} fields)", record.len()))
    };
    let id = field(columns.customer, "customer")?;
    if id.is_empty() {
        return Err("missing customer id".to_owned());
    }
    let date = |i: usize, name: &str| -> Result<Option<i32>, String> {
        let text = field(i, name)?;
        if text.is_empty() {
            return Ok(None);
        }
        parse_any(text, format).map(Some).ok_or_else(|| {
            format!(
                "bad {name} date '{}' (expected {})",
                shown(text),
                format.label()
            )
        })
    };
    let start = date(columns.start, "start")?.ok_or("missing start date")?;
    let end = date(columns.end, "end")?;
    if let Some(end) = end.filter(|&end| end < start) {
        return Err(format!(
            "end {} is before start {}",
            format_iso(end),
            format_iso(start)
        ));
    }
    let plan = match columns.plan {
        Some(i) => field(i, "plan")?,
        None => b"",
    };
    let price = match columns.price {
        Some(i) => Some(field(i, "price")?),
        None => None,
    };
    let row = Row {
        id,
        start,
        end,
        plan,
        price: 0.0,
    };
    Ok((row, price))
}

/// One customer relationship: its first start, its end (`None` while active at the observation end)
/// and its first subscription's plan.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Relationship {
    customer: u32,
    start: i32,
    end: Option<i32>,
    plan: u32,
    /// The price per period it pays at its end (see [`SubscriptionSummary::price`]).
    price: f64,
}

/// The counts of the relationship rules.
#[derive(Default)]
struct Rules {
    overlaps: usize,
    lapses: usize,
    returns: usize,
}

/// One customer's subscriptions (sorted by start) as relationships, by the module's rules.
fn relationships(
    subscriptions: &[Subscription],
    period: Period,
    rules: &mut Rules,
) -> Vec<Relationship> {
    let mut out: Vec<Relationship> = Vec::new();
    for s in subscriptions {
        if let Some(current) = out.last_mut() {
            let joins = match current.end {
                None => {
                    rules.overlaps += 1;
                    true
                }
                Some(end) if s.start <= end => {
                    rules.overlaps += 1;
                    true
                }
                Some(end) if i64::from(s.start) < period.anniversary(end, 1) => {
                    rules.lapses += 1;
                    true
                }
                Some(_) => false,
            };
            if joins {
                current.price = match (current.end, s.end) {
                    // Both in force at the end: both are paid.
                    (None, None) => current.price + s.price,
                    (None, Some(_)) => current.price,
                    (Some(_), None) => s.price,
                    (Some(a), Some(b)) if a == b => current.price + s.price,
                    (Some(a), Some(b)) if b > a => s.price,
                    (Some(_), Some(_)) => current.price,
                };
                current.end = current.end.zip(s.end).map(|(a, b)| a.max(b));
                continue;
            }
            rules.returns += 1;
        }
        out.push(Relationship {
            customer: s.customer,
            start: s.start,
            end: s.end,
            plan: s.plan,
            price: s.price,
        });
    }
    out
}

/// Tenure and churn of a subscription or relationship from `start` to `end` (`None`: active at
/// `observation_end`).
fn tenure(start: i32, end: Option<i32>, period: Period, observation_end: i32) -> (u32, bool) {
    match end {
        Some(end) => {
            let (whole, exact) = period.elapsed(start, end);
            ((whole + u32::from(!exact)).max(1), true)
        }
        None => (period.elapsed(start, observation_end).0, false),
    }
}

fn summarize_log(
    mut log: Log,
    options: &SubscriptionOptions,
    format: DateFormat,
    priced: bool,
) -> Result<SubscriptionSummary, DataError> {
    let period = options.period;
    let first = log.subscriptions.iter().map(|s| s.start).min().unwrap_or(0);
    let last = log
        .subscriptions
        .iter()
        .map(|s| s.end.unwrap_or(s.start).max(s.start))
        .max()
        .unwrap_or(0);
    let observation_end = match &options.observation_end {
        Some(text) => parse_end("observationEnd", text, format)?,
        None => last,
    };
    let before = log.subscriptions.len();
    log.subscriptions.retain(|s| s.start <= observation_end);
    let excluded = before - log.subscriptions.len();
    if log.subscriptions.is_empty() {
        return Err(DataError::invalid(
            "observationEnd",
            format!(
                "{} is before every start (the first is {})",
                format_iso(observation_end),
                format_iso(first)
            ),
        ));
    }
    let mut ends_after = 0;
    for s in &mut log.subscriptions {
        if s.end.is_some_and(|end| end > observation_end) {
            s.end = None;
            ends_after += 1;
        }
    }
    log.subscriptions.sort_by_key(|s| (s.customer, s.start));
    let mut rules = Rules::default();
    let relations: Vec<Relationship> = log
        .subscriptions
        .chunk_by(|a, b| a.customer == b.customer)
        .flat_map(|one| relationships(one, period, &mut rules))
        .collect();
    let first_index = period.index(first, first);
    let last_index = period.index(observation_end, first);
    let mut cohort_of: Vec<i64> = relations
        .iter()
        .map(|r| period.index(r.start, first))
        .collect();
    let mut indices = cohort_of.clone();
    indices.sort_unstable();
    indices.dedup();
    let (mut tenures, mut churned) = (Vec::new(), Vec::new());
    let mut observed = vec![u32::MAX; indices.len()];
    for (r, c) in relations.iter().zip(&mut cohort_of) {
        let (t, lost) = tenure(r.start, r.end, period, observation_end);
        tenures.push(f64::from(t));
        churned.push(if lost { 1.0 } else { 0.0 });
        *c = indices.binary_search(c).unwrap_or(0) as i64;
        let reach = period.elapsed(r.start, observation_end).0;
        observed[*c as usize] = observed[*c as usize].min(reach);
    }
    let mut by_cohort: Vec<Cohort> = indices
        .iter()
        .zip(&observed)
        .map(|(&index, &reach)| Cohort {
            label: period.label(index, first),
            survivors: vec![0.0; reach as usize + 1],
        })
        .collect();
    for ((&c, &t), &lost) in cohort_of.iter().zip(&tenures).zip(&churned) {
        let survivors = &mut by_cohort[c as usize].survivors;
        // Alive after s periods: every s below its tenure if it churned, every s it is observed to
        // if not (which is at least the cohort's reach).
        let alive = if lost == 1.0 {
            t as usize
        } else {
            survivors.len()
        };
        for s in survivors.iter_mut().take(alive) {
            *s += 1.0;
        }
    }
    let span = usize::try_from(last_index - first_index + 1).unwrap_or(0);
    let (mut billed, mut revenue) = (vec![0.0; span], vec![0.0; span]);
    for s in &log.subscriptions {
        let (t, lost) = tenure(s.start, s.end, period, observation_end);
        let bills = if lost { t } else { t + 1 } as usize;
        let from = usize::try_from(period.index(s.start, first) - first_index).unwrap_or(span);
        for i in from..(from + bills).min(span) {
            billed[i] += 1.0;
            revenue[i] += s.price;
        }
    }
    let name = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    Ok(SubscriptionSummary {
        customer_ids: relations
            .iter()
            .map(|r| name(&log.ids[r.customer as usize]))
            .collect(),
        tenure: tenures,
        churned,
        cohort: cohort_of.iter().map(|&c| c as f64).collect(),
        plan: options.plan_column.as_ref().map(|_| {
            relations
                .iter()
                .map(|r| name(&log.plans[r.plan as usize]))
                .collect()
        }),
        price: priced.then(|| relations.iter().map(|r| r.price).collect()),
        report: SubscriptionReport {
            by_cohort,
            periods: (first_index..=last_index)
                .map(|i| period.label(i, first))
                .collect(),
            subscribers_by_period: billed,
            revenue_by_period: priced.then_some(revenue),
            rows: log.rows,
            skipped: log.skipped,
            skipped_count: log.skipped_count,
            excluded_subscriptions: excluded,
            ends_after_observation: ends_after,
            overlaps_merged: rules.overlaps,
            lapses_joined: rules.lapses,
            resubscriptions: rules.returns,
            first_date: format_iso(first),
            last_date: format_iso(last),
            observation_end: format_iso(observation_end),
            period: period.spelled(),
            date_format: format.label(),
            decimal: log.amounts.as_ref().map_or(Decimal::Point, |a| a.decimal),
            currency: log.amounts.as_ref().and_then(|a| a.currency.clone()),
        },
    })
}

#[cfg(test)]
mod tests;
