/**
 * Predict mode end to end: the built binary in a real terminal (tmux, 80×24)
 * on the live chat, one question answered right and one wrong, read back as
 * the screen shows them, with the score in the footer and the exit clean.
 */
import { expect, it } from "vitest";
import { ENTRY, terminalSuite } from "../helpers/tmux-terminal.js";

/** The number the screen gives `text` among the choices (`  2  Server.path`), or undefined. */
function choiceOf(screen: string, text: string): number | undefined {
  const row = screen.split("\n").find((line) => new RegExp(`^[ ✓✗] ([1-4]) {2}${text.replace(/[.()[\]]/g, "\\$&")}\\s*$`).test(line));
  return row ? Number(/^[ ✓✗] ([1-4])/.exec(row)![1]) : undefined;
}

terminalSuite("predict mode in a terminal", (open) => {
  it("asks before each step's frames, takes a right and a wrong answer, and keeps the score in the footer", async () => {
    const terminal = open([ENTRY, "--offline", "--predict", "--seed", "2"]);
    await terminal.waitFor((s) => s.includes("press → to run step 1"), "the traced server", 60_000);
    terminal.keys("Right");
    let screen = await terminal.waitFor((s) => s.includes("What is the next call in the path?"), "step 1's question", 60_000);
    expect(screen).toContain("predict · step 1 · the next call");
    expect(screen).toContain("the path so far: Server.constructor");
    // The step ran, but its calls stay hidden until the answer.
    expect(screen).not.toContain("▾ Server.constructor");
    expect(screen.split("\n").at(-1) || screen.split("\n").at(-2)).toMatch(/1–4 answer +P predict off/);
    const right = choiceOf(screen, "Server.path");
    expect(right, screen).toBeDefined();
    terminal.keys(String(right));
    screen = await terminal.waitFor((s) => s.includes("✓ right"), "the right answer");
    expect(screen).toMatch(/why {3}First it fills in its own defaults/);
    expect(screen).toContain("score: 1 of 1 right");
    terminal.keys("Enter");
    await terminal.waitFor((s) => s.includes("▾ Server.constructor") && s.includes("P predict · 1 of 1 right"), "step 1 revealed, the score in the footer");

    terminal.keys("Right");
    screen = await terminal.waitFor((s) => s.includes("predict · step 2 · the next call"), "step 2's question", 60_000);
    const answer = choiceOf(screen, "StrictEventEmitter.on");
    expect(answer, screen).toBeDefined();
    const wrong = (answer! % 4) + 1;
    terminal.keys(String(wrong));
    screen = await terminal.waitFor((s) => s.includes("✗ not"), "the wrong answer");
    expect(screen).toContain(`✗ not ${wrong} (`);
    expect(screen).toContain(`it is ${answer}`);
    expect(screen).toMatch(/call {2}StrictEventEmitter\.on/);
    expect(screen).toContain("score: 1 of 2 right");
    expect(screen).toMatch(/· 1 of 2 right\s*$/m);
    terminal.keys("Enter");
    await terminal.waitFor((s) => s.includes("P predict · 1 of 2 right"), "the score in the footer");
    terminal.keys("q");
    expect(await terminal.exitCode(30_000)).toBe(0);
  }, 180_000);
}, "dist/ui/predict-pane.js");
