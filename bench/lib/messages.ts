// What the bench's processes tell each other over IPC: the harness, the load clients and the
// CLI-side host of a traced server. One place, so both ends of each message agree.
import type { ChildProcess } from "node:child_process";

/** A load process's job: how many sockets, and saturation (`inFlight`) or paced (`intervalMs`). */
export interface LoadConfig {
  readonly url: string;
  readonly clients: number;
  readonly inFlight?: number;
  readonly intervalMs?: number;
  readonly payloadBytes?: number;
}

/** A two-server load process's job: `clients` sockets on each of the two servers, `inFlight` messages each. */
export interface RelayLoadConfig {
  readonly urls: readonly [string, string];
  readonly clients: number;
  readonly inFlight?: number;
  readonly payloadBytes?: number;
}

/** Counts the CLI-side host keeps of what reached it. */
export interface HostCounts {
  messages: number;
  records: number;
  /** Record seqs the traced process counted as dropped rather than sent. */
  shedByServer: number;
  /** Bulk batches the traced process wrote to its overflow file (its channel backed up) and the host read from there. */
  overflowed: number;
  recordBatches: number;
  tapBatches: number;
  chunks: number;
  functions: number;
  transformFailed: number;
  droppedCalls?: number;
  droppedChunks?: number;
}

/** What the host reports when its traced server has quit. */
export interface HostStats {
  readonly counts: HostCounts;
  readonly kept: { readonly chunks: number; readonly functions: number };
  readonly dropped: { readonly calls: number; readonly chunks: number; readonly bytes: number; readonly logs: number };
  readonly heapUsed: number;
  readonly arrayBuffers: number;
}

/** Harness → load process. */
export interface GoMessage {
  readonly t: "go";
  readonly durationMs: number;
  readonly maxMessages: number;
}

/** Harness → host. */
export type ToHost = { readonly t: "counts" } | { readonly t: "stop" };

/** A load process's report at the end of its window. */
export interface LoadReport {
  readonly t: "done";
  readonly sent: number;
  readonly acked: number;
  readonly errors: number;
  readonly lost: number;
  readonly elapsedMs: number;
  readonly hist: number[];
}

/** Any message a bench child sends its parent, by tag. */
export type FromBenchChild =
  | { readonly t: "ready"; readonly port?: number; readonly serverPid?: number }
  | { readonly t: "error"; readonly message: string }
  | { readonly t: "counts"; readonly counts: HostCounts }
  | ({ readonly t: "stats" } & HostStats)
  | LoadReport;

/** Sends `message` to the parent over IPC (bench children are always forked with a channel). */
export function toParent(message: FromBenchChild): void {
  process.send?.(message);
}

/** Resolves with the first message tagged `type` from `child`; rejects on its "error", exit or a timeout. */
export function once<T extends FromBenchChild["t"]>(child: ChildProcess, type: T, timeoutMs: number, what: string): Promise<Extract<FromBenchChild, { t: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: unknown): void => {
      const message = raw as FromBenchChild | undefined;
      if (message?.t === "error") {
        clearTimeout(timer);
        child.off("message", onMessage);
        reject(new Error(`${what}: ${message.message}`));
      } else if (message?.t === type) {
        clearTimeout(timer);
        child.off("message", onMessage);
        resolve(message as Extract<FromBenchChild, { t: T }>);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${signal ?? code}) before "${type}"`));
    });
  });
}
