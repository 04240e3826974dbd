// <clv-scenarios>: what-if scenarios against a base (`compareScenarios`). Importing the module
// defines the element.
import type { CompareInput, Comparison } from "../pkg/clvlab.js";
import type { ClvElement } from "./elements.js";

export interface ClvScenarios extends ClvElement<CompareInput, Comparison> {}
export declare const ClvScenarios: { prototype: ClvScenarios; new (): ClvScenarios };
