//! The distribution of a customer's purchases in the next h time units given the history (x, t_x, T):
//! P(Y(h) = y | x, t_x, T) = P(alive) · P(Y(h) = y | alive, x, T) + (1 − P(alive)) · [y = 0].
//!
//! Given alive at T, the posterior of a customer's traits is that of a new customer with updated
//! parameters, and the future from T is a new customer's process, so the alive part is the model's own
//! new-customer distribution P(X(h) = y) at those parameters:
//! - BG/NBD (Fader, Hardie & Lee 2005, Marketing Science): λ ~ Gamma(r + x, α + T), p ~ Beta(a, b + x);
//!   the customer may drop out after each future purchase, as a new customer after each repeat one;
//! - MBG/NBD (Batislam, Denizel & Filiztekin 2007, International Journal of Research in Marketing):
//!   p ~ Beta(a, b + x + 1), having survived the first purchase too; the future is BG/NBD's process;
//! - Pareto/NBD (Schmittlein, Morrison & Colombo 1987, Management Science): λ ~ Gamma(r + x, α + T),
//!   μ ~ Gamma(s, β + T), the lifetime memoryless.
//!
//! BG/NBD's new-customer distribution is FHL (2005) eq. 8, summed term by term with the ratios of its
//! Beta functions and negative binomial terms (no special function per term). Pareto/NBD's is the
//! negative binomial count over min(τ, h) for the lifetime τ (Lomax: P(τ > w) = (β/(β + w))^s),
//! integrated over τ by Gauss–Legendre. The terms go on until the probability left is below
//! [`TAIL`]; its mean and second moment come from the same terms.

use super::{bgnbd::BgNbd, paretonbd::ParetoNbd, Model, ModelError};
use std::ops::Range;

use crate::error::InputError;
use crate::special::{GL_NODES, GL_WEIGHTS};

/// The probability left beyond the last term computed.
pub const TAIL: f64 = 1e-12;
/// The most terms of one distribution: beyond, the customer's purchases are too many to list.
pub const MAX_TERMS: usize = 200_000;
/// The most values of one table (terms × draws): 128 MB.
pub const MAX_TABLE: usize = 1 << 24;
/// The draws whose terms are listed together (their recurrences' state, some 5 KB, in the cache).
const BLOCK: usize = 64;
/// Panels of the Pareto/NBD lifetime integral, each with 8 Gauss–Legendre points.
const PANELS: usize = 4;
/// The Pareto/NBD lifetime integral's points, and h itself.
const PARETO_NODES: usize = PANELS * 2 * GL_NODES.len() + 1;

/// The distributions of an alive customer's purchases at several parameter draws of one model,
/// listed y by y for all draws at once: each draw's terms come from its own recurrence, and the
/// draws' recurrences run side by side (one loop over the draws per term, which vectorises) rather
/// than one after another.
#[derive(Debug, Clone, Default)]
pub struct PmfTable {
    draws: usize,
    /// P(Y = y) at draw d, at y·draws + d, up to the last term any draw needs.
    terms: Vec<f64>,
    /// Each draw's E[Y] and E[Y²], and the total of its terms listed.
    means: Vec<f64>,
    second_moments: Vec<f64>,
    totals: Vec<f64>,
}

impl PmfTable {
    /// The terms y = 0, 1, … each as P(Y = y) at every draw.
    pub fn rows(&self) -> std::slice::ChunksExact<'_, f64> {
        self.terms.chunks_exact(self.draws.max(1))
    }

    /// P(Y = y) at `draw` (0 beyond the last term listed).
    pub fn get(&self, y: usize, draw: usize) -> f64 {
        self.terms
            .get(y * self.draws + draw)
            .copied()
            .unwrap_or(0.0)
    }

    /// Each draw's E[Y].
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// Each draw's E[Y²].
    pub fn second_moments(&self) -> &[f64] {
        &self.second_moments
    }

    /// The values listed, terms × draws.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term is listed.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Lists the terms `next(y, draws, terms)` writes (P(Y = y) at `draws`, a range of at most
    /// [`BLOCK`] of them) for y = 0, 1, …, a block of draws at a time (its state stays in the
    /// cache), until each draw has less than [`TAIL`] of `mass(d)` (its distribution's total) left;
    /// a block that stops before another is 0 beyond its last term.
    fn tabulate(
        &mut self,
        draws: usize,
        mass: impl Fn(usize) -> f64,
        mut next: impl FnMut(f64, Range<usize>, &mut [f64]),
    ) -> Result<(), ModelError> {
        self.draws = draws;
        self.terms.clear();
        for column in [&mut self.means, &mut self.second_moments, &mut self.totals] {
            column.clear();
            column.resize(draws, 0.0);
        }
        for start in (0..draws).step_by(BLOCK) {
            let block = start..draws.min(start + BLOCK);
            self.tabulate_block(block, &mass, &mut next)?;
        }
        if self.totals.iter().all(|t| t.is_finite()) {
            return Ok(());
        }
        Err(ModelError::Unsupported(
            "the purchase distribution cannot be evaluated at these parameters".to_owned(),
        ))
    }

    fn tabulate_block(
        &mut self,
        block: Range<usize>,
        mass: &impl Fn(usize) -> f64,
        next: &mut impl FnMut(f64, Range<usize>, &mut [f64]),
    ) -> Result<(), ModelError> {
        let draws = self.draws;
        for n in 0..MAX_TERMS {
            let start = n * draws;
            if start + draws > self.terms.len() {
                if start + draws > MAX_TABLE {
                    return Err(InputError::invalid(
                        "draws",
                        format!("are too many for these customers: their purchases over the horizon would take more than {MAX_TABLE} terms over all draws"),
                    )
                    .into());
                }
                self.terms.resize(start + draws, 0.0);
            }
            let y = n as f64;
            let terms = &mut self.terms[start + block.start..start + block.end];
            next(y, block.clone(), terms);
            let means = self.means[block.clone()].iter_mut();
            let seconds = self.second_moments[block.clone()].iter_mut();
            let totals = self.totals[block.clone()].iter_mut();
            for (((p, total), mean), second) in terms.iter().zip(totals).zip(means).zip(seconds) {
                *mean += y * p;
                *second += y * y * p;
                *total += p;
            }
            // A term that is not finite makes its total so, which stops the terms.
            if !block
                .clone()
                .any(|d| mass(d) - self.totals[d] >= TAIL * mass(d))
            {
                return Ok(());
            }
        }
        Err(InputError::invalid(
            "horizon",
            format!("is too long for these customers: a customer's purchases over it run past {MAX_TERMS}"),
        )
        .into())
    }
}

/// P(Y(h) = y | alive now, x, T) at each of `models` (draws of one model) for y = 0, 1, … into
/// `table`, until less than [`TAIL`] is left at every draw, with each draw's moments.
pub fn future_pmfs_if_alive(
    models: &[Model],
    x: f64,
    t: f64,
    horizon: f64,
    table: &mut PmfTable,
) -> Result<(), ModelError> {
    let unsupported = || {
        ModelError::Unsupported(
            "model: conditional purchase distributions are for bgnbd, mbgnbd and paretonbd"
                .to_owned(),
        )
    };
    if let Some(Model::Paretonbd(_)) = models.first() {
        let draws = models
            .iter()
            .map(|m| match m {
                Model::Paretonbd(p) => Ok(*p),
                _ => Err(unsupported()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        return pareto_new_customers(&draws, (x, t), horizon, table);
    }
    let draws = models
        .iter()
        .map(|m| match m {
            Model::Bgnbd(p) => Ok(posterior(p, 0.0, x, t)),
            Model::Mbgnbd(m) => Ok(posterior(&m.0, 1.0, x, t)),
            _ => Err(unsupported()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    bg_new_customers(&draws, horizon, table)
}

/// The BG/NBD parameters of a customer alive at T after x repeat purchases (offset k: 1 for MBG/NBD).
fn posterior(p: &BgNbd, k: f64, x: f64, t: f64) -> BgNbd {
    BgNbd {
        r: p.r + x,
        alpha: p.alpha + t,
        a: p.a,
        b: p.b + x + k,
    }
}

/// FHL (2005) eq. 8 for a new customer at each of `draws`, y = 0, 1, …: P(0) = NB(0), and for
/// y ≥ 1 `A(y) NB(y) + A(y−1) a/(a+b+y−1) P(N ≥ y)` with A(y) = B(a, b+y)/B(a, b), each factor
/// from the previous term's: NB(y) = NB(y−1) (r+y−1) q/y for q = h/(α+h), and
/// A(y) = A(y−1) (b+y−1)/(a+b+y−1). Each draw's columns (its parameters and its recurrence's state)
/// sit side by side so that one term of all draws is one loop.
fn bg_new_customers(draws: &[BgNbd], h: f64, table: &mut PmfTable) -> Result<(), ModelError> {
    let column = |f: &dyn Fn(&BgNbd) -> f64| -> Vec<f64> { draws.iter().map(f).collect() };
    let r1 = column(&|p| p.r - 1.0);
    let b1 = column(&|p| p.b - 1.0);
    let ab1 = column(&|p| p.a + p.b - 1.0);
    let a = column(&|p| p.a);
    let q = column(&|p| h / (p.alpha + h));
    // NB(y), P(N > y) and A(y).
    let mut nb = column(&|p| (p.r * (p.alpha / (p.alpha + h)).ln()).exp());
    let mut tail: Vec<f64> = nb.iter().map(|nb| 1.0 - nb).collect();
    let mut alive = vec![1.0; draws.len()];
    table.tabulate(
        draws.len(),
        |_| 1.0,
        |y, block, row| {
            if y == 0.0 {
                row.copy_from_slice(&nb[block]);
                return;
            }
            let inv_y = 1.0 / y;
            let n = row.len();
            let s = block.start;
            let (r1, b1, ab1) = (&r1[s..s + n], &b1[s..s + n], &ab1[s..s + n]);
            let (a, q) = (&a[s..s + n], &q[s..s + n]);
            let (nb, tail, alive) = (&mut nb[s..s + n], &mut tail[s..s + n], &mut alive[s..s + n]);
            for d in 0..n {
                let w = 1.0 / (ab1[d] + y);
                nb[d] *= (r1[d] + y) * q[d] * inv_y;
                // P(N ≥ y) below 0 by rounding is 0 (a comparison, not `max`, which wasm calls).
                let left = if tail[d] > 0.0 { tail[d] } else { 0.0 };
                let dropped = alive[d] * a[d] * left * w;
                alive[d] *= (b1[d] + y) * w;
                tail[d] -= nb[d];
                row[d] = alive[d] * nb[d] + dropped;
            }
        },
    )
}

/// A point of the Pareto/NBD lifetime integral: its weight, q = τ/(α+τ), and NB(y; τ).
#[derive(Clone, Copy)]
struct Node {
    weight: f64,
    q: f64,
    nb: f64,
}

/// Pareto/NBD for a new customer (after x repeat purchases by T, at each of `draws`), y = 0, 1, …:
/// the negative binomial count over h when still alive at h, `(β/(β+h))^s NB(y; h)`, plus its count
/// over τ for a lifetime τ < h, against the lifetime's density `s βˢ (β+τ)^(−s−1)`.
fn pareto_new_customers(
    draws: &[ParetoNbd],
    (x, t): (f64, f64),
    h: f64,
    table: &mut PmfTable,
) -> Result<(), ModelError> {
    let mut nodes = Vec::with_capacity(draws.len() * PARETO_NODES);
    let mut masses = Vec::with_capacity(draws.len());
    for p in draws {
        masses.push(pareto_nodes(
            p.r + x,
            p.alpha + t,
            p.s,
            p.beta + t,
            h,
            &mut nodes,
        ));
    }
    table.tabulate(
        draws.len(),
        |d| masses[d],
        |y, block, row| {
            let nodes = &mut nodes[block.start * PARETO_NODES..block.end * PARETO_NODES];
            for ((p, nodes), draw) in row
                .iter_mut()
                .zip(nodes.chunks_exact_mut(PARETO_NODES))
                .zip(&draws[block])
            {
                *p = nodes.iter().map(|n| n.weight * n.nb).sum();
                let ratio = (draw.r + x + y) / (y + 1.0);
                for n in nodes {
                    n.nb *= ratio * n.q;
                }
            }
        },
    )
}

/// Appends the lifetime integral's points for shape r, scale α, lifetime (s, β) and horizon h; returns
/// the sum of their weights. The lifetime's distribution function v = 1 − (β/(β+τ))^s is the
/// variable of integration: its density is 1 on [0, v(h)], and τ(v) = β((1 − v)^(−1/s) − 1) is
/// smooth. Each node's counts sum to 1: the quadrature's total is the sum of its weights (1 to
/// within its error, which must not keep the terms going).
fn pareto_nodes(r: f64, alpha: f64, s: f64, beta: f64, h: f64, out: &mut Vec<Node>) -> f64 {
    let survival = (s * (beta / (beta + h)).ln()).exp();
    let width = (1.0 - survival) / PANELS as f64;
    let node = |weight: f64, tau: f64| Node {
        weight,
        q: tau / (alpha + tau),
        nb: (r * (alpha / (alpha + tau)).ln()).exp(),
    };
    for panel in 0..PANELS {
        let mid = (panel as f64 + 0.5) * width;
        for (x, weight) in GL_NODES.iter().zip(GL_WEIGHTS) {
            for v in [mid - 0.5 * width * x, mid + 0.5 * width * x] {
                let tau = beta * ((-(-v).ln_1p() / s).exp() - 1.0);
                out.push(node(0.5 * width * weight, tau));
            }
        }
    }
    out.push(node(survival, h));
    out[out.len() - PARETO_NODES..]
        .iter()
        .map(|n| n.weight)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::{cdnow_models, CDNOW_BGNBD};

    #[test]
    fn the_new_customer_terms_are_the_closed_forms() {
        // At x = 0, T → 0 the alive part is the new customer's P(X(h) = y): FHL eq. 8 and the Pareto/NBD
        // integral as `prob_purchases` computes them (64 panels of the lifetime there, 4 of its distribution function here). An MBG/NBD customer
        // alive after the first purchase has survived its drop-out chance: BG/NBD's process with b + 1.
        for model in cdnow_models() {
            let survived = match model {
                Model::Mbgnbd(m) => Model::Bgnbd(BgNbd {
                    b: m.0.b + 1.0,
                    ..m.0
                }),
                other => other,
            };
            let m = survived.purchase_model().unwrap();
            let mut table = PmfTable::default();
            for h in [0.5, 10.0, 39.0, 200.0] {
                future_pmfs_if_alive(&[model], 0.0, 0.0, h, &mut table).unwrap();
                for (y, got) in table.rows().map(|row| row[0]).enumerate().take(60) {
                    let want = m.prob_purchases(h, y as u32).unwrap();
                    assert!(
                        (got - want).abs() <= 1e-10 * want + 1e-14,
                        "{model:?}, h {h}, y {y}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn they_sum_to_one_and_their_means_are_the_conditional_expectations() {
        // Σ P(y | alive) = 1, and P(alive) · Σ y P(y | alive) = E[Y(h) | x, t_x, T] as `predict` gives it.
        for model in cdnow_models() {
            let m = model.purchase_model().unwrap();
            let mut table = PmfTable::default();
            for (x, t_x, t) in [
                (0.0, 0.0, 38.86),
                (2.0, 30.43, 38.86),
                (26.0, 30.86, 31.0),
                (7.0, 10.0, 37.0),
            ] {
                for h in [1.0, 39.0, 104.0] {
                    future_pmfs_if_alive(&[model], x, t, h, &mut table).unwrap();
                    let (mean, second) = (table.means()[0], table.second_moments()[0]);
                    let total: f64 = table.rows().map(|row| row[0]).sum();
                    assert!(
                        (total - 1.0).abs() < 1e-11,
                        "{model:?} x {x} h {h}: Σ = {total}"
                    );
                    let (want, alive) = m.predict_one(x, t_x, t, h).unwrap();
                    let got = alive * mean;
                    assert!(
                        (got - want).abs() <= 1e-9 * want,
                        "{model:?} x {x} h {h}: {got} vs {want}"
                    );
                    assert!(second >= mean * mean);
                }
            }
        }
    }

    #[test]
    fn a_huge_count_is_refused_not_listed_forever() {
        let model = Model::Bgnbd(CDNOW_BGNBD);
        let e =
            future_pmfs_if_alive(&[model], 1e6, 1.0, 1e6, &mut PmfTable::default()).unwrap_err();
        assert!(e.to_string().starts_with("horizon: is too long"), "{e}");
    }

    #[test]
    fn draws_listed_together_are_each_draw_listed_alone() {
        // Each draw's column is its own recurrence: the same terms as the draw alone, only listed on
        // while another draw still needs terms (so its moments take a few more, below TAIL).
        for model in cdnow_models() {
            let scaled = |f: f64| match model {
                Model::Bgnbd(p) => Model::Bgnbd(BgNbd {
                    r: p.r * f,
                    b: p.b / f,
                    ..p
                }),
                Model::Mbgnbd(m) => Model::Mbgnbd(super::super::mbgnbd::ModifiedBgNbd(BgNbd {
                    alpha: m.0.alpha * f,
                    ..m.0
                })),
                Model::Paretonbd(p) => Model::Paretonbd(ParetoNbd {
                    s: p.s * f,
                    r: p.r / f,
                    ..p
                }),
                other => other,
            };
            let draws = [scaled(0.7), scaled(1.0), scaled(1.6)];
            let (mut together, mut alone) = (PmfTable::default(), PmfTable::default());
            future_pmfs_if_alive(&draws, 4.0, 30.0, 39.0, &mut together).unwrap();
            for (d, draw) in draws.iter().enumerate() {
                future_pmfs_if_alive(&[*draw], 4.0, 30.0, 39.0, &mut alone).unwrap();
                assert!(alone.len() <= together.len() / 3);
                for (y, row) in alone.rows().enumerate() {
                    assert_eq!(
                        together.get(y, d).to_bits(),
                        row[0].to_bits(),
                        "{draw:?}, y {y}"
                    );
                }
                // The terms beyond TAIL add at most about y² TAIL to E[Y²], y some 40 here.
                let (a, b) = (alone.means()[0], together.means()[d]);
                assert!((a - b).abs() <= 1e-10 * a, "{draw:?}: E[Y] {a} vs {b}");
                let (a, b) = (alone.second_moments()[0], together.second_moments()[d]);
                assert!((a - b).abs() <= 1e-8 * a, "{draw:?}: E[Y²] {a} vs {b}");
            }
        }
    }
}
