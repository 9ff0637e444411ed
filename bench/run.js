#!/usr/bin/env node
// `npm run bench`: trace-socket's overhead on a real socket.io server, and its start-up and
// export times, measured side by side in one run and checked against the budgets of issue 8.
//
//   node bench/run.js [--quick] [--runs N] [--only load,startup,stepper,export]
//                     [--long SECONDS] [--out results.json]
//
// Load: a bare socket.io echo server (bench/echo-server.mjs) vs the same server under
// trace-socket, frames only and frames + full call paths (bench/traced-host.mjs plays the
// CLI's part), loaded by socket.io-client processes (bench/load-client.mjs) on 127.0.0.1.
// Configurations are interleaved (bare, frames, full, bare, …), medians of N runs each.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CONFIGS, runOnce } from "./load-run.mjs";
import { measureHeadless, measureStepper, STEPPER } from "./startup.mjs";
import { countEvents, measureExports, seedTrace, synthesize } from "./export-bench.mjs";
import { machine } from "./machine.mjs";
import { CLK_TCK } from "./proc.mjs";
import { fmt, median, mib, table } from "./stats.mjs";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    only: { type: "string" },
    long: { type: "string" },
    out: { type: "string" },
  },
});
const RUNS = Number(flags.runs ?? (flags.quick ? 1 : 3));
const SECTIONS = new Set((flags.only ?? "load,startup,stepper,export").split(","));
const MB = 1048576;

/** The loads. Bounded in time (durationMs) and in count (maxMessages, over all processes). */
const LOADS = {
  saturation: {
    title: "saturation: 5 processes × 10 clients × 10 in flight",
    processes: 5,
    clients: 10,
    inFlight: 10,
    durationMs: flags.quick ? 3000 : 6000,
    maxMessages: 2_000_000,
    payloadBytes: 64,
  },
  light: {
    title: "paced light load: 2 processes × 10 clients × 1 message every 40 ms (500 msg/s)",
    processes: 2,
    clients: 10,
    intervalMs: 40,
    durationMs: flags.quick ? 2000 : 4000,
    maxMessages: 10_000,
    payloadBytes: 64,
  },
};

/** Budgets of issue 8. */
const BUDGET = {
  fullCpu: 1.15,
  fullP99: 1.3,
  framesCpu: 1.05,
  memoryMB: 64,
  warmFirstStepMs: 1000,
  stepperPaintMs: 1500,
  exportMs: 2000,
};

const log = (text) => process.stderr.write(`${text}\n`);
const out = [];
const print = (text = "") => {
  out.push(text);
  process.stdout.write(`${text}\n`);
};
const results = { machine: machine(), command: `node bench/run.js ${process.argv.slice(2).join(" ")}`.trim(), clkTck: CLK_TCK, runs: RUNS, loads: {}, budgets: [] };
const verdict = (name, measured, budget, pass, note = "") => results.budgets.push({ name, measured, budget, pass, note });

async function loadSection(name) {
  const profile = LOADS[name];
  const runs = Object.fromEntries(CONFIGS.map((c) => [c, []]));
  for (let round = 1; round <= RUNS; round++) {
    for (const config of CONFIGS) {
      log(`[${name}] round ${round}/${RUNS}: ${config}…`);
      try {
        const r = await runOnce(config, profile);
        runs[config].push(r);
        log(`  ${fmt(r.msgPerSec)} msg/s, p99 ${fmt(r.p99us / 1000, 1)} ms, server ${fmt(r.serverCpuUsPerMsg, 1)} µs/msg, peak RSS ${mib(r.serverPeakRss)}`);
      } catch (error) {
        log(`  failed: ${error.message}`);
        runs[config].push({ config, failed: error.message });
      }
    }
  }
  const pick = (config, key) => median(runs[config].map((r) => r[key]));
  const summary = Object.fromEntries(
    CONFIGS.map((config) => [
      config,
      Object.fromEntries(
        [
          "msgPerSec",
          "p50us",
          "p99us",
          "serverCpuUsPerMsg",
          "hostCpuUsPerMsg",
          "serverPeakRss",
          "serverRssBefore",
          "serverRssMid",
          "serverRssEnd",
          "hostPeakRss",
          "hostRssBefore",
          "hostRssMid",
          "hostRssEnd",
          "recordsPerMsg",
          "droppedPerMsg",
          "chunksPerMsg",
          "machineBusy",
          "foreignCpu",
          "listenMs",
          "windowMs",
          "errors",
          "lost",
        ].map((key) => [key, pick(config, key)]),
      ),
    ]),
  );
  results.loads[name] = { profile, summary, runs };

  const bare = summary.bare;
  const ratio = (config, key) => summary[config][key] / bare[key];
  print(`### ${profile.title}`);
  print();
  print(`${RUNS} run(s) per configuration, interleaved; ${profile.durationMs / 1000} s window; medians.`);
  print();
  print(
    table(
      ["", "msg/s", "p50 RTT", "p99 RTT", "server CPU / msg", "CLI-side CPU / msg", "server peak RSS", "CLI peak RSS", "records / msg reaching the CLI in the window", "records / msg dropped (counted)", "spawn → listening"],
      CONFIGS.map((config) => {
        const s = summary[config];
        return [
          config === "bare" ? "bare socket.io" : config === "frames" ? "traced, frames only" : "traced, frames + full call paths",
          fmt(s.msgPerSec),
          `${fmt(s.p50us / 1000, 2)} ms`,
          `${fmt(s.p99us / 1000, 2)} ms`,
          `${fmt(s.serverCpuUsPerMsg, 1)} µs`,
          config === "bare" ? "–" : `${fmt(s.hostCpuUsPerMsg, 1)} µs`,
          mib(s.serverPeakRss),
          config === "bare" ? "–" : mib(s.hostPeakRss),
          config === "bare" ? "–" : fmt(s.recordsPerMsg, 1),
          config === "bare" ? "–" : fmt(s.droppedPerMsg, 1),
          `${fmt(s.listenMs)} ms`,
        ];
      }),
    ),
  );
  print();
  print(
    table(
      ["ratio to bare", "msg/s", "p50 RTT", "p99 RTT", "server CPU / msg", "server peak RSS"],
      CONFIGS.filter((c) => c !== "bare").map((config) => [
        config === "frames" ? "frames only" : "full",
        `${fmt(ratio(config, "msgPerSec"), 2)}×`,
        `${fmt(ratio(config, "p50us"), 2)}×`,
        `${fmt(ratio(config, "p99us"), 2)}×`,
        `${fmt(ratio(config, "serverCpuUsPerMsg"), 2)}×`,
        `${fmt(ratio(config, "serverPeakRss"), 2)}×`,
      ]),
    ),
  );
  print();
  print(
    table(
      ["memory over the window (medians)", "server RSS start → mid → end", "CLI RSS start → mid → end"],
      CONFIGS.map((config) => {
        const s = summary[config];
        return [
          config,
          `${mib(s.serverRssBefore)} → ${mib(s.serverRssMid)} → ${mib(s.serverRssEnd)}`,
          config === "bare" ? "–" : `${mib(s.hostRssBefore)} → ${mib(s.hostRssMid)} → ${mib(s.hostRssEnd)}`,
        ];
      }),
    ),
  );
  print(
    `Per run (in order), server CPU µs/msg — ${CONFIGS.map((c) => `${c}: ${runs[c].map((r) => fmt(r.serverCpuUsPerMsg, 1)).join(", ")}`).join("; ")}; p99 ms — ${CONFIGS.map((c) => `${c}: ${runs[c].map((r) => fmt(r.p99us / 1000, 1)).join(", ")}`).join("; ")}.`,
  );
  print(
    `Other work on the machine during the windows (not the server, CLI side or load; median): ${CONFIGS.map((c) => `${c} ${fmt(summary[c].foreignCpu, 2)}`).join(", ")} CPUs; runs that started without a quiet machine: ${CONFIGS.flatMap((c) => runs[c]).filter((r) => r.quietBefore && !r.quietBefore.quiet).length}.`,
  );
  const failures = CONFIGS.flatMap((c) => runs[c].filter((r) => r.failed).map((r) => `${c}: ${r.failed}`));
  if (failures.length) print(`\nFailed runs: ${failures.join("; ")}`);
  const errors = CONFIGS.map((c) => summary[c].errors + summary[c].lost).reduce((a, b) => a + b, 0);
  if (errors > 0) print(`\nAcks timed out or missing (median per config): ${CONFIGS.map((c) => `${c} ${summary[c].errors + summary[c].lost}`).join(", ")}`);
  print();

  if (name === "saturation") {
    const fullCpu = ratio("full", "serverCpuUsPerMsg");
    const fullP99 = ratio("full", "p99us");
    const framesCpu = ratio("frames", "serverCpuUsPerMsg");
    verdict("full tracing: server CPU per message at saturation", `${fmt(fullCpu, 2)}×`, `≤ ${BUDGET.fullCpu}×`, fullCpu <= BUDGET.fullCpu);
    verdict("full tracing: p99 round trip at saturation", `${fmt(fullP99, 2)}×`, `≤ ${BUDGET.fullP99}×`, fullP99 <= BUDGET.fullP99);
    verdict("frames only: server CPU per message at saturation", `${fmt(framesCpu, 2)}×`, `≤ ${BUDGET.framesCpu}×`, framesCpu <= BUDGET.framesCpu);
    for (const config of ["frames", "full"]) {
      const s = summary[config];
      const serverExtra = (s.serverPeakRss - bare.serverPeakRss) / MB;
      const serverGrowth = (s.serverRssEnd - s.serverRssMid) / MB;
      const hostExtra = (s.hostPeakRss - s.hostRssBefore) / MB;
      const hostGrowth = (s.hostRssEnd - s.hostRssMid) / MB;
      const fixed = serverGrowth <= 8 && hostGrowth <= 8;
      verdict(
        `${config === "full" ? "full tracing" : "frames only"}: recorder memory (traced server over bare; CLI collector growth)`,
        `server +${fmt(serverExtra)} MB (+${fmt(serverGrowth)} MB in the window's 2nd half); collector +${fmt(hostExtra)} MB (+${fmt(hostGrowth)} MB in the 2nd half)`,
        `≤ ${BUDGET.memoryMB} MB, fixed`,
        serverExtra <= BUDGET.memoryMB && hostExtra <= BUDGET.memoryMB && fixed,
      );
    }
  } else {
    const fullCpu = ratio("full", "serverCpuUsPerMsg");
    const framesCpu = ratio("frames", "serverCpuUsPerMsg");
    verdict("light load (informative): server CPU per message, full / frames only", `${fmt(fullCpu, 2)}× / ${fmt(framesCpu, 2)}×`, "–", undefined);
  }
}

async function longSection(seconds) {
  print(`### Long run: ${seconds} s at saturation (memory over time)`);
  print();
  const rows = [];
  for (const config of CONFIGS) {
    log(`[long] ${config} for ${seconds} s…`);
    const r = await runOnce(config, { ...LOADS.saturation, durationMs: seconds * 1000, maxMessages: 50_000_000 });
    rows.push([
      config,
      fmt(r.msgPerSec),
      `${mib(r.serverRssBefore)} → ${mib(r.serverRssMid)} → ${mib(r.serverRssEnd)}`,
      mib(r.serverPeakRss),
      config === "bare" ? "–" : `${mib(r.hostRssBefore)} → ${mib(r.hostRssMid)} → ${mib(r.hostRssEnd)}`,
      config === "bare" ? "–" : `${fmt(r.host?.dropped?.calls)} calls, ${fmt(r.host?.dropped?.chunks)} chunks`,
    ]);
    results.loads[`long-${config}`] = r;
  }
  print(table(["", "msg/s", "server RSS start → mid → end", "server peak", "CLI RSS start → mid → end", "dropped (counted)"], rows));
  print();
}

async function startupSection() {
  log("[startup] trace-socket --no-interactive, cold and warm…");
  const { cold, warm, viaRunner } = await measureHeadless(RUNS);
  results.startup = { cold, warm, viaRunner };
  const row = (label, list) => [
    label,
    `${fmt(median(list.map((r) => r.firstByteMs)))} ms`,
    `${fmt(median(list.map((r) => r.firstStepMs)))} ms`,
    `${fmt(median(list.map((r) => r.exitMs)))} ms`,
    list.map((r) => r.code).join(", "),
  ];
  print(`### Start-up: \`trace-socket --no-interactive\` (${RUNS} run(s) each, medians)`);
  print();
  print(table(["cache", "first byte on stdout", "`Step 1/8` printed", "exit", "exit codes"], [row("cold (empty TRACE_SOCKET_CACHE)", cold), row("warm (second run)", warm)]));
  print();
  const okRunner = viaRunner.filter((r) => r.ok);
  if (okRunner.length) {
    print(
      `Through the runner's API (bench/first-step.mjs, warm, ms since that process's clock started): modules loaded ${fmt(median(okRunner.map((r) => r.loadedMs)))} ms, ` +
        `traced server paused at step 1 ${fmt(median(okRunner.map((r) => r.startMs)))} ms, step 1 done ${fmt(median(okRunner.map((r) => r.firstStepMs)))} ms, ` +
        `all 8 steps done ${fmt(median(okRunner.map((r) => r.allStepsMs)))} ms — a headless mode that printed each step as it finished would show step 1 at about the "step 1 done" time.`,
    );
    print();
  } else if (viaRunner.length) {
    print(`Runner API timing unavailable: ${viaRunner[0].error}`);
    print();
  }
  const failed = [...cold, ...warm].filter((r) => r.code !== 0);
  if (failed.length) print(`Failed runs: ${failed.map((r) => `code ${r.code} ${r.signal ?? ""} ${r.stderr.split("\n").slice(-3).join(" ")}`).join("; ")}\n`);
  const warmStep = median(warm.map((r) => r.firstStepMs));
  verdict("warm start to first step printed", `${fmt(warmStep)} ms`, `≤ ${BUDGET.warmFirstStepMs} ms`, warmStep <= BUDGET.warmFirstStepMs);
  verdict("cold start to first step printed (informative)", `${fmt(median(cold.map((r) => r.firstStepMs)))} ms`, "–", undefined);
}

async function stepperSection() {
  print("### Stepper first paint (tmux, 80×24, warm cache)");
  print();
  const { args, via } = STEPPER;
  log("[stepper] first paint under tmux…");
  const list = await measureStepper(RUNS, args);
  results.stepper = { via, list };
  print(`Opened through ${via}; timed from spawning node until a frame shows the steps pane.`);
  print();
  const paint = median(list.map((r) => r.paintMs));
  if (!Number.isFinite(paint)) {
    const screen = list.find((r) => r.screen)?.screen ?? "";
    print(`The stepper did not show the steps list within 15 s. Last screen:\n\n\`\`\`\n${screen.trimEnd()}\n\`\`\``);
  } else {
    print(table(["", "first frame with the steps list"], [["warm", `${fmt(paint)} ms`]]));
  }
  print();
  verdict("stepper first paint", Number.isFinite(paint) ? `${fmt(paint)} ms` : "did not paint", `≤ ${BUDGET.stepperPaintMs} ms`, paint <= BUDGET.stepperPaintMs);
}

async function exportSection() {
  log("[export] seeding a 100,000-event trace…");
  const seed = await seedTrace();
  const trace = synthesize(seed, 100_000);
  const events = countEvents(trace);
  // The whole `trace-socket export` path (bench/export-100k.js, by the exporter's author) when
  // the CLI's export command is built; otherwise the renderers alone (bench/export-bench.mjs).
  let full;
  try {
    const { measureExport100k } = await import("./export-100k.js");
    full = await measureExport100k({ trace, runs: RUNS });
  } catch (error) {
    log(`  the export command's path is not measurable (${error.message.split("\n")[0]}); timing the renderers alone`);
  }
  if (full) {
    results.export = { events, chunks: trace.chunks.length, full };
    print(`### Export of a ${fmt(events)}-event trace (${fmt(events - trace.chunks.length)} call nodes + ${fmt(trace.chunks.length)} chunks; median of ${RUNS}; bench/export-100k.js)`);
    print();
    print(table(["phase", "time", "output"], full.rows.map((row) => [row.label, `${fmt(row.ms)} ms`, row.bytes === undefined ? "" : mib(row.bytes, 2)])));
    print();
    print(`First (cold) gathering of sources, which builds the source index: ${fmt(full.coldGatherMs)} ms (once per cache); trace file ${mib(full.traceFileBytes, 1)}.`);
    print();
    const md = full.rows[0];
    verdict(`100k-event markdown export (${md.label}, warm)`, `${fmt(md.ms)} ms`, `≤ ${BUDGET.exportMs} ms`, md.ms <= BUDGET.exportMs);
    return;
  }
  const list = await measureExports(trace, RUNS);
  results.export = { events, chunks: trace.chunks.length, list };
  print(`### Export of a ${fmt(events)}-event trace (${fmt(events - trace.chunks.length)} call nodes + ${fmt(trace.chunks.length)} chunks; render + write, median of ${RUNS})`);
  print();
  print(
    table(
      ["exporter", "time", "output"],
      list.map((e) => [e.label, e.skipped ? "skipped" : e.error ? `failed: ${e.error}` : `${fmt(median(e.times))} ms`, e.skipped ? e.skipped : `${mib(e.bytes, 1)} (${e.source})`]),
    ),
  );
  print();
  const md = list.find((e) => e.label === "markdown");
  if (md.phases) {
    print(
      `Markdown phases (median): gather sources ${fmt(median(md.phases.map((p) => p.gatherMs)))} ms (warm; the first, cold gather took ${fmt(md.coldGatherMs)} ms), ` +
        `render ${fmt(median(md.phases.map((p) => p.renderMs)))} ms; the rest of the time is the write.`,
    );
    print();
  }
  if (md.skipped) verdict("100k-event markdown export", "not measured", `≤ ${BUDGET.exportMs} ms`, undefined, md.skipped);
  else verdict("100k-event markdown export", md.error ? `failed: ${md.error}` : `${fmt(median(md.times))} ms`, `≤ ${BUDGET.exportMs} ms`, !md.error && median(md.times) <= BUDGET.exportMs);
}

const started = performance.now();
const m = results.machine;
print("## trace-socket benchmark");
print();
print(`Machine: ${m.nproc} CPU(s), ${m.cpuModel}${m.mhz ? ` @ ${Math.round(Number(m.mhz))} MHz` : ""}; memory ${m.memory}; Node ${m.node}; ${m.kernel}; load average at start ${m.loadavg}.`);
print(`Command: \`${results.command}\`. CPU times from /proc/<pid>/stat (CLK_TCK ${CLK_TCK}).`);
print();
if (SECTIONS.has("load")) {
  await loadSection("saturation");
  await loadSection("light");
}
if (flags.long) await longSection(Number(flags.long));
if (SECTIONS.has("startup")) await startupSection();
if (SECTIONS.has("stepper")) await stepperSection();
if (SECTIONS.has("export")) await exportSection();

print("### Budgets");
print();
print(
  table(
    ["budget", "measured", "limit", "result"],
    results.budgets.map((b) => [
      b.name,
      b.measured,
      b.budget,
      b.pass === undefined ? (b.note ? `not measured: ${b.note}` : "–") : `${b.pass ? "pass" : "**MISS**"}${b.note ? ` (${b.note})` : ""}`,
    ]),
  ),
);
print();
print(`Total bench time: ${fmt((performance.now() - started) / 1000)} s.`);
if (flags.out) {
  writeFileSync(flags.out, JSON.stringify({ ...results, report: out.join("\n") }, null, 1));
  log(`results written to ${flags.out}`);
}
