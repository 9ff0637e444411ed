/**
 * The Node adapter of the runtime port: the traced server in a child Node
 * process (`traced-process.ts`, the recorder and socket tap installed before
 * the app loads), stepped over IPC. What it sends goes into the run's
 * collector and this adapter's recording; what it could not send before it
 * died comes from its spill file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../trace/scenario.js";
import type { CallSite } from "../../instrument/call-sites.js";
import type { LiveState } from "../../trace/model.js";
import { Child, kind, StepFailure, type ChildLink } from "../child.js";
import type { Collector } from "../collector.js";
import { RuntimeEvents } from "../events.js";
import type { Marked, RuntimeContext, RuntimeEvent, RuntimeFactory, TracedProcess } from "../port.js";
import type { AppState } from "./app-state.js";
import { describeExit, explainFailure } from "./exit-text.js";
import { NodeRecording } from "./node-recording.js";
import { FLUSH_MS, RECORDER_CAPACITY, type FromTraced, type ToTraced, type TracedProcessConfig } from "./protocol.js";
import { overflowFileOf } from "./overflow-file.js";
import { TracedFeed } from "./traced-feed.js";
import type { ClusterHub } from "./worker-link.js";
import type { ServerAction } from "../server-action.js";

/** The traced Node process's entry as built (what the runtime spawns; the bench spawns it too, by this name). */
export const TRACED_PROCESS_ENTRY = join(PACKAGE_ROOT, "dist", "runtime", "node", "traced-process.js");
const SETTLE = { quietMs: 120, maxMs: 3000 };

/** Where the built-in scenario's server listens. */
export interface NodeRuntimeOptions {
  readonly host: string;
  readonly port: number;
  /** More environment for the traced server (one of several servers: its name, a second server's peers, the Redis URL). */
  readonly env?: NodeJS.ProcessEnv;
  /** Tap the connections the traced server opens (to Redis) as well as those it accepts. */
  readonly tapOutgoing?: boolean;
  /** A cluster primary: the hub its workers, forked under the tracer, report to (`worker-link.ts`). */
  readonly clusterHub?: ClusterHub;
}

/** A user's own app, traced from its start. */
export interface NodeAppOptions {
  /** Absolute path of the app's entry module. */
  readonly entry: string;
  readonly args: readonly string[];
  /** The app's own files (instrumented too): its package root. */
  readonly appRoot: string;
  /** Whether the user chose `--host`: then the app's own bind address stands. */
  readonly hostGiven: boolean;
  /** Node flags for the app's process (the user's own loaders). */
  readonly execArgv?: readonly string[];
  /** More environment for it (one of several instances: `PORT`, `NODE_APP_INSTANCE`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The adapter for a scenario's Node server: started, and run up to its first step's pause. */
export function nodeRuntime(options: NodeRuntimeOptions): RuntimeFactory {
  return async (context) => {
    const { entry, anchors } = context;
    const env = { ...options.env, PORT: String(options.port), HOST: options.host };
    const extra = { ...(options.tapOutgoing ? { tapOutgoing: true } : {}), ...(options.clusterHub ? { clusterHub: options.clusterHub.path } : {}) };
    const traced = NodeProcess.spawn(context, { entry, appRoot: join(entry, ".."), anchors: [...anchors], ...extra }, env, []);
    const hub = options.clusterHub;
    if (hub) {
      // The primary says how each worker ended; once it is gone, nobody will.
      traced.child.onMessage((message) => message.t === "worker-exit" && hub.workerExited(message.worker, { code: message.code, signal: message.signal }));
      void traced.child.exited.then(() => hub.primaryGone());
    }
    if (anchors.length) await traced.child.waitFor(kind<FromTraced, "paused">("paused"), 15_000, "its first step");
    return traced;
  };
}

/**
 * The adapter for cluster worker `name` of a traced primary (started by a
 * {@link nodeRuntime} with the same `hub`): the primary forks it, this waits
 * for it on the hub, and runs it up to its first step's pause.
 */
export function clusterWorkerRuntime(hub: ClusterHub, name: string): RuntimeFactory {
  return async (context) => {
    const spillDir = mkdtempSync(join(tmpdir(), "trace-socket-"));
    const link = await hub.expect(name, context.anchors, join(spillDir, "spill.bin"));
    const traced = new NodeProcess(link, context.collector, spillDir, false);
    const paused = context.anchors.length ? link.waitFor(kind<FromTraced, "paused">("paused"), 15_000, "its first step") : undefined;
    link.start();
    await paused;
    return traced;
  };
}

/** A traced Node process. */
export class NodeProcess implements TracedProcess {
  readonly label = "traced server";
  private readonly events = new RuntimeEvents();
  private readonly feed: TracedFeed;
  readonly recording: NodeRecording;
  private appError?: string;
  private exitFailure?: string;
  private closing = false;

  constructor(
    readonly child: ChildLink<FromTraced, ToTraced>,
    private readonly collector: Collector,
    private readonly spillDir: string,
    /** A user's app: its ending by itself is worth a notice. */
    private readonly app: boolean,
    /** The `PORT` in a user's app's environment, named when that port is taken. */
    appPort?: string,
  ) {
    this.feed = new TracedFeed(collector, (text) => this.fail(explainFailure(text, appPort)), (message) => this.emit(eventOf(message)), overflowFileOf(this.spillFile));
    this.recording = new NodeRecording(collector, this.feed.pauses);
    collector.onChunksClosed = () => child.send({ t: "chunks-closed" });
    child.onMessage((message) => {
      this.feed.take(message);
      if (message.t === "paused") this.emit({ kind: "pause", step: message.step });
    });
    void child.exited.then(({ code, signal }) => {
      this.feed.takeSpill(this.spillFile);
      if (!this.closing && (code !== 0 || signal)) this.exitFailure ??= describeExit(code, signal, collector.logs, appPort);
      else if (!this.closing && app) this.emit({ kind: "notice", text: `the app exited on its own (code ${code})` });
      this.emit({ kind: "exit", code, signal });
    });
  }

  /** Spawns the traced process on `target.entry`; for a user's app, `sites` notes its call sites during start-up. */
  static spawn(
    context: RuntimeContext,
    target: Pick<TracedProcessConfig, "entry" | "appRoot" | "anchors" | "sites" | "loopback" | "tapOutgoing">,
    env: NodeJS.ProcessEnv,
    args: readonly string[],
    execArgv?: readonly string[],
  ): NodeProcess {
    const spillDir = mkdtempSync(join(tmpdir(), "trace-socket-"));
    const config: TracedProcessConfig = { ...target, projectRoot: context.projectRoot, spillFile: join(spillDir, "spill.bin"), capacity: RECORDER_CAPACITY, flushMs: FLUSH_MS, chunkLimits: context.collector.chunkLimits };
    const holder: { traced?: NodeProcess } = {};
    const childEnv = { ...process.env, ...env };
    const child = Child.spawn<FromTraced, ToTraced>({
      label: "traced server",
      module: TRACED_PROCESS_ENTRY,
      cwd: context.projectRoot,
      args,
      env: { ...childEnv, TRACE_SOCKET_CHILD: JSON.stringify(config) },
      execArgv,
      onLine: (stream, line) => {
        context.collector.addLog(stream, line);
        holder.traced?.emit({ kind: "output", stream, line });
      },
    });
    // The built-in chat's PORT is trace-socket's own --port; only an app's is the user's to change.
    return (holder.traced = new NodeProcess(child, context.collector, spillDir, Boolean(target.sites), target.sites ? childEnv.PORT : undefined));
  }

  /** Starts a user's app under the tracer; its start-up runs in one go, with no pause. */
  static startApp(context: RuntimeContext, app: NodeAppOptions): NodeProcess {
    return NodeProcess.spawn(context, { entry: app.entry, appRoot: app.appRoot, sites: true, loopback: app.hostGiven ? undefined : "127.0.0.1" }, app.env ?? {}, app.args, app.execArgv);
  }

  private get spillFile(): string {
    return join(this.spillDir, "spill.bin");
  }

  private emit(event: RuntimeEvent | undefined): void {
    if (event) this.events.emit(event);
  }

  private fail(text: string): void {
    this.appError = text;
    this.emit({ kind: "failure", text });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get dead(): boolean {
    return this.child.dead;
  }

  get exited(): TracedProcess["exited"] {
    return this.child.exited;
  }

  get failure(): string | undefined {
    return this.appError ?? this.exitFailure;
  }

  /** The app's call sites into the library, noted during its start-up. */
  get sites(): ReadonlyMap<number, CallSite> {
    return this.feed.sites;
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  async mark(step: number): Promise<Marked> {
    const marked = this.child.waitFor(kind<FromTraced, "marked">("marked"), 10_000, "the step marker");
    this.child.send({ t: "mark", step });
    const { seq, time } = await marked;
    // Stamped by the traced process, like the chunks it is compared with.
    return { seq, time: this.collector.time(time) };
  }

  async continue(): Promise<void> {
    if (this.feed.appDone) return;
    const next = this.child.waitFor(
      (m): m is Extract<FromTraced, { t: "paused" | "app-done" }> => m.t === "paused" || m.t === "app-done",
      15_000,
      "the end of the step",
    );
    this.child.send({ t: "continue" });
    await next;
  }

  flush(): void {
    this.child.send({ t: "flush" });
  }

  async settle(): Promise<LiveState | undefined> {
    if (this.child.dead) return undefined;
    const settled = this.child.waitFor(kind<FromTraced, "settled">("settled"), SETTLE.maxMs + 5000, "quiet");
    this.child.send({ t: "settle", ...SETTLE });
    return (await settled).state;
  }

  async act(action: ServerAction): Promise<string | undefined> {
    const acted = this.child.waitFor(kind<FromTraced, "acted">("acted"), 10_000, "the action");
    this.child.send({ t: "act", action });
    return (await acted).refused;
  }

  clientUrl(): string | undefined {
    return this.collector.address;
  }

  /** A user's app: what it has become so far (its socket.io servers, cluster workers); undefined once it is gone. */
  async describe(): Promise<AppState | undefined> {
    if (this.child.dead) return undefined;
    // A loop that never yields keeps the CPU busy and never answers: past a minute, it will not.
    const described = this.child.waitFor(kind<FromTraced, "described">("described"), { idleMs: 10_000, ceilingMs: 60_000 }, "its state");
    this.child.send({ t: "describe" });
    const died = this.child.exited.then(() => {
      throw new StepFailure(this.failure ?? "the traced server exited");
    });
    died.catch(() => undefined);
    described.catch(() => undefined);
    return (await Promise.race([described, died]).catch(() => undefined))?.state;
  }

  async quit(): Promise<void> {
    this.closing = true;
    this.child.send({ t: "quit" });
    const killed = await this.child.stop(10_000, false);
    if (killed) this.collector.addLog("stderr", "trace-socket: the traced server sent nothing for 10 s after it was asked to quit and was killed; what it recorded last is missing from this trace");
    this.feed.takeSpill(this.spillFile);
    rmSync(this.spillDir, { recursive: true, force: true });
  }
}

/** The event a message of the traced process is, on the port's stream (pauses are told apart, with their step). */
function eventOf(message: FromTraced): RuntimeEvent | undefined {
  switch (message.t) {
    case "tap":
      return { kind: "chunks" };
    case "notice":
      return { kind: "notice", text: message.text };
    case "app-error":
      // Told by `fail`, with the explained text.
      return undefined;
    default:
      return { kind: "records" };
  }
}
