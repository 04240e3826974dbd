// The page's worker: loads the wasm library once, makes the engine its URL names (`?engine=fit` or
// `?engine=subscriptions`, engines.js) and answers { id, op, args } with { id, result } (the engine's
// op on the file and summary it keeps) or { id, error }.
import init, * as api from "../pkg/clvlab.js";
import { ENGINES } from "./engines.js";

const ready = init();
const engine = ENGINES[new URL(self.location.href).searchParams.get("engine")](api);

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    self.postMessage({ id, result: engine[op](args) });
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
