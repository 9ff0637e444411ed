/**
 * The one Runner: runs a traced app one step at a time, on command, whatever
 * runtime it is in. The traced server is a process behind the runtime port
 * (`src/runtime/port.ts`: the Node adapter or the Python one), the built-in
 * socket.io-client another process; between steps both idle (never blocked),
 * so heartbeats and other clients keep arriving live.
 *
 * A scenario's server pauses before each step's statement. A user's own app
 * starts up in one go; its start-up steps are cut afterwards from the call
 * sites it recorded (record-then-replay, see `app-start.ts`), and the
 * client's steps are live.
 *
 * A run may trace several processes (`processes`: two servers sharing a
 * Redis, say): each has its own collector and ids, its clock origin mapped
 * onto the run's one timeline; every step is marked in each, a server step
 * continues the process it names (`process` in steps.json, default the
 * first), and the trace holds them all, each call and chunk with its
 * `process` (see `assemble.ts`). A run of one process is the list of one.
 *
 * @example
 * // Two Node servers, A and B, in one run; steps with "process": "B" run B's statements.
 * await Runner.start({ scenario, projectRoot, command, processes: [
 *   { name: "A", runtime: nodeRuntime({ host, port: 0, env: { REDIS_URL } }), entry: join(dir, "server-a.mjs") },
 *   { name: "B", runtime: nodeRuntime({ host, port: 0, env: { REDIS_URL } }), entry: join(dir, "server-b.mjs") },
 * ] });
 */
import { withClaims } from "../claims/apply.js";
import { fileLineReader } from "../source/file-lines.js";
import type { LiveState, Trace } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import type { ScenarioDefinition, StepDefinition } from "../trace/scenario.js";
import { StepFailure } from "../runtime/child.js";
import type { Collector } from "../runtime/collector.js";
import type { RuntimeFactory, TracedProcess } from "../runtime/port.js";
import { assemble, markOf, stepForests, type AssemblyState, type StepRun } from "./assemble.js";
import type { DerivedStep } from "./app-steps.js";
import { ChangeSignal } from "./change-signal.js";
import { anchorsOf, processesOf, keepClosedSteps, runProcesses, serverUrls, startProcesses, unlessAnyDies, type ProcessSpec, type RunProcess } from "./run-process.js";
import { waitForFrame, waitOnWire, type WaitEnd } from "./run-waits.js";
import { closeRun } from "./run-close.js";
import { runClientAction } from "./client-actions.js";
import { withOwnClients } from "./own-clients.js";
import { describeFrame } from "../claims/frame-match.js";
import type { ClaimsFile, LineReader } from "../trace/claims-spec.js";
import { StepClient, type ClientTarget } from "./step-client.js";
import type { ServerAction } from "../runtime/server-action.js";
import { TakenActions } from "./actions.js";
import { StepControl } from "./runner-steps.js";
import { ClaimMessages } from "./claim-messages.js";

/** Options of a run. */
export interface RunnerOptions {
  readonly scenario: ScenarioDefinition;
  /** Paths in the trace are relative to this. */
  readonly projectRoot: string;
  /** The command line, for the trace's metadata. */
  readonly command: string;
  /** Starts the one traced server: `nodeRuntime(…)` or `pythonRuntime(…)`, the only place a runtime is chosen. Or give `processes`. */
  readonly runtime?: RuntimeFactory;
  /** Several traced processes in one run, in order (the first is the one the built-in client talks to). */
  readonly processes?: readonly ProcessSpec[];
  /** Called whenever something new was recorded (live views re-render on it). */
  readonly onChange?: () => void;
  /** More environment for the built-in client. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called once the run's processes are stopped (to stop what the run started for them: a Redis). */
  readonly onClose?: () => Promise<void>;
}

/** How the client of process `id` reaches its server, when it is not the scenario's own client script (a user's app). */
export type ClientPlan = (index: number, url: string | undefined, id: number) => ClientTarget;

/** Drives one traced run. */
export class Runner {
  /** The traced processes, each with its own collector on the run's one timeline. */
  readonly processes: readonly RunProcess[];
  readonly runs: StepRun[] = [];
  /** The steps: the scenario's, or those derived from the app once it has started. */
  readonly steps: StepDefinition[];
  private readonly changes = new ChangeSignal();
  /** The built-in client of each process (started on its first step; one of several pauses at its own steps only). */
  private readonly clients: readonly StepClient[];
  /** The traced files' source lines, each file read once per run. */
  private readonly readLine: LineReader;
  /** Why the run cannot go on, when the runner found out itself (a user's app that never served). */
  private ownFailure?: string;
  /** A user's app: where its client steps connect, and with what. */
  clientPlan?: ClientPlan;
  /** A user's app with `--client none`: its own clients' traffic is cut into steps at the end. */
  ownClients = false;
  /** A user's app: the claims its steps make, derived from its kinds of step and its code (instead of the scenario's). */
  derivedClaims?: ClaimsFile;
  /** What the traced process said along the way (a listen address rewritten, the app ending on its own). */
  readonly notices: string[] = [];
  /** The steps the user took from the stepper (`act`). */
  private readonly actions = new TakenActions();
  /** The wire messages the claims read: the runner's own decode while the run goes on, one decode of the whole capture at its end. */
  private readonly claimMessages = new ClaimMessages();
  /** Where each step begins and ends, and the user's actions run as steps. */
  private readonly control = new StepControl(this, this.actions, () => this.changed());

  private constructor(
    readonly options: Omit<RunnerOptions, "runtime" | "processes">,
    private readonly specs: readonly Pick<ProcessSpec, "name" | "clientEnv" | "parent">[] = [{ name: "server" }],
  ) {
    this.steps = [...options.scenario.steps];
    this.readLine = fileLineReader(options.projectRoot);
    this.processes = runProcesses(specs, performance.timeOrigin + performance.now());
    const names = specs.map((spec) => spec.name);
    this.clients = this.processes.map((p) => new StepClient({
      scenario: options.scenario, projectRoot: options.projectRoot, collector: p.collector, guard: (pending) => this.unlessServerDies(pending),
      ...(names.length > 1 ? { anchors: anchorsOf(options.scenario, p.name, names, "client") } : {}),
    }));
  }

  /** The first process's built-in client (the one a run of one process has; test/hardening reads it). */
  private get client(): StepClient {
    return this.clients[0];
  }

  /** Starts the scenario's server (or servers, side by side) and runs each up to its first step's pause. */
  static async start(options: RunnerOptions): Promise<Runner> {
    const specs: readonly ProcessSpec[] = options.processes ?? (options.runtime ? [{ name: "server", runtime: options.runtime }] : []);
    if (!specs.length) throw new Error("Runner.start needs a runtime or processes");
    const runner = new Runner(options, specs);
    const started = await startProcesses(specs, options, runner.processes);
    started.forEach((server, id) => runner.attach(server, id));
    return runner;
  }

  /** Chunks, connections and output lines of the first process (the built-in client's output goes here too). */
  get collector(): Collector {
    return this.processes[0].collector;
  }

  /** The first traced process (the one the built-in client talks to), behind the runtime port. */
  get server(): TracedProcess {
    return this.processes[0].server;
  }

  /**
   * A runner around a process its caller starts (a user's app, which starts
   * up before its steps are known): call {@link attach} with it.
   */
  static create(options: Omit<RunnerOptions, "runtime" | "processes">, processes?: readonly Pick<ProcessSpec, "name" | "clientEnv" | "parent">[]): Runner {
    return new Runner(options, processes);
  }

  /** Takes traced process `id`'s events from now on. */
  attach(server: TracedProcess, id = 0): void {
    this.processes[id].server = server;
    server.onEvent((event) => {
      if (event.kind === "notice") this.notices.push(event.text);
      this.changed();
    });
  }

  /** Why the run failed: the app threw or died, or it turned out not to be traceable. */
  get failure(): string | undefined {
    for (const p of this.processes) if (p.server?.failure) return p.server.failure;
    return this.ownFailure;
  }

  set failure(text: string | undefined) {
    this.ownFailure = text;
  }

  /** Also calls `listener` whenever something new was recorded (for a view attached after the start). */
  addChangeListener(listener: () => void): () => void {
    return this.changes.subscribe(listener);
  }

  private changed(): void {
    this.options.onChange?.();
    this.changes.emit();
  }

  /** Asks the traced process to send what it has. */
  flush(): void {
    for (const p of this.processes) p.server.flush();
  }

  /** Number of steps. */
  get stepCount(): number {
    return this.steps.length;
  }

  /** True when step `index` was recorded during start-up, so stepping to it runs nothing. */
  isRecorded(index: number): boolean {
    return (this.steps[index] as Partial<DerivedStep> | undefined)?.siteSeq !== undefined;
  }

  /** Index of the next step to run. */
  get nextStep(): number {
    return this.runs.length;
  }

  /** Runs the next step to completion. */
  async runNext(): Promise<void> {
    const index = this.runs.length;
    const step = this.steps[index];
    if (!step) return;
    const derived = step as Partial<DerivedStep>;
    if (derived.siteSeq !== undefined) {
      // Recorded during start-up: stepping to it reveals it.
      const marks = derived.siteMarks;
      const own = marks?.[this.processes.findIndex((p) => p.name === step.process)];
      this.runs.push({ index, markSeq: marks?.[0].seq ?? derived.siteSeq, startedAt: own?.time ?? this.collector.timeOf(derived.siteSeq + 1) ?? 0, notes: [], settled: true, ...(marks ? { marks } : {}) });
      this.changed();
      return;
    }
    const targets = processesOf(step, this.processes.map((p) => p.name)).map((name) => this.processes.find((p) => p.name === name)!);
    const target = targets[0];
    for (const t of targets) if (t.server.dead) throw new StepFailure(this.failure ?? `the ${t.server.label} is not running`);
    const origin = this.actions.originOf(this.steps, index);
    const run = await this.control.begin(index, origin);
    // A step several servers run: each runs its line in turn, in the order the run names them.
    if (step.side === "server") for (const t of targets) await this.unlessServerDies(t.server.continue());
    else if (step.side === "client") await this.clients[target.id].step(origin, () => this.clientTarget(origin, target));
    const until = step.until;
    // The step's client talks to its process: that wire is the one waited on.
    const awaited = until && ((): Promise<WaitEnd> => waitForFrame(target.decoded, markOf(run, target.id).time, until, () => this.flush(), () => target.server.dead));
    const framed: WaitEnd = step.action ? await runClientAction(step.action, this.clients[target.id], awaited || (async () => ({ seen: true }) as const)) : awaited ? await awaited() : { seen: true };
    if (!framed.seen) run.notes.push(`gave up waiting for ${describeFrame(until!)} ${framed.note}`);
    if (step.waitFor === "pong" || step.waitFor === "close") {
      const wired = await waitOnWire(target.collector, target.decoded, markOf(run, target.id).time, step.waitFor, () => this.flush(), () => target.server.dead);
      if (!wired.seen) run.notes.push(`gave up waiting for the ${step.waitFor} ${wired.note}`);
    }
    await this.control.end(run);
  }

  /**
   * Performs the user's `action` on the (first) traced server as a step of its own, inserted
   * before the next scenario step (see {@link StepControl.act}).
   */
  act(action: ServerAction): Promise<void> {
    return this.control.act(action);
  }

  private clientTarget(index: number, target: RunProcess): ClientTarget {
    const url = target.server.clientUrl();
    const env = { ...serverUrls(this.processes), ...this.options.env, ...this.specs[target.id]?.clientEnv };
    return this.clientPlan ? this.clientPlan(index, url, target.id) : { url, server: `the ${target.server.label}`, ...(Object.keys(env).length ? { env } : {}) };
  }

  /** Waits until the traced server is quiet; resolves to its state then (several servers settle together after a step). */
  settle(): Promise<LiveState | undefined> {
    return this.server.settle();
  }

  /** Waits for `pending`, but fails at once if a traced process dies meanwhile. */
  unlessServerDies<T>(pending: Promise<T>): Promise<T> {
    return unlessAnyDies(this.processes, () => this.failure, pending);
  }

  /** Runs every remaining step. */
  async runAll(): Promise<void> {
    while (this.runs.length < this.stepCount) await this.runNext();
  }

  /** The first process's wire messages completed so far (each chunk decoded once, as it arrived). */
  get messages(): readonly WireMessage[] {
    return this.processes[0].decoded.completed();
  }

  /** What assembly reads of the run now. */
  private state(): AssemblyState {
    const processes = this.processes.map((p) => ({ id: p.id, name: p.name, collector: p.collector, recording: p.server.recording, messages: p.decoded.completed(), closedSteps: p.closedSteps }));
    return { options: this.options, steps: this.steps, runs: this.runs, processes };
  }

  /** The trace as recorded so far, before claims are checked on it (several servers' traces are merged first). */
  assembled(): Trace {
    const state = this.state();
    const forests = stepForests(state);
    keepClosedSteps(this.processes, this.runs, forests);
    const assembled = assemble(state, forests);
    // --client none: the user's clients' traffic, one step per action they took.
    const live = this.ownClients ? this.steps.findLastIndex((s) => !this.actions.has(s)) : -1;
    return live >= 0 && !this.isRecorded(live) ? withOwnClients(assembled, live, this.messages) : assembled;
  }

  /** The trace as recorded so far, with its claims checked. */
  trace(): Trace {
    const trace = this.assembled();
    const claims = this.actions.withClaims(this.derivedClaims ?? this.options.scenario.claims);
    // Claims about the whole run are decided once every step has run; until then they wait.
    // The checks on a call's line read the traced files' own source (the installed Python package's, say).
    const final = this.runs.length >= this.stepCount;
    return claims ? withClaims(trace, claims, { final, readLine: this.readLine, messages: this.claimMessages.of(this.processes, trace.chunks, final) }) : trace;
  }

  /** Stops the clients and the traced processes, after they sent what they hold (see `run-close.ts`). */
  async close(): Promise<void> {
    await closeRun(this.processes, this.clients, (p) => this.specs[p.id]?.parent !== undefined);
    await this.options.onClose?.();
  }
}
