#!/usr/bin/env node
// `npm run bench`: trace-socket's overhead on a real socket.io server, and its start-up and
// export times, measured side by side in one run and checked against the budgets
// (lib/budgets.ts). The report is markdown on stdout, ready to paste into BENCHMARKS.md.
//
//   node dist/bench/run/index.js [--quick] [--runs N] [--only load,servers,startup,stepper,export]
//                                [--long SECONDS (alone: only that section)] [--out results.json]
//
// Load: a bare socket.io echo server (echo-server/) against the same server under
// trace-socket, frames only and frames + full call paths (traced-host/ plays the CLI's part),
// loaded by socket.io-client processes (load-client/) on 127.0.0.1. Configurations are
// interleaved (bare, frames, full, bare, …), medians of N runs each.
//
// Servers (issue 16): two socket.io servers on the Redis adapter and a real redis-server, both
// bare against both traced, a message crossing from one server's client to the other's.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { loads } from "../lib/budgets.js";
import { loadSection, longSection } from "../lib/load-report.js";
import { machine } from "../lib/machine.js";
import { CLK_TCK } from "../lib/proc.js";
import { Report } from "../lib/report.js";
import { twoServerLoad } from "../lib/two-servers.js";
import { serversSection } from "../lib/two-servers-report.js";
import { exportSection, startupSection, stepperSection } from "../lib/startup-report.js";
import { fmt } from "../lib/stats.js";
import { badFlag, positiveNumber, readFlags } from "../lib/flags.js";

const flags = readFlags({
  quick: { type: "boolean", default: false },
  runs: { type: "string" },
  only: { type: "string" },
  long: { type: "string" },
  out: { type: "string" },
});
const RUNS = positiveNumber("runs", flags.runs, flags.quick ? 1 : 3);
const ALL_SECTIONS = ["load", "servers", "startup", "stepper", "export"];
// `--long` alone runs the long section only; with `--only`, those sections too.
const SECTIONS = new Set(flags.only !== undefined ? flags.only.split(",") : flags.long ? [] : ALL_SECTIONS);
for (const section of SECTIONS) if (!ALL_SECTIONS.includes(section)) badFlag(`--only: no section "${section}" (sections: ${ALL_SECTIONS.join(", ")})`);
const LOADS = loads(flags.quick);
const report = new Report();
const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, "");

const started = performance.now();
const m = machine();
report.results.machine = m;
report.print("## trace-socket benchmark");
report.print();
report.print(`Machine: ${m.nproc} CPU(s), ${m.cpuModel}${m.mhz ? ` @ ${Math.round(Number(m.mhz))} MHz` : ""}; memory ${m.memory}; Node ${m.node}; ${m.kernel}.`);
report.print(`Command: \`${command}\`. CPU times from \`/proc/<pid>/stat\` (CLK_TCK ${CLK_TCK}). Load average at the start: ${m.loadavg}.`);
report.print();
if (SECTIONS.has("load")) {
  await loadSection(report, "saturation", LOADS.saturation, RUNS);
  await loadSection(report, "light", LOADS.light, RUNS);
}
if (SECTIONS.has("servers")) await serversSection(report, twoServerLoad(flags.quick), RUNS);
if (flags.long) await longSection(report, LOADS.saturation, positiveNumber("long", flags.long, 60));
if (SECTIONS.has("startup")) await startupSection(report, RUNS);
if (SECTIONS.has("stepper")) await stepperSection(report, RUNS);
if (SECTIONS.has("export")) await exportSection(report, RUNS);

report.print("### Budgets");
report.print();
report.printVerdicts();
report.print();
report.print(`Total bench time: ${fmt((performance.now() - started) / 1000)} s; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}.`);
if (flags.out) {
  writeFileSync(flags.out, JSON.stringify({ ...report.results, verdicts: report.verdicts, report: report.lines.join("\n") }, null, 1));
  report.log(`results written to ${flags.out}`);
}
