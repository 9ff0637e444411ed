/**
 * Whether a run is still at work, for the waits on its processes. On a
 * loaded machine a correct run is slow, not wrong: a process starting under
 * two busy loops may take a minute to import what it needs. So a wait is not
 * cut off by the clock while the run works; it fails once nothing of the run
 * (this process, every child it started and theirs) has used the CPU for a
 * whole window, when what it waits for is not coming.
 *
 * CPU time is read from /proc (Linux). Where there is none, only this
 * process's own CPU time counts, and a window in which it idled ends the wait
 * as a plain time limit would.
 */
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * Below this share of one core over a window, the run is idle: a paused
 * traced server, its heartbeats and the courier's timer, the client and this
 * process together use about 0.5 %; a process starting under heavy load gets
 * 5 % or more.
 */
export const IDLE_SHARE = 0.02;

/** Linux counts CPU time in ticks of 10 ms (USER_HZ is 100). */
const TICK_MS = 10;

/** The CPU time last read of every child watched, kept once it has exited so that the run's total never drops. */
const lastRead = new Map<number, number>();
const live = new Set<number>();

/** The CPU time, in ms, of `pid` (and what its reaped children used); undefined when /proc does not tell. */
function cpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name may hold spaces and brackets: the fields start after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime, stime, cutime and cstime: fields 14 to 17 of proc(5), counted from the state (field 3) here.
  const ticks = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
  return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
}

/** The processes `pid` started that are still running. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The CPU time of `pid` and of every process below it, in ms. */
function treeMs(pid: number): number | undefined {
  const own = cpuMs(pid);
  if (own === undefined) return undefined;
  let sum = own;
  const pending = childrenOf(pid);
  const seen = new Set<number>([pid]);
  while (pending.length) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    sum += cpuMs(next) ?? 0;
    pending.push(...childrenOf(next));
  }
  return sum;
}

function readChild(pid: number): void {
  const now = treeMs(pid);
  if (now !== undefined && now > (lastRead.get(pid) ?? 0)) lastRead.set(pid, now);
}

/** Counts the CPU time of `child` and of the processes it starts as the run's work, while it runs. */
export function watchWork(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  live.add(pid);
  lastRead.set(pid, 0);
  child.once("exit", () => live.delete(pid));
}

/** The CPU time the run has used so far, in ms: this process's and every watched child's. */
export function workDone(): number {
  for (const pid of live) readChild(pid);
  const own = process.cpuUsage();
  let sum = (own.user + own.system) / 1000;
  for (const ms of lastRead.values()) sum += ms;
  return sum;
}

/** How long a wait may last: a window of `idleMs` without work ends it, and `ceilingMs` (if given) in any case. */
export interface Patience {
  readonly idleMs: number;
  /** For a wait that work cannot prolong for ever: a process spinning in a loop uses the CPU but never answers. */
  readonly ceilingMs?: number;
  /**
   * Progress as a count, any increase of which in a window is work: e.g. the
   * messages received from a process being closed. Default: the run's CPU
   * time ({@link workDone}), of which a window needs {@link IDLE_SHARE} of a core.
   */
  readonly count?: () => number;
  /** The run's CPU time in ms (tests give their own; default {@link workDone}). */
  readonly cpuMs?: () => number;
  /** The clock (tests give their own). */
  readonly now?: () => number;
}

/**
 * Windows of `idleMs`: each one in which the run worked (used at least
 * {@link IDLE_SHARE} of a core, or moved its `count`) starts another;
 * the first one in which it did not ends the watch. A stuck run is found
 * between one and two windows after it stopped; a working one is never cut
 * off before its ceiling.
 */
export class IdleWatch {
  private readonly now: () => number;
  private readonly work: () => number;
  private readonly started: number;
  private windowStart: number;
  private workAtStart: number;
  /** Why the watch ended, once it has: idle, or past its ceiling. */
  ended?: "idle" | "ceiling";

  constructor(readonly patience: Patience) {
    this.now = patience.now ?? Date.now;
    this.work = patience.count ?? patience.cpuMs ?? workDone;
    this.started = this.windowStart = this.now();
    this.workAtStart = this.work();
  }

  /** Milliseconds until the current window ends (0 when it has). */
  get remainingMs(): number {
    const end = Math.min(this.windowStart + this.patience.idleMs, this.started + (this.patience.ceilingMs ?? Infinity));
    return Math.max(0, end - this.now());
  }

  /** True once a whole window passed in which the run did no work, or the ceiling; a window with work starts the next one. */
  expired(): boolean {
    if (this.ended) return true;
    const now = this.now();
    if (now - this.started >= (this.patience.ceilingMs ?? Infinity)) this.ended = "ceiling";
    else if (now < this.windowStart + this.patience.idleMs) return false;
    else {
      const work = this.work();
      const needed = this.patience.count ? 1 : IDLE_SHARE * (now - this.windowStart);
      if (work - this.workAtStart < needed) this.ended = "idle";
      this.windowStart = now;
      this.workAtStart = work;
    }
    return this.ended !== undefined;
  }

  /** How the end reads after "did not report its start": `nothing of the run has used the CPU for 15 s`. */
  get reason(): string {
    if (this.ended === "ceiling") return `no answer in ${this.patience.ceilingMs! / 1000} s, though it was busy (a loop that never yields?)`;
    return this.patience.count ? `nothing came for ${this.patience.idleMs / 1000} s` : `nothing of the run has used the CPU for ${this.patience.idleMs / 1000} s`;
  }
}

/** Calls `then(watch)` once the run has been idle for `patience` (a number: its idle limit in ms); returns the cancel. */
export function whenIdle(patience: Patience | number, then: (watch: IdleWatch) => void): () => void {
  const watch = new IdleWatch(typeof patience === "number" ? { idleMs: patience } : patience);
  let timer: ReturnType<typeof setTimeout>;
  const check = (): void => {
    if (watch.expired()) then(watch);
    else timer = setTimeout(check, watch.remainingMs);
  };
  timer = setTimeout(check, watch.remainingMs);
  return () => clearTimeout(timer);
}
