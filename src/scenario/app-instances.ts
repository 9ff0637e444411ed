/**
 * A user's app run as several processes (`trace-socket a.js b.js`, `--processes 2`, a cluster
 * primary's workers): each process's start-up steps in turn, named after it, and the built-in
 * client of each connecting to its own process before any of them emits, so that what one
 * process broadcasts can be seen reaching the clients of the others. Pure.
 */
import type { Marked } from "../runtime/port.js";
import type { AppServer } from "../runtime/node/app-state.js";
import { clientSteps, type AppClientOptions, type AppStep, type DerivedStep } from "./app-steps.js";

/** One process of the app: its name in the trace (`A`, `B`), its program and its environment. */
export interface AppInstance {
  readonly name: string;
  /** Absolute path of its entry module. */
  readonly entry: string;
  /** Set for it on top of the CLI's environment (`PORT`, `NODE_APP_INSTANCE`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The names of `count` processes: A, B, … Z, then P27, P28… */
export function instanceNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i < 26 ? String.fromCharCode(65 + i) : `P${i + 1}`));
}

/**
 * `--processes n` of `entry`: instance i gets `NODE_APP_INSTANCE=i` (as pm2 sets it) and
 * `PORT=base+i` when the CLI's own environment has a numeric `PORT` (the base), else `PORT=0`
 * (a port the system picks).
 */
export function processInstances(entry: string, count: number, env: NodeJS.ProcessEnv): AppInstance[] {
  const base = env.PORT !== undefined && /^\d+$/.test(env.PORT) ? Number(env.PORT) : undefined;
  return instanceNames(count).map((name, i) => ({ name, entry, env: { PORT: String(base === undefined ? 0 : base + i), NODE_APP_INSTANCE: String(i) } }));
}

/** Several files, one process each (`trace-socket a.js b.js`). */
export function fileInstances(entries: readonly string[]): AppInstance[] {
  const names = instanceNames(entries.length);
  return entries.map((entry, i) => ({ name: names[i], entry }));
}

/** A step of process `name`: its id and title say whose it is, `process` runs it there. */
function owned<T extends AppStep>(step: T, name: string): T {
  return { ...step, id: `${name}-${step.id}`, title: `${name} · ${step.title}`, process: name };
}

/**
 * Process `k`'s start-up steps as steps of the whole run: each starts at its own call site in
 * process k, and at nothing in the others — those before k had finished starting (`ends`),
 * those after it had not begun (their ranges stay empty until their own first step).
 */
export function instanceStartupSteps(derived: readonly DerivedStep[], name: string, k: number, ends: readonly Marked[], count: number, timeOf: (seq: number) => number | undefined): DerivedStep[] {
  return derived.map((step) => {
    const siteMarks = Array.from({ length: count }, (_, j): Marked => (j < k ? ends[j] : j === k ? { seq: step.siteSeq, time: timeOf(step.siteSeq + 1) ?? 0 } : { seq: -1, time: 0 }));
    return { ...owned(step, name), siteMarks };
  });
}

/** The built-in clients' steps, one client per process: every connect, then each emit on each, then every disconnect. */
export interface InstanceClientSteps {
  readonly steps: AppStep[];
  /** Per process: the run's index of each of its client's steps (connect, emits, disconnect). */
  readonly indices: number[][];
}

/** The built-in client steps of processes `names` serving as `servers`, the first at run index `first`. */
export function instanceClientSteps(client: AppClientOptions, servers: readonly AppServer[], names: readonly string[], first: number): InstanceClientSteps {
  const perProcess = servers.map((server, k) => clientSteps(client, server).map((step) => owned(step, names[k])));
  const emits = client.emits.length;
  // Client k's j-th step: connects first (j 0), emits (1…emits), disconnects last.
  const rounds = Array.from({ length: emits + 2 }, (_, j) => perProcess.map((steps, k) => ({ k, j, step: steps[j] })));
  const ordered = rounds.flat();
  const indices = perProcess.map(() => [] as number[]);
  ordered.forEach((entry, i) => (indices[entry.k][entry.j] = first + i));
  return { steps: ordered.map((entry) => entry.step), indices };
}
