//! The result of a maximum-likelihood fit ([`Fit`], [`Termination`]) and the driver every model
//! fits through ([`maximize`]): the optimiser over log-parameters, the Hessian, the refusal of a flat
//! likelihood and the delta-method standard errors.

use serde::{Serialize, Serializer};

use super::{Model, ModelError};
use crate::optim;

/// The result of a maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Fit {
    /// The model tag and fitted parameters.
    #[serde(flatten)]
    pub model: Model,
    /// Total log-likelihood at the parameters (weighted).
    pub log_likelihood: f64,
    /// Asymptotic standard errors keyed like the parameters; `null` where the Hessian gives none.
    #[serde(serialize_with = "serialize_named")]
    #[cfg_attr(test, ts(as = "std::collections::HashMap<String, Option<f64>>"))]
    pub standard_errors: Vec<(&'static str, Option<f64>)>,
    /// The asymptotic covariance of the estimates (the inverse observed information, carried to the
    /// parameters' own scale by the delta method), in the order of `params`; its diagonal is the
    /// squares of `standardErrors`.
    pub covariance: Covariance,
    /// Why the optimiser stopped at this maximum (a fit that does not converge is an error instead).
    pub termination: Termination,
    pub iterations: usize,
    /// Starting points tried (1 when the first converged).
    pub starts: usize,
}

/// A covariance matrix of named parameters: `matrix[i][j]` is the covariance of `names[i]` and
/// `names[j]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Covariance {
    pub names: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
}

/// How the optimiser recognised the maximum: serialized `"gradientSmall"` or `"precisionLimit"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Termination {
    /// The gradient of the log-likelihood is zero to the tolerance (1e-7 relative to |ℓ|).
    GradientSmall,
    /// No step increases the log-likelihood any more at machine precision, and the gradient is within
    /// 100 times the tolerance of zero.
    PrecisionLimit,
}

impl Termination {
    /// The termination of a converged run, `None` for any other reason.
    fn of(reason: optim::Reason) -> Option<Termination> {
        match reason {
            optim::Reason::GradientSmall => Some(Termination::GradientSmall),
            optim::Reason::PrecisionLimit => Some(Termination::PrecisionLimit),
            _ => None,
        }
    }
}

pub(crate) fn serialize_named<S: Serializer>(
    values: &[(&'static str, Option<f64>)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(values.iter().copied())
}

/// A maximum of a log-likelihood in the natural parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Estimate {
    pub params: Vec<f64>,
    pub log_likelihood: f64,
    pub standard_errors: Vec<(&'static str, Option<f64>)>,
    pub covariance: Covariance,
    pub iterations: usize,
    pub termination: Termination,
    pub starts: usize,
}

impl Estimate {
    /// The [`Fit`] of `model` at this estimate.
    pub fn into_fit(self, model: Model) -> Fit {
        Fit {
            model,
            log_likelihood: self.log_likelihood,
            standard_errors: self.standard_errors,
            covariance: self.covariance,
            termination: self.termination,
            iterations: self.iterations,
            starts: self.starts,
        }
    }
}

/// Largest variance of a log-parameter accepted as an estimate (a standard error of 10 in ln p).
const FLAT_LOG_VARIANCE: f64 = 100.0;

/// Maximises `log_likelihood` (natural positive parameters → value, writing its gradient) over the
/// log-parameters from each of `starts` (natural parameters) in turn. Errors when no start converges
/// or when the likelihood is flat at the optimum (the Hessian is not positive definite). The work is
/// bounded by construction: at most [`optim::Options::max_evaluations`] evaluations of
/// `log_likelihood` in the search and 2 × (parameters) more for the Hessian.
pub(crate) fn maximize<L>(
    model: &'static str,
    names: &'static [&'static str],
    log_likelihood: L,
    starts: &[Vec<f64>],
) -> Result<Estimate, ModelError>
where
    L: Fn(&[f64], &mut [f64]) -> f64,
{
    let found = maximize_scaled(model, names, names.len(), log_likelihood, starts)?;
    let standard_errors = names
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, Some(found.covariance[i][i].sqrt())))
        .collect();
    Ok(Estimate {
        params: found.params,
        log_likelihood: found.log_likelihood,
        standard_errors,
        covariance: Covariance {
            names: names.iter().map(|&n| n.to_owned()).collect(),
            matrix: found.covariance,
        },
        iterations: found.iterations,
        termination: found.termination,
        starts: found.starts,
    })
}

/// A maximum found by [`maximize_scaled`]: the parameters, the log-likelihood there and the
/// covariance of the estimates in the parameters' own scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Maximum {
    pub params: Vec<f64>,
    pub log_likelihood: f64,
    pub covariance: Vec<Vec<f64>>,
    pub iterations: usize,
    pub termination: Termination,
    pub starts: usize,
}

/// [`maximize`] over parameters of which the first `positive` are positive (searched over their
/// logarithms) and the rest real (searched as they are: regression coefficients); `names` name them
/// all, in the errors.
pub(crate) fn maximize_scaled<L, S>(
    model: &'static str,
    names: &[S],
    positive: usize,
    log_likelihood: L,
    starts: &[Vec<f64>],
) -> Result<Maximum, ModelError>
where
    L: Fn(&[f64], &mut [f64]) -> f64,
    S: AsRef<str>,
{
    let n = names.len();
    let natural_of = |theta: &[f64], natural: &mut [f64]| {
        for (i, (p, t)) in natural.iter_mut().zip(theta).enumerate() {
            *p = if i < positive { t.exp() } else { *t };
        }
    };
    let mut natural = vec![0.0; n];
    let mut objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
        natural_of(theta, &mut natural);
        let value = log_likelihood(&natural, grad);
        // d(−ℓ)/dθᵢ = −pᵢ ∂ℓ/∂pᵢ for a log-parameter, −∂ℓ/∂pᵢ for a real one.
        for (g, p) in grad.iter_mut().zip(&natural).take(positive) {
            *g *= p;
        }
        grad.iter_mut().for_each(|g| *g = -*g);
        -value
    };
    let log_starts: Vec<Vec<f64>> = starts
        .iter()
        .map(|s| {
            s.iter()
                .enumerate()
                .map(|(i, p)| if i < positive { p.ln() } else { *p })
                .collect()
        })
        .collect();
    let found = optim::minimize(&mut objective, &log_starts, &optim::Options::default());
    let Some(termination) = Termination::of(found.reason) else {
        return Err(ModelError::NotConverged {
            model,
            reason: format!(
                "{} ({} starting points, {} likelihood evaluations)",
                found.reason.describe(),
                found.starts,
                found.evaluations
            ),
        });
    };
    let hessian = optim::hessian(
        |theta, grad| {
            objective(theta, grad);
        },
        &found.x,
    );
    let Some(covariance) = optim::invert_spd(&hessian, n) else {
        return Err(ModelError::NotConverged {
            model,
            reason: "did not converge: the likelihood is flat at the optimum (the parameters are not identified by these data)".to_owned(),
        });
    };
    // A log-parameter known only to within ±10 (a factor e^10), or a coefficient to within ±10 (on
    // the log scale it multiplies by), is not estimated: the likelihood is flat along it, and the
    // optimiser stopped somewhere on the plateau.
    if let Some(i) = (0..n).find(|&i| {
        let var = covariance[i * n + i];
        var > FLAT_LOG_VARIANCE || var.is_nan()
    }) {
        return Err(ModelError::NotConverged {
            model,
            reason: format!(
                "did not converge: the likelihood is flat in {} (standard error of {} {:.3e}); the parameters are not identified by these data",
                names[i].as_ref(),
                if i < positive { "its logarithm" } else { "it" },
                covariance[i * n + i].max(0.0).sqrt()
            ),
        });
    }
    let mut params = vec![0.0; n];
    natural_of(&found.x, &mut params);
    // Delta method: cov(pᵢ, pⱼ) = (∂pᵢ/∂θᵢ)(∂pⱼ/∂θⱼ) cov(θᵢ, θⱼ), with ∂p/∂θ = p for a log-parameter
    // (so se(p) = p · se(ln p)) and 1 for a real one; the two triangles of the inverse, equal to
    // rounding, are averaged so the matrix is exactly symmetric.
    let slope = |i: usize| if i < positive { params[i] } else { 1.0 };
    let matrix: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    slope(i) * slope(j) * (covariance[i * n + j] + covariance[j * n + i]) / 2.0
                })
                .collect()
        })
        .collect();
    Ok(Maximum {
        params,
        log_likelihood: -found.value,
        covariance: matrix,
        iterations: found.iterations,
        termination,
        starts: found.starts,
    })
}
