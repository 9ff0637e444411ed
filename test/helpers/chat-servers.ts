/**
 * The built-in chat server twice over, for tests that compare: once traced (a
 * `Runner` stepped through the four server steps, so it listens) and once as
 * the plain `node traces/chat/server.mjs` a user would run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";

/** Index of the first step the client runs: the steps before it are the server's. */
export const SERVER_STEPS = 4;

/** A traced chat server, listening. */
export interface TracedChat {
  readonly runner: Runner;
  readonly port: number;
  readonly pid: number;
  close(): Promise<void>;
}

/** Starts the traced chat server and runs its server steps (init … listen). */
export async function startTracedChat(): Promise<TracedChat> {
  const runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "hardening test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
  try {
    for (let i = 0; i < SERVER_STEPS; i++) await runner.runNext();
    const address = runner.collector.address;
    if (!address) throw new Error("the traced chat server reported no address after its listen step");
    return { runner, port: Number(new URL(address).port), pid: runner.server.pid ?? -1, close: () => runner.close() };
  } catch (error) {
    await runner.close();
    throw error;
  }
}

/** An untraced chat server. */
export interface PlainChat {
  readonly process: ChildProcess;
  readonly port: number;
  /** Lines it printed (stdout and stderr). */
  readonly output: string[];
  close(): Promise<void>;
}

/** Starts `node traces/chat/server.mjs` on an ephemeral port of 127.0.0.1. */
export function startPlainChat(): Promise<PlainChat> {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, "traces/chat/server.mjs")], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`the plain chat server did not start: ${output.join("\n")}`));
    }, 15_000);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the plain chat server exited (${signal ?? code}): ${output.join("\n")}`));
    });
    createInterface({ input: child.stderr }).on("line", (line) => output.push(line));
    createInterface({ input: child.stdout }).on("line", (line) => {
      output.push(line);
      const m = /^chat listening on (\{.*\})$/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ process: child, port: (JSON.parse(m[1]) as { port: number }).port, output, close });
    });
  });
}
