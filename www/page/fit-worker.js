// The "Fit your data" worker: loads the wasm library once and answers { id, op, args } with
// { id, result } (the fit engine's op on its kept file and summary) or { id, error }.
import init, * as api from "../pkg/clvlab.js";
import { createFitEngine } from "./fit-engine.js";

const ready = init();
const engine = createFitEngine(api);

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    self.postMessage({ id, result: engine[op](args) });
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
