// The page's engines (the computing halves of the "Fit your data" and "Subscriptions" tabs, with no
// DOM) in a module Worker (engine-worker.js), so that large files never freeze the page, or on this
// thread where no Worker starts.
import { ENGINES } from "./engines.js";

/**
 * The engine `name` (a key of ENGINES) in a module Worker, or on this thread (one task later) when no Worker starts or loads:
 * `call(op, args)` → Promise of the engine's result; `cancel()` stops a Worker's work (its calls reject
 * with an error whose `cancelled` is true) and starts a fresh Worker; `onbusy(busy)` hears when calls
 * start and end. The file's bytes are kept here, so that a fresh Worker, or this thread after a Worker
 * fails, is given the file (and the last summary's options) before its first call.
 */
export function connectEngine(api, name) {
  const engine = { mode: "worker", call, cancel, onbusy: () => {} };
  const local = ENGINES[name](api);
  const setup = { load: null, summarize: null };
  const pending = new Map();
  let nextId = 0;
  let worker = null;
  let fresh = true;

  const direct = (op, args) =>
    new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(local[op](args));
        } catch (e) {
          reject(e);
        }
      }, 0),
    );
  const busy = () => engine.onbusy(pending.size > 0);
  function send(op, args) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { op, args, resolve, reject });
      worker.postMessage({ id, op, args });
      busy();
    });
  }
  /** Runs `op`; a fresh engine is first given the file and the last summary (in order, not awaited). */
  function call(op, args) {
    if (op in setup) setup[op] = args;
    if (op === "load") setup.summarize = null;
    const run = worker ? send : direct;
    if (fresh) {
      fresh = false;
      const ignore = () => {};
      if (op !== "load" && setup.load) run("load", setup.load).catch(ignore);
      if (op !== "load" && op !== "summarize" && setup.summarize) run("summarize", setup.summarize).catch(ignore);
    }
    return run(op, args);
  }
  function fallBack() {
    worker?.terminate();
    worker = null;
    engine.mode = "main thread";
    fresh = true;
    const jobs = [...pending.values()];
    pending.clear();
    busy();
    for (const { op, args, resolve, reject } of jobs) call(op, args).then(resolve, reject);
  }
  function start() {
    try {
      worker = new Worker(new URL(`./engine-worker.js?engine=${name}`, import.meta.url), { type: "module" });
    } catch {
      worker = null;
      engine.mode = "main thread";
      return;
    }
    fresh = true;
    worker.onerror = fallBack;
    worker.onmessage = ({ data: { id, result, error } }) => {
      const job = pending.get(id);
      if (!job) return;
      pending.delete(id);
      busy();
      if (error === undefined) job.resolve(result);
      else job.reject(new Error(error));
    };
  }
  function cancel() {
    if (!worker || pending.size === 0) return;
    worker.terminate();
    const jobs = [...pending.values()];
    pending.clear();
    setup.summarize = null;
    start();
    busy();
    for (const { reject } of jobs) reject(Object.assign(new Error("Cancelled"), { cancelled: true }));
  }
  start();
  return engine;
}
