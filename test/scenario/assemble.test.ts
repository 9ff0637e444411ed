/**
 * Node assembly on a recorded run: every message a real chat run's traced
 * process sent (test/fixtures/runs/chat.v8.gz), replayed into the feed and
 * collector the runner uses, then assembled. No process. `RECORD_RUNS=1`
 * records the fixture again from a real run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assemble, type AssemblyState } from "../../src/scenario/assemble.js";
import { NodeRecording } from "../../src/runtime/node/node-recording.js";
import { Runner } from "../../src/scenario/runner.js";
import type { TracedProcess } from "../../src/runtime/port.js";
import { Collector } from "../../src/runtime/collector.js";
import type { FromTraced } from "../../src/runtime/node/protocol.js";
import { TracedFeed } from "../../src/runtime/node/traced-feed.js";
import type { CallNode, Trace } from "../../src/trace/model.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { messagesByStep } from "../../src/export/text.js";
import { assembledChatTrace, CHAT_RECORDING as FIXTURE } from "../helpers/recorded-trace.js";
import { readNodeRecording, recordNodeRun } from "../helpers/run-recording.js";
import { callsOf, named } from "../helpers/trace-query.js";
import type { StepCalls } from "../../src/trace/turns.js";

const scenario = loadScenario();
let trace: Trace;

beforeAll(async () => {
  if (process.env.RECORD_RUNS) await recordNodeRun(FIXTURE);
  trace = assembledChatTrace();
}, 120_000);

describe("Node assembly on a recorded run", () => {
  it("has every step, titled, with the user's lines and the live values in the narration", () => {
    expect(trace.steps.map((s) => s.id)).toEqual(scenario.steps.map((s) => s.id));
    expect(trace.steps.map((s) => s.title)).toEqual(scenario.steps.map((s) => s.title));
    const values = trace.steps[0].values;
    expect(values).toMatchObject({ pingInterval: "1500", pingTimeout: "3000", path: "/socket.io" });
    expect(values.sid).toMatch(/^[\w-]{20}$/);
    for (const step of trace.steps) expect(step.explanation, step.id).not.toMatch(/\{(pingInterval|path|origins)\}/);
    expect(trace.steps[0].code).toMatchObject({ side: "server", file: "traces/chat/server.mjs" });
  });

  it("takes the listener snapshot onto the steps its data flags, and only those", () => {
    for (const step of trace.steps) expect(step.listeners !== undefined, step.id).toBe(scenario.steps[step.index].listeners === true);
    const flagged = trace.steps.find((s) => s.listeners)!;
    expect(flagged.listeners!.before.request.join(" ")).not.toMatch(/engine|attach/);
    expect(flagged.listeners!.after.request.join(" ")).toMatch(/attach/);
  });

  it("cuts the records into each step's call trees and the frames into its steps", () => {
    expect(named(callsOf(trace, trace.steps[0]), "socket.io", "Server.constructor")).not.toHaveLength(0);
    const byStep = messagesByStep(trace);
    const connect = scenario.steps.findIndex((s) => s.waitFor === "upgrade");
    expect((byStep.get(connect) ?? []).some((m) => m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "upgrade")))).toBe(true);
    expect(trace.steps.flatMap((s) => s.chunks).length).toBe(trace.chunks.length);
  });

  it("reads the closed steps' trees the runner kept, and writes nothing", () => {
    const recording = readNodeRecording(FIXTURE);
    const collector = new Collector(recording.startedAt);
    const feed = new TracedFeed(collector, () => undefined, () => undefined);
    for (const event of recording.events) if (event.k === "message") feed.take(event.m as FromTraced);
    const kept: StepCalls = { calls: [] as readonly CallNode[] };
    const closedSteps = new Map<number, StepCalls>([[0, kept]]);
    const state: AssemblyState = {
      options: { scenario, projectRoot: PACKAGE_ROOT, command: "recorded" },
      steps: scenario.steps,
      runs: recording.runs,
      processes: [{ id: 0, name: "server", collector, recording: new NodeRecording(collector, feed.pauses), messages: [], closedSteps }],
    };
    const frozen = JSON.stringify({ runs: recording.runs, kept: closedSteps.size, chunks: collector.chunks.length, functions: collector.functions.length });
    const trace = assemble(state);
    expect(trace.steps[0].calls).toBe(kept.calls);
    expect(trace.steps[1].calls.length).toBeGreaterThan(0);
    expect(JSON.stringify({ runs: recording.runs, kept: closedSteps.size, chunks: collector.chunks.length, functions: collector.functions.length })).toBe(frozen);
  });

  it("builds a closed step's trees once, into the cache the runner keeps", () => {
    const recording = readNodeRecording(FIXTURE);
    const runner = Runner.create({ scenario, projectRoot: PACKAGE_ROOT, command: "recorded" });
    const feed = new TracedFeed(runner.collector, () => undefined, () => undefined);
    for (const event of recording.events) if (event.k === "message") feed.take(event.m as FromTraced);
    // Only what trace() reads of a process: its recording (nothing runs).
    runner.attach({ recording: new NodeRecording(runner.collector, feed.pauses), onEvent: () => () => undefined } as unknown as TracedProcess);
    // A recorded run's steps are all over and settled.
    runner.runs.push(...recording.runs.map((run) => ({ ...run, settled: true })));
    const once = runner.trace();
    const again = runner.trace();
    expect(again.steps[0].calls).toBe(once.steps[0].calls);
    expect(again.steps.at(-1)!.calls).not.toBe(once.steps.at(-1)!.calls);
  });
});
