/**
 * A scenario of several traced servers (`scenario.json` `servers`): the same server program
 * once per name, each a process of the one Runner (`Runner.start({ processes })`) with a
 * client of its own, and, when they need one, a Redis that trace-socket starts (or the one
 * `--redis` names), stopped when the run closes.
 */
import type { ScenarioDefinition } from "../trace/scenario.js";
import { nodeRuntime } from "../runtime/node/node-runtime.js";
import { startOwnRedis } from "./redis-server.js";
import { Runner } from "./runner.js";
import type { ProcessSpec } from "./run-process.js";

/** Options of a run of several servers. */
export interface ServersRunOptions {
  readonly scenario: ScenarioDefinition;
  readonly projectRoot: string;
  readonly command: string;
  /** Where the servers listen (each on a port of its own the system picks). */
  readonly host: string;
  /** A running Redis to use instead of starting one. */
  readonly redisUrl?: string;
}

/** Starts Redis (when needed) and every server, each up to its first step's pause. */
export async function startServers(options: ServersRunOptions): Promise<Runner> {
  const { scenario, projectRoot, command, host } = options;
  const servers = scenario.servers;
  if (!servers) throw new Error(`scenario ${scenario.name} does not declare servers`);
  const redis = servers.redis && !options.redisUrl ? await startOwnRedis() : undefined;
  const redisUrl = options.redisUrl ?? redis?.url;
  const processes: ProcessSpec[] = servers.names.map((name, i) => ({
    name,
    // Their Redis connections are theirs too: tapped like the client connections.
    runtime: nodeRuntime({ host, port: 0, env: { SERVER_NAME: name, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) }, tapOutgoing: true }),
    clientEnv: { CLIENT_NAME: String(i + 1) },
  }));
  try {
    return await Runner.start({ scenario, projectRoot, command, processes, ...(redis ? { onClose: () => redis.stop() } : {}) });
  } catch (error) {
    await redis?.stop();
    throw error;
  }
}
