// A Monte Carlo worker: loads the wasm library once, then answers { id, config, firstRun, runCount }
// with { id, chunk } (the simulateEquityChunk result, its arrays transferred) or { id, error }.
import init, { simulateEquityChunk } from "../pkg/clvlab.js";

const ready = init();

self.onmessage = async ({ data: { id, config, firstRun, runCount } }) => {
  try {
    await ready;
    const chunk = simulateEquityChunk(config, firstRun, runCount);
    const buffers = [chunk.totals.buffer, chunk.byPeriod.buffer, chunk.bySegment.buffer];
    self.postMessage({ id, chunk }, buffers);
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
