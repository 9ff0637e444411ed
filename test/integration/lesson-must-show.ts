/**
 * What each lesson must show on a real run, asserted on the trace itself
 * (calls by package and ancestry, frames as decoded from the captured bytes),
 * apart from its claims: if a lesson's server or client were rewritten so
 * that the point of the lesson no longer happens, these fail even when the
 * claims were rewritten with it.
 */
import { expect } from "vitest";
import type { Trace } from "../../src/trace/model.js";
import type { SocketPacket, WireMessage } from "../../src/wire/types.js";
import { decodeChunks } from "../../src/wire/index.js";
import { messagesByStep } from "../../src/export/text.js";
import { callsOf, named, step } from "../helpers/trace-query.js";

/** A finished run of a lesson, with its messages decoded once. */
export interface LessonRun {
  readonly trace: Trace;
  readonly messages: readonly WireMessage[];
}

/** The frames of step `id`, each as `dir conn raw`. */
export function framesOf(run: LessonRun, id: string): { dir: string; conn: number; raw: string }[] {
  const index = step(run.trace, id).index;
  return (messagesByStep(run.trace, run.messages).get(index) ?? []).map((m) => ({ dir: m.dir, conn: m.conn, raw: m.raw }));
}

/** Asserts that step `id` called `pkg:name`, with `ancestor` on its path when given. */
export function expectCall(run: LessonRun, id: string, pkg: string, name: string, ancestor?: string): void {
  const found = named(callsOf(run.trace, step(run.trace, id)), pkg, name).filter((c) => !ancestor || c.path.includes(ancestor));
  expect(found.length, `${id}: ${pkg} ${name}${ancestor ? ` under ${ancestor}` : ""}`).toBeGreaterThan(0);
}

/** The raw texts of step `id`'s frames in direction `dir`. */
function raws(run: LessonRun, id: string, dir: "in" | "out"): string[] {
  return framesOf(run, id).filter((f) => f.dir === dir).map((f) => f.raw);
}

/** The client's printed lines, in order. */
function clientLines(run: LessonRun): string[] {
  return run.trace.logs.filter((l) => l.source === "client").map((l) => l.text);
}

/** The must-show assertions, by lesson name. */
export const MUST_SHOW: Readonly<Record<string, (run: LessonRun) => void>> = {
  rooms(run) {
    expectCall(run, "join", "socket.io-adapter", "Adapter.addAll", "Socket.join");
    expectCall(run, "broadcast", "socket.io-adapter", "Adapter.broadcast", "BroadcastOperator.emit");
    // io.to("lobby"): all three members; except("vip"): carol left out.
    expect(raws(run, "broadcast", "out")).toEqual(Array(3).fill('42["news","hello, lobby"]'));
    expect(raws(run, "except", "out")).toEqual(Array(2).fill('42["news","not for the vip room"]'));
    expectCall(run, "fetch", "socket.io-adapter", "Adapter.fetchSockets", "BroadcastOperator.fetchSockets");
    expectCall(run, "sockets-join", "socket.io-adapter", "Adapter.addAll", "Adapter.addSockets");
    // socket.to(room) from bob: one in, two out, none back on bob's connection.
    const shout = framesOf(run, "shout");
    const bob = shout.find((f) => f.dir === "in")!;
    expect(bob.raw).toBe('42["shout","lobby","hi all"]');
    const out = shout.filter((f) => f.dir === "out");
    expect(out.map((f) => f.raw)).toEqual(Array(2).fill('42["shout","bob: hi all"]'));
    expect(out.some((f) => f.conn === bob.conn)).toBe(false);
    expect(clientLines(run).some((l) => l.startsWith("bob got shout"))).toBe(false);
    expectCall(run, "leave", "socket.io-adapter", "Adapter.del", "Socket.leave");
    expectCall(run, "goodbye", "socket.io-adapter", "Adapter.delAll", "Socket.leaveAll");
    expect(run.trace.logs.some((l) => l.source === "stdout" && l.text === "rooms after the goodbyes: 0")).toBe(true);
  },
  namespaces(run) {
    const open = framesOf(run, "manager-open");
    expect(open.map((f) => f.raw)[0]).toMatch(/^GET \/socket\.io\/\?EIO=4&transport=websocket /);
    const main = framesOf(run, "connect-main").find((f) => f.dir === "in" && f.raw === "40")!;
    expect(main.conn).toBe(open[0].conn);
    // The second namespace on the same Engine.IO connection: its CONNECT on the same conn, no new handshake.
    const admin = framesOf(run, "connect-admin");
    expect(admin.filter((f) => f.dir === "in").map((f) => f.raw)).toEqual(['40/admin,{"token":"admin-token"}']);
    expect(admin.every((f) => f.conn === main.conn)).toBe(true);
    expectCall(run, "connect-admin", "socket.io", "Namespace.run", "Namespace._add");
    expect(raws(run, "refused", "out")).toContain('44/admin,{"message":"admins only"}');
    expectCall(run, "admin-middleware", "socket.io", "Namespace.use");
    expectCall(run, "dynamic", "socket.io", "ParentNamespace.constructor", "Server.of");
    expectCall(run, "connect-dynamic", "socket.io", "ParentNamespace.createChild", "Server._checkNamespace");
    expect(raws(run, "invalid", "out")).toEqual(['44/nowhere,{"message":"Invalid namespace"}']);
    expect(clientLines(run)).toContain("/nowhere refused: Invalid namespace");
  },
  acks(run) {
    expect(framesOf(run, "emit-with-ack").map((f) => f.raw)).toEqual(['420["add",1,2]', "430[3]"]);
    expectCall(run, "emit-with-ack", "socket.io", "<anonymous returned function in Socket.ack>", "<anonymous add listener in server.mjs>");
    // The client's timeout: one EVENT with an id, no ACK, the client's rejection.
    expect(framesOf(run, "client-timeout").map((f) => f.raw)).toEqual(['421["slow"]']);
    expect(clientLines(run)).toContain("client: operation has timed out");
    expect(framesOf(run, "server-ack").map((f) => `${f.dir} ${f.raw}`)).toEqual(['out 420["question","ready?"]', 'in 430["yes to ready?"]']);
    expectCall(run, "server-ack", "socket.io", "Socket.onack");
    expect(framesOf(run, "server-timeout").map((f) => f.raw)).toEqual(['421["ignored"]']);
    expectCall(run, "server-timeout", "socket.io", "<anonymous setTimeout callback in Socket.registerAckCallback>");
    // Three volatile emits, one frame: the others were dropped while the transport was busy.
    expect(raws(run, "volatile", "out")).toEqual(['42["tick",1]']);
  },
  binary(run) {
    // Over polling: the header in one POST, both attachments in the next, decoded as the header's own.
    const polling = run.messages.filter((m) => m.dir === "in" && m.raw.startsWith("POST ") && step(run.trace, "binary-polling").index === stepOf(run, m));
    const packets = polling.map((m) => socketPackets(m).map((p) => `${p.name} ${p.attachment ?? "header"}`));
    expect(packets).toEqual([["BINARY_EVENT header"], ["BINARY_EVENT 0", "BINARY_EVENT 1"]]);
    expect(polling.flatMap(socketPackets).some((p) => p.malformed)).toBe(false);
    expectCall(run, "binary-polling", "socket.io-parser", "reconstructPacket", "BinaryReconstructor.takeBinaryData");
    expectCall(run, "binary-polling", "socket.io-parser", "deconstructPacket", "Encoder.encodeAsBinary");
    // Over WebSocket: a text frame, then each attachment as a binary frame of raw bytes, and the BINARY_ACK back the same way.
    expect(framesOf(run, "binary-websocket").map((f) => `${f.dir} ${f.raw}`)).toEqual([
      'in 452-0["upload",{"_placeholder":true,"num":0},{"name":"over-websocket.png","thumb":{"_placeholder":true,"num":1}}]',
      "in <binary 13 bytes> 68 65 6c 6c 6f 2c 20 62 69 6e 61 72 79",
      "in <binary 4 bytes> 89 50 4e 47",
      'out 461-0[{"size":13,"digest":{"_placeholder":true,"num":0}}]',
      "out <binary 2 bytes> 0d 04",
    ]);
    expect(clientLines(run)).toEqual([
      "client: over-polling.png acked, size 13, digest 0d04",
      "client: over-websocket.png acked, size 13, digest 0d04",
    ]);
  },
  heartbeat(run) {
    const freeze = framesOf(run, "frozen");
    // Frozen: the ping goes out, no pong comes back, pingTimeout closes the WebSocket; the resumed client answers the close.
    expect(freeze.map((f) => `${f.dir} ${f.raw}`)).toEqual(["out 2", "out <close, no status code>", "in <close, no status code>"]);
    expectCall(run, "frozen", "engine.io", "Socket.onClose", "<anonymous setTimeout callback in Socket.resetPingTimeout>");
    // Killed: nothing on the wire, the transport's close is the reason.
    expect(framesOf(run, "killed")).toEqual([]);
    expectCall(run, "killed", "engine.io", "Socket.onClose", "Transport.onClose");
    const reasons = run.trace.logs.filter((l) => l.source === "stdout" && l.text.includes("disconnected:")).map((l) => l.text.replace(/^server: \S+ /, ""));
    expect(reasons).toEqual(["disconnected: ping timeout", "disconnected: transport close"]);
    // Two sessions: the one that timed out and the one connected anew.
    const sessions = new Set(run.messages.map((m) => m.conn));
    expect(sessions.size).toBe(2);
  },
  recovery(run) {
    const answers = run.messages.filter((m) => m.dir === "out" && socketPackets(m).some((p) => p.name === "CONNECT")).map((m) => JSON.parse(socketPackets(m)[0].data) as { sid: string; pid: string });
    const back = framesOf(run, "recover").filter((f) => f.dir === "in" && f.raw.startsWith("40{"));
    // The same socket comes back: the second CONNECT shows the first answer's pid and the offset of the last event it got.
    expect(answers).toHaveLength(2);
    expect(answers[1]).toEqual(answers[0]);
    const news = framesOf(run, "news").map((f) => f.raw)[0];
    const offset = /,"([^"]+)"\]$/.exec(news)?.[1];
    expect(back.map((f) => f.raw)).toEqual([`40{"pid":"${answers[0].pid}","offset":"${offset}"}`]);
    // Replayed before the CONNECT answer, in order; the volatile one never.
    const out = framesOf(run, "recover").filter((f) => f.dir === "out" && f.raw.startsWith("4")).map((f) => f.raw.replace(/,"[^"]+"\]$/, "]"));
    expect(out).toEqual(['42["news","missed 1"]', '42["news","missed 2"]', `40{"sid":"${answers[0].sid}","pid":"${answers[0].pid}"}`]);
    expect(framesOf(run, "missed")).toEqual([]);
    expectCall(run, "recover", "socket.io-adapter", "SessionAwareAdapter.restoreSession", "Namespace._createSocket");
    expect(clientLines(run)).toEqual(["client: recovered true, news: before the drop | missed 1 | missed 2"]);
  },
};

/** The Socket.IO packets of a message. */
function socketPackets(message: WireMessage): readonly SocketPacket[] {
  const layer = message.layers.find((l) => l.kind === "socket.io");
  return layer?.kind === "socket.io" ? layer.packets : [];
}

/** The index of the step a message belongs to. */
function stepOf(run: LessonRun, message: WireMessage): number | undefined {
  for (const [index, messages] of messagesByStep(run.trace, run.messages)) if (messages.includes(message)) return index;
  return undefined;
}

/** Decodes a trace once for the assertions. */
export function lessonRun(trace: Trace): LessonRun {
  return { trace, messages: decodeChunks(trace.chunks) };
}
