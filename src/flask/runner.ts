/**
 * Runs the Flask-SocketIO scenario one step at a time, on command, exactly as
 * the Node runner runs the socket.io one: the app under the Python tracer, a
 * recording TCP proxy in front of it, and the same built-in socket.io-client
 * (pointed at the proxy) in its own process. Between steps all of them are
 * idle, never blocked, so heartbeats keep flowing.
 */
import { withClaims } from "../claims/apply.js";
import { fileLineReader } from "../source/file-lines.js";
import { StepFailure } from "../runtime/child.js";
import { ChangeSignal } from "../scenario/change-signal.js";
import { Collector } from "../runtime/collector.js";
import type { Trace } from "../trace/model.js";
import { waitOnWire } from "../scenario/run-waits.js";
import { DecodedMessages } from "../scenario/decoded-messages.js";
import type { WireMessage } from "../wire/types.js";
import { anchorsFor, type ScenarioDefinition } from "../trace/scenario.js";
import type { FromPython, PyFunctionInfo, PyRecord, PyStepLine } from "../runtime/python/protocol.js";
import { PythonProcess, pyKind } from "../runtime/python/python-process.js";
import { RecordingProxy } from "../runtime/python/proxy.js";
import { assembleFlaskTrace, type FlaskStepRun } from "../runtime/python/assemble.js";
import { TRACER } from "../runtime/python/python-env.js";
import { StepClient } from "../scenario/step-client.js";
import { TracerFeed, type FlaskPause } from "../runtime/python/tracer-feed.js";

export type { FlaskPause } from "../runtime/python/tracer-feed.js";

/** Options of a Flask run. */
export interface FlaskRunnerOptions {
  readonly scenario: ScenarioDefinition;
  /** Paths of the app's own code in the trace are relative to this. */
  readonly projectRoot: string;
  /** The Python interpreter (Debian's `/usr/bin/python3`). */
  readonly python: string;
  /** Address the app binds (`HOST`); the proxy always binds 127.0.0.1. */
  readonly host?: string;
  /** Port the app binds (`PORT`; 0: any free port). */
  readonly port?: number;
  /** The command line, for the trace's metadata. */
  readonly command: string;
  /** Records kept in all; past it they are dropped and counted. */
  readonly maxRecords?: number;
  /** Records the tracer holds between two writes; past it they are dropped and counted. */
  readonly capacity?: number;
  /** Called whenever something new was recorded (live views re-render on it). */
  readonly onChange?: () => void;
}

const SETTLE = { quietMs: 150, maxMs: 3000 };

/** Drives one traced run of the Flask scenario. */
export class FlaskRunner {
  /** Chunks, connections and log lines (the proxy's and the processes'); bounded. */
  readonly collector = new Collector(performance.timeOrigin + performance.now());
  /** The wire messages, decoded once as chunks arrive. */
  private readonly decoded = new DecodedMessages(this.collector);
  readonly runs: FlaskStepRun[] = [];
  proxy?: RecordingProxy;
  private readonly feed: TracerFeed;
  private readonly client: StepClient;
  private exitFailure?: string;
  private lastActivity = Date.now();
  private closing = false;
  private nextFlush = 1;

  private constructor(
    readonly options: FlaskRunnerOptions,
    readonly server: PythonProcess,
  ) {
    this.collector.setOrigin(performance.timeOrigin);
    this.feed = new TracerFeed(this.collector, options.maxRecords);
    this.client = new StepClient({ scenario: options.scenario, projectRoot: options.projectRoot, collector: this.collector });
    void server.exited.then(({ code, signal }) => {
      if (!this.closing && (code !== 0 || signal)) {
        const stderr = this.collector.logs.filter((l) => l.source === "stderr").slice(-12).map((l) => l.text);
        this.exitFailure ??= `the Python tracer exited unexpectedly (${signal ?? `code ${code}`})${stderr.length ? `:\n${stderr.join("\n")}` : ""}`;
      }
      this.changed();
    });
  }

  /** Functions the tracer described, indexed by their id. */
  get functions(): PyFunctionInfo[] {
    return this.feed.functions;
  }

  /** Call and return records, on the collector's clock. */
  get records(): PyRecord[] {
    return this.feed.records;
  }

  /** What the tracer reported at each step's pause, by step index. */
  get pauses(): Map<number, FlaskPause> {
    return this.feed.pauses;
  }

  /** The app's line each step pauses before, by step index. */
  get stepLines(): Map<number, PyStepLine> {
    return this.feed.stepLines;
  }

  /** The tracer's hello: its interpreter, clock and package versions. */
  get hello(): Extract<FromPython, { t: "hello" }> | undefined {
    return this.feed.hello;
  }

  /** Where the Python server listens, once it does. */
  get listening(): { readonly host: string; readonly port: number } | undefined {
    return this.feed.listening;
  }

  /** Records dropped by the tracer or past `maxRecords`. */
  get droppedCalls(): number {
    return this.feed.droppedCalls;
  }

  /** Why the run failed: the app raised, or the tracer exited unexpectedly. */
  get failure(): string | undefined {
    // An exception the app raised says more than the exit that followed it.
    return this.feed.appError ?? this.exitFailure;
  }

  private readonly changes = new ChangeSignal();

  /** Also calls `listener` whenever something new was recorded (the stepper attaches after the start). */
  addChangeListener(listener: () => void): () => void {
    return this.changes.subscribe(listener);
  }

  private changed(): void {
    this.options.onChange?.();
    this.changes.emit();
  }

  /** The steps of the scenario, for the stepper's plan. */
  get steps(): ScenarioDefinition["steps"] {
    return this.options.scenario.steps;
  }

  /** Starts the app under the tracer and runs it up to the first step's pause. */
  static async start(options: FlaskRunnerOptions): Promise<FlaskRunner> {
    let runner: FlaskRunner | undefined;
    const pending: FromPython[] = [];
    const server = PythonProcess.spawn({
      python: options.python,
      tracer: TRACER,
      config: { app: options.scenario.server, anchors: anchorsFor(options.scenario, "server"), capacity: options.capacity ?? 200_000, flush_ms: 25 },
      cwd: options.projectRoot,
      env: { ...process.env, HOST: options.host ?? "127.0.0.1", PORT: String(options.port ?? 0) },
      onLine: (stream, line) => runner?.collector.addLog(stream, line),
      onMessage: (message) => (runner ? runner.ingest(message) : pending.push(message)),
    });
    runner = new FlaskRunner(options, server);
    for (const message of pending) runner.ingest(message);
    const first = await server.waitFor(
      (m): m is Extract<FromPython, { t: "paused" | "app-done" | "app-error" }> => m.t === "paused" || m.t === "app-done" || m.t === "app-error",
      15_000,
      "its first step",
    );
    if (first.t === "app-error") {
      await runner.close();
      throw new StepFailure(`the Flask app failed before its first step: ${first.stack}`);
    }
    return runner;
  }

  private ingest(message: FromPython): void {
    this.lastActivity = Date.now();
    this.feed.ingest(message);
    this.changed();
  }

  /** Number of steps in the scenario. */
  get stepCount(): number {
    return this.options.scenario.steps.length;
  }

  /** Index of the next step to run. */
  get nextStep(): number {
    return this.runs.length;
  }

  /** Runs the next step to completion. */
  async runNext(): Promise<void> {
    const index = this.runs.length;
    const step = this.options.scenario.steps[index];
    if (!step) return;
    const marked = this.server.waitFor(pyKind("marked"), 10_000, "the step marker");
    this.server.send({ t: "mark", step: index });
    const mark = await marked;
    const run: FlaskStepRun = { index, markSeq: mark.seq, startedAt: mark.time + this.feed.offset, notes: [] };
    this.runs.push(run);
    this.changed();
    if (step.side === "server") await this.continueServer();
    else if (step.side === "client") await this.client.step(index, () => ({ url: this.proxy?.url, server: "the Flask server" }));
    if (step.waitFor === "pong" || step.waitFor === "close") await this.waitOnWire(run, step.waitFor);
    await this.settle();
    this.changed();
  }

  private async continueServer(): Promise<void> {
    if (this.feed.appDone) return;
    // The app's last step (socketio.run) never returns: it ends when the server listens.
    const next = this.server.waitFor(
      (m): m is Extract<FromPython, { t: "paused" | "app-done" | "app-error" | "listening" }> =>
        m.t === "paused" || m.t === "app-done" || m.t === "app-error" || m.t === "listening",
      15_000,
      "the end of the step",
    );
    this.server.send({ t: "continue" });
    const reached = await next;
    if (reached.t === "app-error") throw new StepFailure(`the Flask app raised: ${reached.message}`);
    if (reached.t === "listening") await this.startProxy();
  }

  private async startProxy(): Promise<void> {
    if (this.proxy || !this.listening) return;
    this.proxy = await RecordingProxy.start({
      target: this.listening,
      onCapture: (batch) => {
        this.lastActivity = Date.now();
        this.collector.addTap(batch);
        this.changed();
      },
    });
  }

  private async waitOnWire(run: FlaskStepRun, what: "pong" | "close"): Promise<void> {
    // The proxy captures in this process: there is nothing to ask for, only to wait.
    const seen = await waitOnWire(this.collector, this.decoded, run.startedAt, what, () => undefined, () => this.server.dead);
    if (!seen) run.notes.push(`gave up waiting for the ${what} after 10 s`);
  }

  /** Waits until the tracer has written everything and nothing new arrived for a moment. */
  private async settle(): Promise<void> {
    if (this.server.dead) return;
    const id = this.nextFlush++;
    const flushed = this.server.waitFor((m): m is Extract<FromPython, { t: "flushed" }> => m.t === "flushed" && m.id === id, SETTLE.maxMs + 5000, "quiet");
    this.server.send({ t: "flush", id });
    await flushed;
    const deadline = Date.now() + SETTLE.maxMs;
    while (Date.now() < deadline && Date.now() - this.lastActivity < SETTLE.quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  /** Runs every remaining step. */
  async runAll(): Promise<void> {
    while (this.runs.length < this.stepCount) await this.runNext();
  }

  /** The trace as recorded so far. */
  /** The wire messages completed so far (each chunk decoded once, as it arrived). */
  get messages(): readonly WireMessage[] {
    return this.decoded.completed();
  }

  trace(): Trace {
    const trace = assembleFlaskTrace(this);
    const claims = this.options.scenario.claims;
    // As on the Node side: claims about the whole run are decided once every step has run.
    // The facts about branches read the installed Python source's own lines.
    return claims ? withClaims(trace, claims, { final: this.runs.length >= this.stepCount, readLine: fileLineReader(this.options.projectRoot) }) : trace;
  }

  /** Stops the client, the proxy and the tracer. */
  async close(): Promise<void> {
    this.closing = true;
    await this.client.stop();
    await this.server.stop(2000);
    await this.proxy?.close();
  }
}
