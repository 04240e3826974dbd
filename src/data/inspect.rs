//! A first look at a transaction log, for a page to propose the column mapping before summarising.
//!
//! Reads the header and the first 200 data rows, and guesses which column holds the customer
//! id, the date and the value, and how the dates and amounts are written, from the values as much as
//! from the names:
//! - the date column is one whose values are nearly all (≥ 80 %) dates in one format, a name with
//!   "date", "day" or "time" in it preferred; its format is the one guessed (`None` when every date
//!   could be MM/DD/YYYY or DD/MM/YYYY);
//! - the value column is a column of amounts (≥ 80 % read as amounts, [`super::amounts`]) whose name
//!   speaks of money ("amount", "value", "spend", "revenue", "price", "total", "sales"…), else one with
//!   a decimal separator; its decimal separator is the one its values decide (`None` when they do not);
//! - the customer column repeats: a customer buys on several days, so the column chosen is one with a
//!   value on two different dates. Columns whose values are unique per row (an order or charge
//!   number) or repeat only within one date (the line items of one order) are not customers, nor are
//!   columns of a few categories (a status). Among the columns that repeat, a name that speaks of a
//!   customer ("customer", "client", "email", "user", "member", "account", "buyer", "id"…) is
//!   preferred, else the one with the most distinct values;
//! - the status column (for a file that is no known export) is one whose values are nearly all
//!   statuses the summary knows (of money received, or of none: `EXCLUDED_STATUSES`), a name with
//!   "status" or "state" in it preferred: its rows of no money are then left out by default, as a
//!   known export's are. Else a column named "status" with a few values is one, its values clvlab
//!   does not know asked about in a note. The status column's values are listed (`statuses`);
//! - a recognised export takes its platform's columns, but a customer column that never comes back
//!   on another date gives way to one that does (medium confidence, with a note).
//!
//! Each column's evidence (distinct values, values on several dates, the shares read as dates and as
//! amounts) comes back with the guess, and so do a confidence and notes in words: "low" when no column
//! repeats across dates (each row may be its own customer), "medium" when the customer column was
//! chosen by its values alone. A guess can be wrong: the page shows it and its evidence for the user
//! to correct.

use std::collections::HashMap;

use super::amounts::{parse_amount, Decimal, DecimalVote};
use super::dates::{self, DateFormat, Guess};
use super::exports::{recognise_export, Export};
use super::orders::{
    normalized_status, OrderRules, Refunds, Row, StatusCount, EXCLUDED_STATUSES, PAID_STATUSES,
};
use super::{table, DataError};

/// How many data rows are looked at.
pub const SAMPLE_ROWS: usize = 200;
/// How many of them are returned for display.
pub const SHOWN_ROWS: usize = 5;
/// The share of a column's non-blank values that must fit for the column to count as dates or numbers.
const MOSTLY: f64 = 0.8;
/// A column with at most this many distinct values over at least [`CATEGORY_ROWS`] rows holds
/// categories (a status, a country), not customers.
const CATEGORIES: usize = 10;
const CATEGORY_ROWS: usize = 50;

/// English, German, Spanish.
const DATE_WORDS: [&str; 5] = ["date", "day", "time", "datum", "fecha"];
/// English, then the German, French, Spanish / Portuguese and Dutch words of shop exports.
const VALUE_WORDS: [&str; 18] = [
    "amount", "value", "spend", "revenue", "price", "total", "sales", "dollar", "sum", "paid",
    "cost", "umsatz", "betrag", "preis", "montant", "prix", "importe", "valor",
];
/// Words of a status column's name, English and German.
const STATUS_WORDS: [&str; 3] = ["status", "state", "zahlungsstatus"];
/// In order of preference; "id" only as a word of its own (not inside "paid").
const CUSTOMER_WORDS: [&str; 13] = [
    "customer", "client", "kunde", "klant", "email", "e-mail", "mail", "user", "member", "account",
    "buyer", "shopper", "id",
];

/// How sure the customer column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "MappingConfidence"))]
pub enum Confidence {
    /// A column that repeats across dates, with a customer's name.
    High,
    /// A column that repeats across dates, chosen by its values.
    Medium,
    /// No column repeats across dates: chosen by its name, or the first.
    #[default]
    Low,
}

/// What the sampled values of one column show.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ColumnEvidence"))]
pub struct Evidence {
    /// The column's name.
    pub column: String,
    /// Non-blank values.
    pub values: usize,
    /// Distinct non-blank values.
    pub distinct: usize,
    /// Distinct values found on two or more different dates (of the date column guessed).
    pub on_several_dates: usize,
    /// Share of the non-blank values read as dates in the guessed format (any format when there is
    /// none).
    pub dates: f64,
    /// Share of the non-blank values read as amounts.
    pub amounts: f64,
}

/// The header, a few rows and the guessed mapping.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inspection {
    pub columns: Vec<String>,
    /// The delimiter found, as a one-character string.
    pub delimiter: String,
    /// The first five data rows, fields decoded lossily.
    pub rows: Vec<Vec<String>>,
    pub customer_column: Option<String>,
    pub date_column: Option<String>,
    pub value_column: Option<String>,
    /// The column of order or payment statuses (a recognised export's, or one found by its values).
    pub status_column: Option<String>,
    /// The status column's values in the sampled rows (one per order where the export has an order
    /// column), as the summary counts them with the defaults (a recognised export's own
    /// `excludeStatuses` where it has them): left out, of money received, or unknown.
    pub statuses: Vec<StatusCount>,
    pub date_format: Option<DateFormat>,
    /// The value column's decimal separator, when its values decide it.
    pub decimal: Option<Decimal>,
    /// One per column, in order.
    pub evidence: Vec<Evidence>,
    pub confidence: Confidence,
    /// What was chosen and why, where it matters, in words.
    pub notes: Vec<String>,
    /// The shop or payment export recognised by its header, whose columns the mapping then takes.
    pub export: Option<Export>,
}

/// Looks at the start of the log `bytes` (see the module documentation).
pub fn inspect(bytes: &[u8]) -> Result<Inspection, DataError> {
    let bytes = table::strip_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::Empty);
    }
    let delimiter = table::sniff_delimiter(bytes);
    let mut records = table::reader(bytes, delimiter)
        .into_byte_records()
        .map_while(Result::ok);
    let columns = records
        .next()
        .map(|header| table::header_names(&header))
        .unwrap_or_default();
    let sample: Vec<csv::ByteRecord> = records.take(SAMPLE_ROWS).collect();
    let values = |i: usize| sample.iter().filter_map(move |r| r.get(i));

    let dates: Vec<Option<DateFormat>> = (0..columns.len())
        .map(|i| {
            date_format_of(values(i)).or_else(|| {
                (has_word(&columns[i], &DATE_WORDS) && mostly(values(i), is_recent_serial))
                    .then_some(DateFormat::Excel)
            })
        })
        .collect();
    let export = recognise_export(&columns);
    let position = |name: &str| columns.iter().position(|c| c == name);
    let date = export
        .as_ref()
        .and_then(|e| position(&e.date_column))
        .or_else(|| {
            pick(&columns, &DATE_WORDS, |i| {
                dates.get(i).is_some_and(Option::is_some)
            })
        })
        .or_else(|| {
            pick(&columns, &DATE_WORDS, |i| {
                matches!(dates::guess_format(values(i)), Guess::Ambiguous)
                    || mixed_orders(values(i)).is_some()
            })
        });
    let date_format = date.and_then(|i| dates.get(i).copied().flatten());
    let numeric = |i: usize| Some(i) != date && mostly(values(i), is_amount);
    let value = pick(&columns, &VALUE_WORDS, |i| {
        numeric(i) && has_word(&columns[i], &VALUE_WORDS)
    })
    .or_else(|| {
        pick(&columns, &[], |i| {
            numeric(i) && values(i).any(|v| v.contains(&b'.') || v.contains(&b','))
        })
    });
    let decimal = value.and_then(|i| decimal_of(&sample, i));

    let days: Vec<Option<i32>> = sample
        .iter()
        .map(|r| {
            let d = r.get(date?)?;
            // Dates whose order is open still tell one day from another (read month-first where
            // they can be), so a customer who comes back shows in the evidence.
            match date_format {
                Some(format) => dates::parse_date(d, format),
                None => [
                    DateFormat::MonthFirst,
                    DateFormat::DayFirst,
                    DateFormat::Iso,
                ]
                .into_iter()
                .find_map(|format| dates::parse_date(d, format)),
            }
        })
        .collect();
    let evidence: Vec<Evidence> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| evidence_of(name, &sample, i, &days, dates[i]))
        .collect();
    let (customer, confidence) = customer_column(&columns, &evidence, date, value);
    let free = |i: usize| ![date, value, customer].contains(&Some(i));
    let known_statuses = pick(&columns, &STATUS_WORDS, |i| {
        free(i) && mostly(values(i), is_status)
    });
    // A column named as a status, of a few values clvlab does not know, is one too: its values are
    // then a question, not purchases taken as fact.
    let status = known_statuses.or_else(|| {
        (0..columns.len()).find(|&i| {
            free(i)
                && has_word(&columns[i], &["status"])
                && (1..=CATEGORIES).contains(&evidence[i].distinct)
        })
    });
    let name = |i: Option<usize>| i.and_then(|i| columns.get(i).cloned());
    if let Some(export) = export {
        return Ok(recognised(
            export, &columns, &sample, &dates, evidence, delimiter,
        ));
    }
    let mut notes = Vec::new();
    if let Some(c) = customer {
        let e = &evidence[c];
        notes.push(match confidence {
            Confidence::High | Confidence::Medium => format!(
                "{}: {} of its {} values are on more than one date in the first {} rows{}",
                columns[c],
                e.on_several_dates,
                e.distinct,
                sample.len(),
                if confidence == Confidence::Medium {
                    "; chosen by its values, as no column's name says customer"
                } else {
                    ""
                }
            ),
            Confidence::Low => format!(
                "no column has a value on two different dates in the first {} rows, so none looks like a customer who comes back: {} is a guess by {}; check it",
                sample.len(),
                columns[c],
                if has_word(&columns[c], &CUSTOMER_WORDS) { "its name" } else { "position" }
            ),
        });
        for (i, e) in evidence.iter().enumerate() {
            if i != c
                && e.values > 1
                && e.distinct == e.values
                && has_word(&columns[i], &CUSTOMER_WORDS)
            {
                notes.push(format!(
                    "{}: every value is different (an order or payment number?), so it is not the customer",
                    columns[i]
                ));
            }
        }
    }
    if let Some(i) = date {
        notes.extend(date_note(&columns[i], values(i), date_format));
    }
    if let Some(i) = known_statuses {
        notes.push(format!(
            "{}: its values are order or payment statuses, so rows whose status brought no money are left out",
            columns[i]
        ));
    }
    let statuses = statuses_of(&sample, status, None, None);
    notes.extend(unknown_note(name(status).as_deref(), &statuses));
    if value.is_some() && decimal.is_none() {
        notes.push(
            "the value column's separators could be decimal or thousands separators: choose the decimal separator"
                .to_owned(),
        );
    }
    Ok(Inspection {
        delimiter: char::from(delimiter).to_string(),
        rows: shown_rows(&sample),
        customer_column: name(customer),
        date_column: name(date),
        value_column: name(value),
        status_column: name(status),
        statuses,
        date_format,
        decimal,
        evidence,
        confidence,
        notes,
        export: None,
        columns,
    })
}

/// The inspection of a recognised export: its columns, their date format and decimal separator.
fn recognised(
    export: Export,
    columns: &[String],
    sample: &[csv::ByteRecord],
    dates: &[Option<DateFormat>],
    evidence: Vec<Evidence>,
    delimiter: u8,
) -> Inspection {
    let index = |name: &str| columns.iter().position(|c| c == name);
    let date_at = index(&export.date_column);
    let value_at = index(&export.value_column);
    let date_format = date_at.and_then(|i| dates[i]);
    let decimal = value_at.and_then(|i| decimal_of(sample, i));
    let (customer, confidence, customer_note) = export_customer(
        &export.customer_column,
        columns,
        sample.len(),
        &evidence,
        date_at,
        value_at,
    );
    let mut note = format!(
        "a {}: customers by {customer}, dated by {}, valued by {}",
        export.label, export.date_column, export.value_column
    );
    if let Some(order) = &export.order_column {
        note += &format!("; the rows of one {order} are one purchase");
    }
    if let Some(status) = &export.status_column {
        note += &format!("; rows whose {status} says they brought no money are left out");
    }
    if let Some(refund) = &export.refund_column {
        note += &format!("; {refund} is deducted");
    }
    if let Some(currency) = &export.currency_column {
        note += &format!("; {currency} must name one currency");
    }
    let mut notes = vec![note];
    notes.extend(customer_note);
    if export.date_column.to_ascii_lowercase().contains("utc") {
        notes.push(format!(
            "{} is in UTC, so purchases are counted on UTC's days: give the shop's UTC offset (utcOffset) to count them on its own",
            export.date_column
        ));
    }
    if let Some(i) = date_at {
        let values = sample.iter().filter_map(|r| r.get(i));
        notes.extend(date_note(&export.date_column, values, date_format));
    }
    let statuses = statuses_of(
        sample,
        export.status_column.as_deref().and_then(index),
        export.order_column.as_deref().and_then(index),
        export.exclude_statuses.as_deref(),
    );
    notes.extend(unknown_note(export.status_column.as_deref(), &statuses));
    if decimal.is_none() && value_at.is_some() {
        notes.push(
            "the value column's separators could be decimal or thousands separators: choose the decimal separator"
                .to_owned(),
        );
    }
    Inspection {
        delimiter: char::from(delimiter).to_string(),
        rows: shown_rows(sample),
        customer_column: Some(customer),
        date_column: Some(export.date_column.clone()),
        value_column: Some(export.value_column.clone()),
        status_column: export.status_column.clone(),
        statuses,
        date_format,
        decimal,
        evidence,
        confidence,
        notes,
        export: Some(export),
        columns: columns.to_vec(),
    }
}

/// The statuses of column `status` over the sampled rows, the rows of one order (column `order`)
/// counted once, as the summary counts them leaving out `exclude` (the defaults when `None`).
fn statuses_of(
    sample: &[csv::ByteRecord],
    status: Option<usize>,
    order: Option<usize>,
    exclude: Option<&[String]>,
) -> Vec<StatusCount> {
    let Some(status) = status else {
        return Vec::new();
    };
    let mut rules = OrderRules::new(exclude, Refunds::default());
    for r in sample {
        let order = order.and_then(|i| r.get(i));
        if rules.classify(order, r.get(status)) == Row::Purchase {
            rules.counted(order);
        }
    }
    rules.finish().statuses
}

/// The question a status clvlab does not know raises: its rows count as purchases.
fn unknown_note(column: Option<&str>, statuses: &[StatusCount]) -> Option<String> {
    let unknown: Vec<String> = statuses
        .iter()
        .filter(|s| s.unknown)
        .map(|s| format!("'{}'", s.status))
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "{}: clvlab does not know the status {}, so those rows count as purchases: leave out any that brought no money (excludeStatuses)",
            column.unwrap_or_default(),
            unknown.join(", ")
        )
    })
}

/// A recognised export's customer column, as its values show it: the platform's (`platform`),
/// unless it never comes back on another date in the `rows` sampled, when a column named as a
/// customer's that does takes its place (medium confidence), or it stays a guess like any other
/// (low); the note says which.
fn export_customer(
    platform: &str,
    columns: &[String],
    rows: usize,
    evidence: &[Evidence],
    date: Option<usize>,
    value: Option<usize>,
) -> (String, Confidence, Option<String>) {
    let Some(e) = columns
        .iter()
        .position(|c| c == platform)
        .map(|i| &evidence[i])
        .filter(|e| e.on_several_dates == 0 && rows > 1)
    else {
        return (platform.to_owned(), Confidence::High, None);
    };
    let what = if e.values == 0 {
        format!("{platform} is blank on the first {rows} rows")
    } else {
        format!(
            "{platform}: none of its {} values is on more than one date in the first {rows} rows",
            e.distinct
        )
    };
    match customer_column(columns, evidence, date, value) {
        // Only a column named as a customer's: in a few rows a category (a currency, a type) comes
        // back on other dates too.
        (Some(i), Confidence::High) => {
            let other = &columns[i];
            let note = format!(
                "{what}, while values of {other} come back on other dates, so customers are by {other}; check it"
            );
            (other.clone(), Confidence::Medium, Some(note))
        }
        _ => {
            let note = format!("{what}, so no customer comes back here: each bought once, or the export names its customers in another column; check it");
            (platform.to_owned(), Confidence::Low, Some(note))
        }
    }
}

/// Whether `value` is an Excel serial of 1954–2119 (20,000 to 80,000), as a date column saved
/// without formatting holds: only a column named as a date is read so.
fn is_recent_serial(value: &[u8]) -> bool {
    dates::parse_date(value, DateFormat::Excel).is_some_and(|day| {
        let serial = day + dates::EXCEL_EPOCH;
        (20_000..=80_000).contains(&serial)
    })
}

/// What decided the date column's format, where the values had to decide it.
fn date_note<'a>(
    column: &str,
    values: impl Iterator<Item = &'a [u8]>,
    format: Option<DateFormat>,
) -> Option<String> {
    let shown = |v: &[u8]| String::from_utf8_lossy(v.trim_ascii()).into_owned();
    let mut values = values.filter(|v| !v.trim_ascii().is_empty());
    match format {
        Some(this @ (DateFormat::DayFirst | DateFormat::MonthFirst)) => {
            let other = this.other_order()?;
            let v = values.find(|v| dates::only_in(v, this))?;
            Some(format!(
                "{column} is {}: '{}' cannot be {}",
                this.label(),
                shown(v),
                other.label()
            ))
        }
        Some(DateFormat::Excel) => {
            let v = values.find(|v| dates::parse_date(v, DateFormat::Excel).is_some())?;
            let day = dates::parse_date(v, DateFormat::Excel).map(dates::format_iso)?;
            Some(format!(
                "{column} holds Excel serial day numbers ('{}' is {day})",
                shown(v)
            ))
        }
        None => {
            let values: Vec<&[u8]> = values.collect();
            if let Some((m, d)) = mixed_orders(values.iter().copied()) {
                return Some(format!(
                    "{column} mixes the two orders: '{}' can only be MM/DD/YYYY and '{}' only DD/MM/YYYY: choose the date format (the rows in the other order are then skipped as bad dates)",
                    shown(m),
                    shown(d)
                ));
            }
            values.first().map(|v| {
                format!(
                    "every date of {column} could be MM/DD/YYYY or DD/MM/YYYY (e.g. '{}'): choose the date format",
                    shown(v)
                )
            })
        }
        _ => None,
    }
}

/// The first [`SHOWN_ROWS`] rows, fields decoded lossily.
fn shown_rows(sample: &[csv::ByteRecord]) -> Vec<Vec<String>> {
    sample
        .iter()
        .take(SHOWN_ROWS)
        .map(|r| {
            r.iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect()
        })
        .collect()
}

/// The decimal separator the values of column `i` decide, if they do.
fn decimal_of(sample: &[csv::ByteRecord], i: usize) -> Option<Decimal> {
    let mut vote = DecimalVote::default();
    for (row, v) in sample.iter().filter_map(|r| r.get(i)).enumerate() {
        vote.add(row as u64 + 2, &String::from_utf8_lossy(v));
    }
    vote.decide().ok()
}

/// The evidence of column `i` of `sample`, whose rows fall on `days` (of the date column).
fn evidence_of(
    name: &str,
    sample: &[csv::ByteRecord],
    i: usize,
    days: &[Option<i32>],
    format: Option<DateFormat>,
) -> Evidence {
    // Each value's first day, and whether it was seen on another.
    let mut seen: HashMap<&[u8], (Option<i32>, bool)> = HashMap::new();
    let (mut values, mut as_dates, mut as_amounts) = (0usize, 0usize, 0usize);
    for (record, &day) in sample.iter().zip(days) {
        let Some(v) = record
            .get(i)
            .map(<[u8]>::trim_ascii)
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        values += 1;
        let is_date = match format {
            Some(f) => dates::parse_date(v, f).is_some(),
            None => !matches!(dates::guess_format(std::iter::once(v)), Guess::Unknown),
        };
        as_dates += usize::from(is_date);
        as_amounts += usize::from(is_amount(v));
        let entry = seen.entry(v).or_insert((day, false));
        match (entry.0, day) {
            (None, Some(_)) => entry.0 = day,
            (Some(first), Some(d)) if first != d => entry.1 = true,
            _ => {}
        }
    }
    let share = |n: usize| {
        if values == 0 {
            0.0
        } else {
            n as f64 / values as f64
        }
    };
    Evidence {
        column: name.to_owned(),
        values,
        distinct: seen.len(),
        on_several_dates: seen.values().filter(|(_, several)| *several).count(),
        dates: share(as_dates),
        amounts: share(as_amounts),
    }
}

/// The customer column and how sure it is (see the module documentation).
fn customer_column(
    columns: &[String],
    evidence: &[Evidence],
    date: Option<usize>,
    value: Option<usize>,
) -> (Option<usize>, Confidence) {
    let other = |i: usize| Some(i) != date && Some(i) != value;
    let categories = |e: &Evidence| e.values >= CATEGORY_ROWS && e.distinct <= CATEGORIES;
    let repeating: Vec<usize> = (0..columns.len())
        .filter(|&i| other(i) && evidence[i].on_several_dates > 0 && !categories(&evidence[i]))
        .collect();
    let by_name = CUSTOMER_WORDS.iter().find_map(|w| {
        repeating
            .iter()
            .copied()
            .find(|&i| has_word(&columns[i], &[w]))
    });
    if let Some(i) = by_name {
        return (Some(i), Confidence::High);
    }
    if let Some(&i) = repeating
        .iter()
        .max_by_key(|&&i| (evidence[i].distinct, std::cmp::Reverse(i)))
    {
        return (Some(i), Confidence::Medium);
    }
    (pick(columns, &CUSTOMER_WORDS, other), Confidence::Low)
}

/// The first column that `fits` and whose name has one of `words`, else the first that `fits`.
fn pick(columns: &[String], words: &[&str], fits: impl Fn(usize) -> bool) -> Option<usize> {
    let candidates: Vec<usize> = (0..columns.len()).filter(|&i| fits(i)).collect();
    candidates
        .iter()
        .copied()
        .find(|&i| has_word(&columns[i], words))
        .or_else(|| candidates.first().copied())
}

/// Whether `name` has one of `words` (ignoring case): inside it, or for words of two letters ("id")
/// as a word of its own (`customer_id`, `Customer ID`, `CustomerId`, not `paid`).
fn has_word(name: &str, words: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    // Words split at non-alphanumerics and where a lower-case letter meets an upper-case one.
    let mut spaced = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if previous_lower && c.is_ascii_uppercase() {
            spaced.push(' ');
        }
        previous_lower = c.is_ascii_lowercase();
        spaced.push(c.to_ascii_lowercase());
    }
    words.iter().any(|w| {
        if w.len() > 2 {
            lower.contains(w)
        } else {
            spaced
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|token| token == *w)
        }
    })
}

/// Whether at least [`MOSTLY`] of the non-blank `values` (and at least one) satisfy `test`.
fn mostly<'a>(values: impl Iterator<Item = &'a [u8]>, test: impl Fn(&[u8]) -> bool) -> bool {
    let (mut seen, mut fit) = (0usize, 0usize);
    for value in values.map(<[u8]>::trim_ascii).filter(|v| !v.is_empty()) {
        seen += 1;
        fit += usize::from(test(value));
    }
    seen > 0 && fit as f64 >= MOSTLY * seen as f64
}

/// Whether `value` is a status the summary knows, of money received or not.
fn is_status(value: &[u8]) -> bool {
    let status = normalized_status(&String::from_utf8_lossy(value));
    EXCLUDED_STATUSES.contains(&status.as_str()) || PAID_STATUSES.contains(&status.as_str())
}

/// Whether `value` reads as an amount with either decimal separator.
fn is_amount(value: &[u8]) -> bool {
    std::str::from_utf8(value).is_ok_and(|s| {
        parse_amount(s, Decimal::Point).is_ok() || parse_amount(s, Decimal::Comma).is_ok()
    })
}

/// The format of a column whose values are mostly dates in one format.
fn date_format_of<'a>(values: impl Iterator<Item = &'a [u8]> + Clone) -> Option<DateFormat> {
    let Guess::Format(format) = dates::guess_format(values.clone()) else {
        return None;
    };
    if mixed_orders(values.clone()).is_some() {
        return None;
    }
    mostly(values, |v| dates::parse_date(v, format).is_some()).then_some(format)
}

/// A value that can only be month-first and one that can only be day-first, when the column holds
/// both: a file that contradicts itself, whose format only the user can choose.
fn mixed_orders<'a>(
    mut values: impl Iterator<Item = &'a [u8]> + Clone,
) -> Option<(&'a [u8], &'a [u8])> {
    let month_first = values
        .clone()
        .find(|v| dates::only_in(v, DateFormat::MonthFirst))?;
    let day_first = values.find(|v| dates::only_in(v, DateFormat::DayFirst))?;
    Some((month_first, day_first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_the_cdnow_mapping() {
        let text =
            "customer_id,date,quantity,spend\n00004,1997-01-01,2,29.33\n00004,1997-01-18,2,29.73\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.columns, ["customer_id", "date", "quantity", "spend"]);
        assert_eq!(i.delimiter, ",");
        assert_eq!(i.customer_column.as_deref(), Some("customer_id"));
        assert_eq!(i.date_column.as_deref(), Some("date"));
        assert_eq!(i.value_column.as_deref(), Some("spend"));
        assert_eq!(i.date_format, Some(DateFormat::Iso));
        assert_eq!(i.rows[1], ["00004", "1997-01-18", "2", "29.73"]);
    }

    #[test]
    fn guesses_from_values_when_names_say_nothing() {
        let text = "a;b;c\nx1;13/02/2020;3.50\nx2;01/03/2020;4\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.delimiter, ";");
        assert_eq!(i.date_column.as_deref(), Some("b"));
        assert_eq!(i.date_format, Some(DateFormat::DayFirst));
        assert_eq!(i.value_column.as_deref(), Some("c"));
        assert_eq!(i.customer_column.as_deref(), Some("a"));
    }

    #[test]
    fn knows_the_words_of_german_and_french_exports() {
        let text = "bestellung;kundennummer;datum;betrag\n7;k1;2020-01-03;5,00\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.customer_column.as_deref(), Some("kundennummer"));
        assert_eq!(i.date_column.as_deref(), Some("datum"));
        let text = "commande,client,date,montant\n7,c1,2020-01-03,5.00\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.customer_column.as_deref(), Some("client"));
        assert_eq!(i.value_column.as_deref(), Some("montant"));
    }

    #[test]
    fn ambiguous_dates_and_no_values() {
        let text = "when,who\n01/02/2020,ann\n03/04/2020,bob\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.date_column.as_deref(), Some("when"));
        assert_eq!(i.date_format, None);
        assert_eq!(i.value_column, None);
        assert_eq!(i.customer_column.as_deref(), Some("who"));
        // The order open, a customer on two dates still comes back.
        let text = "when,customer\n01/02/2020,ann\n03/04/2020,ann\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(
            (i.confidence, i.evidence[1].on_several_dates),
            (Confidence::High, 1)
        );
        assert_eq!(inspect(b" \n").unwrap_err(), DataError::Empty);
        // Dates of both orders: the column is the date, its format a question with the evidence.
        let text = "when,who\n02/13/2020,ann\n03/01/2020,ann\n13/02/2020,bob\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(
            (i.date_column.as_deref(), i.date_format),
            (Some("when"), None)
        );
        assert!(
            i.notes.iter().any(|n| n.contains(
                "when mixes the two orders: '02/13/2020' can only be MM/DD/YYYY and '13/02/2020' only DD/MM/YYYY"
            )),
            "{:?}",
            i.notes
        );
        let header_only = inspect(b"id,date\n").unwrap();
        assert_eq!(header_only.date_column, None);
        assert_eq!(header_only.customer_column.as_deref(), Some("id"));
    }

    /// An orders export shaped like Shopify's: `Name` is the order number, repeated on each line item
    /// of the order (with the order's fields blank), `Email` the customer, who comes back.
    const SHOPIFY_STYLE: &str = r#"Name,Email,Financial Status,Paid at,Subtotal,Shipping,Taxes,Total,Cancelled at,Lineitem quantity,Lineitem name
#1001,ann@example.com,paid,2024-03-09 00:00:00 +0100,40.00,5.00,8.00,53.00,,1,Mug
#1001,ann@example.com,,,,,,,,2,Plate
#1002,bob@example.com,paid,2024-03-10 10:12:00 +0100,25.00,5.00,5.00,35.00,,1,Bowl
#1003,ann@example.com,paid,2024-04-02 09:00:00 +0200,"1,250.00",0.00,250.00,"1,500.00",,1,Table
#1004,cem@example.com,refunded,2024-04-05 11:00:00 +0200,12.00,5.00,2.40,19.40,,1,Cup
"#;

    #[test]
    fn an_orders_export_gets_the_email_that_comes_back_not_the_order_number() {
        // Under another header it is no known export: the values decide.
        let unknown = SHOPIFY_STYLE.replace("Lineitem name", "Item");
        let i = inspect(unknown.as_bytes()).unwrap();
        assert_eq!(i.export, None);
        assert_eq!(i.customer_column.as_deref(), Some("Email"));
        assert_eq!(i.confidence, Confidence::High);
        assert_eq!(i.date_column.as_deref(), Some("Paid at"));
        assert_eq!(i.value_column.as_deref(), Some("Subtotal"));
        assert_eq!(i.decimal, Some(Decimal::Point));
        let name = &i.evidence[0];
        assert_eq!(
            (name.values, name.distinct, name.on_several_dates),
            (5, 4, 0)
        );
        let email = &i.evidence[1];
        assert_eq!((email.distinct, email.on_several_dates), (3, 1));
        assert!(
            i.notes[0].starts_with("Email: 1 of its 3 values are on more than one date"),
            "{:?}",
            i.notes
        );
    }

    /// A payments export shaped like Stripe's: `id` is the charge, unique per row.
    #[test]
    fn a_payments_export_gets_the_customer_not_the_charge_id() {
        let text = "id,Created date (UTC),Amount,Amount Refunded,Status,Customer ID,Customer Email
ch_1,2024-01-03 10:00:00,20.00,0.00,Paid,cus_A,a@example.com
ch_2,2024-01-05 11:00:00,15.50,0.00,Failed,cus_B,b@example.com
ch_3,2024-02-03 09:30:00,20.00,0.00,Paid,cus_A,a@example.com
ch_4,2024-02-07 12:00:00,9.99,9.99,Refunded,cus_C,c@example.com
";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.customer_column.as_deref(), Some("Customer ID"));
        assert_eq!(i.confidence, Confidence::High);
        assert_eq!(i.date_column.as_deref(), Some("Created date (UTC)"));
        assert_eq!(i.value_column.as_deref(), Some("Amount"));
        assert_eq!(i.evidence[0].distinct, 4);
        assert_eq!(i.evidence[0].on_several_dates, 0);
    }

    /// A German file: semicolons, day-first dates with dots, decimal commas.
    #[test]
    fn a_german_file_gets_its_value_column_and_decimal_comma() {
        let text = "Kundennummer;Datum;Umsatz\nK1;21.02.2023;46,64\nK2;22.02.2023;1.234,50\nK1;14.03.2023;12,00\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.customer_column.as_deref(), Some("Kundennummer"));
        assert_eq!(i.date_column.as_deref(), Some("Datum"));
        assert_eq!(i.date_format, Some(DateFormat::DayFirst));
        assert_eq!(i.value_column.as_deref(), Some("Umsatz"));
        assert_eq!(i.decimal, Some(Decimal::Comma));
    }

    /// Every row its own customer: the guess is made, marked low and explained.
    #[test]
    fn no_column_that_comes_back_is_a_low_confidence_guess() {
        let text = "order,when,total\n1,2024-01-01,5.00\n2,2024-01-02,6.00\n3,2024-01-03,7.50\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.confidence, Confidence::Low);
        assert_eq!(i.customer_column.as_deref(), Some("order"));
        assert!(
            i.notes[0].starts_with("no column has a value on two different dates"),
            "{:?}",
            i.notes
        );
        // "id" is a word of its own, not the end of "paid".
        assert!(
            has_word("customer_id", &["id"])
                && has_word("CustomerId", &["id"])
                && has_word("Customer ID", &["id"])
        );
        assert!(!has_word("Paid at", &["id"]) && !has_word("Valid", &["id"]));
    }

    #[test]
    fn a_column_of_known_statuses_is_the_status_column() {
        let text = "client,placed,net,state,note\nc1,2024-01-05,30.00,paid,x\nc2,2024-01-06,20.00,Cancelled,y\nc1,2024-02-10,50.00,wc-completed,z\nc3,2024-02-11,9.00,Paid,w\nc2,2024-02-12,5.00,Gift,v\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.status_column.as_deref(), Some("state"));
        assert!(i
            .notes
            .iter()
            .any(|n| n.starts_with("state: its values are order or payment statuses")));
        // Its values are listed as the summary would count them: most rows first, as first written.
        let status = |status: &str, rows, excluded, unknown| StatusCount {
            status: status.to_owned(),
            rows,
            excluded,
            unknown,
        };
        assert_eq!(
            i.statuses,
            [
                status("paid", 2, false, false),
                status("Cancelled", 1, true, false),
                status("Gift", 1, false, true),
                status("wc-completed", 1, false, false),
            ]
        );
        assert!(
            i.notes.iter().any(|n| n
                == "state: clvlab does not know the status 'Gift', so those rows count as purchases: leave out any that brought no money (excludeStatuses)"),
            "{:?}",
            i.notes
        );
        // Words that are not statuses, or a customer column, are not one.
        let text = "client,placed,net,state\nc1,2024-01-05,30.00,NY\nc2,2024-01-06,20.00,CA\n";
        assert_eq!(inspect(text.as_bytes()).unwrap().status_column, None);
        // Named a status, of values clvlab does not know: the status column, its values a question.
        let text = "kunde,datum,umsatz,Status\nk1,2024-01-05,30.00,Bezahlt\nk2,2024-01-06,20.00,Storniert\nk1,2024-02-10,50.00,Bezahlt\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.status_column.as_deref(), Some("Status"));
        assert_eq!(
            i.statuses,
            [
                status("Bezahlt", 2, false, true),
                status("Storniert", 1, false, true)
            ]
        );
        assert_eq!(
            i.notes.last().map(String::as_str),
            Some("Status: clvlab does not know the status 'Bezahlt', 'Storniert', so those rows count as purchases: leave out any that brought no money (excludeStatuses)")
        );
        assert!(!i
            .notes
            .iter()
            .any(|n| n.contains("its values are order or payment statuses")));
    }

    #[test]
    fn a_known_export_takes_its_platforms_columns() {
        let i = inspect(SHOPIFY_STYLE.as_bytes()).unwrap();
        let export = i.export.as_ref().unwrap();
        assert_eq!(export.name, "shopify-orders");
        assert_eq!(export.order_column.as_deref(), Some("Name"));
        assert_eq!(export.status_column.as_deref(), Some("Financial Status"));
        assert_eq!(i.customer_column.as_deref(), Some("Email"));
        assert_eq!(i.value_column.as_deref(), Some("Subtotal"));
        assert_eq!(i.date_format, Some(DateFormat::Iso));
        // One status per order: the line item's blank status is its order's.
        let counts: Vec<(&str, usize, bool)> = i
            .statuses
            .iter()
            .map(|s| (s.status.as_str(), s.rows, s.excluded))
            .collect();
        assert_eq!(counts, [("paid", 3, false), ("refunded", 1, true)]);
        assert!(
            i.notes[0].starts_with("a Shopify orders export: customers by Email"),
            "{:?}",
            i.notes
        );
    }

    /// A recognised export is still checked by its values: a customer column that never comes back
    /// makes the guess a low-confidence one, and the notes say what decided the dates.
    #[test]
    fn a_known_export_is_checked_by_its_values() {
        let header =
            "Date,Time,Name,Type,Status,Currency,Gross,From Email Address,Transaction ID\n";
        let rows = [
            "03/04/2024,10:00,A,Payment,Completed,USD,5.00,a@example.com,T1",
            "03/13/2024,10:00,B,Payment,Completed,USD,6.00,b@example.com,T2",
            "04/02/2024,10:00,C,Payment,Completed,USD,7.00,c@example.com,T3",
        ];
        let once = format!("{header}{}\n", rows.join("\n"));
        let i = inspect(once.as_bytes()).unwrap();
        assert_eq!(i.export.as_ref().unwrap().name, "paypal-activity");
        assert_eq!(i.confidence, Confidence::Low);
        assert!(
            i.notes.iter().any(|n| n.starts_with(
                "From Email Address: none of its 3 values is on more than one date in the first 3 rows"
            )),
            "{:?}",
            i.notes
        );
        assert!(
            i.notes
                .contains(&"Date is MM/DD/YYYY: '03/13/2024' cannot be DD/MM/YYYY".to_owned()),
            "{:?}",
            i.notes
        );
        let again =
            format!("{once}04/09/2024,10:00,A,Payment,Completed,USD,8.00,a@example.com,T4\n");
        let i = inspect(again.as_bytes()).unwrap();
        assert_eq!(i.confidence, Confidence::High);
        // Stripe with guest charges: Customer ID blank, the e-mail that comes back takes its place.
        let stripe = "id,Created date (UTC),Amount,Amount Refunded,Status,Customer ID,Customer Email\nch_1,2024-03-04 10:00:00,5.00,0,Paid,,a@example.com\nch_2,2024-03-05 10:00:00,6.00,0,Paid,,b@example.com\nch_3,2024-04-02 10:00:00,7.00,0,Paid,,a@example.com\n";
        let i = inspect(stripe.as_bytes()).unwrap();
        assert_eq!(i.export.as_ref().unwrap().name, "stripe-payments");
        assert_eq!(i.customer_column.as_deref(), Some("Customer Email"));
        assert_eq!(i.confidence, Confidence::Medium);
        assert!(i.notes[0].starts_with("a Stripe payments export: customers by Customer Email"));
        assert_eq!(
            i.notes[1],
            "Customer ID is blank on the first 3 rows, while values of Customer Email come back on other dates, so customers are by Customer Email; check it"
        );
        assert_eq!(
            i.notes[2],
            "Created date (UTC) is in UTC, so purchases are counted on UTC's days: give the shop's UTC offset (utcOffset) to count them on its own"
        );
    }

    /// A column of ISO weeks only is the date column, read as ISO.
    #[test]
    fn a_column_of_weeks_is_the_date_column() {
        let text = "customer,week,amount\na,2024-W09,5.00\nb,2024-W10,6.00\na,2024-W12,7.00\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.date_column.as_deref(), Some("week"));
        assert_eq!(i.date_format, Some(DateFormat::Iso));
        assert_eq!(i.customer_column.as_deref(), Some("customer"));
        assert_eq!(i.confidence, Confidence::High);
    }

    /// Where the values decide the date format the notes say which value did, and a spreadsheet's
    /// serial day numbers are read in a column named as a date.
    #[test]
    fn the_notes_show_what_decided_the_dates() {
        let text = "customer,date,amount\na,03/04/2020,5\nb,13/04/2020,6\na,14/05/2020,7\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.date_format, Some(DateFormat::DayFirst));
        assert!(
            i.notes
                .contains(&"date is DD/MM/YYYY: '13/04/2020' cannot be MM/DD/YYYY".to_owned()),
            "{:?}",
            i.notes
        );
        let text = "customer,date,amount\na,03/04/2020,5\na,05/06/2020,6\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert!(
            i.notes.iter().any(|n| n.starts_with(
                "every date of date could be MM/DD/YYYY or DD/MM/YYYY (e.g. '03/04/2020')"
            )),
            "{:?}",
            i.notes
        );
        let text = "Kunde;Datum;Betrag\nk1;45000;5,00\nk1;45031,5;6,00\n";
        let i = inspect(text.as_bytes()).unwrap();
        assert_eq!(i.date_column.as_deref(), Some("Datum"));
        assert_eq!(i.date_format, Some(DateFormat::Excel));
        assert!(
            i.notes.contains(
                &"Datum holds Excel serial day numbers ('45000' is 2023-03-15)".to_owned()
            ),
            "{:?}",
            i.notes
        );
        // Unnamed, the same numbers are not dates.
        let text = "a,b\nk1,45000\nk1,45031\n";
        assert_eq!(inspect(text.as_bytes()).unwrap().date_format, None);
    }
}
