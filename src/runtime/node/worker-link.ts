/**
 * The CLI's side of a traced cluster run: a Unix socket (the hub) where the
 * workers the traced primary forks report in, each by its name, and the link
 * to each worker over its own connection there. A worker's IPC channel is its
 * primary's (the cluster module, sticky sessions and the cluster adapter talk
 * on it), so nothing of the tracer goes over it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StepAnchor } from "../../instrument/step-points.js";
import { ChildExitedError, type ChildLink } from "../child.js";
import type { Patience } from "../progress.js";
import { Waiters } from "../waiters.js";
import { frameMessage, frameReader } from "./framed-link.js";
import { CHANNEL_TAG, type FromTraced, type ToTraced, type WorkerJoin, type WorkerJoined } from "./protocol.js";

/** How a process ended; both null when no one could tell (a worker whose primary ended first). */
export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** A traced cluster worker, as the CLI talks to it: over its connection to the hub. */
export class WorkerLink implements ChildLink<FromTraced, ToTraced> {
  private readonly waiters = new Waiters<FromTraced>();
  private readonly listeners = new Set<(message: FromTraced) => void>();
  /** Messages that came before the adapter listened: handed over by {@link start}. */
  private held: FromTraced[] | undefined = [];
  private exitInfo?: Exit;
  /** The worker's end, once both are known: its socket closed, and how it ended (or that no one can say). */
  private closed = false;
  private reported?: Exit;
  private markExited!: (exit: Exit) => void;
  readonly exited: Promise<Exit>;

  constructor(
    readonly label: string,
    readonly pid: number,
    private readonly socket: net.Socket,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    // The worker's socket closes when its process ends, but the exit code is not on it: its primary reports that.
    socket.once("close", () => {
      this.closed = true;
      this.settle();
    });
  }

  /** How the worker ended, as its primary saw it (the primary has reaped it then). */
  reportExit(exit: Exit): void {
    this.reported ??= exit;
    this.settle();
  }

  /** The primary ended: no report of this worker's end will come. */
  parentGone(): void {
    this.reported ??= { code: null, signal: null };
    this.settle();
  }

  private settle(): void {
    if (this.exitInfo || !this.closed || !this.reported) return;
    const exit = (this.exitInfo = this.reported);
    this.waiters.rejectAll(new ChildExitedError(this.label, exit.code, exit.signal));
    this.markExited(exit);
  }

  /** Takes one message of the worker's. */
  take(raw: unknown): void {
    const message = raw as (FromTraced & { [CHANNEL_TAG]?: number }) | undefined;
    if (!message || message[CHANNEL_TAG] !== 1) return;
    if (this.held) {
      this.held.push(message);
      return;
    }
    for (const listener of this.listeners) listener(message);
    this.waiters.deliver(message);
  }

  /** From now on messages go to the listeners and waiters; those held so far first. */
  start(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const message of held) this.take(message);
  }

  get dead(): boolean {
    return this.exitInfo !== undefined;
  }

  onMessage(listener: (message: FromTraced) => void): void {
    this.listeners.add(listener);
  }

  send(message: ToTraced): void {
    if (!this.socket.destroyed) this.socket.write(frameMessage({ [CHANNEL_TAG]: 1, ...message }));
  }

  waitFor<T extends FromTraced>(accept: (message: FromTraced) => message is T, patience: Patience | number, what: string): Promise<T> {
    if (this.exitInfo) return Promise.reject(new ChildExitedError(this.label, this.exitInfo.code, this.exitInfo.signal));
    return this.waiters.wait(accept, patience, `the ${this.label} process did not report ${what}`);
  }

  async stop(graceMs = 1500, terminate = true): Promise<boolean> {
    if (this.exitInfo) return false;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(this.pid, signal);
      } catch {
        // Gone already.
      }
    };
    if (terminate) kill("SIGTERM");
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      kill("SIGKILL");
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
    return killed;
  }
}

/** A worker the hub is waiting for: its pauses and spill file, and who to hand it to. */
interface Expected {
  readonly anchors: readonly StepAnchor[];
  readonly spillFile: string;
  readonly arrived: (link: WorkerLink) => void;
}

/** Where the traced primary's workers report in (a Unix socket in a directory of its own). */
export class ClusterHub {
  private readonly expected = new Map<string, Expected>();
  /** The workers that reported in, by name (they outlive the hub's socket). */
  private readonly links = new Map<string, WorkerLink>();

  private constructor(
    private readonly server: net.Server,
    private readonly dir: string,
    /** The socket's path, for the primary's configuration. */
    readonly path: string,
  ) {
    server.on("connection", (socket) => this.accept(socket));
  }

  /** Opens a hub. */
  static async open(): Promise<ClusterHub> {
    const dir = mkdtempSync(join(tmpdir(), "trace-socket-hub-"));
    const path = join(dir, "hub.sock");
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    return new ClusterHub(server, dir, path);
  }

  /** Waits for worker `name` to report in; it is told its pauses and spill file. */
  expect(name: string, anchors: readonly StepAnchor[], spillFile: string, timeoutMs = 15_000): Promise<WorkerLink> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.expected.delete(name);
        reject(new Error(`cluster ${name} did not start within ${timeoutMs} ms (the primary forks it)`));
      }, timeoutMs);
      this.expected.set(name, {
        anchors,
        spillFile,
        arrived: (link) => {
          clearTimeout(timer);
          resolve(link);
        },
      });
    });
  }

  private accept(socket: net.Socket): void {
    let link: WorkerLink | undefined;
    socket.on("error", () => undefined);
    socket.on(
      "data",
      frameReader((message) => {
        if (link) return link.take(message);
        const arrival = message as Partial<WorkerJoin>;
        const expected = arrival.t === "arrive" && typeof arrival.worker === "string" ? this.expected.get(arrival.worker) : undefined;
        if (!expected || typeof arrival.pid !== "number") return socket.destroy();
        this.expected.delete(arrival.worker!);
        link = new WorkerLink(`traced ${arrival.worker!}`, arrival.pid, socket);
        this.links.set(arrival.worker!, link);
        const joined: WorkerJoined = { t: "welcome", anchors: expected.anchors, spillFile: expected.spillFile };
        socket.write(frameMessage(joined));
        expected.arrived(link);
      }),
    );
  }

  /** Worker `name` ended so, as its primary saw it. */
  workerExited(name: string, exit: Exit): void {
    this.links.get(name)?.reportExit(exit);
  }

  /** The primary ended: whichever worker has not been reported ended without a word on how. */
  primaryGone(): void {
    for (const link of this.links.values()) link.parentGone();
  }

  /** Stops listening (the workers' connections stay) and removes the socket. */
  close(): void {
    this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
