/**
 * The traced server's `debug` lines in the stepper: in the selected call's
 * source pane (what that call printed) and in the log view, tagged with the
 * call. Rendered with ink-testing-library on a model trace.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import type { LogLine } from "../../src/trace/model.js";
import { debugByCall, debugByStep } from "../../src/trace/debug-lines.js";
import { renderApp } from "../helpers/render.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";

afterEach(() => cleanup());

const LOGS: readonly LogLine[] = [
  { time: 50, source: "debug", text: "socket.io:server attaching client serving req handler", call: 4 },
  { time: 20, source: "debug", text: "socket.io:server initializing namespace /", call: 2 },
  { time: 150, source: "debug", text: "engine handshaking client \"abc123\"", call: 21 },
  { time: 160, source: "debug", text: "engine:ws something outside a call" },
  { time: 30, source: "stdout", text: "chat listening on 40000" },
];

describe("debug lines in the model", () => {
  it("are indexed by the call that printed them and by its step, in time order", () => {
    const trace = fixtureTrace({ logs: LOGS });
    expect(debugByCall(trace.logs).get(2)?.map((l) => l.text)).toEqual(["socket.io:server initializing namespace /"]);
    const byStep = debugByStep(trace);
    expect(byStep.get(0)?.map((l) => l.call)).toEqual([2, 4]);
    // The line printed outside any call goes to the step open then (step 2 started at 100).
    expect(byStep.get(1)?.map((l) => l.text)).toEqual(['engine handshaking client "abc123"', "engine:ws something outside a call"]);
  });
});

describe("debug lines in the stepper", () => {
  it("shows what the selected call printed in its source pane", async () => {
    const app = renderApp({ trace: fixtureTrace({ logs: LOGS }), width: 120, height: 40 });
    let frame = await app.waitFor("source · index.js:99");
    expect(frame).not.toContain("printed (DEBUG)");
    await app.press("j");
    frame = await app.waitFor("printed (DEBUG) · 1 line:");
    expect(frame).toContain("socket.io:server initializing namespace /");
    expect(frame).not.toContain("attaching client serving req handler");
  });

  it("tags each debug line of the log view with the call and function that printed it", async () => {
    const app = renderApp({ trace: fixtureTrace({ logs: LOGS }), width: 120, height: 40 });
    // Step 2 revealed, so its call #21 is in the trace to be named.
    await app.press("n");
    await app.waitFor("step 2/3");
    await app.press("l");
    const frame = await app.waitFor("log · 5 lines");
    expect(frame).toContain("0.020s debug  [#2 Server.of] socket.io:server initializing namespace /");
    expect(frame).toContain('[#21 Server.handleRequest] engine handshaking client "abc123"');
    expect(frame).toContain("0.160s debug  engine:ws something outside a call");
    // In time order, whatever order they arrived in.
    expect(frame.indexOf("initializing namespace")).toBeLessThan(frame.indexOf("chat listening"));
    expect(frame.indexOf("chat listening")).toBeLessThan(frame.indexOf("attaching client"));
  });
});
