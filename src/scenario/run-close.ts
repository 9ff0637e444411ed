/**
 * Closing a run: its clients, then its traced processes, in the order that
 * keeps a run's end in its trace. The clients stop first; their connections
 * end with them, and each server they visited handles those closes before it
 * is told to quit (a loaded machine's quit would overtake them, and the last
 * step's teardown would be cut short). A process another one of the run
 * started (a cluster's worker) quits before its parent, which reaps it and
 * reports how it ended, so no process is left behind its parent's end.
 */
import type { RunProcess } from "./run-process.js";
import { waitOnWire } from "./run-waits.js";

/**
 * How long closing waits for the connections of the clients it stopped to be closed at their server: a
 * window without work, or a ceiling (an app's own client that stays connected must not hold the quit).
 */
const CLOSES_PATIENCE = { idleMs: 1000, ceilingMs: 10_000 };

/** A client process of the run, by the process it talks to. */
export interface ClosingClient {
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Stops `clients` (indexed by process id), then `processes`, those with a parent in the run first. */
export async function closeRun(processes: readonly RunProcess[], clients: readonly ClosingClient[], hasParent: (p: RunProcess) => boolean): Promise<void> {
  const visited = processes.filter((p) => clients[p.id]?.pid !== undefined);
  await Promise.all(clients.map((c) => c.stop()));
  await Promise.all(visited.map(async ({ server, collector, decoded }) => {
    if (!server || server.dead) return;
    await waitOnWire(collector, decoded, 0, "close", () => server.flush(), () => server.dead, CLOSES_PATIENCE);
    await server.settle().catch(() => undefined);
  }));
  await Promise.all(processes.filter(hasParent).map((p) => p.server?.quit()));
  await Promise.all(processes.filter((p) => !hasParent(p)).map((p) => p.server?.quit()));
}
