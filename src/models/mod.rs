//! The field's standard probability models, fitted by maximum likelihood.
//!
//! - [`sbg`]: shifted-beta-geometric retention from [`durations`]: one cohort's survivor counts,
//!   several cohorts' or one row per customer (Fader & Hardie 2007); [`bdw`], the
//!   beta-discrete-Weibull, its extension to churn that changes with tenure (Fader et al. 2018);
//! - [`bgnbd`]: BG/NBD repeat buying (Fader, Hardie & Lee 2005), and [`mbgnbd`], its modified form
//!   (Batislam, Denizel & Filiztekin 2007);
//! - [`paretonbd`]: Pareto/NBD (Schmittlein, Morrison & Colombo 1987);
//! - [`gammagamma`]: spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV");
//! - [`bgbb`]: BG/BB for discrete opportunities (Fader, Hardie & Shang 2010).
//!
//! [`covariates`] fits BG/NBD and Pareto/NBD with time-invariant covariates from the customers'
//! attributes.
//!
//! Around the fits: [`check_fit_data`] looks at a summary before them, [`evaluate_holdout`] scores a
//! fit's predictions on a holdout period, [`compare_models`] fits and ranks the purchase models, and
//! [`compare_retention`] the retention models; [`fit_retention_by_level`] fits them per plan.
//!
//! Every fit maximises the log-likelihood over the logarithms of the (positive) parameters with the
//! analytic gradient ([`crate::optim`]), from several starting points if the first fails, and returns a
//! [`Fit`]: parameters, the log-likelihood as lifetimes/BTYD report it, standard errors from the
//! Hessian, the iteration count and why the optimiser stopped. A fit that does not converge, or whose
//! likelihood is flat at the optimum, is an error ([`ModelError::NotConverged`]), never parameters.
//!
//! Conventions for customer summaries (as lifetimes and BTYD): `frequency` x is the number of repeat
//! purchases, `recency` t_x the time from the first to the last purchase, `T` the time from the first
//! purchase to the end of calibration, all in one time unit (often weeks); `weights` count identical
//! customers. Identical rows are merged before fitting, which changes nothing but the speed.

pub mod bdw;
pub mod bgbb;
pub mod bgnbd;
mod check;
mod compare;
mod conditional;
mod contractual;
pub mod covariates;
mod customer_base;
pub mod durations;
mod error;
mod fit;
pub mod gammagamma;
mod holdout;
mod intervals;
pub mod mbgnbd;
mod model;
mod nbd;
pub mod paretonbd;
mod predict;
mod retention_compare;
mod retention_levels;
mod rows;
pub mod sbg;
mod subscriber_value;
mod summary;
#[cfg(test)]
mod test_support;
mod value;

pub use check::{check_fit_data, Check, Extra, Finding, Severity};
pub use compare::{compare_models, Candidate, Comparison, Holdout, RankedBy};
pub use conditional::{future_pmfs_if_alive, PmfTable, MAX_TABLE, MAX_TERMS, TAIL};
pub use contractual::{clv_intervals, ContractualIntervals, DrawOptions, ValueInterval};
pub use customer_base::{
    value_customer_base, Acquisition, Aggregate, BaseSegment, BaseValue, BaseValueOptions,
    NextDollar, SegmentPlan, Segmentation, Spread, ALL_CUSTOMERS, MAX_NEW_CUSTOMERS, MAX_SEGMENTS,
    MAX_VALUE_PATH,
};
pub use error::ModelError;
pub(crate) use fit::{maximize, Estimate};
pub use fit::{Covariance, Fit, Termination};
pub use holdout::{
    evaluate_holdout, FrequencyRow, IntervalCheck, Scorecard, SpendCheck, SpendHoldout, Total,
    LAST_FREQUENCY,
};
pub use intervals::{
    predict_intervals, ClvIntervals, IntervalOptions, Intervals, Method, Spend, TotalInterval,
    MAX_DRAWS, MAX_REFITS,
};
pub use model::{Model, MAX_PARAMETER};
pub(crate) use nbd::{ln_nbd, series_failed};
pub use predict::{Predictions, PurchaseModel};
pub use retention_compare::{
    compare_retention, Holdout as RetentionHoldout, LikelihoodRatio, RetentionCandidate,
    RetentionCompareOptions, RetentionComparison,
};
pub use retention_levels::{
    fit_retention_by_level, LevelFit, LevelTest, RetentionByLevel, RetentionByLevelOptions,
    RetentionModel, MAX_LEVELS,
};
pub(crate) use rows::{sum_rows, Distinct, FitData, Memo, Row};
pub use subscriber_value::{
    value_subscribers, Acquisition as SubscriberAcquisition, AtTenure, ConstantRetentionValue,
    SubscriberValue, SubscriberValueOptions, MAX_VALUE_PERIODS,
};
pub(crate) use summary::{frequency, plain_frequency, same_length};
pub use summary::{Summary, MAX_FREQUENCY};
pub use value::{customer_value, ValueOptions, MAX_MONTHS, MAX_UNITS_PER_MONTH};
