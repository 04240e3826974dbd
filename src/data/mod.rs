//! Transaction logs in, the RFM summary the purchase models take out.
//!
//! [`summarize`] reads a CSV of transactions (one row per purchase: a customer id, a date, optionally a
//! value) and returns, per customer, the summary that BG/NBD, Pareto/NBD, MBG/NBD and Gamma-Gamma are
//! fitted on, with the conventions of Python `lifetimes` (`summary_data_from_transaction_data`) and R
//! `BTYD` (`dc.ElogToCbsCbt`), as in Fader, Hardie & Lee (2005), "Counting your customers the easy way":
//!
//! - purchases on the same calendar day are one transaction, their values summed;
//! - `frequency` x = number of repeat transactions (distinct purchase days in the calibration period − 1);
//! - `recency` t_x = time from the first to the last transaction in the calibration period;
//! - `T` = time from the first transaction to `calibrationEnd`;
//! - `monetaryValue` = mean value of the repeat transactions (the first day's value left out), 0 when
//!   there are none;
//! - `holdoutFrequency` = number of distinct purchase days after `calibrationEnd`, up to and including
//!   `observationEnd` (every later day when it is not given);
//! - customers whose first purchase is after `calibrationEnd` are left out (and counted in
//!   `excluded_customers`);
//! - per day from `firstDate`, for the customers summarised: first purchases (to `calibrationEnd`),
//!   repeat transactions in the calibration period (summing to the frequencies) and transactions in
//!   the holdout period (summing to the holdout frequencies), for a page's tracking charts.
//!
//! Times are in days divided by the days of the `timeUnit`: 1, 7 (weeks, the default; fractional as in
//! BTYD's CDNOW summary, e.g. 30.43) or 365.25 / 12 = 30.4375 (months, the mean Gregorian month, also
//! fractional). Customers come out in the order of their first row in the file. `calibrationEnd`
//! defaults to the last transaction date. Dates are `YYYY-MM-DD` (the default, a time of day after it
//! is ignored), `YYYYMMDD`, `MM/DD/YYYY`, `DD/MM/YYYY`, or `auto` (see [`DateFormat`]).
//!
//! Rows that cannot be used are skipped and reported with their 1-based line number in the file
//! (counting every line, the header's included) and the reason: a missing field, a missing customer id,
//! a bad date, or a missing, non-numeric or absurdly large (over 1e15) value. A negative value is a
//! refund row, not a purchase (it would otherwise count as a repeat transaction): by default it is
//! netted against the customer's latest earlier purchase (see the `orders` module), or skipped with
//! `negatives: "skip"`. Duplicate rows cannot be told from two purchases on
//! one day, so they merge into that day's transaction and their values add up, as in `lifetimes`.
//! Text that is not UTF-8 is read byte-wise ([`summarize_bytes`]; `summarizeTransactionBytes` in JS,
//! which also spares the copy of a JS string into UTF-8: a page should pass the file's bytes). Nothing
//! here panics, whatever the bytes, and every number returned is finite.
//!
//! The first non-blank line is the header; columns are found by name (exactly, else ignoring ASCII
//! case), and a name that is not there is an error that lists the columns. The delimiter is guessed
//! from the header line (`,` `;` tab `|`, the most frequent outside quotes) unless given. Fields may
//! be quoted (RFC 4180, with `""` for a quote inside); lines may end in LF or CRLF; a UTF-8 byte-order
//! mark is ignored. Parsing is the `csv` crate's. [`inspect`] looks at the first rows and guesses the
//! column mapping and date format for a page to propose.

use std::collections::HashMap;

mod amounts;
mod attributes;
mod dates;
mod exports;
pub(crate) mod ids;
mod inspect;
mod orders;
mod subscriptions;
mod summary;
mod table;

pub use amounts::{
    parse_amount, Amount, AmountReader, ColumnError, Decimal, DecimalVote, ReadAmounts, MAX_AMOUNT,
};
pub use attributes::{Attribute, MissingAttributes, MAX_LEVELS, MISSING_LEVEL};
pub use dates::{
    civil_from_days, days_from_civil, format_iso, parse_date, parse_iso_in, parse_offset,
    DateFormat,
};
pub use exports::{recognise_export, Export};
pub use inspect::{inspect, Confidence, Evidence, Inspection};
pub use orders::{
    normalized_status, Negatives, OrderReport, OrderRules, Refunds, StatusCount, EXCLUDED_STATUSES,
    MAX_STATUSES,
};
pub use subscriptions::{
    summarize_subscriptions, Cohort, Period, SubscriptionOptions, SubscriptionReport,
    SubscriptionSummary, MAX_PERIOD_DAYS,
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How many skipped rows are listed one by one; the rest are only counted.
pub const MAX_LISTED_SKIPS: usize = 100;

/// The time unit of `recency` and `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum TimeUnit {
    Day,
    #[default]
    Week,
    /// The mean Gregorian month, 365.25 / 12 days.
    Month,
}

impl TimeUnit {
    /// The length of the unit in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.25 / 12.0,
        }
    }

    /// How many of the unit make a month (the mean Gregorian month): 30.4375 days, 4.348… weeks, 1.
    pub fn per_month(self) -> f64 {
        TimeUnit::Month.days() / self.days()
    }
}

/// What to read from the CSV and how to summarise it (`summarizeTransactions`' `options`). From JS, an
/// optional field that is `null`, `undefined` or blank text (an empty box on a page) is not given.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SummaryOptions"))]
pub struct Options {
    /// Header name of the customer id column.
    pub customer_column: String,
    /// Header name of the purchase date column.
    pub date_column: String,
    /// Header name of the purchase value column; without it every `monetaryValue` is 0.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub value_column: Option<String>,
    /// How dates are written; `YYYY-MM-DD` when not given.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub date_format: DateFormat,
    /// Last day of the calibration period, in `dateFormat` or `YYYY-MM-DD`; the last date in the file
    /// when not given.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub calibration_end: Option<String>,
    /// Last day of the holdout period (after `calibrationEnd`); the end of the file when not given.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub observation_end: Option<String>,
    /// Unit of `recency` and `T`; weeks when not given.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub time_unit: TimeUnit,
    /// One ASCII character; guessed from the header line (`,` `;` tab `|`) when not given.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub delimiter: Option<String>,
    /// The value column's decimal separator, `"."` or `","`; when not given (or `"auto"`) the values
    /// decide it: one with both separators, or a lone one not between 1–3 digits and exactly 3,
    /// settles it; values that decide both ways, or never, are an error.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub decimal: Decimal,
    /// Header name of the order number column: rows sharing an order number are one purchase (the
    /// line items of a shop's export), the first with a date giving its date and value.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub order_column: Option<String>,
    /// Header name of the order or payment status column: rows with a status in `excludeStatuses`
    /// are left out and counted.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub status_column: Option<String>,
    /// The statuses left out (ignoring case, `wc-`, `_` and `-`); [`EXCLUDED_STATUSES`] when not
    /// given.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub exclude_statuses: Option<Vec<String>>,
    /// Header name of the amount refunded on each row, in the value's currency.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub refund_column: Option<String>,
    /// Header name of the column naming each row's currency (`USD`, `eur`): the purchases counted
    /// must share one (two are an error naming them and their lines), and the summary's `currency`
    /// is it when the values name none.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub currency_column: Option<String>,
    /// `"reduce"` (the default: a refund reduces the purchase, one refunded in full is left out)
    /// or `"remove"` (a purchase with any refund is left out).
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub refunds: Refunds,
    /// `"net"` (the default: a negative value is a refund row, netted against the customer's latest
    /// earlier purchase) or `"skip"` (a negative value's row is skipped with its reason).
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub negatives: Negatives,
    /// The shop's offset from UTC (`"+01:00"`, `"-05:00"`), to count ISO timestamps on its own
    /// days: a timestamp's own offset (`Z`, `+0100`), or UTC when it has none, is converted to it
    /// (a fixed offset: no daylight saving). Without it the day is the one written.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub utc_offset: Option<String>,
    /// Header names of categorical columns that describe the customer (channel, region, plan): the
    /// summary's `attributes` give each customer's level, the value on their rows (blank fields not
    /// counted; two different values for one customer are an error). At most 1,000 levels a column.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub attributes: Option<Vec<String>>,
    /// Header names of numeric columns that describe the customer (age, the first order's size).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub numeric_attributes: Option<Vec<String>>,
    /// A customer blank in an attribute column on every row: `"level"` (the default: the level
    /// `(missing)`; an error for a numeric column) or `"drop"` (left out of the summary, counted).
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub missing_attributes: MissingAttributes,
    /// The fewest customers a level of a categorical attribute may have (1 by default): a level with
    /// fewer is an error naming it.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub min_level_customers: Option<f64>,
}

impl Options {
    /// Options reading `customer_column` and `date_column` with every default.
    pub fn new(customer_column: &str, date_column: &str) -> Self {
        Options {
            customer_column: customer_column.to_owned(),
            date_column: date_column.to_owned(),
            value_column: None,
            date_format: DateFormat::Iso,
            calibration_end: None,
            observation_end: None,
            time_unit: TimeUnit::Week,
            delimiter: None,
            decimal: Decimal::Auto,
            order_column: None,
            status_column: None,
            exclude_statuses: None,
            refund_column: None,
            currency_column: None,
            refunds: Refunds::Reduce,
            negatives: Negatives::Net,
            utc_offset: None,
            attributes: None,
            numeric_attributes: None,
            missing_attributes: MissingAttributes::Level,
            min_level_customers: None,
        }
    }
}

/// Reads an optional text option: `null`, `undefined` and blank text mean "not given".
fn blank_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.filter(|s| !s.trim().is_empty()))
}

/// A row left out of the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SkippedRow {
    /// 1-based line number in the file, the header being line 1.
    pub line: u64,
    /// Why it was skipped, naming the field.
    pub reason: String,
}

/// The per-customer summary (parallel arrays) and a report of what was read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub customer_ids: Vec<String>,
    pub frequency: Vec<f64>,
    pub recency: Vec<f64>,
    pub t: Vec<f64>,
    pub monetary_value: Vec<f64>,
    pub holdout_frequency: Vec<f64>,
    /// Mean value of the holdout transactions (same-day purchases one transaction); 0 without any.
    pub holdout_monetary_value: Vec<f64>,
    /// Customers making their first purchase on each day from `first_date` to `calibration_end`.
    pub first_purchases_by_day: Vec<f64>,
    /// Repeat transactions on each day from `first_date` to `calibration_end` (a customer's first day
    /// not counted; same-day purchases one transaction): they sum to the `frequency` column.
    pub calibration_repeats_by_day: Vec<f64>,
    /// Transactions on each day after `calibration_end` up to `observation_end` (index 0 is the day
    /// after `calibration_end`): they sum to the `holdout_frequency` column.
    pub holdout_repeats_by_day: Vec<f64>,
    /// The unit of `recency` and `t`.
    pub time_unit: TimeUnit,
    /// The holdout's length, from `calibration_end` to `observation_end`, in `time_unit`s.
    pub holdout_length: f64,
    /// Data rows read (the header and blank lines not counted).
    pub rows: usize,
    /// The first [`MAX_LISTED_SKIPS`] skipped rows.
    pub skipped: Vec<SkippedRow>,
    /// Every skipped row.
    pub skipped_count: usize,
    /// Customers left out because their first purchase is after `calibration_end`.
    pub excluded_customers: usize,
    /// First and last dates of the usable transactions, `YYYY-MM-DD`.
    pub first_date: String,
    pub last_date: String,
    /// The calibration and observation ends used, `YYYY-MM-DD`.
    pub calibration_end: String,
    pub observation_end: String,
    /// The day two thirds of the way from `first_date` to `last_date` (to the nearer day),
    /// `YYYY-MM-DD`: a calibration end that leaves the last third of the span as holdout.
    pub suggested_calibration_end: String,
    /// The date format used (the one guessed when `dateFormat` is `auto`).
    pub date_format: DateFormat,
    /// The value column's decimal separator (the one decided when `decimal` is `auto`; `.` without a
    /// value column).
    pub decimal: Decimal,
    /// The currency the values name (`€12,50`, `12.50 EUR`), if they name one.
    pub currency: Option<String>,
    /// Line items, statuses and refunds (with `orderColumn`, `statusColumn`, `refundColumn`).
    pub orders: OrderReport,
    /// Each attribute column (`attributes`, then `numericAttributes`) by its header name, with each
    /// customer's value.
    pub attributes: Vec<(String, Attribute)>,
    /// Customers left out for a missing attribute (`missingAttributes: "drop"`).
    pub attribute_dropped_customers: usize,
}

/// Why a transaction log could not be summarised. [`DataError::option`] names the option at fault
/// (as `Options` spells it in camelCase), `None` when the fault is in the file itself.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DataError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header but no data rows")]
    NoRows,
    #[error("no column named '{name}' (columns: {columns})")]
    NoSuchColumn {
        option: &'static str,
        name: String,
        columns: String,
    },
    #[error("{reason}")]
    InvalidOption {
        option: &'static str,
        reason: String,
    },
    #[error("none of the {rows} data rows is a usable transaction (line {line}: {reason})")]
    NoTransactions {
        rows: usize,
        line: u64,
        reason: String,
    },
    #[error("none of the {rows} data rows is a usable subscription (line {line}: {reason})")]
    NoSubscriptions {
        rows: usize,
        line: u64,
        reason: String,
    },
}

impl DataError {
    /// The option the error is about, or `None` for the file.
    pub fn option(&self) -> Option<&'static str> {
        match self {
            DataError::NoSuchColumn { option, .. } | DataError::InvalidOption { option, .. } => {
                Some(option)
            }
            DataError::Empty
            | DataError::NoRows
            | DataError::NoTransactions { .. }
            | DataError::NoSubscriptions { .. } => None,
        }
    }

    fn invalid(option: &'static str, reason: impl Into<String>) -> Self {
        DataError::InvalidOption {
            option,
            reason: reason.into(),
        }
    }
}

/// Summarises the transaction log `text`; see the module documentation for the conventions.
pub fn summarize(text: &str, options: &Options) -> Result<Summary, DataError> {
    summarize_bytes(text.as_bytes(), options)
}

/// Summarises a transaction log given as bytes, UTF-8 or not (see the module documentation).
pub fn summarize_bytes(bytes: &[u8], options: &Options) -> Result<Summary, DataError> {
    let table::Opened {
        bytes,
        delimiter,
        reader,
        header,
    } = table::open(bytes, options.delimiter.as_deref())?;
    let columns = Columns::find(&header, options)?;
    let format = match options.date_format {
        DateFormat::Auto => guess_format(bytes, delimiter, columns.date)?,
        given => given,
    };
    let attributes = attributes::Attributes::find(&header, options, &columns.taken())?;
    let log = read_log(bytes, reader, (&columns, attributes), options, format)?;
    summary::summarize_log(log, options, format)
}

/// Reads the next record into `record`; false at the end (or on an I/O error, impossible on a slice).
fn read_record(reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord) -> bool {
    reader.read_byte_record(record).unwrap_or(false)
}

/// The column indices of the fields the summary reads.
struct Columns {
    customer: usize,
    date: usize,
    value: Option<usize>,
    order: Option<usize>,
    status: Option<usize>,
    refund: Option<usize>,
    currency: Option<usize>,
    /// Minutes east of UTC of the shop's day (`utcOffset`).
    utc_offset: Option<i32>,
    /// Names for the reasons of skipped rows.
    date_name: String,
    value_name: String,
}

impl Columns {
    /// The columns read.
    fn taken(&self) -> Vec<usize> {
        [
            Some(self.customer),
            Some(self.date),
            self.value,
            self.order,
            self.status,
            self.refund,
            self.currency,
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn find(header: &[String], options: &Options) -> Result<Self, DataError> {
        let customer = table::column_index(header, "customerColumn", &options.customer_column)?;
        let date = table::column_index(header, "dateColumn", &options.date_column)?;
        if date == customer {
            return Err(DataError::invalid(
                "dateColumn",
                "is the same column as options.customerColumn",
            ));
        }
        let optional = |option: &'static str, name: &Option<String>| match name {
            Some(name) => table::column_index(header, option, name).map(Some),
            None => Ok(None),
        };
        let value = optional("valueColumn", &options.value_column)?;
        let refund = optional("refundColumn", &options.refund_column)?;
        if refund.is_some() && value.is_none() {
            return Err(DataError::invalid(
                "refundColumn",
                "needs options.valueColumn: a refund reduces a purchase's value",
            ));
        }
        let utc_offset = match &options.utc_offset {
            Some(text) => Some(dates::parse_offset(text.as_bytes()).ok_or_else(|| {
                DataError::invalid(
                    "utcOffset",
                    format!("must be an offset such as +01:00 or -05:00, at most 14 hours (got {text:?})"),
                )
            })?),
            None => None,
        };
        Ok(Columns {
            customer,
            date,
            value,
            utc_offset,
            order: optional("orderColumn", &options.order_column)?,
            status: optional("statusColumn", &options.status_column)?,
            refund,
            currency: optional("currencyColumn", &options.currency_column)?,
            date_name: header.get(date).cloned().unwrap_or_default(),
            value_name: value
                .and_then(|i| header.get(i).cloned())
                .unwrap_or_default(),
        })
    }
}

/// Resolves `dateFormat: "auto"` from the values of the date column.
fn guess_format(bytes: &[u8], delimiter: u8, column: usize) -> Result<DateFormat, DataError> {
    let mut reader = table::reader(bytes, delimiter);
    let values = reader
        .byte_records()
        .skip(1)
        .map_while(Result::ok)
        .map(|record| record.get(column).map(<[u8]>::to_vec).unwrap_or_default());
    format_of(dates::guess_format(values))
}

/// The format guessed from a date column, or why there is none.
fn format_of(guess: dates::Guess) -> Result<DateFormat, DataError> {
    match guess {
        dates::Guess::Format(format) => Ok(format),
        dates::Guess::Ambiguous => Err(DataError::invalid(
            "dateFormat",
            "every date could be MM/DD/YYYY or DD/MM/YYYY; say which",
        )),
        dates::Guess::Unknown => Err(DataError::invalid(
            "dateFormat",
            "no value of the date column looks like a date in a known format",
        )),
    }
}

/// One usable row: customer (index in first-appearance order), day number, value.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Purchase {
    customer: u32,
    day: i32,
    value: f64,
}

/// The usable rows of a log and the report of the others.
#[derive(Debug, Default)]
struct Log {
    /// Customer ids as raw bytes, by index.
    ids: Vec<Box<[u8]>>,
    purchases: Vec<Purchase>,
    rows: usize,
    skipped: Vec<SkippedRow>,
    skipped_count: usize,
    /// The value column's separator and currency.
    amounts: Option<ReadAmounts>,
    orders: OrderReport,
    attributes: attributes::Attributes,
}

impl Log {
    fn skip(&mut self, line: u64, reason: String) {
        self.skipped_count += 1;
        if self.skipped.len() < MAX_LISTED_SKIPS {
            self.skipped.push(SkippedRow { line, reason });
        }
    }
}

/// Reads every data row after the header.
fn read_log(
    bytes: &[u8],
    mut reader: csv::Reader<&[u8]>,
    (columns, attributes): (&Columns, attributes::Attributes),
    options: &Options,
    format: DateFormat,
) -> Result<Log, DataError> {
    let mut log = Log {
        attributes,
        ..Log::default()
    };
    let mut index = ids::CustomerIndex::default();
    let mut amounts = AmountReader::new(options.decimal);
    if options.negatives == Negatives::Net {
        amounts = amounts.with_negatives();
    }
    // The lines of refund rows (negative values), by slot.
    let mut refund_lines = HashMap::new();
    let mut refund_amounts = AmountReader::new(options.decimal);
    let mut refunds = Vec::new();
    let mut rules = OrderRules::new(options.exclude_statuses.as_deref(), options.refunds);
    let mut currency = CurrencyColumn::default();
    let mut record = csv::ByteRecord::new();
    while read_record(&mut reader, &mut record) {
        log.rows += 1;
        let order = columns
            .order
            .map(|i| record.get(i).unwrap_or_default().trim_ascii());
        let status = columns.status.map(|i| record.get(i).unwrap_or_default());
        if rules.classify(order, status) != orders::Row::Purchase {
            continue;
        }
        let slot = log.purchases.len();
        let line = || record_line(bytes, &record);
        let row = match parse_row(&record, columns, format) {
            Ok((id, day, Some(text))) => amounts
                .read(text, slot, line)
                .map_err(|e| column_error(e, "valueColumn"))?
                .map(|value| (id, day, value)),
            Ok((id, day, None)) => Ok((id, day, 0.0)),
            Err(reason) => Err(reason),
        };
        let row = match (row, columns.refund) {
            (Ok(row), Some(i)) => match record.get(i).map(<[u8]>::trim_ascii) {
                None | Some(b"") => Ok((row, 0.0)),
                Some(text) => refund_amounts
                    .read(text, slot, line)
                    .map_err(|e| column_error(e, "refundColumn"))?
                    .map(|refund| (row, refund))
                    .map_err(|reason| reason.replace("value", "refund")),
            },
            (row, _) => row.map(|row| (row, 0.0)),
        };
        match row {
            Ok(((id, day, value), refund)) => {
                if value < 0.0 {
                    refund_lines.insert(slot, line());
                }
                if let Some(i) = columns.currency {
                    currency.read(record.get(i).unwrap_or_default(), line)?;
                }
                let customer = index.index_of(id);
                log.attributes.read(&record, (customer, id), line)?;
                log.purchases.push(Purchase {
                    customer,
                    day,
                    value,
                });
                refunds.push(refund);
                rules.counted(order);
            }
            Err(reason) => {
                if options.date_format == DateFormat::Auto {
                    mixed_order(&record, columns.date, format, line)?;
                }
                log.skip(line(), reason);
            }
        }
    }
    let read = amounts
        .finish()
        .map_err(|e| column_error(e, "valueColumn"))?;
    for &(slot, value) in &read.corrections {
        log.purchases[slot].value = value;
    }
    log.amounts = Some(currency.agree(read)?);
    if columns.refund.is_some() {
        let read = refund_amounts
            .finish()
            .map_err(|e| column_error(e, "refundColumn"))?;
        for &(slot, refund) in &read.corrections {
            refunds[slot] = refund;
        }
    }
    // Purchases (after the refunds on their own rows) and refund rows, with their slots.
    let mut kept = Vec::with_capacity(log.purchases.len());
    let mut refund_rows = Vec::new();
    for (slot, (purchase, refund)) in log.purchases.iter().zip(&refunds).enumerate() {
        if purchase.value < 0.0 {
            refund_rows.push((slot, *purchase));
        } else if columns.refund.is_none() {
            kept.push((slot, *purchase));
        } else if let Some(value) = rules.after_refund(purchase.value, *refund) {
            kept.push((slot, Purchase { value, ..*purchase }));
        }
    }
    log.orders = rules.finish();
    net_refunds(
        &mut kept,
        &refund_rows,
        &refund_lines,
        options.refunds,
        &mut log,
    );
    log.purchases = kept.into_iter().map(|(_, p)| p).collect();
    log.ids = index.into_ids();
    if log.rows == 0 {
        return Err(DataError::NoRows);
    }
    if log.purchases.is_empty() {
        let (line, reason) = first_skipped(&log.skipped).unwrap_or_else(|| {
            (
                0,
                "every row was merged, excluded by its status or refunded".to_owned(),
            )
        });
        return Err(DataError::NoTransactions {
            rows: log.rows,
            line,
            reason,
        });
    }
    Ok(log)
}

/// The currency column's one currency, as read so far: its code (upper case) and first line.
#[derive(Debug, Default)]
struct CurrencyColumn {
    first: Option<(String, u64)>,
}

impl CurrencyColumn {
    /// Reads a counted row's currency (a blank one is none); an error at a second currency.
    fn read(&mut self, text: &[u8], line: impl Fn() -> u64) -> Result<(), DataError> {
        let code = String::from_utf8_lossy(text.trim_ascii()).to_uppercase();
        if code.is_empty() {
            return Ok(());
        }
        match &self.first {
            None => self.first = Some((code, line())),
            Some((first, at)) if *first != code => {
                return Err(DataError::invalid(
                    "currencyColumn",
                    format!(
                        "mixes currencies: {first} (line {at}) and {code} (line {}); summarise one currency at a time",
                        line()
                    ),
                ))
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// The value column's reading with the column's currency: an error when the values name
    /// another, the column's when they name none.
    fn agree(&self, mut read: ReadAmounts) -> Result<ReadAmounts, DataError> {
        let Some((code, line)) = &self.first else {
            return Ok(read);
        };
        match &read.currency {
            Some(named) if named != code => Err(DataError::invalid(
                "currencyColumn",
                format!(
                    "says {code} (line {line}) but the values name {named}; summarise one currency at a time"
                ),
            )),
            _ => {
                read.currency = Some(code.clone());
                Ok(read)
            }
        }
    }
}

/// Nets each refund row (a negative value, at its slot) against the same customer's latest earlier
/// purchase in `kept` (on an earlier day, or on its day at an earlier slot): a purchase refunded in
/// full (or at all, with [`Refunds::Remove`]) is left out, a refund beyond its value is not carried
/// to earlier ones, and a refund with no earlier purchase is skipped with its reason (at its line in
/// `lines`).
fn net_refunds(
    kept: &mut Vec<(usize, Purchase)>,
    refund_rows: &[(usize, Purchase)],
    lines: &HashMap<usize, u64>,
    refunds: Refunds,
    log: &mut Log,
) {
    if refund_rows.is_empty() {
        return;
    }
    let mut of_customer: HashMap<u32, Vec<usize>> = HashMap::new();
    for (at, (_, p)) in kept.iter().enumerate() {
        of_customer.entry(p.customer).or_default().push(at);
    }
    let mut removed = vec![false; kept.len()];
    for &(slot, refund) in refund_rows {
        let earlier = of_customer.get(&refund.customer).and_then(|list| {
            list.iter()
                .copied()
                .filter(|&at| !removed[at] && (kept[at].1.day, kept[at].0) < (refund.day, slot))
                .max_by_key(|&at| (kept[at].1.day, kept[at].0))
        });
        let Some(at) = earlier else {
            let reason = format!(
                "refund (negative value {}) with no earlier purchase of this customer to net it against",
                refund.value
            );
            log.skip(lines.get(&slot).copied().unwrap_or(0), reason);
            continue;
        };
        let purchase = &mut kept[at].1;
        // Within rounding of the purchase's value: refunded in full.
        if refunds == Refunds::Remove || purchase.value + refund.value <= 1e-9 * purchase.value {
            removed[at] = true;
            log.orders.refunded_removed += 1;
        } else {
            purchase.value += refund.value;
        }
        log.orders.refund_rows_netted += 1;
    }
    let mut at = 0;
    kept.retain(|_| {
        at += 1;
        !removed[at - 1]
    });
}

/// The line and reason of the first row skipped, for the error of a log with nothing usable.
fn first_skipped(skipped: &[SkippedRow]) -> Option<(u64, String)> {
    skipped.first().map(|s| (s.line, s.reason.clone()))
}

/// A column that cannot be read as the error of its option: `decimal` for the separator, the
/// column's own option (`valueColumn`, `priceColumn`) for mixed currencies.
fn column_error(error: ColumnError, column: &'static str) -> DataError {
    match error {
        ColumnError::Decimal(reason) => DataError::invalid("decimal", reason),
        ColumnError::Currencies(reason) => DataError::invalid(column, reason),
    }
}

/// The 1-based line on which `record` starts. The reader places a record at the end of the one before,
/// ahead of the blank lines it skips, so those are counted here.
fn record_line(bytes: &[u8], record: &csv::ByteRecord) -> u64 {
    let Some(position) = record.position() else {
        return 0;
    };
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let blank = bytes
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    position.line() + blank as u64
}

/// The error for a row whose date can only be read in the other order than the format guessed from
/// the column's first telling dates: the file contradicts itself, and only the user can say which
/// order is right.
fn mixed_order(
    record: &csv::ByteRecord,
    column: usize,
    format: DateFormat,
    line: impl Fn() -> u64,
) -> Result<(), DataError> {
    let (Some(date), Some(other)) = (record.get(column), format.other_order()) else {
        return Ok(());
    };
    if !dates::only_in(date, other) {
        return Ok(());
    }
    Err(DataError::invalid(
        "dateFormat",
        format!(
            "the date column mixes the two orders: '{}' on line {} can only be {}, but the dates before it were {}; choose the date format (the rows in the other order are then skipped as bad dates)",
            shown(date),
            line(),
            other.label(),
            format.label()
        ),
    ))
}

/// A row's customer id, day and value field (the field's text: its column decides how it reads).
type Fields<'r> = (&'r [u8], i32, Option<&'r [u8]>);

/// The id, day and value field of a row, or why it cannot be used.
fn parse_row<'r>(
    record: &'r csv::ByteRecord,
    columns: &Columns,
    format: DateFormat,
) -> Result<Fields<'r>, String> {
    let field = |i: usize, name: &str| {
        record.get(i).ok_or_else(|| {
            format!(
                "no '{name}' field (the row has {} field{})",
                record.len(),
                if record.len() == 1 { "" } else { "s" }
            )
        })
    };
    let id = field(columns.customer, "customer")?.trim_ascii();
    if id.is_empty() {
        return Err("missing customer id".to_owned());
    }
    let date = field(columns.date, &columns.date_name)?;
    let day = match (columns.utc_offset, format) {
        (Some(offset), DateFormat::Iso) => dates::parse_iso_in(date, offset),
        _ => dates::parse_date(date, format),
    }
    .ok_or_else(|| format!("bad date '{}' (expected {})", shown(date), format.label()))?;
    let value = match columns.value {
        Some(i) => Some(field(i, &columns.value_name)?),
        None => None,
    };
    Ok((id, day, value))
}

/// A field as shown in a reason: decoded lossily, at most 40 characters.
fn shown(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field.trim_ascii());
    let mut shown: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests;
