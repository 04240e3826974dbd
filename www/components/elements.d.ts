// Declarations shared by the clvlab custom elements (the elements are JavaScript, so these few lines are
// written by hand; every input and result type they name is generated from the Rust types into
// clvlab.d.ts). Each element's own file, e.g. clv-calculator.d.ts, declares its class and tag.

/** How numbers are shown: an ISO 4217 currency, a BCP 47 locale and the name of one period. */
export interface DisplayOptions {
  currency?: string;
  locale?: string;
  periodUnit?: "month" | "quarter" | "year";
}

/** `clv-change`'s detail and an element's `value`: the library input it computed and the result. */
export interface ClvChange<Input, Result> {
  input: Input;
  result: Result;
}

/** `clv-error`'s detail: the library's message, which starts with the offending field. */
export interface ClvError {
  message: string;
}

/** The events a clvlab element fires (both bubble out of its shadow root). */
export interface ClvElementEventMap<Input, Result> extends HTMLElementEventMap {
  "clv-change": CustomEvent<ClvChange<Input, Result>>;
  "clv-error": CustomEvent<ClvError>;
}

/** What every clvlab element has: `config` in the library's terms, the last result, typed events. */
export interface ClvElement<Input, Result> extends HTMLElement {
  /** The current input and display options. */
  get config(): Input & DisplayOptions;
  /** Sets any of the input's fields and display options; the others keep their values. */
  set config(config: Partial<Input> & DisplayOptions);
  /** The last good input and result, or null before the first. */
  readonly value: ClvChange<Input, Result> | null;
  addEventListener<K extends keyof ClvElementEventMap<Input, Result>>(
    type: K,
    listener: (event: ClvElementEventMap<Input, Result>[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof ClvElementEventMap<Input, Result>>(
    type: K,
    listener: (event: ClvElementEventMap<Input, Result>[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "clv-calculator": import("./clv-calculator.js").ClvCalculator;
    "clv-scenarios": import("./clv-scenarios.js").ClvScenarios;
    "clv-montecarlo": import("./clv-montecarlo.js").ClvMonteCarlo;
    "clv-value-story": import("./clv-value-story.js").ClvValueStory;
  }
}
