//! Runs in chunks and their summary: distributions of the total, the fan chart per period, the
//! segments' means.

use serde::Serialize;

use super::config::Plan;
use super::simulate::{simulate_run, RunBuffers};
use crate::error::InputError;

/// Bins of the equity histogram.
pub const HISTOGRAM_BINS: usize = 40;

/// The raw output of runs `first_run .. first_run + totals.len()`, all run-major.
#[derive(Debug, Clone, PartialEq)]
pub struct RunChunk {
    pub first_run: u32,
    /// Each run's total discounted equity.
    pub totals: Vec<f64>,
    /// Each run's cumulative discounted equity at the end of each period (`horizon` values a run).
    pub by_period: Vec<f64>,
    /// Each run's discounted equity per segment (`segments` values a run).
    pub by_segment: Vec<f64>,
}

/// Checks that runs `first_run .. first_run + run_count` are among a simulation's `runs` (errors name
/// `firstRun` and `runCount`, the chunk functions' arguments).
pub(crate) fn check_run_range(runs: u32, first_run: u32, run_count: u32) -> Result<(), InputError> {
    if first_run >= runs {
        return Err(InputError::invalid(
            "firstRun",
            format!("must be below the configuration's {runs} runs (got {first_run})"),
        ));
    }
    let end = u64::from(first_run) + u64::from(run_count);
    if end > u64::from(runs) {
        return Err(InputError::invalid(
            "runCount",
            format!("runs {first_run} to {end} go past the configuration's {runs} runs"),
        ));
    }
    Ok(())
}

/// Chunks of runs (each with its position in `chunks`) in run order, when together they cover runs
/// `0 .. runs` once; `span` gives a chunk's first run and run count. Errors name `chunks[i].firstRun`.
pub(crate) fn in_run_order<T>(
    chunks: &[T],
    runs: u32,
    span: impl Fn(&T) -> (u32, usize),
) -> Result<Vec<(usize, &T)>, InputError> {
    let mut order: Vec<(usize, &T)> = chunks.iter().enumerate().collect();
    order.sort_by_key(|(_, c)| span(c).0);
    let mut next = 0u64;
    for &(position, chunk) in &order {
        let (first_run, count) = span(chunk);
        if u64::from(first_run) != next {
            return Err(InputError::invalid(
                format!("chunks[{position}].firstRun"),
                format!("expected run {next} next (got {first_run})"),
            ));
        }
        next += count as u64;
    }
    if next != u64::from(runs) {
        return Err(InputError::invalid(
            "chunks",
            format!("hold {next} runs, the configuration asks for {runs}"),
        ));
    }
    Ok(order)
}

/// Runs `first_run .. first_run + run_count` of `plan`; refuses a range outside `0..runs`.
pub fn simulate_chunk(plan: &Plan, first_run: u32, run_count: u32) -> Result<RunChunk, InputError> {
    check_run_range(plan.runs, first_run, run_count)?;
    let count = run_count as usize;
    let mut chunk = RunChunk {
        first_run,
        totals: Vec::with_capacity(count),
        by_period: vec![0.0; count * plan.horizon],
        by_segment: vec![0.0; count * plan.segments.len()],
    };
    let periods = chunk.by_period.chunks_exact_mut(plan.horizon.max(1));
    let segments = chunk
        .by_segment
        .chunks_exact_mut(plan.segments.len().max(1));
    for ((run, by_period), by_segment) in (first_run..).zip(periods).zip(segments) {
        let total = simulate_run(
            plan,
            run,
            RunBuffers {
                by_period: &mut *by_period,
                by_segment,
            },
        )?;
        let mut cumulative = 0.0;
        for value in by_period.iter_mut() {
            cumulative += *value;
            *value = cumulative;
        }
        chunk.totals.push(total);
    }
    Ok(chunk)
}

/// Percentiles of a distribution (linear interpolation between order statistics, as numpy's default).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Percentiles {
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// `counts[i]` values fell in `[edges[i], edges[i + 1])` (the last bin includes its upper edge).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u32>,
}

/// A distribution over runs: mean, sample standard deviation (0 for a single run), percentiles and
/// histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "RunDistribution"))]
pub struct Distribution {
    pub mean: f64,
    /// Sample standard deviation (0 for a single run).
    pub std_dev: f64,
    pub percentiles: Percentiles,
    pub histogram: Histogram,
}

/// The fan chart: percentiles and mean of cumulative discounted equity at the end of each period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ByPeriod {
    /// One value a period, `horizon` in all (as for `p50`, `p95` and `mean`).
    pub p5: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
    pub mean: Vec<f64>,
}

/// A segment's mean discounted equity (acquired customers and their cost included).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SegmentMean {
    pub name: String,
    pub mean: f64,
}

/// `simulateEquity`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "EquitySimulation"))]
pub struct EquitySummary {
    /// Runs simulated.
    pub runs: u32,
    #[serde(flatten)]
    pub equity: Distribution,
    pub by_period: ByPeriod,
    /// Share of runs whose equity exceeds the target; `null` without a target.
    pub prob_above_target: Option<f64>,
    pub by_segment: Vec<SegmentMean>,
}

/// Summarizes chunks that together hold runs `0..runs` of `plan`, once each, in any order; the result
/// is the same however the runs were chunked.
pub fn summarize(plan: &Plan, chunks: &[RunChunk]) -> Result<EquitySummary, InputError> {
    let order = in_run_order(chunks, plan.runs, |c| (c.first_run, c.totals.len()))?;
    for &(position, chunk) in &order {
        let runs = chunk.totals.len();
        let field = format!("chunks[{position}]");
        if chunk.by_period.len() != runs * plan.horizon
            || chunk.by_segment.len() != runs * plan.segments.len()
        {
            return Err(InputError::invalid(
                field,
                "byPeriod and bySegment must hold horizon and segment-count values for each run in totals",
            ));
        }
        for (name, values) in [
            ("totals", &chunk.totals),
            ("byPeriod", &chunk.by_period),
            ("bySegment", &chunk.by_segment),
        ] {
            if let Some(i) = values.iter().position(|x| !x.is_finite()) {
                return Err(InputError::NotFinite {
                    field: format!("{field}.{name}[{i}]"),
                    value: values[i],
                });
            }
        }
    }
    let order: Vec<&RunChunk> = order.into_iter().map(|(_, c)| c).collect();
    let totals: Vec<f64> = order
        .iter()
        .flat_map(|c| c.totals.iter().copied())
        .collect();
    let column = |values: fn(&RunChunk) -> &[f64], width: usize, i: usize| -> Vec<f64> {
        order
            .iter()
            .flat_map(|c| values(c).iter().skip(i).step_by(width).copied())
            .collect()
    };
    let periods: Vec<Vec<f64>> = (0..plan.horizon)
        .map(|t| column(|c| &c.by_period, plan.horizon, t))
        .collect();
    let by_segment = plan
        .names
        .iter()
        .enumerate()
        .map(|(j, name)| SegmentMean {
            name: name.clone(),
            mean: mean(&column(|c| &c.by_segment, plan.segments.len(), j)),
        })
        .collect();
    let prob_above_target = plan
        .target
        .map(|target| totals.iter().filter(|&&x| x > target).count() as f64 / totals.len() as f64);
    Ok(EquitySummary {
        runs: plan.runs,
        equity: distribution(&totals),
        by_period: by_period(periods),
        prob_above_target,
        by_segment,
    })
}

/// The fan chart of `periods[t]`, each period's values over the runs.
pub(crate) fn by_period(periods: Vec<Vec<f64>>) -> ByPeriod {
    let mut fan = ByPeriod {
        p5: Vec::new(),
        p50: Vec::new(),
        p95: Vec::new(),
        mean: Vec::new(),
    };
    for mut values in periods {
        fan.mean.push(mean(&values));
        values.sort_unstable_by(f64::total_cmp);
        fan.p5.push(quantile(&values, 0.05));
        fan.p50.push(quantile(&values, 0.5));
        fan.p95.push(quantile(&values, 0.95));
    }
    fan
}

/// Mean, standard deviation, percentiles and histogram of `values` (at least one).
pub fn distribution(values: &[f64]) -> Distribution {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let q = |p| quantile(&sorted, p);
    Distribution {
        mean: mean(values),
        std_dev: std_dev(values),
        percentiles: Percentiles {
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
        },
        histogram: histogram(&sorted),
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Sample standard deviation (divisor n − 1), two-pass; 0 for fewer than two values.
fn std_dev(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let m = mean(values);
    let squares: f64 = values.iter().map(|x| (x - m) * (x - m)).sum();
    (squares / (values.len() - 1) as f64).sqrt()
}

/// The `p` quantile of sorted values: linear interpolation at position `p·(n − 1)`.
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let position = p * sorted.len().saturating_sub(1) as f64;
    // Exact: position is in 0..n − 1.
    let below = position.floor() as usize;
    let low = sorted.get(below).copied().unwrap_or(0.0);
    let high = sorted.get(below + 1).copied().unwrap_or(low);
    low + (high - low) * (position - below as f64)
}

/// [`quantile`] of `values` in any order, by selection (reorders them).
pub(crate) fn quantile_unsorted(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let position = p * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let (_, &mut low, above) = values.select_nth_unstable_by(below, f64::total_cmp);
    let high = above.iter().copied().min_by(f64::total_cmp).unwrap_or(low);
    low + (high - low) * (position - below as f64)
}

/// Equal-width bins from the smallest to the largest value; a single bin `[x, x]` when all are equal.
fn histogram(sorted: &[f64]) -> Histogram {
    let (Some(&low), Some(&high)) = (sorted.first(), sorted.last()) else {
        return Histogram {
            edges: Vec::new(),
            counts: Vec::new(),
        };
    };
    let bins = if high > low { HISTOGRAM_BINS } else { 1 };
    let width = (high - low) / bins as f64;
    let edges = (0..=bins)
        .map(|i| {
            if i == bins {
                high
            } else {
                low + width * i as f64
            }
        })
        .collect();
    let mut counts = vec![0u32; bins];
    for &x in sorted {
        // Exact: the bin index is in 0..bins once clamped to the last bin.
        let bin = if width > 0.0 {
            (((x - low) / width) as usize).min(bins - 1)
        } else {
            0
        };
        if let Some(count) = counts.get_mut(bin) {
            *count += 1;
        }
    }
    Histogram { edges, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_selection_equal_those_of_the_sorted_values() {
        let values: Vec<f64> = (0..101).map(|i| f64::from((i * 37) % 101) * 0.5).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for p in [0.0, 0.05, 0.333, 0.5, 0.95, 1.0] {
            let mut shuffled = values.clone();
            assert_eq!(
                quantile_unsorted(&mut shuffled, p),
                quantile(&sorted, p),
                "{p}"
            );
        }
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], [5, 50, 95]) = [1.15, 2.5, 3.85] (linear method).
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile(&v, 0.05) - 1.15).abs() < 1e-12);
        assert!((quantile(&v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile(&v, 0.95) - 3.85).abs() < 1e-12);
    }

    #[test]
    fn histogram_counts_every_value() {
        let values: Vec<f64> = (0..101).map(f64::from).collect();
        let h = histogram(&values);
        assert_eq!(h.edges.len(), HISTOGRAM_BINS + 1);
        assert_eq!(h.counts.iter().sum::<u32>(), 101);
        assert_eq!(h.edges[0], 0.0);
        assert_eq!(h.edges[HISTOGRAM_BINS], 100.0);
        let single = histogram(&[5.0, 5.0]);
        assert_eq!(single.edges, vec![5.0, 5.0]);
        assert_eq!(single.counts, vec![2]);
    }

    #[test]
    fn standard_deviation_uses_n_minus_one() {
        // Var of {2, 4, 4, 4, 5, 5, 7, 9} with divisor 7 is 32/7.
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert!((std_dev(&v) - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
    }
}
