//! The retention models side by side (`compareRetention`): sBG and beta-discrete-Weibull fitted to the
//! same cohorts, scored by log-likelihood, AIC, BIC, a likelihood-ratio test of c = 1 and, with a
//! holdout, their projections against what happened, as Fader & Hardie (2007, "How to project customer
//! retention", *Journal of Interactive Marketing* 21(1)) fit 7 years and project 5, and Fader et al.
//! (2018, *Journal of Interactive Marketing* 43) compare the two.
//!
//! Holdout: the last `holdoutPeriods` counts of every cohort (cohorts observed to the same calendar
//! period, a later one with fewer counts) are left out of the fits; each model projects them as
//! `n₀ S(t)` from the cohort's first count, as the 2007 paper projects its survivors. Per tenure t the
//! projections and actual counts are summed over the cohorts held out at t, and a model's holdout
//! error is the mean absolute percentage error over those tenures.
//!
//! AIC = 2k − 2ℓ, BIC = k ln n − 2ℓ with n the customers (the cohorts' first counts summed). The
//! likelihood-ratio statistic 2(ℓ_BdW − ℓ_sBG) of c = 1 is χ² with 1 degree of freedom under the sBG,
//! p = P(χ²₁ > statistic). The ranking is by holdout error when there is a holdout, else by BIC
//! (read on Kass & Raftery's scale, as `compareModels` reads it).

use serde::{Deserialize, Serialize};

use super::compare::evidence;
use super::durations::DurationData;
use super::sbg::SbgFit;
use super::{bdw, sbg, ModelError};
use crate::error::{self, InputError};
use crate::special::chi_square_above;

/// `compareRetention`'s options.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RetentionCompareOptions {
    /// The last periods of every cohort to hold out of the fits and project (none by default).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub holdout_periods: Option<f64>,
}

/// One model of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RetentionCandidate {
    /// `"sbg"` or `"bdw"`.
    pub model: &'static str,
    /// `"sBG"` or `"BdW"`.
    pub name: &'static str,
    /// 1 for the best; `null` when the fit failed.
    pub rank: Option<usize>,
    /// The fit on the calibration counts, `null` when it failed.
    pub fit: Option<SbgFit>,
    /// Why the fit failed, `null` when it did not.
    pub error: Option<String>,
    /// 2k − 2ℓ.
    pub aic: Option<f64>,
    /// k ln n − 2ℓ.
    pub bic: Option<f64>,
    /// The projected survivors at each of `holdout.tenure` (with a holdout).
    pub projected: Option<Vec<f64>>,
    /// The mean absolute percentage error of `projected` against `holdout.actual`, in percent.
    pub holdout_error: Option<f64>,
}

/// The held-out counts, summed over the cohorts held out at each tenure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "RetentionHoldout"))]
pub struct Holdout {
    pub tenure: Vec<f64>,
    pub actual: Vec<f64>,
}

/// The likelihood-ratio test of c = 1 (BdW against sBG).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LikelihoodRatio {
    /// 2(ℓ_BdW − ℓ_sBG).
    pub statistic: f64,
    /// P(χ²₁ > statistic).
    pub p_value: f64,
}

/// `compareRetention`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RetentionComparison {
    /// The models, best first; a failed fit last.
    pub models: Vec<RetentionCandidate>,
    /// The best model's tag.
    pub best: &'static str,
    /// `"holdoutError"` with a holdout, else `"bic"`.
    pub ranked_by: &'static str,
    /// With a holdout: what happened.
    pub holdout: Option<Holdout>,
    /// When both fits converged.
    pub likelihood_ratio: Option<LikelihoodRatio>,
    /// Which model to use and why, in words.
    pub reason: String,
}

/// Fits and compares sBG and BdW on cohorts' survivor counts (`Survivors` or `Cohorts`).
pub fn compare_retention(
    data: &DurationData,
    options: &RetentionCompareOptions,
) -> Result<RetentionComparison, ModelError> {
    let (cohorts, field) = match data {
        DurationData::Survivors(s) => (vec![s.clone()], "survivors"),
        DurationData::Cohorts(c) => (c.clone(), "cohorts"),
        DurationData::Customers { .. } => {
            return Err(InputError::invalid(
                "tenure",
                "compareRetention takes survivor counts (survivors or cohorts), whose later periods it can hold out",
            )
            .into())
        }
    };
    let held = match options.holdout_periods {
        Some(h) => {
            error::whole_positive("holdoutPeriods", h, super::durations::MAX_TENURE)? as usize
        }
        None => 0,
    };
    // The whole data checked first, so that an error names the caller's own indices.
    super::durations::Durations::new(data)?;
    let calibration: Vec<Vec<f64>> = cohorts
        .iter()
        .map(|c| c[..c.len().saturating_sub(held).max(1)].to_vec())
        .filter(|c| c.len() >= 2)
        .collect();
    if calibration.iter().map(Vec::len).max().unwrap_or(0) < 3 {
        return Err(InputError::invalid(
            "holdoutPeriods",
            format!("leaves no {field} with the 3 counts a fit needs (held out: the last {held})"),
        )
        .into());
    }
    let calibration_data = match data {
        DurationData::Survivors(_) => DurationData::Survivors(calibration[0].clone()),
        _ => DurationData::Cohorts(calibration),
    };
    let customers: f64 = cohorts.iter().filter_map(|c| c.first()).sum();
    let holdout = (held > 0).then(|| holdout_counts(&cohorts, held));
    let mut models = Vec::new();
    for (model, name, fit) in [
        (
            "sbg",
            "sBG",
            sbg::fit as fn(&DurationData) -> Result<SbgFit, ModelError>,
        ),
        ("bdw", "BdW", bdw::fit),
    ] {
        models.push(match fit(&calibration_data) {
            Ok(fit) => scored(
                model,
                name,
                fit,
                customers,
                &cohorts,
                held,
                holdout.as_ref(),
            ),
            Err(e @ ModelError::Input(_)) => return Err(e),
            Err(e) => RetentionCandidate {
                model,
                name,
                rank: None,
                fit: None,
                error: Some(e.to_string()),
                aic: None,
                bic: None,
                projected: None,
                holdout_error: None,
            },
        });
    }
    let likelihood_ratio = match (&models[0].fit, &models[1].fit) {
        (Some(s), Some(b)) => {
            let statistic = (2.0 * (b.fit.log_likelihood - s.fit.log_likelihood)).max(0.0);
            Some(LikelihoodRatio {
                statistic,
                p_value: chi_square_above(statistic, 1.0),
            })
        }
        _ => None,
    };
    let ranked_by = if held > 0 { "holdoutError" } else { "bic" };
    let score = |c: &RetentionCandidate| {
        if held > 0 { c.holdout_error } else { c.bic }.unwrap_or(f64::INFINITY)
    };
    models.sort_by(|a, b| score(a).total_cmp(&score(b)));
    let fitted = models.iter().filter(|c| c.fit.is_some()).count();
    if fitted == 0 {
        let reason = models[0].error.clone().unwrap_or_default();
        return Err(ModelError::NotConverged {
            model: "sbg and bdw",
            reason,
        });
    }
    for (i, c) in models.iter_mut().take(fitted).enumerate() {
        c.rank = Some(i + 1);
    }
    Ok(RetentionComparison {
        best: models[0].model,
        reason: reason(&models, likelihood_ratio, held > 0),
        ranked_by,
        holdout,
        likelihood_ratio,
        models,
    })
}

/// The held-out tenures and counts, summed over the cohorts.
fn holdout_counts(cohorts: &[Vec<f64>], held: usize) -> Holdout {
    let longest = cohorts.iter().map(Vec::len).max().unwrap_or(0);
    let mut actual = vec![None::<f64>; longest];
    for c in cohorts {
        for t in held_tenures(c.len(), held) {
            *actual[t].get_or_insert(0.0) += c[t];
        }
    }
    let (tenure, actual) = actual
        .iter()
        .enumerate()
        .filter_map(|(t, a)| a.map(|a| (t as f64, a)))
        .unzip();
    Holdout { tenure, actual }
}

/// The tenures of a cohort of `len` counts that are held out.
fn held_tenures(len: usize, held: usize) -> std::ops::Range<usize> {
    len.saturating_sub(held).max(1)..len
}

/// A fitted candidate: its criteria and, with a holdout, its projections and their error.
fn scored(
    model: &'static str,
    name: &'static str,
    fit: SbgFit,
    customers: f64,
    cohorts: &[Vec<f64>],
    held: usize,
    holdout: Option<&Holdout>,
) -> RetentionCandidate {
    let k = fit.fit.covariance.names.len() as f64;
    let deviance = -2.0 * fit.fit.log_likelihood;
    let retention = match fit.fit.model {
        super::Model::Bdw(p) => p.retention(),
        super::Model::Sbg(p) => p.retention(),
        _ => crate::retention::Retention::Constant(1.0),
    };
    let (projected, holdout_error) = match holdout {
        Some(h) => {
            let longest = cohorts.iter().map(Vec::len).max().unwrap_or(0);
            let survival: Vec<f64> = retention.survival().take(longest).collect();
            let mut sums = vec![0.0; longest];
            for c in cohorts {
                for t in held_tenures(c.len(), held) {
                    sums[t] += c[0] * survival[t];
                }
            }
            let projected: Vec<f64> = h.tenure.iter().map(|&t| sums[t as usize]).collect();
            let errors: Vec<f64> = projected
                .iter()
                .zip(&h.actual)
                .filter(|(_, &a)| a > 0.0)
                .map(|(p, a)| 100.0 * (p - a).abs() / a)
                .collect();
            let error =
                (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64);
            (Some(projected), error)
        }
        None => (None, None),
    };
    RetentionCandidate {
        model,
        name,
        rank: None,
        aic: Some(2.0 * k + deviance),
        bic: Some(k * customers.ln() + deviance),
        fit: Some(fit),
        error: None,
        projected,
        holdout_error,
    }
}

/// Why the first model is the one to use.
fn reason(models: &[RetentionCandidate], lr: Option<LikelihoodRatio>, holdout: bool) -> String {
    let best = &models[0];
    let Some(second) = models.get(1).filter(|c| c.fit.is_some()) else {
        let failed = models.get(1).and_then(|c| c.error.as_deref()).unwrap_or("");
        return format!(
            "{} is the only model that could be fitted: the other failed ({failed}).",
            best.name
        );
    };
    let bic = |c: &RetentionCandidate| c.bic.unwrap_or(f64::INFINITY);
    let mut words = if holdout {
        format!(
            "{} projects the held-out periods better: a mean absolute error of {:.1} % against {:.1} % for {}.",
            best.name,
            best.holdout_error.unwrap_or(f64::NAN),
            second.holdout_error.unwrap_or(f64::NAN),
            second.name
        )
    } else {
        let difference = bic(second) - bic(best);
        format!(
            "{} has the lower BIC, {difference:.1} below {} ({} on Kass & Raftery's scale). Hold out the last periods to compare the projections too.",
            best.name,
            second.name,
            evidence(difference)
        )
    };
    if let Some(lr) = lr {
        let c = models
            .iter()
            .find(|m| m.model == "bdw")
            .and_then(|m| m.fit.as_ref())
            .and_then(|f| match f.fit.model {
                super::Model::Bdw(p) => Some(p.c),
                _ => None,
            })
            .unwrap_or(1.0);
        let direction = if c > 1.0 { "rises" } else { "falls" };
        let p = if lr.p_value < 0.001 {
            "p < 0.001".to_owned()
        } else {
            format!("p = {:.3}", lr.p_value)
        };
        words.push_str(&if lr.p_value < 0.05 {
            format!(
                " Each customer's churn {direction} with tenure (c = {c:.2}; the likelihood-ratio test of c = 1 gives {p}), which the sBG cannot show."
            )
        } else {
            format!(
                " The data do not show churn changing with tenure (c = {c:.2}, p = {:.2} for c = 1): the sBG's constant individual churn is enough.",
                lr.p_value
            )
        });
    }
    words
}
