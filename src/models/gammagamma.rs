//! Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
//! customer base analysis", *Journal of Marketing Research* 42(4), and Fader & Hardie (2013), "The
//! Gamma-Gamma model of monetary value".
//!
//! Each transaction's value is Gamma(p, ν); a customer's ν ~ Gamma(q, γ) across customers, independent
//! of how often they buy. The mean m of a customer's x transactions has (their eq. 3)
//!
//! `ℓ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x)`,
//!
//! and the expected value of their transactions is `E[M | m, x] = p(γ + m x)/(px + q − 1)` (eq. 5), the
//! population mean `pγ/(q − 1)` when x = 0. Conventions as lifetimes: x is the number of repeat
//! purchases and m the mean value of those repeat purchases; the model is fitted only on customers with
//! x > 0 and m > 0 (the others carry no information about spend and are counted as excluded).

use serde::{Deserialize, Serialize};

use super::{frequency, maximize, plain_frequency, same_length, Distinct, Fit, Model, ModelError};
use crate::error::{self, InputError};
use crate::special::{digamma, ln_gamma};

/// Parameter names, in order.
pub const NAMES: &[&str] = &["p", "q", "gamma"];

/// Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

impl GammaGamma {
    pub(crate) fn to_vec(self) -> Vec<f64> {
        vec![self.p, self.q, self.gamma]
    }

    pub(crate) fn from_slice(p: &[f64]) -> GammaGamma {
        GammaGamma {
            p: p[0],
            q: p[1],
            gamma: p[2],
        }
    }

    /// E[M | m, x]: the expected value of a customer's transactions given x of mean m. Requires q > 1
    /// (otherwise the mean spend is infinite).
    pub fn expected_spend(&self, x: f64, m: f64) -> Result<f64, ModelError> {
        let q = self.q;
        if q <= 1.0 {
            return Err(ModelError::Unsupported(format!(
                "params.q: expected spend needs q greater than 1 (got {q})"
            )));
        }
        let (base, per_unit) = self.spend_coefficients(x);
        Ok(base + per_unit * m)
    }

    /// E[M | m, x] as `base + per_unit · m` at x: `(pγ, px) / (px + q − 1)` (for q > 1).
    pub(crate) fn spend_coefficients(&self, x: f64) -> (f64, f64) {
        let GammaGamma { p, q, gamma } = *self;
        let denominator = p * x + q - 1.0;
        (p * gamma / denominator, p * x / denominator)
    }
}

/// Customers' repeat purchase counts and mean repeat spend.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SpendColumns"))]
pub struct SpendData {
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub frequency: Vec<f64>,
    #[cfg_attr(test, ts(as = "crate::wasm_types::Numbers"))]
    pub monetary_value: Vec<f64>,
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<crate::wasm_types::Numbers>", optional = nullable))]
    pub weights: Option<Vec<f64>>,
}

impl SpendData {
    /// Checks lengths and values, naming the field and index of the first bad one.
    pub fn validate(&self) -> Result<(), InputError> {
        let n = self.frequency.len();
        if n == 0 {
            return Err(InputError::invalid("frequency", "must not be empty"));
        }
        same_length("monetaryValue", &self.monetary_value, n)?;
        if let Some(w) = &self.weights {
            same_length("weights", w, n)?;
            for (i, &v) in w.iter().enumerate() {
                if !(v.is_finite() && v >= 0.0) {
                    error::non_negative(&format!("weights[{i}]"), v)?;
                }
            }
        }
        for i in 0..n {
            // Name the field (a string per value) only for a value that fails.
            let (x, m) = (self.frequency[i], self.monetary_value[i]);
            if !(plain_frequency(x) && plain_monetary_value(m)) {
                frequency(&format!("frequency[{i}]"), x)?;
                monetary_value(&format!("monetaryValue[{i}]"), m)?;
            }
        }
        Ok(())
    }
}

/// Largest mean spend per transaction (`monetaryValue`) accepted: far above any real basket, so a
/// larger value is a unit error, and it keeps γ + m·x (x ≤ [`super::MAX_FREQUENCY`]) and the values
/// built on it far from overflow.
pub const MAX_MONETARY_VALUE: f64 = crate::error::MAX_AMOUNT;

/// Whether `value` passes [`monetary_value`] (without naming a field).
pub(crate) fn plain_monetary_value(value: f64) -> bool {
    value.is_finite() && (0.0..=MAX_MONETARY_VALUE).contains(&value)
}

/// `value` if it is a finite spend from 0 to [`MAX_MONETARY_VALUE`].
pub(crate) fn monetary_value(field: &str, value: f64) -> Result<f64, InputError> {
    error::non_negative(field, value)?;
    if value > MAX_MONETARY_VALUE {
        return Err(InputError::invalid(
            field,
            format!("must be at most {MAX_MONETARY_VALUE:e} (got {value})"),
        ));
    }
    Ok(value)
}

/// A Gamma-Gamma fit and how many customers were left out (no repeat purchase or no spend).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "GammaGammaFitShape"))]
pub struct GammaGammaFit {
    #[serde(flatten)]
    pub fit: Fit,
    /// Customers fitted on (frequency > 0 and monetaryValue > 0).
    pub included: usize,
    /// Customers left out.
    pub excluded: usize,
}

/// A customer the model is fitted on: x, m, weight, ln m (the same at every evaluation) and where x
/// is among the distinct frequencies.
#[derive(Debug, Clone, Copy)]
struct Spender {
    x: f64,
    m: f64,
    weight: f64,
    ln_m: f64,
    x_at: usize,
}

/// The customers with frequency > 0, monetaryValue > 0 and weight > 0, and their distinct
/// frequencies (the terms of x alone are computed once per distinct x).
pub(crate) struct Spenders {
    spenders: Vec<Spender>,
    frequencies: Vec<f64>,
}

impl Spenders {
    pub(crate) fn new(data: &SpendData) -> Spenders {
        let mut frequencies = Distinct::default();
        let spenders = (0..data.frequency.len())
            .map(|i| (i, data.weights.as_ref().map_or(1.0, |w| w[i])))
            .filter(|&(i, w)| data.frequency[i] > 0.0 && data.monetary_value[i] > 0.0 && w > 0.0)
            .map(|(i, weight)| Spender {
                x: data.frequency[i],
                m: data.monetary_value[i],
                weight,
                ln_m: data.monetary_value[i].ln(),
                x_at: frequencies.number(data.frequency[i]),
            })
            .collect();
        Spenders {
            spenders,
            frequencies: frequencies.values,
        }
    }

    /// The number of customers fitted on.
    pub(crate) fn len(&self) -> usize {
        self.spenders.len()
    }
}

/// Log-likelihood of the spenders at (p, q, γ) and its gradient.
pub(crate) fn log_likelihood(data: &Spenders, params: &[f64], grad: &mut [f64]) -> f64 {
    let (p, q, gamma) = (params[0], params[1], params[2]);
    let (ln_gamma_q, psi_q, ln_g) = (ln_gamma(q), digamma(q), gamma.ln());
    // The terms of x alone: ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + px ln x and its derivatives in
    // p and q.
    let x_terms: Vec<[f64; 3]> = data
        .frequencies
        .iter()
        .map(|&x| {
            let (px, ln_x) = (p * x, x.ln());
            let psi_pxq = digamma(px + q);
            [
                ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + q * ln_g + px * ln_x,
                x * (psi_pxq - digamma(px) + ln_x),
                psi_pxq - psi_q + ln_g,
            ]
        })
        .collect();
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut total = 0.0;
    for s in &data.spenders {
        let terms = x_terms[s.x_at];
        let (px, w) = (p * s.x, s.weight);
        let denom = gamma + s.m * s.x;
        let ln_denom = denom.ln();
        total += w * (terms[0] + (px - 1.0) * s.ln_m - (px + q) * ln_denom);
        grad[0] += w * (terms[1] + s.x * (s.ln_m - ln_denom));
        grad[1] += w * (terms[2] - ln_denom);
        grad[2] += w * (q / gamma - (px + q) / denom);
    }
    total
}

/// Fits p, q and γ on the customers with frequency > 0 and monetaryValue > 0.
pub fn fit(data: &SpendData) -> Result<GammaGammaFit, ModelError> {
    data.validate()?;
    let spenders = Spenders::new(data);
    if spenders.spenders.is_empty() {
        return Err(InputError::invalid(
            "frequency",
            "no customer has a repeat purchase with positive monetaryValue: nothing to fit",
        )
        .into());
    }
    let included = spenders.len();
    let mean_m = spenders.spenders.iter().map(|s| s.m).sum::<f64>() / included as f64;
    let starts = [
        vec![1.0, 1.0, 1.0],
        vec![2.0, 3.0, mean_m],
        vec![5.0, 5.0, 2.0 * mean_m],
    ];
    let estimate = maximize(
        "gammagamma",
        NAMES,
        |p, g| log_likelihood(&spenders, p, g),
        &starts,
    )?;
    let params = GammaGamma::from_slice(&estimate.params);
    Ok(GammaGammaFit {
        fit: estimate.into_fit(Model::Gammagamma(params)),
        included,
        excluded: data.frequency.len() - included,
    })
}

/// E[M | m, x] for every customer (the population mean for those with x = 0).
pub fn expected_spend(model: &GammaGamma, data: &SpendData) -> Result<Vec<f64>, ModelError> {
    data.validate()?;
    (0..data.frequency.len())
        .map(|i| model.expected_spend(data.frequency[i], data.monetary_value[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::check_gradient;

    #[test]
    fn gradient_matches_finite_differences() {
        let spenders = Spenders::new(&SpendData {
            frequency: vec![3.0, 1.0, 10.0, 3.0, 0.0],
            monetary_value: vec![35.5, 20.0, 12.0, 35.5, 7.0],
            weights: Some(vec![2.0, 1.0, 1.0, 0.5, 1.0]),
        });
        check_gradient(|p, g| log_likelihood(&spenders, p, g), &[6.0, 3.5, 15.0]);
    }

    #[test]
    fn expected_spend_shrinks_towards_the_population_mean() {
        // E[M | m, x] is a weighted mean of the population mean pγ/(q−1) and m (FHL 2005, eq. 5).
        let gg = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let population = gg.expected_spend(0.0, 0.0).unwrap();
        let w = (gg.q - 1.0) / (gg.p * 4.0 + gg.q - 1.0);
        let want = w * population + (1.0 - w) * 50.0;
        assert!((gg.expected_spend(4.0, 50.0).unwrap() - want).abs() < 1e-12);
    }

    #[test]
    fn refuses_bad_spend() {
        let data = SpendData {
            frequency: vec![1.0, 2.0],
            monetary_value: vec![3.0, -1.0],
            weights: None,
        };
        let e = fit(&data).unwrap_err().to_string();
        assert!(e.starts_with("monetaryValue[1]:"), "{e}");
    }
}
