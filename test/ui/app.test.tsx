import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import type { Trace } from "../../src/trace/model.js";
import { App } from "../../src/ui/app.js";
import { LiveSource, type LiveRunner } from "../../src/ui/live-source.js";
import { ReplaySource } from "../../src/ui/trace-source.js";
import { toneStyle } from "../../src/ui/theme.js";
import { KEYS, lines, renderApp, tick } from "../helpers/render.js";
import { ATTACH_VIEW, fixtureTrace } from "../helpers/trace-fixture.js";

afterEach(() => cleanup());

function expectFits(frame: string, width: number, height: number): void {
  const rows = lines(frame);
  expect(rows.length).toBeLessThanOrEqual(height);
  for (const row of rows) expect([...row].length).toBeLessThanOrEqual(width);
}

describe("the stepper at 80×24", () => {
  it("shows header, steps, calls, the step's story, source and the keys, within the screen", async () => {
    const app = renderApp();
    const frame = await app.waitFor("calls 4");
    expectFits(frame, 80, 24);
    expect(lines(frame)).toHaveLength(24);
    expect(frame).toContain("trace-socket · chat · step 1/3 init: new Server");
    expect(frame).toContain("›✓ 1 init");
    expect(frame).toContain(" · 2 connect");
    expect(frame).toContain("›▾ Server.constructor");
    expect(frame).toContain("step 1 · what happens");
    expect(frame).toContain("Explanation of init.");
    expect(frame).toContain("source · index.js:99");
    expect(lines(frame).at(-1)).toMatch(/^n\/p step .* z zoom .* q quit$/);
  });

  it("steps forward (revealing the next recorded step) and back without re-running", async () => {
    const app = renderApp();
    await app.press(KEYS.right);
    expect(await app.waitFor("step 2/3")).toMatch(/own work \d+ ms · 6 calls · 4 frames/);
    const version = app.source.version;
    await app.press("p");
    expect(await app.waitFor("step 1/3")).toContain("›✓ 1 init");
    await app.press("n");
    await app.waitFor("step 2/3");
    expect(app.source.version).toBe(version);
    await app.press("n");
    await app.waitFor("step 3/3");
    await app.press("n");
    expect(await app.waitFor("that was the last recorded step")).toContain("step 3/3");
  });

  it("takes a burst of keys arriving in one chunk as separate presses", async () => {
    const app = renderApp();
    await app.press("n", "p");
    app.stdin.write("nnnn");
    expect(await app.waitFor("step 3/3")).toContain("steps 3/3 run");
    app.stdin.write("jj");
    await app.waitFor("calls 3 · 3/3");
  });

  it("moves the calls cursor and collapses with enter", async () => {
    const app = renderApp();
    await app.press("j");
    expect(await app.waitFor("calls 4 · 2/4")).toContain("› ▾ Server.of");
    await app.press(KEYS.enter);
    expect(await app.waitFor("1 folded")).toContain("› ▸ Server.of");
    await app.press(KEYS.enter);
    await app.waitFor("calls 4 · 2/4");
  });

  it("scrolls a long call tree so the cursor stays on screen", async () => {
    const app = renderApp({ trace: fixtureTrace({ extraCalls: 40 }) });
    await app.waitFor("calls 44");
    await app.press(KEYS.end);
    const frame = await app.waitFor("44/44");
    expect(frame).not.toContain("Server.constructor");
    expect(frame).toMatch(/›· Server\.of/);
    expectFits(frame, 80, 24);
    await app.press(KEYS.home);
    expect(await app.waitFor("1/44")).toContain("›▾ Server.constructor");
  });

  it("keeps the step's story on screen whatever has the focus, and tab reaches every pane", async () => {
    const app = renderApp();
    let frame = await app.waitFor("what happens");
    expect(frame).toContain("traces/chat/server.mjs:20 (server)");
    await app.press(KEYS.tab);
    frame = await app.waitFor(/source · index\.js:99/);
    expect(frame).toContain("Explanation of init.");
    await app.press(KEYS.tab);
    // Small terminal: frames take the place of the source under the story.
    frame = await app.waitFor("frames 0");
    expect(frame).toContain("Explanation of init.");
    expect(frame).not.toContain("source · index.js");
    expect(lines(frame).at(-1)).toMatch(/^h ping\/pong d dir w conn t type/);
    await app.press(KEYS.tab, KEYS.tab);
    frame = await app.waitFor("frames 0");
    expect(frame).toContain("Explanation of init.");
  });

  it("jumps from a frame to its call and back", async () => {
    const app = renderApp();
    await app.press("n", "n", KEYS.tab, KEYS.tab, "j");
    expect(await app.waitFor("frames 2")).toMatch(/› *\+\d\.\d{3} +\d+B ← ws abc123 42/);
    await app.press("g");
    let frame = await app.waitFor("3/3");
    expect(frame).toContain("›  · Socket.sendPacket ⇄");
    expect(frame).toContain("source · socket.js:386");
    await app.press("g");
    frame = await app.waitFor(/› *\+\d\.\d{3} +\d+B ← ws abc123 42/);
    expect(frame).toContain("decode: transport → Engine.IO → Socket.IO");
    expect(frame).toContain('Socket.IO EVENT, nsp / ["chat message","hi"]');
  });

  it("exports and shows where the report went", async () => {
    const app = renderApp();
    await app.press("e");
    await app.waitFor("exported → /tmp/report.md");
    expect(app.exports).toHaveLength(1);
    expect(app.exports[0].steps).toHaveLength(1);
  });

  it("reports an export that failed", async () => {
    const app = renderApp({ onExport: async () => Promise.reject(new Error("disk full")) });
    await app.press("e");
    await app.waitFor("export failed: disk full");
  });

  it("quits with q and interrupts with ctrl-c", async () => {
    const app = renderApp();
    await app.press("q");
    const other = renderApp();
    await other.press(KEYS.ctrlC);
    expect([app.quits, other.quits]).toEqual([["quit"], ["interrupt"]]);
  });

  it("shows the captured output in the log view, cleaned of escape codes", async () => {
    const app = renderApp();
    await app.press("l");
    const frame = await app.waitFor("log · 3 lines");
    expect(frame).toContain("1.300s stderr   socket.io:server  incoming connection");
    expect(frame).toContain("1.400s client ack:");
    expect(frame).not.toContain("\u001b");
    await app.press("l");
    await app.waitFor("calls 4");
  });

  it("opens the help over the panes and closes it with any key", async () => {
    const app = renderApp();
    await app.press("?");
    const frame = await app.waitFor("help · any key closes");
    expect(frame).toContain("frame ↔ the call that made it");
    expectFits(frame, 80, 24);
    await app.press("x");
    await app.waitFor("calls 4");
    expect(app.quits).toEqual([]);
  });

  it("zooms the focused pane", async () => {
    const app = renderApp({ trace: fixtureTrace({ extraCalls: 40 }) });
    await app.press("z");
    // The unzoomed frame has "calls 44" too: wait for the one without the steps pane.
    const frame = await app.waitFor(/^(?![\s\S]*steps 3\/3)[\s\S]*calls 44/);
    expect(frame).not.toContain("steps ");
    expect(lines(frame).filter((l) => l.includes("Server.of")).length).toBeGreaterThan(15);
  });

  it("shows the source from describe with the declaration that ran marked", async () => {
    const app = renderApp({ describe: async () => ATTACH_VIEW });
    await app.waitFor("From the library:");
    await app.press(KEYS.tab, "z");
    const frame = await app.waitFor("▶ 224");
    expect(frame).toContain("From the library:");
  });
});

describe("resizing", () => {
  it.each([
    [100, 30],
    [60, 16],
    [40, 12],
    [100, 43],
  ])("re-lays out at %i×%i without overflowing", async (width, height) => {
    const source = new ReplaySource(fixtureTrace({ extraCalls: 40 }));
    const props = { source, color: false, onExport: async () => "x", onQuit: () => undefined };
    const app = renderApp({ source });
    await app.waitFor("calls 44");
    await app.press(KEYS.end);
    app.rerender(<App {...props} width={width} height={height} />);
    await tick(50);
    const frame = app.frame();
    expectFits(frame, Math.min(width, 100), height);
    expect(frame).toContain("44/44");
    expect(frame).toMatch(/›· Server\.of/);
  });

  it("asks for a bigger terminal below the minimum", async () => {
    const app = renderApp({ width: 30, height: 8 });
    await app.waitFor("Make the");
    expect(app.frame().replace(/\s+/g, " ")).toContain("Make the terminal at least 40×12 (now 30×8).");
  });
});

/** A runner stand-in whose recorded trace the test controls. */
function scriptedRunner(full: Trace): LiveRunner & { chunks: number } {
  const runner = {
    stepCount: full.steps.length,
    nextStep: 0,
    chunks: 0,
    release: undefined as (() => void) | undefined,
    trace(): Trace {
      const steps = full.steps.slice(0, runner.nextStep);
      return { ...full, steps, chunks: full.chunks.slice(0, runner.chunks) };
    },
    async runNext(): Promise<void> {
      runner.nextStep++;
      await new Promise<void>((resolve) => setTimeout(resolve, 60));
    },
  };
  return runner;
}

describe("over a live source", () => {
  it("starts with no step, runs one per →, and shows frames arriving between steps", async () => {
    const full = fixtureTrace();
    const source = new LiveSource({ plan: full.steps.map((s) => ({ id: s.id, title: s.title })), scenario: "chat", intervalMs: 10 });
    const app = renderApp({ source });
    expect(await app.waitFor("starting the traced server…")).toContain("no step run yet");
    const runner = scriptedRunner(full);
    source.attach(runner);
    expect(await app.waitFor("press → to run step 1")).toContain("live · http://127.0.0.1:40000");
    await app.press("n");
    expect(await app.waitFor("⟳ running…")).toContain("⟳ 1 init");
    await app.waitFor("✓ 1 init");
    await app.press("n");
    await app.waitFor(/step 2\/3 connect[\s\S]*✓ 2 connect/);
    expect(app.frame()).toMatch(/calls · 0 frames/);
    runner.chunks = 2;
    source.changed();
    expect(await app.waitFor(/calls · 2 frames/)).toContain("step 2/3");
    await app.press("p");
    expect(await app.waitFor("step 1/3")).toContain("✓ 2 connect");
    expect(runner.nextStep).toBe(2);
    source.dispose();
  });

  it("with the user's own clients (no plan is known): step i with the step's own title, no total", async () => {
    const full = fixtureTrace();
    // The plan has one live step; the clients' actions became three recorded steps.
    const source = new LiveSource({ plan: [{ id: "live", title: "live: your own clients" }], scenario: "app", intervalMs: 10 });
    source.attach({ stepCount: 1, nextStep: 1, ownClients: true, trace: () => full, runNext: () => Promise.resolve() });
    const app = renderApp({ source });
    const frame = await app.waitFor(`step 1 ${full.steps[0].title.slice(0, 10)}`);
    expect(frame).not.toMatch(/step \d+\/\d+/);
    expect(frame).toContain("steps 3 run");
    await app.press("n", "n");
    const last = await app.waitFor(`step 3 ${full.steps[2].title.slice(0, 10)}`);
    expect(last).not.toMatch(/step \d+\/\d+/);
    expect(last).toContain(`3 ${full.steps[2].title.slice(0, 10)}`);
    source.dispose();
  });

  it("says so when a step failed", async () => {
    const source = new LiveSource({ plan: [{ id: "init", title: "init" }], scenario: "chat", intervalMs: 10 });
    source.attach({ stepCount: 1, nextStep: 0, trace: () => ({ ...fixtureTrace(), steps: [] }), runNext: () => Promise.reject(new Error("the client process did not report its start within 15000 ms")) });
    const app = renderApp({ source });
    await app.press("n");
    await app.waitFor("did not report its start");
    source.dispose();
  });
});

describe("colour", () => {
  it("uses no colour at all without it, keeping bold and dim", () => {
    for (const tone of ["heading", "dim", "code", "decl", "link", "warn", "in", "out", "app", "plain"] as const) {
      expect(toneStyle(tone, false).color).toBeUndefined();
    }
    expect(toneStyle("decl", false).bold).toBe(true);
    expect(toneStyle("decl", true).color).toBe("yellow");
  });

  it("renders the same layout with colour on", async () => {
    const app = renderApp({ color: true });
    expectFits(await app.waitFor("calls 4"), 80, 24);
  });
});
