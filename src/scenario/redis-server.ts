/**
 * A Redis of trace-socket's own for a scenario that needs one: Debian's
 * `redis-server` on 127.0.0.1 at a free port, with nothing written to disk
 * (`--save '' --appendonly no`, its working directory a fresh temporary one),
 * stopped when the run ends. `redis-server --port 0` would listen on no TCP
 * port at all, so the port is found free first and taken on a retry if another
 * process won it in between.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A running Redis this process started. */
export interface OwnRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The server's version, from its start-up line. */
  readonly version?: string;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Why no Redis could be started: the program is missing, or it would not start. */
export class RedisStartError extends Error {}

/** The program is not installed: the one case the CLI answers as bad setup (exit 2), with what to do instead. */
export class RedisMissingError extends RedisStartError {}

/** The line that tells how to install the program. */
export const REDIS_INSTALL = "sudo apt-get install redis-server";

/** A TCP port free on 127.0.0.1 just now (the caller retries if another process takes it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function attempt(program: string, port: number, dir: string): Promise<{ child: ChildProcess; version?: string }> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "notice"];
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (data: Buffer) => {
      output += data.toString("utf8");
      if (output.length > 64 * 1024) output = output.slice(-16 * 1024);
      if (/Ready to accept connections/.test(output)) {
        child.stdout?.off("data", onData);
        // Keep reading so a full pipe never blocks the server.
        child.stdout?.resume();
        const version = /Redis version=([\w.]+)/.exec(output)?.[1];
        resolve({ child, ...(version ? { version } : {}) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new RedisMissingError(`redis-server is not installed: ${REDIS_INSTALL}`) : new RedisStartError(`redis-server did not start: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      const last = output.trim().split("\n").slice(-2).join(" ").trim();
      reject(new RedisStartError(`redis-server exited before it was ready (${signal ?? `code ${code}`})${last ? `: ${last}` : ""}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Starts a Redis on 127.0.0.1 and resolves once it accepts connections.
 *
 * @example
 * const redis = await startOwnRedis();
 * // … createClient({ url: redis.url }) …
 * await redis.stop();
 */
export async function startOwnRedis(program = "redis-server"): Promise<OwnRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "trace-socket-redis-"));
  let lastError: unknown;
  for (let tries = 0; tries < 5; tries++) {
    const port = await freePort();
    try {
      const { child, version } = await attempt(program, port, dir);
      let stopped: Promise<void> | undefined;
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        ...(version ? { version } : {}),
        stop() {
          stopped ??= stopChild(child).then(() => rmSync(dir, { recursive: true, force: true }));
          return stopped;
        },
      };
    } catch (error) {
      lastError = error;
      // A missing program will not appear on a retry; a port taken in between might be free next time.
      if (error instanceof RedisMissingError) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new RedisStartError(String(lastError));
}
