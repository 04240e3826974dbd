//! RFM segments of a customer base (Hughes 1994, *Strategic Database Marketing*, on recency,
//! frequency and monetary value), from the summary the purchase models take.
//!
//! Each customer gets three scores from 1 to 5, the quintile their value starts in among all the
//! customers': score = 1 + ⌊5 · below / n⌋, `below` the customers with a strictly worse value, so
//! that the worst value scores 1 and equal values score alike (a base where 60 % never bought again
//! gives them all the lowest frequency score):
//! - recency: the time since the last purchase, T − t_x (less is better);
//! - frequency: the repeat purchases x (more is better);
//! - monetary: the mean spend of the repeat purchases (more is better; 0 without any, as the
//!   summary has it).
//!
//! The named segments are the first rule of [`SEGMENTS`] a customer's scores meet, in that order;
//! every segment is listed, with or without customers.
//!
//! [`cohorts`] groups the customers by the month or quarter of their first purchase (the
//! calibration end less T), the cohorts in calendar order.
//!
//! ```
//! use clvlab::segments::rfm_segments;
//! // Four customers: x = 0, 1, 1, 3; the last bought most recently and spends most.
//! let rfm = rfm_segments(&[0.0, 1.0, 1.0, 3.0], &[0.0, 5.0, 20.0, 30.0], &[30.0; 4], &[0.0, 10.0, 20.0, 40.0])
//!     .unwrap();
//! assert_eq!(rfm.frequency_score, [1.0, 2.0, 2.0, 4.0]);
//! assert_eq!(rfm.recency_score, [1.0, 2.0, 3.0, 4.0]);
//! assert_eq!(rfm.levels[rfm.codes[3] as usize], "Champions");
//! ```

use serde::Deserialize;

use crate::data::{civil_from_days, parse_iso_in};
use crate::error::{self, InputError};
use crate::models::Summary;

/// The scores: 1 to this.
pub const SCORES: f64 = 5.0;

/// A named segment: the ranges of the recency, frequency and monetary scores it takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentRule {
    pub name: &'static str,
    pub recency: (u8, u8),
    pub frequency: (u8, u8),
    pub monetary: (u8, u8),
}

const fn rule(
    name: &'static str,
    recency: (u8, u8),
    frequency: (u8, u8),
    monetary: (u8, u8),
) -> SegmentRule {
    SegmentRule {
        name,
        recency,
        frequency,
        monetary,
    }
}

/// The named segments, the first a customer's scores meet giving theirs; the last takes everyone.
pub const SEGMENTS: [SegmentRule; 7] = [
    rule("Champions", (4, 5), (4, 5), (4, 5)),
    rule("Loyal", (3, 5), (4, 5), (1, 5)),
    rule("At risk", (1, 2), (3, 5), (1, 5)),
    rule("New", (4, 5), (1, 1), (1, 5)),
    rule("Promising", (3, 5), (1, 3), (1, 5)),
    rule("Hibernating", (1, 2), (1, 2), (1, 5)),
    rule("Other", (1, 5), (1, 5), (1, 5)),
];

/// Each customer's scores and segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Rfm {
    pub recency_score: Vec<f64>,
    pub frequency_score: Vec<f64>,
    pub monetary_score: Vec<f64>,
    /// The segments' names, in the order of [`SEGMENTS`].
    pub levels: Vec<String>,
    /// Each customer's segment, an index into `levels`.
    pub codes: Vec<u32>,
}

/// The RFM scores and segments of the customers with repeat purchases `frequency`, recency
/// `recency`, age `t` (in one time unit) and mean repeat spend `monetary_value`.
pub fn rfm_segments(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    monetary_value: &[f64],
) -> Result<Rfm, InputError> {
    Summary {
        frequency: frequency.to_vec(),
        recency: recency.to_vec(),
        t: t.to_vec(),
        weights: None,
    }
    .validate()?;
    if monetary_value.len() != frequency.len() {
        return Err(InputError::invalid(
            "monetaryValue",
            format!(
                "must have one value per customer ({} values for {} customers)",
                monetary_value.len(),
                frequency.len()
            ),
        ));
    }
    for (i, &m) in monetary_value.iter().enumerate() {
        error::non_negative(&format!("monetaryValue[{i}]"), m)?;
    }
    let since_last: Vec<f64> = t.iter().zip(recency).map(|(t, t_x)| t_x - t).collect();
    let recency_score = scores(&since_last);
    let frequency_score = scores(frequency);
    let monetary_score = scores(monetary_value);
    let codes = (0..frequency.len())
        .map(|i| {
            let meets = |(low, high): (u8, u8), score: f64| {
                score >= f64::from(low) && score <= f64::from(high)
            };
            let found = SEGMENTS.iter().position(|s| {
                meets(s.recency, recency_score[i])
                    && meets(s.frequency, frequency_score[i])
                    && meets(s.monetary, monetary_score[i])
            });
            found.unwrap_or(SEGMENTS.len() - 1) as u32
        })
        .collect();
    Ok(Rfm {
        recency_score,
        frequency_score,
        monetary_score,
        levels: SEGMENTS.iter().map(|s| s.name.to_owned()).collect(),
        codes,
    })
}

/// 1 + ⌊5 · below / n⌋ for each value (more is better), `below` the values strictly less.
fn scores(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut scores = vec![0.0; n];
    let mut start = 0;
    for (k, &i) in order.iter().enumerate() {
        if values[i] != values[order[start]] {
            start = k;
        }
        scores[i] = 1.0 + (SCORES * start as f64 / n as f64).floor();
    }
    scores
}

/// The calendar period of a first-purchase cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum CohortPeriod {
    /// `1997-01`.
    #[default]
    Month,
    /// `1997-Q1`.
    Quarter,
}

/// The first-purchase cohort of each customer: the month or quarter of `calibration_end`
/// (`YYYY-MM-DD`) less T (`t`, in units of `unit_days` days, a whole number of days each), as
/// levels in calendar order and each customer's code.
pub fn cohorts(
    calibration_end: &str,
    t: &[f64],
    unit_days: f64,
    period: CohortPeriod,
) -> Result<(Vec<String>, Vec<u32>), InputError> {
    let end = parse_iso_in(calibration_end.as_bytes(), 0)
        .filter(|_| calibration_end.trim().len() == 10)
        .ok_or_else(|| {
            InputError::invalid(
                "calibrationEnd",
                format!("must be a date YYYY-MM-DD (got {calibration_end:?})"),
            )
        })?;
    error::positive("unitDays", unit_days)?;
    if t.is_empty() {
        return Err(InputError::invalid("T", "must not be empty"));
    }
    let mut keys = Vec::with_capacity(t.len());
    for (i, &age) in t.iter().enumerate() {
        error::non_negative(&format!("T[{i}]"), age)?;
        let days = age * unit_days;
        if (days - days.round()).abs() > 1e-6 || days > 1e6 {
            return Err(InputError::invalid(
                format!("T[{i}]"),
                format!("is not a whole number of days at unitDays {unit_days} (got {age}): pass the summary as summarizeTransactions returns it"),
            ));
        }
        let (year, month, _) = civil_from_days(end - days.round() as i32);
        keys.push(match period {
            CohortPeriod::Month => (year, month),
            CohortPeriod::Quarter => (year, (month - 1) / 3 + 1),
        });
    }
    let mut distinct = keys.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let levels = distinct
        .iter()
        .map(|&(year, part)| match period {
            CohortPeriod::Month => format!("{year:04}-{part:02}"),
            CohortPeriod::Quarter => format!("{year:04}-Q{part}"),
        })
        .collect();
    let codes = keys
        .iter()
        .map(|key| distinct.partition_point(|d| d < key) as u32)
        .collect();
    Ok((levels, codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_the_quintile_each_value_starts_in() {
        // Ten values: below = 3, 0, 1, 1, 4, 5, 6, 7, 7, 9 → 1 + ⌊below / 2⌋.
        let values = [3.0, 1.0, 2.0, 2.0, 5.0, 6.0, 7.0, 9.0, 9.0, 10.0];
        assert_eq!(
            scores(&values),
            [2.0, 1.0, 1.0, 1.0, 3.0, 3.0, 4.0, 4.0, 4.0, 5.0]
        );
        // All equal: all worst.
        assert_eq!(scores(&[4.0; 3]), [1.0; 3]);
        // Six zeros in ten: below 0 for them, 6, 7, 8, 9 for the others.
        let mut base = [0.0; 10];
        base[6..].copy_from_slice(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(
            scores(&base),
            [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 4.0, 4.0, 5.0, 5.0]
        );
    }

    #[test]
    fn segments_follow_the_first_rule_met() {
        // Five customers, T = 40. Recency: T − t_x = 40, 30, 20, 10, 0 → scores 1…5; frequency
        // 0, 1, 5, 5, 5 → 1, 2, 3, 3, 3 (below 0, 1, 2, 2, 2); monetary 0, 10, 30, 20, 50 → 1, 2,
        // 4, 3, 5.
        let rfm = rfm_segments(
            &[0.0, 1.0, 5.0, 5.0, 5.0],
            &[0.0, 10.0, 20.0, 30.0, 40.0],
            &[40.0; 5],
            &[0.0, 10.0, 30.0, 20.0, 50.0],
        )
        .unwrap();
        assert_eq!(rfm.recency_score, [1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(rfm.frequency_score, [1.0, 2.0, 3.0, 3.0, 3.0]);
        assert_eq!(rfm.monetary_score, [1.0, 2.0, 4.0, 3.0, 5.0]);
        let names: Vec<&str> = rfm
            .codes
            .iter()
            .map(|&c| rfm.levels[c as usize].as_str())
            .collect();
        // (1,1,1) hibernating; (2,2,2) hibernating; (3,3,4) promising; (4,3,3) promising;
        // (5,3,5) promising (frequency 3 is not loyal's 4–5).
        assert_eq!(
            names,
            [
                "Hibernating",
                "Hibernating",
                "Promising",
                "Promising",
                "Promising"
            ]
        );
        assert_eq!(rfm.levels.len(), SEGMENTS.len());
    }

    #[test]
    fn bad_input_names_the_field() {
        let e = rfm_segments(&[1.0], &[2.0], &[1.0], &[3.0]).unwrap_err();
        assert!(e.to_string().starts_with("recency[0]"), "{e}");
        let e = rfm_segments(&[1.0], &[0.5], &[1.0], &[]).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("monetaryValue: must have one value per customer"));
        let e = rfm_segments(&[1.0], &[0.5], &[1.0], &[-2.0]).unwrap_err();
        assert!(e.to_string().starts_with("monetaryValue[0]"), "{e}");
        assert!(rfm_segments(&[], &[], &[], &[]).is_err());
    }

    #[test]
    fn cohorts_are_the_month_or_quarter_of_the_first_purchase() {
        // Calibration end 1997-09-30; T in weeks: 38.857… = 272 days (first purchase 1997-01-01),
        // 30 weeks = 210 days (1997-03-04), 0 (1997-09-30), 13 weeks = 91 days (1997-07-01).
        let t = [272.0 / 7.0, 30.0, 0.0, 13.0];
        let (levels, codes) = cohorts("1997-09-30", &t, 7.0, CohortPeriod::Month).unwrap();
        assert_eq!(levels, ["1997-01", "1997-03", "1997-07", "1997-09"]);
        assert_eq!(codes, [0, 1, 3, 2]);
        let (levels, codes) = cohorts("1997-09-30", &t, 7.0, CohortPeriod::Quarter).unwrap();
        assert_eq!(levels, ["1997-Q1", "1997-Q3"]);
        assert_eq!(codes, [0, 0, 1, 1]);
        let e = cohorts("1997-09-30", &[1.5], 7.0, CohortPeriod::Month).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("T[0]: is not a whole number of days"),
            "{e}"
        );
        let e = cohorts("30/09/1997", &t, 7.0, CohortPeriod::Month).unwrap_err();
        assert!(
            e.to_string().starts_with("calibrationEnd: must be a date"),
            "{e}"
        );
        assert!(cohorts("1997-09-30", &t, 0.0, CohortPeriod::Month).is_err());
    }
}
