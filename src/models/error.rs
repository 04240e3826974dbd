//! The error of the models: refused input, a fit that did not converge, or an operation the model
//! does not have.

use thiserror::Error;

use crate::error::InputError;

/// Why a model could not be fitted or used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// The data or an option was refused.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The optimiser did not find a maximum of the likelihood.
    #[error("{model} fit {reason}")]
    NotConverged { model: &'static str, reason: String },
    /// The operation does not exist for this model.
    #[error("{0}")]
    Unsupported(String),
}
