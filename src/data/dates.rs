//! Calendar dates as day numbers, parsed by hand.
//!
//! A date becomes the number of days since 1970-01-01 in the proleptic Gregorian calendar, through the
//! days-from-civil algorithm of Howard Hinnant ("chrono-Compatible Low-Level Date Algorithms", 2013).
//! Months and days are checked against the calendar, leap years included (1900 is not one, 2000 is).
//! Only the date matters: an ISO date may carry a time of day (`1997-01-01T10:15:00`, `1997-01-01 10:15`),
//! which is ignored, so two purchases on one calendar day are one transaction whatever their times.

use serde::Deserialize;

/// How the dates in the date column are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum DateFormat {
    /// `1997-01-31` (ISO 8601), optionally followed by a time of day after `T` or a space.
    #[default]
    #[serde(rename = "YYYY-MM-DD")]
    Iso,
    /// `19970131`, as in the CDNOW master file.
    #[serde(rename = "YYYYMMDD")]
    Compact,
    /// `01/31/1997` (US order); one-digit months and days and `-` or `.` as separators are accepted, and
    /// a time of day after a space, `T` or a comma is ignored.
    #[serde(rename = "MM/DD/YYYY")]
    MonthFirst,
    /// `31/01/1997` (European order); one-digit months and days and `-` or `.` are accepted, and a time
    /// of day after a space, `T` or a comma is ignored.
    #[serde(rename = "DD/MM/YYYY")]
    DayFirst,
    /// The month by name, before or after the day, with a four-digit year: `Sep 23, 2024`,
    /// `September 23rd 2024`, `23 Sep 2024`, `23-Sep-2024`, `23. September 2024`, and RFC 2822's
    /// `Mon, 23 Sep 2024 14:21:24 +0000` (a leading weekday and a trailing time are ignored: the date as
    /// written). Names in English, German, French and Spanish, in full or abbreviated (`Sept.`, `Mär`,
    /// `janv.`, `dic`), in any case.
    #[serde(rename = "month name")]
    MonthName,
    /// Excel's serial day numbers (1900 date system, as a spreadsheet saved without formatting writes
    /// dates): `45000` is 2023-03-15, a fraction is the time of day; from 61 (1900-03-01) on.
    #[serde(rename = "excel")]
    Excel,
    /// Guessed from the column: ISO and compact dates are told apart by their shape; slashed dates are
    /// day-first once a first number exceeds 12, month-first once a second one does, and an error asks
    /// for the format when every date could be either.
    #[serde(rename = "auto")]
    Auto,
}

impl DateFormat {
    /// The format as the `dateFormat` option spells it.
    pub fn label(self) -> &'static str {
        match self {
            DateFormat::Iso => "YYYY-MM-DD",
            DateFormat::Compact => "YYYYMMDD",
            DateFormat::MonthFirst => "MM/DD/YYYY",
            DateFormat::DayFirst => "DD/MM/YYYY",
            DateFormat::MonthName => "month name",
            DateFormat::Excel => "excel",
            DateFormat::Auto => "auto",
        }
    }

    /// The other order of a slashed format: day-first for month-first and back.
    pub fn other_order(self) -> Option<DateFormat> {
        match self {
            DateFormat::MonthFirst => Some(DateFormat::DayFirst),
            DateFormat::DayFirst => Some(DateFormat::MonthFirst),
            _ => None,
        }
    }
}

/// Whether the slashed date `text` can only be read in `format`'s order (one of its two leading
/// numbers exceeds 12), so that it tells day-first from month-first.
pub fn only_in(text: &[u8], format: DateFormat) -> bool {
    format.other_order().is_some_and(|other| {
        parse_date(text, format).is_some() && parse_date(text, other).is_none()
    })
}

/// Days since 1970-01-01 of a valid calendar date (Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Option<i32> {
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    if day > days_in_month(year, month) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    Some(era * 146_097 + doe - 719_468)
}

/// The calendar date `(year, month, day)` of a day number (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

/// A day number written `YYYY-MM-DD`.
pub fn format_iso(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The days of `month` (1–12) of `year`.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `text` (surrounding spaces ignored) in `format` to a day number; `None` if it is not a valid
/// date in that format. `Auto` must be resolved from the column first; here it accepts nothing.
pub fn parse_date(text: &[u8], format: DateFormat) -> Option<i32> {
    let text = text.trim_ascii();
    match format {
        DateFormat::Iso => parse_iso(text),
        DateFormat::Compact => parse_compact(text),
        DateFormat::MonthFirst => {
            let (a, b, year) = split_slashed(text)?;
            days_from_civil(year, a, b)
        }
        DateFormat::DayFirst => {
            let (a, b, year) = split_slashed(text)?;
            days_from_civil(year, b, a)
        }
        DateFormat::MonthName => parse_month_name(text),
        DateFormat::Excel => parse_excel(text),
        DateFormat::Auto => None,
    }
}

/// Parses a date given in `format`, or failing that in ISO form: options such as `calibrationEnd` may
/// always be written `YYYY-MM-DD`.
pub fn parse_date_or_iso(text: &str, format: DateFormat) -> Option<i32> {
    parse_date(text.as_bytes(), format).or_else(|| parse_iso(text.trim().as_bytes()))
}

/// The value of a run of ASCII digits of exactly `len` bytes.
fn digits(text: &[u8], len: usize) -> Option<u32> {
    if text.len() != len || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        text.iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0')),
    )
}

/// Day 0 of Excel's 1900 date system as a day number: serial 25569 is 1970-01-01.
pub(crate) const EXCEL_EPOCH: i32 = 25_569;
/// The last serial of year 9999.
const EXCEL_LAST: f64 = 2_958_465.0;

/// An Excel serial day number, from 61 (serials up to 60 count Excel's nonexistent 1900-02-29); its
/// fraction, the time of day, may follow a decimal point or comma.
fn parse_excel(text: &[u8]) -> Option<i32> {
    let text = std::str::from_utf8(text).ok()?;
    let serial: f64 = text.replacen(',', ".", 1).parse().ok()?;
    if !(61.0..EXCEL_LAST + 1.0).contains(&serial) {
        return None;
    }
    Some(serial.floor() as i32 - EXCEL_EPOCH)
}

/// An ISO 8601 week date, `2024-W09` (its Monday) or `2024-W09-3` (its day 1–7, Monday first): week 1
/// is the week with the year's first Thursday, and a week belongs to the year of its Thursday.
fn parse_iso_week(text: &[u8]) -> Option<i32> {
    let (year, week, day) = match text {
        [y @ .., b'-', b'W', w1, w2] => (y, [*w1, *w2], 1),
        [y @ .., b'-', b'W', w1, w2, b'-', d] => (y, [*w1, *w2], digits(&[*d], 1)?),
        _ => return None,
    };
    let year = digits(year, 4)? as i32;
    let week = digits(&week, 2)?;
    if !(1..=7).contains(&day) || week == 0 {
        return None;
    }
    let jan4 = days_from_civil(year, 1, 4)?;
    // Monday is 0: day 0 (1970-01-01) was a Thursday.
    let monday_week1 = jan4 - (jan4 + 3).rem_euclid(7);
    let monday = monday_week1 + 7 * (week as i32 - 1);
    if civil_from_days(monday + 3).0 != year {
        return None;
    }
    Some(monday + day as i32 - 1)
}

fn parse_iso(text: &[u8]) -> Option<i32> {
    if let Some(day) = parse_iso_week(text) {
        return Some(day);
    }
    // The date is the first 10 bytes; anything after must be a time of day introduced by 'T' or ' '.
    let (date, rest) = text.split_at_checked(10)?;
    if !(rest.is_empty() || rest[0] == b'T' || rest[0] == b' ') {
        return None;
    }
    if date[4] != b'-' || date[7] != b'-' {
        return None;
    }
    let year = digits(&date[0..4], 4)?;
    let month = digits(&date[5..7], 2)?;
    let day = digits(&date[8..10], 2)?;
    days_from_civil(year as i32, month, day)
}

/// Minutes east of UTC of an offset written `+01:00`, `+0100`, `+01`, `-05:00` or `Z` (at most
/// 14 hours either way).
pub fn parse_offset(text: &[u8]) -> Option<i32> {
    let text = text.trim_ascii();
    if text == b"Z" || text.eq_ignore_ascii_case(b"UTC") || text.eq_ignore_ascii_case(b"GMT") {
        return Some(0);
    }
    let (sign, rest) = match text.split_first()? {
        (b'+', rest) => (1, rest),
        (b'-', rest) => (-1, rest),
        _ => return None,
    };
    let (hours, minutes) = match rest {
        [h1, h2] => (digits(&[*h1, *h2], 2)?, 0),
        [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
            (digits(&[*h1, *h2], 2)?, digits(&[*m1, *m2], 2)?)
        }
        _ => return None,
    };
    if minutes > 59 || hours * 60 + minutes > 14 * 60 {
        return None;
    }
    Some(sign * (hours * 60 + minutes) as i32)
}

/// The day, in the time zone `utc_offset` minutes east of UTC, of an ISO timestamp: its time of day
/// (`10:00`, `10:00:00`, `10:00:00.123`) and offset (`Z`, `+0100`, `+01:00`, ` UTC`; none: UTC) move
/// it; a date without a time is that date.
pub fn parse_iso_in(text: &[u8], utc_offset: i32) -> Option<i32> {
    let text = text.trim_ascii();
    let day = parse_iso(text)?;
    let Some(rest) = text.get(10..).filter(|r| !r.is_empty()) else {
        return Some(day);
    };
    let rest = &rest[1..];
    let hour = digits(rest.get(0..2)?, 2)?;
    if rest.get(2) != Some(&b':') {
        return None;
    }
    let minute = digits(rest.get(3..5)?, 2)?;
    if hour > 23 || minute > 59 {
        return None;
    }
    // Seconds and their fraction, then the offset.
    let mut at = 5;
    while rest
        .get(at)
        .is_some_and(|b| b.is_ascii_digit() || *b == b':' || *b == b'.')
    {
        at += 1;
    }
    let zone = rest[at..].trim_ascii();
    let own = if zone.is_empty() {
        0
    } else {
        parse_offset(zone)?
    };
    let minutes = (hour * 60 + minute) as i32 - own + utc_offset;
    Some(day + minutes.div_euclid(24 * 60))
}

fn parse_compact(text: &[u8]) -> Option<i32> {
    if text.len() != 8 {
        return None;
    }
    let year = digits(&text[0..4], 4)?;
    let month = digits(&text[4..6], 2)?;
    let day = digits(&text[6..8], 2)?;
    days_from_civil(year as i32, month, day)
}

/// The date part of `text`: all of it, or what comes before a time of day introduced by a space, `T`
/// or a comma (the time itself must start with a digit).
fn before_time(text: &[u8]) -> &[u8] {
    match text.iter().position(|b| matches!(b, b' ' | b'T' | b',')) {
        Some(at)
            if text[at + 1..]
                .trim_ascii_start()
                .first()
                .is_some_and(u8::is_ascii_digit) =>
        {
            &text[..at]
        }
        _ => text,
    }
}

/// Splits `a/b/yyyy` (or with `-` or `.`, one separator throughout; a time of day after it ignored)
/// into its two leading numbers of one or two digits and the four-digit year.
fn split_slashed(text: &[u8]) -> Option<(u32, u32, i32)> {
    let text = before_time(text);
    let sep = *text.iter().find(|b| matches!(b, b'/' | b'-' | b'.'))?;
    let mut parts = text.split(|&b| b == sep);
    let a = parts.next()?;
    let b = parts.next()?;
    let year = parts.next()?;
    if parts.next().is_some() || a.is_empty() || b.is_empty() || a.len() > 2 || b.len() > 2 {
        return None;
    }
    Some((
        digits(a, a.len())?,
        digits(b, b.len())?,
        digits(year, 4)? as i32,
    ))
}

/// Month names and abbreviations (lower case) in English, German, French and Spanish, by month.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "janvier", "janv", "enero", "ene",
    ],
    &[
        "february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero",
    ],
    &[
        "march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo",
    ],
    &["april", "apr", "avril", "avr", "abril", "abr"],
    &["may", "mai", "mayo"],
    &["june", "jun", "juni", "juin", "junio"],
    &["july", "jul", "juli", "juillet", "juil", "julio"],
    &["august", "aug", "août", "aout", "agosto", "ago"],
    &["september", "sep", "sept", "septembre", "septiembre"],
    &["october", "oct", "oktober", "okt", "octobre", "octubre"],
    &["november", "nov", "novembre", "noviembre"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
    ],
];

/// The month (1–12) a word names, ignoring ASCII case and a trailing period.
fn month_of(word: &[u8]) -> Option<u32> {
    let word = word.strip_suffix(b".").unwrap_or(word).to_ascii_lowercase();
    let word = std::str::from_utf8(&word).ok()?;
    (1..=12).find(|&m| MONTH_NAMES[m as usize - 1].contains(&word))
}

/// A day of the month written `23`, `3` or `23rd` (an English ordinal), or with a period (`23.`).
fn day_of(word: &[u8]) -> Option<u32> {
    let word = word.strip_suffix(b".").unwrap_or(word);
    let lower = word.to_ascii_lowercase();
    let number = [b"st", b"nd", b"rd", b"th"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(&suffix[..]))
        .unwrap_or(&lower);
    match number.len() {
        1 | 2 => digits(number, number.len()),
        _ => None,
    }
}

/// A date with the month by name ([`DateFormat::MonthName`]): after a leading weekday, the words
/// (split at spaces, commas, `-` and `/`; `of` and `de` passed over, as in `23 de septiembre de 2024`)
/// are day, month, year or month, day, year, and anything after the year is a time of day (its first
/// word starts with a digit).
fn parse_month_name(text: &[u8]) -> Option<i32> {
    let mut words = text
        .split(|b| matches!(b, b' ' | b',' | b'-' | b'/'))
        .filter(|w| {
            !w.is_empty() && !w.eq_ignore_ascii_case(b"de") && !w.eq_ignore_ascii_case(b"of")
        })
        .peekable();
    // A weekday: a word of letters that names no month, before the date.
    if words.peek().is_some_and(|w| {
        w.iter().all(|b| b.is_ascii_alphabetic() || *b == b'.') && month_of(w).is_none()
    }) {
        words.next();
    }
    let (first, second, year) = (words.next()?, words.next()?, words.next()?);
    let (month, day) = match (month_of(first), month_of(second)) {
        (Some(month), None) => (month, day_of(second)?),
        (None, Some(month)) => (month, day_of(first)?),
        _ => return None,
    };
    let year = digits(year, 4)? as i32;
    if words.next().is_some_and(|w| !w[0].is_ascii_digit()) {
        return None;
    }
    days_from_civil(year, month, day)
}

/// What a look at the date column tells about its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    /// The format is settled.
    Format(DateFormat),
    /// Every date read so far could be day-first or month-first (both leading numbers 12 or less).
    Ambiguous,
    /// Nothing that looks like a date was seen.
    Unknown,
}

/// Guesses the format of a date column from its values: ISO, compact and month-name dates are told
/// apart by their shape, and a slashed date whose first number exceeds 12 is day-first, whose second does is
/// month-first. Values that fit no format are passed over (they will be reported as bad dates).
pub fn guess_format<T: AsRef<[u8]>>(values: impl IntoIterator<Item = T>) -> Guess {
    let mut slashed = false;
    for value in values {
        let value = value.as_ref().trim_ascii();
        if parse_iso(value).is_some() {
            return Guess::Format(DateFormat::Iso);
        }
        if parse_compact(value).is_some() {
            return Guess::Format(DateFormat::Compact);
        }
        if parse_month_name(value).is_some() {
            return Guess::Format(DateFormat::MonthName);
        }
        let Some((a, b, year)) = split_slashed(value) else {
            continue;
        };
        let month_first = days_from_civil(year, a, b).is_some();
        let day_first = days_from_civil(year, b, a).is_some();
        match (month_first, day_first) {
            (true, false) => return Guess::Format(DateFormat::MonthFirst),
            (false, true) => return Guess::Format(DateFormat::DayFirst),
            (true, true) => slashed = true,
            (false, false) => {}
        }
    }
    if slashed {
        Guess::Ambiguous
    } else {
        Guess::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_day_numbers() {
        // By definition of the Unix epoch.
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        // 2000-03-01 is day 11017 since the epoch (30 years of 365 days + 7 leap days + 31 + 29).
        assert_eq!(days_from_civil(2000, 3, 1), Some(30 * 365 + 7 + 31 + 29));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = days_from_civil(1900, 1, 1).unwrap();
        let end = days_from_civil(2300, 12, 31).unwrap();
        let mut expected = (1900, 1, 1);
        for n in start..=end {
            assert_eq!(civil_from_days(n), expected);
            let (y, m, d) = expected;
            assert_eq!(days_from_civil(y, m, d), Some(n));
            expected = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(days_from_civil(1996, 2, 29).is_some());
        assert!(days_from_civil(1997, 2, 29).is_none());
        assert!(days_from_civil(1900, 2, 29).is_none());
        assert!(days_from_civil(2000, 2, 29).is_some());
        assert!(days_from_civil(1997, 4, 31).is_none());
        assert!(days_from_civil(1997, 13, 1).is_none());
        assert!(days_from_civil(1997, 1, 0).is_none());
    }

    #[test]
    fn parses_each_format() {
        let d = days_from_civil(1997, 1, 31);
        assert_eq!(parse_date(b"1997-01-31", DateFormat::Iso), d);
        assert_eq!(parse_date(b" 1997-01-31T23:59:00Z ", DateFormat::Iso), d);
        assert_eq!(parse_date(b"1997-01-31 08:00", DateFormat::Iso), d);
        assert_eq!(parse_date(b"19970131", DateFormat::Compact), d);
        assert_eq!(parse_date(b"01/31/1997", DateFormat::MonthFirst), d);
        assert_eq!(parse_date(b"1/31/1997", DateFormat::MonthFirst), d);
        assert_eq!(parse_date(b"31.1.1997", DateFormat::DayFirst), d);
        assert_eq!(parse_date(b"31-01-1997", DateFormat::DayFirst), d);
        for bad in [
            &b"1997-1-31"[..],
            b"1997/01/31",
            b"1997-01-31x",
            b"",
            b"31/01/97",
            b"1/2/3/1997",
            b"+1/31/1997",
            b"\xff\xfe",
        ] {
            assert_eq!(parse_date(bad, DateFormat::Iso), None);
            assert_eq!(parse_date(bad, DateFormat::MonthFirst), None);
        }
        assert_eq!(parse_date(b"01/31/1997", DateFormat::DayFirst), None);
        assert_eq!(parse_date(b"1997-01-31", DateFormat::Compact), None);
    }

    #[test]
    fn parses_month_names() {
        let d = days_from_civil(2024, 9, 23);
        for text in [
            &b"Sep 23, 2024"[..],
            b"September 23rd, 2024",
            b"sept. 23 2024",
            b"23 Sep 2024",
            b"23-Sep-2024",
            b"23. September 2024",
            b"Mon, 23 Sep 2024 14:21:24 +0000",
            b"Monday, September 23, 2024 2:21 PM",
            b"23 septembre 2024",
            b"the 23rd of September 2024",
            b"23 de septiembre de 2024",
            b"SEP 23 2024",
        ] {
            assert_eq!(
                parse_date(text, DateFormat::MonthName),
                d,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
        assert_eq!(
            parse_date("3. März 2024".as_bytes(), DateFormat::MonthName),
            days_from_civil(2024, 3, 3)
        );
        assert_eq!(
            parse_date("1 déc. 2023".as_bytes(), DateFormat::MonthName),
            days_from_civil(2023, 12, 1)
        );
        assert_eq!(
            parse_date(b"29 Feb 2024", DateFormat::MonthName),
            days_from_civil(2024, 2, 29)
        );
        for bad in [
            &b"29 Feb 2023"[..],
            b"Sep 2024",
            b"23 Sep 24",
            b"Sep Oct 2024",
            b"23 Sep 2024 later",
            b"32 Sep 2024",
            b"Smarch 3, 2024",
            b"2024-09-23",
        ] {
            assert_eq!(
                parse_date(bad, DateFormat::MonthName),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn slashed_dates_may_carry_a_time() {
        let d = days_from_civil(2024, 1, 31);
        assert_eq!(parse_date(b"1/31/2024 10:15", DateFormat::MonthFirst), d);
        assert_eq!(parse_date(b"1/31/2024 2:05 PM", DateFormat::MonthFirst), d);
        assert_eq!(parse_date(b"31.01.2024, 10:15", DateFormat::DayFirst), d);
        assert_eq!(parse_date(b"31/01/2024T10:15:00", DateFormat::DayFirst), d);
        assert_eq!(parse_date(b"1/31/2024 x", DateFormat::MonthFirst), None);
    }

    /// Excel's serials (Microsoft's documented 1900 system): 25569 is 1970-01-01, 45000 is
    /// 2023-03-15, 61 is 1900-03-01; 60 (the nonexistent 1900-02-29) and below are refused.
    #[test]
    fn parses_excel_serials() {
        assert_eq!(parse_date(b"25569", DateFormat::Excel), Some(0));
        assert_eq!(
            parse_date(b"45000", DateFormat::Excel),
            days_from_civil(2023, 3, 15)
        );
        assert_eq!(
            parse_date(b"45000.75", DateFormat::Excel),
            days_from_civil(2023, 3, 15)
        );
        assert_eq!(
            parse_date(b"61", DateFormat::Excel),
            days_from_civil(1900, 3, 1)
        );
        for bad in [&b"60"[..], b"0", b"-3", b"3000000", b"x", b"1e999"] {
            assert_eq!(parse_date(bad, DateFormat::Excel), None);
        }
    }

    /// ISO 8601 week dates (the standard's examples: 2009-W53-7 is 2010-01-03, 2008-W01-1 is
    /// 2007-12-31); 2020 has 53 weeks, 2021 has 52.
    #[test]
    fn parses_iso_week_dates() {
        let week = |t: &str| parse_date(t.as_bytes(), DateFormat::Iso);
        assert_eq!(week("2009-W53-7"), days_from_civil(2010, 1, 3));
        assert_eq!(week("2008-W01-1"), days_from_civil(2007, 12, 31));
        assert_eq!(week("2024-W01"), days_from_civil(2024, 1, 1));
        assert_eq!(week("2024-W09"), days_from_civil(2024, 2, 26));
        assert!(week("2020-W53").is_some());
        for bad in ["2021-W53", "2024-W00", "2024-W09-8", "2024-W9", "24-W09"] {
            assert_eq!(week(bad), None, "{bad}");
        }
        assert_eq!(guess_format(["2024-W09"]), Guess::Format(DateFormat::Iso));
    }

    /// Timestamps moved to the shop's day: 23:30 UTC is the next day at +01:00; 00:30 at +01:00 is
    /// the day before in UTC; a time without an offset is UTC; a date alone stays.
    #[test]
    fn timestamps_fall_on_the_shops_day() {
        let day = |y, m, d| days_from_civil(y, m, d);
        assert_eq!(parse_iso_in(b"2024-03-09T23:30:00Z", 60), day(2024, 3, 10));
        assert_eq!(
            parse_iso_in(b"2024-03-09 00:30:00 +0100", 0),
            day(2024, 3, 8)
        );
        assert_eq!(
            parse_iso_in(b"2024-03-09 00:30:00 +01:00", 60),
            day(2024, 3, 9)
        );
        assert_eq!(
            parse_iso_in(b"2024-03-09T02:00:00.250-05:00", -300),
            day(2024, 3, 9)
        );
        assert_eq!(parse_iso_in(b"2024-03-09 02:00", -300), day(2024, 3, 8));
        assert_eq!(
            parse_iso_in(b"2024-03-09 22:00:00 UTC", 330),
            day(2024, 3, 10)
        );
        assert_eq!(parse_iso_in(b"2024-03-09", -300), day(2024, 3, 9));
        for bad in [
            &b"2024-03-09 25:00"[..],
            b"2024-03-09 10:00 +99:00",
            b"2024-03-09 10",
            b"2024-03-09 10:00 PST",
        ] {
            assert_eq!(parse_iso_in(bad, 0), None);
        }
        assert_eq!(parse_offset(b"+05:30"), Some(330));
        assert_eq!(parse_offset(b"-0800"), Some(-480));
        assert_eq!(parse_offset(b"+14:01"), None);
    }

    #[test]
    fn guesses_formats() {
        let guess = |v: &[&str]| guess_format(v.iter().map(|s| s.as_bytes()));
        assert_eq!(guess(&["x", "1997-01-02"]), Guess::Format(DateFormat::Iso));
        assert_eq!(guess(&["19970102"]), Guess::Format(DateFormat::Compact));
        assert_eq!(
            guess(&["01/02/1997", "01/13/1997"]),
            Guess::Format(DateFormat::MonthFirst)
        );
        assert_eq!(
            guess(&["01/02/1997", "13/01/1997"]),
            Guess::Format(DateFormat::DayFirst)
        );
        assert_eq!(guess(&["01/02/1997", "03/04/1997"]), Guess::Ambiguous);
        assert_eq!(guess(&["soon", ""]), Guess::Unknown);
        assert_eq!(
            guess(&["", "Mon, 23 Sep 2024 14:21:24 +0000"]),
            Guess::Format(DateFormat::MonthName)
        );
        assert_eq!(
            guess(&["1/31/2024 10:15"]),
            Guess::Format(DateFormat::MonthFirst)
        );
    }
}
