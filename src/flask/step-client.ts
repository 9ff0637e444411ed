/**
 * The scenario's socket.io-client for the Flask side: the same built-in
 * client process the Node runner uses, pointed at the recording proxy,
 * started on its first step and stepped on command. Apart from the runner
 * because it is a process of its own with its own handshake; all it shares
 * with the runner is the collector its output goes to.
 */
import { join } from "node:path";
import { Child, StepFailure } from "../scenario/child.js";
import type { FromClient, ToClient } from "../scenario/protocol.js";
import { anchorsFor, PACKAGE_ROOT, type ScenarioDefinition } from "../scenario/scenario.js";
import type { Collector } from "../trace/collector.js";

const CLIENT_MODULE = join(PACKAGE_ROOT, "dist", "scenario", "client-process.js");

/** The client process, started lazily and run one step at a time. */
export class StepClient {
  private child?: Child<FromClient, ToClient>;

  /**
   * @param scenario whose client script runs, with its step anchors
   * @param projectRoot the client's working directory
   * @param collector receives the client's output lines
   */
  constructor(
    private readonly scenario: ScenarioDefinition,
    private readonly projectRoot: string,
    private readonly collector: Collector,
  ) {}

  /**
   * Runs step `index` on the client, starting the client against `proxyUrl`
   * first when it is not running yet. A failure carries the client's last
   * output lines.
   */
  async step(index: number, proxyUrl: string | undefined): Promise<void> {
    try {
      await this.run(index, proxyUrl);
    } catch (error) {
      // The client's own output says why it stopped (a refused connection, a timeout…).
      const tail = this.collector.logs.filter((l) => l.source === "client").slice(-8).map((l) => l.text);
      if (error instanceof Error && tail.length) error.message += `\nclient output:\n${tail.join("\n")}`;
      throw error;
    }
  }

  /** Stops the client process, when it was started. */
  async stop(): Promise<void> {
    await this.child?.stop();
  }

  private start(proxyUrl: string | undefined): Child<FromClient, ToClient> {
    const entry = this.scenario.client;
    if (!entry) throw new StepFailure("this scenario has no client script");
    if (proxyUrl === undefined) throw new StepFailure("the Flask server is not listening yet: run the server steps first");
    return Child.spawn<FromClient, ToClient>({
      label: "client",
      module: CLIENT_MODULE,
      cwd: this.projectRoot,
      env: { ...process.env, CHAT_URL: proxyUrl, TRACE_SOCKET_CLIENT: JSON.stringify({ entry, anchors: anchorsFor(this.scenario, "client") }) },
      onLine: (_stream, line) => this.collector.addLog("client", line),
    });
  }

  private async run(index: number, proxyUrl: string | undefined): Promise<void> {
    const settled = (m: FromClient): m is FromClient => m.t === "paused" || m.t === "done" || m.t === "error";
    if (!this.child) {
      this.child = this.start(proxyUrl);
      const first = await this.child.waitFor(settled, 15_000, "its start");
      if (first.t === "error") throw new StepFailure(`the client failed: ${first.message}`);
      if (first.t === "paused" && first.step !== index) throw new StepFailure(`the client paused at step ${first.step + 1}, expected ${index + 1}`);
    }
    const next = this.child.waitFor(settled, 15_000, "the end of the step");
    this.child.send({ t: "continue" });
    const reached = await next;
    if (reached.t === "error") throw new StepFailure(`the client failed: ${reached.message}`);
  }
}
