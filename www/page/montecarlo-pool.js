// Runs simulateEquity across a pool of Web Workers, with progress, a quick preview and cancel.
//
// The runs are split into chunks; each worker computes chunks with simulateEquityChunk and the page
// merges them with summarizeRuns. Run i always draws from the stream of (seed, i), so the result is
// bit-identical to one simulateEquity(config) call however many workers there are, and the preview (the
// summary of runs 0 … previewRuns − 1, which are computed first) is exactly simulateEquity with
// runs = previewRuns.
//
//   const pool = createEquityPool({ api });            // api: the initialized clvlab module
//   const job = pool.run(config, { onProgress, onPreview });
//   job.cancel();                                      // job.result then rejects with an AbortError
//   const summary = await job.result;
//   pool.terminate();

const WORKER_URL = new URL("./montecarlo-worker.js", import.meta.url);

/** Workers to start: one per core but one, from 1 to 4. */
export function defaultWorkerCount() {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.min(4, Math.max(1, cores - 1));
}

/** Chunk boundaries: runs 0 … preview − 1 first in small chunks, then the rest in chunks of `size`. */
export function planChunks(runs, { previewRuns = 100, workers = 1, chunkRuns } = {}) {
  const preview = Math.min(runs, previewRuns);
  const size = chunkRuns ?? Math.max(10, Math.ceil(runs / (workers * 8)));
  const previewSize = Math.max(1, Math.ceil(preview / workers));
  const chunks = [];
  for (let first = 0; first < preview; first += previewSize) {
    chunks.push({ firstRun: first, runCount: Math.min(previewSize, preview - first) });
  }
  for (let first = preview; first < runs; first += size) {
    chunks.push({ firstRun: first, runCount: Math.min(size, runs - first) });
  }
  return chunks;
}

function abortError() {
  const error = new Error("The simulation was cancelled");
  error.name = "AbortError";
  return error;
}

export function createEquityPool({ api, workers = defaultWorkerCount() } = {}) {
  const pool = Array.from({ length: workers }, () => new Worker(WORKER_URL, { type: "module" }));
  let nextId = 0;
  let current = null;

  /** Sends one chunk to `worker`; resolves with its result. */
  function compute(worker, config, { firstRun, runCount }) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = ({ data }) => {
        if (data.id !== id) return;
        worker.removeEventListener("message", onMessage);
        if (data.error) reject(new Error(data.error));
        else resolve(data.chunk);
      };
      worker.addEventListener("message", onMessage);
      worker.postMessage({ id, config, firstRun, runCount });
    });
  }

  /**
   * Starts `config` (a simulateEquity input); a job started while another runs cancels it.
   * `onProgress(runsDone, runs)` after each chunk; `onPreview(summary)` once runs 0 … previewRuns − 1 are
   * done (only when config.runs > previewRuns).
   */
  function run(config, { onProgress = () => {}, onPreview = () => {}, previewRuns = 100, chunkRuns } = {}) {
    current?.cancel();
    const runs = config.runs;
    const todo = planChunks(runs, { previewRuns, workers, chunkRuns });
    const done = [];
    let runsDone = 0;
    let cancelled = false;
    let cancel;
    const aborted = new Promise((_, reject) => {
      cancel = () => {
        cancelled = true;
        reject(abortError());
      };
    });
    aborted.catch(() => {});
    const preview = Math.min(runs, previewRuns);
    let previewShown = preview >= runs;

    const showPreview = () => {
      if (previewShown) return;
      const covered = done.filter((c) => c.firstRun < preview).reduce((n, c) => n + c.totals.length, 0);
      if (covered < preview) return;
      previewShown = true;
      const first = done.filter((c) => c.firstRun < preview);
      onPreview(api.summarizeRuns({ ...config, runs: preview }, first));
    };

    const worker = async (w) => {
      try {
        while (!cancelled && todo.length > 0) {
          const chunk = await compute(w, config, todo.shift());
          if (cancelled) return;
          done.push(chunk);
          runsDone += chunk.totals.length;
          onProgress(runsDone, runs);
          showPreview();
        }
      } catch (e) {
        cancelled = true; // a bad config fails every chunk: stop the other workers too
        throw e;
      }
    };
    const finished = Promise.all(pool.map(worker)).then(() => {
      if (cancelled) throw abortError();
      return api.summarizeRuns(config, done);
    });
    const job = { result: Promise.race([finished, aborted]), cancel: () => cancel() };
    job.result.catch(() => {}).finally(() => {
      if (current === job) current = null;
    });
    current = job;
    return job;
  }

  return {
    run,
    workers,
    terminate() {
      current?.cancel();
      for (const w of pool) w.terminate();
    },
  };
}
