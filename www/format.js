// Number formatting for the page and the <clv-calculator> component: every number a person reads goes
// through Intl.NumberFormat, for the chosen currency and locale (the browser's unless an embedder sets one).

const PERIOD_NAMES = {
  month: ["month", "months", "mo"],
  quarter: ["quarter", "quarters", "qtr"],
  year: ["year", "years", "yr"],
};

/** Formatters for one currency, locale and period unit. */
export function makeFormat({ currency = "USD", locale = undefined, periodUnit = "year" } = {}) {
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  const money0 = new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 });
  const moneyCompact = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    notation: "compact",
    maximumSignificantDigits: 3,
  });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const percentFixed = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const signedPercent = new Intl.NumberFormat(locale, {
    style: "percent",
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  });
  const signedMoney = new Intl.NumberFormat(locale, { style: "currency", currency, signDisplay: "exceptZero" });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const number1 = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const [one, many, short] = PERIOD_NAMES[periodUnit] ?? PERIOD_NAMES.year;
  const missing = "—";
  const guard = (f) => (x) => (x === null || x === undefined || !Number.isFinite(x) ? missing : f(x));

  return {
    currency,
    periodUnit,
    /** The currency's symbol in this locale: "$", "€", "CHF". */
    symbol: money.formatToParts(0).find((p) => p.type === "currency")?.value ?? currency,
    period: one,
    periods: many,
    periodShort: short,
    /** Money with cents: "$266.67". */
    money: guard((x) => money.format(x)),
    /** Money without cents, for axes: "$267". */
    money0: guard((x) => money0.format(x)),
    /** Money for a headline figure: cents below 10,000, none up to a million, then "$1.23M". */
    moneyShort: guard((x) => (Math.abs(x) < 1e4 ? money : Math.abs(x) < 1e6 ? money0 : moneyCompact).format(x)),
    /** Signed money: "+$73.33". */
    signedMoney: guard((x) => signedMoney.format(x)),
    /** A fraction as a percentage: 0.8 → "80%". */
    percent: guard((x) => percent.format(x)),
    /** A fraction as a percentage with one decimal always, for table columns: 0.22 → "22.0%". */
    percentFixed: guard((x) => percentFixed.format(x)),
    /** A signed fraction as a percentage: 0.275 → "+27.5%". */
    signedPercent: guard((x) => signedPercent.format(x)),
    /** A plain number: "3.7". */
    number: guard((x) => number.format(x)),
    /** A ratio: 1.78 → "1.8×". */
    ratio: guard((x) => `${number1.format(x)}×`),
    /** A count of periods with its unit: "5.0 years". */
    duration: guard((x) => `${number1.format(x)} ${x === 1 ? one : many}`),
    /** A whole number of periods: "3 years", "1 year". */
    count: guard((x) => `${number.format(x)} ${x === 1 ? one : many}`),
    /** A count of periods, number and unit apart: ["5.0", "years"]. */
    durationParts: (x) => [number1.format(x), x === 1 ? one : many],
  };
}
