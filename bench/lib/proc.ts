// Reads what the kernel knows about a process: CPU time and memory, from /proc.
import { readFileSync } from "node:fs";
import { execFileSync, type ChildProcess } from "node:child_process";

/** Clock ticks per second (`getconf CLK_TCK`), for /proc/<pid>/stat times. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in microseconds; NaN if gone. */
export function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1e6) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes; NaN if gone. */
export function memory(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** One RSS sample: ms since sampling started, bytes. */
export interface RssSample {
  readonly t: number;
  readonly rss: number;
}

/** What {@link waitForQuiet} saw: the machine's busy share of all CPUs in the last slice. */
export interface Quiet {
  readonly quiet: boolean;
  readonly busy: number;
  readonly waitedMs: number;
}

/** Samples VmRSS of some processes every `everyMs` until stopped; keeps every sample. */
export function sampleRss(pids: readonly number[], everyMs = 200): () => RssSample[][] {
  const samples = pids.map((): RssSample[] => []);
  const started = performance.now();
  const tick = (): void => pids.forEach((pid, i) => samples[i].push({ t: performance.now() - started, rss: memory(pid).rss }));
  tick();
  const timer = setInterval(tick, everyMs);
  return () => {
    clearInterval(timer);
    tick();
    return samples;
  };
}

/** Machine-wide CPU ticks from /proc/stat: busy and total, summed over all CPUs. */
export function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  return { busy: total - idle, total };
}

/**
 * Waits until the machine has been mostly idle (busy below `threshold` of all CPUs) for one
 * `sliceMs` slice, at most `maxMs`. Other work on a shared machine skews every number, so
 * each measured run starts on a quiet machine when it can; returns what it saw.
 */
export async function waitForQuiet({ threshold = 0.2, sliceMs = 300, maxMs = 3000 } = {}): Promise<Quiet> {
  const started = performance.now();
  let busy: number;
  do {
    const a = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, sliceMs));
    const b = machineCpu();
    busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    if (busy < threshold) return { quiet: true, busy, waitedMs: performance.now() - started };
  } while (performance.now() - started < maxMs);
  return { quiet: false, busy, waitedMs: performance.now() - started };
}

/**
 * Resolves once `child` has exited, killing it (SIGKILL) if it is still there
 * after `ms`; with `terminate`, asks it to end (SIGTERM) first.
 */
export function endChild(child: ChildProcess, ms = 3000, { terminate = false } = {}): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (terminate) child.kill("SIGTERM");
  });
}
