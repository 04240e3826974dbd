// Generated from the Rust types by `UPDATE_TYPES=1 cargo test --lib wasm_types` (ts-rs): do not edit.
//
// Every input object is read strictly: a field not declared here is refused with an Error naming it
// (`horizion: unknown field; did you mean horizon?`), `null` or `undefined` in an optional field
// means absent, and an input may nest at most 32 levels. Per-customer data objects may also carry
// the other keys of a `TransactionSummary`, so a `summarizeTransactions` result can be passed as it is.

/**
 * How customers are retained from one period to the next.
 */
export type Retention = number | { alpha: number; beta: number } | { gamma: number; delta: number; c: number };

/**
 * When in each period the margin is paid.
 */
export type Timing = "end" | "start";

/**
 * The value of one customer, as JavaScript passes it.
 */
export type ClvInput = {
  /**
   * Contribution margin per period (may be negative).
   */
  margin: number;
  /**
   * Discount rate per period, above −1.
   */
  discountRate: number;
  /**
   * Retention per period: a constant probability, or shifted-beta-geometric `{ alpha, beta }`.
   */
  retention: Retention;
  /**
   * Number of payments valued, a whole number of periods; omitted (or `null`) = infinite.
   */
  horizon?: number | null;
  /**
   * When each period's margin is paid: `"end"` (the default) or `"start"`.
   */
  timing?: Timing | null;
  /**
   * Margin growth per period, above −1 (0.02 = 2 %); default 0.
   */
  marginGrowth?: number | null;
  /**
   * Cost of acquiring the customer, 0 or more; default 0.
   */
  acquisitionCost?: number | null;
  /**
   * Omitted (or `null`): a prospective customer; `k`: an existing customer who has renewed `k` times,
   * valued from the next renewal on.
   */
  renewals?: number | null;
};

/**
 * One payment of the per-period table.
 */
export type ClvPeriod = {
  /**
   * When the payment is made, in periods (0 = now).
   */
  period: number;
  /**
   * Probability that the payment is received.
   */
  survival: number;
  /**
   * The payment's margin times `survival`.
   */
  expectedMargin: number;
  /**
   * Present value of `expectedMargin`.
   */
  discountedMargin: number;
  /**
   * Running sum of `discountedMargin`.
   */
  cumulative: number;
};

/**
 * The value of one customer.
 */
export type ClvResult = {
  /**
   * Customer lifetime value: the expected present value of the margins, in the margin's currency.
   */
  clv: number;
  /**
   * Expected number of payments within the horizon; `null` when unbounded, and for a BdW
   * retention without a horizon (no closed form: the table's running sum shows it).
   */
  expectedLifetime: number | null;
  /**
   * `clv − acquisitionCost`.
   */
  netValue: number;
  /**
   * `clv / acquisitionCost`; `null` when the cost is 0, or so small that the ratio overflows.
   */
  ltvToCac: number | null;
  /**
   * The period of the first payment at which `cumulative` reaches `acquisitionCost`; `null` if never.
   */
  paybackPeriod: number | null;
  /**
   * One row per payment (without a horizon, until the rest is negligible).
   */
  periods: Array<ClvPeriod>;
};

/**
 * A group of existing customers who share CLV parameters.
 */
export type EquitySegment = {
  /**
   * The segment's name, as `bySegment` and `acquisition.segment` spell it.
   */
  name: string;
  /**
   * Existing customers in the segment (a count; fractional allowed).
   */
  customers: number;
  /**
   * Contribution margin per period (may be negative).
   */
  margin: number;
  /**
   * Discount rate per period, above −1.
   */
  discountRate: number;
  /**
   * Retention per period: a constant probability, or shifted-beta-geometric `{ alpha, beta }`.
   */
  retention: Retention;
  /**
   * Number of payments valued, a whole number of periods; omitted (or `null`) = infinite.
   */
  horizon?: number | null;
  /**
   * When each period's margin is paid: `"end"` (the default) or `"start"`.
   */
  timing?: Timing | null;
  /**
   * Margin growth per period, above −1 (0.02 = 2 %); default 0.
   */
  marginGrowth?: number | null;
  /**
   * Cost of acquiring the customer, 0 or more; default 0.
   */
  acquisitionCost?: number | null;
  /**
   * Omitted (or `null`): a prospective customer; `k`: an existing customer who has renewed `k` times,
   * valued from the next renewal on.
   */
  renewals?: number | null;
};

/**
 * New customers won in each future period.
 */
export type Acquisition = {
  /**
   * New customers won at each future period.
   */
  perPeriod: number;
  /**
   * Cost of acquiring one of them; default 0.
   */
  acquisitionCost?: number | null;
  /**
   * Future periods in which customers are won (1, 2, …, `periods`).
   */
  periods: number;
  /**
   * The segment whose parameters new customers take; default the first.
   */
  segment?: string | null;
};

/**
 * A competitor's customer equity, for the equity share.
 */
export type Competitor = {
  name: string;
  /**
   * The competitor's customer equity, in the same currency.
   */
  equity: number;
};

/**
 * The customer base, as JavaScript passes it.
 */
export type EquityInput = {
  /**
   * Today's customers, by segment (at least one).
   */
  segments: Array<EquitySegment>;
  /**
   * Customers still to be won; none when omitted.
   */
  acquisition?: Acquisition | null;
  /**
   * Competitors' equities, for `share`.
   */
  competitors?: Array<Competitor> | null;
};

/**
 * The value of one segment's existing customers.
 */
export type SegmentValue = {
  name: string;
  customers: number;
  /**
   * An existing customer's CLV, from their next payment on.
   */
  valuePerCustomer: number;
  /**
   * `customers × valuePerCustomer`.
   */
  value: number;
};

/**
 * The value of the customers still to be acquired.
 */
export type AcquisitionValue = {
  /**
   * The segment whose parameters they take.
   */
  segment: string;
  /**
   * How many are won in all (`perPeriod × periods`).
   */
  customers: number;
  /**
   * A new customer's CLV at the moment they are won.
   */
  valuePerCustomer: number;
  /**
   * That CLV minus the acquisition cost.
   */
  netValuePerCustomer: number;
  /**
   * All of them, discounted to today (= `future`).
   */
  value: number;
};

/**
 * The value of the customer base.
 */
export type EquityResult = {
  /**
   * Customer equity: `current + future`.
   */
  equity: number;
  /**
   * Value of today's customers.
   */
  current: number;
  /**
   * Value of the customers still to be won, net of acquisition costs, discounted to today.
   */
  future: number;
  /**
   * `current` by segment, in the order given.
   */
  bySegment: Array<SegmentValue>;
  /**
   * `null` without `acquisition`.
   */
  acquisition: AcquisitionValue | null;
  /**
   * Equity share `equity / (equity + Σ competitors' equity)`; `null` without competitors, or when
   * undefined (our equity negative, or every equity 0).
   */
  share: number | null;
};

/**
 * A valuation to change: one customer or a customer base.
 */
export type Valuation = ClvInput | EquityInput;

/**
 * A change of churn, `1 − retention`.
 */
export type ChurnChange = { "relative": number } | { "points": number };

/**
 * A relative change of the margin per period.
 */
export type MarginChange = { "relative": number };

/**
 * The inputs a scenario changes; absent fields keep the base's value.
 */
export type ScenarioChanges = {
  /**
   * New retention.
   */
  retention?: Retention | null;
  /**
   * New margin per period.
   */
  margin?: number | null;
  /**
   * New discount rate per period.
   */
  discountRate?: number | null;
  /**
   * New margin growth per period.
   */
  marginGrowth?: number | null;
  /**
   * New acquisition cost (for a `customerEquity` base, of the customers still to be won).
   */
  acquisitionCost?: number | null;
  /**
   * Churn (`1 − retention`) shifted: `{ relative: -0.05 }` = 5 % lower, `{ points: -5 }` = 5 points
   * lower; applied after `retention`.
   */
  churnChange?: ChurnChange | null;
  /**
   * Margin scaled: `{ relative: 0.1 }` = 10 % higher (each segment's own margin); applied after
   * `margin`; `relative` ≥ −1.
   */
  marginChange?: MarginChange | null;
};

/**
 * One scenario: a name and the changes to the base.
 */
export type Scenario = {
  name: string;
  /**
   * What the scenario changes; none (the base itself) when omitted.
   */
  changes?: ScenarioChanges | null;
  /**
   * For a `customerEquity` base: the one segment to change (default: all).
   */
  segment?: string | null;
};

/**
 * `compareScenarios` input: a base (a `clv` or `customerEquity` input) and the scenarios.
 */
export type CompareInput = {
  /**
   * A `clv` input (one customer) or a `customerEquity` input (a customer base, told by `segments`).
   */
  base: Valuation;
  scenarios: Array<Scenario>;
};

/**
 * A valuation's headline figures.
 */
export type Outcome = {
  /**
   * CLV, or customer equity.
   */
  value: number;
  /**
   * CLV − acquisition cost, or customer equity.
   */
  netValue: number;
};

/**
 * One scenario against the base.
 */
export type ScenarioResult = {
  name: string;
  /**
   * The scenario's CLV (a `clv` base) or customer equity (a `customerEquity` base).
   */
  value: number;
  /**
   * `value` − the base's value.
   */
  delta: number;
  /**
   * `100 × delta / |base value|`; `null` when the base value is 0.
   */
  deltaPercent: number | null;
  /**
   * CLV − acquisition cost (for equity, the same as `value`).
   */
  netValue: number;
  /**
   * `netValue` − the base's net value.
   */
  netDelta: number;
};

/**
 * Every scenario against the base.
 */
export type Comparison = { base: Outcome; scenarios: Array<ScenarioResult> };

/**
 * A field a sensitivity analysis can move.
 */
export type SensitivityField = "margin" | "retention" | "discountRate" | "marginGrowth" | "acquisitionCost";

/**
 * Which figure a sensitivity analysis measures.
 */
export type Measure = "value" | "netValue";

/**
 * `sensitivity` options.
 */
export type SensitivityOptions = {
  /**
   * The fields to move; default `margin`, `retention`, `discountRate`, `marginGrowth`, and
   * `acquisitionCost` when it moves the measured value.
   */
  fields?: Array<SensitivityField> | null;
  /**
   * Relative move of each field, in (0, 1); default 0.1 (retention moves through churn).
   */
  spread?: number | null;
  /**
   * What is recomputed: `"value"` (the default: CLV or equity) or `"netValue"` (CLV − acquisition cost).
   */
  measure?: Measure | null;
};

/**
 * One bar of a tornado chart.
 */
export type TornadoBar = {
  field: SensitivityField;
  /**
   * The field's value at the low end (for a customer base, the first segment's).
   */
  low: number;
  /**
   * The field's value at the high end.
   */
  high: number;
  /**
   * The measure at `low`.
   */
  valueLow: number;
  /**
   * The measure at `high`.
   */
  valueHigh: number;
  /**
   * `|valueHigh − valueLow|`.
   */
  swing: number;
};

/**
 * The input `breakEven` solves for.
 */
export type SolveFor = "retention" | "margin" | "acquisitionCost";

/**
 * `breakEven` options.
 */
export type BreakEvenOptions = { solveFor: SolveFor };

/**
 * The break-even point.
 */
export type BreakEvenResult = {
  /**
   * The field solved for.
   */
  solveFor: SolveFor;
  /**
   * The solved value (for sBG retention, the mean retention β/(α + β)).
   */
  value: number;
  /**
   * The net value at the solution (0 up to rounding).
   */
  netValue: number;
  /**
   * Bisection steps (0 for the exact solutions).
   */
  iterations: number;
  /**
   * The input with the solved field set.
   */
  input: ClvInput;
};

/**
 * How the dates in the date column are written.
 */
export type DateFormat = "YYYY-MM-DD" | "YYYYMMDD" | "MM/DD/YYYY" | "DD/MM/YYYY" | "month name" | "excel" | "auto";

/**
 * The decimal separator of a value column.
 */
export type Decimal = "auto" | "." | ",";

/**
 * What the sampled values of one column show.
 */
export type ColumnEvidence = {
  /**
   * The column's name.
   */
  column: string;
  /**
   * Non-blank values.
   */
  values: number;
  /**
   * Distinct non-blank values.
   */
  distinct: number;
  /**
   * Distinct values found on two or more different dates (of the date column guessed).
   */
  onSeveralDates: number;
  /**
   * Share of the non-blank values read as dates in the guessed format (any format when there is
   * none).
   */
  dates: number;
  /**
   * Share of the non-blank values read as amounts.
   */
  amounts: number;
};

/**
 * How sure the customer column is.
 */
export type MappingConfidence = "high" | "medium" | "low";

/**
 * How refunds count (`refunds`).
 */
export type Refunds = "reduce" | "remove";

/**
 * What a negative value is (`negatives`).
 */
export type Negatives = "net" | "skip";

/**
 * A recognised export and the columns to read, as the header spells them.
 */
export type KnownExport = {
  /**
   * `"shopify-orders"`, `"stripe-payments"`, `"stripe-invoices"`, `"bigcommerce-orders"`, `"magento-orders"`,
   * `"woocommerce-orders"`, `"paypal-activity"`, `"square-transactions"`, `"klaviyo-events"` or
   * `"hubspot-orders"`.
   */
  name: string;
  /**
   * The export in words.
   */
  label: string;
  customerColumn: string;
  dateColumn: string;
  valueColumn: string;
  orderColumn: string | null;
  statusColumn: string | null;
  refundColumn: string | null;
  currencyColumn: string | null;
  /**
   * The statuses to leave out (`excludeStatuses`) where the platform's differ from the defaults
   * (Magento's `closed`, an order refunded in full); `null` for the defaults.
   */
  excludeStatuses: Array<string> | null;
};

/**
 * How many rows had one status, and whether they were left out.
 */
export type StatusCount = {
  /**
   * The status as first written in the file.
   */
  status: string;
  rows: number;
  excluded: boolean;
  /**
   * Neither a status of money received (`PAID_STATUSES`) nor one left out: its rows count as
   * purchases, which the caller should confirm.
   */
  unknown: boolean;
};

/**
 * The time unit of `recency` and `T`.
 */
export type TimeUnit = "day" | "week" | "month";

/**
 * What to read from the CSV and how to summarise it (`summarizeTransactions`' `options`). From JS, an
 * optional field that is `null`, `undefined` or blank text (an empty box on a page) is not given.
 */
export type SummaryOptions = {
  /**
   * Header name of the customer id column.
   */
  customerColumn: string;
  /**
   * Header name of the purchase date column.
   */
  dateColumn: string;
  /**
   * Header name of the purchase value column; without it every `monetaryValue` is 0.
   */
  valueColumn?: string | null;
  /**
   * How dates are written; `YYYY-MM-DD` when not given.
   */
  dateFormat?: DateFormat | null;
  /**
   * Last day of the calibration period, in `dateFormat` or `YYYY-MM-DD`; the last date in the file
   * when not given.
   */
  calibrationEnd?: string | null;
  /**
   * Last day of the holdout period (after `calibrationEnd`); the end of the file when not given.
   */
  observationEnd?: string | null;
  /**
   * Unit of `recency` and `T`; weeks when not given.
   */
  timeUnit?: TimeUnit | null;
  /**
   * One ASCII character; guessed from the header line (`,` `;` tab `|`) when not given.
   */
  delimiter?: string | null;
  /**
   * The value column's decimal separator, `"."` or `","`; when not given (or `"auto"`) the values
   * decide it: one with both separators, or a lone one not between 1–3 digits and exactly 3,
   * settles it; values that decide both ways, or never, are an error.
   */
  decimal?: Decimal | null;
  /**
   * Header name of the order number column: rows sharing an order number are one purchase (the
   * line items of a shop's export), the first with a date giving its date and value.
   */
  orderColumn?: string | null;
  /**
   * Header name of the order or payment status column: rows with a status in `excludeStatuses`
   * are left out and counted.
   */
  statusColumn?: string | null;
  /**
   * The statuses left out (ignoring case, `wc-`, `_` and `-`); `EXCLUDED_STATUSES` when not
   * given.
   */
  excludeStatuses?: Array<string> | null;
  /**
   * Header name of the amount refunded on each row, in the value's currency.
   */
  refundColumn?: string | null;
  /**
   * Header name of the column naming each row's currency (`USD`, `eur`): the purchases counted
   * must share one (two are an error naming them and their lines), and the summary's `currency`
   * is it when the values name none.
   */
  currencyColumn?: string | null;
  /**
   * `"reduce"` (the default: a refund reduces the purchase, one refunded in full is left out)
   * or `"remove"` (a purchase with any refund is left out).
   */
  refunds?: Refunds | null;
  /**
   * `"net"` (the default: a negative value is a refund row, netted against the customer's latest
   * earlier purchase) or `"skip"` (a negative value's row is skipped with its reason).
   */
  negatives?: Negatives | null;
  /**
   * The shop's offset from UTC (`"+01:00"`, `"-05:00"`), to count ISO timestamps on its own
   * days: a timestamp's own offset (`Z`, `+0100`), or UTC when it has none, is converted to it
   * (a fixed offset: no daylight saving). Without it the day is the one written.
   */
  utcOffset?: string | null;
  /**
   * Header names of categorical columns that describe the customer (channel, region, plan): the
   * summary's `attributes` give each customer's level, the value on their rows (blank fields not
   * counted; two different values for one customer are an error). At most 1,000 levels a column.
   */
  attributes?: Array<string> | null;
  /**
   * Header names of numeric columns that describe the customer (age, the first order's size).
   */
  numericAttributes?: Array<string> | null;
  /**
   * A customer blank in an attribute column on every row: `"level"` (the default: the level
   * `(missing)`; an error for a numeric column) or `"drop"` (left out of the summary, counted).
   */
  missingAttributes?: MissingAttributes | null;
  /**
   * The fewest customers a level of a categorical attribute may have (1 by default): a level with
   * fewer is an error naming it.
   */
  minLevelCustomers?: number | null;
};

/**
 * A row left out of the summary.
 */
export type SkippedRow = {
  /**
   * 1-based line number in the file, the header being line 1.
   */
  line: number;
  /**
   * Why it was skipped, naming the field.
   */
  reason: string;
};

/**
 * What a customer without an attribute's value becomes.
 */
export type MissingAttributes = "level" | "drop";

/**
 * A categorical attribute of a summary's customers: customer i's level is `levels[codes[i]]`.
 */
export type CategoricalAttribute = {
  /**
   * The levels, in the order the customers first show them; `(missing)` for the customers
   * without a value (`missingAttributes: "level"`).
   */
  levels: Array<string>;
  /**
   * Each customer's level, an index into `levels`.
   */
  codes: Uint32Array;
};

/**
 * A numeric attribute of a summary's customers: customer i's is `values[i]`.
 */
export type NumericAttribute = { values: Float64Array };

/**
 * `summarizeTransactions`' result: per customer, parallel arrays (customers in the order of their first
 * row in the file; times in the options' `timeUnit`), then the report of what was read.
 */
export type TransactionSummary = {
  /**
   * The customer ids.
   */
  customerIds: Array<string>;
  /**
   * Repeat transactions x: distinct purchase days in the calibration period − 1.
   */
  frequency: Float64Array;
  /**
   * t_x: time from the first to the last transaction in the calibration period.
   */
  recency: Float64Array;
  /**
   * Time from the first transaction to `calibrationEnd`.
   */
  T: Float64Array;
  /**
   * Mean value of the repeat transactions (the first day's left out); 0 without any, or without
   * `valueColumn`.
   */
  monetaryValue: Float64Array;
  /**
   * Distinct purchase days after `calibrationEnd`, up to and including `observationEnd`.
   */
  holdoutFrequency: Float64Array;
  /**
   * Mean value of the holdout transactions (same-day purchases one transaction); 0 without any,
   * or without `valueColumn`.
   */
  holdoutMonetaryValue: Float64Array;
  /**
   * Customers making their first purchase on each day from `firstDate` to `calibrationEnd` (index 0
   * is `firstDate`).
   */
  firstPurchasesByDay: Float64Array;
  /**
   * Repeat transactions (same-day purchases merged, a customer's first day left out) on each day
   * from `firstDate` to `calibrationEnd`: they sum to `frequency`'s sum.
   */
  calibrationRepeatsByDay: Float64Array;
  /**
   * Transactions on each day after `calibrationEnd` up to `observationEnd` (index 0 is the day after
   * `calibrationEnd`): they sum to `holdoutFrequency`'s sum.
   */
  holdoutRepeatsByDay: Float64Array;
  /**
   * Each attribute column (`attributes`, `numericAttributes`) by its header name, with each
   * customer's value; `{}` without any.
   */
  attributes: Record<string, CategoricalAttribute | NumericAttribute>;
  /**
   * Data rows read (the header and blank lines not counted).
   */
  rows: number;
  /**
   * The first 100 rows skipped; line numbers count every line of the file, the header's included.
   */
  skipped: Array<SkippedRow>;
  /**
   * Every skipped row.
   */
  skippedCount: number;
  /**
   * Customers left out because their first purchase is after `calibrationEnd`.
   */
  excludedCustomers: number;
  /**
   * First date of the usable transactions, `YYYY-MM-DD`.
   */
  firstDate: string;
  /**
   * Last date of the usable transactions, `YYYY-MM-DD`.
   */
  lastDate: string;
  /**
   * The calibration end used, `YYYY-MM-DD`.
   */
  calibrationEnd: string;
  /**
   * The observation end used, `YYYY-MM-DD`.
   */
  observationEnd: string;
  /**
   * The day two thirds of the way from `firstDate` to `lastDate`, `YYYY-MM-DD`: a calibration end
   * that leaves the last third of the span as holdout.
   */
  suggestedCalibrationEnd: string;
  /**
   * The format used (the one guessed for `"auto"`, never `"auto"` itself).
   */
  dateFormat: DateFormat;
  /**
   * The length of the time unit in days: 1, 7 or 365.25 / 12 = 30.4375 (months).
   */
  unitDays: number;
  /**
   * The holdout's length, `calibrationEnd` to `observationEnd`, in time units (`evaluateHoldout`'s
   * default horizon).
   */
  holdoutLength: number;
  /**
   * How many time units make a month of 365.25 / 12 days (`customerValue`'s `unitsPerMonth`).
   */
  unitsPerMonth: number;
  /**
   * The value column's decimal separator (the one decided for `"auto"`).
   */
  decimal: Decimal;
  /**
   * The currency the values name, if they name one.
   */
  currency: string | null;
  /**
   * Rows merged into an earlier row of their order (`orderColumn`).
   */
  lineItemsMerged: number;
  /**
   * Rows left out by their status (`statusColumn`).
   */
  excludedByStatus: number;
  /**
   * Each status seen, most rows first, and whether its rows were left out.
   */
  statuses: Array<StatusCount>;
  /**
   * Purchases whose value a partial refund reduced (`refundColumn`).
   */
  refundsDeducted: number;
  /**
   * Purchases left out as refunded.
   */
  refundedRemoved: number;
  /**
   * Refund rows (negative values) netted against the purchase they refund (`negatives: "net"`).
   */
  refundRowsNetted: number;
  /**
   * Customers left out for a missing attribute (`missingAttributes: "drop"`).
   */
  attributeDroppedCustomers: number;
};

/**
 * `rfmSegments`' result: per customer, in the summary's order.
 */
export type RfmSegments = {
  /**
   * 1 to 5: the quintile of the time since the last purchase (5 the most recent).
   */
  recencyScore: Float64Array;
  /**
   * 1 to 5: the quintile of the repeat purchases.
   */
  frequencyScore: Float64Array;
  /**
   * 1 to 5: the quintile of the mean repeat spend (1 for customers without repeat purchases).
   */
  monetaryScore: Float64Array;
  /**
   * Each customer's named segment: Champions, Loyal, At risk, New, Promising, Hibernating or
   * Other, the first whose score ranges the customer's meet.
   */
  segment: CategoricalAttribute;
};

/**
 * The calendar period of a first-purchase cohort.
 */
export type CohortPeriod = "month" | "quarter";

/**
 * `cohortSegments`' options.
 */
export type CohortOptions = {
  /**
   * `"month"` (the default) or `"quarter"`.
   */
  period?: CohortPeriod | null;
};

/**
 * The start of a log and the mapping guessed from it (`null` where nothing fits), to propose
 * `SummaryOptions`.
 */
export type TransactionInspection = {
  /**
   * The header's column names.
   */
  columns: Array<string>;
  /**
   * The delimiter found, one character.
   */
  delimiter: string;
  /**
   * The first 5 data rows, fields decoded lossily.
   */
  rows: Array<Array<string>>;
  /**
   * The guessed customer id column.
   */
  customerColumn: string | null;
  /**
   * The guessed purchase date column.
   */
  dateColumn: string | null;
  /**
   * The guessed purchase value column.
   */
  valueColumn: string | null;
  /**
   * The column of order or payment statuses: a recognised export's, or one whose values are
   * statuses clvlab knows (pass it as `statusColumn`).
   */
  statusColumn: string | null;
  /**
   * The status column's values in the sampled rows (an order's line items once), most rows first:
   * whether the summary leaves them out by default (or by the export's `excludeStatuses`), and
   * whether clvlab knows them at all.
   */
  statuses: Array<StatusCount>;
  /**
   * `null` when no column holds dates, or when every date could be `MM/DD/YYYY` or `DD/MM/YYYY`.
   */
  dateFormat: DateFormat | null;
  /**
   * The value column's decimal separator, `null` when its values do not decide it.
   */
  decimal: Decimal | null;
  /**
   * What each column's sampled values show, in column order.
   */
  evidence: Array<ColumnEvidence>;
  /**
   * How sure the customer column is: `"high"` (it repeats across dates and its name says so),
   * `"medium"` (it repeats across dates), `"low"` (no column does).
   */
  confidence: MappingConfidence;
  /**
   * What was chosen and why, in words.
   */
  notes: Array<string>;
  /**
   * The shop or payment export recognised by its header (the mapping is then its columns), with
   * the `orderColumn`, `statusColumn` and `refundColumn` to pass on.
   */
  export: KnownExport | null;
};

/**
 * The length of a period of tenure.
 */
export type Period = "month" | "quarter" | "year" | number;

/**
 * What to read from the CSV (`summarizeSubscriptions`' `options`). An optional field that is `null`,
 * `undefined` or blank text is not given.
 */
export type SubscriptionOptions = {
  /**
   * Header name of the customer id column.
   */
  customerColumn: string;
  /**
   * Header name of the start date column.
   */
  startColumn: string;
  /**
   * Header name of the end date column (blank while the subscription is active).
   */
  endColumn: string;
  /**
   * Header name of the plan column (text), if any.
   */
  planColumn?: string | null;
  /**
   * Header name of the price-per-period column, if any.
   */
  priceColumn?: string | null;
  /**
   * The period of tenure: `"month"` (the default), `"quarter"`, `"year"` or a number of days.
   */
  period?: Period | null;
  /**
   * How dates are written; `YYYY-MM-DD` when not given, `auto` to guess.
   */
  dateFormat?: DateFormat | null;
  /**
   * The day the log was taken, in `dateFormat` or `YYYY-MM-DD`; the latest date in the file when
   * not given.
   */
  observationEnd?: string | null;
  /**
   * One ASCII character; guessed from the header line when not given.
   */
  delimiter?: string | null;
  /**
   * The price column's decimal separator, `"."` or `","`; decided from the prices when not given.
   */
  decimal?: Decimal | null;
};

/**
 * A cohort: the relationships starting in one period.
 */
export type SubscriptionCohort = {
  /**
   * The period, `2024-03`, `2024-Q1`, `2024`, or its first day for periods of days.
   */
  label: string;
  /**
   * `survivors[t]`: its relationships still active after t periods, for t = 0 up to the tenure
   * every one of them is observed to.
   */
  survivors: Array<number>;
};

/**
 * What `summarizeSubscriptions` read, by cohort and by period.
 */
export type SubscriptionReport = {
  /**
   * The cohorts, in time order.
   */
  byCohort: Array<SubscriptionCohort>;
  /**
   * The calendar periods from the first cohort's to the observation end's.
   */
  periods: Array<string>;
  /**
   * Subscriptions billed in each of `periods`.
   */
  subscribersByPeriod: Array<number>;
  /**
   * Revenue billed in each of `periods` (with `priceColumn`).
   */
  revenueByPeriod?: Array<number> | null;
  /**
   * Data rows read.
   */
  rows: number;
  /**
   * The first 100 skipped rows.
   */
  skipped: Array<SkippedRow>;
  /**
   * Every skipped row.
   */
  skippedCount: number;
  /**
   * Subscriptions starting after the observation end, left out.
   */
  excludedSubscriptions: number;
  /**
   * Subscriptions ending after the observation end, counted as active there.
   */
  endsAfterObservation: number;
  /**
   * Subscriptions merged into an overlapping one of the same customer.
   */
  overlapsMerged: number;
  /**
   * Returns within one period of an end, joined to the relationship before.
   */
  lapsesJoined: number;
  /**
   * Returns one period or more after an end, counted as new relationships.
   */
  resubscriptions: number;
  /**
   * The first start in the file, `YYYY-MM-DD`.
   */
  firstDate: string;
  /**
   * The latest date in the file, `YYYY-MM-DD`.
   */
  lastDate: string;
  /**
   * The observation end used, `YYYY-MM-DD`.
   */
  observationEnd: string;
  /**
   * The period used: `month`, `quarter`, `year`, or `n days`.
   */
  period: string;
  /**
   * The date format used (the one guessed with `auto`).
   */
  dateFormat: DateFormat;
  /**
   * The price column's decimal separator (the one decided with `auto`; `.` without prices).
   */
  decimal: Decimal;
  /**
   * The currency the prices name (`€12,50`, `12.50 EUR`), if they name one.
   */
  currency: string | null;
};

/**
 * `summarizeSubscriptions`' result: one row per customer relationship (parallel arrays), then the
 * cohorts, the billing by period and the report of what was read.
 */
export type SubscriptionSummary = {
  /**
   * The customer of each relationship (one who came back after a gap has two).
   */
  customerIds: Array<string>;
  /**
   * Whole periods: the period lost in when `churned` is 1, the anniversaries passed when it is 0.
   */
  tenure: Float64Array;
  /**
   * 1 when the relationship ended by the observation end, 0 when it is still active.
   */
  churned: Float64Array;
  /**
   * The index in `byCohort` of each relationship's cohort.
   */
  cohort: Float64Array;
  /**
   * The plan of each relationship's first subscription (with `planColumn`).
   */
  plan?: Array<string>;
  /**
   * With `priceColumn`, the price per period each relationship pays at its end: the sum of its
   * subscriptions still running at the observation end, or for one lost those that ended last.
   */
  price?: Float64Array;
  /**
   * The cohorts, in time order.
   */
  byCohort: Array<SubscriptionCohort>;
  /**
   * The calendar periods from the first cohort's to the observation end's.
   */
  periods: Array<string>;
  /**
   * Subscriptions billed in each of `periods`.
   */
  subscribersByPeriod: Array<number>;
  /**
   * Revenue billed in each of `periods` (with `priceColumn`).
   */
  revenueByPeriod?: Array<number> | null;
  /**
   * Data rows read.
   */
  rows: number;
  /**
   * The first 100 skipped rows.
   */
  skipped: Array<SkippedRow>;
  /**
   * Every skipped row.
   */
  skippedCount: number;
  /**
   * Subscriptions starting after the observation end, left out.
   */
  excludedSubscriptions: number;
  /**
   * Subscriptions ending after the observation end, counted as active there.
   */
  endsAfterObservation: number;
  /**
   * Subscriptions merged into an overlapping one of the same customer.
   */
  overlapsMerged: number;
  /**
   * Returns within one period of an end, joined to the relationship before.
   */
  lapsesJoined: number;
  /**
   * Returns one period or more after an end, counted as new relationships.
   */
  resubscriptions: number;
  /**
   * The first start in the file, `YYYY-MM-DD`.
   */
  firstDate: string;
  /**
   * The latest date in the file, `YYYY-MM-DD`.
   */
  lastDate: string;
  /**
   * The observation end used, `YYYY-MM-DD`.
   */
  observationEnd: string;
  /**
   * The period used: `month`, `quarter`, `year`, or `n days`.
   */
  period: string;
  /**
   * The date format used (the one guessed with `auto`).
   */
  dateFormat: DateFormat;
  /**
   * The price column's decimal separator (the one decided with `auto`; `.` without prices).
   */
  decimal: Decimal;
  /**
   * The currency the prices name (`€12,50`, `12.50 EUR`), if they name one.
   */
  currency: string | null;
};

/**
 * A customer's margin per period: a number (everyone the same) or a Gamma across customers.
 */
export type Margin = number | { mean: number; cv: number };

/**
 * Parameter risk: per run, the segment's mean parameters are drawn before its customers.
 */
export type Uncertainty = {
  /**
   * Standard deviation of the segment's first-period retention rate (drawn from a Beta).
   */
  retentionSd?: number | null;
  /**
   * Standard deviation of the segment's mean margin (drawn from a Gamma).
   */
  marginSd?: number | null;
};

/**
 * A group of customers sharing margin and retention.
 */
export type SimulationSegment = {
  /**
   * The segment's name (for `bySegment` and `acquisition.segment`); default "".
   */
  name?: string | null;
  /**
   * Customers at time 0.
   */
  customers: number;
  /**
   * Margin per customer and period.
   */
  margin: Margin;
  /**
   * Retention per period.
   */
  retention: Retention;
  /**
   * Parameter risk; none when omitted.
   */
  uncertainty?: Uncertainty | null;
};

/**
 * New customers arriving during the horizon.
 */
export type SimulationAcquisition = {
  /**
   * Mean of the Poisson number of new customers at the start of each period.
   */
  perPeriod: number;
  /**
   * Name of the segment whose parameters the new customers take.
   */
  segment: string;
  /**
   * Cost of acquiring one customer, paid when they arrive.
   */
  acquisitionCost?: number | null;
};

/**
 * `simulateEquity`'s input.
 */
export type SimulationFields = {
  /**
   * Today's customers, by segment (at least one).
   */
  segments: Array<SimulationSegment>;
  /**
   * New customers; none when omitted.
   */
  acquisition?: SimulationAcquisition | null;
  /**
   * Discount rate per period.
   */
  discountRate: number;
  /**
   * Periods simulated.
   */
  horizon: number;
  /**
   * When each period's margin is paid: `"end"` (the default) or `"start"`.
   */
  timing?: Timing | null;
  /**
   * Number of runs (required by `simulateEquity`; set once at the top level in a comparison).
   */
  runs?: number | null;
  /**
   * Seed of the random streams, a whole number up to 2^53 − 1 (same rule as `runs`).
   */
  seed?: number | null;
  /**
   * Equity target for `probAboveTarget`.
   */
  target?: number | null;
};

/**
 * Percentiles of a distribution (linear interpolation between order statistics, as numpy's default).
 */
export type Percentiles = { p5: number; p25: number; p50: number; p75: number; p95: number };

/**
 * `counts[i]` values fell in `[edges[i], edges[i + 1])` (the last bin includes its upper edge).
 */
export type Histogram = { edges: Array<number>; counts: Array<number> };

/**
 * A distribution over runs: mean, sample standard deviation (0 for a single run), percentiles and
 * histogram.
 */
export type RunDistribution = {
  mean: number;
  /**
   * Sample standard deviation (0 for a single run).
   */
  stdDev: number;
  percentiles: Percentiles;
  histogram: Histogram;
};

/**
 * The fan chart: percentiles and mean of cumulative discounted equity at the end of each period.
 */
export type ByPeriod = {
  /**
   * One value a period, `horizon` in all (as for `p50`, `p95` and `mean`).
   */
  p5: Array<number>;
  p50: Array<number>;
  p95: Array<number>;
  mean: Array<number>;
};

/**
 * A segment's mean discounted equity (acquired customers and their cost included).
 */
export type SegmentMean = { name: string; mean: number };

/**
 * `simulateEquity`'s result.
 */
export type EquitySimulation = {
  /**
   * Runs simulated.
   */
  runs: number;
  byPeriod: ByPeriod;
  /**
   * Share of runs whose equity exceeds the target; `null` without a target.
   */
  probAboveTarget: number | null;
  bySegment: Array<SegmentMean>;
  mean: number;
  /**
   * Sample standard deviation (0 for a single run).
   */
  stdDev: number;
  percentiles: Percentiles;
  histogram: Histogram;
};

/**
 * Runs `firstRun … firstRun + totals.length − 1` of a simulation (`simulateEquityChunk`), run-major;
 * `summarizeRuns` also takes the arrays as arrays of numbers.
 */
export type EquityChunk = {
  /**
   * The first run's index.
   */
  firstRun: number;
  /**
   * Each run's customer equity.
   */
  totals: Float64Array;
  /**
   * `horizon` cumulative values a run.
   */
  byPeriod: Float64Array;
  /**
   * One value a segment, a run.
   */
  bySegment: Float64Array;
};

/**
 * `compareScenariosMc`'s input: scenarios simulated with the same random numbers as the base, each a
 * whole model or changes against the base (the type `S` of `scenarios`).
 */
export type CompareScenariosMcInput = {
  base: SimulationModel;
  /**
   * Whole models (each with its own `segments`), or changes against the base as `compareScenarios`
   * takes them (`{ name, changes, segment? }`, applied per segment); all of one kind.
   */
  scenarios: Array<SimulationModel> | Array<Scenario>;
  /**
   * Runs of the base and of each scenario.
   */
  runs: number;
  /**
   * Seed of the random streams, shared by the base and the scenarios (whole, up to 2^53 − 1).
   */
  seed: number;
};

/**
 * A scenario next to the base, run for run.
 */
export type ScenarioMcComparison = {
  /**
   * The scenario's name, when it was written as changes; `null` for a whole model.
   */
  name: string | null;
  /**
   * The scenario's equity.
   */
  equity: RunDistribution;
  /**
   * Scenario minus base, run by run.
   */
  delta: RunDistribution;
  /**
   * Share of runs in which the scenario's equity exceeds the base's.
   */
  probBetter: number;
};

/**
 * `compareScenariosMc`'s result.
 */
export type McComparison = {
  /**
   * Runs simulated, of the base and of each scenario.
   */
  runs: number;
  /**
   * The base's equity.
   */
  base: RunDistribution;
  scenarios: Array<ScenarioMcComparison>;
};

/**
 * A relative change: a number, or a range `{ from, to }` the effect lies in.
 */
export type Effect = number | { from: number; to: number };

/**
 * The product's effects, relative changes (at least one).
 */
export type Improvement = {
  /**
   * Change of churn `1 − retention`: `-0.15` = 15 % less churn.
   */
  churn?: Effect | null;
  /**
   * Change of the margin: `0.05` = 5 % more margin.
   */
  margin?: Effect | null;
  /**
   * Change of the acquisition cost: `-0.1` = 10 % cheaper (needs `newCustomers`).
   */
  acquisitionCost?: Effect | null;
};

/**
 * The product's price.
 */
export type Price = {
  /**
   * Paid now; default 0.
   */
  upfront?: number | null;
  /**
   * Paid at the end of each period of the horizon; default 0.
   */
  perPeriod?: number | null;
};

/**
 * `valueStory`'s input.
 */
export type ValueStoryInput = {
  /**
   * Customers today (a whole number).
   */
  customers: number;
  /**
   * Margin per customer and period.
   */
  margin: number;
  /**
   * Retention per period, a fraction.
   */
  retention: number;
  /**
   * Discount rate per period, a fraction.
   */
  discountRate: number;
  /**
   * Periods valued.
   */
  horizon: number;
  /**
   * New customers won per period, on average; default 0.
   */
  newCustomers?: number | null;
  /**
   * Cost of winning one new customer; default 0.
   */
  acquisitionCost?: number | null;
  /**
   * What the product changes.
   */
  improvement: Improvement;
  /**
   * What the product costs; none when omitted.
   */
  price?: Price | null;
  /**
   * Runs of the simulation.
   */
  runs: number;
  /**
   * Seed of the random streams, a whole number up to 2^53 − 1.
   */
  seed: number;
};

/**
 * The expected gain, and the gain at each end of the improvement's range.
 */
export type StoryGain = {
  expected: number;
  /**
   * The smaller of the gains at the two ends of the range.
   */
  low: number;
  /**
   * The larger.
   */
  high: number;
};

/**
 * The gain over the simulated runs.
 */
export type SimulatedGain = {
  runs: number;
  /**
   * Improved minus base equity, run by run.
   */
  gain: RunDistribution;
  /**
   * Share of runs with a positive gain.
   */
  probPositive: number;
  /**
   * Share of runs whose gain exceeds `priceValue`; null without a price.
   */
  probAbovePrice: number | null;
};

/**
 * Cumulative discounted amounts at times `0..=horizon` (everything paid up to and including `t`).
 */
export type Cumulative = {
  /**
   * The expected gain.
   */
  gain: Array<number>;
  /**
   * The gain at the end of the range with the smaller total gain.
   */
  low: Array<number>;
  /**
   * The gain at the other end.
   */
  high: Array<number>;
  /**
   * The price; null without one.
   */
  price: Array<number> | null;
};

/**
 * What Reichheld & Sasser's 5-point cut in defections does to this prospect's equity.
 */
export type RuleOfThumb = {
  /**
   * Retention after the cut (`retention + 0.05`, at most 1).
   */
  retention: number;
  /**
   * Its expected equity gain.
   */
  gain: number;
  /**
   * The gain in percent of today's expected equity; null when that is 0.
   */
  gainPercent: number | null;
};

/**
 * `valueStory`'s result.
 */
export type ValueStory = {
  /**
   * Expected customer equity over the horizon without the product.
   */
  equityBefore: number;
  /**
   * Expected customer equity with it, the effect averaged over its range.
   */
  equityAfter: number;
  gain: StoryGain;
  simulated: SimulatedGain;
  /**
   * Present value of the price over the horizon; null without a price.
   */
  priceValue: number | null;
  /**
   * First time, in periods, at which the expected cumulative gain reaches the cumulative price;
   * null without a price, or when it does not within the horizon.
   */
  payback: number | null;
  cumulative: Cumulative;
  ruleOfThumb: RuleOfThumb;
};

/**
 * Runs `firstRun … firstRun + gains.length − 1` of a value story's simulation (`valueStoryChunk`);
 * `summarizeStory` also takes `gains` as an array of numbers.
 */
export type StoryChunk = {
  /**
   * The first run's index.
   */
  firstRun: number;
  /**
   * Each run's gain: improved minus base equity.
   */
  gains: Float64Array;
};

/**
 * Numbers as JavaScript may pass them: a `Float64Array` (copied in one go) or an array of numbers.
 */
export type Numbers = Float64Array | number[];

/**
 * Customers summarised by frequency, recency and age, as the repeat-buying models take them.
 */
export type CustomerColumns = {
  /**
   * Repeat purchases x.
   */
  frequency: Numbers;
  /**
   * Time of the last purchase since the first, t_x.
   */
  recency: Numbers;
  /**
   * Time since the first purchase, T.
   */
  T: Numbers;
  /**
   * How many customers each row stands for (default 1).
   */
  weights?: Numbers | null;
};

/**
 * Transaction patterns over discrete opportunities.
 */
export type OpportunityData = {
  frequency: Numbers;
  recency: Numbers;
  periods: Numbers;
  weights?: Numbers | null;
};

/**
 * Customers' repeat purchase counts and mean repeat spend.
 */
export type SpendColumns = { frequency: Numbers; monetaryValue: Numbers; weights?: Numbers | null };

/**
 * sBG parameters: churn probability θ ~ Beta(alpha, beta).
 */
export type Sbg = { alpha: number; beta: number };

/**
 * BdW parameters: churn propensity θ ~ Beta(gamma, delta), duration dependence c.
 */
export type Bdw = { gamma: number; delta: number; c: number };

/**
 * BG/NBD parameters: λ ~ Gamma(r, alpha), p ~ Beta(a, b).
 */
export type BgNbd = { r: number; alpha: number; a: number; b: number };

/**
 * Pareto/NBD parameters: λ ~ Gamma(r, alpha), μ ~ Gamma(s, beta).
 */
export type ParetoNbd = { r: number; alpha: number; s: number; beta: number };

/**
 * MBG/NBD parameters, named as BG/NBD's: `{ r, alpha, a, b }`.
 */
export type ModifiedBgNbd = BgNbd;

/**
 * Gamma-Gamma parameters.
 */
export type GammaGamma = { p: number; q: number; gamma: number };

/**
 * BG/BB parameters: p ~ Beta(alpha, beta), θ ~ Beta(gamma, delta).
 */
export type BgBb = { alpha: number; beta: number; gamma: number; delta: number };

/**
 * A fitted model: the tag and its parameters, as `{ model: "bgnbd", params: { r, alpha, a, b } }`.
 */
export type Model = { "model": "sbg"; "params": Sbg } | { "model": "bdw"; "params": Bdw } | { "model": "bgnbd"; "params": BgNbd } | { "model": "paretonbd"; "params": ParetoNbd } | { "model": "mbgnbd"; "params": ModifiedBgNbd } | { "model": "gammagamma"; "params": GammaGamma } | { "model": "bgbb"; "params": BgBb };

/**
 * How the optimiser recognised the maximum: serialized `"gradientSmall"` or `"precisionLimit"`.
 */
export type Termination = "gradientSmall" | "precisionLimit";

/**
 * A covariance matrix of named parameters: `matrix[i][j]` is the covariance of `names[i]` and
 * `names[j]`.
 */
export type Covariance = { names: Array<string>; matrix: Array<Array<number>> };

/**
 * How serious a finding is.
 */
export type Severity = "problem" | "warning";

/**
 * One thing found, in words.
 */
export type FitDataFinding = {
  /**
   * A stable name: `fewCustomers`, `fewRepeatBuyers`, `extremeFrequencies`, `shortCalibration`,
   * `longAges`, `noSpend`, `emptyHoldout`.
   */
  code: string;
  severity: Severity;
  /**
   * What was found and what to do about it.
   */
  message: string;
};

/**
 * `checkFitData`'s result: the counts the findings rest on, and the findings (none when all is well).
 */
export type FitDataCheck = {
  /**
   * Customers (weights summed).
   */
  customers: number;
  /**
   * Customers with at least one repeat purchase.
   */
  repeatBuyers: number;
  /**
   * The median of T, in the summary's time unit.
   */
  medianAge: number;
  findings: Array<FitDataFinding>;
};

/**
 * Actual against predicted purchases.
 */
export type HoldoutTotal = { actual: number; predicted: number };

/**
 * One row of the calibration-vs-holdout table.
 */
export type HoldoutByFrequency = {
  /**
   * Calibration repeat purchases; the last row (7) holds 7 or more.
   */
  frequency: number;
  /**
   * `"0"`, …, `"6"`, `"7+"`.
   */
  label: string;
  /**
   * Customers in the row (weights summed).
   */
  customers: number;
  /**
   * Mean actual holdout purchases.
   */
  actual: number;
  /**
   * Mean predicted holdout purchases.
   */
  predicted: number;
};

/**
 * How a model's predictions compare with a holdout period.
 */
export type HoldoutScorecard = {
  /**
   * The holdout's length h, in the summary's time unit.
   */
  horizon: number;
  /**
   * Customers (weights summed).
   */
  customers: number;
  /**
   * Mean absolute error of the holdout purchases per customer.
   */
  mae: number;
  /**
   * Root mean squared error of the holdout purchases per customer.
   */
  rmse: number;
  /**
   * Mean of predicted − actual holdout purchases: positive when the model predicts too many.
   */
  bias: number;
  /**
   * The whole base's holdout purchases, actual and predicted.
   */
  total: HoldoutTotal;
  /**
   * By calibration repeat purchases 0, 1, …, 6 and 7+ (rows without customers left out).
   */
  byFrequency: Array<HoldoutByFrequency>;
  /**
   * Gamma-Gamma against the holdout's spend, when a spend model is given.
   */
  spend?: HoldoutSpend;
  /**
   * How `predictIntervals`' intervals fare on the holdout, when asked for.
   */
  intervals?: HoldoutIntervals;
};

/**
 * What a comparison ranks by.
 */
export type RankedBy = "holdoutMae" | "bic";

/**
 * One model of a comparison.
 */
export type ComparedModel = {
  /**
   * `"bgnbd"`, `"paretonbd"` or `"mbgnbd"`.
   */
  model: string;
  /**
   * `"BG/NBD"`, `"Pareto/NBD"` or `"MBG/NBD"`.
   */
  name: string;
  /**
   * 1 for the best; `null` when the fit failed.
   */
  rank: number | null;
  /**
   * The fit, `null` when it failed.
   */
  fit: Fit | null;
  /**
   * Why the fit failed, `null` when it did not.
   */
  error: string | null;
  /**
   * 2k − 2ℓ.
   */
  aic: number | null;
  /**
   * k ln n − 2ℓ.
   */
  bic: number | null;
  /**
   * The holdout scorecard, when a holdout was given.
   */
  holdout: HoldoutScorecard | null;
};

/**
 * `compareModels`' result: every model, best first, and the recommendation.
 */
export type ModelComparison = {
  /**
   * The models in rank order; those that could not be fitted last.
   */
  models: Array<ComparedModel>;
  /**
   * The best model's tag: `"bgnbd"`, `"paretonbd"` or `"mbgnbd"`.
   */
  best: string;
  /**
   * What the ranking rests on.
   */
  rankedBy: RankedBy;
  /**
   * Which model to use and why, in words.
   */
  reason: string;
};

/**
 * `compareRetention`'s options.
 */
export type RetentionCompareOptions = {
  /**
   * The last periods of every cohort to hold out of the fits and project (none by default).
   */
  holdoutPeriods?: number | null;
};

/**
 * One model of the comparison.
 */
export type RetentionCandidate = {
  /**
   * `"sbg"` or `"bdw"`.
   */
  model: string;
  /**
   * `"sBG"` or `"BdW"`.
   */
  name: string;
  /**
   * 1 for the best; `null` when the fit failed.
   */
  rank: number | null;
  /**
   * The fit on the calibration counts, `null` when it failed.
   */
  fit: SbgFitShape | null;
  /**
   * Why the fit failed, `null` when it did not.
   */
  error: string | null;
  /**
   * 2k − 2ℓ.
   */
  aic: number | null;
  /**
   * k ln n − 2ℓ.
   */
  bic: number | null;
  /**
   * The projected survivors at each of `holdout.tenure` (with a holdout).
   */
  projected: Array<number> | null;
  /**
   * The mean absolute percentage error of `projected` against `holdout.actual`, in percent.
   */
  holdoutError: number | null;
};

/**
 * The held-out counts, summed over the cohorts held out at each tenure.
 */
export type RetentionHoldout = { tenure: Array<number>; actual: Array<number> };

/**
 * The likelihood-ratio test of c = 1 (BdW against sBG).
 */
export type LikelihoodRatio = {
  /**
   * 2(ℓ_BdW − ℓ_sBG).
   */
  statistic: number;
  /**
   * P(χ²₁ > statistic).
   */
  pValue: number;
};

/**
 * `compareRetention`'s result.
 */
export type RetentionComparison = {
  /**
   * The models, best first; a failed fit last.
   */
  models: Array<RetentionCandidate>;
  /**
   * The best model's tag.
   */
  best: string;
  /**
   * `"holdoutError"` with a holdout, else `"bic"`.
   */
  rankedBy: string;
  /**
   * With a holdout: what happened.
   */
  holdout: RetentionHoldout | null;
  /**
   * When both fits converged.
   */
  likelihoodRatio: LikelihoodRatio | null;
  /**
   * Which model to use and why, in words.
   */
  reason: string;
};

/**
 * The retention model fitted per level.
 */
export type RetentionModel = "sbg" | "bdw";

/**
 * `fitRetentionByPlan`'s options.
 */
export type RetentionByLevelOptions = {
  /**
   * `"bdw"` (the default) or `"sbg"`.
   */
  model?: RetentionModel | null;
};

/**
 * One level's subscribers and fit.
 */
export type LevelFit = {
  /**
   * The level as it is in the data.
   */
  level: string;
  /**
   * Its subscribers (weights summed).
   */
  subscribers: number;
  /**
   * Of them, still active.
   */
  active: number;
  /**
   * The fit, `null` when it failed.
   */
  fit: SbgFitShape | null;
  /**
   * Why the fit failed, `null` when it did not.
   */
  error: string | null;
};

/**
 * The likelihood-ratio test of one set of parameters for all levels.
 */
export type LevelTest = {
  /**
   * 2(Σ ℓ_level − ℓ_pooled), over the levels that fitted.
   */
  statistic: number;
  /**
   * k(L − 1).
   */
  degreesOfFreedom: number;
  /**
   * P(χ² > statistic).
   */
  pValue: number;
};

/**
 * `fitRetentionByPlan`'s result.
 */
export type RetentionByLevel = {
  model: RetentionModel;
  /**
   * One fit of all subscribers.
   */
  pooled: SbgFitShape;
  /**
   * The levels, most subscribers first.
   */
  levels: Array<LevelFit>;
  /**
   * With at least two levels fitted.
   */
  likelihoodRatio: LevelTest | null;
  /**
   * Whether the levels differ, in words.
   */
  reason: string;
};

/**
 * Future subscribers: how many arrive, for how long, at what cost each.
 */
export type SubscriberAcquisition = {
  /**
   * New subscribers at the end of each period.
   */
  perPeriod: number;
  /**
   * Periods of acquisition, a whole number from 1 to 1,200.
   */
  periods: number;
  /**
   * The cost of acquiring one.
   */
  acquisitionCost: number;
};

/**
 * `valueSubscribers`' options.
 */
export type SubscriberValueOptions = {
  /**
   * The margin per subscriber per period, the same for every one; or give `marginRate`.
   */
  margin?: number | null;
  /**
   * The margin as a share of each subscriber's own price per period (at most 1), with the
   * prices given (`data.price`, as `summarizeSubscriptions` reads them with `priceColumn`).
   */
  marginRate?: number | null;
  /**
   * The discount rate per period.
   */
  discountRate: number;
  /**
   * The most periods valued per subscriber; as many as the discounting needs when not given.
   */
  horizon?: number | null;
  /**
   * Future subscribers, if any.
   */
  acquisition?: SubscriberAcquisition | null;
  /**
   * The intervals' coverage, in (0, 1); 0.9 by default.
   */
  level?: number | null;
  /**
   * Parameter draws, at most 10,000; 1,000 by default.
   */
  draws?: number | null;
  /**
   * The seed of the draws; 1 by default.
   */
  seed?: number | null;
};

/**
 * The subscribers of one tenure and what each is worth at the estimate.
 */
export type SubscribersAtTenure = {
  tenure: number;
  subscribers: number;
  /**
   * Their mean margin per period × DERL(tenure): what one of them is worth.
   */
  value: number;
};

/**
 * What a constant-retention model of the same durations makes of the base.
 */
export type ConstantRetentionValue = {
  /**
   * r̂ = 1 − lost / periods at risk.
   */
  retention: number;
  /**
   * The existing subscribers' value under r̂.
   */
  existing: number;
  /**
   * How much lower than the heterogeneous estimate, as a share of it (negative when higher).
   */
  shortfall: number;
};

/**
 * `valueSubscribers`' result.
 */
export type SubscriberValue = {
  /**
   * Active subscribers valued.
   */
  subscribers: number;
  /**
   * Their mean margin per period: `margin`, or `marginRate` × their mean price (also the margin
   * of each future subscriber).
   */
  meanMargin: number;
  /**
   * Their value: at the estimate, over the draws, and its interval.
   */
  existing: ValueInterval;
  /**
   * Future subscribers' value net of acquisition cost (with `acquisition`).
   */
  future: ValueInterval | null;
  /**
   * Existing plus future.
   */
  total: ValueInterval;
  /**
   * The active subscribers by tenure.
   */
  byTenure: Array<SubscribersAtTenure>;
  /**
   * The constant-retention model's value of the same subscribers.
   */
  constantRetention: ConstantRetentionValue;
};

/**
 * The result of a maximum-likelihood fit.
 */
export type Fit = {
  /**
   * Total log-likelihood at the parameters (weighted).
   */
  logLikelihood: number;
  /**
   * Asymptotic standard errors keyed like the parameters; `null` where the Hessian gives none.
   */
  standardErrors: { [key in string]: number | null };
  /**
   * The asymptotic covariance of the estimates (the inverse observed information, carried to the
   * parameters' own scale by the delta method), in the order of `params`; its diagonal is the
   * squares of `standardErrors`.
   */
  covariance: Covariance;
  /**
   * Why the optimiser stopped at this maximum (a fit that does not converge is an error instead).
   */
  termination: Termination;
  iterations: number;
  /**
   * Starting points tried (1 when the first converged).
   */
  starts: number;
} & ({ "model": "sbg"; "params": Sbg } | { "model": "bdw"; "params": Bdw } | { "model": "bgnbd"; "params": BgNbd } | { "model": "paretonbd"; "params": ParetoNbd } | { "model": "mbgnbd"; "params": ModifiedBgNbd } | { "model": "gammagamma"; "params": GammaGamma } | { "model": "bgbb"; "params": BgBb });

/**
 * `fitBgNbd`'s and `fitParetoNbd`'s options.
 */
export type CovariateOptions = {
  /**
   * The summary's attributes to use as covariates of both processes, by column name.
   */
  covariates?: Array<string>;
};

/**
 * The process a coefficient acts on.
 */
export type CovariateProcess = "purchase" | "dropout" | "spend";

/**
 * One covariate as fitted: how its column of the design was made.
 */
export type Covariate = {
  "kind": "categorical";
  name: string;
  reference: string;
  levels: Array<string>;
} | { "kind": "numeric"; name: string; centre: number };

/**
 * One coefficient: its process, its column of the design (`channel=web`, `age`), the estimate and
 * its standard error.
 */
export type Coefficient = {
  process: CovariateProcess;
  term: string;
  estimate: number;
  standardError: number;
};

/**
 * The likelihood-ratio test of all coefficients zero (the fit without covariates).
 */
export type CovariateLikelihoodRatio = {
  /**
   * 2(ℓ with covariates − ℓ without).
   */
  statistic: number;
  /**
   * The number of coefficients.
   */
  degreesOfFreedom: number;
  /**
   * P(χ² > statistic) with those degrees of freedom.
   */
  pValue: number;
};

/**
 * A fit with covariates.
 */
export type CovariateFit = {
  /**
   * The covariates, in the order of the coefficients' terms.
   */
  covariates: Array<Covariate>;
  /**
   * The purchase coefficients, then the dropout ones, each in the order of the terms.
   */
  coefficients: Array<Coefficient>;
  /**
   * Total log-likelihood at the estimates (weighted).
   */
  logLikelihood: number;
  /**
   * Standard errors of `params`.
   */
  standardErrors: { [key in string]: number | null };
  /**
   * The covariance of `params` and the coefficients, named `purchase:channel=web` and
   * `dropout:channel=web` after the parameters.
   */
  covariance: Covariance;
  termination: Termination;
  iterations: number;
  starts: number;
  /**
   * The same model fitted without covariates.
   */
  withoutCovariates: Fit;
  likelihoodRatio: CovariateLikelihoodRatio;
} & ({ "model": "sbg"; "params": Sbg } | { "model": "bdw"; "params": Bdw } | { "model": "bgnbd"; "params": BgNbd } | { "model": "paretonbd"; "params": ParetoNbd } | { "model": "mbgnbd"; "params": ModifiedBgNbd } | { "model": "gammagamma"; "params": GammaGamma } | { "model": "bgbb"; "params": BgBb });

/**
 * A Gamma-Gamma fit with covariates and how many customers it was fitted on, as
 * `gammagamma::GammaGammaFit` says.
 */
export type SpendCovariateFit = {
  /**
   * Customers fitted on (frequency > 0 and monetaryValue > 0).
   */
  included: number;
  /**
   * Customers left out.
   */
  excluded: number;
  /**
   * The covariates, in the order of the coefficients' terms.
   */
  covariates: Array<Covariate>;
  /**
   * The purchase coefficients, then the dropout ones, each in the order of the terms.
   */
  coefficients: Array<Coefficient>;
  /**
   * Total log-likelihood at the estimates (weighted).
   */
  logLikelihood: number;
  /**
   * Standard errors of `params`.
   */
  standardErrors: { [key in string]: number | null };
  /**
   * The covariance of `params` and the coefficients, named `purchase:channel=web` and
   * `dropout:channel=web` after the parameters.
   */
  covariance: Covariance;
  termination: Termination;
  iterations: number;
  starts: number;
  /**
   * The same model fitted without covariates.
   */
  withoutCovariates: Fit;
  likelihoodRatio: CovariateLikelihoodRatio;
} & ({ "model": "sbg"; "params": Sbg } | { "model": "bdw"; "params": Bdw } | { "model": "bgnbd"; "params": BgNbd } | { "model": "paretonbd"; "params": ParetoNbd } | { "model": "mbgnbd"; "params": ModifiedBgNbd } | { "model": "gammagamma"; "params": GammaGamma } | { "model": "bgbb"; "params": BgBb });

/**
 * An sBG fit with the survival curve and retention rates it projects.
 */
export type SbgFitShape = {
  /**
   * Projected S(t) for t = 0 … 2 × (observed periods), S(0) = 1.
   */
  survival: Array<number>;
  /**
   * Projected retention rates r(t) = S(t)/S(t − 1) for t = 1 … 2 × (observed periods).
   */
  retention: Array<number>;
  /**
   * Total log-likelihood at the parameters (weighted).
   */
  logLikelihood: number;
  /**
   * Asymptotic standard errors keyed like the parameters; `null` where the Hessian gives none.
   */
  standardErrors: { [key in string]: number | null };
  /**
   * The asymptotic covariance of the estimates (the inverse observed information, carried to the
   * parameters' own scale by the delta method), in the order of `params`; its diagonal is the
   * squares of `standardErrors`.
   */
  covariance: Covariance;
  /**
   * Why the optimiser stopped at this maximum (a fit that does not converge is an error instead).
   */
  termination: Termination;
  iterations: number;
  /**
   * Starting points tried (1 when the first converged).
   */
  starts: number;
} & ({ "model": "sbg"; "params": Sbg } | { "model": "bdw"; "params": Bdw } | { "model": "bgnbd"; "params": BgNbd } | { "model": "paretonbd"; "params": ParetoNbd } | { "model": "mbgnbd"; "params": ModifiedBgNbd } | { "model": "gammagamma"; "params": GammaGamma } | { "model": "bgbb"; "params": BgBb });

/**
 * A Gamma-Gamma fit and how many customers were left out (no repeat purchase or no spend).
 */
export type GammaGammaFitShape = {
  /**
   * Customers fitted on (frequency > 0 and monetaryValue > 0).
   */
  included: number;
  /**
   * Customers left out.
   */
  excluded: number;
  /**
   * Total log-likelihood at the parameters (weighted).
   */
  logLikelihood: number;
  /**
   * Asymptotic standard errors keyed like the parameters; `null` where the Hessian gives none.
   */
  standardErrors: { [key in string]: number | null };
  /**
   * The asymptotic covariance of the estimates (the inverse observed information, carried to the
   * parameters' own scale by the delta method), in the order of `params`; its diagonal is the
   * squares of `standardErrors`.
   */
  covariance: Covariance;
  /**
   * Why the optimiser stopped at this maximum (a fit that does not converge is an error instead).
   */
  termination: Termination;
  iterations: number;
  /**
   * Starting points tried (1 when the first converged).
   */
  starts: number;
} & ({ "model": "sbg"; "params": Sbg } | { "model": "bdw"; "params": Bdw } | { "model": "bgnbd"; "params": BgNbd } | { "model": "paretonbd"; "params": ParetoNbd } | { "model": "mbgnbd"; "params": ModifiedBgNbd } | { "model": "gammagamma"; "params": GammaGamma } | { "model": "bgbb"; "params": BgBb });

/**
 * Per-customer predictions of a purchase model (`predict`).
 */
export type Predictions = {
  /**
   * Expected purchases in the next `horizon` time units (opportunities for BG/BB).
   */
  expectedPurchases: Float64Array;
  /**
   * Probability that the customer is alive now.
   */
  probAlive: Float64Array;
};

/**
 * `predict`'s options.
 */
export type HorizonOptions = {
  /**
   * How far ahead: time units (future opportunities for BG/BB).
   */
  horizon: number;
};

/**
 * `compareModels`' options.
 */
export type HoldoutOptions = {
  /**
   * The holdout's length in time units; by default the summary's `holdoutLength`.
   */
  horizon?: number | null;
};

/**
 * `evaluateHoldout`'s options.
 */
export type ScorecardOptions = {
  /**
   * The holdout's length in time units; by default the summary's `holdoutLength`.
   */
  horizon?: number | null;
  /**
   * With `{ level?, draws?, seed? }`, `predictIntervals`' intervals over the holdout are checked
   * too (the fit's covariance is needed).
   */
  intervals?: DrawOptions | null;
  /**
   * With a Gamma-Gamma fit, its spend predictions are scored on the holdout too (the summary then
   * needs `monetaryValue` and `holdoutMonetaryValue`).
   */
  spendFit?: GammaGammaFitShape | null;
};

/**
 * `predictIntervals` over the holdout, against what happened.
 */
export type HoldoutIntervals = {
  /**
   * The intervals' level.
   */
  level: number;
  /**
   * The base's holdout purchases as predicted: mean and `level` interval.
   */
  total: TotalInterval;
  /**
   * Whether the actual holdout total lies in that interval.
   */
  totalInside: boolean;
  /**
   * The share of customers (weighted) whose holdout purchases lie in their own purchase interval:
   * at least `level` when the intervals are calibrated (more, as intervals of whole numbers hold
   * more than `level` of the mass).
   */
  coverage: number;
};

/**
 * A spend model against the holdout: the mean spend per transaction of each customer who bought in
 * the holdout, m_h, against the model's E[M | x, m̄] from the calibration period (Fader, Hardie & Lee
 * 2005, "RFM and CLV", Journal of Marketing Research), and the base's holdout revenue.
 */
export type HoldoutSpend = {
  /**
   * Customers who bought in the holdout (weights summed): those the spend errors are over.
   */
  customers: number;
  /**
   * Mean absolute error of the spend per transaction.
   */
  mae: number;
  /**
   * Root mean squared error of the spend per transaction.
   */
  rmse: number;
  /**
   * Mean of predicted − actual spend per transaction.
   */
  bias: number;
  /**
   * The base's holdout revenue: actual Σ y·m_h against predicted Σ E[Y]·E[M].
   */
  revenue: HoldoutTotal;
};

/**
 * How the parameters' uncertainty is drawn.
 */
export type Method = "laplace" | "bootstrap";

/**
 * `predictIntervals`' options.
 */
export type IntervalOptions = {
  /**
   * How far ahead, in the summary's time unit.
   */
  horizon: number;
  /**
   * The intervals' coverage, in (0, 1); 0.9 by default.
   */
  level?: number | null;
  /**
   * Parameter draws (`laplace`, at most 10,000) or refits (`bootstrap`, at most 1,000); 1,000 by
   * default.
   */
  draws?: number | null;
  /**
   * The seed of the draws, a whole number from 0 to 2³² − 1; 1 by default.
   */
  seed?: number | null;
  /**
   * `"laplace"` (the default) or `"bootstrap"`.
   */
  method?: Method | null;
  /**
   * With a spend fit (`spendFit`): each customer's value over the next months, as `customerValue`
   * computes it, with its interval.
   */
  value?: ValueOptions | null;
};

/**
 * The whole base's purchases over the horizon, and its value.
 */
export type TotalInterval = {
  mean: number;
  lower: number;
  upper: number;
  /**
   * With a spend fit: the base's value (the sum of the customers'), at the estimates, its mean over
   * the draws and its `level` interval (the parameters' uncertainty: the value is an expectation).
   */
  value?: ValueInterval;
};

/**
 * `valueCustomerBase`' options.
 */
export type BaseValueOptions = {
  /**
   * The months to value, their discount rate and the model's time units per month.
   */
  value: ValueOptions;
  /**
   * Parameter draws (`laplace`) or refits (`bootstrap`), as `predictIntervals` takes them, with
   * draws × months and draws × segments each at most 4,194,304; 1,000 by default.
   */
  draws?: number | null;
  /**
   * The seed of the draws, a whole number from 0 to 2³² − 1; 1 by default.
   */
  seed?: number | null;
  /**
   * `"laplace"` (the default) or `"bootstrap"`.
   */
  method?: Method | null;
  /**
   * With a target value: the share of draws whose value exceeds it.
   */
  target?: number | null;
  /**
   * The intervals' coverage, in (0, 1); 0.9 by default.
   */
  level?: number | null;
  /**
   * Per segment, by its name: acquisition cost, new customers a month, competitors' equity.
   */
  segments?: { [key in string]: SegmentPlan } | null;
};

/**
 * What a planner knows of a segment's acquisition and market.
 */
export type SegmentPlan = {
  /**
   * What acquiring one new customer of the segment costs, in the spend's currency (above 0, at most
   * 10¹⁵).
   */
  acquisitionCost?: number | null;
  /**
   * New customers acquired a month, for the cohorts to come (at least 0, at most 10⁹).
   */
  newCustomersPerMonth?: number | null;
  /**
   * The competitors' customer equity in the segment, in the spend's currency (0 to 10¹⁵).
   */
  competitorEquity?: number | null;
};

/**
 * The fitted base's value over the parameter draws: `simulateEquity`'s shape (its runs the draws,
 * its periods months, `bySegment` the segments' mean equity), and the three levels.
 */
export type BaseValue = {
  /**
   * At the estimates: the sum of `customerValue`'s.
   */
  estimate: number;
  /**
   * The segmentation: an attribute's name, `rfm`, `cohort`, `given`; `null` for one segment of all
   * customers.
   */
  segmentBy: string | null;
  /**
   * In the segmentation's order.
   */
  segments: Array<BaseSegment>;
  aggregate: AggregateValue;
  /**
   * The segments with an acquisition cost, the highest next dollar first.
   */
  nextDollar: Array<NextDollar>;
  /**
   * Runs simulated.
   */
  runs: number;
  byPeriod: ByPeriod;
  /**
   * Share of runs whose equity exceeds the target; `null` without a target.
   */
  probAboveTarget: number | null;
  bySegment: Array<SegmentMean>;
  mean: number;
  /**
   * Sample standard deviation (0 for a single run).
   */
  stdDev: number;
  percentiles: Percentiles;
  histogram: Histogram;
};

/**
 * One segment of the base.
 */
export type BaseSegment = {
  name: string;
  /**
   * Its customers (the sum of their weights).
   */
  customers: number;
  /**
   * Its customers' values; `null` without customers.
   */
  clv: SegmentSpread | null;
  /**
   * Σ V_i over its customers.
   */
  equity: ValueInterval;
  /**
   * Its equity over the base's (0 to 1).
   */
  shareOfBase: ValueInterval;
  /**
   * Its customers' mean expected purchases over the months, at the estimates; `null` without
   * customers.
   */
  expectedPurchases: number | null;
  /**
   * Its customers' mean P(alive), at the estimates; `null` without customers.
   */
  probAlive: number | null;
  /**
   * The shares of its customers with P(alive) below 0.25, from 0.25 to 0.5, from 0.5 to 0.75, and
   * 0.75 or more (each interval closed below); zeros without customers.
   */
  probAliveMix: Array<number>;
  /**
   * With its `acquisitionCost`.
   */
  acquisition: SegmentAcquisition | null;
  /**
   * With its `newCustomersPerMonth`: F, the cohorts to come (less their acquisition costs when
   * `acquisitionCost` is given).
   */
  futureEquity: ValueInterval | null;
  /**
   * With its `competitorEquity`: that, and its customer equity share, (equity + futureEquity) /
   * (that + equity + futureEquity).
   */
  competitorEquity: number | null;
  equityShare: ValueInterval | null;
};

/**
 * A segment's customers' value.
 */
export type SegmentSpread = {
  /**
   * The mean of the customers' values.
   */
  mean: number;
  /**
   * The 10th, 20th, … 90th percentiles: each the smallest value with at least that share of the
   * segment's customers at or below it.
   */
  deciles: Array<number>;
};

/**
 * What a segment's new customers are worth against what they cost.
 */
export type SegmentAcquisition = {
  acquisitionCost: number;
  /**
   * N(M) / c.
   */
  ltvToCac: ValueInterval;
  /**
   * N(M) / c − 1: the equity one more unit of acquisition spend adds.
   */
  nextDollar: ValueInterval;
  /**
   * The first month by whose end a new customer's value N(h) covers the cost (0: the acquisition
   * purchase does), at the estimates; `null` when not within the months.
   */
  paybackMonths: number | null;
};

/**
 * The whole base.
 */
export type AggregateValue = {
  /**
   * Σ V_i over all customers (as `estimate`).
   */
  currentEquity: ValueInterval;
  /**
   * Σ F over the segments given `newCustomersPerMonth`; `null` when none is.
   */
  futureEquity: ValueInterval | null;
  /**
   * Current plus future equity.
   */
  totalEquity: ValueInterval;
  /**
   * N(M): what a customer acquired now is worth over the months, the acquisition purchase
   * included.
   */
  newCustomerValue: ValueInterval;
  /**
   * Σ of the segments' `competitorEquity` and the base's customer equity share, when every segment
   * gives one; else `null` (the segments' own shares are still given).
   */
  competitorEquity: number | null;
  equityShare: ValueInterval | null;
};

/**
 * A segment in the "next dollar" ranking.
 */
export type NextDollar = {
  segment: string;
  /**
   * Its `acquisition.nextDollar`.
   */
  nextDollar: ValueInterval;
};

/**
 * `valueCustomerBase`'s customers: Float64Arrays (and a Uint32Array) in the summary's order.
 */
export type BaseCustomers = {
  /**
   * Each customer's value over the months at the estimates (`customerValue`'s).
   */
  clv: Float64Array;
  /**
   * Its central `level` interval over the parameter draws.
   */
  clvLower: Float64Array;
  clvUpper: Float64Array;
  /**
   * Each customer's segment, an index into `segments`.
   */
  segment: Uint32Array;
};

/**
 * `predictIntervals`' result: per customer (Float64Arrays in the summary's order) and for the base.
 */
export type PredictionIntervals = {
  /**
   * E[Y(horizon)], averaged over the parameter draws.
   */
  expectedPurchases: Float64Array;
  /**
   * The central `level` interval of the number of purchases (whole numbers; it holds at least
   * `level` of the predictive mass).
   */
  purchasesLower: Float64Array;
  purchasesUpper: Float64Array;
  /**
   * P(alive) at the estimate, and its `level` interval over the draws.
   */
  probAlive: Float64Array;
  probAliveLower: Float64Array;
  probAliveUpper: Float64Array;
  /**
   * With `spendFit` and `value`: each customer's value over `value.months` at the estimates (as
   * `customerValue` gives it), and its `level` interval over the parameter draws.
   */
  clv?: Float64Array;
  clvLower?: Float64Array;
  clvUpper?: Float64Array;
  /**
   * The whole base's purchases over the horizon: mean and `level` interval (and with a spend fit,
   * its value).
   */
  total: TotalInterval;
};

/**
 * `clvIntervals`' options.
 */
export type DrawOptions = {
  /**
   * The intervals' coverage, in (0, 1); 0.9 by default.
   */
  level?: number | null;
  /**
   * Parameter draws, at most 10,000; 1,000 by default.
   */
  draws?: number | null;
  /**
   * The seed of the draws, a whole number from 0 to 2³² − 1; 1 by default.
   */
  seed?: number | null;
};

/**
 * A value at the estimate, its mean over the draws and its `level` interval.
 */
export type ValueInterval = { estimate: number; mean: number; lower: number; upper: number };

/**
 * `clvIntervals`' result.
 */
export type ClvIntervals = {
  /**
   * The customer's value.
   */
  clv: ValueInterval;
  /**
   * Value less acquisition cost.
   */
  netValue: ValueInterval;
};

/**
 * How `customer_value` discounts and converts months into the model's time unit.
 */
export type ValueOptions = {
  /**
   * Months of future purchases to count (1 to 1200).
   */
  months: number;
  /**
   * Discount rate per month (0.01 = 1 %), from 0 to 1.
   */
  monthlyDiscountRate: number;
  /**
   * Model time units per month (4.345 when the summary is in weeks, 1 for months), above 0 and at
   * most 10⁶.
   */
  unitsPerMonth: number;
};

/**
 * An sBG fit (`fitSbg`), with the survival curve and retention rates it projects.
 */
export type SbgFit = Extract<SbgFitShape, { model: "sbg" }>;

/**
 * Contract durations (`fitSbg`, `fitBdw`): one cohort's survivor counts (`survivors[t]`, still customers at tenure t, t = 0 the acquisition), several cohorts' (each observed as long as it has counts), or one row per customer: `tenure` in whole periods, the period of churn when `churned` is 1, the renewals so far when it is 0; `weights` count identical rows.
 */
export type DurationData = { survivors: Numbers } | { cohorts: number[][] } | { tenure: Numbers; churned: Numbers; weights?: Numbers | null };

/**
 * A beta-discrete-Weibull fit (`fitBdw`), with the survival curve and retention rates it projects.
 */
export type BdwFit = Extract<SbgFitShape, { model: "bdw" }>;

/**
 * A Gamma-Gamma fit (`fitGammaGamma`), with the customers it was fitted on.
 */
export type GammaGammaFit = Extract<GammaGammaFitShape, { model: "gammagamma" }>;

/**
 * A BG/NBD fit (`fitBgNbd`).
 */
export type BgNbdFit = Extract<Fit, { model: "bgnbd" }>;

/**
 * A BG/NBD fit with covariates (`fitBgNbd(summary, { covariates })`).
 */
export type BgNbdCovariateFit = Extract<CovariateFit, { model: "bgnbd" }>;

/**
 * A Pareto/NBD fit with covariates (`fitParetoNbd(summary, { covariates })`).
 */
export type ParetoNbdCovariateFit = Extract<CovariateFit, { model: "paretonbd" }>;

/**
 * A Gamma-Gamma fit with covariates (`fitGammaGamma(data, { covariates })`).
 */
export type GammaGammaCovariateFit = Extract<SpendCovariateFit, { model: "gammagamma" }>;

/**
 * An MBG/NBD fit (`fitModifiedBgNbd`).
 */
export type MbgNbdFit = Extract<Fit, { model: "mbgnbd" }>;

/**
 * A Pareto/NBD fit (`fitParetoNbd`).
 */
export type ParetoNbdFit = Extract<Fit, { model: "paretonbd" }>;

/**
 * A BG/BB fit (`fitBgBb`).
 */
export type BgBbFit = Extract<Fit, { model: "bgbb" }>;

/**
 * A fit of a repeat-purchase model: what `predict`, `expectedPurchasesNew`, `probPurchases` and `customerValue` take.
 */
export type PurchaseFit = Extract<Fit, { model: "bgnbd" | "mbgnbd" | "paretonbd" | "bgbb" }>;

/**
 * The input of `simulateEquity`, `simulateEquityChunk` and `summarizeRuns`: the simulation with its `runs` and `seed`.
 */
export type SimulationConfig = SimulationFields & { runs: number; seed: number };

/**
 * Customers summarised by frequency, recency and age, as the repeat-buying models take them; a `summarizeTransactions` result may be passed as it is, its `attributes` (the covariates of a fit with `covariates`) included.
 */
export type CustomerSummary = CustomerColumns & { attributes?: Record<string, CategoricalAttribute | NumericAttribute> | null };

/**
 * Customers' repeat purchase counts and mean repeat spend, with their `attributes` for a fit with `covariates`.
 */
export type SpendData = SpendColumns & { attributes?: Record<string, CategoricalAttribute | NumericAttribute> | null };

/**
 * The base or a scenario of `compareScenariosMc`: a simulation without `runs` and `seed`, which the comparison sets once for all.
 */
export type SimulationModel = Omit<SimulationFields, "runs" | "seed">;
