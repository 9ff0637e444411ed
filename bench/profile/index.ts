#!/usr/bin/env node
// Where trace-socket's overhead goes (not part of `npm run bench`; ~3 minutes):
//
//   node bench/profile.js [--skip-profiles] [--skip-ablations] [--paced] [--out results.json]
//
// 1. CPU profiles of the server at saturation (bare, frames only, full), self time grouped
//    by category and expressed in µs per message.
// 2. Ablations at a fixed paced rate (so every variant handles the same traffic): parts of
//    trace-socket switched off one at a time by bench/ablate-preload.mjs, server CPU per
//    message compared, interleaved, medians.
// 3. A memory probe of the traced server at saturation: heap/external memory after a full
//    GC, event-loop delay, and IPC messages accepted by process.send but not yet written.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runOnce, type Config, type LoadProfile, type RunResult } from "../lib/load-run.js";
import type { ProfileSummary } from "../lib/profile-summary.js";
import { summarise } from "../lib/profile-summary.js";
import { fmt, median, mib, table } from "../lib/stats.js";
import { recorderMicro } from "../lib/recorder-micro.js";
import { positiveNumber, readFlags } from "../lib/flags.js";

const flags = readFlags({
  "skip-profiles": { type: "boolean", default: false },
  "skip-ablations": { type: "boolean", default: false },
  "skip-memory": { type: "boolean", default: false },
  "skip-micro": { type: "boolean", default: false },
  // The profiles at the ablations' paced rate instead of saturation: where the fixed costs per wake-up show.
  paced: { type: "boolean", default: false },
  rounds: { type: "string", default: "2" },
  out: { type: "string" },
});
const log = (text: string): boolean => process.stderr.write(`${text}\n`);
const print = (text = ""): boolean => process.stdout.write(`${text}\n`);
const results: Record<string, unknown> = {};

const SATURATION: LoadProfile = { processes: 5, clients: 10, inFlight: 10, durationMs: 6000, maxMessages: 2_000_000, payloadBytes: 64 };
const PACED: LoadProfile & { intervalMs: number } = { processes: 2, clients: 10, intervalMs: 20, durationMs: 4000, maxMessages: 10_000, payloadBytes: 64 };

if (!flags["skip-micro"]) {
  log("[micro] recorder per-call cost…");
  const m = (await recorderMicro()) as Record<string, number>;
  print("### Recorder micro-benchmark (one process, no I/O; ns per call, median of 7 × 2M calls)");
  print();
  print(
    table(
      ["", "ns"],
      [
        ["plain function call", fmt(m.plainNs, 1)],
        ["same function, transform's shape (`e(id); try { … } finally { x(id) }`), recorder calls no-ops", fmt(m.tryFinallyNoopNs, 1)],
        ["same function, recorded (enter + exit records)", fmt(m.recordedNs, 1)],
        ["one `performance.now()` (the recorder takes two per call)", fmt(m.performanceNowNs, 1)],
        [`a repeated turn (a root and 16 nested calls), per call: turn shapes off / on (A/B interleaved)`, `${fmt(m.turnCallNsShapesOff, 1)} / ${fmt(m.turnCallNsShapesOn, 1)}`],
        ["the same turns serialized for IPC, bytes per record: turn shapes off / on", `${fmt(m.turnBytesPerRecordShapesOff, 2)} / ${fmt(m.turnBytesPerRecordShapesOn, 2)}`],
        ["`v8.serialize` of a drained batch, per record", `${fmt(m.serializeNsPerRecord, 1)} (${fmt(m.bytesPerRecord, 1)} bytes per record)`],
      ],
    ),
  );
  print();
  results.micro = m;
}

if (!flags["skip-profiles"]) {
  const load = flags.paced ? PACED : SATURATION;
  print(`### CPU profile of the server ${flags.paced ? `at a paced ${fmt(PACED.processes * PACED.clients * (1000 / PACED.intervalMs))} msg/s` : "at saturation"} (self time, µs per message)`);
  print();
  const columns: { config: Config; r: RunResult; summary: ProfileSummary }[] = [];
  for (const config of ["bare", "frames", "full"] as const) {
    const dir = mkdtempSync(join(tmpdir(), "trace-socket-prof-"));
    log(`[profile] ${config}…`);
    const r = await runOnce(config, load, { profileDir: dir });
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (!file) throw new Error(`no CPU profile was written for ${config}`);
    const summary = summarise(JSON.parse(readFileSync(join(dir, file), "utf8")));
    rmSync(dir, { recursive: true, force: true });
    columns.push({ config, r, summary });
  }
  const categories = [...new Set(columns.flatMap((c) => c.summary.byCategory.map(([cat]) => cat)))].filter((cat) => cat !== "idle");
  const perMsg = (column: (typeof columns)[number], cat: string): number => ((column.summary.byCategory.find(([c]) => c === cat)?.[1] ?? 0) * 1000) / column.r.acked;
  categories.sort((a, b) => perMsg(columns[2], b) - perMsg(columns[2], a));
  print(
    table(
      ["category", ...columns.map((c) => c.config)],
      [
        ...categories.map((cat) => [cat, ...columns.map((c) => `${fmt(perMsg(c, cat), 1)} µs`)]),
        ["**sampled total**", ...columns.map((c) => `**${fmt((c.summary.busy * 1000) / c.r.acked, 1)} µs**`)],
        ["msg/s (under the profiler)", ...columns.map((c) => fmt(c.r.msgPerSec))],
        ["records / msg", ...columns.map((c) => fmt(c.r.recordsPerMsg, 1))],
      ],
    ),
  );
  print();
  for (const column of columns.slice(1)) {
    print(`Top self time, ${column.config}:`);
    print();
    print(table(["function", "share"], column.summary.byFunction.slice(0, 15).map(([label, ms]) => [`\`${label}\``, `${fmt((100 * ms) / column.summary.busy, 1)} %`])));
    print();
  }
  results.profiles = columns.map((c) => ({ config: c.config, acked: c.r.acked, byCategory: c.summary.byCategory, byFunction: c.summary.byFunction }));
}

if (!flags["skip-ablations"]) {
  const variants: [Config, string, string][] = [
    ["bare", "bare", ""],
    ["frames", "frames only", ""],
    ["frames", "frames only − async_hooks", "no-async-hooks"],
    ["frames", "frames only − IPC of chunks", "no-ipc"],
    ["frames", "frames only − tap", "no-tap"],
    ["full", "full", ""],
    ["full", "full − IPC of records/chunks", "no-ipc"],
    ["full", "full − async_hooks", "no-async-hooks"],
    ["full", "full, recorder calls are no-ops", "noop-recorder"],
    ["full", "full, no-op recorder − async_hooks − tap", "noop-recorder,no-async-hooks,no-tap"],
  ];
  const rounds = positiveNumber("rounds", flags.rounds, 2);
  const runs = variants.map((): RunResult[] => []);
  for (let round = 1; round <= rounds; round++) {
    for (const [i, [config, label, ablate]] of variants.entries()) {
      log(`[ablation] round ${round}/${rounds}: ${label}…`);
      const r = await runOnce(config, PACED, { preloads: [fileURLToPath(new URL("../preload/ablate.js", import.meta.url))], env: { BENCH_ABLATE: ablate } });
      runs[i].push(r);
      log(`  ${fmt(r.msgPerSec)} msg/s, ${fmt(r.serverCpuUsPerMsg, 1)} µs/msg`);
    }
  }
  // Each variant against the bare run of the same round, so that drift between rounds cancels.
  const paired = (i: number): number => median(runs[i].map((r, round) => r.serverCpuUsPerMsg / runs[0][round].serverCpuUsPerMsg));
  print(`### Ablations at a paced ${fmt(PACED.processes * PACED.clients * (1000 / PACED.intervalMs))} msg/s (${rounds} interleaved rounds, medians; ratio paired with the same round's bare run)`);
  print();
  print(
    table(
      ["variant", "msg/s", "server CPU / msg", "vs bare", "p99 RTT"],
      variants.map(([, label], i) => {
        const cpu = median(runs[i].map((r) => r.serverCpuUsPerMsg));
        return [label, fmt(median(runs[i].map((r) => r.msgPerSec))), `${fmt(cpu, 1)} µs`, `${fmt(paired(i), 2)}×`, `${fmt(median(runs[i].map((r) => r.p99us)) / 1000, 2)} ms`];
      }),
    ),
  );
  print();
  results.ablations = variants.map(([config, label, ablate], i) => ({ config, label, ablate, runs: runs[i].map(({ host: _host, ...rest }) => rest) }));
}

if (!flags["skip-memory"]) {
  const file = join(mkdtempSync(join(tmpdir(), "trace-socket-mem-")), "mem.jsonl");
  const hostFile = join(dirname(file), "host.jsonl");
  log("[memory] full tracing at saturation with the memory probe…");
  const r = await runOnce(
    "full",
    { ...SATURATION, durationMs: 10_000 },
    {
      preloads: [fileURLToPath(new URL("../preload/mem-probe.js", import.meta.url))],
      nodeFlags: ["--expose-gc"],
      env: { BENCH_MEM_FILE: file, BENCH_MEM_FILE_HOST: hostFile },
      // The same probe in the CLI-side host, writing to its own file.
      hostExecArgv: ["--expose-gc", "--import", fileURLToPath(new URL("../preload/mem-probe.js", import.meta.url))],
    },
  );
  const lines = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, number>);
  print("### Traced server (full) at saturation: memory and IPC backlog over time");
  print();
  print(
    table(
      ["t", "RSS", "heap used", "external", "event-loop delay p50", "records so far", "IPC messages not yet written"],
      lines
        .filter((l, i) => i % 2 === 1 || l.exit)
        .map((l) => [l.exit ? `${fmt(l.t / 1000, 1)} s (exit)` : `${fmt(l.t / 1000, 1)} s`, mib(l.rss), mib(l.heapUsed), mib(l.external), `${l.loopP50} ms`, fmt(l.seq), fmt(l.ipcPending)]),
    ),
  );
  print();
  print(`Records the CLI-side collector received: ${fmt(r.host?.counts?.records)} of ${fmt(lines.at(-1)?.seq)} recorded (collector drops counted: ${fmt(r.host?.dropped?.calls)}).`);
  print();
  try {
    const hostLines = readFileSync(hostFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, number>);
    print("CLI-side host (collector) over the same run, after a full GC each time:");
    print();
    print(
      table(
        ["t", "RSS", "heap used", "external", "array buffers"],
        hostLines.filter((l, i) => i % 2 === 1 || l.exit).map((l) => [`${fmt(l.t / 1000, 1)} s${l.exit ? " (exit)" : ""}`, mib(l.rss), mib(l.heapUsed), mib(l.external), mib(l.arrayBuffers)]),
      ),
    );
    print();
    results.hostMemory = hostLines;
  } catch {
    // The host probe wrote nothing.
  }
  results.memory = { lines, counts: r.host?.counts, dropped: r.host?.dropped };
  rmSync(dirname(file), { recursive: true, force: true });
}

if (flags.out) writeFileSync(flags.out, JSON.stringify(results, null, 1));
