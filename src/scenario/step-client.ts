/**
 * The built-in socket.io-client, as a step runner sees it: a process of its
 * own, started on its first step against the traced server (or the Flask
 * side's recording proxy) and stepped on command. Shared by the Node runner
 * and the Flask one; all it shares with them is the collector its output
 * lines go to.
 */
import { join } from "node:path";
import { Child, StepFailure } from "../runtime/child.js";
import type { FromClient, ToClient } from "../runtime/node/protocol.js";
import { anchorsFor, PACKAGE_ROOT, type ScenarioDefinition } from "../trace/scenario.js";
import type { Collector } from "../runtime/collector.js";
import type { StepAnchor } from "../instrument/step-points.js";

const CLIENT_MODULE = join(PACKAGE_ROOT, "dist", "scenario", "client-process.js");

/** Where and what the client runs, asked for when it starts. */
export interface ClientTarget {
  /** The server's address; undefined while it is not listening. */
  readonly url: string | undefined;
  /** The server, as the "not listening yet" error names it. */
  readonly server: string;
  /** The client module to step through; default: the scenario's client script. */
  readonly entry?: string;
  /** More environment for the client process. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options of {@link StepClient}. */
export interface StepClientOptions {
  /** Whose client script runs, with its step anchors. */
  readonly scenario: ScenarioDefinition;
  /** The client's working directory. */
  readonly projectRoot: string;
  /** Receives the client's output lines. */
  readonly collector: Collector;
  /** Wraps every wait on the client, e.g. to stop waiting when the server dies. */
  readonly guard?: <T>(pending: Promise<T>) => Promise<T>;
  /** The steps it pauses at (one of several clients: its own); default: every client step. */
  readonly anchors?: readonly StepAnchor[];
}

type Settled = Extract<FromClient, { t: "paused" | "done" | "error" }>;
const settled = (m: FromClient): m is Settled => m.t === "paused" || m.t === "done" || m.t === "error";

/** The client process, started lazily and run one step at a time. */
export class StepClient {
  private child?: Child<FromClient, ToClient>;

  constructor(private readonly options: StepClientOptions) {}

  /**
   * Runs step `index` on the client, starting it first when it is not running
   * yet. A failure carries the client's last output lines.
   */
  async step(index: number, target: () => ClientTarget): Promise<void> {
    try {
      await this.run(index, target);
    } catch (error) {
      // The client's own output says why it stopped (a refused connection, a timeout…).
      const tail = this.options.collector.logs.filter((l) => l.source === "client").slice(-8).map((l) => l.text);
      if (error instanceof Error && tail.length) error.message += `\nclient output:\n${tail.join("\n")}`;
      throw error;
    }
  }

  /** The client process's pid, once started. */
  get pid(): number | undefined {
    return this.child?.process.pid;
  }

  /** Sends `signal` to the client process (a step's action); false when it is not running. */
  signal(signal: NodeJS.Signals): boolean {
    if (!this.child || this.child.dead) return false;
    return this.child.process.kill(signal);
  }

  /** Stops the client process, when it was started. */
  async stop(): Promise<void> {
    await this.child?.stop();
  }

  private start(target: ClientTarget): Child<FromClient, ToClient> {
    const { scenario, projectRoot, collector } = this.options;
    const entry = target.entry ?? scenario.client;
    if (!entry) throw new StepFailure("this scenario has no client script");
    if (target.url === undefined) throw new StepFailure(`${target.server} is not listening yet: run the server steps first`);
    return Child.spawn<FromClient, ToClient>({
      label: "client",
      module: CLIENT_MODULE,
      cwd: projectRoot,
      env: { ...process.env, ...target.env, CHAT_URL: target.url, TRACE_SOCKET_CLIENT: JSON.stringify({ entry, anchors: this.options.anchors ?? anchorsFor(scenario, "client") }) },
      onLine: (_stream, line) => collector.addLog("client", line),
    });
  }

  private async run(index: number, target: () => ClientTarget): Promise<void> {
    const guard = this.options.guard ?? (<T>(pending: Promise<T>) => pending);
    if (!this.child) {
      this.child = this.start(target());
      const first = await guard(this.child.waitFor(settled, 15_000, "its start"));
      if (first.t === "error") throw new StepFailure(`the client failed: ${first.message}`);
      if (first.t === "paused" && first.step !== index) throw new StepFailure(`the client paused at step ${first.step + 1}, expected ${index + 1}`);
    }
    const next = this.child.waitFor(settled, 15_000, "the end of the step");
    this.child.send({ t: "continue" });
    const reached = await guard(next);
    if (reached.t === "error") throw new StepFailure(`the client failed: ${reached.message}`);
  }
}
