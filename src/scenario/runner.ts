/**
 * Runs a traced app one step at a time, on command: the traced server in one
 * process, the built-in socket.io-client in another, and between steps both
 * idle (never blocked), so heartbeats and other clients keep arriving live.
 *
 * The built-in scenario pauses before each step's statement. A user's own app
 * starts up in one go; its start-up steps are cut afterwards from the call
 * sites it recorded (record-then-replay), and the client's steps are live.
 */
import { withClaims } from "../claims/apply.js";
import { ChangeSignal } from "./change-signal.js";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Collector } from "../runtime/collector.js";
import { DecodedMessages } from "./decoded-messages.js";
import type { WireMessage } from "../wire/types.js";
import type { CallNode, LiveState, Trace } from "../trace/model.js";
import { Child, kind, StepFailure } from "../runtime/child.js";
import { FLUSH_MS, RECORDER_CAPACITY, type FromTraced, type ToTraced, type TracedProcessConfig } from "../runtime/node/protocol.js";
import { anchorsFor, PACKAGE_ROOT, type ScenarioDefinition, type StepDefinition } from "../trace/scenario.js";
import { assembleTrace, type StepRun } from "./assemble.js";
import { appClientConfig, liveSteps, stepsFromRecording, type AppClientOptions, type DerivedStep } from "./app-steps.js";
import { appClaims } from "./app-claims.js";
import { readAppSource } from "./app-source-files.js";
import type { ClaimsFile } from "../trace/claims-spec.js";
import { describeExit, waitForFrame, waitOnWire } from "./run-waits.js";
import { runClientAction } from "./client-actions.js";
import { describeFrame } from "../claims/frame-match.js";
import { TracedFeed, type PauseSnapshot } from "../runtime/node/traced-feed.js";
import { StepClient } from "./step-client.js";
import type { CallSite } from "../instrument/call-sites.js";
import { loaderArgs } from "./app-loaders.js";
import { withOwnClients } from "./own-clients.js";
import type { AppServer, AppState } from "../runtime/node/app-state.js";
import { awaitStartup, startupVerdict, targetServer, type StartupProbe } from "../runtime/node/app-startup.js";

/** Options of a run. */
export interface RunnerOptions {
  readonly scenario: ScenarioDefinition;
  /** Paths in the trace are relative to this. */
  readonly projectRoot: string;
  readonly host: string;
  readonly port: number;
  /** The command line, for the trace's metadata. */
  readonly command: string;
  /** Called whenever something new was recorded (live views re-render on it). */
  readonly onChange?: () => void;
  /** More environment for the traced server and its client (one of several servers: its name, the Redis URL). */
  readonly env?: NodeJS.ProcessEnv;
  /** Tap the connections the traced server opens (to Redis) as well as those it accepts. */
  readonly tapOutgoing?: boolean;
}

/** Options of a run of the user's own app. */
export interface AppRunnerOptions extends Omit<RunnerOptions, "scenario" | "port"> {
  /** Absolute path of the app's entry module. */
  readonly entry: string;
  readonly args: readonly string[];
  /** The app's own files (instrumented too): its package root. */
  readonly appRoot: string;
  /** Undefined: no built-in client (wait for external ones). */
  readonly client?: AppClientOptions;
  /** Whether the user chose `--host`: then the app's own bind address stands. */
  readonly hostGiven: boolean;
  /** How long the app may take to listen. */
  readonly startTimeoutMs: number;
}

const DIST = join(PACKAGE_ROOT, "dist", "scenario");
const SETTLE = { quietMs: 120, maxMs: 3000 };

/** Drives one traced run. */
export class Runner {
  readonly collector = new Collector(performance.timeOrigin + performance.now());
  /** The wire messages, decoded once as chunks arrive. */
  private readonly decoded = new DecodedMessages(this.collector);
  readonly runs: StepRun[] = [];
  /** The steps: the scenario's, or those derived from the app once it has started. */
  readonly steps: StepDefinition[];
  /** What the traced process reported besides the trace: pauses, call sites, notices. */
  private readonly feed: TracedFeed = new TracedFeed(this.collector, (text) => (this.failure = text), () => this.changed());
  /** Call trees of steps that are over (another step started after them), built once. */
  readonly closedSteps = new Map<number, readonly CallNode[]>();
  private readonly changes = new ChangeSignal();
  private readonly client: StepClient;
  private closing = false;
  failure?: string;
  /** A user's app: what it had become when start-up ended (its socket.io servers, cluster workers). */
  appState?: AppState;
  /** A user's app: the claims its steps make, derived from its kinds of step and its code. */
  private derivedClaims?: ClaimsFile;

  private constructor(
    readonly options: RunnerOptions,
    readonly server: Child<FromTraced, ToTraced>,
    private readonly spillDir: string,
    private readonly app?: AppRunnerOptions,
  ) {
    this.steps = [...options.scenario.steps];
    this.client = new StepClient({ scenario: options.scenario, projectRoot: options.projectRoot, collector: this.collector, guard: (pending) => this.unlessServerDies(pending) });
    server.onMessage((message) => this.feed.take(message));
    void server.exited.then(({ code, signal }) => {
      this.feed.takeSpill(join(this.spillDir, "spill.bin"));
      if (!this.closing && (code !== 0 || signal)) this.failure ??= describeExit(code, signal, this.collector.logs);
      else if (!this.closing && app) this.notices.push(`the app exited on its own (code ${code})`);
      this.changed();
    });
  }

  private static spawnTraced(config: TracedProcessConfig, options: RunnerOptions, env: NodeJS.ProcessEnv, args: readonly string[], holder: { runner?: Runner }, execArgv?: readonly string[]): Child<FromTraced, ToTraced> {
    return Child.spawn<FromTraced, ToTraced>({
      label: "traced server",
      module: join(DIST, "traced-process.js"),
      cwd: options.projectRoot,
      args,
      env: { ...process.env, ...env, TRACE_SOCKET_CHILD: JSON.stringify(config) },
      onLine: (stream, line) => holder.runner?.collector.addLog(stream, line),
      execArgv,
    });
  }

  private static config(entry: string, projectRoot: string, appRoot: string, spillDir: string): TracedProcessConfig {
    return { entry, projectRoot, appRoot, spillFile: join(spillDir, "spill.bin"), capacity: RECORDER_CAPACITY, flushMs: FLUSH_MS };
  }

  /** Starts the built-in scenario's server and runs it up to the first step's pause. */
  static async start(options: RunnerOptions): Promise<Runner> {
    const spillDir = mkdtempSync(join(tmpdir(), "trace-socket-"));
    const config = { ...Runner.config(options.scenario.server, options.projectRoot, join(options.scenario.server, ".."), spillDir), anchors: anchorsFor(options.scenario, "server"), ...(options.tapOutgoing ? { tapOutgoing: true } : {}) };
    const holder: { runner?: Runner } = {};
    const server = Runner.spawnTraced(config, options, { ...options.env, PORT: String(options.port), HOST: options.host }, [], holder);
    const runner = (holder.runner = new Runner(options, server, spillDir));
    if (config.anchors.length) await server.waitFor(kind<FromTraced, "paused">("paused"), 15_000, "its first step");
    return runner;
  }

  /**
   * Starts a user's app and lets it start up in one go, then cuts its start-up
   * into steps. Never throws for the app's own failures: they are in `failure`,
   * and the trace so far is kept.
   */
  static async startApp(options: AppRunnerOptions): Promise<Runner> {
    const spillDir = mkdtempSync(join(tmpdir(), "trace-socket-"));
    const scenario: ScenarioDefinition = { name: options.entry, title: `your app: ${options.entry}`, server: options.entry, steps: [], ownApp: true };
    const base: RunnerOptions = { ...options, scenario, port: 0 };
    const config: TracedProcessConfig = { ...Runner.config(options.entry, options.projectRoot, options.appRoot, spillDir), sites: true, loopback: options.hostGiven ? undefined : "127.0.0.1" };
    const holder: { runner?: Runner } = {};
    // `node --import tsx trace-socket server.js`: the app runs under the user's loaders, as it would bare.
    const server = Runner.spawnTraced(config, base, {}, options.args, holder, loaderArgs(process.execArgv));
    const runner = (holder.runner = new Runner(base, server, spillDir, options));
    const loaded = (pkg: string): boolean => runner.collector.functions.some((f) => f.pkg === pkg);
    runner.appState = await awaitStartup(runner.startupProbe(loaded), options.startTimeoutMs);
    if (!runner.appState && !runner.failure && !server.dead) runner.failure = "the traced app did not answer for 10 s (is its event loop blocked?)";
    if (runner.appState && !runner.failure) {
      const verdict = startupVerdict({ entry: options.entry, projectRoot: options.projectRoot, timeoutMs: options.startTimeoutMs, state: runner.appState, address: runner.collector.address, loaded });
      if (verdict) runner.failure = verdict;
    }
    if (server.dead) await server.exited;
    runner.deriveSteps();
    return runner;
  }

  private startupProbe(loaded: (pkg: string) => boolean): StartupProbe {
    return {
      describe: async () => {
        if (this.server.dead) return undefined;
        const described = this.server.waitFor(kind<FromTraced, "described">("described"), 10_000, "its state");
        this.server.send({ t: "describe" });
        return (await this.unlessServerDies(described).catch(() => undefined))?.state;
      },
      settle: async () => void (await this.settle()),
      address: () => this.collector.address,
      over: () => this.server.dead || this.failure !== undefined,
      loaded,
    };
  }

  private deriveSteps(): void {
    const target = targetServer(this.appState, this.collector.address);
    // An app that is not a socket.io server gets no socket.io narration.
    if (this.appState && !this.appState.servers.length) return;
    const derived = stepsFromRecording(this.collector.records(0, Number.MAX_SAFE_INTEGER), this.sites, (id) => this.collector.fn(id), this.options.projectRoot);
    const live = !this.failure && !this.server.dead && target?.listening ? liveSteps(this.app!.client, target) : [];
    this.steps.push(...derived, ...live);
    const source = readAppSource(this.collector.functions, this.options.projectRoot);
    const client = this.app?.client && target ? appClientConfig(this.app.client, target, 0) : undefined;
    this.derivedClaims = appClaims([...derived, ...live], source, { path: target?.path ?? "{path}" }, client);
  }

  /** A user's app: the socket.io server its client steps reach. */
  get appServer(): AppServer | undefined {
    return targetServer(this.appState, this.collector.address);
  }

  /** Listener lists and server configuration seen at each server pause, by step index. */
  get pauses(): ReadonlyMap<number, PauseSnapshot> {
    return this.feed.pauses;
  }

  /** The app's call sites into the library, noted during its start-up. */
  get sites(): ReadonlyMap<number, CallSite> {
    return this.feed.sites;
  }

  /** What the traced process said along the way (a listen address rewritten, the app ending on its own). */
  get notices(): string[] {
    return this.feed.notices;
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
    this.server.send({ t: "flush" });
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
    if (this.server.dead) throw new StepFailure(this.failure ?? "the traced server is not running");
    const marked = this.server.waitFor(kind<FromTraced, "marked">("marked"), 10_000, "the step marker");
    this.server.send({ t: "mark", step: index });
    const { seq, time } = await this.unlessServerDies(marked);
    // Stamped by the traced process, like the chunks it is compared with.
    const run: StepRun = { index, markSeq: seq, startedAt: this.collector.time(time), notes: [] };
    this.runs.push(run);
    this.changed();
    if (step.side === "server") await this.continueServer();
    else if (step.side === "client") await this.continueClient(index);
    const until = step.until;
    const awaited = until && ((): Promise<boolean> => waitForFrame(this.decoded, run.startedAt, until, () => this.flush(), () => this.server.dead));
    const seen = step.action ? await runClientAction(step.action, this.client, awaited || (async () => true)) : awaited ? await awaited() : true;
    if (!seen) run.notes.push(`gave up waiting for ${describeFrame(until!)} after 10 s`);
    if (step.waitFor === "pong" || step.waitFor === "close") {
      const seen = await waitOnWire(this.collector, this.decoded, run.startedAt, step.waitFor, () => this.flush(), () => this.server.dead);
      if (!seen) run.notes.push(`gave up waiting for the ${step.waitFor} after 10 s`);
    }
    run.state = await this.settle();
    this.changed();
  }

  /** Waits for `pending`, but fails at once if the traced server dies meanwhile. */
  private async unlessServerDies<T>(pending: Promise<T>): Promise<T> {
    const died = this.server.exited.then(() => {
      throw new StepFailure(this.failure ?? "the traced server exited");
    });
    pending.catch(() => undefined);
    died.catch(() => undefined);
    return Promise.race([pending, died]);
  }

  private async continueServer(): Promise<void> {
    if (this.feed.appDone) return;
    const next = this.server.waitFor(
      (m): m is Extract<FromTraced, { t: "paused" | "app-done" }> => m.t === "paused" || m.t === "app-done",
      15_000,
      "the end of the step",
    );
    this.server.send({ t: "continue" });
    await this.unlessServerDies(next);
  }

  private async continueClient(index: number): Promise<void> {
    await this.client.step(index, () => {
      const target = targetServer(this.appState, this.collector.address);
      const url = target?.listening ?? this.collector.address;
      if (!this.app?.client || !target || url === undefined) return { url, server: "the traced server", ...(this.options.env ? { env: this.options.env } : {}) };
      const config = appClientConfig(this.app.client, target, index);
      return { url, server: "the traced server", entry: join(DIST, "app-client.js"), env: { TRACE_SOCKET_APP_CLIENT: JSON.stringify(config) } };
    });
  }

  /** Waits until the traced server is quiet; resolves to its state then. */
  async settle(): Promise<LiveState | undefined> {
    if (this.server.dead) return undefined;
    const settled = this.server.waitFor(kind<FromTraced, "settled">("settled"), SETTLE.maxMs + 5000, "quiet");
    this.server.send({ t: "settle", ...SETTLE });
    return (await settled).state;
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
    const assembled = assembleTrace(this);
    // --client none: the user's clients' traffic, one step per action they took.
    const live = this.app && !this.app.client ? this.steps.length - 1 : -1;
    const trace = live >= 0 && !this.isRecorded(live) ? withOwnClients(assembled, live, this.messages) : assembled;
    const claims = this.derivedClaims ?? this.options.scenario.claims;
    // Claims about the whole run are decided once every step has run; until then they wait.
    return claims ? withClaims(trace, claims, { final: this.runs.length >= this.stepCount }) : trace;
  }

  /** Stops both processes and removes temporary files. */
  async close(): Promise<void> {
    this.closing = true;
    this.server.send({ t: "quit" });
    const [, killed] = await Promise.all([this.client.stop(), this.server.stop(10_000, false)]);
    if (killed) this.collector.addLog("stderr", "trace-socket: the traced server did not finish sending within 10 s and was killed; what it recorded last is missing from this trace");
    this.feed.takeSpill(join(this.spillDir, "spill.bin"));
    rmSync(this.spillDir, { recursive: true, force: true });
  }
}
