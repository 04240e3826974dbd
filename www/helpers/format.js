// Number formatting for the page and the <clv-calculator> component: every number a person reads goes
// through Intl.NumberFormat, for the chosen currency and locale (the browser's unless an embedder sets one).

const PERIOD_NAMES = {
  month: ["month", "months", "mo"],
  quarter: ["quarter", "quarters", "qtr"],
  year: ["year", "years", "yr"],
};

/**
 * One Intl.NumberFormat per locale and options, built on first use and shared by every caller: building
 * one costs about a millisecond (more for a locale's first), and a page with several components would
 * otherwise build dozens before its first result.
 */
const numberFormats = new Map();
const numberFormat = (locale, options) => {
  const key = JSON.stringify([locale, options]);
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale, options));
  return numberFormats.get(key);
};

/** Formatters for one currency, locale and period unit; each Intl.NumberFormat is built when first used. */
export function makeFormat({ currency = "USD", locale = undefined, periodUnit = "year" } = {}) {
  const use = (options) => {
    let format = null;
    return () => (format ??= numberFormat(locale, options));
  };
  const money = use({ style: "currency", currency });
  const money0 = use({ style: "currency", currency, maximumFractionDigits: 0 });
  const moneyCompact = use({ style: "currency", currency, notation: "compact", maximumSignificantDigits: 3 });
  const percent = use({ style: "percent", maximumFractionDigits: 1 });
  const percentFixed = use({ style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signedPercent = use({ style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const signedMoney = use({ style: "currency", currency, signDisplay: "exceptZero" });
  const number = use({ maximumFractionDigits: 2 });
  const number1 = use({ minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const [one, many, short] = PERIOD_NAMES[periodUnit] ?? PERIOD_NAMES.year;
  const missing = "—";
  const guard = (f) => (x) => (x === null || x === undefined || !Number.isFinite(x) ? missing : f(x));

  return {
    currency,
    periodUnit,
    /** The currency's symbol in this locale: "$", "€", "CHF". */
    symbol: money().formatToParts(0).find((p) => p.type === "currency")?.value ?? currency,
    period: one,
    periods: many,
    periodShort: short,
    /** Money with cents: "$266.67". */
    money: guard((x) => money().format(x)),
    /** Money without cents, for axes: "$267". */
    money0: guard((x) => money0().format(x)),
    /** Money for a headline figure: cents below 10,000, none up to a million, then "$1.23M". */
    moneyShort: guard((x) => (Math.abs(x) < 1e4 ? money : Math.abs(x) < 1e6 ? money0 : moneyCompact)().format(x)),
    /** Signed money: "+$73.33". */
    signedMoney: guard((x) => signedMoney().format(x)),
    /** A fraction as a percentage: 0.8 → "80%". */
    percent: guard((x) => percent().format(x)),
    /** A fraction as a percentage with one decimal always, for table columns: 0.22 → "22.0%". */
    percentFixed: guard((x) => percentFixed().format(x)),
    /** A signed fraction as a percentage: 0.275 → "+27.5%". */
    signedPercent: guard((x) => signedPercent().format(x)),
    /** A plain number: "3.7". */
    number: guard((x) => number().format(x)),
    /** A ratio: 1.78 → "1.8×". */
    ratio: guard((x) => `${number1().format(x)}×`),
    /** A count of periods with its unit: "5.0 years". */
    duration: guard((x) => `${number1().format(x)} ${x === 1 ? one : many}`),
    /** A whole number of periods: "3 years", "1 year". */
    count: guard((x) => `${number().format(x)} ${x === 1 ? one : many}`),
    /** A count of periods, number and unit apart: ["5.0", "years"]. */
    durationParts: (x) => [number1().format(x), x === 1 ? one : many],
  };
}
