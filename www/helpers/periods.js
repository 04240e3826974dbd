// Which periods of a `clv` result a chart shows: all of them for a finite horizon; for an infinite one,
// until the value is practically all in. Shared by the page's chart and the <clv-calculator> component.

/** Periods shown when the horizon is infinite: until 99.5% of the value is in, at least 8. */
export function visiblePeriods(periods, finite) {
  if (finite || periods.length === 0) return periods;
  const total = Math.abs(periods[periods.length - 1].cumulative);
  const i = periods.findIndex((p) => Math.abs(p.cumulative) >= 0.995 * total && p.survival < 0.05);
  return periods.slice(0, Math.max(i + 1, Math.min(8, periods.length)) || periods.length);
}
