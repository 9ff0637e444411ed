/**
 * Folding repeated turns loses nothing, on a real run: the chat scenario's
 * traced server, its own client, and between its `run` and `connect` steps a
 * burst from two socket.io-client processes (ten sockets keeping emits with
 * acks in flight). The trace's calls, turns expanded, must be exactly the call
 * trees built from the same records without folding: every call's seq,
 * function, depth and async flag, every turn's root times and async link.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { buildCallTrees, walkCalls } from "../../src/trace/call-tree.js";
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

beforeAll(async () => {
  const runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
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
  unfolded = buildCallTrees(runner.collector.records(0, Number.MAX_SAFE_INTEGER));
}, 300_000);


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
    expect(back.steps.map((s) => s.turns ?? [])).toEqual(trace.steps.map((s) => s.turns ?? []));
    expect(calls(back.steps.flatMap((s) => [...expandTurns(s)]))).toEqual(calls(trace.steps.flatMap((s) => [...expandTurns(s)])));
  });
});
