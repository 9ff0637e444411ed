/**
 * Folding repeated turns loses nothing, on a real run: the chat scenario's
 * traced server, its own client, and between its `run` and `connect` steps a
 * burst from two socket.io-client processes (ten sockets keeping emits with
 * acks in flight). The trace's calls, turns expanded, must be exactly the call
 * trees built from the same records without folding (every batch copied as
 * it reached the collector, which folds repeated turns as they arrive; the traced
 * process sends most repeats as one entry, expanded here from their shape's sample): every
 * call's seq, function, depth and async flag, every turn's root times and async link.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { buildCallTrees, walkCalls, type RecordView } from "../../src/trace/call-tree.js";
import type { RecordBatch } from "../../src/instrument/recorder.js";
import type { Collector } from "../../src/runtime/collector.js";
import { countStepCalls, expandTurns } from "../../src/trace/turns.js";
import { parseTraceFile, serializeTrace } from "../../src/trace/trace-file.js";
import type { CallNode, Trace } from "../../src/trace/model.js";
import { walkBatch, type BatchEntry, type BatchRow } from "../helpers/batch-walk.js";

const run = promisify(execFile);
const BURST = join(PACKAGE_ROOT, "test/fixtures/burst/client.mjs");
/** The chat's steps up to `run` (the server listens), then the burst, then the rest. */
const SERVER_STEPS = 4;

let trace: Trace;
let unfolded: CallNode[];
let acked = 0;
let folded: ReturnType<Collector["kept"]>;
/** Turns the traced process sent as entries (turn shapes in the recorder), and of them spans it dropped. */
let entryCount = 0;
let gapCount = 0;

beforeAll(async () => {
  // Clocks skipped for expected repeats from the first turn, not only once the rate is high: the path
  // that once dropped a repeat turning out new is taken whatever the machine's speed.
  const before = process.env.TRACE_SOCKET_TURN_SHAPES;
  process.env.TRACE_SOCKET_TURN_SHAPES = "hurried";
  const runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) }).finally(() => {
    if (before === undefined) delete process.env.TRACE_SOCKET_TURN_SHAPES;
    else process.env.TRACE_SOCKET_TURN_SHAPES = before;
  });
  // Every batch as it came, apart from the collector (which folds repeated turns as they arrive).
  const batches: RecordBatch[] = [];
  const addRecords = runner.collector.addRecords.bind(runner.collector);
  runner.collector.addRecords = (batch: RecordBatch): void => {
    batches.push(batch);
    addRecords(batch);
  };
  try {
    for (let i = 0; i < SERVER_STEPS; i++) await runner.runNext();
    const env = (messages: number) => ({ ...process.env, BURST: JSON.stringify({ url: runner.collector.address, clients: 5, messages }) });
    const outputs = await Promise.all([1, 2].map(() => run(process.execPath, [BURST], { env: env(400), timeout: 240_000 })));
    acked = outputs.reduce((n, o) => n + (JSON.parse(o.stdout) as { acked: number }).acked, 0);
    await runner.runAll();
  } finally {
    await runner.close();
  }
  trace = runner.trace();
  folded = runner.collector.kept();
  unfolded = buildCallTrees(rawRecords(batches, runner.collector));
}, 300_000);

/**
 * The batches' records in seq order (a batch sent again after a spill counted once), times on the
 * trace's clock; a turn the traced process sent as one entry is expanded here from its shape's
 * sample (the whole turn its batch named), independently of the collector: root times the entry's.
 */
function rawRecords(batches: readonly RecordBatch[], collector: Collector): RecordView {
  const rows = new Map<number, BatchRow>();
  const samples = new Map<number, number>();
  const entries: BatchEntry[] = [];
  let end = 0;
  for (const b of batches) {
    if (b.firstSeq < end) continue;
    end = walkBatch(b, samples, (row) => rows.set(row.seq, { ...row, time: collector.time(row.time) }), (entry) => entries.push(entry));
  }
  for (const entry of entries) {
    const from = samples.get(entry.shape);
    if (from === undefined) continue;
    const start = collector.time(entry.start);
    const last = collector.time(entry.end);
    for (let k = 0; k < entry.n; k++) {
      const sample = rows.get(from + k)!;
      const time = k === 0 ? start : k === entry.n - 1 ? last : Math.min(last, start + sample.time - rows.get(from)!.time);
      rows.set(entry.seq + k, { seq: entry.seq + k, op: sample.op, id: sample.id, time, link: k === 0 ? entry.link : -1, kind: k === 0 ? entry.kind : 0 });
    }
  }
  entryCount = entries.length;
  gapCount = entries.filter((entry) => entry.shape < 0).length;
  const list = [...rows.values()].sort((a, b) => a.seq - b.seq);
  return { length: list.length, seq: (i) => list[i].seq, op: (i) => list[i].op, id: (i) => list[i].id, time: (i) => list[i].time, link: (i) => list[i].link, linkKind: (i) => list[i].kind };
}

/** Every call as (seq, fn, depth, detached), and each root's own times and async link. */
function calls(roots: readonly CallNode[]): unknown[] {
  const out: unknown[] = [];
  walkCalls(roots, (node, depth) => out.push([node.seq, node.fn, depth, node.detached ?? false, ...(depth === 0 ? [node.start, node.end, node.async ?? null] : [])]));
  return out;
}

describe("repeated turns, folded on a real run", () => {
  it("folds the burst: most of its turns are repeats of a few trees", () => {
    expect(acked).toBe(800);
    const burst = trace.steps[SERVER_STEPS - 1];
    expect(burst.turns?.length ?? 0).toBeGreaterThan(400);
    expect(burst.calls.length).toBeLessThan((burst.turns?.length ?? 0) / 4);
    // Folded where they arrived: the collector holds most turns as a few numbers, not their records.
    expect(folded.turns).toBeGreaterThan(400);
    expect(folded.whole).toBeLessThan(folded.records / 4);
    expect(folded.dropped).toBe(0);
    // Folded already in the traced process: most turns crossed the IPC as one entry each, none dropped there.
    expect(entryCount).toBeGreaterThan(400);
    expect(gapCount).toBe(0);
    expect(trace.dropped.calls).toBe(0);
  });

  it("expands, step by step, into exactly the calls built from the same records unfolded", () => {
    const expanded = trace.steps.flatMap((step) => [...expandTurns(step)]);
    const first = expanded[0].seq;
    const last = expanded[expanded.length - 1].seq;
    // The records before the first step (module loading) and after the last belong to no step.
    const reference = unfolded.filter((root) => root.seq >= first && root.seq <= last);
    expect(calls(expanded)).toEqual(calls(reference));
    expect(trace.steps.reduce((n, step) => n + countStepCalls(step), 0)).toBe(calls(reference).length);
  });

  it("keeps the turns through a trace file", () => {
    const back = parseTraceFile(serializeTrace(trace));
    expect(back.steps.map((s) => [...(s.turns ?? [])])).toEqual(trace.steps.map((s) => [...(s.turns ?? [])]));
    expect(calls(back.steps.flatMap((s) => [...expandTurns(s)]))).toEqual(calls(trace.steps.flatMap((s) => [...expandTurns(s)])));
  });
});
