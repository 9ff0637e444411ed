/**
 * Predict mode in the stepper (ink-testing-library, 80×24, the hand-made
 * trace): the question covers the panes before the step's frames and calls
 * are shown, 1–4 answers it, right or wrong comes with the reason, the score
 * is in the footer, `P` turns it off and on; a question never changes once
 * asked.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { predictAll, type PredictQuestion } from "../../src/claims/predict/questions.js";
import type { PredictScore } from "../../src/ui/predict-model.js";
import type { Trace } from "../../src/trace/model.js";
import { LiveSource, type LiveRunner } from "../../src/ui/live-source.js";
import { KEYS, lines, renderApp } from "../helpers/render.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";

afterEach(() => cleanup());

const SEED = 3;
const questions = predictAll(fixtureTrace(), { seed: SEED }) as PredictQuestion[];

function fits(frame: string): void {
  expect(lines(frame).length).toBeLessThanOrEqual(24);
  for (const row of lines(frame)) expect([...row].length).toBeLessThanOrEqual(80);
}

describe("predict mode in the stepper", () => {
  it("asks before the step is shown, answers right with 1–4, shows why, then reveals the step", async () => {
    const scores: PredictScore[] = [];
    const app = renderApp({ predict: { seed: SEED }, onScore: (s) => scores.push(s) });
    const init = questions[0];
    let frame = await app.waitFor("What is the next call in the path?");
    fits(frame);
    expect(frame).toContain("predict · step 1 · the next call");
    expect(frame).toContain("the path so far: Server.constructor");
    init.choices.forEach((c, i) => expect(frame).toContain(`${i + 1}  ${c.text}`));
    // The step's calls are not on screen while it is asked.
    expect(frame).not.toContain("›▾ Server.constructor");
    expect(lines(frame).at(-1)).toMatch(/^1–3 answer +P predict off .* · 0 of 0 right$/);
    await app.press("7");
    expect(app.frame()).toContain("What is the next call in the path?");
    await app.press(String(init.answer + 1));
    frame = await app.waitFor("✓ right");
    fits(frame);
    expect(frame).toContain(`✓ ${init.answer + 1}  Server.of`);
    expect(frame).toMatch(/call {2}Server\.of {2}socket\.io\/dist\/index\.js:461 \(called by Server\.constructor\)/);
    expect(frame).toContain("score: 1 of 1 right");
    expect(scores).toEqual([{ right: 1, answered: 1 }]);
    await app.press(KEYS.enter);
    frame = await app.waitFor("›▾ Server.constructor");
    expect(lines(frame).at(-1)).toMatch(/P predict · 1 of 1 right$/);
  });

  it("a wrong answer says which is right and why (the call that wrote the frame), and the score counts it", async () => {
    const app = renderApp({ predict: { seed: SEED } });
    await app.waitFor("What is the next call in the path?");
    await app.press(String(questions[0].answer + 1), KEYS.right, KEYS.right);
    const connect = questions[1];
    let frame = await app.waitFor("What does the server write next on the wire");
    expect(frame).toContain("before it: GET /socket.io/?EIO=4&transport=polling");
    const wrong = (connect.answer + 1) % connect.choices.length;
    await app.press(String(wrong + 1));
    frame = await app.waitFor("✗ not");
    fits(frame);
    expect(frame).toContain(`✗ not ${wrong + 1} (${connect.choices[wrong].gloss}): it is ${connect.answer + 1}, Engine.IO open`);
    expect(frame).toMatch(/call {2}Socket\.sendPacket {2}engine\.io\/build\/socket\.js:386 \(wrote it\)/);
    expect(frame).toContain("score: 1 of 2 right");
    expect(lines(frame).at(-1)).toMatch(/^→\/⏎ show the step .* · 1 of 2 right$/);
    // Back and forth: the answered step is not asked again, and its question did not change.
    await app.press(KEYS.right, KEYS.left, KEYS.right);
    frame = await app.waitFor("step 2/3");
    expect(frame).not.toContain("What does the server write next");
  });

  it("P turns predict mode on and off; off, the stepper is as ever", async () => {
    const app = renderApp();
    let frame = await app.waitFor("›▾ Server.constructor");
    expect(frame).not.toContain("predict ·");
    await app.press("P");
    await app.waitFor("What is the next call in the path?");
    await app.press("P");
    frame = await app.waitFor("›▾ Server.constructor");
    // At 80 columns the key is not worth a shorter key summary until predict mode has a score; wider, it is listed.
    expect(lines(frame).at(-1)).toMatch(/^n\/p step .* q quit$/);
    cleanup();
    const wide = renderApp({ width: 160 });
    expect(lines(await wide.waitFor("›▾ Server.constructor")).at(-1)).toMatch(/→\/n next .* q quit +P predict$/);
  });

  it("over a live run, shows nothing of a step still running: the question comes once it is done", async () => {
    const full = fixtureTrace();
    let release: (() => void) | undefined;
    let running = false;
    const runner: LiveRunner = {
      stepCount: full.steps.length,
      nextStep: 0,
      // While it runs, the step is in the trace already, its calls arriving: what a real run shows.
      trace: (): Trace => ({ ...full, steps: full.steps.slice(0, runner.nextStep + (running ? 1 : 0)) }),
      runNext: () =>
        new Promise<void>((resolve) => {
          running = true;
          release = () => {
            running = false;
            (runner as { nextStep: number }).nextStep++;
            resolve();
          };
        }),
    };
    const source = new LiveSource({ plan: full.steps.map((s) => ({ id: s.id, title: s.title })), scenario: "chat", intervalMs: 10 });
    const app = renderApp({ source, predict: { seed: SEED } });
    source.attach(runner);
    await app.waitFor("press → to run step 1");
    await app.press("n");
    let frame = await app.waitFor("the step is running: its question comes when it is done");
    expect(frame).not.toContain("Server.constructor");
    expect(lines(frame).at(-1)).toMatch(/^⟳ running the step +P predict off/);
    release!();
    frame = await app.waitFor("What is the next call in the path?");
    expect(frame).toContain("the path so far: Server.constructor");
    source.dispose();
  });
});
