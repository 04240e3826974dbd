//! One run of the aggregate simulation: per segment, the alive count as a binomial chain and the
//! margins of each lifetime group as one Gamma draw.

use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Binomial, Distribution, Gamma, Poisson};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::config::{MarginPlan, Plan, SegmentPlan, Timing};
use crate::error::InputError;
use crate::retention::Retention;

/// The generator of every draw in the simulation.
pub(crate) type Stream = Xoshiro256PlusPlus;

/// What a stream of a run and segment is used for; each purpose has its own stream, so that changing
/// one part of a scenario (say, adding acquisition) leaves the draws of the others as they were.
#[derive(Clone, Copy)]
enum Purpose {
    /// A draw of the whole run, not of a segment (segment 0): how well a pitched product works.
    Run = 0,
    Parameters = 1,
    Existing = 2,
    Acquired = 3,
}

/// SplitMix64's finalizer (Steele, Lea & Flood 2014): a bijection of `u64` with full avalanche.
fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream of `(seed, run, segment, purpose)`: independent of how runs are chunked.
fn stream(seed: u64, run: u32, segment: usize, purpose: Purpose) -> Stream {
    let key = mix(mix(mix(seed) ^ u64::from(run)) ^ ((segment as u64) << 2 | purpose as u64));
    Stream::seed_from_u64(key)
}

/// Run `run`'s uniform draw in [0, 1) of the run-wide stream of `seed`, shared by every plan simulated
/// with that seed (see [`crate::value_story`]).
pub(crate) fn run_uniform(seed: u64, run: u32) -> f64 {
    stream(seed, run, 0, Purpose::Run).random()
}

/// One run's output: its value per period (`horizon` entries, not cumulative) and per segment.
pub(crate) struct RunBuffers<'a> {
    pub by_period: &'a mut [f64],
    pub by_segment: &'a mut [f64],
}

/// Simulates run `run` of `plan` into `out` (overwritten) and returns the run's total equity.
pub(crate) fn simulate_run(plan: &Plan, run: u32, out: RunBuffers) -> Result<f64, InputError> {
    out.by_period.fill(0.0);
    let mut counts = Vec::with_capacity(plan.horizon + 1);
    for ((j, segment), slot) in plan
        .segments
        .iter()
        .enumerate()
        .zip(out.by_segment.iter_mut())
    {
        *slot = simulate_segment(plan, run, j, segment, out.by_period, &mut counts)
            .map_err(|reason| InputError::invalid(format!("segments[{j}]"), reason))?;
    }
    Ok(out.by_period.iter().sum())
}

/// A segment's customers (existing and acquired) in one run, added into `by_period`; returns their
/// total value.
fn simulate_segment(
    plan: &Plan,
    run: u32,
    j: usize,
    segment: &SegmentPlan,
    by_period: &mut [f64],
    counts: &mut Vec<u64>,
) -> Result<f64, String> {
    let (retention, margin) =
        draw_parameters(&mut stream(plan.seed, run, j, Purpose::Parameters), segment)?;
    let cohort = Cohort {
        plan,
        retention,
        margin,
    };
    let mut rng = stream(plan.seed, run, j, Purpose::Existing);
    let mut total = cohort.simulate(&mut rng, segment.customers, 0, by_period, counts)?;
    let Some(acquisition) = plan.acquisition.filter(|a| a.segment == j) else {
        return Ok(total);
    };
    let mut rng = stream(plan.seed, run, j, Purpose::Acquired);
    let arrivals = poisson(acquisition.per_period)?;
    for (start, discount) in plan.discount.iter().take(plan.horizon).enumerate() {
        let arrived = arrivals.as_ref().map_or(0.0, |p| p.sample(&mut rng));
        let cost = acquisition.cost * arrived * discount;
        if let Some(value) = by_period.get_mut(start) {
            *value -= cost;
        }
        // Exact: a Poisson draw is a whole number well within u64.
        total += cohort.simulate(&mut rng, arrived as u64, start, by_period, counts)? - cost;
    }
    Ok(total)
}

/// The run's mean parameters of a segment: the configured ones, or draws around them under
/// `uncertainty` (first-period retention from a Beta, keeping the sBG's α + β or the BdW's γ + δ and c;
/// mean margin from a Gamma).
fn draw_parameters(
    rng: &mut Stream,
    segment: &SegmentPlan,
) -> Result<(Retention, MarginPlan), String> {
    let mut retention = segment.retention;
    if segment.retention_sd > 0.0 {
        let mean = retention.rate(1);
        let concentration =
            mean * (1.0 - mean) / (segment.retention_sd * segment.retention_sd) - 1.0;
        let rate = Beta::new(mean * concentration, (1.0 - mean) * concentration)
            .map_err(|e| format!("cannot draw the retention rate: {e}"))?
            .sample(rng);
        retention = retention.with_first_churn(1.0 - rate);
    }
    let mut margin = segment.margin;
    if segment.margin_sd > 0.0 {
        let ratio = margin.mean / segment.margin_sd;
        margin.mean = gamma(rng, ratio * ratio, segment.margin_sd / ratio)?;
    }
    Ok((retention, margin))
}

/// Customers who arrive together and share parameters.
struct Cohort<'a> {
    plan: &'a Plan,
    retention: Retention,
    margin: MarginPlan,
}

impl Cohort<'_> {
    /// Simulates `customers` arriving at time `start`, adds their discounted margins to `by_period`
    /// and returns their total. `counts` is scratch space.
    ///
    /// A customer's tenure-`s` payment falls at time `start + s`, in period `start + s` (timing "end",
    /// tenures `1..=last`) or `start + s + 1` (timing "start", tenures `0..=last`); `last` is the
    /// last tenure whose payment falls within the horizon.
    fn simulate(
        &self,
        rng: &mut Stream,
        customers: u64,
        start: usize,
        by_period: &mut [f64],
        counts: &mut Vec<u64>,
    ) -> Result<f64, String> {
        let (first, last) = match self.plan.timing {
            Timing::End => (1, self.plan.horizon - start),
            Timing::Start => (0, self.plan.horizon - start - 1),
        };
        if customers == 0 {
            return Ok(0.0);
        }
        self.lifetimes(rng, customers, last, counts)?;
        // Margins of the alive at tenure s: the sum over lifetime groups ℓ ≥ s, each one Gamma.
        let mut alive_margin = 0.0;
        let mut total = 0.0;
        let discount = self.plan.discount.iter().skip(start);
        let periods = by_period.iter_mut().skip(start);
        let tenures = counts.iter().zip(discount).skip(first).zip(periods).rev();
        for ((&count, discount), value) in tenures {
            alive_margin += self.group_margin(rng, count)?;
            *value += alive_margin * discount;
            total += alive_margin * discount;
        }
        Ok(total)
    }

    /// Sets `counts[ℓ]` for `ℓ = 0..=last`: the customers whose last tenure alive (up to `last`) is ℓ,
    /// drawing the alive count tenure by tenure as Binomial(alive, retention rate of the tenure).
    fn lifetimes(
        &self,
        rng: &mut Stream,
        customers: u64,
        last: usize,
        counts: &mut Vec<u64>,
    ) -> Result<(), String> {
        counts.clear();
        let mut alive = customers;
        for s in 1..=last {
            let survivors = if alive == 0 {
                0
            } else {
                Binomial::new(alive, self.retention.rate(s as u32))
                    .map_err(|e| format!("cannot draw the survivors of period {s}: {e}"))?
                    .sample(rng)
            };
            counts.push(alive - survivors);
            alive = survivors;
        }
        counts.push(alive);
        Ok(())
    }

    /// Total margin of `customers` customers: one Gamma(n·k, mean/k) draw, the sum of n iid Gamma(k).
    fn group_margin(&self, rng: &mut Stream, customers: u64) -> Result<f64, String> {
        let n = customers as f64;
        match self.margin.shape {
            Some(shape) if customers > 0 => gamma(rng, n * shape, self.margin.mean / shape),
            _ => Ok(n * self.margin.mean),
        }
    }
}

fn gamma(rng: &mut Stream, shape: f64, scale: f64) -> Result<f64, String> {
    Gamma::new(shape, scale)
        .map(|g| g.sample(rng))
        .map_err(|e| format!("cannot draw Gamma({shape}, {scale}): {e}"))
}

/// The Poisson of new customers per period; `None` when its mean is 0.
fn poisson(mean: f64) -> Result<Option<Poisson<f64>>, String> {
    if mean == 0.0 {
        return Ok(None);
    }
    Poisson::new(mean)
        .map(Some)
        .map_err(|e| format!("cannot draw Poisson({mean}): {e}"))
}
