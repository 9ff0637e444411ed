/**
 * A real redis-server for the tests that need one (the Redis adapter): started by the test on a
 * free loopback port with nothing written to disk, and stopped after. Redis cannot be asked for
 * an ephemeral port of its own (`--port 0` turns TCP off), so a port is picked free by binding it
 * first, and another is tried when something took it in between.
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { requireSystemTool, type ToolGate } from "./system-tool.js";

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
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0,
);

const READY = /Ready to accept connections/;
const PORT_TAKEN = /Address already in use/;

/** Starts redis-server on a free loopback port and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await launch(port);
    } catch (error) {
      lastError = error as Error;
      if (!PORT_TAKEN.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error("redis-server did not start");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function launch(port: number): Promise<RedisServer> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (!READY.test(output)) return;
      child.stdout.off("data", onData);
      resolve({ port, url: `redis://127.0.0.1:${port}`, stop: () => stop(child, exited) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server on port ${port} exited (${code}) before it was ready: ${output.trim()}`)));
  });
}

async function stop(child: ReturnType<typeof spawn>, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await exited;
}
