/**
 * Every lesson besides the chat (which has its own tests), run for real: a
 * traced server process and a real socket.io-client process per lesson. All
 * of its claims hold on the run, none waits or goes unseen, and what the
 * lesson is about shows in the calls and on the wire (`lesson-must-show.ts`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { lessons } from "../../src/trace/lessons.js";
import { loadScenario } from "../../src/trace/scenario.js";
import { tallyClaims } from "../../src/claims/tally.js";
import { runScenario } from "../helpers/run-scenario.js";
import { lessonRun, MUST_SHOW, type LessonRun } from "./lesson-must-show.js";

const OTHERS = lessons().filter((l) => !l.default);

it("every lesson besides the chat has its must-show assertions", () => {
  expect(OTHERS.map((l) => l.name).filter((name) => !MUST_SHOW[name])).toEqual([]);
});

describe.each(OTHERS)("the $name lesson, run for real", ({ name }) => {
  const scenario = loadScenario(name);
  let run: LessonRun;

  beforeAll(async () => {
    run = lessonRun(await runScenario(scenario));
  }, 90_000);

  it("runs every step, each with the user's line of code unless it runs none", () => {
    expect(run.trace.steps.map((s) => s.id)).toEqual(scenario.steps.map((s) => s.id));
    for (const s of run.trace.steps) {
      if (scenario.steps[s.index].side === "none") continue;
      expect(s.code?.file, s.id).toBe(`traces/${name}/${s.code?.side}.mjs`);
    }
    expect(run.trace.steps.flatMap((s) => s.notes ?? [])).toEqual([]);
  });

  it("holds every claim of its claims.json", () => {
    const failing = run.trace.steps.flatMap((s) => (s.claims ?? []).filter((c) => c.status !== "held" && c.status !== "unchecked").map((c) => `${s.id}: ${c.text} — ${c.reason}`));
    expect(failing).toEqual([]);
    const declared = Object.values(scenario.claims ?? {}).flat().filter((c) => "check" in c).length;
    expect(tallyClaims(run.trace).held).toBe(declared);
    for (const s of run.trace.steps) expect(s.claims?.length, `${s.id} narrates with claims`).toBeGreaterThan(0);
  });

  it("shows its must-show calls and frames", () => {
    MUST_SHOW[name]!(run);
  });
});
