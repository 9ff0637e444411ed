/**
 * The stepper's story pane, lanes, frame tools and editor/copy effects,
 * rendered with ink-testing-library at 80×24 (small layout) and 120×40.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { KEYS, lines, renderApp } from "../helpers/render.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { heartbeatTrace } from "./heartbeat-fixture.js";

afterEach(() => cleanup());

const LONG = Array.from({ length: 30 }, (_, i) => `Sentence number ${i + 1} of a long narration.`).join("\n");

function longStory() {
  const trace = fixtureTrace();
  return { ...trace, steps: [{ ...trace.steps[0], explanation: LONG }, ...trace.steps.slice(1)] };
}

describe("the story pane", () => {
  it("scrolls a long narration with J/K from the calls pane, its range in the title", async () => {
    const app = renderApp({ trace: longStory() });
    let frame = await app.waitFor(/step 1 · what happens · J\/K · 1-8\/\d+/);
    expect(frame).toContain("Sentence number 1 of");
    await app.press("J", "J", "J", "J", "J");
    frame = await app.waitFor(/what happens · J\/K · 6-13\//);
    expect(frame).not.toContain("Sentence number 1 of");
    expect(frame).toContain("›▾ Server.constructor");
    await app.press("K");
    await app.waitFor(/· 5-12\//);
  });

  it("zooms with z once focused, to read it whole", async () => {
    const app = renderApp({ trace: longStory() });
    await app.press(KEYS.shiftTab, "z");
    const frame = await app.waitFor("Sentence number 15 of");
    expect(frame).not.toContain("steps 3/3");
  });

  it("shows story, source and frames together at 120×40", async () => {
    const app = renderApp({ width: 120, height: 40 });
    const frame = await app.waitFor("what happens");
    expect(frame).toContain("source · index.js:99");
    expect(frame).toContain("frames 0");
    expect(lines(frame).at(-1)).toMatch(/^→\/n next ←\/p prev ↑↓ move J\/K story .* z zoom /);
  });
});

describe("the background lane", () => {
  it("keeps heartbeats out of the step, says how many came, and b shows them apart", async () => {
    const app = renderApp({ trace: heartbeatTrace() });
    await app.press("n", "n");
    let frame = await app.waitFor("step 3/3");
    expect(frame).toMatch(/own work 75 ms · 3 calls · 2 frames/);
    expect(frame).toMatch(/background while open \(29\.8 s\): 2 frames, 2/);
    expect(frame).toContain("calls 3 ");
    await app.press("b");
    await app.waitFor("background calls 2");
    await app.press(KEYS.tab, KEYS.tab);
    frame = await app.waitFor("background frames 2");
    expect(frame).toMatch(/← ws abc123 2$/m);
  });
});

describe("the frame tools", () => {
  it("hides ping/pong with h and says so in the title; x shows the bytes", async () => {
    const app = renderApp({ trace: heartbeatTrace() });
    await app.press("n", "n", "b", KEYS.tab, KEYS.tab);
    await app.waitFor("background frames 2");
    await app.press("h");
    expect(await app.waitFor("background frames 0/2 · no ping/pong")).toContain("no frame passes the filter");
    await app.press("h", "x");
    const frame = await app.waitFor("bytes as captured");
    // Eight bytes a row in the 51 columns of the small layout.
    expect(frame).toContain(`0000  81 01 32${" ".repeat(15)}  |..2|`);
  });

  it("filters frames by text typed after /, shown on the status line while typed", async () => {
    const app = renderApp();
    await app.press("n", KEYS.tab, KEYS.tab, "/", "1", "0", "1");
    expect(lines(await app.waitFor("/101▏")).at(-1)).toMatch(/^\/101▏  ⏎ filter the frames/);
    await app.press(KEYS.enter);
    const frame = await app.waitFor('frames 1/4 · "101"');
    expect(frame).toMatch(/← ws abc123 HTTP\/1\.1 101 Switching/);
    expect(frame).not.toContain("GET /socket.io");
  });

  it("copies the selected frame with y through the copy effect", async () => {
    const copied: string[] = [];
    const app = renderApp({ onCopy: async (text) => (copied.push(text), `copied ${text.length} B`) });
    await app.press("n", "n", KEYS.tab, KEYS.tab, "y");
    await app.waitFor("copied 23 B");
    expect(copied).toEqual(['42["chat message","hi"]']);
  });
});

describe("the calls search", () => {
  it("finds a call hidden in a folded tree of 1,000+ calls and unfolds it", async () => {
    const app = renderApp({ trace: fixtureTrace({ extraCalls: 1200 }) });
    await app.waitFor("calls 1204");
    await app.press(KEYS.enter);
    await app.waitFor("›▸ Server.constructor");
    await app.press("/", ..."namespace", KEYS.enter);
    const frame = await app.waitFor('call 1/1 matching "namespace"');
    expect(frame).toMatch(/› +· Namespace\.constructor/);
  });
});

describe("opening the editor", () => {
  it("hands the selected call's file:line to the open effect with o", async () => {
    const opened: string[] = [];
    const app = renderApp({ onOpen: async (file, line) => (opened.push(`${file}:${line}`), "opened in vim") });
    await app.press("j", "o");
    await app.waitFor("opened in vim");
    expect(opened).toEqual(["node_modules/socket.io/dist/index.js:461"]);
    expect(app.frame()).toContain("· o: open");
  });

  it("says where the call is without an editor effect", async () => {
    const app = renderApp();
    await app.press("o");
    await app.waitFor("node_modules/socket.io/dist/index.js:99");
  });
});
