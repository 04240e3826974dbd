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
    #[cfg_attr(test, ts(as = "Vec<String>"))]
    pub names: Vec<&'static str>,
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

fn serialize_named<S: Serializer>(
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
    let n = names.len();
    let mut natural = vec![0.0; n];
    let mut objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
        for (p, t) in natural.iter_mut().zip(theta) {
            *p = t.exp();
        }
        let value = log_likelihood(&natural, grad);
        // d(−ℓ)/dθᵢ = −pᵢ ∂ℓ/∂pᵢ.
        for (g, p) in grad.iter_mut().zip(&natural) {
            *g *= -p;
        }
        -value
    };
    let log_starts: Vec<Vec<f64>> = starts
        .iter()
        .map(|s| s.iter().map(|p| p.ln()).collect())
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
    // A log-parameter known only to within ±10 (a factor e^10) is not estimated: the likelihood is
    // flat along it, and the optimiser stopped somewhere on the plateau.
    if let Some(i) = (0..n).find(|&i| {
        let var = covariance[i * n + i];
        var > FLAT_LOG_VARIANCE || var.is_nan()
    }) {
        return Err(ModelError::NotConverged {
            model,
            reason: format!(
                "did not converge: the likelihood is flat in {} (standard error of its logarithm {:.3e}); the parameters are not identified by these data",
                names[i],
                covariance[i * n + i].max(0.0).sqrt()
            ),
        });
    }
    let params: Vec<f64> = found.x.iter().map(|t| t.exp()).collect();
    // Delta method: cov(pᵢ, pⱼ) = pᵢ pⱼ cov(ln pᵢ, ln pⱼ), so se(p) = p · se(ln p); the two
    // triangles of the inverse, equal to rounding, are averaged so the matrix is exactly symmetric.
    let matrix: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    params[i] * params[j] * (covariance[i * n + j] + covariance[j * n + i]) / 2.0
                })
                .collect()
        })
        .collect();
    let standard_errors = names
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, Some(matrix[i][i].sqrt())))
        .collect();
    Ok(Estimate {
        params,
        log_likelihood: -found.value,
        standard_errors,
        covariance: Covariance {
            names: names.to_vec(),
            matrix,
        },
        iterations: found.iterations,
        termination,
        starts: found.starts,
    })
}
