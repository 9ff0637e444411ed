/**
 * Runs the built binary the way a user does, with pipes (so: no terminal).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

export const BIN = join(PACKAGE_ROOT, "bin", "trace-socket.js");

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns `node bin/trace-socket.js ...args` and collects its output. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = PACKAGE_ROOT): Promise<CliResult> {
  return runCliUnder([], args, env, cwd);
}

/** `node <nodeArgs> bin/trace-socket.js <args>`: trace-socket started under Node flags of the user's (`--import tsx`). */
export function runCliUnder(nodeArgs: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = PACKAGE_ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd, env: { ...process.env, CI: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
