/**
 * Assembles the trace model from what a run collected, whatever runtime each
 * of its processes ran in: cuts each process's record stream at the step
 * markers into call trees, assigns chunks to steps by time, fills the
 * narration with live values. Pure: it reads the run's state and writes
 * nothing (the runner keeps the closed steps' trees and hands them back in).
 *
 * A run of one process gives the trace of one (no `process` fields, ids as
 * the process gave them). In a run of several, every call, chunk,
 * connection, function and log line carries its `process`, and process k's
 * ids are offset by k × `PROCESS_ID_STRIDE` so they stay unique.
 */
import { relative } from "node:path";
import { PROCESS_ID_STRIDE, SCHEMA_NAME, SCHEMA_VERSION, type CallNode, type Chunk, type LiveState, type Step, type Trace, type UserCode } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { anchorsFor, narrate, PACKAGE_ROOT, type ScenarioDefinition, type StepDefinition } from "../trace/scenario.js";
import type { Collector } from "../runtime/collector.js";
import type { Marked, ProcessRecording, StepRange } from "../runtime/port.js";
import { readVersion, stepLines } from "../runtime/step-lines.js";
import type { StepCalls } from "../trace/turns.js";
import { TurnList } from "../trace/turn-list.js";
import { processLinks } from "./process-links.js";
import { serviceOfLayer } from "../trace/process-names.js";

/** What the runner knows of a step it started. */
export interface StepRun {
  readonly index: number;
  /**
   * The index the scenario and its processes know the step by (its line, its pause), when actions
   * taken from the stepper moved it on; -1 for such an action (no line of the scenario's). Default `index`.
   */
  readonly origin?: number;
  /** Seq of the step's marker record in the first process. */
  readonly markSeq: number;
  /** Trace ms of the first process's marker. */
  readonly startedAt: number;
  readonly notes: string[];
  /** In a run of several processes: each one's marker, by process id. */
  readonly marks?: readonly Marked[];
  /** The (first) traced server's state once the step had settled. */
  state?: LiveState;
  /** The step ran to its end and every process settled: all records before the next marker have arrived. */
  settled?: boolean;
}

/** What assembly reads of one traced process of a run. */
export interface ProcessState {
  /** Its position in the run. */
  readonly id: number;
  readonly name: string;
  /** Its chunks, connections and output lines. */
  readonly collector: Collector;
  /** What it recorded, read through the runtime port. */
  readonly recording: ProcessRecording;
  /** Its wire messages completed so far, decoded once each by the runner. */
  readonly messages: readonly WireMessage[];
  /** Call trees (repeated turns folded) of its steps that are over, as they stand in the trace, kept by the runner, by step index. */
  readonly closedSteps: ReadonlyMap<number, StepCalls>;
}

/** What assembly reads of a run (the runner holds it). */
export interface AssemblyState {
  readonly options: { readonly scenario: ScenarioDefinition; readonly projectRoot: string; readonly command: string };
  readonly steps: readonly StepDefinition[];
  readonly runs: readonly StepRun[];
  /** The traced processes, in order; the first is the one the built-in client talks to. */
  readonly processes: readonly ProcessState[];
}

/** Where step `run` starts in process `id`. */
export function markOf(run: StepRun, id: number): Marked {
  return run.marks?.[id] ?? { seq: run.markSeq, time: run.startedAt };
}

/** Maps process `id`'s ids into the trace's (identity in a run of one). */
function idsOf(id: number, several: boolean): (n: number) => number {
  const offset = id * PROCESS_ID_STRIDE;
  return several ? (n) => n + offset : (n) => n;
}

function mapForest(nodes: readonly CallNode[], id: number, off: (n: number) => number): CallNode[] {
  return nodes.map((node) => ({
    ...node,
    seq: off(node.seq),
    fn: off(node.fn),
    ...(node.async ? { async: { kind: node.async.kind, from: off(node.async.from) } } : {}),
    process: id,
    children: mapForest(node.children, id, off),
  }));
}

function mapStepCalls(forest: StepCalls, id: number, off: (n: number) => number): StepCalls {
  const calls = mapForest(forest.calls, id, off);
  if (!forest.turns) return { calls };
  return { calls, turns: forest.turns.mapped(off, id) };
}

/**
 * The call forests of every step, per process (`[process][run]`), as they
 * stand in the trace (repeated turns folded): what the runner kept for closed
 * steps, the rest built from the records. Pure; the runner keeps the closed ones from it.
 */
export function stepForests(state: AssemblyState): StepCalls[][] {
  const several = state.processes.length > 1;
  const { runs } = state;
  return state.processes.map((p) => {
    const ranges: StepRange[] = runs.map((run, i) => ({ from: markOf(run, p.id).seq + 1, to: runs[i + 1] ? markOf(runs[i + 1], p.id).seq : Number.MAX_SAFE_INTEGER }));
    const known = new Map<number, StepCalls>();
    runs.forEach((run, i) => {
      const kept = i + 1 < runs.length ? p.closedSteps.get(run.index) : undefined;
      if (kept) known.set(i, kept);
    });
    const built = p.recording.callForests(ranges, known);
    const off = idsOf(p.id, several);
    return built.map((forest, i) => known.get(i) ?? (several ? mapStepCalls(forest, p.id, off) : forest));
  });
}

function chunksOf(p: ProcessState, several: boolean): Chunk[] {
  const chunks = p.collector.chunkModels();
  if (!several) return chunks;
  const off = idsOf(p.id, true);
  return chunks.map((c) => ({ ...c, seq: off(c.seq), conn: off(c.conn), ...(c.call !== undefined ? { call: off(c.call) } : {}), ...(c.callEnd !== undefined ? { callEnd: off(c.callEnd) } : {}), process: p.id }));
}

/** A step's `turns` field from its processes' (in process order, so in seq order): absent when no turn repeated. */
function turnsOf(lists: readonly (TurnList | undefined)[]): { turns?: TurnList } {
  const held = lists.filter((list): list is TurnList => !!list?.length);
  if (held.length <= 1) return held.length ? { turns: held[0] } : {};
  const turns = new TurnList();
  for (const list of held) turns.append(list);
  return { turns };
}

/** Builds the whole trace from a run's state (`forests`: {@link stepForests} of it, when the caller already has them). */
export function assemble(state: AssemblyState, forests: readonly (readonly StepCalls[])[] = stepForests(state)): Trace {
  const { scenario, projectRoot, command } = state.options;
  const { runs, processes } = state;
  const several = processes.length > 1;
  const first = processes[0];
  const perProcess = processes.map((p) => chunksOf(p, several));
  const chunks = several ? perProcess.flat().sort((a, b) => a.time - b.time) : perProcess[0];
  // A step run in one named process is told with that process's values (its address, its options), not the first's.
  const valuesOf = processes.map((p) => p.recording.values(p.messages));
  const valuesAt = (definition: StepDefinition, origin: number): Readonly<Record<string, string>> => {
    const own = typeof definition.process === "string" ? processes.findIndex((p) => p.name === definition.process) : -1;
    return valuesOf[own < 0 ? 0 : own](origin);
  };
  const lines = new Map<number, UserCode>([
    ...(scenario.client ? stepLines(scenario.client, "client", anchorsFor(scenario, "client"), projectRoot) : []),
    ...processes.flatMap((p) => [...p.recording.serverLines(scenario, projectRoot)]),
  ]);
  const takeover = first.recording.takeover(projectRoot);
  const lastChunk = chunks.reduce((latest, chunk) => Math.max(latest, chunk.time), -Infinity);
  const steps: Step[] = runs.map((run, i) => {
    const next = runs[i + 1];
    const definition = state.steps[run.index];
    const origin = run.origin ?? run.index;
    const values = valuesAt(definition, origin);
    const explanation = narrate(definition.explanation ?? "", values) + (run.notes.length ? ` (${run.notes.join("; ")})` : "");
    // Each process's chunks belong to the step by that process's own marker times.
    const stepChunks = processes.flatMap((p) => {
      const from = markOf(run, p.id).time;
      const to = next ? markOf(next, p.id).time : Infinity;
      return perProcess[p.id].filter((chunk) => chunk.time >= from && chunk.time < to);
    });
    return {
      index: run.index,
      id: definition.id,
      title: definition.title,
      code: definition.code ?? lines.get(origin),
      explanation,
      // Kept apart too: a narration rebuilt from claims keeps what the runner noted.
      ...(run.notes.length ? { notes: [...run.notes] } : {}),
      values,
      started: run.startedAt,
      ended: next ? next.startedAt : Math.max(lastChunk, run.startedAt),
      calls: several ? processes.flatMap((p) => forests[p.id][i].calls) : forests[0][i].calls,
      ...turnsOf(processes.map((p) => forests[p.id][i].turns)),
      chunks: (several ? stepChunks.sort((a, b) => a.time - b.time) : stepChunks).map((chunk) => chunk.seq),
      ...(takeover && definition.listeners ? { listeners: takeover } : {}),
      ...(run.state ? { state: run.state } : {}),
    };
  });
  const dropped = { calls: 0, chunks: 0, bytes: 0, logs: 0 };
  for (const p of processes) {
    const d = p.collector.dropped;
    dropped.calls += d.calls + p.recording.droppedCalls();
    dropped.chunks += d.chunks;
    dropped.bytes += d.bytes;
    dropped.logs += d.logs;
  }
  const functions = several ? processes.flatMap((p) => p.recording.functions().map((f) => ({ ...f, id: f.id + p.id * PROCESS_ID_STRIDE, process: p.id }))) : first.recording.functions();
  // What one process published and another received, by its bytes.
  const links = several ? processLinks(processes.map((p) => ({ id: p.id, name: p.name, messages: p.messages, ids: idsOf(p.id, true), remote: (conn: number) => p.collector.connections.get(conn)?.remote })), steps, functions) : [];
  return {
    meta: {
      schema: SCHEMA_NAME,
      version: SCHEMA_VERSION,
      tool: readVersion(PACKAGE_ROOT) ?? "0.0.0",
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: new Date(first.collector.startedAt).toISOString(),
      command,
      scenario: relative(projectRoot, scenario.name).startsWith("..") ? scenario.name : scenario.name.includes("/") ? relative(projectRoot, scenario.name) : scenario.name,
      // The first process's versions win where two processes name the same package.
      packages: Object.assign({}, ...[...processes].reverse().map((p) => p.recording.packages(scenario))) as Record<string, string>,
      address: first.recording.address(),
      ...(scenario.ownApp ? { ownApp: true as const } : {}),
      ...sampledOf(processes),
      ...(several ? { processes: processes.map((p) => ({ id: p.id, name: p.name, ...(p.recording.address() ? { address: p.recording.address() } : {}) })) } : {}),
    },
    functions,
    steps,
    connections: processes.flatMap((p) => {
      const services = servicesOf(p.messages);
      return [...p.collector.connections.values()].map((c) => {
        const service = c.outgoing ? services.get(c.id) : undefined;
        const named = service ? { ...c, service } : c;
        return several ? { ...named, id: c.id + p.id * PROCESS_ID_STRIDE, process: p.id } : named;
      });
    }),
    chunks,
    logs: several ? processes.flatMap((p) => p.collector.logs.map((l) => ({ ...l, ...(l.call !== undefined ? { call: idsOf(p.id, true)(l.call) } : {}), process: p.id }))).sort((a, b) => a.time - b.time) : first.collector.logs,
    dropped,
    ...(links.length ? { links } : {}),
  };
}

/** The service each connection reached, by the first of its messages a decoder recognised (`Connection.service`). */
function servicesOf(messages: readonly WireMessage[]): Map<number, string> {
  const services = new Map<number, string>();
  for (const message of messages) {
    if (services.has(message.conn)) continue;
    const service = serviceOfLayer(message.layers[0]?.kind);
    if (service) services.set(message.conn, service);
  }
  return services;
}

/** `meta.sampledTurns` and `meta.untimedTurns`: turns kept whole whose per-call times were not their own, over every process. */
function sampledOf(processes: readonly ProcessState[]): { sampledTurns?: number; untimedTurns?: number } {
  const played = processes.reduce((n, p) => n + p.collector.kept().played, 0);
  const untimed = processes.reduce((n, p) => n + p.collector.kept().untimed, 0);
  return { ...(played > 0 ? { sampledTurns: played } : {}), ...(untimed > 0 ? { untimedTurns: untimed } : {}) };
}
