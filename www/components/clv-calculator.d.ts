// <clv-calculator>: one customer's CLV (`clv`). Importing the module defines the element.
import type { ClvInput, ClvResult } from "../pkg/clvlab.js";
import type { ClvElement } from "./elements.js";

export interface ClvCalculator extends ClvElement<ClvInput, ClvResult> {}
export declare const ClvCalculator: { prototype: ClvCalculator; new (): ClvCalculator };
