/**
 * The lessons in the stepper, not only headless: the built binary in a real
 * terminal (tmux, 80×24) runs `--scenario NAME` against a real socket.io
 * server and real socket.io-client processes, steps through every step of the
 * lesson with `n` (heartbeat's frozen and killed clients included: the
 * stepper's live runner performs those actions), exports, and quits with 0.
 * The exported report holds every step and no claim that was not seen.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { ENTRY, idle, terminalSuite } from "../helpers/tmux-terminal.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** The step ids of a lesson, from its own folder. */
function stepIds(name: string): string[] {
  const steps = JSON.parse(readFileSync(join(ROOT, "traces", name, "steps.json"), "utf8")) as { steps: { id: string }[] };
  return steps.steps.map((s) => s.id);
}

terminalSuite("the lessons in the stepper", (open) => {
  it.each(["binary", "heartbeat", "recovery"])("steps through every step of %s live, exports it and quits with 0", async (name) => {
    const ids = stepIds(name);
    const terminal = open([ENTRY, "--scenario", name, "--offline"]);
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server", 60_000);
    for (let step = 1; step <= ids.length; step++) {
      terminal.keys("n");
      await terminal.waitFor(idle(step, ids.length), `step ${step} (${ids[step - 1]})`, 90_000);
    }
    terminal.keys("e");
    await terminal.waitFor((s) => /exported → /.test(s), "the export", 60_000);
    const report = readFileSync(join(terminal.dir, "trace-socket-report.md"), "utf8");
    ids.forEach((id, i) => expect(report, id).toContain(`## Step ${i + 1} — ${id}`));
    expect(report).not.toMatch(/not seen/);
    terminal.keys("q");
    expect(await terminal.exitCode()).toBe(0);
  });
});
