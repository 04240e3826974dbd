//! MBG/NBD: the modified BG/NBD of Batislam, Denizel & Filiztekin (2007), "Empirical validation and
//! comparison of models for customer base analysis", *International Journal of Research in Marketing*
//! 24(3).
//!
//! As BG/NBD ([`super::bgnbd`]), except that a customer may also drop out at time 0, right after the
//! first purchase, so a customer with no repeat purchase is not certainly alive. For x repeat purchases,
//! the last at t_x, observed for T:
//!
//! `L = B(a, b+x+1)/B(a, b) · Γ(r+x)αʳ/(Γ(r)(α+T)^(r+x)) + B(a+1, b+x)/B(a, b) · Γ(r+x)αʳ/(Γ(r)(α+t_x)^(r+x))`,
//!
//! that is BG/NBD's likelihood with `b + x` replaced by `b + x + 1` and the second term present for
//! every x. `P(alive) = 1/(1 + a/(b+x) ((α+T)/(α+t_x))^(r+x))`;
//! `E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]`. All formulas are BG/NBD's with
//! offset k = 1; see that module for the derivation and conventions.

use serde::{Deserialize, Serialize};

use super::bgnbd::{self, BgNbd};
use super::{Fit, Model, ModelError, PurchaseModel, Summary};

/// MBG/NBD parameters, named as BG/NBD's: `{ r, alpha, a, b }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ModifiedBgNbd(pub BgNbd);

/// The offset that turns BG/NBD into MBG/NBD.
const OFFSET: f64 = 1.0;

/// Fits the MBG/NBD model by maximum likelihood.
pub fn fit(summary: &Summary) -> Result<Fit, ModelError> {
    let (params, estimate) = bgnbd::fit_with_offset("mbgnbd", OFFSET, summary)?;
    Ok(estimate.into_fit(Model::Mbgnbd(ModifiedBgNbd(params))))
}

impl PurchaseModel for ModifiedBgNbd {
    fn prob_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64, ModelError> {
        Ok(bgnbd::prob_alive(&self.0, OFFSET, x, t_x, t))
    }

    fn prob_alive_all(&self, summary: &Summary) -> Result<Vec<f64>, ModelError> {
        Ok(bgnbd::prob_alive_all(&self.0, OFFSET, summary))
    }

    fn expected_if_alive(&self, x: f64, t: f64, horizon: f64) -> Result<f64, ModelError> {
        bgnbd::expected_if_alive(&self.0, OFFSET, x, t, horizon)
    }

    fn expected_if_alive_by_step(
        &self,
        x: f64,
        t: f64,
        step: f64,
        out: &mut [f64],
    ) -> Result<(), ModelError> {
        bgnbd::expected_if_alive_by_step(&self.0, OFFSET, x, t, step, out)
    }

    fn expected_purchases_new(&self, t: f64) -> Result<f64, ModelError> {
        bgnbd::expected_new(&self.0, OFFSET, t)
    }

    fn prob_purchases(&self, t: f64, x: u32) -> Result<f64, ModelError> {
        bgnbd::prob_purchases(&self.0, OFFSET, t, x)
    }
}
