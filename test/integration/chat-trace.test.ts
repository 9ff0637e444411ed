/**
 * Runs the built-in chat scenario for real (traced server process, real
 * socket.io-client process) and checks the trace against DESIGN.md's table.
 */
import { runScenario } from "../helpers/run-scenario.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import { messagesByStep } from "../../src/export/text.js";
import { callsOf, named, step, type FoundCall } from "../helpers/trace-query.js";
import { expandTurns } from "../../src/trace/turns.js";

let trace: Trace;

beforeAll(async () => {
  trace = await runScenario(loadScenario("chat"));
}, 60_000);

/** Asserts a call exists and, when given, that `ancestor` is on its path. */
function expectCall(calls: readonly FoundCall[], pkg: string, name: string, ancestor?: string): FoundCall {
  const found = named(calls, pkg, name).filter((c) => !ancestor || c.path.includes(ancestor));
  expect(found.length, `${pkg} ${name}${ancestor ? ` under ${ancestor}` : ""}`).toBeGreaterThan(0);
  return found[0];
}

describe("the chat scenario, traced", () => {
  it("runs the eight steps in order, each with the user's own line", () => {
    expect(trace.steps.map((s) => s.id)).toEqual(["init", "handlers", "middleware", "run", "connect", "message", "heartbeat", "disconnect"]);
    const server = readFileSync(join(PACKAGE_ROOT, "traces/chat/server.mjs"), "utf8").split("\n");
    const client = readFileSync(join(PACKAGE_ROOT, "traces/chat/client.mjs"), "utf8").split("\n");
    for (const s of trace.steps) {
      if (s.id === "heartbeat") {
        expect(s.code).toBeUndefined();
        continue;
      }
      expect(s.code, s.id).toBeDefined();
      const lines = s.code!.side === "server" ? server : client;
      expect(s.code!.file).toMatch(/^traces\/chat\/(server|client)\.mjs$/);
      expect(lines[s.code!.line - 1].trim()).toBe(s.code!.text);
    }
    expect(step(trace, "init").code!.text).toContain("new Server(httpServer");
    expect(step(trace, "run").code!.text).toContain("httpServer.listen(");
  });

  it("init: constructor, defaults, of('/') → Namespace, attach → initEngine → engine.io attach → engine Server (cors) → attach, attachServe, bind", () => {
    const calls = callsOf(trace, step(trace, "init"));
    expectCall(calls, "socket.io", "Server.constructor");
    for (const name of ["Server.path", "Server.connectTimeout", "Server.serveClient", "Server.adapter"]) expectCall(calls, "socket.io", name, "Server.constructor");
    expectCall(calls, "socket.io", "Namespace.constructor", "Server.of");
    expectCall(calls, "socket.io", "Server.initEngine", "Server.attach");
    expectCall(calls, "engine.io", "attach", "Server.initEngine");
    expectCall(calls, "engine.io", "BaseServer.constructor", "attach");
    expectCall(calls, "cors", "middlewareWrapper", "BaseServer.constructor");
    expectCall(calls, "engine.io", "BaseServer.use", "BaseServer.constructor");
    const engineAttach = expectCall(calls, "engine.io", "Server.attach", "attach");
    expect(engineAttach.fn.file).toMatch(/node_modules\/engine\.io\/build\/server\.js$/);
    expectCall(calls, "socket.io", "Server.attachServe", "Server.attach");
    expectCall(calls, "socket.io", "Server.bind", "Server.attach");
  });

  it("init/middleware: shows engine.io taking over the request and upgrade listeners", () => {
    const listeners = step(trace, "middleware").listeners!;
    expect(listeners.before.request.join()).toContain("traces/chat/server.mjs");
    expect(listeners.before.upgrade ?? []).toEqual([]);
    expect(listeners.after.request.join()).toContain("<anonymous request listener in Server.attachServe>");
    expect(listeners.after.upgrade.join()).toContain("<anonymous upgrade listener in Server.attach>");
  });

  it("handlers and middleware: delegates to the main namespace", () => {
    const handlers = callsOf(trace, step(trace, "handlers"));
    // io.on runs socket.io's loop-defined delegate: named after the member that ran.
    expectCall(handlers, "socket.io", "StrictEventEmitter.on", "Server.on (Server[fn])");
    expect(handlers.filter((c) => c.fn.name === "Server[fn]")).toEqual([]);
    const middleware = callsOf(trace, step(trace, "middleware"));
    expectCall(middleware, "socket.io", "Namespace.use", "Server.use");
  });

  it("call trees: a continuation after await is the function that awaited, and no name is ambiguous", () => {
    const calls = callsOf(trace, step(trace, "connect"));
    for (const name of ["BaseServer.handshake", "Namespace._add"]) {
      const pkg = name.startsWith("Base") ? "engine.io" : "socket.io";
      const resumed = named(calls, pkg, name).filter((c) => c.node.detached && c.node.async);
      expect(resumed.length, `${name} resumed`).toBeGreaterThan(0);
      for (const r of resumed) {
        // Linked to a frame of the same function (its entry), not to the caller still on the stack then.
        const from = calls.find((c) => c.node.seq === r.node.async!.from);
        expect(from?.fn.name, `${name} resumed after await`).toBe(name);
      }
    }
    // Closures that share a bare name carry their place.
    const names = new Set(calls.map((c) => c.fn.name));
    for (const bare of ["check", "callback", "onPacket"]) expect(names.has(bare), bare).toBe(false);
    expect(names).toContain("check in Server.attach");
    expect(names).toContain("callback in Server.handleRequest");
  });

  it("run: the listening listener starts a fresh ws server", () => {
    const calls = callsOf(trace, step(trace, "run"));
    expectCall(calls, "engine.io", "Server.init");
    expectCall(calls, "ws", "WebSocketServer.constructor", "Server.init");
  });

  it("connect: polling handshake, CONNECT through the middleware to the user's handler, and the upgrade", () => {
    const calls = callsOf(trace, step(trace, "connect"));
    expectCall(calls, "engine.io", "Server.handleRequest", "<anonymous request listener in Server.attach>");
    expectCall(calls, "cors", "corsMiddleware in middlewareWrapper");
    expectCall(calls, "engine.io", "BaseServer.verify");
    expectCall(calls, "engine.io", "BaseServer.handshake");
    expectCall(calls, "engine.io", "Polling.constructor", "Server.createTransport");
    expectCall(calls, "engine.io", "Socket.constructor");
    expectCall(calls, "engine.io", "Socket.onOpen", "Socket.constructor");
    expectCall(calls, "socket.io", "Client.ondata");
    expectCall(calls, "socket.io-parser", "Decoder.add", "Client.ondata");
    expectCall(calls, "socket.io", "Namespace._add", "Client.ondata");
    expectCall(calls, "socket.io", "Namespace.run");
    expectCall(calls, "socket.io", "Socket._onconnect");
    const handler = calls.find((c) => c.fn.pkg === "app" && c.fn.name === "<anonymous connection listener in server.mjs>");
    expect(handler, "the user's connection handler").toBeDefined();
    expectCall(calls, "socket.io", "StrictEventEmitter.on", "<anonymous connection listener in server.mjs>");
    expectCall(calls, "engine.io", "Server.handleUpgrade", "<anonymous upgrade listener in Server.attach>");
    expectCall(calls, "ws", "WebSocketServer.handleUpgrade", "Server.handleUpgrade");
    expectCall(calls, "ws", "WebSocketServer.completeUpgrade");
    expectCall(calls, "engine.io", "Server.onWebSocket");
  });

  it("message: decode → _onpacket → onevent → dispatch → handler → io.emit → broadcast → write, and the ack", () => {
    const calls = callsOf(trace, step(trace, "message"));
    expectCall(calls, "socket.io", "Socket._onpacket");
    expectCall(calls, "socket.io", "Socket.onevent", "Socket._onpacket");
    expectCall(calls, "socket.io", "Socket.dispatch", "Socket.onevent");
    const handler = calls.find((c) => c.fn.pkg === "app" && c.fn.name.includes("chat message listener"));
    expect(handler, "the user's chat message handler").toBeDefined();
    expectCall(calls, "socket.io", "BroadcastOperator.emit", handler!.fn.name);
    expectCall(calls, "socket.io-adapter", "Adapter.broadcast", "BroadcastOperator.emit");
    expectCall(calls, "engine.io-parser", "encodePacket");
    expectCall(calls, "socket.io", "Socket.ack");
  });

  it("heartbeat: the schedulePing timer writes 2, the pong comes back as 3", () => {
    const s = step(trace, "heartbeat");
    const timer = s.calls.find((root) => root.async?.kind === "timer" && trace.functions.find((f) => f.id === root.fn)?.enclosing === "Socket.schedulePing");
    expect(timer, "a timer continuation scheduled in Socket.schedulePing").toBeDefined();
    const raw = (messagesByStep(trace).get(s.index) ?? []).map((m) => `${m.dir} ${m.raw}`);
    expect(raw).toContain("out 2");
    expect(raw).toContain("in 3");
  });

  it("disconnect: 41 → ondisconnect → _onclose → the user's handler → transport close", () => {
    const calls = callsOf(trace, step(trace, "disconnect"));
    expectCall(calls, "socket.io", "Socket.ondisconnect");
    expectCall(calls, "socket.io", "Socket._onclose");
    expect(calls.some((c) => c.fn.pkg === "app" && c.fn.name.includes("disconnect listener"))).toBe(true);
    expectCall(calls, "engine.io", "Socket.onClose");
    const raw = (messagesByStep(trace).get(step(trace, "disconnect").index) ?? []).map((m) => `${m.dir} ${m.raw}`);
    expect(raw).toContain("in 41");
  });

  it("frames: the handshake, upgrade and events appear with their raw text, in wire order, linked to calls", () => {
    const messages = decodeChunks(trace.chunks);
    const connect = (messagesByStep(trace, messages).get(step(trace, "connect").index) ?? []).map((m) => `${m.dir} ${m.raw}`);
    expect(connect.some((r) => r.startsWith("in GET /socket.io/?EIO=4&transport=polling"))).toBe(true);
    expect(connect).toContain("out HTTP/1.1 101 Switching Protocols");
    expect(connect.indexOf("in 2probe")).toBeLessThan(connect.indexOf("out 3probe"));
    expect(connect.indexOf("out 3probe")).toBeLessThan(connect.indexOf("in 5"));
    const message = (messagesByStep(trace, messages).get(step(trace, "message").index) ?? []).map((m) => `${m.dir} ${m.raw}`);
    expect(message).toContain('in 420["chat message","hi"]');
    expect(message).toContain('out 42["chat message","hi"]');
    expect(message).toContain('out 430[{"received":true}]');
    const seqs = new Set<number>();
    for (const s of trace.steps) for (const root of expandTurns(s)) collect(root);
    function collect(node: { seq: number; children: readonly { seq: number; children: readonly unknown[] }[] }): void {
      seqs.add(node.seq);
      for (const child of node.children) collect(child as typeof node);
    }
    const linked = messages.filter((m) => m.call !== undefined);
    expect(linked.length).toBeGreaterThan(messages.length * 0.9);
    for (const m of linked) expect(seqs.has(m.call!), `frame ${m.raw} links to a recorded call`).toBe(true);
  });

  it("every recorded file:line is a line of the installed file that declares that function", () => {
    const cache = new Map<string, string[]>();
    const used = new Set<number>();
    for (const s of trace.steps) for (const c of callsOf(trace, s)) used.add(c.fn.id);
    expect(used.size).toBeGreaterThan(150);
    for (const fn of trace.functions.filter((f) => used.has(f.id))) {
      if (!cache.has(fn.file)) cache.set(fn.file, readFileSync(join(PACKAGE_ROOT, fn.file), "utf8").split("\n"));
      const text = cache.get(fn.file)![fn.line - 1] ?? "";
      const member = fn.member && !fn.member.startsWith("[") ? fn.member : undefined;
      const declares = member ? text.includes(member) : /function|=>/.test(text);
      expect(declares, `${fn.name} at ${fn.file}:${fn.line}: ${text.trim()}`).toBe(true);
    }
  });
});
