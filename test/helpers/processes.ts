/**
 * The processes a test started, read from `ps`: to prove that none outlives
 * the CLI that started it.
 */
import { execFileSync } from "node:child_process";

/** The processes below `root`, by pid, with their command lines. */
export function descendants(root: number): Map<number, string> {
  const table = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const found = new Map<number, string>();
  const pending = [root];
  while (pending.length) {
    const parent = pending.pop()!;
    for (const row of table) {
      if (row.ppid !== parent || found.has(row.pid)) continue;
      found.set(row.pid, row.args);
      pending.push(row.pid);
    }
  }
  return found;
}

/** Whether a process with this pid is still running (or not yet reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
