// The Monte Carlo benchmark workload of issue 4: 1,000,000 customers in 3 segments (sBG retention,
// Gamma margins), 60 periods, 1,000 runs.
export const workload = {
  segments: [
    { name: "high", customers: 200000, margin: { mean: 40, cv: 0.8 }, retention: { alpha: 0.704, beta: 1.182 } },
    { name: "regular", customers: 500000, margin: { mean: 15, cv: 1.0 }, retention: { alpha: 0.668, beta: 3.806 } },
    { name: "low", customers: 300000, margin: { mean: 6, cv: 1.5 }, retention: { alpha: 1.2, beta: 2.5 } },
  ],
  discountRate: 0.01,
  horizon: 60,
  runs: 1000,
  seed: 2026,
};
