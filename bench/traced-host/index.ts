// Plays the CLI's part for one traced bench server (the echo server, or BENCH_SERVER's folder): spawns the traced process's built entry
// exactly as the runner does (IPC, advanced serialization) and ingests every message
// into a Collector, so the IPC and the CLI-side storage cost what they cost in real use.
// Talks to the benchmark harness over its own IPC channel: "ready" (port, server pid),
// then on "stop" quits the traced server and reports what the collector holds.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { deserialize } from "node:v8";

import { Child } from "../../src/runtime/child.js";
import { Collector, DEFAULT_LIMITS } from "../../src/runtime/collector.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { TRACED_PROCESS_ENTRY } from "../../src/runtime/node/node-runtime.js";
import { FLUSH_MS, RECORDER_CAPACITY, type FromTraced, type ToTraced, type TracedProcessConfig } from "../../src/runtime/node/protocol.js";
import { toParent, type HostCounts, type ToHost } from "../lib/messages.js";
import { overflowFileOf, readOverflow } from "../../src/runtime/node/overflow-file.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = PACKAGE_ROOT;

const mode = process.env.BENCH_MODE === "before" ? "full" : process.env.BENCH_MODE; // "frames" | "full"
/** The previous settings, for the "before" configuration (lib/load-run.ts). */
const before = process.env.BENCH_BEFORE ? (JSON.parse(process.env.BENCH_BEFORE) as { flushMs: number; records: number }) : undefined;
const spillDir = mkdtempSync(join(tmpdir(), "trace-socket-bench-"));
const serverName = process.env.BENCH_SERVER ?? "echo-server";
const serverDir = join(here, "..", serverName);
const entry = join(serverDir, "index.js");
const config: TracedProcessConfig = {
  entry,
  projectRoot: root,
  appRoot: mode === "full" ? serverDir : undefined,
  spillFile: join(spillDir, "spill.bin"),
  capacity: RECORDER_CAPACITY,
  flushMs: before?.flushMs ?? FLUSH_MS,
  instrument: mode === "full",
  // As the runner passes them: the tap closes itself at the collector's chunk limits.
  chunkLimits: { chunks: DEFAULT_LIMITS.chunks, bytes: DEFAULT_LIMITS.bytes },
  // Several servers on one Redis: their Redis connections are tapped, as the CLI's servers run does.
  ...(process.env.BENCH_TAP_OUTGOING ? { tapOutgoing: true } : {}),
};

const collector = new Collector(performance.timeOrigin + performance.now(), before ? { ...DEFAULT_LIMITS, records: before.records } : DEFAULT_LIMITS);
const counts: HostCounts = { shedByServer: 0, overflowed: 0, messages: 0, records: 0, recordBatches: 0, tapBatches: 0, chunks: 0, functions: 0, transformFailed: 0 };
let port = 0;
let resolvePort = (): void => undefined;
const portKnown = new Promise<void>((resolve) => (resolvePort = resolve));

function ingest(message: FromTraced): void {
  counts.messages++;
  switch (message.t) {
    case "hello":
      collector.setOrigin(message.timeOrigin);
      break;
    case "functions":
      counts.functions += message.list.length;
      collector.addFunctions(message.list);
      break;
    case "records":
      counts.recordBatches++;
      counts.records += message.batch.ops.length;
      // Seqs the traced process itself did not record (recorder full, backlog full): the rest of the drops are the collector's.
      for (let i = 0; i < message.batch.droppedRanges.length; i += 2) counts.shedByServer += message.batch.droppedRanges[i + 1] - message.batch.droppedRanges[i];
      collector.addRecords(message.batch);
      break;
    case "tap":
      counts.tapBatches++;
      counts.chunks += message.batch.chunks.conn.length;
      collector.addTap(message.batch);
      break;
    case "overflow":
      // A batch written to the overflow file while the channel was backed up: taken from there, as the CLI does.
      counts.overflowed++;
      ingest(readOverflow(overflowFileOf(config.spillFile), message) ?? message.fallback);
      break;
    case "transform-failed":
      counts.transformFailed++;
      collector.addLog("stderr", `could not instrument ${message.file}: ${message.reason}`);
      break;
    default:
      break;
  }
}

const server = Child.spawn<FromTraced, ToTraced>({
  label: `traced ${serverName}`,
  module: TRACED_PROCESS_ENTRY,
  cwd: root,
  env: {
    ...process.env,
    TRACE_SOCKET_CHILD: JSON.stringify(config),
    // Profiling the traced server alone (bench/profile.js): flags for it, not for this host.
    ...(process.env.BENCH_CHILD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS } : {}),
  },
  onLine: (stream, line) => {
    const match = /^PORT (\d+)$/.exec(line);
    if (match) {
      port = Number(match[1]);
      resolvePort();
    }
    collector.addLog(stream, line);
  },
});
server.onMessage(ingest);
// As the runtime does: once the collector keeps no more chunks, the server sends counts only.
collector.onChunksClosed = () => server.send({ t: "chunks-closed" });

const timer = setTimeout(() => {
  toParent({ t: "error", message: `the traced ${serverName} did not listen within 20 s` });
  process.exit(1);
}, 20_000);
await Promise.race([
  portKnown,
  server.exited.then(({ code, signal }) => {
    const tail = collector.logs.slice(-20).map((l) => l.text).join("\n");
    return Promise.reject(new Error(`traced ${serverName} exited (${signal ?? code}) before listening:\n${tail}`));
  }),
]);
clearTimeout(timer);
toParent({ t: "ready", port, serverPid: server.process.pid });

process.on("message", async (raw: unknown) => {
  const message = raw as ToHost;
  if (message.t === "counts") {
    // Flushed first, so that what the server recorded so far is counted.
    server.send({ t: "flush" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    toParent({ t: "counts", counts: { ...counts, droppedCalls: collector.dropped.calls, droppedChunks: collector.dropped.chunks } });
    return;
  }
  if (message.t !== "stop") return;
  server.send({ t: "quit" });
  await server.stop(3000, false);
  try {
    for (const rest of deserialize(readFileSync(config.spillFile)) as FromTraced[]) ingest(rest);
  } catch {
    // Nothing spilled.
  }
  rmSync(spillDir, { recursive: true, force: true });
  const mem = process.memoryUsage();
  toParent({
    t: "stats",
    counts,
    kept: { chunks: collector.chunks.length, functions: collector.functions.length },
    dropped: { ...collector.dropped },
    heapUsed: mem.heapUsed,
    arrayBuffers: mem.arrayBuffers,
  });
  setTimeout(() => process.exit(0), 50);
});
