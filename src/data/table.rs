//! The CSV layer: byte-order mark, delimiter, header and column lookup, over the `csv` crate.
//!
//! Records are read as bytes, so text that is not valid UTF-8 is read all the same: only the fields the
//! summary uses are decoded, and customer ids are compared as raw bytes (two ids that differ only in
//! invalid bytes stay two customers; they are shown with U+FFFD in place of the bad bytes).

use super::DataError;

/// The delimiters tried when none is given, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter byte of the `delimiter` option, if given: one ASCII character other than a quote or
/// a line break.
pub fn delimiter_byte(text: Option<&str>) -> Result<Option<u8>, DataError> {
    let Some(text) = text else {
        return Ok(None);
    };
    match text.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' && *b != b'\r' => Ok(Some(*b)),
        _ => Err(DataError::invalid(
            "delimiter",
            format!("must be one ASCII character other than a quote or line break (got {text:?})"),
        )),
    }
}

/// `bytes` without a leading UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The delimiter that occurs most often (outside quotes) in the first non-blank line, comma when none
/// occurs.
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    let start = bytes
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(bytes.len());
    for &b in bytes.get(start..).unwrap_or_default() {
        if b == b'\n' && !quoted {
            break;
        }
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                counts[i] += 1;
            }
        }
    }
    let mut best = 0;
    for (i, &count) in counts.iter().enumerate() {
        if count > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

/// An opened log: its bytes without a byte-order mark, the delimiter (given, else sniffed), a reader
/// past the header, and the header's column names.
pub struct Opened<'b> {
    pub bytes: &'b [u8],
    pub delimiter: u8,
    pub reader: csv::Reader<&'b [u8]>,
    pub header: Vec<String>,
}

/// Opens the log `bytes` with the `delimiter` option: an empty file (blank, or without a header) is
/// [`DataError::Empty`].
pub fn open<'b>(bytes: &'b [u8], delimiter: Option<&str>) -> Result<Opened<'b>, DataError> {
    let bytes = strip_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError::Empty);
    }
    let delimiter = match delimiter_byte(delimiter)? {
        Some(d) => d,
        None => sniff_delimiter(bytes),
    };
    let mut reader = reader(bytes, delimiter);
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record).unwrap_or(false) {
        return Err(DataError::Empty);
    }
    Ok(Opened {
        bytes,
        delimiter,
        reader,
        header: header_names(&record),
    })
}

/// A reader of `bytes` that yields every record, header included, whatever its number of fields.
pub fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// The column names of the header record, decoded lossily and trimmed.
pub fn header_names(record: &csv::ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|field| String::from_utf8_lossy(field).trim().to_owned())
        .collect()
}

/// The index of the column `name` (given as `options.<option>`): an exact match of the trimmed names,
/// else the one match ignoring ASCII case.
pub fn column_index(
    header: &[String],
    option: &'static str,
    name: &str,
) -> Result<usize, DataError> {
    let name = name.trim();
    if let Some(i) = header.iter().position(|h| h == name) {
        return Ok(i);
    }
    let mut folded = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.eq_ignore_ascii_case(name));
    match (folded.next(), folded.next()) {
        (Some((i, _)), None) => Ok(i),
        _ => Err(DataError::NoSuchColumn {
            option,
            name: name.to_owned(),
            columns: header.join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_delimiter_of_the_first_line() {
        assert_eq!(sniff_delimiter(b"id,date,value\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter(b"id;date;\"a,b,c\"\n"), b';');
        assert_eq!(sniff_delimiter(b"id\tdate\tvalue"), b'\t');
        assert_eq!(sniff_delimiter(b"\r\n\nid;date;value"), b';');
        assert_eq!(sniff_delimiter(b"id"), b',');
    }

    #[test]
    fn finds_columns_exactly_then_ignoring_case() {
        let header: Vec<String> = ["id", "Date", "date2", "ID"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(column_index(&header, "dateColumn", "Date"), Ok(1));
        assert_eq!(column_index(&header, "dateColumn", " date "), Ok(1));
        assert_eq!(column_index(&header, "customerColumn", "ID"), Ok(3));
        let e = column_index(&header, "customerColumn", "Id").unwrap_err();
        assert_eq!(e.option(), Some("customerColumn"));
        assert_eq!(
            e.to_string(),
            "no column named 'Id' (columns: id, Date, date2, ID)"
        );
    }
}
