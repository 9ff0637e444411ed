/**
 * CLI-side handle of a child process (the traced server or the built-in
 * client): spawns it with an IPC channel, splits its output into lines, and
 * lets the runner wait for a message of a given kind.
 */
import { fork, type ChildProcess } from "node:child_process";
import { CHANNEL_TAG } from "./node/protocol.js";
import { forwardLines } from "./forward-lines.js";
import { watchWork, whenIdle, type Patience } from "./progress.js";
import { Waiters } from "./waiters.js";

/** The child exited while the runner was waiting for it. */
export class ChildExitedError extends Error {
  constructor(
    readonly label: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`the ${label} process exited (${howItEnded(code, signal)})`);
  }
}

/** How a process ended, in words: its signal or exit code, or (both null) that no one could tell. */
export function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal ${signal}`;
  if (code !== null) return `code ${code}`;
  // Only a cluster worker ends so: its primary, the one process that sees its exit status, ended first.
  return "how is unknown: its primary ended first";
}

export { ChildTimeoutError } from "./waiters.js";

/**
 * A step could not complete for a reason outside trace-socket — the traced app
 * or the client failed, or a step was asked for out of order. The CLI reports
 * it in one line (exit 1); any other error is a bug and keeps its stack.
 */
export class StepFailure extends Error {}

type Tagged = { readonly t: string };

/** Options for {@link Child.spawn}. */
export interface SpawnOptions {
  readonly label: string;
  readonly module: string;
  readonly args?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly onLine: (stream: "stdout" | "stderr", line: string) => void;
  /** Node flags of the new process (default none: the CLI's own stay its own). */
  readonly execArgv?: readonly string[];
}

/**
 * What a traced process's adapter needs of the process behind it: a child on
 * the CLI's IPC channel ({@link Child}), or a cluster worker on a socket of
 * its own (`node/worker-link.ts`).
 */
export interface ChildLink<In extends Tagged, Out extends Tagged> {
  readonly label: string;
  readonly pid: number | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly dead: boolean;
  onMessage(listener: (message: In) => void): void;
  send(message: Out): void;
  waitFor<T extends In>(accept: (message: In) => message is T, patience: Patience | number, what: string): Promise<T>;
  stop(graceMs?: number, terminate?: boolean): Promise<boolean>;
}

/** A running child process speaking the trace-socket IPC protocol. */
export class Child<In extends Tagged, Out extends Tagged> implements ChildLink<In, Out> {
  private readonly waiters = new Waiters<In>();
  private readonly listeners = new Set<(message: In) => void>();
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  /** Messages and output lines received: what a process being closed still sends is its progress. */
  private received = 0;
  /** Resolves once the process has exited (and its output is read). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly label: string,
    readonly process: ChildProcess,
    onLine: SpawnOptions["onLine"],
  ) {
    watchWork(process);
    forwardLines(process, onLine, () => this.received++);
    process.on("message", (raw: unknown) => {
      this.received++;
      const message = raw as (In & { [CHANNEL_TAG]?: number }) | undefined;
      if (!message || message[CHANNEL_TAG] !== 1) return;
      for (const listener of this.listeners) listener(message);
      this.waiters.deliver(message);
    });
    // An error on the IPC channel (child gone) must not become an unhandled 'error'.
    process.on("error", () => undefined);
    this.exited = new Promise((resolve) => {
      process.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
        this.exitInfo = { code, signal };
        this.waiters.rejectAll(new ChildExitedError(label, code, signal));
        resolve(this.exitInfo);
      });
    });
  }

  /** Starts `module` in a new Node process with an IPC channel. */
  static spawn<In extends Tagged, Out extends Tagged>(options: SpawnOptions): Child<In, Out> {
    const child = fork(options.module, [...(options.args ?? [])], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
      execArgv: [...(options.execArgv ?? [])],
    });
    return new Child<In, Out>(options.label, child, options.onLine);
  }

  /** Its process id (undefined if it could not be spawned). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Called for every message, before waiters. */
  onMessage(listener: (message: In) => void): void {
    this.listeners.add(listener);
  }

  /** True once the process has exited. */
  get dead(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Sends a message; silently nothing if the process is gone (its exit is reported separately). */
  send(message: Out): void {
    if (this.process.connected) this.process.send({ [CHANNEL_TAG]: 1, ...message });
  }

  /** Waits for the first message accepted by `accept`, for as long as the run works (see `progress.ts`). */
  waitFor<T extends In>(accept: (message: In) => message is T, patience: Patience | number, what: string): Promise<T> {
    if (this.exitInfo) return Promise.reject(new ChildExitedError(this.label, this.exitInfo.code, this.exitInfo.signal));
    return this.waiters.wait(accept, patience, `the ${this.label} process did not report ${what}`);
  }

  /**
   * Ends the process: SIGTERM (unless it was asked to quit already), then
   * SIGKILL once it has sent nothing for `graceMs` (while it still sends what
   * it recorded, it is not cut off); true if it had to be killed.
   */
  async stop(graceMs = 1500, terminate = true): Promise<boolean> {
    if (this.exitInfo) return false;
    if (terminate) this.process.kill("SIGTERM");
    let killed = false;
    const cancel = whenIdle({ idleMs: graceMs, count: () => this.received }, () => {
      killed = true;
      this.process.kill("SIGKILL");
    });
    await this.exited;
    cancel();
    return killed;
  }
}

/** Type guard factory for messages of kind `t`. */
export function kind<M extends Tagged, K extends M["t"]>(t: K): (message: M) => message is Extract<M, { t: K }> {
  return (message: M): message is Extract<M, { t: K }> => message.t === t;
}
