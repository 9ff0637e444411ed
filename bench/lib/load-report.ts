// The load sections of the report: each configuration under one load, interleaved run by run
// (bare, frames, full, bare, …), medians, ratios to bare, memory, and the load's budgets.
import { CONFIGS, runOnce, type Config, type RunResult } from "./load-run.js";
import { BUDGET, type TitledLoad } from "./budgets.js";
import type { Report } from "./report.js";
import { fmt, median, mib, rateCells, table } from "./stats.js";

const MB = 1048576;

/** The numbers whose medians the tables show. */
const KEYS = [
  "msgPerSec", "p50us", "p99us", "serverCpuUsPerMsg", "hostCpuUsPerMsg", "serverPeakRss", "serverRssBefore", "serverRssMid", "serverRssEnd",
  "hostPeakRss", "hostRssBefore", "hostRssMid", "hostRssEnd", "recordsPerMsg", "droppedPerMsg", "shedByServerPerMsg", "chunksPerMsg", "machineBusy", "foreignCpu",
  "listenMs", "windowMs", "errors", "lost",
] as const;

type Key = (typeof KEYS)[number];
type Summary = Record<Config, Record<Key, number>>;
/** A run, or why it failed. */
type Outcome = RunResult | { readonly config: Config; readonly failed: string };

const LABEL: Record<Config, string> = { bare: "bare socket.io", frames: "traced, frames only", full: "traced, frames + full call paths", before: "the same, previous settings (25 ms flush, 250 k records)" };
const SHORT: Record<Config, string> = { bare: "bare", frames: "frames only", full: "full tracing", before: "full, previous settings" };

function ok(outcome: Outcome): outcome is RunResult {
  return !("failed" in outcome);
}

/** Runs every configuration `runs` times under `load`, interleaved; prints the tables and records the budgets. */
export async function loadSection(report: Report, name: "saturation" | "light", load: TitledLoad, runs: number): Promise<void> {
  const outcomes = Object.fromEntries(CONFIGS.map((c) => [c, [] as Outcome[]])) as Record<Config, Outcome[]>;
  for (let round = 1; round <= runs; round++) {
    for (const config of CONFIGS) {
      report.log(`[${name}] round ${round}/${runs}: ${config}…`);
      try {
        const r = await runOnce(config, load);
        outcomes[config].push(r);
        report.log(`  ${fmt(r.msgPerSec)} msg/s, p99 ${fmt(r.p99us / 1000, 1)} ms, server ${fmt(r.serverCpuUsPerMsg, 1)} µs/msg, peak RSS ${mib(r.serverPeakRss)}, dropped/msg ${fmt(r.droppedPerMsg, 1)}`);
      } catch (error) {
        report.log(`  failed: ${(error as Error).message}`);
        outcomes[config].push({ config, failed: (error as Error).message });
      }
    }
  }
  const good = (config: Config): RunResult[] => outcomes[config].filter(ok);
  const summary = Object.fromEntries(
    CONFIGS.map((config) => [config, Object.fromEntries(KEYS.map((key) => [key, median(good(config).map((r) => r[key]))]))]),
  ) as Summary;
  report.results[name] = { load, summary, outcomes };
  const bare = summary.bare;
  const ratio = (config: Config, key: Key): number => summary[config][key] / bare[key];

  report.print(`### ${load.title}`);
  report.print();
  report.print(`${runs} run(s) per configuration, interleaved; ${load.durationMs / 1000} s window; medians.`);
  report.print();
  report.print(
    table(
      ["", "msg/s", "p50 RTT", "p99 RTT", "server CPU / msg", "CLI-side CPU / msg", "server peak RSS", "CLI peak RSS", "records / msg reaching the CLI", "records / msg dropped (counted; of them shed by the traced process)", "spawn → listening"],
      CONFIGS.map((config) => {
        const s = summary[config];
        const traced = config !== "bare";
        return [
          LABEL[config],
          ...rateCells(s, traced),
          mib(s.serverPeakRss),
          traced ? mib(s.hostPeakRss) : "–",
          traced ? fmt(s.recordsPerMsg, 1) : "–",
          traced ? `${fmt(s.droppedPerMsg, 1)} (${fmt(s.shedByServerPerMsg, 1)})` : "–",
          `${fmt(s.listenMs)} ms`,
        ];
      }),
    ),
  );
  report.print();
  report.print(
    table(
      ["ratio to bare", "msg/s", "p50 RTT", "p99 RTT", "server CPU / msg", "server peak RSS"],
      CONFIGS.filter((c) => c !== "bare").map((config) => [
        SHORT[config],
        ...(["msgPerSec", "p50us", "p99us", "serverCpuUsPerMsg", "serverPeakRss"] as const).map((key) => `${fmt(ratio(config, key), 2)}×`),
      ]),
    ),
  );
  report.print();
  report.print(
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
  report.print();
  const perRun = (key: Key, scale = 1, digits = 1): string => CONFIGS.map((c) => `${c}: ${good(c).map((r) => fmt(r[key] / scale, digits)).join(", ")}`).join("; ");
  report.print(`Per run (in order), server CPU µs/msg — ${perRun("serverCpuUsPerMsg")}; p99 ms — ${perRun("p99us", 1000)}.`);
  const unquiet = CONFIGS.flatMap((c) => good(c)).filter((r) => !r.quietBefore.quiet).length;
  report.print(
    `Other work on the machine during the windows (not the server, CLI side or load; median): ${CONFIGS.map((c) => `${c} ${fmt(summary[c].foreignCpu, 2)}`).join(", ")} CPUs; runs that started without a quiet machine: ${unquiet}.`,
  );
  const failures = CONFIGS.flatMap((c) => outcomes[c].filter((r) => !ok(r)).map((r) => `${c}: ${"failed" in r ? r.failed : ""}`));
  if (failures.length) report.print(`\nFailed runs: ${failures.join("; ")}`);
  const missing = CONFIGS.map((c) => summary[c].errors + summary[c].lost).reduce((a, b) => a + b, 0);
  if (missing > 0) report.print(`\nAcks timed out or missing (median per config): ${CONFIGS.map((c) => `${c} ${summary[c].errors + summary[c].lost}`).join(", ")}`);
  report.print();
  budgets(report, name, summary, ratio);
}

function budgets(report: Report, name: "saturation" | "light", summary: Summary, ratio: (config: Config, key: Key) => number): void {
  const shed = (config: Config): void => {
    const dropped = summary[config].droppedPerMsg;
    report.verdict(`${SHORT[config]}: records shed at ${name === "light" ? "500 msg/s" : "saturation"}`, `${fmt(dropped, 1)} per message`, "0", dropped === 0);
  };
  if (name === "light") {
    for (const config of ["frames", "full"] as const) {
      const p99 = ratio(config, "p99us");
      report.verdict(`${SHORT[config]}: p99 round trip at 500 msg/s`, `${fmt(p99, 2)}×`, `≤ ${BUDGET.lightP99}×`, p99 <= BUDGET.lightP99);
    }
    shed("full");
    shed("before");
    report.verdict("light load (informative): server CPU per message, full / frames only", `${fmt(ratio("full", "serverCpuUsPerMsg"), 2)}× / ${fmt(ratio("frames", "serverCpuUsPerMsg"), 2)}×`, "–", undefined);
    return;
  }
  const fullCpu = ratio("full", "serverCpuUsPerMsg");
  const fullP99 = ratio("full", "p99us");
  const framesCpu = ratio("frames", "serverCpuUsPerMsg");
  report.verdict("full tracing: server CPU per message at saturation", `${fmt(fullCpu, 2)}×`, `≤ ${BUDGET.fullCpu}×`, fullCpu <= BUDGET.fullCpu);
  report.verdict("full tracing: p99 round trip at saturation", `${fmt(fullP99, 2)}×`, `≤ ${BUDGET.fullP99}×`, fullP99 <= BUDGET.fullP99);
  shed("full");
  shed("before");
  report.verdict(`full, previous settings: server CPU per message at saturation (informative)`, `${fmt(ratio("before", "serverCpuUsPerMsg"), 2)}×`, "–", undefined);
  report.verdict("frames only: server CPU per message at saturation", `${fmt(framesCpu, 2)}×`, `≤ ${BUDGET.framesCpu}×`, framesCpu <= BUDGET.framesCpu);
  for (const config of ["frames", "full"] as const) {
    const s = summary[config];
    const serverExtra = (s.serverPeakRss - summary.bare.serverPeakRss) / MB;
    const serverGrowth = (s.serverRssEnd - s.serverRssMid) / MB;
    const hostExtra = (s.hostPeakRss - s.hostRssBefore) / MB;
    const hostGrowth = (s.hostRssEnd - s.hostRssMid) / MB;
    report.verdict(
      `${SHORT[config]}: memory (traced server over bare; CLI collector growth)`,
      `server +${fmt(serverExtra)} MB (+${fmt(serverGrowth)} MB in the window's 2nd half); collector +${fmt(hostExtra)} MB (+${fmt(hostGrowth)} MB in the 2nd half)`,
      `≤ ${BUDGET.memoryMB} MB, flat`,
      serverExtra <= BUDGET.memoryMB && serverGrowth <= 8 && hostGrowth <= 8,
    );
  }
}

/** Each configuration once for `seconds` at saturation: memory over time. */
export async function longSection(report: Report, load: TitledLoad, seconds: number): Promise<void> {
  report.print(`### Long run: ${seconds} s at saturation (memory over time)`);
  report.print();
  const rows: string[][] = [];
  for (const config of CONFIGS) {
    report.log(`[long] ${config} for ${seconds} s…`);
    const r = await runOnce(config, { ...load, durationMs: seconds * 1000, maxMessages: 50_000_000 });
    rows.push([
      config,
      fmt(r.msgPerSec),
      `${mib(r.serverRssBefore)} → ${mib(r.serverRssMid)} → ${mib(r.serverRssEnd)}`,
      mib(r.serverPeakRss),
      config === "bare" ? "–" : `${mib(r.hostRssBefore)} → ${mib(r.hostRssMid)} → ${mib(r.hostRssEnd)}`,
      config === "bare" ? "–" : `${fmt(r.host?.dropped?.calls)} calls, ${fmt(r.host?.dropped?.chunks)} chunks`,
    ]);
    report.results[`long-${config}`] = r;
  }
  report.print(table(["", "msg/s", "server RSS start → mid → end", "server peak", "CLI RSS start → mid → end", "dropped (counted)"], rows));
  report.print();
}
