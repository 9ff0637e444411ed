/**
 * A real PostgreSQL for the tests that need one (the Postgres adapter): a throwaway cluster that
 * the test creates with Debian's `initdb` in a fresh temporary directory, started on a free
 * loopback port with fsync off (nothing here needs to survive a crash), and stopped and removed
 * after. PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
 * `postgres` user and both programs run as that user (spawned with its uid and gid).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { freePort } from "../../src/scenario/redis-server.js";
import { requireSystemTool, type ToolGate } from "./system-tool.js";

/** Where Debian's postgresql package puts the server programs (they are not on PATH). */
export const POSTGRES_BIN = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"].find((dir) => existsSync(path.join(dir, "initdb")));

/** A running throwaway cluster. */
export interface PostgresServer {
  /** Its TCP port on 127.0.0.1. */
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, as `pg` takes it (trust authentication, on loopback only). */
  readonly url: string;
  /** The temporary directory holding the cluster (and the server's Unix socket), removed by `stop`. */
  readonly dir: string;
  /** Stops the server, waits until it is gone, and removes the cluster's directory (idempotent). */
  stop(): Promise<void>;
}

/** The skip rule for tests that need PostgreSQL (skip with a line; a failure when `CI` is set). */
export const postgresGate: ToolGate = requireSystemTool(
  { name: "PostgreSQL", install: "sudo apt-get install postgresql", neededBy: "the Postgres adapter tests" },
  POSTGRES_BIN !== undefined,
);

/** As root, the ids of the `postgres` user, whom PostgreSQL accepts; otherwise none (it runs as we do). */
function serverUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const [user, group] = [id("-u"), id("-g")];
  if (user.status !== 0 || group.status !== 0) throw new Error("running as root, and there is no postgres user to run PostgreSQL as (it refuses root)");
  return { uid: Number(user.stdout.trim()), gid: Number(group.stdout.trim()) };
}

/** Creates the cluster in `data` (owned by the server's user), trusting local connections. */
function initCluster(dir: string, data: string): void {
  const user = serverUser();
  if ("uid" in user) chownSync(dir, user.uid, user.gid);
  const args = ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"];
  const init = spawnSync(path.join(POSTGRES_BIN!, "initdb"), args, { encoding: "utf8", cwd: dir, ...user });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}): ${(init.stderr || init.stdout).trim().split("\n").slice(-3).join(" ")}`);
}

/** Starts `postgres` on `port` and resolves once it accepts connections; rejects when it exits first. */
function attempt(dir: string, data: string, port: number): Promise<ChildProcess> {
  const settings = ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(POSTGRES_BIN!, "postgres"), settings, { stdio: ["ignore", "pipe", "pipe"], cwd: dir, ...serverUser() });
    let output = "";
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-16 * 1024);
      if (/database system is ready to accept connections/.test(output)) {
        child.stderr?.off("data", onData);
        // Keep reading so a full pipe never blocks the server.
        child.stderr?.resume();
        child.off("exit", onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      reject(new Error(`postgres exited before it was ready (${signal ?? `code ${code}`}): ${output.trim().split("\n").slice(-2).join(" ")}`));
    };
    child.stdout?.resume();
    child.stderr?.on("data", onData);
    child.once("error", reject);
    child.once("exit", onExit);
  });
}

/** Creates and starts a throwaway cluster on a free loopback port (retried if another process took the port). */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "trace-socket-pg-"));
  // The postgres user must reach the directory that mkdtemp made private to root.
  chmodSync(dir, 0o700);
  const data = path.join(dir, "data");
  try {
    initCluster(dir, data);
    let child: ChildProcess | undefined;
    let port = 0;
    for (let tries = 0; !child; tries++) {
      port = await freePort();
      try {
        child = await attempt(dir, data, port);
      } catch (error) {
        if (tries >= 2 || !/already in use|could not bind/i.test(String(error))) throw error;
      }
    }
    const running = child;
    let stopped: Promise<void> | undefined;
    return {
      port,
      dir,
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () => stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (running.exitCode !== null || running.signalCode !== null) return done();
        running.once("exit", done);
        // SIGINT is PostgreSQL's fast shutdown: clients are cut, nothing waits.
        running.kill("SIGINT");
      }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * For a describe block of tests that run apps against Postgres: a cluster started before them and
 * stopped after, with the processes the tests push to `children` killed first.
 */
export function usePostgresAndChildren(): { postgres: () => PostgresServer; children: ChildProcess[] } {
  let postgres: PostgresServer | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    postgresGate.assertPresent();
    postgres = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    await postgres?.stop();
  });
  return { postgres: () => postgres!, children };
}
