// One measured run of the two-server bench (issue 16): a real redis-server, two relay servers
// (relay-server/) on its Redis adapter, bare or both traced (each behind its own CLI-side host,
// as `trace-socket` runs several servers), loaded by relay-client/ processes with clients on both.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpuMicros, endChild, memory, waitForQuiet, type Quiet } from "./proc.js";
import { quantile } from "./histogram.js";
import { once, type HostCounts } from "./messages.js";
import { startBare, startTraced, sumReports, type HostResult, type Started } from "./load-run.js";

/** The configurations compared, in the order they are interleaved. */
export const TWO_CONFIGS = ["bare", "frames", "full"] as const;

/** One of {@link TWO_CONFIGS}: both servers bare, or both traced (frames only, or full). */
export type TwoConfig = (typeof TWO_CONFIGS)[number];

/** The load: processes, each with `clients` sockets on each server and `inFlight` messages per socket. */
export interface TwoServerLoad {
  readonly title: string;
  readonly processes: number;
  readonly clients: number;
  readonly inFlight: number;
  readonly payloadBytes: number;
  readonly durationMs: number;
  readonly maxMessages: number;
}

/** The two-server load, bounded in time and in count. */
export function twoServerLoad(quick: boolean): TwoServerLoad {
  return {
    title: "two servers on Redis: 1 process × 5 clients on each server × 5 in flight, every message broadcast to all 10 clients",
    processes: 1,
    clients: 5,
    inFlight: 5,
    payloadBytes: 64,
    durationMs: quick ? 3000 : 6000,
    maxMessages: 2_000_000,
  };
}

/** What one server (and its CLI-side host, when traced) spent over the window. */
export interface ServerWindow {
  readonly cpuUs: number;
  /** NaN when bare. */
  readonly hostCpuUs: number;
  readonly peakRss: number;
  /** Records dropped (counted) over the window; NaN when bare. */
  readonly dropped: number;
}

/** Per-message figures of the servers together: CPU and drops summed over them, per crossed message. */
export function combine(servers: readonly ServerWindow[], crossed: number, windowMs: number) {
  const sum = (key: keyof ServerWindow): number => servers.reduce((total, server) => total + server[key], 0);
  return {
    msgPerSec: crossed / (windowMs / 1000),
    serverCpuUsPerMsg: sum("cpuUs") / crossed,
    hostCpuUsPerMsg: sum("hostCpuUs") / crossed,
    peakRss: sum("peakRss"),
    droppedPerMsg: sum("dropped") / crossed,
  };
}

function dropped(before: HostCounts | undefined, after: HostCounts | undefined): number {
  return before && after ? (after.droppedCalls ?? 0) - (before.droppedCalls ?? 0) : NaN;
}

/** `started` with a stop that runs once, however often it is called (the run's end and its clean-up). */
function stopOnce(started: Started): Started {
  let stopping: ReturnType<Started["stop"]> | undefined;
  return { ...started, stop: () => (stopping ??= started.stop()) };
}

/** Runs `load` against two servers in configuration `config` on the Redis at `redisUrl`. */
export async function runTwoOnce(config: TwoConfig, load: TwoServerLoad, redisUrl: string) {
  const options = { server: "relay-server", env: { REDIS_URL: redisUrl }, tapOutgoing: true };
  const start = (): Promise<Started> => (config === "bare" ? startBare(options) : startTraced(config, options));
  const servers: Started[] = [];
  const loads: ChildProcess[] = [];
  const results: (HostResult | undefined)[] = [];
  try {
    servers.push(stopOnce(await start()), stopOnce(await start()));
    const urls = servers.map((server) => `http://127.0.0.1:${server.port}`) as [string, string];
    for (let i = 0; i < load.processes; i++) {
      loads.push(
        fork(fileURLToPath(new URL("../relay-client/index.js", import.meta.url)), [], {
          stdio: ["ignore", "inherit", "inherit", "ipc"],
          execArgv: [],
          env: { ...process.env, BENCH_LOAD: JSON.stringify({ urls, clients: load.clients, inFlight: load.inFlight, payloadBytes: load.payloadBytes }) },
        }),
      );
    }
    await Promise.all(loads.map((child, i) => once(child, "ready", 60_000, `relay load process ${i}`)));
    // Let the connection phase (and its trace) drain before the window opens, as load-run.ts does.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const countsBefore = await Promise.all(servers.map((server) => server.counts?.()));
    const quiet: Quiet = await waitForQuiet();
    const cpu = (): { server: number; host: number }[] => servers.map((s) => ({ server: cpuMicros(s.serverPid), host: s.hostPid ? cpuMicros(s.hostPid) : NaN }));
    const before = cpu();
    const windowStart = performance.now();
    const done = loads.map((child, i) => once(child, "done", load.durationMs + 20_000, `relay load process ${i}`));
    for (const child of loads) child.send({ t: "go", durationMs: load.durationMs, maxMessages: Math.ceil(load.maxMessages / load.processes) });
    const reports = await Promise.all(done);
    const windowMs = performance.now() - windowStart;
    const after = cpu();
    const countsAfter = await Promise.all(servers.map((server) => server.counts?.()));
    const windows: ServerWindow[] = servers.map((server, i) => ({
      cpuUs: after[i].server - before[i].server,
      hostCpuUs: after[i].host - before[i].host,
      peakRss: memory(server.serverPid).hwm,
      dropped: dropped(countsBefore[i], countsAfter[i]),
    }));
    const { hist, acked: crossed, lost } = sumReports(reports);
    for (const server of servers) results.push(await server.stop());
    return {
      config,
      crossed,
      lost,
      windowMs,
      p50us: quantile(hist, 0.5),
      p99us: quantile(hist, 0.99),
      ...combine(windows, crossed, windowMs),
      quietBefore: quiet,
      hosts: results,
    };
  } finally {
    for (const child of loads) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(loads.map((child) => endChild(child, 3000)));
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  }
}

/** One two-server run's measurements, as {@link runTwoOnce} returns them. */
export type TwoRunResult = Awaited<ReturnType<typeof runTwoOnce>>;
