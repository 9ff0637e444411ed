/**
 * Assembles the trace model from what a run collected, whatever runtime it
 * ran in: cuts each process's record stream at the step markers into call
 * trees, assigns chunks to steps by time, fills the narration with live
 * values. Pure: it reads the run's state and writes nothing (the runner keeps
 * the closed steps' trees and hands them back in).
 */
import { relative } from "node:path";
import { SCHEMA_NAME, SCHEMA_VERSION, type CallNode, type LiveState, type Step, type Trace, type UserCode } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { anchorsFor, narrate, PACKAGE_ROOT, type ScenarioDefinition, type StepDefinition } from "../trace/scenario.js";
import type { Collector } from "../runtime/collector.js";
import type { ProcessRecording, StepRange } from "../runtime/port.js";
import { readVersion, stepLines } from "../runtime/step-lines.js";

/** What the runner knows of a step it started. */
export interface StepRun {
  readonly index: number;
  /** Seq of the step's marker record. */
  readonly markSeq: number;
  /** Trace ms of the marker. */
  readonly startedAt: number;
  readonly notes: string[];
  /** The traced server's state once the step had settled. */
  state?: LiveState;
}

/** What assembly reads of a run (the runner holds it). */
export interface AssemblyState {
  readonly options: { readonly scenario: ScenarioDefinition; readonly projectRoot: string; readonly command: string };
  readonly steps: readonly StepDefinition[];
  /** The run's chunks, connections and output lines. */
  readonly collector: Collector;
  /** What the traced process recorded, read through the runtime port. */
  readonly recording: ProcessRecording;
  readonly runs: readonly StepRun[];
  /** Call trees of steps another step followed, kept by the runner, by step index. */
  readonly closedSteps: ReadonlyMap<number, readonly CallNode[]>;
  /** The wire messages completed so far, decoded once each by the runner. */
  readonly messages: readonly WireMessage[];
}

/** Builds the whole trace from a run's state. */
export function assemble(state: AssemblyState): Trace {
  const { scenario, projectRoot, command } = state.options;
  const { collector: c, recording, runs } = state;
  const chunks = c.chunkModels();
  const valuesAt = recording.values(state.messages);
  const lines = new Map<number, UserCode>([
    ...(scenario.client ? stepLines(scenario.client, "client", anchorsFor(scenario, "client"), projectRoot) : []),
    ...recording.serverLines(scenario, projectRoot),
  ]);
  const takeover = recording.takeover(projectRoot);
  const ranges: StepRange[] = runs.map((run, i) => ({ from: run.markSeq + 1, to: runs[i + 1]?.markSeq ?? Number.MAX_SAFE_INTEGER }));
  const known = new Map<number, readonly CallNode[]>();
  runs.forEach((run, i) => {
    const kept = i + 1 < runs.length ? state.closedSteps.get(run.index) : undefined;
    if (kept) known.set(i, kept);
  });
  const forests = recording.callForests(ranges, known);
  const steps: Step[] = runs.map((run, i) => {
    const next = runs[i + 1];
    const definition = state.steps[run.index];
    const values = valuesAt(run.index);
    const end = next ? next.startedAt : Infinity;
    const explanation = narrate(definition.explanation ?? "", values) + (run.notes.length ? ` (${run.notes.join("; ")})` : "");
    return {
      index: run.index,
      id: definition.id,
      title: definition.title,
      code: definition.code ?? lines.get(run.index),
      explanation,
      // Kept apart too: a narration rebuilt from claims keeps what the runner noted.
      ...(run.notes.length ? { notes: [...run.notes] } : {}),
      values,
      started: run.startedAt,
      ended: next ? next.startedAt : chunks.reduce((latest, chunk) => Math.max(latest, chunk.time), run.startedAt),
      calls: forests[i],
      chunks: chunks.filter((chunk) => chunk.time >= run.startedAt && chunk.time < end).map((chunk) => chunk.seq),
      ...(takeover && definition.listeners ? { listeners: takeover } : {}),
      ...(run.state ? { state: run.state } : {}),
    };
  });
  return {
    meta: {
      schema: SCHEMA_NAME,
      version: SCHEMA_VERSION,
      tool: readVersion(PACKAGE_ROOT) ?? "0.0.0",
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: new Date(c.startedAt).toISOString(),
      command,
      scenario: relative(projectRoot, scenario.name).startsWith("..") ? scenario.name : scenario.name.includes("/") ? relative(projectRoot, scenario.name) : scenario.name,
      packages: recording.packages(scenario),
      address: recording.address(),
    },
    functions: recording.functions(),
    steps,
    connections: [...c.connections.values()],
    chunks,
    logs: c.logs,
    dropped: { ...c.dropped, calls: c.dropped.calls + recording.droppedCalls() },
  };
}
