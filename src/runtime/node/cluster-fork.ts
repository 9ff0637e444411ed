/**
 * In a traced cluster primary: each worker it forks runs under the tracer too.
 * `cluster.fork` spawns `cluster.settings.exec`; for the one call it runs the
 * tracer's entry instead, told (in its environment) to run that exec as the
 * worker's program and to report to the CLI's hub. The worker's environment,
 * arguments, Node flags and IPC channel stay those the app asked for.
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { Cluster } from "node:cluster";
import type { TracedProcessConfig } from "./protocol.js";

/**
 * Wraps `cluster.fork`: worker N is traced as `worker-N` (its cluster id), with `base` as its
 * configuration (the CLI sends its pauses and spill file when it reports in); `onWorker` gets
 * each new worker's child process and its IPC serialization.
 */
export function traceClusterWorkers(tracerEntry: string, base: Omit<TracedProcessConfig, "entry" | "worker">, onWorker: (child: unknown, serialization: string, name: string) => void): void {
  const cluster = createRequire(import.meta.url)("node:cluster") as Cluster;
  const fork = cluster.fork;
  let forked = 0;
  cluster.fork = function tracedFork(this: Cluster, env?: NodeJS.ProcessEnv) {
    // What fork itself does first: settles the settings (exec defaults to the primary's own entry).
    cluster.setupPrimary();
    const exec = cluster.settings.exec;
    // Cluster ids count forks from 1.
    const name = `worker-${++forked}`;
    const serialization = cluster.settings.serialization ?? "json";
    const config: TracedProcessConfig = { ...base, entry: resolve(exec ?? process.argv[1]), worker: name, ipcSerialization: serialization };
    cluster.settings.exec = tracerEntry;
    try {
      const worker = fork.call(this, { ...env, TRACE_SOCKET_CHILD: JSON.stringify(config) });
      // Before anything is written to it: fork only starts the process.
      onWorker(worker.process, serialization, name);
      return worker;
    } finally {
      // fork's own setupPrimary() replaces the settings object: the one there now gets the app's exec back.
      cluster.settings.exec = exec;
    }
  } as Cluster["fork"];
}
