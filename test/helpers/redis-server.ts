/**
 * A real redis-server for the tests that need one (the Redis adapter): started by the test on a
 * free loopback port with nothing written to disk, and stopped after. It is the same code that
 * starts trace-socket's own Redis for `--scenario redis` (`src/scenario/redis-server.ts`), so the
 * tests start Redis the way the tool does.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { startOwnRedis } from "../../src/scenario/redis-server.js";
import { requireSystemTool, runs, type ToolGate } from "./system-tool.js";

/** A running redis-server. */
export interface RedisServer {
  /** Its TCP port on 127.0.0.1. */
  readonly port: number;
  /** `redis://127.0.0.1:PORT`, as the redis client takes it. */
  readonly url: string;
  /** Stops it and waits until the process is gone (idempotent). */
  stop(): Promise<void>;
}

/** The skip rule for tests that need redis-server (skip with a line; a failure when `CI` is set). */
export const redisGate: ToolGate = requireSystemTool(
  { name: "redis-server", install: "sudo apt-get install redis-server", neededBy: "the Redis adapter tests" },
  runs("redis-server", ["--version"]),
);

/** Starts redis-server on a free loopback port and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const redis = await startOwnRedis();
  return { port: redis.port, url: redis.url, stop: () => redis.stop() };
}

/**
 * For a describe block of tests that run apps against Redis: a redis-server started before them
 * and stopped after, with the processes the tests push to `children` killed first.
 */
export function useRedisAndChildren(): { redis: () => RedisServer; children: ChildProcess[] } {
  let redis: RedisServer | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    redisGate.assertPresent();
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    await redis?.stop();
  });
  return { redis: () => redis!, children };
}
