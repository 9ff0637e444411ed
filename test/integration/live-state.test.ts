/**
 * The server's live state per step, read in the traced process at each step's
 * pause, on a real run of the chat: a real socket.io server and a real
 * socket.io-client.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../src/trace/scenario.js";
import type { LiveNamespace, Trace } from "../../src/trace/model.js";
import { parseTraceFile, serializeTrace } from "../../src/trace/trace-file.js";
import { messagesByStep } from "../../src/export/text.js";
import { runScenario } from "../helpers/run-scenario.js";

let trace: Trace;

beforeAll(async () => {
  trace = await runScenario(loadScenario("chat"));
}, 120_000);

function root(id: string): LiveNamespace {
  const step = trace.steps.find((s) => s.id === id);
  expect(step?.state, `state of step ${id}`).toBeDefined();
  const nsp = step!.state!.servers[0]?.namespaces.find((n) => n.name === "/");
  expect(nsp, `namespace / at step ${id}`).toBeDefined();
  return nsp!;
}

describe("Step.state on a real run", () => {
  it("holds, after the connect step, the client's socket in its own room and the chat's middleware", () => {
    const nsp = root("connect");
    // The Socket.IO id the server sent the client in its CONNECT packet, on the wire.
    const connect = trace.steps.find((s) => s.id === "connect")!;
    const sent = messagesByStep(trace).get(connect.index)!.find((m) => m.dir === "out" && /^40\{"sid":/.test(m.raw.replace(/^\d+:/, "")));
    const sid = sent ? /"sid":"([\w-]+)"/.exec(sent.raw)?.[1] : undefined;
    expect(sid, "the CONNECT packet's sid").toBeDefined();
    expect(nsp.sockets).toHaveLength(1);
    const [socket] = nsp.sockets;
    expect(socket.id).toBe(sid);
    expect(socket.rooms).toEqual([socket.id]);
    expect(nsp.rooms).toEqual([{ name: socket.id, members: [socket.id] }]);
    expect(socket).toMatchObject({ address: "127.0.0.1", transport: "websocket", auth: '{"token":"let-me-in"}' });
    expect(socket.query).toMatchObject({ EIO: "4", transport: "polling" });
    // The middleware is the chat's own io.use callback, traced: its function is in server.mjs.
    expect(nsp.middlewares).toHaveLength(1);
    const fn = trace.functions.find((f) => f.id === nsp.middlewares[0].fn);
    expect(fn).toMatchObject({ file: "traces/chat/server.mjs", pkg: "app" });
  });

  it("changes step by step: no middleware before io.use, none connected before connect, gone after disconnect", () => {
    expect(root("handlers").middlewares).toEqual([]);
    expect(root("middleware").middlewares).toHaveLength(1);
    expect(root("run").sockets).toEqual([]);
    expect(root("message").sockets).toHaveLength(1);
    expect(root("disconnect").sockets).toEqual([]);
    expect(root("disconnect").rooms).toEqual([]);
  });

  it("survives the trace file (schema-checked on reading)", () => {
    const read = parseTraceFile(serializeTrace(trace));
    expect(read.steps.map((s) => s.state)).toEqual(trace.steps.map((s) => s.state));
    const broken = serializeTrace(trace).replace('"members":[', '"members":[7,');
    expect(() => parseTraceFile(broken)).toThrow(/state\.servers\[0\]\.namespaces\[0\]\.rooms\[0\]\.members: expected a list of socket ids/);
  });
});
