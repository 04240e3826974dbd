//! Per-customer predictions of the purchase models: the [`PurchaseModel`] trait and [`Predictions`]
//! for every customer of a summary (or BG/BB pattern), parts that customers share computed once.

use super::bgnbd::{self, BgNbd};
use super::{bgbb, Memo, Model, ModelError, Summary};
use crate::error;

/// Per-customer predictions of a purchase model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Predictions {
    /// Expected purchases in the next `horizon` time units (or opportunities, for BG/BB).
    pub expected_purchases: Vec<f64>,
    /// Probability that the customer is alive now.
    pub prob_alive: Vec<f64>,
}

/// What the per-customer predictions of a fitted purchase model need.
pub trait PurchaseModel {
    /// P(alive | x, t_x, T): the probability that the customer is alive now.
    fn prob_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64, ModelError>;
    /// P(alive) of every customer of `summary` (valid); a model whose P(alive) has parts that customers
    /// share computes each of them once.
    fn prob_alive_all(&self, summary: &Summary) -> Result<Vec<f64>, ModelError> {
        (0..summary.frequency.len())
            .map(|i| self.prob_alive(summary.frequency[i], summary.recency[i], summary.t[i]))
            .collect()
    }
    /// E[Y(horizon) | alive now, x, T]: expected purchases in the next `horizon` of a customer known to
    /// be alive now. Recency enters the conditional expectation only through P(alive).
    fn expected_if_alive(&self, x: f64, t: f64, horizon: f64) -> Result<f64, ModelError>;
    /// [`PurchaseModel::expected_if_alive`] at horizons `step`, 2·`step`, … into `out` (one each); a
    /// model whose horizons share work overrides it.
    fn expected_if_alive_by_step(
        &self,
        x: f64,
        t: f64,
        step: f64,
        out: &mut [f64],
    ) -> Result<(), ModelError> {
        for (m, o) in (1u32..).zip(out.iter_mut()) {
            *o = self.expected_if_alive(x, t, f64::from(m) * step)?;
        }
        Ok(())
    }
    /// `(E[Y(horizon) | x, t_x, T], P(alive | x, t_x, T))` for one customer; the expectation is
    /// [`PurchaseModel::expected_if_alive`] times P(alive).
    fn predict_one(
        &self,
        x: f64,
        t_x: f64,
        t: f64,
        horizon: f64,
    ) -> Result<(f64, f64), ModelError> {
        let alive = self.prob_alive(x, t_x, t)?;
        Ok((self.expected_if_alive(x, t, horizon)? * alive, alive))
    }
    /// E[X(t)]: expected purchases of a new customer in a period of length t.
    fn expected_purchases_new(&self, t: f64) -> Result<f64, ModelError>;
    /// P(X(t) = x) for a new customer.
    fn prob_purchases(&self, t: f64, x: u32) -> Result<f64, ModelError>;
}

/// P(alive) at many parameter draws of one model for the customers of a summary, a part of them at
/// a time: BG/NBD's and MBG/NBD's from a table of the logs of the times the customers share (when
/// it holds at most `most` values), the others' from each draw's [`PurchaseModel::prob_alive_all`].
pub(crate) enum AliveAtDraws<'a> {
    Table(bgnbd::AliveTable),
    Each(&'a [Model]),
}

impl<'a> AliveAtDraws<'a> {
    pub(crate) fn new(models: &'a [Model], summary: &Summary, most: usize) -> AliveAtDraws<'a> {
        let bg = |k: f64| -> Option<Vec<BgNbd>> {
            models
                .iter()
                .map(|m| match m {
                    Model::Bgnbd(p) if k == 0.0 => Some(*p),
                    Model::Mbgnbd(m) if k == 1.0 => Some(m.0),
                    _ => None,
                })
                .collect()
        };
        [0.0, 1.0]
            .into_iter()
            .find_map(|k| bgnbd::AliveTable::new(&bg(k)?, k, summary, most))
            .map_or(AliveAtDraws::Each(models), AliveAtDraws::Table)
    }

    /// P(alive) of every customer of `part` (customers of the summary given to `new`) at each draw,
    /// at i·draws + d of `out`.
    pub(crate) fn fill(&self, part: &Summary, out: &mut Vec<f64>) -> Result<(), ModelError> {
        out.clear();
        match self {
            AliveAtDraws::Table(table) => {
                out.resize(part.frequency.len() * table.draws(), 0.0);
                table.fill(part, out);
            }
            AliveAtDraws::Each(models) => {
                let n = models.len();
                out.resize(part.frequency.len() * n, 0.0);
                for (d, model) in models.iter().enumerate() {
                    let alive = model.purchase_model()?.prob_alive_all(part)?;
                    for (i, a) in alive.into_iter().enumerate() {
                        out[i * n + d] = a;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Model {
    /// The model as a purchase model, or an error for sBG, BdW and Gamma-Gamma.
    pub fn purchase_model(&self) -> Result<&dyn PurchaseModel, ModelError> {
        match self {
            Model::Bgnbd(m) => Ok(m),
            Model::Mbgnbd(m) => Ok(m),
            Model::Paretonbd(m) => Ok(m),
            Model::Bgbb(m) => Ok(m),
            Model::Sbg(_) | Model::Bdw(_) | Model::Gammagamma(_) => Err(ModelError::Unsupported(
                "model: must be a purchase model (bgnbd, mbgnbd, paretonbd or bgbb)".to_owned(),
            )),
        }
    }

    /// Predictions for every customer of `summary` over the next `horizon` time units.
    pub fn predict(&self, summary: &Summary, horizon: f64) -> Result<Predictions, ModelError> {
        self.validate()?;
        summary.validate()?;
        error::non_negative("horizon", horizon)?;
        let model = self.purchase_model()?;
        if matches!(self, Model::Bgbb(_)) {
            return Err(ModelError::Unsupported(
                "data: bgbb predictions take { frequency, recency, periods }".to_owned(),
            ));
        }
        // E[Y | x, t_x, T] = E[Y | alive, x, T] · P(alive), the first shared by customers of equal (x, T).
        let prob_alive = model.prob_alive_all(summary)?;
        let mut if_alive = Memo::new();
        let mut expected_purchases = Vec::with_capacity(prob_alive.len());
        for (i, alive) in prob_alive.iter().enumerate() {
            let (x, t) = (summary.frequency[i], summary.t[i]);
            let e = if_alive.get(x, t, || model.expected_if_alive(x, t, horizon))?;
            expected_purchases.push(e * alive);
        }
        Ok(Predictions {
            expected_purchases,
            prob_alive,
        })
    }
}

impl Model {
    /// BG/BB predictions for every pattern of `data` over the next `horizon` opportunities.
    pub fn predict_opportunities(
        &self,
        data: &bgbb::BgBbData,
        horizon: f64,
    ) -> Result<Predictions, ModelError> {
        self.validate()?;
        data.validate()?;
        let Model::Bgbb(model) = self else {
            return Err(ModelError::Unsupported(
                "model: { frequency, recency, periods } data need a bgbb fit".to_owned(),
            ));
        };
        let mut out = Predictions::default();
        for i in 0..data.frequency.len() {
            let (e, p) =
                model.predict_one(data.frequency[i], data.recency[i], data.periods[i], horizon)?;
            out.expected_purchases.push(e);
            out.prob_alive.push(p);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::mbgnbd::ModifiedBgNbd;
    use crate::models::paretonbd::ParetoNbd;
    use crate::models::test_support::cdnow_models;

    /// Customers sharing x, T or both, and none.
    const CUSTOMERS: [(f64, f64, f64); 8] = [
        (0.0, 0.0, 38.86),
        (0.0, 0.0, 38.86),
        (0.0, 0.0, 30.0),
        (2.0, 30.43, 38.86),
        (2.0, 10.0, 38.86),
        (2.0, 10.0, 30.0),
        (7.0, 36.0, 37.0),
        (7.0, 37.0, 37.0),
    ];

    fn summary_of(customers: &[(f64, f64, f64)]) -> Summary {
        Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        }
    }

    #[test]
    fn prob_alive_at_draws_is_each_draws_own() {
        // The table of logs (BG/NBD, MBG/NBD) and each draw's prob_alive_all (Pareto/NBD, or a table
        // too large) give every draw's P(alive) of every customer, as prob_alive does, to the bit;
        // `fill` takes any part of the customers.
        let summary = summary_of(&CUSTOMERS);
        let part = summary_of(&CUSTOMERS[3..6]);
        for model in cdnow_models() {
            let scaled = |f: f64| match model {
                Model::Bgnbd(p) => Model::Bgnbd(BgNbd {
                    r: p.r * f,
                    alpha: p.alpha / f,
                    a: p.a * f,
                    ..p
                }),
                Model::Mbgnbd(m) => Model::Mbgnbd(ModifiedBgNbd(BgNbd {
                    alpha: m.0.alpha * f,
                    b: m.0.b / f,
                    ..m.0
                })),
                Model::Paretonbd(p) => Model::Paretonbd(ParetoNbd {
                    r: p.r * f,
                    s: p.s / f,
                    beta: p.beta * f,
                    ..p
                }),
                other => other,
            };
            let draws: Vec<Model> = [0.8, 1.0, 1.3].map(scaled).to_vec();
            for most in [usize::MAX, 0] {
                let table = AliveAtDraws::new(&draws, &summary, most);
                let mut out = Vec::new();
                for (customers, from) in [(&summary, 0), (&part, 3)] {
                    table.fill(customers, &mut out).unwrap();
                    for (i, row) in out.chunks_exact(draws.len()).enumerate() {
                        let (x, t_x, t) = CUSTOMERS[from + i];
                        for (d, draw) in draws.iter().enumerate() {
                            let want = draw
                                .purchase_model()
                                .unwrap()
                                .prob_alive(x, t_x, t)
                                .unwrap();
                            assert_eq!(row[d], want, "{draw:?}, customer {}", from + i);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn predictions_for_all_equal_the_formula_customer_by_customer() {
        // predict computes the parts customers share once (E[Y | alive, x, T] per (x, T); for
        // Pareto/NBD the ₂F₁ terms per (x, t_x) and (x, T)): the result must be each customer's own.
        let customers = CUSTOMERS;
        let summary = summary_of(&customers);
        for model in cdnow_models() {
            let all = model.predict(&summary, 39.0).unwrap();
            let one = model.purchase_model().unwrap();
            for (i, &(x, t_x, t)) in customers.iter().enumerate() {
                let (e, alive) = one.predict_one(x, t_x, t, 39.0).unwrap();
                assert_eq!(all.expected_purchases[i], e, "{model:?} {i}");
                assert_eq!(all.prob_alive[i], alive, "{model:?} {i}");
            }
        }
    }
}
