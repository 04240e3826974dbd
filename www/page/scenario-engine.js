// The computing half of the Scenarios tab's uncertainty, with no DOM: the base customer's scenarios
// through `compareScenariosMc` (common random numbers), run in a Worker (engine-worker.js).

/** Runs of the comparison: P(better) to within about ±1.6 points at 50 %. */
export const UNCERTAINTY_RUNS = 1000;
/** Periods simulated when the base customer has no horizon (the simulation's longest). */
export const OPEN_HORIZON = 1200;

/**
 * The Monte Carlo comparison of `scenarios` (`{ name, changes }`, as `compareScenarios` takes them)
 * against a base of `customers` customers like the `clv` input `base`, whose first-period retention and
 * margin are uncertain by `retentionSd` (a rate) and `marginSd` (money).
 */
export function uncertaintyConfig(base, scenarios, { customers, retentionSd, marginSd, seed = 1 }) {
  const segment = { name: "base", customers, margin: base.margin, retention: base.retention, uncertainty: { retentionSd, marginSd } };
  // An acquisition cost is paid before the customer's value: it moves net value, which the simulation
  // does not value, so it is left out.
  const withoutCost = scenarios.map(({ name, changes: { acquisitionCost: _cost, ...changes } }) => ({ name, changes }));
  return {
    base: { segments: [segment], discountRate: base.discountRate, horizon: base.horizon ?? OPEN_HORIZON, timing: base.timing },
    scenarios: withoutCost,
    runs: UNCERTAINTY_RUNS,
    seed,
  };
}

export function createScenarioEngine(api) {
  return { compare: (config) => api.compareScenariosMc(config) };
}
