/**
 * The Python adapter of the runtime port: the app under the `sys.setprofile`
 * tracer (`tracer.py`, beside this file) and a recording TCP proxy in front
 * of it, whose chunks are the trace's wire. The built-in client connects to
 * the proxy. Between steps all of them are idle, never blocked, so
 * heartbeats keep flowing.
 */
import { StepFailure } from "../child.js";
import type { Collector } from "../collector.js";
import { RuntimeEvents } from "../events.js";
import type { Marked, RuntimeContext, RuntimeEvent, RuntimeFactory, TracedProcess } from "../port.js";
import type { FromPython } from "./protocol.js";
import { PythonProcess, pyKind } from "./python-process.js";
import { PYTHON_DISTRIBUTIONS, TRACER } from "./python-env.js";
import { PythonRecording } from "./python-recording.js";
import { RecordingProxy } from "./proxy.js";
import { TracerFeed } from "./tracer-feed.js";

/** Options of the Python adapter. */
export interface PythonRuntimeOptions {
  /** The Python interpreter (Debian's `/usr/bin/python3`). */
  readonly python: string;
  /** Address the app binds (`HOST`); the proxy always binds 127.0.0.1. */
  readonly host?: string;
  /** Port the app binds (`PORT`; 0: any free port). */
  readonly port?: number;
  /** Records kept in all; past it they are dropped and counted. */
  readonly maxRecords?: number;
  /** Records the tracer holds between two writes; past it they are dropped and counted. */
  readonly capacity?: number;
}

const SETTLE = { quietMs: 150, maxMs: 3000 };

/** The adapter for a scenario's Python server: started under the tracer, and run up to its first step's pause. */
export function pythonRuntime(options: PythonRuntimeOptions): RuntimeFactory {
  return async (context) => {
    const traced = new PythonTraced(context, options);
    const first = await traced.process.waitFor(
      (m): m is Extract<FromPython, { t: "paused" | "app-done" | "app-error" }> => m.t === "paused" || m.t === "app-done" || m.t === "app-error",
      15_000,
      "its first step",
    );
    if (first.t === "app-error") {
      await traced.quit();
      throw new StepFailure(`the Flask app failed before its first step: ${first.stack}`);
    }
    return traced;
  };
}

/** A traced Python process and the proxy in front of it. */
export class PythonTraced implements TracedProcess {
  readonly label = "Flask server";
  readonly process: PythonProcess;
  readonly recording: PythonRecording;
  /** The tracer's stream as it arrived (the recorded-run tests replay it). */
  readonly feed: TracerFeed;
  /** In front of the server once it listens: the client connects here, and every byte is recorded. */
  proxy?: RecordingProxy;
  private readonly events = new RuntimeEvents();
  private readonly collector: Collector;
  private exitFailure?: string;
  private lastActivity = Date.now();
  private closing = false;
  private nextFlush = 1;

  constructor(context: RuntimeContext, options: PythonRuntimeOptions) {
    this.collector = context.collector;
    // The proxy stamps chunks with this process's clock.
    this.collector.setOrigin(performance.timeOrigin);
    this.feed = new TracerFeed(this.collector, options.maxRecords);
    this.recording = new PythonRecording(this.feed, context.projectRoot, () => this.proxy?.url);
    this.process = PythonProcess.spawn({
      python: options.python,
      tracer: TRACER,
      config: { app: context.entry, anchors: context.anchors, capacity: options.capacity ?? 200_000, flush_ms: 25, packages: PYTHON_DISTRIBUTIONS },
      cwd: context.projectRoot,
      env: { ...process.env, HOST: options.host ?? "127.0.0.1", PORT: String(options.port ?? 0) },
      onLine: (stream, line) => {
        this.collector.addLog(stream, line);
        this.events.emit({ kind: "output", stream, line });
      },
      onMessage: (message) => this.ingest(message),
    });
    void this.process.exited.then(({ code, signal }) => {
      if (!this.closing && (code !== 0 || signal)) {
        const stderr = this.collector.logs.filter((l) => l.source === "stderr").slice(-12).map((l) => l.text);
        this.exitFailure ??= `the Python tracer exited unexpectedly (${signal ?? `code ${code}`})${stderr.length ? `:\n${stderr.join("\n")}` : ""}`;
      }
      this.events.emit({ kind: "exit", code, signal });
    });
  }

  private ingest(message: FromPython): void {
    this.lastActivity = Date.now();
    this.feed.ingest(message);
    const event = eventOf(message, this.feed);
    if (event) this.events.emit(event);
  }

  get pid(): number | undefined {
    return this.process.process.pid;
  }

  get dead(): boolean {
    return this.process.dead;
  }

  get exited(): TracedProcess["exited"] {
    return this.process.exited;
  }

  get failure(): string | undefined {
    // An exception the app raised says more than the exit that followed it.
    return this.feed.appError ?? this.exitFailure;
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  async mark(step: number): Promise<Marked> {
    const marked = this.process.waitFor(pyKind("marked"), 10_000, "the step marker");
    this.process.send({ t: "mark", step });
    const mark = await marked;
    return { seq: mark.seq, time: mark.time + this.feed.offset };
  }

  async continue(): Promise<void> {
    if (this.feed.appDone) return;
    // The app's last step (socketio.run) never returns: it ends when the server listens.
    const next = this.process.waitFor(
      (m): m is Extract<FromPython, { t: "paused" | "app-done" | "app-error" | "listening" }> =>
        m.t === "paused" || m.t === "app-done" || m.t === "app-error" || m.t === "listening",
      15_000,
      "the end of the step",
    );
    this.process.send({ t: "continue" });
    const reached = await next;
    if (reached.t === "app-error") throw new StepFailure(`the Flask app raised: ${reached.message}`);
    if (reached.t === "listening") await this.startProxy();
  }

  private async startProxy(): Promise<void> {
    const listening = this.feed.listening;
    if (this.proxy || !listening) return;
    this.proxy = await RecordingProxy.start({
      target: listening,
      onCapture: (batch) => {
        this.lastActivity = Date.now();
        this.collector.addTap(batch);
        this.events.emit({ kind: "chunks" });
      },
    });
  }

  flush(): void {
    // The proxy captures in this process, so the wire needs no asking; the tracer writes its records every flush_ms.
  }

  /** Waits until the tracer has written everything and nothing new arrived for a moment. */
  async settle(): Promise<undefined> {
    if (this.process.dead) return undefined;
    const id = this.nextFlush++;
    const flushed = this.process.waitFor((m): m is Extract<FromPython, { t: "flushed" }> => m.t === "flushed" && m.id === id, SETTLE.maxMs + 5000, "quiet");
    this.process.send({ t: "flush", id });
    await flushed;
    const deadline = Date.now() + SETTLE.maxMs;
    while (Date.now() < deadline && Date.now() - this.lastActivity < SETTLE.quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    // The tracer does not read the servers' state.
    return undefined;
  }

  clientUrl(): string | undefined {
    return this.proxy?.url;
  }

  async quit(): Promise<void> {
    this.closing = true;
    await this.process.stop(2000);
    await this.proxy?.close();
  }
}

/** The event a tracer message is, on the port's stream. */
function eventOf(message: FromPython, feed: TracerFeed): RuntimeEvent | undefined {
  switch (message.t) {
    case "functions":
    case "records":
    case "dropped":
      return { kind: "records" };
    case "paused":
      return { kind: "pause", step: message.step };
    case "steps":
      return { kind: "step-lines" };
    case "notice":
      return { kind: "notice", text: message.text };
    case "app-error":
      return { kind: "failure", text: feed.appError ?? message.message };
    default:
      // hello, marked, listening, flushed, app-done: answers and states, which the runner asks for.
      return undefined;
  }
}
