// The start-up, stepper and export sections of the report.
import { BUDGET } from "./budgets.js";
import { countEvents, measureExports, seedTrace, synthesize } from "./export-bench.js";
import { measureExport100k } from "./export-100k.js";
import type { Report } from "./report.js";
import { measureHeadless, measureStepper, STEPPER, type HeadlessStart } from "./startup.js";
import { fmt, median, mib, table } from "./stats.js";

/** `trace-socket --no-interactive` cold and warm, and the runner's own times. */
export async function startupSection(report: Report, runs: number): Promise<void> {
  report.log("[startup] trace-socket --no-interactive, cold and warm…");
  const { cold, warm, viaRunner } = await measureHeadless(runs);
  report.results.startup = { cold, warm, viaRunner };
  const ms = (list: readonly HeadlessStart[], key: "firstByteMs" | "firstStepMs" | "exitMs"): string => `${fmt(median(list.map((r) => r[key] ?? NaN)))} ms`;
  const row = (label: string, list: readonly HeadlessStart[]): string[] => [label, ms(list, "firstByteMs"), ms(list, "firstStepMs"), ms(list, "exitMs"), list.map((r) => r.code ?? r.signal).join(", ")];
  report.print(`### Start-up: \`trace-socket --no-interactive\` (${runs} run(s) each, medians)`);
  report.print();
  report.print(table(["cache", "first byte on stdout", "`Step 1/8` printed", "exit", "exit codes"], [row("cold (empty TRACE_SOCKET_CACHE)", cold), row("warm (second run)", warm)]));
  report.print();
  const okRunner = viaRunner.flatMap((r) => (r.ok ? [r] : []));
  if (okRunner.length) {
    const m = (key: "loadedMs" | "startMs" | "firstStepMs" | "allStepsMs"): string => `${fmt(median(okRunner.map((r) => r[key])))} ms`;
    report.print(
      `Through the runner's API (bench/first-step, warm, ms since that process's clock started): modules loaded ${m("loadedMs")}, ` +
        `traced server paused at step 1 ${m("startMs")}, step 1 done ${m("firstStepMs")}, all 8 steps done ${m("allStepsMs")}.`,
    );
    report.print();
  } else {
    const failed = viaRunner.find((r) => !r.ok);
    if (failed && !failed.ok) report.print(`Runner API timing unavailable: ${failed.error}\n`);
  }
  const failed = [...cold, ...warm].filter((r) => r.code !== 0);
  if (failed.length) report.print(`Failed runs: ${failed.map((r) => `${r.code === null ? `killed by ${r.signal}` : `code ${r.code}`} ${r.stderr.split("\n").slice(-3).join(" ")}`.trim()).join("; ")}\n`);
  const warmStep = median(warm.map((r) => r.firstStepMs ?? NaN));
  report.verdict("warm start to first step printed", `${fmt(warmStep)} ms`, `≤ ${BUDGET.warmFirstStepMs} ms`, warmStep <= BUDGET.warmFirstStepMs);
  report.verdict("cold start to first step printed (informative)", ms(cold, "firstStepMs"), "–", undefined);
}

/** The stepper's first paint in tmux at 80×24. */
export async function stepperSection(report: Report, runs: number): Promise<void> {
  report.print("### Stepper first paint (tmux, 80×24, warm cache)");
  report.print();
  const { args, via } = STEPPER;
  report.log("[stepper] first paint under tmux…");
  const list = await measureStepper(runs, args);
  report.results.stepper = { via, list };
  report.print(`Opened through ${via}; timed from spawning node until a frame shows the steps pane.`);
  report.print();
  const paint = median(list.map((r) => r.paintMs ?? NaN));
  if (!Number.isFinite(paint)) {
    const screen = list.find((r) => r.screen)?.screen ?? "";
    report.print(`The stepper did not show the steps list within 15 s. Last screen:\n\n\`\`\`text\n${screen.trimEnd()}\n\`\`\``);
  } else {
    report.print(table(["", "first frame with the steps list"], [["warm", `${fmt(paint)} ms`]]));
  }
  report.print();
  report.verdict("stepper first paint", Number.isFinite(paint) ? `${fmt(paint)} ms` : "did not paint", `≤ ${BUDGET.stepperPaintMs} ms`, paint <= BUDGET.stepperPaintMs);
}

/** The export command's path on a 100,000-event trace, and the renderers alone. */
export async function exportSection(report: Report, runs: number): Promise<void> {
  report.log("[export] seeding a 100,000-event trace…");
  const trace = synthesize(await seedTrace(), 100_000);
  const events = countEvents(trace);
  const full = await measureExport100k({ trace, runs });
  report.print(`### Export of a ${fmt(events)}-event trace (${fmt(events - trace.chunks.length)} call nodes + ${fmt(trace.chunks.length)} chunks; median of ${runs})`);
  report.print();
  report.print(table(["phase", "time", "output"], full.rows.map((row) => [row.label, `${fmt(row.ms)} ms`, row.bytes === undefined ? "" : mib(row.bytes, 2)])));
  report.print();
  report.print(`First (cold) gathering of sources, which builds the source index: ${fmt(full.coldGatherMs)} ms (once per cache); trace file ${mib(full.traceFileBytes, 1)}.`);
  report.print();
  const renderers = await measureExports(trace, runs);
  report.print(table(["renderer alone", "render + write", "output"], renderers.map((e) => [e.label, e.error ? `failed: ${e.error}` : `${fmt(median(e.times))} ms`, `${mib(e.bytes, 1)} (${e.source})`])));
  report.print();
  report.results.export = { events, chunks: trace.chunks.length, full, renderers };
  const md = full.rows[0];
  report.verdict(`100k-event markdown export (${md.label}, warm)`, `${fmt(md.ms)} ms`, `≤ ${BUDGET.exportMs} ms`, md.ms <= BUDGET.exportMs);
}
