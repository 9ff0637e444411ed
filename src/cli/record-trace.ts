/**
 * Runs a target headless, every step in order, and hands back the trace:
 * what `export` renders when it is not given `--from`. Ctrl-C stops the run
 * at once; the traced processes are always closed.
 */
import { Runner } from "../scenario/runner.js";
import { startCluster } from "../scenario/cluster-run.js";
import { startServers } from "../scenario/servers-run.js";
import { RedisMissingError } from "../scenario/redis-server.js";
import { nodeRuntime } from "../runtime/node/node-runtime.js";
import { loadScenario, INSTALL_ROOT } from "../trace/scenario.js";
import type { Trace } from "../trace/model.js";
import { appStepLoop, startApp } from "./app-run.js";
import type { AppTarget } from "./mode.js";
import type { RunSettings } from "./settings.js";
import { UsageError } from "./errors.js";
import { RunStop, runSteps, type StepLoopOptions, type StepRunner } from "./step-loop.js";

/** How to run the scenario. */
export interface RecordOptions {
  readonly scenario?: string;
  readonly host: string;
  readonly port: number;
  /** A running Redis for a scenario of several servers that needs one. */
  readonly redis?: string;
  /** The command line, for the trace's metadata. */
  readonly command: string;
}

/** A finished run, or one Ctrl-C stopped, with the trace so far. */
export interface Recording {
  readonly trace: Trace;
  /** Ctrl-C came before the last step. */
  readonly interrupted: boolean;
}

async function record<R extends StepRunner>(start: Promise<R>, loop: (runner: R) => StepLoopOptions<R> = () => ({})): Promise<Recording> {
  const stop = new RunStop();
  try {
    // A stop during the start is seen by the step loop: it runs nothing and closes the run.
    const runner = await start;
    const reason = await runSteps([runner], stop, loop(runner));
    return { interrupted: reason !== undefined, trace: runner.trace() };
  } finally {
    stop.dispose();
  }
}

/** Runs all steps of the scenario and returns the trace. Throws `RunError` when the traced app or a child fails. */
export function recordScenario(options: RecordOptions): Promise<Recording> {
  return record(startScenario(options));
}

/**
 * A missing redis-server is the machine's setup, not a bug of the run: one line, exit 2, with the
 * two ways on: install it or name a running one, or the cluster scenario, which tells the same
 * story across servers with nothing outside npm (issue 16: the default without redis-server).
 */
function missingRedis(error: unknown): never {
  if (error instanceof RedisMissingError) {
    throw new UsageError(`${error.message} (or --redis redis://host:port for one that runs); --scenario cluster tells the same story across servers and needs nothing outside npm`);
  }
  throw error;
}

/** Starts a built-in scenario: one traced server, or several (`servers` in its scenario.json). */
export function startScenario(options: RecordOptions): Promise<StepRunner> {
  const scenario = loadScenario(options.scenario);
  const run = { scenario, projectRoot: INSTALL_ROOT, command: options.command };
  if (options.redis !== undefined && !scenario.servers?.redis) throw new UsageError(`--redis applies to a scenario whose servers share a Redis (--scenario redis); ${scenario.name} needs none`);
  if (scenario.cluster) return startCluster({ ...run, host: options.host, port: options.port });
  if (scenario.servers) return startServers({ ...run, host: options.host, ...(options.redis !== undefined ? { redisUrl: options.redis } : {}) }).catch(missingRedis);
  return Runner.start({ ...run, runtime: nodeRuntime({ host: options.host, port: options.port }) });
}

/**
 * Runs the user's app: its start-up steps, then the built-in client's (with
 * `--client none`, its own clients' traffic until Ctrl-C, which then ends the
 * recording as asked rather than interrupting it). Throws `RunError` when the
 * app fails.
 */
export async function recordApp(target: AppTarget, settings: RunSettings): Promise<Recording> {
  const recording = await record(startApp(target, settings, settings.command), (runner) => appStepLoop(runner, settings, "write the report"));
  return settings.client === "none" ? { ...recording, interrupted: false } : recording;
}
