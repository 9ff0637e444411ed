// One measured run: starts the echo server in one configuration (bare, traced frames-only,
// traced full), connects the load processes, and measures a fixed load window.
import { fork, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { cpuMicros, endChild, machineCpu, memory, sampleRss, waitForQuiet } from "./proc.js";
import { cpus } from "node:os";
import { histogram, merge, quantile } from "./histogram.js";
import { once, type HostCounts, type HostStats, type LoadReport } from "./messages.js";
import type { Quiet } from "./proc.js";


/**
 * NODE_OPTIONS for the server process (bare or traced, never the CLI-side host): the
 * preloads of bench/profile.js (CPU profiler, ablations), configured through `env`.
 */
function serverNodeOptions(options: RunOptions): string | undefined {
  const preloads = [...(options.preloads ?? [])];
  if (options.profileDir) preloads.push(fileURLToPath(new URL("../preload/cpu-profile.js", import.meta.url)));
  const all = [...(options.nodeFlags ?? []), ...preloads.map((file) => `--import ${file}`)];
  return all.length ? all.join(" ") : undefined;
}

function serverEnv(options: RunOptions): Record<string, string> {
  return { ...(options.env ?? {}), ...(options.profileDir ? { BENCH_PROFILE_DIR: options.profileDir } : {}) };
}

/** The configurations compared, in the order they are interleaved. */
export const CONFIGS = ["bare", "frames", "full", "before"] as const;

/**
 * "before": full tracing as the previous measurement ran it (BENCHMARKS.md), interleaved with
 * the rest so that old and new are compared in one run: the same code with the settings this
 * session changed set back (25 ms flush timer, a collector of 250,000 records).
 */
export const BEFORE = { flushMs: 25, records: 250_000 } as const;

/** One of {@link CONFIGS}. */
export type Config = (typeof CONFIGS)[number];

/** A load: processes × clients, saturating (`inFlight`) or paced (`intervalMs`), bounded in time and count. */
export interface LoadProfile {
  readonly processes: number;
  readonly clients: number;
  readonly inFlight?: number;
  readonly intervalMs?: number;
  readonly payloadBytes?: number;
  readonly durationMs: number;
  readonly maxMessages: number;
}

/** Extra set-up of bench/profile.js: preloads and flags for the server, flags for the CLI-side host. */
export interface RunOptions {
  readonly profileDir?: string;
  readonly preloads?: readonly string[];
  readonly nodeFlags?: readonly string[];
  readonly env?: Record<string, string>;
  readonly hostExecArgv?: string[];
  /** The server's folder under bench/ (default echo-server), bare or traced. */
  readonly server?: string;
  /** Traced: tap the server's outgoing connections too (its Redis), as the CLI does for several servers. */
  readonly tapOutgoing?: boolean;
}

/** What the CLI-side host reported at the end, or why it could not. */
export type HostResult = (HostStats & { readonly error?: undefined }) | { readonly error: string; readonly counts?: undefined; readonly dropped?: undefined };

/** A started server, bare or traced behind its host. */
export interface Started {
  readonly port: number;
  readonly serverPid: number;
  readonly hostPid: number | undefined;
  readonly counts?: () => Promise<HostCounts>;
  readonly stop: () => Promise<HostResult | undefined>;
}

/** Starts the bench's server (options.server, default the echo server) bare; resolves once it listens. */
export async function startBare(options: RunOptions): Promise<Started> {
  const nodeOptions = serverNodeOptions(options);
  const server = options.server ?? "echo-server";
  const child = fork(fileURLToPath(new URL(`../${server}/index.js`, import.meta.url)), [], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    execArgv: [],
    env: { ...process.env, ...serverEnv(options), ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare ${server} did not listen within 30 s`)), 30_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^PORT (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", () => reject(new Error(`bare ${server} exited before listening`)));
  });
  return {
    port,
    serverPid: child.pid!,
    hostPid: undefined,
    stop: async () => {
      child.kill("SIGTERM");
      await endChild(child, 3000);
      return undefined;
    },
  };
}

/** Starts the bench's server traced (`mode`) behind a CLI-side host (traced-host/); resolves once it listens. */
export async function startTraced(mode: Config, options: RunOptions): Promise<Started> {
  const nodeOptions = serverNodeOptions(options);
  const host = fork(fileURLToPath(new URL("../traced-host/index.js", import.meta.url)), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      ...process.env,
      ...serverEnv(options),
      BENCH_MODE: mode,
      ...(options.server ? { BENCH_SERVER: options.server } : {}),
      ...(options.tapOutgoing ? { BENCH_TAP_OUTGOING: "1" } : {}), ...(mode === "before" ? { BENCH_BEFORE: JSON.stringify(BEFORE) } : {}), ...(nodeOptions ? { BENCH_CHILD_NODE_OPTIONS: nodeOptions } : {}),
    },
    // Flags for the CLI-side host alone (bench/profile.js's memory probe of the collector).
    execArgv: options.hostExecArgv ?? [],
    serialization: "advanced",
  });
  const ready = await once(host, "ready", 25_000, `traced host (${mode})`);
  return {
    port: ready.port!,
    serverPid: ready.serverPid!,
    hostPid: host.pid,
    counts: async () => {
      const reply = once(host, "counts", 10_000, "traced host counts");
      host.send({ t: "counts" });
      return (await reply).counts;
    },
    stop: async () => {
      const stats = once(host, "stats", 15_000, "traced host stop");
      host.send({ t: "stop" });
      const result: HostResult = await stats.catch((error: Error) => ({ error: error.message }));
      await endChild(host, 3000);
      return result;
    },
  };
}

/** The load processes' reports added up: one latency histogram, total counts. */
export function sumReports(reports: readonly LoadReport[]): { hist: Float64Array; acked: number; errors: number; lost: number } {
  const hist = histogram();
  let acked = 0;
  let errors = 0;
  let lost = 0;
  for (const report of reports) {
    merge(hist, report.hist);
    acked += report.acked;
    errors += report.errors;
    lost += report.lost;
  }
  return { hist, acked, errors, lost };
}

/**
 * Runs `profile` against a server in configuration `config`; returns the measurements.
 * profile: { processes, clients, inFlight?, intervalMs?, durationMs, maxMessages }
 * options (bench/profile.js): { profileDir?, preloads?: string[], nodeFlags?: string[], env? } for the server process,
 * { hostExecArgv? } for the CLI-side host.
 */
export async function runOnce(config: Config, profile: LoadProfile, options: RunOptions = {}) {
  const spawnedAt = performance.now();
  const started = config === "bare" ? await startBare(options) : await startTraced(config, options);
  const listenMs = performance.now() - spawnedAt;
  let stopping: ReturnType<Started["stop"]> | undefined;
  const server = { ...started, stop: () => (stopping ??= started.stop()) };
  const loads: ChildProcess[] = [];
  try {
    for (let i = 0; i < profile.processes; i++) {
      loads.push(
        fork(fileURLToPath(new URL("../load-client/index.js", import.meta.url)), [], {
          stdio: ["ignore", "inherit", "inherit", "ipc"],
          execArgv: [],
          env: {
            ...process.env,
            BENCH_LOAD: JSON.stringify({
              url: `http://127.0.0.1:${server.port}`,
              clients: profile.clients,
              inFlight: profile.inFlight,
              intervalMs: profile.intervalMs,
              payloadBytes: profile.payloadBytes,
            }),
          },
        }),
      );
    }
    await Promise.all(loads.map((load, i) => once(load, "ready", 60_000, `load process ${i}`)));
    // Let the connection phase (and its trace) drain before the window opens.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const countsBefore = server.counts ? await server.counts() : undefined;
    // Our processes are idle now (connected, not sending): whatever is busy is someone else.
    const quiet = await waitForQuiet();
    const loadCpu = (): number => loads.reduce((sum, load) => sum + cpuMicros(load.pid!), 0);
    const before = { server: cpuMicros(server.serverPid), host: server.hostPid ? cpuMicros(server.hostPid) : NaN, load: loadCpu(), machine: machineCpu() };
    const hostRssBefore = server.hostPid ? memory(server.hostPid).rss : NaN;
    const serverRssBefore = memory(server.serverPid).rss;
    const stopSampling = sampleRss(server.hostPid ? [server.serverPid, server.hostPid] : [server.serverPid]);
    if (options.profileDir) process.kill(server.serverPid, "SIGUSR2");
    const windowStart = performance.now();
    const perProcess = Math.ceil(profile.maxMessages / profile.processes);
    const done = loads.map((load, i) => once(load, "done", profile.durationMs + 20_000, `load process ${i}`));
    for (const load of loads) load.send({ t: "go", durationMs: profile.durationMs, maxMessages: perProcess });
    const reports = await Promise.all(done);
    const windowMs = performance.now() - windowStart;
    const after = { server: cpuMicros(server.serverPid), host: server.hostPid ? cpuMicros(server.hostPid) : NaN, load: loadCpu(), machine: machineCpu() };
    const samples = stopSampling();
    const countsAfter = server.counts ? await server.counts() : undefined;
    const serverMem = memory(server.serverPid);
    const hostMem = server.hostPid ? memory(server.hostPid) : { rss: NaN, hwm: NaN };

    const { hist, acked, errors, lost } = sumReports(reports);
    const half = (list: readonly { t: number; rss: number }[]): number => list.find((s) => s.t >= windowMs / 2)?.rss ?? NaN;
    return {
      config,
      acked,
      errors,
      lost,
      windowMs,
      msgPerSec: acked / (windowMs / 1000),
      listenMs,
      p50us: quantile(hist, 0.5),
      p99us: quantile(hist, 0.99),
      serverCpuUsPerMsg: (after.server - before.server) / acked,
      hostCpuUsPerMsg: (after.host - before.host) / acked,
      serverCpuShare: (after.server - before.server) / (windowMs * 1000),
      hostCpuShare: (after.host - before.host) / (windowMs * 1000),
      loadCpuShare: (after.load - before.load) / (windowMs * 1000),
      machineBusy: (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total),
      // CPUs' worth of work during the window that was not the server, the CLI side or the load.
      foreignCpu:
        (((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * cpus().length) -
        (after.server - before.server + (server.hostPid ? after.host - before.host : 0) + after.load - before.load) / (windowMs * 1000),
      quietBefore: quiet as Quiet,
      serverPeakRss: serverMem.hwm,
      serverRssBefore,
      serverRssMid: half(samples[0]),
      serverRssEnd: samples[0].at(-1)?.rss ?? NaN,
      hostPeakRss: hostMem.hwm,
      hostRssBefore,
      hostRssMid: samples[1] ? half(samples[1]) : NaN,
      hostRssEnd: samples[1]?.at(-1)?.rss ?? NaN,
      recordsPerMsg: countsAfter && countsBefore ? (countsAfter.records - countsBefore.records) / acked : NaN,
      chunksPerMsg: countsAfter && countsBefore ? (countsAfter.chunks - countsBefore.chunks) / acked : NaN,
      // Records dropped (and counted) per message: by the recorder when full, by the traced
      // process when the CLI falls behind, or by the collector past its limits.
      droppedPerMsg: countsAfter && countsBefore ? ((countsAfter.droppedCalls ?? 0) - (countsBefore.droppedCalls ?? 0)) / acked : NaN,
      // Of those, the ones the traced process shed itself (not sent); the rest were dropped by the collector's limits.
      shedByServerPerMsg: countsAfter && countsBefore ? (countsAfter.shedByServer - countsBefore.shedByServer) / acked : NaN,
      host: await server.stop(),
    };
  } finally {
    for (const load of loads) if (load.exitCode === null) load.kill("SIGTERM");
    await Promise.all(loads.map((load) => endChild(load, 3000)));
    await server.stop().catch(() => undefined);
  }
}

/** One run's measurements, as {@link runOnce} returns them. */
export type RunResult = Awaited<ReturnType<typeof runOnce>>;
