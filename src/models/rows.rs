//! The distinct-row machinery of the fits and predictions: identical customers merged ([`FitData`]),
//! distinct times and points numbered ([`Distinct`]), values memoised per pair of numbers ([`Memo`]),
//! and weighted sums over rows ([`sum_rows`]). Numbers are compared bit for bit.

use super::Summary;
use crate::hash::FastMap;

impl Summary {
    /// The rows of a purchase-model fit ([`FitData`]): identical (x, t_x, T) rows merged, their
    /// weights summed, rows of weight 0 dropped, sorted by x, times numbered.
    pub(crate) fn fit_data(&self) -> FitData {
        self.rows(false).0
    }

    /// The rows of every customer ([`FitData`] with rows of weight 0 kept), and each customer's row.
    pub(crate) fn distinct_rows(&self) -> (FitData, Vec<usize>) {
        self.rows(true)
    }

    /// [`FitData`], with or without the rows of weight 0, and each kept customer's row (`usize::MAX`
    /// for a customer left out).
    fn rows(&self, keep_empty: bool) -> (FitData, Vec<usize>) {
        let mut index: FastMap<(u64, u64, u64), usize> = FastMap::default();
        let mut rows: Vec<Row> = Vec::new();
        let mut of_customer = vec![usize::MAX; self.frequency.len()];
        for i in 0..self.frequency.len() {
            let weight = self.weights.as_ref().map_or(1.0, |w| w[i]);
            if weight == 0.0 && !keep_empty {
                continue;
            }
            let row = Row {
                x: self.frequency[i],
                t_x: self.recency[i],
                t: self.t[i],
                weight,
                t_x_at: 0,
                t_at: 0,
                x_t_x_at: 0,
                x_t_at: 0,
            };
            let key = (hash_word(row.x), hash_word(row.t_x), hash_word(row.t));
            match index.get(&key) {
                Some(&j) => {
                    rows[j].weight += weight;
                    of_customer[i] = j;
                }
                None => {
                    index.insert(key, rows.len());
                    of_customer[i] = rows.len();
                    rows.push(row);
                }
            }
        }
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&u, &v| rows[u].x.total_cmp(&rows[v].x));
        let mut sorted_at = vec![0; rows.len()];
        for (at, &j) in order.iter().enumerate() {
            sorted_at[j] = at;
        }
        let mut rows: Vec<Row> = order.iter().map(|&j| rows[j]).collect();
        for j in of_customer.iter_mut().filter(|j| **j != usize::MAX) {
            *j = sorted_at[*j];
        }
        let mut times = Distinct::default();
        let mut point_index: PairMap<usize> = PairMap::default();
        let mut points = Vec::new();
        let mut point = |x: f64, tau_at: usize| {
            *point_index
                .entry(pair_key(x, tau_at as f64))
                .or_insert_with(|| {
                    points.push((x, tau_at));
                    points.len() - 1
                })
        };
        for row in &mut rows {
            row.t_x_at = times.number(row.t_x);
            row.t_at = times.number(row.t);
            row.x_t_x_at = point(row.x, row.t_x_at);
            row.x_t_at = point(row.x, row.t_at);
        }
        let data = FitData {
            rows,
            times: times.values,
            points,
        };
        (data, of_customer)
    }
}

/// The bits of `value` as a key for [`FastHasher`], whose multiplications carry bits only upwards:
/// the halves are swapped so that the informative high bits (sign, exponent, leading mantissa; whole
/// numbers have nothing else) come first and reach every bit of the hash.
fn hash_word(value: f64) -> u64 {
    value.to_bits().rotate_left(32)
}

/// Distinct numbers (compared bit for bit), numbered 0, 1, 2, … in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Distinct {
    index: FastMap<u64, usize>,
    /// The distinct numbers, each at its number.
    pub values: Vec<f64>,
}

impl Distinct {
    /// The number of `value`, a new one if it is new.
    pub fn number(&mut self, value: f64) -> usize {
        *self.index.entry(hash_word(value)).or_insert_with(|| {
            self.values.push(value);
            self.values.len() - 1
        })
    }
}

/// The key of (u, v) in a [`PairMap`].
fn pair_key(u: f64, v: f64) -> u128 {
    (u128::from(hash_word(u)) << 64) | u128::from(hash_word(v))
}

/// A table keyed by pairs of numbers (compared bit for bit), with a fast hash.
type PairMap<V> = FastMap<u128, V>;

/// Values computed once per distinct pair of numbers (compared bit for bit): the parts of the
/// predictions that customers share, such as everything that depends on (x, T) only.
#[derive(Debug)]
pub(crate) struct Memo<V> {
    values: PairMap<V>,
}

impl<V: Copy> Memo<V> {
    pub fn new() -> Memo<V> {
        Memo {
            values: PairMap::default(),
        }
    }

    /// The value at (u, v): looked up, or computed by `compute` and kept.
    pub fn get<E>(
        &mut self,
        u: f64,
        v: f64,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let key = pair_key(u, v);
        if let Some(&value) = self.values.get(&key) {
            return Ok(value);
        }
        let value = compute()?;
        self.values.insert(key, value);
        Ok(value)
    }
}

/// The customers of a purchase-model fit, prepared so that a likelihood evaluation computes each
/// shared term once: identical (x, t_x, T) rows are merged with their weights summed (the full CDNOW
/// log: 23,570 customers, 8,685 distinct rows, the 14,119 without repeat purchases sharing 84), the
/// rows are sorted by x (terms of x alone once per distinct x), each row's t_x and T point into the
/// distinct times (terms of one time alone, such as ln(α + τ), once per distinct time: 273 on CDNOW)
/// and its (x, t_x) and (x, T) into the distinct points (x, τ) (terms such as Pareto/NBD's ₂F₁ once
/// per point: 2,149 on CDNOW).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FitData {
    pub rows: Vec<Row>,
    /// The distinct values of t_x and T.
    pub times: Vec<f64>,
    /// The distinct pairs (x, t_x) and (x, T), as x and where the time is in `times`.
    pub points: Vec<(f64, usize)>,
}

impl FitData {
    /// The customers' mean time since their first purchase, T (weighted): the data's time scale,
    /// for starting points of the rate scales (α, β), which are in time units.
    pub fn mean_age(&self) -> f64 {
        let (sum, weight) = self.rows.iter().fold((0.0, 0.0), |(sum, weight), r| {
            (sum + r.weight * r.t, weight + r.weight)
        });
        sum / weight
    }

    /// `term(τ)` at every distinct time, for lookup by [`Row::t_x_at`] and [`Row::t_at`].
    pub fn per_time<V>(&self, term: impl FnMut(f64) -> V) -> Vec<V> {
        self.times.iter().copied().map(term).collect()
    }

    /// `term(x, i)` at every distinct point (x, τ), τ being `times[i]`, for lookup by
    /// [`Row::x_t_x_at`] and [`Row::x_t_at`]; the first error if any.
    pub fn per_point<V, E>(
        &self,
        mut term: impl FnMut(f64, usize) -> Result<V, E>,
    ) -> Result<Vec<V>, E> {
        self.points.iter().map(|&(x, at)| term(x, at)).collect()
    }
}

/// One (merged) customer row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Row {
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
    pub weight: f64,
    /// Where t_x is in [`FitData::times`].
    pub t_x_at: usize,
    /// Where T is in [`FitData::times`].
    pub t_at: usize,
    /// Where (x, t_x) is in [`FitData::points`].
    pub x_t_x_at: usize,
    /// Where (x, T) is in [`FitData::points`].
    pub x_t_at: usize,
}

/// Sums `weight · ℓ(row)` and the weighted gradients over rows; `row_ll` returns a row's log-likelihood
/// and writes its gradient into the scratch slice.
pub(crate) fn sum_rows<R>(
    rows: &[R],
    weight: impl Fn(&R) -> f64,
    grad: &mut [f64],
    mut row_ll: impl FnMut(&R, &mut [f64]) -> f64,
) -> f64 {
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut scratch = vec![0.0; grad.len()];
    let mut total = 0.0;
    for row in rows {
        let w = weight(row);
        total += w * row_ll(row, &mut scratch);
        for (g, s) in grad.iter_mut().zip(&scratch) {
            *g += w * s;
        }
    }
    total
}
