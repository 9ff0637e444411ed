/**
 * CLI-side handle of the Python tracer process: spawns `/usr/bin/python3
 * src/runtime/python/tracer.py` with an event pipe (fd 3) and a command pipe (fd 4),
 * splits the app's stdout/stderr into lines, and lets the runner wait for a
 * message of a given kind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ChildExitedError } from "../child.js";
import { forwardLines } from "../forward-lines.js";
import { watchWork, whenIdle, type Patience } from "../progress.js";
import { Waiters } from "../waiters.js";
import type { FromPython, ToPython, TracerConfig } from "./protocol.js";

/** Options of {@link PythonProcess.spawn}. */
export interface PythonSpawnOptions {
  readonly python: string;
  readonly tracer: string;
  readonly config: Omit<TracerConfig, "events_fd" | "commands_fd">;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onLine: (stream: "stdout" | "stderr", line: string) => void;
  /** Called with every message, in order, before waiters. */
  readonly onMessage: (message: FromPython) => void;
}

const LABEL = "Python tracer";

/** A running tracer process. */
export class PythonProcess {
  private readonly waiters = new Waiters<FromPython>();
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  /** Lines on fd 3 that were not JSON (a tracer bug, never the app's output). */
  readonly garbage: string[] = [];
  /** Resolves once the process has exited and its pipes are read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly commands: Writable;
  /** Events and output lines received: what a tracer being closed still writes is its progress. */
  private received = 0;

  private constructor(
    readonly process: ChildProcess,
    options: PythonSpawnOptions,
  ) {
    watchWork(process);
    forwardLines(process, options.onLine, () => this.received++);
    const events = process.stdio[3] as Readable;
    this.commands = process.stdio[4] as Writable;
    // The tracer may be gone when a command is written: its exit is reported separately.
    this.commands.on("error", () => undefined);
    const eventsDone = new Promise<void>((resolve) => {
      const lines = createInterface({ input: events, crlfDelay: Infinity });
      lines.on("line", (line) => this.receive(line, options.onMessage));
      lines.on("close", resolve);
    });
    process.on("error", () => undefined);
    this.exited = new Promise((resolve) => {
      process.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
        void eventsDone.then(() => {
          this.exitInfo = { code, signal };
          this.waiters.rejectAll(new ChildExitedError(LABEL, code, signal));
          resolve(this.exitInfo);
        });
      });
    });
  }

  /** Starts the tracer on the app of `options.config`. */
  static spawn(options: PythonSpawnOptions): PythonProcess {
    const config: TracerConfig = { ...options.config, events_fd: 3, commands_fd: 4 };
    const child = spawn(options.python, ["-X", "utf8", options.tracer], {
      cwd: options.cwd,
      env: { ...options.env, TRACE_SOCKET_FLASK: JSON.stringify(config), PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
    });
    return new PythonProcess(child, options);
  }

  private receive(line: string, onMessage: (message: FromPython) => void): void {
    this.received++;
    if (!line) return;
    let message: FromPython;
    try {
      message = JSON.parse(line) as FromPython;
    } catch {
      if (this.garbage.length < 20) this.garbage.push(line.slice(0, 200));
      return;
    }
    onMessage(message);
    this.waiters.deliver(message);
  }

  /** True once the process has exited. */
  get dead(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Sends a command; nothing if the process is gone. */
  send(command: ToPython): void {
    if (this.dead || this.commands.destroyed) return;
    this.commands.write(`${JSON.stringify(command)}\n`);
  }

  /** Waits for the first message accepted by `accept`, for as long as the run works (see `progress.ts`). */
  waitFor<T extends FromPython>(accept: (message: FromPython) => message is T, patience: Patience | number, what: string): Promise<T> {
    if (this.exitInfo) return Promise.reject(new ChildExitedError(LABEL, this.exitInfo.code, this.exitInfo.signal));
    return this.waiters.wait(accept, patience, `the ${LABEL} did not report ${what}`);
  }

  /** Asks the tracer to quit (it writes what it holds first), then SIGKILL once it has written nothing for `graceMs`. */
  async stop(graceMs = 1500): Promise<void> {
    if (this.exitInfo) return;
    this.send({ t: "quit" });
    this.commands.end();
    const cancel = whenIdle({ idleMs: graceMs, count: () => this.received }, () => this.process.kill("SIGKILL"));
    await this.exited;
    cancel();
  }
}

/** Type guard factory for tracer messages of kind `t`. */
export function pyKind<K extends FromPython["t"]>(t: K): (message: FromPython) => message is Extract<FromPython, { t: K }> {
  return (message: FromPython): message is Extract<FromPython, { t: K }> => message.t === t;
}
