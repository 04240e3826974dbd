//! Customer attributes read from a transaction log: columns that describe the customer (acquisition
//! channel, region, plan, or any column the user picks), one value per customer of the summary, for
//! segments and covariates.
//!
//! - `attributes` names categorical columns: each distinct text (trimmed of ASCII spaces) is a level,
//!   the levels in the order the summary's customers first show them; `numericAttributes` names
//!   numeric columns (plain numbers: `12`, `-3.5`, `1e3`).
//! - A customer's value is the one on their rows; a blank field is missing. Two different values for
//!   one customer are an error naming the column, the customer, both values and their lines: an
//!   attribute describes the customer, not the purchase.
//! - A customer missing a value (blank on every row): with `missingAttributes: "level"` (the
//!   default) the level [`MISSING_LEVEL`] of a categorical column, an error for a numeric one; with
//!   `"drop"` the customer is left out of the summary and counted.
//! - A column blank on every row, one with more than [`MAX_LEVELS`] levels (an id or free text, not
//!   an attribute), and a level with fewer customers of the summary than `minLevelCustomers` (1 by
//!   default) are errors that name it.

use std::collections::HashMap;

use serde::Deserialize;

use super::{table, DataError, Options};

/// The most levels of a categorical attribute.
pub const MAX_LEVELS: usize = 1_000;
/// The level of customers without a value (`missingAttributes: "level"`).
pub const MISSING_LEVEL: &str = "(missing)";

/// What a customer without an attribute's value becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum MissingAttributes {
    /// A level of its own, [`MISSING_LEVEL`] (an error for a numeric attribute).
    #[default]
    Level,
    /// Left out of the summary.
    Drop,
}

/// One attribute's value for each customer of the summary.
#[derive(Debug, Clone, PartialEq)]
pub enum Attribute {
    /// `levels[codes[i]]` is customer i's.
    Categorical {
        levels: Vec<String>,
        codes: Vec<u32>,
    },
    /// `values[i]` is customer i's.
    Numeric { values: Vec<f64> },
}

/// One attribute column as read: its distinct texts, and each customer's (by log index) with the
/// line it was first read on.
#[derive(Debug)]
struct Column {
    option: &'static str,
    name: String,
    index: usize,
    /// For a numeric column, each text's number.
    numbers: Option<Vec<f64>>,
    ids: HashMap<Box<[u8]>, u32>,
    texts: Vec<Box<[u8]>>,
    of_customer: Vec<Option<(u32, u64)>>,
}

impl Column {
    fn text(&self, id: u32) -> String {
        String::from_utf8_lossy(&self.texts[id as usize]).into_owned()
    }

    /// The id of `text`, a new one (checked) if it was not seen before.
    fn id_of(&mut self, text: &[u8], line: u64) -> Result<u32, DataError> {
        if let Some(&id) = self.ids.get(text) {
            return Ok(id);
        }
        if let Some(numbers) = &mut self.numbers {
            let number = std::str::from_utf8(text)
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
                .filter(|n| n.is_finite());
            let Some(number) = number else {
                return Err(DataError::invalid(
                    self.option,
                    format!(
                        "column '{}' is not a number on line {line} ({:?})",
                        self.name,
                        String::from_utf8_lossy(text)
                    ),
                ));
            };
            numbers.push(number);
        } else if self.texts.len() == MAX_LEVELS {
            return Err(DataError::invalid(
                self.option,
                format!(
                    "column '{}' has more than {MAX_LEVELS} distinct values: an attribute has a few levels (is it an id, or free text?)",
                    self.name
                ),
            ));
        }
        let id = self.texts.len() as u32;
        self.ids.insert(text.into(), id);
        self.texts.push(text.into());
        Ok(id)
    }

    /// Whether ids `a` and `b` are the same value (numbers compared as numbers).
    fn same(&self, a: u32, b: u32) -> bool {
        match &self.numbers {
            Some(numbers) => numbers[a as usize] == numbers[b as usize],
            None => a == b,
        }
    }
}

/// The attribute columns of a log, read row by row.
#[derive(Debug, Default)]
pub(super) struct Attributes {
    columns: Vec<Column>,
}

impl Attributes {
    /// The columns `options` names (none when it names none); `taken` are the columns the summary
    /// reads otherwise.
    pub(super) fn find(
        header: &[String],
        options: &Options,
        taken: &[usize],
    ) -> Result<Self, DataError> {
        let categorical = options
            .attributes
            .iter()
            .flatten()
            .map(|n| ("attributes", n, false));
        let numeric = options.numeric_attributes.iter().flatten();
        let mut columns: Vec<Column> = Vec::new();
        for (option, name, numeric) in
            categorical.chain(numeric.map(|n| ("numericAttributes", n, true)))
        {
            let index = table::column_index(header, option, name)?;
            let header_name = header.get(index).cloned().unwrap_or_default();
            if taken.contains(&index) {
                return Err(DataError::invalid(
                    option,
                    format!("column '{header_name}' is already read as the customer, date, value, order, status or refund column"),
                ));
            }
            if columns.iter().any(|c| c.index == index) {
                return Err(DataError::invalid(
                    option,
                    format!("column '{header_name}' is named twice"),
                ));
            }
            columns.push(Column {
                option,
                name: header_name,
                index,
                numbers: numeric.then(Vec::new),
                ids: HashMap::new(),
                texts: Vec::new(),
                of_customer: Vec::new(),
            });
        }
        Ok(Attributes { columns })
    }

    /// Reads the attributes of customer `customer` (`id`, by log index) on a usable row; `line` is
    /// the row's line.
    pub(super) fn read(
        &mut self,
        record: &csv::ByteRecord,
        (customer, id): (u32, &[u8]),
        line: impl Fn() -> u64,
    ) -> Result<(), DataError> {
        for column in &mut self.columns {
            let text = record.get(column.index).unwrap_or_default().trim_ascii();
            if text.is_empty() {
                continue;
            }
            let customer = customer as usize;
            if column.of_customer.len() <= customer {
                column.of_customer.resize(customer + 1, None);
            }
            let known = column.of_customer[customer];
            if let Some((seen, _)) = known {
                if column.ids.get(text) == Some(&seen) {
                    continue;
                }
            }
            let line = line();
            let value = column.id_of(text, line)?;
            match known {
                None => column.of_customer[customer] = Some((value, line)),
                Some((seen, _)) if column.same(seen, value) => {}
                Some((seen, seen_line)) => {
                    return Err(DataError::invalid(
                        column.option,
                        format!(
                            "column '{}' changes for customer {}: '{}' on line {seen_line}, '{}' on line {line}; an attribute describes the customer (one value on all their rows)",
                            column.name,
                            String::from_utf8_lossy(id),
                            column.text(seen),
                            column.text(value)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Whether customer `customer` (by log index) lacks a value of some attribute.
    pub(super) fn missing(&self, customer: usize) -> bool {
        self.columns
            .iter()
            .any(|c| c.of_customer.get(customer).copied().flatten().is_none())
    }

    /// Each attribute for the summary's customers, `customers` their log indices in order.
    pub(super) fn finish(
        self,
        customers: &[usize],
        options: &Options,
    ) -> Result<Vec<(String, Attribute)>, DataError> {
        let min_customers = match options.min_level_customers {
            None => 1,
            Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => n as u32,
            Some(n) => {
                return Err(DataError::invalid(
                    "minLevelCustomers",
                    format!("must be a whole number of customers, at least 1 (got {n})"),
                ))
            }
        };
        self.columns
            .into_iter()
            .map(|column| {
                if column.texts.is_empty() {
                    return Err(DataError::invalid(
                        column.option,
                        format!("column '{}' is blank on every row", column.name),
                    ));
                }
                let value = |i: usize| column.of_customer.get(i).copied().flatten();
                let attribute = match &column.numbers {
                    Some(numbers) => numeric(&column, numbers, customers, &value)?,
                    None => categorical(&column, customers, &value, min_customers)?,
                };
                Ok((column.name, attribute))
            })
            .collect()
    }
}

/// A numeric column's values; a customer without one is an error (they were dropped otherwise).
fn numeric(
    column: &Column,
    numbers: &[f64],
    customers: &[usize],
    value: &dyn Fn(usize) -> Option<(u32, u64)>,
) -> Result<Attribute, DataError> {
    let values = customers
        .iter()
        .map(|&i| {
            value(i).map(|(id, _)| numbers[id as usize]).ok_or_else(|| {
                DataError::invalid(
                    column.option,
                    format!(
                        "column '{}' is blank on every row of a customer: a number has no level for missing values (missingAttributes: \"drop\" leaves such customers out)",
                        column.name
                    ),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Attribute::Numeric { values })
}

/// A categorical column's levels (in the order the customers first show them, [`MISSING_LEVEL`]
/// for those without a value) and codes; a level with fewer than `min_customers` is an error.
fn categorical(
    column: &Column,
    customers: &[usize],
    value: &dyn Fn(usize) -> Option<(u32, u64)>,
    min_customers: u32,
) -> Result<Attribute, DataError> {
    let mut code_of: HashMap<Option<u32>, u32> = HashMap::new();
    let mut levels = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let codes = customers
        .iter()
        .map(|&i| {
            let id = value(i).map(|(id, _)| id);
            let code = *code_of.entry(id).or_insert_with(|| {
                levels.push(id.map_or_else(|| MISSING_LEVEL.to_owned(), |id| column.text(id)));
                counts.push(0);
                (levels.len() - 1) as u32
            });
            counts[code as usize] += 1;
            code
        })
        .collect();
    let small: Vec<String> = levels
        .iter()
        .zip(&counts)
        .filter(|(_, &n)| n < min_customers)
        .map(|(level, n)| format!("'{level}' ({n})"))
        .collect();
    if !small.is_empty() {
        return Err(DataError::invalid(
            column.option,
            format!(
                "column '{}' has levels with fewer than minLevelCustomers ({min_customers}) customers: {}; merge them (into \"other\", say) or lower minLevelCustomers",
                column.name,
                small.join(", ")
            ),
        ));
    }
    Ok(Attribute::Categorical { levels, codes })
}
