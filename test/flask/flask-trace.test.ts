/**
 * Runs the Flask-SocketIO chat for real (the app under the Python tracer, the
 * recording proxy, the built-in socket.io-client) beside the socket.io chat,
 * and checks its claims on the trace, the facts of FLASK-SOCKETIO.md among them:
 * the branches the report got wrong are checked against the installed source's own lines.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonRuntime } from "../../src/runtime/python/python-runtime.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { Runner } from "../../src/scenario/runner.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { compareSteps } from "../../src/export/compare-text.js";
import { pythonPermalink } from "../../src/runtime/python/permalinks.js";
import type { Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import { messagesByStep } from "../../src/export/text.js";
import { callsOf, step, type FoundCall } from "../helpers/trace-query.js";
import { python, pythonAvailable, skipReason } from "./helpers.js";

let flask: Trace;
let node: Trace;
let runner: Runner | undefined;

beforeAll(async () => {
  if (!pythonAvailable) return;
  const nodeRun = (async () => {
    const r = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
    try {
      await r.runAll();
    } finally {
      await r.close();
    }
    return r.trace();
  })();
  runner = await Runner.start({ scenario: loadScenario("chat-flask"), projectRoot: PACKAGE_ROOT, command: "test", runtime: pythonRuntime({ python }) });
  try {
    await runner.runAll();
  } finally {
    await runner.close();
  }
  flask = runner.trace();
  node = await nodeRun;
}, 60_000);

afterAll(async () => {
  await runner?.close();
});

/** Source line `n` (1-based) of an installed Flask-SocketIO file. */
function sourceLine(file: string, n: number): string {
  return readFileSync(file, "utf8").split("\n")[n - 1].trim();
}

/** Calls of `pkg` whose qualified name is `name`, with `ancestor` (a qualified name) on their path when given. */
function find(calls: readonly FoundCall[], pkg: string, name: string, ancestor?: string): FoundCall[] {
  return calls.filter((c) => c.fn.pkg === pkg && c.fn.name === name && (!ancestor || c.path.includes(ancestor)));
}

describe.skipIf(!pythonAvailable)(`the Flask-SocketIO chat, traced${skipReason}`, () => {
  it("runs the same eight steps, the server's from app.py's own lines", () => {
    expect(flask.steps.map((s) => s.id)).toEqual(["init", "handlers", "middleware", "run", "connect", "message", "heartbeat", "disconnect"]);
    const app = readFileSync(`${PACKAGE_ROOT}/traces/chat-flask/app.py`, "utf8").split("\n");
    for (const id of ["init", "handlers", "middleware", "run"]) {
      const code = step(flask, id).code!;
      expect(code.file).toBe("traces/chat-flask/app.py");
      expect(app[code.line - 1].trim()).toBe(code.text);
    }
    expect(step(flask, "init").code!.text).toContain("SocketIO(app");
    expect(step(flask, "run").code!.text).toContain("socketio.run(");
    expect(step(flask, "connect").code!.file).toBe("traces/chat/client.mjs");
    expect(flask.meta.packages).toMatchObject({ flask_socketio: expect.any(String), socketio: expect.any(String), engineio: expect.any(String), eventlet: expect.any(String) });
  });

  it("init: SocketIO.__init__ → init_app → socketio.Server and _SocketIOMiddleware", () => {
    const calls = callsOf(flask, step(flask, "init"));
    expect(find(calls, "flask_socketio", "SocketIO.init_app", "SocketIO.__init__")).not.toHaveLength(0);
    expect(find(calls, "socketio", "Server.__init__", "SocketIO.init_app")).not.toHaveLength(0);
    expect(find(calls, "engineio", "Server.__init__", "SocketIO.init_app")).not.toHaveLength(0);
    expect(find(calls, "flask_socketio", "_SocketIOMiddleware.__init__", "SocketIO.init_app")).not.toHaveLength(0);
    // app.wsgi_app before → after: Flask's own, then the middleware in front of it.
    const listeners = step(flask, "init").listeners!;
    expect(listeners.before.request[0]).toMatch(/^Flask\.wsgi_app /);
    expect(listeners.after.request[0]).toMatch(/^_SocketIOMiddleware /);
  });

  it("handlers: @socketio.on → decorator → self.server.on (python-socketio Server.on), not handlers.append", () => {
    const calls = callsOf(flask, step(flask, "handlers"));
    const decorators = find(calls, "flask_socketio", "SocketIO.on.<locals>.decorator");
    expect(decorators).toHaveLength(2); // chat message, disconnect
    for (const decorator of decorators) {
      const registrations = decorator.node.children.map((child) => flask.functions[child.fn]);
      expect(registrations.map((f) => `${f.pkg}:${f.name}`)).toEqual(["socketio:Server.on"]);
      // The line inside decorator that ran: the `if self.server:` branch, read from the installed file.
      const at = (decorator.node.children[0] as { at?: number }).at!;
      expect(sourceLine(decorator.fn.file, at)).toBe("self.server.on(message, _handler, namespace=namespace)");
      expect(sourceLine(decorator.fn.file, at + 2)).toBe("self.handlers.append((message, _handler, namespace))");
    }
    expect(find(calls, "socketio", "Server.on", "SocketIO.on")).toHaveLength(0); // decorator runs after on() returned
  });

  it("run: the eventlet branch, run_server() without the reloader, eventlet.wsgi.server", () => {
    const calls = callsOf(flask, step(flask, "run"));
    const [runServer] = find(calls, "flask_socketio", "SocketIO.run.<locals>.run_server", "SocketIO.run");
    expect(runServer).toBeDefined();
    expect(sourceLine(runServer.fn.file, runServer.fn.line - 1)).toBe("elif self.server.eio.async_mode == 'eventlet':");
    expect(sourceLine(runServer.fn.file, (runServer.node as { at?: number }).at!)).toBe("run_server()");
    const wsgi = calls.find((c) => c.fn.pkg === "eventlet" && c.fn.name === "server" && c.fn.file.endsWith("eventlet/wsgi.py"));
    expect(wsgi?.path).toContain("SocketIO.run.<locals>.run_server");
    expect(step(flask, "run").values.asyncMode).toBe("eventlet");
  });

  it("connect → disconnect: the same client's frames, decoded by the same decoders", () => {
    const byStep = messagesByStep(flask, decodeChunks(flask.chunks));
    const connect = byStep.get(step(flask, "connect").index) ?? [];
    const packets = (messages: typeof connect) => messages.flatMap((m) => m.layers.flatMap((l) => (l.kind === "engine.io" ? l.packets.map((p) => p.name) : [])));
    expect(connect.some((m) => m.layers.some((l) => l.kind === "http-response" && l.status === 101))).toBe(true);
    // open and the CONNECTs (polling), 2probe and 5 from the client; the server's WebSocket frames are
    // permessage-deflate compressed (eventlet accepts the offer), and the decoders inflate them.
    expect(packets(connect)).toEqual(expect.arrayContaining(["open", "message", "ping", "upgrade"]));
    const broadcast = (byStep.get(step(flask, "message").index) ?? []).find((m) =>
      m.dir === "out" && m.layers.some((l) => l.kind === "ws-frame" && (l.rsv & 4) !== 0) && m.layers.some((l) => l.kind === "socket.io" && l.packets.some((p) => p.name === "EVENT" && p.event === "chat message")));
    expect(broadcast, "a compressed server frame decoded down to the broadcast EVENT").toBeDefined();
    const upgrade = callsOf(flask, step(flask, "connect")).find((c) => c.fn.pkg === "eventlet" && c.fn.name === "WebSocketWSGI.__call__");
    expect(upgrade?.path).toContain("Socket._upgrade_websocket");
    const message = callsOf(flask, step(flask, "message"));
    expect(find(message, "app", "chat_message", "SocketIO._handle_event")).not.toHaveLength(0);
    expect(find(message, "socketio", "Server.emit", "chat_message")).not.toHaveLength(0);
    const pong = (byStep.get(step(flask, "heartbeat").index) ?? []).some((m) => m.dir === "in" && m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "pong")));
    expect(pong).toBe(true);
    expect(find(callsOf(flask, step(flask, "disconnect")), "app", "on_disconnect")).not.toHaveLength(0);
    expect(flask.connections.every((c) => c.closed !== undefined)).toBe(true);
  });

  it("the facts of FLASK-SOCKETIO.md are claims that read the installed source, and hold on this run", () => {
    const byText = (id: string, start: string) => step(flask, id).claims!.find((c) => c.text.startsWith(start));
    for (const [id, start] of [
      ["init", "SocketIO.__init__ was given the Flask app"],
      ["handlers", "decorator takes the self.server.on(...) branch"],
      ["run", "SocketIO.run takes the eventlet branch"],
      ["run", "This app passes no debug"],
      ["connect", "Then the upgrade"],
    ] as const) expect(byText(id, start)?.status, `${id}: ${start}`).toBe("held");
  });

  it("every claim of the Flask chat's narration holds on the run, and the narration is only what held", () => {
    const failing = flask.steps.flatMap((s) => (s.claims ?? []).filter((c) => c.status !== "held" && c.status !== "unchecked").map((c) => `${s.id}: ${c.text} — ${c.reason}`));
    expect(failing).toEqual([]);
    for (const s of flask.steps) {
      expect(s.claims?.length, s.id).toBeGreaterThan(0);
      const held = s.claims!.filter((c) => c.status === "held").map((c) => c.text).join(" ");
      expect(s.explanation.startsWith(held), s.id).toBe(true);
    }
    // The open packet's interval is what python-engineio computes (int(1.5) * 1000), not the server's 1500 ms.
    const open = step(flask, "connect").claims!.find((c) => c.text.startsWith("_handle_connect creates a Socket"))!;
    expect(open.status).toBe("held");
  });

  it("links Python functions to the installed versions' tags", () => {
    const decorator = flask.functions.find((f) => f.name === "SocketIO.on.<locals>.decorator")!;
    const link = pythonPermalink(decorator)!;
    expect(link.url).toBe(`https://github.com/miguelgrinberg/Flask-SocketIO/blob/v${flask.meta.packages.flask_socketio}/src/flask_socketio/__init__.py#L${decorator.line}-L${decorator.endLine}`);
  });

  it("--compare: each step's Node and Python call paths side by side", () => {
    const steps = compareSteps(node, flask, { maxLines: 400, maxDepth: 8 });
    const init = steps.find((s) => s.id === "init")!;
    expect(init.node.join("\n")).toMatch(/Server\.constructor[\s\S]*Server\.attach/);
    expect(init.python.join("\n")).toMatch(/SocketIO\.__init__\n\s+SocketIO\.init_app[\s\S]*_SocketIOMiddleware\.__init__/);
    const handlers = steps.find((s) => s.id === "handlers")!;
    expect(handlers.node.join("\n")).toContain("StrictEventEmitter.on");
    expect(handlers.python.join("\n")).toMatch(/SocketIO\.on › decorator\n\s+socketio:Server\.on\n/);
  });
});
