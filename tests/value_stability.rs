//! Value stability of the Monte Carlo random streams (like rand_distr's `tests/value_stability.rs`).
//!
//! These numbers are NOT independently known: they were pinned on purpose from the current streams
//! (Xoshiro256++ seeded from SplitMix64 of seed, run, segment and purpose; rand_distr 0.6's Gamma,
//! Beta, Binomial and Poisson; the aggregate simulation of `src/montecarlo`). Share links store the
//! seed, so a page opened from a link must show the numbers it showed when the link was made: any
//! change to a draw, its order, the seeding or the summary arithmetic changes them, and must be a
//! conscious one. When a change is intended (a new sampler, a dependency update that changes its
//! streams), check that the statistical tests (tests/montecarlo_stats.rs) still pass, replace the
//! values below with the new ones, and say in the commit (and the changelog) that results of stored
//! seeds change. An unintended failure here is a bug.
//!
//! The comparison is to the bit, `f64::to_bits`: no tolerance. The same values are asserted natively
//! and in wasm (Node and headless Chromium, as the other wasm tests): a page's link must show what the
//! native core computes, whatever the platform's maths library.

use clvlab::montecarlo::{
    simulate_chunk, simulate_equity, summarize, EquityConfig, Plan, RunChunk,
};
use clvlab::value_story::{value_story, ValueStoryInput};

/// Gamma margins, sBG and constant retention, parameter uncertainty on both kinds, acquisition.
const CONFIG: &str = r#"{
  "segments": [
    {"name": "loyal", "customers": 2000, "margin": {"mean": 30, "cv": 0.8},
     "retention": {"alpha": 0.704, "beta": 1.182}, "uncertainty": {"retentionSd": 0.05, "marginSd": 2}},
    {"name": "casual", "customers": 5000, "margin": {"mean": 9, "cv": 1.5}, "retention": 0.8}
  ],
  "acquisition": {"perPeriod": 150, "segment": "loyal", "acquisitionCost": 25},
  "discountRate": 0.01, "horizon": 12, "runs": 20, "seed": 42
}"#;

/// Totals of runs 0..5, pinned from the current streams (decimal values for reading).
const TOTALS: [u64; 5] = [
    0x412092bf756f8db2, // 543071.7293667106
    0x411b2dd85c3d1b6d, // 445302.0900768552
    0x411978be823a0d09, // 417327.6271745717
    0x411c7f313f783360, // 466892.3119819667
    0x411e2cea1a2368fa, // 494394.5255257037
];

/// The summary of all 20 runs, pinned from the current streams.
const SUMMARY: [(&str, u64); 7] = [
    ("mean", 0x411b7f5bc9773d5a),   // 450518.9467439257
    ("stdDev", 0x40e736f896442779), // 47543.768343045325
    ("p5", 0x41177d4b02a1b20b),     // 384850.7525699443
    ("p25", 0x4119b718aba6534e),    // 421318.1676266686
    ("p50", 0x411b3dddde8562ca),    // 446327.4673057018
    ("p75", 0x411c31052e982ec5),    // 461889.2955024059
    ("p95", 0x41208996c9d336a0),    // 541899.3941895552
];

fn plan() -> Plan {
    let config: EquityConfig = serde_json::from_str(CONFIG).unwrap();
    config.validate().unwrap()
}

#[track_caller]
fn assert_bits(what: &str, got: f64, want: u64) {
    assert!(
        got.to_bits() == want,
        "{what}: got {got} ({:#018x}), pinned {} ({want:#018x}); see the module comment",
        got.to_bits(),
        f64::from_bits(want)
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn run_totals_are_pinned() {
    let chunk = simulate_chunk(&plan(), 0, 5).unwrap();
    for (run, (&got, &want)) in chunk.totals.iter().zip(&TOTALS).enumerate() {
        assert_bits(&format!("total of run {run}"), got, want);
    }
    // The same runs from chunks that start elsewhere: each run's streams depend on its index only.
    let later = simulate_chunk(&plan(), 3, 10).unwrap();
    assert_bits("total of run 3", later.totals[0], TOTALS[3]);
    assert_bits("total of run 4", later.totals[1], TOTALS[4]);
    let single = simulate_chunk(&plan(), 2, 1).unwrap();
    assert_bits("total of run 2", single.totals[0], TOTALS[2]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn summary_is_pinned_however_the_runs_are_chunked() {
    let plan = plan();
    let config: EquityConfig = serde_json::from_str(CONFIG).unwrap();
    let whole = simulate_equity(&config).unwrap();
    for sizes in [&[20][..], &[7, 13], &[1, 4, 15], &[5, 5, 5, 5]] {
        let mut first = 0;
        let mut chunks: Vec<RunChunk> = sizes
            .iter()
            .map(|&n| {
                let chunk = simulate_chunk(&plan, first, n).unwrap();
                first += n;
                chunk
            })
            .collect();
        chunks.reverse(); // workers may finish in any order
        let summary = summarize(&plan, &chunks).unwrap();
        let p = &summary.equity.percentiles;
        let got = [
            summary.equity.mean,
            summary.equity.std_dev,
            p.p5,
            p.p25,
            p.p50,
            p.p75,
            p.p95,
        ];
        for (value, (name, want)) in got.into_iter().zip(SUMMARY) {
            assert_bits(&format!("{name}, chunks {sizes:?}"), value, want);
        }
        // Everything else (histogram, fan chart, segments) is the one-call result's, bit for bit.
        assert_eq!(summary, whole, "chunks {sizes:?}");
    }
}

/// A value story whose improvement is a range, so each run's draw of where in it the product lands
/// (the run-wide stream, `Purpose::Run`) and the common random numbers both count.
const STORY: &str = r#"{
  "customers": 500, "margin": 80, "retention": 0.7, "discountRate": 0.1, "horizon": 6,
  "newCustomers": 40, "acquisitionCost": 120,
  "improvement": {"churn": {"from": -0.05, "to": -0.3}, "margin": {"from": 0, "to": 0.1}},
  "price": {"upfront": 2000, "perPeriod": 3000}, "runs": 50, "seed": 9
}"#;

/// The simulated gain of STORY, pinned from the current streams.
const STORY_GAIN: [(&str, u64); 5] = [
    ("mean", 0x40d59ae6f4fbd3c5),           // 22123.608702618414
    ("p5", 0x40b1037614589e5c),             // 4355.461247957861
    ("p50", 0x40d5f9dda778ebd9),            // 22503.463346700973
    ("p95", 0x40e2edc5110c9417),            // 38766.1583311932
    ("probAbovePrice", 0x3fe5c28f5c28f5c3), // 0.68 (34 of the 50 runs)
];

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn value_story_gain_is_pinned() {
    let input: ValueStoryInput = serde_json::from_str(STORY).unwrap();
    let simulated = value_story(&input).unwrap().simulated;
    let g = &simulated.gain;
    let got = [
        g.mean,
        g.percentiles.p5,
        g.percentiles.p50,
        g.percentiles.p95,
        simulated.prob_above_price.unwrap(),
    ];
    for (value, (name, want)) in got.into_iter().zip(STORY_GAIN) {
        assert_bits(&format!("value story {name}"), value, want);
    }
}
