/**
 * A scenario on Node's cluster module (`cluster` in its scenario.json): the
 * primary is the traced process trace-socket starts; the workers it forks are
 * traced too (`cluster-fork.ts` in the primary), each reporting to the CLI on
 * a hub of its own (`worker-link.ts`), since its IPC channel is the
 * primary's. One Runner steps them all: the primary first, then `worker-1`, …
 */
import { clusterWorkerRuntime, nodeRuntime } from "../runtime/node/node-runtime.js";
import { ClusterHub } from "../runtime/node/worker-link.js";
import { Runner, type RunnerOptions } from "./runner.js";

/** Options of a cluster run. */
export interface ClusterRunOptions extends Omit<RunnerOptions, "runtime" | "processes"> {
  /** Where the primary listens (its one port, which every client connects to). */
  readonly host: string;
  readonly port: number;
}

/** The names of a cluster run's processes: `primary`, then each worker by its cluster id. */
export function clusterProcessNames(workers: number): string[] {
  return ["primary", ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`)];
}

/** Starts the primary, which forks the workers; resolves once each is at its first pause. */
export async function startCluster(options: ClusterRunOptions): Promise<Runner> {
  const { scenario, host, port, ...run } = options;
  const cluster = scenario.cluster;
  if (!cluster) throw new Error(`scenario ${scenario.name} is not a cluster scenario`);
  const hub = await ClusterHub.open();
  const [primary, ...workers] = clusterProcessNames(cluster.workers);
  try {
    return await Runner.start({
      ...run,
      scenario,
      processes: [
        { name: primary, runtime: nodeRuntime({ host, port, clusterHub: hub }) },
        ...workers.map((name) => ({ name, runtime: clusterWorkerRuntime(hub, name), entry: cluster.worker, parent: primary })),
      ],
    });
  } finally {
    // Every worker has reported in (or the start failed): their connections outlive the hub's socket.
    hub.close();
  }
}
