/**
 * A scenario of several traced servers (`scenario.json` `servers`): the same server
 * program once per name, each in a process of its own with a client of its own, and,
 * when they need one, a Redis that trace-socket starts (or the one `--redis` names).
 *
 * Every step runs on every server, since each runs the same program: first on the
 * servers the step is not about (their part of it is a no-op), then on the one it is
 * about, then all settle — so what the others receive from it lands in their part of
 * the same step. The trace is the processes' traces merged (`merge-traces.ts`), with
 * the claims checked on the merge.
 */
import { withClaims } from "../claims/apply.js";
import type { Trace } from "../trace/model.js";
import type { ScenarioDefinition } from "../trace/scenario.js";
import { mergeProcessTraces } from "./merge-traces.js";
import { startOwnRedis, type OwnRedis } from "./redis-server.js";
import { nodeRuntime } from "../runtime/node/node-runtime.js";
import { Runner, type RunnerOptions } from "./runner.js";

/** Options of a run of several servers. */
export interface MultiRunnerOptions extends Omit<RunnerOptions, "env" | "runtime"> {
  /** Where the servers listen (each on a port of its own the system picks). */
  readonly host: string;
  /** A running Redis to use instead of starting one. */
  readonly redisUrl?: string;
}

/** Drives the servers of one scenario together, step by step. */
export class MultiRunner {
  failure?: string;
  private ran = 0;

  private constructor(
    readonly options: MultiRunnerOptions,
    readonly names: readonly string[],
    readonly runners: readonly Runner[],
    readonly redisUrl: string | undefined,
    private readonly redis: OwnRedis | undefined,
  ) {}

  /** Starts Redis (when needed) and every server, each up to its first step's pause. */
  static async start(options: MultiRunnerOptions): Promise<MultiRunner> {
    const servers = options.scenario.servers;
    if (!servers) throw new Error(`scenario ${options.scenario.name} does not declare servers`);
    const redis = servers.redis && !options.redisUrl ? await startOwnRedis() : undefined;
    const redisUrl = options.redisUrl ?? redis?.url;
    const runners: Runner[] = [];
    try {
      for (const [i, name] of servers.names.entries()) {
        const env = { SERVER_NAME: name, CLIENT_NAME: String(i + 1), ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
        // One server at a time: each reaches its first pause before the next starts.
        runners.push(await Runner.start({ ...options, env, runtime: nodeRuntime({ host: options.host, port: 0, env, tapOutgoing: true }) }));
      }
    } catch (error) {
      await Promise.all(runners.map((r) => r.close()));
      await redis?.stop();
      throw error;
    }
    return new MultiRunner(options, servers.names, runners, redisUrl, redis);
  }

  /** The scenario being run. */
  get scenario(): ScenarioDefinition {
    return this.options.scenario;
  }

  /** The steps, as the scenario declares them. */
  get steps(): ScenarioDefinition["steps"] {
    return this.scenario.steps;
  }

  /** Calls `listener` whenever any server recorded something new. */
  addChangeListener(listener: () => void): () => void {
    const off = this.runners.map((r) => r.addChangeListener(listener));
    return () => off.forEach((f) => f());
  }

  get stepCount(): number {
    return this.runners[0].stepCount;
  }

  get nextStep(): number {
    return this.ran;
  }

  /** Runs the next step on every server, the one it is about last. */
  async runNext(): Promise<void> {
    const index = this.ran;
    const step = this.scenario.steps[index];
    if (!step) return;
    const about = this.names.indexOf(step.process ?? this.names[0]);
    const order = this.runners.map((_, i) => i).filter((i) => i !== about);
    order.push(about < 0 ? 0 : about);
    try {
      for (const i of [...new Set(order)]) await this.runners[i].runNext();
      // What the step set off on the others (a pub/sub message, a request to answer) is theirs too.
      await Promise.all(this.runners.map((r) => r.settle()));
    } catch (error) {
      this.failure = this.runners.map((r, i) => (r.failure ? `server ${this.names[i]}: ${r.failure}` : undefined)).filter(Boolean).join("; ") || (error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      this.ran = index + 1;
    }
  }

  /** Runs every remaining step. */
  async runAll(): Promise<void> {
    while (this.ran < this.stepCount) await this.runNext();
  }

  /** The processes' traces as one, with the claims checked on it. */
  trace(): Trace {
    const merged = mergeProcessTraces(this.runners.map((runner, i) => ({ name: this.names[i], trace: runner.assembled(), origin: runner.collector.startedAt })));
    const claims = this.scenario.claims;
    return claims ? withClaims(merged, claims, { final: this.ran >= this.stepCount }) : merged;
  }

  /** Stops every server, its client, and the Redis this run started. */
  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.close()));
    await this.redis?.stop();
  }
}
