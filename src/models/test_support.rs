//! Helpers shared by the models' unit tests.

use super::{bgnbd, mbgnbd, paretonbd, FitData, Model, Summary};

/// BG/NBD at its CDNOW estimates (Fader, Hardie & Lee 2005, section 5).
pub(crate) const CDNOW_BGNBD: bgnbd::BgNbd = bgnbd::BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

/// Pareto/NBD at its CDNOW estimates (BTYD and lifetimes on the CDNOW sample, issue 5).
pub(crate) const CDNOW_PARETONBD: paretonbd::ParetoNbd = paretonbd::ParetoNbd {
    r: 0.553,
    alpha: 10.578,
    s: 0.606,
    beta: 11.669,
};

/// The purchase models at their CDNOW estimates (the BG/NBD values reused for MBG/NBD).
pub(crate) fn cdnow_models() -> [Model; 3] {
    [
        Model::Bgnbd(CDNOW_BGNBD),
        Model::Mbgnbd(mbgnbd::ModifiedBgNbd(CDNOW_BGNBD)),
        Model::Paretonbd(CDNOW_PARETONBD),
    ]
}

/// A few customers, two of them identical, as a fit prepares them.
pub(crate) fn data() -> FitData {
    let customers = [
        (0.0, 0.0, 38.0),
        (0.0, 0.0, 38.0),
        (0.0, 0.0, 38.0),
        (1.0, 10.0, 38.0),
        (2.0, 30.43, 38.86),
        (7.0, 36.0, 37.0),
        (2.0, 30.43, 38.86),
    ];
    Summary {
        frequency: customers.iter().map(|c| c.0).collect(),
        recency: customers.iter().map(|c| c.1).collect(),
        t: customers.iter().map(|c| c.2).collect(),
        weights: None,
    }
    .fit_data()
}

/// Checks an analytic gradient against central differences of `f` at `p`.
pub(crate) fn check_gradient(f: impl Fn(&[f64], &mut [f64]) -> f64, p: &[f64]) {
    let mut g = vec![0.0; p.len()];
    let mut scratch = vec![0.0; p.len()];
    f(p, &mut g);
    for i in 0..p.len() {
        let h = 1e-6 * p[i];
        let mut up = p.to_vec();
        let mut down = p.to_vec();
        up[i] += h;
        down[i] -= h;
        let fd = (f(&up, &mut scratch) - f(&down, &mut scratch)) / (2.0 * h);
        assert!(
            (g[i] - fd).abs() <= 1e-6 * fd.abs().max(1.0),
            "parameter {i}: analytic {} vs finite difference {fd}",
            g[i]
        );
    }
}
