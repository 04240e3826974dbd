//! Customers simulated from the BG/NBD model as Fader, Hardie & Lee (2005, section 2) describe it.

use clvlab::models::bgnbd::BgNbd;
use rand::RngExt;
use rand_distr::{Beta, Distribution, Exp, Gamma};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One simulated customer: repeat purchases x, recency t_x and age T in calibration, and the
/// purchases after it.
pub struct Customer {
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
    pub later: f64,
}

/// A customer of `params` who first bought at a uniform time in the first 12 weeks, observed to week
/// 39 (calibration) and then for `holdout` weeks more: λ ~ Gamma(r, α) and p ~ Beta(a, b), purchases
/// at rate λ, and after each repeat purchase a drop out with probability p.
pub fn customer(params: &BgNbd, holdout: f64, rng: &mut Xoshiro256PlusPlus) -> Customer {
    let end = 39.0;
    let first = rng.random_range(0.0..12.0);
    let lambda: f64 = Gamma::new(params.r, 1.0 / params.alpha)
        .unwrap()
        .sample(rng);
    let p: f64 = Beta::new(params.a, params.b).unwrap().sample(rng);
    let gap = Exp::new(lambda).unwrap();
    let (mut now, mut x, mut last, mut later) = (first, 0.0, first, 0.0);
    loop {
        now += gap.sample(rng);
        if now > end + holdout {
            break;
        }
        if now <= end {
            x += 1.0;
            last = now;
        } else {
            later += 1.0;
        }
        if rng.random::<f64>() < p {
            break;
        }
    }
    Customer {
        x,
        t_x: last - first,
        t: end - first,
        later,
    }
}
