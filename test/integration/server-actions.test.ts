/**
 * Actions from the stepper, on a real run of the chat: a real socket.io server
 * and a real socket.io-client process. After the client connected, the Runner
 * emits to a room, emits to the socket, and disconnects it; each is a step of
 * its own with socket.io's own calls, the frames the client received, and its
 * claims held on the run. The scenario's steps after them still run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { CallNode, Step, Trace } from "../../src/trace/model.js";
import { messagesByStep } from "../../src/export/text.js";

let runner: Runner;
let trace: Trace;
let sid: string;
let refused: string | undefined;

function names(trace: Trace, nodes: readonly CallNode[], out: string[] = []): string[] {
  for (const node of nodes) {
    out.push(trace.functions.find((f) => f.id === node.fn)?.name ?? "?");
    names(trace, node.children, out);
  }
  return out;
}

function step(id: string): Step {
  const found = trace.steps.find((s) => s.id === id);
  expect(found, `step ${id}`).toBeDefined();
  return found!;
}

beforeAll(async () => {
  runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
  while (runner.steps[runner.nextStep]?.id !== "connect") await runner.runNext();
  // Before any client: an emit to a room nobody is in. The client's steps after it keep their own pauses.
  await runner.act({ kind: "emit", server: 0, nsp: "/", to: { room: "lobby" }, event: "early", args: [] });
  await runner.runNext();
  const socket = runner.runs[runner.runs.length - 1].state!.servers[0].namespaces.find((n) => n.name === "/")!.sockets[0];
  sid = socket.id;
  await runner.act({ kind: "emit", server: 0, nsp: "/", to: { room: sid }, event: "news", args: [{ headline: "hi" }] });
  await runner.act({ kind: "emit", server: 0, nsp: "/", to: { socket: sid }, event: "direct", args: [1, "two"] });
  // A target no longer there is refused before anything is sent: no step is added.
  refused = await runner.act({ kind: "disconnect", server: 0, nsp: "/", socket: "not-a-socket" }).then(() => undefined, (e: Error) => e.message);
  await runner.act({ kind: "disconnect", server: 0, nsp: "/", socket: sid });
  trace = runner.trace();
}, 120_000);

afterAll(async () => {
  await runner?.close();
});

describe("Runner.act on a real chat run", () => {
  it("inserts each action as a step after the one it followed, titled with the socket.io line it ran", () => {
    const ids = trace.steps.map((s) => s.id);
    expect(ids).toEqual(["init", "handlers", "middleware", "run", "action-1", "connect", "action-2", "action-3", "action-4"]);
    expect(trace.steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(step("action-2").title).toBe(`you: io.to("${sid}").emit("news", {"headline":"hi"})`);
    expect(step("action-4").title).toBe(`you: io.sockets.get("${sid}").disconnect()`);
    expect(refused).toBe("no socket not-a-socket in / now");
    expect(runner.stepCount).toBe(12);
  });

  it("records socket.io's own calls and the frame the client received for an emit to a room", () => {
    const s = step("action-2");
    const called = names(trace, s.calls);
    expect(called).toContain("Namespace.to");
    expect(called).toContain("BroadcastOperator.emit");
    expect(called).toContain("Adapter.broadcast");
    const out = messagesByStep(trace).get(s.index)!.filter((m) => m.dir === "out");
    expect(out.map((m) => m.raw)).toContain('42["news",{"headline":"hi"}]');
    expect(s.claims?.map((c) => c.status)).toEqual(["held", "held"]);
    expect(s.explanation).toContain('The frame written carries the event "news"');
  });

  it("emits to one socket with Socket.emit, every argument on the wire", () => {
    const s = step("action-3");
    expect(names(trace, s.calls)).toContain("Socket.emit");
    const out = messagesByStep(trace).get(s.index)!.filter((m) => m.dir === "out");
    expect(out.map((m) => m.raw)).toContain('42["direct",1,"two"]');
    expect(s.claims?.every((c) => c.status === "held")).toBe(true);
  });

  it("disconnects the socket: 41 written under Socket.disconnect, gone from the state after", () => {
    const s = step("action-4");
    expect(names(trace, s.calls)).toEqual(expect.arrayContaining(["Socket.disconnect", "Socket._onclose"]));
    const out = messagesByStep(trace).get(s.index)!.filter((m) => m.dir === "out");
    expect(out.map((m) => m.raw)).toContain("41");
    expect(s.claims?.map((c) => c.status)).toEqual(["held", "held", "held"]);
    expect(s.state?.servers[0].namespaces.find((n) => n.name === "/")!.sockets).toEqual([]);
    // The app's own disconnect listener printed the reason socket.io gave.
    expect(trace.logs.some((l) => l.text.includes(`disconnected: ${sid} (server namespace disconnect)`))).toBe(true);
  });

  it("tells an emit to an empty room as it was: broadcast ran, no frame written", () => {
    const s = step("action-1");
    expect(s.title).toBe('you: io.to("lobby").emit("early")');
    expect(s.claims?.map((c) => c.status)).toEqual(["held", "not-seen"]);
    expect(messagesByStep(trace).get(s.index) ?? []).toEqual([]);
  });

  it("runs the scenario's next step at its own pause after an action: connect keeps its client line", () => {
    const connect = step("connect");
    expect(connect.code).toMatchObject({ side: "client", file: "traces/chat/client.mjs" });
    expect(connect.code?.text).toContain("io(url");
    expect(runner.steps[runner.nextStep].id).toBe("message");
  });
});
