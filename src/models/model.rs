//! The tag of a fitted model, `{ model: "bgnbd", params: { r, alpha, a, b } }`, and the check of its
//! parameters.

use serde::{Deserialize, Serialize};

use super::{bdw, bgbb, bgnbd, gammagamma, mbgnbd, paretonbd, sbg};
use crate::error::{self, InputError};

/// A fitted model: the tag and its parameters, as `{ model: "bgnbd", params: { r, alpha, a, b } }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", content = "params", rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Model {
    Sbg(sbg::Sbg),
    Bdw(bdw::Bdw),
    Bgnbd(bgnbd::BgNbd),
    Paretonbd(paretonbd::ParetoNbd),
    Mbgnbd(mbgnbd::ModifiedBgNbd),
    Gammagamma(gammagamma::GammaGamma),
    Bgbb(bgbb::BgBb),
}

/// The largest model parameter accepted: far beyond any fit (whose parameters stay within
/// `e^±30` ≈ 1.1e13, [`crate::optim::Options`]), small enough that predictions stay finite.
pub const MAX_PARAMETER: f64 = 1e14;

impl Model {
    /// The parameters' names and values, in the order of `params` (and of a fit's covariance).
    pub fn named_params(&self) -> (&'static [&'static str], Vec<f64>) {
        match self {
            Model::Sbg(m) => (sbg::NAMES, m.to_vec()),
            Model::Bdw(m) => (bdw::NAMES, m.to_vec()),
            Model::Bgnbd(m) => (bgnbd::NAMES, m.to_vec()),
            Model::Paretonbd(m) => (paretonbd::NAMES, m.to_vec()),
            Model::Mbgnbd(m) => (bgnbd::NAMES, m.0.to_vec()),
            Model::Gammagamma(m) => (gammagamma::NAMES, m.to_vec()),
            Model::Bgbb(m) => (bgbb::NAMES, m.to_vec()),
        }
    }

    /// Checks the parameters (all must be finite and positive).
    /// Parameters must lie in `(0, MAX_PARAMETER]`; a fit never leaves `[e^−30, e^30]`.
    pub fn validate(&self) -> Result<(), InputError> {
        let (names, values) = self.named_params();
        for (name, value) in names.iter().zip(values) {
            let field = format!("params.{name}");
            if error::positive(&field, value)? > MAX_PARAMETER {
                return Err(InputError::invalid(
                    field,
                    format!("must be at most {MAX_PARAMETER:e} (got {value:e})"),
                ));
            }
        }
        Ok(())
    }
}
