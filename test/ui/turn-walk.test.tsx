/**
 * Folded turns in the stepper, at 80×24: on a `× N like this` line, r shows
 * the next turn of that shape in its place (its start in the step, what
 * scheduled it, the representative's calls at its own seqs), R the one before.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { lines, renderApp } from "../helpers/render.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import type { Trace } from "../../src/trace/model.js";
import { TurnList } from "../../src/trace/turn-list.js";

afterEach(() => cleanup());

/** The fixture with two more turns like step 2's root 30 (an io turn and a timer turn), folded. */
function foldedTrace(): Trace {
  const trace = fixtureTrace();
  const turns = TurnList.from([
    { like: 30, seq: 40, start: 140, end: 141, async: { kind: "io" as const, from: 23 } },
    { like: 30, seq: 50, start: 160.5, end: 162, async: { kind: "timer" as const, from: 44 } },
  ]);
  // The step begins before its first call (the fixture's other steps do not use their times).
  return { ...trace, steps: trace.steps.map((s) => (s.index === 1 ? { ...s, started: 20, turns } : s)) };
}

describe("stepping through folded turns", () => {
  it("shows each turn of a × N line in turn, r forward and R back, at 80×24", async () => {
    const app = renderApp({ trace: foldedTrace() });
    await app.press("n");
    await app.waitFor("calls 10");
    await app.press("j", "j", "j", "j");
    await app.waitFor(/›▾ Socket\.onPacket ⟵io × 3/);
    await app.press("r");
    // The second turn in the first's place: its own seq (the source pane's call #), its start and link on the status line.
    let frame = await app.waitFor("turn 2 of 3 · +120.0 ms ⟵io #23");
    expect(frame).toMatch(/›▾ 2\/3 Socket\.onPacket ⟵io/);
    expect(frame).toContain("call #40");
    expect(frame).not.toContain("× 3");
    // Its calls are the first turn's: the connection handler under it.
    expect(lines(frame).some((l) => l.includes("· <anonymous connection h"))).toBe(true);
    await app.press("r");
    frame = await app.waitFor("turn 3 of 3 · +140.5 ms ⟵timer #44");
    // The pane is 28 columns wide here: the link's kind is cut, the status line has it whole.
    expect(frame).toMatch(/›▾ 3\/3 Socket\.onPacket ⟵t/);
    expect(frame).toContain("call #50");
    await app.press("r");
    frame = await app.waitFor("turn 1 of 3 · +10.0 ms ⟵io #23");
    expect(frame).toMatch(/›▾ Socket\.onPacket ⟵io × 3/);
    await app.press("R");
    await app.waitFor(/›▾ 3\/3 Socket\.onPacket ⟵t/);
    for (const line of lines(app.lastFrame() ?? "")) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it("says where r works when the cursor is not on a × N line", async () => {
    const app = renderApp({ trace: foldedTrace() });
    await app.press("n");
    await app.waitFor("calls 10");
    await app.press("r");
    await app.waitFor("r / R: select a × N like this line first");
  });
});
