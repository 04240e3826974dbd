// The fit tab's "Customer base" view: the fitted base by segment (RFM, first-purchase cohort, an
// attribute of the summary, or all customers), each segment's customers, value and equity with their
// intervals, and what a new customer is worth against the acquisition cost typed in per segment
// (`valueCustomerBase`, run in the fit engine). The table downloads as a CSV.

const $ = (id) => document.getElementById(id);

/** The segmentations offered before the summary's own attributes. */
const BUILT_IN = [
  ["rfm", "RFM segments"],
  ["cohort", "First-purchase month"],
  ["quarter", "First-purchase quarter"],
  ["all", "All customers"],
];

/**
 * Wires the view. `engine`: the fit engine (its `valueSegments`); `getFormat()`: the page's number
 * formats; `clvOptions()`: the CLV months and monthly discount rate of the customer table;
 * `context()`: `{ run, ready, attributes }` (the run's generation, whether a purchase and a spend fit
 * are there, the summary's categorical attributes); `current(run)`: whether that run is still the
 * latest.
 */
export function createBaseView({ engine, getFormat, clvOptions, context, current }) {
  const by = $("fit-base-by");
  const button = $("fit-base-run");
  const download = $("fit-base-download");
  const error = $("fit-base-error");
  const note = $("fit-base-note");
  const table = $("fit-base-table");
  /** Acquisition cost typed per segmentation and segment. */
  const costs = new Map();
  let shown = null;
  let running = false;

  const key = (segment) => `${by.value}\u0000${segment}`;

  function reset() {
    shown = null;
    table.hidden = true;
    table.tBodies[0].replaceChildren();
    download.disabled = true;
    error.hidden = true;
    note.textContent = "";
    const { ready, attributes } = context();
    const wanted = [...BUILT_IN, ...attributes.map((name) => [`attribute:${name}`, `Attribute: ${name}`])];
    const before = by.value;
    by.replaceChildren(
      ...wanted.map(([value, text]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = text;
        return option;
      }),
    );
    if (wanted.some(([value]) => value === before)) by.value = before;
    button.disabled = !ready || running;
  }

  /** The segments' plans: the acquisition costs typed for this segmentation. */
  function plans() {
    const out = {};
    for (const [k, cost] of costs) {
      const [segmentation, segment] = k.split("\u0000");
      if (segmentation === by.value) out[segment] = { acquisitionCost: cost };
    }
    return out;
  }

  async function run() {
    const { run: generation, ready } = context();
    if (!ready || running) return;
    running = true;
    button.disabled = true;
    error.hidden = true;
    note.textContent = "Valuing the segments over the parameter draws…";
    try {
      const out = await engine.call("valueSegments", {
        clv: clvOptions(),
        segmentBy: by.value,
        segments: plans(),
      });
      if (!current(generation)) return;
      shown = out;
      render();
    } catch (e) {
      if (!current(generation) || e.cancelled) return;
      error.textContent = String(e?.message ?? e);
      error.hidden = false;
      note.textContent = "";
    } finally {
      running = false;
      button.disabled = !context().ready;
    }
  }

  /** The acquisition cost input of a segment's row; a change values the segments again. */
  function costInput(segment) {
    const input = document.createElement("input");
    input.type = "number";
    input.min = "0";
    input.step = "any";
    input.inputMode = "decimal";
    input.className = "cost";
    input.setAttribute("aria-label", `Acquisition cost, ${segment.name}`);
    const cost = costs.get(key(segment.name));
    if (cost !== undefined) input.value = String(cost);
    input.addEventListener("change", () => {
      const value = Number(input.value);
      if (input.value.trim() === "" || !(value > 0)) costs.delete(key(segment.name));
      else costs.set(key(segment.name), value);
      run();
    });
    return input;
  }

  function render() {
    const { result, draws, ms, months } = shown;
    const fmt = getFormat();
    const range = (v) => `${fmt.money(v.lower)}–${fmt.money(v.upper)}`;
    table.hidden = false;
    table.tBodies[0].replaceChildren(
      ...result.segments.map((s) => {
        const tr = document.createElement("tr");
        tr.dataset.segment = s.name;
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = s.name;
        const cells = [
          s.customers.toLocaleString(),
          s.clv ? fmt.money(s.clv.mean) : "—",
          s.clv ? `${fmt.money(s.clv.deciles[0])}–${fmt.money(s.clv.deciles[8])}` : "—",
          `${fmt.money(s.equity.estimate)} (${range(s.equity)})`,
          fmt.percent(s.shareOfBase.estimate),
          s.probAlive === null ? "—" : fmt.percent(s.probAlive),
        ].map((text) => {
          const td = document.createElement("td");
          td.textContent = text;
          return td;
        });
        const cost = document.createElement("td");
        cost.append(costInput(s));
        const ratio = document.createElement("td");
        ratio.className = "ltv-cac";
        const payback = document.createElement("td");
        payback.className = "payback";
        const a = s.acquisition;
        ratio.textContent = a ? `${a.ltvToCac.estimate.toFixed(2)} (${a.ltvToCac.lower.toFixed(2)}–${a.ltvToCac.upper.toFixed(2)})` : "—";
        payback.textContent = !a ? "—" : a.paybackMonths === null ? `over ${months} months` : `${a.paybackMonths} months`;
        tr.append(th, ...cells, cost, ratio, payback);
        return tr;
      }),
    );
    const aggregate = result.aggregate;
    const best = result.nextDollar[0];
    note.textContent =
      `The base's value over the next ${months} months: ${fmt.money(aggregate.currentEquity.estimate)} ` +
      `(90% interval ${range(aggregate.currentEquity)}). A customer acquired now is worth ` +
      `${fmt.money(aggregate.newCustomerValue.estimate)}, the first purchase included.` +
      (best
        ? ` The next dollar of acquisition goes furthest in ${best.segment}: each 1 spent returns ` +
          `${(best.nextDollar.estimate + 1).toFixed(2)}.`
        : " Type a segment's acquisition cost to see its LTV : CAC and payback.") +
      ` (${draws.toLocaleString()} parameter draws, ${Math.round(ms).toLocaleString()} ms)`;
    download.disabled = false;
  }

  function downloadCsv() {
    if (!shown) return;
    const quote = (text) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    const num = (x) => (x === null || x === undefined ? "" : String(x));
    const columns = [
      ["segment", (s) => quote(s.name)],
      ["customers", (s) => num(s.customers)],
      ["clv_mean", (s) => num(s.clv?.mean)],
      ["clv_p10", (s) => num(s.clv?.deciles[0])],
      ["clv_p50", (s) => num(s.clv?.deciles[4])],
      ["clv_p90", (s) => num(s.clv?.deciles[8])],
      ["equity", (s) => num(s.equity.estimate)],
      ["equity_lower_90", (s) => num(s.equity.lower)],
      ["equity_upper_90", (s) => num(s.equity.upper)],
      ["share_of_base", (s) => num(s.shareOfBase.estimate)],
      ["expected_purchases", (s) => num(s.expectedPurchases)],
      ["prob_alive", (s) => num(s.probAlive)],
      ["acquisition_cost", (s) => num(s.acquisition?.acquisitionCost)],
      ["ltv_to_cac", (s) => num(s.acquisition?.ltvToCac.estimate)],
      ["payback_months", (s) => num(s.acquisition?.paybackMonths)],
    ];
    const lines = [columns.map(([name]) => name).join(",")];
    for (const s of shown.result.segments) lines.push(columns.map(([, value]) => value(s)).join(","));
    const url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `customer-base-${by.value.replace(/[^\w-]+/g, "-")}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  button.addEventListener("click", run);
  by.addEventListener("change", () => {
    if (shown) run();
  });
  download.addEventListener("click", downloadCsv);

  return {
    /** A new summary or fit: the view is cleared, and offers the summary's attributes. */
    reset,
    /** Re-renders money after a currency change. */
    refresh() {
      if (shown) render();
    },
  };
}
