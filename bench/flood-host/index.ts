// Plays the CLI for the flood benchmark: runs the real Runner on the built-in chat
// scenario (so its traced server is the one `npx trace-socket` starts), steps it to
// `listen`, and answers the harness over IPC:
//   → { t: "ready", url, tracedPid }            once the traced server listens
//   ← { t: "finish" }  → { t: "report", … }     trace assembled, rendered, accounted
// Every batch the traced process sends is also counted here, independently of the
// Collector, so the report can check that what was not kept is counted as dropped.
import { renderText } from "../../src/export/text.js";
import type { RecordBatch } from "../../src/instrument/recorder.js";
import { batchEnd } from "../../src/instrument/recorder-columns.js";
import { droppedEntrySeqs } from "../../src/instrument/turn-entries.js";
import type { TapBatch } from "../../src/instrument/socket-tap.js";
import type { Trace } from "../../src/trace/model.js";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime, type NodeProcess } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { memory } from "../lib/proc.js";
import { writeHeapSnapshot } from "node:v8";
import { join } from "node:path";

const root = PACKAGE_ROOT;

const SERVER_STEPS = 4;

/** Totals seen on the wire between the traced process and this one. */
const seen: { records: number; recordBatches: number; nextSeq: number | undefined; recordGaps: number; shedRanges: number; shedTurns: number; tapChunks: number; tapBytes: number; tapDroppedChunks: number; tapDroppedBytes: number; nextChunkSeq: number | undefined; chunkGaps: number } = {
  records: 0,
  recordBatches: 0,
  /** Next record seq expected: each batch must start where the last one ended (nothing lost in IPC). */
  nextSeq: undefined,
  recordGaps: 0,
  /** Calls the traced process shed itself (recorder full, IPC backlog full), as spans of seqs. */
  shedRanges: 0,
  /** Calls in turns it recorded untimed and could not fold (shape -1). */
  shedTurns: 0,
  tapChunks: 0,
  tapBytes: 0,
  tapDroppedChunks: 0,
  tapDroppedBytes: 0,
  nextChunkSeq: undefined,
  chunkGaps: 0,
};

/** Batches the traced process wrote to its overflow file (its channel backed up), and their bytes there. */
const overflow = { batches: 0, bytes: 0 };
const runner = await Runner.start({ scenario: loadScenario("chat", root), projectRoot: root, command: "bench/flood", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
const { collector } = runner;
(runner.server as NodeProcess).child.onMessage((message) => {
  if (message.t !== "overflow") return;
  overflow.batches++;
  overflow.bytes += message.length;
});
const addRecords = collector.addRecords.bind(collector);
collector.addRecords = (batch: RecordBatch): void => {
  // Records, repeat entries and dropped spans all take seqs: the batch's own reader says where it ends.
  const end = batchEnd(batch);
  if (seen.nextSeq !== undefined && batch.firstSeq !== seen.nextSeq) seen.recordGaps++;
  seen.nextSeq = end;
  seen.records = end;
  seen.recordBatches++;
  for (let i = 0; i < batch.droppedRanges.length; i += 2) seen.shedRanges += batch.droppedRanges[i + 1] - batch.droppedRanges[i];
  seen.shedTurns += droppedEntrySeqs(batch.turns);
  addRecords(batch);
};
const addTap = collector.addTap.bind(collector);
collector.addTap = (batch: TapBatch): void => {
  seen.tapDroppedChunks += batch.droppedChunks;
  seen.tapDroppedBytes += batch.droppedBytes;
  // Seqs are positional: a batch's kept chunks, then its dropped tail (see src/instrument/chunk-batch.ts).
  const { chunks } = batch;
  const count = chunks.conn.length;
  if (seen.nextChunkSeq !== undefined && (count || batch.droppedChunks) && chunks.firstSeq !== seen.nextChunkSeq) seen.chunkGaps++;
  if (count || batch.droppedChunks) seen.nextChunkSeq = chunks.firstSeq + count + batch.droppedChunks;
  seen.tapChunks += count;
  for (let i = 0; i < count; i++) seen.tapBytes += chunks.size[i];
  addTap(batch);
};

for (let i = 0; i < SERVER_STEPS; i++) await runner.runNext();
process.send?.({ t: "ready", url: collector.address, tracedPid: runner.server.pid });

/** The CLI side's memory at one stage of the run: what it holds there, and the peak RSS so far. */
interface Stage {
  readonly stage: string;
  readonly rss: number;
  readonly hwm: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** The stages measured so far, in order (where the CLI's memory goes: BENCHMARKS.md, session 7). */
const stages: Stage[] = [];

/** Measures the stage just reached; a collection first when `gc` is exposed (`--expose-gc`), so the heap is what is held. */
function stage(name: string): void {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  const { rss, hwm } = memory(process.pid);
  stages.push({ stage: name, rss, hwm, heapUsed, external, arrayBuffers });
}

stage("ready");

/** Flushes until nothing new arrived for `quietMs` (the traced server may still be working off a backlog). */
async function drain(quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline && !runner.server.dead) {
    runner.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = seen.records + seen.tapChunks;
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
  }
}

/**
 * How much of the heap each part of the trace holds: the heap after a
 * collection, less the heap once the part is let go (parts let go in turn;
 * the trace is not used afterwards). Needs `--expose-gc`; empty without it.
 */
function heldBy(trace: Trace): Record<string, number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return {};
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const parts = trace as unknown as Record<string, unknown>;
  const out: Record<string, number> = {};
  let before = heap();
  for (const part of ["steps", "chunks", "functions", "connections", "logs", "links", "claims"]) {
    if (!(part in parts)) continue;
    parts[part] = [];
    const after = heap();
    out[part] = before - after;
    before = after;
  }
  return out;
}

process.on("message", async (message: { t?: string } | undefined) => {
  if (message?.t !== "finish") return;
  try {
    stage("flood over");
    const started0 = performance.now();
    await drain(1000, 30_000);
    const drainMs = performance.now() - started0;
    // Closing makes the traced process write what it still holds to the spill file, which
    // the runner reads: after it, the collector has everything the run will ever deliver.
    await runner.close();
    const exit = await runner.server.exited;
    stage("drained, closed");
    // Assembly alone first (let go before `trace()` redoes it, claims checked): the peak it
    // reaches apart from the claims' index, for the account of where the memory goes.
    const firstSteps = runner.assembled().steps.length;
    stage("assembled, claims not checked");
    // FLOOD_HEAP_SNAPSHOT=dir (or a path ending in .heapsnapshot): a heap snapshot here, for the account of what assembly
    // holds (slow: the harness waits longer for the report). A file path is taken as given: it once failed with ENOENT.
    const snapshot = process.env.FLOOD_HEAP_SNAPSHOT;
    if (snapshot) writeHeapSnapshot(snapshot.endsWith(".heapsnapshot") ? snapshot : join(snapshot, `flood-host-${process.pid}.heapsnapshot`));
    const heapBefore = process.memoryUsage();
    let started = performance.now();
    const trace = runner.trace();
    const traceMs = performance.now() - started;
    stage("trace() (claims checked)");
    started = performance.now();
    const text = renderText(trace);
    const renderMs = performance.now() - started;
    stage("text rendered");
    const { records: keptRecords, whole: wholeRecords, turns: foldedTurns, dropped: cliDropped } = collector.kept();
    const keptBytes = trace.chunks.reduce((n, c) => n + c.size, 0);
    const keptOutBytes = trace.chunks.reduce((n, c) => n + (c.dir === "out" ? c.size : 0), 0);
    // Where the trace's folded turns are: rows held in memory (bounded per list) and blocks spilled to disk.
    const lists = trace.steps.flatMap((s) => (s.turns ? [s.turns.stats] : []));
    const turnLists = { lists: lists.length, turns: lists.reduce((n, s) => n + s.rows, 0), maxHotRows: Math.max(0, ...lists.map((s) => s.hotRows)), spilledBlocks: lists.reduce((n, s) => n + s.spilledBlocks, 0) };
    const report = {
      t: "report",
      failure: runner.failure,
      exit,
      // What the runner said on its own account (e.g. that it had to kill the traced server).
      notes: trace.logs.filter((l) => l.source === "stderr").slice(-5).map((l) => l.text),
      dropped: trace.dropped,
      seen,
      overflow,
      kept: { records: keptRecords, wholeRecords, foldedTurns, cliDropped, chunks: trace.chunks.length, bytes: keptBytes, outBytes: keptOutBytes, connections: trace.connections.length, logs: trace.logs.length },
      drainMs,
      traceMs,
      renderMs,
      renderedChars: text.length,
      renderedLongestLine: Math.max(...text.split("\n").map((l) => l.length)),
      heapBefore,
      heapAfter: process.memoryUsage(),
      stages,
      firstSteps,
      turnLists,
    };
    // Last: it takes the trace apart.
    process.send?.({ ...report, held: heldBy(trace) });
  } catch (error) {
    process.send?.({ t: "error", message: String((error as Error)?.stack ?? error) });
  } finally {
    await runner.close();
    process.disconnect();
  }
});
