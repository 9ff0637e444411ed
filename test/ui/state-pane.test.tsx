/**
 * The state view (`s`): the traced server's live state at the selected step,
 * as the Admin UI shows it, rendered with ink-testing-library on a model trace.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import type { LiveState, Trace } from "../../src/trace/model.js";
import { liveStateLines } from "../../src/ui/state-lines.js";
import { KEYS, renderApp } from "../helpers/render.js";
import { FN, fixtureTrace } from "../helpers/trace-fixture.js";

afterEach(() => cleanup());

const HANDLER = FN["<anonymous connection handler in server.mjs>"];

function stateWith(sockets: number): LiveState {
  const ids = ["Ab3_x-Yz9qR7tUvWAAAA", "Zz9_x-Yz9qR7tUvWAAAB"].slice(0, sockets);
  return {
    servers: [
      {
        path: "/socket.io",
        namespaces: [
          {
            name: "/",
            middlewares: [{ name: "", fn: HANDLER }, { name: "authorize" }],
            sockets: ids.map((id) => ({ id, rooms: [id, "lobby"], address: "127.0.0.1", transport: "websocket", query: { EIO: "4", transport: "polling" }, auth: '{"token":"let-me-in"}' })),
            rooms: [...ids.map((id) => ({ name: id, members: [id] })), ...(ids.length ? [{ name: "lobby", members: ids }] : [])],
          },
        ],
      },
    ],
  };
}

function traceWithState(): Trace {
  const trace = fixtureTrace();
  return { ...trace, steps: [{ ...trace.steps[0], state: stateWith(0) }, { ...trace.steps[1], state: stateWith(2) }, trace.steps[2]] };
}

describe("the state lines", () => {
  it("list namespaces with middlewares named by their traced function, sockets with rooms and handshake, rooms with members", () => {
    const functions = new Map(fixtureTrace().functions.map((f) => [f.id, f]));
    const text = liveStateLines(stateWith(2), functions, 100).map((l) => l.text);
    expect(text[0]).toBe("namespace / · 2 sockets · 3 rooms");
    expect(text).toContain("    1. <anonymous connection handler in server.mjs>  traces/chat/server.mjs:22");
    expect(text).toContain("    2. authorize");
    expect(text).toContain("    Ab3_x-Yz9qR7tUvWAAAA  websocket  from 127.0.0.1");
    expect(text).toContain("      rooms: Ab3_x-Yz9qR7tUvWAAAA, lobby");
    expect(text).toContain('      query: EIO=4&transport=polling · auth: {"token":"let-me-in"}');
    expect(text).toContain("    lobby: Ab3_x-Yz9qR7tUvWAAAA, Zz9_x-Yz9qR7tUvWAAAB");
    expect(text).toContain("    Ab3_x-Yz9qR7tUvWAAAA: Ab3_x-Yz9qR7tUvWAAAA  (the socket's own room)");
    expect(liveStateLines(undefined, functions, 80)[0].text).toMatch(/^No server state for this step/);
  });
});

describe("the state view", () => {
  it("opens with s on the selected step's state, follows n/p, and closes with esc", async () => {
    const app = renderApp({ trace: traceWithState(), width: 120, height: 40 });
    await app.waitFor("calls 4");
    await app.press("s");
    let frame = await app.waitFor("server state after step 1 init");
    expect(frame).toContain("sockets (0): none connected");
    expect(frame).toContain("1. <anonymous connection handler in server.mjs>");
    await app.press("n");
    frame = await app.waitFor("server state after step 2 connect");
    expect(frame).toContain("namespace / · 2 sockets · 3 rooms");
    expect(frame).toContain("lobby: Ab3_x-Yz9qR7tUvWAAAA, Zz9_x-Yz9qR7tUvWAAAB");
    await app.press("n");
    frame = await app.waitFor("server state after step 3 message");
    expect(frame).toContain("No server state for this step");
    await app.press(KEYS.escape);
    frame = await app.waitFor("calls ");
    expect(frame).not.toContain("server state after");
  });
});
