/**
 * A run of two traced processes, assembled with no process running: the
 * recorded Node chat as process A and the recorded Flask chat as process B
 * (test/fixtures/runs/), each with its own collector, clock, connections and
 * ids, cut at its own step markers. The trace holds both, every call, chunk,
 * connection, function and log line with its `process`, ids unique, and it
 * survives the trace file's writer and validator.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { assemble, type AssemblyState, type StepRun } from "../../src/scenario/assemble.js";
import { NodeRecording } from "../../src/runtime/node/node-recording.js";
import { PythonRecording } from "../../src/runtime/python/python-recording.js";
import { TracedFeed } from "../../src/runtime/node/traced-feed.js";
import { TracerFeed } from "../../src/runtime/python/tracer-feed.js";
import { Collector } from "../../src/runtime/collector.js";
import { DecodedMessages } from "../../src/scenario/decoded-messages.js";
import type { FromTraced } from "../../src/runtime/node/protocol.js";
import type { FromPython } from "../../src/runtime/python/protocol.js";
import { PROCESS_ID_STRIDE, type CallNode, type Trace } from "../../src/trace/model.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { parseTraceFile, serializeTrace } from "../../src/trace/trace-file.js";
import { CHAT_RECORDING } from "../helpers/recorded-trace.js";
import { readNodeRecording, replayRecording } from "../helpers/run-recording.js";

const scenario = loadScenario();
let trace: Trace;
let single: { a: number; b: number };

function walk(nodes: readonly CallNode[], visit: (node: CallNode) => void): void {
  for (const node of nodes) {
    visit(node);
    walk(node.children, visit);
  }
}

beforeAll(() => {
  const node = readNodeRecording(CHAT_RECORDING);
  const a = new Collector(node.startedAt);
  const nodeFeed = new TracedFeed(a, () => undefined, () => undefined);
  for (const event of node.events) {
    if (event.k === "message") nodeFeed.take(event.m as FromTraced);
    else a.addLog(event.source, event.text);
  }
  let flaskFeed: TracerFeed | undefined;
  const flask = replayRecording<FromPython>(join(PACKAGE_ROOT, "test/fixtures/runs/chat-flask.jsonl"), (collector, message) => (flaskFeed ??= new TracerFeed(collector, 4000)).ingest(message));
  const b = flask.collector;
  // Both chats have the same steps: each is marked in both processes, at each one's own marker.
  const count = Math.min(node.runs.length, flask.runs.length);
  const runs: StepRun[] = node.runs.slice(0, count).map((run, i) => ({
    ...run,
    marks: [
      { seq: run.markSeq, time: run.startedAt },
      { seq: flask.runs[i].markSeq, time: flask.runs[i].startedAt },
    ],
  }));
  const processes = [
    { id: 0, name: "A", collector: a, recording: new NodeRecording(a, nodeFeed.pauses), messages: new DecodedMessages(a).completed(), closedSteps: new Map() },
    { id: 1, name: "B", collector: b, recording: new PythonRecording(flaskFeed!, PACKAGE_ROOT, () => flask.proxy), messages: new DecodedMessages(b).completed(), closedSteps: new Map() },
  ];
  const state: AssemblyState = { options: { scenario, projectRoot: PACKAGE_ROOT, command: "recorded" }, steps: scenario.steps, runs, processes };
  trace = assemble(state);
  single = { a: a.chunks.length, b: b.chunks.length };
}, 120_000);

describe("a run of two traced processes", () => {
  it("names both processes and keeps every chunk of each, with its process", () => {
    expect(trace.meta.processes?.map((p) => p.name)).toEqual(["A", "B"]);
    expect(trace.chunks.filter((c) => c.process === 0)).toHaveLength(single.a);
    expect(trace.chunks.filter((c) => c.process === 1)).toHaveLength(single.b);
    expect(new Set(trace.chunks.map((c) => c.seq)).size).toBe(trace.chunks.length);
    expect(trace.connections.every((c) => c.process === (c.id >= PROCESS_ID_STRIDE ? 1 : 0))).toBe(true);
    expect(trace.connections.some((c) => c.process === 1)).toBe(true);
  });

  it("gives each step both processes' call trees, every call resolving to its own process's function", () => {
    const functions = new Map(trace.functions.map((f) => [f.id, f]));
    const seqs = new Set<number>();
    let calls = 0;
    for (const step of trace.steps) {
      const processes = new Set(step.calls.map((c) => c.process));
      if (step.index === 0) expect([...processes].sort()).toEqual([0, 1]);
      walk(step.calls, (call) => {
        calls++;
        expect(call.process).toBeDefined();
        expect(functions.get(call.fn)?.process).toBe(call.process);
        expect(seqs.has(call.seq)).toBe(false);
        seqs.add(call.seq);
      });
    }
    expect(calls).toBeGreaterThan(100);
    const names = (p: number): Set<string> => new Set(trace.functions.filter((f) => f.process === p).map((f) => f.pkg));
    expect(names(0).has("socket.io")).toBe(true);
    expect(names(1).has("flask_socketio")).toBe(true);
  });

  it("puts each process's frames in the step its own markers bound", () => {
    const byStep = trace.steps.map((s) => s.chunks.length);
    expect(byStep.reduce((x, y) => x + y, 0)).toBe(trace.chunks.length);
    const seqToProcess = new Map(trace.chunks.map((c) => [c.seq, c.process]));
    const connect = scenario.steps.findIndex((s) => s.waitFor === "upgrade");
    expect(new Set(trace.steps[connect].chunks.map((seq) => seqToProcess.get(seq)))).toEqual(new Set([0, 1]));
  });

  it("is written and read back as a trace file of this schema version", () => {
    const back = parseTraceFile(serializeTrace(trace));
    expect(back.meta.processes).toEqual(trace.meta.processes);
    expect(back.steps[0].calls[0].process).toBe(trace.steps[0].calls[0].process);
    expect(back.chunks.map((c) => c.process)).toEqual(trace.chunks.map((c) => c.process));
  });
});
