//! Amounts as people and shop exports write them: `12.50`, `1,234.56`, `1.234,56`, `1 234,56`,
//! `1'234.56`, `€12,50`, `$1,234.56`, `12.50 EUR`, `(12.50)`, `12.50-`.
//!
//! An amount is an optional sign (a leading `-` or `+`, a trailing `-`, or parentheses around it), an
//! optional currency marker before or after the number (a symbol such as `€`, `$`, `£`, `US$`, or a
//! three-letter code such as `EUR`), and digits with at most one decimal separator. The decimal
//! separator is `.` or `,` ([`Decimal`]); the other one, spaces (also no-break and narrow no-break)
//! and `'` group thousands, in groups of three after the first (so `1,5` is not an amount when the
//! decimal separator is `.`: it is refused, not read as 15). Without grouping, scientific notation
//! (`1e3`) is read as Rust reads floats; `inf` and `NaN` are not amounts.
//!
//! When the decimal separator is not given, [`DecimalVote`] decides it from a column's values: a value
//! with both separators has its decimal separator last; a lone separator followed by other than three
//! digits (`12,5`, `3.75`) or appearing twice (`1.234.567`) decides too. A column whose values decide
//! both ways is an error, and so is one in which every separator could be either (`1,234`): the caller
//! is asked to say which.
//!
//! Currency markers are normalised (`€` → EUR, `£` → GBP, `US$` and `$` → USD, …) so that a column may
//! mix `€12` and `12 EUR`, but not two currencies.
//!
//! ```
//! use clvlab::data::{parse_amount, Decimal};
//! let a = parse_amount("€1.234,56", Decimal::Comma).unwrap();
//! assert_eq!((a.value, a.currency.as_deref()), (1234.56, Some("EUR")));
//! assert_eq!(parse_amount("(12.50)", Decimal::Point).unwrap().value, -12.5);
//! assert!(parse_amount("1,5", Decimal::Point).is_err());
//! ```

use serde::{Deserialize, Serialize};

/// The decimal separator of a value column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Decimal {
    /// Decided from the values ([`DecimalVote`]).
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// `1,234.56`.
    #[serde(rename = ".")]
    Point,
    /// `1.234,56`.
    #[serde(rename = ",")]
    Comma,
}

impl Decimal {
    fn separators(self) -> (char, char) {
        match self {
            Decimal::Comma => (',', '.'),
            Decimal::Point | Decimal::Auto => ('.', ','),
        }
    }
}

/// An amount read: its value and, when the text names one, its currency (an ISO-style code).
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub value: f64,
    pub currency: Option<String>,
}

/// Currency symbols and the codes they are read as; longer symbols first.
const SYMBOLS: [(&str, &str); 17] = [
    ("US$", "USD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("NZ$", "NZD"),
    ("R$", "BRL"),
    ("HK$", "HKD"),
    ("CHF", "CHF"),
    ("kr", "SEK"),
    ("zł", "PLN"),
    ("€", "EUR"),
    ("$", "USD"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("₽", "RUB"),
    ("₩", "KRW"),
    ("₺", "TRY"),
];

/// Reads `text` as an amount whose decimal separator is `decimal` (`Auto` reads as `Point`).
pub fn parse_amount(text: &str, decimal: Decimal) -> Result<Amount, String> {
    let refuse = || format!("non-numeric value '{}'", shown(text));
    let mut s = text.trim();
    if s.is_empty() {
        return Err("missing value".to_owned());
    }
    // The common case, digits with at most a decimal point between them, read directly.
    if decimal != Decimal::Comma && is_plain(s) {
        let value = s.parse::<f64>().map_err(|_| refuse())?;
        return Ok(Amount {
            value,
            currency: None,
        });
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    // A sign may stand before the currency (`-€3`) or after it (`€-3`, `€3-`), once.
    let mut signed = false;
    let mut sign = |s: &mut &str, negative: &mut bool| {
        if signed {
            return;
        }
        if let Some(r) = s.strip_prefix('-') {
            (*s, *negative, signed) = (r.trim_start(), !*negative, true);
        } else if let Some(r) = s.strip_prefix('+') {
            (*s, signed) = (r.trim_start(), true);
        }
    };
    sign(&mut s, &mut negative);
    let (rest, before) = strip_currency_prefix(s);
    let (rest, after) = strip_currency_suffix(rest);
    let currency = match (before, after) {
        (Some(a), Some(b)) if a != b => return Err(refuse()),
        (a, b) => a.or(b),
    };
    let mut s = rest.trim();
    sign(&mut s, &mut negative);
    if !signed {
        if let Some(r) = s.strip_suffix('-') {
            negative = !negative;
            s = r.trim_end();
        }
    }
    let magnitude = number(s, decimal).ok_or_else(refuse)?;
    Ok(Amount {
        value: if negative { -magnitude } else { magnitude },
        currency: currency.map(str::to_owned),
    })
}

/// The unsigned number `s` in the decimal convention `decimal`, or `None`.
fn number(s: &str, decimal: Decimal) -> Option<f64> {
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let (point, group) = decimal.separators();
    let grouped = s.contains(|c: char| c == group || is_space_group(c));
    if !grouped {
        let finite = |v: f64| v.is_finite().then_some(v);
        if point == '.' {
            return if s.contains(',') {
                None
            } else {
                s.parse::<f64>().ok().and_then(finite)
            };
        }
        return s.replace(',', ".").parse::<f64>().ok().and_then(finite);
    }
    let (whole, fraction) = match s.split_once(point) {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let groups: Vec<&str> = whole
        .split(|c: char| c == group || is_space_group(c))
        .collect();
    let well_grouped = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !(well_grouped && fraction_ok) {
        return None;
    }
    let mut plain = groups.concat();
    if let Some(f) = fraction {
        plain.push('.');
        plain.push_str(f);
    }
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Digits with at most one `.` between them: `12`, `12.5` (not `.5` or `12.`).
fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    let mut points = 0;
    for &c in b {
        if c == b'.' {
            points += 1;
        } else if !c.is_ascii_digit() {
            return false;
        }
    }
    points <= 1
        && b.first().is_some_and(u8::is_ascii_digit)
        && b.last().is_some_and(u8::is_ascii_digit)
}

fn is_space_group(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')
}

/// A leading currency marker of `s` (a symbol, or a three-letter code followed by a space or a digit).
fn strip_currency_prefix(s: &str) -> (&str, Option<&'static str>) {
    for (symbol, code) in SYMBOLS {
        if let Some(rest) = s.strip_prefix(symbol) {
            return (rest.trim_start(), Some(code));
        }
    }
    match code_at(s.get(..3)) {
        Some(code) if !s[3..].starts_with(|c: char| c.is_ascii_alphabetic()) => {
            (s[3..].trim_start(), Some(code))
        }
        _ => (s, None),
    }
}

/// A trailing currency marker of `s`.
fn strip_currency_suffix(s: &str) -> (&str, Option<&'static str>) {
    for (symbol, code) in SYMBOLS {
        if let Some(rest) = s.strip_suffix(symbol) {
            return (rest.trim_end(), Some(code));
        }
    }
    let split = s.len().saturating_sub(3);
    match s.get(split..).and_then(|tail| code_at(Some(tail))) {
        Some(code) if !s[..split].ends_with(|c: char| c.is_ascii_alphabetic()) => {
            (s[..split].trim_end(), Some(code))
        }
        _ => (s, None),
    }
}

/// `text` as a currency code, if it is one of [`CODES`].
fn code_at(text: Option<&str>) -> Option<&'static str> {
    let text = text?;
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    CODES.iter().copied().find(|c| *c == text)
}

/// The ISO 4217 codes read as currency markers: those of the shop platforms' markets.
const CODES: [&str; 36] = [
    "AED", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EUR", "GBP",
    "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KRW", "MXN", "MYR", "NOK", "NZD", "PEN",
    "PHP", "PLN", "RON", "RUB", "SEK", "SGD", "THB", "TRY", "USD", "ZAR",
];

/// A value as shown in a reason: at most 40 characters.
fn shown(text: &str) -> String {
    let text = text.trim();
    let mut shown: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        shown.push('…');
    }
    shown
}

/// What a value says about its column's decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Says {
    Point,
    Comma,
    /// A lone separator before exactly three digits: a decimal or a thousands separator.
    Either,
    Nothing,
}

fn says(text: &str) -> Says {
    // A lone separator can group thousands only between 1–3 digits and exactly 3.
    let could_group = |at: usize| {
        let after = text[at + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let before = text[..at]
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        after == 3 && (1..=3).contains(&before)
    };
    let (points, commas) = (text.matches('.').count(), text.matches(',').count());
    match (text.rfind('.'), text.rfind(',')) {
        (Some(p), Some(c)) => {
            if p > c {
                Says::Point
            } else {
                Says::Comma
            }
        }
        (Some(_), None) if points > 1 => Says::Comma,
        (None, Some(_)) if commas > 1 => Says::Point,
        (Some(p), None) if !could_group(p) => Says::Point,
        (None, Some(c)) if !could_group(c) => Says::Comma,
        (Some(_), None) | (None, Some(_)) => Says::Either,
        (None, None) => Says::Nothing,
    }
}

/// The evidence of a column's values for its decimal separator, one value at a time (for a look at a
/// few rows; [`AmountReader`] reads a whole column).
#[derive(Debug, Clone, Default)]
pub struct DecimalVote {
    /// The first value (with its line) deciding for `.`, and for `,`.
    point: Option<(u64, String)>,
    comma: Option<(u64, String)>,
    /// The first value that could be either.
    either: Option<(u64, String)>,
}

impl DecimalVote {
    /// Counts the value `text` found on `line`.
    pub fn add(&mut self, line: u64, text: &str) {
        let slot = match says(text.trim()) {
            Says::Point => &mut self.point,
            Says::Comma => &mut self.comma,
            Says::Either => &mut self.either,
            Says::Nothing => return,
        };
        if slot.is_none() {
            *slot = Some((line, shown(text)));
        }
    }

    /// The separator the values decide, or why they do not.
    pub fn decide(&self) -> Result<Decimal, String> {
        match (&self.point, &self.comma, &self.either) {
            (Some((lp, p)), Some((lc, c)), _) => Err(format!(
                "the values mix decimal points (line {lp}: '{p}') and decimal commas (line {lc}: '{c}'); say which with decimal"
            )),
            (Some(_), None, _) => Ok(Decimal::Point),
            (None, Some(_), _) => Ok(Decimal::Comma),
            (None, None, Some((line, v))) => Err(format!(
                "every separator could be a decimal or a thousands separator (line {line}: '{v}'); say which with decimal (\".\" or \",\")"
            )),
            (None, None, None) => Ok(Decimal::Point),
        }
    }
}

/// The largest amount accepted: a million rows of it still sum to a finite number.
pub const MAX_AMOUNT: f64 = 1e15;

/// Why a column of amounts cannot be read at all (as against one row skipped).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnError {
    /// The values decide the decimal separator both ways, or never: the `decimal` option's fault.
    Decimal(String),
    /// Two currencies: the column's fault.
    Currencies(String),
}

/// Reads a column of amounts row by row: decides the decimal separator from the values when it is
/// `Auto` (the first value that decides settles it; values read before that which could be either are
/// read with `.` and corrected by [`AmountReader::finish`]), keeps the column to one currency, and
/// refuses negative amounts (refunds; unless [`AmountReader::with_negatives`]) and amounts over
/// [`MAX_AMOUNT`] row by row.
#[derive(Debug, Clone, Default)]
pub struct AmountReader {
    decimal: Decimal,
    given: bool,
    vote: DecimalVote,
    /// Slots read before the decision that could be either, and their value with a decimal comma.
    pending: Vec<(usize, f64)>,
    currency: Option<(String, u64)>,
    /// Whether negative amounts (refund rows) are read rather than refused.
    negatives: bool,
}

/// What [`AmountReader::finish`] settled.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadAmounts {
    pub decimal: Decimal,
    pub currency: Option<String>,
    /// Values to replace: (slot, value).
    pub corrections: Vec<(usize, f64)>,
}

impl AmountReader {
    /// A reader with the decimal separator `decimal` (`Auto`: decided from the values).
    pub fn new(decimal: Decimal) -> Self {
        AmountReader {
            decimal,
            given: decimal != Decimal::Auto,
            ..AmountReader::default()
        }
    }

    /// The same reader, reading negative amounts (refund rows, for the caller to net) as well.
    pub fn with_negatives(self) -> Self {
        AmountReader {
            negatives: true,
            ..self
        }
    }

    /// Reads the value `text` of the row on `line()`, which the caller keeps at `slot`: `Ok(Ok(value))`,
    /// `Ok(Err(reason))` to skip the row, or `Err` when the column cannot be read.
    pub fn read(
        &mut self,
        text: &[u8],
        slot: usize,
        line: impl Fn() -> u64,
    ) -> Result<Result<f64, String>, ColumnError> {
        let Ok(text) = std::str::from_utf8(text) else {
            return Ok(Err(format!(
                "non-numeric value '{}'",
                shown(&String::from_utf8_lossy(text))
            )));
        };
        let text = text.trim();
        // Plain digits (with a point) in a column read with points: nothing more to decide or check.
        if self.decimal == Decimal::Point && is_plain(text) {
            let value = text.parse::<f64>().ok();
            if let Some(v) = value.filter(|v| *v <= MAX_AMOUNT) {
                return Ok(Ok(v));
            }
        }
        let mut comma_value = None;
        if !self.given {
            match says(text) {
                Says::Nothing => {}
                Says::Either if self.decimal == Decimal::Auto => {
                    comma_value = parse_amount(text, Decimal::Comma).ok().map(|a| a.value);
                    self.vote.add(line(), text);
                }
                Says::Either => {}
                said => {
                    let decided = if said == Says::Point {
                        Decimal::Point
                    } else {
                        Decimal::Comma
                    };
                    if self.decimal == Decimal::Auto {
                        self.decimal = decided;
                        self.vote.add(line(), text);
                    } else if self.decimal != decided {
                        self.vote.add(line(), text);
                        return Err(ColumnError::Decimal(
                            self.vote.decide().err().unwrap_or_default(),
                        ));
                    }
                }
            }
        }
        let amount = match parse_amount(text, self.decimal) {
            Ok(a) => a,
            Err(reason) => return Ok(Err(reason)),
        };
        if let Some(code) = amount.currency {
            match &self.currency {
                None => self.currency = Some((code, line())),
                Some((first, at)) if *first != code => {
                    return Err(ColumnError::Currencies(format!(
                        "mixes currencies: {first} (line {at}) and {code} (line {}); summarise one currency at a time",
                        line()
                    )))
                }
                Some(_) => {}
            }
        }
        let value = amount.value;
        if value < 0.0 && !self.negatives {
            return Ok(Err(format!(
                "negative value {value} (a refund, not a purchase)"
            )));
        }
        if value > MAX_AMOUNT {
            return Ok(Err(format!("value {value} is too large (more than 1e15)")));
        }
        if let Some(comma) = comma_value {
            self.pending.push((slot, comma));
        }
        Ok(Ok(value))
    }

    /// The separator and currency of the column, and the values read with `.` that the decimal comma
    /// decided since changes; an error when the values never decided between separators that could
    /// be either.
    pub fn finish(self) -> Result<ReadAmounts, ColumnError> {
        let (decimal, corrections) = match self.decimal {
            Decimal::Auto if !self.pending.is_empty() => {
                return Err(ColumnError::Decimal(
                    self.vote.decide().err().unwrap_or_default(),
                ))
            }
            Decimal::Auto | Decimal::Point => (Decimal::Point, Vec::new()),
            Decimal::Comma => (Decimal::Comma, self.pending),
        };
        Ok(ReadAmounts {
            decimal,
            currency: self.currency.map(|(c, _)| c),
            corrections,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, decimal: Decimal) -> f64 {
        parse_amount(text, decimal).unwrap().value
    }

    #[test]
    fn reads_the_ways_amounts_are_written() {
        for (text, decimal, want, currency) in [
            ("12.50", Decimal::Point, 12.5, None),
            ("1,234.56", Decimal::Point, 1234.56, None),
            ("1.234,56", Decimal::Comma, 1234.56, None),
            ("1 234,56", Decimal::Comma, 1234.56, None),
            ("1\u{a0}234,56", Decimal::Comma, 1234.56, None),
            ("1'234.56", Decimal::Point, 1234.56, None),
            ("46,64", Decimal::Comma, 46.64, None),
            ("€12,50", Decimal::Comma, 12.5, Some("EUR")),
            ("12,50 €", Decimal::Comma, 12.5, Some("EUR")),
            ("$1,234.56", Decimal::Point, 1234.56, Some("USD")),
            ("US$ 5", Decimal::Point, 5.0, Some("USD")),
            ("12.50 EUR", Decimal::Point, 12.5, Some("EUR")),
            ("GBP 7", Decimal::Point, 7.0, Some("GBP")),
            ("(12.50)", Decimal::Point, -12.5, None),
            ("12.50-", Decimal::Point, -12.5, None),
            ("-€3", Decimal::Point, -3.0, Some("EUR")),
            ("€-3", Decimal::Point, -3.0, Some("EUR")),
            ("1e3", Decimal::Point, 1000.0, None),
            (".5", Decimal::Point, 0.5, None),
            ("1.234.567", Decimal::Comma, 1_234_567.0, None),
        ] {
            let a = parse_amount(text, decimal).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(a.value, want, "{text}");
            assert_eq!(a.currency.as_deref(), currency, "{text}");
        }
        assert_eq!(value("1.5", Decimal::Auto), 1.5);
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for (text, decimal) in [
            ("1,5", Decimal::Point),
            ("1.5.5", Decimal::Point),
            ("12,34,5", Decimal::Point),
            ("1,2345.6", Decimal::Point),
            ("ten", Decimal::Point),
            ("inf", Decimal::Point),
            ("NaN", Decimal::Point),
            ("€12 USD", Decimal::Point),
            ("12 ABC", Decimal::Point),
            ("1e999", Decimal::Point),
            ("--3", Decimal::Point),
            ("12,5,0", Decimal::Comma),
        ] {
            assert!(parse_amount(text, decimal).is_err(), "{text} was read");
        }
        assert_eq!(
            parse_amount("  ", Decimal::Point).unwrap_err(),
            "missing value"
        );
        assert_eq!(
            parse_amount("ten", Decimal::Point).unwrap_err(),
            "non-numeric value 'ten'"
        );
    }

    #[test]
    fn the_values_decide_the_separator_or_say_why_not() {
        let vote = |values: &[&str]| {
            let mut v = DecimalVote::default();
            for (i, text) in values.iter().enumerate() {
                v.add(i as u64 + 2, text);
            }
            v.decide()
        };
        assert_eq!(vote(&["46,64", "12", "3,5"]), Ok(Decimal::Comma));
        assert_eq!(vote(&["1.234,56", "1,234"]), Ok(Decimal::Comma));
        assert_eq!(vote(&["29.33", "1,234"]), Ok(Decimal::Point));
        assert_eq!(vote(&["1,234,567"]), Ok(Decimal::Point));
        assert_eq!(vote(&["12", "7"]), Ok(Decimal::Point));
        let e = vote(&["1,234", "2,500"]).unwrap_err();
        assert!(e.starts_with("every separator could be"), "{e}");
        assert!(e.contains("line 2: '1,234'"), "{e}");
        let e = vote(&["1.5", "2,5"]).unwrap_err();
        assert!(
            e.contains("line 2: '1.5'") && e.contains("line 3: '2,5'"),
            "{e}"
        );
    }

    fn read_all(
        values: &[&str],
        decimal: Decimal,
    ) -> Result<(Vec<Result<f64, String>>, ReadAmounts), ColumnError> {
        let mut reader = AmountReader::new(decimal);
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            out.push(reader.read(v.as_bytes(), i, || i as u64 + 2)?);
        }
        let read = reader.finish()?;
        for &(slot, value) in &read.corrections {
            out[slot] = Ok(value);
        }
        Ok((out, read))
    }

    #[test]
    fn a_column_decides_its_separator_and_corrects_what_came_before() {
        let (values, read) = read_all(&["1,234", "7", "46,64"], Decimal::Auto).unwrap();
        assert_eq!(read.decimal, Decimal::Comma);
        assert_eq!(values, [Ok(1.234), Ok(7.0), Ok(46.64)]);
        let (values, read) = read_all(&["1,234", "29.33"], Decimal::Auto).unwrap();
        assert_eq!(read.decimal, Decimal::Point);
        assert_eq!(values, [Ok(1234.0), Ok(29.33)]);
        let (values, _) = read_all(&["1,234"], Decimal::Comma).unwrap();
        assert_eq!(values, [Ok(1.234)]);
        assert!(matches!(
            read_all(&["1,234", "2,500"], Decimal::Auto),
            Err(ColumnError::Decimal(_))
        ));
        let Err(ColumnError::Decimal(e)) = read_all(&["1.5", "2,5"], Decimal::Auto) else {
            panic!("mixed separators read")
        };
        assert!(
            e.contains("line 2: '1.5'") && e.contains("line 3: '2,5'"),
            "{e}"
        );
    }

    #[test]
    fn a_column_keeps_to_one_currency_and_skips_refunds() {
        let (values, read) =
            read_all(&["€12,50", "3", "12,50 EUR", "-2,00"], Decimal::Auto).unwrap();
        assert_eq!(read.currency.as_deref(), Some("EUR"));
        assert_eq!(values[..3], [Ok(12.5), Ok(3.0), Ok(12.5)]);
        assert!(values[3]
            .as_ref()
            .unwrap_err()
            .starts_with("negative value -2"));
        let Err(ColumnError::Currencies(e)) = read_all(&["€12", "$5"], Decimal::Auto) else {
            panic!("two currencies read")
        };
        assert_eq!(
            e,
            "mixes currencies: EUR (line 2) and USD (line 3); summarise one currency at a time"
        );
        let (values, _) = read_all(&["1,5"], Decimal::Point).unwrap();
        assert!(values[0].is_err());
    }
}
