/**
 * One traced process of a run, as the runner holds it: its adapter, its own
 * collector (its chunks, connections and output, with its own ids, on the
 * run's one timeline) and decoded messages, and the call trees of its steps
 * that are over.
 */
import type { StepCalls } from "../trace/turns.js";
import type { StepAnchor } from "../instrument/step-points.js";
import type { ScenarioDefinition, StepDefinition, StepSide } from "../trace/scenario.js";
import { Collector } from "../runtime/collector.js";
import type { RuntimeFactory, TracedProcess } from "../runtime/port.js";
import { DecodedMessages } from "./decoded-messages.js";

/** A traced process of a run, as a command asks for it. */
export interface ProcessSpec {
  /** Its name in the scenario and the trace (`A`, `B`); steps name it in `process`. */
  readonly name: string;
  /** Starts it: `nodeRuntime(…)` or `pythonRuntime(…)`. */
  readonly runtime: RuntimeFactory;
  /** The program it runs (absolute); default: the scenario's server. */
  readonly entry?: string;
  /** More environment for its built-in client (which of several clients it is: `CLIENT_NAME`). */
  readonly clientEnv?: NodeJS.ProcessEnv;
}

/** A traced process of a run, started. */
export class RunProcess {
  /** The wire messages of its connections, decoded once as chunks arrive. */
  readonly decoded: DecodedMessages;
  /** Call trees of its steps that are over, as they stand in the trace, by step index. */
  readonly closedSteps = new Map<number, StepCalls>();
  server!: TracedProcess;

  constructor(
    /** Its position in the run: `process` in the trace, and its ids' offset. */
    readonly id: number,
    readonly name: string,
    readonly collector: Collector,
  ) {
    this.decoded = new DecodedMessages(collector);
  }
}

/** The processes (of those named `names`) that run `step`: those it names, or the first. */
export function processesOf(step: Pick<StepDefinition, "process">, names: readonly string[]): string[] {
  const wanted = step.process === undefined ? [] : typeof step.process === "string" ? [step.process] : step.process;
  const known = names.filter((name) => wanted.includes(name));
  return known.length ? known : names.slice(0, 1);
}

/**
 * The pauses of the `side` steps process `name` runs (its server's, or its client's), of a run
 * of the processes `names`: a step without `process`, or naming none of them, is the first
 * process's. A process pauses at no other step: its part of one it does not run is a no-op.
 */
export function anchorsOf(scenario: ScenarioDefinition, name: string, names: readonly string[], side: StepSide = "server"): StepAnchor[] {
  return scenario.steps.flatMap((step, index) => (step.side === side && step.anchor && processesOf(step, names).includes(name) ? [{ step: index, anchor: step.anchor }] : []));
}

/** The processes of a run, with a collector each on the run's one timeline (`startedAt`, epoch ms). */
export function runProcesses(specs: readonly Pick<ProcessSpec, "name">[], startedAt: number): RunProcess[] {
  return specs.map((spec, id) => new RunProcess(id, spec.name, new Collector(startedAt)));
}

/**
 * Where each listening process of a run takes clients, as `CHAT_URL_<name>`: a client of one
 * server that must reach another (a request at the wrong server) needs its address. Nothing
 * for a run of one process.
 */
export function serverUrls(processes: readonly RunProcess[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (processes.length < 2) return out;
  for (const p of processes) {
    const url = p.server?.clientUrl();
    if (url !== undefined) out[`CHAT_URL_${p.name}`] = url;
  }
  return out;
}
