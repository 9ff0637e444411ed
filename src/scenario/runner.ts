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
 */
import { withClaims } from "../claims/apply.js";
import { fileLineReader } from "../source/file-lines.js";
import type { CallNode, LiveState, Trace } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import type { ScenarioDefinition, StepDefinition } from "../trace/scenario.js";
import { StepFailure } from "../runtime/child.js";
import { Collector } from "../runtime/collector.js";
import type { RuntimeFactory, TracedProcess } from "../runtime/port.js";
import { assemble, type StepRun } from "./assemble.js";
import type { DerivedStep } from "./app-steps.js";
import { ChangeSignal } from "./change-signal.js";
import { DecodedMessages } from "./decoded-messages.js";
import { waitForFrame, waitOnWire } from "./run-waits.js";
import { runClientAction } from "./client-actions.js";
import { withOwnClients } from "./own-clients.js";
import { describeFrame } from "../claims/frame-match.js";
import type { ClaimsFile, LineReader } from "../trace/claims-spec.js";
import { StepClient, type ClientTarget } from "./step-client.js";

/** Options of a run. */
export interface RunnerOptions {
  readonly scenario: ScenarioDefinition;
  /** Paths in the trace are relative to this. */
  readonly projectRoot: string;
  /** The command line, for the trace's metadata. */
  readonly command: string;
  /** Starts the traced server: `nodeRuntime(…)` or `pythonRuntime(…)`, the only place a runtime is chosen. */
  readonly runtime: RuntimeFactory;
  /** Called whenever something new was recorded (live views re-render on it). */
  readonly onChange?: () => void;
  /** More environment for the built-in client (one of several servers: its name, the Redis URL). */
  readonly env?: NodeJS.ProcessEnv;
}

/** How the client reaches the server, when it is not the scenario's own client script (a user's app). */
export type ClientPlan = (index: number, url: string | undefined) => ClientTarget;

/** Drives one traced run. */
export class Runner {
  /** Chunks, connections and output lines of the run, on its one timeline. */
  readonly collector = new Collector(performance.timeOrigin + performance.now());
  /** The wire messages, decoded once as chunks arrive. */
  private readonly decoded = new DecodedMessages(this.collector);
  readonly runs: StepRun[] = [];
  /** The steps: the scenario's, or those derived from the app once it has started. */
  readonly steps: StepDefinition[];
  /** Call trees of steps that are over (another step started after them), built once, by step index. */
  private readonly closedSteps = new Map<number, readonly CallNode[]>();
  private readonly changes = new ChangeSignal();
  private readonly client: StepClient;
  /** The traced files' source lines, each file read once per run. */
  private readonly readLine: LineReader;
  /** The traced server, behind the runtime port (set once it has started). */
  server!: TracedProcess;
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

  private constructor(readonly options: Omit<RunnerOptions, "runtime">) {
    this.steps = [...options.scenario.steps];
    this.readLine = fileLineReader(options.projectRoot);
    this.client = new StepClient({ scenario: options.scenario, projectRoot: options.projectRoot, collector: this.collector, guard: (pending) => this.unlessServerDies(pending) });
  }

  /** Starts the scenario's server and runs it up to the first step's pause. */
  static async start(options: RunnerOptions): Promise<Runner> {
    const runner = new Runner(options);
    runner.attach(await options.runtime({ scenario: options.scenario, projectRoot: options.projectRoot, collector: runner.collector }));
    return runner;
  }

  /**
   * A runner around a process its caller starts (a user's app, which starts
   * up before its steps are known): call {@link attach} with it.
   */
  static create(options: Omit<RunnerOptions, "runtime">): Runner {
    return new Runner(options);
  }

  /** Takes the traced server's events from now on. */
  attach(server: TracedProcess): void {
    this.server = server;
    server.onEvent((event) => {
      if (event.kind === "notice") this.notices.push(event.text);
      this.changed();
    });
  }

  /** Why the run failed: the app threw or died, or it turned out not to be traceable. */
  get failure(): string | undefined {
    return this.server?.failure ?? this.ownFailure;
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
    this.server.flush();
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
      this.runs.push({ index, markSeq: derived.siteSeq, startedAt: this.collector.timeOf(derived.siteSeq + 1) ?? 0, notes: [] });
      this.changed();
      return;
    }
    if (this.server.dead) throw new StepFailure(this.failure ?? `the ${this.server.label} is not running`);
    const { seq, time } = await this.unlessServerDies(this.server.mark(index));
    const run: StepRun = { index, markSeq: seq, startedAt: time, notes: [] };
    this.runs.push(run);
    this.changed();
    if (step.side === "server") await this.unlessServerDies(this.server.continue());
    else if (step.side === "client") await this.client.step(index, () => this.clientTarget(index));
    const until = step.until;
    const awaited = until && ((): Promise<boolean> => waitForFrame(this.decoded, run.startedAt, until, () => this.flush(), () => this.server.dead));
    const seen = step.action ? await runClientAction(step.action, this.client, awaited || (async () => true)) : awaited ? await awaited() : true;
    if (!seen) run.notes.push(`gave up waiting for ${describeFrame(until!)} after 10 s`);
    if (step.waitFor === "pong" || step.waitFor === "close") {
      const seen = await waitOnWire(this.collector, this.decoded, run.startedAt, step.waitFor, () => this.server.flush(), () => this.server.dead);
      if (!seen) run.notes.push(`gave up waiting for the ${step.waitFor} after 10 s`);
    }
    run.state = await this.server.settle();
    this.changed();
  }

  private clientTarget(index: number): ClientTarget {
    const url = this.server.clientUrl();
    return this.clientPlan ? this.clientPlan(index, url) : { url, server: `the ${this.server.label}`, ...(this.options.env ? { env: this.options.env } : {}) };
  }

  /** Waits until the traced server is quiet; resolves to its state then (several servers settle together after a step). */
  settle(): Promise<LiveState | undefined> {
    return this.server.settle();
  }

  /** Waits for `pending`, but fails at once if the traced server dies meanwhile. */
  async unlessServerDies<T>(pending: Promise<T>): Promise<T> {
    const died = this.server.exited.then(() => {
      throw new StepFailure(this.failure ?? `the ${this.server.label} exited`);
    });
    pending.catch(() => undefined);
    died.catch(() => undefined);
    return Promise.race([pending, died]);
  }

  /** Runs every remaining step. */
  async runAll(): Promise<void> {
    while (this.runs.length < this.stepCount) await this.runNext();
  }

  /** The wire messages completed so far (each chunk decoded once, as it arrived). */
  get messages(): readonly WireMessage[] {
    return this.decoded.completed();
  }

  /** The trace as recorded so far, before claims are checked on it (several servers' traces are merged first). */
  assembled(): Trace {
    const assembled = assemble({
      options: this.options,
      steps: this.steps,
      collector: this.collector,
      recording: this.server.recording,
      runs: this.runs,
      closedSteps: this.closedSteps,
      messages: this.messages,
    });
    // A step followed by another can no longer change: its tree is kept, and built once.
    assembled.steps.forEach((step, i) => {
      if (i + 1 < assembled.steps.length && !this.closedSteps.has(step.index)) this.closedSteps.set(step.index, step.calls);
    });
    // --client none: the user's clients' traffic, one step per action they took.
    const live = this.ownClients ? this.steps.length - 1 : -1;
    return live >= 0 && !this.isRecorded(live) ? withOwnClients(assembled, live, this.messages) : assembled;
  }

  /** The trace as recorded so far, with its claims checked. */
  trace(): Trace {
    const trace = this.assembled();
    const claims = this.derivedClaims ?? this.options.scenario.claims;
    // Claims about the whole run are decided once every step has run; until then they wait.
    // The checks on a call's line read the traced files' own source (the installed Python package's, say).
    return claims ? withClaims(trace, claims, { final: this.runs.length >= this.stepCount, readLine: this.readLine }) : trace;
  }

  /** Stops the traced process and the client, after they sent what they hold. */
  async close(): Promise<void> {
    await Promise.all([this.client.stop(), this.server.quit()]);
  }
}
