/**
 * The compare pane in the stepper: given a second trace it opens in place of
 * source and frames, `c` toggles it, it follows the selected step, scrolls when
 * focused, zooms, and everything stays inside 80×24.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { KEYS, lines, renderApp } from "../helpers/render.js";
import { flaskFixtureTrace } from "./compare-fixture.js";

afterEach(() => cleanup());

function expectFits(frame: string, width: number, height: number): void {
  const rows = lines(frame);
  expect(rows).toHaveLength(height);
  for (const row of rows) expect([...row].length).toBeLessThanOrEqual(width);
}

describe("the compare pane", () => {
  it("opens with a second trace, both call paths side by side in place of source and frames", async () => {
    const app = renderApp({ compare: flaskFixtureTrace() });
    const frame = await app.waitFor("Flask-SocketIO (Python)");
    expectFits(frame, 80, 24);
    expect(frame).toMatch(/│socket\.io \(Node\) +│ Flask-SocketIO \(Python\)/);
    expect(frame).toMatch(/│init: new Server\(httpServ… │ init: SocketIO\(app\)/);
    expect(frame).toMatch(/│Server\.constructor +│ SocketIO\.__init__/);
    expect(frame).toMatch(/│  Server\.of +│   Server\.__init__/);
    expect(frame).not.toContain("what happens");
    expect(lines(frame).at(-1)).toContain("c cmp");
  });

  it("follows the selected step, including steps only one side has", async () => {
    const app = renderApp({ compare: flaskFixtureTrace() });
    await app.waitFor("SocketIO.__init__");
    await app.press("n");
    expect(await app.waitFor("step 2/3")).toMatch(/│connect: the client calls… │ connect: the client calls…/);
    await app.press("n");
    expect(await app.waitFor("step 3/3")).toContain("(not in the Flask chat)");
  });

  it("toggles with c, giving source and frames back", async () => {
    const app = renderApp({ compare: flaskFixtureTrace() });
    await app.waitFor("Flask-SocketIO (Python)");
    await app.press("c");
    const closed = await app.waitFor("what happens");
    expect(closed).not.toContain("Flask-SocketIO (Python)");
    await app.press("c");
    expect(await app.waitFor("Flask-SocketIO (Python)")).not.toContain("what happens");
  });

  it("scrolls with ↓ while focused, and zooms to the whole width", async () => {
    const app = renderApp({ compare: flaskFixtureTrace({ extraCalls: 30 }) });
    // At 80 columns the scroll range takes the place of "(Python)".
    expect(await app.waitFor("Flask-SocketIO 1-21/34")).toContain("SocketIO.__init__");
    await app.press(KEYS.down, KEYS.down);
    const scrolled = await app.waitFor("Flask-SocketIO 3-23/34");
    expect(scrolled).not.toMatch(/│init: new Server/);
    expectFits(scrolled, 80, 24);
    await app.press("z");
    const zoomed = await app.waitFor(/^socket\.io \(Node\) +│ Flask-SocketIO \(Python\) 3-23\/34/m);
    expect(zoomed).not.toContain("steps 3/3");
    expectFits(zoomed, 80, 24);
  });

  it("is listed in the help, and says what it needs when there is no second trace", async () => {
    const app = renderApp();
    await app.waitFor("calls 4");
    await app.press("c");
    expect(await app.waitFor("start with --compare")).toContain("what happens");
    await app.press("?");
    expect(await app.waitFor("help · any key closes")).toMatch(/ z \/ c +zoom the focused pane \/ compare Node and Python \(--compare\)/);
  });
});
