/**
 * Runs a scenario one step at a time, on command: the traced server in one
 * process, the built-in socket.io-client in another, and between steps both
 * idle (never blocked), so heartbeats and other clients keep arriving live.
 * Headless mode commands all steps in order; the stepper commands them one by one.
 */
import { join } from "node:path";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { deserialize } from "node:v8";
import { Collector } from "../trace/collector.js";
import type { Trace } from "../trace/model.js";
import { decodeChunks } from "../wire/index.js";
import { Child, kind } from "./child.js";
import type { FromClient, FromTraced, ServerState, ToClient, ToTraced, TracedProcessConfig } from "./protocol.js";
import { anchorsFor, PACKAGE_ROOT, type ScenarioDefinition } from "./scenario.js";
import { assembleTrace, type StepRun } from "./assemble.js";
import type { ListenerRef } from "./live-objects.js";

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
}

const DIST = join(PACKAGE_ROOT, "dist", "scenario");
const SETTLE = { quietMs: 120, maxMs: 3000 };

function isTraced(message: FromTraced): boolean {
  return message.t !== "marked" && message.t !== "paused" && message.t !== "settled";
}

/** Drives one traced run of a scenario. */
export class Runner {
  readonly collector = new Collector(performance.timeOrigin + performance.now());
  readonly runs: StepRun[] = [];
  /** Listener lists and server configuration seen at each server pause, by step index. */
  readonly pauses = new Map<number, { listeners: Record<string, readonly ListenerRef[]>; servers: readonly ServerState[] }>();
  private client?: Child<FromClient, ToClient>;
  private appDone = false;
  private readonly spillDir: string;
  failure?: string;

  private constructor(
    readonly options: RunnerOptions,
    readonly server: Child<FromTraced, ToTraced>,
    spillDir: string,
  ) {
    this.spillDir = spillDir;
    server.onMessage((message) => this.ingest(message));
    void server.exited.then(({ code, signal }) => {
      this.readSpill();
      if (!this.closing && (code !== 0 || signal)) {
        const stderr = this.collector.logs.filter((l) => l.source === "stderr").slice(-12).map((l) => l.text);
        this.failure = `the traced server exited unexpectedly (${signal ?? `code ${code}`})${stderr.length ? `:\n${stderr.join("\n")}` : ""}`;
      }
      options.onChange?.();
    });
  }

  private closing = false;

  /** Starts the traced server and runs it up to the first step's pause. */
  static async start(options: RunnerOptions): Promise<Runner> {
    const spillDir = mkdtempSync(join(tmpdir(), "trace-socket-"));
    const config: TracedProcessConfig = {
      entry: options.scenario.server,
      projectRoot: options.projectRoot,
      appRoot: join(options.scenario.server, ".."),
      anchors: anchorsFor(options.scenario, "server"),
      spillFile: join(spillDir, "spill.bin"),
      capacity: 1 << 20,
      flushMs: 25,
    };
    let runner: Runner | undefined;
    const server = Child.spawn<FromTraced, ToTraced>({
      label: "traced server",
      module: join(DIST, "traced-process.js"),
      cwd: options.projectRoot,
      env: { ...process.env, TRACE_SOCKET_CHILD: JSON.stringify(config), PORT: String(options.port), HOST: options.host },
      onLine: (stream, line) => runner?.collector.addLog(stream, line),
    });
    runner = new Runner(options, server, spillDir);
    const first = anchorsFor(options.scenario, "server")[0];
    if (first) await server.waitFor(kind<FromTraced, "paused">("paused"), 15_000, "its first step");
    return runner;
  }

  private ingest(message: FromTraced): void {
    const c = this.collector;
    switch (message.t) {
      case "hello":
        c.setOrigin(message.timeOrigin);
        break;
      case "functions":
        c.addFunctions(message.list);
        break;
      case "records":
        c.addRecords(message.batch);
        break;
      case "tap":
        c.addTap(message.batch);
        break;
      case "paused":
        this.pauses.set(message.step, { listeners: message.listeners, servers: message.servers });
        break;
      case "app-done":
        this.appDone = true;
        break;
      case "app-error":
        this.failure = `the traced app threw: ${message.stack}`;
        break;
      case "transform-failed":
        c.addLog("stderr", `trace-socket: could not instrument ${message.file}: ${message.reason}`);
        break;
      default:
        break;
    }
    if (isTraced(message)) this.options.onChange?.();
  }

  private readSpill(): void {
    try {
      const rest = deserialize(readFileSync(join(this.spillDir, "spill.bin"))) as FromTraced[];
      for (const message of rest) this.ingest(message);
    } catch {
      // No spill: the process ended after sending everything.
    }
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
    const marked = this.server.waitFor(kind<FromTraced, "marked">("marked"), 10_000, "the step marker");
    this.server.send({ t: "mark", step: index });
    const { seq } = await marked;
    const run: StepRun = { index, markSeq: seq, startedAt: this.collector.timeOf(seq) ?? this.now(), notes: [] };
    this.runs.push(run);
    this.options.onChange?.();
    if (step.side === "server") await this.continueServer();
    else if (step.side === "client") await this.continueClient(index);
    if (step.waitFor === "pong" || step.waitFor === "close") await this.waitOnWire(run, step.waitFor);
    await this.settle();
    this.options.onChange?.();
  }

  private now(): number {
    return performance.timeOrigin + performance.now() - this.collector.startedAt;
  }

  private async continueServer(): Promise<void> {
    if (this.appDone) return;
    const next = this.server.waitFor(
      (m): m is Extract<FromTraced, { t: "paused" | "app-done" }> => m.t === "paused" || m.t === "app-done",
      15_000,
      "the end of the step",
    );
    this.server.send({ t: "continue" });
    await next;
  }

  private startClient(): Child<FromClient, ToClient> {
    const entry = this.options.scenario.client;
    if (!entry) throw new Error("this scenario has no client script");
    const address = this.collector.address;
    if (!address) throw new Error("the traced server is not listening yet: run the server steps first");
    return Child.spawn<FromClient, ToClient>({
      label: "client",
      module: join(DIST, "client-process.js"),
      cwd: this.options.projectRoot,
      env: { ...process.env, CHAT_URL: address, TRACE_SOCKET_CLIENT: JSON.stringify({ entry, anchors: anchorsFor(this.options.scenario, "client") }) },
      onLine: (_stream, line) => this.collector.addLog("client", line),
    });
  }

  private async continueClient(index: number): Promise<void> {
    if (!this.client) {
      this.client = this.startClient();
      const first = await this.client.waitFor((m): m is FromClient => m.t === "paused" || m.t === "done" || m.t === "error", 15_000, "its start");
      if (first.t === "error") throw new Error(`the client failed: ${first.message}`);
      if (first.t === "paused" && first.step !== index) throw new Error(`the client paused at step ${first.step + 1}, expected ${index + 1}`);
    }
    const next = this.client.waitFor((m): m is FromClient => m.t === "paused" || m.t === "done" || m.t === "error", 15_000, "the end of the step");
    this.client.send({ t: "continue" });
    const reached = await next;
    if (reached.t === "error") throw new Error(`the client failed: ${reached.message}`);
  }

  private async waitOnWire(run: StepRun, what: "pong" | "close"): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.server.dead) return;
      this.server.send({ t: "flush" });
      if (what === "close" && [...this.collector.connections.values()].every((c) => c.closed !== undefined)) return;
      if (what === "pong") {
        // Whole connections are decoded: a WebSocket frame means nothing without the upgrade before it.
        const pong = decodeChunks(this.collector.chunkModels()).some(
          (m) => m.time >= run.startedAt && m.dir === "in" && m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "pong")),
        );
        if (pong) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    run.notes.push(`gave up waiting for the ${what} after 10 s`);
  }

  private async settle(): Promise<void> {
    if (this.server.dead) return;
    const settled = this.server.waitFor(kind<FromTraced, "settled">("settled"), SETTLE.maxMs + 5000, "quiet");
    this.server.send({ t: "settle", ...SETTLE });
    await settled;
  }

  /** Runs every remaining step. */
  async runAll(): Promise<void> {
    while (this.runs.length < this.stepCount) await this.runNext();
  }

  /** The trace as recorded so far. */
  trace(): Trace {
    return assembleTrace(this);
  }

  /** Stops both processes and removes temporary files. */
  async close(): Promise<void> {
    this.closing = true;
    this.server.send({ t: "quit" });
    await Promise.all([this.client?.stop(), this.server.stop(2000, false)]);
    this.readSpill();
    rmSync(this.spillDir, { recursive: true, force: true });
  }
}
