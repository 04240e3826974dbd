//! Per-customer predictions of the purchase models: the [`PurchaseModel`] trait and [`Predictions`]
//! for every customer of a summary (or BG/BB pattern), parts that customers share computed once.

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
    use crate::models::test_support::cdnow_models;

    #[test]
    fn predictions_for_all_equal_the_formula_customer_by_customer() {
        // predict computes the parts customers share once (E[Y | alive, x, T] per (x, T); for
        // Pareto/NBD the ₂F₁ terms per (x, t_x) and (x, T)): the result must be each customer's own.
        let customers = [
            (0.0, 0.0, 38.86),
            (0.0, 0.0, 38.86),
            (0.0, 0.0, 30.0),
            (2.0, 30.43, 38.86),
            (2.0, 10.0, 38.86),
            (2.0, 10.0, 30.0),
            (7.0, 36.0, 37.0),
            (7.0, 37.0, 37.0),
        ];
        let summary = Summary {
            frequency: customers.iter().map(|c| c.0).collect(),
            recency: customers.iter().map(|c| c.1).collect(),
            t: customers.iter().map(|c| c.2).collect(),
            weights: None,
        };
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
