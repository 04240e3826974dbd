//! Contract durations: how many customers were lost in each period of tenure, and how many are still
//! customers after each, pooled from one cohort, several cohorts or one row per customer.
//!
//! Conventions (Fader & Hardie 2007, "How to project customer retention", *Journal of Interactive
//! Marketing* 21(1)): tenure t counts periods since acquisition; a customer "lost in period t" (t ≥ 1)
//! was a customer at t − 1 and did not renew at t, so their lifetime T = t; a customer still active
//! after t renewals is right-censored there, T > t. With S(t) = P(T > t) and
//! P(T = t) = S(t − 1) − S(t), the log-likelihood of the durations is
//! `ℓ = Σₜ lost(t) ln P(T = t) + Σₜ active(t) ln S(t)` (their eq. 8 for one cohort; a cohort acquired
//! later is censored earlier, which is how several cohorts pool).
//!
//! ```
//! use clvlab::models::durations::{DurationData, Durations};
//! // Two cohorts: 100 → 60 → 45 (still active at period 2) and 80 → 50 (still active at period 1).
//! let d = Durations::new(&DurationData::Cohorts(vec![vec![100.0, 60.0, 45.0], vec![80.0, 50.0]])).unwrap();
//! assert_eq!(d.lost(), &[0.0, 70.0, 15.0]);
//! assert_eq!(d.active(), &[0.0, 50.0, 45.0]);
//! ```

use crate::error::{self, InputError};

/// The longest tenure read, in periods (8,333 years of months).
pub const MAX_TENURE: u32 = 100_000;

/// Durations as the caller has them.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationData {
    /// One cohort's survivor counts `survivors[t]`, the customers still active at tenure t
    /// (t = 0 is acquisition); at least 3 counts, non-increasing.
    Survivors(Vec<f64>),
    /// Several cohorts' survivor counts, each observed for as many periods as it has counts after the
    /// first (a later cohort has fewer; one acquired in the last period, with one count, adds
    /// nothing): `cohorts[i][t]`.
    Cohorts(Vec<Vec<f64>>),
    /// One row per customer (or per group of identical ones, with `weights`): `tenure`, whole periods,
    /// is the period of churn (T = tenure, at least 1) when `churned` is 1, and the renewals survived so
    /// far (T > tenure) when it is 0.
    Customers {
        tenure: Vec<f64>,
        churned: Vec<f64>,
        weights: Option<Vec<f64>>,
    },
}

/// Lost and still-active customers by tenure, the sufficient statistics of every duration model.
#[derive(Debug, Clone, PartialEq)]
pub struct Durations {
    /// `lost[t]`: customers whose lifetime is t periods (`lost[0]` is 0).
    lost: Vec<f64>,
    /// `active[t]`: customers still active after t periods, observed no further.
    active: Vec<f64>,
}

impl Durations {
    /// Pools `data` into lost and active counts by tenure, refusing what no model could fit: counts
    /// that are negative, not finite or rise over time, tenures that are not whole, too few periods.
    pub fn new(data: &DurationData) -> Result<Durations, InputError> {
        let durations = match data {
            DurationData::Survivors(survivors) => {
                if survivors.len() < 3 {
                    return Err(InputError::invalid(
                        "survivors",
                        format!(
                            "needs at least 3 counts (periods 0, 1, 2) to fit two parameters (got {})",
                            survivors.len()
                        ),
                    ));
                }
                let mut d = Durations::empty();
                d.add_cohort(survivors, "survivors", 2)?;
                d
            }
            DurationData::Cohorts(cohorts) => {
                if cohorts.is_empty() {
                    return Err(InputError::invalid("cohorts", "needs at least one cohort"));
                }
                let mut d = Durations::empty();
                for (i, cohort) in cohorts.iter().enumerate() {
                    d.add_cohort(cohort, &format!("cohorts[{i}]"), 1)?;
                }
                d.enough_periods("cohorts")?;
                d
            }
            DurationData::Customers {
                tenure,
                churned,
                weights,
            } => {
                let d = Durations::of_customers(tenure, churned, weights.as_deref())?;
                d.enough_periods("tenure")?;
                d
            }
        };
        if durations.lost.iter().sum::<f64>() <= 0.0 {
            let field = match data {
                DurationData::Survivors(_) => "survivors",
                DurationData::Cohorts(_) => "cohorts",
                DurationData::Customers { .. } => "churned",
            };
            return Err(InputError::invalid(
                field,
                "no customer was lost: retention cannot be estimated without churn",
            ));
        }
        Ok(durations)
    }

    fn empty() -> Durations {
        Durations {
            lost: vec![0.0],
            active: vec![0.0],
        }
    }

    /// `lost[t]`: customers whose lifetime is t periods.
    pub fn lost(&self) -> &[f64] {
        &self.lost
    }

    /// `active[t]`: customers still active after t periods, observed no further.
    pub fn active(&self) -> &[f64] {
        &self.active
    }

    /// The last tenure observed.
    pub fn periods(&self) -> usize {
        self.lost.len() - 1
    }

    /// Makes room for tenures up to `t`.
    fn reach(&mut self, t: usize) {
        if t >= self.lost.len() {
            self.lost.resize(t + 1, 0.0);
            self.active.resize(t + 1, 0.0);
        }
    }

    /// Adds a cohort's survivor counts, at least `fewest`, checked under the name `field`.
    fn add_cohort(
        &mut self,
        survivors: &[f64],
        field: &str,
        fewest: usize,
    ) -> Result<(), InputError> {
        if survivors.len() < fewest {
            return Err(InputError::invalid(
                field,
                format!(
                    "needs at least {fewest} count{} (got {})",
                    if fewest == 1 { "" } else { "s" },
                    survivors.len()
                ),
            ));
        }
        if survivors.len() > MAX_TENURE as usize + 1 {
            return Err(InputError::invalid(
                field,
                format!(
                    "has more than {} counts (a tenure of at most {MAX_TENURE} periods)",
                    MAX_TENURE + 1
                ),
            ));
        }
        for (t, &n) in survivors.iter().enumerate() {
            let at = format!("{field}[{t}]");
            if t == 0 {
                error::positive(&at, n)?;
            } else {
                error::non_negative(&at, n)?;
            }
            if t > 0 && n > survivors[t - 1] {
                return Err(InputError::invalid(
                    at,
                    format!(
                        "must not exceed the count before it (got {n} > {})",
                        survivors[t - 1]
                    ),
                ));
            }
        }
        let last = survivors.len() - 1;
        self.reach(last);
        for t in 1..=last {
            self.lost[t] += survivors[t - 1] - survivors[t];
        }
        self.active[last] += survivors[last];
        Ok(())
    }

    fn of_customers(
        tenure: &[f64],
        churned: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<Durations, InputError> {
        if tenure.is_empty() {
            return Err(InputError::invalid("tenure", "needs at least one customer"));
        }
        for (field, len) in [
            ("churned", churned.len()),
            ("weights", weights.map_or(tenure.len(), <[f64]>::len)),
        ] {
            if len != tenure.len() {
                return Err(InputError::invalid(
                    field,
                    format!(
                        "must have as many entries as tenure ({}, got {len})",
                        tenure.len()
                    ),
                ));
            }
        }
        let mut d = Durations::empty();
        for (i, (&t, &c)) in tenure.iter().zip(churned).enumerate() {
            let t = error::whole_non_negative(&format!("tenure[{i}]"), t, MAX_TENURE)? as usize;
            let weight = match weights {
                Some(w) => error::non_negative(&format!("weights[{i}]"), w[i])?,
                None => 1.0,
            };
            d.reach(t);
            if c == 1.0 {
                if t == 0 {
                    return Err(InputError::invalid(
                        format!("tenure[{i}]"),
                        "must be at least 1 for a churned customer (the period they left in)",
                    ));
                }
                d.lost[t] += weight;
            } else if c == 0.0 {
                d.active[t] += weight;
            } else {
                return Err(InputError::invalid(
                    format!("churned[{i}]"),
                    format!("must be 1 (churned) or 0 (still active) (got {c})"),
                ));
            }
        }
        Ok(d)
    }

    /// Refuses durations that end before period 2 (nothing to tell heterogeneity from churn).
    fn enough_periods(&self, field: &str) -> Result<(), InputError> {
        if self.periods() < 2 {
            return Err(InputError::invalid(
                field,
                format!(
                    "needs customers observed for at least 2 periods (the longest is {})",
                    self.periods()
                ),
            ));
        }
        Ok(())
    }

    /// The log-likelihood at `terms` (ln S(t) and ln P(T = t) for t = 0 … [`periods`](Self::periods),
    /// with their gradients in the model's parameters), and its gradient into `grad`.
    pub(crate) fn log_likelihood(&self, terms: &[Term], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let mut total = 0.0;
        for ((term, &lost), &active) in terms.iter().zip(&self.lost).zip(&self.active) {
            if lost > 0.0 {
                total += lost * term.ln_p;
                for (g, d) in grad.iter_mut().zip(&term.d_ln_p) {
                    *g += lost * d;
                }
            }
            if active > 0.0 {
                total += active * term.ln_s;
                for (g, d) in grad.iter_mut().zip(&term.d_ln_s) {
                    *g += active * d;
                }
            }
        }
        total
    }
}

/// A duration model's terms at tenure t: ln S(t), ln P(T = t) (0 at t = 0) and their gradients in
/// the parameters (up to three; unused entries 0).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Term {
    pub ln_s: f64,
    pub ln_p: f64,
    pub d_ln_s: [f64; 3],
    pub d_ln_p: [f64; 3],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_customer_pools_like_the_cohorts() {
        // Cohort 100 → 60 → 45, as customers: 40 lost in period 1, 15 in period 2, 45 active at 2.
        let cohort = Durations::new(&DurationData::Survivors(vec![100.0, 60.0, 45.0])).unwrap();
        let customers = Durations::new(&DurationData::Customers {
            tenure: vec![1.0, 2.0, 2.0],
            churned: vec![1.0, 1.0, 0.0],
            weights: Some(vec![40.0, 15.0, 45.0]),
        })
        .unwrap();
        assert_eq!(cohort, customers);
    }

    #[test]
    fn refuses_what_cannot_be_fitted() {
        let err = |data: DurationData| Durations::new(&data).unwrap_err().to_string();
        let e = err(DurationData::Survivors(vec![1000.0, 600.0, 700.0]));
        assert!(e.starts_with("survivors[2]: must not exceed"), "{e}");
        assert!(err(DurationData::Survivors(vec![1000.0, 600.0])).starts_with("survivors:"));
        assert!(err(DurationData::Survivors(vec![0.0, 0.0, 0.0])).starts_with("survivors[0]"));
        assert!(err(DurationData::Survivors(vec![10.0, f64::NAN, 1.0])).starts_with("survivors[1]"));
        let e = err(DurationData::Survivors(vec![10.0, 10.0, 10.0]));
        assert!(e.starts_with("survivors: no customer was lost"), "{e}");
        let e = err(DurationData::Cohorts(vec![vec![10.0, 5.0, 4.0], vec![]]));
        assert!(e.starts_with("cohorts[1]: needs at least 1 count"), "{e}");
        // A cohort acquired in the last period is active at tenure 0 (S(0) = 1: nothing to the
        // likelihood, subscribers to value).
        let with_new = Durations::new(&DurationData::Cohorts(vec![
            vec![10.0, 5.0, 4.0],
            vec![8.0],
        ]))
        .unwrap();
        assert_eq!(with_new.lost(), &[0.0, 5.0, 1.0]);
        assert_eq!(with_new.active(), &[8.0, 0.0, 4.0]);
        let e = err(DurationData::Cohorts(vec![vec![10.0, 5.0], vec![8.0, 3.0]]));
        assert!(
            e.starts_with("cohorts: needs customers observed for at least 2"),
            "{e}"
        );
        let customers = |tenure: Vec<f64>, churned: Vec<f64>| DurationData::Customers {
            tenure,
            churned,
            weights: None,
        };
        let e = err(customers(vec![1.0, 2.5], vec![1.0, 0.0]));
        assert!(e.starts_with("tenure[1]:"), "{e}");
        let e = err(customers(vec![1.0, 0.0, 3.0], vec![1.0, 1.0, 0.0]));
        assert!(e.starts_with("tenure[1]: must be at least 1"), "{e}");
        let e = err(customers(vec![1.0, 3.0], vec![1.0, 0.5]));
        assert!(e.starts_with("churned[1]: must be 1 (churned) or 0"), "{e}");
        let e = err(customers(vec![1.0, 3.0], vec![1.0]));
        assert!(e.starts_with("churned:"), "{e}");
        let e = err(customers(vec![1.0, 1e9], vec![1.0, 0.0]));
        assert!(e.starts_with("tenure[1]:"), "{e}");
    }
}
