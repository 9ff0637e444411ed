/**
 * Builds the source index's disk cache in a worker thread, so that the
 * stepper, which opens the index in its own thread on first use, finds it
 * cached instead of running ts-morph for seconds on the thread that draws the
 * screen. A warm cache makes this a few cheap reads.
 */
import { Worker } from "node:worker_threads";

/** Resolves once the worker is done, or could not run (the index then builds in-process as before); never rejects. */
export function warmSourceIndex(projectRoot: string, offline: boolean): Promise<void> {
  return new Promise((resolve) => {
    try {
      const worker = new Worker(new URL("./warm-worker.js", import.meta.url), { workerData: { projectRoot, offline } });
      worker.once("error", () => resolve());
      worker.once("exit", () => resolve());
      // A stepper quit while the worker builds must not wait for it.
      worker.unref();
    } catch {
      resolve();
    }
  });
}
