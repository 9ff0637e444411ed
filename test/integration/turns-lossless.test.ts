/**
 * Folding repeated turns loses nothing, on a real run: the chat scenario's
 * traced server, its own client, and between its `run` and `connect` steps a
 * burst from two socket.io-client processes (ten sockets keeping emits with
 * acks in flight). The trace's calls, turns expanded, must be exactly the call
 * trees built from the same records without folding (every batch copied as
 * it reached the collector, which folds repeated turns as they arrive): every
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

const run = promisify(execFile);
const BURST = join(PACKAGE_ROOT, "test/fixtures/burst/client.mjs");
/** The chat's steps up to `run` (the server listens), then the burst, then the rest. */
const SERVER_STEPS = 4;

let trace: Trace;
let unfolded: CallNode[];
let acked = 0;
let folded: ReturnType<Collector["kept"]>;

beforeAll(async () => {
  const runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
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

/** The batches' records in seq order (a batch sent again after a spill counted once), times on the trace's clock. */
function rawRecords(batches: readonly RecordBatch[], collector: Collector): RecordView {
  const rows: { seq: number; op: number; id: number; time: number; link: number; kind: number }[] = [];
  let end = 0;
  for (const b of batches) {
    if (b.firstSeq < end) continue;
    end = b.firstSeq + b.ops.length;
    for (let i = 0; i < b.ops.length; i++) rows.push({ seq: b.firstSeq + i, op: b.ops[i], id: b.ids[i], time: collector.time(b.times[i]), link: b.links[i], kind: b.linkKinds[i] });
  }
  return { length: rows.length, seq: (i) => rows[i].seq, op: (i) => rows[i].op, id: (i) => rows[i].id, time: (i) => rows[i].time, link: (i) => rows[i].link, linkKind: (i) => rows[i].kind };
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
