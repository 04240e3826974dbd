// <clv-montecarlo>: the simulated spread of a customer base's equity (`simulateEquity`). Importing the module
// defines the element.
import type { SimulationConfig, EquitySimulation } from "../pkg/clvlab.js";
import type { ClvElement } from "./elements.js";

export interface ClvMonteCarlo extends ClvElement<SimulationConfig, EquitySimulation> {}
export declare const ClvMonteCarlo: { prototype: ClvMonteCarlo; new (): ClvMonteCarlo };
