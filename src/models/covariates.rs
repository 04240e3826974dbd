//! Time-invariant covariates in the repeat-buying models: each customer's purchase and dropout
//! heterogeneity scaled by `exp(γ'z)`, with z the customer's covariates.
//!
//! The form is Fader & Hardie's note "Incorporating time-invariant covariates into the Pareto/NBD
//! and BG/NBD models" (2007) as CLVTools implements it (Bachmann, Meierer & Näf 2021, *Marketing
//! Science* 40(4), and its static-covariate models):
//!
//! - BG/NBD: `αᵢ = α·exp(−γ_p'zᵢ)`, `aᵢ = a·exp(γ_d'zᵢ)`, `bᵢ = b·exp(γ_d'zᵢ)`;
//! - Pareto/NBD: `αᵢ = α·exp(−γ_p'zᵢ)`, `βᵢ = β·exp(−γ_d'zᵢ)`;
//!
//! so a positive purchase coefficient γ_p raises the mean purchase rate `r/αᵢ` by the factor
//! `exp(γ_p)` per unit of the covariate, and (Pareto/NBD) a positive dropout coefficient raises the
//! mean dropout rate `s/βᵢ` alike; in BG/NBD γ_d changes the concentration of the dropout
//! probability's beta distribution, not its mean `a/(a+b)`, as CLVTools has it.
//!
//! Covariates come from the summary's customer attributes: a categorical one as treatment-coded
//! dummies (one per level but the first, its reference), a numeric one as its value less its mean
//! over the fitted customers (the centre, kept in the fit). The fitted `params` are therefore those
//! of a customer at every categorical covariate's reference level and every numeric one's mean.
//!
//! The likelihood is each customer's likelihood under their own parameters: customers that share a
//! covariate row z form a group, each group is summarised into distinct rows as the plain fits do,
//! and the gradient in (r, α, a, b, γ_p, γ_d) follows from the plain model's by the chain rule. The
//! coefficients are searched on their own scale and the base parameters on the log scale
//! ([`super::fit::maximize_scaled`]), from the fit without covariates and all γ = 0. The result
//! carries that fit too, and the likelihood-ratio test of all γ = 0 against it.
//!
//! ```
//! use clvlab::data::Attribute;
//! use clvlab::models::bgnbd::BgNbd;
//! use clvlab::models::covariates::{Coefficient, Covariate, CovariateModel, Process};
//! use clvlab::models::{Model, Summary};
//! // FHL's CDNOW parameters for web customers; shop customers buy twice as fast (γ_p = ln 2 halves
//! // their α) and drop out alike (γ_d = 0).
//! let web = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
//! let coefficient = |process, estimate| Coefficient {
//!     process, term: "channel=shop".into(), estimate, standard_error: 0.1,
//! };
//! let fitted = CovariateModel {
//!     model: Model::Bgnbd(web),
//!     covariates: vec![Covariate::Categorical {
//!         name: "channel".into(), reference: "web".into(), levels: vec!["shop".into()],
//!     }],
//!     coefficients: vec![
//!         coefficient(Process::Purchase, 2f64.ln()),
//!         coefficient(Process::Dropout, 0.0),
//!     ],
//! };
//! let one = Summary { frequency: vec![2.0], recency: vec![30.43], t: vec![38.86], weights: None };
//! let channel = vec![("channel".to_owned(), Attribute::Categorical {
//!     levels: vec!["shop".into()], codes: vec![0],
//! })];
//! let got = fitted.predict(&one, &channel, 39.0).unwrap();
//! let shop = Model::Bgnbd(BgNbd { alpha: 4.414 / 2.0, ..web }).predict(&one, 39.0).unwrap();
//! assert!((got.expected_purchases[0] - shop.expected_purchases[0]).abs() < 1e-12);
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::fit::{maximize_scaled, serialize_named};
use super::gammagamma::{self, GammaGamma, SpendData};
use super::{bgnbd, paretonbd, Covariance, Fit, FitData, Model, ModelError, Predictions, Summary};
use crate::data::Attribute;
use crate::error::InputError;
use crate::special::{chi_square_above, dot};

/// The most columns of covariates (dummies and numeric values together).
pub const MAX_TERMS: usize = 50;

/// `fitBgNbd`'s and `fitParetoNbd`'s options.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CovariateOptions {
    /// The summary's attributes to use as covariates of both processes, by column name.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub covariates: Vec<String>,
}

/// The process a coefficient acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "CovariateProcess"))]
pub enum Process {
    /// Purchasing while alive: the purchase rate's scale α.
    Purchase,
    /// Dropping out: BG/NBD's a and b, Pareto/NBD's β.
    Dropout,
    /// Spend per transaction: Gamma-Gamma's γ, the scale of ν (the mean spend `pγ/(q−1)` scales with
    /// `exp(γ_s'z)`).
    Spend,
}

impl Process {
    fn word(self) -> &'static str {
        match self {
            Process::Purchase => "purchase",
            Process::Dropout => "dropout",
            Process::Spend => "spend",
        }
    }
}

/// One covariate as fitted: how its column of the design was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Covariate {
    /// Treatment-coded: a dummy per level of `levels`, 0 for all of them at `reference`.
    Categorical {
        name: String,
        reference: String,
        levels: Vec<String>,
    },
    /// The value less `centre` (its mean over the fitted customers).
    Numeric { name: String, centre: f64 },
}

impl Covariate {
    fn name(&self) -> &str {
        match self {
            Covariate::Categorical { name, .. } | Covariate::Numeric { name, .. } => name,
        }
    }

    /// Its columns' names: `channel=web` per level, or the name.
    fn terms(&self) -> Vec<String> {
        match self {
            Covariate::Categorical { name, levels, .. } => {
                levels.iter().map(|l| format!("{name}={l}")).collect()
            }
            Covariate::Numeric { name, .. } => vec![name.clone()],
        }
    }

    /// Its columns' values for each customer of `attribute`; errors name the attribute, at `at`.
    fn columns(&self, attribute: &Attribute, at: &str) -> Result<Vec<Vec<f64>>, InputError> {
        match (self, attribute) {
            (
                Covariate::Categorical {
                    reference, levels, ..
                },
                Attribute::Categorical {
                    levels: given,
                    codes,
                },
            ) => {
                // Each given level's column, or none for the reference; a level the fit never saw
                // is an error, never silently the reference.
                let column: Vec<Option<usize>> = given
                    .iter()
                    .map(|g| {
                        if g == reference {
                            Ok(None)
                        } else {
                            levels.iter().position(|l| l == g).map(Some).ok_or_else(|| {
                                InputError::invalid(
                                    at,
                                    format!(
                                        "has the level {g:?}, which the fit did not have (its levels: {reference:?}, {})",
                                        quoted(levels)
                                    ),
                                )
                            })
                        }
                    })
                    .collect::<Result<_, _>>()?;
                Ok(codes
                    .iter()
                    .map(|&c| {
                        let mut row = vec![0.0; levels.len()];
                        if let Some(j) = column[c as usize] {
                            row[j] = 1.0;
                        }
                        row
                    })
                    .collect())
            }
            (Covariate::Numeric { centre, .. }, Attribute::Numeric { values }) => {
                Ok(values.iter().map(|v| vec![v - centre]).collect())
            }
            (Covariate::Categorical { .. }, Attribute::Numeric { .. }) => Err(InputError::invalid(
                at,
                "must be categorical ({ levels, codes }), as fitted",
            )),
            (Covariate::Numeric { .. }, Attribute::Categorical { .. }) => Err(InputError::invalid(
                at,
                "must be numeric ({ values }), as fitted",
            )),
        }
    }
}

fn quoted(levels: &[String]) -> String {
    levels
        .iter()
        .map(|l| format!("{l:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One coefficient: its process, its column of the design (`channel=web`, `age`), the estimate and
/// its standard error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Coefficient {
    pub process: Process,
    pub term: String,
    pub estimate: f64,
    pub standard_error: f64,
}

/// The likelihood-ratio test of all coefficients zero (the fit without covariates).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "CovariateLikelihoodRatio"))]
pub struct LikelihoodRatio {
    /// 2(ℓ with covariates − ℓ without).
    pub statistic: f64,
    /// The number of coefficients.
    pub degrees_of_freedom: usize,
    /// P(χ² > statistic) with those degrees of freedom.
    pub p_value: f64,
}

/// A fit with covariates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CovariateFit {
    /// The model tag and the parameters of a customer at the reference levels and the centres.
    #[serde(flatten)]
    pub model: Model,
    /// The covariates, in the order of the coefficients' terms.
    pub covariates: Vec<Covariate>,
    /// The purchase coefficients, then the dropout ones, each in the order of the terms.
    pub coefficients: Vec<Coefficient>,
    /// Total log-likelihood at the estimates (weighted).
    pub log_likelihood: f64,
    /// Standard errors of `params`.
    #[serde(serialize_with = "serialize_named")]
    #[cfg_attr(test, ts(as = "std::collections::HashMap<String, Option<f64>>"))]
    pub standard_errors: Vec<(&'static str, Option<f64>)>,
    /// The covariance of `params` and the coefficients, named `purchase:channel=web` and
    /// `dropout:channel=web` after the parameters.
    pub covariance: Covariance,
    pub termination: super::Termination,
    pub iterations: usize,
    pub starts: usize,
    /// The same model fitted without covariates.
    pub without_covariates: Fit,
    pub likelihood_ratio: LikelihoodRatio,
}

/// Which of a model's parameters (by index) each process scales, and the sign of γ'z in the
/// exponent; the coefficients are laid out process by process, in the order of `processes`.
struct Links {
    model: &'static str,
    names: &'static [&'static str],
    processes: &'static [Process],
    links: &'static [(usize, Process, f64)],
    model_of: fn(&[f64]) -> Model,
}

const BGNBD_LINKS: Links = Links {
    model: "bgnbd",
    names: bgnbd::NAMES,
    processes: &[Process::Purchase, Process::Dropout],
    links: &[
        (1, Process::Purchase, -1.0),
        (2, Process::Dropout, 1.0),
        (3, Process::Dropout, 1.0),
    ],
    model_of: |p| Model::Bgnbd(bgnbd::BgNbd::from_slice(p)),
};

const PARETONBD_LINKS: Links = Links {
    model: "paretonbd",
    names: paretonbd::NAMES,
    processes: &[Process::Purchase, Process::Dropout],
    links: &[(1, Process::Purchase, -1.0), (3, Process::Dropout, -1.0)],
    model_of: |p| Model::Paretonbd(paretonbd::ParetoNbd::from_slice(p)),
};

const GAMMAGAMMA_LINKS: Links = Links {
    model: "gammagamma",
    names: gammagamma::NAMES,
    processes: &[Process::Spend],
    links: &[(2, Process::Spend, 1.0)],
    model_of: |p| Model::Gammagamma(GammaGamma::from_slice(p)),
};

impl Links {
    /// The links of a fitted model.
    fn of(model: &Model) -> Result<&'static Links, ModelError> {
        match model {
            Model::Bgnbd(_) => Ok(&BGNBD_LINKS),
            Model::Paretonbd(_) => Ok(&PARETONBD_LINKS),
            Model::Gammagamma(_) => Ok(&GAMMAGAMMA_LINKS),
            Model::Sbg(_) | Model::Bdw(_) | Model::Mbgnbd(_) | Model::Bgbb(_) => {
                Err(ModelError::Unsupported(
                    "model: covariates are fitted for bgnbd, paretonbd and gammagamma".to_owned(),
                ))
            }
        }
    }
}

/// Customers as a covariate fit takes them: a purchase summary or spend data.
trait Customers: Sized {
    /// The data the model's likelihood reads, summarised once per group.
    type Prepared;
    fn len(&self) -> usize;
    fn weights(&self) -> Option<&[f64]>;
    /// The customers at `indices`.
    fn part(&self, indices: &[usize]) -> Self;
}

/// The customers at `indices` of columns `v`.
fn pick(v: &[f64], indices: &[usize]) -> Vec<f64> {
    indices.iter().map(|&i| v[i]).collect()
}

impl Customers for Summary {
    type Prepared = FitData;
    fn len(&self) -> usize {
        self.frequency.len()
    }
    fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }
    fn part(&self, indices: &[usize]) -> Summary {
        Summary {
            frequency: pick(&self.frequency, indices),
            recency: pick(&self.recency, indices),
            t: pick(&self.t, indices),
            weights: self.weights.as_deref().map(|w| pick(w, indices)),
        }
    }
}

impl Customers for SpendData {
    type Prepared = gammagamma::Spenders;
    fn len(&self) -> usize {
        self.frequency.len()
    }
    fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }
    fn part(&self, indices: &[usize]) -> SpendData {
        SpendData {
            frequency: pick(&self.frequency, indices),
            monetary_value: pick(&self.monetary_value, indices),
            weights: self.weights.as_deref().map(|w| pick(w, indices)),
        }
    }
}

/// A model's covariate form: its links, how a group's customers are prepared, its log-likelihood
/// over natural parameters (writing the gradient), and its fit without covariates.
struct Form<C: Customers> {
    links: &'static Links,
    validate: fn(&C) -> Result<(), InputError>,
    prepare: fn(&C) -> C::Prepared,
    log_likelihood: fn(&[f64], &C::Prepared, &mut [f64]) -> f64,
    fit: fn(&C) -> Result<Fit, ModelError>,
}

const BGNBD: Form<Summary> = Form {
    links: &BGNBD_LINKS,
    validate: Summary::validate_for_fit,
    prepare: Summary::fit_data,
    log_likelihood: |p, data, g| bgnbd::log_likelihood(&bgnbd::BgNbd::from_slice(p), 0.0, data, g),
    fit: bgnbd::fit,
};

const PARETONBD: Form<Summary> = Form {
    links: &PARETONBD_LINKS,
    validate: Summary::validate_for_fit,
    prepare: Summary::fit_data,
    log_likelihood: |p, data, g| {
        paretonbd::log_likelihood(&paretonbd::ParetoNbd::from_slice(p), data, g)
    },
    fit: paretonbd::fit,
};

const GAMMAGAMMA: Form<SpendData> = Form {
    links: &GAMMAGAMMA_LINKS,
    validate: SpendData::validate,
    prepare: gammagamma::Spenders::new,
    log_likelihood: |p, data, g| gammagamma::log_likelihood(data, p, g),
    fit: |data| gammagamma::fit(data).map(|f| f.fit),
};

/// Customers sharing one row z of covariates: the row and their data, prepared for the likelihood.
struct Group<D> {
    z: Vec<f64>,
    data: D,
}

/// Each customer's covariate row: the columns of every covariate's terms, in order.
fn design_rows(
    covariates: &[Covariate],
    attributes: &[(String, Attribute)],
    customers: usize,
) -> Result<Vec<Vec<f64>>, InputError> {
    let mut rows = vec![Vec::new(); customers];
    for c in covariates {
        let at = format!("attributes.{}", c.name());
        let attribute = attributes
            .iter()
            .find(|(name, _)| name == c.name())
            .map(|(_, a)| a)
            .ok_or_else(|| InputError::invalid(&at, "is required (the fit's covariate)"))?;
        let columns = c.columns(attribute, &at)?;
        if columns.len() != customers {
            return Err(InputError::invalid(
                at,
                format!(
                    "must have one value per customer ({customers}, got {})",
                    columns.len()
                ),
            ));
        }
        for (row, column) in rows.iter_mut().zip(columns) {
            row.extend(column);
        }
    }
    Ok(rows)
}

/// The customers grouped by their rows of `design`, in order of first appearance: each group's row
/// and the indices of its customers.
fn grouped(design: &[Vec<f64>]) -> Vec<(Vec<f64>, Vec<usize>)> {
    let mut at: HashMap<Vec<u64>, usize> = HashMap::new();
    let mut groups: Vec<(Vec<f64>, Vec<usize>)> = Vec::new();
    for (i, z) in design.iter().enumerate() {
        let key = z.iter().map(|v| v.to_bits()).collect();
        let g = *at.entry(key).or_insert_with(|| {
            groups.push((z.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    groups
}

/// The covariates named by `options` as fitted to `attributes`: each categorical's first level its
/// reference, each numeric one centred at its mean over the customers (weighted).
fn covariates_for_fit(
    options: &CovariateOptions,
    attributes: &[(String, Attribute)],
    weights: Option<&[f64]>,
) -> Result<Vec<Covariate>, InputError> {
    if options.covariates.is_empty() {
        return Err(InputError::invalid(
            "covariates",
            "must name at least one attribute",
        ));
    }
    let mut covariates = Vec::new();
    for (i, name) in options.covariates.iter().enumerate() {
        let field = format!("covariates[{i}]");
        if options.covariates[..i].contains(name) {
            return Err(InputError::invalid(field, format!("names {name:?} twice")));
        }
        let Some((_, attribute)) = attributes.iter().find(|(n, _)| n == name) else {
            let known: Vec<&str> = attributes.iter().map(|(n, _)| n.as_str()).collect();
            return Err(InputError::invalid(
                field,
                format!(
                    "{name:?} is not an attribute of the summary (it has {}; name the column in summarizeTransactions' attributes or numericAttributes)",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                ),
            ));
        };
        covariates.push(match attribute {
            Attribute::Categorical { levels, .. } => {
                if levels.len() < 2 {
                    return Err(InputError::invalid(
                        field,
                        format!("{name:?} has one level only: there is nothing to compare"),
                    ));
                }
                Covariate::Categorical {
                    name: name.clone(),
                    reference: levels[0].clone(),
                    levels: levels[1..].to_vec(),
                }
            }
            Attribute::Numeric { values } => {
                let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
                let total: f64 = (0..values.len()).map(weight).sum();
                let centre =
                    (0..values.len()).map(|i| weight(i) * values[i]).sum::<f64>() / total;
                if values.iter().all(|&v| v == values[0]) {
                    return Err(InputError::invalid(
                        field,
                        format!("{name:?} has one value for every customer: there is nothing to compare"),
                    ));
                }
                Covariate::Numeric {
                    name: name.clone(),
                    centre,
                }
            }
        });
    }
    let terms: usize = covariates.iter().map(|c| c.terms().len()).sum();
    if terms > MAX_TERMS {
        return Err(InputError::invalid(
            "covariates",
            format!("must make at most {MAX_TERMS} columns (dummies and numbers; got {terms})"),
        ));
    }
    Ok(covariates)
}

/// The parameters of a customer with covariate row `z`: `base`, with each linked parameter scaled
/// by `exp(±γ'z)` of its process's coefficients among `gammas`.
fn customer_params(links: &Links, base: &[f64], gammas: &[f64], z: &[f64]) -> Vec<f64> {
    let mut p = base.to_vec();
    for &(i, process, sign) in links.links {
        p[i] = base[i] * (sign * dot(links.coefficients_of(process, gammas), z)).exp();
    }
    p
}

impl Links {
    /// Where `process`'s coefficients start among the coefficients of `m` terms.
    fn offset(&self, process: Process, m: usize) -> usize {
        m * self
            .processes
            .iter()
            .position(|&p| p == process)
            .unwrap_or(0)
    }

    /// `process`'s coefficients among `gammas` (all processes' coefficients).
    fn coefficients_of<'a>(&self, process: Process, gammas: &'a [f64]) -> &'a [f64] {
        let m = gammas.len() / self.processes.len();
        let at = self.offset(process, m);
        &gammas[at..at + m]
    }
}

/// The log-likelihood of `groups` at `params` = (base, then the coefficients process by process),
/// writing its gradient.
fn log_likelihood<C: Customers>(
    form: &Form<C>,
    groups: &[Group<C::Prepared>],
    params: &[f64],
    grad: &mut [f64],
) -> f64 {
    let links = form.links;
    let k = links.names.len();
    let (base, gammas) = params.split_at(k);
    let m = gammas.len() / links.processes.len();
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut local = vec![0.0; k];
    let mut total = 0.0;
    for group in groups {
        let p = customer_params(links, base, gammas, &group.z);
        total += (form.log_likelihood)(&p, &group.data, &mut local);
        for (i, g) in local.iter().enumerate() {
            // ∂pᵢ/∂baseᵢ = pᵢ/baseᵢ: 1 for a parameter no covariate scales.
            grad[i] += g * p[i] / base[i];
        }
        for &(i, process, sign) in links.links {
            let offset = k + links.offset(process, m);
            let slope = local[i] * p[i] * sign;
            for (j, zj) in group.z.iter().enumerate() {
                grad[offset + j] += slope * zj;
            }
        }
    }
    total
}

/// Fits `model` (`"bgnbd"` or `"paretonbd"`) with the covariates `options` names, read from
/// `attributes` (one value per customer of `summary`, as `summarizeTransactions` gives them).
pub fn fit(
    model: &str,
    summary: &Summary,
    attributes: &[(String, Attribute)],
    options: &CovariateOptions,
) -> Result<CovariateFit, ModelError> {
    let form = match model {
        "bgnbd" => &BGNBD,
        "paretonbd" => &PARETONBD,
        other => {
            return Err(ModelError::Unsupported(format!(
                "model: purchase covariates are fitted for bgnbd and paretonbd (got {other})"
            )))
        }
    };
    fit_form(form, summary, attributes, options)
}

/// A Gamma-Gamma fit with covariates and how many customers it was fitted on, as
/// [`gammagamma::GammaGammaFit`] says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SpendCovariateFit"))]
pub struct SpendCovariateFit {
    #[serde(flatten)]
    pub fit: CovariateFit,
    /// Customers fitted on (frequency > 0 and monetaryValue > 0).
    pub included: usize,
    /// Customers left out.
    pub excluded: usize,
}

/// Fits Gamma-Gamma with the covariates `options` names on the spend scale γ (see the module's
/// documentation), on the customers with a repeat purchase and positive spend.
pub fn fit_spend(
    data: &SpendData,
    attributes: &[(String, Attribute)],
    options: &CovariateOptions,
) -> Result<SpendCovariateFit, ModelError> {
    let fit = fit_form(&GAMMAGAMMA, data, attributes, options)?;
    let included = gammagamma::Spenders::new(data).len();
    Ok(SpendCovariateFit {
        fit,
        included,
        excluded: data.frequency.len() - included,
    })
}

fn fit_form<C: Customers>(
    form: &Form<C>,
    customers: &C,
    attributes: &[(String, Attribute)],
    options: &CovariateOptions,
) -> Result<CovariateFit, ModelError> {
    let links = form.links;
    (form.validate)(customers)?;
    let covariates = covariates_for_fit(options, attributes, customers.weights())?;
    let design = design_rows(&covariates, attributes, customers.len())?;
    let groups: Vec<Group<C::Prepared>> = grouped(&design)
        .into_iter()
        .map(|(z, indices)| Group {
            z,
            data: (form.prepare)(&customers.part(&indices)),
        })
        .collect();
    let without = (form.fit)(customers)?;
    let (_, base) = without.model.named_params();
    let terms: Vec<String> = covariates.iter().flat_map(Covariate::terms).collect();
    let k = links.names.len();
    let slots: Vec<(Process, &String)> = links
        .processes
        .iter()
        .flat_map(|&process| terms.iter().map(move |t| (process, t)))
        .collect();
    let names: Vec<String> = links
        .names
        .iter()
        .map(|n| (*n).to_owned())
        .chain(
            slots
                .iter()
                .map(|(process, t)| format!("{}:{t}", process.word())),
        )
        .collect();
    let start: Vec<f64> = base.iter().copied().chain(vec![0.0; slots.len()]).collect();
    let found = maximize_scaled(
        links.model,
        &names,
        k,
        |p, g| log_likelihood(form, &groups, p, g),
        &[start],
    )?;
    let se = |i: usize| found.covariance[i][i].sqrt();
    let coefficients = slots
        .iter()
        .enumerate()
        .map(|(j, &(process, term))| Coefficient {
            process,
            term: term.clone(),
            estimate: found.params[k + j],
            standard_error: se(k + j),
        })
        .collect();
    let statistic = 2.0 * (found.log_likelihood - without.log_likelihood);
    let degrees_of_freedom = slots.len();
    Ok(CovariateFit {
        model: (links.model_of)(&found.params[..k]),
        covariates,
        coefficients,
        log_likelihood: found.log_likelihood,
        standard_errors: links
            .names
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, Some(se(i))))
            .collect(),
        covariance: Covariance {
            names,
            matrix: found.covariance,
        },
        termination: found.termination,
        iterations: found.iterations,
        starts: found.starts,
        without_covariates: without,
        likelihood_ratio: LikelihoodRatio {
            statistic,
            degrees_of_freedom,
            p_value: chi_square_above(statistic, degrees_of_freedom as f64),
        },
    })
}

/// A fitted covariate model as predictions need it: the base model, its covariates and their
/// coefficients (as [`CovariateFit`] has them).
#[derive(Debug, Clone, PartialEq)]
pub struct CovariateModel {
    pub model: Model,
    pub covariates: Vec<Covariate>,
    pub coefficients: Vec<Coefficient>,
}

impl CovariateModel {
    /// Each customer's own model, from their attributes (one value per customer of `customers`).
    pub fn customer_models(
        &self,
        attributes: &[(String, Attribute)],
        customers: usize,
    ) -> Result<Vec<Model>, ModelError> {
        self.model.validate()?;
        let links = Links::of(&self.model)?;
        let (_, base) = self.model.named_params();
        let gammas = self.gammas(links)?;
        let design = design_rows(&self.covariates, attributes, customers)?;
        Ok(design
            .iter()
            .map(|z| (links.model_of)(&customer_params(links, &base, &gammas, z)))
            .collect())
    }

    /// The coefficients process by process (as `links` orders them), each in the order of the
    /// covariates' terms; an error unless there is exactly one, finite, for each process and term.
    fn gammas(&self, links: &Links) -> Result<Vec<f64>, InputError> {
        let terms: Vec<String> = self.covariates.iter().flat_map(Covariate::terms).collect();
        let mut gammas = Vec::with_capacity(links.processes.len() * terms.len());
        for &process in links.processes {
            let word = process.word();
            for term in &terms {
                let found: Vec<&Coefficient> = self
                    .coefficients
                    .iter()
                    .filter(|c| c.process == process && &c.term == term)
                    .collect();
                let [c] = found[..] else {
                    return Err(InputError::invalid(
                        "coefficients",
                        format!(
                            "must have one {word} coefficient for {term:?} (got {})",
                            found.len()
                        ),
                    ));
                };
                gammas.push(crate::error::finite("coefficients.estimate", c.estimate)?);
            }
        }
        if self.coefficients.len() != gammas.len() {
            return Err(InputError::invalid(
                "coefficients",
                format!(
                    "must have {} entries, one per process and term (got {})",
                    gammas.len(),
                    self.coefficients.len()
                ),
            ));
        }
        Ok(gammas)
    }

    /// Predictions for every customer of `summary` over the next `horizon` time units, each under
    /// their own parameters (their covariates in `attributes`).
    pub fn predict(
        &self,
        summary: &Summary,
        attributes: &[(String, Attribute)],
        horizon: f64,
    ) -> Result<Predictions, ModelError> {
        summary.validate()?;
        let models = self.customer_models(attributes, summary.frequency.len())?;
        let n = summary.frequency.len();
        let mut out = Predictions {
            expected_purchases: vec![0.0; n],
            prob_alive: vec![0.0; n],
        };
        let rows: Vec<Vec<f64>> = models.iter().map(|m| m.named_params().1).collect();
        for (_, indices) in grouped(&rows) {
            let p = models[indices[0]].predict(&summary.part(&indices), horizon)?;
            for (k, &i) in indices.iter().enumerate() {
                out.expected_purchases[i] = p.expected_purchases[k];
                out.prob_alive[i] = p.prob_alive[k];
            }
        }
        Ok(out)
    }

    /// E[M | m, x] for every customer of `data` under their own Gamma-Gamma parameters (their
    /// covariates in `attributes`), the population mean of their level for those with x = 0.
    pub fn expected_spend(
        &self,
        data: &SpendData,
        attributes: &[(String, Attribute)],
    ) -> Result<Vec<f64>, ModelError> {
        data.validate()?;
        let models = self.customer_models(attributes, data.frequency.len())?;
        models
            .iter()
            .enumerate()
            .map(|(i, model)| match model {
                Model::Gammagamma(m) => m.expected_spend(data.frequency[i], data.monetary_value[i]),
                _ => Err(ModelError::Unsupported(
                    "model: expected spend needs a gammagamma fit".to_owned(),
                )),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve customers (x, t_x, T) in weeks, and two attributes: a channel of three levels and an
    /// age.
    fn data() -> (Summary, Vec<(String, Attribute)>) {
        let summary = Summary {
            frequency: vec![0.0, 1.0, 2.0, 5.0, 0.0, 3.0, 1.0, 0.0, 4.0, 2.0, 7.0, 0.0],
            recency: vec![
                0.0, 10.0, 20.0, 30.0, 0.0, 35.0, 5.0, 0.0, 25.0, 12.0, 36.0, 0.0,
            ],
            t: vec![
                39.0, 38.0, 37.0, 36.0, 35.0, 39.0, 30.0, 31.0, 32.0, 33.0, 38.0, 34.0,
            ],
            weights: None,
        };
        let channel = Attribute::Categorical {
            levels: vec!["web".into(), "shop".into(), "phone".into()],
            codes: vec![0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2],
        };
        let age = Attribute::Numeric {
            values: (0..12).map(|i| 20.0 + 3.0 * i as f64).collect(),
        };
        (
            summary,
            vec![("channel".into(), channel), ("age".into(), age)],
        )
    }

    fn groups(summary: &Summary, attributes: &[(String, Attribute)]) -> Vec<Group<FitData>> {
        let options = CovariateOptions {
            covariates: vec!["channel".into(), "age".into()],
        };
        let covariates = covariates_for_fit(&options, attributes, None).unwrap();
        let design = design_rows(&covariates, attributes, summary.frequency.len()).unwrap();
        assert_eq!(design[1], vec![1.0, 0.0, 23.0 - 36.5]);
        grouped(&design)
            .into_iter()
            .map(|(z, indices)| Group {
                z,
                data: summary.part(&indices).fit_data(),
            })
            .collect()
    }

    #[test]
    fn at_zero_coefficients_the_likelihood_is_the_plain_models() {
        let (summary, attributes) = data();
        for (form, base) in [
            (&BGNBD, vec![0.5, 6.0, 0.8, 2.5]),
            (&PARETONBD, vec![0.5, 6.0, 0.7, 9.0]),
        ] {
            let groups = groups(&summary, &attributes);
            let mut plain_grad = vec![0.0; 4];
            let plain = (form.log_likelihood)(&base, &summary.fit_data(), &mut plain_grad);
            let params: Vec<f64> = base.iter().copied().chain([0.0; 6]).collect();
            let mut grad = vec![0.0; 10];
            let value = log_likelihood(form, &groups, &params, &mut grad);
            assert!(
                (value - plain).abs() <= 1e-9 * plain.abs(),
                "{}",
                form.links.model
            );
            for i in 0..4 {
                assert!((grad[i] - plain_grad[i]).abs() <= 1e-9 * plain_grad[i].abs().max(1.0));
            }
        }
    }

    #[test]
    fn the_gradient_is_the_likelihoods_slope() {
        let (summary, attributes) = data();
        for (form, base) in [
            (&BGNBD, vec![0.5, 6.0, 0.8, 2.5]),
            (&PARETONBD, vec![0.5, 6.0, 0.7, 9.0]),
        ] {
            let groups = groups(&summary, &attributes);
            let params: Vec<f64> = base
                .iter()
                .copied()
                .chain([0.3, -0.2, 0.01, -0.4, 0.25, -0.02])
                .collect();
            let mut grad = vec![0.0; 10];
            log_likelihood(form, &groups, &params, &mut grad);
            let mut scratch = vec![0.0; 10];
            for i in 0..10 {
                let h = 1e-6 * params[i].abs().max(1e-2);
                let at = |d: f64, scratch: &mut [f64]| {
                    let mut q = params.clone();
                    q[i] += d;
                    log_likelihood(form, &groups, &q, scratch)
                };
                let slope = (at(h, &mut scratch) - at(-h, &mut scratch)) / (2.0 * h);
                assert!(
                    (grad[i] - slope).abs() <= 1e-5 * slope.abs().max(1.0),
                    "{} {i}: {} vs {slope}",
                    form.links.model,
                    grad[i]
                );
            }
        }
    }

    #[test]
    fn each_customer_predicts_under_their_own_parameters() {
        let (summary, attributes) = data();
        let fitted = CovariateModel {
            model: Model::Bgnbd(bgnbd::BgNbd::from_slice(&[0.5, 6.0, 0.8, 2.5])),
            covariates: vec![Covariate::Categorical {
                name: "channel".into(),
                reference: "web".into(),
                levels: vec!["shop".into(), "phone".into()],
            }],
            coefficients: vec![
                coefficient(Process::Purchase, "channel=shop", 0.4),
                coefficient(Process::Purchase, "channel=phone", 0.0),
                coefficient(Process::Dropout, "channel=shop", -0.3),
                coefficient(Process::Dropout, "channel=phone", 0.0),
            ],
        };
        let got = fitted.predict(&summary, &attributes, 10.0).unwrap();
        // Customer 1 is at "shop": α·e^−0.4, a and b ·e^−0.3; customer 2 at "phone", the base.
        let shop = bgnbd::BgNbd {
            r: 0.5,
            alpha: 6.0 * (-0.4f64).exp(),
            a: 0.8 * (-0.3f64).exp(),
            b: 2.5 * (-0.3f64).exp(),
        };
        let base = bgnbd::BgNbd::from_slice(&[0.5, 6.0, 0.8, 2.5]);
        for (i, model) in [(1, shop), (2, base), (0, base)] {
            let (x, t_x, t) = (summary.frequency[i], summary.recency[i], summary.t[i]);
            let want = Model::Bgnbd(model)
                .predict(
                    &Summary {
                        frequency: vec![x],
                        recency: vec![t_x],
                        t: vec![t],
                        weights: None,
                    },
                    10.0,
                )
                .unwrap();
            assert_eq!(got.expected_purchases[i], want.expected_purchases[0]);
            assert_eq!(got.prob_alive[i], want.prob_alive[0]);
        }
        // A level the fit did not have, or a coefficient missing, is an error.
        let mut other = attributes.clone();
        other[0].1 = Attribute::Categorical {
            levels: vec!["web".into(), "fax".into()],
            codes: vec![0; 12],
        };
        let e = fitted
            .predict(&summary, &other, 10.0)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("attributes.channel") && e.contains("\"fax\""),
            "{e}"
        );
        let mut short = fitted.clone();
        short.coefficients.pop();
        let e = short
            .predict(&summary, &attributes, 10.0)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("one dropout coefficient for \"channel=phone\""),
            "{e}"
        );
    }

    fn coefficient(process: Process, term: &str, estimate: f64) -> Coefficient {
        Coefficient {
            process,
            term: term.into(),
            estimate,
            standard_error: 0.1,
        }
    }

    /// The customers of [`data`] as spend data: x and a mean spend.
    fn spend() -> SpendData {
        let (summary, _) = data();
        SpendData {
            monetary_value: (0..12).map(|i| 10.0 + 7.0 * (i % 5) as f64).collect(),
            frequency: summary.frequency,
            weights: None,
        }
    }

    #[test]
    fn spend_covariates_scale_gamma_and_their_gradient_is_the_slope() {
        let (_, attributes) = data();
        let spend = spend();
        let options = CovariateOptions {
            covariates: vec!["channel".into(), "age".into()],
        };
        let covariates = covariates_for_fit(&options, &attributes, None).unwrap();
        let design = design_rows(&covariates, &attributes, 12).unwrap();
        let groups: Vec<_> = grouped(&design)
            .into_iter()
            .map(|(z, indices)| Group {
                z,
                data: gammagamma::Spenders::new(&spend.part(&indices)),
            })
            .collect();
        let base = [3.0, 4.0, 20.0];
        let mut plain_grad = vec![0.0; 3];
        let plain =
            gammagamma::log_likelihood(&gammagamma::Spenders::new(&spend), &base, &mut plain_grad);
        let mut grad = vec![0.0; 6];
        let at_zero = log_likelihood(
            &GAMMAGAMMA,
            &groups,
            &[3.0, 4.0, 20.0, 0.0, 0.0, 0.0],
            &mut grad,
        );
        assert!((at_zero - plain).abs() <= 1e-9 * plain.abs());
        let params = [3.0, 4.0, 20.0, 0.3, -0.2, 0.02];
        log_likelihood(&GAMMAGAMMA, &groups, &params, &mut grad);
        let mut scratch = vec![0.0; 6];
        for i in 0..6 {
            let h = 1e-6 * params[i].abs().max(1e-2);
            let mut at = |d: f64| {
                let mut q = params;
                q[i] += d;
                log_likelihood(&GAMMAGAMMA, &groups, &q, &mut scratch)
            };
            let slope = (at(h) - at(-h)) / (2.0 * h);
            assert!(
                (grad[i] - slope).abs() <= 1e-5 * slope.abs().max(1.0),
                "{i}"
            );
        }
        // Expected spend: customer 1 is at "shop", whose γ is 20·e^0.3.
        let fitted = CovariateModel {
            model: Model::Gammagamma(GammaGamma::from_slice(&base)),
            covariates: vec![Covariate::Categorical {
                name: "channel".into(),
                reference: "web".into(),
                levels: vec!["shop".into(), "phone".into()],
            }],
            coefficients: vec![
                coefficient(Process::Spend, "channel=shop", 0.3),
                coefficient(Process::Spend, "channel=phone", 0.0),
            ],
        };
        let got = fitted.expected_spend(&spend, &attributes).unwrap();
        let shop = GammaGamma {
            gamma: 20.0 * 0.3f64.exp(),
            ..GammaGamma::from_slice(&base)
        };
        let (x, m) = (spend.frequency[1], spend.monetary_value[1]);
        assert_eq!(got[1], shop.expected_spend(x, m).unwrap());
    }

    #[test]
    fn bad_covariates_are_named() {
        let (summary, attributes) = data();
        let fit_with = |names: &[&str], attributes: &[(String, Attribute)]| {
            let options = CovariateOptions {
                covariates: names.iter().map(|n| (*n).to_owned()).collect(),
            };
            fit("bgnbd", &summary, attributes, &options)
                .unwrap_err()
                .to_string()
        };
        let e = fit_with(&["region"], &attributes);
        assert!(
            e.contains("covariates[0]") && e.contains("channel, age"),
            "{e}"
        );
        let e = fit_with(&["age", "age"], &attributes);
        assert!(e.contains("covariates[1]: names \"age\" twice"), "{e}");
        let e = fit_with(&[], &attributes);
        assert!(e.contains("covariates: must name at least one"), "{e}");
        let flat = vec![
            (
                "plan".to_owned(),
                Attribute::Categorical {
                    levels: vec!["basic".into()],
                    codes: vec![0; 12],
                },
            ),
            (
                "score".to_owned(),
                Attribute::Numeric {
                    values: vec![3.0; 12],
                },
            ),
        ];
        assert!(fit_with(&["plan"], &flat).contains("one level only"));
        assert!(fit_with(&["score"], &flat).contains("one value for every customer"));
        let options = CovariateOptions {
            covariates: vec!["channel".into()],
        };
        let e = fit("sbg", &summary, &attributes, &options)
            .unwrap_err()
            .to_string();
        assert!(e.contains("bgnbd and paretonbd"), "{e}");
    }
}
