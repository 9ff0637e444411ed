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
import { StepFailure } from "../runtime/child.js";
import type { RuntimeFactory, TracedProcess } from "../runtime/port.js";
import type { StepRun } from "./assemble.js";
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
  /** The process of the run that starts it (a cluster worker's primary): closed after it, so that it sees it end and says how. */
  readonly parent?: string;
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

/**
 * Starts every process of `specs` side by side, each with the collector of its `processes`
 * entry, and pauses each at its first step. If one fails to start, the others (up by then) are
 * stopped, not left behind, and its error is thrown.
 */
export async function startProcesses(
  specs: readonly ProcessSpec[],
  { scenario, projectRoot }: { readonly scenario: ScenarioDefinition; readonly projectRoot: string },
  processes: readonly RunProcess[],
): Promise<TracedProcess[]> {
  const names = specs.map((spec) => spec.name);
  const started = await Promise.allSettled(
    specs.map((spec, id) => {
      const entry = spec.entry ?? scenario.server;
      return spec.runtime({ scenario, projectRoot, entry, anchors: anchorsOf(scenario, spec.name, names), collector: processes[id].collector });
    }),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(started.flatMap((r) => (r.status === "fulfilled" ? [r.value.quit()] : [])));
    throw failed.reason;
  }
  return started.map((r) => (r as PromiseFulfilledResult<TracedProcess>).value);
}

/** Waits for `pending`, but fails at once (with `failure()`, when there is one) if one of `processes` dies meanwhile. */
export async function unlessAnyDies<T>(processes: readonly RunProcess[], failure: () => string | undefined, pending: Promise<T>): Promise<T> {
  const died = processes.map((p) =>
    p.server.exited.then(() => {
      throw new StepFailure(failure() ?? `the ${p.server.label} exited`);
    }),
  );
  pending.catch(() => undefined);
  for (const d of died) d.catch(() => undefined);
  return Promise.race([pending, ...died]);
}

/**
 * Keeps the trees of each step that can no longer change (a step followed by another) in its
 * process's `closedSteps`, so they are built once; `forests` are `stepForests`' (process by process, run by run).
 */
export function keepClosedSteps(processes: readonly RunProcess[], runs: readonly StepRun[], forests: readonly (readonly StepCalls[])[]): void {
  forests.forEach((perRun, id) => {
    const kept = processes[id].closedSteps;
    perRun.forEach((forest, i) => {
      const index = runs[i].index;
      // Not as soon as the next step is marked: records before its marker may still be on their way until it settled.
      if (runs[i + 1]?.settled && !kept.has(index)) kept.set(index, forest);
    });
  });
}
