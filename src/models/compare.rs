//! A leaderboard of the repeat-buying models on one summary: `compareModels` fits BG/NBD, Pareto/NBD
//! and MBG/NBD, scores each, ranks them and says which to use and why.
//!
//! Each fitted model gets its log-likelihood ℓ, AIC = 2k − 2ℓ and BIC = k ln n − 2ℓ (k = 4 parameters,
//! n the customers, weights summed; Schwarz 1978, Annals of Statistics), and with a holdout period its
//! [`Scorecard`](super::Scorecard). The ranking:
//! - with a holdout, by the holdout's mean absolute error (what the models are used for is
//!   prediction, and the holdout is data they did not see);
//! - without one, by BIC, whose differences read on Kass & Raftery's scale (1995, Journal of the
//!   American Statistical Association): below 2 hardly worth a mention, 2–6 positive, 6–10 strong,
//!   above 10 very strong evidence.
//!
//! A model whose fit fails is listed with its error and left out of the ranking; if none fits, the
//! first error is the result.

use serde::Serialize;

use super::{bgnbd, evaluate_holdout, mbgnbd, paretonbd, Fit, ModelError, Scorecard, Summary};

/// A model's fit function.
type FitFn = fn(&Summary) -> Result<Fit, ModelError>;

/// The models compared, with their names for people.
const MODELS: [(&str, &str, FitFn); 3] = [
    ("bgnbd", "BG/NBD", bgnbd::fit),
    ("paretonbd", "Pareto/NBD", paretonbd::fit),
    ("mbgnbd", "MBG/NBD", mbgnbd::fit),
];

/// The holdout a comparison scores the models on.
#[derive(Debug, Clone, Copy)]
pub struct Holdout<'a> {
    /// Each customer's purchases in the holdout period.
    pub frequency: &'a [f64],
    /// The holdout's length, in the summary's time unit.
    pub horizon: f64,
}

/// `compareModels`' result: every model, best first, and the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ModelComparison"))]
pub struct Comparison {
    /// The models in rank order; those that could not be fitted last.
    pub models: Vec<Candidate>,
    /// The best model's tag: `"bgnbd"`, `"paretonbd"` or `"mbgnbd"`.
    pub best: &'static str,
    /// What the ranking rests on.
    pub ranked_by: RankedBy,
    /// Which model to use and why, in words.
    pub reason: String,
}

/// What a comparison ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum RankedBy {
    /// The holdout's mean absolute error, smallest first.
    HoldoutMae,
    /// BIC, smallest first (no holdout was given).
    Bic,
}

/// One model of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ComparedModel"))]
pub struct Candidate {
    /// `"bgnbd"`, `"paretonbd"` or `"mbgnbd"`.
    pub model: &'static str,
    /// `"BG/NBD"`, `"Pareto/NBD"` or `"MBG/NBD"`.
    pub name: &'static str,
    /// 1 for the best; `null` when the fit failed.
    pub rank: Option<usize>,
    /// The fit, `null` when it failed.
    pub fit: Option<Fit>,
    /// Why the fit failed, `null` when it did not.
    pub error: Option<String>,
    /// 2k − 2ℓ.
    pub aic: Option<f64>,
    /// k ln n − 2ℓ.
    pub bic: Option<f64>,
    /// The holdout scorecard, when a holdout was given.
    pub holdout: Option<Scorecard>,
}

/// Fits and ranks the models on `summary`, scoring them on `holdout` when given.
pub fn compare_models(
    summary: &Summary,
    holdout: Option<Holdout>,
) -> Result<Comparison, ModelError> {
    summary.validate_for_fit()?;
    let n: f64 = match &summary.weights {
        Some(w) => w.iter().sum(),
        None => summary.frequency.len() as f64,
    };
    let mut first_error = None;
    let mut models = Vec::with_capacity(MODELS.len());
    for (model, name, fit) in MODELS {
        let scored = fit(summary).and_then(|fit| {
            let card = holdout
                .map(|h| evaluate_holdout(&fit.model, summary, h.frequency, h.horizon, None, None))
                .transpose()?;
            Ok((fit, card))
        });
        models.push(match scored {
            Ok((fit, card)) => {
                let k = fit.covariance.names.len() as f64;
                let deviance = -2.0 * fit.log_likelihood;
                Candidate {
                    model,
                    name,
                    rank: None,
                    aic: Some(2.0 * k + deviance),
                    bic: Some(k * n.ln() + deviance),
                    fit: Some(fit),
                    error: None,
                    holdout: card,
                }
            }
            // An input error is the caller's, not a model's: it is the result.
            Err(e @ ModelError::Input(_)) => return Err(e),
            Err(e) => {
                let message = e.to_string();
                first_error.get_or_insert(e);
                Candidate {
                    model,
                    name,
                    rank: None,
                    fit: None,
                    error: Some(message),
                    aic: None,
                    bic: None,
                    holdout: None,
                }
            }
        });
    }
    let ranked_by = if holdout.is_some() {
        RankedBy::HoldoutMae
    } else {
        RankedBy::Bic
    };
    let score = |c: &Candidate| match ranked_by {
        RankedBy::HoldoutMae => c.holdout.as_ref().map(|h| h.mae),
        RankedBy::Bic => c.bic,
    };
    // Failed fits (no score) last, the rest by score.
    models.sort_by(|a, b| {
        let key = |c: &Candidate| score(c).unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b))
    });
    let fitted = models.iter().filter(|c| c.fit.is_some()).count();
    match first_error {
        Some(e) if fitted == 0 => return Err(e),
        _ => {}
    }
    for (i, c) in models.iter_mut().take(fitted).enumerate() {
        c.rank = Some(i + 1);
    }
    Ok(Comparison {
        best: models[0].model,
        reason: reason(&models[..fitted], &models[fitted..], ranked_by),
        ranked_by,
        models,
    })
}

/// Kass & Raftery's words for a BIC difference.
pub(super) fn evidence(difference: f64) -> &'static str {
    match difference {
        d if d < 2.0 => "hardly any evidence",
        d if d < 6.0 => "positive evidence",
        d if d < 10.0 => "strong evidence",
        _ => "very strong evidence",
    }
}

/// Why the first of `ranked` is the one to use; `failed` are the models that could not be fitted.
fn reason(ranked: &[Candidate], failed: &[Candidate], by: RankedBy) -> String {
    let best = &ranked[0];
    let bic = |c: &Candidate| c.bic.unwrap_or(f64::INFINITY);
    let mae = |c: &Candidate| c.holdout.as_ref().map_or(f64::NAN, |h| h.mae);
    let mut words = match (ranked.get(1), by) {
        (None, _) => format!("{} is the only model that could be fitted.", best.name),
        (Some(second), RankedBy::HoldoutMae) => {
            let mut text = format!(
                "{} predicts the holdout best: a mean absolute error of {:.3} purchases per customer, against {:.3} for {}",
                best.name,
                mae(best),
                mae(second),
                second.name
            );
            let lowest_bic = ranked.iter().min_by(|a, b| bic(a).total_cmp(&bic(b)));
            match lowest_bic {
                Some(c) if c.model != best.model => text.push_str(&format!(
                    "; {} fits the calibration period better (BIC {:.1} lower: {}), but predicts the holdout less well.",
                    c.name,
                    bic(best) - bic(c),
                    evidence(bic(best) - bic(c))
                )),
                _ => text.push_str(", and it has the lowest BIC too."),
            }
            text
        }
        (Some(second), RankedBy::Bic) => {
            let difference = bic(second) - bic(best);
            format!(
                "{} has the lowest BIC, {:.1} below {} ({} on Kass & Raftery's scale). Set a holdout period to compare the predictions too.",
                best.name,
                difference,
                second.name,
                evidence(difference)
            )
        }
    };
    for c in failed {
        words.push_str(&format!(
            " {} could not be fitted: {}",
            c.name,
            c.error.as_deref().unwrap_or("")
        ));
    }
    words
}
