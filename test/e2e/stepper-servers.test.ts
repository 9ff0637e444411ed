/**
 * The stepper on the scenarios of several traced processes, end to end: the built binary in a
 * real terminal (tmux, 80×24) on `--scenario redis` (two servers on a real redis-server the
 * scenario starts) and `--scenario cluster` (a real primary and two workers of Node's cluster
 * module), stepped to the end by keys, exported with `e`, and the report checked: every step,
 * no claim left unseen, each process's own calls, lint-clean. The live stepper must record what
 * the headless run records: its cluster once ran the primary alone, its workers untraced.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadScenario } from "../../src/trace/scenario.js";
import { expectWholeReport } from "../helpers/whole-report.js";
import { ENTRY, idle, terminalSuite, type OpenTerminal, type Terminal } from "../helpers/tmux-terminal.js";
import { alive } from "../helpers/processes.js";
import { redisGate } from "../helpers/redis-server.js";

/** How long one live step of several processes may take on a loaded machine (a step gives up waiting on the wire after a window of at least 10 s, or the heartbeat, in which the run did no work). */
const STEP_MS = 90_000;

/** One row of a report's "On the wire" table: who the frame went between, and the call that wrote or read it. */
interface WireRow {
  readonly direction: string;
  readonly by: string;
}

/** The "On the wire" rows of the report's section of step `id`. */
function wireRows(report: string, id: string): WireRow[] {
  const start = report.search(new RegExp(`^## Step \\d+ — ${id}$`, "m"));
  expect(start).toBeGreaterThanOrEqual(0);
  const section = report.slice(start, report.indexOf("### Call path", start));
  return section
    .split("\n")
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()))
    .map((cells) => ({ direction: cells[2], by: cells[7] }));
}

/** What one walk through a scenario in the stepper left behind. */
interface Walk {
  readonly report: string;
  /** The frames pane at the cross-server step, filtered to the broadcast's frames and zoomed, in each process's lane alone. */
  readonly crossFrames: ReadonlyMap<string, string>;
  readonly exitCode: number;
  readonly stderr: string;
  /** Processes below the terminal's shell, seen while the run was up, still alive after the exit. */
  readonly left: string[];
}

/**
 * The frames pane at the current step, filtered on `text` and zoomed, shown one process's lane at
 * a time (`v` cycles all → each lane → all): each lane's screen, by its name. The panes are back
 * as they were afterwards, the filter kept.
 */
async function lanesHolding(terminal: Terminal, text: string, lanes: readonly string[]): Promise<Map<string, string>> {
  terminal.keys("Tab", "Tab");
  await terminal.waitFor((s) => /frames \d+ · → read ← written/.test(s), "the frames pane");
  terminal.keys("/");
  terminal.tmux("send-keys", "-t", "stepper", "-l", text);
  terminal.keys("Enter", "z");
  const filtered = (lane: string) => (s: string): boolean => s.split("\n")[1]?.startsWith(`frames `) === true && s.split("\n")[1].includes(`· "${text}" · ${lane}`);
  await terminal.waitFor(filtered("→"), `the frames holding ${text}, zoomed`);
  const screens = new Map<string, string>();
  for (const lane of lanes) {
    terminal.keys("v");
    screens.set(lane, await terminal.waitFor((s) => s.includes(`${lane} only`) && filtered(lane)(s), `${lane}'s lane alone`));
  }
  terminal.keys("v");
  await terminal.waitFor(filtered("→"), "every lane again");
  terminal.keys("z", "BTab", "BTab");
  await terminal.waitFor((s) => s.includes(" what happens"), "the panes again");
  return screens;
}

/** Steps through every step of `scenario` by keys, looks at its frames at step `cross`, exports and quits. */
async function walk(open: OpenTerminal, scenario: string, cross: string, filter: string, lanes: readonly string[]): Promise<Walk> {
  const steps = loadScenario(scenario).steps;
  const terminal = open([ENTRY, "--offline", "--scenario", scenario]);
  await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced servers", STEP_MS);
  const pids = new Map<number, string>();
  let crossFrames = new Map<string, string>();
  for (let step = 1; step <= steps.length; step++) {
    terminal.keys("n");
    const screen = await terminal.waitFor(idle(step, steps.length), `step ${step} to finish`, STEP_MS);
    expect(screen).toContain(`step ${step}/${steps.length}`);
    for (const [pid, args] of terminal.descendants()) pids.set(pid, args);
    if (steps[step - 1].id === cross) crossFrames = await lanesHolding(terminal, filter, lanes);
  }
  terminal.keys("e");
  await terminal.waitFor((s) => /exported → /.test(s), "the export", STEP_MS);
  const report = readFileSync(join(terminal.dir, "trace-socket-report.md"), "utf8");
  terminal.keys("q");
  const exitCode = await terminal.exitCode(STEP_MS);
  return { report, crossFrames, exitCode, stderr: terminal.stderr(), left: [...pids].filter(([pid]) => alive(pid)).map(([pid, args]) => `${pid} ${args}`) };
}

/** The checks every scenario's walk must pass: all steps reported, every claim held, a clean report, exit 0, nothing left running. */
async function expectComplete(scenario: string, run: Walk): Promise<void> {
  await expectWholeReport(scenario, run.report);
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toBe("trace-socket: starting the servers…\n");
  expect(run.left).toEqual([]);
}

/** The processes whose own calls wrote or read a frame of step `id` in the report. */
function processesWithCalls(report: string, id: string, names: readonly string[]): string[] {
  const rows = wireRows(report, id);
  return names.filter((name) => rows.some((row) => new RegExp(`\\bserver ${name}\\b`).test(row.direction) && row.by.startsWith("`")));
}

/** Each of `lanes`, shown alone, has a frame holding `text` at the cross-server step, under its own header. */
function expectFramesInLanes(run: Walk, lanes: readonly string[], text: string): void {
  expect([...run.crossFrames.keys()]).toEqual(lanes);
  for (const lane of lanes) {
    const screen = run.crossFrames.get(lane)!;
    expect(screen).toMatch(new RegExp(`^frames [1-9]\\d*/\\d+ · "${text}" · ${lane} ·`, "m"));
    expect(screen).toContain(`── ${lane}\n› `);
  }
}

terminalSuite("the stepper across servers", (open) => {
  it("--scenario cluster: every step of the primary and both workers, each process's calls and IPC frames in the export, every claim seen", async () => {
    const lanes = ["primary", "worker-1", "worker-2"];
    const run = await walk(open, "cluster", "emit-across", "relays", lanes);
    await expectComplete("cluster", run);
    // The broadcast's frames at the cross-server step, in every lane: worker 1 sends it, the primary relays it, worker 2 gets it.
    expectFramesInLanes(run, lanes, "relays");
    expect(processesWithCalls(run.report, "emit-across", ["primary", "worker-1", "worker-2"])).toEqual(["primary", "worker-1", "worker-2"]);
    // Each worker's own start-up step holds its own calls (none when the workers ran untraced).
    for (const id of ["worker-1-starts", "worker-2-starts"]) expect(run.report).toMatch(new RegExp(`^## Step \\d+ — ${id}\\n\\n.* · [1-9][\\d,]* calls ·`, "m"));
  }, 30 * STEP_MS);

  it.skipIf(redisGate.skip)(`--scenario redis: both servers' steps, calls and Redis frames in the export, every claim seen${redisGate.titleNote}`, async () => {
    redisGate.assertPresent();
    const run = await walk(open, "redis", "emit-everywhere", "relays", ["server A", "server B"]);
    await expectComplete("redis", run);
    // A publishes the broadcast to Redis, B receives it from there.
    expectFramesInLanes(run, ["server A", "server B"], "relays");
    expect(processesWithCalls(run.report, "emit-everywhere", ["A", "B"])).toEqual(["A", "B"]);
  }, 30 * STEP_MS);
});
