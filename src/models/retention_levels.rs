//! Retention by plan (`fitRetentionByPlan`): one sBG or beta-discrete-Weibull fit per level of a
//! categorical attribute of the subscribers (their plan, a channel), the pooled fit beside them, and
//! the likelihood-ratio test of whether the levels differ.
//!
//! Model: the subscribers of level l have their own parameters (sBG: α_l, β_l, Fader & Hardie 2007,
//! *Journal of Interactive Marketing* 21(1); BdW: γ_l, δ_l, c_l, Fader et al. 2018, *Journal of
//! Interactive Marketing* 43). With a categorical attribute this is the fully interacted covariate
//! model (each heterogeneity parameter multiplied by `exp(β'z)` with treatment-coded z, the form the
//! segments work uses for the purchase models), so the per-level fits are its maximum-likelihood
//! estimates. Against one fit for all, `2(Σ_l ℓ_l − ℓ_pooled)` is χ² with k(L − 1) degrees of
//! freedom (k parameters, L levels) when the levels do not differ.
//!
//! Data: one row per subscriber (`tenure`, `churned`, `weights?`, the durations' conventions) and
//! its level. A level whose fit fails (too few subscribers, no churn, a flat likelihood) gets its
//! reason and is left out of the test, whose pooled fit is then over the levels that fitted.
//!
//! ```
//! use clvlab::models::{fit_retention_by_level, RetentionModel};
//! // Plan "a" loses half its subscribers in the first period, plan "b" a tenth.
//! let mut tenure = Vec::new();
//! let mut churned = Vec::new();
//! let mut plan = Vec::new();
//! for (name, lost_1, lost_2, active) in [("a", 50, 15, 35), ("b", 10, 5, 85)] {
//!     for (t, c, n) in [(1.0, 1.0, lost_1), (2.0, 1.0, lost_2), (2.0, 0.0, active)] {
//!         for _ in 0..n {
//!             tenure.push(t);
//!             churned.push(c);
//!             plan.push(name.to_owned());
//!         }
//!     }
//! }
//! let r = fit_retention_by_level(&tenure, &churned, None, &plan, RetentionModel::Sbg).unwrap();
//! assert_eq!(r.levels.len(), 2);
//! assert!(r.likelihood_ratio.unwrap().p_value < 0.001);
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::durations::{DurationData, Durations};
use super::sbg::SbgFit;
use super::{bdw, sbg, ModelError};
use crate::error::InputError;
use crate::special::chi_square_above;

/// The most levels fitted one by one.
pub const MAX_LEVELS: usize = 100;

/// The retention model fitted per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum RetentionModel {
    /// Shifted-beta-geometric (α, β).
    Sbg,
    /// Beta-discrete-Weibull (γ, δ, c).
    #[default]
    Bdw,
}

impl RetentionModel {
    fn parameters(self) -> f64 {
        match self {
            RetentionModel::Sbg => 2.0,
            RetentionModel::Bdw => 3.0,
        }
    }

    fn fit(self, data: &DurationData) -> Result<SbgFit, ModelError> {
        match self {
            RetentionModel::Sbg => sbg::fit(data),
            RetentionModel::Bdw => bdw::fit(data),
        }
    }
}

/// `fitRetentionByPlan`'s options.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RetentionByLevelOptions {
    /// `"bdw"` (the default) or `"sbg"`.
    #[serde(default, deserialize_with = "crate::input::absent_as_default")]
    #[cfg_attr(test, ts(as = "Option<_>", optional = nullable))]
    pub model: RetentionModel,
}

/// One level's subscribers and fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LevelFit {
    /// The level as it is in the data.
    pub level: String,
    /// Its subscribers (weights summed).
    pub subscribers: f64,
    /// Of them, still active.
    pub active: f64,
    /// The fit, `null` when it failed.
    pub fit: Option<SbgFit>,
    /// Why the fit failed, `null` when it did not.
    pub error: Option<String>,
}

/// The likelihood-ratio test of one set of parameters for all levels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LevelTest {
    /// 2(Σ ℓ_level − ℓ_pooled), over the levels that fitted.
    pub statistic: f64,
    /// k(L − 1).
    pub degrees_of_freedom: f64,
    /// P(χ² > statistic).
    pub p_value: f64,
}

/// `fitRetentionByPlan`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RetentionByLevel {
    pub model: RetentionModel,
    /// One fit of all subscribers.
    pub pooled: SbgFit,
    /// The levels, most subscribers first.
    pub levels: Vec<LevelFit>,
    /// With at least two levels fitted.
    pub likelihood_ratio: Option<LevelTest>,
    /// Whether the levels differ, in words.
    pub reason: String,
}

/// The rows of one level.
#[derive(Default)]
struct Rows {
    tenure: Vec<f64>,
    churned: Vec<f64>,
    weights: Vec<f64>,
}

impl Rows {
    fn push(&mut self, tenure: f64, churned: f64, weight: f64) {
        self.tenure.push(tenure);
        self.churned.push(churned);
        self.weights.push(weight);
    }

    fn data(&self) -> DurationData {
        DurationData::Customers {
            tenure: self.tenure.clone(),
            churned: self.churned.clone(),
            weights: Some(self.weights.clone()),
        }
    }
}

/// Fits `model` to each level's subscribers, to all of them, and tests whether the levels differ.
pub fn fit_retention_by_level(
    tenure: &[f64],
    churned: &[f64],
    weights: Option<&[f64]>,
    level: &[String],
    model: RetentionModel,
) -> Result<RetentionByLevel, ModelError> {
    let all = DurationData::Customers {
        tenure: tenure.to_vec(),
        churned: churned.to_vec(),
        weights: weights.map(<[f64]>::to_vec),
    };
    // The whole data checked first, so that an error names the caller's own indices.
    Durations::new(&all)?;
    if level.len() != tenure.len() {
        return Err(InputError::invalid(
            "plan",
            format!(
                "must have as many entries as tenure ({}, got {})",
                tenure.len(),
                level.len()
            ),
        )
        .into());
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    let mut rows: Vec<Rows> = Vec::new();
    for (i, name) in level.iter().enumerate() {
        let k = *index.entry(name).or_insert_with(|| {
            names.push(name);
            rows.push(Rows::default());
            names.len() - 1
        });
        rows[k].push(tenure[i], churned[i], weights.map_or(1.0, |w| w[i]));
    }
    if names.len() > MAX_LEVELS {
        return Err(InputError::invalid(
            "plan",
            format!(
                "has {} levels; at most {MAX_LEVELS} are fitted one by one (merge the rare ones first)",
                names.len()
            ),
        )
        .into());
    }
    let pooled = model.fit(&all)?;
    let mut fitted = Rows::default();
    let mut levels: Vec<LevelFit> = names
        .iter()
        .zip(&rows)
        .map(|(name, r)| {
            let fit = model.fit(&r.data());
            if fit.is_ok() {
                for i in 0..r.tenure.len() {
                    fitted.push(r.tenure[i], r.churned[i], r.weights[i]);
                }
            }
            let subscribers = r.weights.iter().sum();
            let active = r
                .weights
                .iter()
                .zip(&r.churned)
                .filter(|(_, &c)| c == 0.0)
                .map(|(w, _)| w)
                .sum();
            let (fit, error) = match fit {
                Ok(f) => (Some(f), None),
                Err(e) => (None, Some(e.to_string())),
            };
            LevelFit {
                level: (*name).to_owned(),
                subscribers,
                active,
                fit,
                error,
            }
        })
        .collect();
    levels.sort_by(|a, b| b.subscribers.total_cmp(&a.subscribers));
    let fits: Vec<&SbgFit> = levels.iter().filter_map(|l| l.fit.as_ref()).collect();
    let likelihood_ratio = if fits.len() < 2 {
        None
    } else {
        let separate: f64 = fits.iter().map(|f| f.fit.log_likelihood).sum();
        let together = if fits.len() == levels.len() {
            pooled.fit.log_likelihood
        } else {
            model.fit(&fitted.data())?.fit.log_likelihood
        };
        let statistic = (2.0 * (separate - together)).max(0.0);
        let degrees_of_freedom = model.parameters() * (fits.len() as f64 - 1.0);
        Some(LevelTest {
            statistic,
            degrees_of_freedom,
            p_value: chi_square_above(statistic, degrees_of_freedom),
        })
    };
    Ok(RetentionByLevel {
        reason: reason(&levels, likelihood_ratio),
        model,
        pooled,
        levels,
        likelihood_ratio,
    })
}

/// The verdict in words.
fn reason(levels: &[LevelFit], test: Option<LevelTest>) -> String {
    let failed: Vec<&str> = levels
        .iter()
        .filter(|l| l.fit.is_none())
        .map(|l| l.level.as_str())
        .collect();
    let mut words = match test {
        None if levels.len() < 2 => "There is one level: the pooled fit is its fit.".to_owned(),
        None => "Fewer than two levels could be fitted, so they cannot be compared.".to_owned(),
        Some(t) => {
            let p = if t.p_value < 0.001 {
                "p < 0.001".to_owned()
            } else {
                format!("p = {:.3}", t.p_value)
            };
            let test = format!(
                "likelihood ratio {:.1} on {} degrees of freedom, {p}",
                t.statistic, t.degrees_of_freedom
            );
            if t.p_value < 0.05 {
                format!("The levels' retention differs ({test}): value each with its own fit.")
            } else {
                format!(
                    "The data do not show the levels' retention differing ({test}): one fit for all is enough."
                )
            }
        }
    };
    if !failed.is_empty() {
        words.push_str(&format!(
            " Not fitted, and left out of the test: {}.",
            failed.join(", ")
        ));
    }
    words
}
