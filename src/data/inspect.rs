//! A first look at a transaction log, for a page to propose the column mapping before summarising.
//!
//! Reads the header and the first 200 data rows, and guesses which column holds the customer
//! id, the date and the value, and how the dates are written:
//! - the date column is one whose values are nearly all (≥ 80 %) dates in one format, a name with
//!   "date", "day" or "time" in it preferred; its format is the one guessed (`None` when every date
//!   could be MM/DD/YYYY or DD/MM/YYYY);
//! - the value column is a numeric column (≥ 80 % numbers) whose name speaks of money ("amount",
//!   "value", "spend", "revenue", "price", "total", "sales", "dollar"…), else one with decimal points;
//! - the customer column is the first other column whose name speaks of a customer ("customer",
//!   "client", "user", "member", "account", "buyer", "id"…), else the first other column.
//!
//! A guess can be wrong: the page shows it for the user to correct.

use super::dates::{self, DateFormat, Guess};
use super::{table, DataError};

/// How many data rows are looked at.
pub const SAMPLE_ROWS: usize = 200;
/// How many of them are returned for display.
pub const SHOWN_ROWS: usize = 5;
/// The share of a column's non-blank values that must fit for the column to count as dates or numbers.
const MOSTLY: f64 = 0.8;

const DATE_WORDS: [&str; 3] = ["date", "day", "time"];
/// English, then the German, French, Spanish / Portuguese and Dutch words of shop exports.
const VALUE_WORDS: [&str; 18] = [
    "amount", "value", "spend", "revenue", "price", "total", "sales", "dollar", "sum", "paid",
    "cost", "umsatz", "betrag", "preis", "montant", "prix", "importe", "valor",
];
const CUSTOMER_WORDS: [&str; 10] = [
    "customer", "client", "user", "member", "account", "buyer", "shopper", "kunde", "klant", "id",
];

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
    pub date_format: Option<DateFormat>,
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
        .map(|i| date_format_of(values(i)))
        .collect();
    let date = pick(&columns, &DATE_WORDS, |i| {
        dates.get(i).is_some_and(Option::is_some)
    })
    .or_else(|| {
        pick(&columns, &DATE_WORDS, |i| {
            matches!(dates::guess_format(values(i)), Guess::Ambiguous)
        })
    });
    let numeric = |i: usize| Some(i) != date && mostly(values(i), is_number);
    let value = pick(&columns, &VALUE_WORDS, |i| {
        numeric(i) && has_word(&columns[i], &VALUE_WORDS)
    })
    .or_else(|| {
        pick(&columns, &[], |i| {
            numeric(i) && values(i).any(|v| v.contains(&b'.'))
        })
    });
    let customer = pick(&columns, &CUSTOMER_WORDS, |i| {
        Some(i) != date && Some(i) != value
    });

    let name = |i: Option<usize>| i.and_then(|i| columns.get(i).cloned());
    Ok(Inspection {
        delimiter: char::from(delimiter).to_string(),
        rows: sample
            .iter()
            .take(SHOWN_ROWS)
            .map(|r| {
                r.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect()
            })
            .collect(),
        customer_column: name(customer),
        date_column: name(date),
        value_column: name(value),
        date_format: date.and_then(|i| dates.get(i).copied().flatten()),
        columns,
    })
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

fn has_word(name: &str, words: &[&str]) -> bool {
    let name = name.to_ascii_lowercase();
    words.iter().any(|w| name.contains(w))
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

fn is_number(value: &[u8]) -> bool {
    std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .is_some_and(f64::is_finite)
}

/// The format of a column whose values are mostly dates in one format.
fn date_format_of<'a>(values: impl Iterator<Item = &'a [u8]> + Clone) -> Option<DateFormat> {
    let Guess::Format(format) = dates::guess_format(values.clone()) else {
        return None;
    };
    mostly(values, |v| dates::parse_date(v, format).is_some()).then_some(format)
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
        assert_eq!(inspect(b" \n").unwrap_err(), DataError::Empty);
        let header_only = inspect(b"id,date\n").unwrap();
        assert_eq!(header_only.date_column, None);
        assert_eq!(header_only.customer_column.as_deref(), Some("id"));
    }
}
