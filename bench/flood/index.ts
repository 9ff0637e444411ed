#!/usr/bin/env node
// The bounded-memory flood: many socket.io-client processes emit "chat message" at full
// rate at the traced chat server (the real Runner, in a host process playing the CLI),
// for a fixed time. Samples the RSS of the CLI side and of the traced process from /proc,
// then has the host assemble and render the trace and checks that everything the trace
// does not hold is counted in `trace.dropped`. Traffic goes to 127.0.0.1 only.
//
//   node bench/flood.js [--seconds 30] [--processes 4] [--clients 25] [--sample-ms 250]
//                       [--cli-budget-mb 512] [--traced-budget-mb 512] [--baseline] [--json]
//
// --baseline first floods the same server untraced (`node traces/chat/server.mjs`) the same
// way, for the RSS socket.io itself reaches under that load.
// Exit code 0 when both processes stayed under budget and the accounting holds, 1 otherwise.
// Needs a build (`npx tsc -p .`): the host runs dist/.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { endChild, memory } from "../lib/proc.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { Dropped } from "../../src/trace/model.js";
import { positiveNumber, readFlags } from "../lib/flags.js";

/** A flood client's totals. */
interface ClientTotals {
  readonly sent: number;
  readonly received: number;
  readonly receivedBytes: number;
  readonly disconnects: number;
}

/** What bench/flood-host reports once the trace is assembled. */
interface HostReport {
  readonly failure: unknown;
  readonly exit: { readonly code: number | null; readonly signal: string | null };
  readonly notes: readonly string[];
  readonly dropped: Dropped;
  readonly overflow: { readonly batches: number; readonly bytes: number };
  readonly seen: { readonly records: number; readonly shedRanges: number; readonly shedTurns: number; readonly recordGaps: number; readonly chunkGaps: number; readonly tapChunks: number; readonly tapDroppedChunks: number; readonly tapBytes: number; readonly tapDroppedBytes: number };
  readonly kept: { readonly records: number; readonly cliDropped: number; readonly chunks: number; readonly bytes: number; readonly outBytes: number };
  readonly traceMs: number;
  readonly renderMs: number;
  /** The trace's folded turns: how many, the most rows any step's list held in memory, the blocks spilled to disk. */
  readonly turnLists: { readonly lists: number; readonly turns: number; readonly maxHotRows: number; readonly spilledBlocks: number };
  /** The heap each part of the trace held, by part (bench/flood-host's `heldBy`). */
  readonly held: Readonly<Record<string, number>>;
  /** The host's memory at each stage of the run (bench/flood-host's `stage`). */
  readonly stages: readonly { readonly stage: string; readonly rss: number; readonly hwm: number; readonly heapUsed: number; readonly external: number; readonly arrayBuffers: number }[];
}

/** The messages of the flood's children, by tag. */
interface FloodMessages {
  ready: { url: string; tracedPid: number };
  done: ClientTotals;
  report: HostReport;
}

/** RSS per named process at one time. */
type Sample = { t: number } & Record<string, number>;

const MB = 1024 * 1024;

const flags = readFlags({
  seconds: { type: "string", default: "30" },
  processes: { type: "string", default: "4" },
  clients: { type: "string", default: "25" },
  "sample-ms": { type: "string", default: "250" },
  "cli-budget-mb": { type: "string", default: "512" },
  "traced-budget-mb": { type: "string", default: "512" },
  "max-messages": { type: "string", default: "5000000" },
  baseline: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
});
const options = {
  durationMs: positiveNumber("seconds", flags.seconds, 30) * 1000,
  processes: positiveNumber("processes", flags.processes, 4),
  clients: positiveNumber("clients", flags.clients, 25),
  sampleMs: positiveNumber("sample-ms", flags["sample-ms"], 250),
  cliBudget: positiveNumber("cli-budget-mb", flags["cli-budget-mb"], 512) * MB,
  tracedBudget: positiveNumber("traced-budget-mb", flags["traced-budget-mb"], 512) * MB,
  maxMessages: positiveNumber("max-messages", flags["max-messages"], 5000000),
};

/** Waits for the first IPC message of type `t` (or fails on "error", exit or timeout). */
function next<K extends keyof FloodMessages>(child: ChildProcess, t: K, timeoutMs: number, what: string): Promise<FloodMessages[K]> {
  return new Promise((resolve, reject) => {
    const done = <V>(fn: (value: V) => void, value: V): void => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      fn(value);
    };
    const onMessage = (message: { t?: string; message?: string } | undefined): void => {
      if (message?.t === "error") done(reject, new Error(`${what}: ${message.message}`));
      else if (message?.t === t) done(resolve, message as unknown as FloodMessages[K]);
    };
    const onExit = (code: number | null, signal: string | null): void => done(reject, new Error(`${what} exited (${signal ?? code}) before "${t}"`));
    const timer = setTimeout(() => done(reject, new Error(`${what}: no "${t}" within ${timeoutMs} ms`)), timeoutMs);
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Ends a child we started: SIGTERM, then SIGKILL after `ms`. */
const stop = (child: ChildProcess, ms = 3000): Promise<void> => endChild(child, ms, { terminate: true });

/** Starts the flood processes on `url`, waits until all are connected. */
async function startClients(url: string, children: ChildProcess[]): Promise<ChildProcess[]> {
  const clients = Array.from({ length: options.processes }, () => {
    const child = fork(fileURLToPath(new URL("../flood-client/index.js", import.meta.url)), [], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      execArgv: [],
      env: { ...process.env, FLOOD_CLIENT: JSON.stringify({ url, clients: options.clients }) },
    });
    children.push(child);
    return child;
  });
  await Promise.all(clients.map((c, i) => next(c, "ready", 30_000, `flood client ${i + 1}`)));
  return clients;
}

/** Floods for the configured time; returns the clients' totals. */
async function runClients(clients: ChildProcess[]): Promise<ClientTotals> {
  const perProcess = Math.ceil(options.maxMessages / options.processes);
  const results = await Promise.all(clients.map((c, i) => {
    const done = next(c, "done", options.durationMs + 30_000, `flood client ${i + 1}`);
    c.send({ t: "go", durationMs: options.durationMs, maxMessages: perProcess });
    return done;
  }));
  await Promise.all(clients.map((c) => stop(c)));
  const sum = (key: keyof ClientTotals): number => results.reduce((n, r) => n + r[key], 0);
  return { sent: sum("sent"), received: sum("received"), receivedBytes: sum("receivedBytes"), disconnects: sum("disconnects") };
}

/** Samples RSS (and keeps the peak VmHWM) of named processes until the returned stop is called. */
function sampler(pids: Record<string, number>): () => { samples: Sample[]; peaks: Record<string, number> } {
  const samples: Sample[] = [];
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const started = performance.now();
  const tick = (): void => {
    const sample = { t: Math.round(performance.now() - started) } as Sample;
    for (const [name, pid] of Object.entries(pids)) {
      const { rss, hwm } = memory(pid);
      sample[name] = rss;
      // VmHWM is gone with the process: keep the last value read.
      if (Number.isFinite(hwm)) peaks[name] = Math.max(peaks[name], hwm);
    }
    samples.push(sample);
  };
  tick();
  const timer = setInterval(tick, options.sampleMs);
  return () => {
    clearInterval(timer);
    tick();
    return { samples, peaks };
  };
}

/** The same flood on the chat server untraced: its RSS is socket.io's own share. */
async function baseline(): Promise<ClientTotals & { samples: Sample[]; peak: number }> {
  const children: ChildProcess[] = [];
  const server = spawn(process.execPath, [join(PACKAGE_ROOT, "traces/chat/server.mjs")], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(server);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the untraced chat server did not listen within 10 s")), 10_000);
      createInterface({ input: server.stdout! }).on("line", (line) => {
        const m = /^chat listening on (\{.*\})$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve((JSON.parse(m[1]) as { port: number }).port);
        }
      });
    });
    const clients = await startClients(`http://127.0.0.1:${port}`, children);
    const stopSampling = sampler({ server: server.pid! });
    const totals = await runClients(clients);
    const { samples, peaks } = stopSampling();
    return { ...totals, samples, peak: peaks.server };
  } finally {
    await Promise.all(children.map((c) => stop(c)));
  }
}

async function flood(): Promise<ClientTotals & { options: typeof options; url: string; samples: Sample[]; peaks: Record<string, number>; host: HostReport }> {
  const children: ChildProcess[] = [];
  // --expose-gc: the host collects before measuring each stage, so a stage's heap is what it holds.
  const host = fork(fileURLToPath(new URL("../flood-host/index.js", import.meta.url)), [], { stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced", execArgv: ["--expose-gc"] });
  children.push(host);
  try {
    const { url, tracedPid } = await next(host, "ready", 30_000, "the flood host");
    const clients = await startClients(url, children);
    // Sampling goes on after the flood: the traced server works off its backlog, and the
    // CLI side assembles and renders the trace.
    const stopSampling = sampler({ cli: host.pid!, traced: tracedPid });
    const totals = await runClients(clients);
    const report = next(host, "report", process.env.FLOOD_HEAP_SNAPSHOT ? 900_000 : Math.max(120_000, options.durationMs / 2), "the flood host");
    host.send({ t: "finish" });
    const hostReport = await report;
    const { samples, peaks } = stopSampling();
    return { options, url, ...totals, samples, peaks, host: hostReport };
  } finally {
    await Promise.all(children.map((c) => stop(c)));
  }
}

/** The checks the flood must pass; each a name and whether it holds. */
function check(result: Awaited<ReturnType<typeof flood>>): [string, boolean][] {
  const { host, samples } = result;
  const max = (key: string): number => Math.max(...samples.map((s) => s[key]).filter(Number.isFinite));
  const { seen, kept, dropped } = host;
  return [
    ["clients sent messages", result.sent > 0],
    ["CLI-side peak RSS under budget (VmHWM, trace assembly included)", Math.max(max("cli"), result.peaks.cli) < options.cliBudget],
    ["traced process peak RSS under budget (VmHWM)", Math.max(max("traced"), result.peaks.traced) < options.tracedBudget],
    ["the traced server did not fail", host.failure === undefined],
    ["record batches arrived without gaps", seen.recordGaps === 0],
    ["chunks arrived without gaps", seen.chunkGaps === 0],
    ["records: kept + dropped = produced", kept.records + dropped.calls === seen.records],
    ["dropped calls: shed by the server + dropped by the CLI = all dropped", seen.shedRanges + seen.shedTurns + kept.cliDropped === dropped.calls],
    ["chunks: kept + dropped = captured + dropped by the tap", kept.chunks + dropped.chunks === seen.tapChunks + seen.tapDroppedChunks],
    ["bytes: kept + dropped = captured + dropped by the tap", kept.bytes + dropped.bytes === seen.tapBytes + seen.tapDroppedBytes],
    // Independent of the tracer's own counts: what the clients got, the server wrote.
    ["every byte the clients received is in the trace or counted as dropped (or the trace says it was cut)",
      kept.outBytes + dropped.bytes >= result.receivedBytes
        || (host.exit.signal === "SIGKILL" && host.notes.some((n) => /killed|missing from (this|the) trace|incomplete/i.test(n)))],
  ];
}

const base = flags.baseline ? await baseline() : undefined;
const result = { ...(await flood()), ...(base ? { baseline: base } : {}) };
const checks = check(result);
const ok = checks.every(([, holds]) => holds);
if (flags.json) {
  process.stdout.write(`${JSON.stringify({ ...result, checks, ok })}\n`);
} else {
  const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`;
  const max = (key: string): number => Math.max(...result.samples.map((s) => s[key]).filter(Number.isFinite));
  console.log(`flood: ${options.processes} processes × ${options.clients} clients for ${options.durationMs / 1000} s → ${result.url}`);
  if (base) {
    console.log(`  untraced baseline: sent ${base.sent}, received ${base.received} broadcasts; server RSS peak sampled ${mb(Math.max(...base.samples.map((s) => s.server).filter(Number.isFinite)))}, VmHWM ${mb(base.peak)}`);
  }
  console.log(`  traced: sent ${result.sent} messages, received ${result.received} broadcasts (${mb(result.receivedBytes)}), ${result.disconnects} disconnects`);
  console.log(`  CLI side RSS: peak sampled ${mb(max("cli"))}, VmHWM ${mb(result.peaks.cli)} (budget ${mb(options.cliBudget)})`);
  console.log(`  traced RSS:   peak sampled ${mb(max("traced"))}, VmHWM ${mb(result.peaks.traced)} (budget ${mb(options.tracedBudget)})`);
  console.log(`  trace: ${result.host.kept.records} records, ${result.host.kept.chunks} chunks (${mb(result.host.kept.bytes)}) kept; dropped ${JSON.stringify(result.host.dropped)}`);
  const { seen } = result.host;
  console.log(`  dropped calls, by where: shed by the traced server ${seen.shedRanges} (spans) + ${seen.shedTurns} (untimed turns it could not fold), dropped by the CLI side ${result.host.kept.cliDropped}`);
  console.log(`  overflow file: ${result.host.overflow.batches} batches, ${mb(result.host.overflow.bytes)} (written while the IPC channel was backed up, read back by the CLI)`);
  console.log(`  traced server exit at close: ${JSON.stringify(result.host.exit)}; trace() ${result.host.traceMs.toFixed(0)} ms, renderText ${result.host.renderMs.toFixed(0)} ms`);
  console.log(`  folded turns in the trace: ${JSON.stringify(result.host.turnLists)}`);
  console.log(`  of the heap, held by the trace's ${Object.entries(result.host.held).map(([part, bytes]) => `${part} ${mb(bytes)}`).join(", ")}`);
  for (const s of result.host.stages) console.log(`  CLI at ${s.stage}: RSS ${mb(s.rss)} (peak so far ${mb(s.hwm)}), heap ${mb(s.heapUsed)}, external ${mb(s.external)} (array buffers ${mb(s.arrayBuffers)})`);
  for (const [name, holds] of checks) console.log(`  ${holds ? "ok  " : "FAIL"} ${name}`);
}
process.exitCode = ok ? 0 : 1;
